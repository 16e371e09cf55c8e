"""Sums: ``Add`` nodes, built with the local rewrites that are always true.

A sum flattens nested sums, folds its numbers into one constant (``x+0`` is x), collects like
terms (``x*y + 2*y*x = 3*x*y``) and orders its terms by degree, then sort key, with the
constant last. A number times a short sum is taken into the terms (``-(x - y) = y - x``).
"""
from __future__ import annotations

import operator

from . import exact
from .expr import Const, Expr, as_expr
from .intern import create, lookup
from .order import product_key, sum_key
from .products import FLATTEN_LIMIT, Mul, interned_product

# A number times a sum of at most this many terms is distributed: -(x - y) -> y - x. (Longer
# sums stay factored, so nested differences 100,000 deep still build in linear time.)
DISTRIBUTE_LIMIT = 8

_first = operator.itemgetter(0)


def interned_sum(args: tuple) -> Expr:
    """The sum node of already-canonical terms (two or more; no checks)."""
    key = (Add, args)
    node = lookup(key)
    if node is not None:
        return node
    return create(Add, key, args, sum_key(args), max(a.degree for a in args))


def like_term_key(term: Expr):
    """(coefficient, rest) of a term that is not a number: ``3*x*y`` -> (3, (x, y)); ``x`` ->
    (1, x). Terms with the same rest are like terms. The rest is a node, or the factors of a
    product (the node is then built only if the sum needs it)."""
    if type(term) is not Mul:
        return 1, term
    factors = term.args
    if type(factors[0]) is not Const:
        return 1, factors
    if len(factors) > 2:
        return factors[0].value, factors[1:]
    rest = factors[1]                         # a number times one factor: a long product?
    return factors[0].value, (rest.args if type(rest) is Mul else rest)


def _rest_order(rest, term) -> tuple:
    """Where a rest goes in a sum: by degree, highest first, then by sort key. ``term`` is the
    sum's operand that had this rest, if only one had."""
    if type(rest) is not tuple:
        return (-rest.degree, rest.sort_key)
    if term is not None:
        if term.args is rest:                 # a product without a coefficient
            return (-term.degree, term.sort_key)
        if len(term.args) == 2:               # a number times one long product
            return (-term.args[1].degree, term.args[1].sort_key)
    node = lookup((Mul, rest))
    if node is not None:
        return (-node.degree, node.sort_key)
    return (-sum(a.degree for a in rest), product_key(rest, rest))


def term_node(coefficient, rest) -> Expr:
    """The term ``coefficient * rest`` (a rest from ``like_term_key``)."""
    if coefficient == 1 and exact.is_exact(coefficient):
        return interned_product(rest) if type(rest) is tuple else rest
    return interned_product((Const(coefficient), *rest) if type(rest) is tuple
                            else (Const(coefficient), rest))


def _scale_sum(coefficient, total: "Add") -> Expr:
    """``coefficient * (t1 + t2 + ...)`` distributed: each term's own coefficient is scaled.

    Scaling keeps the terms distinct and in order, so the sum is interned directly; only when
    a term's coefficient becomes 0 (a float underflow) or 1, or a term is a long product
    that a product would not flatten, does it go through the general constructors."""
    scaled = []
    for term in total.args:
        kind = type(term)
        if kind is Const:
            value = exact.mul(exact.mul(1, coefficient), term.value)
            if value == 0:
                break
            scaled.append(Const(value))
            continue
        if kind is Mul and len(term.args) > FLATTEN_LIMIT:
            break
        if kind is Mul and type(term.args[0]) is Const:
            value, rest = exact.mul(exact.mul(1, coefficient), term.args[0].value), term.args[1:]
        else:
            value, rest = exact.mul(1, coefficient), (term,) if kind is not Mul else term.args
        if value == 0 or (value == 1 and exact.is_exact(value)):
            break
        scaled.append(interned_product((Const(value), *rest)))
    else:
        return interned_sum(tuple(scaled))
    return Add(*(Mul(coefficient, term) for term in total.args))


class Add(Expr, operator="+"):
    """A sum of two or more terms; constant last, then terms by degree, then by sort key."""

    __slots__ = ()

    def __new__(cls, *args):
        if len(args) == 2 and type(args[0]) is Const and type(args[1]) is Const:
            return Const(exact.add(exact.add(0, args[0].value), args[1].value))
        constant = 0
        coefficients: dict = {}          # rest -> coefficient
        alone: dict = {}                 # rest -> its term, while no like term joins it
        for arg in args:
            if not isinstance(arg, Expr):
                arg = as_expr(arg)
            for term in (arg.args if type(arg) is Add and len(arg.args) <= FLATTEN_LIMIT
                         else (arg,)):
                if type(term) is Const:
                    constant = exact.add(constant, term.value)
                    continue
                coefficient, rest = like_term_key(term)
                previous = coefficients.get(rest)
                if previous is None:
                    coefficients[rest] = coefficient
                    alone[rest] = term
                else:
                    coefficients[rest] = exact.add(previous, coefficient)
                    alone.pop(rest, None)
        return sum_of_terms(coefficients, alone, constant)

    def _times_number(self, coefficient):
        return _scale_sum(coefficient, self) if len(self.args) <= DISTRIBUTE_LIMIT else None


def sum_of_terms(coefficients: dict, alone: dict, constant) -> Expr:
    """The canonical sum of like-term coefficients (rest -> coefficient, in the order the rests
    came), the terms that stood alone (rest -> term) and a constant: zeros dropped, terms in
    order, the constant last."""
    if len(coefficients) == 1:
        (rest, coefficient), = coefficients.items()
        parts = [(None, rest, coefficient)] if coefficient != 0 else []
    else:
        parts = [(_rest_order(rest, alone.get(rest)), rest, c)
                 for rest, c in coefficients.items() if c != 0]
        parts.sort(key=_first)
    result = []
    for _, rest, coefficient in parts:
        term = alone.get(rest)
        result.append(term if term is not None else term_node(coefficient, rest))
    if constant != 0 or not result:
        result.append(Const(constant))
    if len(result) == 1:
        return result[0]
    return interned_sum(tuple(result))
