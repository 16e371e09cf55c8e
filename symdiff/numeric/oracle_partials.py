"""The oracles' own table of local partial derivatives, as floats: one line per function.

Written on purpose apart from the function declarations (``core.elementary``,
``core.piecewise``) that the symbolic derivatives read: an oracle that shared the symbolic
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


#: d f / d argument as floats, one line per function; a tuple has one partial per argument.
#: Kinks follow the declarations' conventions: |u|' = sign(u), relu' = step(u), ties of max
#: and min split half and half, sign' = step' = 0; sinc' = 0 at 0 (its limit).
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


