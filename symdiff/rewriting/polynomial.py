"""Rational-function normal forms for the simplifier: ``expand``, ``cancel``, ``together``.

A formula is read as a polynomial in *generators*: the largest subexpressions that are not
numbers, sums, products or integer powers of those (a variable, ``sin(x)``, ``sqrt(y)``,
``pi``, ``(x + y)^1000``). The reader stays in that polynomial layer and never enters a
function's arguments: the simplifier visits those nodes itself. Every entry point returns its
input node when it has nothing to do or a budget (terms, nodes read, degree, bits) is hit, so
trying it on every node is cheap and never blows up.

A polynomial is a dict from *monomials* to coefficients (int, Fraction or float), a monomial
being a sorted tuple of ``(generator index, exponent)`` pairs with non-zero integer exponents
(negative ones only inside ``expand``, which treats ``x^-1`` as a power of ``x``).
"""
from __future__ import annotations

from fractions import Fraction

from ..core import exact
from ..core.nodes import Add, Const, Expr, Mul, Pow
from .deadline import active_deadline

#: Integer powers of a sum above this are not multiplied out: ``(x + y)^1000`` is a generator.
MAX_POWER = 64
#: Highest exponent handed to the gcd: gcds of polynomials of huge degree are slow.
MAX_DEGREE = 512
#: Nodes of the polynomial layer one call may read, so that one call costs a bounded amount
#: even on a formula 100,000 levels deep (the simplifier calls these on every node).
MAX_NODES = 10_000
#: SymPy's gcd cannot be interrupted, so it is not asked when the dense size of the problem,
#: the product over the generators of (highest exponent + 1), passes this: bivariate
#: degree 256 or five generators of degree 9 take up to a second, three generators of
#: degree 100 take seconds.
MAX_GCD_VOLUME = 50_000


class GiveUp(Exception):
    """A budget was hit, or the input is outside what is handled: keep the input."""


# ------------------------------------------------------------------ polynomial arithmetic
def _monomial_product(a: tuple, b: tuple) -> tuple:
    if not a:
        return b
    if not b:
        return a
    exponents = dict(a)
    for index, exponent in b:
        exponents[index] = exponents.get(index, 0) + exponent
    return tuple(sorted((i, e) for i, e in exponents.items() if e))


def _checked(value):
    """``value``, unless it is an exact number past ``exact.MAX_EXACT_BITS``."""
    if not isinstance(value, float) and max(value.numerator.bit_length(),
                                            value.denominator.bit_length()) > exact.MAX_EXACT_BITS:
        raise GiveUp
    return value


def _accumulate(total: dict, terms, max_terms: int) -> None:
    """Add ``(monomial, coefficient)`` pairs into ``total``, giving up past the term budget."""
    for monomial, coefficient in terms:
        if monomial in total:
            total[monomial] = exact.add(total[monomial], coefficient)
        else:
            total[monomial] = coefficient
            if len(total) > max_terms:
                raise GiveUp


def _nonzero(poly: dict) -> dict:
    return {m: c for m, c in poly.items() if c != 0}


def poly_product(p: dict, q: dict, max_terms: int) -> dict:
    active_deadline().spend(len(p) * len(q))
    total: dict = {}
    for m1, c1 in p.items():
        _accumulate(total, ((_monomial_product(m1, m2), _checked(exact.mul(c1, c2)))
                            for m2, c2 in q.items()), max_terms)
    return _nonzero(total)


def poly_power(p: dict, n: int, max_terms: int) -> dict:
    """``p^n`` for an integer ``n >= 1``; a sum only up to ``MAX_POWER``."""
    if len(p) == 1:                       # a monomial: scale the exponents
        (monomial, coefficient), = p.items()
        coefficient = exact.power(coefficient, n)
        if coefficient is None:
            raise GiveUp
        return {tuple((i, e * n) for i, e in monomial): coefficient}
    if n > MAX_POWER:
        raise GiveUp
    result = p
    for _ in range(n - 1):
        result = poly_product(result, p, max_terms)
    return result


def _is_integer(node: Expr) -> bool:
    return type(node) is Const and exact.is_integer(node.value)


# ------------------------------------------------------------------ reading and writing
class PolynomialReader:
    """Reads nodes as polynomials over one shared numbering of generators, memoised per node.

    It walks only the polynomial layer (not ``graph.topological``, which would also walk
    every function's argument and make each call cost the whole formula)."""

    def __init__(self, max_terms: int, laurent: bool):
        self.max_terms, self.laurent = max_terms, laurent
        self.generators: dict[Expr, int] = {}
        self.polys: dict[Expr, dict] = {}
        self.nodes_left = MAX_NODES

    def shape(self, node: Expr) -> tuple:
        """How a node enters a polynomial: ("number", value), ("sum", terms), ("product",
        factors), ("power", sum, n) or ("generator", node, exponent)."""
        kind = type(node)
        if kind is Const:
            return ("number", node.value)
        if kind is Add:
            return ("sum", node.args)
        if kind is Mul:
            return ("product", node.args)
        if kind is Pow and _is_integer(node.args[1]):
            base, n = node.args[0], node.args[1].value
            if type(base) in (Add, Mul):
                if 0 < n <= MAX_POWER:
                    return ("power", base, n)
            elif type(base) is not Const and (n > 0 or self.laurent):
                return ("generator", base, n)
        return ("generator", node, 1)

    def layer(self, root: Expr) -> list[tuple[Expr, tuple]]:
        """The unread nodes of ``root``'s polynomial layer with their shapes, children first."""
        order, seen, stack = [], set(), [(root, None)]
        while stack:
            node, shape = stack.pop()
            if shape is not None:
                order.append((node, shape))
                continue
            if node in seen or node in self.polys:
                continue
            seen.add(node)
            self.nodes_left -= 1
            if self.nodes_left < 0:
                raise GiveUp
            shape = self.shape(node)
            stack.append((node, shape))
            if shape[0] in ("sum", "product"):
                if len(shape[1]) > self.nodes_left:
                    raise GiveUp
                stack.extend((child, None) for child in shape[1])
            elif shape[0] == "power":
                stack.append((shape[1], None))
        return order

    def read(self, layer) -> None:
        polys, max_terms = self.polys, self.max_terms
        deadline = active_deadline()
        for node, (kind, first, *rest) in layer:
            deadline.spend()
            if kind == "number":
                polys[node] = {(): first} if first != 0 else {}
            elif kind == "generator":
                index = self.generators.setdefault(first, len(self.generators))
                polys[node] = {((index, rest[0]),): 1}
            elif kind == "sum":
                total: dict = {}
                for term in first:
                    _accumulate(total, polys[term].items(), max_terms)
                polys[node] = _nonzero(total)
            elif kind == "power":
                polys[node] = poly_power(polys[first], rest[0], max_terms)
            else:
                product = {(): 1}
                for factor in first:
                    product = poly_product(product, polys[factor], max_terms)
                polys[node] = product

    def poly(self, root: Expr) -> dict:
        self.read(self.layer(root))
        return self.polys[root]


def poly_to_expr(poly: dict, generators) -> Expr:
    return Add(*(Mul(Const(c), *(Pow(generators[i], e) for i, e in monomial))
                 for monomial, c in poly.items()))


def as_polynomial(expr: Expr, max_terms: int = 64):
    """``(coefficients, generators)`` with ``expr == sum(c * prod(g^e))``: ``coefficients`` maps
    exponent tuples (one non-negative int per generator) to numbers. Products and powers of
    sums are multiplied out; None when that is over a budget."""
    reader = PolynomialReader(max_terms, laurent=False)
    try:
        poly = reader.poly(expr)
    except (GiveUp, OverflowError):
        return None
    generators = tuple(reader.generators)
    return {dense_exponents(m, len(generators)): c for m, c in poly.items()}, generators


def from_polynomial(coefficients: dict, generators) -> Expr:
    """The expression for ``as_polynomial``'s representation."""
    return poly_to_expr({tuple((i, e) for i, e in enumerate(exponents) if e): c
                     for exponents, c in coefficients.items()}, tuple(generators))


def dense_exponents(monomial: tuple, length: int) -> tuple:
    exponents = [0] * length
    for index, exponent in monomial:
        exponents[index] = exponent
    return tuple(exponents)


# ------------------------------------------------------------------ the entry points
def expand(expr: Expr, max_terms: int = 64) -> Expr:
    """Multiply out products and non-negative integer powers of sums in ``expr``'s polynomial
    layer; ``expr`` itself when there is none or the result would pass ``max_terms`` terms."""
    reader = PolynomialReader(max_terms, laurent=True)
    try:
        layer = reader.layer(expr)
        shapes = dict(layer)
        if not any(shape[0] == "power" or (shape[0] == "product" and any(
                shapes[f][0] in ("sum", "power") for f in shape[1])) for _, shape in layer):
            return expr
        reader.read(layer)
    except (GiveUp, OverflowError):
        return expr
    return poly_to_expr(reader.polys[expr], tuple(reader.generators))


def split_quotient(term: Expr):
    """A product's factors as (numerator, denominator) lists of (base, multiplicity): the
    factors with a negative integer exponent make the denominator."""
    numerator, denominator = [], []
    for factor in term.args if type(term) is Mul else (term,):
        if type(factor) is Pow and _is_integer(factor.args[1]) and type(factor.args[0]) is not Const:
            n = factor.args[1].value
            (numerator if n > 0 else denominator).append((factor.args[0], abs(n)))
        else:
            numerator.append((factor, 1))
    return numerator, denominator


def _generators_in(factors) -> set:
    return {index for _, poly, _ in factors for monomial in poly for index, _ in monomial}


def cancel(expr: Expr, max_terms: int = 64) -> Expr:
    """``expr`` (a product with factors ``d^-k``) with the polynomial gcd of its numerator and
    denominator divided out; ``expr`` itself when the gcd is a constant, a coefficient is a
    float, or a budget is hit. Factors the gcd does not touch are kept as they were."""
    numerator, denominator = split_quotient(expr)
    if not numerator or not denominator:
        return expr
    reader = PolynomialReader(max_terms, laurent=False)
    try:
        numerator = [(base, reader.poly(base), k) for base, k in numerator]
        denominator = [(base, reader.poly(base), k) for base, k in denominator]
        if not _generators_in(numerator) & _generators_in(denominator):
            return expr
        result = _lowest_terms(numerator, denominator, reader, need_gcd=True)
    except (GiveUp, OverflowError):
        return expr
    return expr if result is None else result


def together(expr: Expr, max_terms: int = 64) -> Expr:
    """A sum with quotients as one cancelled quotient over a common denominator: every
    denominator factor at its highest multiplicity, the excess cancelled again. ``expr``
    itself when no term has a denominator, a coefficient is a float, or a budget is hit."""
    if type(expr) is not Add:
        return expr
    terms = [split_quotient(term) for term in expr.args]
    common: dict[Expr, int] = {}
    for _, denominator in terms:
        for base, k in denominator:
            common[base] = max(common.get(base, 0), k)
    if not common or len(common) > max_terms or len(terms) > max_terms:
        return expr          # that many terms or factors would pass the budget anyway
    reader = PolynomialReader(max_terms, laurent=False)
    try:
        total: dict = {}
        for numerator, denominator in terms:
            missing = dict(common)
            for base, k in denominator:
                missing[base] -= k
            part = {(): 1}
            for base, k in (*numerator, *missing.items()):
                if k:
                    part = poly_product(part, poly_power(reader.poly(base), k, max_terms), max_terms)
            _accumulate(total, part.items(), max_terms)
        denominator = [(base, reader.poly(base), k) for base, k in common.items()]
        return _lowest_terms([(None, _nonzero(total), 1)], denominator, reader, need_gcd=False)
    except (GiveUp, OverflowError):
        return expr


def _lowest_terms(numerator, denominator, reader: PolynomialReader, need_gcd: bool):
    """``prod(n^k) / prod(d^k)`` over (node or None, polynomial, k) factors, divided by the gcd
    of both sides: each side's copies give up their share of the gcd in turn (so untouched
    factors keep their node). None when ``need_gcd`` and the gcd is a constant."""
    max_terms = reader.max_terms
    sides = []
    for factors in (numerator, denominator):
        whole = {(): 1}
        for _, poly, k in factors:
            if any(isinstance(c, float) for c in poly.values()):
                raise GiveUp
            whole = poly_product(whole, poly_power(poly, k, max_terms), max_terms)
        if any(e > MAX_DEGREE for monomial in whole for _, e in monomial):
            raise GiveUp
        sides.append(whole)
    if not sides[0]:
        return Const(0)
    if need_gcd and not _may_share_factor(*sides):
        return None
    if gcd_volume(sides) > MAX_GCD_VOLUME:
        raise GiveUp
    from sympy.polys.domains import QQ
    from sympy.polys.rings import ring

    generators = tuple(reader.generators)
    R = ring([f"g{i}" for i in range(max(len(generators), 1))], QQ)[0]

    def in_ring(poly):
        return R.from_dict({dense_exponents(m, R.ngens): c for m, c in poly.items()})

    gcd = in_ring(sides[0]).gcd(in_ring(sides[1]))
    if need_gcd and gcd.is_ground:
        return None
    coefficient, factors = Fraction(1), []

    def put(p, exponent):
        """Append ``p^exponent``, its content and sign going into the coefficient."""
        nonlocal coefficient
        content, p = p.primitive()
        if p.LC < 0:
            content, p = -content, -p
        coefficient *= to_fraction(content) ** exponent
        if not p.is_ground:
            factors.append(Pow(from_polynomial({m: to_fraction(c) for m, c in p.items()},
                                               generators), exponent))

    for sign, side in ((1, numerator), (-1, denominator)):
        remaining = gcd
        for node, poly, k in side:
            p = in_ring(poly)
            while k and not remaining.is_ground:
                active_deadline().spend(len(poly))
                share = remaining.gcd(p)
                if share.is_ground:
                    break
                share = share.monic()     # both sides then divide by the same polynomial
                remaining = remaining.exquo(share)
                put(p.exquo(share), sign)
                k -= 1
            if k and node is None:
                put(p, sign * k)
            elif k:
                factors.append(Pow(node, sign * k))
    return Mul(Const(exact.normalise(coefficient)), *factors)


def gcd_volume(polys) -> int:
    """The product over the generators of (highest exponent in ``polys`` + 1)."""
    highest: dict[int, int] = {}
    for poly in polys:
        for monomial in poly:
            for index, exponent in monomial:
                highest[index] = max(highest.get(index, 0), exponent)
    volume = 1
    for exponent in highest.values():
        volume *= exponent + 1
    return volume


def _may_share_factor(p: dict, q: dict) -> bool:
    """False when the gcd is surely constant without asking SymPy: a monomial shares a
    factor with a polynomial only through a generator that divides all of its terms."""
    for single, other in ((p, q), (q, p)):
        if len(single) == 1:
            (monomial,) = single
            return any(all(any(i == index for i, _ in m) for m in other) for index, _ in monomial)
    return True


def to_fraction(value) -> Fraction:
    """A SymPy rational as a Fraction."""
    return Fraction(int(value.numerator), int(value.denominator))
