"""The reciprocal hyperbolic functions (coth, sech, csch) and the inverses of the reciprocal
functions (acot, asec, acsc, acoth, asech, acsch), one declaration each.

The real branches are SymPy's and mpmath's, so that symdiff, its SymPy oracle and mpmath
agree: acot(u) = atan(1/u) with acot(0) = pi/2, so its values are in (-pi/2, pi/2] and it
jumps at 0; asec(u) = acos(1/u) in [0, pi] and acsc(u) = asin(1/u) in [-pi/2, pi/2], both
for |u| >= 1; acoth(u) = atanh(1/u) for |u| > 1; asech(u) = acosh(1/u) for u in (0, 1];
acsch(u) = asinh(1/u) for u != 0. Each one's body is that formula, which the code backends
compute (acot has helpers for its value at 0, sech and csch for large |u|, where cosh and
sinh overflow); the derivatives are SymPy's on the real domain, written with abs where
SymPy's have x^2*sqrt(1 - 1/x^2) = |x|*sqrt(x^2 - 1).
"""
from __future__ import annotations

import math

from .array_helpers import (ACOT_JAX, ACOT_TORCH, CSCH_JAX, CSCH_TORCH, SECH_JAX,
                            SECH_TORCH)
from .declarations import FunctionSpec


def _inverse(f, name: str):
    """f(1/u) (asec(u) = acos(1/u)...), with the pole at 0 named."""
    def real(u: float) -> float:
        if u == 0:
            raise ZeroDivisionError(f"{name} is undefined at 0")
        return f(1.0 / u)
    return real


def _coth(u: float) -> float:
    if u == 0:
        raise ZeroDivisionError("coth has a pole at 0")
    return 1.0 / math.tanh(u)


def _sech(u: float) -> float:
    """1/cosh(u) from exp(-|u|): no overflow for large |u| (sech(1000) is 0.0, not an error)."""
    decay = math.exp(-abs(u))
    return 2.0 * decay / (1.0 + decay * decay)


def _csch(u: float) -> float:
    if u == 0:
        raise ZeroDivisionError("csch has a pole at 0")
    if abs(u) > 700:                       # sinh overflows; the value is below 2e-304
        return math.copysign(2.0 * math.exp(-abs(u)), u)
    return 1.0 / math.sinh(u)


def _acot(u: float) -> float:
    """atan(1/u), and pi/2 at 0 (SymPy's and mpmath's acot(0))."""
    return math.atan(1.0 / u) if u != 0 else math.pi / 2


def _acoth(u: float) -> float:
    if abs(u) <= 1:
        raise ValueError("acoth needs |argument| > 1")
    return math.atanh(1.0 / u)


SECH_HELPER = '''def sech(u):
    """1/cosh(u) from exp(-|u|): no overflow (sech(1000) is 0.0)."""
    decay = exp(-abs(u))
    return 2.0 * decay / (1.0 + decay * decay)
'''
SECH_NUMPY_HELPER = '''def sech(u, out):
    """1/cosh(u) from exp(-|u|): no overflow (sech(1000) is 0.0)."""
    decay = exp(negative(absolute(u)))
    divide(2.0 * decay, add(1.0, decay * decay), out=out)
    return out
'''
CSCH_HELPER = '''def csch(u):
    """1/sinh(u), and 2 exp(-|u|) with u's sign past |u| = 700, where sinh overflows."""
    if abs(u) > 700.0:
        return copysign(2.0 * exp(-abs(u)), u)
    return 1.0 / sinh(u)
'''
CSCH_NUMPY_HELPER = '''def csch(u, out):
    """1/sinh(u), and 2 exp(-|u|) with u's sign past |u| = 700, where sinh overflows."""
    far = greater(absolute(u), 700.0)
    divide(1.0, sinh(where(far, 1.0, u)), out=out)
    copyto(out, copysign(2.0 * exp(negative(absolute(u))), u), where=far)
    return out
'''
ACOT_HELPER = '''def acot(u):
    """atan(1/u), with acot(0) = pi/2: values in (-pi/2, pi/2]."""
    return atan(1.0 / u) if u != 0.0 else pi / 2.0
'''
ACOT_NUMPY_HELPER = '''def acot(u, out):
    """atan(1/u), with acot(0) = pi/2: values in (-pi/2, pi/2]."""
    zero = equal(u, 0.0)
    arctan(divide(1.0, where(zero, 1.0, u)), out=out)
    copyto(out, pi / 2.0, where=zero)
    return out
'''
SECH_C_HELPER = """static double symdiff_sech(double u)
{
    /* 1/cosh(u) from exp(-|u|): no overflow (sech(1000) is 0.0) */
    double decay = exp(-fabs(u));
    return 2.0 * decay / (1.0 + decay * decay);
}
"""
CSCH_C_HELPER = """static double symdiff_csch(double u)
{
    /* 1/sinh(u), and 2 exp(-|u|) with u's sign past |u| = 700, where sinh overflows */
    if (fabs(u) > 700.0)
        return copysign(2.0 * exp(-fabs(u)), u);
    return 1.0 / sinh(u);
}
"""
ACOT_C_HELPER = """static double symdiff_acot(double u)
{
    /* atan(1/u), with acot(0) = pi/2: values in (-pi/2, pi/2] */
    return u != 0.0 ? atan(1.0 / u) : 1.5707963267948966;
}
"""
#: |u|*sqrt(u^2 - 1), the denominator of asec' and acsc'.
_SECANT_SLOPE = "abs(u)*sqrt(u^2 - 1)"

RECIPROCAL = (
    FunctionSpec("coth", partials=["1 - coth(u)^2"], real=_coth, domain="a nonzero argument",
                 signs="same", body="1/tanh(u)", mpmath="coth", latex=r"\coth", sympy="coth"),
    FunctionSpec("sech", partials=["-sech(u)*tanh(u)"], real=_sech, exact_values={0: 1},
                 signs="positive", body="1/cosh(u)", math="sech", math_helper=SECH_HELPER,
                 numpy="sech", numpy_helper=SECH_NUMPY_HELPER, mpmath="sech",
                 c="symdiff_sech", c_helper=SECH_C_HELPER,
                 latex=r"\operatorname{sech}", sympy="sech",
                 jax="sech", jax_helper=SECH_JAX, torch="sech", torch_helper=SECH_TORCH),
    FunctionSpec("csch", partials=["-csch(u)*coth(u)"], real=_csch,
                 domain="a nonzero argument", signs="same", body="1/sinh(u)", math="csch",
                 math_helper=CSCH_HELPER, numpy="csch", numpy_helper=CSCH_NUMPY_HELPER,
                 mpmath="csch", latex=r"\operatorname{csch}", sympy="csch",
                 c="symdiff_csch", c_helper=CSCH_C_HELPER,
                 jax="csch", jax_helper=CSCH_JAX, torch="csch", torch_helper=CSCH_TORCH),
    FunctionSpec("acot", aliases=["arccot"], partials=["-1/(1 + u^2)"], real=_acot,
                 math="acot", math_helper=ACOT_HELPER, numpy="acot",
                 numpy_helper=ACOT_NUMPY_HELPER, mpmath="acot", c="symdiff_acot",
                 c_helper=ACOT_C_HELPER,
                 latex=r"\operatorname{arccot}", sympy="acot",
                 kinks="acot(u) = atan(1/u), acot(0) = pi/2 (SymPy's branch): values in "
                       "(-pi/2, pi/2], a jump from -pi/2 to pi/2 at u = 0; the derivative "
                       "-1/(1 + u^2) is the one away from 0, and symdiff gives it at 0 too",
                 jax="acot", jax_helper=ACOT_JAX, torch="acot", torch_helper=ACOT_TORCH),
    FunctionSpec("asec", aliases=["arcsec"], partials=[f"1/({_SECANT_SLOPE})"],
                 real=_inverse(math.acos, "asec"), domain="|argument| >= 1",
                 exact_values={1: 0}, signs="nonnegative", body="acos(1/u)", mpmath="asec",
                 latex=r"\operatorname{arcsec}", sympy="asec",
                 kinks="values in [0, pi]; not differentiable at u = -1 and u = 1 (vertical "
                       "tangents)"),
    FunctionSpec("acsc", aliases=["arccsc"], partials=[f"-1/({_SECANT_SLOPE})"],
                 real=_inverse(math.asin, "acsc"), domain="|argument| >= 1", signs="same",
                 body="asin(1/u)", mpmath="acsc", latex=r"\operatorname{arccsc}",
                 sympy="acsc",
                 kinks="values in [-pi/2, pi/2]; not differentiable at u = -1 and u = 1 "
                       "(vertical tangents)"),
    FunctionSpec("acoth", aliases=["arccoth"], partials=["1/(1 - u^2)"], real=_acoth,
                 domain="|argument| > 1", signs="same", body="atanh(1/u)", mpmath="acoth",
                 latex=r"\operatorname{acoth}", sympy="acoth"),
    FunctionSpec("asech", aliases=["arcsech"], partials=["-1/(u*sqrt(1 - u^2))"],
                 real=_inverse(math.acosh, "asech"), domain="an argument in (0, 1]",
                 exact_values={1: 0}, signs="nonnegative", body="acosh(1/u)",
                 mpmath="asech", latex=r"\operatorname{asech}", sympy="asech",
                 kinks="not differentiable at u = 1 (a vertical tangent)"),
    FunctionSpec("acsch", aliases=["arccsch"], partials=["-1/(abs(u)*sqrt(1 + u^2))"],
                 real=_inverse(math.asinh, "acsch"), domain="a nonzero argument",
                 signs="same", body="asinh(1/u)", mpmath="acsch",
                 latex=r"\operatorname{acsch}", sympy="acsch"),
)
