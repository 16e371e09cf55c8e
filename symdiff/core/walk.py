"""Walking the expression DAG without recursion, visiting each shared node once."""
from __future__ import annotations

from collections.abc import Iterable

from .nodes import Expr, Var


def topological(roots: Expr | Iterable[Expr]) -> list[Expr]:
    """Every node reachable from ``roots``, children before parents, each exactly once.

    An explicit stack instead of recursion, so a formula 100,000 levels deep is fine; a
    visited set keyed by identity, so shared subexpressions are not walked once per path.
    """
    if isinstance(roots, Expr):
        roots = (roots,)
    order: list[Expr] = []
    done: set[int] = set()
    for root in roots:
        if id(root) in done:
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
                if id(child) not in done:
                    stack.append((child, False))
    return order


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


def free_vars(exprs: Expr | Iterable[Expr]) -> tuple[str, ...]:
    """The names of the variables that occur, sorted."""
    return tuple(sorted(node.name for node in topological(exprs) if type(node) is Var))


def rebuild(node: Expr, args) -> Expr:
    """``node`` with new arguments, through its canonicalising constructor (the same node
    when nothing changed)."""
    args = tuple(args)
    if all(new is old for new, old in zip(args, node.args)):
        return node
    return type(node)(*args)


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
