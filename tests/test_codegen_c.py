"""The C backend (lambdify(..., backend="c"), to_c_source, --format c): the same values as
evaluate, the same layouts as the math and NumPy backends, C's NaN and inf outside the
domain, deep and long programs, the module cache, and the fallback to NumPy.

Tolerance: 1e-12 relative to ``evaluate`` (plus 1e-300 absolute for zeros). ``evaluate``
adds with math.fsum and the C code in order, so for a corpus gradient whose sum cancels,
the math backend (which adds in the C code's order) may differ from ``evaluate`` by more:
there C must match the math backend to 1e-12. Outside the domain, where ``evaluate``
raises, C gives NaN (log(-1), sqrt(-1), the helpers) or ±inf (1/0, log(0)), with one
documented exception: an infinity can be absorbed on the way (exp(-1/x^2) at 0 is 0).

Each compilation costs about half a second, so each test compiles one module for many
formulas at once; modules are cached in a folder of this test module's own. No timing is
asserted: compilations are counted.
"""
import importlib.util
import math
import os
import pickle
import random
import shutil
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import numpy as np
import pytest

import symdiff as sd
from strategies import CORPUS, corpus_points, corpus_records
from symdiff import EvaluationError, Var, define_function, gradient, hessian, lambdify, parse
from symdiff.cli import main
from symdiff.codegen import c_code, c_compile, c_source
from symdiff.codegen.c_compile import CBackendWarning, compilations, find_compiler
from symdiff.codegen.c_source import to_c_source
from symdiff.core.functions import BUILTIN

REL, ABS = 1e-12, 1e-300
REPO = Path(__file__).resolve().parents[1]


def _can_compile() -> bool:
    return importlib.util.find_spec("cffi") is not None and find_compiler() is not None


needs_c = pytest.mark.skipif(not _can_compile(), reason="no cffi or no C compiler here")
needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="no gcc")


@pytest.fixture(scope="module", autouse=True)
def cache(tmp_path_factory):
    """This module's own cache folder (SYMDIFF_CACHE), so runs start from nothing."""
    folder = tmp_path_factory.mktemp("symdiff_cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SYMDIFF_CACHE", str(folder))
        yield folder


def close(got: float, wanted: float) -> bool:
    return abs(got - wanted) <= REL * abs(wanted) + ABS


def _value(expr, point):
    try:
        return expr.evaluate(point)
    except EvaluationError:
        return None


# ---------------------------------------------------------------- every declared function
def _calls():
    """Every built-in function applied to x (and y), polygamma at orders 0 to 3."""
    x, y = Var("x"), Var("y")
    calls = []
    for cls in BUILTIN:
        if cls.name == "polygamma":
            calls += [cls(k, x) for k in range(4)]
        else:
            calls.append(cls(x) if cls.arity == 1 else cls(x, y))
    return calls


def test_every_built_in_function_has_a_c_form_or_a_body():
    missing = [cls.name for cls in BUILTIN if not cls.spec.c and not cls.spec.body]
    assert not missing
    for cls in BUILTIN:
        if cls.spec.c_helper:
            assert cls.spec.c_helper.startswith(f"static double {cls.spec.c}(double ")


@needs_c
def test_every_declared_function_matches_evaluate():
    calls = _calls()
    f = lambdify(calls, ["x", "y"], backend="c")
    rng = random.Random(1)
    ranges = [(-3.0, 3.0), (0.0, 1.0), (-1.0, 0.0), (1.0, 30.0), (-30.0, -1.0)]
    compared = {call: 0 for call in calls}
    points = [(rng.uniform(*rng.choice(ranges)), rng.uniform(*rng.choice(ranges)))
              for _ in range(300)] + [(0.0, 0.0), (0.0, -1.0), (-2.5, 0.5)]
    xs, ys = np.array([p[0] for p in points]), np.array([p[1] for p in points])
    grid = f(xs, ys)                                   # the n-point entry, all at once
    for i, (a, b) in enumerate(points):
        values = f(a, b)
        assert np.array_equal(values, [column[i] for column in grid], equal_nan=True)
        for call, got in zip(calls, values):
            wanted = _value(call, {"x": a, "y": b})
            if wanted is not None:
                assert close(got, wanted), (call, a, b, got, wanted)
                compared[call] += 1
    assert all(count >= 30 for count in compared.values()), compared


# ---------------------------------------------------------------- the corpus's gradients
@needs_c
@needs_c
@pytest.mark.skipif(not CORPUS.is_file(), reason=f"formula corpus not found at {CORPUS}")
def test_corpus_gradients_match_evaluate():
    """Every corpus formula's gradient, in one module: at three points of the record's
    ranges the values of evaluate (to 1e-12; or the math backend's, where evaluate's fsum
    and the code's order differ on a cancelling sum); at four points of [-3, 3] each, a
    component evaluate refuses is NaN or inf, and the others agree to 1e-9 of max(1, |v|)."""
    records = corpus_records()
    names = sorted({v for r in records for v in r["vars"]})
    gradients = [gradient(parse(r["formula"]), r["vars"]) for r in records]
    f = lambdify(gradients, names, backend="c")
    rng = random.Random(7)
    checked = undefined = 0
    for index, (record, grad) in enumerate(zip(records, gradients)):
        math_backend = None
        for k, point in enumerate(corpus_points(record, rng)):
            inside = k < 3
            got = f(*[point.get(name, 1.0) for name in names])[index]
            for g, value in zip(grad, got):
                wanted = _value(g, point)
                if wanted is None:
                    assert not math.isfinite(value), (record["id"], str(g)[:80], point)
                    undefined += 1
                elif not inside:                  # far from where the formula is used
                    assert abs(value - wanted) <= 1e-9 * max(1.0, abs(wanted)), record["id"]
                elif not close(value, wanted):
                    math_backend = math_backend or lambdify(g, record["vars"], backend="math")
                    in_order = math_backend(*(point[v] for v in record["vars"]))
                    assert close(value, in_order), (record["id"], value, wanted)
                checked += 1
    assert checked > 5000 and undefined > 500, (checked, undefined)


# ---------------------------------------------------------------- outside the domain
UNDEFINED = [("log(x)", -1.0, "nan"), ("sqrt(x)", -1.0, "nan"), ("asin(x)", 2.0, "nan"),
             ("acosh(x)", 0.5, "nan"), ("x^0.3", -2.0, "nan"), ("loggamma(x)", -1.5, "nan"),
             ("digamma(x)", 0.0, "nan"), ("polygamma(2, x)", -3.0, "nan"),
             ("atan2(x, x)", 0.0, "nan"), ("asec(x)", 0.5, "nan"), ("gamma(x)", -1.0, "nan"),
             ("1/x", 0.0, "inf"), ("log(x)", 0.0, "inf"), ("cot(x)", 0.0, "inf"),
             ("x^-2", 0.0, "inf"), ("gamma(x)", 0.0, "inf"), ("exp(x)", 1000.0, "inf")]


@needs_c
def test_undefined_points_are_nan_or_inf_where_evaluate_raises():
    exprs = [parse(text) for text, _, _ in UNDEFINED]
    f = lambdify(exprs, ["x"], backend="c")
    for (text, at, kind), expr in zip(UNDEFINED, exprs):
        with pytest.raises(EvaluationError):
            expr.evaluate(x=at)
        value = f(at)[exprs.index(expr)]
        assert (math.isnan(value) if kind == "nan" else math.isinf(value)), (text, value)


@needs_c
def test_an_infinity_on_the_way_can_be_absorbed():
    """Documented: C carries on past 1/0, so a finite result does not prove the point is
    in the domain (evaluate raises here)."""
    expr = parse("exp(-1/x^2)")
    with pytest.raises(EvaluationError):
        expr.evaluate(x=0.0)
    assert lambdify(expr, ["x"], backend="c")(0.0) == 0.0


# ---------------------------------------------------------------- deep and long programs
def test_a_20000_deep_formula_generates_without_recursion():
    expr = Var("x")
    for _ in range(20_000):
        expr = sd.sin(expr)
    header, source = to_c_source(expr, ["x"], name="deep")
    assert source.count("= sin(") == 20_000
    assert "deep_part19(" in source and "deep_part20(" not in source


@needs_c
def test_long_programs_are_cut_into_parts_with_a_workspace(monkeypatch):
    """Cut every 7 statements and with the workspace forced onto the heap: the values are
    those of a program in one function."""
    xs = [Var(f"x{i}") for i in range(6)]
    f = sum((xs[i] - xs[i + 1] ** 2) ** 2 * sd.exp(xs[i] / 3) for i in range(5))
    exprs = [*gradient(f, xs), f, xs[2], parse("1/3")]
    point = [0.3, -0.7, 1.1, 0.4, -1.2, 0.9]
    whole = lambdify(exprs, xs, backend="c")
    deep = Var("x")
    for _ in range(250):                   # its gradient: 5,500 operands, 4 functions
        deep = sd.sin(deep) + Var("y")
    g = lambdify(gradient(deep, ["x", "y"]), ["x", "y"], backend="c")
    assert "_part3(" in g.source and "_part4(" not in g.source
    wanted = [d.evaluate(x=0.3, y=0.01) for d in gradient(deep, ["x", "y"])]
    assert all(close(a, b) for a, b in zip(g(0.3, 0.01), wanted))
    monkeypatch.setattr(c_source, "PART", 7)
    monkeypatch.setattr(c_source, "STACK_DOUBLES", 4)
    parted = lambdify(exprs, xs, backend="c")
    assert "_part5(" in parted.source and "malloc(" in parted.source
    assert parted(*point) == whole(*point)
    grid = [np.linspace(-1, 1, 300) + i for i in range(6)]    # 300 points: 3 blocks of 128
    assert all(np.array_equal(a, b) for a, b in zip(parted(*grid), whole(*grid)))


def test_compile_cost_counts_calls_and_picks_the_level():
    program = c_source.program_of([parse("sin(x)*y + x*y"), parse("x^2")], ["x", "y"])
    statements = len(program.statements)
    assert c_source.calls(program.statements) == 1
    assert c_source.cost(program.statements) == statements + c_code.CALL_COST
    low, high = c_compile.LEVELS
    assert [c_compile.optimisation(c) for c in (1, low, low + 1, high, high + 1)] == \
        ["-O2", "-O2", "-O1", "-O1", "-O0"]


@needs_c
def test_a_large_program_compiles_as_several_files_with_the_same_values(monkeypatch):
    """Files of parts compiled side by side, then linked: the values of one file, and
    only the entry points are exported from the module."""
    deep = Var("x")
    for _ in range(300):
        deep = sd.sin(deep) * Var("y") + sd.cos(Var("x"))
    exprs = gradient(deep, ["x", "y"])
    whole = lambdify(exprs, ["x", "y"], backend="c")
    assert "part 1 of" not in whole.source
    monkeypatch.setattr(c_compile, "SPLIT", 100)
    monkeypatch.setattr(c_compile, "processors", lambda: 3)
    split = lambdify(exprs, ["x", "y"], backend="c")
    assert "part 3 of 3" in split.source and "part 4 of" not in split.source
    assert split.source.count("SYMDIFF_PART void compiled_part") > 2
    grid = [np.linspace(-1, 1, 40), np.linspace(0.5, 0.9, 40)]
    assert all(np.array_equal(a, b) for a, b in zip(split(*grid), whole(*grid)))
    assert split(0.3, 0.7) == whole(0.3, 0.7)
    if shutil.which("nm"):                            # binutils, beside gcc
        listed = subprocess.run(["nm", "-D", "--defined-only", split.function.module.__file__],
                                capture_output=True, text=True, check=True).stdout
        assert "compiled_part0" not in listed and "PyInit_" in listed


@needs_c
def test_arrays_are_read_in_place_or_broadcast():
    """float64 rows of the broadcast shape are read where they are; one value has a step of
    0; a slice, a transposed array, other dtypes and smaller shapes are copied first."""
    f = lambdify([parse("x*y + z"), parse("x - z")], ["x", "y", "z"], backend="c")
    block = np.arange(24.0).reshape(3, 8)
    x, y, z = block                                   # rows of one block, in place
    got = f(x, y, z)
    assert np.array_equal(got[0], x * y + z) and np.array_equal(got[1], x - z)
    got = f(x, np.float64(2.0), np.array([5.0]))       # one value: a step of 0
    assert got[0].shape == (8,) and np.array_equal(got[0], 2 * x + 5)
    wide = np.arange(32.0).reshape(4, 8)
    got = f(wide[:, ::2], np.float32(0.5), np.arange(4, dtype=np.int32)[:, None])
    assert got[1].shape == (4, 4)
    assert np.array_equal(got[0], wide[:, ::2] * 0.5 + np.arange(4)[:, None])
    got = f(block.T, 1.0, 0.0)                        # (8, 3): not C-contiguous
    assert np.array_equal(got[0], block.T)
    assert f(np.empty((0, 3)), 1.0, 2.0)[0].shape == (0, 3)
    assert f(x, 2.0, np.array([[5.0]]))[0].shape == (1, 8)


# ---------------------------------------------------------------- the interface
@needs_c
def test_numbers_give_floats_and_arrays_give_arrays_as_the_other_backends_do():
    f = parse("x^3*y + sin(x*y) + 2")
    exprs = (gradient(f, ["x", "y"]), [hessian(f, ["x", "y"]), f, parse("7")])
    c, m, n = (lambdify(exprs, ["x", "y"], backend=b) for b in ("c", "math", "numpy"))
    assert c.backend == "c" and c.vars == ("x", "y") and "void compiled(" in c.source
    got, wanted = c(0.5, -1.5), m(0.5, -1.5)
    assert type(got) is tuple and type(got[1][0][0]) is list
    assert repr(got) == repr(wanted)                    # floats, equal to the last bit here
    assert c(y=-1.5, x=0.5) == got and c(0.5, y=-1.5) == got
    xs, ys = np.linspace(0, 1, 3)[:, None], np.linspace(-1, 1, 4)
    arrays, reference = c(xs, ys), n(xs, ys)
    assert arrays[0][0].shape == (3, 4) and arrays[1][2].shape == (3, 4)
    np.testing.assert_allclose(arrays[1][0][1][0], reference[1][0][1][0], rtol=REL)
    assert lambdify(parse("x*y"), ["x", "y"], backend="c")(np.arange(3.0), 2) \
        .tolist() == [0.0, 2.0, 4.0]
    assert lambdify(parse("pi"), [], backend="c")() == math.pi


@needs_c
def test_a_pickled_function_compiles_again_from_the_cache():
    f = lambdify(gradient(parse("x^2*exp(y)"), ["x", "y"]), ["x", "y"], backend="c")
    before = compilations()
    g = pickle.loads(pickle.dumps(f))
    assert g.backend == "c" and g(1.0, 0.0) == f(1.0, 0.0) == [2.0, 1.0]
    assert compilations() == before


# ---------------------------------------------------------------- the cache
_IN_ANOTHER_PROCESS = """
import symdiff, sys
from symdiff.codegen.c_compile import compilations
f = symdiff.lambdify(symdiff.parse(sys.argv[1]), ["x"], backend="c")
print(f(2.0), compilations())
"""


@needs_c
def test_a_module_is_compiled_once_per_source(tmp_path, monkeypatch):
    monkeypatch.setenv("SYMDIFF_CACHE", str(tmp_path))
    text = "x^5 - 3*atan(x) + 0.125"
    before = compilations()
    first = lambdify(parse(text), ["x"], backend="c")
    assert compilations() == before + 1
    again = lambdify(parse(text), ["x"], backend="c")
    assert compilations() == before + 1 and again(2.0) == first(2.0)
    lambdify(parse(text + " + x"), ["x"], backend="c")
    assert compilations() == before + 2
    assert len(list((tmp_path / "c").glob("_symdiff_c_*"))) == 2
    assert not list((tmp_path / "c").glob(".build-*"))
    env = {**os.environ, "SYMDIFF_CACHE": str(tmp_path), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", _IN_ANOTHER_PROCESS, text], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == [repr(first(2.0)), "0"], done.stderr   # read, not built


@needs_c
def test_a_damaged_cache_file_is_built_again(tmp_path, monkeypatch):
    expr = parse("x^4 + 1/7")
    monkeypatch.setenv("SYMDIFF_CACHE", str(tmp_path / "a"))
    lambdify(expr, ["x"], backend="c")
    built = next((tmp_path / "a" / "c").glob("_symdiff_c_*"))
    damaged = tmp_path / "b" / "c" / built.name
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"not a module")
    monkeypatch.setenv("SYMDIFF_CACHE", str(tmp_path / "b"))
    before = compilations()
    assert lambdify(expr, ["x"], backend="c")(1.0) == 1 + 1 / 7
    assert compilations() == before + 1 and damaged.read_bytes() != b"not a module"


@needs_c
def test_threads_build_a_module_once(tmp_path, monkeypatch):
    monkeypatch.setenv("SYMDIFF_CACHE", str(tmp_path))
    expr = parse("cosh(x)^3 - x/7")
    before = compilations()
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        lambdify(expr, ["x"], backend="c")(0.5))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert compilations() == before + 1 and len(set(results)) == 1 and len(results) == 4


@needs_c
def test_processes_building_one_module_at_once_both_get_it(tmp_path):
    env = {**os.environ, "SYMDIFF_CACHE": str(tmp_path), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-c", _IN_ANOTHER_PROCESS, "tanh(x)^2 + x^9"]
    running = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in running]
    assert [p.returncode for p in running] == [0, 0], outputs
    assert len({out.split()[0] for out, _ in outputs}) == 1
    assert len(list((tmp_path / "c").glob("_symdiff_c_*"))) == 1
    assert not list((tmp_path / "c").glob(".build-*"))


# ---------------------------------------------------------------- the fallback
def test_no_compiler_warns_once_and_gives_the_numpy_backend(tmp_path, monkeypatch):
    monkeypatch.setenv("CC", str(tmp_path / "no-such-cc"))
    with pytest.warns(CBackendWarning) as caught:
        f = lambdify(parse("x^2 + 1"), ["x"], backend="c")
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "no C compiler found" in message and "no-such-cc" in message
    assert "using the NumPy backend instead" in message
    assert f.backend == "numpy" and float(f(3.0)) == 10.0


def test_no_cffi_warns_and_gives_the_numpy_backend(monkeypatch):
    monkeypatch.setitem(sys.modules, "cffi", None)
    with pytest.warns(CBackendWarning, match="needs cffi.*NumPy backend"):
        f = lambdify(parse("x^2 + 2"), ["x"], backend="c")
    assert f.backend == "numpy" and float(f(3.0)) == 11.0


def test_a_function_known_only_by_its_float_implementation_has_no_c_code():
    name = "c_backend_test_floats_only"
    kind = sd.FUNCTIONS.get(name) or define_function(name, "u", partials=["1"],
                                                     real=lambda u: u + 1.0)
    expr = kind(Var("x")) * 2
    with pytest.raises(ValueError, match="no C code for c_backend_test_floats_only"):
        to_c_source(expr, ["x"])
    with pytest.warns(CBackendWarning, match="float implementation only"):
        f = lambdify(expr, ["x"], backend="c")
    assert f.backend == "numpy" and float(f(1.0)) == 4.0


@needs_c
def test_a_defined_function_with_a_c_form_compiles_without_its_body():
    name = "c_backend_test_erfc"
    kind = sd.FUNCTIONS.get(name) or define_function(
        name, "u", partials=["-2*exp(-u^2)/sqrt(pi)"], real=math.erfc, c="erfc")
    expr = kind(Var("x")) * Var("x")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = lambdify(gradient(expr, ["x"]), ["x"], backend="c")
    assert f.backend == "c" and "erfc(" in f.source
    assert close(f(0.75)[0], gradient(expr, ["x"])[0].evaluate(x=0.75))


@needs_c
def test_a_c_form_naming_no_c_function_warns_and_leaves_nothing_in_the_cache(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setenv("SYMDIFF_CACHE", str(tmp_path))
    name = "c_backend_test_no_such"
    kind = sd.FUNCTIONS.get(name) or define_function(
        name, "u", partials=["1"], real=lambda u: u + 1.0, c="no_such_c_function_here")
    for _ in range(2):                        # the second time, not from a broken cache file
        with pytest.warns(CBackendWarning, match="does not load.*no_such_c_function_here"):
            f = lambdify(kind(Var("x")) * 2, ["x"], backend="c")
        assert f.backend == "numpy" and float(f(1.0)) == 4.0
        assert not list((tmp_path / "c").glob("_symdiff_c_*"))


@pytest.mark.parametrize("form", ["a.b", "symdiff_sign", "erfc; exit(1)", "erfc(u) + 1"])
def test_a_c_form_is_a_math_h_name(form):
    with pytest.raises(ValueError, match="must be a <math.h>|is not a name or a call"):
        define_function("c_backend_test_bad_form", "u", partials=["1"], real=lambda u: u,
                        c=form)
    assert "c_backend_test_bad_form" not in sd.FUNCTIONS


# ---------------------------------------------------------------- source for your own build
@pytest.mark.parametrize("name", ["sin", "for", "symdiff_f", "a0", "2f", "f-g", "ｆ", "in"])
def test_names_that_cannot_name_the_c_function(name):
    with pytest.raises(ValueError, match="cannot name the C function"):
        to_c_source(parse("x"), ["x"], name=name)


def test_variable_names_in_comments_are_made_of_safe_characters():
    header, source = to_c_source(parse("θ*x_1 + 1"), ["θ", "x_1"], name="g")
    assert "in[0] <U+03B8>" in header and "in[1] x_1" in header
    assert "θ" not in header + source
    assert all(ord(c) < 128 for c in header + source)


def test_to_python_source_refuses_the_c_backend():
    with pytest.raises(ValueError, match="to_c_source"):
        sd.to_python_source(parse("x"), ["x"], backend="c")


_MAIN = r"""
#include <stdio.h>
int main(void)
{
    double in[2] = {0.5, -1.5}, out[2], many[6] = {0.5, 1.0, 2.0, -1.5, 0.0, 3.0}, grid[6];
    double xs[3] = {0.5, 1.0, 2.0}, y = 3.0, rows_out[6];
    const double *rows[2] = {xs, &y};
    long steps[2] = {1, 0};
    gradient(in, out);
    gradient_points(3, many, 3, grid, 3);
    gradient_rows(3, rows, steps, rows_out, 3);
    printf("%.17g %.17g %.17g %.17g %.17g %.17g\n", out[0], out[1], grid[2], grid[5],
           rows_out[2], rows_out[5]);
    return 0;
}
"""


@needs_gcc
def test_cli_format_c_prints_source_that_compiles_and_runs(capsys, tmp_path):
    assert main(["grad", "x^2*y + sin(x)", "--format", "c"]) in (0, None)
    printed = capsys.readouterr().out
    assert printed.startswith("/* gradient: generated by symdiff")
    assert "void gradient(const double *in, double *out);" in printed
    path = tmp_path / "gradient.c"
    path.write_text(printed)
    subprocess.run(["gcc", "-std=c99", "-Wall", "-Werror", "-c", str(path), "-o",
                    str(tmp_path / "gradient.o")], check=True)
    program = tmp_path / "run.c"
    program.write_text(printed + _MAIN)
    subprocess.run(["gcc", "-std=c99", "-Wall", "-Werror", str(program), "-o",
                    str(tmp_path / "run"), "-lm"], check=True)
    values = [float(v) for v in subprocess.run([str(tmp_path / "run")], check=True,
                                               capture_output=True, text=True).stdout.split()]
    dx, dy = gradient(parse("x^2*y + sin(x)"), ["x", "y"])
    wanted = [dx.evaluate(x=0.5, y=-1.5), dy.evaluate(x=0.5, y=-1.5),
              dx.evaluate(x=2.0, y=3.0), dy.evaluate(x=2.0, y=3.0)] * 2
    wanted[4:] = wanted[2:4]
    assert all(close(a, b) for a, b in zip(values, wanted)), (values, wanted)


def test_cli_format_c_of_a_hessian_says_the_layout(capsys):
    assert main(["hessian", "x^3*y", "--format", "c"]) in (0, None)
    printed = capsys.readouterr().out
    assert "laid out as [[0, 1], [2, 3]]" in printed and "void hessian(" in printed
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["eval", "x + 1", "--format", "c"]) in (0, None)
    assert "void f(const double *in, double *out)" in capsys.readouterr().out
