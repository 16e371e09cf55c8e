"""The Python API as Python users expect it: variables in natural order everywhere,
expressions that can be called, converted with float(), substituted and differentiated,
gradients and Hessians as lists that know their variables, SymPy from the top level."""
import pickle
import subprocess
import sys

import numpy as np
import pytest
import sympy

import symdiff as sd
from symdiff import Matrix, Var, Vector, parse
from symdiff.codegen import compile as compiled
from symdiff.core.walk import natural_key


# ------------------------------------------------------------------ natural order
@pytest.mark.parametrize("names, expected", [
    (["x10", "x2", "x1"], ["x1", "x2", "x10"]),
    (["y", "x10", "x9"], ["x9", "x10", "y"]),
    (["a1b10", "a1b2", "a10b1"], ["a1b2", "a1b10", "a10b1"]),
    (["x01", "x1", "x0"], ["x0", "x01", "x1"]),          # ties broken by the text: total
    (["θ10", "θ2", "x"], ["x", "θ2", "θ10"]),
    (["X", "x", "_1"], ["X", "_1", "x"]),
])
def test_natural_key_orders_digit_runs_as_numbers(names, expected):
    assert sorted(names, key=natural_key) == expected


FORMULA = "x10*x2 + x1^2 + y*x2"
NATURAL = ("x1", "x2", "x10", "y")


def test_every_default_variable_list_is_in_natural_order():
    f = parse(FORMULA)
    assert f.free_vars == sd.free_vars([f]) == NATURAL
    assert sd.gradient(f).variables == NATURAL
    assert sd.hessian(f).variables == NATURAL
    assert sd.jacobian([f, parse("x10 + x1")]).variables == NATURAL
    assert sd.lambdify(f).vars == NATURAL
    assert "def f(x1, x2, x10, y):" in sd.to_python_source(f, backend="math")
    assert sd.gradient(f) == sd.gradient(f, list(NATURAL))


# ------------------------------------------------------------------ expressions
@pytest.mark.parametrize("text, args, kwargs, expected", [
    ("x^2*y", (), {"x": 2, "y": 3}, 12.0),
    ("x^2*y", ({"x": 2, "y": 3},), {}, 12.0),
    ("x^2*y", ({"x": 2},), {"y": 3}, 12.0),
    ("x^2*y", ({Var("x"): 2, "y": 3},), {}, 12.0),
    ("self + values", (), {"self": 1, "values": 2}, 3.0),
    ("self*values", ({"self": 2},), {"values": 5}, 10.0),
    ("2^-1 + 1", (), {}, 1.5),
])
def test_calling_an_expression_evaluates_it(text, args, kwargs, expected):
    e = parse(text)
    assert e(*args, **kwargs) == e.evaluate(*args, **kwargs) == expected


def test_self_and_values_are_variables_too():
    assert parse("self + values").evaluate(self=1, values=2) == 3


@pytest.mark.parametrize("text, expected", [
    ("2", 2.0), ("1/4", 0.25), ("sqrt(2)*pi", 4.442882938158366), ("exp(1) - e", 0.0),
])
def test_float_of_a_closed_expression(text, expected):
    assert float(parse(text)) == pytest.approx(expected, abs=1e-15)


def test_float_of_an_expression_with_variables_names_them():
    with pytest.raises(TypeError, match=r"it has variables \(x, y\)"):
        float(parse("x*y + 1"))


def test_arrays_evaluate_elementwise_through_compiled_numpy():
    f = parse("x^2*y + sin(x)")
    x = np.linspace(-1.0, 1.0, 7)
    expected = [f.evaluate(x=v, y=3.0) for v in x]
    np.testing.assert_allclose(f.evaluate(x=x, y=3.0), expected, rtol=1e-14)
    np.testing.assert_allclose(f(x=x, y=np.full(7, 3.0)), expected, rtol=1e-14)
    np.testing.assert_allclose(f({"x": x, "y": 3}), expected, rtol=1e-14)
    with pytest.raises(sd.EvaluationError, match="no value for variable 'y'"):
        f.evaluate(x=x)


def test_the_array_cache_is_bounded():
    for i in range(compiled.ARRAY_CACHE_SIZE + 5):
        parse(f"x*{i + 2} + 1").evaluate(x=np.arange(3.0))
    assert len(compiled._array_functions) <= compiled.ARRAY_CACHE_SIZE


x, y, z = Var("x"), Var("y"), Var("z")


@pytest.mark.parametrize("text, args, expected", [
    ("x^3*y", ("x",), "3*x^2*y"),
    ("x^3*y", ("x", 2), "6*x*y"),
    ("x^3*y", ("x", 3), "6*y"),
    ("x^3*y", ("x", "y"), "3*x^2"),
    ("x^3*y", (x, 2, y), "6*x"),
    ("x^3*y", ("x", 0), "x^3*y"),
    ("sin(x)", (), "cos(x)"),
])
def test_diff(text, args, expected):
    assert parse(text).diff(*args) is parse(expected)


@pytest.mark.parametrize("text, mapping, kwargs, expected", [
    ("x^2*y", {}, {"x": 2}, "4*y"),
    ("x^2*y", {"x": 2, "y": 3}, {}, "12"),
    ("x^2*y", {x: y, y: x}, {}, "y^2*x"),                  # all at once: a swap
    ("x^2*y", {x: z + 1}, {}, "(z + 1)^2*y"),
    ("x^2*y", {"x": "y + 1"}, {}, "(y + 1)^2*y"),          # text values are parsed
    ("x^2*y", {"x": 0.5}, {}, "0.25*y"),
    ("sin(x) + x", {sd.sin(x): y}, {}, "y + x"),            # any subexpression as a key
    ("x + y", {"x": 1, x: 1}, {}, "y + 1"),                 # the same value twice is fine
    ("x", {}, {}, "x"),
])
def test_subs(text, mapping, kwargs, expected):
    assert parse(text).subs(mapping, **kwargs) is parse(expected)


def test_subs_refuses_two_values_for_one_key():
    with pytest.raises(ValueError, match="two values for x"):
        parse("x + y").subs({"x": 1, x: 2})
    with pytest.raises(TypeError):
        x + "y"                       # operators still refuse text: parse it


# ------------------------------------------------------------------ results
F = "x^2*y + y + 2"


def test_results_are_lists_that_know_their_variables():
    f = parse(F)
    g, h = sd.gradient(f), sd.hessian(f)
    assert isinstance(g, Vector) and isinstance(g, list)
    assert isinstance(h, Matrix) and all(isinstance(row, Vector) for row in h)
    assert g == [parse("2*x*y"), parse("x^2 + 1")] and len(g) == 2
    assert h == [[parse("2*y"), parse("2*x")], [parse("2*x"), sd.Const(0)]]
    assert dict(zip(g.variables, g)) == {"x": g[0], "y": g[1]}
    assert g.shape == (2,) and h.shape == (2, 2) and h[1].variables == ("x", "y")
    j = sd.jacobian([parse("r*cos(t)"), parse("r*sin(t)")])
    assert j.variables == ("r", "t") and j.functions == (parse("r*cos(t)"), parse("r*sin(t)"))
    assert sd.vjp([f], ["y", "x"], [1]).variables == ("y", "x")
    assert pickle.loads(pickle.dumps(h)) == h and pickle.loads(pickle.dumps(g)).variables == g.variables


@pytest.mark.parametrize("make, text, shown, latex", [
    (lambda f: sd.gradient(f), "[2*x*y, x^2 + 1]", "Vector([2*x*y, x^2 + 1], variables=('x', 'y'))",
     r"$\left[\begin{matrix}2 x y\\x^{2} + 1\end{matrix}\right]$"),
    (lambda f: sd.hessian(f), "[[2*y, 2*x], [2*x, 0]]",
     "Matrix([[2*y, 2*x],\n        [2*x, 0]], variables=('x', 'y'))",
     r"$\left[\begin{matrix}2 y & 2 x\\2 x & 0\end{matrix}\right]$"),
])
def test_results_print_and_typeset(make, text, shown, latex):
    result = make(parse(F))
    assert (str(result), repr(result), result._repr_latex_()) == (text, shown, latex)


def test_results_evaluate_to_floats_or_arrays():
    f = parse(F)
    assert sd.gradient(f).evaluate(x=3, y=4) == [24.0, 10.0]
    assert sd.hessian(f).evaluate({"x": 3}, y=4) == [[8.0, 6.0], [6.0, 0.0]]
    xs = np.array([1.0, 2.0, 3.0])
    dx, dy = sd.gradient(f).evaluate(x=xs, y=4)
    np.testing.assert_allclose(dx, 8 * xs)
    np.testing.assert_allclose(dy, xs ** 2 + 1)
    rows = sd.hessian(f).evaluate(x=xs, y=4)
    np.testing.assert_allclose(rows[0][1], 2 * xs)


def test_results_to_sympy_and_simplify():
    f = parse(F)
    X, Y = sympy.symbols("x y", real=True)
    hessian, gradient = sd.hessian(f).to_sympy(), sd.gradient(f).to_sympy()
    assert sympy.simplify(hessian - sympy.Matrix([[2 * Y, 2 * X], [2 * X, 0]])).is_zero_matrix
    assert sympy.simplify(gradient - sympy.Matrix([[2 * X * Y], [X ** 2 + 1]])).is_zero_matrix
    assert (hessian.shape, gradient.shape) == ((2, 2), (2, 1))
    g = sd.gradient(parse("sin(x)^2 + cos(x)^2 + x*y"))
    assert g.simplify() == [y, x] and g.simplify().variables == ("x", "y")
    h = sd.hessian(parse("x*(sin(y)^2 + cos(y)^2)*x"))
    assert h.simplify() == [[sd.Const(2), sd.Const(0)], [sd.Const(0), sd.Const(0)]]
    assert sd.gradient(f).subs(y=1) == [2 * x, x ** 2 + 1]


# ------------------------------------------------------------------ exports
def test_sympy_bridge_from_the_top_level():
    assert {"to_sympy", "from_sympy", "ConversionError", "Vector", "Matrix"} <= set(sd.__all__)
    f = parse("x^2*sin(y)")
    assert sd.from_sympy(sd.to_sympy(f)) is f
    with pytest.raises(sd.ConversionError):
        sd.from_sympy(sympy.I)


def test_importing_symdiff_does_not_import_sympy():
    code = "import sys, symdiff; print('sympy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
