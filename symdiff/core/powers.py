"""Powers: ``base ^ exponent``, built with the local rewrites that are always true.

Exact constant powers are folded while they stay small (``core.exact`` declines the rest),
a power of numbers with no real value (``0^-1``, ``(-1)^(1/2)``) is refused,
``x^0 = 1``, ``x^1 = x``, ``(u^a)^n = u^(a*n)`` for an integer n; a base with a cheaper form
of its own powers says so through ``Expr._power_of`` (products: ``(x*y)^n = x^n*y^n``;
``exp(a)^b = exp(a*b)``; ``e^u = exp(u)``). Square roots are ``Pow(u, 1/2)`` and quotients
use ``Pow(u, -1)``, so powers of one base combine in products.
"""
from __future__ import annotations

from . import exact
from .errors import UndefinedError
from .expr import Const, Expr, as_expr
from .intern import create, lookup
from .order import power_key


def _refuse_undefined(base, exponent) -> None:
    """A power of two numbers that has no real value is an ``UndefinedError`` (the rule the
    evaluator applies at a point), so no formula holds ``1/0`` for ``0*(1/0)`` to fold to 0."""
    problem = exact.undefined_power(base, exponent)
    if problem == "zero":
        shown = "1/0" if exponent == -1 else f"0^{exact.describe(exponent)}"
        raise UndefinedError(f"{shown} is undefined: a division by zero")
    if problem == "negative":
        shown = exact.describe(exponent)
        shown = shown if exact.is_integer(exponent) or isinstance(exponent, float) else f"({shown})"
        raise UndefinedError(f"({exact.describe(base)})^{shown} is not a real number: a "
                             f"negative base with a non-integer exponent")


class Pow(Expr, operator="^"):
    """``base ^ exponent``. Square roots are ``Pow(u, 1/2)``, quotients use ``Pow(u, -1)``."""

    __slots__ = ()

    def __new__(cls, base, exponent):
        if not isinstance(base, Expr):
            base = as_expr(base)
        if not isinstance(exponent, Expr):
            exponent = as_expr(exponent)
        if type(exponent) is Const:
            e = exponent.value
            if type(base) is Const:
                folded = exact.power(base.value, e)
                if folded is not None:
                    return Const(folded)
                _refuse_undefined(base.value, e)
            if e == 0:
                return Const(1 if exact.is_exact(e) else 1.0)
            if e == 1 and exact.is_exact(e):
                return base
            if type(base) is Pow and exact.is_integer(e):   # (u^a)^n = u^(a*n), integer n
                return Pow(base.args[0], base.args[1] * exponent)
        if type(base) is Const and base.value == 1 and exact.is_exact(base.value):
            return base
        rewritten = base._power_of(exponent)
        if rewritten is not None:
            return rewritten
        args = (base, exponent)
        key = (Pow, args)
        node = lookup(key)
        if node is not None:
            return node
        degree = base.degree
        if type(exponent) is Const and degree:
            try:
                degree = degree * float(exponent.value)
            except OverflowError:      # an exponent past float range: order it as huge
                degree = float("inf") if exponent.value > 0 else float("-inf")
        return create(cls, key, args, power_key(base, exponent), degree)
