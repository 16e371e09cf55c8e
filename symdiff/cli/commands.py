"""The ``symdiff`` command line. Bad input gives one clear message and exit status 2."""
from __future__ import annotations

import argparse
import json
import sys

from ..version import __version__

from ..rewriting.simplify import simplify_result
from ..verify.check import check
from .batch import check_batch, print_python, write_batch
from .help import (EXAMPLES, SIMPLIFIED_NOTES, MATRIX_NOTES, GRAD_EXAMPLES, HESSIAN_EXAMPLES,
                       SIMPLIFY_NOTES, SIMPLIFY_EXAMPLES, JACOBIAN_EXAMPLES, CHECK_NOTES,
                       CHECK_EXAMPLES, EXPLAIN_NOTES, EXPLAIN_EXAMPLES, GRAPH_NOTES, GRAPH_EXAMPLES)
from .io import (MAX_ITERATIONS, TIMEOUT, UsageError, check_variable, emit, emit_table,
                     parse_point, parse_ranges, print_steps, read_formula, read_rules,
                     run_explain_command, run_graph_command, seconds, simplified, stop_note,
                     trace_lines, trace_record, variables, whole_number)
from ..calculus.diff import diff, gradient, hessian, jacobian
from ..teaching.drawing import MAX_NODES as MAX_DRAWN_NODES
from ..core.errors import SymdiffError
from ..core.nodes import Var
from ..core.walk import free_vars


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{message}\nusage: {self.format_usage().strip()[7:]}")


def build_parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog="symdiff", description="Exact symbolic derivatives of formulas.",
                     epilog=EXAMPLES, formatter_class=raw)
    parser.add_argument("--version", action="version", version=f"symdiff {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    options = _Parser(add_help=False)
    options.add_argument("--at", action="append", default=[], metavar="x=3,y=4",
                         help="a point: name=value pairs (values may be formulas such as "
                              "pi/2); may be repeated")
    options.add_argument("--format", choices=("text", "latex", "json", "python"),
                         default="text", help="output format (default: text); python prints "
                         "a standalone Python function computing the result")
    common = _Parser(add_help=False, parents=[options])
    common.add_argument("expr", metavar="EXPR", help="the formula, or - to read it from stdin")
    with_vars = _Parser(add_help=False)
    with_vars.add_argument("--vars", action="append", default=[], metavar="x,y",
                           help="the variables, comma-separated, in the order wanted "
                                "(default: the formula's variables, sorted)")
    budget = _Parser(add_help=False)
    budget.add_argument("--timeout", type=seconds, default=TIMEOUT, metavar="SECONDS",
                        help=f"seconds to spend simplifying, at most (default: {TIMEOUT:g})")
    budget.add_argument("--max-iterations", type=whole_number, default=MAX_ITERATIONS,
                        metavar="N", help="passes of the simplifier at most "
                                          f"(default: {MAX_ITERATIONS})")
    batch = _Parser(add_help=False)
    batch.add_argument("--points", metavar="FILE.csv",
                       help="evaluate at every point of a CSV file (a header line naming the "
                            "variables, one point per row) and print CSV")
    derivative_options = _Parser(add_help=False, parents=[budget, batch])
    derivative_options.add_argument("--raw", action="store_true",
                             help="print the derivatives as differentiated, not simplified")

    d = commands.add_parser(
        "diff", parents=[common, derivative_options], help="differentiate a formula",
        description="Differentiate EXPR by each VAR in turn (repeat a VAR for higher\n"
                    "derivatives). With no VAR, the formula's only variable is used. With\n"
                    "--at, print the derivative's value at that point.\n\n"
                    + SIMPLIFIED_NOTES, epilog=EXAMPLES, formatter_class=raw)
    d.add_argument("vars", nargs="*", metavar="VAR", help="variables to differentiate by")
    d.add_argument("--steps", action="store_true",
                   help="show the derivation: each rule (sum, product, quotient, power, "
                        "chain, the derivative table) on each subexpression, innermost first")
    d.set_defaults(run=run_diff)

    s = commands.add_parser(
        "simplify", parents=[common, budget], help="simplify a formula",
        description="Print a simpler form of EXPR, equal to it wherever EXPR is defined.\n\n"
                    + SIMPLIFY_NOTES, epilog=SIMPLIFY_EXAMPLES, formatter_class=raw)
    s.add_argument("--rules", action="append", default=[], metavar="FILE",
                   help="a rules file whose rules are used too; may be repeated")
    s.add_argument("--only-rules", action="store_true",
                   help="use only the rules of the --rules files, not the default ones")
    s.add_argument("--trace", action="store_true",
                   help="print every rewrite step and the stop reason before the result")
    s.set_defaults(run=run_simplify)

    ev = commands.add_parser(
        "eval", parents=[common, batch], help="evaluate a formula at a point",
        description="Print the value of EXPR at the point given by --at, or at every point\n"
                    "of a CSV file given by --points (printed as CSV).",
        epilog=EXAMPLES, formatter_class=raw)
    ev.set_defaults(run=run_eval)

    g = commands.add_parser(
        "grad", parents=[common, with_vars, derivative_options],
        help="every first partial derivative (gradient)",
        description="The gradient of EXPR: one line per variable, d/dVAR = derivative\n"
                    "(all of them from one reverse sweep over the formula).\n\n"
                    + MATRIX_NOTES + "\n" + SIMPLIFIED_NOTES, epilog=GRAD_EXAMPLES,
        formatter_class=raw)
    g.set_defaults(run=run_grad)

    h = commands.add_parser(
        "hessian", parents=[common, with_vars, derivative_options],
        help="every second partial derivative (Hessian matrix)",
        description="The Hessian of EXPR, a symmetric matrix: one line per entry of the\n"
                    "upper triangle, row by row (d^2/dx dy = d^2/dy dx is printed once;\n"
                    "latex and json give the whole matrix).\n\n" + MATRIX_NOTES + "\n"
                    + SIMPLIFIED_NOTES, epilog=HESSIAN_EXAMPLES, formatter_class=raw)
    h.set_defaults(run=run_hessian)

    j = commands.add_parser(
        "jacobian", parents=[options, with_vars, derivative_options],
        help="the partial derivatives of several formulas (Jacobian matrix)",
        description="The Jacobian of the formulas: for each EXPR, the formula as a header\n"
                    "line and under it one d/dVAR line per variable (a row of the matrix).\n\n"
                    + MATRIX_NOTES + "\n" + SIMPLIFIED_NOTES, epilog=JACOBIAN_EXAMPLES,
        formatter_class=raw)
    j.add_argument("exprs", nargs="+", metavar="EXPR",
                   help="the formulas; one of them may be - to read it from stdin")
    j.set_defaults(run=run_jacobian)

    c = commands.add_parser(
        "check", parents=[with_vars], help="check the derivatives against independent oracles",
        description=CHECK_NOTES, epilog=CHECK_EXAMPLES, formatter_class=raw)
    c.add_argument("expr", metavar="EXPR", help="the formula, or - to read it from stdin")
    c.add_argument("--points", type=whole_number, default=5, metavar="N",
                   help="points to compare at (default: 5)")
    c.add_argument("--hessian", action="store_true", help="check the Hessian too")
    c.add_argument("--seed", type=int, default=0, metavar="S",
                   help="seed of the random points (default: 0)")
    c.add_argument("--range", action="append", default=[], metavar="LO:HI",
                   help="where to draw the points: LO:HI for every variable, or "
                        "x=LO:HI,y=LO:HI; may be repeated")
    c.add_argument("--format", choices=("text", "json"), default="text",
                   help="output format (default: text)")
    c.set_defaults(run=run_check)

    x = commands.add_parser(
        "explain", help="reverse mode step by step: graph, values, local derivatives, adjoints",
        description=EXPLAIN_NOTES, epilog=EXPLAIN_EXAMPLES, formatter_class=raw)
    x.add_argument("expr", metavar="EXPR", help="the formula, or - to read it from stdin")
    x.add_argument("--at", action="append", default=[], metavar="x=3,y=4",
                   help="the point: name=value pairs; may be repeated")
    x.add_argument("--wrt", action="append", default=[], metavar="w,b",
                   help="the variables whose gradient to print (default: all)")
    x.add_argument("--name", metavar="NAME", help="the output's name (default: L)")
    x.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                   help="output format (default: text)")
    x.set_defaults(run=run_explain_command)

    gr = commands.add_parser(
        "graph", help="draw the computational graph (DOT, SVG, PNG, PDF)",
        description=GRAPH_NOTES, epilog=GRAPH_EXAMPLES, formatter_class=raw)
    gr.add_argument("expr", metavar="EXPR", help="the formula, or - to read it from stdin")
    gr.add_argument("--at", action="append", default=[], metavar="x=3,y=4",
                    help="a point: show values, adjoints and local derivatives")
    gr.add_argument("-o", "--output", metavar="FILE",
                    help="write FILE.dot, .gv, .svg, .png or .pdf (default: DOT on stdout)")
    gr.add_argument("--name", metavar="NAME", help="the output's name (default: L)")
    gr.add_argument("--max-nodes", type=whole_number, default=MAX_DRAWN_NODES, metavar="N",
                    help=f"draw at most N nodes (default: {MAX_DRAWN_NODES})")
    gr.set_defaults(run=run_graph_command)
    return parser


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
    for note in notes:
        print(note, file=sys.stderr)


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
    elif args.trace:
        print("\n".join(trace_lines(result)))
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
        for note in notes:
            print(note, file=sys.stderr)
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


def _shield_formulas(argv: list[str]) -> list[str]:
    """``-x^2`` is a formula, not an option: symdiff has no short options besides -h (and
    graph's -o), so a leading space (which the grammar ignores) keeps argparse from reading
    it as one."""
    options = ("-", "-h", "-o") if argv[:1] == ["graph"] else ("-", "-h")
    return [" " + a if a.startswith("-") and not a.startswith("--") and a not in options
            else a for a in argv]


def main(argv: list[str] | None = None) -> int:
    try:
        argv = sys.argv[1:] if argv is None else argv
        args = build_parser().parse_args(_shield_formulas(argv))
        status = args.run(args)
    except SymdiffError as error:
        print(f"symdiff: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug in symdiff: still one line, not a traceback
        print(f"symdiff: internal error: {type(error).__name__}: {error} "
              "(please report this with the command that caused it)", file=sys.stderr)
        return 1
    return status or 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
