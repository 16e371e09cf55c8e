"""One object per formula in every thread: threads that parse, differentiate, simplify and
compile at the same time get the same nodes and the same results as one thread alone.

The threads switch often (``sys.setswitchinterval``) so that two of them build the same new
node at the same moment as often as possible; every round uses names no other test uses,
so each round's nodes are new to the intern table."""
import itertools
import math
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symdiff as sd
from symdiff import Var, gradient, lambdify, parse, simplify
from strategies import formulas, value_at

THREADS = 8


@pytest.fixture
def busy_switching():
    """Let the interpreter switch threads every microsecond while a test runs."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def _together(work, count=THREADS):
    """``work(i)`` in ``count`` threads that start at one barrier; their results in order."""
    barrier = threading.Barrier(count)

    def run(i):
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_threads_parsing_one_new_formula_get_one_object(busy_switching):
    for _ in range(30):
        tag = uuid.uuid4().hex[:8]
        v, w = f"v_{tag}", f"w_{tag}"
        text = f"{v}*{v}*{w} + sin({v}*{w})^2 + {v}*{v}*{w}"
        results = _together(lambda i: parse(text))
        assert all(r is results[0] for r in results)
        square = _together(lambda i: Var(v) * Var(v))
        assert all(r is square[0] for r in square) and str(square[0]) == f"{v}^2"
        differences = _together(lambda i: parse(v) - Var(v))
        assert all(d is sd.Const(0) for d in differences)
        derivative = _together(lambda i: parse(f"{v}^3").gradient(v).evaluate({v: 1}))
        assert derivative == [3.0] * THREADS
        slopes = _together(lambda i: parse(f"{v}*{v}*{w}").gradient(v).evaluate({v: 3, w: 1}))
        assert slopes == [6.0] * THREADS


def test_no_two_live_nodes_have_one_structure_after_threaded_building(busy_switching):
    tag = uuid.uuid4().hex[:8]
    names = [f"t{k}_{tag}" for k in range(6)]

    def build(i):
        terms = [parse(f"{a}*{b} + exp({a} - {b})") for a, b in itertools.permutations(names, 2)]
        return [gradient(t, [Var(n) for n in names]) for t in terms]

    results = _together(build)
    for result in results[1:]:
        assert all(g is h for gs, hs in zip(result, results[0]) for g, h in zip(gs, hs))
    built = sd.topological([g for result in results for gs in result for g in gs])
    keys = [(type(n), n.args, getattr(n, "name", None), getattr(n, "value", None)) for n in built]
    assert len(keys) == len(set(keys))       # children are one object each, so a duplicate
                                             # node would show as a repeated key


POINT = {"x": 0.7, "y": -1.3, "z": 2.1}


def _single_threaded(expr):
    """What one thread computes: the gradient's text and values, the simplified text, and
    the compiled gradient's values (None where a value does not exist)."""
    xs = [Var("x"), Var("y"), Var("z")]
    grads = gradient(expr, xs)
    compiled = lambdify(grads, xs, "math")
    try:
        numbers = [float(v) for v in compiled(**POINT)]
    except (ArithmeticError, ValueError):
        numbers = None
    return ([str(g) for g in grads], [value_at(g, POINT) for g in grads],
            str(simplify(expr)), numbers)


def _same(a, b):
    if a is None or b is None:
        return a is b
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(p, q) for p, q in zip(a, b))
    return a == b


@settings(max_examples=12, deadline=None)
@given(st.lists(formulas(depth=3), min_size=THREADS, max_size=THREADS))
def test_gradient_simplify_lambdify_in_threads_match_one_thread(exprs):
    texts = [str(e) for e in exprs]
    expected = [_single_threaded(parse(t)) for t in texts]
    del exprs                      # let the derived nodes die, so the threads build them anew
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        got = _together(lambda i: [_single_threaded(parse(t)) for t in texts[i:] + texts[:i]])
    finally:
        sys.setswitchinterval(before)
    for i, results in enumerate(got):
        for j, result in enumerate(results):
            assert _same(result, expected[(i + j) % THREADS]), texts[(i + j) % THREADS]
