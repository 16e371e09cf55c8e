"""Compiled functions (lambdify, to_python_source): same values as evaluate, each shared node
computed once, symdiff's own names only, arrays broadcast, deep and wide formulas compile.

No wall-clock assertions: the size of the generated code is checked against the DAG's."""
import ast
import importlib.util
import io
import keyword
import math
import random
import re
import tokenize
import warnings

import numpy as np
import pytest
from hypothesis import given

import symdiff as sd
from symdiff import EvaluationError, Var, gradient, hessian, lambdify, node_count, parse
from symdiff.codegen.compile import to_python_source
from strategies import (CORPUS, PROPERTY, corpus_points, corpus_records, error_bar, formulas,
                        points, well_conditioned)

BACKENDS = ["math", "numpy"]

# formula, point: the functions together, every way of writing a power, folded constants,
# kinks (each declared function alone, in both backends: tests/test_functions.py).
VALUES = [
    ("sin(x) + cos(y) + tan(z)", {"x": 0.3, "y": 1.2, "z": -0.7}),
    ("sec(x) + csc(y) + cot(z)", {"x": 0.3, "y": 1.2, "z": -0.7}),
    ("asin(x) + acos(y) + atan(z)", {"x": 0.3, "y": -0.8, "z": 5.0}),
    ("sinh(x) + cosh(y) + tanh(z)", {"x": 0.3, "y": -1.2, "z": 2.0}),
    ("asinh(x) + acosh(y) + atanh(z)", {"x": -3.0, "y": 1.5, "z": 0.4}),
    ("exp(x) + log(y) + sqrt(z)", {"x": 0.3, "y": 2.5, "z": 4.0}),
    ("abs(x) + sign(y) + step(z)", {"x": -0.3, "y": -2.0, "z": 0.7}),
    ("sign(x) + step(y) + relu(z)", {"x": 0.0, "y": 0.0, "z": 0.0}),   # sign(0) = step(0) = 0
    ("relu(x) - relu(y) + abs(z)", {"x": -1.5, "y": 2.5, "z": 0.0}),
    ("max(x, y) + 2*min(x, z)", {"x": 1.0, "y": -2.0, "z": 3.0}),
    ("max(x, y) - min(x, y)", {"x": 2.0, "y": 2.0}),
    ("x^2 + y^3 + z^5", {"x": -1.5, "y": -0.5, "z": 1.1}),
    ("x^-1 + y^-2 + z^-3 + x^-5", {"x": -1.5, "y": 0.5, "z": 1.1}),
    ("sqrt(x) + 1/sqrt(y) + z^(1/3) + x^2.5 + y^-2.5", {"x": 1.5, "y": 0.5, "z": 1.1}),
    ("x^y + 2^x + y^(x + 1)", {"x": 1.5, "y": 0.5}),
    ("x^2.0 + x^3.0 + x^-1.0 + x^1.0", {"x": -3.0}),
    ("(x + y)^2 + (x*y)^3 + 1/(x - y)^2 + (x + 1)^-3", {"x": 1.5, "y": 0.5}),
    ("-x - y - 2*x*y - x/y - 3/(x*y^2)", {"x": 1.5, "y": 0.5}),
    ("x/(y*z) - 2*x/y^3 + x*y/z", {"x": 1.5, "y": 0.5, "z": -2.0}),
    ("sin(2)*x + exp(pi) - log(3)*e*y + sqrt(2)", {"x": 1.5, "y": 0.5}),
    ("2/3*x - 1/7", {"x": 1.5}),
    ("sin(x*y) + cos(x*y)*exp(sin(x*y))", {"x": 0.4, "y": 1.3}),
    ("log(x) - log(-x^2 + 2)", {"x": 0.5}),
    ("x + 10^30*y", {"x": 1.0, "y": 1e-29}),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("text, point", VALUES)
def test_values_match_evaluate(text, point, backend):
    expr = parse(text)
    names = sorted(point)
    f = lambdify(expr, names, backend)
    expected = expr.evaluate(point)
    assert f(*(point[n] for n in names)) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert f(**point) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_gradients_and_hessians_match_evaluate():
    f = parse("x^2*y*sin(x*z) + exp(x*y)/(1 + z^2) - sqrt(x*y*z) + max(x, y)*relu(z - y)")
    names = ["x", "y", "z"]
    point = {"x": 0.7, "y": 1.3, "z": 2.1}
    g, h = gradient(f, names), hessian(f, names)
    for backend in BACKENDS:
        assert lambdify(g, names, backend)(**point) == pytest.approx(
            [e.evaluate(point) for e in g], rel=1e-12)
        rows = lambdify(h, names, backend)(**point)
        assert [len(row) for row in rows] == [3, 3, 3]
        assert rows == [pytest.approx([e.evaluate(point) for e in row], rel=1e-12) for row in h]


# ------------------------------------------------------------------ outside the domain
ERRORS = [
    ("log(x)", {"x": -1.0}, math.nan),
    ("sqrt(x)", {"x": -4.0}, math.nan),
    ("asin(x) + 1", {"x": 2.0}, math.nan),
    ("acosh(x)", {"x": 0.5}, math.nan),
    ("x^(1/3)", {"x": -8.0}, math.nan),
    ("1/x", {"x": 0.0}, math.inf),
    ("log(x)", {"x": 0.0}, -math.inf),
    ("atanh(x)", {"x": 1.0}, math.inf),
    ("x^-2 + y", {"x": 0.0, "y": 1.0}, math.inf),
    ("log(y - 3) + x", {"x": 1.0, "y": 1.0}, math.nan),
]


@pytest.mark.parametrize("text, point, numpy_value", ERRORS)
def test_outside_the_domain(text, point, numpy_value):
    """math: evaluate's error, word for word; numpy: nan or inf, as numpy gives them."""
    expr = parse(text)
    with pytest.raises(EvaluationError) as expected:
        expr.evaluate(point)
    with pytest.raises(EvaluationError) as got:
        lambdify(expr, sorted(point), "math")(**point)
    assert str(got.value) == str(expected.value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = lambdify(expr, sorted(point), "numpy")(**point)
    assert (math.isnan(value) if math.isnan(numpy_value) else value == numpy_value)


def test_arguments_by_position_and_by_name():
    f = lambdify(parse("x - 2*y"), ["x", "y"], "math")
    assert f(1, 2) == f(1, y=2) == f(x=1, y=2) == f(y=2, x=1, z=99) == -3.0
    assert isinstance(f(1, 2), float)
    with pytest.raises(EvaluationError, match="no value for variable 'y'"):
        f(1)
    with pytest.raises(TypeError, match="two values for 'x'"):
        f(1, x=2)
    with pytest.raises(TypeError, match="expected 2 values"):
        f(1, 2, 3)
    with pytest.raises(EvaluationError, match="not a real number"):
        f("one", 2)


def test_problems_found_when_compiling():
    with pytest.raises(EvaluationError, match="no value for variable 'z'"):
        lambdify(parse("x*z"), ["x"])
    with pytest.raises(ValueError, match="unknown backend"):
        lambdify(parse("x"), ["x"], backend="cuda")
    with pytest.raises(ValueError, match="listed twice"):
        lambdify(parse("x"), ["x", "x"])
    with pytest.raises(EvaluationError, match="too large for a float"):
        lambdify(parse("x + 10^400"), ["x"])


# ------------------------------------------------------------------ the generated code
def test_constants_are_folded_and_small_powers_multiplied():
    source = lambdify(parse("sin(2)*x^2 + x^3/y - 1/y^2 + x^7 + sqrt(y)"), "x,y", "math").source
    assert "sin(" not in source and repr(math.sin(2)) in source
    assert "x * x" in source and "x * x * x" in source and "x ** 7" in source
    assert "/ (y * y)" in source and "sqrt(y)" in source and "pow" not in source
    source = lambdify(parse("sin(2)*x^2 + x^3/y - 1/y^2"), "x,y", "numpy").source
    assert "sin(" not in source and "power" not in source and "divide(" in source


def _count_calls(source: str, name: str) -> int:
    return len(re.findall(rf"(?<![\w.]){name}\(", source))


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_shared_node_is_computed_once(backend):
    """The gradient of a deep composition shares nodes between its entries and with the
    function: each distinct sin and cos node is one call in the code."""
    x, y = Var("x"), Var("y")
    f = sd.sin(sd.sin(sd.sin(x * y) + x) * sd.cos(x * y)) * sd.exp(x)
    outputs = [f, *gradient(f, [x, y]), *hessian(f, [x, y])[0]]
    f_compiled = lambdify(outputs, [x, y], backend)
    nodes = sd.topological(outputs)
    for cls, name in ((sd.Sin, "sin"), (sd.Cos, "cos"), (sd.Exp, "exp")):
        assert _count_calls(f_compiled.source, name) == sum(type(n) is cls for n in nodes)
    point = {"x": 0.3, "y": 0.8}
    assert f_compiled(**point) == pytest.approx([e.evaluate(point) for e in outputs], rel=1e-12)


def test_locals_are_the_nodes_used_twice():
    """math: one assignment per compound node read more than once; the rest is inline."""
    expr = parse("sin(x*y) + cos(x*y)*exp(sin(x*y)) + log(x + 2)")
    source = lambdify(expr, "x,y", "math").source
    uses: dict = {}
    for node in sd.topological(expr):
        for arg in node.args:
            uses[arg] = uses.get(arg, 0) + 1
    shared = [n for n, k in uses.items() if k > 1 and n.args]
    assert len(shared) == 2                      # x*y and sin(x*y)
    assert len(re.findall(r"^    _t\d+ = ", source, re.M)) == len(shared)


HOSTILE = ["lambda", "__import__", "os", "exec", "f", "_t0", "print", "np", "_out"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_hostile_variable_names_never_become_code(backend):
    names = HOSTILE
    terms = [sd.Mul(i + 1, Var(n)) for i, n in enumerate(names)]
    expr = sd.Add(*terms) + sd.sin(Var("lambda") * Var("os")) * sd.cos(Var("lambda") * Var("os"))
    f = lambdify([expr, *gradient(expr, names)], names, backend)
    point = {n: 0.1 * (i + 1) for i, n in enumerate(names)}
    expected = [e.evaluate(point) for e in [expr, *gradient(expr, names)]]
    assert f(**point) == pytest.approx(expected, rel=1e-12)
    assert f(*point.values()) == pytest.approx(expected, rel=1e-12)
    tokens = {t.string for t in tokenize.generate_tokens(io.StringIO(f.source).readline)
              if t.type == tokenize.NAME}
    ours = set(f.function.__globals__) | {"_compiled", "_shape", "_out", "_work", "out",
                                          "dtype", "shape", "def", "return"}
    params = {a.arg for a in ast.parse(f.source).body[-1].args.args}
    assert all(t in ours or t in params or re.fullmatch(r"_[ats]\d+", t) for t in tokens), tokens
    assert not {"lambda", "__import__", "exec", "print"} & tokens
    assert params <= set(names) | {f"_a{i}" for i in range(len(names))}
    assert f.function.__globals__["__builtins__"] == {}


def test_hostile_names_in_a_formula_without_locals():
    names = ["lambda", "__import__", "os", "exec", "f", "_t0"]
    expr = sd.Add(*[sd.Mul(i + 2, Var(n)) for i, n in enumerate(names)])
    source = lambdify(expr, names, "math").source
    tokens = {t.string for t in tokenize.generate_tokens(io.StringIO(source).readline)}
    assert not {"lambda", "__import__", "exec", "_t0"} & tokens   # keyword, builtins, ours
    assert {"os", "f"} <= tokens                  # plain names are the parameters' names


# ------------------------------------------------------------------ arrays
def test_arrays_broadcast_and_constant_outputs_fill_the_shape():
    f = parse("x^2*y + 3*y + 5*x")
    g = lambdify(gradient(f, ["x", "y"]) + [sd.Const(7)], ["x", "y"])
    x, y = np.linspace(0.0, 1.0, 3).reshape(3, 1), np.linspace(-1.0, 1.0, 4)
    dx, dy, seven = g(x, y)
    assert dx.shape == dy.shape == seven.shape == (3, 4)
    np.testing.assert_allclose(dx, 2 * x * y + 5)
    np.testing.assert_allclose(dy, np.broadcast_to(x ** 2 + 3, (3, 4)))
    assert (seven == 7).all()
    dx[0, 0] = 100.0                      # writable rows of one block
    assert np.asarray(g(x, y)).shape == (3, 3, 4)


def test_arrays_one_variable_and_scalars():
    d = lambdify([parse("2"), parse("x"), parse("sin(x)")], ["x"])
    two, same, sine = d(np.arange(5.0))
    assert two.shape == same.shape == (5,) and (two == 2).all()
    np.testing.assert_allclose(sine, np.sin(np.arange(5.0)))
    values = d(0.5)
    assert [float(v) for v in values] == [2.0, 0.5, math.sin(0.5)]
    assert lambdify(sd.pi, [])() == math.pi
    assert lambdify(parse("x*y"), "x,y")([1, 2], 3).tolist() == [3.0, 6.0]   # ints: floats


@pytest.mark.parametrize("backend", BACKENDS)
def test_layout_follows_the_expressions(backend):
    x = Var("x")
    f = lambdify([[x, x ** 2], (x + 1,), [[x * 3]]], [x], backend)
    value = f(2.0)
    assert value == [[2.0, 4.0], (3.0,), [[6.0]]]
    assert isinstance(value[1], tuple)
    h = lambdify(hessian(parse("x^3*y^2"), ["x", "y"]), ["x", "y"], backend)(1.0, 2.0)
    assert h == [[24.0, 12.0], [12.0, 2.0]]


def test_numpy_hessian_over_points():
    f = parse("x^3*y^2 + sin(x)")
    h = lambdify(hessian(f, ["x", "y"]), ["x", "y"])
    xs, ys = np.linspace(0.1, 1.0, 7), np.linspace(1.0, 2.0, 7)
    rows = np.asarray(h(xs, ys))
    assert rows.shape == (2, 2, 7)
    np.testing.assert_allclose(rows[0, 1], 6 * xs ** 2 * ys)
    np.testing.assert_allclose(rows[0, 0], 6 * xs * ys ** 2 - np.sin(xs))


# ------------------------------------------------------------------ size
def _deep_sin(depth: int):
    expr = Var("x")
    for _ in range(depth):
        expr = sd.sin(expr)
    return expr


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_formula_100000_deep_compiles(backend):
    expr = _deep_sin(100_000)
    f = lambdify(expr, ["x"], backend)
    expected = 0.5
    for _ in range(100_000):
        expected = math.sin(expected)
    assert f(0.5) == pytest.approx(expected, rel=1e-12)
    assert f.source.count("\n") < 2 * 100_000 + 20


def test_the_gradient_of_a_deep_formula_compiles():
    expr = _deep_sin(20_000)
    d = gradient(expr, ["x"])[0]
    f = lambdify([expr, d], ["x"], "math")
    assert f(0.5) == pytest.approx([expr.evaluate(x=0.5), d.evaluate(x=0.5)], rel=1e-9)


def _rosenbrock(n: int):
    x = [Var(f"x{i}") for i in range(n)]
    return sd.Add(*[100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(n - 1)]), x


@pytest.mark.parametrize("backend", BACKENDS)
def test_code_grows_linearly_with_the_dag(backend):
    sizes = {}
    for n in (100, 1000):
        f, x = _rosenbrock(n)
        g = gradient(f, x)
        lines = lambdify(g, x, backend).source.count("\n")
        sizes[n] = (node_count(g), lines)
        assert lines < 3 * node_count(g)
    (small_nodes, small_lines), (big_nodes, big_lines) = sizes[100], sizes[1000]
    assert big_lines / small_lines < 1.2 * big_nodes / small_nodes


@pytest.mark.parametrize("backend", BACKENDS)
def test_wide_sums_and_products(backend):
    n = 5000
    xs = [Var(f"x{i}") for i in range(n)]
    total = sd.Add(*[(i % 7 - 3) * x for i, x in enumerate(xs)])
    product = sd.Mul(*[1 + x / 1000 for x in xs[:200]])
    f = lambdify([total, product], xs, backend)
    point = {x.name: (i % 5) / 4 for i, x in enumerate(xs)}
    assert f(**point) == pytest.approx([total.evaluate(point), product.evaluate(point)],
                                       rel=1e-12)


def test_numpy_work_arrays_stay_few_for_a_wide_sum():
    """Terms are accumulated as they are computed: a sum of 1000 sines needs a couple of
    work arrays (the sum, k*x, sin(k*x)), not 1000."""
    x = Var("x")
    f = lambdify(sd.Add(*[sd.sin(k * x) for k in range(1, 1001)]), [x])
    assert len(re.findall(r"^    _t\d+ = _work", f.source, re.M)) <= 3
    grid = np.linspace(0.0, 1.0, 11)
    np.testing.assert_allclose(f(grid), sum(np.sin(k * grid) for k in range(1, 1001)))


# ------------------------------------------------------------------ standalone modules
def _load(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("backend", BACKENDS)
def test_python_source_imports_and_runs(tmp_path, backend):
    f = parse("sign(x)*sqrt(x^2 + y^2) + step(y)*relu(x - y) + sec(x)")
    g = gradient(f, ["x", "y"])
    source = to_python_source([f, *g], ["x", "y"], name="grad_f", backend=backend)
    imported = {alias.name.split(".")[0] for node in ast.walk(ast.parse(source))
                if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in ([ast.alias(node.module)] if isinstance(node, ast.ImportFrom)
                              else node.names)}
    assert imported == ({"numpy"} if backend == "numpy" else {"math"})
    path = tmp_path / f"generated_{backend}.py"
    path.write_text(source, encoding="utf-8")
    module = _load(path)
    point = {"x": 0.7, "y": -0.4}
    expected = [e.evaluate(point) for e in [f, *g]]
    assert module.grad_f(0.7, -0.4) == pytest.approx(expected, rel=1e-12)
    assert module.grad_f.__doc__.startswith("Compiled by symdiff. Arguments: x, y.")
    assert "sign(x)*sqrt(x^2 + y^2)" in module.grad_f.__doc__


def test_python_source_rejects_names_that_are_not_safe():
    for name in ("import os", "lambda", "f(x)", "sqrt"):
        with pytest.raises(ValueError, match="cannot name the function"):
            to_python_source(parse("sqrt(x)"), ["x"], name=name, backend="math")
    assert keyword.iskeyword("lambda")


def test_lambdify_and_source_share_the_code():
    expr = gradient(parse("exp(x*y)*log(x) + relu(y)"), ["x", "y"])
    for backend in BACKENDS:
        compiled = lambdify(expr, ["x", "y"], backend).source
        module = to_python_source(expr, ["x", "y"], name="g", backend=backend)
        body = compiled[compiled.index("def _compiled"):].split("\n")[1:]
        assert "\n".join(body) in module


# ------------------------------------------------------------------ property
@PROPERTY
@given(formulas(), points)
def test_backends_agree_with_evaluate(expr, point):
    """math: evaluate's value, or its error; numpy: evaluate's value wherever it has one."""
    f = lambdify(expr, ["x", "y", "z"], "math")
    try:
        expected = expr.evaluate(point)
    except EvaluationError:
        try:
            value = f(**point)
        except EvaluationError:
            return
        assert not math.isfinite(value)        # an overflow in a product: inf, not an error
        return
    assert f(**point) == pytest.approx(expected, rel=1e-9, abs=1e-12)
    if not well_conditioned(expr, point, rel=1e-9):
        return      # numpy's x*x*x and math.pow round differently; sin(x^-12) magnifies it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # a subexpression may be inf
        value = lambdify(expr, ["x", "y", "z"], "numpy")(**point)
    assert value == pytest.approx(expected, rel=1e-9, abs=1e-12)


@pytest.mark.skipif(not CORPUS.is_file(), reason=f"formula corpus not found at {CORPUS}")
def test_corpus_gradients_match_evaluate():
    """Every corpus formula's gradient, math and numpy: at three points of the record's
    ranges and four of [-3, 3], each component agrees with evaluate to 1e-9 of max(1, |v|),
    widened where the value cancels (``error_bar``: the code adds in its own order,
    evaluate with fsum); where evaluate refuses a component, the math backend raises
    EvaluationError and the numpy one gives NaN or inf."""
    records = corpus_records()
    rng = random.Random(11)
    checked = undefined = 0
    for record in records:
        names = record["vars"]
        grad = gradient(parse(record["formula"]), names)
        points = corpus_points(record, rng)
        math_f, numpy_f = (lambdify(grad, names, backend=b) for b in BACKENDS)
        with np.errstate(all="ignore"):
            arrays = numpy_f(*[np.array([p[v] for p in points]) for v in names])
        for k, point in enumerate(points):
            wanted = []
            for g in grad:
                try:
                    wanted.append(g.evaluate(point))
                except EvaluationError:
                    wanted.append(None)
            if None in wanted:
                with pytest.raises(EvaluationError):
                    math_f(**point)
            else:
                for got, w, g in zip(math_f(**point), wanted, grad):
                    assert abs(got - w) <= error_bar(g, point, w), (record["id"], point)
            for row, w, g in zip(arrays, wanted, grad):
                value = float(np.broadcast_to(row, (len(points),))[k])
                if w is None:
                    assert not math.isfinite(value), (record["id"], point)
                    undefined += 1
                else:
                    assert abs(value - w) <= error_bar(g, point, w), (record["id"], point)
                checked += 1
    assert checked > 5000 and undefined > 500, (checked, undefined)

