"""The points ``check`` compares at: drawn at random, and kept only where symdiff's own
values are defined and well conditioned there (else a ``Skip`` that says why)."""
from __future__ import annotations

import math
import random

from ..core.errors import EvaluationError
from ..core.nodes import Expr
from ..numeric.evaluate import evaluate_all
from .report import Skip, relative_error

NUDGE = 1e-14               # relative move of the inputs that tests conditioning
DEFAULT_BOX = (0.1, 2.0)    # default coordinates: magnitude in this range, either sign


def draw(rng: random.Random, names: list[str], ranges) -> dict[str, float]:
    """A random point: each coordinate uniform in its range, or by default of a magnitude
    in ``DEFAULT_BOX``, with either sign."""
    point = {}
    for name in names:
        bounds = ranges.get(name) if isinstance(ranges, dict) else ranges
        if bounds is None:
            point[name] = rng.choice((-1, 1)) * rng.uniform(*DEFAULT_BOX)
        else:
            point[name] = rng.uniform(*bounds)
    return point


def draw_parameters(rng: random.Random, parameters: dict) -> dict[str, float]:
    """The parameters' values at one point: a number as it is, a (lo, hi) range drawn."""
    return {name: rng.uniform(*value) if isinstance(value, tuple) else value
            for name, value in parameters.items()}


def checked_parameters(parameters, names: list[str]) -> dict:
    """``check``'s parameters ({name: number or (lo, hi)}), or a ValueError for a name that
    is also a variable checked, a value that is not finite, or a bad range."""
    parameters = dict(parameters or {})
    for name, value in parameters.items():
        if name in names:
            raise ValueError(f"{name} is a variable checked; it cannot be a parameter too")
        if isinstance(value, (tuple, list)):
            check_ranges(tuple(value))
            parameters[name] = (float(value[0]), float(value[1]))
        elif not math.isfinite(value):
            raise ValueError(f"the parameter {name} needs a finite value, not {value}")
        else:
            parameters[name] = float(value)
    return parameters


def check_ranges(ranges) -> None:
    """A ValueError for a range that is not two finite numbers lo < hi."""
    pairs = ranges.values() if isinstance(ranges, dict) else [ranges]
    for lo, hi in (pair for pair in pairs if pair is not None):
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ValueError(f"a range must be two finite numbers lo < hi, not ({lo}, {hi})")


def symbolic_values(entries: list[Expr], point: dict) -> list[float]:
    """Each entry's value, as ``Expr.evaluate`` gives it, all in one fold (the point and the
    subexpressions the entries share are read once: linear in the gradient's DAG)."""
    return evaluate_all(entries, point)


def symdiff_at(expr: Expr, entries: list[Expr], point: dict, tolerance: float) -> list[float]:
    """symdiff's values at ``point``, or Skip where they are undefined or where a relative
    nudge of NUDGE to the inputs moves f or one of them by more than ``tolerance``."""
    try:
        values = symbolic_values([expr, *entries], point)
    except EvaluationError as error:
        raise Skip("undefined", str(error)) from None
    nudged = {k: v * (1 + NUDGE * (-1) ** i) for i, (k, v) in enumerate(point.items())}
    try:
        moved = symbolic_values([expr, *entries], nudged)
    except EvaluationError as error:
        raise Skip("ill-conditioned", f"undefined a nudge away: {error}") from None
    for before, after in zip(values, moved):
        if relative_error(before, after) > tolerance:
            raise Skip("ill-conditioned", f"a relative nudge of {NUDGE:g} moves a value "
                                           f"from {before:.6g} to {after:.6g}")
    return values[1:]
