"""The parser's products and negations as written: a number times a sum stays a product.

The constructors distribute a number over a short sum (``Mul(2, x + 1)`` is ``2*x + 2``), but
a formula written factored (``2*(x + 1)``, ``(x + 1)/2``, ``-(x + 1)/2``) reads as the held
product ``held_product(c, sum)``, the node the printer writes that way, so that ``parse(str(e))
is e`` for factored results too. Only a product whose other factors are all numbers is held;
``2*x*(x + 1)`` and everything else is built by the constructors as before.

The grammar's unary minus binds tighter than ``*`` and ``/``, so ``-(x + 1)/2`` reaches the
product as ``-x - 1`` divided by 2. ``negative`` therefore returns a ``Negated`` for the
negation of a sum: the negated node, with the sum it came from, which a product holds as
``-1/2*(x + 1)`` (and any other product as -1 times the sum); every other consumer takes
its node (``node_of``).
"""
from __future__ import annotations

from ..core import exact
from ..core.nodes import Add, Const, Expr, Mul, held_product


class Negated:
    """``-(sum)`` as written, inside one parse: ``node`` is what the constructors make of it
    (``-x - 1``), ``sum`` the sum negated (``x + 1``). Not a node: it never leaves the parse."""

    __slots__ = ("sum", "node")

    def __init__(self, total: Expr):
        self.sum, self.node = total, Mul(-1, total)


def node_of(value) -> Expr:
    """The node of a parsed value (a node, or the node of a ``Negated``)."""
    return value.node if type(value) is Negated else value


def _held_parts(value):
    """(coefficient, sum) of a factor that is a sum, a negated sum or a number times a sum
    (the held product ``Mul(Const, Add)``), else None."""
    kind = type(value)
    if kind is Add:
        return 1, value
    if kind is Negated:
        return -1, value.sum
    if kind is Mul and len(value.args) == 2 and type(value.args[0]) is Const \
            and type(value.args[1]) is Add:
        return value.args[0].value, value.args[1]
    return None


def negative(value):
    """``-value`` as written: a sum's negation is a ``Negated``, a negated sum is the sum
    again, a number times a sum has its number negated (``-(2*(x + 1))`` is ``-2*(x + 1)``)."""
    kind = type(value)
    if kind is Add:
        return Negated(value)
    if kind is Negated:
        return value.sum
    parts = _held_parts(value)
    if parts is not None:
        return held_product(exact.mul(-1, parts[0]), parts[1])
    return Mul(-1, value)


def _unnegated(factors: list) -> list:
    """The factors as nodes, each ``Negated`` as -1 and its sum."""
    found = []
    for factor in factors:
        if type(factor) is Negated:
            found += (Const(-1), factor.sum)
        else:
            found.append(factor)
    return found


def product(factors: list) -> Expr:
    """The product of parsed factors (nodes, ``Negated``; a quotient's divisors already
    reciprocals): numbers and one sum make a held product, anything else the constructor's,
    in which a negated sum is -1 times the sum (``-(x + y)/(2*z)`` keeps the sum ``x + y``)."""
    coefficient, held = 1, None
    for factor in factors:
        if type(factor) is Const:
            coefficient = exact.mul(coefficient, factor.value)
            continue
        parts = _held_parts(factor) if held is None else None
        if parts is None:
            return Mul(*_unnegated(factors))
        held = parts[1]
        coefficient = exact.mul(coefficient, parts[0])
    if held is None:
        return Mul(*factors)
    return held_product(coefficient, held)
