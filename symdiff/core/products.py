"""Products: ``Mul`` nodes, built with the local rewrites that are always true.

A product flattens nested products, folds its numbers into one leading coefficient (``x*0``
is 0, ``x*1`` is x), merges powers of one base (``x*x = x^2``, ``sqrt(x)*sqrt(x) = x``) and
orders its factors by sort key; a number times a short sum is distributed by the sum
(``Expr._times_number``). Two-factor products are most of what differentiation builds
(adjoint * partial), so they have fast paths that build the result straight from canonical
operands; tests check them against the general path. ``product_plan`` returns the factors of
a new product without interning it (a plan): a reverse sweep multiplies such a plan again
before it knows whether the product is kept.
"""
from __future__ import annotations

import bisect
import operator

from . import exact
from .expr import ONE, Const, Expr, as_expr
from .intern import create, lookup
from .order import product_key
from .powers import Pow

# A product with more than this many operands is not flattened into an enclosing product (a
# sum: into an enclosing sum) but kept as one operand. Flattening copies its operands, so
# building a chain incrementally (the derivative of sin(sin(...(x))) is a product of 100,000
# cosines) would otherwise cost quadratic time.
FLATTEN_LIMIT = 32

_sort_key_of = operator.attrgetter("sort_key")
_degree_of = operator.attrgetter("degree")


def interned_product(args: tuple) -> Expr:
    """The product node of already-canonical factors (two or more; no checks)."""
    key = (Mul, args)
    node = lookup(key)
    if node is not None:
        return node
    body = args[1:] if type(args[0]) is Const else args
    return create(Mul, key, args, product_key(args, body), sum(map(_degree_of, args)))


def _base(factor: Expr) -> Expr:
    return factor.args[0] if type(factor) is Pow else factor


def scaled_factors(coefficient, args: tuple):
    """``coefficient * Mul(*args)`` for the factors ``args`` of a flattenable product: the
    factors of the result (a tuple), the result itself when it is one factor, or None when the
    general path must decide (the coefficient becomes 0)."""
    if type(args[0]) is Const:
        coefficient, args = exact.mul(coefficient, args[0].value), args[1:]
    if coefficient == 0:
        return None
    if coefficient == 1 and exact.is_exact(coefficient):
        return args[0] if len(args) == 1 else args
    if len(args) == 1 and coefficient == -1 and exact.is_exact(coefficient):
        negated = args[0]._times_number(coefficient)    # -(2*(x + y)/2): a sum negated
        if negated is not None:
            return negated
    return (Const(coefficient), *args)


def inserted_factor(args: tuple, factor: Expr) -> tuple | None:
    """The factors of ``Mul(*args) * factor`` for the factors of a flattenable product and a
    factor that is neither a number nor a product, when no factor has its base (else None:
    powers merge on the general path). Growing a chain of factors this way (the derivative
    of sin(sin(...))) leaves the factors already there as they are."""
    base = factor.args[0] if type(factor) is Pow else factor
    for f in args:
        if (f.args[0] if type(f) is Pow else f) is base:
            return None
    start = 1 if type(args[0]) is Const else 0
    index = bisect.bisect_right(args, factor.sort_key, lo=start, key=_sort_key_of)
    return (*args[:index], factor, *args[index:])


def merged_factors(first: tuple, second: tuple):
    """The factors of ``Mul(*first) * Mul(*second)`` for the factors of two flattenable
    products that share no base (else None: powers merge on the general path): their numbers
    multiplied, their factors sorted together, as the general path does it."""
    coefficient = 1
    if type(first[0]) is Const:
        coefficient, first = exact.mul(coefficient, first[0].value), first[1:]
    if type(second[0]) is Const:
        coefficient, second = exact.mul(coefficient, second[0].value), second[1:]
    bases = {f.args[0] if type(f) is Pow else f for f in first}
    for f in second:
        if (f.args[0] if type(f) is Pow else f) in bases:
            return None
    if coefficient == 0:
        return Const(coefficient)
    factors = sorted((*first, *second), key=_sort_key_of)
    if coefficient == 1 and exact.is_exact(coefficient):
        return tuple(factors)
    return (Const(coefficient), *factors)


def product_plan(a, b):
    """``a * b`` for the common shapes, straight from canonical operands: the result's factors
    (a tuple, not yet interned: a plan), the result itself when it is not a new product, or
    None when the general path must decide (like bases to merge, a zero, two products...).

    ``a`` may itself be a plan (a product's factors, from an earlier call): a derivative
    multiplies adjoints by partials again and again, and only the product it keeps needs to
    become a node. Tests check this path against the general one."""
    kind_a, kind_b = type(a), type(b)
    if kind_a is tuple:
        if len(a) > FLATTEN_LIMIT:                 # kept whole inside a product: a node
            a, kind_a = interned_product(a), Mul
        else:
            kind_a = Mul
    if kind_b is Const:
        if kind_a is Const:
            return Const(exact.mul(exact.mul(1, a.value), b.value))
        a, b, kind_a, kind_b = b, a, kind_b, kind_a
    if kind_a is Const:                       # a number times an expression
        c = exact.mul(1, a.value)
        if c == 0:
            return None
        if kind_b is Mul:
            factors = b if type(b) is tuple else b.args
            if len(factors) <= FLATTEN_LIMIT:
                return scaled_factors(c, factors)
        if c == 1 and exact.is_exact(c):
            return b
        scaled = b._times_number(c)
        return scaled if scaled is not None else (a, b)     # a is Const(c): 1*v is v
    if kind_a is Mul:
        factors = a if type(a) is tuple else a.args
        if len(factors) <= FLATTEN_LIMIT:
            if kind_b is not Mul:
                return inserted_factor(factors, b)
            return merged_factors(factors, b.args) if len(b.args) <= FLATTEN_LIMIT else None
    if kind_b is Mul and len(b.args) <= FLATTEN_LIMIT:
        return None if kind_a is Mul else inserted_factor(b.args, a)
    if (a.args[0] if kind_a is Pow else a) is (b.args[0] if kind_b is Pow else b):
        return None
    return (a, b) if a.sort_key <= b.sort_key else (b, a)


def _operands(node: Expr) -> tuple:
    """The factors to merge when ``node`` appears inside a product."""
    if type(node) is Mul and len(node.args) <= FLATTEN_LIMIT:
        return node.args
    return (node,)


def _split_power(factor: Expr):
    """``x^3`` -> (x, 3); ``x`` -> (x, 1)."""
    if type(factor) is Pow:
        return factor.args
    return factor, ONE


class Mul(Expr, operator="*"):
    """A product of two or more factors; numeric coefficient first, then by sort key."""

    __slots__ = ()

    def __new__(cls, *args):
        if len(args) == 2:                   # the common 1*u and u*1 (adjoints, seeds)
            a, b = args
            if isinstance(a, Expr) and isinstance(b, Expr):
                if a is ONE:
                    return b
                if b is ONE:
                    return a
                product = product_plan(a, b)
                if type(product) is tuple:
                    return interned_product(product)
                if product is not None:
                    return product
        if not args:
            return ONE                       # the empty product
        return general_product([as_expr(a) for a in args])

    def _power_of(self, exponent):
        if (type(exponent) is Const and exact.is_integer(exponent.value)
                and len(self.args) <= FLATTEN_LIMIT):      # (x*y)^n = x^n*y^n, integer n
            return Mul(*(Pow(f, exponent) for f in self.args))
        return None


def general_product(pending: list[Expr]) -> Expr:
    """The canonical product of ``pending``: numbers folded, powers of one base merged (again,
    while merging makes new numbers or bases: sqrt(2)^2, exp(y)^2 = exp(2*y)), sorted."""
    coefficient = 1
    powers: dict[Expr, Expr] = {}
    alone: dict[Expr, Expr] = {}     # base -> its factor, while no other factor shares it
    while pending:
        again = []
        for arg in pending:
            for factor in _operands(arg):
                if type(factor) is Const:
                    coefficient = exact.mul(coefficient, factor.value)
                    continue
                base, exponent = _split_power(factor)
                previous = powers.get(base)
                if previous is None:
                    powers[base] = exponent
                    alone[base] = factor
                else:
                    powers[base] = previous + exponent
                    alone.pop(base, None)
        if coefficient == 0:
            return Const(coefficient)
        factors = []
        for base, exponent in powers.items():
            factor = alone.get(base)
            if factor is not None:           # unchanged: already a canonical factor
                factors.append(factor)
                continue
            factor = base if exponent is ONE else Pow(base, exponent)
            if (type(factor) is Const or len(_operands(factor)) > 1   # sqrt(2)^2, x^0
                    or _base(factor) is not base):     # exp(y)^2 is exp(2*y): merge again
                again.append(factor)
            else:
                factors.append(factor)
        if again:
            powers, alone = {}, {}
            for factor in factors:
                base, exponent = _split_power(factor)
                powers[base] = exponent
                alone[base] = factor
            pending = again
            continue
        break
    factors.sort(key=_sort_key_of)
    unit = coefficient == 1 and exact.is_exact(coefficient)
    if len(factors) == 1 and not unit:
        scaled = factors[0]._times_number(coefficient)
        if scaled is not None:
            return scaled
    if not unit or not factors:
        factors.insert(0, Const(coefficient))
    if len(factors) == 1:
        return factors[0]
    return interned_product(tuple(factors))
