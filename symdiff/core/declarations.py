"""Function declarations: everything symdiff knows about a function, written once, and the
node class made from it.

A ``FunctionSpec`` states a function's name and aliases, its parameters, its local partial
derivatives in the formula syntax, its float implementation and domain, its code forms for
lambdify's backends, its mpmath, LaTeX and SymPy counterparts, the signs it takes,
its exact values, the constructor shortcuts it allows, its convention at kinks and the
parameters that are integer orders (polygamma's n: no derivative with respect to it). The core
keeps names and text only; the layers above resolve them (the calculus parses the partials,
the code generators read the code forms, the SymPy bridge looks the SymPy name up).
``declare`` makes a ``Function`` subclass of a declaration and enters it in the registry
(``FUNCTIONS``, ``ALIASES``) that the parser and every other consumer read.
"""
from __future__ import annotations

import keyword
import math
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from . import exact
from .errors import UndefinedError
from .nodes import E, PI, POWER_OF_CONSTANT, Add, Const, Constant, Expr, Mul, Pow, as_expr
from .order import RANK_FUNCTION, mix, signature, tag
from .intern import create, lookup
from .names import FUNCTION_NAMES

#: What a declaration may say about the signs a function takes (``rewriting.signs`` reads it):
#: always > 0; always >= 0; >= 0 and > 0 where the argument is not 0; the argument's sign.
SIGN_FACTS = ("", "positive", "nonnegative", "magnitude", "same")

_NAME = r"[A-Za-z_]\w*"
_CALL = re.compile(rf"({_NAME}(?:\.{_NAME})*)(?:\((.*)\))?")
_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
#: The constructor shortcuts a declaration can state, as formulas (spaces ignored): f undoes
#: g (log(exp(a)) = a); f keeps g (abs(exp(a)) = exp(a)); equal arguments (max(a, a) = a);
#: powers merge into the argument (exp(a)^b = exp(a*b)); the constant e's powers are f;
#: order 0 is another function (polygamma(0, a) = digamma(a)).
_SHORTCUTS = (
    ("undoes", re.compile(r"(\w+)\((\w+)\((\w+)\)\)=\3")),
    ("keeps", re.compile(r"(\w+)\((\w+)\((\w+)\)\)=\2\(\3\)")),
    ("same_args", re.compile(r"(\w+)\((\w+),\2\)=\2")),
    ("merges_powers", re.compile(r"(\w+)\((\w+)\)\^(\w+)=\1\(\2\*\3\)")),
    ("power_of_e", re.compile(r"e\^(\w+)=(\w+)\(\1\)")),
    ("order_zero", re.compile(r"(\w+)\(0,(\w+)\)=(\w+)\(\2\)")),
)


def call_form(text: str, params) -> tuple[str, tuple]:
    """A code form or SymPy counterpart, ``name`` or ``name(u, 0.0)`` (the name may be
    dotted: ``jsp.special.erf``), read as (name, operands): each operand is a parameter's
    index or a number's text; a bare name takes the parameters in order. Anything else is
    a ValueError (no other text becomes code)."""
    match = _CALL.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a name or a call such as name(u, 0.0)")
    name, inside = match.groups()
    if inside is None:
        return name, tuple(range(len(params)))
    operands = []
    for piece in (p.strip() for p in inside.split(",")):
        if piece in params:
            operands.append(params.index(piece))
        elif _NUMBER.fullmatch(piece):
            operands.append(piece)
        else:
            raise ValueError(f"{text!r}: {piece!r} is neither a parameter nor a number")
    return name, tuple(operands)


@dataclass(frozen=True)
class FunctionSpec:
    """One function, declared once. Text fields use the formula syntax in the parameters."""

    name: str
    #: the parameters' names, as the partials, the body and the code forms use them
    params: tuple[str, ...] = ("u",)
    #: d f / d param, one formula per parameter ("1 - tanh(u)^2"), or an Expr on Var(param);
    #: None for an order (see ``orders``), which has no derivative
    partials: tuple = ()
    #: the float implementation; ValueError or ZeroDivisionError outside the domain
    real: Callable[..., float] | None = field(default=None, compare=False)
    #: what the function needs of its argument, for error messages ("a positive argument")
    domain: str = ""
    aliases: tuple[str, ...] = ()
    #: a formula equal to the function: how a backend without a code form computes it
    #: (sec(u) = 1/cos(u)), and the whole definition of a function defined by a formula
    body: str | Expr = ""
    #: code forms for lambdify's backends: a function name ("asin"), or a call with extra
    #: constant arguments ("heaviside(u, 0.0)"); empty: the backend computes the body
    math: str = ""
    numpy: str = ""
    #: source of the helper function a code form names, when its module has none
    math_helper: str = ""
    numpy_helper: str = ""
    #: C99's code form: a <math.h> function ("asin", "tgamma"), or a static helper that
    #: ``c_helper`` defines (``static double symdiff_sign(double u) {...}``) when it has none
    c: str = ""
    c_helper: str = ""
    #: the JAX and PyTorch backends' code forms, dotted names in the namespaces their code
    #: imports ("jnp.arcsin", "jsp.special.erf"; "torch.asin", "torch.special.erf"), and
    #: the helper a form names when the library has none (``core.array_helpers``)
    jax: str = ""
    jax_helper: str = ""
    torch: str = ""
    torch_helper: str = ""
    #: mpmath's function of the same values, by name (empty if mpmath has none)
    mpmath: str = ""
    #: an operator that takes a power as \sin^{2} does, or a template: "\left|{0}\right|"
    latex: str = ""
    #: SymPy's counterpart: a name ("sin"), or a call with constant arguments
    #: ("Heaviside(u, 0)"); a SymPy function rather than a class ("real_root(u, 3)") gets a
    #: SymPy function of symdiff's name that SymPy computes through it
    sympy: str = ""
    #: one of SIGN_FACTS
    signs: str = ""
    #: exact argument -> exact value: {0: 0}; "e" and "pi" name the constants
    exact_values: Mapping = field(default_factory=dict, hash=False)
    #: constructor shortcuts, as formulas ("log(exp(a)) = a"); see _SHORTCUTS for the shapes
    shortcuts: tuple[str, ...] = ()
    #: argument order does not matter (max, min): arguments are sorted
    commutative: bool = False
    #: only compares its arguments (abs, max...): exact on exact numbers, abs(-3) = 3
    compares: bool = False
    #: the convention where the derivative does not exist, in words
    kinks: str = ""
    #: parameters that are nonnegative integer orders (polygamma's n): a number there must
    #: be one, and their partial is None: differentiating by a variable the order depends on
    #: is an error, not a derivative
    orders: tuple[str, ...] = ()

    def __post_init__(self):
        for name in ("params", "partials", "aliases", "shortcuts", "orders"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        names = (self.name, *self.params, *self.aliases)
        bad = [n for n in names if not isinstance(n, str) or not n.isidentifier()
               or keyword.iskeyword(n)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not a valid name for a function or a parameter")
        if not self.params or len(set(self.params)) != len(self.params):
            raise ValueError(f"{self.name}: the parameters must be distinct names, at least one")
        if len(self.partials) != len(self.params):
            raise ValueError(f"{self.name}: give one partial derivative per parameter "
                             f"({len(self.params)}), not {len(self.partials)}")
        without = [p for p, d in zip(self.params, self.partials) if d is None]
        if without != [p for p in self.params if p in self.orders] or not set(
                self.orders) <= set(self.params):
            raise ValueError(f"{self.name}: the orders must be parameters, and exactly the "
                             f"orders have no partial (None)")
        if not callable(self.real):
            raise ValueError(f"{self.name}: the float implementation must be callable")
        if self.signs not in SIGN_FACTS:
            raise ValueError(f"{self.name}: signs must be one of {SIGN_FACTS}")
        for form in (self.math, self.numpy, self.c, self.jax, self.torch, self.sympy):
            if form:
                call_form(form, self.params)
        compile_shortcuts(self)

    @property
    def arity(self) -> int:
        return len(self.params)

    @property
    def class_name(self) -> str:
        return self.name[0].upper() + self.name[1:]


def compile_shortcuts(spec: FunctionSpec) -> dict:
    """The declaration's shortcuts as the constructor's class attributes; a formula of no
    known shape, or about another function, is a ValueError."""
    found = {"_undoes": set(), "_keeps": set(), "_same_args": False, "_merges_powers": False,
             "_power_of_e": False, "_order_zero": ""}
    for text in spec.shortcuts:
        compact = re.sub(r"\s+", "", text)
        for kind, pattern in _SHORTCUTS:
            match = pattern.fullmatch(compact)
            if match and match.group(2 if kind == "power_of_e" else 1) == spec.name:
                if kind in ("undoes", "keeps"):
                    found[f"_{kind}"].add(match.group(2))
                elif kind == "order_zero":
                    found["_order_zero"] = match.group(3)
                else:
                    found[f"_{kind}"] = True
                break
        else:
            raise ValueError(f"{spec.name}: cannot read the shortcut {text!r}")
    found["_undoes"], found["_keeps"] = frozenset(found["_undoes"]), frozenset(found["_keeps"])
    return found


def _constant(value) -> Expr:
    return {"e": E, "pi": PI}[value] if isinstance(value, str) else as_expr(value)


def _leaf_value(node: Expr) -> float | None:
    """The float of a number or a named constant; None for anything else."""
    kind = type(node)
    if kind is Const:
        return float(node.value)
    if kind is Constant:
        return node.value
    return None


def _applied(node: Expr, operands: list) -> float | None:
    """The float value of a sum, product, power or call of these operand values, or None
    when it has none (or is not finite)."""
    kind = type(node)
    try:
        if kind is Add:
            value = math.fsum(operands)
        elif kind is Mul:
            value = math.prod(operands)
        elif kind is Pow:
            value = math.pow(*operands)
        elif isinstance(node, Function):
            value = node.real(*operands)
        else:
            return None
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    return value if math.isfinite(value) else None


#: Most operands ``_number_value`` looks at in one node.
NUMBER_VALUE_WIDTH = 4


def _number_value(node: Expr) -> float | None:
    """The float of a small formula of numbers and named constants, at most two levels
    below ``node`` (``3 - pi``, ``sin(1) - 1``), or None when it has a variable, is wider or
    deeper, or has no finite float value: the caller then leaves the question to evaluation,
    which refuses a value that does not exist. Two fixed levels make the cost a constant
    for every call built, however deep the argument is."""
    value = _leaf_value(node)
    if value is not None or not node.args or len(node.args) > NUMBER_VALUE_WIDTH:
        return value
    operands = []
    for child in node.args:
        value = _leaf_value(child)
        if value is None:
            if not child.args or len(child.args) > NUMBER_VALUE_WIDTH:
                return None                       # a variable, or a wide node
            inner = [_leaf_value(grandchild) for grandchild in child.args]
            if None in inner:
                return None
            value = _applied(child, inner)
            if value is None:
                return None
        operands.append(value)
    return _applied(node, operands)


def _shown(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


class Function(Expr):
    """A call ``name(arg, ...)``. Each declared function is a subclass made by ``declare``;
    ``spec`` is its declaration, and the class attributes below are read from it."""

    __slots__ = ()
    spec: FunctionSpec | None = None
    name = "?"
    arity = 1
    commutative = False
    #: what the function needs of its argument, for error messages ("a positive argument")
    domain = ""
    _exact: dict = {}
    _undoes: frozenset = frozenset()
    _keeps: frozenset = frozenset()
    _same_args = _merges_powers = _compares = False
    _order_zero = ""
    #: the indices of the parameters that are integer orders (``FunctionSpec.orders``)
    _orders: tuple[int, ...] = ()

    def __new__(cls, *args):
        if len(args) != cls.arity:
            raise TypeError(f"{cls.name}() takes {cls.arity} argument"
                            f"{'s' if cls.arity != 1 else ''}, got {len(args)}")
        args = tuple(as_expr(a) for a in args)
        if cls.commutative:
            args = tuple(sorted(args, key=lambda a: a.sort_key))
        for index in cls._orders:
            cls._refuse_order(args[index], cls.spec.params[index])
        special = cls.special(*args)
        if special is not None:
            return as_expr(special)
        if all(type(a) is Const for a in args):
            folded = cls._fold([a.value for a in args])
            if folded is not None:
                return Const(folded)
        node = lookup((cls, args))
        if node is None:
            cls._refuse_undefined(args)
        if node is not None:
            return node
        sort_key = (RANK_FUNCTION, signature(cls.name, "(", args[0].sort_key[1]),
                    mix(tag(cls.name), [a.sort_key[2] for a in args]))
        return create(cls, (cls, args), args, sort_key, 1.0)

    @classmethod
    def special(cls, *args):
        """A cheaper, always-equal form for these arguments, or None: the declaration's exact
        values and shortcuts (sin(0) = 0, log(exp(a)) = a, max(a, a) = a, abs(-3) = 3)."""
        if cls._compares and all(type(a) is Const for a in args):
            return exact.normalise(cls.real(*(a.value for a in args)))
        if len(args) == 1:
            arg = args[0]
            value = cls._exact.get(arg)
            if value is not None:
                return value
            if isinstance(arg, Function):
                if arg.name in cls._undoes:
                    return arg.args[0]
                if arg.name in cls._keeps:
                    return arg
        elif cls._same_args and all(a is args[0] for a in args):
            return args[0]
        elif cls._order_zero and type(args[0]) is Const and args[0].value == 0:
            return FUNCTIONS[cls._order_zero](*args[1:])
        return None

    @classmethod
    def _refuse_order(cls, order: Expr, param: str) -> None:
        """An order that is a number must be a nonnegative integer (polygamma(1/2, x) is
        refused where it is built); an order with a variable is left to evaluation."""
        value = _number_value(order)
        if value is not None and not (value >= 0 and value.is_integer()):
            raise UndefinedError(f"{cls.name}'s order {param} must be a nonnegative integer, "
                                 f"not {_shown(value)}")

    @classmethod
    def _fold(cls, values):
        """Value of the call on constant arguments: float inputs give a float, if defined."""
        if not any(isinstance(v, float) for v in values):
            return None
        try:
            result = cls.real(*map(float, values))
        except (ValueError, ZeroDivisionError, OverflowError):
            return None
        return result if math.isfinite(result) else None

    @classmethod
    def _refuse_undefined(cls, args) -> None:
        """A call on numbers outside the function's domain (``log(0)``, ``asin(2)``, also
        ``log(3 - pi)``: up to two levels below each argument are looked at) is an
        ``UndefinedError``, so no formula holds a constant without a value for ``0*log(0)``
        to fold to 0. Deeper constant arguments are left to evaluation, which refuses them."""
        values = [_number_value(a) for a in args]
        if None in values:
            return
        try:
            cls.real(*values)
        except (ValueError, ZeroDivisionError):
            needs = f": {cls.name} needs {cls.domain}" if cls.domain else ""
            shown = ", ".join(_shown(v) for v in values)
            raise UndefinedError(f"{cls.name}({shown}) is undefined{needs}") from None
        except OverflowError:              # defined, only past a float: exp(1000) stays
            pass

    def _power_of(self, exponent):
        if self._merges_powers:                   # exp(a)^b = exp(a*b) for real a, b
            return type(self)(Mul(self.args[0], exponent))
        return None

    @staticmethod
    def real(*values: float) -> float:
        raise NotImplementedError("this function has no float implementation")


#: Every declared function's class, by the name the parser and printers use. Functions are
#: only ever added (a node of a function must keep its meaning), so readers may cache.
FUNCTIONS: dict[str, type[Function]] = {}
#: Other spellings the parser accepts, to the declared name: ln -> log.
ALIASES: dict[str, str] = {}
_LOCK = threading.Lock()


def declare(spec: FunctionSpec, module: str = __name__) -> type[Function]:
    """The node class of a declaration, entered in ``FUNCTIONS`` (and its aliases in
    ``ALIASES``). A name or alias that is taken is a ValueError."""
    attributes = {"__slots__": (), "__module__": module, "__qualname__": spec.class_name,
                  "__doc__": f"{spec.name}({', '.join(spec.params)}). {spec.kinks}".strip(),
                  "spec": spec, "name": spec.name, "arity": spec.arity, "domain": spec.domain,
                  "commutative": spec.commutative, "_compares": spec.compares,
                  "_orders": tuple(spec.params.index(p) for p in spec.orders),
                  "real": staticmethod(spec.real), **compile_shortcuts(spec),
                  "_exact": {_constant(k): _constant(v) for k, v in spec.exact_values.items()}}
    with _LOCK:
        taken = [n for n in (spec.name, *spec.aliases) if n in FUNCTIONS or n in ALIASES]
        if taken:
            raise ValueError(f"'{taken[0]}' is already the name of a function")
        cls = type(spec.class_name, (Function,), attributes)
        FUNCTIONS[spec.name] = cls
        ALIASES.update(dict.fromkeys(spec.aliases, spec.name))
        FUNCTION_NAMES[spec.name] = "a function"
        FUNCTION_NAMES.update(dict.fromkeys(spec.aliases, f"a function (another name of {spec.name})"))
        if attributes["_power_of_e"]:
            POWER_OF_CONSTANT["e"] = cls          # e^u is exp(u)
    return cls


def withdraw(cls: type[Function]) -> None:
    """Take back a declaration that failed the checks made right after ``declare``, before
    anything else could use it (a function in use must keep its meaning)."""
    with _LOCK:
        if FUNCTIONS.get(cls.name) is cls:
            del FUNCTIONS[cls.name]
            FUNCTION_NAMES.pop(cls.name, None)
            for alias in cls.spec.aliases:
                ALIASES.pop(alias, None)
                FUNCTION_NAMES.pop(alias, None)
