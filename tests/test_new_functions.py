"""The functions added after cbrt and sinc, beyond what test_functions.py checks for every
declared function: values and branch conventions, refusals, the order of polygamma, the
floats of digamma and polygamma against mpmath, stability of sigmoid and softplus, the code
backends on grids, LaTeX, the SymPy bridge and the aliases."""
import math
import warnings
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symdiff as sd
from symdiff import Const, EvaluationError, SymdiffError, UndefinedError, Var, lambdify, parse
from symdiff.codegen.compile import to_python_source
from symdiff.core.polygamma_floats import digamma, polygamma
from symdiff.interop.sympy_bridge import from_sympy, to_sympy

x, y = Var("x"), Var("y")
EULER = 0.5772156649015329

# formula => its value (evaluated; floats fold where they are built)
VALUES = [
    ("sigmoid(0)",            0.5),
    ("sigmoid(1000.0)",       1.0),
    ("sigmoid(-1000.0)",      0.0),
    ("sigmoid(2.0)",          1 / (1 + math.exp(-2))),
    ("softplus(1000.0)",      1000.0),
    ("softplus(-1000.0)",     0.0),
    ("softplus(0.0)",         math.log(2)),
    ("log10(1000.0)",         3.0),
    ("log10(10)",             1.0),
    ("log2(8.0)",             3.0),
    ("log1p(1e-20)",          1e-20),
    ("expm1(1e-20)",          1e-20),
    ("atan2(0, -1)",          math.pi),            # the branch: (-pi, pi]
    ("atan2(-0.0, -1.0)",     math.pi),            # -0.0 is 0: not -pi
    ("atan2(1, 0)",           math.pi / 2),
    ("atan2(-1, 0)",          -math.pi / 2),
    ("atan2(-1e-300, -1.0)",  -math.pi),           # just below the cut
    ("hypot(3, 4)",           5.0),
    ("hypot(1e200, 1e200)",   math.sqrt(2) * 1e200),
    ("erf(0)",                0.0),
    ("erfc(0)",               1.0),
    ("erf(-1.5)",             math.erf(-1.5)),
    ("erfc(10.0)",            2.088487583762545e-45),
    ("gamma(5.0)",            24.0),
    ("gamma(0.5)",            math.sqrt(math.pi)),
    ("gamma(-0.5)",           -2 * math.sqrt(math.pi)),
    ("loggamma(10.0)",        math.log(362880)),
    ("loggamma(1)",           0.0),
    ("digamma(1.0)",          -EULER),
    ("digamma(0.5)",          -EULER - 2 * math.log(2)),
    ("polygamma(1, 1.0)",     math.pi ** 2 / 6),
    ("polygamma(0, 1.0)",     -EULER),
    ("polygamma(2, 1.0)",     -2 * 1.2020569031595942),
    ("coth(1.0)",             1 / math.tanh(1)),
    ("sech(1000.0)",          0.0),
    ("sech(0)",               1.0),
    ("csch(-1.0)",            1 / math.sinh(-1)),
    ("csch(800.0)",           0.0),
    ("acot(0)",               math.pi / 2),        # SymPy's acot(0)
    ("acot(-1.0)",            -math.pi / 4),       # atan(1/u): (-pi/2, pi/2]
    ("acot(1e-300)",          math.pi / 2),
    ("acot(-1e-300)",         -math.pi / 2),       # the jump at 0
    ("asec(2.0)",             math.pi / 3),
    ("asec(-2.0)",            2 * math.pi / 3),    # [0, pi]
    ("asec(1)",               0.0),
    ("acsc(-2.0)",            -math.pi / 6),
    ("acoth(2.0)",            math.atanh(0.5)),
    ("acoth(-2.0)",           -math.atanh(0.5)),
    ("asech(0.5)",            math.acosh(2)),
    ("asech(1)",              0.0),
    ("acsch(-2.0)",           math.asinh(-0.5)),
    ("heaviside(0)",          0.0),                # step(0) = 0
    ("heaviside(2.5)",        1.0),
    ("Abs(-3)",               3.0),
]


@pytest.mark.parametrize("text, expected", VALUES, ids=[v[0] for v in VALUES])
def test_values(text, expected):
    value = parse(text).evaluate()
    assert value == pytest.approx(expected, rel=1e-15, abs=1e-300)


@pytest.mark.parametrize("text, expected", VALUES, ids=[v[0] for v in VALUES])
def test_compiled_values(text, expected):
    """The same values from both code backends, with the argument as a variable."""
    expr = parse(text)
    call = expr if isinstance(expr, sd.Function) else None
    if call is None:                           # folded where it was built: rebuild on a variable
        name, inside = text.split("(", 1)
        numbers = [float(parse(a)) for a in inside[:-1].split(",")]
        function = sd.FUNCTIONS[sd.core.declarations.ALIASES.get(name, name)]
        xs = [Var(f"a{i}") for i in range(len(numbers))]
        call, point = function(*xs), numbers
    else:
        point = []
        xs = []
    for backend in ("math", "numpy"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = float(lambdify(call, xs, backend)(*point))
        assert got == pytest.approx(expected, rel=1e-14, abs=1e-300), backend


# formula => refused where it is built (no value)
UNDEFINED = ["log10(0)", "log2(-1)", "log1p(-1)", "atan2(0, 0)", "gamma(0)", "gamma(-2)",
             "loggamma(0)", "loggamma(-1.5)", "digamma(-1)", "polygamma(1, 0)", "coth(0)",
             "csch(0)", "asec(0.5)", "acsc(0)", "acoth(1)", "acoth(0.5)", "asech(2)",
             "asech(-0.5)", "acsch(0)", "polygamma(1/2, x)", "polygamma(-1, x)",
             "polygamma(1.5, x)", "polygamma(pi, x)", "polygamma(sqrt(2), x)"]


@pytest.mark.parametrize("text", UNDEFINED)
def test_undefined_calls_are_refused(text):
    with pytest.raises(sd.ParseError, match="undefined|nonnegative integer"):
        parse(text)


def test_an_order_that_is_a_number_must_be_a_nonnegative_integer():
    with pytest.raises(UndefinedError, match="polygamma's order n must be a nonnegative integer"):
        sd.polygamma(Fraction(1, 2), x)
    assert str(sd.polygamma(2, x)) == "polygamma(2, x)"
    assert sd.polygamma(0, x) is sd.digamma(x)           # polygamma(0, u) = digamma(u)
    assert sd.polygamma(y, x).evaluate(x=1.0, y=1.0) == pytest.approx(math.pi ** 2 / 6)
    with pytest.raises(EvaluationError, match="polygamma"):
        sd.polygamma(y, x).evaluate(x=1.0, y=0.5)       # an order with a variable: evaluation


# ------------------------------------------------------------------ the order has no derivative
DERIVATIVES_BY_AN_ORDER = [
    lambda f: sd.diff(f, "y"),
    lambda f: sd.gradient(f),
    lambda f: sd.hessian(f),
    lambda f: sd.jacobian([f], ["x", "y"]),
    lambda f: sd.diff(parse("polygamma(2*y, x)"), "y"),
]


@pytest.mark.parametrize("derive", DERIVATIVES_BY_AN_ORDER)
def test_no_derivative_with_respect_to_the_order(derive):
    with pytest.raises(SymdiffError, match="polygamma's order n must not depend on the variable"):
        derive(sd.polygamma(y, x))


def test_the_derivative_by_the_argument_raises_the_order():
    assert str(sd.diff(sd.polygamma(y, x), "x")) == "polygamma(y + 1, x)"
    assert str(sd.diff(sd.polygamma(2, x), "x", 2)) == "polygamma(4, x)"
    assert str(sd.diff(sd.digamma(x), "x")) == "polygamma(1, x)"
    assert str(sd.diff(sd.gamma(x), "x")) == "digamma(x)*gamma(x)"
    assert str(sd.diff(sd.loggamma(x), "x")) == "digamma(x)"
    assert sd.check("polygamma(2, x*y) + digamma(x)*gamma(y)", hessian=True, points=3).ok


# ------------------------------------------------------------------ digamma, polygamma floats
def _close_to_mpmath(n, u):
    with mpmath.workdps(30):
        exact = float(mpmath.polygamma(n, mpmath.mpf(u)))
    got = digamma(u) if n == 0 else polygamma(n, u)
    assert got == pytest.approx(exact, rel=1e-13, abs=1e-14 * max(1.0, abs(exact))), (n, u)
    assert polygamma(n, u) == pytest.approx(exact, rel=1e-13, abs=1e-14 * max(1.0, abs(exact)))


GRID = [-30.5, -12.25, -3.7, -2.5, -1.5, -0.9, -0.5, -1e-8, 1e-8, 1e-3, 0.1, 0.5, 1.0,
        1.4616321449683622, 2.0, 3.3, 9.99, 10.0, 19.5, 55.0, 1e3, 1e8, 1e15]


@pytest.mark.parametrize("n", [0, 1, 2, 3, 6, 12])
@pytest.mark.parametrize("u", GRID)
def test_polygamma_floats_on_a_grid(n, u):
    _close_to_mpmath(n, u)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 8), st.floats(-60, 60).filter(lambda u: abs(u - round(u)) > 1e-6))
def test_polygamma_floats_match_mpmath(n, u):
    _close_to_mpmath(n, u)


def test_poles():
    for text in ("digamma(x)", "gamma(x)", "polygamma(3, x)"):
        with pytest.raises(EvaluationError, match="undefined|pole"):
            parse(text).evaluate(x=-3.0)
    with pytest.raises(ZeroDivisionError):
        digamma(-3.0)
    with pytest.raises(ValueError):
        polygamma(1.5, 2.0)


# ------------------------------------------------------------------ stability, code backends
def test_sigmoid_and_softplus_do_not_overflow():
    for backend in ("math", "numpy"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")           # no overflow warning from exp
            f = lambdify([sd.sigmoid(x), sd.softplus(x), *sd.gradient(sd.softplus(x), [x]),
                          *sd.gradient(sd.sigmoid(x), [x])], [x], backend)
            assert [float(v) for v in f(1000.0)] == [1.0, 1000.0, 1.0, 0.0]
            assert [float(v) for v in f(-1000.0)] == [0.0, 0.0, 0.0, 0.0]
    assert str(sd.diff(sd.sigmoid(x), x)) == "sigmoid(x)*(1 - sigmoid(x))"
    assert str(sd.diff(sd.softplus(x), x)) == "sigmoid(x)"


GRIDS = {
    "erf":      np.linspace(-7, 7, 281),
    "erfc":     np.linspace(-7, 27, 341),
    "gamma":    np.concatenate([np.linspace(-9.9, -0.1, 50), np.linspace(0.05, 170, 400)]),
    "loggamma": np.linspace(0.01, 300, 400),
    "digamma":  np.concatenate([np.linspace(-20.3, -0.3, 41), np.linspace(0.001, 80, 300)]),
    "sigmoid":  np.linspace(-800, 800, 321),
    "softplus": np.linspace(-800, 800, 321),
    "acot":     np.linspace(-5, 5, 201),
}


@pytest.mark.parametrize("name", sorted(GRIDS))
def test_numpy_helpers_agree_with_the_floats(name):
    function = sd.FUNCTIONS[name]
    grid = GRIDS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = lambdify(function(x), [x])(grid)
    expected = [function.real(float(u)) for u in grid]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-300)


def test_polygamma_numpy_helper_for_several_orders_at_once():
    orders = np.array([0.0, 1.0, 2.0, 5.0, 1.0, 0.5])
    points = np.array([0.3, -2.5, 7.0, 1.25, 40.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")              # the order 1/2 gives nan, as numpy does
        got = lambdify(sd.polygamma(y, x), [y, x])(orders, points)
    expected = [polygamma(n, u) for n, u in zip(orders[:-1], points[:-1])]
    np.testing.assert_allclose(got[:-1], expected, rtol=1e-12)
    assert math.isnan(got[-1])


def test_atan2_branch_in_code():
    f = lambdify(sd.atan2(y, x), [y, x], "math")
    assert f(-0.0, -1.0) == math.pi and f(0.0, -1.0) == math.pi
    with pytest.raises(EvaluationError, match="atan2"):
        f(0.0, 0.0)
    assert float(lambdify(sd.atan2(y, x), [y, x])(-0.0, -1.0)) == math.pi
    assert [str(g) for g in sd.gradient(sd.atan2(y, x), [y, x])] == [
        "x/(x^2 + y^2)", "-y/(x^2 + y^2)"]


def test_standalone_sources_hold_their_helpers(tmp_path):
    f = sd.digamma(x) + sd.polygamma(2, x) + sd.erf(x) + sd.gamma(x) + sd.loggamma(x)
    for backend in ("math", "numpy"):
        source = to_python_source(f, [x], "g", backend)
        assert "def digamma(" in source and "def polygamma(" in source
        assert "symdiff" not in source.split('"""Compiled by')[0].split("import", 1)[-1]
        namespace: dict = {}
        path = tmp_path / f"special_{backend}.py"
        path.write_text(source)
        code = compile(path.read_text(), str(path), "exec")
        exec(code, namespace)                      # the generated module, not user text
        assert float(namespace["g"](2.5)) == pytest.approx(f.evaluate(x=2.5), rel=1e-13)


# ------------------------------------------------------------------ printing, SymPy, aliases
LATEX = [
    ("sigmoid(x)",          r"\operatorname{sigmoid}\left(x\right)"),
    ("softplus(x)",         r"\operatorname{softplus}\left(x\right)"),
    ("log10(x)",            r"\log_{10}\left(x\right)"),
    ("log2(x)^2",           r"\left(\log_{2}\left(x\right)\right)^{2}"),
    ("log1p(x)",            r"\operatorname{log1p}\left(x\right)"),
    ("atan2(y, x)",         r"\operatorname{atan2}\left(y, x\right)"),
    ("hypot(x, y)",         r"\operatorname{hypot}\left(x, y\right)"),
    ("erf(x)",              r"\operatorname{erf}\left(x\right)"),
    ("gamma(x + 1)",        r"\Gamma\left(x + 1\right)"),
    ("gamma(x)^2",          r"\left(\Gamma\left(x\right)\right)^{2}"),
    ("loggamma(x)",         r"\log\Gamma\left(x\right)"),
    ("digamma(x)",          r"\psi\left(x\right)"),
    ("polygamma(2, x)",     r"\psi^{(2)}\left(x\right)"),
    ("coth(x)^2",           r"\coth^{2}\left(x\right)"),
    ("acot(x)",             r"\operatorname{arccot}\left(x\right)"),
    ("asech(x)",            r"\operatorname{asech}\left(x\right)"),
]


@pytest.mark.parametrize("text, latex", LATEX)
def test_latex(text, latex):
    assert parse(text).to_latex() == latex


def test_sympy_round_trips_and_spellings():
    X = sympy.Symbol("x", real=True)
    assert from_sympy(sympy.digamma(X)) is sd.digamma(x)          # SymPy: polygamma(0, x)
    assert from_sympy(sympy.gamma(X)) is sd.gamma(x)
    assert from_sympy(sympy.Heaviside(X, 0)) is sd.step(x)
    assert from_sympy(sympy.polygamma(3, X)) is sd.polygamma(3, x)
    for text in ("sigmoid(x)*softplus(x)", "log10(x) + log2(x) + log1p(x) + expm1(x)",
                 "hypot(x, y) + atan2(y, x)"):
        expr = parse(text)
        assert from_sympy(to_sympy(expr)) is expr
        assert from_sympy(to_sympy(expr, evaluate=True)) is expr
    value = to_sympy(parse("sigmoid(x)")).evalf(30, subs={X: 2})
    assert float(value) == pytest.approx(1 / (1 + math.exp(-2)), rel=1e-15)
    slope = sympy.diff(to_sympy(parse("softplus(x)")), X).evalf(30, subs={X: 2})
    assert float(slope) == pytest.approx(float(value), rel=1e-15)     # softplus' = sigmoid


ALIASES = [("Abs(x)", "abs(x)"), ("heaviside(x)", "step(x)"), ("Max(x, y)", "max(x, y)"),
           ("Min(x, 2)", "min(x, 2)"), ("arccot(x)", "acot(x)"), ("arcsec(x)", "asec(x)"),
           ("arccsch(x)", "acsch(x)")]


@pytest.mark.parametrize("text, same", ALIASES)
def test_aliases_parse(text, same):
    assert parse(text) is parse(same)


@pytest.mark.parametrize("text", ["sigmoid(x)", "softplus(x)", "log10(x)", "log2(x)",
                                  "log1p(x)", "expm1(x)", "atan2(y, x)", "hypot(x, y)",
                                  "erf(x)", "erfc(x)", "gamma(x)", "loggamma(x)", "digamma(x)",
                                  "polygamma(1, x)", "coth(x)", "sech(x)", "csch(x)", "acot(x)",
                                  "asec(x)", "acsc(x)", "acoth(x)", "asech(x)", "acsch(x)"])
def test_check_passes(text):
    report = sd.check(text, points=3)
    assert report.ok, report.verdict()


def test_gamma_and_Gamma_stay_variable_names():
    assert parse("1/(gamma - 1)*Gamma").free_vars == ("Gamma", "gamma")
    assert Const(1) is parse("gamma(1)")


def test_steps_show_polygammas_partial_without_its_order():
    from symdiff import derivation_steps
    steps = derivation_steps(parse("polygamma(2, x^2)"), "x", simplify=False)
    assert str(steps[-1].result) == "2*x*polygamma(3, x^2)"


def test_numpy_gamma_far_below_zero_is_the_tiny_value_not_nan():
    import warnings
    compiled = sd.lambdify(parse("gamma(x)"), ["x"], backend="numpy")
    points = np.array([-1030.3, -500.5, -180.5])        # |gamma| < 1e-320: a zero
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = compiled(points)
    assert list(values) == [parse("gamma(x)").evaluate(x=v) for v in points] == [0.0] * 3
