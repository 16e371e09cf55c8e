"""What can be said about the sign of an expression over the reals, without any assumptions
on the variables: ``exp(x) > 0``, ``x^2 + 1 > 0``, ``abs(x) >= 0``; ``x - 1``: nothing.

Each node gets the set of signs it can take (a subset of {-1, 0, 1}), computed bottom-up in
topological order. Rule conditions (``where a > 0``) use it: a guarded rule fires only when
the condition is *known* to hold.
"""
from __future__ import annotations

from ..core import exact
from ..core.nodes import Add, Const, Constant, Expr, Mul, Pow
from ..core.functions import (Abs, Acos, Acosh, Asinh, Atan, Cosh, Exp, Relu, Sign, Sinh, Step,
                        Tanh)
from ..core.walk import topological

ANY = frozenset({-1, 0, 1})
POSITIVE, NEGATIVE, ZERO = frozenset({1}), frozenset({-1}), frozenset({0})
NONNEGATIVE, NONPOSITIVE, NONZERO = frozenset({0, 1}), frozenset({-1, 0}), frozenset({-1, 1})

#: Functions with the sign of their argument (odd and increasing through 0).
SAME_SIGN = (Sinh, Tanh, Asinh, Atan, Sign)
#: Functions that are never negative, or always positive.
ALWAYS_POSITIVE = (Exp, Cosh)
NEVER_NEGATIVE = (Abs, Step, Relu, Acos, Acosh)


def _number_signs(value) -> frozenset:
    return POSITIVE if value > 0 else NEGATIVE if value < 0 else ZERO


def _sum_signs(signs: list[frozenset]) -> frozenset:
    if all(s <= NONNEGATIVE for s in signs):
        return POSITIVE if any(s == POSITIVE for s in signs) else (
            ZERO if all(s == ZERO for s in signs) else NONNEGATIVE)
    if all(s <= NONPOSITIVE for s in signs):
        return NEGATIVE if any(s == NEGATIVE for s in signs) else (
            ZERO if all(s == ZERO for s in signs) else NONPOSITIVE)
    return ANY


def _product_signs(signs: list[frozenset]) -> frozenset:
    result = POSITIVE
    for s in signs:
        result = frozenset(a * b for a in result for b in s)
    return result


def _power_signs(base: frozenset, exponent: Expr) -> frozenset:
    if type(exponent) is not Const:
        return POSITIVE if base == POSITIVE else ANY
    e = exponent.value
    nonzero = base - ZERO
    if e < 0 and not nonzero:
        return ANY
    if exact.is_integer(e):
        if e % 2 == 0:
            return POSITIVE if 0 not in base else NONNEGATIVE
        return base if e > 0 else nonzero
    # a fractional or float power is real only for a non-negative base, and then >= 0
    return POSITIVE if base == POSITIVE else (NONNEGATIVE if e > 0 else POSITIVE)


def signs(expr: Expr) -> frozenset:
    """The signs ``expr`` can take where it is defined: a subset of {-1, 0, 1}."""
    known: dict[Expr, frozenset] = {}
    for node in topological(expr):
        kind = type(node)
        args = [known[a] for a in node.args]
        if kind is Const:
            result = _number_signs(node.value)
        elif kind is Constant:
            result = _number_signs(node.value)
        elif kind is Add:
            result = _sum_signs(args)
        elif kind is Mul:
            result = _product_signs(args)
        elif kind is Pow:
            result = _power_signs(args[0], node.args[1])
        elif issubclass(kind, ALWAYS_POSITIVE):
            result = POSITIVE
        elif issubclass(kind, NEVER_NEGATIVE):
            result = POSITIVE if kind is Abs and 0 not in args[0] else NONNEGATIVE
        elif issubclass(kind, SAME_SIGN):
            result = args[0]
        else:
            result = ANY
        known[node] = result
    return known[expr]


def is_positive(expr: Expr) -> bool:
    return signs(expr) == POSITIVE


def is_nonnegative(expr: Expr) -> bool:
    return signs(expr) <= NONNEGATIVE


def is_negative(expr: Expr) -> bool:
    return signs(expr) == NEGATIVE


def is_nonpositive(expr: Expr) -> bool:
    return signs(expr) <= NONPOSITIVE


def is_nonzero(expr: Expr) -> bool:
    return 0 not in signs(expr)
