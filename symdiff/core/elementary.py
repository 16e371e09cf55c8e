"""The smooth elementary functions, one declaration each (``declarations.FunctionSpec``).

Adding a function is adding a declaration here (and its line in the oracles' own table,
``numeric/oracle_partials.py``): the parser, printers, derivatives, evaluation, code
generation, the SymPy bridge and sign analysis all read it. A function applied to float
constants is folded to a float; exact arguments stay symbolic (``sin(2)``) except for the
declared exact values (``sin(0) = 0``, ``exp(1) = e``).
"""
from __future__ import annotations

import math

from .declarations import FunctionSpec


def _reciprocal(f, name):
    """1/f(u), with the pole named: sec, csc and cot."""
    def real(u):
        value = f(u)
        if value == 0:
            raise ZeroDivisionError(f"{name} has a pole here")
        return 1.0 / value
    return real


def _log(u: float) -> float:
    if u <= 0:
        raise ValueError("log needs a positive argument")
    return math.log(u)


def _cube_root(u: float) -> float:
    """The real cube root: pow's estimate and a Newton step, as the math helper computes
    it (math.cbrt, from Python 3.11, is further from correct rounding: 27^(1/3) > 3)."""
    root = math.copysign(abs(u) ** (1 / 3), u)
    if root == 0 or abs(u) > 1e300:
        return root
    return root - (root * root * root - u) / (3 * root * root)


def _sinc(u: float) -> float:
    return math.sin(u) / u if u != 0 else 1.0


CBRT_HELPER = '''def cbrt(u):
    """The real cube root: cbrt(-8) = -2."""
    root = copysign(abs(u) ** (1.0 / 3.0), u)
    if root == 0.0 or abs(u) > 1e300:
        return root
    return root - (root * root * root - u) / (3.0 * root * root)
'''
SINC_HELPER = '''def sinc(u):
    """sin(u)/u, with sinc(0) = 1."""
    return sin(u) / u if u != 0.0 else 1.0
'''
SINC_NUMPY_HELPER = '''def sinc(u, out):
    """sin(u)/u, with sinc(0) = 1 (numpy's own sinc is sin(pi*u)/(pi*u))."""
    zero = equal(u, 0.0)
    divide(sin(u), where(zero, 1.0, u), out=out)
    copyto(out, 1.0, where=zero)
    return out
'''

ELEMENTARY = (
    FunctionSpec("sin", partials=["cos(u)"], real=math.sin, exact_values={0: 0},
                 math="sin", numpy="sin", mpmath="sin", latex=r"\sin", sympy="sin"),
    FunctionSpec("cos", partials=["-sin(u)"], real=math.cos, exact_values={0: 1},
                 math="cos", numpy="cos", mpmath="cos", latex=r"\cos", sympy="cos"),
    FunctionSpec("tan", partials=["1 + tan(u)^2"], real=math.tan, exact_values={0: 0},
                 math="tan", numpy="tan", mpmath="tan", latex=r"\tan", sympy="tan"),
    FunctionSpec("sec", partials=["sec(u)*tan(u)"], real=_reciprocal(math.cos, "sec"),
                 domain="cos(argument) != 0", exact_values={0: 1}, body="1/cos(u)",
                 mpmath="sec", latex=r"\sec", sympy="sec"),
    FunctionSpec("csc", partials=["-csc(u)*cot(u)"], real=_reciprocal(math.sin, "csc"),
                 domain="sin(argument) != 0", body="1/sin(u)",
                 mpmath="csc", latex=r"\csc", sympy="csc"),
    FunctionSpec("cot", partials=["-(1 + cot(u)^2)"], real=_reciprocal(math.tan, "cot"),
                 domain="tan(argument) != 0", body="1/tan(u)",
                 mpmath="cot", latex=r"\cot", sympy="cot"),
    FunctionSpec("asin", aliases=["arcsin"], partials=["1/sqrt(1 - u^2)"], real=math.asin,
                 domain="an argument in [-1, 1]", exact_values={0: 0},
                 math="asin", numpy="arcsin", mpmath="asin", latex=r"\arcsin", sympy="asin",
                 kinks="not differentiable at u = -1 and u = 1 (vertical tangents)"),
    FunctionSpec("acos", aliases=["arccos"], partials=["-1/sqrt(1 - u^2)"], real=math.acos,
                 domain="an argument in [-1, 1]", exact_values={1: 0}, signs="nonnegative",
                 math="acos", numpy="arccos", mpmath="acos", latex=r"\arccos", sympy="acos",
                 kinks="not differentiable at u = -1 and u = 1 (vertical tangents)"),
    FunctionSpec("atan", aliases=["arctan"], partials=["1/(1 + u^2)"], real=math.atan,
                 exact_values={0: 0}, signs="same",
                 math="atan", numpy="arctan", mpmath="atan", latex=r"\arctan", sympy="atan"),
    FunctionSpec("sinh", partials=["cosh(u)"], real=math.sinh, exact_values={0: 0},
                 signs="same", math="sinh", numpy="sinh", mpmath="sinh", latex=r"\sinh",
                 sympy="sinh"),
    FunctionSpec("cosh", partials=["sinh(u)"], real=math.cosh, exact_values={0: 1},
                 signs="positive", math="cosh", numpy="cosh", mpmath="cosh", latex=r"\cosh",
                 sympy="cosh"),
    FunctionSpec("tanh", partials=["1 - tanh(u)^2"], real=math.tanh, exact_values={0: 0},
                 signs="same", math="tanh", numpy="tanh", mpmath="tanh", latex=r"\tanh",
                 sympy="tanh"),
    FunctionSpec("asinh", aliases=["arcsinh"], partials=["1/sqrt(u^2 + 1)"], real=math.asinh,
                 exact_values={0: 0}, signs="same", math="asinh", numpy="arcsinh",
                 mpmath="asinh", latex=r"\operatorname{asinh}", sympy="asinh"),
    FunctionSpec("acosh", aliases=["arccosh"], partials=["1/sqrt(u^2 - 1)"], real=math.acosh,
                 domain="an argument >= 1", exact_values={1: 0}, signs="nonnegative",
                 math="acosh", numpy="arccosh", mpmath="acosh",
                 latex=r"\operatorname{acosh}", sympy="acosh",
                 kinks="not differentiable at u = 1 (a vertical tangent)"),
    FunctionSpec("atanh", aliases=["arctanh"], partials=["1/(1 - u^2)"], real=math.atanh,
                 domain="an argument in (-1, 1)", exact_values={0: 0}, math="atanh",
                 numpy="arctanh", mpmath="atanh", latex=r"\operatorname{atanh}",
                 sympy="atanh"),
    FunctionSpec("exp", partials=["exp(u)"], real=math.exp, exact_values={0: 1, 1: "e"},
                 signs="positive", shortcuts=["exp(a)^b = exp(a*b)", "e^a = exp(a)"],
                 math="exp", numpy="exp", mpmath="exp", latex="e^{{{0}}}", sympy="exp"),
    FunctionSpec("log", aliases=["ln"], partials=["1/u"], real=_log,
                 domain="a positive argument", exact_values={1: 0, "e": 1},
                 shortcuts=["log(exp(a)) = a"], math="log", numpy="log", mpmath="log",
                 latex=r"\log", sympy="log"),
    FunctionSpec("cbrt", partials=["1/(3*cbrt(u)^2)"],
                 real=_cube_root, exact_values={0: 0, 1: 1, -1: -1},
                 signs="same", math="cbrt", math_helper=CBRT_HELPER, numpy="cbrt",
                 latex=r"\sqrt[3]{{{0}}}", sympy="real_root(u, 3)",
                 kinks="not differentiable at u = 0: the derivative 1/(3*cbrt(u)^2) is "
                       "undefined there (a vertical tangent); mpmath's cbrt is the principal "
                       "complex root, so no mpmath name"),
    FunctionSpec("sinc", partials=["(cos(u) - sinc(u))/u"], real=_sinc, exact_values={0: 1},
                 math="sinc", math_helper=SINC_HELPER, numpy="sinc",
                 numpy_helper=SINC_NUMPY_HELPER, mpmath="sinc",
                 latex=r"\operatorname{sinc}", sympy="sinc",
                 kinks="smooth, but the formula of its derivative, (cos(u) - sinc(u))/u, is "
                       "0/0 at u = 0 (the limit is 0): symdiff's derivative is undefined at "
                       "exactly u = 0, the oracles' is 0 there"),
)
