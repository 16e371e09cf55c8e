"""Algebraic rewrites no finite pattern says, and the size measure the simplifier judges by.

* ``size``: the operations a reader sees in the printed formula (``x/(2*sqrt(y))`` is 3),
  computed per node over the DAG; a subexpression printed twice counts twice, which is the
  point: a shorter derivative is one with fewer repeated pieces.
* ``collect_common_factors``: ``3*x^2*cos(u) - cos(u) + y -> cos(u)*(3*x^2 - 1) + y``: the
  factor shared by most terms of a sum is pulled out of them. Derivatives need this most:
  the chain rule hands every term of a sum the same outer factor. A plain variable is
  pulled out only when every term has it (``x^3 + x^2 -> x^2*(x + 1)``), so a polynomial
  keeps its expanded form instead of turning into a Horner scheme.
* ``pull_content``: ``x*(2*y + 4) -> 2*x*(y + 2)``: a sum's common number moves out of it;
  ``distribute_number``: ``2*x*(0.5*y + 3*z) -> x*(y + 6*z)``: a product's number moves in;
  ``absorb_sign``: ``-a*(x - y) -> a*(y - x)``: a product's minus moves into it.
* ``extract_roots``: ``sqrt(8) -> 2*sqrt(2)``, ``12^(1/2) -> 2*sqrt(3)``.
"""
from __future__ import annotations

import math
import weakref
from fractions import Fraction

from ..core import exact
from ..core.nodes import MINUS_ONE, Add, Const, Constant, Expr, Mul, Pow, Var
from ..core.walk import fold
from .deadline import active_deadline

#: Largest integer whose perfect-power factors ``extract_roots`` looks for.
ROOT_EXTRACTION_LIMIT = 10**12


def _own_size(node: Expr) -> int:
    """Operations a node adds to the printed text, roughly as ``sympy.count_ops`` counts
    them: one per operator symbol; a quotient's '/' replaces a '*', and a negative term's
    '-' replaces the sum's '+'."""
    kind = type(node)
    if kind is Const:
        return 1 if isinstance(node.value, Fraction) else 0
    if kind is Var or kind is Constant:
        return 0
    if kind is Add:
        return len(node.args) - 1
    if kind is Mul:
        args = node.args
        count = len(args) - 1
        if type(args[0]) is Const and args[0].value in (1, -1):
            count -= 1
        count -= sum(1 for a in args if type(a) is Pow and a.args[1] is MINUS_ONE)
        return max(count, 0)
    return 1


_SIZES: "weakref.WeakKeyDictionary[Expr, int]" = weakref.WeakKeyDictionary()


def size(expr: Expr) -> int:
    """Operations in the printed form of ``expr`` (shared subexpressions counted each time
    they print). Remembered per node while the node lives, so asking again about a
    rewritten expression only costs its new nodes."""
    known = _SIZES.get(expr)
    if known is not None:
        return known
    return fold(expr, _step_size, _SIZES)[expr]


def _step_size(node: Expr, args: list[int]) -> int:
    return _own_size(node) + sum(args)


# -------------------------------------------------------------- common factors of a sum
def _term_factors(term: Expr):
    """A term as (coefficient, {base: exponent})."""
    coefficient = 1
    factors = term.args if type(term) is Mul else (term,)
    powers: dict[Expr, Expr] = {}
    for factor in factors:
        if type(factor) is Const:
            coefficient = exact.mul(coefficient, factor.value)
        elif type(factor) is Pow:
            powers[factor.args[0]] = factor.args[1]
        else:
            powers[factor] = Const(1)
    return coefficient, powers


def _common_exponent(exponents: list[Expr]) -> Expr | None:
    """The exponent to pull out of every term: the least, when all are numbers of one kind;
    the shared one, when all are the same expression."""
    if all(type(e) is Const for e in exponents):
        values = [e.value for e in exponents]
        if all(exact.is_exact(v) for v in values) or all(isinstance(v, float) for v in values):
            return Const(min(values))
        return None
    first = exponents[0]
    return first if all(e is first for e in exponents) else None


def _content(coefficients: list, signed: bool = True) -> object:
    """The number to pull out of a sum's coefficients: the rational gcd of the exact ones,
    if it divides the float ones exactly too (1.94 = 2*0.97); with ``signed``, negative when
    every coefficient is. 1 when there is nothing to pull."""
    exact_ones = [c for c in coefficients if exact.is_exact(c)]
    content = 1
    if exact_ones:
        numerator, denominator = 0, 1
        for c in exact_ones:
            c = Fraction(c)
            numerator = math.gcd(numerator, c.numerator)
            denominator = denominator * c.denominator // math.gcd(denominator, c.denominator)
        content = exact.normalise(Fraction(numerator, denominator))
        if content != 1 and not all(_divides_cleanly(c, content)
                                    for c in coefficients if isinstance(c, float)):
            content = 1
    return -content if signed and all(c < 0 for c in coefficients) else content


def _divides_cleanly(value: float, content) -> bool:
    """Whether a float divided by ``content`` is exact and no longer to write: 1.94/2 is
    0.97, but 1.4/3 is 0.4666666666666666 (rounding noise, and longer)."""
    quotient = value / content
    return quotient * content == value and len(repr(quotient)) <= len(repr(value))


def collect_common_factors(node: Expr) -> Expr | None:
    """Pull the most valuable factor shared by two or more terms of a sum out of them,
    together with everything else those terms have in common."""
    if type(node) is not Add:
        return None
    deadline = active_deadline()
    terms = [t for t in node.args if type(t) is not Const]
    split = []
    for term in terms:
        deadline.spend(1 + (len(term.args) if type(term) is Mul else 1))
        split.append(_term_factors(term))
    count: dict[Expr, int] = {}
    for _, powers in split:
        for base in powers:
            count[base] = count.get(base, 0) + 1
    best, best_gain = None, 0
    for base, times in count.items():
        if times < 2 or (times < len(node.args) and type(base) in (Var, Constant)):
            continue        # a variable only when all terms share it: no Horner schemes
        gain = (times - 1) * (size(base) + 1)
        if gain > best_gain:
            best, best_gain = base, gain
    if best is None:
        return None
    group = [i for i, (_, powers) in enumerate(split) if best in powers]
    common: dict[Expr, Expr] = {}
    for base in split[group[0]][1]:
        if all(base in split[i][1] for i in group):
            exponent = _common_exponent([split[i][1][base] for i in group])
            if exponent is not None:
                common[base] = exponent
    if best not in common:
        return None
    content = _content([split[i][0] for i in group])
    inner = []
    for i in group:
        coefficient, powers = split[i]
        rest = [Pow(b, Add(e, Mul(-1, common[b]))) if b in common else Pow(b, e)
                for b, e in powers.items()]
        inner.append(Mul(_divide(coefficient, content), *rest))
    pulled = Mul(content, *(Pow(b, e) for b, e in common.items()), Add(*inner))
    deadline.spend(len(node.args) + len(group) * len(common))
    grouped = set(group)
    others = [t for i, t in enumerate(terms) if i not in grouped]
    constants = [t for t in node.args if type(t) is Const]
    return Add(pulled, *others, *constants)


def _divide(a, b):
    if exact.is_exact(a) and exact.is_exact(b):
        return exact.normalise(Fraction(a) / Fraction(b))
    return float(a) / float(b)


# ------------------------------------------------------------------- numbers out of sums
def pull_content(node: Expr) -> Expr | None:
    """A product with a sum among its factors takes that sum's common (positive) number:
    ``x*(2*y + 4) -> 2*x*(y + 2)``."""
    if type(node) is not Mul:
        return None
    for index, factor in enumerate(node.args):
        if type(factor) is not Add:
            continue
        active_deadline().spend(len(factor.args))
        content = _content([_coefficient(t) for t in factor.args], signed=False)
        if content == 1:
            continue
        inner = Add(*(Mul(_divide(1, content), t) for t in factor.args))
        others = node.args[:index] + node.args[index + 1:]
        return Mul(content, inner, *others)
    return None


def distribute_number(node: Expr) -> Expr | None:
    """A product's number goes into its one sum, the inverse of ``pull_content``, for the
    greedy pass to keep where shorter: ``2*x*(4e-05*u - 2*y + 1) -> x*(8e-05*u - 4*y + 2)``
    (a term whose coefficient stays a number costs nothing more)."""
    if type(node) is not Mul or type(node.args[0]) is not Const:
        return None
    sums = [f for f in node.args if type(f) is Add]
    if len(sums) != 1:
        return None
    total = sums[0]
    active_deadline().spend(len(total.args))
    number = node.args[0]
    inner = Add(*(Mul(number, t) for t in total.args))
    return Mul(inner, *(f for f in node.args[1:] if f is not total))


def _coefficient(term: Expr):
    return term.value if type(term) is Const else _term_factors(term)[0]


def absorb_sign(node: Expr) -> Expr | None:
    """A negative product takes its minus into a sum among its factors (or an odd power of
    one) when that saves a sign: ``-a*(x - y) -> a*(y - x)``, ``-2*a*(-x - y) -> 2*a*(x + y)``,
    ``-20*(x - 3)/(y + 1) -> 20*(3 - x)/(y + 1)``, ``-a/(e^x - 1) -> a/(1 - e^x)``. The sum
    keeps a positive term to print first, so only the product's leading minus goes (as
    ``sympy.count_ops`` counts it: ``-20*(x - 3)`` is 3 operations, ``20*(3 - x)`` is 2)."""
    if type(node) is not Mul or type(node.args[0]) is not Const or node.args[0].value >= 0:
        return None
    coefficient = node.args[0].value
    for index, factor in enumerate(node.args):
        total, exponent = factor, None
        if type(factor) is Pow and type(factor.args[1]) is Const \
                and type(factor.args[1].value) is int and factor.args[1].value % 2:
            total, exponent = factor.args
        if type(total) is not Add:
            continue
        active_deadline().spend(len(total.args))
        signs = [_coefficient(t) < 0 for t in total.args]
        if not any(signs):
            continue
        flipped = Add(*(Mul(-1, t) for t in total.args))
        others = node.args[1:index] + node.args[index + 1:]
        return Mul(-coefficient, flipped if exponent is None else Pow(flipped, exponent),
                   *others)
    return None


# ------------------------------------------------------------------------- exact roots
def _largest_power_factor(n: int, q: int) -> int:
    """The largest k with k^q dividing n (trial division; n is bounded)."""
    deadline = active_deadline()
    k, d = 1, 2
    while d ** q <= n:
        while n % d ** q == 0:
            n //= d ** q
            k *= d
        d += 1
        if d % 1024 == 0:       # up to a million divisions for n near the limit
            deadline.spend(1024)
    return k


def extract_roots(node: Expr) -> Expr | None:
    """``n^(p/q)`` with a perfect q-th power dividing the integer n: ``sqrt(12) -> 2*sqrt(3)``."""
    if type(node) is not Pow:
        return None
    base, exponent = node.args
    if not (type(base) is Const and type(exponent) is Const and type(base.value) is int
            and type(exponent.value) is Fraction and 1 < base.value <= ROOT_EXTRACTION_LIMIT):
        return None
    q = exponent.value.denominator
    if q > 64:
        return None
    k = _largest_power_factor(base.value, q)
    if k == 1:
        return None
    # n^(p/q) = (k^q * m)^(p/q) = k^p * m^(p/q)
    return Mul(Pow(k, exponent.value.numerator), Pow(base.value // k ** q, exponent))

