"""Evaluating an expression to a float at a point, children first, without recursion."""
from __future__ import annotations

import math

from ..core import exact
from ..core.errors import EvaluationError
from ..core.nodes import Add, Const, Constant, Expr, Mul, Pow, Var, provide
from ..core.walk import topological
from ..printing.text import to_text


def _point(values) -> dict[str, float]:
    point = {}
    for key, value in values.items():
        name = key.name if isinstance(key, Var) else key
        try:
            number = exact.as_number(value)
            point[name] = float(number)
        except (TypeError, OverflowError) as error:
            raise EvaluationError(f"value for {name!r} is not a real number: {error}") from None
    return point


def _describe(node: Expr) -> str:
    return to_text(node, max_length=60)


def _power(node: Expr, base: float, exponent: float) -> float:
    if base == 0 and exponent < 0:
        raise EvaluationError(f"{_describe(node)} divides by zero")
    if base < 0 and not float(exponent).is_integer():
        raise EvaluationError(f"{_describe(node)} is not real: a negative base ({base:g}) "
                              f"with a non-integer exponent ({exponent:g})")
    try:
        return math.pow(base, exponent)
    except OverflowError:
        raise EvaluationError(f"{_describe(node)} overflows a float") from None


def evaluate(expr: Expr, values) -> float:
    """The value of ``expr`` with ``values`` (names or Vars to numbers) substituted.

    Raises ``EvaluationError`` for a missing variable, a point outside the domain
    (``log(-1)``, ``sqrt(-4)``, ``1/0``) or a result too large for a float.
    """
    point = _point(values)
    value_of: dict[Expr, float] = {}
    for node in topological(expr):
        kind = type(node)
        if kind is Const:
            try:
                value = float(node.value)
            except OverflowError:
                raise EvaluationError(f"the constant {_describe(node)} is too large "
                                      "for a float") from None
        elif kind is Var:
            if node.name not in point:
                given = ", ".join(sorted(point)) or "none"
                raise EvaluationError(f"no value for variable '{node.name}' (given: {given})")
            value = point[node.name]
        elif kind is Constant:
            value = node.value
        elif kind is Add:
            try:
                value = math.fsum(value_of[a] for a in node.args)
            except OverflowError:
                raise EvaluationError(f"{_describe(node)} overflows a float") from None
        elif kind is Mul:
            value = math.prod(value_of[a] for a in node.args)
        elif kind is Pow:
            value = _power(node, value_of[node.args[0]], value_of[node.args[1]])
        else:
            args = [value_of[a] for a in node.args]
            try:
                value = node.real(*args)
            except (ValueError, ZeroDivisionError) as error:
                need = f"{node.name} needs {node.domain}" if node.domain else str(error)
                shown = ", ".join(f"{a:g}" for a in args)
                raise EvaluationError(f"{_describe(node)} is undefined here: {need}, "
                                      f"got {shown}") from None
            except OverflowError:
                raise EvaluationError(f"{_describe(node)} overflows a float") from None
        value_of[node] = value
    result = value_of[expr]
    if not math.isfinite(result):
        raise EvaluationError(f"the value is not finite ({result}): it overflows a float")
    return result


provide("evaluate", evaluate)
