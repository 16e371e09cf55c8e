"""Dual numbers and numeric forward mode: an oracle for the symbolic derivatives.

A dual number ``a + bε`` with ``ε² = 0`` carries a value and a derivative at once:
``(3 + 4ε)(5 + 7ε) = 15 + 41ε``, and ``f(a + bε) = f(a) + f'(a)·bε``. Evaluating a formula
on duals seeded with a direction gives its value and its directional derivative, exactly up
to float rounding, without building any derivative expression.

``NUMERIC_PARTIALS`` is written here on purpose, not derived from ``derivatives.py``: an
oracle that shared the symbolic table would repeat its mistakes. Its formulas are often
different forms of the same derivative (tan' = 1/cos², not 1 + tan²). The numeric reverse
mode in ``tape.py`` uses this same table.
"""
from __future__ import annotations

import math

from ..core.errors import EvaluationError
from ..core.nodes import Add, Constant, Expr, Mul, Pow, Var
from ..core.functions import (Abs, Acos, Acosh, Asin, Asinh, Atan, Atanh, Cos, Cosh, Cot, Csc, Exp,
                        Log, Max, Min, Relu, Sec, Sign, Sin, Sinh, Step, Tan, Tanh)
from ..core.walk import topological
from .evaluate import _describe, _point, _power


class Dual:
    """``value + eps·ε`` with ``ε² = 0``; arithmetic with duals and plain numbers on either
    side carries the derivative in ``eps`` by the sum, product, quotient and power rules."""

    __slots__ = ("value", "eps")

    def __init__(self, value, eps=0):
        self.value, self.eps = value, eps

    def __repr__(self):
        return f"Dual({self.value!r}, {self.eps!r})"

    def __add__(self, other):
        other = _dual(other)
        return Dual(self.value + other.value, self.eps + other.eps)

    def __sub__(self, other):
        other = _dual(other)
        return Dual(self.value - other.value, self.eps - other.eps)

    def __mul__(self, other):
        other = _dual(other)
        return Dual(self.value * other.value, self.eps * other.value + self.value * other.eps)

    def __truediv__(self, other):
        other = _dual(other)
        quotient = self.value / other.value
        return Dual(quotient, (self.eps - quotient * other.eps) / other.value)

    def __pow__(self, other):
        """``a^b``: d = b·a^(b-1)·da + a^b·log(a)·db; a term whose tangent is 0 is left out,
        so ``(-2 + ε)^3`` needs no log of a negative number."""
        other = _dual(other)
        value = _real_power(self.value, other.value)
        eps = 0
        if self.eps and other.value != 0:          # d(a^0)/da = 0, even at a = 0
            eps += other.value * _real_power(self.value, other.value - 1) * self.eps
        if other.eps:
            eps += value * math.log(self.value) * other.eps
        return Dual(value, eps)

    def __radd__(self, other):
        return _dual(other) + self

    def __rsub__(self, other):
        return _dual(other) - self

    def __rmul__(self, other):
        return _dual(other) * self

    def __rtruediv__(self, other):
        return _dual(other) / self

    def __rpow__(self, other):
        return _dual(other) ** self

    def __neg__(self):
        return Dual(-self.value, -self.eps)

    def __pos__(self):
        return self

    def __abs__(self):
        """d|u| = sign(u)·du, 0 at u = 0 (symdiff's convention at the kink)."""
        return Dual(abs(self.value), _sign(self.value) * self.eps)

    def __eq__(self, other):
        """Equal value and equal derivative; a plain number is a dual with derivative 0."""
        if isinstance(other, (Dual, int, float)):
            other = _dual(other)
            return self.value == other.value and self.eps == other.eps
        return NotImplemented

    def __hash__(self):
        return hash(self.value) if self.eps == 0 else hash((self.value, self.eps))

    # Order compares values only: enough for max, min and sorting, as for functions of them.
    def __lt__(self, other):
        return self.value < _dual(other).value

    def __le__(self, other):
        return self.value <= _dual(other).value

    def __gt__(self, other):
        return self.value > _dual(other).value

    def __ge__(self, other):
        return self.value >= _dual(other).value


def _dual(x) -> Dual:
    return x if isinstance(x, Dual) else Dual(x, 0)


def _real_power(base, exponent):
    """``base ** exponent`` as a real number (Python would return a complex one)."""
    result = base ** exponent
    if isinstance(result, complex):
        raise ValueError(f"{base!r} ** {exponent!r} is not real: a negative base with a "
                         "non-integer exponent")
    return result


def _sign(u: float) -> float:
    return float((u > 0) - (u < 0))


def _sech2(u: float) -> float:
    """1/cosh(u)², 0 past the point where cosh(u)² overflows (the true value is < 1e-307)."""
    return 1 / math.cosh(u) ** 2 if abs(u) < 354 else 0.0


def _pow(a: float, b: float) -> float:
    """a^b for a local partial of a power, refusing what numeric evaluation refuses."""
    if a == 0 and b < 0:
        raise ZeroDivisionError("a zero base with a negative exponent divides by zero")
    if a < 0 and not float(b).is_integer():
        raise ValueError("a negative base with a non-integer exponent is not real")
    return math.pow(a, b)


def _log(a: float) -> float:
    if a <= 0:
        raise ValueError("the log of a base that is not positive is not real")
    return math.log(a)


#: d f / d argument as floats, one line per function; a tuple has one partial per argument.
#: Kinks follow derivatives.py's conventions: |u|' = sign(u), relu' = step(u), ties of max
#: and min split half and half, sign' = step' = 0.
NUMERIC_PARTIALS = {
    Sin:   math.cos,
    Cos:   lambda u: -math.sin(u),
    Tan:   lambda u: 1 / math.cos(u) ** 2,
    Sec:   lambda u: math.sin(u) / math.cos(u) ** 2,
    Csc:   lambda u: -math.cos(u) / math.sin(u) ** 2,
    Cot:   lambda u: -1 / math.sin(u) ** 2,
    Asin:  lambda u: 1 / math.sqrt((1 - u) * (1 + u)),
    Acos:  lambda u: -1 / math.sqrt((1 - u) * (1 + u)),
    Atan:  lambda u: 1 / (1 + u * u),
    Sinh:  math.cosh,
    Cosh:  math.sinh,
    Tanh:  _sech2,
    Asinh: lambda u: 1 / math.hypot(u, 1),
    Acosh: lambda u: 1 / math.sqrt((u - 1) * (u + 1)),
    Atanh: lambda u: 1 / ((1 - u) * (1 + u)),
    Exp:   math.exp,
    Log:   lambda u: 1 / u,
    Abs:   _sign,
    Sign:  lambda u: 0.0,
    Step:  lambda u: 0.0,
    Relu:  lambda u: 1.0 if u > 0 else 0.0,
    Pow:   (lambda a, b: b * _pow(a, b - 1),          lambda a, b: _pow(a, b) * _log(a)),
    Max:   (lambda a, b: (1 + _sign(a - b)) / 2,      lambda a, b: (1 - _sign(a - b)) / 2),
    Min:   (lambda a, b: (1 - _sign(a - b)) / 2,      lambda a, b: (1 + _sign(a - b)) / 2),
}


def local_partial(node: Expr, index: int, args: list[float]) -> float:
    """d node / d args[index] at the argument values ``args`` (a function or a power).

    A point where the node has a value but no derivative (sqrt at 0, asin at 1) is an
    ``EvaluationError`` that names the node.
    """
    rule = NUMERIC_PARTIALS[type(node)]
    try:
        partial = rule(*args) if len(args) == 1 else rule[index](*args)
    except (ValueError, ZeroDivisionError) as error:
        shown = ", ".join(f"{a:g}" for a in args)
        raise EvaluationError(f"the derivative of {_describe(node)} is undefined here "
                              f"({error}), at {shown}") from None
    except OverflowError:
        raise EvaluationError(f"the derivative of {_describe(node)} overflows a float") from None
    return float(partial)


def leaf_value(node: Expr, point: dict[str, float]) -> float:
    """The value of a number, named constant or variable, with numeric.evaluate's errors."""
    kind = type(node)
    if kind is Var:
        if node.name not in point:
            given = ", ".join(sorted(point)) or "none"
            raise EvaluationError(f"no value for variable '{node.name}' (given: {given})")
        return point[node.name]
    if kind is Constant:
        return node.value
    try:
        return float(node.value)
    except OverflowError:
        raise EvaluationError(f"the constant {_describe(node)} is too large for a float") from None


def node_value(node: Expr, args: list[float]) -> float:
    """The value of a sum, product, power or function from its arguments' values: the same
    float, and the same errors, as ``numeric.evaluate``."""
    kind = type(node)
    if kind is Add:
        try:
            return math.fsum(args)
        except OverflowError:
            raise EvaluationError(f"{_describe(node)} overflows a float") from None
    if kind is Mul:
        return math.prod(args)
    if kind is Pow:
        return _power(node, args[0], args[1])
    try:
        return node.real(*args)
    except (ValueError, ZeroDivisionError) as error:
        need = f"{node.name} needs {node.domain}" if node.domain else str(error)
        shown = ", ".join(f"{a:g}" for a in args)
        raise EvaluationError(f"{_describe(node)} is undefined here: {need}, got {shown}") from None
    except OverflowError:
        raise EvaluationError(f"{_describe(node)} overflows a float") from None


def tangent_sum(terms, node: Expr) -> float:
    """The sum of a node's derivative terms; an overflow is an EvaluationError naming it."""
    try:
        return math.fsum(terms)
    except (OverflowError, ValueError):        # inf - inf, or a sum past the float range
        raise EvaluationError(f"the derivative of {_describe(node)} overflows a float") from None


def finite(value: float, what: str) -> float:
    """``value``, or an EvaluationError when it is inf or nan (an overflow on the way)."""
    if not math.isfinite(value):
        raise EvaluationError(f"{what} is not finite ({value}): it overflows a float")
    return value


def evaluate_dual(expr: Expr, point, direction) -> tuple[float, float]:
    """(value, directional derivative) of ``expr`` at ``point`` in ``direction``, from one
    forward pass over the DAG on dual numbers (children first, no recursion).

    ``point`` and ``direction`` map names (or Vars) to numbers; variables missing from
    ``direction`` stay put. A derivative term whose tangent is 0 is never evaluated, as on
    paper: d/dx of x + sqrt(y) at y = 0 is 1.
    """
    values = _point(point)
    speeds = _point(direction)
    dual_of: dict[Expr, Dual] = {}
    for node in topological(expr):
        kind = type(node)
        if not node.args:
            speed = speeds.get(node.name, 0.0) if kind is Var else 0.0
            dual_of[node] = Dual(leaf_value(node, values), speed)
            continue
        args = [dual_of[a] for a in node.args]
        value = node_value(node, [a.value for a in args])
        if kind is Add:
            eps = tangent_sum((a.eps for a in args), node)
        elif kind is Mul:
            product = args[0]
            for factor in args[1:]:
                product = product * factor          # the product rule, factor by factor
            eps = product.eps
        else:
            plain = [a.value for a in args]
            eps = tangent_sum((local_partial(node, i, plain) * a.eps
                               for i, a in enumerate(args) if a.eps), node)
        dual_of[node] = Dual(value, eps)
    result = dual_of[expr]
    return (finite(result.value, "the value"), finite(result.eps, "the derivative"))
