"""Polynomial normal forms: expand, cancel, together, and the polynomial representation.

Tables are "input => expected" (compared as nodes: parse(expected) is the result). The
properties check the value at points two ways: exactly, by substituting rational numbers
(constructors fold them, so both sides become one Const), and in floats with ``evaluate``.
"""
import math
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symdiff as sd
from symdiff import Add, Const, EvaluationError, Mul, Var, parse, topological
from symdiff.core import intern
from symdiff.core.errors import SymdiffError
from symdiff.rewriting import polynomial
from symdiff.rewriting.polynomial import as_polynomial, cancel, expand, from_polynomial, together

x, y = Var("x"), Var("y")

EXPAND = [
    ("(x+1)^2 - x^2 - 2*x", "1"),
    ("(a+b)^2 - (a^2+2*a*b+b^2)", "0"),
    ("(x+y)*(x-y)", "x^2 - y^2"),
    ("2*x*(y+1)", "2*x*y + 2*x"),
    ("(x+1)^3", "x^3 + 3*x^2 + 3*x + 1"),
    ("(x/2+1/3)^2", "x^2/4 + x/3 + 1/9"),
    ("(x+0.5)^2", "x^2 + 1.0*x + 0.25"),
    ("x*(1/x + 1)", "x + 1"),
    ("sin(x+1)*(y+1)", "y*sin(x + 1) + sin(x + 1)"),
    ("(sqrt(x)+1)^2", "x + 2*sqrt(x) + 1"),
    ("(x+y)^1000*(a+b)", "a*(x + y)^1000 + b*(x + y)^1000"),
    ("(x+1)^2/(x-1)", "x^2/(x - 1) + 2*x/(x - 1) + 1/(x - 1)"),
    ("pi*(pi+1)", "pi^2 + pi"),
]

CANCEL = [
    ("(x^2-1)/(x-1)", "x + 1"),
    ("(x^2-y^2)/(x+y)", "x - y"),
    ("(x^3-1)/(x^2-1)", "(x^2 + x + 1)/(x + 1)"),
    ("(x^2-1)*(x-1)^-1", "x + 1"),
    ("(1-x^2)/(x-1)", "-x - 1"),
    ("(x^2+x)/x", "x + 1"),
    ("(x+1)/(x^2+x)", "1/x"),
    ("(x^2-1)/(x-1)^2", "(x + 1)/(x - 1)"),
    ("(x+1)^3/(x^2-1)", "(x + 1)^2/(x - 1)"),
    ("(x^2-1)/((x-1)*(y+1)*(z+1))", "(x + 1)/((y + 1)*(z + 1))"),
    ("(2*x+2)/(4*x+4)", "1/2"),
    ("(x^2-1)/(2*x-2)", "x/2 + 1/2"),
    ("(x^2-1)*(x+1)/((x-1)*(x+1)^2)", "1"),
    ("(sin(y)^2-1)/(sin(y)+1)", "sin(y) - 1"),
]

TOGETHER = [
    ("1/x + 1/y", "(x + y)/(x*y)"),
    ("1/(x-1) - 1/(x+1)", "2/((x - 1)*(x + 1))"),
    ("1/(x-1) + 1/(1-x)", "0"),
    ("x/(x-1) - 1/(x-1)", "1"),
    ("1/x^2 + 1/x", "(x + 1)/x^2"),
    ("1/x + 1/(x^2+x)", "(x + 2)/(x^2 + x)"),
    ("a/b + c", "(b*c + a)/b"),
    ("1/(2*x) + 1/(2*y)", "(x + y)/(2*x*y)"),
    ("sin(x)/x + cos(x)/y", "(x*cos(x) + y*sin(x))/(x*y)"),
]

UNCHANGED = [
    (expand, "x*y + 1"), (expand, "sin((x+1)*(x-1))"), (expand, "(x+y)^1000"),
    (expand, "(x+y+z)^30"), (expand, "(x+1)^-2"), (expand, "x^(1/2)*y"),
    (cancel, "x/(y+1)"), (cancel, "x/(x+1)"), (cancel, "(x^2+1)/(x+1)"), (cancel, "sin(x)/x"),
    (cancel, "(x^2-1.0)/(x-1)"), (cancel, "x + 1/x"), (cancel, "1/(x^2-1)"),
    (cancel, "(x+y)^1000/(x^2-y^2)"), (cancel, "(x^1000-1)/(x-1)"),
    (together, "x + y"), (together, "x/y"), (together, "1/x + 0.5/y"), (together, "sin(1/x)"),
]


@pytest.mark.parametrize("function, table", [(expand, EXPAND), (cancel, CANCEL),
                                             (together, TOGETHER)])
def test_tables(function, table):
    for text, expected in table:
        assert function(parse(text)) is parse(expected), f"{function.__name__}({text})"


@pytest.mark.parametrize("function, text", UNCHANGED)
def test_nothing_to_do_returns_the_input_itself(function, text):
    expr = parse(text)
    assert function(expr) is expr


def test_term_budget():
    expr = parse("(x+y)^5")
    assert expand(expr, max_terms=5) is expr
    assert len(expand(expr, max_terms=6).args) == 6
    assert cancel(parse("(x^2-1)/(x-1)"), max_terms=1) is parse("(x^2-1)/(x-1)")
    assert together(parse("1/x+1/y+1/z"), max_terms=2) is parse("1/x+1/y+1/z")


def _work(run):
    """What ``run()`` costs, counted rather than timed: monomial products multiplied out,
    polynomial-layer nodes read, and expression nodes created (kept or not)."""
    counts = {"products": 0, "reads": 0}
    product, shape = polynomial._monomial_product, polynomial.PolynomialReader.shape

    def counted_product(a, b):
        counts["products"] += 1
        return product(a, b)

    def counted_shape(self, node):
        counts["reads"] += 1
        return shape(self, node)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(polynomial, "_monomial_product", counted_product)
        patch.setattr(polynomial.PolynomialReader, "shape", counted_shape)
        before = intern.nodes_created()
        run()
        counts["nodes"] = intern.nodes_created() - before
    return counts


def test_huge_powers_and_numbers_give_up_fast():
    exprs = [parse(text) for text in [
        "(x+y)^1000", "(x+y)^1000/(x+y+1)", "(x+y+z)^60", "(x+y)^60 - (x-y)^60",
        "(2^5000*x + 3^5000)^60", "(x^100000-1)/(x-1)", "1/(x+y)^1000 + 1/x"]]

    def run():
        for expr in exprs:
            for function in (expand, cancel, together):
                function(expr)

    work = _work(run)
    # Each call stops at its term budget (64 terms): a few thousand monomial products in all,
    # where multiplying (x+y)^1000 out would take hundreds of thousands.
    assert work["products"] <= 20_000, work
    assert work["nodes"] <= 1_000, work
    assert len(expand(parse("(x+y)^60 - (x-y)^60")).args) == 30


@pytest.mark.slow
def test_deep_formulas_cost_little():
    deep = x
    n = 100_000
    for _ in range(n):
        deep = 1 / (deep * x + y)
    exprs = (deep, deep + 1, deep * (x + 1), (deep + y) * x, sd.sin(deep) * (x + 1))

    def run():
        for expr in exprs:
            expand(expr), cancel(expr), together(expr)

    work = _work(run)
    # The polynomial layer of each input is a few nodes deep (the rest sits below a power
    # with exponent -1, a generator): reading it costs nothing like the formula's 100,000 levels.
    assert work["reads"] <= 300, work
    assert work["nodes"] <= 100, work
    assert expand(deep) is deep and cancel(deep) is deep


def test_wide_formulas_cost_little():
    n = 20_000
    names = [Var(f"x{i}") for i in range(n)]
    exprs = (Add(*(1 / v for v in names)), Add(*names) * (x + 1), Mul(*names) / (x + 1),
             Add(*(v * x for v in names)) / (x + 1), Add(*names) / Add(*names[1:]))

    def run():
        for expr in exprs:
            for function in (expand, cancel, together):
                assert function(expr) is expr

    work = _work(run)
    # Wide inputs give up at once on their term budget (64 terms): no monomial product, and
    # a handful of nodes read, where multiplying out would read all 20,000 terms.
    assert work["reads"] + work["products"] <= 200, work
    assert work["nodes"] <= 10, work


def test_shared_subexpressions_are_read_once():
    expr = x + 1
    for _ in range(200):        # a DAG with 2^200 paths, 400 distinct nodes
        expr = expr * expr + expr
    assert expand(expr) is expr


def test_polynomial_representation_round_trips():
    coefficients, generators = as_polynomial(parse("(x+1)^2*sin(y) + x/2"))
    assert generators == (x, sd.sin(y))
    assert coefficients == {(2, 1): 1, (1, 1): 2, (0, 1): 1, (1, 0): Fraction(1, 2)}
    assert from_polynomial(coefficients, generators) is parse("x^2*sin(y) + 2*x*sin(y) + sin(y) + x/2")
    assert as_polynomial(parse("(x+y)^9"), max_terms=8) is None
    assert as_polynomial(parse("1/x"))[1] == (parse("1/x"),)    # a negative power is a generator


# ------------------------------------------------------------------ values are kept
LEAVES = [x, y, x, y, Const(1), Const(2), Const(-3), Const(Fraction(1, 2))]
OPERATIONS = [Add, Mul, lambda a, b: a - b, lambda a, b: a / b, lambda a, b: a ** 2,
              lambda a, b: a ** 3, lambda a, b: a ** -1, lambda a, b: (a + b) * (a - b)]


def _defined(build):
    """``build`` as a strategy function that gives None instead of a formula without a value
    (the constructors refuse ``1/0``), so such draws can be filtered out."""
    def built(*args):
        try:
            return build(*args)
        except SymdiffError:
            return None
    return built


def rational_formulas(leaves):
    """Random formulas, plus the shapes with work to do: quotients with a common factor
    (multiplied out, so that only a gcd finds it) and sums of quotients."""
    plain = st.recursive(st.sampled_from(leaves), lambda inner: st.builds(
        _defined(lambda f, a, b: f(a, b)), st.sampled_from(OPERATIONS), inner, inner).filter(
            lambda e: e is not None), max_leaves=8)
    small = st.recursive(st.sampled_from(leaves), lambda inner: st.builds(
        lambda f, a, b: f(a, b), st.sampled_from([Add, Mul]), inner, inner), max_leaves=3)
    common_factor = st.builds(_defined(lambda a, b, c: expand(a * b) / expand(a * c)),
                              small, small, small)
    sum_of_quotients = st.builds(_defined(lambda a, b, c, d: a / b + c / d),
                                 small, small, small, small)
    return st.one_of(plain, common_factor, sum_of_quotients).filter(lambda e: e is not None)


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXACT_POINTS = [{"x": Fraction(3, 7), "y": Fraction(-5, 4)}, {"x": Fraction(-11, 3), "y": 2}]
FLOAT_POINTS = [{"x": 0.37, "y": -1.29}, {"x": 2.13, "y": 0.71}, {"x": -0.83, "y": 1.61}]


def substitute(expr, values):
    """``expr`` rebuilt with numbers for its variables: the constructors fold exact arithmetic,
    so a defined value becomes one Const (a division by zero is an UndefinedError)."""
    new = {}
    for node in topological(expr):
        if type(node) is Var:
            new[node] = Const(values[node.name])
        else:
            new[node] = type(node)(*(new[a] for a in node.args)) if node.args else node
    return new[expr]


@PROPERTY
@given(rational_formulas(LEAVES), st.sampled_from([expand, cancel, together]))
def test_exact_values_are_kept(expr, function):
    result = function(expr)
    for point in EXACT_POINTS:
        try:
            before = substitute(expr, point)
        except SymdiffError:        # no value there (a division by zero)
            continue
        if type(before) is Const:
            assert substitute(result, point) is before


@PROPERTY
@given(rational_formulas(LEAVES + [Const(0.5), sd.sin(x), sd.sqrt(y * y + 1), sd.pi]),
       st.sampled_from([expand, cancel, together]))
def test_float_values_are_kept(expr, function):
    result = function(expr)
    for point in FLOAT_POINTS:
        try:
            before, after = expr.evaluate(point), result.evaluate(point)
        except (EvaluationError, OverflowError):
            continue
        assert math.isclose(before, after, rel_tol=1e-6, abs_tol=1e-6)

