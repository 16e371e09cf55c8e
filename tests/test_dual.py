"""Dual numbers: the seeds' arithmetic, and numeric forward mode checked function by function
against SymPy and central differences (``CASES`` is shared with the tape's tests)."""
import functools
import math

import pytest
import sympy

from symdiff import Dual, EvaluationError, Function, Pow, Sin, Var, evaluate_dual, parse, topological
from symdiff.core.functions import BUILTIN
from symdiff.numeric.oracle_partials import NUMERIC_PARTIALS
from symdiff.interop.sympy_bridge import to_sympy
from test_derivative_rules import KINKS
from test_functions import declared_cases

# ------------------------------------------------------------------ arithmetic
# expression on duals => expected dual (value, derivative)
ARITHMETIC = [
    (lambda: Dual(3, 4) * Dual(5, 7),        Dual(15, 41)),     # seed 004: (3+4ε)(5+7ε)
    (lambda: Dual(3, 4) + 3,                 Dual(6, 4)),       # seed 004: (3+4ε)+3
    (lambda: 3 + Dual(3, 4),                 Dual(6, 4)),
    (lambda: Dual(3, 4) + Dual(5, 7),        Dual(8, 11)),
    (lambda: Dual(3, 4) - Dual(5, 7),        Dual(-2, -3)),
    (lambda: 10 - Dual(3, 4),                Dual(7, -4)),
    (lambda: 2 * Dual(3, 4),                 Dual(6, 8)),
    (lambda: Dual(6, 1) / Dual(2, 1),        Dual(3.0, -1.0)),  # (1*2 - 6*1)/2^2
    (lambda: 1 / Dual(2, 1),                 Dual(0.5, -0.25)),
    (lambda: Dual(3, 4) / 2,                 Dual(1.5, 2.0)),
    (lambda: Dual(3, 1) ** 2,                Dual(9, 6)),
    (lambda: Dual(-2, 1) ** 3,               Dual(-8, 12)),     # no log of a negative base
    (lambda: Dual(4.0, 1) ** 0.5,            Dual(2.0, 0.25)),
    (lambda: Dual(2, 1) ** 0,                Dual(1, 0)),
    (lambda: 2 ** Dual(3, 1),                Dual(8, 8 * math.log(2))),
    (lambda: Dual(2, 1) ** Dual(3, 0),       Dual(8, 12)),
    (lambda: -Dual(3, 4),                    Dual(-3, -4)),
    (lambda: +Dual(3, 4),                    Dual(3, 4)),
    (lambda: abs(Dual(-3, 4)),               Dual(3, -4)),
    (lambda: abs(Dual(0, 4)),                Dual(0, 0)),       # d|u| = sign(u) du, 0 at 0
    (lambda: max(Dual(1, 2), Dual(3, 4)),    Dual(3, 4)),
]


@pytest.mark.parametrize("make, expected", ARITHMETIC)
def test_dual_arithmetic(make, expected):
    got = make()
    assert (got.value, got.eps) == pytest.approx((expected.value, expected.eps), rel=1e-15)


def test_repr_equality_and_order():
    assert repr(Dual(3, 4) * Dual(5, 7)) == "Dual(15, 41)"
    assert Dual(3, 0) == 3 and Dual(3, 1) != 3 and Dual(3, 1) != Dual(3, 2)
    assert hash(Dual(3, 0)) == hash(3) and len({Dual(1, 2), Dual(1, 2)}) == 1
    assert Dual(1, 5) < Dual(2, 0) <= 2 and Dual(3, 0) > 2.5 >= Dual(1, 9)
    assert Dual(1, 2).__eq__("1") is NotImplemented


def test_power_that_is_not_real_is_an_error_not_a_complex_number():
    with pytest.raises(ValueError, match="not real"):
        Dual(-8.0, 1) ** (1 / 3)


# ------------------------------------------------------------------ every function
CASES = [
    # formula                          point
    ("sin(x)",                         {"x": 0.7}),
    ("cos(x)",                         {"x": 0.7}),
    ("tan(x)",                         {"x": 0.7}),
    ("sec(x)",                         {"x": 0.7}),
    ("csc(x)",                         {"x": 0.7}),
    ("cot(x)",                         {"x": 0.7}),
    ("asin(x)",                        {"x": 0.3}),
    ("acos(x)",                        {"x": -0.6}),
    ("atan(x)",                        {"x": 2.5}),
    ("sinh(x)",                        {"x": 1.2}),
    ("cosh(x)",                        {"x": -1.2}),
    ("tanh(x)",                        {"x": 0.4}),
    ("asinh(x)",                       {"x": -2.2}),
    ("acosh(x)",                       {"x": 1.7}),
    ("atanh(x)",                       {"x": 0.4}),
    ("exp(x)",                         {"x": 0.9}),
    ("log(x)",                         {"x": 0.9}),
    ("abs(x)",                         {"x": -1.3}),
    ("abs(x)",                         {"x": 0.8}),
    ("sign(x)",                        {"x": 0.6}),
    ("step(x)",                        {"x": -0.4}),
    ("relu(x)",                        {"x": 0.9}),
    ("relu(x)",                        {"x": -0.9}),
    ("max(x, y)",                      {"x": 1.5, "y": 0.5}),
    ("min(x, y)",                      {"x": 1.5, "y": 0.5}),
    ("x^3",                            {"x": -1.4}),
    ("x^-2",                           {"x": 0.6}),
    ("x^(1/3)",                        {"x": 2.2}),
    ("sqrt(x)",                        {"x": 2.3}),
    ("x^2.5",                          {"x": 1.7}),
    ("x^y",                            {"x": 1.6, "y": 2.3}),
    ("x^x",                            {"x": 0.8}),
    ("2^x",                            {"x": 1.1}),
    ("pi^(x*y)",                       {"x": 0.5, "y": -0.8}),
    ("x*y*z",                          {"x": 0.7, "y": 1.3, "z": -2.1}),
    ("x*y*z*sin(x)*exp(y)*(x + z)",    {"x": 0.7, "y": 1.3, "z": -2.1}),
    ("x/y - 3*y + 2",                  {"x": 0.7, "y": 1.3}),
    ("sin(cos(tan(x)))",               {"x": 0.4}),
    ("exp(sin(x)*log(y))",             {"x": 0.4, "y": 2.2}),
    ("atanh(tanh(x)/2)^3",             {"x": 0.8}),
    ("sec(x)^2 - csc(x)*cot(x)",       {"x": 1.1}),
    ("max(sin(x), cos(x))*relu(y - x)", {"x": 0.3, "y": 1.1}),
]
# ... and each declared function alone, at a point inside its domain (read from the
# registry: a new declaration gets its case here without a line).
CASES += [case for case in declared_cases() if case[0] not in {text for text, _ in CASES}]
TOLERANCE = {"rel": 1e-10, "abs": 1e-12}         # both exact up to rounding
FD_TOLERANCE = {"rel": 1e-6, "abs": 1e-7}


def case_id(case):
    return f"{case[0]} at {case[1]}"


@functools.lru_cache(maxsize=None)
def sympy_gradient(text, point_items):
    """SymPy's partial derivatives at the point, to 30 digits."""
    point = dict(point_items)
    symbols = {name: sympy.Symbol(name, real=True) for name in point}
    f = to_sympy(parse(text))
    subs = {symbols[n]: v for n, v in point.items()}
    return [float(sympy.diff(f, symbols[n]).evalf(30, subs=subs)) for n in point]


def central_differences(text, point):
    f, result = parse(text), []
    for name, x in point.items():
        h = 1e-6 * max(1.0, abs(x))
        result.append((f.evaluate({**point, name: x + h})
                       - f.evaluate({**point, name: x - h})) / (2 * h))
    return result


def dual_gradient(text, point):
    return [evaluate_dual(parse(text), point, {name: 1})[1] for name in point]


@pytest.mark.parametrize("text, point", CASES, ids=map(case_id, CASES))
def test_dual_derivative_matches_sympy(text, point):
    assert dual_gradient(text, point) == pytest.approx(
        sympy_gradient(text, tuple(point.items())), **TOLERANCE)


@pytest.mark.parametrize("text, point", CASES, ids=map(case_id, CASES))
def test_dual_derivative_matches_central_differences(text, point):
    assert dual_gradient(text, point) == pytest.approx(central_differences(text, point),
                                                       **FD_TOLERANCE)


def test_every_numeric_partial_has_a_case():
    covered = {"pow" if type(node) is Pow else node.name for text, _ in CASES
               for node in topological(parse(text)) if isinstance(node, (Pow, Function))}
    missing = ({"pow"} | {cls.name for cls in BUILTIN}) - covered
    assert not missing, f"add a CASES line for {sorted(missing)}"
    assert {"pow"} | {cls.name for cls in BUILTIN} <= set(NUMERIC_PARTIALS)


@pytest.mark.parametrize("text, var, point, expected", KINKS,
                         ids=[f"{k[0]} at {k[2]}" for k in KINKS])
def test_kink_conventions_match_the_symbolic_table(text, var, point, expected):
    """At kinks the same conventions as derivatives.py: |u|' = sign(u), relu' = step(u),
    max and min split ties half and half, sign' = step' = 0."""
    assert evaluate_dual(parse(text), point, {var: 1})[1] == float(expected)


# ------------------------------------------------------------------ evaluation
def test_value_is_the_same_float_as_evaluate():
    f = parse("x^2*exp(-x)*y + sin(x*y)/(1 + y^2) + 0.1 + 0.2 + x")
    point = {"x": 0.3, "y": -1.7}
    assert evaluate_dual(f, point, {})[0] == f.evaluate(point)


def test_a_direction_gives_the_directional_derivative():
    f = parse("x^2*y + y + 2")
    assert evaluate_dual(f, {"x": 3, "y": 4}, {"x": 1}) == (42.0, 24.0)
    assert evaluate_dual(f, {"x": 3, "y": 4}, {Var("x"): 2, "y": -1}) == (42.0, 38.0)


def test_outside_the_domain_is_an_evaluation_error_with_evaluates_message():
    f = parse("log(x - 2)")
    with pytest.raises(EvaluationError) as expected:
        f.evaluate(x=1)
    with pytest.raises(EvaluationError) as got:
        evaluate_dual(f, {"x": 1}, {"x": 1})
    assert str(got.value) == str(expected.value)


def test_a_point_with_a_value_but_no_derivative_is_an_evaluation_error():
    with pytest.raises(EvaluationError, match=r"derivative of sqrt\(x\) is undefined"):
        evaluate_dual(parse("sqrt(x)"), {"x": 0}, {"x": 1})
    with pytest.raises(EvaluationError, match="derivative of asin"):
        evaluate_dual(parse("asin(x)"), {"x": 1}, {"x": 1})
    # a term whose tangent is 0 is never evaluated: d/dx (x + sqrt(y)) at y = 0 is 1
    assert evaluate_dual(parse("x + sqrt(y)"), {"x": 1, "y": 0}, {"x": 1}) == (1.0, 1.0)


def test_overflow_is_an_evaluation_error():
    with pytest.raises(EvaluationError, match="overflows"):
        evaluate_dual(parse("exp(x^2)"), {"x": 26.7}, {"x": 1})
    with pytest.raises(EvaluationError, match="the derivative is not finite"):
        evaluate_dual(parse("1e300*sin(1e300*x)"), {"x": 1}, {"x": 1})


def test_missing_variable():
    with pytest.raises(EvaluationError, match="no value for variable 'y'"):
        evaluate_dual(parse("x*y"), {"x": 1}, {"x": 1})


@pytest.mark.slow
def test_100000_nested_sines_without_recursion():
    expr = Var("x")
    for _ in range(100_000):
        expr = Sin(expr)
    inner, product = 0.5, 1.0
    for _ in range(100_000):
        product *= math.cos(inner)
        inner = math.sin(inner)
    value, derivative = evaluate_dual(expr, {"x": 0.5}, {"x": 1})
    assert value == pytest.approx(inner, rel=1e-12)
    assert derivative == pytest.approx(product, rel=1e-12)
