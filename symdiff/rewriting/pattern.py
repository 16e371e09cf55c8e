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

The search is a depth-first backtracking over *goals* (match this pattern node against that
node; give the next pattern term its own term of the sum; ...) kept on an explicit stack, so
a pattern or a target 100,000 levels deep is fine. It is bounded by a step budget (each goal
and each candidate term examined is a step), so a rule tried on a sum of 10,000 terms gives
up instead of trying every pair, and every step is also work spent against the active
deadline (``rewriting.deadline``).
"""
from __future__ import annotations

import functools
from collections.abc import Iterator
from fractions import Fraction

from ..core import exact
from ..core.nodes import Add, Const, Constant, Expr, Mul, Var
from .deadline import active_deadline

#: Matching steps one rule may spend on one node before it gives up (plus one per node of
#: the pattern, so that a pattern 100,000 levels deep can still match).
MATCH_STEPS = 4000

Bindings = dict  # pattern Var -> the subexpression it matched


class _OutOfSteps(Exception):
    pass


class _Steps:
    __slots__ = ("left", "deadline")

    def __init__(self, limit: int):
        self.left = limit
        self.deadline = active_deadline()

    def tick(self):
        self.left -= 1
        if self.left < 0:
            raise _OutOfSteps
        self.deadline.spend()


def _split_term(term: Expr):
    """A sum's term as (coefficient, rest): ``3*x*y`` -> (3, x*y)."""
    if type(term) is Mul and type(term.args[0]) is Const:
        rest = term.args[1:]
        return term.args[0].value, (rest[0] if len(rest) == 1 else Mul(*rest))
    return 1, term


@functools.lru_cache(maxsize=1 << 14)
def _parts(node: Expr, kind):
    """(number, ((coefficient, rest), ...), {type of rest: indices}) of a sum (its constant
    term) or a product (its numeric factor); a node of another kind is a sum or product of
    one part. The index lets a pattern part look only at parts of its own type.

    Remembered for recently seen nodes: every rule about sums asks again for the same sum's
    terms, and splitting off coefficients builds nodes."""
    if kind is Add:
        terms = node.args if type(node) is Add else (node,)
        active_deadline().spend(len(terms))
        number = 0
        parts = []
        for term in terms:
            if type(term) is Const:
                number = exact.add(number, term.value)
            else:
                parts.append(_split_term(term))
    else:
        factors = node.args if type(node) is Mul else (node,)
        active_deadline().spend(len(factors))
        number = 1
        if type(factors[0]) is Const:
            number, factors = factors[0].value, factors[1:]
        parts = [(1, f) for f in factors]
    by_type: dict[type, list[int]] = {}
    for index, (_, rest) in enumerate(parts):
        by_type.setdefault(type(rest), []).append(index)
    return number, tuple(parts), {t: tuple(i) for t, i in by_type.items()}


def _combine(kind, parts, number) -> Expr:
    """The sum or product of leftover parts and a number."""
    if kind is Add:
        return Add(*(Mul(c, r) for c, r in parts), number)
    return Mul(number, *(r for _, r in parts))


def _ratio(a, b):
    """a / b for numbers, exact when both are."""
    if type(a) is int and type(b) is int and b and a % b == 0:
        return a // b
    if exact.is_exact(a) and exact.is_exact(b):
        return exact.normalise(Fraction(a) / Fraction(b))
    return float(a) / float(b)


# A search state is (goals, bindings, extra): goals a linked list (goal, rest) or None,
# extra what a top-level sum or product match leaves over (scale, parts, number).
# Goals:
#   ("match", pattern, target)                       target matches pattern as a whole
#   ("fixed", ac, i, used, scale)                    give fixed pattern parts i.. their own
#                                                    target parts (``used``: taken indices)
#   ("loose", ac, i, used, scale)                    lone variables i.. one part each
# where ac = (kind, fixed, loose, t_parts, by_type, p_number, t_number, top).

def _match_goal(pattern: Expr, target: Expr, rest, bindings, extra) -> list | Iterator:
    """The states after matching ``target`` against ``pattern`` (node against node)."""
    kind = type(pattern)
    if kind is Var:
        bound = bindings.get(pattern)
        if bound is None:
            return [(rest, {**bindings, pattern: target}, extra)]
        return [(rest, bindings, extra)] if bound is target else []
    if kind is Const or kind is Constant:
        return [(rest, bindings, extra)] if pattern is target else []
    if kind is Add or kind is Mul:
        return _ac_start(pattern, target, rest, bindings, extra, top=False)
    if type(target) is not kind or len(target.args) != len(pattern.args):
        return []
    states = [(_prepend(pattern.args, target.args, rest), bindings, extra)]
    if getattr(kind, "commutative", False):
        states.append((_prepend(pattern.args, target.args[::-1], rest), bindings, extra))
    return states


def _prepend(patterns, targets, rest):
    for pattern, target in zip(reversed(patterns), reversed(targets)):
        rest = (("match", pattern, target), rest)
    return rest


def _ac_start(pattern: Expr, target: Expr, rest, bindings, extra, top: bool) -> list:
    """A sum or product pattern against ``target``'s terms or factors: first the pattern
    parts that are not lone variables (``fixed``), each to its own target part, then the
    lone variables (``loose``). Only at the ``top`` of a rule may parts be left over or the
    scale differ from 1; inside, the last lone variable absorbs the remainder."""
    kind = type(pattern)
    if type(target) is not kind:
        return []
    p_number, p_parts, _ = _parts(pattern, kind)
    t_number, t_parts, by_type = _parts(target, kind)
    fixed = tuple(p for p in p_parts if type(p[1]) is not Var)
    loose = tuple(p for p in p_parts if type(p[1]) is Var)
    if len(fixed) > len(t_parts) or (kind is Add and p_number != 0 and t_number == 0):
        return []
    scale = None
    if kind is Mul:
        if p_number == 0:
            return []
        scale = _ratio(t_number, p_number)
    ac = (kind, fixed, loose, t_parts, by_type, p_number, t_number, top)
    return [((("fixed", ac, 0, frozenset(), scale), rest), bindings, extra)]


def _fixed_goal(ac, i, used, scale, rest, bindings, extra, steps) -> Iterator | list:
    kind, fixed, loose, t_parts, by_type, p_number, t_number, top = ac
    if i < len(fixed):
        return _fixed_candidates(ac, i, used, scale, rest, bindings, extra, steps)
    scale = 1 if scale is None else scale
    if not top and scale != 1 and not (kind is Mul and loose and (p_number == 1 or scale > 0)):
        return []   # a pattern's own number matches numbers of its sign: -a matches -2*x, not x
    if top:
        # each lone variable takes one part (scaled); the rest is left over. The pattern's
        # own constant must be part of the sum's (1 - sin(a)^2 matches 3 - sin(x)^2, not
        # sin(x)^2 + 1: that would only move the constant across)
        if kind is Add:
            taken = exact.mul(scale, p_number)
            if taken and (taken * t_number < 0 or abs(taken) > abs(t_number)):
                return []
    elif not loose:
        remainder = exact.add(t_number, -exact.mul(scale, p_number)) if kind is Add else scale
        whole = len(used) == len(t_parts) and remainder == (0 if kind is Add else 1)
        return [(rest, bindings, extra)] if whole else []
    return [((("loose", ac, 0, used, scale), rest), bindings, extra)]


def _fixed_candidates(ac, i, used, scale, rest, bindings, extra, steps):
    """Fixed pattern part ``i`` against each free target part of its type, in order."""
    kind, fixed, _, t_parts, by_type, _, _, _ = ac
    p_coefficient, p_rest = fixed[i]
    for index in by_type.get(type(p_rest), ()):
        steps.tick()
        if index in used:
            continue
        t_coefficient, t_rest = t_parts[index]
        ratio = _ratio(t_coefficient, p_coefficient) if kind is Add else scale
        if scale is not None and ratio != scale:
            if type(p_rest) is not Mul:
                continue
            # a product pattern absorbs the difference: a*b + a*c matches x*y - x*z
            t_rest, ratio = Mul(_ratio(ratio, scale), t_rest), scale
        after = (("fixed", ac, i + 1, used | {index}, ratio), rest)
        yield (("match", p_rest, t_rest), after), bindings, extra


def _loose_goal(ac, i, used, scale, rest, bindings, extra, steps):
    """Lone pattern variable ``i`` against each free target part; after the last one, what
    is left is left over (at the top) or absorbed by the last variable (inside)."""
    kind, _, loose, t_parts, _, p_number, t_number, top = ac
    if not top and i == len(loose) - 1:
        remainder = exact.add(t_number, -exact.mul(scale, p_number)) if kind is Add else scale
        free = [t_parts[j] for j in range(len(t_parts)) if j not in used]
        steps.deadline.spend(len(t_parts))
        if not free and remainder == (0 if kind is Add else 1):
            return
        absorbed = _combine(kind, free, remainder)
        p_coefficient, variable = loose[i]
        if kind is Add and p_coefficient != 1:
            absorbed = Mul(_ratio(1, p_coefficient), absorbed)
        yield (("match", variable, absorbed), rest), bindings, extra
        return
    if i == len(loose):          # only at the top: every lone variable has its part
        number = 1
        if kind is Add:
            number = exact.add(t_number, -exact.mul(scale, p_number))
        left = [t_parts[j] for j in range(len(t_parts)) if j not in used]
        steps.deadline.spend(len(t_parts))
        yield rest, bindings, (scale, left, number)
        return
    p_coefficient, variable = loose[i]
    inner_scale = scale if top else 1
    for index in range(len(t_parts)):
        steps.tick()
        if index in used:
            continue
        t_coefficient, t_rest = t_parts[index]
        value = t_rest
        if kind is Add:
            value = Mul(_ratio(t_coefficient, exact.mul(inner_scale, p_coefficient)), t_rest)
        after = (("loose", ac, i + 1, used | {index}, scale), rest)
        yield (("match", variable, value), after), bindings, extra


def _expand(goals, bindings, extra, steps):
    goal, rest = goals
    name = goal[0]
    if name == "match":
        return _match_goal(goal[1], goal[2], rest, bindings, extra)
    if name == "fixed":
        return _fixed_goal(goal[1], goal[2], goal[3], goal[4], rest, bindings, extra, steps)
    return _loose_goal(goal[1], goal[2], goal[3], goal[4], rest, bindings, extra, steps)


def _search(state, steps: _Steps) -> Iterator[tuple]:
    """Depth first over the states below ``state``: every (bindings, extra) whose goals are
    all met, in order. Alternatives wait on an explicit stack of iterators; a goal with one
    way forward is followed at once, so a deep chain does not grow the stack."""
    stack: list[Iterator] = []
    while True:
        if state is None:
            while stack:
                state = next(stack[-1], None)
                if state is not None:
                    break
                stack.pop()
            else:
                return
        goals, bindings, extra = state
        if goals is None:
            yield bindings, extra
            state = None
            continue
        steps.tick()
        following = _expand(goals, bindings, extra, steps)
        if type(following) is list:
            if not following:
                state = None
                continue
            state = following[0]
            if len(following) > 1:
                stack.append(iter(following[1:]))
        else:
            stack.append(following)
            state = None


def pattern_steps(pattern: Expr) -> int:
    """The step budget for matching ``pattern`` once: ``MATCH_STEPS`` plus one per node."""
    return MATCH_STEPS + _pattern_nodes(pattern)


def _pattern_nodes(pattern: Expr) -> int:
    seen, stack = {pattern}, [pattern]
    while stack:
        for arg in stack.pop().args:
            if arg not in seen:
                seen.add(arg)
                stack.append(arg)
    return len(seen)


def matches(pattern: Expr, target: Expr, steps: int | None = None) -> Iterator[tuple]:
    """Every way ``pattern`` matches at the top of ``target``, as (bindings, rebuild) where
    ``rebuild(value)`` puts a replacement for the matched part back together with what the
    pattern left over (other terms of a sum, other factors of a product, the scale).

    Stops quietly when the step budget (by default ``pattern_steps(pattern)``) runs out;
    raises ``OutOfTime`` when the active deadline passes.
    """
    budget = _Steps(pattern_steps(pattern) if steps is None else steps)
    kind = type(pattern)
    try:
        if kind is Add or kind is Mul:
            for start in _ac_start(pattern, target, None, {}, None, top=True):
                for found, (scale, rest, number) in _search(start, budget):
                    yield found, _rebuilder(kind, scale, rest, number)
        else:
            for found, _ in _search(((("match", pattern, target), None), {}, None), budget):
                yield found, _identity
    except _OutOfSteps:
        return


def _identity(value: Expr) -> Expr:
    return value


def _rebuilder(kind, scale, rest, number):
    if kind is Add:
        return lambda value: Add(Mul(scale, value), _combine(Add, rest, number))
    return lambda value: Mul(scale, value, *(r for _, r in rest))
