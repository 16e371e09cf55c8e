"""``simplify``: the rule groups of ``rulesets.py`` applied bottom-up until nothing fires
(the greedy pass), then the choice pass of ``choice.py``, which weighs several candidate
forms of each subexpression (look-ahead rules, factored, divided out, over a common
denominator, expanded, angle sums...) and keeps the cheapest under a cost model
(``cost.py``). It always stops within its budget, and says why.

    >>> import symdiff
    >>> symdiff.simplify(symdiff.parse("sin(x)^2 + cos(x)^2 + (x^2 - 1)/(x - 1)"))
    <Add x + 2>
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from .algebra import size
from ..core.nodes import Expr, as_expr, provide
from ..core.walk import node_count, topological
from .choice import Chooser
from .cost import cost_model, total_cost
from .deadline import Deadline, OutOfTime, deadline_scope
from .strategies import DEFAULT_BUDGET, Budget, Result, Run, StopReason, bottom_up, rewrite
from .rule import Rewriter, Transform
from .expansions import expansion_groups
from .rulesets import default_rules

#: Choice passes after the greedy one (each starts from the last one's result, greedily
#: normalised again); they stop early when a pass changes nothing.
CHOICE_ROUNDS = 3


class _Reporting(Chooser):
    """A choice pass that tells ``progress(done, total)`` how many of the nodes it looks at
    in this round it has decided (a round on a large gradient can take minutes)."""

    def __init__(self, progress: Callable[[int, int], None], *args):
        super().__init__(*args)
        self.progress, self.done, self.total = progress, 0, 0

    def __call__(self, roots: list[Expr]) -> list[Expr]:
        self.done = 0
        self.total = sum(1 for node in topological(roots, known=self.chosen) if node.args)
        self.progress(0, self.total)
        return super().__call__(roots)

    def decide(self, node: Expr, layer_root: bool) -> Expr:
        chosen = super().decide(node, layer_root)
        self.done += 1
        self.progress(self.done, self.total)
        return chosen


class _NoLonger(Rewriter):
    """A default pattern rule that may fire only where it does not lengthen the formula (a
    rule such as ``(a^m)^n -> abs(a)^(m*n)`` shortens most shapes but not every one). The
    default transforms say for themselves whether they must shorten (``sqrt(8) ->
    2*sqrt(2)`` is a normal form, not a shorter one); rules a user supplies fire as written."""

    __slots__ = ("rule", "name", "heads")

    def __init__(self, rule: Rewriter):
        self.rule, self.name, self.heads = rule, rule.name, rule.heads

    def apply(self, node: Expr) -> Expr | None:
        result = self.rule.apply(node)
        if result is None or size(result) > size(node):
            return None
        return result


def simplify_result(expr, rules: Iterable | None = None, extra: Iterable = (), *,
                    max_iterations: int = DEFAULT_BUDGET.max_iterations,
                    max_nodes: int = DEFAULT_BUDGET.max_nodes,
                    timeout: float = DEFAULT_BUDGET.timeout, trace: bool = False,
                    clock: Callable[[], float] = DEFAULT_BUDGET.clock,
                    cost="ops", choose: bool | None = None,
                    progress: Callable[[int, int], None] | None = None) -> Result:
    """Like ``simplify``, but returns the whole ``Result``: the expression, the stop reason
    (a ``StopReason``: ``"saturated"``, ``"cycle"``, ``"iteration limit"``, ``"node
    limit"``, ``"time limit"``), the number of passes and, with ``trace=True``, every
    rewrite step of the chosen form. ``clock`` is what ``timeout`` is measured on
    (``Budget.clock``). ``progress``, if given, is called with (nodes decided, nodes to
    decide) as each round of the choice pass goes on (for a progress bar)."""
    if isinstance(expr, (list, tuple)):
        expr = [as_expr(e) for e in expr]
    else:
        expr = as_expr(expr)
    judge = cost_model(cost)
    if choose is None:
        choose = rules is None
    chosen = list(rules) if rules is not None else [
        r if isinstance(r, Transform) else _NoLonger(r) for r in default_rules()]
    chosen += list(extra)
    budget = Budget(max_iterations=max_iterations, max_nodes=max_nodes, timeout=timeout,
                    clock=clock)
    started = clock()
    greedy, memos = bottom_up(*chosen), {}
    result = rewrite(expr, greedy, budget, trace, memos)
    if not choose or result.stop_reason not in (StopReason.SATURATED, StopReason.CYCLE):
        return result
    chooser = (Chooser(greedy, chosen, expansion_groups(), judge) if progress is None else
               _Reporting(progress, greedy, chosen, expansion_groups(), judge))
    return _chosen(expr, result, chooser, budget, started, memos)


def _chosen(original, greedy: Result, chooser: Chooser, budget: Budget, started: float,
            memos: dict) -> Result:
    """``greedy`` followed by choice passes, within what is left of the budget. A pass cut
    short by the time limit is dropped, as a greedy pass is; the result is never costlier
    than the greedy pass's."""
    many = isinstance(original, list)
    roots = list(greedy.expr) if many else [greedy.expr]
    steps = list(greedy.steps) if greedy.steps is not None else None
    run = Run(budget, [] if steps is not None else None,
              Deadline(started + budget.timeout, budget.clock), memos)
    chooser.run = run
    judge = chooser.cost
    reason, iterations = greedy.stop_reason, greedy.iterations
    try:
        with deadline_scope(run.deadline):
            for round_ in range(CHOICE_ROUNDS):
                if iterations >= budget.max_iterations:    # the passes are shared
                    reason = StopReason.ITERATION_LIMIT if round_ == 0 else reason
                    break
                mark = len(run.trace) if steps is not None else 0
                new = chooser(roots)
                if all(a is b for a, b in zip(new, roots)):
                    break
                iterations += 1
                if node_count(new) > budget.max_nodes:
                    reason = StopReason.NODE_LIMIT
                    break
                roots = new
                if steps is not None:
                    steps += run.trace[mark:]
    except OutOfTime:
        reason = StopReason.TIME_LIMIT
    before = list(greedy.expr) if many else [greedy.expr]
    if total_cost(roots, judge) > total_cost(before, judge):
        roots, steps = before, greedy.steps
    return Result(roots if many else roots[0], reason, iterations, steps,
                  budget.clock() - started, greedy.cycle_rules,
                  greedy.work + run.deadline.spent)


def simplify(expr, rules: Iterable | None = None, extra: Iterable = (), *,
             max_iterations: int = DEFAULT_BUDGET.max_iterations,
             max_nodes: int = DEFAULT_BUDGET.max_nodes,
             timeout: float = DEFAULT_BUDGET.timeout, cost="ops") -> Expr | list[Expr]:
    """A shorter equal form of ``expr`` (or of each expression in a list: a gradient or a
    Hessian row simplified together, each shared subexpression once).

    ``rules`` replaces the default rule groups (``rulesets.DEFAULT_RULES``); ``extra`` adds
    to them. The budget (by default ``strategies.DEFAULT_BUDGET``) bounds the passes, the
    size of the expression and the seconds spent; when it runs out, the form after the last
    finished pass is returned. The value never changes wherever ``expr`` is defined.

    ``cost`` is the cost model the choice between forms is made by: ``"ops"`` (operations
    as printed, the default), ``"depth"`` or ``"flops"`` (fast evaluation, for generated
    code); see ``cost.py``. With the default rules the result is never costlier than what
    the greedy pass alone gives (``simplify_result(..., choose=False)``).
    """
    return simplify_result(expr, rules, extra, max_iterations=max_iterations,
                           max_nodes=max_nodes, timeout=timeout, cost=cost).expr


provide("simplify", simplify)     # for the results' .simplify() (calculus.results)
