"""Expressions: the base class of every node, and the leaves (numbers, variables, named
constants).

There is one object per distinct expression (``core.intern``), so ``a is b`` exactly when
``a`` and ``b`` are the same formula, shared subexpressions make a DAG for free, and the hash
is the identity hash. Nodes never change.

Python's operators build sums, products and powers (``core.sums``, ``core.products``,
``core.powers``). Those classes are ``Expr``s, so this module cannot import them: each says
in its class statement which operator builds it (``class Add(Expr, operator="+")``), and the
operators look the class up when they run.
"""
from __future__ import annotations

import math
import numbers

from . import exact
from .errors import EvaluationError
from .intern import Node, create, intern, lookup
from .names import normal_name
from .order import RANK_CONST, RANK_CONSTANT, RANK_VAR, SIGNATURE_LENGTH, mix, tag
from .services import service

#: The class each arithmetic operator builds: "+" a sum, "*" a product, "^" a power.
_OPERATOR_CLASS: dict[str, type] = {}


class Expr(Node):
    """Base class of all nodes. ``args`` holds the children; nodes never change."""

    __slots__ = ()

    def __init_subclass__(cls, operator: str | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        if operator is not None:
            if operator in _OPERATOR_CLASS:
                raise TypeError(f"{operator!r} already builds {_OPERATOR_CLASS[operator].__name__}")
            _OPERATOR_CLASS[operator] = cls

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} expressions are immutable")

    __delattr__ = __setattr__

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        """Pickled as its text, read back by the parser (with the undefined functions it
        calls named), which gives the one node of that formula in the reading process."""
        return service("pickled")(self)

    # -- Python operators build expressions; the reflected ones reuse the core ones --
    def __add__(self, other):
        return _OPERATOR_CLASS["+"](self, other)

    def __radd__(self, other):
        return _OPERATOR_CLASS["+"](other, self)

    def __sub__(self, other):
        return _OPERATOR_CLASS["+"](self, _OPERATOR_CLASS["*"](-1, other))

    def __rsub__(self, other):
        return _OPERATOR_CLASS["+"](other, _OPERATOR_CLASS["*"](-1, self))

    def __mul__(self, other):
        return _OPERATOR_CLASS["*"](self, other)

    def __rmul__(self, other):
        return _OPERATOR_CLASS["*"](other, self)

    def __truediv__(self, other):
        return _OPERATOR_CLASS["*"](self, _OPERATOR_CLASS["^"](other, -1))

    def __rtruediv__(self, other):
        return _OPERATOR_CLASS["*"](other, _OPERATOR_CLASS["^"](self, -1))

    def __pow__(self, other):
        return _OPERATOR_CLASS["^"](self, other)

    def __rpow__(self, other):
        return _OPERATOR_CLASS["^"](other, self)

    def __neg__(self):
        return _OPERATOR_CLASS["*"](-1, self)

    def __pos__(self):
        return self

    # -- the public API; each method delegates to the layer that owns the concern, which
    # -- registers itself with ``provide`` (the core never imports the layers above it)
    def __str__(self):
        return service("text")(self)

    def __repr__(self):
        return f"<{type(self).__name__} {service('text')(self, max_length=200)}>"

    def to_str(self, power: str = "^") -> str:
        """Infix text; ``power="**"`` gives Python syntax."""
        return service("text")(self, power=power)

    def to_latex(self) -> str:
        return service("latex")(self)

    def _repr_latex_(self) -> str:
        """LaTeX for notebooks (Jupyter shows expressions typeset)."""
        return f"${service('latex')(self)}$"

    def evaluate(self, values=None, /, **kwargs):
        """The real value at a point: ``e.evaluate({"x": 3})`` or ``e.evaluate(x=3)`` (the
        mapping is positional-only, so variables named ``self`` or ``values`` can be given
        by keyword). With NumPy arrays among the values, an array: the value elementwise,
        computed by compiled NumPy code (``symdiff.lambdify``, cached per expression and
        variables), where a point outside the domain gives nan or inf, not an error."""
        if kwargs:
            values = {**(values or {}), **kwargs}
        values = values or {}                # not copied: a point may be large
        try:
            return service("evaluate")(self, values)
        except EvaluationError:
            # Reading an array as a number fails before any arithmetic: only then is the
            # point searched for arrays, so a point of many numbers is not read twice.
            if not any(hasattr(v, "ndim") and not isinstance(v, numbers.Number)
                       for v in values.values()):
                raise
        return service("values_at")(self, values)

    def __call__(self, values=None, /, **kwargs):
        """``e(x=2, y=3)`` or ``e({"x": 2})``: ``e.evaluate``."""
        return self.evaluate(values, **kwargs)

    def __float__(self) -> float:
        """The value of an expression without variables (``float(sqrt(2)*pi)``); one with
        variables is a TypeError that names them (use ``evaluate``)."""
        names = self.free_vars
        if names:
            raise TypeError(f"cannot convert {service('text')(self, max_length=60)} to float: "
                            f"it has variables ({', '.join(names)}); use .evaluate(...)")
        return float(service("evaluate")(self, {}))

    def gradient(self, var) -> "Expr":
        """The partial derivative with respect to ``var`` (a ``Var`` or a name): the same node
        as the matching entry of ``symdiff.gradient(self, [..., var, ...])``."""
        return service("gradient")(self, [var])[0]

    def diff(self, *vars) -> "Expr":
        """``symdiff.diff(self, *vars)``: repeated partial derivatives (``e.diff("x", 2)``)."""
        return service("diff")(self, *vars)

    def subs(self, mapping=None, /, **kwargs) -> "Expr":
        """Every occurrence of each key replaced by its value, all at once (so ``x -> y,
        y -> x`` swaps): ``e.subs(x=2)``, ``e.subs({Var("x"): Var("y") + 1})``,
        ``e.subs({"x": "y^2"})``. A key is a name, a ``Var`` or any subexpression; a value a
        number, an ``Expr`` or a formula's text (parsed, never run)."""
        return service("substitute")(self, _substitutions({**(mapping or {}), **kwargs}))

    @property
    def free_vars(self) -> tuple[str, ...]:
        """The names of the variables in the expression, in natural order (x2 before x10)."""
        return service("free_vars")(self)

    # -- hooks for the arithmetic constructors: a node may know a cheaper form --
    def _power_of(self, exponent) -> "Expr | None":
        """For ``Pow``: this node's power, when it has a cheaper form (exp(a)^b = exp(a*b))."""
        return None

    def _times_number(self, coefficient) -> "Expr | None":
        """For ``Mul``: this node times a number other than 0 and 1, when that has a cheaper
        form (a short sum takes the number into its terms)."""
        return None


def _substitutions(mapping) -> dict:
    """Keys as nodes (a name means that variable), values as nodes (text is parsed as a
    formula). A key given twice (``"x"`` and ``Var("x")``) with two values is a ValueError."""
    result: dict = {}
    for key, value in mapping.items():
        node = Var(key) if isinstance(key, str) else as_expr(key)
        value = service("parse")(value) if isinstance(value, str) else as_expr(value)
        if result.get(node, value) is not value:
            raise ValueError(f"two values for {service('text')(node, max_length=60)} in one "
                             f"substitution: {result[node]} and {value}")
        result[node] = value
    return result


def as_expr(value) -> Expr:
    """Accept an ``Expr`` or a number; anything else is a TypeError (text goes through ``parse``)."""
    if isinstance(value, Expr):
        return value
    if isinstance(value, str):
        raise TypeError(f"use symdiff.parse({value!r}) to turn text into an expression")
    return Const(value)


class Const(Expr):
    """A number: int or Fraction (exact) or float."""

    __slots__ = ("value",)

    def __new__(cls, value):
        kind = type(value)
        if kind is int or kind is float:          # the common case: already interned
            node = lookup((Const, kind, value))
            if node is not None:
                return node
        value = exact.within_budget(exact.as_number(value))
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"a constant must be a finite number, not {value}")
        key = (Const, type(value), value)
        node = lookup(key)
        if node is not None:
            return node
        short = exact.bits(value) < 64       # str() of a long number is slow: no signature
        sort_key = (RANK_CONST, str(value)[:SIGNATURE_LENGTH] if short else "",
                    mix(1, (type(value).__name__ == "float", value)))
        return create(cls, key, (), sort_key, 0.0, value=value)

    @property
    def is_exact(self) -> bool:
        return exact.is_exact(self.value)


class Var(Expr):
    """A variable, known by its name: any name the parser reads as a variable (``core.names``),
    so that every variable prints as text that parses back to it."""

    __slots__ = ("name",)

    def __new__(cls, name: str):
        node = lookup((Var, name)) if type(name) is str else None
        if node is not None:                # the common case: a name in use, already checked
            return node
        name = normal_name(name)            # NFKC, and a name the parser reads as a variable
        sort_key = (RANK_VAR, name[:SIGNATURE_LENGTH], mix(tag("Var"), (tag(name), len(name))))
        return intern(cls, (Var, name), (), sort_key, 1.0, name=name)


class Constant(Expr):
    """A named mathematical constant (``pi``, ``e``) kept exact."""

    __slots__ = ("name", "value")

    def __new__(cls, name: str, value: float):
        sort_key = (RANK_CONSTANT, name, mix(tag("Constant"), (tag(name),)))
        return intern(cls, (Constant, name), (), sort_key, 0.0, name=name, value=value)

    def _power_of(self, exponent):
        rewrite = POWER_OF_CONSTANT.get(self.name)
        return None if rewrite is None else rewrite(exponent)


#: Named constants whose powers have a cheaper form, by name: "e" -> exp (registered by the
#: function declarations, which sit above the nodes).
POWER_OF_CONSTANT: dict = {}


PI = Constant("pi", 3.141592653589793)
E = Constant("e", 2.718281828459045)

ZERO, ONE, MINUS_ONE = Const(0), Const(1), Const(-1)
