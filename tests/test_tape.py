"""The numeric reverse-mode tape: the seeds' backpropagation examples, every function against
SymPy and central differences (the cases of test_dual), seeded backward passes, depth."""
import math

import pytest

import symdiff
from symdiff import EvaluationError, Sin, Var, gradient_at, parse, vjp_at
from test_derivative_rules import KINKS
from test_dual import (CASES, FD_TOLERANCE, TOLERANCE, case_id, central_differences,
                       sympy_gradient)

# formula, point => gradient in the point's order (the seeds' worked examples)
SEEDS = [
    ("x*x*y + y + 2",                            {"x": 3, "y": 4},             [24, 10]),
    ("sin(x^2)",                                 {"x": 3},                     [6 * math.cos(9)]),
    ("(w*x + b - y)^2",                          {"w": 1, "x": 4, "b": -3, "y": 3},
     [-16, -4, -4, 4]),
    ("apple*count*tax",                          {"apple": 100, "count": 2, "tax": 1.1},
     [2.2, 110, 200]),
    ("(apple*apple_count + orange*orange_count)*tax",
     {"apple": 100, "apple_count": 2, "orange": 150, "orange_count": 3, "tax": 1.1},
     [2.2, 110, 3.3, 165, 650]),
]


@pytest.mark.parametrize("text, point, expected", SEEDS, ids=[s[0] for s in SEEDS])
def test_seed_examples(text, point, expected):
    assert gradient_at(parse(text), point, list(point)) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("text, point", CASES, ids=map(case_id, CASES))
def test_tape_gradient_matches_sympy(text, point):
    assert gradient_at(parse(text), point, list(point)) == pytest.approx(
        sympy_gradient(text, tuple(point.items())), **TOLERANCE)


@pytest.mark.parametrize("text, point", CASES, ids=map(case_id, CASES))
def test_tape_gradient_matches_central_differences(text, point):
    assert gradient_at(parse(text), point, list(point)) == pytest.approx(
        central_differences(text, point), **FD_TOLERANCE)


@pytest.mark.parametrize("text, var, point, expected", KINKS,
                         ids=[f"{k[0]} at {k[2]}" for k in KINKS])
def test_kink_conventions_match_the_symbolic_table(text, var, point, expected):
    assert gradient_at(parse(text), point, [var]) == [float(expected)]


def test_default_variables_are_the_formulas_sorted_and_extra_ones_get_zero():
    f = parse("x^2*y")
    assert gradient_at(f, {"x": 3, "y": 4}) == [24.0, 9.0]
    assert gradient_at(f, {"x": 3, "y": 4}, ["y", "z"]) == [9.0, 0.0]


def test_a_zero_factor_does_not_divide_by_zero():
    """Each factor's partial of a product is the product of the others, not product/factor."""
    f = parse("x*y*z*w*v")
    point = {"x": 0.0, "y": 2.0, "z": 3.0, "w": 4.0, "v": 5.0}
    assert gradient_at(f, point, list(point)) == [120.0, 0.0, 0.0, 0.0, 0.0]


def test_vjp_is_the_seeded_backward_of_a_non_scalar_output():
    fs = [parse("x*y"), parse("x + y"), parse("sin(x)*y^2")]
    point, seed = {"x": 0.3, "y": -1.2}, [1.0, 2.5, -0.5]
    expected = [e.evaluate(point) for e in symdiff.vjp(fs, ["x", "y"], seed)]
    assert vjp_at(fs, point, ["x", "y"], seed) == pytest.approx(expected, rel=1e-14)
    assert vjp_at(fs[0], point, None, [2.0]) == [-2.4, 0.6]


def test_vjp_seed_must_match_the_outputs():
    with pytest.raises(ValueError, match="the seed has 1 entries for 2 outputs"):
        vjp_at([parse("x"), parse("y")], {"x": 1, "y": 1}, ["x", "y"], [1])


def test_undefined_point_is_an_evaluation_error_naming_the_node():
    with pytest.raises(EvaluationError, match="log needs a positive argument"):
        gradient_at(parse("log(x)*y"), {"x": -1, "y": 2})
    with pytest.raises(EvaluationError, match=r"derivative of sqrt\(x\) is undefined"):
        gradient_at(parse("sqrt(x)"), {"x": 0})
    with pytest.raises(EvaluationError, match="d/dx is not finite"):
        gradient_at(parse("1e300*sin(1e300*x)"), {"x": 1})


def test_a_zero_adjoint_asks_for_no_partial():
    """Behind step's zero derivative, sqrt(x)'s undefined one at 0 is never needed."""
    assert gradient_at(parse("step(sqrt(x))"), {"x": 0}) == [0.0]


@pytest.mark.slow
def test_100000_nested_sines_without_recursion():
    expr = Var("x")
    for _ in range(100_000):
        expr = Sin(expr)
    inner, product = 0.5, 1.0
    for _ in range(100_000):
        product *= math.cos(inner)
        inner = math.sin(inner)
    assert gradient_at(expr, {"x": 0.5}) == [pytest.approx(product, rel=1e-12)]
