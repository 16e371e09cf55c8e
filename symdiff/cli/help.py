"""The command line's help texts: what each command does, and examples whose output the
tests check against the real command (so the help never drifts from the program)."""

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

DIFF_NOTES = """\
Differentiate EXPR by each VAR in turn; a COUNT after a VAR repeats it
(diff f x 3 is d^3f/dx^3, diff f x 2 y is d^3f/dx^2 dy; at most 100 at a
time; a count is a whole number from 1 up: x 0 is refused). With no VAR,
the formula's only variable is used.

Several formulas: the first argument is always a formula; the trailing run of
arguments made of letters, digits and _ alone, and numbers, are the variables
and counts; every argument before that run is another formula (diff x y is
the formula x by the variable y; write a later formula that is a bare name in
parentheses: (y)). Each formula's derivative is printed on its own line, in
order (with --at, its value); --format json prints a list of objects, one per
formula (one formula: one object).

A VAR that occurs in no formula gives a note on stderr (its derivative is 0);
a constant (e, E, pi) or a function name as VAR is refused. With --at, every
name must occur in a formula or be a VAR.

Formulas may come from a file: -f FILE (then every argument may be a VAR) or
@FILE in place of EXPR. --output z,L picks named results; each named result is
printed as dL/dw = ... (json: "name").
"""

SIMPLIFIED_NOTES = """\
Results are simplified as by symdiff simplify, all of them together (what
they share is simplified once) within --timeout; when a limit stops that
early, a note on stderr says so. --raw prints them as differentiated. With --at,
values are computed from the unsimplified derivative, which is quicker and
gives the same number wherever both are defined.
"""

def matrix_notes(command: str) -> str:
    """The notes shared by grad, hessian and jacobian, in the words of ``command``."""
    own = ("those of all the formulas" if command == "jacobian" else "the formula's own")
    latex = {"grad": "a pmatrix column", "hessian": "a pmatrix",
             "jacobian": "a pmatrix, one row per formula"}[command]
    return f"""\
Variables: by default {own}, sorted with x2 before x10;
--vars x,y lists them in the order wanted, and a listed variable that does
not occur gets the partial derivative 0. With --at, each entry's value at
that point is printed instead (the formula must be defined there, and every
name of --at must occur in a formula or in --vars). --format latex prints
{latex}; --format json prints one object: "result" holds the
entries as text in nested lists, "latex" the same in LaTeX, and with --at,
"value" the numbers.

When the entries written out would be much larger than the expression DAG,
shared subexpressions are bound once first (t1 = ..., t2 = ...) and the
entries refer to them (json: "bindings" and no "latex").
"""


DIFF_EXAMPLES = """\
examples:
  $ symdiff diff "x^2*y + y + 2" x
  2*x*y
  $ symdiff diff "x^2*y" x y
  2*x
  $ symdiff diff "x^5*exp(x)" x 3
  x^2*exp(x)*(x^3 + 15*x^2 + 60*x + 60)
  $ symdiff diff "x^3*y^2" x 2 y
  12*x*y
  $ symdiff diff "sin(x)" "cos(x)" x
  cos(x)
  -sin(x)
  $ symdiff diff "sin(x)" "cos(x)" x --at x=0
  1
  0
  $ symdiff diff "sin(x^2)" --at x=3
  -5.466781571308061
  $ symdiff diff "x/(x + 1)" x --raw
  1/(x + 1) - x/(x + 1)^2
  $ symdiff diff "x^2*y" x --format latex
  2 x y
  $ symdiff diff "x^2*y" x --format json
  {"expression": "x^2*y", "variables": ["x"], "result": "2*x*y", "latex": "2 x y"}
  $ symdiff diff "x^3" x 2 --steps
  d/dx x^3, innermost parts first:
  1. power rule: d/dx(x^3) = 3*x^2
  result: 3*x^2

  d/dx 3*x^2, innermost parts first:
  1. power rule: d/dx(x^2) = 2*x
  2. constant factor rule: d/dx(3*x^2) = 3*d/dx(x^2) = 6*x
  result: 6*x
  $ echo "log(x)/x" | symdiff diff -
  (1 - log(x))/x^2
  $ symdiff diff "x^2" X
  0
  symdiff: note: X does not occur in the formula; its variables are x
"""

EVAL_EXAMPLES = """\
examples:
  $ symdiff eval "x*x*y + y + 2" --at x=3,y=4
  42
  $ symdiff eval "sin(x)^2" --at x=pi/4
  0.4999999999999999
  $ symdiff eval "max(1, 2) + x" --at x=max(1,2)
  4
  $ symdiff eval "x*y" --at x=2 --at y=3 --format json
  {"expression": "x*y", "result": "x*y", "latex": "x y", "at": {"x": 2.0, "y": 3.0}, "value": 6.0}
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
The rules are the default groups (symdiff.rewriting.rulesets.DEFAULT_GROUPS)
and those of each --rules FILE; with --only-rules, those of the files alone.
They are applied bottom-up, pass after pass, until a pass changes nothing
(saturated) or a limit is reached: --max-iterations passes, --timeout
seconds, or a size limit. A result cut short by a limit is still equal to
EXPR, and a note on stderr says it may simplify further (the exit status
is 0). The value never changes where EXPR is defined, but the result may be
defined at more points: (x^2 - 1)/(x - 1) becomes x + 1. With --at, the
result's value at the point is printed (EXPR must be defined there).

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

Names of EXPR that are not in --vars are parameters, not differentiated:
--at a=0.5 fixes one during the check, --range a=LO:HI draws it per point like
a variable. Each name needs one or the other.

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
  $ symdiff check "cos(q1)*(a2*cos(q2))" --vars q1,q2 --at a2=0.5 --points 3
  checked the gradient of a2*cos(q1)*cos(q2) by q1, q2 at 3 points (seed 0)
  method              points  largest error  tolerance  where
  sympy               3       5.6e-17        1e-08      d/dq1 at q1=1.54, q2=0.177, a2=0.5
  dual numbers        3       0              1e-08      -
  tape                3       0              1e-08      -
  finite differences  3       1.3e-12        1e-06      d/dq1 at q1=0.869, q2=1.94, a2=0.5
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
