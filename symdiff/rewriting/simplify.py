"""``simplify``: canonical form plus the rule groups of ``rulesets.py``, applied bottom-up
until nothing fires or a budget runs out (it always stops, and says why).

    >>> import symdiff
    >>> symdiff.simplify(symdiff.parse("sin(x)^2 + cos(x)^2 + (x^2 - 1)/(x - 1)"))
    <Add x + 2>
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from .algebra import size
from ..core.nodes import Expr, as_expr, provide
from .strategies import DEFAULT_BUDGET, Budget, Result, bottom_up, rewrite
from .rule import Rewriter, Transform
from .rulesets import default_rules


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
                    clock: Callable[[], float] = DEFAULT_BUDGET.clock) -> Result:
    """Like ``simplify``, but returns the whole ``Result``: the expression, the stop reason
    (a ``StopReason``: ``"saturated"``, ``"cycle"``, ``"iteration limit"``, ``"node
    limit"``, ``"time limit"``), the number of passes and, with ``trace=True``, every
    rewrite step. ``clock`` is what ``timeout`` is measured on (``Budget.clock``)."""
    if isinstance(expr, (list, tuple)):
        expr = [as_expr(e) for e in expr]
    else:
        expr = as_expr(expr)
    chosen = list(rules) if rules is not None else [
        r if isinstance(r, Transform) else _NoLonger(r) for r in default_rules()]
    chosen += list(extra)
    budget = Budget(max_iterations=max_iterations, max_nodes=max_nodes, timeout=timeout,
                    clock=clock)
    return rewrite(expr, bottom_up(*chosen), budget, trace)


def simplify(expr, rules: Iterable | None = None, extra: Iterable = (), *,
             max_iterations: int = DEFAULT_BUDGET.max_iterations,
             max_nodes: int = DEFAULT_BUDGET.max_nodes,
             timeout: float = DEFAULT_BUDGET.timeout) -> Expr | list[Expr]:
    """A shorter equal form of ``expr`` (or of each expression in a list: a gradient or a
    Hessian row simplified together, each shared subexpression once).

    ``rules`` replaces the default rule groups (``rulesets.DEFAULT_RULES``); ``extra`` adds
    to them. The budget (by default ``strategies.DEFAULT_BUDGET``) bounds the passes, the
    size of the expression and the seconds spent; when it runs out, the form after the last
    finished pass is returned. The value never changes wherever ``expr`` is defined.
    """
    return simplify_result(expr, rules, extra, max_iterations=max_iterations,
                           max_nodes=max_nodes, timeout=timeout).expr


provide("simplify", simplify)     # for the results' .simplify() (calculus.results)
