"""Pattern matching for rewrite rules.

A pattern is an ordinary expression in which every variable stands for any subexpression:
``sin(a)^2 + cos(a)^2`` matches ``sin(x + 1)^2 + cos(x + 1)^2``. A variable used twice must
match the same node both times (cheap: nodes are hash-consed, so equal means identical).

Sums and products match associatively and commutatively, and numeric coefficients scale:
at the top of a rule, ``a + b`` matches any two terms of a longer sum and leaves the others
as they are, and ``sin(a)^2 + cos(a)^2`` matches ``3*sin(x)^2 + 3*cos(x)^2 + y`` three
times over (the rule then gives ``3*1 + y``). Inside a pattern a sum or product must be
matched whole, and a lone variable in it takes whatever is left (``2*a`` matches ``4*x*y``
with ``a = 2*x*y``).

The search recurses over the *pattern* (a few nodes; never over the expression being
matched) and is bounded by a step budget, so a rule tried on a sum of 10,000 terms gives up
instead of trying every pair.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator
from fractions import Fraction

from ..core import exact
from ..core.nodes import Add, Const, Constant, Expr, Mul, Var

#: Matching steps one rule may spend on one node before it gives up.
MATCH_STEPS = 4000

Bindings = dict  # pattern Var -> the subexpression it matched


class _OutOfSteps(Exception):
    pass


class _Steps:
    __slots__ = ("left",)

    def __init__(self, limit: int):
        self.left = limit

    def tick(self):
        self.left -= 1
        if self.left < 0:
            raise _OutOfSteps


def _split_term(term: Expr):
    """A sum's term as (coefficient, rest): ``3*x*y`` -> (3, x*y)."""
    if type(term) is Mul and type(term.args[0]) is Const:
        rest = term.args[1:]
        return term.args[0].value, (rest[0] if len(rest) == 1 else Mul(*rest))
    return 1, term


@functools.lru_cache(maxsize=1 << 14)
def _parts(node: Expr, kind):
    """(number, ((coefficient, rest), ...)) of a sum (its constant term) or a product (its
    numeric factor); a node of another kind is a sum or product of one part.

    Remembered for recently seen nodes: every rule about sums asks again for the same sum's
    terms, and splitting off coefficients builds nodes."""
    if kind is Add:
        terms = node.args if type(node) is Add else (node,)
        number = 0
        parts = []
        for term in terms:
            if type(term) is Const:
                number = exact.add(number, term.value)
            else:
                parts.append(_split_term(term))
        return number, tuple(parts)
    factors = node.args if type(node) is Mul else (node,)
    if type(factors[0]) is Const:
        return factors[0].value, tuple((1, f) for f in factors[1:])
    return 1, tuple((1, f) for f in factors)


def _scaled(kind, coefficient, rest: Expr) -> Expr:
    if kind is Add:
        return Mul(coefficient, rest)
    return rest


def _combine(kind, parts, number) -> Expr:
    """The sum or product of leftover parts and a number."""
    if kind is Add:
        return Add(*(Mul(c, r) for c, r in parts), number)
    return Mul(number, *(r for _, r in parts))


def _match(pattern: Expr, target: Expr, bindings: Bindings, steps: _Steps) -> Iterator[Bindings]:
    """Every way ``target`` matches ``pattern`` as a whole, extending ``bindings``."""
    steps.tick()
    kind = type(pattern)
    if kind is Var:
        bound = bindings.get(pattern)
        if bound is None:
            yield {**bindings, pattern: target}
        elif bound is target:
            yield bindings
        return
    if kind is Const or kind is Constant:
        if pattern is target:
            yield bindings
        return
    if kind is Add or kind is Mul:
        for found, *_ in _match_ac(pattern, target, bindings, steps, top=False):
            yield found
        return
    if type(target) is not kind or len(target.args) != len(pattern.args):
        return
    yield from _match_sequence(pattern.args, target.args, bindings, steps)
    if getattr(kind, "commutative", False):
        yield from _match_sequence(pattern.args, target.args[::-1], bindings, steps)


def _match_sequence(patterns, targets, bindings, steps) -> Iterator[Bindings]:
    if not patterns:
        yield bindings
        return
    for found in _match(patterns[0], targets[0], bindings, steps):
        yield from _match_sequence(patterns[1:], targets[1:], found, steps)


def _match_ac(pattern: Expr, target: Expr, bindings: Bindings, steps: _Steps, top: bool):
    """Matches of a sum or product pattern against ``target``'s terms or factors.

    Yields (bindings, scale, leftover parts, leftover number): ``target`` equals ``scale *
    pattern`` combined with the leftovers (for a product, the scale is a factor; for a sum,
    it multiplies the pattern's terms). Only at the ``top`` of a rule may parts be left over
    or the scale differ from 1; inside, a lone pattern variable absorbs the remainder.
    """
    kind = type(pattern)
    if type(target) is not kind:
        return
    p_number, p_parts = _parts(pattern, kind)
    t_number, t_parts = _parts(target, kind)
    fixed = [p for p in p_parts if type(p[1]) is not Var]
    loose = [p for p in p_parts if type(p[1]) is Var]
    if len(fixed) > len(t_parts) or (kind is Add and p_number != 0 and t_number == 0):
        return
    scale = None
    if kind is Mul:
        if p_number == 0:
            return
        scale = _ratio(t_number, p_number)
    yield from _assign(kind, fixed, loose, t_parts, [False] * len(t_parts), scale,
                       p_number, t_number, bindings, steps, top)


def _ratio(a, b):
    """a / b for numbers, exact when both are."""
    if type(a) is int and type(b) is int and b and a % b == 0:
        return a // b
    if exact.is_exact(a) and exact.is_exact(b):
        return exact.normalise(Fraction(a) / Fraction(b))
    return float(a) / float(b)


def _assign(kind, fixed, loose, t_parts, used, scale, p_number, t_number, bindings, steps, top):
    """Backtracking: give each fixed pattern part its own target part, then the loose ones."""
    if fixed:
        (p_coefficient, p_rest), others = fixed[0], fixed[1:]
        for index, (t_coefficient, t_rest) in enumerate(t_parts):
            if used[index] or (type(t_rest) is not type(p_rest) and type(p_rest) is not Var):
                continue
            ratio = _ratio(t_coefficient, p_coefficient) if kind is Add else scale
            if scale is not None and ratio != scale:
                if type(p_rest) is not Mul:
                    continue
                # a product pattern absorbs the difference: a*b + a*c matches x*y - x*z
                t_rest, ratio = Mul(_ratio(ratio, scale), t_rest), scale
            for found in _match(p_rest, t_rest, bindings, steps):
                used[index] = True
                yield from _assign(kind, others, loose, t_parts, used, ratio, p_number,
                                   t_number, found, steps, top)
                used[index] = False
        return
    scale = 1 if scale is None else scale
    if not top and scale != 1 and not (kind is Mul and loose and (p_number == 1 or scale > 0)):
        return      # a pattern's own number matches numbers of its sign: -a matches -2*x, not x
    yield from _assign_loose(kind, loose, t_parts, used, scale, p_number, t_number,
                             bindings, steps, top)


def _assign_loose(kind, loose, t_parts, used, scale, p_number, t_number, bindings, steps, top):
    free = [i for i, u in enumerate(used) if not u]
    if top:
        # each lone variable takes one part (scaled); the rest is left over. The pattern's
        # own constant must be part of the sum's (1 - sin(a)^2 matches 3 - sin(x)^2, not
        # sin(x)^2 + 1: that would only move the constant across)
        number = 1
        if kind is Add:
            taken = exact.mul(scale, p_number)
            if taken and (taken * t_number < 0 or abs(taken) > abs(t_number)):
                return
            number = exact.add(t_number, -taken)
        yield from _one_each(kind, loose, free, t_parts, scale, bindings, steps, number)
        return
    if kind is Add:
        remainder = exact.add(t_number, -exact.mul(scale, p_number))
    else:
        remainder = scale
    if not loose:
        if not free and (remainder == 0 if kind is Add else remainder == 1):
            yield bindings, scale, [], (0 if kind is Add else 1)
        return
    # inside a pattern: the first lone variables take one part each, the last the remainder
    *single, last = loose
    for found, rest in _one_each_parts(kind, single, free, t_parts, 1, bindings, steps):
        if not rest and (remainder == 0 if kind is Add else remainder == 1):
            continue
        absorbed = _combine(kind, [t_parts[i] for i in rest], remainder)
        p_coefficient = last[0]
        if kind is Add and p_coefficient != 1:
            absorbed = Mul(_ratio(1, p_coefficient), absorbed)
        for done in _match(last[1], absorbed, found, steps):
            yield done, 1, [], (0 if kind is Add else 1)


def _one_each_parts(kind, loose, free, t_parts, scale, bindings, steps):
    """Assign each lone variable one distinct free part; yields (bindings, unused parts)."""
    if not loose:
        yield bindings, free
        return
    (p_coefficient, variable), others = loose[0], loose[1:]
    for position, index in enumerate(free):
        steps.tick()
        t_coefficient, t_rest = t_parts[index]
        value = t_rest
        if kind is Add:
            value = Mul(_ratio(t_coefficient, exact.mul(scale, p_coefficient)), t_rest)
        for found in _match(variable, value, bindings, steps):
            yield from _one_each_parts(kind, others, free[:position] + free[position + 1:],
                                       t_parts, scale, found, steps)


def _one_each(kind, loose, free, t_parts, scale, bindings, steps, number):
    for found, rest in _one_each_parts(kind, loose, free, t_parts, scale, bindings, steps):
        yield found, scale, [t_parts[i] for i in rest], number


def matches(pattern: Expr, target: Expr, steps: int = MATCH_STEPS) -> Iterator[tuple]:
    """Every way ``pattern`` matches at the top of ``target``, as (bindings, rebuild) where
    ``rebuild(value)`` puts a replacement for the matched part back together with what the
    pattern left over (other terms of a sum, other factors of a product, the scale).

    Stops quietly when the step budget runs out.
    """
    budget = _Steps(steps)
    kind = type(pattern)
    try:
        if kind is Add or kind is Mul:
            for found, scale, rest, number in _match_ac(pattern, target, {}, budget, top=True):
                yield found, _rebuilder(kind, scale, rest, number)
        else:
            for found in _match(pattern, target, {}, budget):
                yield found, _identity
    except _OutOfSteps:
        return


def _identity(value: Expr) -> Expr:
    return value


def _rebuilder(kind, scale, rest, number):
    if kind is Add:
        return lambda value: Add(Mul(scale, value), _combine(Add, rest, number))
    return lambda value: Mul(scale, value, *(r for _, r in rest))
