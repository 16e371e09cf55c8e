"""The jax and torch backends of lambdify (``codegen.array_code``): the values of every
declared function and its derivative against ``evaluate``, the corpus's gradients, the
layout of results (a list of outputs is one stacked array), dtypes, undefined points (nan
or inf, where ``evaluate`` raises), ``jax.jit`` and ``torch.compile`` (one small function
each: compiling costs seconds; torch's through AOTAutograd, without inductor's C++ build,
which the benchmark runs), ``jax.grad`` and ``torch.autograd`` against symdiff's own
gradient, hostile variable names, and the error when the library is missing.

Tolerance in float64: 1e-12 relative, 1e-13 absolute (the libraries' erfc, gamma and
polygamma are a few 1e-14 from the math module's; torch's digamma 2e-13 near its poles).
Each backend's tests skip when its library is absent; calls are eager outside the jit and
compile tests (a jit per formula would cost seconds).
"""
import ast
import importlib.util
import io
import itertools
import math
import random
import re
import sys
import tokenize
import warnings

import numpy as np
import pytest

import symdiff as sd
from strategies import CORPUS, corpus_points, corpus_records, error_bar, points_with_values
from symdiff import Const, EvaluationError, Var, define_function, gradient, hessian, lambdify, parse
from symdiff.codegen.array_code import ARRAY_CODE
from symdiff.codegen.compile import BACKENDS, to_python_source
from symdiff.core.functions import BUILTIN

REL, ABS = 1e-12, 1e-13


@pytest.fixture(params=["jax", "torch"])
def backend(request):
    """Each array backend whose library is installed (the others skip)."""
    pytest.importorskip("jax" if request.param == "jax" else "torch")
    return request.param


def values(result) -> np.ndarray:
    """A result of either backend as a float64 NumPy array (nested lists stacked)."""
    if isinstance(result, (list, tuple)):
        return np.stack([values(r) for r in result])
    if hasattr(result, "detach"):
        result = result.detach().cpu()
    return np.asarray(result, dtype=np.float64)


def expected(outputs, points) -> np.ndarray:
    """``evaluate`` at each point: shape (outputs, points)."""
    return np.array([[out.evaluate(p) for p in points] for out in outputs])


# ------------------------------------------------------------------ declarations
def arguments(cls) -> list:
    """A variable per parameter, and 1 for an order (polygamma's n)."""
    names = iter("xyzw")
    return [Const(1) if p in cls.spec.orders else Var(next(names)) for p in cls.spec.params]


def sample_points(cls, outputs, count: int = 4) -> list[dict]:
    """Up to ``count`` random points where every output has a value (off kinks and ties)."""
    xs = [a.name for a in arguments(cls) if type(a) is Var]
    rng = random.Random(cls.name)
    candidates = (tuple(round(rng.uniform(-2.5, 2.5), 3) for _ in xs) for _ in range(200))
    return points_with_values(xs, candidates, lambda p: [out.evaluate(p) for out in outputs],
                              count)


@pytest.mark.parametrize("cls", BUILTIN, ids=[cls.name for cls in BUILTIN])
def test_every_function_and_its_derivative_match_evaluate(cls, backend):
    """Forms, helpers and bodies (sec, coth...) alike: one eager call on all the points."""
    call = cls(*arguments(cls))
    xs = [a for a in arguments(cls) if type(a) is Var]
    outputs = [call, *gradient(call, xs)]
    points = sample_points(cls, outputs)
    assert len(points) >= 2, cls.name
    f = lambdify(outputs, xs, backend)
    columns = [np.array([p[x.name] for p in points]) for x in xs]
    got = values(f(*columns))
    np.testing.assert_allclose(got, expected(outputs, points), rtol=REL, atol=ABS)


def _resolves(form: str, namespace: dict) -> bool:
    root, *rest = form.split("(")[0].split(".")
    found = namespace.get(root)
    for part in rest:
        found = getattr(found, part, None)
    return callable(found)


def test_every_function_with_a_numpy_form_has_array_forms(backend):
    """Each form names a function of the library's namespace, or the helper that defines it."""
    if backend == "jax":
        import jax.numpy as jnp
        import jax.scipy.special  # noqa: F401  (jsp.special)
        namespace = {"jnp": jnp, "jsp": jax.scipy}
    else:
        import torch
        namespace = {"torch": torch}
    for cls in BUILTIN:
        spec = cls.spec
        form, helper = getattr(spec, backend), getattr(spec, f"{backend}_helper")
        if not spec.numpy:
            assert spec.body and not form, spec.name
            continue
        assert form, f"{spec.name} has a numpy form and no {backend} form"
        name = form.split("(")[0]
        assert helper.startswith(f"def {name}(") if helper else _resolves(form, namespace), \
            (spec.name, form)


def test_polygamma_of_an_order_that_varies(backend):
    """An array of orders: jax.scipy's needs integers, torch's one int per call."""
    n, x = Var("n"), Var("x")
    f = lambdify(sd.polygamma(n, x), [n, x], backend)
    orders, points = np.array([0.0, 1.0, 2.0, 1.0, 3.0]), np.array([0.3, 1.7, -0.6, -2.3, 2.2])
    want = [sd.polygamma(n, x).evaluate({"n": a, "x": b}) for a, b in zip(orders, points)]
    np.testing.assert_allclose(values(f(orders, points)), want, rtol=REL)
    assert np.isnan(values(f(np.array([0.5, -1.0]), np.array([1.0, 1.0])))).all()


# ------------------------------------------------------------------ the corpus
def test_corpus_gradients_match_evaluate(backend):
    """Every corpus formula's gradient, eagerly, at three points of the record's ranges and
    four of [-3, 3]: evaluate's value to 1e-9 of max(1, |value|), widened where the value is
    ill-conditioned (``strategies.error_bar``; the code's order of operations is not
    evaluate's), and NaN or inf where evaluate refuses the component."""
    records = corpus_records()
    if not records:
        pytest.skip(f"formula corpus not found at {CORPUS}")
    checked = undefined = 0
    for record in records:
        names = record["vars"]
        grad = gradient(parse(record["formula"]), names)
        points = corpus_points(record, random.Random(record["id"]))
        got = values(lambdify(grad, names, backend)(*[np.array([p[v] for p in points])
                                                      for v in names]))
        for g, row in zip(grad, got):
            for point, value in zip(points, np.broadcast_to(row, (len(points),))):
                try:
                    wanted = g.evaluate(point)
                except EvaluationError:
                    assert not math.isfinite(value), (record["id"], point)
                    undefined += 1
                    continue
                assert abs(value - wanted) <= error_bar(g, point, wanted), (record["id"], point)
                checked += 1
    assert checked > 5000 and undefined > 500, (checked, undefined)


# ------------------------------------------------------------------ layout and dtypes
def test_the_layout_of_results(backend):
    """One output: an array of the broadcast shape; a list: one stacked array; a Hessian:
    (n, n, *shape); a tuple a tuple; a list of unlike entries a list. Outputs that depend on
    fewer variables are broadcast, constants filled in."""
    f = parse("x^2*y + 3*y")
    xs = ["x", "y"]
    x, y = np.linspace(0.0, 1.0, 3).reshape(3, 1), np.linspace(-1.0, 1.0, 4)
    one = lambdify(f, xs, backend)(x, y)
    assert tuple(one.shape) == (3, 4)
    grad = lambdify(gradient(f, xs) + [Const(7), Var("x")], xs, backend)(x, y)
    assert tuple(grad.shape) == (4, 3, 4)
    np.testing.assert_allclose(values(grad[1]), np.broadcast_to(x ** 2 + 3, (3, 4)))
    assert (values(grad[2]) == 7).all() and (values(grad[3]) == np.broadcast_to(x, (3, 4))).all()
    h = lambdify(hessian(f, xs), xs, backend)(x, y)
    assert tuple(h.shape) == (2, 2, 3, 4)
    np.testing.assert_allclose(values(h[0, 1]), np.broadcast_to(2 * x, (3, 4)))
    mixed = lambdify([f, gradient(f, xs), (f, Const(2))], xs, backend)(0.5, 2.0)
    assert isinstance(mixed, list) and isinstance(mixed[2], tuple)
    assert tuple(mixed[1].shape) == (2,) and tuple(mixed[0].shape) == ()
    assert values(mixed[2][1]) == 2.0


def test_numbers_compute_in_float64_and_float32_stays_float32(backend):
    g = lambdify(gradient(parse("x^2*y + sin(x)"), ["x", "y"]), ["x", "y"], backend)
    assert str(g(0.5, 2.0).dtype).endswith("float64")
    assert not getattr(g(0.5, 2.0), "weak_type", False)                # jax: a strong float64
    assert str(g(np.arange(3), 2).dtype).endswith("float64")           # ints: floats
    if backend == "torch":
        import torch
        x32 = torch.linspace(0.0, 1.0, 5, dtype=torch.float32)
    else:
        import jax.numpy as jnp
        x32 = jnp.linspace(0.0, 1.0, 5, dtype=jnp.float32)
    assert str(g(x32, x32).dtype).endswith("float32")


def test_undefined_points_give_nan_or_inf(backend):
    """Where evaluate raises (and the math backend), the arrays hold nan or ±inf, and
    nothing warns."""
    x = Var("x")
    outputs = [sd.log(x), sd.sqrt(x), 1 / x, sd.asin(x), sd.loggamma(x), sd.gamma(x)]
    f = lambdify(outputs, [x], backend)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = values(f(np.array([-1.0, 0.0, 2.0])))
    assert np.isnan(got[[0, 1, 4], 0]).all() and np.isnan(got[4, 1])     # log, sqrt, loggamma
    assert got[0, 1] == -np.inf and abs(got[2, 1]) == np.inf and np.isnan(got[3, 2])
    assert not np.isfinite(got[5, :2]).any()                            # gamma's poles
    defined = [0, 1, 2, 4, 5]                                            # all but asin
    np.testing.assert_allclose(got[defined, 2], expected([outputs[i] for i in defined],
                                                         [{"x": 2.0}])[:, 0], rtol=REL)
    for out, point in [(outputs[0], -1.0), (outputs[2], 0.0), (outputs[3], 2.0)]:
        with pytest.raises(EvaluationError):
            out.evaluate({"x": point})
        with pytest.raises(EvaluationError):
            lambdify(out, [x], "math")(point)


def test_atan2_conventions_and_sinc_at_zero(backend):
    """atan2 is pi on the negative x axis, also for y = -0.0 (XLA folds y + 0.0 away, so the
    helper tests y itself; the jit test checks it compiled); sinc(0) = 1."""
    y, x = Var("y"), Var("x")
    f = lambdify([sd.atan2(y, x), sd.sinc(x)], [y, x], backend)
    got = values(f(np.array([-0.0, 0.0, -0.0, -1e-300]), np.array([-1.0, -1.0, 1.0, -1.0])))
    assert got[0].tolist() == [math.pi, math.pi, 0.0, -math.pi]
    assert values(f(0.0, 0.0)).tolist() == [0.0, 1.0]     # atan2(0, 0): 0, as numpy's


# ------------------------------------------------------------------ jit, compile, autodiff
SMALL = "x^2*y + sin(x*y) + atan2(y, x) + softplus(x - y) + cbrt(x + 2)"


def test_jax_jit_and_grad_agree_with_symdiff():
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp

    f = parse(SMALL)
    value = lambdify(f, ["x", "y"], "jax")
    grad = lambdify(gradient(f, ["x", "y"]), ["x", "y"], "jax")
    with jax.enable_x64(True):
        xs, ys = jnp.array([0.7, 1.3, 2.0]), jnp.array([1.1, -0.4, 0.0])
        jitted = jax.jit(grad.function)(xs, ys)
        np.testing.assert_allclose(values(jitted), values(grad(xs, ys)), rtol=1e-14)
        auto = jax.vmap(jax.grad(value.function, argnums=(0, 1)))(xs, ys)   # y = 0: atan2's
        np.testing.assert_allclose(np.stack([values(a) for a in auto]), values(grad(xs, ys)),
                                   rtol=1e-12)
        assert jax.jit(value)(0.7, 1.1) == pytest.approx(f.evaluate({"x": 0.7, "y": 1.1}))
        angle = lambdify(sd.atan2(Var("y"), Var("x")), ["y", "x"], "jax")
        assert float(jax.jit(angle.function)(-0.0, -1.0)) == math.pi      # not folded to -pi


def test_torch_compile_and_autograd_agree_with_symdiff():
    torch = pytest.importorskip("torch")

    f = parse(SMALL)
    value = lambdify(f, ["x", "y"], "torch")
    grad = lambdify(gradient(f, ["x", "y"]), ["x", "y"], "torch")
    xs = torch.tensor([0.7, 1.3, 2.0], dtype=torch.float64, requires_grad=True)
    ys = torch.tensor([1.1, -0.4, 0.0], dtype=torch.float64, requires_grad=True)
    dx, dy = torch.autograd.grad(value(xs, ys).sum(), [xs, ys])
    np.testing.assert_allclose(values([dx, dy]), values(grad(xs, ys)), rtol=1e-12)
    small = lambdify(gradient(parse("x^2*y + sin(x)"), ["x", "y"]), ["x", "y"], "torch")
    # fullgraph: dynamo captures it whole, no graph break; aot_eager: AOTAutograd traces and
    # functionalizes it (inductor's C++ build of the same graph takes 5 s more: the benchmark)
    compiled = torch.compile(small.function, fullgraph=True, backend="aot_eager")
    x, y = torch.linspace(0.0, 1.0, 5, dtype=torch.float64), torch.tensor(2.0, dtype=torch.float64)
    np.testing.assert_allclose(values(compiled(x, y)), values(small(x, y)), rtol=1e-14)


# ------------------------------------------------------------------ names and safety
HOSTILE = ["torch", "jnp", "jsp", "self", "import", "lambda", "_float_tensor", "_shape",
           "atan2_angle", "__import__"]


def test_hostile_variable_names(backend):
    """Variables named like the libraries, keywords, builtins, our helpers and locals are
    renamed (``_a0``) or kept where Python reads them as themselves, and never become code."""
    names = HOSTILE
    expr = sd.Add(*[sd.Mul(i + 1, Var(n)) for i, n in enumerate(names)]) + sd.polygamma(
        1, Var("torch") ** 2 + 1) * sd.sin(Var("self") * Var("import")) + sd.atan2(
        Var("atan2_angle"), Var("jnp"))
    outputs = [expr, *gradient(expr, names)]
    f = lambdify(outputs, names, backend)
    point = {n: 0.1 * (i + 1) for i, n in enumerate(names)}
    want = expected(outputs, [point])[:, 0]
    np.testing.assert_allclose(values(f(**point)), want, rtol=REL)
    np.testing.assert_allclose(values(f(*point.values())), want, rtol=REL)
    tree = ast.parse(f.source)
    params = [a.arg for a in tree.body[-1].args.args]
    assert all(p == n or p == f"_a{i}" for i, (p, n) in enumerate(zip(params, names)))
    ours = set(f.function.__globals__) | {node.name for node in tree.body}
    assert not ours & set(params) and "self" in params
    renamed = {"lambda", "import", "_shape", "_float_tensor", "__import__", "atan2_angle"}
    assert not renamed & set(params)
    tokens = {t.string for t in tokenize.generate_tokens(io.StringIO(f.source).readline)
              if t.type == tokenize.NAME}
    assert not {"lambda", "import", "__import__", "exec"} & tokens


_COUNT = itertools.count()


def test_a_function_with_only_a_float_implementation_is_refused(backend):
    name = f"only_float_{next(_COUNT)}"
    g = define_function(name, ["u"], partials=["cos(u)"], real=math.sin)
    with pytest.raises(ValueError, match=f"no {backend} code for {name}"):
        lambdify(g(Var("x")), ["x"], backend)


def test_a_defined_function_with_array_forms_compiles(backend):
    """define_function's jax / torch forms: the library's own function is called, with
    no body to compute through."""
    name = f"erfc_forms_{next(_COUNT)}"
    g = define_function(name, ["u"], partials=["-2*exp(-u^2)/sqrt(pi)"], real=math.erfc,
                        jax="jsp.special.erfc", torch="torch.special.erfc")
    expr = g(Var("x")) * Var("x")
    f = lambdify(gradient(expr, ["x"]), ["x"], backend)
    assert "special.erfc(" in f.source
    points = [{"x": x} for x in (-1.5, 0.25, 2.0)]
    got = values(f(np.array([p["x"] for p in points])))
    np.testing.assert_allclose(got, expected(gradient(expr, ["x"]), points), rtol=1e-12)


@pytest.mark.parametrize("form", [dict(jax="os.system"), dict(jax="erfc"),
                                  dict(torch="jnp.sin"), dict(torch="math.erf")])
def test_array_forms_name_the_modules_the_code_imports(form):
    with pytest.raises(ValueError, match="form .* must be a name in"):
        define_function(f"bad_form_{next(_COUNT)}", ["u"], partials=["1"],
                        real=lambda u: u, **form)


@pytest.mark.parametrize("name", ["jax", "torch"])
def test_a_missing_library_names_the_extra(monkeypatch, name):
    """Generating the source needs no library; compiling it names what to install."""
    monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, f"{name}.numpy", None)
    f = parse("x^2*y + erf(x)")
    assert "def f(x, y)" in to_python_source(f, ["x", "y"], backend=name)
    with pytest.raises(ImportError, match=re.escape(f'pip install "symdiff[{name}]"')):
        lambdify(f, ["x", "y"], name)


def test_the_standalone_source_runs(tmp_path, backend):
    f = parse("x^2*y + sech(x) + relu(y - 1)")
    outputs = [f, *gradient(f, ["x", "y"])]
    path = tmp_path / f"g_{backend}.py"
    path.write_text(to_python_source(outputs, ["x", "y"], "g", backend))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if backend == "jax":
        import jax
        with jax.enable_x64(True):
            got = values(module.g(0.4, 1.7))
    else:
        got = values(module.g(0.4, 1.7))
    np.testing.assert_allclose(got, expected(outputs, [{"x": 0.4, "y": 1.7}])[:, 0], rtol=REL)


def test_backends_are_listed():
    assert set(ARRAY_CODE) == {"jax", "torch"} and set(ARRAY_CODE) <= set(BACKENDS)
