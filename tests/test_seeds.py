"""The worked examples of the seed tutorials (../shared/seeds/README.md), symbolically and numerically."""
import math

import pytest

from symdiff import parse
from symdiff import diff

F = "x*x*y + y + 2"


def test_seed_004_function_value_and_gradient():
    f = parse(F)
    assert f.evaluate(x=3, y=4) == 42
    assert str(f.gradient("x")) == "2*x*y"
    assert str(f.gradient("y")) == "x^2 + 1"
    assert f.gradient("x").evaluate(x=3, y=4) == 24
    assert f.gradient("y").evaluate(x=3, y=4) == 10


def test_seed_004_hessian():
    f = parse(F)
    hessian = [[diff(f, a, b).evaluate(x=3, y=4) for b in "xy"] for a in "xy"]
    assert hessian == [[8, 6], [6, 0]]
    assert [[str(diff(f, a, b)) for b in "xy"] for a in "xy"] == [["2*y", "2*x"], ["2*x", "0"]]


def test_seed_004_sin_of_square():
    dz = parse("sin(x^2)").gradient("x")
    assert str(dz) == "2*x*cos(x^2)"
    assert dz.evaluate(x=3) == pytest.approx(6 * math.cos(9))
    assert round(dz.evaluate(x=3), 2) == -5.47


def test_seed_004_numerical_gradient_is_only_an_approximation():
    f, eps = parse(F), 1e-4
    approx = (f.evaluate(x=3 + eps, y=4) - f.evaluate(x=3, y=4)) / eps
    assert approx == pytest.approx(24.0004, abs=1e-6)
    assert f.gradient("x").evaluate(x=3, y=4) == 24


def test_seed_000_linear_regression_loss():
    point = dict(x=4, w=1, b=-3, y=3)
    L = parse("(w*x + b - y)^2")
    assert parse("w*x").evaluate(point) == 4                  # z0
    assert parse("w*x + b").evaluate(point) == 1              # z1
    assert parse("w*x + b - y").evaluate(point) == -2         # z2
    assert L.evaluate(point) == 4
    assert parse("z2^2").gradient("z2").evaluate(z2=-2) == -4  # dL/dz2
    assert L.gradient("w").evaluate(point) == -16


def test_seed_001_squared_error_gradient():
    L = parse("(y - (x*w + b))^2")
    expected = parse("-2*x*(y - (x*w + b))")
    for point in [dict(x=4, w=1, b=-3, y=3), dict(x=-1.5, w=0.3, b=2, y=7)]:
        assert L.gradient("w").evaluate(point) == pytest.approx(expected.evaluate(point))


def test_seed_003_apples():
    price = parse("apple*apple_count*tax")
    point = dict(apple=100, apple_count=2, tax=1.1)
    assert price.evaluate(point) == pytest.approx(220)
    grads = {v: price.gradient(v).evaluate(point) for v in ("apple", "apple_count", "tax")}
    assert grads == pytest.approx({"apple": 2.2, "apple_count": 110, "tax": 200})


def test_seed_003_apples_and_oranges():
    price = parse("(apple*apple_count + orange*orange_count)*tax")
    point = dict(apple=100, apple_count=2, orange=150, orange_count=3, tax=1.1)
    assert price.evaluate(point) == pytest.approx(715)
    grads = {v: price.gradient(v).evaluate(point) for v in point}
    assert grads == pytest.approx({"apple": 2.2, "apple_count": 110, "orange": 3.3,
                                   "orange_count": 165, "tax": 650})
