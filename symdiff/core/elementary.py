"""The smooth elementary functions, one declaration each (``declarations.FunctionSpec``):
the trigonometric and hyperbolic functions and their inverses, exp and the logarithms
(log10, log2, log1p, expm1), atan2 and hypot, cbrt and sinc. The other built-ins are in
``reciprocal`` (coth, sech, csch and the inverse reciprocal functions), ``activations``
(sigmoid, softplus), ``special`` (erf, erfc, gamma, loggamma, digamma, polygamma) and
``piecewise`` (abs, sign, step, relu, max, min).

Adding a function is adding a declaration here (and its line in the oracles' own table,
``numeric/oracle_partials.py``): the parser, printers, derivatives, evaluation, code
generation, the SymPy bridge and sign analysis all read it. A function applied to float
constants is folded to a float; exact arguments stay symbolic (``sin(2)``) except for the
declared exact values (``sin(0) = 0``, ``exp(1) = e``).
"""
from __future__ import annotations

import math

from .array_helpers import ATAN2_JAX, ATAN2_TORCH, CBRT_TORCH, SINC_JAX, SINC_TORCH
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


def _positive(f, name: str):
    """A logarithm of a positive argument, the domain error named."""
    def real(u: float) -> float:
        if u <= 0:
            raise ValueError(f"{name} needs a positive argument")
        return f(u)
    return real


def _log1p(u: float) -> float:
    if u <= -1:
        raise ValueError("log1p needs an argument > -1")
    return math.log1p(u)


def _atan2(y: float, x: float) -> float:
    """The angle of the point (x, y) in (-pi, pi]: atan2(-0.0, -1) is pi, not -pi."""
    if y == 0 and x == 0:
        raise ValueError("atan2(0, 0) has no angle")
    return math.atan2(y + 0.0, x)


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
ATAN2_HELPER = '''def atan2_angle(y, x):
    """The angle of the point (x, y) in (-pi, pi]; none at (0, 0) (a division by zero)."""
    if y == 0.0 and x == 0.0:
        return 0.0 / (x + y)
    return atan2(y + 0.0, x)
'''
ATAN2_NUMPY_HELPER = '''def atan2_angle(y, x, out):
    """The angle of the point (x, y) in (-pi, pi] (y = -0.0 is 0.0); 0 at (0, 0)."""
    arctan2(add(y, 0.0), x, out=out)
    return out
'''
ATAN2_C_HELPER = """static double symdiff_atan2(double y, double x)
{
    /* the angle of the point (x, y) in (-pi, pi] (y = -0.0 is 0.0); none (NaN) at (0, 0) */
    if (y == 0.0 && x == 0.0)
        return NAN;
    return atan2(y + 0.0, x);
}
"""
SINC_C_HELPER = """static double symdiff_sinc(double u)
{
    /* sin(u)/u, with sinc(0) = 1 */
    return u != 0.0 ? sin(u) / u : 1.0;
}
"""

ELEMENTARY = (
    FunctionSpec("sin", partials=["cos(u)"], real=math.sin, exact_values={0: 0},
                 math="sin", numpy="sin", c="sin", mpmath="sin", latex=r"\sin", sympy="sin",
                 jax="jnp.sin", torch="torch.sin"),
    FunctionSpec("cos", partials=["-sin(u)"], real=math.cos, exact_values={0: 1},
                 math="cos", numpy="cos", c="cos", mpmath="cos", latex=r"\cos", sympy="cos",
                 jax="jnp.cos", torch="torch.cos"),
    FunctionSpec("tan", partials=["1 + tan(u)^2"], real=math.tan, exact_values={0: 0},
                 math="tan", numpy="tan", c="tan", mpmath="tan", latex=r"\tan", sympy="tan",
                 jax="jnp.tan", torch="torch.tan"),
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
                 math="asin", numpy="arcsin", c="asin",
                 mpmath="asin", latex=r"\arcsin", sympy="asin",
                 kinks="not differentiable at u = -1 and u = 1 (vertical tangents)",
                 jax="jnp.arcsin", torch="torch.asin"),
    FunctionSpec("acos", aliases=["arccos"], partials=["-1/sqrt(1 - u^2)"], real=math.acos,
                 domain="an argument in [-1, 1]", exact_values={1: 0}, signs="nonnegative",
                 math="acos", numpy="arccos", c="acos",
                 mpmath="acos", latex=r"\arccos", sympy="acos",
                 kinks="not differentiable at u = -1 and u = 1 (vertical tangents)",
                 jax="jnp.arccos", torch="torch.acos"),
    FunctionSpec("atan", aliases=["arctan"], partials=["1/(1 + u^2)"], real=math.atan,
                 exact_values={0: 0}, signs="same",
                 math="atan", numpy="arctan", c="atan",
                 mpmath="atan", latex=r"\arctan", sympy="atan",
                 jax="jnp.arctan", torch="torch.atan"),
    FunctionSpec("sinh", partials=["cosh(u)"], real=math.sinh, exact_values={0: 0},
                 signs="same", math="sinh", numpy="sinh", c="sinh", mpmath="sinh", latex=r"\sinh",
                 sympy="sinh",
                 jax="jnp.sinh", torch="torch.sinh"),
    FunctionSpec("cosh", partials=["sinh(u)"], real=math.cosh, exact_values={0: 1},
                 signs="positive", math="cosh", numpy="cosh", c="cosh",
                 mpmath="cosh", latex=r"\cosh",
                 sympy="cosh",
                 jax="jnp.cosh", torch="torch.cosh"),
    FunctionSpec("tanh", partials=["1 - tanh(u)^2"], real=math.tanh, exact_values={0: 0},
                 signs="same", math="tanh", numpy="tanh", c="tanh", mpmath="tanh", latex=r"\tanh",
                 sympy="tanh",
                 jax="jnp.tanh", torch="torch.tanh"),
    FunctionSpec("asinh", aliases=["arcsinh"], partials=["1/sqrt(u^2 + 1)"], real=math.asinh,
                 exact_values={0: 0}, signs="same", math="asinh", numpy="arcsinh", c="asinh",
                 mpmath="asinh", latex=r"\operatorname{asinh}", sympy="asinh",
                 jax="jnp.arcsinh", torch="torch.asinh"),
    FunctionSpec("acosh", aliases=["arccosh"], partials=["1/sqrt(u^2 - 1)"], real=math.acosh,
                 domain="an argument >= 1", exact_values={1: 0}, signs="nonnegative",
                 math="acosh", numpy="arccosh", c="acosh", mpmath="acosh",
                 latex=r"\operatorname{acosh}", sympy="acosh",
                 kinks="not differentiable at u = 1 (a vertical tangent)",
                 jax="jnp.arccosh", torch="torch.acosh"),
    FunctionSpec("atanh", aliases=["arctanh"], partials=["1/(1 - u^2)"], real=math.atanh,
                 domain="an argument in (-1, 1)", exact_values={0: 0}, math="atanh",
                 numpy="arctanh", c="atanh", mpmath="atanh", latex=r"\operatorname{atanh}",
                 sympy="atanh",
                 jax="jnp.arctanh", torch="torch.atanh"),
    FunctionSpec("exp", partials=["exp(u)"], real=math.exp, exact_values={0: 1, 1: "e"},
                 signs="positive", shortcuts=["exp(a)^b = exp(a*b)", "e^a = exp(a)"],
                 math="exp", numpy="exp", c="exp", mpmath="exp", latex="e^{{{0}}}", sympy="exp",
                 jax="jnp.exp", torch="torch.exp"),
    FunctionSpec("log", aliases=["ln"], partials=["1/u"], real=_log,
                 domain="a positive argument", exact_values={1: 0, "e": 1},
                 shortcuts=["log(exp(a)) = a"], math="log", numpy="log", c="log", mpmath="log",
                 latex=r"\log", sympy="log",
                 jax="jnp.log", torch="torch.log"),
    FunctionSpec("log10", partials=["1/(u*log(10))"], real=_positive(math.log10, "log10"),
                 domain="a positive argument", exact_values={1: 0, 10: 1},
                 body="log(u)/log(10)", math="log10", numpy="log10", c="log10", mpmath="log10",
                 latex=r"\log_{10}",
                 jax="jnp.log10", torch="torch.log10"),
    FunctionSpec("log2", partials=["1/(u*log(2))"], real=_positive(math.log2, "log2"),
                 domain="a positive argument", exact_values={1: 0, 2: 1},
                 body="log(u)/log(2)", math="log2", numpy="log2", c="log2", latex=r"\log_{2}",
                 jax="jnp.log2", torch="torch.log2"),
    FunctionSpec("log1p", partials=["1/(1 + u)"], real=_log1p, domain="an argument > -1",
                 exact_values={0: 0}, signs="same", body="log(1 + u)", math="log1p",
                 numpy="log1p", c="log1p", mpmath="log1p", latex=r"\operatorname{log1p}",
                 jax="jnp.log1p", torch="torch.log1p"),
    FunctionSpec("expm1", partials=["exp(u)"], real=math.expm1, exact_values={0: 0},
                 signs="same", body="exp(u) - 1", math="expm1", numpy="expm1", c="expm1",
                 mpmath="expm1", latex=r"\operatorname{expm1}",
                 jax="jnp.expm1", torch="torch.expm1"),
    FunctionSpec("atan2", params=["y", "x"],
                 partials=["x/(x^2 + y^2)", "-y/(x^2 + y^2)"], real=_atan2,
                 domain="a point (x, y) other than (0, 0)", math="atan2_angle",
                 math_helper=ATAN2_HELPER, numpy="atan2_angle",
                 numpy_helper=ATAN2_NUMPY_HELPER, mpmath="atan2",
                 c="symdiff_atan2", c_helper=ATAN2_C_HELPER,
                 latex=r"\operatorname{atan2}", sympy="atan2",
                 kinks="the angle of the point (x, y), in (-pi, pi]: it jumps from pi to -pi "
                       "across the negative x axis (y = 0, x < 0, where its value is pi) and "
                       "is undefined at (0, 0); the partials are those of the smooth branch",
                 jax="atan2_angle", jax_helper=ATAN2_JAX, torch="atan2_angle",
                 torch_helper=ATAN2_TORCH),
    FunctionSpec("hypot", params=["x", "y"], partials=["x/hypot(x, y)", "y/hypot(x, y)"],
                 real=math.hypot, signs="nonnegative", body="sqrt(x^2 + y^2)",
                 math="hypot", numpy="hypot", c="hypot",
                 mpmath="hypot", latex=r"\operatorname{hypot}",
                 kinks="not differentiable at (0, 0), a cone's tip: the partials x/hypot(x, y) "
                       "and y/hypot(x, y) are 0/0 there, undefined",
                 jax="jnp.hypot", torch="torch.hypot"),
    FunctionSpec("cbrt", partials=["1/(3*cbrt(u)^2)"],
                 real=_cube_root, exact_values={0: 0, 1: 1, -1: -1},
                 signs="same", math="cbrt", math_helper=CBRT_HELPER, numpy="cbrt", c="cbrt",
                 latex=r"\sqrt[3]{{{0}}}", sympy="real_root(u, 3)",
                 kinks="not differentiable at u = 0: the derivative 1/(3*cbrt(u)^2) is "
                       "undefined there (a vertical tangent); mpmath's cbrt is the principal "
                       "complex root, so no mpmath name",
                 jax="jnp.cbrt", torch="cbrt", torch_helper=CBRT_TORCH),
    FunctionSpec("sinc", partials=["(cos(u) - sinc(u))/u"], real=_sinc, exact_values={0: 1},
                 math="sinc", math_helper=SINC_HELPER, numpy="sinc",
                 numpy_helper=SINC_NUMPY_HELPER, mpmath="sinc", c="symdiff_sinc",
                 c_helper=SINC_C_HELPER,
                 latex=r"\operatorname{sinc}", sympy="sinc",
                 kinks="smooth, but the formula of its derivative, (cos(u) - sinc(u))/u, is "
                       "0/0 at u = 0 (the limit is 0): symdiff's derivative is undefined at "
                       "exactly u = 0, the oracles' is 0 there",
                 jax="sinc", jax_helper=SINC_JAX, torch="sinc", torch_helper=SINC_TORCH),
)
