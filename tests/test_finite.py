"""Finite differences: accurate enough to judge symbolic derivatives, honest about their error,
and clear about points where a nudged evaluation fails."""
import math

import pytest

from symdiff import EvaluationError, gradient_fd, hessian, hessian_fd, parse
from symdiff.numeric.finite import GRADIENT_STEP, gradient_fd_with_errors, hessian_fd_with_errors


def test_seed_004_gradient_and_hessian():
    f = parse("x*x*y + y + 2")
    assert gradient_fd(f, {"x": 3, "y": 4}) == pytest.approx([24, 10], rel=1e-10)
    assert hessian_fd(f, {"x": 3, "y": 4}) == [pytest.approx([8, 6], rel=1e-6, abs=1e-6),
                                               pytest.approx([6, 0], rel=1e-6, abs=1e-6)]


# formula, point => exact gradient (as a function of the point)
SMOOTH = [
    ("sin(40*x)",            {"x": 0.7},           lambda x: [40 * math.cos(40 * x)]),
    ("exp(5*x)",             {"x": 1.3},           lambda x: [5 * math.exp(5 * x)]),
    ("1/(x^2 + 0.01)",       {"x": 0.2},           lambda x: [-2 * x / (x * x + 0.01) ** 2]),
    ("log(x)",               {"x": 1234.5},        lambda x: [1 / x]),
]


@pytest.mark.parametrize("text, point, exact", SMOOTH, ids=[s[0] for s in SMOOTH])
def test_richardson_extrapolation_beats_the_plain_central_difference(text, point, exact):
    """The extrapolation cancels the h² term, which dominates where f varies on a short
    scale: the plain difference at the same step is much further off."""
    f, x = parse(text), point["x"]
    expected = exact(x)[0]
    h = GRADIENT_STEP * max(1.0, abs(x))
    plain = (f.evaluate(x=x + h) - f.evaluate(x=x - h)) / ((x + h) - (x - h))
    extrapolated = gradient_fd(f, point)[0]
    assert abs(extrapolated - expected) <= 1e-10 * max(1.0, abs(expected))
    if text != "log(x)":                         # there both are at the rounding floor
        assert abs(extrapolated - expected) < abs(plain - expected) / 10


def test_hessian_is_symmetric_and_close_to_the_symbolic_one():
    f = parse("exp(x*y) + sin(x)*y^3 - log(x)*z^2")
    point = {"x": 0.7, "y": -0.4, "z": 1.9}
    names = ["x", "y", "z"]
    fd = hessian_fd(f, point, names)
    exact = [[e.evaluate(point) for e in row] for row in hessian(f, names)]
    for i in range(3):
        for j in range(3):
            assert fd[i][j] == fd[j][i]
            assert fd[i][j] == pytest.approx(exact[i][j], rel=1e-7, abs=1e-7)


def test_error_estimates_are_small_where_f_is_smooth_and_large_where_it_is_not():
    smooth = parse("sin(x)*y")
    _, errors = gradient_fd_with_errors(smooth, {"x": 0.5, "y": 2})
    assert max(errors) < 1e-8
    _, errors = hessian_fd_with_errors(smooth, {"x": 0.5, "y": 2})
    assert max(max(row) for row in errors) < 1e-5
    rough = parse("sin(25*exp(x^2))")       # oscillates many times within a step at x = 2.5
    matrix, errors = hessian_fd_with_errors(rough, {"x": 2.5})
    assert errors[0][0] > 0.1 * abs(matrix[0][0])


def test_rounding_counts_in_the_error_estimate_where_f_is_huge():
    """Rosenbrock far out: f ~ 1e7, a second derivative of 200; rounding dominates."""
    f = parse("100*(x3 - x2^2)^2 + 100*(x2 - x1^2)^2")
    point = {"x1": 20.7, "x2": 15.5, "x3": -4.77}
    matrix, errors = hessian_fd_with_errors(f, point, ["x3"])
    assert errors[0][0] > abs(matrix[0][0] - 200)


def test_a_nudged_point_outside_the_domain_is_a_clear_error():
    with pytest.raises(EvaluationError, match=r"finite differences need log\(x\) near the "
                                              r"point, but at x = -"):
        gradient_fd(parse("log(x)"), {"x": 1e-6})
    with pytest.raises(EvaluationError, match="finite differences need"):
        hessian_fd(parse("sqrt(x - 1)*y"), {"x": 1.00001, "y": 2})


def test_the_point_itself_outside_the_domain():
    with pytest.raises(EvaluationError, match=r"^log\(x\) is undefined here"):
        gradient_fd(parse("log(x)"), {"x": -1})


def test_missing_variable():
    with pytest.raises(EvaluationError, match="no value for variable 'y'"):
        gradient_fd(parse("x*y"), {"x": 1})
