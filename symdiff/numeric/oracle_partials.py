"""The oracles' own table of local partial derivatives, as floats: one line per function.

Written on purpose apart from the function declarations (``core/functions``) that the
symbolic derivatives read: an oracle that shared the symbolic table would repeat its
mistakes. The formulas are often different forms of the same derivative (tan' = 1/cos², not
1 + tan²). Dual numbers (``dual.py``), the numeric tape (``tape.py``) and ``explain`` use it;
a completeness test fails when a declared function has no entry here.
"""
from __future__ import annotations

import math

from ..core.errors import EvaluationError
from ..core.functions import (Abs, Acos, Acosh, Asin, Asinh, Atan, Atanh, Cos, Cosh, Cot, Csc, Exp,
                              Log, Max, Min, Relu, Sec, Sign, Sin, Sinh, Step, Tan, Tanh)
from ..core.nodes import Expr, Pow
from .evaluate import _describe


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


#: d f / d argument as floats, one line per function; a tuple has one partial per argument.
#: Kinks follow derivatives.py's conventions: |u|' = sign(u), relu' = step(u), ties of max
#: and min split half and half, sign' = step' = 0.
NUMERIC_PARTIALS = {
    Sin:   math.cos,
    Cos:   lambda u: -math.sin(u),
    Tan:   lambda u: 1 / math.cos(u) ** 2,
    Sec:   lambda u: math.sin(u) / math.cos(u) ** 2,
    Csc:   lambda u: -math.cos(u) / math.sin(u) ** 2,
    Cot:   lambda u: -1 / math.sin(u) ** 2,
    Asin:  lambda u: 1 / math.sqrt((1 - u) * (1 + u)),
    Acos:  lambda u: -1 / math.sqrt((1 - u) * (1 + u)),
    Atan:  lambda u: 1 / (1 + u * u),
    Sinh:  math.cosh,
    Cosh:  math.sinh,
    Tanh:  _sech2,
    Asinh: lambda u: 1 / math.hypot(u, 1),
    Acosh: lambda u: 1 / math.sqrt((u - 1) * (u + 1)),
    Atanh: lambda u: 1 / ((1 - u) * (1 + u)),
    Exp:   math.exp,
    Log:   lambda u: 1 / u,
    Abs:   sign,
    Sign:  lambda u: 0.0,
    Step:  lambda u: 0.0,
    Relu:  lambda u: 1.0 if u > 0 else 0.0,
    Pow:   (lambda a, b: b * _pow(a, b - 1),          lambda a, b: _pow(a, b) * _log(a)),
    Max:   (lambda a, b: (1 + sign(a - b)) / 2,      lambda a, b: (1 - sign(a - b)) / 2),
    Min:   (lambda a, b: (1 - sign(a - b)) / 2,      lambda a, b: (1 + sign(a - b)) / 2),
}


def local_partial(node: Expr, index: int, args: list[float]) -> float:
    """d node / d args[index] at the argument values ``args`` (a function or a power).

    A point where the node has a value but no derivative (sqrt at 0, asin at 1) is an
    ``EvaluationError`` that names the node.
    """
    rule = NUMERIC_PARTIALS[type(node)]
    try:
        partial = rule(*args) if len(args) == 1 else rule[index](*args)
    except (ValueError, ZeroDivisionError) as error:
        shown = ", ".join(f"{a:g}" for a in args)
        raise EvaluationError(f"the derivative of {_describe(node)} is undefined here "
                              f"({error}), at {shown}") from None
    except OverflowError:
        raise EvaluationError(f"the derivative of {_describe(node)} overflows a float") from None
    return float(partial)


