"""Reverse mode: gradients, Hessians, Jacobians, JVPs and VJPs, their values against SymPy and
finite differences, and their cost asserted as node counts (never wall-clock time)."""
import math
import random

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings

import symdiff as sd
from symdiff import Var, exp, gradient, hessian, jacobian, jvp, log, node_count
from symdiff import parse, sin, tanh, vjp
from symdiff.core import intern as intern_module
from symdiff.interop.sympy_bridge import to_sympy

from strategies import formulas, near_kink_or_edge, points
from test_properties import value

x, y, z = Var("x"), Var("y"), Var("z")

# formula, variables => gradient, Hessian (as printed)
CASES = [
    ("x^2*y + y + 2", "x,y", ["2*x*y", "x^2 + 1"], [["2*y", "2*x"], ["2*x", "0"]]),
    ("x*x*y + y + 2", "y,x", ["x^2 + 1", "2*x*y"], [["0", "2*x"], ["2*x", "2*y"]]),
    ("sin(x^2)", "x", ["2*x*cos(x^2)"], [["2*cos(x^2) - 4*x^2*sin(x^2)"]]),
    ("exp(x*y)", "x,y", ["y*exp(x*y)", "x*exp(x*y)"],
     [["y^2*exp(x*y)", "x*y*exp(x*y) + exp(x*y)"], ["x*y*exp(x*y) + exp(x*y)", "x^2*exp(x*y)"]]),
    ("x*y*z", "x,y,z", ["y*z", "x*z", "x*y"], [["0", "z", "y"], ["z", "0", "x"], ["y", "x", "0"]]),
    ("log(x) + 3", "x", ["1/x"], [["-1/x^2"]]),
    ("x^y", "y", ["x^y*log(x)"], [["x^y*log(x)^2"]]),
    ("y^2", "x", ["0"], [["0"]]),
    ("7", "x,y", ["0", "0"], [["0", "0"], ["0", "0"]]),
]


@pytest.mark.parametrize("text, names, grad, hess", CASES)
def test_gradient_and_hessian_table(text, names, grad, hess):
    f = parse(text)
    assert [str(g) for g in gradient(f, names)] == grad
    assert [[str(h) for h in row] for row in hessian(f, names)] == hess


def test_seed_004_gradient_and_hessian_at_a_point():
    f = parse("x*x*y + y + 2")
    assert [g.evaluate(x=3, y=4) for g in gradient(f, ["x", "y"])] == [24, 10]
    assert [[h.evaluate(x=3, y=4) for h in row] for row in hessian(f, "x,y")] == [[8, 6], [6, 0]]


def test_seed_003_apples_and_oranges_all_partials_at_once():
    f = parse("(apple*apple_count + orange*orange_count)*tax")
    names = ["apple", "apple_count", "orange", "orange_count", "tax"]
    point = dict(apple=100, apple_count=2, orange=150, orange_count=3, tax=1.1)
    got = [g.evaluate(point) for g in gradient(f, names)]
    assert got == pytest.approx([2.2, 110, 3.3, 165, 650])


def test_seed_002_non_scalar_backward_needs_a_seed_vector():
    fs = [parse("x*y"), parse("x + y"), parse("sin(x)")]
    w = [1, 2, parse("z")]
    assert [str(g) for g in vjp(fs, "x,y", w)] == ["z*cos(x) + y + 2", "x + 2"]
    # the same as w^T J, built from the Jacobian
    rows = jacobian(fs, "x,y")
    assert [sd.Add(*(wk * row[j] for wk, row in zip(w, rows))) for j in range(2)] == vjp(fs, "x,y", w)


def test_jvp_is_the_jacobian_times_a_direction():
    fs = [parse("x*y"), parse("x^2 + y")]
    assert [str(t) for t in jvp(fs, "x,y", [1, 2])] == ["2*x + y", "2*x + 2"]
    assert [str(t) for t in jvp(fs[0], [x, y], [parse("a"), 0])] == ["a*y"]


def test_defaults_and_argument_forms():
    f = parse("x*y + z")
    assert gradient(f) == gradient(f, ["x", "y", "z"]) == gradient(f, "x, y, z") == gradient(f, [x, y, z])
    assert jacobian([f, x]) == [gradient(f), [sd.Const(1), sd.Const(0), sd.Const(0)]]
    assert gradient(3, ["x"]) == [sd.Const(0)]


@pytest.mark.parametrize("call, message", [
    (lambda: gradient(parse("x"), ["x", "x"]), "listed twice"),
    (lambda: gradient(parse("x"), [3]), "a Var or a name"),
    (lambda: jvp([parse("x")], "x", [1, 2]), "2 entries for 1 variables"),
    (lambda: vjp([parse("x")], "x", [1, 2]), "2 entries for 1 outputs"),
])
def test_bad_arguments_are_explained(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_hessian_is_symmetric_with_shared_entries():
    f = parse("sin(x*y)*exp(z) + x^3*z")
    h = hessian(f, "x,y,z")
    assert all(h[i][j] is h[j][i] for i in range(3) for j in range(3))


# ------------------------------------------------------------- consistency and oracles
PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@PROPERTY
@given(formulas(), points)
def test_each_partial_is_the_node_expr_gradient_gives_and_matches_forward_mode(expr, point):
    names = ["x", "y", "z"]
    grads = gradient(expr, names)
    for name, g in zip(names, grads):
        assert g is expr.gradient(name)
        forward = value(sd.derivative(expr, name), point)
        if forward is not None and value(expr, point) is not None:
            reverse = value(g, point)
            if reverse is not None:
                assert reverse == pytest.approx(forward, rel=1e-9, abs=1e-9)


def _sympy_value(expr, point):
    try:
        result = complex(expr.evalf(30, strict=True, subs={
            sympy.Symbol(k, real=True): v for k, v in point.items()}))
    except (TypeError, ValueError, ArithmeticError, NotImplementedError):
        return None
    finite = math.isfinite(result.real) and abs(result.imag) <= 1e-12 * max(1.0, abs(result))
    return result.real if finite else None


def _second_difference(expr, a, b, point, h=1e-4):
    """Central difference of the symbolic first partial: d/db of df/da."""
    first = expr.gradient(a)
    up, down = dict(point), dict(point)
    up[b] += h
    down[b] -= h
    above, below = value(first, up), value(first, down)
    return None if above is None or below is None else (above - below) / (2 * h)


@pytest.mark.slow
@PROPERTY
@given(formulas(depth=3), points)
def test_hessian_matches_sympy_and_finite_differences(expr, point):
    names = [n for n in ("x", "y") if n in expr.free_vars]
    assume(names and value(expr, point) is not None and abs(value(expr, point)) < 1e4)
    assume(not near_kink_or_edge(expr, point))
    h = hessian(expr, names)
    symbols = {n: sympy.Symbol(n, real=True) for n in names}
    reference = to_sympy(expr, evaluate=True)
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            got = value(h[i][j], point)
            if got is None or abs(got) > 1e6:
                continue
            expected = _sympy_value(sympy.diff(reference, symbols[a], symbols[b]), point)
            if expected is not None:
                assert got == pytest.approx(expected, rel=1e-7, abs=1e-7), (a, b)
            fd, fd_wide = (_second_difference(expr, a, b, point, s) for s in (1e-5, 2e-5))
            if fd is not None and fd_wide is not None and abs(fd - fd_wide) <= 1e-4 * max(1, abs(fd)):
                assert got == pytest.approx(fd, rel=1e-3, abs=1e-3), (a, b)


# ---------------------------------------------------------------- cost as node counts
def rosenbrock(n):
    xs = [Var(f"x{i}") for i in range(n)]
    return sd.Add(*(100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2
                    for i in range(n - 1))), xs


def logsumexp(n):
    xs = [Var(f"x{i}") for i in range(n)]
    return log(sd.Add(*(exp((i % 5 + 1) * xs[i]) for i in range(n)))), xs


def mlp(n, points=4, inputs=3):
    """Squared loss of a tanh network with about n symbolic weights on fixed data."""
    hidden = max(1, (n - 1) // (inputs + 2))
    rng = random.Random(0)
    W = [[Var(f"W{j}_{i}") for i in range(inputs)] for j in range(hidden)]
    b, v, c = [Var(f"b{j}") for j in range(hidden)], [Var(f"v{j}") for j in range(hidden)], Var("c")
    loss = []
    for _ in range(points):
        data = [round(rng.uniform(-1, 1), 3) for _ in range(inputs)]
        out = sd.Add(*(v[j] * tanh(sd.Add(*(W[j][i] * data[i] for i in range(inputs)), b[j]))
                       for j in range(hidden)), c)
        loss.append((out - round(rng.uniform(-1, 1), 3)) ** 2)
    params = [w for row in W for w in row] + b + v + [c]
    return sd.Add(*loss), params


def nested_sin(depth):
    f = x
    for _ in range(depth):
        f = sin(f)
    return f, [x]


def product(n):
    return sd.Mul(*(x + i for i in range(1, n + 1))), [x]


FAMILIES = [rosenbrock, logsumexp, mlp, nested_sin, product]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("n", [100, 1000])
def test_gradient_dag_is_at_most_three_times_the_function(family, n):
    f, xs = family(n)
    assert node_count(gradient(f, xs)) <= 3 * node_count(f)


def _new_nodes(build):
    """Nodes created while ``build()`` runs, kept or not: the work of a symbolic pass."""
    before = intern_module.nodes_created()
    result = build()
    return intern_module.nodes_created() - before, result


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.__name__)
def test_gradient_work_grows_linearly(family):
    (f1, xs1), (f2, xs2) = family(500), family(1000)
    work1, g1 = _new_nodes(lambda: gradient(f1, xs1))
    work2, g2 = _new_nodes(lambda: gradient(f2, xs2))
    assert work2 <= 2.3 * work1, (work1, work2)        # quadratic would be 4x
    assert work2 <= 4 * node_count(f2)


def test_all_partials_share_one_sweep():
    """n partials of logsumexp cost what one does: each is exp(k*x_i)*k/S with S shared."""
    f, xs = logsumexp(1000)
    all_partials = node_count(gradient(f, xs))
    one = node_count(gradient(f, xs[:1]))
    assert all_partials <= 2 * node_count(f)
    assert one <= node_count(f) + 10


@pytest.mark.slow
def test_deep_nesting_is_linear():
    f, xs = nested_sin(100_000)
    g = gradient(f, xs)
    assert node_count(g) <= 2.1 * node_count(f)


def test_product_partials_share_prefix_and_suffix_products():
    xs = [Var(f"x{i}") for i in range(200)]
    f = sd.Mul(*xs)
    g = gradient(f, xs)
    assert node_count(g) <= 4 * node_count(f)
    point = {f"x{i}": 1.0 + (i % 3) for i in range(200)}
    point["x7"] = 0.0                     # no division: a zero factor is fine
    assert g[7].evaluate(point) == pytest.approx(math.prod(1.0 + (i % 3) for i in range(200) if i != 7))
    assert g[8].evaluate(point) == 0


@pytest.mark.parametrize("family", [rosenbrock, logsumexp, mlp], ids=lambda f: f.__name__)
def test_hessian_output_and_work_stay_bounded(family):
    f, xs = family(100)
    work, h = _new_nodes(lambda: hessian(f, xs))
    entries = len(xs) ** 2
    assert node_count([e for row in h for e in row]) <= 3 * node_count(f) + 3 * entries
    assert work <= 10 * (node_count(f) + entries)


def test_node_count_takes_an_expression_a_list_or_a_matrix():
    f = parse("x^2*y + sin(x)")
    h = hessian(f)
    assert node_count(h) == node_count([entry for row in h for entry in row]) == node_count(h[0] + h[1])
    assert node_count(f) == node_count([f]) == node_count([[f], [f]]) == 7


@pytest.mark.parametrize("family, bound", [(rosenbrock, 1.75), (logsumexp, 1.01), (mlp, 1.01)],
                         ids=lambda v: getattr(v, "__name__", str(v)))
def test_a_gradient_builds_few_nodes_it_does_not_keep(family, bound):
    """Nodes created during ``gradient(...)`` against the result's nodes that did not exist
    before. The sweep keeps adjoints as plans until they are needed, so log-sum-exp and the MLP
    build nothing they throw away. Rosenbrock's extra nodes are the partials of its squares:
    partials_of builds d(u^2)/du = 2*u as a sum (2*(x1 - x0^2) = 2*x1 - 2*x0^2, and 2 - 2*x0),
    and the sweep needs 100 times it (5 such nodes per term; 7 per term are kept)."""
    gradient(*family(10))                   # the partials' templates parsed: not this work
    f, xs = family(1000)
    alive = intern_module.live_nodes()      # held, so no id is reused while counting
    existed = {id(node) for node in alive}
    created, g = _new_nodes(lambda: gradient(f, xs))
    kept = sum(1 for node in sd.topological(g) if id(node) not in existed)
    assert created <= bound * kept, (created, kept)


def test_sweeps_pause_the_cyclic_collector_and_restore_it(monkeypatch):
    """Nodes form no reference cycles, so sweeps switch the cyclic collector off while they
    build (it would walk the growing heap over and over) and back on after, even after an
    error; nested and concurrent sweeps leave it as they found it."""
    import gc
    import threading

    from symdiff.calculus import forward, reverse
    from symdiff.core.intern import collector_paused
    seen = []
    for module in (forward, reverse):
        real = module.local_partials
        monkeypatch.setattr(module, "local_partials", lambda node, wanted, real=real:
                            seen.append(gc.isenabled()) or real(node, wanted))
    f = parse("sin(x*y) + x^3*y")
    was_enabled = gc.isenabled()
    try:
        gc.enable()
        hessian(f, "x,y")
        jacobian([f, f * x], "x,y")
        sd.diff(f, "x", 2)
        assert seen and not any(seen) and gc.isenabled()
        with collector_paused:
            gradient(f, "x,y")
            assert not gc.isenabled()       # the inner sweep left it off
        assert gc.isenabled()
        threads = [threading.Thread(target=hessian, args=(f, "x,y")) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert gc.isenabled()
        gc.disable()
        gradient(f, "x,y")
        assert not gc.isenabled()           # off before, off after
        gc.enable()

        def fail(node, wanted):
            raise ZeroDivisionError("a partial that fails")
        monkeypatch.setattr(reverse, "local_partials", fail)
        with pytest.raises(ZeroDivisionError):
            gradient(f, "x,y")
        assert gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()
        else:
            gc.disable()
