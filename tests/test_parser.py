"""Parsing: the grammar's precedence, round trips through the printer, and error messages."""
import pytest

from symdiff import Const, ParseError, Var, parse
from symdiff.core.functions import ALIASES, BUILTIN
from symdiff.syntax.parser import BUILDERS, KNOWN_CALLS

x, y, z = Var("x"), Var("y"), Var("z")

# text => how symdiff prints it (canonical form, minimal parentheses)
CASES = [
    ("x^2*y + y + 2",   "x^2*y + y + 2"),
    ("x*x*y + y + 2",   "x^2*y + y + 2"),
    ("-x^2",            "-x^2"),          # unary minus binds looser than ^
    ("(-x)^2",          "x^2"),
    ("(-x)^3",          "-x^3"),
    ("2^3^2",           "512"),           # right-associative: 2^(3^2)
    ("(2^3)^2",         "64"),
    ("x^y^z",           "x^y^z"),
    ("(x^y)^z",         "(x^y)^z"),
    ("x/(y*z)",         "x/(y*z)"),
    ("x/y/z",           "x/(y*z)"),
    ("x/y*z",           "x*z/y"),
    ("x-(y-z)",         "x - y + z"),
    ("x-y-z",           "x - y - z"),
    ("x^-2",            "1/x^2"),
    ("2^-1",            "1/2"),
    ("x**2",            "x^2"),
    ("x^(1/2)",         "sqrt(x)"),
    ("x^(-1/2)",        "1/sqrt(x)"),
    ("x^(3/2)",         "x^(3/2)"),
    ("x^(2*y)",         "x^(2*y)"),
    ("x^(y+1)",         "x^(y + 1)"),
    ("(x+1)^2",         "(x + 1)^2"),
    ("(x*y)^z",         "(x*y)^z"),
    ("-(x+y)",          "-x - y"),
    ("--x",             "x"),
    ("+x",              "x"),
    ("3*x/2",           "3*x/2"),
    ("-3*x*y/(2*z^2)",  "-3*x*y/(2*z^2)"),
    ("(-2)^x",          "(-2)^x"),
    ("(1/2)^x",         "(1/2)^x"),
    ("2.5e-3*x",        "0.0025*x"),
    ("1e20",            "1e+20"),
    ("3.",              "3.0"),
    (".5",              "0.5"),
    ("pi*e",            "e*pi"),
    ("e^x",             "exp(x)"),
    ("exp(x)*exp(y)",   "exp(x)*exp(y)"),
    ("ln(x)",           "log(x)"),
    ("arctan(x)",       "atan(x)"),
    ("pow(x, 3)",       "x^3"),
    ("div(x, y)",       "x/y"),
    ("sqrt(4)",         "2"),
    ("max(x, 0)",       "max(0, x)"),
    ("sin(x)^2",        "sin(x)^2"),
    ("abs(-3)",         "3"),
    ("x*0 + y*1 + z^1 + x^0", "y + z + 1"),
    ("x*y + y*x",       "2*x*y"),
    ("2*(x+y) - 2*x",   "2*(x + y) - 2*x"),    # as written: a number times a sum is held
    ("  x\n + y ",      "x + y"),
]


@pytest.mark.parametrize("text, printed", CASES)
def test_canonical_printing(text, printed):
    assert str(parse(text)) == printed


@pytest.mark.parametrize("text, printed", CASES)
def test_round_trip_gives_the_same_node(text, printed):
    e = parse(text)
    assert parse(str(e)) is e
    assert parse(e.to_str(power="**")) is e


def test_values_of_precedence_traps():
    assert parse("-x^2").evaluate(x=3) == -9
    assert parse("(-x)^2").evaluate(x=3) == 9
    assert parse("2^3^2").evaluate() == 512
    assert parse("x/(y*z)").evaluate(x=8, y=2, z=2) == 2
    assert parse("x-(y-z)").evaluate(x=1, y=2, z=3) == 2
    assert parse("x^-2").evaluate(x=2) == 0.25
    assert parse("2^-x^2").evaluate(x=1) == 0.5


def test_names_and_constants():
    assert parse("apple_count") is Var("apple_count")
    assert parse("x1 + _y") is Var("x1") + Var("_y")
    assert parse("pi").evaluate() == pytest.approx(3.141592653589793)
    assert parse("e").evaluate() == pytest.approx(2.718281828459045)
    assert parse("12345678901234567890") is Const(12345678901234567890)


# text => (line, column, pieces the message must contain)
ERRORS = [
    ("x +",         1, 4,  ["unexpected end of formula", "expected"]),
    ("x + * y",     1, 5,  ["unexpected '*'", "a name", "a number"]),
    ("2x",          1, 2,  ["unexpected name 'x'", "write '*' for a product"]),
    ("x $ y",       1, 3,  ["unexpected character '$'"]),
    ("sine(x)",     1, 1,  ["unknown function 'sine'", "did you mean 'sin'"]),
    ("sqr(x)",      1, 1,  ["unknown function 'sqr'", "did you mean 'sqrt'"]),
    ("qqq(x)",      1, 1,  ["unknown function 'qqq'"]),
    ("max(x)",      1, 1,  ["max() takes 2 or more arguments, got 1"]),
    ("sin(x, y)",   1, 1,  ["sin() takes 1 argument, got 2"]),
    ("sin()",       1, 1,  ["sin() takes 1 argument, got 0"]),
    ("sin + 1",     1, 1,  ["'sin' is a function"]),
    ("(x + 1",      1, 7,  ["unexpected end of formula", "')'"]),
    ("x + 1)",      1, 6,  ["unexpected ')'"]),
    ("x\n+ * 2",    2, 3,  ["unexpected '*'"]),
    ("1e999",       1, 1,  ["too large"]),
    ("9" * 3012,    1, 1,  ["too long"]),
    ("9" * 3011,    1, 1,  ["past symdiff's limit for exact numbers"]),
    ("2/0 + x",     1, 2,  ["1/0 is undefined"]),
]


@pytest.mark.parametrize("text, line, column, pieces", ERRORS, ids=[e[0][:12] for e in ERRORS])
def test_parse_errors_point_at_the_spot(text, line, column, pieces):
    with pytest.raises(ParseError) as info:
        parse(text)
    error = info.value
    assert (error.line, error.column) == (line, column)
    message = str(error)
    assert f"line {line}, column {column}" in message
    for piece in pieces:
        assert piece in message
    source_line, caret_line = message.split("\n")[2:4]
    assert caret_line.index("^") - 2 == column - 1          # the caret sits under the column
    assert text.splitlines()[line - 1].strip().startswith(source_line.strip().removesuffix("..."))


def test_parse_error_is_a_value_error_and_caret_window_on_long_lines():
    text = "x + " * 100 + ")"
    with pytest.raises(ValueError) as info:
        parse(text)
    lines = str(info.value).split("\n")
    assert len(lines[2]) < 100 and lines[3].index("^") < 100
    assert lines[2][lines[3].index("^")] == ")"


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_formula(text):
    with pytest.raises(ParseError, match="empty formula"):
        parse(text)


def test_parse_rejects_non_strings():
    with pytest.raises(TypeError):
        parse(3)


def test_the_known_calls_are_the_declared_functions_their_aliases_and_the_builders():
    names = {cls.name for cls in BUILTIN} | {a for cls in BUILTIN for a in cls.spec.aliases}
    assert names | set(BUILDERS) <= set(KNOWN_CALLS) and "sine" not in KNOWN_CALLS
    assert list(KNOWN_CALLS) == sorted(KNOWN_CALLS) and len(KNOWN_CALLS) == len(set(KNOWN_CALLS))
    for alias, name in ALIASES.items():
        assert parse(f"{alias}(x)") is parse(f"{name}(x)")
