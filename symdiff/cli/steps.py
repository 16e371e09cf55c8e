"""``symdiff diff --steps``: the derivation of each formula by each variable in turn, each
step ending in its result (simplified unless --raw), then the value at --at if given."""
from __future__ import annotations

import json

from ..core.nodes import Expr
from ..printing.text import to_text
from ..teaching.steps import derivation_steps, steps_text, with_simplified
from .arguments import UsageError, formula_point
from .notes import simplified
from .output import format_number, print_notes


def print_steps(args, formulas: list[Expr], names: list[str]) -> None:
    """The derivations of ``formulas`` by ``names`` (a variable repeated for a higher
    derivative): text blocks one after another, or json (one object, a list for several)."""
    if args.format not in ("text", "json"):
        raise UsageError(f"--steps prints text or json, not {args.format}")
    if getattr(args, "points", None):
        raise UsageError("--steps shows a derivation; it cannot be combined with --points")
    point = formula_point(args.at, formulas, names) if args.at else None
    if point is not None:
        for expr in formulas:   # a derivative only exists where the formula is defined
            expr.evaluate(point)
    texts, records, notes = [], [], []
    for expr in formulas:
        text, record, more = _derivation(args, expr, names, point)
        texts.append(text)
        records.append(record)
        notes += more
    if args.format == "json":
        print(json.dumps(records[0] if len(records) == 1 else records))
    else:
        print("\n\n".join(texts))
    print_notes(notes)


def _derivation(args, expr: Expr, names: list[str], point: dict | None):
    """One formula's derivation: (text, json record, notes)."""
    blocks, steps_done, notes, current, raw = [], [], [], expr, expr * 0
    for name in names:
        steps = derivation_steps(current, name, simplify=False)
        raw = steps[-1].result
        (shown,), more = simplified(args, [raw])
        steps = with_simplified(steps, shown)
        blocks.append(steps_text(current, steps))
        if args.format == "json":
            steps_done += [step.to_dict() for step in steps]
        notes += more
        current = shown
    if not names:
        blocks.append(f"{to_text(expr)} has no variables: its derivative is 0\nresult: 0")
        current = raw
    value = raw.evaluate(point) if point is not None else None   # as diff --at does
    record = {"expression": str(expr), "variables": names, "steps": steps_done,
              "result": str(current)}
    text = "\n\n".join(blocks)
    if value is not None:
        record.update(at=point, value=value)
        at = ", ".join(f"{name}={format_number(v)}" for name, v in point.items())
        text += f"\nvalue at {at}: {format_number(value)}"
    return text, record, notes
