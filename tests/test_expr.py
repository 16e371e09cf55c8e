"""Expression nodes: hash-consing, immutability, cheap canonical forms, bounded arithmetic."""
import copy
import pickle
from fractions import Fraction

import pytest

import symdiff as sd
from symdiff import Add, Const, Mul, Pow, Var, parse

x, y = Var("x"), Var("y")


def test_hash_consing_makes_equal_expressions_identical():
    assert Var("x") is x
    assert x * x * y + y + 2 is parse("x^2*y + y + 2")
    assert sd.sin(x + 1) is parse("sin(1 + x)")
    assert Const(2) is not Const(2.0)                   # floats stay floats
    assert Const(Fraction(4, 2)) is Const(2)


def test_nodes_are_immutable_and_copy_to_themselves():
    e = x + y
    with pytest.raises(AttributeError):
        e.args = ()
    with pytest.raises(AttributeError):
        x.name = "z"
    assert copy.copy(e) is e and copy.deepcopy(e) is e
    assert pickle.loads(pickle.dumps(e)) is e


def test_python_operators_build_expressions():
    assert str(x * x * y + y + 2) == "x^2*y + y + 2"
    assert str(1 - x) == "1 - x"
    assert str(2 / x) == "2/x"
    assert str(x ** -1) == "1/x"
    assert str(2 ** x) == "2^x"
    assert str(-(x - y)) == "y - x"
    assert +x is x
    with pytest.raises(TypeError, match="parse"):
        x + "y"
    with pytest.raises(TypeError):
        x + True


# construction => canonical text: only cheap, always-true rewrites
CANONICAL = [
    (lambda: x + 0, "x"),
    (lambda: x * 1, "x"),
    (lambda: x * 0, "0"),
    (lambda: x ** 1, "x"),
    (lambda: x ** 0, "1"),
    (lambda: x * y + y * x, "2*x*y"),
    (lambda: x * x, "x^2"),
    (lambda: x * x ** -1, "1"),
    (lambda: sd.sqrt(x) * sd.sqrt(x), "x"),
    (lambda: (x ** 2) ** 3, "x^6"),
    (lambda: (2 * x) ** 2, "4*x^2"),
    (lambda: sd.exp(x) ** 2, "exp(2*x)"),
    (lambda: sd.log(sd.exp(x)), "x"),
    (lambda: sd.exp(sd.log(x)), "exp(log(x))"),     # not always true (x <= 0): kept
    (lambda: sd.sqrt(x ** 2), "sqrt(x^2)"),          # |x|, not x: kept
    (lambda: Add(x, y, x, -y), "2*x"),
    (lambda: Mul(2, x, Fraction(1, 2)), "x"),
    (lambda: Const(1) / 3 + Fraction(2, 3), "1"),
    (lambda: Const(0.1) + 0.2, "0.30000000000000004"),
    (lambda: x * 2.0 + x, "3.0*x"),
    (lambda: sd.sin(0), "0"),
    (lambda: sd.cos(0), "1"),
    (lambda: sd.exp(1), "e"),
    (lambda: sd.log(sd.e), "1"),
    (lambda: sd.sin(Const(0.5)), "0.479425538604203"),
    (lambda: sd.sin(2), "sin(2)"),                   # exact arguments stay symbolic
    (lambda: sd.abs(sd.abs(x)), "abs(x)"),
    (lambda: sd.max(x, x), "x"),
    (lambda: sd.relu(-2), "0"),
    (lambda: Pow(4, Fraction(1, 2)), "2"),
    (lambda: Pow(2, Fraction(1, 2)), "sqrt(2)"),
    (lambda: Pow(2, -2), "1/4"),
]


@pytest.mark.parametrize("build, printed", CANONICAL, ids=[c[1] for c in CANONICAL])
def test_canonical_forms(build, printed):
    assert str(build()) == printed


def test_argument_order_is_deterministic_and_readable():
    assert str(parse("2 + y + x^2*y")) == "x^2*y + y + 2"
    assert str(parse("sin(x)*(x+1)*pi*x*2")) == "2*pi*x*sin(x)*(x + 1)"
    assert parse("y*x").args == (x, y)


def test_huge_exact_powers_stay_symbolic():
    e = parse("2^(10^10)")
    assert type(e) is Pow and str(e) == "2^10000000000"
    assert type(parse("(2^4096)^(2^4096)")) is Pow
    assert parse("2^100") is Const(2 ** 100)
    with pytest.raises(sd.EvaluationError, match="overflow"):
        e.evaluate()


def test_free_vars_and_node_count():
    e = parse("sin(x*y) + x*y + z")
    assert e.free_vars == ("x", "y", "z")
    assert sd.node_count(e) == 6            # x, y, x*y (shared, counted once), sin(x*y), z, the sum
    assert sd.node_count([e, x]) == 6


# ------------------------------------------------ fast paths agree with the general path
from hypothesis import given, settings, strategies as st  # noqa: E402

from symdiff.core import products, sums  # noqa: E402
from symdiff.core.nodes import as_expr  # noqa: E402

_LONG_PRODUCT = sd.Mul(*(sd.Var(f"v{i}") for i in range(40)))    # kept whole in products
_TERMS = st.sampled_from([x, y, x ** 2, 3 * x, Fraction(1, 2) * y, 2.5 * x * y, sd.sin(x), 7,
                          0.25, x ** -1, sd.exp(y), -x, sd.sqrt(2), 2 ** x, x + 1, 2 - y,
                          x * y + sd.sin(y), 0, -1, 1.0, Fraction(-2, 3), sd.sqrt(x + 1), x ** 3,
                          _LONG_PRODUCT, 3 * _LONG_PRODUCT, sd.exp(2 * y),
                          Add(*(sd.Var(f"w{i}") for i in range(12))),            # not distributed
                          Add(*(i * sd.Var(f"u{i}") for i in range(1, 40)))])    # not flattened
_NUMBERS = st.sampled_from([2, -1, Fraction(1, 3), 0.5, -2.5, 1.0, 1e-200, 3, 0, 1])


def _general(build, monkeypatch):
    """``build()`` with the product and sum fast paths switched off."""
    with monkeypatch.context() as patch:
        patch.setattr(products, "product_plan", lambda a, b: None)
        patch.setattr(sums, "_scale_sum", lambda c, total: Add(*(Mul(c, t) for t in total.args)))
        patch.setattr(sums, "_sum_of_two", lambda a, b: None)
        return build()


@settings(max_examples=400, deadline=None)
@given(st.lists(_TERMS, min_size=2, max_size=6), st.lists(_TERMS, min_size=1, max_size=40), _NUMBERS)
def test_fast_paths_build_the_same_node_as_the_general_path(terms, factors, number):
    import pytest as _pytest
    patch = _pytest.MonkeyPatch()
    try:
        total = Add(*terms)
        assert Mul(number, total) is _general(lambda: Mul(number, total), patch)
        product = Const(1)
        for factor in factors:
            factor = as_expr(factor)
            grown = Mul(product, factor)
            assert grown is _general(lambda: Mul(product, factor), patch)
            assert Mul(factor, product) is grown
            assert Mul(number, factor) is _general(lambda: Mul(number, factor), patch)
            assert Mul(factor, total) is _general(lambda: Mul(factor, total), patch)
            assert Add(factor, grown) is _general(lambda: Add(factor, grown), patch)
            assert Add(total, factor) is _general(lambda: Add(total, factor), patch)
            product = grown
    finally:
        patch.undo()


from symdiff.core.sums import Terms, built, product_plan_of, sum_plan  # noqa: E402

_STEPS = st.lists(st.tuples(st.sampled_from(["times", "plus", "merge"]), _TERMS,
                            st.integers(0, 20)), min_size=1, max_size=12)


@settings(max_examples=400, deadline=None)
@given(_TERMS, _STEPS)
def test_plans_build_the_nodes_the_constructors_build(start, steps):
    """A reverse sweep keeps products and sums as plans (a product's factors, ``Terms``) until
    it needs them; built, every plan is the node Mul and Add give for the same operations."""
    start = as_expr(start)
    values = [(start, start)]                              # (plan, node)
    for operation, operand, pick in steps:
        plan, node = values[pick % len(values)]
        operand = as_expr(operand)
        if operation == "times":
            value = (product_plan_of(plan, operand), Mul(node, operand))
        elif operation == "plus":
            value = (sum_plan([plan, operand]), Add(node, operand))
        else:
            other_plan, other_node = values[-1]
            value = (sum_plan([plan, other_plan, operand]), Add(node, other_node, operand))
        assert built(value[0]) is value[1]
        values.append(value)
    total = values[-1][1]
    if type(total) is Add:
        assert Terms.of_sum(total).node() is total


def test_a_merged_power_that_becomes_an_existing_factor_is_merged_again():
    product = Mul(sd.exp(2 * y), sd.exp(y))
    merged = Mul(product, sd.exp(y))            # exp(y)^2 is exp(2*y), already a factor
    assert merged is sd.exp(4 * y)
    assert Mul(x, merged).args == (x, sd.exp(4 * y))


def test_the_intern_table_forgets_nodes_nobody_holds():
    import gc

    from symdiff.core.intern import _INTERN
    gc.collect()                 # whatever earlier tests left in reference cycles goes first
    before = len(_INTERN)
    e = parse("sin(q1*q2) + q3^2")
    assert len(_INTERN) > before
    del e
    gc.collect()
    assert len(_INTERN) == before
    again = parse("sin(q1*q2) + q3^2")            # built anew after the old nodes died
    assert again is parse("q3^2 + sin(q2*q1)")


def test_empty_sum_and_product_are_zero_and_one():
    assert Add() is Const(0) and Mul() is Const(1)
