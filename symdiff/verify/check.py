"""Checking symdiff's derivatives against independent oracles at random points.

symdiff's symbolic gradient (and Hessian), evaluated at each point, is compared with SymPy
(``sympy.diff`` of the same formula, evaluated to 30 digits), dual numbers (one forward pass
per variable), the numeric tape (one reverse pass) and finite differences. None of them uses
``derivatives.py``, so a wrong rule there shows up as a disagreement.

Errors are relative with a floor, |a - b| / max(|a|, |b|, 1): relative for large values,
absolute below 1, so a derivative of 1e-17 against an exact 0 is no alarm. The exact methods
must agree to ``tolerance``; finite differences, which only approximate, to ``fd_tolerance``
for gradients and 100 times that for Hessians.

A point is skipped, and counted, where the formula or symdiff's derivatives are undefined,
and where it is ill-conditioned: where moving the inputs by a relative 1e-14 moves the
symbolic values by more than ``tolerance``, no float evaluation can be checked to that
tolerance (sin(25*exp(x^2)) at x = 7). A method that cannot give a value at a point skips
that point alone, also counted: undefined for it, no real number from SymPy (an unevaluated
derivative of sign), or finite differences disagreeing while their own error estimate says
they cannot tell (f bends or oscillates within a step, or is huge next to its derivative).

SymPy is the slow one, so it is bounded: it is left out for formulas of more than
``sympy_max_nodes`` nodes (its differentiation recurses and its output can explode), and
consulted no more once ``sympy_seconds`` have been spent on it. The budget is checked
between SymPy calls, so one call on a formula within the size limit may overrun it a little.
"""
from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field

from ..calculus.diff import as_vars, gradient
from ..calculus.diff import hessian as symbolic_hessian
from ..numeric.dual import evaluate_dual
from ..core.errors import EvaluationError
from ..core.nodes import Expr, as_expr
from ..numeric.finite import gradient_fd_with_errors, hessian_fd_with_errors
from ..core.walk import node_count
from ..numeric.evaluate import evaluate
from ..printing.text import to_text
from ..numeric.tape import gradient_at

TOLERANCE = 1e-8            # SymPy, dual numbers and the tape: exact up to float rounding
FD_TOLERANCE = 1e-6         # finite differences of first derivatives
HESSIAN_FD_FACTOR = 100     # second differences are about 100 times less accurate
FLOOR = 1.0                 # errors are absolute below this magnitude
NUDGE = 1e-14               # relative move of the inputs that tests conditioning
DEFAULT_BOX = (0.1, 2.0)    # default coordinates: magnitude in this range, either sign
ATTEMPTS_PER_POINT = 10     # points drawn, at most, per point to compare
SYMPY_MAX_NODES = 400
SYMPY_SECONDS = 10.0

SYMPY, DUAL, TAPE, FD = METHODS = ("sympy", "dual numbers", "tape", "finite differences")
GRADIENT, HESSIAN = "gradient", "hessian"


def relative_error(a: float, b: float, floor: float = FLOOR) -> float:
    return abs(a - b) / max(abs(a), abs(b), floor)


class _Skip(Exception):
    """A point that cannot be compared, for ``reason``; the message is an example."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def _tally(counts: dict, examples: dict, skip: _Skip) -> None:
    counts[skip.reason] = counts.get(skip.reason, 0) + 1
    examples.setdefault(skip.reason, str(skip))


@dataclass
class MethodReport:
    """How far one method is from symdiff: the largest error, where, and what it skipped."""

    method: str
    quantity: str                       # GRADIENT or HESSIAN
    tolerance: float
    compared: int = 0                   # points where it was compared
    largest_error: float = 0.0
    entry: str | None = None            # "d/dx", "d^2/dx dy"
    point: dict | None = None
    symdiff: float | None = None        # symdiff's value of that entry there
    value: float | None = None          # the method's
    skipped: dict[str, int] = field(default_factory=dict)     # reason -> points
    examples: dict[str, str] = field(default_factory=dict)    # reason -> one message
    note: str = ""                      # why it was left out, or stopped (SymPy)

    @property
    def name(self) -> str:
        return self.method if self.quantity == GRADIENT else f"{self.method} (hessian)"

    @property
    def ok(self) -> bool:
        return self.largest_error <= self.tolerance

    def record(self, labels, point, symbolic, values) -> None:
        self.compared += 1
        for label, s, v in zip(labels, symbolic, values):
            error = relative_error(s, v)
            if error != error:                  # nan: no agreement to speak of
                error = math.inf
            if error > self.largest_error or self.entry is None:
                self.largest_error, self.entry, self.point = error, label, point
                self.symdiff, self.value = s, v


@dataclass
class CheckReport:
    """The outcome of ``check``: one ``MethodReport`` per method and quantity."""

    expression: Expr
    variables: list[str]
    points: int                         # points asked for
    seed: int
    methods: list[MethodReport]
    compared: int = 0                   # points where symdiff's values were compared
    skipped: dict[str, int] = field(default_factory=dict)     # reason -> points
    examples: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when something was compared and every method agrees within tolerance."""
        return self.checked and not self.disagreements

    @property
    def checked(self) -> bool:
        """True when some method was compared with symdiff at some point."""
        return any(m.compared for m in self.methods)

    @property
    def disagreements(self) -> list[MethodReport]:
        return [m for m in self.methods if not m.ok]

    def verdict(self) -> str:
        if self.disagreements:
            bad = self.disagreements
            return (f"FAILED: {', '.join(m.name for m in bad)} "
                    f"{'disagrees' if len(bad) == 1 else 'disagree'} with symdiff")
        if not self.ok:
            return f"nothing compared: {self.skip_summary()}"
        left_out = [m.name for m in self.methods if not m.compared]
        return ("ok: every method agrees with symdiff within tolerance"
                + (f" ({', '.join(left_out)}: not compared)" if left_out else ""))

    def skip_summary(self) -> str:
        """What was skipped and why, the points first, then each method's, with an example."""
        parts = [_skips(self.skipped, self.examples)] if self.skipped else []
        parts += [f"{m.name}: " + _skips(m.skipped, m.examples)
                  for m in self.methods if m.skipped]
        tried = self.compared + sum(self.skipped.values())
        return f"of {_count(tried, 'point')} tried, " + "; ".join(parts)

    def __str__(self) -> str:
        return "\n".join(report_lines(self))

    def to_dict(self) -> dict:
        """The report as JSON-ready data (the CLI's ``--format json``)."""
        return {"expression": str(self.expression), "variables": self.variables,
                "points": self.points, "seed": self.seed, "compared": self.compared,
                "skipped": dict(self.skipped), "ok": self.ok,
                "methods": [{"method": m.method, "quantity": m.quantity, "ok": m.ok,
                             "compared": m.compared, "largest_error": m.largest_error,
                             "tolerance": m.tolerance, "entry": m.entry, "at": m.point,
                             "symdiff": m.symdiff, "value": m.value,
                             "skipped": dict(m.skipped), "note": m.note}
                            for m in self.methods]}


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _skips(counts: dict, examples: dict) -> str:
    return "; ".join(f"{n} {reason} ({examples[reason]})" for reason, n in counts.items())


def report_lines(report: CheckReport) -> list[str]:
    """The text form: a header, one table row per method, skipped points, disagreements
    (with the full point and both values, to reproduce), and the verdict last."""
    what = "gradient and Hessian" if len(report.methods) > len(METHODS) else "gradient"
    lines = [f"checked the {what} of {to_text(report.expression, max_length=60)} by "
             f"{', '.join(report.variables)} at {_count(report.compared, 'point')} "
             f"(seed {report.seed})"]
    rows = [("method", "points", "largest error", "tolerance", "where")]
    for m in report.methods:
        if m.compared == 0:
            rows.append((m.name, "0", "-", f"{m.tolerance:g}", m.note or "-"))
            continue
        where = "-"
        if m.largest_error:
            at = ", ".join(f"{k}={v:.3g}" for k, v in m.point.items())
            where = f"{m.entry} at {at}"
        rows.append((m.name, str(m.compared), f"{m.largest_error:.2g}", f"{m.tolerance:g}",
                     where))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[4]
              for row in rows]
    lines += [f"note: {m.name}: {m.note}" for m in report.methods if m.note and m.compared]
    if report.skipped:
        lines.append(f"skipped {_count(sum(report.skipped.values()), 'point')}: "
                     + _skips(report.skipped, report.examples))
    lines += [f"{m.name} skipped {_count(sum(m.skipped.values()), 'point')}: "
              + _skips(m.skipped, m.examples) for m in report.methods if m.skipped]
    for m in report.disagreements:
        at = ", ".join(f"{k}={v!r}" for k, v in m.point.items())
        lines.append(f"disagreement: {m.name} at {at}: {m.entry} is {m.symdiff!r} by symdiff, "
                     f"{m.value!r} by {m.method} (relative error {m.largest_error:.2g})")
    lines.append(report.verdict())
    return lines


# ------------------------------------------------------------------------ SymPy
class _SymPy:
    """SymPy's derivatives of the formula, within a size limit and a time budget."""

    def __init__(self, expr: Expr, names: list[str], hessian: bool, max_nodes: int,
                 seconds: float):
        self.names, self.seconds, self.spent = names, seconds, 0.0
        self.note, self.gradient, self.hessian = "", [], None
        size = node_count(expr)
        if max_nodes <= 0:
            self.note = "not used"
        elif size > max_nodes:
            self.note = f"left out: the formula has {size} nodes (more than {max_nodes})"
        else:
            self._timed(self._differentiate, expr, hessian)

    def _timed(self, work, *args):
        start = time.perf_counter()
        try:
            return work(*args)
        except RecursionError:
            self.note = "left out: SymPy ran out of stack (a deep formula)"
        except Exception as error:      # SymPy's own failures must not stop the check
            self.note = f"left out: SymPy failed ({type(error).__name__}: {str(error)[:80]})"
        finally:
            self.spent += time.perf_counter() - start
            if self.spent > self.seconds and not self.note:
                self.note = f"stopped after {self.seconds:g} s (sympy_seconds)"
        return None

    def _differentiate(self, expr: Expr, hessian: bool) -> None:
        import sympy

        from ..interop.sympy_bridge import to_sympy

        self.symbols = [sympy.Symbol(name, real=True) for name in self.names]
        f = to_sympy(expr)
        self.gradient = [sympy.diff(f, s) for s in self.symbols]
        if hessian:
            self.hessian = [sympy.diff(g, s) for i, g in enumerate(self.gradient)
                            for s in self.symbols[i:]]

    def values(self, point: dict) -> tuple[list, list | None] | None:
        """SymPy's (gradient, Hessian's upper triangle) at ``point``, None for an entry that
        is not a real number; None when SymPy is left out or out of time."""
        if self.note:
            return None
        subs = dict(zip(self.symbols, (point[n] for n in self.names)))
        return self._timed(lambda: ([_real(g, subs) for g in self.gradient],
                                    None if self.hessian is None
                                    else [_real(h, subs) for h in self.hessian]))


def _real(expr, subs) -> float | None:
    """A SymPy expression's value to 30 digits, or None where it is not a finite real."""
    try:
        value = complex(expr.evalf(30, subs=subs))
    except (TypeError, ValueError, ArithmeticError, NotImplementedError):
        return None
    if not math.isfinite(value.real) or abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        return None
    return value.real


# ------------------------------------------------------------------------ points
def _draw(rng: random.Random, names: list[str], ranges) -> dict[str, float]:
    point = {}
    for name in names:
        bounds = ranges.get(name) if isinstance(ranges, dict) else ranges
        if bounds is None:
            point[name] = rng.choice((-1, 1)) * rng.uniform(*DEFAULT_BOX)
        else:
            point[name] = rng.uniform(*bounds)
    return point


def _check_ranges(ranges) -> None:
    pairs = ranges.values() if isinstance(ranges, dict) else [ranges]
    for lo, hi in (pair for pair in pairs if pair is not None):
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ValueError(f"a range must be two finite numbers lo < hi, not ({lo}, {hi})")


def _symbolic_values(entries: list[Expr], point: dict) -> list[float]:
    """Each entry's value, as ``Expr.evaluate`` gives it (a repeated entry once)."""
    memo: dict[Expr, float] = {}
    for entry in entries:
        if entry not in memo:
            memo[entry] = evaluate(entry, point)
    return [memo[entry] for entry in entries]


def _symdiff_at(expr: Expr, entries: list[Expr], point: dict, tolerance: float) -> list[float]:
    """symdiff's values at ``point``, or _Skip where they are undefined or where a relative
    nudge of NUDGE to the inputs moves f or one of them by more than ``tolerance``."""
    try:
        values = _symbolic_values([expr, *entries], point)
    except EvaluationError as error:
        raise _Skip("undefined", str(error)) from None
    nudged = {k: v * (1 + NUDGE * (-1) ** i) for i, (k, v) in enumerate(point.items())}
    try:
        moved = _symbolic_values([expr, *entries], nudged)
    except EvaluationError as error:
        raise _Skip("ill-conditioned", f"undefined a nudge away: {error}") from None
    for before, after in zip(values, moved):
        if relative_error(before, after) > tolerance:
            raise _Skip("ill-conditioned", f"a relative nudge of {NUDGE:g} moves a value "
                                           f"from {before:.6g} to {after:.6g}")
    return values[1:]


# ------------------------------------------------------------------------ the methods
def _numeric(work, *args):
    try:
        return work(*args)
    except EvaluationError as error:
        raise _Skip("undefined", str(error)) from None


def _upper(matrix: list[list[float]]) -> list[float]:
    return [matrix[i][j] for i in range(len(matrix)) for j in range(i, len(matrix))]


def _trusted(values: list[float], errors: list[float], symbolic: list[float],
             tolerance: float) -> list[float]:
    """Finite differences, or _Skip where one disagrees with symdiff but its own error
    estimate is beyond ``tolerance`` too, so the disagreement says nothing about symdiff."""
    for value, error, expected in zip(values, errors, symbolic):
        if (relative_error(value, expected) > tolerance
                and error / max(abs(value), FLOOR) > tolerance):
            raise _Skip("too rough", f"the estimate {value:.6g} may be off by {error:.2g}")
    return values


def _method_values(key, expr, names, point, symbolic, tolerance, sympy_values):
    """One method's values at ``point`` (in the order of ``symbolic``), or _Skip."""
    if key == (DUAL, GRADIENT):
        return _numeric(lambda: [evaluate_dual(expr, point, {n: 1.0})[1] for n in names])
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
        raise _Skip("no real value", "SymPy's derivative does not evaluate to a real number")
    return values


def check(expr, vars=None, points: int = 5, hessian: bool = False, seed: int = 0,
          tolerance: float = TOLERANCE, fd_tolerance: float = FD_TOLERANCE, ranges=None,
          sympy_max_nodes: int = SYMPY_MAX_NODES, sympy_seconds: float = SYMPY_SECONDS
          ) -> CheckReport:
    """Compare symdiff's gradient (and with ``hessian``, its Hessian) of ``expr`` (an
    expression or formula text) with SymPy, dual numbers, the numeric tape and finite
    differences at ``points`` random points, drawn with ``random.Random(seed)``.

    ``vars`` defaults to the formula's variables, sorted. ``ranges`` is one (lo, hi) pair for
    every variable or a dict of them by name (None, or a name left out, for the default):
    by default each coordinate is uniform in [-2, -0.1] ∪ [0.1, 2]. Up to 10 points per
    point asked for are drawn to find ones where symdiff's values can be compared.
    ``sympy_max_nodes=0`` leaves SymPy out.
    """
    if isinstance(expr, str):
        from ..syntax.parser import parse

        expr = parse(expr)
    expr = as_expr(expr)
    names = [v.name for v in as_vars(expr.free_vars if vars is None else vars)]
    if not names:
        raise ValueError("nothing to check: the formula has no variables (name some in vars)")
    if points < 1:
        raise ValueError(f"points must be at least 1, not {points}")
    _check_ranges(ranges)
    entries = {GRADIENT: gradient(expr, names)}
    labels = {GRADIENT: [f"d/d{v}" for v in names]}
    if hessian:
        entries[HESSIAN] = _upper(symbolic_hessian(expr, names))
        labels[HESSIAN] = [f"d^2/d{a}^2" if i == j else f"d^2/d{a} d{names[j]}"
                           for i, a in enumerate(names) for j in range(i, len(names))]
    sympy_oracle = _SymPy(expr, names, hessian, sympy_max_nodes, sympy_seconds)
    methods = {(m, GRADIENT): MethodReport(m, GRADIENT, fd_tolerance if m == FD else tolerance)
               for m in METHODS}
    if hessian:
        methods[SYMPY, HESSIAN] = MethodReport(SYMPY, HESSIAN, tolerance)
        loose = float(f"{fd_tolerance * HESSIAN_FD_FACTOR:.12g}")    # 1e-4, not 9.99...e-05
        methods[FD, HESSIAN] = MethodReport(FD, HESSIAN, loose)
    report = CheckReport(expr, names, points, seed, list(methods.values()))
    rng = random.Random(seed)
    flat = [e for quantity in entries.values() for e in quantity]
    for _ in range(ATTEMPTS_PER_POINT * points):
        if report.compared == points:
            break
        point = _draw(rng, names, ranges)
        try:
            values = _symdiff_at(expr, flat, point, tolerance)
        except _Skip as skip:
            _tally(report.skipped, report.examples, skip)
            continue
        report.compared += 1
        symbolic = {GRADIENT: values[:len(names)], HESSIAN: values[len(names):]}
        sympy_values = sympy_oracle.values(point)
        for key, target in methods.items():
            if key[0] == SYMPY and sympy_values is None:
                continue
            try:
                found = _method_values(key, expr, names, point, symbolic[key[1]],
                                       target.tolerance, sympy_values)
            except _Skip as skip:
                _tally(target.skipped, target.examples, skip)
                continue
            target.record(labels[key[1]], point, symbolic[key[1]], found)
    for (method, _), target in methods.items():
        if method == SYMPY:
            target.note = sympy_oracle.note
    return report
