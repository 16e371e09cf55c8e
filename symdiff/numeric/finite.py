"""Central finite differences with Richardson extrapolation: an oracle that knows no rules.

Finite differences only evaluate the formula, so they share nothing with any derivative
table; the price is accuracy. A central difference (f(x+h) - f(x-h)) / 2h is off by about
h²·f'''/6 (truncation) plus eps·|f|/h (rounding); the step h = eps^(1/3)·max(1, |x|) balances
the two for an ordinary f. Richardson extrapolation, (4·D(h) - D(2h)) / 3, cancels the h²
term. What that buys: on functions that vary on a short scale (sin(40x), exp(5x),
1/(x² + 0.01)) the plain difference is off by up to ~4e-8 relative, the extrapolated one by
~2e-11, about the rounding floor; elsewhere it costs nothing noticeable. Second derivatives
use h = eps^(1/4)·max(1, |x|), the balance for second differences, and the same
extrapolation.

Differences divide by the distance actually stepped between the two floats (x + h) and
(x - h), not by 2h, so the rounding of the nudged coordinates does not count as error.
"""
from __future__ import annotations

import math
import sys

from ..calculus.diff import as_vars
from ..core.errors import EvaluationError
from ..core.nodes import Expr, Var, as_expr
from ..core.walk import Upward, fold
from .evaluate import (describe, finite, missing_variable, node_value, read_point,
                       value_step)

EPS = sys.float_info.epsilon
GRADIENT_STEP = EPS ** (1 / 3)      # ~6.1e-6, relative to max(1, |x|)
HESSIAN_STEP = EPS ** (1 / 4)       # ~1.2e-4
#: Rounding in an error estimate: this many times eps·max|f| over the step (squared for
#: second differences). Generous, since f's own evaluation error can exceed eps·|f|.
ROUNDING_FACTOR = 10


def _offsets(x: float, relative: float) -> tuple[float, float]:
    """The coordinates a step of about ``relative``·max(1, |x|) above and below ``x``."""
    h = relative * max(1.0, abs(x))
    return x + h, x - h


class _Nudged:
    """The formula evaluated with some coordinates of the point moved, with an error that
    says which nudged point failed.

    The values at the point itself are computed once; a nudge recomputes only the nodes
    above the moved variables (their ancestors, children first), so the partials of a
    formula of n variables cost about its size, not n times it."""

    def __init__(self, expr: Expr, point: dict[str, float]):
        self.expr, self.point = expr, point
        self.largest = 0.0          # the largest |f| since the last reset, for rounding
        self.base: dict[Expr, float] | None = None

    def _prepare(self) -> None:
        self.upward = Upward(self.expr)
        self.base = fold(self.expr, value_step(self.point))

    def _moved_value(self, moved: dict[str, float]) -> float:
        above = self.upward.above(Var(name) for name in moved)
        new, base = {}, self.base
        for node in above:
            if type(node) is Var:
                new[node] = moved[node.name]
            else:
                new[node] = node_value(node, [new[a] if a in new else base[a]
                                              for a in node.args])
        return finite(new.get(self.expr, base[self.expr]), "the value")

    def __call__(self, moved: dict[str, float]) -> float:
        if self.base is None:
            self._prepare()         # evaluate's own errors, at the point itself
            finite(self.base[self.expr], "the value")
        try:
            value = self._moved_value(moved) if moved else self.base[self.expr]
            self.largest = max(self.largest, abs(value))
            return value
        except EvaluationError as error:
            at = {**self.point, **moved}
            if not moved:                   # the point itself: evaluate's own message
                raise
            where = ", ".join(f"{name} = {at[name]!r}" for name in moved)
            raise EvaluationError(f"finite differences need {describe(self.expr)} near the "
                                  f"point, but at {where} (a step away): {error}") from None


def _richardson(fine: float, coarse: float) -> float:
    """Extrapolate two O(h²) estimates at steps h and 2h to an O(h⁴) one."""
    value = fine + (fine - coarse) / 3
    if not math.isfinite(value):
        raise EvaluationError(f"finite differences overflow a float here ({fine}, {coarse})")
    return value


def _prepare(expr, point, vars):
    expr = as_expr(expr)
    names = [v.name for v in as_vars(expr.free_vars if vars is None else vars)]
    point = read_point(point)
    for name in names:
        if name not in point:
            raise missing_variable(name, point)
    return _Nudged(expr, point), names, point


def _first(f, name: str, up: float, down: float) -> float:
    """df / d name from the values a step above and below; dividing by the distance
    actually stepped (up - down), not the one intended, removes the steps' rounding."""
    return (f({name: up}) - f({name: down})) / (up - down)


def gradient_fd_with_errors(expr, point, vars=None) -> tuple[list[float], list[float]]:
    """``gradient_fd`` and, per entry, an error estimate: how far apart the differences with
    steps h and 2h are (about 3 times the plain difference's truncation error, which bounds
    the extrapolated value's where f is smooth at the scale of h), plus the rounding error,
    ~eps·|f|/h, which dominates where |f| is large next to its derivative. A large estimate
    means the value should not be trusted (f bends or oscillates within a step, or is huge)."""
    f, names, point = _prepare(expr, point, vars)
    f({})
    values, errors = [], []
    for name in names:
        x = point[name]
        f.largest = 0.0
        up, down = _offsets(x, GRADIENT_STEP)
        fine = _first(f, name, up, down)
        coarse = _first(f, name, *_offsets(x, 2 * GRADIENT_STEP))
        values.append(_richardson(fine, coarse))
        errors.append(abs(fine - coarse) + ROUNDING_FACTOR * EPS * f.largest / (up - down))
    return values, errors


def gradient_fd(expr, point, vars=None) -> list[float]:
    """Every partial derivative of ``expr`` at ``point`` by extrapolated central differences
    (four evaluations per variable). Accurate to ~1e-10 relative where f is smooth and not
    ill-conditioned; an ``EvaluationError`` when f is undefined within a step of the point."""
    return gradient_fd_with_errors(expr, point, vars)[0]


def _second(f, a: str, b: str, x: dict[str, float], step: float, centre: float) -> float:
    """d²f / da db by central second differences, steps of about ``step`` relative. The
    diagonal uses the three-point formula for unequal steps (exact for quadratics)."""
    up_a, down_a = _offsets(x[a], step)
    if a == b:
        above, below = up_a - x[a], x[a] - down_a
        return 2 * (f({a: up_a}) * below + f({a: down_a}) * above - centre * (above + below)) / (
            above * below * (above + below))
    up_b, down_b = _offsets(x[b], step)
    return (f({a: up_a, b: up_b}) - f({a: up_a, b: down_b}) - f({a: down_a, b: up_b})
            + f({a: down_a, b: down_b})) / ((up_a - down_a) * (up_b - down_b))


def hessian_fd_with_errors(expr, point, vars=None) -> tuple[list[list[float]],
                                                         list[list[float]]]:
    """``hessian_fd`` and, per entry, an error estimate: the distance between the estimates
    with steps h and 2h plus the rounding error, ~eps·|f|/h² (see ``gradient_fd_with_errors``)."""
    f, names, point = _prepare(expr, point, vars)
    centre = f({})
    n = len(names)
    matrix = [[0.0] * n for _ in range(n)]
    errors = [[0.0] * n for _ in range(n)]
    for i, a in enumerate(names):
        for j in range(i, n):
            b = names[j]
            f.largest = abs(centre)
            fine = _second(f, a, b, point, HESSIAN_STEP, centre)
            coarse = _second(f, a, b, point, 2 * HESSIAN_STEP, centre)
            matrix[i][j] = matrix[j][i] = _richardson(fine, coarse)
            rounding = EPS * f.largest / (HESSIAN_STEP ** 2 * max(1.0, abs(point[a]))
                                          * max(1.0, abs(point[b])))
            errors[i][j] = errors[j][i] = abs(fine - coarse) + ROUNDING_FACTOR * rounding
    return matrix, errors


def hessian_fd(expr, point, vars=None) -> list[list[float]]:
    """The matrix of second partial derivatives of ``expr`` at ``point`` by extrapolated
    central second differences (symmetric: each pair is computed once). Less accurate than
    gradients, ~1e-7 relative where f is smooth, since second differences divide by h²."""
    return hessian_fd_with_errors(expr, point, vars)[0]
