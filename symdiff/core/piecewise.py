"""The piecewise functions, one declaration each: abs, sign, step, relu, max, min.

They only compare their arguments, so they are exact on exact numbers (``abs(-3) = 3``),
and each states its convention at the kink, where the true derivative does not exist:
d|u|/du = sign(u) (0 at u = 0); relu'(u) = step(u) (0 at u = 0); max(a, b) and min(a, b)
split a tie half and half; sign and step have derivative 0. step is also heaviside, with
step(0) = heaviside(0) = 0 (SymPy's Heaviside(u, 0)); abs is also SymPy's spelling Abs, so
text pasted from SymPy reads (the parser reads SymPy's Max and Min, of any number of
arguments, itself).
"""
from __future__ import annotations

import builtins

from .array_helpers import RELU_JAX, STEP_TORCH
from .declarations import FunctionSpec


def _sign(u):
    """-1, 0 or 1 (floats for a float)."""
    value = (u > 0) - (u < 0)
    return float(value) if isinstance(u, float) else value


def _step(u):
    """The Heaviside step with step(0) = 0: the derivative of relu."""
    value = 1 if u > 0 else 0
    return float(value) if isinstance(u, float) else value


def _relu(u):
    """max(u, 0)."""
    return u if u > 0 else (0.0 if isinstance(u, float) else 0)


SIGN_HELPER = '''def sign(u):
    """-1.0, 0.0 or 1.0."""
    return 1.0 if u > 0 else -1.0 if u < 0 else 0.0
'''
STEP_HELPER = '''def step(u):
    """The Heaviside step, with step(0) = 0."""
    return 1.0 if u > 0 else 0.0
'''
RELU_HELPER = '''def relu(u):
    """max(u, 0)."""
    return u if u > 0 else 0.0
'''
#: C's helpers: NaN stays NaN, as in numpy's sign, heaviside and maximum (C's fmax and
#: fmin would return the other argument).
SIGN_C_HELPER = """static double symdiff_sign(double u)
{
    /* -1.0, 0.0 or 1.0 */
    return u > 0.0 ? 1.0 : u < 0.0 ? -1.0 : u == 0.0 ? 0.0 : u;
}
"""
STEP_C_HELPER = """static double symdiff_step(double u)
{
    /* the Heaviside step, with step(0) = 0 */
    return u > 0.0 ? 1.0 : u <= 0.0 ? 0.0 : u;
}
"""
RELU_C_HELPER = """static double symdiff_relu(double u)
{
    /* max(u, 0) */
    return u > 0.0 ? u : u <= 0.0 ? 0.0 : u;
}
"""
MAX_C_HELPER = """static double symdiff_max(double a, double b)
{
    return a != a || b != b ? a + b : a > b ? a : b;
}
"""
MIN_C_HELPER = """static double symdiff_min(double a, double b)
{
    return a != a || b != b ? a + b : a < b ? a : b;
}
"""
#: The derivatives of max and min, which split a tie half and half.
_HIGHER, _LOWER = "(1 + sign(a - b))/2", "(1 - sign(a - b))/2"

PIECEWISE = (
    FunctionSpec("abs", aliases=["Abs"], partials=["sign(u)"], real=builtins.abs, compares=True,
                 shortcuts=["abs(abs(a)) = abs(a)", "abs(exp(a)) = exp(a)"], signs="magnitude",
                 math="abs", numpy="absolute", c="fabs", mpmath="fabs",
                 latex=r"\left|{0}\right|",
                 sympy="Abs", kinks="d|u|/du = sign(u), so 0 at u = 0",
                 jax="jnp.abs", torch="torch.abs"),
    FunctionSpec("sign", partials=["0"], real=_sign, compares=True, signs="same",
                 math="sign", math_helper=SIGN_HELPER, numpy="sign", mpmath="sign",
                 c="symdiff_sign", c_helper=SIGN_C_HELPER,
                 latex=r"\operatorname{sign}", sympy="sign",
                 kinks="sign(0) = 0; its derivative is 0, at the jump too",
                 jax="jnp.sign", torch="torch.sign"),
    FunctionSpec("step", aliases=["heaviside"], partials=["0"], real=_step, compares=True,
                 signs="nonnegative",
                 math="step", math_helper=STEP_HELPER, numpy="heaviside(u, 0.0)",
                 c="symdiff_step", c_helper=STEP_C_HELPER,
                 latex=r"\operatorname{step}", sympy="Heaviside(u, 0)",
                 kinks="step(0) = heaviside(0) = 0 (not SymPy's default 1/2); its derivative "
                       "is 0, at the jump too",
                 jax="jnp.heaviside(u, 0.0)", torch="step", torch_helper=STEP_TORCH),
    FunctionSpec("relu", partials=["step(u)"], real=_relu, compares=True, signs="nonnegative",
                 math="relu", math_helper=RELU_HELPER, numpy="maximum(u, 0.0)",
                 c="symdiff_relu", c_helper=RELU_C_HELPER,
                 latex=r"\operatorname{relu}", sympy="Max(u, 0)",
                 kinks="relu'(u) = step(u), so 0 at u = 0",
                 jax="relu", jax_helper=RELU_JAX, torch="torch.relu"),
    FunctionSpec("max", params=["a", "b"], partials=[_HIGHER, _LOWER], real=builtins.max,
                 commutative=True, compares=True, shortcuts=["max(a, a) = a"],
                 math="max", numpy="maximum", latex=r"\max", sympy="Max",
                 c="symdiff_max", c_helper=MAX_C_HELPER,
                 kinks="a tie is split half and half: d max(a, b)/da = 1/2 at a = b",
                 jax="jnp.maximum", torch="torch.maximum"),
    FunctionSpec("min", params=["a", "b"], partials=[_LOWER, _HIGHER], real=builtins.min,
                 commutative=True, compares=True, shortcuts=["min(a, a) = a"],
                 math="min", numpy="minimum", latex=r"\min", sympy="Min",
                 c="symdiff_min", c_helper=MIN_C_HELPER,
                 kinks="a tie is split half and half: d min(a, b)/da = 1/2 at a = b",
                 jax="jnp.minimum", torch="torch.minimum"),
)
