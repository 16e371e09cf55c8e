"""Derivative rules, checked against two oracles: SymPy and central finite differences.

One case per line: formula, variable, a point inside the domain: operators, powers, chains,
aliases and every function of the original table. (Each declared function alone is checked
the same way by tests/test_functions.py, which reads the registry, so a new declaration is
covered without a line here.) At kinks the derivative does not exist, so there the table
states symdiff's convention and nothing else is consulted.
"""
from fractions import Fraction

import pytest
import sympy

from symdiff import Const, Pow, parse, topological
from symdiff.core.functions import BUILTIN
from symdiff.interop.sympy_bridge import to_sympy

RULES = [
    # formula                       var  point
    ("x + y",                       "x", {"x": 0.7, "y": 1.3}),
    ("x - 3*y + 2",                 "y", {"x": 0.7, "y": 1.3}),
    ("x*y",                         "x", {"x": 0.7, "y": 1.3}),
    ("3*x*y*z",                     "z", {"x": 0.7, "y": 1.3, "z": -2.1}),
    ("x/y",                         "y", {"x": 0.7, "y": 1.3}),
    ("x^3",                         "x", {"x": -1.4}),
    ("x^-2",                        "x", {"x": 0.6}),
    ("x^(1/3)",                     "x", {"x": 2.2}),
    ("x^2.5",                       "x", {"x": 1.7}),
    ("(x^2 + 1)^-1.5",              "x", {"x": 0.9}),
    ("x^y",                         "x", {"x": 1.6, "y": 2.3}),
    ("x^y",                         "y", {"x": 1.6, "y": 2.3}),
    ("x^x",                         "x", {"x": 0.8}),
    ("2^x",                         "x", {"x": 1.1}),
    ("pi^(x*y)",                    "y", {"x": 0.5, "y": -0.8}),
    ("e^(x^2)",                     "x", {"x": 0.9}),
    ("pow(x, y)",                   "y", {"x": 2.5, "y": 0.4}),
    ("div(x, y)",                   "y", {"x": 2.5, "y": 0.4}),
    ("sqrt(x)",                     "x", {"x": 2.3}),
    ("1/sqrt(x)",                   "x", {"x": 0.3}),
    ("sqrt(x^2 + y^2)",             "y", {"x": 1.2, "y": -0.5}),
    ("sin(x)",                      "x", {"x": 0.7}),
    ("cos(x)",                      "x", {"x": 0.7}),
    ("tan(x)",                      "x", {"x": 0.7}),
    ("sec(x)",                      "x", {"x": 0.7}),
    ("csc(x)",                      "x", {"x": 0.7}),
    ("cot(x)",                      "x", {"x": 0.7}),
    ("asin(x)",                     "x", {"x": 0.3}),
    ("acos(x)",                     "x", {"x": -0.6}),
    ("atan(x)",                     "x", {"x": 2.5}),
    ("arcsin(x)",                   "x", {"x": -0.2}),
    ("sinh(x)",                     "x", {"x": 1.2}),
    ("cosh(x)",                     "x", {"x": -1.2}),
    ("tanh(x)",                     "x", {"x": 0.4}),
    ("asinh(x)",                    "x", {"x": -2.2}),
    ("acosh(x)",                    "x", {"x": 1.7}),
    ("atanh(x)",                    "x", {"x": 0.4}),
    ("exp(x)",                      "x", {"x": 0.9}),
    ("log(x)",                      "x", {"x": 0.9}),
    ("ln(x*y)",                     "y", {"x": 0.9, "y": 3.5}),
    ("abs(x)",                      "x", {"x": -1.3}),
    ("abs(x)",                      "x", {"x": 0.8}),
    ("sign(x)",                     "x", {"x": 0.6}),
    ("step(x)",                     "x", {"x": -0.4}),
    ("relu(x)",                     "x", {"x": 0.9}),
    ("relu(x)",                     "x", {"x": -0.9}),
    ("max(x, y)",                   "x", {"x": 1.5, "y": 0.5}),
    ("max(x, y)",                   "y", {"x": 1.5, "y": 0.5}),
    ("min(x, y)",                   "x", {"x": 1.5, "y": 0.5}),
    ("min(x, y)",                   "y", {"x": 1.5, "y": 0.5}),
    ("sin(cos(tan(x)))",            "x", {"x": 0.4}),
    ("sin(x^2)",                    "x", {"x": 1.3}),
    ("exp(sin(x)*log(y))",          "y", {"x": 0.4, "y": 2.2}),
    ("log(abs(x))",                 "x", {"x": -2.5}),
    ("atan(y/x)",                   "x", {"x": -1.5, "y": 0.7}),
    ("sqrt(1 - sin(x)^2)",          "x", {"x": 0.6}),
    ("tanh(asinh(x*y))",            "y", {"x": 0.6, "y": 1.9}),
    ("acosh(cosh(x) + 1)",          "x", {"x": 0.3}),
    ("asin(x/2)*acos(x/3)",         "x", {"x": 1.1}),
    ("sec(x)^2 - csc(x)*cot(x)",    "x", {"x": 1.1}),
    ("abs(x^3 - y)",                "y", {"x": 0.5, "y": 0.9}),
    ("relu(sin(x))*step(x - 1)",    "x", {"x": 2.0}),
    ("max(sin(x), cos(x))",         "x", {"x": 0.3}),
    ("min(x^2, exp(y))",            "y", {"x": 1.5, "y": 0.2}),
    ("sign(x - y)*x^2",             "x", {"x": 1.5, "y": 0.2}),
    ("atanh(tanh(x)/2)^3",          "x", {"x": 0.8}),
]

KINKS = [
    # formula                       var  point                    => derivative (convention)
    ("abs(x)",                      "x", {"x": 0},                   0),
    ("abs(x^2 - 1)",                "x", {"x": 1},                   0),
    ("relu(x)",                     "x", {"x": 0},                   0),
    ("relu(x - y)",                 "y", {"x": 2, "y": 2},           0),
    ("max(x, 0)",                   "x", {"x": 0},                   Fraction(1, 2)),
    ("max(x, y)",                   "x", {"x": 1, "y": 1},           Fraction(1, 2)),
    ("max(x, y)",                   "y", {"x": 1, "y": 1},           Fraction(1, 2)),
    ("min(x, y)",                   "x", {"x": -3, "y": -3},         Fraction(1, 2)),
    ("min(x, y)",                   "y", {"x": -3, "y": -3},         Fraction(1, 2)),
    ("max(2*x, x + 1)",             "x", {"x": 1},                   Fraction(3, 2)),
    ("sign(x)",                     "x", {"x": 0},                   0),
    ("sign(x)",                     "x", {"x": 5},                   0),
    ("step(x)",                     "x", {"x": 0},                   0),
    ("step(x)",                     "x", {"x": -5},                  0),
]

SYMPY_TOLERANCE = {"rel": 1e-10, "abs": 1e-12}     # both exact; only float rounding differs
FD_TOLERANCE = {"rel": 1e-6, "abs": 1e-7}          # truncation ~h^2, rounding ~1e-16/h


def _case_id(case):
    return f"d({case[0]})/d{case[1]}"


def _sympy_derivative(text, var, point):
    derivative = sympy.diff(to_sympy(parse(text)), sympy.Symbol(var, real=True))
    value = derivative.evalf(30, subs={sympy.Symbol(k, real=True): v for k, v in point.items()})
    return float(value)


def _central_difference(text, var, point):
    f = parse(text)
    h = 1e-6 * max(1.0, abs(point[var]))
    return (f.evaluate({**point, var: point[var] + h})
            - f.evaluate({**point, var: point[var] - h})) / (2 * h)


@pytest.mark.parametrize("text, var, point", RULES, ids=map(_case_id, RULES))
def test_rule_matches_sympy(text, var, point):
    got = parse(text).gradient(var).evaluate(point)
    assert got == pytest.approx(_sympy_derivative(text, var, point), **SYMPY_TOLERANCE)


@pytest.mark.parametrize("text, var, point", RULES, ids=map(_case_id, RULES))
def test_rule_matches_finite_differences(text, var, point):
    got = parse(text).gradient(var).evaluate(point)
    assert got == pytest.approx(_central_difference(text, var, point), **FD_TOLERANCE)


@pytest.mark.parametrize("text, var, point, expected", KINKS, ids=map(_case_id, KINKS))
def test_kink_convention(text, var, point, expected):
    assert parse(text).gradient(var).evaluate(point) == float(expected)


def _node_types(table):
    return {type(node) for case in table for node in topological(parse(case[0]))}


def test_powers_and_the_piecewise_functions_have_cases():
    needed = {Pow} | {cls for cls in BUILTIN if cls.spec.compares}
    missing = needed - _node_types(RULES)
    assert not missing, f"add a RULES line for {sorted(cls.__name__ for cls in missing)}"


def test_powers_with_constant_and_variable_exponents_have_cases():
    powers = [node for case in RULES for node in topological(parse(case[0])) if type(node) is Pow]
    assert any(type(p.args[1]) is Const for p in powers)
    assert any(type(p.args[1]) is not Const for p in powers)
    assert any(p.args[1] is Const(Fraction(1, 2)) for p in powers)      # sqrt


def test_every_kink_function_has_a_convention_case():
    kinked = {cls for cls in BUILTIN if cls.spec.compares}
    assert {cls.name for cls in kinked} == {"abs", "relu", "max", "min", "sign", "step"}
    assert all(cls.spec.kinks for cls in kinked)
    assert kinked <= _node_types(KINKS)
