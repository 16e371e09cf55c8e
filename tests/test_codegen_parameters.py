"""Generated code names its parameters after the variables where Python reads them as those
names, and the NumPy backend keeps numbers numbers: scalars are not broadcast to arrays."""
import ast
import inspect

import numpy as np
import pytest

import symdiff as sd
from symdiff import Var, lambdify, parse, to_python_source

BACKENDS = ["math", "numpy"]


def _module(source: str) -> dict:
    namespace: dict = {}
    exec(compile(source, "<generated>", "exec"), namespace)     # symdiff's generated code
    return namespace


def _parameters(source: str, name: str = "f") -> list[str]:
    function = next(node for node in ast.parse(source).body
                    if isinstance(node, ast.FunctionDef) and node.name == name)
    return [a.arg for a in function.args.args]


# variable => its parameter name: its own, or symdiff's _a<i> (i its position)
@pytest.mark.parametrize("name, expected", [
    ("x", "x"), ("self", "self"), ("values", "values"), ("math", "math"), ("np", "np"),
    ("out", "out"), ("θ", "θ"), ("x_1", "x_1"), ("numpy", "numpy"),
    ("lambda", "_a0"), ("def", "_a0"), ("exec", "_a0"), ("float", "_a0"), ("list", "_a0"),
    ("_a1", "_a0"), ("_t0", "_a0"),
])
@pytest.mark.parametrize("backend", BACKENDS)
def test_parameter_names(name, expected, backend):
    f = Var(name) ** 2 * Var("y") + sd.sin(Var(name))
    source = to_python_source(f, [name, "y"], backend=backend)
    assert _parameters(source) == [expected, "y"]
    function = _module(source)["f"]
    want = f.evaluate({name: 0.5, "y": 3.0})
    assert float(function(0.5, 3.0)) == pytest.approx(want, rel=1e-14)
    assert float(function(**{expected: 0.5, "y": 3.0})) == pytest.approx(want, rel=1e-14)
    compiled = lambdify(f, [name, "y"], backend)
    assert float(compiled(**{name: 0.5, "y": 3.0})) == pytest.approx(want, rel=1e-14)
    assert float(compiled.function(**{expected: 0.5, "y": 3.0})) == pytest.approx(want, rel=1e-14)


@pytest.mark.parametrize("backend, name, expected", [
    ("numpy", "add", "_a0"), ("numpy", "multiply", "_a0"), ("numpy", "sqrt", None),
    ("math", "add", "add"), ("math", "multiply", "multiply"), ("numpy", "cbrt_", "cbrt_"),
])
def test_names_the_code_calls_are_not_parameters(backend, name, expected):
    if expected is None:                       # a function's name is no variable's
        with pytest.raises(ValueError, match="is a function"):
            Var(name)
        return
    f = Var(name) * Var("y") + Var(name) + sd.sqrt(Var("y"))
    source = to_python_source(f, [name, "y"], backend=backend)
    assert _parameters(source) == [expected, "y"]
    assert float(_module(source)["f"](4.0, 9.0)) == f.evaluate({name: 4.0, "y": 9.0})


def test_pi_is_the_constant_not_a_variable():
    with pytest.raises(ValueError, match="constant"):
        Var("π")
    source = to_python_source(parse("π*θ^2"), backend="math")
    assert _parameters(source) == ["θ"] and _module(source)["f"](θ=2.0) == pytest.approx(4 * np.pi)


def test_a_helper_keeps_its_out_parameter_when_a_variable_is_named_out():
    f = parse("sec(out) + sinc(out)*x")           # sec: a body helper; sinc: a numpy helper
    source = to_python_source(f, ["out", "x"], backend="numpy")
    assert _parameters(source) == ["out", "x"]
    assert "def _fn_sec(u, out):" in source
    got = _module(source)["f"](out=np.array([0.5, 1.0]), x=2.0)
    np.testing.assert_allclose(got, [f.evaluate(out=v, x=2.0) for v in (0.5, 1.0)], rtol=1e-14)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_compiled_hessian_takes_keywords(backend):
    f = parse("x^3*y + sin(y)")
    hessian = _module(to_python_source(sd.hessian(f), name="hessian", backend=backend))["hessian"]
    expected = sd.hessian(f).evaluate(x=1, y=2)
    got = [float(v) for row in hessian(x=1, y=2) for v in row]
    assert got == pytest.approx([v for row in expected for v in row], rel=1e-14)
    assert list(inspect.signature(hessian).parameters) == ["x", "y"]


def test_the_docstring_says_which_argument_is_which_variable():
    source = to_python_source(parse("x + lambda"), backend="math")
    assert "Arguments: lambda = _a0, x." in source


# ------------------------------------------------------------------ scalars stay scalars
LJ = "4*eps*((sigma/x)^12 - (sigma/x)^6)"
N = 1000


class _Counting:
    """A numpy function that records the size of each result (an ``out=`` array counts)."""

    def __init__(self, function, sizes):
        self.function, self.sizes = function, sizes

    def __call__(self, *args, **kwargs):
        result = self.function(*args, **kwargs)
        self.sizes.append((self.function.__name__, np.size(result)))
        return result


def _sizes(function, *args) -> list:
    sizes: list = []
    names = function.__globals__
    for name, value in list(names.items()):
        if isinstance(value, np.ufunc) or name in ("empty", "power"):
            names[name] = _Counting(value, sizes)
    try:
        function(*args)
    finally:
        for name, value in list(names.items()):
            if isinstance(value, _Counting):
                names[name] = value.function
    return sizes


def test_scalar_arguments_are_not_broadcast():
    g = lambdify(sd.gradient(parse(LJ), ["x"]), ["x", "eps", "sigma"], backend="numpy")
    x = np.linspace(1.0, 2.0, N)
    result = g(x, 1.5, 1.1)                    # compiles the variant for (eps, sigma) numbers
    variant = g.variants[frozenset({"eps", "sigma"})]
    scalar_sizes = _sizes(variant, x, 1.5, 1.1)
    array_sizes = _sizes(g.function, x, 1.5, 1.1)
    big = [name for name, size in scalar_sizes if size >= N]
    small = [name for name, size in scalar_sizes if size == 1]
    # sigma^12, sigma^6, 48*eps*sigma^12, 24*eps*sigma^6: numbers, computed once
    assert small.count("power") == 2 and small.count("multiply") == 4
    # x^-13, x^-7, the two products with them, the difference; and the arrays for them
    assert sorted(big) == ["empty", "empty", "multiply", "multiply", "power", "power", "subtract"]
    assert sum(size for _, size in scalar_sizes) < N * 10
    assert sum(size >= N for _, size in array_sizes) > len(big)     # the general code broadcasts
    expected = [sd.gradient(parse(LJ), ["x"])[0].evaluate(x=v, eps=1.5, sigma=1.1) for v in x[::97]]
    np.testing.assert_allclose(result[0][::97], expected, rtol=1e-13)
    np.testing.assert_allclose(g.function(x, 1.5, 1.1)[0], result[0], rtol=1e-14)


@pytest.mark.parametrize("point", [
    {"x": np.array([1.0, 2.0]), "y": 2.0, "z": np.float64(3.0)},
    {"x": 1.5, "y": np.array([1.0, 2.0, 3.0]), "z": np.array(0.5)},
    {"x": np.array([[1.0], [2.0]]), "y": np.array([1.0, 2.0, 3.0]), "z": 2},
    {"x": 1.0, "y": 2.0, "z": 3.0},
])
def test_scalar_variants_agree_with_evaluate(point):
    exprs = [parse("sin(y*z)*x + y^2*z^3 + exp(z)*x/y"), parse("sec(y) + sinc(z)*x"), parse("z^2")]
    f = lambdify(exprs, ["x", "y", "z"], backend="numpy")
    got = f(**point)
    shape = np.broadcast_shapes(*(np.shape(v) for v in point.values()))
    for expr, value in zip(exprs, got):
        assert np.shape(value) == shape
        want = np.vectorize(lambda a, b, c: expr.evaluate(x=a, y=b, z=c))(*point.values())
        np.testing.assert_allclose(value, np.broadcast_to(want, shape), rtol=1e-13)


def test_variants_are_bounded():
    f = lambdify([parse(" + ".join(f"x{i}*x{i + 1}" for i in range(6)))], backend="numpy")
    for mask in range(1, 2 ** 6):
        args = [np.ones(2) if mask >> i & 1 else 1.0 for i in range(7)]
        assert f(*args)[0] == pytest.approx(np.full(2, 6.0))
    assert len(f.variants) <= f.VARIANTS
