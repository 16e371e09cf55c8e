"""Factored, divided-out and cancelled forms of rational functions: candidate forms the
simplifier's choice pass weighs (``choice.py``), on SymPy's polynomial rings.

* ``factor``: a quotient (or a sum, brought over a common denominator first) as a number
  times irreducible polynomial factors over the rationals, numerator and denominator:
  ``2*a^2*b - 2*b^3 -> 2*b*(a - b)*(a + b)``; ``x/(x^2 - 1) + 1/(x + 1)`` ->
  ``(2*x - 1)/((x - 1)*(x + 1))``. Each factor's sign is the one with fewer minus signs.
* ``divide_out``: ``N/D`` as a polynomial part plus a proper quotient in one generator,
  ``(1 - y - y*E)/(E + 1) -> 1/(E + 1) - y``: the step a partial-fraction decomposition
  starts with, and the one derivatives of logistic losses need (``E`` being ``exp(-z)``,
  ``1/(E + 1)`` is then ``sigmoid(z)``).
* ``rational_form``: the whole layer as one cancelled quotient; ``split_radicals``: square
  roots of quotients cancelled against the rest of a product.

All read the formula's polynomial layer as ``polynomial.PolynomialReader`` does (functions
and non-integer powers are generators; for ``rational_form`` floats too) and give up,
returning their input, past the same budgets: terms, nodes read, degree, and the dense size
SymPy is asked about (``polynomial.MAX_GCD_VOLUME``), so a call costs a bounded amount.
"""
from __future__ import annotations

import functools
import math
from fractions import Fraction
from math import comb

from ..core import exact
from ..core.functions import Exp
from ..core.nodes import Add, Const, Expr, Mul, Pow, held_product
from .algebra import size
from .deadline import active_deadline
from .polynomial import MAX_DEGREE, MAX_NODES, MAX_POWER, GiveUp, from_polynomial, to_fraction

#: Highest total degree handed to SymPy's multivariate factoring: past it factoring takes
#: long and rarely gives a shorter form.
MAX_FACTOR_DEGREE = 16
#: Factoring is asked for only up to this many terms and this dense size (the product over
#: the generators of degree + 1): SymPy's multivariate factoring (Wang's algorithm) takes
#: over a second on a 4-generator polynomial of 40 terms, and cannot be interrupted.
MAX_FACTOR_TERMS = 24
MAX_FACTOR_VOLUME = 1_000
#: Largest (terms of numerator) x (terms of denominator) whose gcd is asked for.
MAX_GCD_TERMS = 600
#: Most distinct floats read as generators of one rational layer.
MAX_FLOAT_GENERATORS = 8


@functools.cache
def _ring(generators: int):
    """The ring QQ[g0, ..., g(n-1)] (one per number of generators, made once)."""
    from sympy.polys.domains import QQ
    from sympy.polys.rings import ring
    return ring([f"g{i}" for i in range(max(generators, 1))], QQ)[0]


def _layer(expr: Expr) -> list[Expr]:
    """The nodes of ``expr``'s rational layer, children first: numbers, sums, products and
    integer powers, down to the generators (anything else), each once."""
    order, seen, stack = [], set(), [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if ready:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        if len(seen) > MAX_NODES:
            raise GiveUp
        stack.append((node, True))
        if _is_structure(node):
            stack.extend((a, False) for a in (node.args if type(node) is not Pow else node.args[:1]))
    return order


def _is_structure(node: Expr) -> bool:
    kind = type(node)
    if kind is Add or kind is Mul:
        return True
    return (kind is Pow and type(node.args[1]) is Const and exact.is_integer(node.args[1].value)
            and type(node.args[0]) is not Const)


def _exp_powers(node: Expr) -> list[tuple[Expr, int]]:
    """A generator as powers of generators: ``exp(2*a - b)`` is ``exp(a)^2 * exp(b)^-1``
    (so ``exp(2*z) - 1`` and ``exp(z) - 1`` share a factor); anything else is itself."""
    if type(node) is not Exp or type(node.args[0]) is Const:
        return [(node, 1)]
    argument = node.args[0]
    powers: dict[Expr, int] = {}
    for term in argument.args if type(argument) is Add else (argument,):
        k, rest = 1, term
        if type(term) is Mul and type(term.args[0]) is Const:
            coefficient = term.args[0].value
            if exact.is_integer(coefficient) and abs(coefficient) <= MAX_POWER:
                k, rest = int(coefficient), Mul(*term.args[1:])
        base = Exp(rest)
        powers[base] = powers.get(base, 0) + k
    return [(base, k) for base, k in powers.items() if k]


def _is_float(node: Expr) -> bool:
    return isinstance(node.value, float)


def _atom_powers(node: Expr) -> list[tuple[Expr, int]]:
    """A generator as powers of generators: a float is its magnitude, ``exp`` a product of
    powers (``_exp_powers``), anything else itself."""
    if type(node) is Const:
        magnitude = abs(node.value)
        if not math.isfinite(magnitude) or magnitude == 0:
            raise GiveUp
        return [(Const(magnitude), 1)]
    return _exp_powers(node)


def _quotient(expr: Expr, max_terms: int, floats: bool = True):
    """``(numerator, denominator, generators)`` of the whole rational layer of ``expr`` as
    ring elements in lowest terms (``1/(1 - 1/(E + 1))`` is ``(E + 1)/E``): sums of
    quotients over their least common denominator, products and integer powers, over one
    numbering of the generators. With ``floats``, a float is a generator too (its
    magnitude; up to ``MAX_FLOAT_GENERATORS`` of them), so the algebra is exact whatever
    its value: ``4.68*x/(4.68*y)`` cancels, ``4.68 + 1`` is not rounded into one float.
    Raises ``GiveUp`` past a budget, or on a float without ``floats``."""
    order = _layer(expr)
    atoms = {node: _atom_powers(node) for node in order
             if not _is_structure(node) and (type(node) is not Const or _is_float(node))}
    generators = list(dict.fromkeys(g for powers in atoms.values() for g, _ in powers))
    if sum(1 for g in generators if type(g) is Const) > (MAX_FLOAT_GENERATORS if floats else 0):
        raise GiveUp
    R = _ring(len(generators))
    index = {node: i for i, node in enumerate(generators)}
    deadline = active_deadline()
    values: dict = {}
    for node in order:
        kind = type(node)
        if kind is Const and node not in atoms:
            values[node] = (R(node.value), R.one)
        elif node in atoms:
            numerator = R(-1) if kind is Const and node.value < 0 else R.one
            denominator = R.one
            for generator, k in atoms[node]:
                if k > 0:
                    numerator *= R.gens[index[generator]] ** k
                else:
                    denominator *= R.gens[index[generator]] ** -k
            values[node] = (numerator, denominator)
        elif kind is Add:
            numerator, denominator = values[node.args[0]]
            for term in node.args[1:]:
                n, d = values[term]
                common = denominator.lcm(d) if not (denominator.is_ground and d.is_ground) else R.one
                numerator = numerator * common.exquo(denominator) + n * common.exquo(d)
                denominator = common
                _check(numerator, max_terms, deadline)
            values[node] = _lowest_terms(numerator, denominator)
        elif kind is Mul:
            numerator, denominator = R.one, R.one
            for factor_ in node.args:
                n, d = values[factor_]
                numerator, denominator = numerator * n, denominator * d
                _check(numerator, max_terms, deadline)
                _check(denominator, max_terms, deadline)
            values[node] = _lowest_terms(numerator, denominator)
        else:
            n, d = values[node.args[0]]
            k = int(node.args[1].value)
            if k < 0:
                if n.is_zero:
                    raise GiveUp
                n, d, k = d, n, -k
            if k > MAX_POWER and (len(n) > 1 or len(d) > 1):
                raise GiveUp
            if max(comb(len(n) + k - 1, k), comb(len(d) + k - 1, k)) > 4 * max_terms:
                raise GiveUp       # the power would have more terms than the budget allows
            values[node] = (n ** k, d ** k)
            _check(values[node][0], max_terms, deadline)
            _check(values[node][1], max_terms, deadline)
    numerator, denominator = values[expr]
    return numerator, denominator, tuple(generators)


def _check(poly, max_terms: int, deadline) -> None:
    """Past the term, degree or exact-number budget: give up."""
    deadline.spend(len(poly))
    if len(poly) > max_terms:
        raise GiveUp
    for monomial, c in poly.items():
        if max(monomial, default=0) > MAX_DEGREE:
            raise GiveUp
        if max(int(c.numerator).bit_length(), int(c.denominator).bit_length()) > exact.MAX_EXACT_BITS:
            raise GiveUp


def _lowest_terms(numerator, denominator):
    """The quotient with the gcd divided out, its denominator's leading coefficient 1."""
    if denominator.is_ground:
        return numerator.quo_ground(denominator.LC), denominator.ring.one
    if not numerator.is_ground:
        if len(numerator) * len(denominator) > MAX_GCD_TERMS:
            raise GiveUp
        active_deadline().spend(len(numerator) * len(denominator))
        gcd = numerator.gcd(denominator)
        if not gcd.is_ground:
            numerator, denominator = numerator.exquo(gcd), denominator.exquo(gcd)
    lc = denominator.LC
    return numerator.quo_ground(lc), denominator.quo_ground(lc)


def _fewer_minus_signs(poly):
    """``(sign, poly)`` with the sign that leaves more positive coefficients (ties: a positive
    leading one), so ``1 - x`` is not printed as ``-(x - 1)``."""
    negative = sum(1 for c in poly.values() if c < 0)
    if 2 * negative > len(poly) or (2 * negative == len(poly) and poly.LC < 0):
        return -1, -poly
    return 1, poly


def _positive_if_balanced(coefficient: Fraction, factors: list) -> Fraction:
    """A negative coefficient moved into a factor of odd multiplicity with as many minus
    signs as plus signs (``-2*(b - a)`` is ``2*(a - b)``)."""
    if coefficient < 0:
        for position, (poly, k) in enumerate(factors):
            if k % 2 and 2 * sum(1 for c in poly.values() if c < 0) == len(poly):
                factors[position] = (-poly, k)
                return -coefficient
    return coefficient


def _dense_size(poly) -> int:
    """The product over the generators of (highest exponent + 1)."""
    volume = 1
    for exponents in zip(*poly.monoms()):
        volume *= max(exponents) + 1
    return volume


def _factor_list(poly):
    """``(content, [(factor, multiplicity)])`` of a ring element: SymPy's factoring where it
    can pay, else only the content."""
    if poly.is_ground:
        return poly.LC, []
    degree = max(sum(m) for m in poly.monoms())
    if 1 < len(poly) <= MAX_FACTOR_TERMS and 2 <= degree <= MAX_FACTOR_DEGREE and \
            _dense_size(poly) <= MAX_FACTOR_VOLUME:
        active_deadline().spend(len(poly) * degree * 8)
        return poly.factor_list()
    content, primitive = poly.primitive()
    return content, [(primitive, 1)]


def _as_expr(poly, generators) -> Expr:
    return from_polynomial({m: to_fraction(c) for m, c in poly.items()}, generators)


def _product_of(coefficient: Fraction, factors: list, generators) -> Expr:
    """``coefficient * prod(f^k)`` as a node, a number times one sum kept as a product."""
    nodes = [Pow(_as_expr(f, generators), k) for f, k in factors]
    coefficient = exact.normalise(coefficient)
    if len(nodes) == 1 and type(nodes[0]) is Add:
        return held_product(coefficient, nodes[0])
    return Mul(Const(coefficient), *nodes)


def _has_float(term: Expr) -> bool:
    first = term.args[0] if type(term) is Mul else term
    return type(first) is Const and isinstance(first.value, float)


def factor(expr: Expr, max_terms: int = 64) -> Expr:
    """``expr`` with numerator and denominator factored over the rationals; ``expr`` itself
    when a budget is hit or a coefficient is a float. In a sum, the terms with a float
    coefficient stay as they are and the others are factored (``4*x^3 - 4*x^2 + 0.25 ->
    4*x^2*(x - 1) + 0.25``)."""
    if type(expr) not in (Add, Mul, Pow):
        return expr
    if type(expr) is Add and any(_has_float(t) for t in expr.args):
        exact_terms = [t for t in expr.args if not _has_float(t)]
        if len(exact_terms) < 2:
            return expr
        return Add(factor(Add(*exact_terms), max_terms),
                   *(t for t in expr.args if _has_float(t)))
    try:
        numerator, denominator, generators = _quotient(expr, max_terms, floats=False)
        numerator, denominator = _lowest_terms(numerator, denominator)
        if numerator.is_zero:
            return Const(0)
        coefficient = Fraction(1)
        factors = []
        for side, sign in ((numerator, 1), (denominator, -1)):
            content, found = _factor_list(side)
            coefficient *= to_fraction(content) ** sign
            for poly, k in found:
                flip, poly = _fewer_minus_signs(poly)
                coefficient *= flip ** k
                factors.append((poly, sign * k))
        coefficient = _positive_if_balanced(coefficient, factors)
    except (GiveUp, OverflowError):
        return expr
    return _product_of(coefficient, factors, generators)


def rational_form(expr: Expr, max_terms: int = 64) -> Expr:
    """``expr``'s whole rational layer as one quotient of expanded polynomials in lowest
    terms (SymPy's ``cancel``), numbers pulled out: ``1/(y*(x^2/y^2 + 1)) -> y/(x^2 + y^2)``;
    floats are read as generators (``_quotient``); ``expr`` itself when a budget is hit."""
    if type(expr) not in (Add, Mul, Pow):
        return expr
    try:
        numerator, denominator, generators = _quotient(expr, max_terms)
    except (GiveUp, OverflowError):
        return expr
    if numerator.is_zero:
        return Const(0)
    coefficient = Fraction(1)
    factors = []
    for side, sign in ((numerator, 1), (denominator, -1)):
        content, primitive = side.primitive()
        if primitive.is_ground:                  # a number: all of it is the coefficient
            content, primitive = primitive.LC * content, primitive.ring.one
        coefficient *= to_fraction(content) ** sign
        if not primitive.is_ground:
            flip, primitive = _fewer_minus_signs(primitive)
            coefficient *= flip
            factors.append((primitive, sign))
    return _product_of(_positive_if_balanced(coefficient, factors), factors, generators)


def divide_out(expr: Expr, max_terms: int = 64) -> Expr:
    """``N/D`` as ``Q + R/D`` by division in the generator that gives the shortest form
    (among those in which ``D``'s leading coefficient is a number and ``N`` is at least as
    high as ``D``); ``expr`` itself when there is none, a budget is hit or a coefficient is a
    float (dividing by a polynomial with symbolic floats rarely pays for its work)."""
    if type(expr) not in (Add, Mul, Pow):
        return expr
    try:
        numerator, denominator, generators = _quotient(expr, max_terms, floats=False)
        numerator, denominator = _lowest_terms(numerator, denominator)
    except (GiveUp, OverflowError):
        return expr
    if denominator.is_ground or numerator.is_zero:
        return expr
    best, best_size = expr, None
    for index in range(len(generators)):
        form = _divided(numerator, denominator, index, generators)
        if form is None:
            continue
        form_size = size(form)
        if best_size is None or form_size < best_size:
            best, best_size = form, form_size
    return best


def _divided(numerator, denominator, index: int, generators):
    """``Q + R/D`` dividing in generator ``index``, or None where that division does not
    apply (``D`` free of it, ``N`` lower, or ``D``'s leading coefficient not a number)."""
    degree_d = denominator.degree(index)
    if degree_d < 1 or numerator.degree(index) < degree_d:
        return None
    leading = denominator.coeff_wrt(index, degree_d)
    if not leading.is_ground:
        return None
    quotient, remainder = numerator.ring.zero, numerator
    R = numerator.ring
    x = R.gens[index]
    lc = leading.LC
    for _ in range(numerator.degree(index) - degree_d + 1):
        active_deadline().spend(len(remainder) * len(denominator))
        degree_r = remainder.degree(index)
        if degree_r < degree_d:
            break
        term = remainder.coeff_wrt(index, degree_r).quo_ground(lc) * x ** (degree_r - degree_d)
        quotient += term
        remainder -= term * denominator
    if remainder.degree(index) >= degree_d:
        return None
    whole = _as_expr(quotient, generators)
    if remainder.is_zero:
        return whole
    rest = factor(Mul(_as_expr(remainder, generators), Pow(_as_expr(denominator, generators), -1)))
    return Add(whole, rest)


def _half_power(factor_: Expr) -> bool:
    """A factor ``Y^(k/2)`` with an odd ``k`` and a base worth cancelling against."""
    if type(factor_) is not Pow or type(factor_.args[0]) not in (Add, Mul):
        return False
    exponent = factor_.args[1]
    return (type(exponent) is Const and type(exponent.value) is Fraction
            and exponent.value.denominator == 2)


def split_radicals(expr: Expr, root: Fraction) -> Expr:
    """A product with square roots of quotients, each ``Y^(k/2)`` written as
    ``Y^(k/2 - root) * Y^root`` (``root`` is 1/2 or -1/2; always 1/2 for a positive power)
    and the rest brought to lowest terms with the whole powers of ``Y``:
    ``pr/(rho*sqrt(g*pr/rho)) -> sqrt(g*pr/rho)/g``, ``(m + n)/(G*(m + n))^(3/2) ->
    1/(G*sqrt(G*(m + n)))``. Sound and defined wherever the input is: a negative power needs
    ``Y > 0``, where ``Y^(a + b) = Y^a*Y^b``; a positive one becomes a whole power times
    ``sqrt(Y)``, defined at ``Y = 0`` too. A number in front stays in front. ``expr`` itself
    when it has no such factor."""
    if type(expr) is not Mul:
        return expr
    radicals = [f for f in expr.args if _half_power(f)]
    if not radicals:
        return expr
    number = expr.args[0] if type(expr.args[0]) is Const else Const(1)
    rest = [f for f in expr.args if f is not number and not _half_power(f)]
    roots = [root if f.args[1].value < 0 else Fraction(1, 2) for f in radicals]
    rest += [Pow(f.args[0], Const(f.args[1].value - r)) for f, r in zip(radicals, roots)]
    whole = Mul(*rest) if rest else Const(1)
    return Mul(number, rational_form(whole),
               *(Pow(f.args[0], Const(r)) for f, r in zip(radicals, roots)))
