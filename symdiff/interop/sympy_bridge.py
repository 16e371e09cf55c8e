"""The SymPy bridge: ``to_sympy`` and ``from_sympy`` for every node type symdiff has.

Both directions walk the expression with an explicit stack (symdiff's topological order one
way, a post-order stack over SymPy's ``args`` the other), so 100,000-deep formulas convert.

Variables become ``sympy.Symbol(name, real=True)``: symdiff works over the reals, and real
symbols give SymPy the same real-variable rules (d|u| = sign(u)*du, no ``re``/``im`` terms).

SymPy is imported on first use, not with symdiff: it takes about half a second, and most
commands never convert (``symdiff diff`` should not pay for ``symdiff check``).
"""
from __future__ import annotations

import functools
from fractions import Fraction
from types import SimpleNamespace
from typing import TYPE_CHECKING

from ..core.declarations import FUNCTIONS, Function, call_form
from ..core.errors import SymdiffError
from ..core.nodes import (E, PI, Add, Const, Constant, Expr, Mul, Pow, Var, as_expr, held_product,
                          provide)
from ..core import exact
from ..core.undefined import AppliedFunction
from ..core.walk import topological, varying
from ..printing.text import to_text
from ..syntax.template import body_of
from .sympy_undefined import (applied_from_sympy, applied_to_sympy, conversion_plan,
                              dummy_name, is_undefined_head)

if TYPE_CHECKING:                       # for the annotations only: SymPy loads on first use
    import sympy


class ConversionError(SymdiffError, ValueError):
    """An object has no counterpart on the other side (SymPy's Integral, I, oo, ...)."""


def _lattice(cls):
    """SymPy's Max and Min sort their arguments by a size count that recurses down the whole
    tree, even unevaluated; unevaluated, build them as SymPy itself does, minus the sort."""
    import sympy

    def build(*args, evaluate=False):
        if evaluate:
            return cls(*args)
        node = sympy.Expr.__new__(cls, *args)
        node._argset = frozenset(args)
        return node
    return build


@functools.cache
def _tables() -> SimpleNamespace:
    """The tables that name SymPy objects, made when SymPy is first needed:

    class_builders: how to build a SymPy class's node where the class itself will not do;
    unordered: SymPy classes whose arguments come in any order; arithmetic: symdiff's
    sums, products and powers as SymPy classes (and back, from_arithmetic); constants;
    fallbacks: SymPy calls that no declared form matches (Max and Min of more than two
    arguments, Heaviside with another value at 0, a logarithm to a base).
    """
    import sympy

    arithmetic = {Add: sympy.Add, Mul: sympy.Mul, Pow: sympy.Pow}
    return SimpleNamespace(
        class_builders={sympy.Max: _lattice(sympy.Max), sympy.Min: _lattice(sympy.Min)},
        unordered=(sympy.Max, sympy.Min),
        arithmetic=arithmetic,
        from_arithmetic={v: k for k, v in arithmetic.items()},
        constants={"pi": sympy.pi, "e": sympy.E},
        fallbacks={sympy.Max: lambda *a: _fold(FUNCTIONS["max"], a),
                   sympy.Min: lambda *a: _fold(FUNCTIONS["min"], a),
                   sympy.Heaviside: _heaviside, sympy.log: _log},
    )


def _sympy_number(value):
    import sympy

    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    return sympy.Float(value)


def _literal(text: str):
    """A number in a declaration's SymPy form ("0" in Heaviside(u, 0)), for SymPy."""
    import sympy

    return sympy.Float(text) if any(c in text for c in ".eE") else sympy.Integer(text)


def _own_function(kind: type, formula: sympy.Expr, symbols: list) -> type:
    """A SymPy function named after a declared function whose SymPy counterpart is a
    formula, not a SymPy class (real_root(u, 3) for a real cube root; a body): SymPy
    evaluates and differentiates it through that formula (its derivative is SymPy's own,
    not symdiff's), prints it by name, and it converts back to the same function."""
    import sympy

    def through(args):
        return formula.xreplace(dict(zip(symbols, args)))

    def fdiff(self, argindex=1):
        return sympy.diff(formula, symbols[argindex - 1]).xreplace(dict(zip(symbols, self.args)))

    def _eval_evalf(self, prec):
        return through(self.args)._eval_evalf(prec)

    cls = type(kind.name, (sympy.Function,), {"nargs": kind.arity, "fdiff": fdiff,
                                              "_eval_evalf": _eval_evalf})
    _OWN[cls] = kind
    return cls


def _make_builder(kind: type):
    """The SymPy builder of a declared function's calls (``builder(*args, evaluate=...)``)."""
    import sympy

    spec = kind.spec
    if spec is None:
        raise ConversionError(f"symdiff's {kind.__name__} has no SymPy counterpart here")
    symbols = [sympy.Dummy(p, real=True) for p in spec.params]
    if spec.sympy:
        name, operands = call_form(spec.sympy, spec.params)
        head = getattr(sympy, name)
        arguments = [symbols[o] if type(o) is int else _literal(o) for o in operands]
        if not isinstance(head, type):                       # real_root(u, 3)
            own = _own_function(kind, head(*arguments), symbols)
            return lambda *args, evaluate: own(*args, evaluate=evaluate)
        build = _tables().class_builders.get(head, head)
        if operands == tuple(range(kind.arity)):
            return build
        constants = [None if type(o) is int else _literal(o) for o in operands]
        return lambda *args, evaluate: build(*[args[o] if c is None else c
                                              for o, c in zip(operands, constants)],
                                             evaluate=evaluate)
    body = body_of(kind)
    if body is not None:                          # softplus(u) = log(1 + exp(u))
        formula = to_sympy(body.expr).xreplace(
            {sympy.Symbol(p, real=True): s for p, s in zip(spec.params, symbols)})
        own = _own_function(kind, formula, symbols)
        return lambda *args, evaluate: own(*args, evaluate=evaluate)
    undefined = sympy.Function(spec.name)         # SymPy knows nothing of it but its name
    return lambda *args, evaluate: undefined(*args)


#: symdiff class -> SymPy builder, made from the declaration on first use.
_BUILDERS: dict[type, object] = {}
#: SymPy functions made for declared functions (see _own_function) -> the function.
_OWN: dict[type, type] = {}


def huge_power(node: Expr, constant: bool = True) -> bool:
    """Whether ``node`` is a power of numbers whose exact value would be past symdiff's
    budget for exact numbers (``core.exact.MAX_EXACT_BITS``): ``9^(9^9)``, which symdiff
    keeps unevaluated and SymPy would compute digit by digit. ``constant`` says whether the
    exponent has no variables; an exponent that is such a power itself (``9^9^9``) counts."""
    if type(node) is not Pow or not constant:
        return False
    base, exponent = node.args
    if type(exponent) is not Const:
        return True             # a constant symdiff could not fold: it is past the budget
    if type(base) is not Const or not exact.is_exact(base.value) or not exact.is_exact(
            exponent.value):
        return False
    size = abs(Fraction(exponent.value)) * max(exact.bits(base.value), 1)
    return size > exact.MAX_EXACT_BITS


def sympy_size_problem(expr: Expr) -> str | None:
    """Why SymPy must not be handed ``expr`` (None if it may): it holds a power whose
    value SymPy would compute exactly, a number past symdiff's own limit for exact numbers."""
    order = topological(expr)
    moving = varying(order, [node for node in order if type(node) is Var])
    for node in order:
        if type(node) is Pow and huge_power(node, node.args[1] not in moving):
            return (f"it holds {to_text(node, max_length=40)}, a power past "
                    f"{exact.MAX_EXACT_BITS:,} bits that SymPy would compute exactly")
    return None


def to_sympy(expr: Expr, evaluate: bool = False) -> sympy.Basic:
    """The same formula as a SymPy expression.

    By default SymPy is told not to evaluate: symdiff has already canonicalised the formula,
    and SymPy's automatic evaluation recurses (it fails a few hundred levels deep).
    ``evaluate=True`` gives SymPy's canonical form, for shallow formulas; even then a power
    of numbers whose value would be huge (``9^(9^9)``, see ``huge_power``) is built
    unevaluated, and a sum or product holding one too. A function whose
    declaration names a SymPy class becomes that (sin, Heaviside(u, 0)); one defined by a
    formula becomes a SymPy function of its own name computed through the formula; one
    with neither, an undefined SymPy function of its name.
    """
    import sympy

    expr = as_expr(expr)
    tables = _tables()
    built: dict[Expr, sympy.Basic] = {}
    order = topological(expr)
    held: set[Expr] = set()     # nodes that hold a huge power: SymPy must not evaluate them
    if evaluate:
        moving = varying(order, [node for node in order if type(node) is Var])
        held = {node for node in order
                if type(node) is Pow and huge_power(node, node.args[1] not in moving)}
        held = varying(order, held)
    for node in order:
        kind = type(node)
        if kind is Const:
            built[node] = _sympy_number(node.value)
        elif kind is Var:
            built[node] = sympy.Symbol(node.name, real=True)
        elif kind is Constant:
            built[node] = tables.constants[node.name]
        elif kind is AppliedFunction:
            built[node] = applied_to_sympy(node, [built[a] for a in node.args])
        else:
            builder = _BUILDERS.get(kind) or tables.arithmetic.get(kind)
            if builder is None:
                if not issubclass(kind, Function):
                    raise ConversionError(f"symdiff's {kind.__name__} has no SymPy counterpart")
                builder = _BUILDERS.setdefault(kind, _make_builder(kind))
            built[node] = builder(*(built[a] for a in node.args),
                                  evaluate=evaluate and node not in held
                                  and not _factored(node))
    return built[expr]


# ------------------------------------------------------------------------ from SymPy
def _fold(cls, args):
    """SymPy's Max and Min take any number of arguments; symdiff's take two."""
    result = args[0]
    for arg in args[1:]:
        result = cls(result, arg)
    return result


def _heaviside(u, h0=Fraction(1, 2)):
    """Heaviside(u, H0) is step(u) away from 0 and H0 at 0 (SymPy's default H0 is 1/2)."""
    step = FUNCTIONS["step"]
    return Add(step(u), Mul(h0, Add(1, Mul(-1, FUNCTIONS["abs"](FUNCTIONS["sign"](u))))))


def _log(u, base=None):
    log = FUNCTIONS["log"]
    return log(u) if base is None else Mul(log(u), Pow(log(base), -1))




@functools.lru_cache(maxsize=8)
def _patterns(count: int) -> dict:
    """SymPy class -> [(function, operands)] for the declared forms that name a SymPy class,
    forms with more constants first (Max(u, 0) is relu before it is max). ``count`` is the
    number of declared functions: functions are only ever added, so it dates the table."""
    import sympy

    table: dict = {}
    for kind in list(FUNCTIONS.values()):
        if kind.spec.sympy:
            name, operands = call_form(kind.spec.sympy, kind.spec.params)
            head = getattr(sympy, name)
            if isinstance(head, type):
                table.setdefault(head, []).append((kind, operands))
    for candidates in table.values():
        candidates.sort(key=lambda c: -sum(type(o) is str for o in c[1]))
    return table


def _bind(operands, args, unordered: bool):
    """The symdiff arguments for a form's operands, or None if the constants differ."""
    if len(operands) != len(args):
        return None
    for order in ([args, args[::-1]] if unordered and len(args) == 2 else [args]):
        bound = {}
        for operand, arg in zip(operands, order):
            if type(operand) is str:
                if arg is not Const(int(operand) if operand.lstrip("-").isdigit()
                                    else float(operand)):
                    break
            else:
                bound[operand] = arg
        else:
            return [bound[i] for i in range(len(bound))]
    return None


def _undefined(head) -> type | None:
    """The function an undefined SymPy function stands for, by name."""
    from sympy.core.function import UndefinedFunction

    if isinstance(head, UndefinedFunction):
        return FUNCTIONS.get(head.__name__)
    return None


def _known(head) -> bool:
    tables = _tables()
    return (head in tables.from_arithmetic or head in _OWN or head in tables.fallbacks
            or head in _patterns(len(FUNCTIONS)) or is_undefined_head(head))


def _factored(node: Expr) -> bool:
    """A number times a sum kept as a product (``2*(x + y)``, ``held_product``): SymPy would
    distribute it, so it is built unevaluated, and read back as the same node."""
    return (type(node) is Mul and len(node.args) == 2 and type(node.args[0]) is Const
            and type(node.args[1]) is Add)


def _from_call(node: sympy.Basic, args: list[Expr]) -> Expr:
    head, tables = type(node), _tables()
    if (head is tables.arithmetic[Mul] and len(args) == 2 and type(args[0]) is Const
            and type(args[1]) is Add):
        return held_product(args[0].value, args[1])
    if head in tables.from_arithmetic:
        return tables.from_arithmetic[head](*args)
    kind = _OWN.get(head) or _undefined(head)
    if kind is not None:
        return kind(*args)
    if is_undefined_head(head):                  # a function symdiff has not declared
        return applied_from_sympy(head.__name__, args)
    for kind, operands in _patterns(len(FUNCTIONS)).get(head, ()):
        bound = _bind(operands, args, head in tables.unordered)
        if bound is not None:
            return kind(*bound)
    if head in tables.fallbacks:
        return tables.fallbacks[head](*args)
    raise ConversionError(f"SymPy's {head.__name__} with {len(args)} arguments has no "
                          "symdiff counterpart")


def _leaf(node: sympy.Basic) -> Expr | None:
    """The symdiff node for a SymPy atom, None for a supported compound, else an error."""
    import sympy

    if isinstance(node, sympy.Integer):
        return Const(int(node))
    if isinstance(node, sympy.Rational):
        return Const(Fraction(int(node.p), int(node.q)))
    if isinstance(node, sympy.Float):
        return Const(float(node))                   # symdiff floats are doubles
    if node is sympy.pi:
        return PI
    if node is sympy.E:
        return E
    if isinstance(node, sympy.Dummy):
        return Var(dummy_name(node))
    if isinstance(node, sympy.Symbol):
        if not node.name.isidentifier():
            raise ConversionError(f"SymPy symbol {node.name!r} is not a valid variable name")
        return Var(node.name)
    if _known(type(node)):
        return None
    if node is sympy.I:
        raise ConversionError("SymPy's I has no counterpart: symdiff works over the reals")
    raise ConversionError(f"SymPy's {type(node).__name__} has no symdiff counterpart")


def from_sympy(expr) -> Expr:
    """The symdiff expression for a SymPy one (numbers are accepted as they are)."""
    import sympy

    if not isinstance(expr, sympy.Basic):
        return as_expr(expr)
    built: dict[int, Expr] = {}      # by id: hashing a deep SymPy tree could itself recurse
    plans: dict[int, tuple] = {}     # Derivative and Subs: what to convert, how to combine
    stack = [(expr, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in built:
            continue
        plan = plans.get(id(node))
        if children_done:
            children = node.args if plan is None else plan[0]
            converted = [built[id(a)] for a in children]
            built[id(node)] = _from_call(node, converted) if plan is None else plan[1](converted)
            continue
        plan = conversion_plan(node)
        if plan is None:
            leaf = _leaf(node)
            if leaf is not None:
                built[id(node)] = leaf
                continue
        else:
            plans[id(node)] = plan
        stack.append((node, True))
        stack.extend((a, False) for a in (node.args if plan is None else plan[0])
                     if id(a) not in built)
    return built[id(expr)]


provide("to_sympy", to_sympy)     # for the results' .to_sympy() (calculus.results)
