"""The oracles' own table of local partial derivatives, as floats: one line per function.

Written on purpose apart from the function declarations (``core.elementary``,
``core.reciprocal``, ``core.activations``, ``core.special``, ``core.piecewise``) that the
symbolic derivatives read: an oracle that shared the symbolic
table would repeat its mistakes. The formulas are often different forms of the same
derivative (tan' = 1/cos², not 1 + tan²). Entries are keyed by the function's name, "pow"
for powers. Dual numbers (``dual.py``), the numeric tape (``tape.py``) and ``explain`` use
it; a completeness test fails when a declared function has no entry here. A function a user
defines gets its entry from ``define_function`` (``add_oracle``).
"""
from __future__ import annotations

import math

from ..core.errors import EvaluationError
from ..core.nodes import Expr, Pow
from .evaluate import describe


def sign(u: float) -> float:
    """-1.0, 0.0 or 1.0."""
    return float((u > 0) - (u < 0))


def _sech2(u: float) -> float:
    """1/cosh(u)², 0 past the point where cosh(u)² overflows (the true value is < 1e-307)."""
    return 1 / math.cosh(u) ** 2 if abs(u) < 354 else 0.0


def _csch(u: float) -> float:
    """1/sinh(u), also where sinh(u) overflows (then 2 e^-|u|, signed, or 0)."""
    if abs(u) < 20:
        return 1 / math.sinh(u)
    return math.copysign(2 * math.exp(-abs(u)), u)     # e^-2|u| < 1e-17: below rounding


def _sech(u: float) -> float:
    """1/cosh(u), also where cosh(u) overflows."""
    return 1 / math.cosh(u) if abs(u) < 20 else 2 * math.exp(-abs(u))


def _pow(a: float, b: float) -> float:
    """a^b for a local partial of a power, refusing what numeric evaluation refuses."""
    if a == 0 and b < 0:
        raise ZeroDivisionError("a zero base with a negative exponent divides by zero")
    if a < 0 and not float(b).is_integer():
        raise ValueError("a negative base with a non-integer exponent is not real")
    return math.pow(a, b)


def _log(a: float) -> float:
    if a <= 0:
        raise ValueError("the log of a base that is not positive is not real")
    return math.log(a)


def _sinc_slope(u: float) -> float:
    """(u cos u - sin u)/u², by its series near 0 (where the formula cancels), 0 at 0."""
    if abs(u) < 1e-3:
        return -u / 3 + u ** 3 / 30
    return (u * math.cos(u) - math.sin(u)) / (u * u)


def _sigmoid_slope(u: float) -> float:
    """sigmoid'(u) = 1/(4 cosh(u/2)^2), 0 past the point where cosh overflows."""
    return 0.25 / math.cosh(u / 2) ** 2 if abs(u) < 700 else 0.0


def _secant_slope(u: float) -> float:
    """asec'(u) as SymPy writes it, 1/(u^2 sqrt(1 - 1/u^2))."""
    return 1 / (u * u * math.sqrt(1 - 1 / (u * u)))


def _psi(u: float) -> float:
    """digamma by the recurrence from u up to 30 (below 0 too, where the declaration's
    float uses the reflection formula instead) and the asymptotic series."""
    if u <= 0 and u == math.floor(u):
        raise ZeroDivisionError("a pole of digamma")
    total = 0.0
    while u < 30:
        total -= 1 / u
        u += 1
    inv = 1 / (u * u)
    return total + math.log(u) - 0.5 / u - inv * (
        1 / 12 - inv * (1 / 120 - inv * (1 / 252 - inv * (1 / 240 - inv / 132))))


_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)


def _zeta(s: int, u: float) -> float:
    """The Hurwitz zeta function sum_k (u + k)^-s for an integer s >= 2: the terms up to
    30 + s, then Euler-Maclaurin's tail. polygamma(m, u) = (-1)^(m+1) m! zeta(m + 1, u)."""
    if u <= 0 and u == math.floor(u):
        raise ZeroDivisionError("a pole of polygamma")
    total = 0.0
    while u < 30 + s:
        total += u ** -s
        u += 1
    total += u ** (1 - s) / (s - 1) + 0.5 * u ** -s
    rising, power = s, u ** (-s - 1)
    for j, bernoulli in enumerate(_BERNOULLI):
        total += bernoulli / math.factorial(2 * j + 2) * rising * power
        rising *= (s + 2 * j + 1) * (s + 2 * j + 2)
        power /= u * u
    return total


def _polygamma_slope(n: float, u: float) -> float:
    """d/du polygamma(n, u) = polygamma(n + 1, u) = (-1)^n (n + 1)! zeta(n + 2, u)."""
    if n < 0 or n != math.floor(n):
        raise ValueError("the order of polygamma must be a nonnegative integer")
    n = int(n)
    return (-1) ** n * math.factorial(n + 1) * _zeta(n + 2, u)


def _no_order_slope(n: float, u: float) -> float:
    raise ValueError("polygamma has no derivative with respect to its order n")


#: d f / d argument as floats, one line per function; a tuple has one partial per argument.
#: Kinks follow the declarations' conventions: |u|' = sign(u), relu' = step(u), ties of max
#: and min split half and half, sign' = step' = 0; sinc' = 0 at 0 (its limit); polygamma has
#: no partial with respect to its order.
NUMERIC_PARTIALS = {
    "sin":   math.cos,
    "cos":   lambda u: -math.sin(u),
    "tan":   lambda u: 1 / math.cos(u) ** 2,
    "sec":   lambda u: math.sin(u) / math.cos(u) ** 2,
    "csc":   lambda u: -math.cos(u) / math.sin(u) ** 2,
    "cot":   lambda u: -1 / math.sin(u) ** 2,
    "asin":  lambda u: 1 / math.sqrt((1 - u) * (1 + u)),
    "acos":  lambda u: -1 / math.sqrt((1 - u) * (1 + u)),
    "atan":  lambda u: 1 / (1 + u * u),
    "sinh":  math.cosh,
    "cosh":  math.sinh,
    "tanh":  _sech2,
    "asinh": lambda u: 1 / math.hypot(u, 1),
    "acosh": lambda u: 1 / math.sqrt((u - 1) * (u + 1)),
    "atanh": lambda u: 1 / ((1 - u) * (1 + u)),
    "exp":   math.exp,
    "log":   lambda u: 1 / u,
    "cbrt":  lambda u: 1 / (3 * abs(u) ** (2 / 3)),
    "sinc":  _sinc_slope,
    "log10": lambda u: 1 / (u * math.log(10)),
    "log2":  lambda u: 1 / (u * math.log(2)),
    "log1p": lambda u: 1 / (1 + u),
    "expm1": math.exp,
    "atan2": (lambda y, x: x / (x * x + y * y),         lambda y, x: -y / (x * x + y * y)),
    "hypot": (lambda x, y: x / math.hypot(x, y),        lambda x, y: y / math.hypot(x, y)),
    "coth":  lambda u: -_csch(u) ** 2,
    "sech":  lambda u: -math.tanh(u) * _sech(u),
    "csch":  lambda u: -_csch(u) / math.tanh(u),
    "acot":  lambda u: -1 / (1 + u * u),
    "asec":  _secant_slope,
    "acsc":  lambda u: -_secant_slope(u),
    "acoth": lambda u: 1 / ((1 - u) * (1 + u)),
    "asech": lambda u: -1 / (u * math.sqrt((1 - u) * (1 + u))),
    "acsch": lambda u: -1 / (u * u * math.sqrt(1 + 1 / (u * u))),
    "sigmoid": _sigmoid_slope,
    "softplus": lambda u: (1 + math.tanh(u / 2)) / 2,
    "erf":   lambda u: 2 / math.sqrt(math.pi) * math.exp(-u * u),
    "erfc":  lambda u: -2 / math.sqrt(math.pi) * math.exp(-u * u),
    "gamma": lambda u: math.gamma(u) * _psi(u),
    "loggamma": _psi,
    "digamma": lambda u: _zeta(2, u),
    "polygamma": (_no_order_slope,                      _polygamma_slope),
    "abs":   sign,
    "sign":  lambda u: 0.0,
    "step":  lambda u: 0.0,
    "relu":  lambda u: 1.0 if u > 0 else 0.0,
    "pow":   (lambda a, b: b * _pow(a, b - 1),          lambda a, b: _pow(a, b) * _log(a)),
    "max":   (lambda a, b: (1 + sign(a - b)) / 2,      lambda a, b: (1 - sign(a - b)) / 2),
    "min":   (lambda a, b: (1 - sign(a - b)) / 2,      lambda a, b: (1 + sign(a - b)) / 2),
}


def add_oracle(name: str, partials) -> None:
    """The entry of a function defined at run time (``define_function``): one float
    function, or a tuple of one per argument. An entry is never replaced."""
    if name in NUMERIC_PARTIALS:
        raise ValueError(f"the oracles already have partials for {name}")
    NUMERIC_PARTIALS[name] = partials


def local_partial(node: Expr, index: int, args: list[float]) -> float:
    """d node / d args[index] at the argument values ``args`` (a function or a power).

    A point where the node has a value but no derivative (sqrt at 0, asin at 1) is an
    ``EvaluationError`` that names the node.
    """
    rule = NUMERIC_PARTIALS["pow" if type(node) is Pow else node.name]
    try:
        partial = rule(*args) if len(args) == 1 else rule[index](*args)
    except (ValueError, ZeroDivisionError) as error:
        shown = ", ".join(f"{a:g}" for a in args)
        raise EvaluationError(f"the derivative of {describe(node)} is undefined here "
                              f"({error}), at {shown}") from None
    except OverflowError:
        raise EvaluationError(f"the derivative of {describe(node)} overflows a float") from None
    return float(partial)


