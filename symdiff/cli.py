"""The ``symdiff`` command line. Bad input gives one clear message and exit status 2."""
from __future__ import annotations

import argparse
import json
import sys

from . import __version__, simplify_result
from .check import check
from .cli_batch import check_batch, print_python, write_batch
from .cli_io import print_steps, run_explain_command, run_graph_command
from .drawing import MAX_NODES as MAX_DRAWN_NODES
from .cli_io import (MAX_ITERATIONS, TIMEOUT, UsageError, check_variable, emit, emit_table,
                     parse_point, parse_ranges, read_formula, read_rules, seconds, simplified,
                     stop_note, trace_lines, trace_record, variables, whole_number)
from .diff import diff, gradient, hessian, jacobian
from .errors import SymdiffError
from .expr import Var
from .graph import free_vars

EXAMPLES = """\
examples:
  symdiff diff "x^2*y + y + 2" x             2*x*y
  symdiff diff "x*x*y + y + 2" y             x^2 + 1
  symdiff diff "x^2*y" x y                   2*x   (d/dy of d/dx)
  symdiff diff "sin(x^2)" --at x=3           -5.466781571308061
  symdiff diff "x^2*y" x --format latex      2 x y
  symdiff diff "-x^2" x                      -2*x
  echo "log(x)/x" | symdiff diff -           (1 - log(x))/x^2
  symdiff diff "x/(x + 1)" x                 1/(x + 1)^2
  symdiff diff "x/(x + 1)" x --raw           1/(x + 1) - x/(x + 1)^2
  symdiff simplify "sin(x)^2 + cos(x)^2"     1
  symdiff simplify "(x^2 - 1)/(x - 1)"       x + 1
  symdiff eval "x*x*y + y + 2" --at x=3,y=4  42
  symdiff grad "x^2*y + y + 2"               d/dx = 2*x*y
                                             d/dy = x^2 + 1
  symdiff hessian "x^2*y + y + 2"            d^2/dx^2  = 2*y
                                             d^2/dx dy = 2*x
                                             d^2/dy^2  = 0
  symdiff jacobian "x*y" "x+y" --at x=3,y=4  x*y:
                                               d/dx = 4
                                               d/dy = 3
                                             x + y:
                                               d/dx = 1
                                               d/dy = 1
"""

SIMPLIFIED_NOTES = """\
Results are simplified as by symdiff simplify, all of them together (what
they share is simplified once) within --timeout; when a limit stops that
early, a note on stderr says so. --raw prints them as differentiated. With --at,
values are computed from the unsimplified derivative, which is quicker and
gives the same number wherever both are defined.
"""

MATRIX_NOTES = """\
Variables: by default the formula's own (for jacobian, those of all the
formulas), sorted with x2 before x10; --vars x,y lists them in the order
wanted, and a listed variable that does not occur gets the partial
derivative 0. With --at, each entry's value at that point is printed instead
(the formula must be defined there). --format latex prints a pmatrix (the
gradient as a column); --format json prints one object: "result" holds the
entries as text in nested lists, "latex" the same in LaTeX, and with --at,
"value" the numbers.

When the entries written out would be much larger than the expression DAG,
shared subexpressions are bound once first (t1 = ..., t2 = ...) and the
entries refer to them (json: "bindings" and no "latex").
"""

GRAD_EXAMPLES = """\
examples:
  $ symdiff grad "x^2*y + y + 2"
  d/dx = 2*x*y
  d/dy = x^2 + 1
  $ symdiff grad "x^2*y + y + 2" --at x=3,y=4
  d/dx = 24
  d/dy = 10
  $ symdiff grad "x^2*y" --vars y,z
  d/dy = x^2
  d/dz = 0
  $ symdiff grad "x^2*y" --format latex
  \\begin{pmatrix}
  2 x y \\\\
  x^{2}
  \\end{pmatrix}
  $ symdiff grad "x*y" --format json
  {"expression": "x*y", "variables": ["x", "y"], "result": ["y", "x"], "latex": ["y", "x"]}
"""

HESSIAN_EXAMPLES = """\
examples:
  $ symdiff hessian "x^2*y + y + 2"
  d^2/dx^2  = 2*y
  d^2/dx dy = 2*x
  d^2/dy^2  = 0
  $ symdiff hessian "x^3*y^2" --at x=1,y=2
  d^2/dx^2  = 24
  d^2/dx dy = 12
  d^2/dy^2  = 2
  $ symdiff hessian "x^2*y + y + 2" --format latex
  \\begin{pmatrix}
  2 y & 2 x \\\\
  2 x & 0
  \\end{pmatrix}
"""

SIMPLIFY_NOTES = """\
The rules are the default groups (symdiff.rules.DEFAULT_RULES) and those of
each --rules FILE; with --only-rules, those of the files alone. They are
applied bottom-up, pass after pass, until a pass changes nothing (saturated)
or a limit is reached: --max-iterations passes, --timeout seconds, or a size
limit. A result cut short by a limit is still equal to EXPR, and a note on
stderr says it may simplify further (the exit status is 0). The value never
changes where EXPR is defined, but the result may be defined at more points:
(x^2 - 1)/(x - 1) becomes x + 1. With --at, the result's value at the point
is printed (EXPR must be defined there).

A rules file has one rule per line, in the formula syntax; # starts a comment:
  # name: left side -> right side [where condition]
  secant: 1/cos(a) -> sec(a)
  atan-reciprocal: atan(1/a) -> pi/2 - atan(a) where a > 0
Each variable of the left side stands for any subexpression. A condition is
a list of comparisons (a > 0, n >= 2, a != 0) and properties (n is integer,
even, odd, number, constant, positive, nonnegative, negative, nonpositive,
nonzero) joined by commas or "and"; the rule fires only where the condition
is known to hold. A rule that undoes a default one (sin(2*a) -> 2*sin(a)*cos(a)
undoes double-angle-sin) makes the two go round in a cycle, which stops the
simplifier with a note: use such a rule with --only-rules.

--trace prints each rewrite step as "rule: before  =>  after" (a side longer
than 1000 characters is cut short with ...), then the stop reason and the
number of passes, then the result. --format json adds "stop_reason" and
"iterations", and with --trace "steps" (each with rule, before and after).
"""

SIMPLIFY_EXAMPLES = """\
examples:
  $ symdiff simplify "sin(x)^2 + cos(x)^2"
  1
  $ symdiff simplify "(x^2 - 1)/(x - 1)"
  x + 1
  $ symdiff simplify "x*sin(x)^2 + x*cos(x)^2" --trace
  collect-common-factors: x*cos(x)^2 + x*sin(x)^2  =>  x*(cos(x)^2 + sin(x)^2)
  pythagoras: cos(x)^2 + sin(x)^2  =>  1
  stopped: saturated after 3 passes
  x
  $ symdiff simplify "log(x) + log(y)" --format latex
  \\log\\left(x y\\right)
  $ symdiff simplify "exp(x)*exp(y)" --format json
  {"expression": "exp(x)*exp(y)", "result": "exp(x + y)", "latex": "e^{x + y}", "stop_reason": "saturated", "iterations": 2}
  $ symdiff simplify "tan(x)^2 + 1" --at x=0
  1
"""

JACOBIAN_EXAMPLES = """\
examples:
  $ symdiff jacobian "x*y" "x+y"
  x*y:
    d/dx = y
    d/dy = x
  x + y:
    d/dx = 1
    d/dy = 1
  $ symdiff jacobian "r*cos(t)" "r*sin(t)" --at r=2,t=0
  r*cos(t):
    d/dr = 1
    d/dt = 0
  r*sin(t):
    d/dr = 0
    d/dt = 2
  $ symdiff jacobian "r*cos(t)" "r*sin(t)" --format latex
  \\begin{pmatrix}
  \\cos\\left(t\\right) & -r \\sin\\left(t\\right) \\\\
  \\sin\\left(t\\right) & r \\cos\\left(t\\right)
  \\end{pmatrix}
"""

CHECK_NOTES = """\
Compare symdiff's gradient of EXPR (with --hessian, its Hessian too) with
four oracles at random points: SymPy (sympy.diff, evaluated to 30 digits),
dual numbers (one forward pass per variable), a numeric reverse-mode tape,
and central finite differences with Richardson extrapolation. None of them
uses symdiff's derivative table, so a wrong rule shows up as a disagreement.

Points come from --seed: each coordinate uniform in [-2, -0.1] or [0.1, 2],
unless --range says otherwise. An error is |a - b| / max(|a|, |b|, 1) (so
absolute below 1). SymPy, dual numbers and the tape must agree to 1e-8,
finite differences to 1e-6 (1e-4 for second derivatives). A point where EXPR
or symdiff's derivatives are undefined, or ill-conditioned, is skipped and
counted; so is, for that method alone, a point where one method cannot give a
value. SymPy is left out for formulas of more than 400 nodes, and after 10 s.

Exit status: 0 when every method agrees, 1 when one disagrees (the point,
the entry and both values are printed), 2 on bad input or when no point
could be checked. --format json prints the report as one object.
"""

CHECK_EXAMPLES = """\
examples:
  $ symdiff check "x^2*y + sin(x*y)"
  checked the gradient of x^2*y + sin(x*y) by x, y at 5 points (seed 0)
  method              points  largest error  tolerance  where
  sympy               5       1.1e-16        1e-08      d/dy at x=0.869, y=1.94
  dual numbers        5       0              1e-08      -
  tape                5       0              1e-08      -
  finite differences  5       2.4e-11        1e-06      d/dy at x=0.869, y=1.94
  ok: every method agrees with symdiff within tolerance
  $ symdiff check "log(x)*sqrt(y)" --hessian --points 3 --range 0.5:2
  checked the gradient and Hessian of sqrt(y)*log(x) by x, y at 3 points (seed 0)
  method                        points  largest error  tolerance  where
  sympy                         3       1.1e-16        1e-08      d/dx at x=1.77, y=1.64
  dual numbers                  3       0              1e-08      -
  tape                          3       0              1e-08      -
  finite differences            3       9.4e-12        1e-06      d/dx at x=1.77, y=1.64
  sympy (hessian)               3       1.1e-16        1e-08      d^2/dx^2 at x=1.13, y=0.888
  finite differences (hessian)  3       6.5e-09        0.0001     d^2/dy^2 at x=1.77, y=1.64
  ok: every method agrees with symdiff within tolerance
"""


EXPLAIN_NOTES = """\
Reverse-mode differentiation of EXPR at the point --at, step by step, as
backpropagation is taught: the formula as a graph of binary steps (z0 = w*x,
z1 = z0 + b, ...; a sum is a chain of additions and subtractions, a product a
chain of multiplications and at most one division; each shared subexpression
is one node), then a table with each node's forward value, its local
derivatives (d node / d input, numeric) and its adjoint (d output / d node,
accumulated from the output back to the inputs), then the gradient (of the
variables in --wrt, or of all of them). The output is called L unless --name
says otherwise. Values are shown to 6 significant digits (715.0000000000001
prints as 715); --format json gives the full floats.
"""

EXPLAIN_EXAMPLES = """\
examples:
  $ symdiff explain "(w*x + b - y)^2" --at x=4,w=1,b=-3,y=3 --wrt w,b
  L = (w*x + b - y)^2 at w = 1, x = 4, b = -3, y = 3

  graph:
    z0 = w*x
    z1 = z0 + b
    z2 = z1 - y
    L = z2^2

  node  value  local derivatives         adjoint dL/dnode
  w     1                                -16
  x     4                                -4
  b     -3                               -4
  y     3                                4
  z0    4      dz0/dw = 4, dz0/dx = 1    -4
  z1    1      dz1/dz0 = 1, dz1/db = 1   -4
  z2    -2     dz2/dz1 = 1, dz2/dy = -1  -4
  L     4      dL/dz2 = -4               1

  gradient:
    dL/dw = -16
    dL/db = -4
  $ symdiff explain "x*y + x" --at x=2,y=3 --name f --format markdown
  `f = x*y + x` at x = 2, y = 3

  | node | definition | value | local derivatives | adjoint df/dnode |
  |---|---|---|---|---|
  | x | input | 2 |  | 4 |
  | y | input | 3 |  | 2 |
  | z0 | `x*y` | 6 | dz0/dx = 3, dz0/dy = 2 | 1 |
  | f | `z0 + x` | 8 | df/dz0 = 1, df/dx = 1 | 1 |

  Gradient:

  - df/dx = 4
  - df/dy = 2
"""

GRAPH_NOTES = """\
Draw the graph that symdiff explain prints: the variables, one box per step,
the output last, each shared subexpression once. With --at, each node also
shows its value and its adjoint, and each edge the local derivative.

Without -o, the graph is printed in Graphviz's DOT language. -o FILE writes
it: FILE.dot or FILE.gv as DOT text (nothing else needed), FILE.svg, FILE.png
or FILE.pdf as a picture drawn by Graphviz's dot program. When dot is not
installed, the DOT text is written to FILE.dot instead, a message says how to
draw it, and the exit status is 2. A graph of more than --max-nodes nodes is
refused (exit status 2): a drawing that large is slow to lay out and
unreadable.
"""

GRAPH_EXAMPLES = """\
examples:
  $ symdiff graph "sin(x)^2 + sin(x)"
  digraph symdiff {
  \tgraph [fontname=Helvetica label="L = sin(x)^2 + sin(x)" labelloc=t rankdir=LR]
  \tnode [fontname=Helvetica fontsize=11]
  \tedge [color=gray40 fontname=Helvetica fontsize=9]
  \tn0 [label=x fillcolor=lightyellow shape=ellipse style=filled]
  \tn1 [label="z0 = sin(x)" shape=box style=rounded]
  \tn2 [label="z1 = z0^2" shape=box style=rounded]
  \tn3 [label="L = z1 + z0" peripheries=2 shape=box style=rounded]
  \tn0 -> n1
  \tn1 -> n2
  \tn2 -> n3
  \tn1 -> n3
  }
  $ symdiff graph "(w*x + b - y)^2" --at x=4,w=1,b=-3,y=3 -o seed.dot
  wrote seed.dot
"""


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
