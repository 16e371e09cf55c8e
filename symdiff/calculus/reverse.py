"""Reverse mode: one adjoint per node (d output / d node), accumulated from the node's parents
in reverse topological order.

One sweep gives every partial derivative, and the partials share subexpressions with the
function and with each other. A node's adjoint is final once all its parents are done, which
reverse topological order guarantees; its contributions are summed by one ``Add`` then (not
one at a time, which would copy a growing sum over and over). Sums pass their adjoint to their
terms unchanged; a product passes adjoint * (the other factors); anything else passes
adjoint * its local partial (``calculus.local``).
"""
from __future__ import annotations

from collections.abc import Sequence

from ..core.intern import collector_paused
from ..core.nodes import ONE, ZERO, Add, Expr, Mul, Var
from ..core.sums import built, product_plan_of, sum_plan
from ..core.walk import topological, varying
from .local import local_partials


def reverse_sweep(seeded: Sequence[tuple[Expr, Expr]], vars: Sequence[Var],
                  cache: dict | None = None, known_varying: set | None = None) -> list[Expr]:
    """d(sum_k seed_k * root_k)/d v for every v in ``vars``.

    Several sweeps over overlapping DAGs (a Hessian, a Jacobian) share ``cache``, the local
    partials per node, computed for the arguments in ``known_varying`` (a superset of this
    sweep's varying nodes; by default, those)."""
    with collector_paused:
        order = topological([root for root, _ in seeded])
        moving = varying(order, vars)
        if known_varying is None:
            known_varying = moving
        pending: dict[Expr, object] = {}       # node -> its one contribution, or a list of them

        def give(node, contribution):
            parts = pending.get(node)
            if parts is None:
                pending[node] = contribution
            elif type(parts) is list:
                parts.append(contribution)
            else:
                pending[node] = [parts, contribution]

        for root, seed in seeded:
            if root in moving and seed is not ZERO:
                give(root, seed)
        adjoint_of: dict[Var, Expr] = {}
        for node in reversed(order):
            parts = pending.pop(node, None)
            if parts is None:
                continue
            adjoint = sum_plan(parts) if type(parts) is list else parts
            if adjoint is ZERO:
                continue
            kind = type(node)
            args = node.args
            if kind is Var:
                adjoint_of[node] = built(adjoint)
            elif kind is Add:
                for arg in args:
                    if arg in moving:
                        give(arg, adjoint)
            elif kind is Mul and len(args) == 2:
                first, second = args
                if first in moving:
                    contribution = product_plan_of(adjoint, second)
                    if contribution is not ZERO:
                        give(first, contribution)
                if second in moving:
                    contribution = product_plan_of(adjoint, first)
                    if contribution is not ZERO:
                        give(second, contribution)
            else:
                local = None if cache is None else cache.get(node)
                if local is None:
                    wanted = [i for i, a in enumerate(args) if a in known_varying]
                    local = list(zip([args[i] for i in wanted], local_partials(node, wanted)))
                    if cache is not None:
                        cache[node] = local
                for arg, partial in local:
                    if partial is ZERO or arg not in moving:
                        continue
                    contribution = adjoint if partial is ONE else product_plan_of(adjoint, partial)
                    if contribution is not ZERO:
                        give(arg, contribution)
        return [adjoint_of.get(v, ZERO) for v in vars]
