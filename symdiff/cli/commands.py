"""The ``symdiff`` commands, one function each, and ``main``, which runs the one named on the
command line. Bad input gives one clear message and exit status 2, never a traceback."""
from __future__ import annotations

import json
import sys

from ..calculus.diff import diff, gradient, hessian, jacobian
from ..core.errors import SymdiffError
from ..core.nodes import Expr, Var
from ..core.walk import free_vars
from ..printing.text import to_text
from ..rewriting.simplify import simplify_result
from ..teaching.drawing import to_dot, write_graph
from ..teaching.explain import explain
from ..teaching.steps import derivation_steps, steps_text, with_simplified
from ..verify.check import check
from .arguments import (UsageError, check_variable, parse_point, parse_ranges, read_formula,
                        read_rules, required_point, variables, wrt_variables)
from .batch import check_batch, print_python, write_batch
from .notes import simplified, stop_note, trace_lines, trace_record
from .output import emit, emit_table, format_number, print_notes
from .parser import parse_arguments


def run_diff(args) -> None:
    expr = read_formula(args.expr)
    names = [check_variable(v) for v in args.vars]
    if not names:
        free = expr.free_vars
        if len(free) > 1:
            raise UsageError(f"the formula has {len(free)} variables ({', '.join(free)}): "
                             f"name the one to differentiate by, e.g. "
                             f"symdiff diff \"{args.expr}\" {free[0]}")
        names = list(free)
    if args.steps:
        return print_steps(args, expr, names)
    result = diff(expr, *[Var(n) for n in names]) if names else expr * 0
    if _compiled_output(args, [expr], [result], ["d/d" + " d".join(names)], result):
        return
    point = parse_point(args.at) if args.at else None
    if point is not None:
        expr.evaluate(point)    # a derivative only exists where the formula is defined
    notes = []
    if point is None or args.format == "json":     # the value comes from the raw result
        (shown,), notes = simplified(args, [result])
    else:
        shown = result
    emit(args, expr, shown, {"variables": names}, point, value_of=result)
    print_notes(notes)


def run_simplify(args) -> None:
    if args.only_rules and not args.rules:
        raise UsageError("--only-rules needs at least one --rules FILE (the rules to use)")
    loaded = [rule for path in args.rules for rule in read_rules(path)]
    expr = read_formula(args.expr)
    point = parse_point(args.at) if args.at else None
    if point is not None:
        expr.evaluate(point)    # the result may be defined at more points than the formula
    rules, extra = (loaded, ()) if args.only_rules else (None, loaded)
    result = simplify_result(expr, rules, extra, timeout=args.timeout,
                             max_iterations=args.max_iterations, trace=args.trace)
    details = {"stop_reason": result.stop_reason, "iterations": result.iterations}
    if args.trace and args.format == "json":
        details["steps"] = [trace_record(step) for step in result.steps]
    elif args.trace:    # stdout stays valid Python or LaTeX: the trace goes to stderr then
        print("\n".join(trace_lines(result)),
              file=sys.stdout if args.format == "text" else sys.stderr)
    if args.format == "python":     # keeps the formula's variables, even ones that cancel
        print_python(args, result.expr, list(expr.free_vars))
    else:
        emit(args, expr, result.expr, {}, point, details=details)
    if result.stop_reason != "saturated":
        print(stop_note(args, result), file=sys.stderr)


def run_eval(args) -> None:
    expr = read_formula(args.expr)
    if args.points:
        check_batch(args)
        write_batch(args, [], [expr], ["value"], list(expr.free_vars))
    elif args.format == "python":
        print_python(args, expr, list(expr.free_vars))
    else:
        emit(args, expr, expr, {}, parse_point(args.at))


def _compiled_output(args, formulas, entries, labels, layout, names=None) -> bool:
    """``--points`` (CSV values of the entries as differentiated) or ``--format python`` (a
    function returning them, simplified unless --raw, laid out as ``layout``): True when one
    of them was printed."""
    names = list(free_vars(formulas)) if names is None else names
    if args.points:
        check_batch(args)
        write_batch(args, formulas, entries, labels, names)
        return True
    if args.format == "python":
        shown, notes = simplified(args, entries)
        index = {id(e): i for i, e in enumerate(entries)}
        print_python(args, _relayout(layout, entries, shown, index), names)
        print_notes(notes)
        return True
    return False


def _relayout(layout, entries, shown, index):
    """``layout`` (an entry or nested lists of entries) with each entry replaced by its
    simplified form."""
    if isinstance(layout, list):
        return [_relayout(item, entries, shown, index) for item in layout]
    return shown[index[id(layout)]]


def run_grad(args) -> None:
    f = read_formula(args.expr)
    names = variables(args, [f])
    entries, labels = gradient(f, names), [f"d/d{v}" for v in names]
    if _compiled_output(args, [f], entries, labels, entries, names):
        return
    emit_table(args, {"expression": str(f), "variables": names}, [f], entries, labels,
               list(range(len(names))))


def run_hessian(args) -> None:
    f = read_formula(args.expr)
    names = variables(args, [f])
    matrix = hessian(f, names)
    entries, labels, index = [], [], {}
    for i, u in enumerate(names):       # the upper triangle, row by row
        for j in range(i, len(names)):
            index[i, j] = index[j, i] = len(entries)
            entries.append(matrix[i][j])
            labels.append(f"d^2/d{u}^2" if i == j else f"d^2/d{u} d{names[j]}")
    shape = [[index[i, j] for j in range(len(names))] for i in range(len(names))]
    if _compiled_output(args, [f], entries, labels, matrix, names):
        return
    emit_table(args, {"expression": str(f), "variables": names}, [f], entries, labels, shape)


def run_jacobian(args) -> None:
    if sum(text.strip() == "-" for text in args.exprs) > 1:
        raise UsageError("only one EXPR can be - (the formula read from stdin)")
    fs = [read_formula(text) for text in args.exprs]
    names = variables(args, fs)
    matrix = jacobian(fs, names)
    entries = [entry for row in matrix for entry in row]
    n = len(names)
    labels = [f"d{f_index + 1}/d{v}" for f_index in range(len(fs)) for v in names]
    if _compiled_output(args, fs, entries, labels, matrix, names):
        return
    shape = [[r * n + j for j in range(n)] for r in range(len(fs))]
    emit_table(args, {"expressions": [str(f) for f in fs], "variables": names}, fs, entries,
               [f"d/d{v}" for v in names] * len(fs), shape, rows=True)


def run_check(args) -> int:
    f = read_formula(args.expr)
    names = variables(args, [f])
    report = check(f, names, points=args.points, hessian=args.hessian, seed=args.seed,
                   ranges=parse_ranges(args.range, names))
    if not report.checked:
        raise UsageError(f"no point could be checked: {report.skip_summary()}; choose where "
                         "with --range")
    print(json.dumps(report.to_dict()) if args.format == "json" else report)
    return 0 if report.ok else 1


def run_explain(args) -> None:
    """``symdiff explain``: the graph, the forward and backward pass, the gradient."""
    expr = read_formula(args.expr)
    point = required_point(args, expr)
    try:
        explanation = explain(expr, point, wrt_variables(args.wrt), args.name)
    except ValueError as error:
        raise UsageError(f"--name: {error}") from None
    if args.format == "json":
        print(json.dumps(explanation.to_dict()))
    elif args.format == "markdown":
        print(explanation.to_markdown())
    else:
        print(explanation.to_text())


def run_graph(args) -> None:
    """``symdiff graph``: DOT on stdout, or a .dot/.svg/.png/.pdf file with -o."""
    expr = read_formula(args.expr)
    point = parse_point(args.at) if args.at else None
    try:
        if args.output is None:
            print(to_dot(expr, point, args.name, args.max_nodes), end="")
        else:
            print(f"wrote {write_graph(expr, args.output, point, args.name, args.max_nodes)}")
    except ValueError as error:
        raise UsageError(f"--name: {error}") from None


def print_steps(args, expr: Expr, names: list[str]) -> None:
    """``symdiff diff --steps``: the derivation by each variable in turn, each ending in
    its result (simplified unless --raw), then the value at --at if given."""
    if args.format not in ("text", "json"):
        raise UsageError(f"--steps prints text or json, not {args.format}")
    if getattr(args, "points", None):
        raise UsageError("--steps shows a derivation; it cannot be combined with --points")
    point = parse_point(args.at) if args.at else None
    if point is not None:
        expr.evaluate(point)    # a derivative only exists where the formula is defined
    blocks, records, notes, current, raw = [], [], [], expr, expr * 0
    for name in names:
        steps = derivation_steps(current, name, simplify=False)
        raw = steps[-1].result
        (shown,), more = simplified(args, [raw])
        steps = with_simplified(steps, shown)
        blocks.append(steps_text(current, steps))
        if args.format == "json":
            records += [step.to_dict() for step in steps]
        notes += more
        current = shown
    if not names:
        blocks.append(f"{to_text(expr)} has no variables: its derivative is 0\nresult: 0")
        current = raw
    value = raw.evaluate(point) if point is not None else None   # as diff --at does
    if args.format == "json":
        record = {"expression": str(expr), "variables": names, "steps": records,
                  "result": str(current)}
        if value is not None:
            record.update(at=point, value=value)
        print(json.dumps(record))
    else:
        print("\n\n".join(blocks))
        if value is not None:
            at = ", ".join(f"{name}={format_number(v)}" for name, v in point.items())
            print(f"value at {at}: {format_number(value)}")
    print_notes(notes)


#: The function behind each command name.
COMMANDS = {"diff": run_diff, "simplify": run_simplify, "eval": run_eval, "grad": run_grad,
            "hessian": run_hessian, "jacobian": run_jacobian, "check": run_check,
            "explain": run_explain, "graph": run_graph}


def main(argv: list[str] | None = None) -> int:
    """Run ``symdiff ARGV...`` (default: ``sys.argv[1:]``) and return the exit status: 0,
    1 when ``check`` finds a disagreement, 2 on bad input. --help and --version exit with
    ``SystemExit(0)`` as argparse does."""
    try:
        args = parse_arguments(sys.argv[1:] if argv is None else list(argv))
        status = COMMANDS[args.command](args)
    except SymdiffError as error:
        print(f"symdiff: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # still one line, not a traceback
        message = limit_message(error)
        if message is not None:
            print(f"symdiff: error: {message}", file=sys.stderr)
            return 2
        print(f"symdiff: internal error: {type(error).__name__}: {_shown(error)} "
              "(please report this with the command that caused it)", file=sys.stderr)
        return 1
    return status or 0


def limit_message(error: BaseException) -> str | None:
    """The message for an error that comes from the size of the user's numbers or formula
    (arithmetic on them overflowing or dividing by zero, too many digits to print, too
    large to hold), or None for any other error: a bug in symdiff, such as a RecursionError
    (nothing in symdiff recurses over a formula, so reaching the limit is a bug)."""
    detail = _shown(error)
    if isinstance(error, OverflowError):
        return f"a number in the formula overflows a float ({detail})"
    if isinstance(error, ZeroDivisionError):
        return f"a number in the formula is divided by zero ({detail})"
    if isinstance(error, ArithmeticError):
        return f"arithmetic on a number in the formula failed ({detail})"
    if isinstance(error, MemoryError):
        return "out of memory: the formula or its result is too large"
    if isinstance(error, ValueError) and "integer string conversion" in detail:
        return "a number in the formula or its result has too many digits to print"
    return None


def _shown(error: BaseException, limit: int = 200) -> str:
    """An error's message on one line, cut short."""
    try:
        text = " ".join(str(error).split())
    except Exception:           # a message that cannot be made (too many digits...)
        text = type(error).__name__
    return text if len(text) <= limit else text[:limit] + "..."


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
