"""What the ``symdiff`` command says about simplifying: the note on stderr when a limit
stopped the simplifier (and how to raise that limit), and ``--trace``'s rewrite steps.

A stop reason is a string ("saturated", "time limit", ...) or a ``str`` subclass with those
values: it is compared as a string and printed by ``reason_text``."""
from __future__ import annotations

from ..core.nodes import Expr
from ..printing.text import to_text
from .progress import simplifying
from ..rewriting.simplify import simplify_result

#: Each side of a rewrite step in a trace is cut short (with ...) after this many characters.
STEP_TEXT_LIMIT = 1000


def reason_text(reason: str) -> str:
    """A stop reason's value as plain text, whatever its class prints itself as."""
    return str.__str__(reason)


def simplified(args, entries: list[Expr]) -> tuple[list[Expr], list[str]]:
    """``entries`` simplified together (unless ``--raw``): one rewrite of all of them, so
    the subexpressions they share are simplified once, within ``--timeout``; and a note for
    stderr when that stopped at a limit."""
    if args.raw:
        return entries, []
    with simplifying(args) as progress:
        result = simplify_result(entries, timeout=args.timeout,
                                 max_iterations=args.max_iterations, cost=args.cost,
                                 progress=progress)
    if result.stop_reason == "saturated":
        return result.expr, []
    results = "the result" if len(entries) == 1 else "the results"
    note = (f"symdiff: note: simplifying stopped at {_limit(args, result.stop_reason)}; "
            f"{results} {'is' if len(entries) == 1 else 'are'} correct but may simplify "
            "further (--raw skips simplifying)")
    return result.expr, [note]


def _limit(args, reason: str, iterations: int | None = None) -> str:
    """The limit behind a stop reason and how to raise it (and, given ``iterations``, how
    many passes were made before a limit other than the passes themselves)."""
    after = "" if iterations is None else f" after {_passes(iterations)}"
    if reason == "time limit":
        return f"the time limit ({args.timeout:g} s; see --timeout){after}"
    if reason == "iteration limit":
        return f"the iteration limit ({_passes(args.max_iterations)}; see --max-iterations)"
    if reason == "node limit":
        return f"the node limit (the expression grew too large){after}"
    if reason == "cycle":
        return f"a cycle{after}, rules undoing each other"
    return f"{reason_text(reason)}{after}"


def stop_note(args, result) -> str:
    """The stderr note for a ``simplify`` that did not saturate."""
    where = _limit(args, result.stop_reason, result.iterations)
    if result.cycle_rules:
        where = (f"a cycle after {_passes(result.iterations)}: rules "
                 f"{', '.join(result.cycle_rules)} undo each other (see --trace)")
    return (f"symdiff: note: simplifying stopped at {where}; the result is equal to EXPR but "
            "may simplify further")


def _cycle(result) -> str:
    """The rules that went round in a cycle, as `` (a, b)``."""
    return f" ({', '.join(result.cycle_rules)})" if result.cycle_rules else ""


def _passes(n: int) -> str:
    return f"{n} pass" if n == 1 else f"{n} passes"


def _side(expr: Expr) -> str:
    return to_text(expr, max_length=STEP_TEXT_LIMIT)


def trace_lines(result) -> list[str]:
    """``rule: before  =>  after`` per rewrite step (as ``str(step)``, each side cut short
    when long), then ``stopped: REASON after N passes``."""
    lines = [f"{step.rule}: {_side(step.before)}  =>  {_side(step.after)}"
             for step in result.steps or ()]
    return lines + [f"stopped: {reason_text(result.stop_reason)}{_cycle(result)} after "
                    f"{_passes(result.iterations)}"]


def trace_record(step) -> dict:
    """One rewrite step for JSON output."""
    return {"rule": step.rule, "before": _side(step.before), "after": _side(step.after)}
