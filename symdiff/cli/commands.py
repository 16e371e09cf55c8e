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
from .arguments import (UsageError, formula_point, read_rules, required_point, variables,
                        wrt_variables)
from .batch import PRINTERS, check_batch, write_batch
from .check_command import run_check
from .hints import absent_notes, print_hints
from .notes import simplified, stop_note, trace_lines, trace_record
from .output import emit, emit_several, emit_table, print_notes
from .positionals import derivative_label, expanded, split_positionals
from .progress import simplifying
from .sources import formula_texts, one_result, read_results
from .steps import print_steps
from .parser import parse_arguments


def run_diff(args) -> None:
    texts, orders = split_positionals(formula_texts(args) + list(args.rest),
                                      first_is_formula=not args.file)
    named = read_results(args, texts)
    formulas = [expr for _, expr in named]
    given = [f'"{texts[0]}"'] if texts else [f"-f {path}" for path in args.file[:1]]
    names = expanded(orders) or _only_variable(formulas, given)
    hints = absent_notes(names, formulas)
    if args.steps:
        print_steps(args, formulas, names)
        return print_hints(hints)
    results = [diff(f, *[Var(n) for n in names]) if names else f * 0 for f in formulas]
    label = derivative_label(names) if names else "derivative"
    several = len(formulas) > 1 or any(name for name, _ in named)
    titles = [derivative_label(names, name) if name and names else name for name, _ in named]
    labels = ([title or f"{label} of {to_text(f, max_length=60)}"
               for title, f in zip(titles, formulas)] if several else [label])
    if _compiled_output(args, formulas, results, labels, results if several else results[0]):
        return print_hints(hints)
    point = _point(args, formulas, names)
    for expr in formulas if point is not None else ():
        expr.evaluate(point)    # a derivative only exists where the formula is defined
    notes = []
    if point is None or args.format == "json":     # the value comes from the raw result
        shown, notes = simplified(args, results)
    else:
        shown = results
    if several:
        emit_several(args, formulas, shown, {"variables": names}, point, values_of=results,
                     titles=titles, names=[name for name, _ in named])
    else:
        emit(args, formulas[0], shown[0], {"variables": names}, point, value_of=results[0])
    print_notes(notes)
    print_hints(hints)


def _only_variable(formulas: list[Expr], given: list[str]) -> list[str]:
    """diff with no VAR: the formulas' only variable (none for a constant); ``given`` is
    how the formulas were given, for the example in the message."""
    free = free_vars(formulas)
    if len(free) > 1:
        which = "formula has" if len(formulas) == 1 else "formulas have"
        raise UsageError(f"the {which} {len(free)} variables ({', '.join(free)}): "
                         f"name the one to differentiate by, e.g. "
                         f"symdiff diff {' '.join(given)} {free[0]}")
    return list(free)


def run_simplify(args) -> None:
    if args.only_rules and not args.rules:
        raise UsageError("--only-rules needs at least one --rules FILE (the rules to use)")
    loaded = [rule for path in args.rules for rule in read_rules(path)]
    expr = one_result(args)
    point = _point(args, [expr])
    if point is not None:
        expr.evaluate(point)    # the result may be defined at more points than the formula
    rules, extra = (loaded, ()) if args.only_rules else (None, loaded)
    with simplifying(args) as progress:
        result = simplify_result(expr, rules, extra, timeout=args.timeout,
                                 max_iterations=args.max_iterations, trace=args.trace,
                                 cost=args.cost, progress=progress)
    details = {"stop_reason": result.stop_reason, "iterations": result.iterations}
    if args.trace and args.format == "json":
        details["steps"] = [trace_record(step) for step in result.steps]
    elif args.trace:    # stdout stays valid Python or LaTeX: the trace goes to stderr then
        print("\n".join(trace_lines(result)),
              file=sys.stdout if args.format == "text" else sys.stderr)
    if args.format in PRINTERS:     # keeps the formula's variables, even ones that cancel
        PRINTERS[args.format](args, result.expr, list(expr.free_vars))
    else:
        emit(args, expr, result.expr, {}, point, details=details)
    if result.stop_reason != "saturated":
        print(stop_note(args, result), file=sys.stderr)


def run_eval(args) -> None:
    named = read_results(args, formula_texts(args))
    formulas = [expr for _, expr in named]
    if args.points:
        check_batch(args)
        labels = ["value"] if len(named) == 1 else [name or f"value of {to_text(f, max_length=60)}"
                                                     for name, f in named]
        write_batch(args, [], formulas, labels, list(free_vars(formulas)))
    elif args.format in PRINTERS:
        PRINTERS[args.format](args, formulas[0] if len(named) == 1 else formulas,
                     list(free_vars(formulas)))
    elif len(named) == 1 and named[0][0] is None:
        emit(args, formulas[0], formulas[0], {}, _point(args, formulas) or {})
    else:
        emit_several(args, formulas, formulas, {}, _point(args, formulas) or {}, formulas,
                     titles=[name for name, _ in named], names=[name for name, _ in named])


def _compiled_output(args, formulas, entries, labels, layout, names=None) -> bool:
    """``--points`` (CSV values of the entries as differentiated) or ``--format python`` (a
    function returning them, simplified unless --raw, laid out as ``layout``): True when one
    of them was printed."""
    names = list(free_vars(formulas)) if names is None else names
    if args.points:
        check_batch(args)
        write_batch(args, formulas, entries, labels, names)
        return True
    if args.format in PRINTERS:
        shown, notes = simplified(args, entries)
        index = {id(e): i for i, e in enumerate(entries)}
        PRINTERS[args.format](args, _relayout(layout, entries, shown, index), names)
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
    f = one_result(args)
    names = variables(args, [f])
    entries, labels = gradient(f, names), [f"d/d{v}" for v in names]
    if _compiled_output(args, [f], entries, labels, entries, names):
        return
    emit_table(args, {"expression": str(f), "variables": names}, [f], entries, labels,
               list(range(len(names))), point=_point(args, [f], names))


def run_hessian(args) -> None:
    f = one_result(args)
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
    emit_table(args, {"expression": str(f), "variables": names}, [f], entries, labels, shape,
               point=_point(args, [f], names))


def run_jacobian(args) -> None:
    named = read_results(args, args.exprs)
    fs = [expr for _, expr in named]
    names = variables(args, fs)
    matrix = jacobian(fs, names)
    entries = [entry for row in matrix for entry in row]
    n = len(names)
    labels = [f"d{name or f_index + 1}/d{v}" for f_index, (name, _) in enumerate(named)
              for v in names]
    if _compiled_output(args, fs, entries, labels, matrix, names):
        return
    shape = [[r * n + j for j in range(n)] for r in range(len(fs))]
    record = {"expressions": [str(f) for f in fs], "variables": names}
    if any(name for name, _ in named):
        record["names"] = [name for name, _ in named]
    emit_table(args, record, fs, entries, [f"d/d{v}" for v in names] * len(fs), shape,
               rows=True, point=_point(args, fs, names), titles=[name for name, _ in named])


def _point(args, formulas: list[Expr], names=()) -> dict | None:
    """The point of --at (None without it): each name in a formula or among ``names``."""
    return formula_point(args.at, formulas, names) if args.at else None


def run_explain(args) -> None:
    """``symdiff explain``: the graph, the forward and backward pass, the gradient."""
    expr = one_result(args)
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
    expr = one_result(args)
    point = _point(args, [expr])
    try:
        if args.output is None:
            print(to_dot(expr, point, args.name, args.max_nodes), end="")
        else:
            print(f"wrote {write_graph(expr, args.output, point, args.name, args.max_nodes)}")
    except ValueError as error:
        raise UsageError(f"--name: {error}") from None


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
