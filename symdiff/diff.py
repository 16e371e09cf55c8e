"""Symbolic derivatives: the chain rule applied once, generically, over the DAG.

Nodes are visited children-first (no recursion), and each node's derivative is computed once
and reused wherever the node is shared, so the work is linear in the size of the DAG.
"""
from __future__ import annotations

from .derivatives import PARTIALS
from .expr import ONE, ZERO, Add, Const, Constant, Expr, Mul, Var, as_expr
from .graph import topological


def as_var(var) -> Var:
    """Accept a ``Var`` or a variable name."""
    if isinstance(var, Var):
        return var
    if isinstance(var, str):
        return Var(var)
    raise TypeError(f"differentiate with respect to a Var or a name, not {var!r}")


def _chain(node: Expr, derivative_of) -> Expr:
    """d node = sum_i (d node / d arg_i) * d arg_i, skipping arguments that do not vary."""
    kind = type(node)
    args = node.args
    if kind is Add:
        return Add(*(derivative_of[a] for a in args if derivative_of[a] is not ZERO))
    if kind is Mul:        # product rule: one term per varying factor
        terms = []
        for i, factor in enumerate(args):
            d = derivative_of[factor]
            if d is not ZERO:
                terms.append(Mul(*args[:i], d, *args[i + 1:]))
        return Add(*terms)
    rule = PARTIALS[kind]
    if len(args) == 1:
        return Mul(rule(args[0]), derivative_of[args[0]])
    terms = [Mul(partial(*args), derivative_of[a])
             for partial, a in zip(rule, args) if derivative_of[a] is not ZERO]
    return Add(*terms)


def derivative(expr: Expr, var) -> Expr:
    """The partial derivative of ``expr`` with respect to one variable."""
    expr, var = as_expr(expr), as_var(var)
    derivative_of: dict[Expr, Expr] = {}
    for node in topological(expr):
        kind = type(node)
        if kind is Var:
            derivative_of[node] = ONE if node is var else ZERO
        elif kind is Const or kind is Constant:
            derivative_of[node] = ZERO
        elif all(derivative_of[a] is ZERO for a in node.args):
            derivative_of[node] = ZERO
        else:
            derivative_of[node] = _chain(node, derivative_of)
    return derivative_of[expr]


def diff(expr: Expr, *vars) -> Expr:
    """Repeated partial derivatives: ``diff(f, x, y)`` is d/dy (d/dx f); ``diff(f, x, 3)``
    differentiates three times by x. With no variables, ``f`` must have exactly one."""
    expr = as_expr(expr)
    if not vars:
        names = expr.free_vars
        if len(names) != 1:
            raise ValueError(f"name the variable to differentiate by; the expression has "
                             f"{len(names)} variables ({', '.join(names) or 'none'})")
        vars = names
    steps: list[Var] = []
    for item in vars:
        if isinstance(item, int) and not isinstance(item, bool):
            if not steps or item < 0:
                raise ValueError("a repeat count must follow a variable and be >= 0")
            if item == 0:
                steps.pop()
            else:
                steps.extend([steps[-1]] * (item - 1))
        else:
            steps.append(as_var(item))
    for var in steps:
        expr = derivative(expr, var)
    return expr
