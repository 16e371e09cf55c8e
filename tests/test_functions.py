"""Function declarations: every declared function, read from the registry (so a new
declaration is covered without a line here), against SymPy's derivative, central finite
differences, mpmath and its own oracle entry; the declarations' completeness; the new cbrt
and sinc; and ``define_function`` end to end.
"""
import importlib.util
import itertools
import math
import warnings

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import assume, given

import symdiff as sd
from strategies import PROPERTY, formulas, points, points_with_values, value_at, well_conditioned
from symdiff import Const, EvaluationError, Var, define_function, gradient, hessian, lambdify, parse
from symdiff.calculus.partials import partials_of, replaced_partials, templates
from symdiff.codegen.compile import to_python_source
from symdiff.core.functions import BUILTIN
from symdiff.core.intern import nodes_created
from symdiff.interop.sympy_bridge import from_sympy, to_sympy
from symdiff.numeric.oracle_partials import NUMERIC_PARTIALS, local_partial
from symdiff.rewriting.signs import NONNEGATIVE, POSITIVE, signs

CANDIDATES = (0.3, 0.7, -0.6, 1.3, -1.7, 2.2, 0.45)
IDS = [cls.name for cls in BUILTIN]


#: The number an order (polygamma's n) is in the calls these tests build.
ORDER = 1


def arguments(cls) -> list:
    """The arguments of the call the tests build: a variable x, y, ... per parameter, and
    ``ORDER`` for an order, which has no derivative (``FunctionSpec.orders``)."""
    names = iter(("x", "y", "z", "w"))
    return [Const(ORDER) if p in cls.spec.orders else Var(next(names)) for p in cls.spec.params]


def variables(cls) -> list:
    return [a for a in arguments(cls) if type(a) is Var]


def moving(cls) -> list[int]:
    """The indices of the arguments that are variables."""
    return [i for i, a in enumerate(arguments(cls)) if type(a) is Var]


def call(cls):
    return cls(*arguments(cls))


def argument_values(cls, point) -> list[float]:
    """The float value of every argument at ``point`` (orders included)."""
    return [point[a.name] if type(a) is Var else float(a.value) for a in arguments(cls)]


def sample_points(cls, count: int = 3) -> list[dict]:
    """Up to ``count`` points where the call, its symbolic partials and its oracle partials
    have values (inside the domain, off the kinks)."""
    xs = variables(cls)
    expr = call(cls)

    def check(point):
        expr.evaluate(point)
        [g.evaluate(point) for g in gradient(expr, xs)]
        [local_partial(expr, i, argument_values(cls, point)) for i in moving(cls)]
    return points_with_values([v.name for v in xs], itertools.product(CANDIDATES, repeat=len(xs)),
                              check, count)


def declared_cases() -> list[tuple[str, dict]]:
    """One (formula, point) per built-in function: for the dual-number and tape tests."""
    return [(str(call(cls)), sample_points(cls, 1)[0]) for cls in BUILTIN]


def _sympy_value(expr, point) -> float:
    subs = {sympy.Symbol(k, real=True): sympy.Float(v, 30) for k, v in point.items()}
    return float(expr.subs(subs).evalf(30))


# ------------------------------------------------------------------ every declared function
@pytest.mark.parametrize("cls", BUILTIN, ids=IDS)
def test_derivative_matches_sympy_and_central_differences(cls):
    xs = variables(cls)
    expr = call(cls)
    found = sample_points(cls)
    assert len(found) >= 2, f"{cls.name}: too few points inside the domain to check"
    for point in found:
        for var, symbolic in zip(xs, gradient(expr, xs)):
            got = symbolic.evaluate(point)
            reference = sympy.diff(to_sympy(expr), sympy.Symbol(var.name, real=True))
            assert got == pytest.approx(_sympy_value(reference, point), rel=1e-10, abs=1e-12)
            h = 1e-6 * max(1.0, abs(point[var.name]))
            up, down = ({**point, var.name: point[var.name] + s} for s in (h, -h))
            central = (expr.evaluate(up) - expr.evaluate(down)) / (2 * h)
            assert got == pytest.approx(central, rel=1e-6, abs=1e-7)


@pytest.mark.parametrize("cls", BUILTIN, ids=IDS)
def test_oracle_entry_matches_sympy(cls):
    """The oracles' own float partials (numeric/oracle_partials.py), against SymPy."""
    xs = variables(cls)
    expr = call(cls)
    for point in sample_points(cls):
        values = argument_values(cls, point)
        for i, var in zip(moving(cls), xs):
            reference = sympy.diff(to_sympy(expr), sympy.Symbol(var.name, real=True))
            assert local_partial(expr, i, values) == pytest.approx(
                _sympy_value(reference, point), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("cls", BUILTIN, ids=IDS)
def test_value_matches_sympy_and_mpmath(cls):
    """The float implementation means what the SymPy counterpart and mpmath's name mean."""
    for point in sample_points(cls):
        values = argument_values(cls, point)
        expected = _sympy_value(to_sympy(call(cls)), point)
        assert cls.real(*values) == pytest.approx(expected, rel=1e-14, abs=1e-15)
        if cls.spec.mpmath:
            with mpmath.workdps(30):
                exact = getattr(mpmath, cls.spec.mpmath)(*map(mpmath.mpf, values))
            assert cls.real(*values) == pytest.approx(float(exact), rel=1e-14, abs=1e-15)


@pytest.mark.parametrize("backend", ["math", "numpy"])
@pytest.mark.parametrize("cls", BUILTIN, ids=IDS)
def test_compiled_matches_evaluate(cls, backend):
    xs = variables(cls)
    outputs = [call(cls), *gradient(call(cls), xs)]
    f = lambdify(outputs, xs, backend)
    for point in sample_points(cls):
        got = [float(v) for v in f(**point)]
        assert got == pytest.approx([e.evaluate(point) for e in outputs], rel=1e-12, abs=1e-14)


def _load(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("backend", ["math", "numpy"])
@pytest.mark.parametrize("cls", BUILTIN, ids=IDS)
def test_standalone_source_of_every_function(tmp_path, cls, backend):
    """A module computing the function and its partials: helpers come along, no symdiff."""
    xs = variables(cls)
    outputs = [call(cls), *gradient(call(cls), xs)]
    path = tmp_path / f"{cls.name}_{backend}.py"
    path.write_text(to_python_source(outputs, xs, "f", backend))
    function = _load(path).f
    for point in sample_points(cls):
        got = [float(v) for v in function(*point.values())]
        assert got == pytest.approx([e.evaluate(point) for e in outputs], rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("cls", BUILTIN, ids=IDS)
def test_prints_parses_and_converts_back(cls):
    node = call(cls)
    assert parse(str(node)) is node
    for alias in cls.spec.aliases:
        assert parse(str(node).replace(cls.name, alias, 1)) is node
    assert node.to_latex() and "?" not in node.to_latex()
    assert from_sympy(to_sympy(node)) is node
    assert from_sympy(to_sympy(node, evaluate=True)) is node


@pytest.mark.parametrize("cls", BUILTIN, ids=IDS)
def test_the_declaration_is_complete(cls):
    """Two oracles for every function (its own float partials and SymPy), code for both
    backends, LaTeX, and counterparts that exist where they are named."""
    spec = cls.spec
    assert spec.name in NUMERIC_PARTIALS, f"add {spec.name} to numeric/oracle_partials.py"
    partial = NUMERIC_PARTIALS[spec.name]
    assert callable(partial) if cls.arity == 1 else len(partial) == cls.arity
    assert spec.latex and (spec.sympy or spec.body), "SymPy computes it by name or body"
    assert len(templates(cls)) == cls.arity
    for backend, module in (("math", math), ("numpy", np)):
        form = getattr(spec, backend)
        if not form:
            assert spec.body, f"{spec.name} has no {backend} code form and no body"
            continue
        name = form.split("(")[0]
        helper = getattr(spec, f"{backend}_helper")
        assert helper.startswith(f"def {name}(") if helper else (
            hasattr(module, name) or name in ("abs", "max", "min")), (spec.name, backend)
    sympy_name = spec.sympy.split("(")[0]
    assert not sympy_name or hasattr(sympy, sympy_name)
    if spec.mpmath:
        assert hasattr(mpmath, spec.mpmath)


def test_the_oracle_table_names_only_declared_functions():
    declared = {cls.name for cls in sd.FUNCTIONS.values()}
    assert set(NUMERIC_PARTIALS) - declared == {"pow"}


@pytest.mark.parametrize("cls", BUILTIN, ids=IDS)
def test_shortcuts_and_exact_values(cls):
    """Each stated shortcut holds in the constructor; each exact value is folded."""
    for text in cls.spec.shortcuts:
        left, right = text.split("=")
        assert parse(left) is parse(right), text
    for argument, value in cls.spec.exact_values.items():
        given_value = sd.e if argument == "e" else Const(argument)
        expected = sd.e if value == "e" else Const(value)
        assert cls(given_value) is expected


@pytest.mark.parametrize("cls", [c for c in BUILTIN if c.spec.signs], ids=lambda c: c.name)
def test_sign_facts_hold(cls):
    node = call(cls)
    expected = {"positive": POSITIVE, "nonnegative": NONNEGATIVE, "magnitude": NONNEGATIVE,
                "same": frozenset({-1, 0, 1})}[cls.spec.signs]
    assert signs(node) == expected
    holds = {"positive": lambda v, u: v > 0, "nonnegative": lambda v, u: v >= 0,
             "magnitude": lambda v, u: v >= 0, "same": lambda v, u: v * u > 0 or v == u == 0}
    for point in sample_points(cls, 5):
        assert holds[cls.spec.signs](node.evaluate(point), point["x"]), point
    if cls.spec.signs == "same":
        assert signs(cls(sd.exp(Var("x")))) == POSITIVE
    if cls.spec.signs == "magnitude":
        assert signs(cls(sd.exp(Var("x")) + 1)) == POSITIVE


# ------------------------------------------------------------------ cbrt and sinc
def test_cbrt_is_the_real_cube_root():
    x = Var("x")
    assert parse("cbrt(-8)").evaluate() == -2.0 and parse("cbrt(27.0)") is Const(3.0)
    assert str(parse("cbrt(x)^2")) == "cbrt(x)^2" and parse("cbrt(-1)") is Const(-1)
    assert str(sd.cbrt(x).gradient(x)) == "1/(3*cbrt(x)^2)"
    assert sd.cbrt(x).gradient(x).evaluate(x=-8) == pytest.approx(1 / 12)
    assert parse("cbrt(x)").to_latex() == r"\sqrt[3]{x}"
    with pytest.raises(EvaluationError, match="divides by zero"):
        sd.cbrt(x).gradient(x).evaluate(x=0)          # a vertical tangent at 0
    for backend in ("math", "numpy"):
        assert float(lambdify(sd.cbrt(x), [x], backend)(-8.0)) == -2.0
    assert sd.check("cbrt(x)*y + cbrt(x*y - 3)", hessian=True, points=4).ok


def test_sinc_and_its_derivative_at_zero():
    x = Var("x")
    assert parse("sinc(0)") is Const(1) and parse("sinc(x)").evaluate(x=0.0) == 1.0
    d = sd.sinc(x).gradient(x)
    assert str(d) == "(cos(x) - sinc(x))/x"
    assert d.evaluate(x=0.5) == pytest.approx((0.5 * math.cos(0.5) - math.sin(0.5)) / 0.25)
    with pytest.raises(EvaluationError, match="divides by zero"):
        d.evaluate(x=0.0)                              # 0/0: symdiff's formula, undefined
    assert sd.evaluate_dual(sd.sinc(x), {"x": 0.0}, {"x": 1.0}) == (1.0, 0.0)   # its limit
    with warnings.catch_warnings():
        warnings.simplefilter("error")                 # no 0/0 warning from the helper
        grid = lambdify(sd.sinc(x), [x])(np.array([0.0, 0.5, -2.0]))
    np.testing.assert_allclose(grid, [1.0, math.sin(0.5) / 0.5, math.sin(-2.0) / -2.0])
    assert lambdify(sd.sinc(x), [x], "math")(0.0) == 1.0
    assert sd.check("sinc(x*y) + sinc(x)^2", hessian=True, points=4).ok


def test_cbrt_and_sinc_round_trips():
    for text, latex in (("cbrt(x^2 + 1)", r"\sqrt[3]{x^{2} + 1}"),
                        ("sinc(2*x)", r"\operatorname{sinc}\left(2 x\right)"),
                        ("cbrt(x)^2 + sinc(x)^3",
                         r"\left(\operatorname{sinc}\left(x\right)\right)^{3} + "
                         r"\left(\sqrt[3]{x}\right)^{2}")):
        expr = parse(text)
        assert parse(str(expr)) is expr and expr.to_latex() == latex
        assert from_sympy(to_sympy(expr)) is expr
    x = sympy.Symbol("x", real=True)
    derivative = sympy.diff(to_sympy(parse("cbrt(x)")), x)
    assert float(derivative.subs(x, -8)) == pytest.approx(1 / 12)


# ------------------------------------------------------------------ the partials table
def test_partials_are_read_from_the_declarations():
    x, y = Var("x"), Var("y")
    assert str(partials_of(sd.tanh(x), [0])[0]) == "1 - tanh(x)^2"
    assert [str(p) for p in partials_of(sd.Max(x, y), [0, 1])] == [
        "sign(x - y)/2 + 1/2", "1/2 - sign(x - y)/2"]
    assert partials_of(sd.exp(x), [0])[0] is sd.exp(x)
    assert [str(p) for p in partials_of(x ** y, [0, 1])] == ["x^(y - 1)*y", "x^y*log(x)"]
    assert partials_of(sd.sign(x), [0])[0] is Const(0)
    with pytest.raises(TypeError, match="not a declared function"):
        partials_of(x + y, [0])


def test_building_a_partial_builds_only_its_own_nodes():
    """tanh's partial 1 - tanh(u)^2 on a fresh argument: three new nodes (the square, its
    negation, the sum), no walk and no substitution."""
    node = sd.tanh(Var("fresh_partial_argument"))
    partials_of(sd.tanh(Var("x")), [0])
    before = nodes_created()
    partials_of(node, [0])
    assert nodes_created() - before == 3


def test_a_replaced_partial_is_put_back():
    x = Var("x")
    with replaced_partials(sd.Sin, "-cos(u)"):
        assert str(sd.sin(x).gradient(x)) == "-cos(x)"
    assert str(sd.sin(x).gradient(x)) == "cos(x)"
    with pytest.raises(ValueError):
        with replaced_partials(sd.Max, "1"):
            pass


# ------------------------------------------------------------------ define_function
_COUNT = itertools.count()


def unique(name: str) -> str:
    """A name no other test uses: definitions are for the whole process."""
    return f"{name}_{next(_COUNT)}"


def test_a_function_defined_by_a_formula_works_everywhere(tmp_path):
    name = unique("softplus")
    softplus = define_function(name, ["u"], "log(1 + exp(u))")
    x, y = Var("x"), Var("y")
    f = parse(f"{name}(x^2)*y")
    assert f is softplus(x ** 2) * y and str(f) == f"y*{name}(x^2)"
    assert parse(str(f)) is f
    assert f.to_latex() == rf"y \operatorname{{{name.replace('_', chr(92) + '_')}}}\left(x^{{2}}\right)"
    body = parse("log(1 + exp(x^2))*y")
    point = {"x": 0.4, "y": -1.3}
    assert f.evaluate(point) == pytest.approx(body.evaluate(point), rel=1e-15)
    assert [g.evaluate(point) for g in gradient(f, [x, y])] == pytest.approx(
        [g.evaluate(point) for g in gradient(body, [x, y])], rel=1e-14)
    assert [[h.evaluate(point) for h in row] for row in hessian(f, [x, y])] == [
        pytest.approx([h.evaluate(point) for h in row], rel=1e-13) for row in hessian(body, [x, y])]
    for backend in ("math", "numpy"):
        compiled = lambdify([f, *gradient(f, [x, y])], [x, y], backend)
        assert [float(v) for v in compiled(**point)] == pytest.approx(
            [f.evaluate(point), *(g.evaluate(point) for g in gradient(f, [x, y]))], rel=1e-13)
        path = tmp_path / f"{name}_{backend}.py"
        path.write_text(to_python_source(f, [x, y], "g", backend))
        assert float(_load(path).g(0.4, -1.3)) == pytest.approx(f.evaluate(point), rel=1e-13)
    converted = to_sympy(f)
    assert str(converted) == f"y*{name}(x**2)" and from_sympy(converted) is f
    assert float(converted.evalf(30, subs={sympy.Symbol("x", real=True): 0.4,
                                            sympy.Symbol("y", real=True): -1.3})) == \
        pytest.approx(f.evaluate(point), rel=1e-14)
    report = sd.check(f, hessian=True, points=4)
    assert report.ok and all(m.compared == 4 for m in report.methods)
    assert define_function(name, "u", "log(1 + exp(u))") is softplus     # the same again


def test_a_function_defined_by_partials_and_a_float_implementation():
    name = unique("erf")
    erf = define_function(name, "u", partials=["2*exp(-u^2)/sqrt(pi)"], real=math.erf,
                          math="erf", sympy="erf", mpmath="erf", signs="same",
                          latex=r"\operatorname{erf}")
    x, y = Var("x"), Var("y")
    f = erf(x * y) + sd.sin(x)
    assert str(erf(x).gradient(x)) == "2*exp(-x^2)/sqrt(pi)"
    assert signs(erf(sd.exp(x))) == POSITIVE
    point = {"x": 0.3, "y": 1.7}
    assert f.evaluate(point) == pytest.approx(math.erf(0.51) + math.sin(0.3))
    for backend in ("math", "numpy"):                 # numpy: through math.erf, elementwise
        assert float(lambdify(f, [x, y], backend)(0.3, 1.7)) == pytest.approx(f.evaluate(point))
    assert "from math import erf, sin" in to_python_source(f, [x, y], "g", "math")
    with pytest.raises(ValueError, match="no standalone source"):
        to_python_source(f, [x, y], "g", "numpy")
    assert to_sympy(erf(x)) == sympy.erf(sympy.Symbol("x", real=True))
    assert from_sympy(to_sympy(f)) is sd.erf(x * y) + sd.sin(x)     # SymPy's erf: the built-in
    report = sd.check(f, hessian=True, points=3)
    assert report.ok and all(m.compared == 3 for m in report.methods)


def _hypot_partials():
    return (lambda a, b: a / math.hypot(a, b), lambda a, b: b / math.hypot(a, b))


HYPOT_PARTIALS = _hypot_partials()


def test_a_two_argument_function_that_uses_itself_in_its_partials():
    name = unique("hyp")
    hyp = define_function(name, "a, b", partials=[f"a/{name}(a, b)", f"b/{name}(a, b)"],
                          real=math.hypot, numeric_partials=HYPOT_PARTIALS, math="hypot",
                          numpy="hypot", signs="nonnegative")
    x, y = Var("x"), Var("y")
    f = hyp(x, y ** 2)
    assert [str(g) for g in gradient(f, [x, y])] == [f"x/{name}(x, y^2)",
                                                     f"2*y^3/{name}(x, y^2)"]
    assert lambdify(gradient(f, [x, y]), [x, y])(3.0, 2.0) == pytest.approx([0.6, 3.2])
    report = sd.check(f, hessian=True, points=3)    # SymPy: an undefined function, skipped
    assert report.ok and report.methods[1].compared == 3
    assert str(to_sympy(f)) == f"{name}(x, y**2)" and from_sympy(to_sympy(f)) is f


def test_a_wrong_partial_of_a_defined_function_is_caught():
    name = unique("cube")
    cube = define_function(name, "u", partials=["2*u^2"], real=lambda u: u ** 3)
    report = sd.check(cube(Var("x")), points=3)
    assert not report.ok and "dual numbers" in report.verdict()


BAD_DEFINITIONS = [
    (("sin", "u", "u^2"), {}, "built-in function"),
    (("ln", "u", "u^2"), {}, "built-in function"),
    (("pi", "u", "u^2"), {}, "constant"),
    (("sqrt", "u", "u^2"), {}, "builds other nodes"),
    (("2f", "u", "u^2"), {}, "not a valid function name"),
    (("lambda", "u", "u^2"), {}, "not a valid name"),
    (("f_bad1", "u", "u^2 + v"), {}, "uses v, which is not among the parameters"),
    (("f_bad2", "u", "u^"), {}, "unexpected end"),
    (("f_bad3", "e", "e^2"), {}, "is a constant"),
    (("f_bad4", "u, u", "u"), {}, "distinct"),
    (("f_bad5", "u"), {}, "either a body"),
    (("f_bad6", "u"), {"partials": ["1"]}, "needs a float implementation"),
    (("f_bad7", "u", "u"), {"real": abs}, "either a body"),
    (("f_bad8", "u"), {"partials": ["1", "2"], "real": abs}, "one partial derivative per"),
    (("f_bad9", "u"), {"partials": ["w"], "real": abs}, "not among the parameters"),
    (("f_bad10", "u"), {"partials": ["1"], "real": abs, "numpy": "a b"}, "not a name or a call"),
    (("f_bad11", "u"), {"partials": ["1"], "real": abs, "signs": "odd"}, "signs must be"),
]


@pytest.mark.parametrize("args, options, message", BAD_DEFINITIONS,
                         ids=[a[0][0] + ":" + a[2] for a in BAD_DEFINITIONS])
def test_bad_definitions_are_clear_errors(args, options, message):
    with pytest.raises(ValueError, match=message):
        define_function(*args, **options)
    assert args[0] not in sd.FUNCTIONS or args[0] in ("sin", "pi", "sqrt")


def test_a_name_cannot_change_its_meaning():
    name = unique("twice")
    twice = define_function(name, "u", "2*u")
    node = twice(Var("x"))
    with pytest.raises(ValueError, match="already defined, differently"):
        define_function(name, "u", "3*u")
    assert define_function(name, ["u"], "2*u") is twice
    assert node.evaluate(x=2) == 4.0
    with pytest.raises(ValueError, match="already the name of a function"):
        define_function(unique("other"), "u", "u", aliases=[name])


def test_a_failed_definition_leaves_the_name_free():
    name = unique("retry")
    with pytest.raises(ValueError):
        define_function(name, "u", partials=["v"], real=abs)
    assert name not in sd.FUNCTIONS
    assert define_function(name, "u", "abs(u)")(Var("x")).evaluate(x=-2) == 2.0


def test_a_formula_undefined_at_a_point_says_so():
    name = unique("logm")
    f = define_function(name, "u", "log(u - 1)")(Var("x"))
    with pytest.raises(EvaluationError, match=rf"{name}\(x\) is undefined here.*log needs"):
        f.evaluate(x=0.5)


@PROPERTY
@given(formulas(depth=3), points)
def test_a_defined_function_is_its_formula(body, point):
    """f(x, y, z) = body: the same value, gradient and compiled value as the body. (Exact
    constants only: a definition keeps its nodes for good, and a float zero kept alive
    would decide the sign of 0.0 in the intern table for the tests after this one.)"""
    assume(body.free_vars and well_conditioned(body, point))
    assume(not any(type(n) is Const and isinstance(n.value, float) for n in sd.topological(body)))
    xs = [Var("x"), Var("y"), Var("z")]
    f = define_function(unique("prop"), "x, y, z", str(body))(*xs)
    expected = value_at(body, point)
    assume(expected is not None)
    assert f.evaluate(point) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    try:
        wanted = [g.evaluate(point) for g in gradient(body, xs)]
    except (EvaluationError, sd.UndefinedError):   # d/dx 0^x = 0^x*log(0): no value
        return
    got = [g.evaluate(point) for g in gradient(f, xs)]
    assert got == pytest.approx(wanted, rel=1e-9, abs=1e-9)
    assert lambdify(f, xs, "math")(**point) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("typed, meant", [("sincq", "sinc"), ("cbrtt", "cbrt"), ("sinq", "sin")])
def test_new_functions_are_suggested(typed, meant):
    with pytest.raises(sd.ParseError, match=f"did you mean '{meant}'"):
        parse(f"{typed}(x)")
    with pytest.raises(sd.ParseError, match=f"'{meant}' is a function"):
        parse(f"{meant} + 1")
