"""Deep and wide formulas: no recursion anywhere, and work that grows linearly.

No wall-clock assertions (timings are noisy); complexity is asserted through node counts.
The 100,000-deep and -wide cases are marked slow (``pytest -m "not slow"`` leaves them out).
"""
import math

import pytest

import symdiff as sd
from symdiff import node_count, parse
from symdiff import diff
from symdiff.printing.text import to_shared_text

DEPTH = 100_000


@pytest.fixture(scope="module")
def deep_sin():
    return parse("sin(" * DEPTH + "x" + ")" * DEPTH)


@pytest.mark.slow
def test_deep_nesting_parses_prints_and_evaluates(deep_sin):
    assert node_count(deep_sin) == DEPTH + 1
    text = str(deep_sin)
    assert len(text) == 5 * DEPTH + 1
    assert parse(text) is deep_sin
    value, expected = deep_sin.evaluate(x=0.5), 0.5
    for _ in range(DEPTH):
        expected = math.sin(expected)
    assert value == pytest.approx(expected, rel=1e-12)


@pytest.mark.slow
def test_deep_nesting_differentiates_in_linear_size(deep_sin):
    d = deep_sin.gradient("x")
    assert node_count(d) < 4 * DEPTH            # the tree form would have ~5e9 nodes
    bindings, (result,) = to_shared_text([d])
    assert len(bindings) < 2 * DEPTH and result.startswith("cos(")
    inner, product = 0.5, 1.0
    for _ in range(DEPTH):
        product *= math.cos(inner)
        inner = math.sin(inner)
    assert d.evaluate(x=0.5) == pytest.approx(product, rel=1e-9)


@pytest.mark.slow
def test_wide_sum():
    n = DEPTH
    f = parse(" - ".join(f"x{i}" for i in range(n)))
    assert len(f.args) == n
    assert parse(str(f)) is f
    assert str(f.gradient("x5")) == "-1"
    assert f.evaluate({f"x{i}": float(i) for i in range(n)}) == -sum(range(n)) + 0.0


SHAPES = {
    "minus signs": "-" * DEPTH + "x",
    "parentheses": "(" * DEPTH + "x" + ")" * DEPTH,
    "power tower": "x" + "^x" * 20_000,
    "nested differences": "x" + " - (x" * 20_000 + ")" * 20_000,
    "nested tanh": "tanh(" * 20_000 + "x" + ")" * 20_000,
}


@pytest.mark.slow
@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_other_deep_shapes(text):
    f = parse(text)
    d = f.gradient("x")
    to_shared_text([d])
    assert node_count(d) <= 8 * node_count(f) + 10
    if "^x" not in text:                    # a tower of 20,000 powers overflows any float
        assert math.isfinite(d.evaluate(x=0.1))


@pytest.mark.parametrize("family", [
    lambda n: "sin(" * n + "x" + ")" * n,
    lambda n: "exp(" * n + "x" + ")" * n,
    lambda n: "x" + "*sin(x" * n + ")" * n,
    lambda n: " + ".join(f"x{i}^2*x{i + 1}" for i in range(n)),
])
def test_derivative_size_grows_linearly(family):
    sizes = [node_count(parse(family(n)).gradient("x" if "x0" not in family(1) else "x1"))
             for n in (500, 1000, 2000)]
    assert sizes[2] <= 2.2 * sizes[1] and sizes[1] <= 2.2 * sizes[0]


def test_shared_subexpressions_are_differentiated_once():
    f = parse("x")
    for _ in range(200):                       # tree size 2^200: only the DAG is ever walked
        f = sd.sin(f) * sd.cos(f)
    d = diff(f, "x")
    assert node_count(d) < 20 * node_count(f)
