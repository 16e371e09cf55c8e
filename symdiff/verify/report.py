"""The outcome of ``check``: how far each oracle is from symdiff, and what was skipped.

Errors are relative with a floor, |a - b| / max(|a|, |b|, 1): relative for large values,
absolute below 1, so a derivative of 1e-17 against an exact 0 is no alarm. A point that
cannot be compared is a ``Skip`` with a reason, counted per reason with one example message.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..core.nodes import Expr
from ..printing.text import to_text

FLOOR = 1.0                 # errors are absolute below this magnitude

SYMPY, DUAL, TAPE, FD = METHODS = ("sympy", "dual numbers", "tape", "finite differences")
GRADIENT, HESSIAN = "gradient", "hessian"


def relative_error(a: float, b: float, floor: float = FLOOR) -> float:
    """|a - b| / max(|a|, |b|, floor)."""
    return abs(a - b) / max(abs(a), abs(b), floor)


class Skip(Exception):
    """A point that cannot be compared, for ``reason``; the message is an example."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def tally(counts: dict, examples: dict, skip: Skip) -> None:
    """Count a skip under its reason, keeping the first message as the example."""
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


def _first_few(items: list[str], shown: int = 8) -> str:
    """Items joined by commas; past ``shown`` of them, the first few and how many in all
    (a check of 10,000 variables keeps its table readable; a disagreement line still
    gives the whole point)."""
    if len(items) <= shown:
        return ", ".join(items)
    return f"{', '.join(items[:shown])}, ... ({len(items)} in all)"


def _skips(counts: dict, examples: dict) -> str:
    return "; ".join(f"{n} {reason} ({examples[reason]})" for reason, n in counts.items())


def report_lines(report: CheckReport) -> list[str]:
    """The text form: a header, one table row per method, skipped points, disagreements
    (with the full point and both values, to reproduce), and the verdict last."""
    what = "gradient and Hessian" if len(report.methods) > len(METHODS) else "gradient"
    lines = [f"checked the {what} of {to_text(report.expression, max_length=60)} by "
             f"{_first_few(report.variables)} at {_count(report.compared, 'point')} "
             f"(seed {report.seed})"]
    rows = [("method", "points", "largest error", "tolerance", "where")]
    for m in report.methods:
        if m.compared == 0:
            rows.append((m.name, "0", "-", f"{m.tolerance:g}", m.note or "-"))
            continue
        where = "-"
        if m.largest_error:
            where = f"{m.entry} at " + _first_few([f"{k}={v:.3g}" for k, v in m.point.items()])
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
