"""Checking symdiff's derivatives against independent oracles at random points.

symdiff's symbolic gradient (and Hessian), evaluated at each point, is compared with SymPy
(``sympy.diff`` of the same formula, evaluated to 30 digits), dual numbers (one forward pass
per variable), the numeric tape (one reverse pass) and finite differences. None of them reads
the symbolic derivative table, so a wrong rule there shows up as a disagreement.

Errors are relative with a floor (``report.relative_error``). The exact methods must agree
to ``tolerance``; finite differences, which only approximate, to ``fd_tolerance`` for
gradients and 100 times that for Hessians.

A point is skipped, and counted, where the formula or symdiff's derivatives are undefined,
and where it is ill-conditioned: where moving the inputs by a relative 1e-14 moves the
symbolic values by more than ``tolerance``, no float evaluation can be checked to that
tolerance (sin(25*exp(x^2)) at x = 7). A method that cannot give a value at a point skips
that point alone, also counted: undefined for it, no real number from SymPy (an unevaluated
derivative of sign), or finite differences disagreeing while their own error estimate says
they cannot tell (f bends or oscillates within a step, or is huge next to its derivative).

SymPy is the slow one, so it is bounded by ``sympy_max_nodes`` and ``sympy_seconds``
(``sympy_oracle.py``). The report classes are in ``report.py``, the points in ``points.py``.
"""
from __future__ import annotations

import random

from ..calculus.diff import as_vars, gradient
from ..calculus.diff import hessian as symbolic_hessian
from ..core.errors import EvaluationError
from ..core.nodes import as_expr
from ..core.undefined import AppliedFunction
from ..core.walk import topological
from ..numeric.dual import dual_partials
from ..numeric.finite import gradient_fd_with_errors, hessian_fd_with_errors
from ..numeric.tape import gradient_at
from ..syntax.parser import parse
from .points import check_ranges, checked_parameters, draw, draw_parameters, symdiff_at
from .report import (DUAL, FD, FLOOR, GRADIENT, HESSIAN, METHODS, SYMPY, TAPE, CheckReport,
                     MethodReport, Skip, relative_error, tally)
from .sympy_oracle import SymPyOracle

TOLERANCE = 1e-8            # SymPy, dual numbers and the tape: exact up to float rounding
FD_TOLERANCE = 1e-6         # finite differences of first derivatives
HESSIAN_FD_FACTOR = 100     # second differences are about 100 times less accurate
ATTEMPTS_PER_POINT = 10     # points drawn, at most, per point to compare
SYMPY_MAX_NODES = 400
SYMPY_SECONDS = 10.0
#: Dual numbers take one pass and finite differences a few per partial, so with more
#: variables than this they check this many partials per point, drawn at random (the tape
#: and SymPy still check every one): the work per point stays linear in the formula.
MAX_DIRECTIONS = 20
#: A Hessian has n(n+1)/2 entries: with more variables than this, it is checked in this many
#: of them, drawn at random (the Hessian's block in those variables).
MAX_HESSIAN_VARS = 12


# ------------------------------------------------------------------------ the methods
def _numeric(work, *args):
    try:
        return work(*args)
    except EvaluationError as error:
        raise Skip("undefined", str(error)) from None


def _upper(matrix: list[list[float]]) -> list[float]:
    return [matrix[i][j] for i in range(len(matrix)) for j in range(i, len(matrix))]


def _trusted(values: list[float], errors: list[float], symbolic: list[float],
             tolerance: float) -> list[float]:
    """Finite differences, or Skip where one disagrees with symdiff but its own error
    estimate is beyond ``tolerance`` too, so the disagreement says nothing about symdiff."""
    for value, error, expected in zip(values, errors, symbolic):
        if (relative_error(value, expected) > tolerance
                and error / max(abs(value), FLOOR) > tolerance):
            raise Skip("too rough", f"the estimate {value:.6g} may be off by {error:.2g}")
    return values


def _method_values(key, expr, names, point, symbolic, tolerance, sympy_values):
    """One method's values at ``point`` (in the order of ``symbolic``), or Skip. ``names``
    are the variables of the gradient entries compared (for dual numbers and finite
    differences, maybe a sample), or of the Hessian block."""
    if key == (DUAL, GRADIENT):
        return _numeric(dual_partials, expr, point, names)
    if key == (TAPE, GRADIENT):
        return _numeric(gradient_at, expr, point, names)
    if key == (FD, GRADIENT):
        values, errors = _numeric(gradient_fd_with_errors, expr, point, names)
        return _trusted(values, errors, symbolic, tolerance)
    if key == (FD, HESSIAN):
        matrix, errors = _numeric(hessian_fd_with_errors, expr, point, names)
        return _trusted(_upper(matrix), _upper(errors), symbolic, tolerance)
    values = sympy_values[0 if key[1] == GRADIENT else 1]
    if None in values:
        raise Skip("no real value", "SymPy's derivative does not evaluate to a real number")
    return values


def check(expr, vars=None, points: int = 5, hessian: bool = False, seed: int = 0,
          tolerance: float = TOLERANCE, fd_tolerance: float = FD_TOLERANCE, ranges=None,
          parameters=None, sympy_max_nodes: int = SYMPY_MAX_NODES,
          sympy_seconds: float = SYMPY_SECONDS) -> CheckReport:
    """Compare symdiff's gradient (and with ``hessian``, its Hessian) of ``expr`` (an
    expression or formula text) with SymPy, dual numbers, the numeric tape and finite
    differences at ``points`` random points, drawn with ``random.Random(seed)``.

    ``vars`` defaults to the formula's variables, sorted. ``ranges`` is one (lo, hi) pair for
    every variable or a dict of them by name (None, or a name left out, for the default):
    by default each coordinate is uniform in [-2, -0.1] ∪ [0.1, 2]. Up to 10 points per
    point asked for are drawn to find ones where symdiff's values can be compared.
    ``parameters`` gives the formula's other names values without differentiating by them:
    {name: number} fixed at every point, or {name: (lo, hi)} drawn per point like a
    variable. ``sympy_max_nodes=0`` leaves SymPy out.
    """
    if isinstance(expr, str):
        expr = parse(expr)
    expr = as_expr(expr)
    _refuse_undefined_functions(expr)
    names = [v.name for v in as_vars(expr.free_vars if vars is None else vars)]
    if not names:
        raise ValueError("nothing to check: the formula has no variables (name some in vars)")
    if points < 1:
        raise ValueError(f"points must be at least 1, not {points}")
    check_ranges(ranges)
    parameters = checked_parameters(parameters, names)
    entries = {GRADIENT: gradient(expr, names)}
    labels = {GRADIENT: [f"d/d{v}" for v in names]}
    sampler = random.Random(f"{seed} directions")   # the points drawn stay as they were
    block = names
    if hessian:
        if len(names) > MAX_HESSIAN_VARS:
            block = sorted(sampler.sample(names, MAX_HESSIAN_VARS), key=names.index)
        entries[HESSIAN] = _upper(symbolic_hessian(expr, block))
        labels[HESSIAN] = [f"d^2/d{a}^2" if i == j else f"d^2/d{a} d{block[j]}"
                           for i, a in enumerate(block) for j in range(i, len(block))]
    # SymPy substitutes only its own names: the parameters are among them, and their
    # partials (after the variables') are left out of the comparison
    sympy_oracle = SymPyOracle(expr, names + list(parameters), block if hessian else None,
                               sympy_max_nodes, sympy_seconds)
    methods = {(m, GRADIENT): MethodReport(m, GRADIENT, fd_tolerance if m == FD else tolerance)
               for m in METHODS}
    if hessian:
        methods[SYMPY, HESSIAN] = MethodReport(SYMPY, HESSIAN, tolerance)
        loose = float(f"{fd_tolerance * HESSIAN_FD_FACTOR:.12g}")    # 1e-4, not 9.99...e-05
        methods[FD, HESSIAN] = MethodReport(FD, HESSIAN, loose)
    sampled = len(names) > MAX_DIRECTIONS
    for method in (DUAL, FD):
        if sampled:
            methods[method, GRADIENT].note = (f"{MAX_DIRECTIONS} of the {len(names)} partials "
                                              "at each point, drawn at random")
        if hessian and block is not names:
            methods[method if method == FD else SYMPY, HESSIAN].note = (
                f"the Hessian in {MAX_HESSIAN_VARS} of the {len(names)} variables, drawn at "
                f"random: {', '.join(block)}")
    report = CheckReport(expr, names, points, seed, list(methods.values()))
    rng = random.Random(seed)
    flat = [e for quantity in entries.values() for e in quantity]
    for _ in range(ATTEMPTS_PER_POINT * points):
        if report.compared == points:
            break
        point = {**draw(rng, names, ranges), **draw_parameters(rng, parameters)}
        try:
            values = symdiff_at(expr, flat, point, tolerance)
        except Skip as skip:
            tally(report.skipped, report.examples, skip)
            continue
        report.compared += 1
        symbolic = {GRADIENT: values[:len(names)], HESSIAN: values[len(names):]}
        sympy_values = sympy_oracle.values(point)
        if sympy_values is not None:
            sympy_values = (sympy_values[0][:len(names)], sympy_values[1])
        chosen = (sorted(sampler.sample(range(len(names)), MAX_DIRECTIONS)) if sampled
                  else range(len(names)))
        for key, target in methods.items():
            if key[0] == SYMPY and sympy_values is None:
                continue
            wanted, which = _compared(key, names, block, chosen, labels, symbolic)
            try:
                found = _method_values(key, expr, wanted, point, which[1], target.tolerance,
                                       sympy_values)
            except Skip as skip:
                tally(target.skipped, target.examples, skip)
                continue
            target.record(which[0], point, which[1], found)
    for (method, _), target in methods.items():
        if method == SYMPY:
            target.note = "; ".join(filter(None, [sympy_oracle.note, target.note]))
    return report


def _refuse_undefined_functions(expr) -> None:
    """Every oracle compares values at points, and an undefined function has none: refuse
    up front, saying how to check such a formula."""
    undefined = next((n for n in topological(expr) if type(n) is AppliedFunction), None)
    if undefined is not None:
        raise EvaluationError(
            f"cannot check a formula with {undefined.name}, an undefined function: the "
            "oracles compare values at points, and it has none; give it a formula "
            f"(symdiff.substitute_function(expr, {undefined.name!r}, params, body) in Python, "
            f"--define \"{undefined.name}(u) = ...\" instead of --function on the command "
            "line) and check that")


def _compared(key, names, block, chosen, labels, symbolic):
    """The variables one method is asked about, and the (labels, symdiff values) it is
    compared with: a sample of the gradient for dual numbers and finite differences."""
    if key[1] == HESSIAN:
        return block, (labels[HESSIAN], symbolic[HESSIAN])
    if key[0] in (DUAL, FD) and len(chosen) < len(names):
        return ([names[i] for i in chosen], ([labels[GRADIENT][i] for i in chosen],
                                             [symbolic[GRADIENT][i] for i in chosen]))
    return names, (labels[GRADIENT], symbolic[GRADIENT])
