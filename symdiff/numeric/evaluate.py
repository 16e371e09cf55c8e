"""The one evaluator: a formula's value at a point, children first, without recursion.

Reading a point, the value of a leaf, the value of a node from its arguments' values, and
their error messages live here and nowhere else, so dual numbers, the tape, finite
differences and ``explain`` compute the same floats as ``evaluate`` and fail with its words.

``evaluate`` is the careful reference, and compiled code (``lambdify``, ``--points``,
``--format python``) is plain IEEE arithmetic; they agree except at the edges:

- a sum: ``evaluate`` adds with ``math.fsum`` (exact, then rounded once), compiled code adds
  the terms in order, so a sum that cancels (``1e16 + 1 - 1e16``) may differ in its last
  digits, or even in all of them;
- an overflow: ``evaluate`` raises ``EvaluationError`` where a value, on the way or at the
  end, is past the float range (``x/4.9e-324`` divides by a power that overflows), and
  where a value is undefined (``log(-1)``, ``0^-1``); compiled NumPy code gives inf or nan
  there (the ``math`` backend raises Python's own errors), and ``--points`` leaves such
  cells empty.
"""
from __future__ import annotations

import math

from ..core import exact
from ..core.errors import EvaluationError
from ..core.functions import Function
from ..core.nodes import Add, Const, Constant, Expr, Mul, Pow, Var, provide
from ..core.undefined import AppliedFunction
from ..core.walk import by_kind, fold, topological
from ..printing.text import to_text


def read_point(values, names=None) -> dict[str, float]:
    """A point (names or Vars to numbers, exact ones included) as names to floats.

    With ``names`` (the variables a formula uses), only their values are read, so that
    evaluating a small formula at a point of 10,000 coordinates does not read them all (a
    name the point lacks is left out here, and reported by the evaluator that needs it)."""
    if names is None:
        pairs = ((key.name if isinstance(key, Var) else key, value)
                 for key, value in values.items())
    else:
        pairs = ((name, _lookup(values, name)) for name in names)
    point = {}
    for name, value in pairs:
        if value is _ABSENT:
            continue
        if type(value) is float:
            point[name] = value
            continue
        try:
            point[name] = float(exact.as_number(value))
        except (TypeError, OverflowError) as error:
            raise EvaluationError(f"value for {name!r} is not a real number: {error}") from None
    return point


_ABSENT = object()


def _lookup(values, name: str):
    """The value ``values`` gives the variable ``name``, keyed by name or by ``Var``."""
    value = values.get(name, _ABSENT)
    return values.get(Var(name), _ABSENT) if value is _ABSENT else value


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
    problem = exact.undefined_power(base, exponent)
    if problem == "zero":
        raise EvaluationError(f"{describe(node)} divides by zero")
    if problem == "negative":
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


def no_value(node: AppliedFunction) -> EvaluationError:
    """The error for a call of an undefined function: it has no formula, so no value."""
    what = (f"{describe(node)} is a derivative of {node.name}, an undefined function"
            if node.is_derivative else f"{node.name} is an undefined function")
    return EvaluationError(f"{what}: it has no value; give it a formula with "
                           "define_function, or replace it with substitute_function")


def _undefined_value(node: AppliedFunction, args: list[float]) -> float:
    raise no_value(node)


_COMPOUND = {Add: _sum_value, Mul: _product_value, Pow: _power_value, Function: _call_value,
             AppliedFunction: _undefined_value}

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
    (``log(-1)``, ``sqrt(-4)``, ``1/0``) or a result too large for a float. Only the
    values of the variables ``expr`` uses are read: the work is linear in the formula,
    however many coordinates the point has.
    """
    return evaluate_all([expr], values)[0]


def evaluate_all(exprs: list[Expr], values, describe_entry=None) -> list[float]:
    """The value of each of ``exprs`` at one point, in one memoised fold: shared
    subexpressions and the point are read once, however many entries a gradient or Hessian
    has. ``describe_entry(i)``, if given, names entry ``i`` in its error messages."""
    exprs = list(exprs)
    order = topological(exprs)
    undefined = next((node for node in order if type(node) is AppliedFunction), None)
    if undefined is not None:
        raise no_value(undefined)
    names = [node.name for node in order if type(node) is Var]
    point = read_point(values, names)
    for name in names:
        if name not in point:
            raise missing_variable(name, [k.name if isinstance(k, Var) else k for k in values])
    step, memo, results = value_step(point), {}, []
    for i, expr in enumerate(exprs):
        try:
            results.append(finite(fold(expr, step, memo)[expr], "the value"))
        except EvaluationError as error:
            if describe_entry is None:
                raise
            raise EvaluationError(f"{describe_entry(i)} cannot be evaluated here: "
                                  f"{error}") from None
    return results


provide("evaluate", evaluate)
