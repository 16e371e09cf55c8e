"""Formula files as small programs (syntax/program.py, numeric/model.py): comments,
intermediates, definitions, declarations, several results, errors at the file's line."""
import pytest

from symdiff import ParseError, Var, gradient, parse
from symdiff.numeric.model import read_program
from symdiff.syntax.program import parse_program

LOGISTIC = """\ufeff# logistic regression, one sample
z = w*x + b
yhat = 1/(1 + exp(-z))       # the model's probability

L = -(y*log(yhat) + (1 - y)*log(1 - yhat))
"""


def test_the_last_named_result_is_the_result_and_gradients_flow_through_intermediates():
    program = read_program(LOGISTIC)
    ((name, loss),) = program.results
    assert name == "L" and list(program.assignments) == ["z", "yhat", "L"]
    direct = parse("-(y*log(1/(1 + exp(-(w*x + b)))) + (1 - y)*log(1 - 1/(1 + exp(-(w*x + b)))))")
    assert loss is direct
    assert gradient(loss, ["w", "b"]) == gradient(direct, ["w", "b"])
    assert program.names()[parse("w*x + b")] == "z"


@pytest.mark.parametrize("text, results", [
    ("x^2\ny^2", ["x^2", "y^2"]),
    ("x^2; y^2", ["x^2", "y^2"]),
    ("a = x + 1\na^2\na^3", ["(x + 1)^2", "(x + 1)^3"]),
    ("# only a comment\nx", ["x"]),
    ("u = (x +\n     1)\nu", ["x + 1"]),
    ("u = x +\n    1\nu*2", ["2*(x + 1)"]),
    ("sin(x) # a comment's parenthesis ( is not counted\ncos(x)", ["sin(x)", "cos(x)"]),
])
def test_results_are_the_bare_formulas_in_order(text, results):
    if results is None:
        with pytest.raises(ParseError):
            read_program(text)
        return
    assert [expr for _, expr in read_program(text).results] == [parse(r) for r in results]


def test_outputs_pick_named_results():
    program = read_program(LOGISTIC, outputs=["yhat", "z"])
    assert [name for name, _ in program.results] == ["yhat", "z"]
    with pytest.raises(ParseError, match="no result named q"):
        read_program(LOGISTIC, outputs=["q"])


def test_definitions_and_undefined_functions():
    program = read_program("define prog_sq(u) = u^2 + 1\nfunction f\nprog_sq(x)*f(x)")
    ((_, expr),) = program.results
    assert str(expr) == "f(x)*prog_sq(x)" and program.defined == ("prog_sq",)
    assert "f" in program.functions
    assert str(expr.gradient("x")) == "2*x*f(x) + f'(x)*prog_sq(x)"
    again = read_program("prog_sq(u) = u^2 + 1\nprog_sq(y)")       # the same definition again
    assert str(again.results[0][1]) == "prog_sq(y)"
    extra = read_program("x", definitions=["prog_cube(u) = u^3"])
    assert extra.results[0][1] is Var("x") and str(parse("prog_cube(2)")) == "prog_cube(2)"


ERRORS = [
    ("z = x\nz = y", 2, 1, "already named above"),
    ("x + 1\nx = 2", 2, 1, "used above as a variable"),
    ("y = (x +\n 1", 2, 3, "unexpected end"),
    ("a = 1\n\nb = a +* 2", 3, 8, "unexpected '*'"),
    ("prog_bad(u) = u + v", 1, 15, "uses v, which is not among its parameters"),
    ("a b = 3", 1, 1, "left side of '='"),
    ("sin = 3", 1, 1, "sin is a function"),
    ("e = 3", 1, 1, "constant e"),
    ("prog_sin(u) = sin(u)\nprog_sin(u) = cos(u)", 2, 1, "define prog_sin"),
    ("# nothing\n\n", 1, 1, "no formula"),
    ("x = 1\nθ = x² +", 2, 9, "unexpected end"),
]


@pytest.mark.parametrize("text, line, column, piece", ERRORS)
def test_errors_point_at_the_line_and_column_of_the_file(text, line, column, piece):
    with pytest.raises(ParseError) as info:
        read_program(text, source="model.sd")
    message = str(info.value)
    assert piece in message
    if "no formula" not in piece:
        assert (info.value.line, info.value.column) == (line, column), message
        assert f"model.sd, line {line}, column {column}" in message


def test_definitions_need_a_definer():
    with pytest.raises(ParseError, match="needs symdiff.read_program"):
        parse_program("prog_q(u) = u\nprog_q(1)")


def test_comments_are_skipped_in_any_formula():
    assert parse("x + 1  # the offset") is parse("x + 1")


@pytest.mark.parametrize("argv, stdin, printed", [
    (["grad", "z = w*x + b; (z - y)^2", "--vars", "w,b"], None,
     "d/dw = 2*x*(w*x + b - y)\nd/db = 2*(w*x + b - y)"),
    (["diff", "z = w*x + b; L = (z - y)^2", "w"], None, "dL/dw = 2*x*(w*x + b - y)"),
    (["diff", "-", "x"], "u = x^2  # a name\nu*sin(u)\n", "2*x*(x^2*cos(x^2) + sin(x^2))"),
    (["eval", "a = 2; b = a^3; b + 1"], None, "9"),
])
def test_a_formula_argument_with_statements_is_a_program(cli, argv, stdin, printed):
    result = cli(*argv, stdin=stdin)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == printed
