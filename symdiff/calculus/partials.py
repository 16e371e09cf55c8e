"""The derivative table: for each function, its local partial derivative(s), one line each.

Only the local partial lives here (d sin(u)/du = cos(u)); ``diff.py`` applies the chain rule
once for every function. A one-argument function maps to ``lambda u: ...``; a function of
several arguments maps to a tuple with one partial per argument, each taking all arguments.

Conventions at kinks (where the true derivative does not exist):
  d|u|/du = sign(u) (0 at u = 0); relu'(u) = step(u) (0 at u = 0);
  max(a, b) and min(a, b) split a tie half and half; sign and step have derivative 0.
"""
from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ..core.nodes import Expr, Pow, as_expr
from ..core.functions import (Abs, Acos, Acosh, Asin, Asinh, Atan, Atanh, Cos, Cosh, Cot, Csc, Exp,
                        Log, Max, Min, Relu, Sec, Sign, Sin, Sinh, Step, Tan, Tanh, sqrt)

HALF = Fraction(1, 2)

PARTIALS = {
    Sin:   lambda u: Cos(u),
    Cos:   lambda u: -Sin(u),
    Tan:   lambda u: 1 + Tan(u) ** 2,
    Sec:   lambda u: Sec(u) * Tan(u),
    Csc:   lambda u: -Csc(u) * Cot(u),
    Cot:   lambda u: -(1 + Cot(u) ** 2),
    Asin:  lambda u: 1 / sqrt(1 - u ** 2),
    Acos:  lambda u: -1 / sqrt(1 - u ** 2),
    Atan:  lambda u: 1 / (1 + u ** 2),
    Sinh:  lambda u: Cosh(u),
    Cosh:  lambda u: Sinh(u),
    Tanh:  lambda u: 1 - Tanh(u) ** 2,
    Asinh: lambda u: 1 / sqrt(u ** 2 + 1),
    Acosh: lambda u: 1 / sqrt(u ** 2 - 1),
    Atanh: lambda u: 1 / (1 - u ** 2),
    Exp:   lambda u: Exp(u),
    Log:   lambda u: 1 / u,
    Abs:   lambda u: Sign(u),
    Sign:  lambda u: 0,
    Step:  lambda u: 0,
    Relu:  lambda u: Step(u),
    Pow:  (lambda a, b: b * a ** (b - 1),       lambda a, b: a ** b * Log(a)),
    Max:  (lambda a, b: (1 + Sign(a - b)) * HALF, lambda a, b: (1 - Sign(a - b)) * HALF),
    Min:  (lambda a, b: (1 - Sign(a - b)) * HALF, lambda a, b: (1 + Sign(a - b)) * HALF),
}


def partials_of(node: Expr, wanted: Sequence[int]) -> list[Expr]:
    """d node / d node.args[i] for each i in ``wanted``, for a power or a function call (sums
    and products are the sweeps' own business). The one way derivative code asks for them."""
    rule = PARTIALS[type(node)]
    args = node.args
    if len(args) == 1:
        return [as_expr(rule(args[0]))] if wanted else []
    return [as_expr(rule[i](*args)) for i in wanted]
