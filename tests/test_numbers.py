"""Numbers symdiff will and will not hold: constants without a real value are refused where
they are built (so a zero times one, or one minus itself, never folds to 0), float literals
and float folding that overflow or underflow to 0 are errors, and every exact number stays
within one digit budget (``core.exact``)."""
from fractions import Fraction

import pytest

import symdiff as sd
from symdiff import Const, Mul, NumberRangeError, ParseError, Pow, UndefinedError, Var, parse
from symdiff.core import exact
from symdiff.core.intern import nodes_created

x = Var("x")

# text => the words of the error (a ParseError with a caret under the operator or call)
UNDEFINED = [
    ("0/0", "1/0 is undefined"),
    ("1/0 - 1/0", "1/0 is undefined"),
    ("log(0) - log(0)", "log(0) is undefined: log needs a positive argument"),
    ("0*log(-1)", "log(-1) is undefined"),
    ("(x-x)/(x-x)", "1/0 is undefined"),
    ("1/0 + x", "1/0 is undefined"),
    ("x/(2 - 2)", "1/0 is undefined"),
    ("div(div(y, 0), 0)", "1/0 is undefined"),
    ("0^-2", "0^-2 is undefined"),
    ("asin(2) - asin(2)", "asin(2) is undefined: asin needs an argument in [-1, 1]"),
    ("log(3 - pi)", "is undefined: log needs a positive argument"),
    ("0*log(sin(1) - 1)", "is undefined"),
    ("sqrt(-1)", "(-1)^(1/2) is not a real number"),
    ("(-8)^(1/3)", "(-8)^(1/3) is not a real number"),
    ("acosh(0.5)*0", "acosh(0.5) is undefined"),
    ("1e-400/1e-400", "too small for a float"),
    ("1e-400*x", "too small for a float"),
    ("1e400 - 1e400", "too large for a float"),
    ("1e308*x*10", "overflows a float"),
    ("1e-200*x*1e-200", "underflows a float to 0"),
    ("9^2400*9^2400", "past symdiff's limit for exact numbers"),
    ("(2/3)^4999*(2/3)^4999", "past symdiff's limit for exact numbers"),
    ("9" * 3012, "integer literal too long"),
]


@pytest.mark.parametrize("text, words", UNDEFINED, ids=[t[:20] for t, _ in UNDEFINED])
def test_refused_constants_are_parse_errors_at_the_spot(text, words):
    with pytest.raises(ParseError) as info:
        parse(text)
    message = str(info.value)
    assert words in message
    assert "\n  " + text[:60] in message and message.splitlines()[-1].strip() == "^"


# what is defined stays, symbolic or folded
KEPT = [
    ("log(pi - 3)", "log(pi - 3)"),
    ("exp(1000)", "exp(1000)"),            # past a float, but a real number: kept exact
    ("2^(10^10)", "2^10000000000"),        # past the budget: kept as a power
    ("0^0", "1"),
    ("0^2", "0"),
    ("(-8)^(1/1)", "-8"),
    ("(-2)^3", "-8"),
    ("x - x", "0"),                        # x stands for numbers: x - x is 0 for all of them
    ("0*log(x)", "0"),
    ("1e-300*x", "1e-300*x"),
    ("5e-324", "5e-324"),
]


@pytest.mark.parametrize("text, printed", KEPT)
def test_defined_constants_are_kept(text, printed):
    assert str(parse(text)) == printed


def test_the_python_api_raises_the_same_errors():
    with pytest.raises(UndefinedError, match="1/0"):
        Const(0) ** -1
    with pytest.raises(UndefinedError):
        x / (x - x)
    with pytest.raises(UndefinedError, match="log"):
        sd.log(Const(0))
    with pytest.raises(NumberRangeError, match="overflows"):
        Const(1e308) * 10 * x
    with pytest.raises(NumberRangeError, match="past symdiff's limit"):
        Const(10 ** 4000)
    with pytest.raises(NumberRangeError):
        Const(Fraction(1, 3 ** 7000))
    assert issubclass(UndefinedError, sd.SymdiffError) and issubclass(UndefinedError, ArithmeticError)
    assert issubclass(NumberRangeError, sd.SymdiffError) and issubclass(NumberRangeError, OverflowError)
    with pytest.raises(UndefinedError, match=r"log\(0\)"):
        (x * 0).subs(x=1) * sd.log(x).subs(x=0)


def test_every_exact_operation_keeps_the_budget():
    big = Const(9) ** 2400                         # 7,608 bits: within the budget
    assert exact.bits(big.value) <= exact.MAX_EXACT_BITS
    with pytest.raises(NumberRangeError):
        big * big
    with pytest.raises(NumberRangeError):
        big * big * x
    with pytest.raises(NumberRangeError):
        Mul(*(Const(k) for k in range(1, 3001)))                 # 3000!
    with pytest.raises(NumberRangeError):
        sd.Add(big * 2 ** 2400, big * 2 ** 2400)
    with pytest.raises(NumberRangeError):
        Const(Fraction(2, 3)) ** 4999 * Const(Fraction(2, 3)) ** 4999
    for bad in (exact.add, exact.mul):
        with pytest.raises(NumberRangeError):
            bad(2 ** 9999, 2 ** 9999 + 1) if bad is exact.mul else bad(2 ** 9999 * 2 - 1, 2)


def test_nine_to_2400_multiplied_a_thousand_times_stops_at_once():
    """The error comes at the first product past the budget, having built nothing big."""
    big = Const(9) ** 2400
    before = nodes_created()
    product = Var("y")
    with pytest.raises(NumberRangeError):
        for _ in range(1000):
            product = product * big
    assert nodes_created() - before < 10


def test_a_deep_chain_keeps_its_numbers_within_the_budget():
    """((x*2 + 1)*3 + 2)*... built by the constructors (the parser keeps a typed number
    times a sum as written): the numbers grow with the depth; past the budget a number
    stays outside the sum instead of being distributed into it."""
    depth = 6000
    f = sd.Var("x")
    for k in range(depth):
        f = f * (k % 7 + 2) + (k % 5 + 1)
    constants = [n for n in sd.topological(f) if type(n) is Const]
    assert max(exact.bits(c.value) for c in constants) <= exact.MAX_EXACT_BITS
    assert any(exact.bits(c.value) > exact.MAX_EXACT_BITS // 2 for c in constants)
    with pytest.raises(NumberRangeError):     # d/dx is the product of all 6000 numbers
        f.gradient("x")


def test_every_printed_number_reads_back():
    for value in (2 ** exact.MAX_EXACT_BITS - 1, -(3 ** 6000), Fraction(2 ** 9000, 3 ** 6000)):
        node = Const(value)
        assert parse(str(node)) is node
    assert exact.MAX_LITERAL_DIGITS == len(str(2 ** exact.MAX_EXACT_BITS))


def test_a_huge_fraction_has_a_sort_key():
    """(2/3)^4999 has a 2,385-digit denominator: its sort key does not call str() on it
    (Python refuses str() of ints past 4,300 digits, and it would be slow)."""
    node = Const(Fraction(2, 3)) ** 4999
    assert node.sort_key[1] == ""
    assert parse(str(node * x)) is node * x


def test_powers_of_numbers_without_a_value_are_refused_with_float_operands_too():
    with pytest.raises(UndefinedError):
        Pow(0.0, -1)
    with pytest.raises(UndefinedError):
        Pow(-2.0, 0.5)
    assert Pow(-2.0, 2.0).value == 4.0


# command => exit status 2 and these words on stderr, one message, nothing on stdout
CLI_ERRORS = [
    (["eval", "0/0"], "1/0 is undefined"),
    (["eval", "1/0 - 1/0"], "1/0 is undefined"),
    (["eval", "log(0) - log(0)"], "log(0) is undefined"),
    (["eval", "0*log(-1)"], "log(-1) is undefined"),
    (["eval", "(x-x)/(x-x)", "--at", "x=1"], "1/0 is undefined"),
    (["diff", "1/0 + x", "x"], "1/0 is undefined"),
    (["eval", "1e-400/1e-400"], "too small for a float"),
    (["grad", "1e-400*x"], "too small for a float"),
    (["eval", "(2/3)^4999*(2/3)^4999"], "past symdiff's limit for exact numbers"),
    (["diff", "1e308*x^2", "x"], "overflows a float"),
    (["hessian", "pow(y-2, 1e300)"], "overflows a float"),
    (["simplify", "div(div(y, 0), 0)"], "1/0 is undefined"),
]


@pytest.mark.parametrize("argv, words", CLI_ERRORS, ids=[" ".join(a)[:30] for a, _ in CLI_ERRORS])
def test_the_cli_reports_refused_numbers_as_bad_input(cli, argv, words):
    result = cli(*argv)
    assert result.returncode == 2, result.stderr
    assert words in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("command", [["grad"], ["jacobian"], ["check"], ["diff", "--steps"]])
def test_derivatives_that_overflow_are_bad_input_in_every_command(cli, command):
    formula = "pow(y-2, 1e300)*1e10"
    argv = [command[0], formula, *(["y"] if command[0] == "diff" else []), *command[1:]]
    result = cli(*argv)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "overflows a float" in result.stderr and "internal error" not in result.stderr


def test_a_rewrite_that_would_build_a_refused_number_is_not_made():
    """A rule or transform whose result would hold 1/0 (or a number past the budget) does
    not fire there; elsewhere it does."""
    rule = sd.parse_rule("r: sin(a) -> 1/(a - 2)")
    transform = sd.Transform("t", lambda node: 1 / (node.args[0] - 2), [sd.FUNCTIONS["sin"]])
    huge = sd.Transform("h", lambda node: Const(9) ** 2400 * Const(9) ** 2400, [sd.FUNCTIONS["sin"]])
    for rewriter in (rule, transform):
        assert str(sd.rewrite(parse("sin(2) + x"), sd.bottom_up(rewriter)).expr) == "x + sin(2)"
        assert str(sd.rewrite(parse("sin(3) + x"), sd.bottom_up(rewriter)).expr) == "x + 1"
    assert str(sd.rewrite(parse("sin(3) + x"), sd.bottom_up(huge)).expr) == "x + sin(3)"


def test_simplifying_a_deep_chain_past_the_budget_keeps_its_numbers_in_products():
    """Pulling a common number out of a sum (rewriting.algebra) would pass the budget here."""
    depth = 10000
    text = "(" * depth + "x" + "".join(f"*{k % 7 + 2}+{k % 5 + 1})" for k in range(depth))
    result = sd.simplify_result(parse(text))
    constants = [n for n in sd.topological(result.expr) if type(n) is Const]
    assert max(exact.bits(c.value) for c in constants) <= exact.MAX_EXACT_BITS
