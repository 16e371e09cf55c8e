"""The ``symdiff`` command's arguments: one argparse subcommand per command, sharing option
groups (--at and --format, --vars, the simplifier's budget, --points). A bad argument is a
``UsageError`` (one line, exit status 2), not argparse's own exit."""
from __future__ import annotations

import argparse

from ..rewriting.cost import COST_MODELS
from ..teaching.drawing import MAX_NODES as MAX_DRAWN_NODES
from ..version import __version__
from .arguments import MAX_ITERATIONS, TIMEOUT, UsageError, seconds, whole_number
from .help import (CHECK_EXAMPLES, CHECK_NOTES, DIFF_EXAMPLES, DIFF_NOTES, EVAL_EXAMPLES,
                   EXAMPLES, EXPLAIN_EXAMPLES, EXPLAIN_NOTES, GRAD_EXAMPLES, GRAPH_EXAMPLES,
                   GRAPH_NOTES, HESSIAN_EXAMPLES, JACOBIAN_EXAMPLES, SIMPLIFIED_NOTES,
                   SIMPLIFY_EXAMPLES, SIMPLIFY_NOTES, matrix_notes)


class _Parser(argparse.ArgumentParser):
    """Errors become a ``UsageError`` with the usage line, instead of argparse's exit."""

    def error(self, message):
        raise UsageError(f"{message}\nusage: {self.format_usage().strip()[7:]}")


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command; ``args.command`` names the one given. --help and
    --version print and exit (``SystemExit``) as argparse does."""
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
    options.add_argument("--format", choices=("text", "latex", "json", "python", "c"),
                         default="text", help="output format (default: text); python prints "
                         "a standalone Python function computing the result, c a C99 "
                         "header and source")
    files = _Parser(add_help=False)
    files.add_argument("-f", "--file", action="append", default=[], metavar="FILE",
                       help="read the formulas from FILE (also written @FILE in place of "
                            "EXPR): comments, name = formula lines, define and function "
                            "lines, one result a line; may be repeated")
    files.add_argument("--define", action="append", default=[], metavar="'f(u) = ...'",
                       help="a function of your own, such as 'softplus2(u) = log(1 + "
                            "exp(u))'; may be repeated")
    files.add_argument("--function", action="append", default=[], metavar="f,g",
                       help="undefined functions the formulas may call, such as f(x); may "
                            "be repeated")
    formula = _Parser(add_help=False, parents=[files])
    formula.add_argument("expr", metavar="EXPR", nargs="?",
                         help="the formula, - to read it from stdin, or @FILE")
    picks = _Parser(add_help=False)
    picks.add_argument("--output", dest="output_names", action="append", default=[],
                       metavar="NAME[,NAME]", help="the named results of the file to use "
                                                   "(default: its results)")
    formula_picked = _Parser(add_help=False, parents=[formula, picks])
    common = _Parser(add_help=False, parents=[options, formula_picked])
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
    budget.add_argument("--cost", choices=COST_MODELS, default="ops",
                        help="what a simpler form is: fewest operations as printed (ops, the "
                             "default), the shortest chain of operations (depth), or the "
                             "least floating-point work (flops, for generated code)")
    batch = _Parser(add_help=False)
    batch.add_argument("--points", metavar="FILE.csv",
                       help="evaluate at every point of a CSV file (a header line naming the "
                            "variables, one point per row) and print CSV")
    derivative_options = _Parser(add_help=False, parents=[budget, batch])
    derivative_options.add_argument("--raw", action="store_true",
                             help="print the derivatives as differentiated, not simplified")

    d = commands.add_parser(
        "diff", parents=[common, derivative_options], help="differentiate formulas",
        usage="symdiff diff [options] EXPR [EXPR ...] [VAR [COUNT] ...]",
        description=DIFF_NOTES + "\n" + SIMPLIFIED_NOTES, epilog=DIFF_EXAMPLES,
        formatter_class=raw)
    d.add_argument("rest", nargs="*", metavar="EXPR|VAR|COUNT",
                   help="more formulas, then the variables to differentiate by, each "
                        "optionally followed by how many times")
    d.add_argument("--steps", action="store_true",
                   help="show the derivation: each rule (sum, product, quotient, power, "
                        "chain, the derivative table) on each subexpression, innermost first")

    s = commands.add_parser(
        "simplify", parents=[common, budget], help="simplify a formula",
        description="Print a simpler form of EXPR, equal to it wherever EXPR is defined.\n\n"
                    + SIMPLIFY_NOTES, epilog=SIMPLIFY_EXAMPLES, formatter_class=raw)
    s.add_argument("--rules", action="append", default=[], metavar="FILE",
                   help="a rules file whose rules are used too; may be repeated")
    s.add_argument("--only-rules", action="store_true",
                   help="use only the rules of the --rules files, not the default ones")
    s.add_argument("--trace", "--explain", action="store_true",
                   help="print the chain of rewrite steps from EXPR to the chosen form, and "
                        "the stop reason, before the result")

    commands.add_parser(
        "eval", parents=[common, batch], help="evaluate a formula at a point",
        description="Print the value of EXPR at the point given by --at, or at every point\n"
                    "of a CSV file given by --points (printed as CSV). Every name of --at\n"
                    "must occur in EXPR.",
        epilog=EVAL_EXAMPLES, formatter_class=raw)

    commands.add_parser(
        "grad", parents=[common, with_vars, derivative_options],
        help="every first partial derivative (gradient)",
        description="The gradient of EXPR: one line per variable, d/dVAR = derivative\n"
                    "(all of them from one reverse sweep over the formula).\n\n"
                    + matrix_notes("grad") + "\n" + SIMPLIFIED_NOTES, epilog=GRAD_EXAMPLES,
        formatter_class=raw)

    commands.add_parser(
        "hessian", parents=[common, with_vars, derivative_options],
        help="every second partial derivative (Hessian matrix)",
        description="The Hessian of EXPR, a symmetric matrix: one line per entry of the\n"
                    "upper triangle, row by row (d^2/dx dy = d^2/dy dx is printed once;\n"
                    "latex and json give the whole matrix).\n\n" + matrix_notes("hessian") + "\n"
                    + SIMPLIFIED_NOTES, epilog=HESSIAN_EXAMPLES, formatter_class=raw)

    j = commands.add_parser(
        "jacobian", parents=[options, files, picks, with_vars, derivative_options],
        help="the partial derivatives of several formulas (Jacobian matrix)",
        description="The Jacobian of the formulas: for each EXPR, the formula as a header\n"
                    "line and under it one d/dVAR line per variable (a row of the matrix).\n\n"
                    + matrix_notes("jacobian") + "\n" + SIMPLIFIED_NOTES,
        epilog=JACOBIAN_EXAMPLES,
        formatter_class=raw)
    j.add_argument("exprs", nargs="*", metavar="EXPR",
                   help="the formulas; one of them may be - to read it from stdin; @FILE "
                        "reads a formula file")

    c = commands.add_parser(
        "check", parents=[formula_picked, with_vars],
        help="check the derivatives against independent oracles",
        description=CHECK_NOTES, epilog=CHECK_EXAMPLES, formatter_class=raw)
    c.add_argument("--points", type=whole_number, default=5, metavar="N",
                   help="points to compare at (default: 5)")
    c.add_argument("--hessian", action="store_true", help="check the Hessian too")
    c.add_argument("--seed", type=int, default=0, metavar="S",
                   help="seed of the random points (default: 0)")
    c.add_argument("--range", action="append", default=[], metavar="LO:HI",
                   help="where to draw the points: LO:HI for every variable, or "
                        "x=LO:HI,y=LO:HI (also for a name not in --vars: a parameter drawn "
                        "per point, not differentiated); may be repeated")
    c.add_argument("--at", action="append", default=[], metavar="a=0.5",
                   help="values of names not in --vars (parameters), fixed during the "
                        "check; may be repeated")
    c.add_argument("--format", choices=("text", "json"), default="text",
                   help="output format (default: text)")

    x = commands.add_parser(
        "explain", parents=[formula_picked],
        help="reverse mode step by step: graph, values, local derivatives, adjoints",
        description=EXPLAIN_NOTES, epilog=EXPLAIN_EXAMPLES, formatter_class=raw)
    x.add_argument("--at", action="append", default=[], metavar="x=3,y=4",
                   help="the point: name=value pairs; may be repeated")
    x.add_argument("--wrt", action="append", default=[], metavar="w,b",
                   help="the variables whose gradient to print (default: all)")
    x.add_argument("--name", metavar="NAME", help="the output's name (default: L)")
    x.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                   help="output format (default: text)")

    gr = commands.add_parser(
        "graph", parents=[formula], help="draw the computational graph (DOT, SVG, PNG, PDF)",
        description=GRAPH_NOTES, epilog=GRAPH_EXAMPLES, formatter_class=raw)
    gr.add_argument("--at", action="append", default=[], metavar="x=3,y=4",
                    help="a point: show values, adjoints and local derivatives")
    gr.add_argument("-o", "--output", metavar="FILE",
                    help="write FILE.dot, .gv, .svg, .png or .pdf (default: DOT on stdout)")
    gr.add_argument("--name", metavar="NAME", help="the output's name (default: L)")
    gr.add_argument("--max-nodes", type=whole_number, default=MAX_DRAWN_NODES, metavar="N",
                    help=f"draw at most N nodes (default: {MAX_DRAWN_NODES})")
    return parser


def _shield_formulas(argv: list[str]) -> list[str]:
    """``-x^2`` is a formula, not an option: symdiff has no short options besides -h and -f
    (and graph's -o), so a leading space (which the grammar ignores) keeps argparse from
    reading it as one. (The formula -f is written (-f).)"""
    options = ("-", "-h", "-f", "-o") if argv[:1] == ["graph"] else ("-", "-h", "-f")
    return [" " + a if a.startswith("-") and not a.startswith("--") and a not in options
            else a for a in argv]


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """The command and its options from ``argv`` (without the program name)."""
    return build_parser().parse_args(_shield_formulas(argv))
