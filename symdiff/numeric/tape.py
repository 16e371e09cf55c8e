"""Numeric reverse mode (backpropagation) over the expression DAG: an oracle for gradients.

One forward pass stores every node's value (the "tape"); one backward pass, in reverse
topological order, hands each node's adjoint (d output / d node) to its arguments, times
the node's local partial at the stored values. Every partial derivative comes out of that
one sweep, as numbers: no derivative expression is built. The local partials come from
``oracle_partials.NUMERIC_PARTIALS``, the numeric table written independently of the
function declarations; ``explain`` shares the sum and product rules below.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..calculus.diff import as_vars
from ..core.nodes import Add, Expr, Mul, Var, as_expr
from ..core.walk import fold, free_vars, varying
from .evaluate import finite, read_point, value_step
from .oracle_partials import local_partial


def forward(roots: Sequence[Expr], point) -> tuple[list[Expr], dict[Expr, float]]:
    """The nodes of ``roots`` in topological order and the value of each at ``point`` (the
    same floats as ``numeric.evaluate``, which raises the same errors)."""
    value_of = fold(roots, value_step(read_point(point)))
    for root in roots:
        finite(value_of[root], "the value")
    return list(value_of), value_of        # the fold's memo is filled children first


def other_factors(factors: list[float]) -> list[float]:
    """For each factor, the product of all the others (d product / d factor), from prefix
    and suffix products (no division: a factor may be 0)."""
    prefix = [1.0]
    for factor in factors[:-1]:
        prefix.append(prefix[-1] * factor)
    suffix = 1.0
    others = [0.0] * len(factors)
    for i in range(len(factors) - 1, -1, -1):
        others[i] = prefix[i] * suffix
        suffix *= factors[i]
    return others


def local_partials(node: Expr, values: list[float], moving: Iterable[bool]) -> list[float]:
    """d node / d each argument at the arguments' ``values``: 1 for a sum's terms, the
    other factors for a product's, the oracle table's partial for a power's or a function's
    arguments; 0.0, never evaluated, for an argument that is not ``moving``."""
    kind = type(node)
    if kind is Add:
        return [1.0] * len(values)
    if kind is Mul:
        return other_factors(values)
    return [local_partial(node, i, values) if move else 0.0 for i, move in enumerate(moving)]


def backward(order: list[Expr], value_of: dict[Expr, float],
             seeded: Sequence[tuple[Expr, float]], vars: Sequence[Var]) -> list[float]:
    """d(sum_k seed_k * root_k)/d v for each v in ``vars``, from the stored values.

    A node whose adjoint is 0 passes nothing on (so a partial that would be undefined there,
    behind a step or a zero factor, is never asked for).
    """
    moving = varying(order, vars)
    adjoint: dict[Expr, float] = {}
    for root, seed in seeded:
        if root in moving:
            adjoint[root] = adjoint.get(root, 0.0) + float(seed)
    for node in reversed(order):
        bar = adjoint.get(node, 0.0)
        if bar == 0 or type(node) is Var:
            continue
        args = node.args
        partials = local_partials(node, [value_of[a] for a in args],
                                  (a in moving for a in args))
        for arg, partial in zip(args, partials):
            if arg in moving:
                adjoint[arg] = adjoint.get(arg, 0.0) + bar * partial
    return [finite(adjoint.get(v, 0.0), f"d/d{v.name}") for v in vars]


def gradient_at(expr, point, vars=None) -> list[float]:
    """Every partial derivative of ``expr`` at ``point``, one per variable (by default the
    formula's variables, sorted), from one forward and one backward pass."""
    expr = as_expr(expr)
    vars = as_vars(expr.free_vars if vars is None else vars)
    order, value_of = forward([expr], point)
    return backward(order, value_of, [(expr, 1.0)], vars)


def vjp_at(exprs, point, vars, seed) -> list[float]:
    """The vector-Jacobian product wᵀ·J at ``point``: the gradient of sum_k w_k * exprs_k,
    for a non-scalar output whose backward pass starts from the seed vector ``w``."""
    exprs = [as_expr(e) for e in ([exprs] if isinstance(exprs, Expr) else exprs)]
    vars = as_vars(free_vars(exprs) if vars is None else vars)
    seed = [float(w) for w in seed]
    if len(seed) != len(exprs):
        raise ValueError(f"the seed has {len(seed)} entries for {len(exprs)} outputs")
    order, value_of = forward(exprs, point)
    return backward(order, value_of, list(zip(exprs, seed)), vars)
