"""Forward mode: one tangent per node (d node / d direction), children before parents.

The chain rule is applied once, generically, with the local partials from
``calculus.partials``; a node none of whose arguments moves has tangent 0 without a partial
being built. One pass per input direction (``diff``, ``jvp``).
"""
from __future__ import annotations

from collections.abc import Sequence

from ..core.intern import collector_paused
from ..core.nodes import ZERO, Add, Const, Constant, Expr, Mul, Var
from ..core.walk import topological
from .local import local_partials


def _chain(node: Expr, tangent_of: dict) -> Expr:
    """d node = sum_i (d node / d arg_i) * d arg_i, over the arguments that vary."""
    args = node.args
    moving = {a for a in args if tangent_of[a] is not ZERO}
    wanted = [i for i, a in enumerate(args) if a in moving]
    partials = local_partials(node, wanted)
    return Add(*(Mul(partial, tangent_of[args[i]]) for i, partial in zip(wanted, partials)))


def forward_sweep(roots: Sequence[Expr], seeds: dict[Var, Expr]) -> list[Expr]:
    """Tangents of ``roots`` when each variable ``v`` moves with speed ``seeds[v]``."""
    tangent_of: dict[Expr, Expr] = {}
    with collector_paused:
        for node in topological(roots):
            kind = type(node)
            if kind is Var:
                tangent_of[node] = seeds.get(node, ZERO)
            elif kind is Const or kind is Constant:
                tangent_of[node] = ZERO
            elif all(tangent_of[a] is ZERO for a in node.args):
                tangent_of[node] = ZERO
            else:
                tangent_of[node] = _chain(node, tangent_of)
    return [tangent_of[root] for root in roots]
