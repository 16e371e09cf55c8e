"""Walking the expression DAG without recursion, visiting each shared node once.

``topological`` is the one traversal; ``fold`` is the one memoised bottom-up computation on it
(a value per node from its children's values), and ``by_kind`` builds a fold's step from one
handler per node kind. Evaluators, printers, code generators and sign analysis are folds.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from .nodes import Add, Const, Expr, Mul, Var, held_product, provide
from .undefined import AppliedFunction


def topological(roots: Expr | Iterable[Expr], known=()) -> list[Expr]:
    """Every node reachable from ``roots``, children before parents, each exactly once.

    An explicit stack instead of recursion, so a formula 100,000 levels deep is fine; a
    visited set keyed by identity, so shared subexpressions are not walked once per path.
    Nodes in ``known`` (and everything below them) are left out: a memo from earlier work.
    """
    if isinstance(roots, Expr):
        roots = (roots,)
    order: list[Expr] = []
    done: set[int] = set()
    for root in roots:
        if id(root) in done or root in known:
            continue
        stack = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
                continue
            if id(node) in done:
                continue
            done.add(id(node))
            stack.append((node, True))
            for child in reversed(node.args):
                if id(child) not in done and child not in known:
                    stack.append((child, False))
    return order


def fold(roots: Expr | Iterable[Expr], step: Callable, memo: dict | None = None) -> dict:
    """A value for every node below ``roots``, children first: ``memo[node] = step(node,
    [memo[arg] for arg in node.args])``, each shared node once. Pass ``memo`` to reuse the
    values of an earlier fold (its nodes are not visited again); the memo is returned."""
    memo = {} if memo is None else memo
    for node in topological(roots, memo):
        memo[node] = step(node, [memo[a] for a in node.args])
    return memo


def by_kind(handlers: dict[type, Callable], default: Callable | None = None) -> Callable:
    """A fold step dispatching on the node's class: ``handlers[Add](node, args)``. A class
    without a handler uses its nearest base class's (``Function`` covers every function),
    else ``default``; a node nothing handles is a TypeError."""
    table = dict(handlers)

    def step(node, args):
        handler = table.get(type(node))
        if handler is None:
            handler = next((handlers[base] for base in type(node).__mro__ if base in handlers),
                           default)
            if handler is None:
                raise TypeError(f"no rule for {type(node).__name__} nodes")
            table[type(node)] = handler
        return handler(node, args)

    return step


def varying(order: list[Expr], vars: Iterable[Expr]) -> set[Expr]:
    """The nodes of ``order`` (topological) that depend on at least one of ``vars``: the
    others have derivative 0, so every derivative sweep asks this first."""
    found = set(vars)
    add = found.add
    for node in order:
        for arg in node.args:
            if arg in found:
                add(node)
                break
    return found


class Upward:
    """The DAG below ``roots`` read upwards: for a few nodes (the variables a directional
    derivative or a finite difference moves), the nodes above them, children first. Built
    once in linear time; each query costs the size of its answer (plus sorting it), so n
    queries that each touch a few nodes cost about n, not n times the DAG."""

    def __init__(self, roots: Expr | Iterable[Expr]):
        self.order = topological(roots)
        self.index = {node: i for i, node in enumerate(self.order)}
        self.parents: dict[Expr, list[Expr]] = {}
        for node in self.order:
            for arg in set(node.args):
                self.parents.setdefault(arg, []).append(node)

    def above(self, starts: Iterable[Expr]) -> list[Expr]:
        """``starts`` (those in the DAG) and every node that depends on one, topologically."""
        found: set[Expr] = set()
        stack = [node for node in starts if node in self.index]
        while stack:
            node = stack.pop()
            if node not in found:
                found.add(node)
                stack.extend(self.parents.get(node, ()))
        return sorted(found, key=self.index.__getitem__)


def node_count(exprs) -> int:
    """Distinct nodes in the DAG (shared subexpressions counted once) of an expression, a
    list of them, or a matrix (list of lists) such as a Hessian."""
    return len(topological(_flatten(exprs)))


def _flatten(exprs) -> list[Expr]:
    """Expressions from an expression or arbitrarily nested lists of them (no recursion)."""
    found, stack = [], [exprs]
    while stack:
        item = stack.pop()
        if isinstance(item, Expr):
            found.append(item)
        else:
            stack.extend(reversed(list(item)))
    return found


def natural_key(name: str) -> tuple:
    """Sort key for names in natural order: runs of digits compare as numbers, so x2 comes
    before x10 (and x1 < x2 < x10 < y). Ties between spellings of one number (x01, x1) are
    broken by the text itself, so the order is total."""
    parts: list = []
    start = 0
    for i in range(1, len(name) + 1):
        if i == len(name) or (name[i] in _DIGITS) != (name[start] in _DIGITS):
            run = name[start:i]
            parts.append((1, int(run), "") if run[0] in _DIGITS else (0, 0, run))
            start = i
    return (tuple(parts), name)


_DIGITS = frozenset("0123456789")


def free_vars(exprs: Expr | Iterable[Expr]) -> tuple[str, ...]:
    """The names of the variables that occur, in natural order (``natural_key``: x1, x2,
    x10). Every default variable list (gradient, hessian, jacobian, lambdify, check) is
    this one, so results and compiled arguments line up."""
    return tuple(sorted((node.name for node in topological(exprs) if type(node) is Var),
                        key=natural_key))


def rebuild(node: Expr, args) -> Expr:
    """``node`` with new arguments, through its canonicalising constructor (the same node
    when nothing changed). An undefined function's call keeps its name and derivative
    orders, which are not among its arguments; a number times a sum kept as a product
    (``held_product``: ``2*(x + y)``) stays one, so substitution and rewriting keep a
    factored form rather than distributing it."""
    args = tuple(args)
    if all(new is old for new, old in zip(args, node.args)):
        return node
    if type(node) is AppliedFunction:
        return node.with_args(args)
    if _is_held(node) and type(args[0]) is Const:
        return held_product(args[0].value, args[1])
    return type(node)(*args)


def _is_held(node: Expr) -> bool:
    """A number times a sum as a product node (what ``held_product`` builds)."""
    return (type(node) is Mul and len(node.args) == 2 and type(node.args[0]) is Const
            and type(node.args[1]) is Add)


def substitute(expr: Expr, mapping: dict[Expr, Expr]) -> Expr:
    """``expr`` with every occurrence of each key of ``mapping`` replaced by its value, all
    at once (``x -> y, y -> x`` swaps); each shared node is rebuilt once."""
    if not mapping:
        return expr
    new: dict[Expr, Expr] = {}
    for node in topological(expr):
        replacement = mapping.get(node)
        if replacement is None:
            replacement = rebuild(node, (new[a] for a in node.args)) if node.args else node
        new[node] = replacement
    return new[expr]


provide("free_vars", free_vars)
provide("substitute", substitute)
