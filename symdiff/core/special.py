r"""The special functions, one declaration each: erf, erfc, gamma, loggamma, digamma and
polygamma(n, u).

The gamma function's name is also a common variable's (the adiabatic index, the Lorentz
factor: the physics corpus's 1/(gamma - 1)*pr*V), so ``gamma(x)`` is the function and a bare
``gamma`` a variable (``core.names.ALSO_VARIABLES``); C's name ``tgamma`` is an alias.

loggamma(u) is log(gamma(u)) for u > 0 only, SymPy's and mpmath's loggamma on the positive
reals (not log|gamma(u)|, which is math.lgamma's value below 0). polygamma(n, u) is the n-th
derivative of digamma, for an order n that is a nonnegative integer: a number there must be
one (``polygamma(1/2, x)`` is refused when it is built), and there is no derivative with
respect to n (``FunctionSpec.orders``); polygamma(0, u) is digamma(u). erf, erfc, gamma and
loggamma are the math module's; digamma and polygamma are computed in
``polygamma_floats``, whose source is also the math backend's helper. The NumPy backend's
helpers are in ``special_numpy``.
"""
from __future__ import annotations

import math

from .array_helpers import (GAMMA_TORCH, LOGGAMMA_JAX, LOGGAMMA_TORCH, POLYGAMMA_JAX,
                            POLYGAMMA_TORCH)
from .declarations import FunctionSpec
from .polygamma_floats import DIGAMMA_HELPER, POLYGAMMA_HELPER, digamma, polygamma
from .special_c import DIGAMMA_C_HELPER, LOGGAMMA_C_HELPER, POLYGAMMA_C_HELPER
from .special_numpy import (DIGAMMA_NUMPY_HELPER, ERF_NUMPY_HELPER, ERFC_NUMPY_HELPER,
                            GAMMA_NUMPY_HELPER, LOGGAMMA_NUMPY_HELPER, POLYGAMMA_NUMPY_HELPER)

_POLES = "an argument other than 0, -1, -2, ..."


def _refuse_pole(name: str, u: float) -> None:
    if u <= 0 and u == math.floor(u):
        raise ZeroDivisionError(f"{name} has a pole at {u:g}")


def _gamma(u: float) -> float:
    _refuse_pole("gamma", u)
    return math.gamma(u)


def _loggamma(u: float) -> float:
    if u <= 0:
        raise ValueError("loggamma needs a positive argument")
    return math.lgamma(u)


def _digamma(u: float) -> float:
    _refuse_pole("digamma", u)
    return digamma(u)


def _polygamma(n: float, u: float) -> float:
    if n < 0 or n != math.floor(n):
        raise ValueError("polygamma's order n must be a nonnegative integer")
    _refuse_pole("polygamma", u)
    return polygamma(n, u)


LOGGAMMA_HELPER = '''def loggamma(u):
    """log(gamma(u)) for u > 0 (math's lgamma is log|gamma(u)| below 0: no value here)."""
    if u <= 0.0:
        return log(u)
    return lgamma(u)
'''

SPECIAL = (
    FunctionSpec("erf", partials=["2*exp(-u^2)/sqrt(pi)"], real=math.erf, exact_values={0: 0},
                 signs="same", math="erf", numpy="erf", numpy_helper=ERF_NUMPY_HELPER, c="erf",
                 mpmath="erf", latex=r"\operatorname{erf}", sympy="erf",
                 jax="jsp.special.erf", torch="torch.special.erf"),
    FunctionSpec("erfc", partials=["-2*exp(-u^2)/sqrt(pi)"], real=math.erfc,
                 exact_values={0: 1}, signs="positive", math="erfc", numpy="erfc",
                 numpy_helper=ERFC_NUMPY_HELPER, c="erfc", mpmath="erfc",
                 latex=r"\operatorname{erfc}", sympy="erfc",
                 jax="jsp.special.erfc", torch="torch.special.erfc"),
    FunctionSpec("gamma", aliases=["tgamma"], partials=["gamma(u)*digamma(u)"], real=_gamma,
                 domain=_POLES,
                 exact_values={1: 1, 2: 1}, math="gamma", numpy="gamma",
                 numpy_helper=GAMMA_NUMPY_HELPER, c="tgamma", mpmath="gamma",
                 latex=r"\Gamma\left({0}\right)", sympy="gamma",
                 jax="jsp.special.gamma", torch="gamma", torch_helper=GAMMA_TORCH),
    FunctionSpec("loggamma", partials=["digamma(u)"], real=_loggamma,
                 domain="a positive argument", exact_values={1: 0, 2: 0}, math="loggamma",
                 math_helper=LOGGAMMA_HELPER, numpy="loggamma",
                 numpy_helper=LOGGAMMA_NUMPY_HELPER, c="symdiff_loggamma",
                 c_helper=LOGGAMMA_C_HELPER, mpmath="loggamma",
                 latex=r"\log\Gamma", sympy="loggamma",
                 kinks="log(gamma(u)) for u > 0 only (SymPy's loggamma on the positive "
                       "reals); below 0, where gamma changes sign, it is undefined",
                 jax="loggamma", jax_helper=LOGGAMMA_JAX, torch="loggamma",
                 torch_helper=LOGGAMMA_TORCH),
    FunctionSpec("digamma", partials=["polygamma(1, u)"], real=_digamma, domain=_POLES,
                 math="digamma", math_helper=DIGAMMA_HELPER, numpy="digamma",
                 numpy_helper=DIGAMMA_NUMPY_HELPER, c="symdiff_digamma",
                 c_helper=DIGAMMA_C_HELPER, mpmath="digamma",
                 latex=r"\psi\left({0}\right)", sympy="digamma",
                 jax="jsp.special.digamma", torch="torch.special.digamma"),
    FunctionSpec("polygamma", params=["n", "u"], partials=[None, "polygamma(n + 1, u)"],
                 orders=["n"], real=_polygamma,
                 domain=f"a nonnegative integer order n and {_POLES}",
                 shortcuts=["polygamma(0, u) = digamma(u)"], math="polygamma",
                 math_helper=POLYGAMMA_HELPER, numpy="polygamma",
                 numpy_helper=POLYGAMMA_NUMPY_HELPER, c="symdiff_polygamma",
                 c_helper=POLYGAMMA_C_HELPER, mpmath="polygamma",
                 latex=r"\psi^{{({0})}}\left({1}\right)", sympy="polygamma",
                 kinks="no derivative with respect to the order n, a nonnegative integer: "
                       "differentiating by a variable that n depends on is an error",
                 jax="polygamma", jax_helper=POLYGAMMA_JAX, torch="polygamma",
                 torch_helper=POLYGAMMA_TORCH),
)
