"""The one evaluator: a formula's value at a point, children first, without recursion.

Reading a point, the value of a leaf, the value of a node from its arguments' values, and
their error messages live here and nowhere else, so dual numbers, the tape, finite
differences and ``explain`` compute the same floats as ``evaluate`` and fail with its words.
"""
from __future__ import annotations

import math

from ..core import exact
from ..core.errors import EvaluationError
from ..core.functions import Function
from ..core.nodes import Add, Const, Constant, Expr, Mul, Pow, Var, provide
from ..core.walk import by_kind, fold
from ..printing.text import to_text


def read_point(values) -> dict[str, float]:
    """A point (names or Vars to numbers, exact ones included) as names to floats."""
    point = {}
    for key, value in values.items():
        name = key.name if isinstance(key, Var) else key
        try:
            number = exact.as_number(value)
            point[name] = float(number)
        except (TypeError, OverflowError) as error:
            raise EvaluationError(f"value for {name!r} is not a real number: {error}") from None
    return point


def describe(node: Expr) -> str:
    """A node as error messages name it: its text, cut short."""
    return to_text(node, max_length=60)


def missing_variable(name: str, point) -> EvaluationError:
    """The error for a variable that ``point`` (names to values) gives no value for."""
    given = ", ".join(sorted(point)) or "none"
    return EvaluationError(f"no value for variable '{name}' (given: {given})")


def overflow(node: Expr) -> EvaluationError:
    """The error for a node whose value is past the float range."""
    return EvaluationError(f"{describe(node)} overflows a float")


def finite(value: float, what: str) -> float:
    """``value``, or an EvaluationError when it is inf or nan (an overflow on the way)."""
    if not math.isfinite(value):
        raise EvaluationError(f"{what} is not finite ({value}): it overflows a float")
    return value


def leaf_value(node: Expr, point: dict[str, float]) -> float:
    """The value of a number, named constant or variable (``point``: names to floats)."""
    kind = type(node)
    if kind is Var:
        if node.name not in point:
            raise missing_variable(node.name, point)
        return point[node.name]
    if kind is Constant:
        return node.value
    try:
        return float(node.value)
    except OverflowError:
        raise EvaluationError(f"the constant {describe(node)} is too large for a float") from None


def power(node: Expr, base: float, exponent: float) -> float:
    """``base ^ exponent`` as a real float, for the power ``node`` (named in the errors)."""
    if base == 0 and exponent < 0:
        raise EvaluationError(f"{describe(node)} divides by zero")
    if base < 0 and not float(exponent).is_integer():
        raise EvaluationError(f"{describe(node)} is not real: a negative base ({base:g}) "
                              f"with a non-integer exponent ({exponent:g})")
    try:
        return math.pow(base, exponent)
    except OverflowError:
        raise overflow(node) from None


def _sum_value(node: Add, args: list[float]) -> float:
    try:
        return math.fsum(args)
    except OverflowError:
        raise overflow(node) from None


def _product_value(node: Mul, args: list[float]) -> float:
    return math.prod(args)


def _power_value(node: Pow, args: list[float]) -> float:
    return power(node, args[0], args[1])


def _call_value(node: Function, args: list[float]) -> float:
    try:
        return node.real(*args)
    except (ValueError, ZeroDivisionError) as error:
        need = f"{node.name} needs {node.domain}" if node.domain else str(error)
        shown = ", ".join(f"{a:g}" for a in args)
        raise EvaluationError(f"{describe(node)} is undefined here: {need}, got {shown}") from None
    except OverflowError:
        raise overflow(node) from None


_COMPOUND = {Add: _sum_value, Mul: _product_value, Pow: _power_value, Function: _call_value}

#: ``node_value(node, args)``: the value of a sum, product, power or function from its
#: arguments' values (the float sum is exact to the last bit: ``math.fsum``).
node_value = by_kind(_COMPOUND)


def value_step(point: dict[str, float]):
    """A ``core.walk.fold`` step giving every node its value at ``point`` (names to floats,
    from ``read_point``): leaves by ``leaf_value``, the others by ``node_value``."""
    def leaf(node: Expr, args: list[float]) -> float:
        return leaf_value(node, point)

    return by_kind({**_COMPOUND, Var: leaf, Const: leaf, Constant: leaf})


def evaluate(expr: Expr, values) -> float:
    """The value of ``expr`` with ``values`` (names or Vars to numbers) substituted.

    Raises ``EvaluationError`` for a missing variable, a point outside the domain
    (``log(-1)``, ``sqrt(-4)``, ``1/0``) or a result too large for a float.
    """
    return finite(fold(expr, value_step(read_point(values)))[expr], "the value")


provide("evaluate", evaluate)
