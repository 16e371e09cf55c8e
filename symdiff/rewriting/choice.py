"""The choice pass: several candidate forms for each subexpression, the cheapest kept.

Greedy rewriting keeps a rule's result only where it is no longer, so it cannot pass
through a longer form to a shorter one (``1 - sinh(x)^2/cosh(x)^2`` needs the longer
``(cosh(x)^2 - sinh(x)^2)/cosh(x)^2`` before it is ``1/cosh(x)^2``). This pass walks the DAG
once, children first, and for each node weighs:

* the node rebuilt from its children's chosen forms;
* each rule of the default groups that fires at it, even one that lengthens (one step of
  look-ahead: ``(x^2*y^2)^(1/2) -> (x^2)^(1/2)*(y^2)^(1/2)``, which the greedy rules finish
  as ``abs(x*y)``);
* at the root of each polynomial layer (a formula's root, or a function's argument) up to
  ``ALGEBRA_SIZE_LIMIT`` operations: the algebraic strategies ``ALGEBRA``: factored,
  divided out, over a common denominator, cancelled, expanded;
* at the same roots up to ``EXPANSION_SIZE_LIMIT``: each expansion strategy, a named group
  of expanding rules applied throughout (angle sums, ``sin^2`` as ``1 - cos^2``...).

Every candidate is then normalised by the greedy rules, and the cheapest under the cost
model (``cost.py``) is the node's form, remembered per node: the result is the cheapest
combination of the candidates, each shared node decided once, and every piece any strategy
works on is small even when the formula is huge. The pass runs inside the simplifier's
``Deadline``, so a time limit holds in it too.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from ..core import exact
from ..core.nodes import Add, Const, Expr, Mul, Pow, held_product
from ..core.walk import rebuild, topological
from .algebra import size
from .factoring import divide_out, factor, rational_form, split_radicals
from .polynomial import cancel, expand, together
from .rule import REFUSED, Rewriter, Transform
from .strategies import RewriteStep, Run, bottom_up, index_by_head, rules_for

#: Nodes larger than this (operations) get no look-ahead candidates: a rule at the top of
#: a huge node rarely pays for normalising its result.
CHOICE_SIZE_LIMIT = 200
#: Largest layer root (operations) given the algebraic strategies.
ALGEBRA_SIZE_LIMIT = 120
#: Largest layer root given the expansion strategies, and how far an expansion may grow
#: (times the node's size) before it is dropped.
EXPANSION_SIZE_LIMIT = 60
EXPANSION_GROWTH = 4
#: The algebraic strategies also tried on an expanded form (``sigmoid`` written with
#: ``exp`` is a rational function of it).
AFTER_EXPANSION = ("rational", "divide-out")
#: Greedy passes that normalise one candidate (each pass is cheap: what is already in normal
#: form is remembered).
NORMALISING_PASSES = 8


@dataclass(frozen=True)
class FormStrategy:
    """A named way to propose a different form of a whole subexpression."""

    name: str
    propose: Callable[[Expr], Expr]
    heads: tuple[type, ...] = (Add, Mul, Pow)


#: The algebraic strategies, tried at polynomial-layer roots.
ALGEBRA = (
    FormStrategy("rational", rational_form),
    FormStrategy("factor", factor),
    FormStrategy("divide-out", divide_out),
    FormStrategy("together", together, (Add,)),
    FormStrategy("cancel", cancel, (Mul, Pow)),
    FormStrategy("expand", expand),
    FormStrategy("radicals-up", lambda e: split_radicals(e, Fraction(1, 2)), (Mul,)),
    FormStrategy("radicals-down", lambda e: split_radicals(e, Fraction(-1, 2)), (Mul,)),
)


def lookahead_rules(rules: Iterable[Rewriter]) -> list[Rewriter]:
    """The rules as the look-ahead applies them: a ``Transform`` whose result the greedy
    pass keeps only when shorter is applied unconditionally (its result is judged by the
    cost model instead); a rule written as text fires as written."""
    found = []
    for rule in rules:
        rule = getattr(rule, "rule", rule)           # unwrap the greedy pass's length check
        if isinstance(rule, Transform) and rule.keep != "always":
            rule = Transform(rule.name, rule.function, rule.heads)
        found.append(rule)
    return found


def keep_factored(node: Expr, args: list[Expr]) -> Expr:
    """``rebuild``, except that a number times a sum stays a product (``2*(x + y)``): a
    factored form chosen for a child is not distributed again by its parent."""
    if type(node) is Mul and len(args) == 2 and type(args[0]) is Const and type(args[1]) is Add:
        return held_product(args[0].value, args[1])
    return rebuild(node, args)


def _layer_roots(roots: list[Expr]) -> set[Expr]:
    """The roots and every argument of a node outside the polynomial layer (a function's
    argument, the base of a non-integer power): where an algebraic form is worth proposing."""
    found = set(roots)
    for node in topological(roots):
        kind = type(node)
        if kind is Add or kind is Mul:
            continue
        if kind is Pow and type(node.args[1]) is Const and exact.is_integer(node.args[1].value):
            continue
        found.update(node.args)
    return found


class Chooser:
    """One choice pass's state: the rules, strategies, cost model and the run it spends."""

    def __init__(self, greedy: Callable, greedy_rules: list[Rewriter],
                 expansions: dict[str, list[Rewriter]], cost: Callable[[Expr], tuple],
                 run: Run | None = None, algebra: tuple[FormStrategy, ...] = ALGEBRA):
        """``greedy`` is the greedy pass (``strategies.bottom_up`` of ``greedy_rules``): the
        same strategy object as the greedy rewrite used, so that with the same ``run.memos``
        what that rewrite left in normal form is not looked at again."""
        self.greedy = greedy
        self.lookahead = index_by_head(lookahead_rules(greedy_rules))
        self.expansions = {name: bottom_up(*rules) for name, rules in expansions.items()}
        self.cost, self.run, self.algebra = cost, run, algebra
        self.chosen: dict[Expr, Expr] = {}

    # ------------------------------------------------------------------ helpers
    def _steps_since(self, mark: int) -> list[RewriteStep]:
        trace = self.run.trace
        if trace is None:
            return []
        steps = trace[mark:]
        del trace[mark:]
        return steps

    def _mark(self) -> int:
        return len(self.run.trace) if self.run.trace is not None else 0

    def normal(self, expr: Expr) -> Expr:
        """``expr`` rewritten by the greedy rules until nothing fires (or a few passes)."""
        for _ in range(NORMALISING_PASSES):
            new = self.greedy([expr], self.run)[0]
            if new is expr:
                break
            expr = new
        return expr

    def _expanded(self, strategy, expr: Expr, then: FormStrategy | None = None) -> Expr | None:
        """``expr`` with an expansion group applied until nothing fires (None when it grows
        past ``EXPANSION_GROWTH`` times its size or changes nothing), then ``then``."""
        limit = EXPANSION_GROWTH * max(size(expr), 1)
        start = expr
        for _ in range(NORMALISING_PASSES):
            new = strategy([expr], self.run)[0]
            if new is expr:
                break
            expr = new
            if size(expr) > limit:
                return None
        if expr is start:
            return None
        if then is None:
            return expr
        result = then.propose(expr)
        if self.run.trace is not None and result is not expr:
            self.run.trace.append(RewriteStep(then.name, expr, result))
        return result

    # ------------------------------------------------------------------ the candidates
    def _proposals(self, node: Expr, layer_root: bool):
        """(name, form) pairs for ``node``: look-ahead rules, then strategies."""
        node_size = size(node)
        if node_size <= CHOICE_SIZE_LIMIT:
            for rule in rules_for(self.lookahead, type(node)):
                self.run.tick()
                yield rule.name, (lambda rule=rule: rule.apply(node))
        if not layer_root:
            return
        if node_size <= ALGEBRA_SIZE_LIMIT:
            for strategy in self.algebra:
                if type(node) in strategy.heads:
                    yield strategy.name, (lambda strategy=strategy: strategy.propose(node))
        if node_size <= EXPANSION_SIZE_LIMIT:
            for name, strategy in self.expansions.items():
                yield name, (lambda strategy=strategy: self._expanded(strategy, node))
                for algebra in self.algebra:     # an expanded form is often a rational one
                    if algebra.name in AFTER_EXPANSION:
                        yield (f"{name}, then {algebra.name}",
                               lambda strategy=strategy, algebra=algebra:
                               self._expanded(strategy, node, algebra))

    def decide(self, node: Expr, layer_root: bool) -> Expr:
        """The cheapest form of ``node`` (already rebuilt from its children's choices)."""
        mark = self._mark()
        try:
            best = self.normal(node)
        except REFUSED:            # a rewritten constant with no value (asin(2.49)): keep it
            best = node
        best_cost, best_steps = self.cost(best), self._steps_since(mark)
        tried = {node, best}
        for name, make in self._proposals(node, layer_root):
            mark = self._mark()
            try:
                proposed = make()
            except REFUSED:
                proposed = None
            if proposed is None or proposed in tried:
                self._steps_since(mark)
                continue
            tried.add(proposed)
            steps = self._steps_since(mark) or [RewriteStep(name, node, proposed)]
            mark = self._mark()
            try:
                form = self.normal(proposed)
            except REFUSED:
                self._steps_since(mark)
                continue
            steps += self._steps_since(mark)
            form_cost = self.cost(form)
            if form_cost < best_cost:
                best, best_cost, best_steps = form, form_cost, steps
        if self.run.trace is not None:
            self.run.trace.extend(best_steps)
        return best

    def __call__(self, roots: list[Expr]) -> list[Expr]:
        """One pass over the DAG below ``roots``: every node's chosen form."""
        layer = _layer_roots(roots)
        chosen = self.chosen
        for node in topological(roots, known=chosen):
            self.run.tick(1 + len(node.args))
            if not node.args:
                chosen[node] = node
                continue
            try:
                rebuilt = keep_factored(node, [chosen[a] for a in node.args])
            except REFUSED:        # the chosen children make a constant with no value
                rebuilt = node
            chosen[node] = self.decide(rebuilt, node in layer)
        return [chosen[root] for root in roots]


__all__ = ["ALGEBRA", "Chooser", "FormStrategy", "keep_factored", "lookahead_rules"]
