"""What can be said about the sign of an expression over the reals, without any assumptions
on the variables: ``exp(x) > 0``, ``x^2 + 1 > 0``, ``abs(x) >= 0``; ``x - 1``: nothing.

Each node gets the set of signs it can take (a subset of {-1, 0, 1}), computed bottom-up in
topological order. Rule conditions (``where a > 0``) use it: a guarded rule fires only when
the condition is *known* to hold.
"""
from __future__ import annotations

import weakref

from ..core import exact
from ..core.declarations import Function
from ..core.nodes import Add, Const, Constant, Expr, Mul, Pow
from ..core.walk import by_kind, fold

ANY = frozenset({-1, 0, 1})
POSITIVE, NEGATIVE, ZERO = frozenset({1}), frozenset({-1}), frozenset({0})
NONNEGATIVE, NONPOSITIVE, NONZERO = frozenset({0, 1}), frozenset({-1, 0}), frozenset({-1, 1})

#: A declaration's sign fact (``FunctionSpec.signs``) -> the signs of a call, from the signs
#: of its first argument.
SIGN_FACTS = {
    "positive": lambda arg: POSITIVE,                                   # exp, cosh
    "nonnegative": lambda arg: NONNEGATIVE,                             # step, relu, acos
    "magnitude": lambda arg: NONNEGATIVE if 0 in arg else POSITIVE,     # abs
    "same": lambda arg: arg,                                            # sinh, atan, sign
}


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
    if exact.is_integer(e) or (isinstance(e, float) and e.is_integer()):  # z^5.0 is real
        if e % 2 == 0:
            return POSITIVE if 0 not in base else NONNEGATIVE
        return base if e > 0 else nonzero
    # a fractional or float power is real only for a non-negative base, and then >= 0
    return POSITIVE if base == POSITIVE else (NONNEGATIVE if e > 0 else POSITIVE)


def _function_signs(node: Function, args: list[frozenset]) -> frozenset:
    spec = node.spec
    fact = SIGN_FACTS.get(spec.signs) if spec is not None else None
    return fact(args[0]) if fact is not None else ANY


_STEP = by_kind({
    Const: lambda node, args: _number_signs(node.value),
    Constant: lambda node, args: _number_signs(node.value),
    Add: lambda node, args: _sum_signs(args),
    Mul: lambda node, args: _product_signs(args),
    Pow: lambda node, args: _power_signs(args[0], node.args[1]),
    Function: _function_signs,
}, default=lambda node, args: ANY)


_SIGNS: "weakref.WeakKeyDictionary[Expr, frozenset]" = weakref.WeakKeyDictionary()


def signs(expr: Expr) -> frozenset:
    """The signs ``expr`` can take where it is defined: a subset of {-1, 0, 1}. Remembered
    per node while the node lives, so a condition checked at every level of a deep formula
    costs each node once, not once per level."""
    known = _SIGNS.get(expr)
    if known is not None:
        return known
    return fold(expr, _STEP, _SIGNS)[expr]


def is_positive(expr: Expr) -> bool:
    return signs(expr) == POSITIVE


def is_nonnegative(expr: Expr) -> bool:
    return signs(expr) <= NONNEGATIVE


def is_negative(expr: Expr) -> bool:
    return signs(expr) == NEGATIVE


def is_nonpositive(expr: Expr) -> bool:
    return signs(expr) <= NONPOSITIVE


def is_zero(expr: Expr) -> bool:
    """Zero wherever defined: ``b == -a`` in a condition (``sigmoid(a) + sigmoid(b) -> 1
    where b == -a``) holds when ``b + a`` builds to 0, which a pattern ``-a`` cannot see
    through when ``a`` is a sum (``-(w*x + b)`` is the sum ``-w*x - b``)."""
    return signs(expr) == ZERO


def is_nonzero(expr: Expr) -> bool:
    return 0 not in signs(expr)
