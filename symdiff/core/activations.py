"""The smooth activation functions of neural networks, one declaration each: sigmoid(u) =
1/(1 + exp(-u)) and softplus(u) = log(1 + exp(u)), whose derivative is sigmoid.

Both are computed without overflow however large |u| is, in floats and in both code
backends: only exp(-|u|) is ever taken (sigmoid(-1000) = 0.0, softplus(1000) = 1000.0).
SymPy has neither, so each has a body, the formula the SymPy bridge computes it through.
"""
from __future__ import annotations

import math
from fractions import Fraction

from .array_helpers import SOFTPLUS_TORCH
from .declarations import FunctionSpec


def _sigmoid(u: float) -> float:
    decay = math.exp(-abs(u))
    return 1.0 / (1.0 + decay) if u >= 0 else decay / (1.0 + decay)


def _softplus(u: float) -> float:
    return max(u, 0.0) + math.log1p(math.exp(-abs(u)))


SIGMOID_HELPER = '''def sigmoid(u):
    """1/(1 + exp(-u)), from exp(-|u|): no overflow."""
    decay = exp(-abs(u))
    return 1.0 / (1.0 + decay) if u >= 0.0 else decay / (1.0 + decay)
'''
SIGMOID_NUMPY_HELPER = '''def sigmoid(u, out):
    """1/(1 + exp(-u)), from exp(-|u|): no overflow."""
    decay = exp(negative(absolute(u)))
    divide(where(greater_equal(u, 0.0), 1.0, decay), add(1.0, decay), out=out)
    return out
'''
SOFTPLUS_HELPER = '''def softplus(u):
    """log(1 + exp(u)) as max(u, 0) + log1p(exp(-|u|)): no overflow."""
    return max(u, 0.0) + log1p(exp(-abs(u)))
'''
SOFTPLUS_NUMPY_HELPER = '''def softplus(u, out):
    """log(1 + exp(u)) as max(u, 0) + log1p(exp(-|u|)): no overflow."""
    add(maximum(u, 0.0), log1p(exp(negative(absolute(u)))), out=out)
    return out
'''
SIGMOID_C_HELPER = """static double symdiff_sigmoid(double u)
{
    /* 1/(1 + exp(-u)), from exp(-|u|): no overflow */
    double decay = exp(-fabs(u));
    return u >= 0.0 ? 1.0 / (1.0 + decay) : decay / (1.0 + decay);
}
"""
SOFTPLUS_C_HELPER = """static double symdiff_softplus(double u)
{
    /* log(1 + exp(u)) as max(u, 0) + log1p(exp(-|u|)): no overflow; NaN stays NaN */
    return (u > 0.0 ? u : u == u ? 0.0 : u) + log1p(exp(-fabs(u)));
}
"""

ACTIVATIONS = (
    FunctionSpec("sigmoid", partials=["sigmoid(u)*(1 - sigmoid(u))"], real=_sigmoid,
                 exact_values={0: Fraction(1, 2)}, signs="positive", body="1/(1 + exp(-u))",
                 math="sigmoid", math_helper=SIGMOID_HELPER, numpy="sigmoid",
                 numpy_helper=SIGMOID_NUMPY_HELPER, mpmath="sigmoid", c="symdiff_sigmoid",
                 c_helper=SIGMOID_C_HELPER,
                 latex=r"\operatorname{sigmoid}",
                 jax="jsp.special.expit", torch="torch.sigmoid"),
    FunctionSpec("softplus", partials=["sigmoid(u)"], real=_softplus, signs="positive",
                 body="log(1 + exp(u))", math="softplus", math_helper=SOFTPLUS_HELPER,
                 numpy="softplus", numpy_helper=SOFTPLUS_NUMPY_HELPER, c="symdiff_softplus",
                 c_helper=SOFTPLUS_C_HELPER,
                 latex=r"\operatorname{softplus}",
                 jax="jnp.logaddexp(u, 0.0)", torch="softplus", torch_helper=SOFTPLUS_TORCH),
)
