"""Factored forms read back as themselves: a number times a sum, written as a product
(``2*(x + 1)``, ``(x + 1)/2``, ``-(x + 1)/2``), parses to the held product ``held_product(c,
sum)``, which prints as that text again, in every context; ``rebuild`` and pickling keep it."""
import math
import pickle
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symdiff import Add, Const, Mul, Pow, Var, parse, pi, to_latex, topological
from symdiff.core.functions import FUNCTIONS, exp, sin, sqrt
from symdiff.core.nodes import held_product
from symdiff.core.undefined import AppliedFunction
from symdiff.core.walk import rebuild

from latex_reading import latex_value
from strategies import PROPERTY, value_at

x, y, z = Var("x"), Var("y"), Var("z")
half, third = Fraction(1, 2), Fraction(1, 3)


def held(c, total):
    return held_product(c, total)


# text => the node it is (held products built with held_product; the rest with the
# constructors, which distribute a number over a short sum)
HELD = [
    ("2*(x + 1)",           held(2, x + 1)),
    ("(x + 1)*2",           held(2, x + 1)),
    ("(x + 1)/2",           held(half, x + 1)),
    ("2*(x+1)/3",           held(Fraction(2, 3), x + 1)),
    ("-2*(x + 1)",          held(-2, x + 1)),
    ("-(x + 1)/2",          held(-half, x + 1)),
    ("-2*(x + 1)/3",        held(Fraction(-2, 3), x + 1)),
    ("0.5*(x + 1)",         held(0.5, x + 1)),
    ("-0.5*(x + 1)",        held(-0.5, x + 1)),
    ("(x + 1)/4.0",         held(0.25, x + 1)),
    ("2*(x - y)",           held(2, x - y)),
    ("-(x - y)/3",          held(-third, x - y)),
    ("(-x - y)/2",          held(half, -x - y)),           # the sum as written, not negated
    ("-(-x - y)/2",         held(-half, -x - y)),
    ("2*-(x + 1)",          held(-2, x + 1)),
    ("-(2*(x + 1))",        held(-2, x + 1)),
    ("3*(2*(x + 1))",       held(6, x + 1)),
    ("(x + 1)/2*3",         held(Fraction(3, 2), x + 1)),
    ("--(x + 1)/2",         held(half, x + 1)),
    ("(-(x + 1))/2",        held(-half, x + 1)),
    ("2*(x + 3*(y + 1))",   held(2, x + held(3, y + 1))),
    ("10^40*(x + 1)",       held(10**40, x + 1)),
    ("1.0*(x + 1)",         held(1.0, x + 1)),             # floats are kept as given
    ("-1.0*(x + 1)",        held(-1.0, x + 1)),
    # in a denominator, a function, a power, a sum, an undefined function's call
    ("1/(16*(x^2 + 1))",    Pow(held(16, x**2 + 1), -1)),
    ("y/(2*(x + 1))",       y * Pow(held(2, x + 1), -1)),
    ("sin(2*(x + 1))",      sin(held(2, x + 1))),
    ("exp(-(x + y)/2)",     exp(held(-half, x + y))),
    ("max(2*(x + 1), y)",   FUNCTIONS["max"](held(2, x + 1), y)),
    ("sqrt(2*(x + 1))",     sqrt(held(2, x + 1))),
    ("2^(3*(x + 1))",       Pow(Const(2), held(3, x + 1))),
    ("x^(-(y + 1)/2)",      Pow(x, held(-half, y + 1))),
    ("(2*(x + 1))^y",       Pow(held(2, x + 1), y)),
    ("(2*(x + 1))^2",       Pow(held(2, x + 1), 2)),       # the power's constructor: 4*(x + 1)^2
    ("y + 2*(x + 1)",       y + held(2, x + 1)),
    ("y - 2*(x + 1)",       y + held(-2, x + 1)),
    ("y - (x + 1)/2",       y + held(-half, x + 1)),
    ("y - -(x + 1)/2",      y + held(half, x + 1)),
    ("2*(x + 1) + 3*(x + 1)", held(5, x + 1)),             # like terms still collect
    ("2*(x+1) - 2*x",       Add(held(2, x + 1), -2 * x)),  # no simplification added
    ("f(2*(x + 1))",        AppliedFunction("f", [held(2, x + 1)])),
    ("f'((x + 1)/2)",       AppliedFunction("f", [held(half, x + 1)], (1,))),
]

# texts that are not a number times a sum, as before
NOT_HELD = [
    ("2*x + 2",             Mul(2, x + 1)),
    ("-(x - y)",            y - x),
    ("-(x + 1)",            Mul(-1, x + 1)),
    ("-1*(x + y)",          Mul(-1, x + y)),
    ("1*(x + y)",           x + y),
    ("0*(x + y)",           Const(0)),
    ("x - (x + 1)",         Const(-1)),
    ("(2*(x + 1))/2",       x + 1),
    ("2*(x + 1 - x)",       Const(2)),
    ("2*(x)",               Mul(2, x)),
    ("2*x*(x + 1)",         Mul(2, x, x + 1)),
    ("x*2*(y + 1)",         Mul(2, x, y + 1)),
    ("2*(x + 1)*(y + 1)",   Mul(2, x + 1, y + 1)),
    ("(x + 1)*y/2",         Mul(half, x + 1, y)),
    ("-(x + y)*z",          Mul(-1, x + y, z)),            # a negated sum as written
    ("-(x + y)/(2*z)",      Mul(-half, x + y, Pow(z, -1))),
    ("pi*(x + 1)",          Mul(pi, x + 1)),
    ("sqrt(2)*(x + 1)",     Mul(sqrt(2), x + 1)),
]


def _is_held(node) -> bool:
    return (type(node) is Mul and len(node.args) == 2 and type(node.args[0]) is Const
            and type(node.args[1]) is Add)


@pytest.mark.parametrize("text, expected", HELD + NOT_HELD)
def test_parse_builds_what_is_written(text, expected):
    assert parse(text, functions=["f"]) is expected


@pytest.mark.parametrize("text, expected", HELD + NOT_HELD)
def test_the_printed_form_reads_back_as_the_same_node(text, expected):
    assert parse(str(expected), functions=["f"]) is expected


def test_the_table_has_held_products_where_it_says():
    assert all(_is_held(held(c, x + 1)) for c in (2, half, -half, 0.5, -2, Fraction(2, 3)))
    assert not any(_is_held(node) for _, node in NOT_HELD[:8])


# held texts exactly as str writes them
CANONICAL = [
    "2*(x + 1)", "(x + 1)/2", "-2*(x + 1)", "-(x + 1)/2", "2*(x + 1)/3", "-2*(x + 1)/3",
    "0.5*(x + 1)", "-0.5*(x + 1)", "1e+20*(x + 1)", "(-x - y)/2", "-(-x - y)/2",
    "1/(16*(x^2 + 1))", "y/(2*(x + 1))", "sin(2*(x + 1))", "exp(-(x + y)/2)",
    "2^(3*(x + 1))", "x^(-(y + 1)/2)", "(2*(x + 1))^y", "sqrt(2*(x + 1))", "y - 2*(x + 1)",
    "y - (x + 1)/2", "y + (x + 1)/2", "2*(x + 3*(y + 1))", "2*(x + 1) - 2*x",
    "2/(x*(x + 1))", "-(x + y)/(2*z)", "-z*(x + y)", "2*x*(x + 1)", "-(x - y)/3", "2*(1 - x)",
]


@pytest.mark.parametrize("text", CANONICAL)
def test_str_of_a_parsed_held_text_is_the_text(text):
    assert str(parse(text)) == text


@pytest.mark.parametrize("text, expected", HELD)
def test_str_of_every_parsed_held_text_is_its_canonical_form(text, expected):
    printed = str(parse(text, functions=["f"]))
    assert printed == str(expected)
    assert str(parse(printed, functions=["f"])) == printed


# ------------------------------------------------------------------ the constructors
u = x + 3 * y
# held terms that the constructors combine or scale to exactly 1 or -1 times a short sum:
# that is no canonical term (it would print as a nested sum or -(sum) and read back as
# another node), so the sum's terms join the others
CONSTRUCTED = [
    (Add(x, held(half, x + y), held(half, x + y)),       2 * x + y),
    (Add(z, held(-half, x + y), held(-half, x + y)),     z - x - y),
    (Add(held(3, x + y), held(-2, x + y), z),            x + y + z),
    (Add(held(3, x + y), held(-4, x + y)),               -x - y),
    (Mul(held(-2, x + y), half),                         -x - y),
    (held(-2, x + y) / 2,                                -x - y),
    (-held(third, x + held(3, u)),                       -x / 3 - x - 3 * y),
    (y - held(third, x + held(3, u)),                    -x / 3 - x - 2 * y),
    (Add(held(0.5, x + y), held(0.5, x + y)),            held(1.0, x + y)),
    (held(-0.25, x + y) / 0.25,                          held(-1.0, x + y)),
]


@pytest.mark.parametrize("built, expected", CONSTRUCTED)
def test_constructors_leave_no_unit_multiple_of_a_sum(built, expected):
    assert built is expected
    assert parse(str(built)) is built


def _loose(node) -> bool:
    """A node no parse gives: a short sum as a sum's term, or exactly 1 or -1 times one."""
    if type(node) is Add:
        return any(type(t) is Add and len(t.args) <= 8 for t in node.args)
    return (_is_held(node) and node.args[0].value in (1, -1) and type(node.args[0].value)
            is not float and len(node.args[1].args) <= 8)


# ------------------------------------------------------------------ rebuild and subs
def test_rebuild_keeps_a_held_product_held():
    h = held(2, x + 1)
    assert rebuild(h, [Const(2), y + 1]) is held(2, y + 1)
    assert rebuild(h, [Const(3), y + 1]) is held(3, y + 1)
    assert rebuild(h, [Const(2), held(3, y + 1)]) is held(6, y + 1)
    assert rebuild(h, [Const(2), y]) is Mul(2, y)                  # no sum left
    assert rebuild(h, [Const(2), Const(5)]) is Const(10)
    assert rebuild(h, [y, x + 1]) is Mul(y, x + 1)                   # no number left


def test_rebuild_of_other_products_still_distributes():
    assert rebuild(Mul(2, x), [Const(2), y + 1]) is Mul(2, y + 1)
    assert type(Mul(2, y + 1)) is Add


def test_subs_keeps_factored_forms():
    assert held(2, x + 1).subs(x=y) is held(2, y + 1)
    assert parse("sin((x + y)/2)").subs(y=z) is sin(held(half, x + z))
    assert held(2, x + 1).subs(x=-1) is Const(0)
    assert held(-half, x + y).subs({x + y: held(3, z + 1)}) is held(Fraction(-3, 2), z + 1)


# ------------------------------------------------------------------ pickling
@pytest.mark.parametrize("text, expected", HELD)
def test_pickling_keeps_held_forms(text, expected):
    assert pickle.loads(pickle.dumps(expected)) is expected


# ------------------------------------------------------------------ LaTeX
LATEX = [
    (held(half, x + y),             r"\frac{x + y}{2}"),
    (held(-half, x + y),            r"-\frac{x + y}{2}"),
    (held(Fraction(2, 3), x + y),   r"\frac{2 \left(x + y\right)}{3}"),
    (held(2, x + y),                r"2 \left(x + y\right)"),
    (held(0.5, x + y),              r"0.5 \left(x + y\right)"),
    (Pow(held(16, x**2 + 1), -1),   r"\frac{1}{16 \left(x^{2} + 1\right)}"),
    (Mul(half, x + 1, y + 1),       r"\frac{\left(x + 1\right) \left(y + 1\right)}{2}"),
    (Mul(x + 1, Pow(y, -1)),        r"\frac{x + 1}{y}"),
    (Mul(x + 1, Pow(y, -1), z),     r"\frac{z \left(x + 1\right)}{y}"),
]


@pytest.mark.parametrize("expr, latex", LATEX)
def test_latex_of_held_forms(expr, latex):
    assert to_latex(expr) == latex


@pytest.mark.parametrize("text, expected", [
    (text, node) for text, node in HELD
    if not any(type(n) is AppliedFunction for n in topological(node))])   # no value
def test_latex_of_held_forms_reads_back_to_the_same_value(text, expected):
    point = {"x": 0.7, "y": -0.4, "z": 1.3}
    value = value_at(expected, point)
    assert value is not None
    read = latex_value(to_latex(expected), point, variables=expected.free_vars)
    assert math.isclose(read.real, value, rel_tol=1e-9) and abs(read.imag) < 1e-12


# ------------------------------------------------------------------ random held forms
coefficients = st.sampled_from([2, 3, -2, -3, 10, half, -half, third, Fraction(-2, 3),
                                Fraction(5, 4), 0.5, -0.25, 1.5, 2.0, -1.5, 1e-3, 1, -1, 0])
leaves = st.sampled_from([x, y, z, Const(1), Const(-2), Const(half), Const(0.5)])
small_sums = st.builds(lambda a, b, c, d: Add(Mul(a, b), d), coefficients, leaves, leaves,
                       leaves).filter(lambda s: type(s) is Add) | st.builds(
                           lambda a, b: a + b, leaves, leaves).filter(lambda s: type(s) is Add)
exponents = st.sampled_from([2, 3, -1, -2, half, third, -half, 2.5, y])


def _built(build, *args):
    """``build(*args)``, or None where symdiff refuses the number it would make (1/0)."""
    try:
        return build(*args)
    except (ValueError, ArithmeticError):
        return None


def _grow(children):
    """One more level around held products: sums, products, quotients, powers, calls, and a
    number times a sum of them."""
    pair = st.tuples(children, children)
    return st.one_of(
        pair.map(lambda ab: _built(Add, *ab)),
        pair.map(lambda ab: _built(Mul, *ab)),
        pair.map(lambda ab: _built(lambda a, b: a - b, *ab)),
        pair.map(lambda ab: _built(lambda a, b: a / b, *ab)),
        st.tuples(children, exponents).map(lambda ae: _built(Pow, *ae)),
        st.tuples(st.sampled_from([sin, exp, FUNCTIONS["atan"], FUNCTIONS["abs"]]),
                  children).map(lambda fa: _built(fa[0], fa[1])),
        st.tuples(coefficients, pair).map(
            lambda cp: _built(lambda c, a, b: held_product(c, a + b), cp[0], *cp[1])),
    ).filter(lambda e: e is not None)


held_leaves = st.builds(held_product, coefficients, small_sums)
with_held = st.recursive(held_leaves | leaves, _grow, max_leaves=8)


@PROPERTY
@given(with_held)
def test_random_held_forms_read_back_as_themselves(expr):
    text = str(expr)
    back = parse(text)
    assert back is expr, (text, str(back))
    assert str(back) == text


@PROPERTY
@given(with_held, st.fixed_dictionaries({"x": st.floats(0.1, 2), "y": st.floats(-2, -0.1),
                                         "z": st.floats(0.3, 3)}))
def test_random_held_forms_read_back_to_the_same_value(expr, point):
    value, back = value_at(expr, point), value_at(parse(str(expr)), point)
    assert (value is None) == (back is None)
    if value is not None:
        assert back == value


@PROPERTY
@given(with_held)
def test_random_held_forms_have_canonical_terms(expr):
    assert not any(_loose(node) for node in topological(expr))


@PROPERTY
@given(with_held)
def test_random_held_forms_pickle(expr):
    assert pickle.loads(pickle.dumps(expr)) is expr
