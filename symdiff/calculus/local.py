"""Local partial derivatives as both sweeps ask for them: d node / d node.args[i].

A sum's are 1 and a product's are the other factors, which the sweeps build themselves; every
other node (a power, a function call) gets its partials from ``calculus.partials.partials_of``,
the one place they are declared. An undefined function's call has no formula: its partial by
argument i is the same call differentiated once more by that argument (``f'(u)``,
``D[1](g)(u, v)``).
"""
from __future__ import annotations

from collections.abc import Sequence

from ..core.nodes import ONE, Add, Const, Expr, Mul
from ..core.products import interned_product
from ..core.undefined import AppliedFunction
from .partials import partials_of

#: Products with more factors than this get their "all factors but one" products from shared
#: prefix and suffix products (3k nodes) instead of k separate products of k - 1 factors.
PREFIX_PRODUCT_MIN = 4


def all_but_one(factors: tuple, wanted: Sequence[int]) -> list[Expr]:
    """For each wanted factor, the product of all the others, without dividing (a factor may
    be 0).

    Short products are multiplied out directly; long ones combine a shared prefix product
    with a shared suffix product, so a k-factor product costs O(k) new nodes, not O(k^2).
    """
    k = len(factors)
    if k == 2:
        return [factors[1 - i] for i in wanted]
    if k <= PREFIX_PRODUCT_MIN or len(wanted) <= 2:
        return [_without(factors, i) for i in wanted]
    prefix = [ONE]
    for factor in factors[:-1]:
        prefix.append(Mul(prefix[-1], factor))
    suffix = [ONE]
    for factor in reversed(factors[1:]):
        suffix.append(Mul(factor, suffix[-1]))
    suffix.reverse()
    return [Mul(prefix[i], suffix[i]) for i in wanted]


def _without(factors: tuple, i: int) -> Expr:
    """The product of a canonical product's factors but the i-th (not its number): the rest
    are canonical factors in order, so they make a product as they are, unless a number is
    left with one factor (it may distribute over a sum)."""
    rest = factors[:i] + factors[i + 1:]
    if len(rest) > 2 or (len(rest) == 2 and type(rest[0]) is not Const):
        return interned_product(rest)
    return Mul(*rest)


def local_partials(node: Expr, wanted: Sequence[int]) -> list[Expr]:
    """d node / d node.args[i] for each i in ``wanted``."""
    if type(node) is Add:
        return [ONE] * len(wanted)
    if type(node) is Mul:
        return all_but_one(node.args, wanted)
    if type(node) is AppliedFunction:
        return [node.differentiated(i) for i in wanted]
    return partials_of(node, wanted)
