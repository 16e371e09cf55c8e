"""Sums: ``Add`` nodes, built with the local rewrites that are always true.

A sum flattens nested sums, folds its numbers into one constant (``x+0`` is x), collects like
terms (``x*y + 2*y*x = 3*x*y``) and orders its terms by degree, then sort key, with the
constant last. A number times a short sum is taken into the terms (``-(x - y) = y - x``).

``Terms`` is a sum's canonical terms before the sum is a node: ``Add`` builds its node from
one, and a reverse sweep keeps its adjoints as such plans (``sum_plan``, ``product_plan_of``,
``built``), so that what the next sum would flatten or the next number would scale is never
interned. A plan, built, is the node the constructors give.
"""
from __future__ import annotations

import operator

from . import exact
from .errors import NumberRangeError
from .expr import ONE, Const, Expr, as_expr
from .intern import create, lookup
from .order import product_key, sum_key
from .products import FLATTEN_LIMIT, Mul, general_product, interned_product, product_plan

# A number times a sum of at most this many terms is distributed: -(x - y) -> y - x. (Longer
# sums stay factored, so nested differences 100,000 deep still build in linear time.)
DISTRIBUTE_LIMIT = 8

_first = operator.itemgetter(0)
_degree_of = operator.attrgetter("degree")


def interned_sum(args: tuple) -> Expr:
    """The sum node of already-canonical terms (two or more; no checks)."""
    key = (Add, args)
    node = lookup(key)
    if node is not None:
        return node
    return create(Add, key, args, sum_key(args), max(map(_degree_of, args)))


def like_term_key(term: Expr):
    """(coefficient, rest) of a term that is not a number: ``3*x*y`` -> (3, (x, y)); ``x`` ->
    (1, x). Terms with the same rest are like terms. The rest is a node, or the factors of a
    product (the node is then built only if the sum needs it)."""
    return _like_factors(term.args) if type(term) is Mul else (1, term)


def _like_factors(factors: tuple):
    """``like_term_key`` of the product of ``factors``."""
    if type(factors[0]) is not Const:
        return 1, factors
    if len(factors) > 2:
        return factors[0].value, factors[1:]
    rest = factors[1]                         # a number times one factor: a long product?
    return factors[0].value, (rest.args if type(rest) is Mul else rest)


def _rest_order(rest, literal) -> tuple:
    """Where a rest goes in a sum: by degree, highest first, then by sort key. ``literal`` is
    the term that had this rest (a node, or a product's factors), if only one had."""
    if type(rest) is not tuple:
        return (-rest.degree, rest.sort_key)
    if literal is not None:
        factors = literal if type(literal) is tuple else literal.args
        if type(factors[0]) is not Const:     # a product without a number: the rest itself
            if type(literal) is not tuple:
                return (-literal.degree, literal.sort_key)
        elif len(factors) == 2:               # a number times one long product
            return (-factors[1].degree, factors[1].sort_key)
    node = lookup((Mul, rest))
    if node is not None:
        return (-node.degree, node.sort_key)
    return (-sum(map(_degree_of, rest)), product_key(rest, rest))


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
    factor = exact.mul(1, coefficient)
    for term in total.args:
        kind = type(term)
        if kind is Const:
            value = exact.mul(factor, term.value)
            if value == 0:
                break
            scaled.append(Const(value))
            continue
        if kind is Mul:
            args = term.args
            if len(args) > FLATTEN_LIMIT:
                break
            if type(args[0]) is Const:
                value, rest = exact.mul(factor, args[0].value), args[1:]
            else:
                value, rest = factor, args
        else:
            value, rest = factor, (term,)
        if value == 0 or (value == 1 and exact.is_exact(value)) or _negated_sum(value, rest):
            break
        scaled.append(interned_product((Const(value), *rest)))
    else:
        return interned_sum(tuple(scaled))
    return Add(*(Mul(coefficient, term) for term in total.args))


def _negated_sum(value, factors) -> bool:
    """Is ``value * Mul(*factors)`` exactly -1 times one short sum (a held term scaled to
    -1), which is no canonical term: the sum's terms are negated instead."""
    return (value == -1 and len(factors) == 1 and type(factors[0]) is Add
            and len(factors[0].args) <= DISTRIBUTE_LIMIT and exact.is_exact(value))


def held_product(coefficient, factor: Expr) -> Expr:
    """``coefficient * factor`` as written: a number times a sum stays a product
    (``2*(x + 1)``, ``(x + y)/2``) instead of being distributed as the constructors do, so a
    factored result can be a node and read back as the same node. A number times such a
    product multiplies the numbers; 0, exact 1 and -1, and a factor that is not a sum, go
    through the ordinary constructor (a float 1.0 or -1.0 is kept, as floats are)."""
    if (type(factor) is Mul and len(factor.args) == 2 and type(factor.args[0]) is Const
            and type(factor.args[1]) is Add):
        coefficient, factor = exact.mul(coefficient, factor.args[0].value), factor.args[1]
    if type(factor) is not Add or coefficient == 0 or (
            coefficient in (1, -1) and exact.is_exact(coefficient)):
        return Mul(Const(coefficient), factor)
    return interned_product((Const(coefficient), factor))


class Add(Expr, operator="+"):
    """A sum of two or more terms; constant last, then terms by degree, then by sort key."""

    __slots__ = ()

    def __new__(cls, *args):
        if len(args) == 2:
            a, b = args
            if isinstance(a, Expr) and isinstance(b, Expr):
                sum_of_two = _sum_of_two(a, b)
                if sum_of_two is not None:
                    return sum_of_two
        return Terms(*_collected(args)).node()

    def _times_number(self, coefficient):
        if len(self.args) > DISTRIBUTE_LIMIT:
            return None
        try:
            return _scale_sum(coefficient, self)
        except NumberRangeError:      # a term's number past the budget: the product stays
            return None


def _sum_of_two(a: Expr, b: Expr) -> "Expr | None":
    """``a + b`` for two operands that are not sums, straight from canonical operands, or None
    when the general path is needed (like terms to collect)."""
    kind_a, kind_b = type(a), type(b)
    if kind_a is Add or kind_b is Add:
        return None
    if kind_a is Const:
        if kind_b is Const:
            return Const(exact.add(exact.add(0, a.value), b.value))
        a, b, kind_a, kind_b = b, a, kind_b, kind_a
    if kind_b is Const:                 # a term and a number: 0 + v is v, the same node
        return a if b.value == 0 else interned_sum((a, b))
    rest_a, rest_b = like_term_key(a)[1], like_term_key(b)[1]
    if rest_a == rest_b:
        return None
    return interned_sum((b, a) if _rest_order(rest_b, b) < _rest_order(rest_a, a) else (a, b))


def _literal_node(rest, coefficient, literal) -> Expr:
    """A term of a ``Terms`` as a node."""
    if literal is None:
        return term_node(coefficient, rest)
    return interned_product(literal) if type(literal) is tuple else literal


class Terms:
    """A sum that is not a node yet: what ``Add`` would build, as its terms in canonical order
    (rest, coefficient, literal) and its constant. A literal is the term's node, its factors (a
    product not interned yet), or None for ``term_node(coefficient, rest)``; the rest and the
    coefficient are None when the literal is a node (``like_term_key`` finds them).

    ``Add`` builds its node at once; a derivative sweep keeps an adjoint this way while it may
    still be flattened into another sum or scaled by a number, so the nodes that would be
    taken apart again are never built (``node()`` builds them, the same nodes as ``Add``)."""

    __slots__ = ("items", "constant")

    def __init__(self, items: list, constant):
        self.items, self.constant = items, constant

    @classmethod
    def of_sum(cls, total: "Add") -> "Terms":
        """The terms of a sum node (their rests are found when a sum needs them)."""
        args = total.args
        if type(args[-1]) is Const:
            return cls([(None, None, t) for t in args[:-1]], args[-1].value)
        return cls([(None, None, t) for t in args], 0)

    def size(self) -> int:
        """The number of arguments the sum node has."""
        return len(self.items) + (self.constant != 0)

    def node(self) -> Expr:
        result = [literal if literal is not None and type(literal) is not tuple
                  else _literal_node(rest, c, literal) for rest, c, literal in self.items]
        if self.constant != 0 or not result:
            result.append(Const(self.constant))
        if len(result) == 1:
            return result[0]
        return interned_sum(tuple(result))

    def scaled(self, coefficient) -> "Terms | None":
        """``coefficient * self`` as ``_scale_sum`` takes a number into a short sum's terms
        (``coefficient`` not 0 or exactly 1); None where it would take the general path."""
        factor = exact.mul(1, coefficient)
        items = []
        for rest, c, literal in self.items:
            if literal is None:               # term_node(c, rest): a number, then the rest
                lead = None if c == 1 and exact.is_exact(c) else c
                product = lead is not None or type(rest) is tuple
                factors = rest if type(rest) is tuple else (rest,)
            else:
                args = literal if type(literal) is tuple else literal.args
                product = type(literal) is tuple or type(literal) is Mul
                if not product:
                    lead, factors = None, (literal,)
                elif type(args[0]) is Const:
                    lead, factors = args[0].value, args[1:]
                else:
                    lead, factors = None, args
            if product and len(factors) + (lead is not None) > FLATTEN_LIMIT:
                return None
            value = factor if lead is None else exact.mul(factor, lead)
            if (value == 0 or (value == 1 and exact.is_exact(value))
                    or _negated_sum(value, factors)):
                return None
            if len(factors) > 1:
                items.append((factors, value, None))
            elif type(factors[0]) is Mul:     # a number times one long product, kept whole
                items.append((factors[0].args, value, (Const(value), factors[0])))
            else:
                items.append((factors[0], value, None))
        constant = self.constant
        if constant != 0:
            constant = exact.mul(factor, constant)
            if constant == 0:
                return None
        return Terms(items, constant)


def _collected(parts, plans: bool = False) -> tuple[list, object]:
    """The canonical terms and the constant of the sum of ``parts`` (nodes, numbers and, with
    ``plans``, products' factors and ``Terms``): sums of at most ``FLATTEN_LIMIT`` terms
    flattened, numbers folded, like terms collected, zeros dropped, the terms in order.

    Like terms that are numbers times one sum (held products, ``(x + y)/2 + (x + y)/2``)
    may collect to exactly 1 or -1 times a short sum, which is no canonical term: the sum's
    terms then join the others, and the terms are collected again (a loop, one nesting level
    of sums each round)."""
    while True:
        items, constant, loose = _collected_once(parts, plans)
        if not loose:
            return items, constant
        parts = [Mul(c, rest) if rest in loose else _literal_node(rest, c, literal)
                 for rest, c, literal in items]
        parts.append(Const(constant))
        plans = False


def _spread(rest, coefficient) -> bool:
    """Is ``coefficient * rest`` a sum's terms rather than a term (exactly 1 or -1 times a
    sum that the sum would flatten or the number would distribute)?"""
    return (type(rest) is Add and coefficient in (1, -1) and exact.is_exact(coefficient)
            and len(rest.args) <= (FLATTEN_LIMIT if coefficient == 1 else DISTRIBUTE_LIMIT))


def _collected_once(parts, plans: bool) -> tuple[list, object, set]:
    """``_collected`` without the second look: also the rests that ``_spread`` (a set)."""
    combined_sums = False
    constant = 0
    coefficients: dict = {}          # rest -> coefficient
    alone: dict = {}                 # rest -> its term's literal, while no like term joins it
    for part in parts:
        kind = type(part)
        if kind is Terms and plans:
            if part.size() <= FLATTEN_LIMIT:
                entries = part.items
                if part.constant != 0:
                    constant = exact.add(constant, part.constant)
            else:
                entries = (part.node(),)
        elif kind is tuple and plans:
            entries = ((*_like_factors(part)[::-1], part),)
        else:
            if not isinstance(part, Expr):
                part = as_expr(part)
            entries = (part.args if type(part) is Add and len(part.args) <= FLATTEN_LIMIT
                       else (part,))
        for entry in entries:
            if type(entry) is tuple:
                rest, coefficient, literal = entry
                if rest is None:
                    coefficient, rest = like_term_key(literal)
            elif type(entry) is Const:
                constant = exact.add(constant, entry.value)
                continue
            else:
                coefficient, rest = like_term_key(entry)
                literal = entry
            previous = coefficients.get(rest)
            if previous is None:
                coefficients[rest] = coefficient
                alone[rest] = literal
            else:
                coefficients[rest] = exact.add(previous, coefficient)
                alone[rest] = None
                combined_sums = combined_sums or type(rest) is Add
    if len(coefficients) == 1:
        (rest, coefficient), = coefficients.items()
        items = [(rest, coefficient, alone[rest])] if coefficient != 0 else []
    else:
        ordered = [(_rest_order(rest, alone[rest]), rest, c)
                   for rest, c in coefficients.items() if c != 0]
        ordered.sort(key=_first)
        items = [(rest, c, alone[rest]) for _, rest, c in ordered]
    loose = {rest for rest, c, literal in items
             if literal is None and _spread(rest, c)} if combined_sums else ()
    return items, constant, loose


# ---------------------------------------------------------------- values for the sweeps
def sum_plan(parts) -> "Expr | tuple | Terms":
    """``Add(*parts)`` for nodes and plans (products' factors, ``Terms``), as a plan: ``Terms``
    when the result is a sum, a product's factors or a node when it is one term or a number."""
    items, constant = _collected(parts, plans=True)
    if len(items) + (constant != 0) >= 2:
        return Terms(items, constant)
    if not items:
        return Const(constant)
    rest, coefficient, literal = items[0]
    if literal is not None:
        return literal
    if coefficient == 1 and exact.is_exact(coefficient):
        return rest
    return (Const(coefficient), *rest) if type(rest) is tuple else (Const(coefficient), rest)


def product_plan_of(value, factor: Expr):
    """``Mul(value, factor)`` for a node or a plan, as a plan where the product is new."""
    if type(value) is Const and type(factor) is not Const:
        value, factor = factor, value         # a number times a node: it scales the node
    if factor is ONE:
        return value
    if type(factor) is Const:
        if type(value) is Add and len(value.args) <= DISTRIBUTE_LIMIT:
            value = Terms.of_sum(value)
        if type(value) is Terms:
            c = exact.mul(1, factor.value)
            if c != 0 and value.size() <= DISTRIBUTE_LIMIT:
                scaled = value.scaled(c) if not (c == 1 and exact.is_exact(c)) else value
                if scaled is not None:
                    return scaled
            value = value.node()
    elif type(value) is Terms:
        value = value.node()
    plan = product_plan(value, factor)
    if plan is not None:
        return plan
    if type(value) is tuple and len(value) <= FLATTEN_LIMIT:   # flattened: its factors
        return general_product([*value, factor])
    return general_product([built(value), factor])


def built(value) -> Expr:
    """The node of a node or a plan."""
    if type(value) is tuple:
        return interned_product(value)
    if type(value) is Terms:
        return value.node()
    return value
