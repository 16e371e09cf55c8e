"""Rewriting strategies that always stop, and say why.

A *strategy* is one pass over an expression DAG that applies rules (``Rule`` or
``Transform``) at its nodes: ``bottom_up`` (children first, each shared node once),
``top_down`` (a node before its children), ``sequence`` (one pass after another).
``rewrite`` repeats a strategy until no rule fires in a pass (*saturated*), rules only undo
each other (a *cycle*: the expression comes back to an earlier form; hash-consing makes that
a set lookup), or a budget runs out: passes, nodes in the expression, or seconds. The result
records the reason (and for a cycle the rules involved), and optionally every step.

Nodes already in normal form (every rule tried, nothing fired) are remembered across the
passes of one ``rewrite``, so later passes only look at what changed.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from ..core.nodes import Expr
from ..core.walk import node_count, rebuild
from .deadline import Deadline, OutOfTime, deadline_scope
from .rule import REFUSED, Rewriter


class StopReason(str, Enum):
    """Why a ``rewrite`` stopped. Each member is also its value as a plain string
    (``StopReason.SATURATED == "saturated"``, and ``str()``, formatting, hashing and JSON
    give ``"saturated"``), so text and JSON output read as before."""

    SATURATED = "saturated"             # a pass in which no rule fired
    CYCLE = "cycle"                     # back to an earlier form: the rules undo each other
    ITERATION_LIMIT = "iteration limit"
    NODE_LIMIT = "node limit"
    TIME_LIMIT = "time limit"

    __str__ = str.__str__
    __format__ = str.__format__
    __hash__ = str.__hash__


#: Rewrites in a row at one node before moving on (the next pass continues if needed).
REWRITES_PER_NODE = 16


@dataclass(frozen=True)
class Budget:
    """Limits for one ``rewrite``: passes, DAG nodes of the expression, seconds. The field
    defaults are symdiff's default budget (``DEFAULT_BUDGET``), declared here only:
    generous for formulas people write, a firm stop for huge ones."""

    max_iterations: int = 30
    max_nodes: int = 200_000
    timeout: float = 5.0
    #: What ``timeout`` is measured on (a test may give a counter instead of a clock).
    clock: Callable[[], float] = field(default=time.perf_counter, compare=False, repr=False)


DEFAULT_BUDGET = Budget()


@dataclass(frozen=True)
class RewriteStep:
    """One rewrite: ``rule`` turned the subexpression ``before`` into ``after``."""

    rule: str
    before: Expr
    after: Expr

    def __str__(self):
        return f"{self.rule}: {self.before}  =>  {self.after}"


@dataclass
class Result:
    """What ``rewrite`` returns: the expression (or list of them) and why it stopped."""

    expr: Expr | list[Expr]
    stop_reason: StopReason
    iterations: int
    steps: list[RewriteStep] | None = None
    seconds: float = 0.0
    cycle_rules: tuple[str, ...] = ()
    work: int = 0       # units of work spent (node visits, rules tried, matching steps...)


@dataclass
class Run:
    """The state of one ``rewrite``: budget, trace, deadline, and per-strategy normal-form
    memos."""

    budget: Budget
    trace: list[RewriteStep] | None = None
    deadline: Deadline = field(default_factory=Deadline)
    memos: dict = field(default_factory=dict)
    fired: int = 0
    fired_rules: dict = field(default_factory=dict)     # names, in firing order
    refused: int = 0    # rebuilds dropped: the new arguments made a constant with no value

    def tick(self, units: int = 1):
        """Work done: the deadline reads its clock every so often, and raises ``OutOfTime``
        once it has passed."""
        self.deadline.spend(units)

    def record(self, rule, before: Expr, after: Expr):
        self.fired += 1
        self.fired_rules[rule.name] = None
        if self.trace is not None:
            self.trace.append(RewriteStep(rule.name, before, after))


#: One pass over several roots at once (a gradient's entries share most of their nodes).
Strategy = Callable[[list[Expr], Run], list[Expr]]


def index_by_head(rules: tuple[Rewriter, ...]) -> dict[type, list[Rewriter]]:
    """Rules by the node type at the top of their pattern (so a ``Sin`` node is only tried
    against rules about ``sin``)."""
    by_head: dict[type, list] = {}
    for rule in rules:
        for head in rule.heads:
            by_head.setdefault(head, []).append(rule)
    return by_head


def rules_for(by_head: dict, kind: type) -> list:
    found = by_head.get(kind)
    if found is not None:
        return found
    matching = [r for head, rules in by_head.items() if issubclass(kind, head) for r in rules]
    by_head[kind] = matching
    return matching


def _at_node(node: Expr, by_head: dict, run: Run) -> Expr:
    """Apply the first rule that fires, again and again, at the top of ``node`` (stopping
    when a form comes back: the rules are going round in a cycle)."""
    seen = {node}
    for _ in range(REWRITES_PER_NODE):
        for rule in rules_for(by_head, type(node)):
            run.tick()
            result = rule.apply(node)
            if result is not None:
                run.record(rule, node, result)
                node = result
                break
        else:
            return node
        if node in seen:
            return node
        seen.add(node)
    return node


def _rebuilt(node: Expr, args: list[Expr]) -> Expr:
    """``node`` with its rewritten arguments, or as it was where they would make a constant
    with no value (``asin(tan(2^(1/4)))`` is refused once its argument is that shallow)."""
    try:
        return rebuild(node, args)
    except REFUSED:
        return node


def bottom_up(*rules) -> Strategy:
    """One pass, children before parents: each node is rebuilt from its rewritten children,
    then rules are applied at its top."""
    by_head = index_by_head(rules)

    def strategy(roots: list[Expr], run: Run) -> list[Expr]:
        normal: set = run.memos.setdefault(id(strategy), set())
        new: dict[Expr, Expr] = {}
        stack = [(root, False) for root in reversed(roots)]
        while stack:
            node, ready = stack.pop()
            if node in new:
                continue
            if node in normal:
                new[node] = node
                continue
            if not ready:
                stack.append((node, True))
                stack.extend((a, False) for a in reversed(node.args) if a not in new)
                continue
            run.tick(1 + len(node.args))
            args = [new[a] for a in node.args]
            rebuilt = _rebuilt(node, args) if node.args else node
            refused = rebuilt is node and any(a is not b for a, b in zip(args, node.args))
            run.refused += refused
            fired = run.fired
            result = _at_node(rebuilt, by_head, run)
            if result is node and run.fired == fired and (
                    refused or all(a in normal for a in node.args)):
                normal.add(node)     # (refused: its arguments' new forms cannot be used)
            new[node] = result
        return [new[root] for root in roots]

    strategy.rules = rules
    return strategy


def top_down(*rules) -> Strategy:
    """One pass, parents before children: rules are applied at a node's top first, then the
    pass goes on into the arguments of what came out."""
    by_head = index_by_head(rules)

    def strategy(roots: list[Expr], run: Run) -> list[Expr]:
        top: dict[Expr, Expr] = {}
        new: dict[Expr, Expr] = {}
        stack = [(root, False) for root in reversed(roots)]
        while stack:
            node, ready = stack.pop()
            if ready:
                rewritten = top[node]
                run.tick(len(rewritten.args))
                new[node] = _rebuilt(rewritten, [new[a] for a in rewritten.args])
                continue
            if node in top:
                continue
            run.tick()
            rewritten = top[node] = _at_node(node, by_head, run)
            stack.append((node, True))
            stack.extend((a, False) for a in reversed(rewritten.args) if a not in top)
        return [new[root] for root in roots]

    strategy.rules = rules
    return strategy


def sequence(*strategies: Strategy) -> Strategy:
    """One pass of each strategy in turn."""
    def strategy(roots: list[Expr], run: Run) -> list[Expr]:
        for step in strategies:
            roots = step(roots, run)
        return roots

    return strategy


def rewrite(expr, strategy: Strategy, budget: Budget = DEFAULT_BUDGET,
            trace: bool = False, memos: dict | None = None) -> Result:
    """Repeat ``strategy`` until no rule fires, the rules go round in a cycle, or the budget
    runs out. ``expr`` is an expression or a list of them, rewritten together (each shared
    node once per pass); ``Result.expr`` is then a list too.

    The time limit holds inside a pass too: node visits, rules tried, matching steps and the
    work of the default transforms all count against one ``Deadline`` (active while the
    rewrite runs), which reads ``budget.clock`` every so often and stops the rewrite once
    ``budget.timeout`` seconds have passed. The result is always complete and equal to the
    input: when a limit strikes in the middle of a pass, that pass is dropped and the last
    finished one is returned.

    ``memos`` is where the strategies remember the nodes already in normal form: pass the
    same dict to a later ``Run`` (the simplifier's choice pass does) and it skips them.
    """
    many = not isinstance(expr, Expr)
    roots = list(expr) if many else [expr]
    clock = budget.clock
    started = clock()
    run = Run(budget, [] if trace else None, Deadline(started + budget.timeout, clock),
              {} if memos is None else memos)
    reason = StopReason.ITERATION_LIMIT
    iterations = 0
    earlier = {tuple(roots)}
    cycle_rules: tuple[str, ...] = ()
    mark = 0
    try:
        with deadline_scope(run.deadline):
            while iterations < budget.max_iterations:
                run.deadline.check()
                mark = len(run.trace) if trace else 0
                fired, refused = run.fired, run.refused
                run.fired_rules.clear()
                results = strategy(roots, run)
                iterations += 1
                if (run.fired == fired or run.refused > refused) and all(
                        new is old for new, old in zip(results, roots)):
                    reason = StopReason.SATURATED
                    break
                if tuple(results) in earlier:   # back to an earlier form: the rules undo each other
                    reason, cycle_rules = StopReason.CYCLE, tuple(run.fired_rules)
                    roots = results
                    break
                earlier.add(tuple(results))
                count = node_count(results)
                run.tick(count)
                if count > budget.max_nodes:
                    reason = StopReason.NODE_LIMIT
                    break
                roots = results
    except OutOfTime:
        reason = StopReason.TIME_LIMIT
        if trace:
            del run.trace[mark:]     # the unfinished pass's steps are not in the result
    return Result(roots if many else roots[0], reason, iterations, run.trace,
                  clock() - started, cycle_rules, run.deadline.spent)
