"""Symbolic derivatives over the DAG: forward mode (``diff``, ``jvp``) and reverse mode
(``gradient``, ``hessian``, ``jacobian``, ``vjp``).

Both modes apply the chain rule once, generically, with the local partials from
``derivatives.py``. Nodes are visited in topological order (no recursion), each once, so
the work is linear in the size of the DAG:

* forward mode carries one tangent per node: one pass per input direction;
* reverse mode carries one adjoint per node (d output / d node), accumulated from the
  node's parents in reverse topological order: one pass gives every partial derivative,
  and the partials share subexpressions with the function and with each other.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..core.nodes import ONE, ZERO, Add, Const, Constant, Expr, Mul, Var, as_expr, provide
from ..core.walk import free_vars, topological, varying
from .partials import partials_of

#: Products with more factors than this get their "all factors but one" products from shared
#: prefix and suffix products (3k nodes) instead of k separate products of k - 1 factors.
PREFIX_PRODUCT_MIN = 4


def as_var(var) -> Var:
    """Accept a ``Var`` or a variable name."""
    if isinstance(var, Var):
        return var
    if isinstance(var, str):
        return Var(var)
    raise TypeError(f"differentiate with respect to a Var or a name, not {var!r}")


def as_vars(vars) -> list[Var]:
    """A list of distinct variables from names, ``Var``s, or one comma-separated string."""
    if isinstance(vars, (str, Var)):
        vars = [v for v in vars.split(",") if v.strip()] if isinstance(vars, str) else [vars]
    result = [as_var(v.strip() if isinstance(v, str) else v) for v in vars]
    if len(set(result)) != len(result):
        raise ValueError(f"a variable is listed twice: {', '.join(v.name for v in result)}")
    return result


# ------------------------------------------------------------------------ forward mode
def _chain(node: Expr, tangent_of) -> Expr:
    """d node = sum_i (d node / d arg_i) * d arg_i, over the arguments that vary."""
    moving = {a for a in node.args if tangent_of[a] is not ZERO}
    return Add(*(Mul(partial, tangent_of[arg]) for arg, partial in _local_partials(node, moving)))


def _forward(roots: Sequence[Expr], seeds: dict[Var, Expr]) -> list[Expr]:
    """Tangents of ``roots`` when each variable ``v`` moves with speed ``seeds[v]``."""
    tangent_of: dict[Expr, Expr] = {}
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


def derivative(expr: Expr, var) -> Expr:
    """The partial derivative of ``expr`` with respect to one variable (forward mode)."""
    return _forward([as_expr(expr)], {as_var(var): ONE})[0]


def jvp(fs, vars, v) -> list[Expr]:
    """Jacobian-vector product J·v: the derivative of each of ``fs`` in direction ``v``
    (one forward pass). ``v`` holds one number or expression per variable."""
    fs, vars, v = _outputs(fs), as_vars(vars), [as_expr(t) for t in v]
    if len(v) != len(vars):
        raise ValueError(f"the direction has {len(v)} entries for {len(vars)} variables")
    return _forward(fs, dict(zip(vars, v)))


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


# ------------------------------------------------------------------------ reverse mode
def _all_but_one(factors: tuple, wanted: list[int]) -> list[Expr]:
    """For each wanted factor, the product of all the others, without dividing (a factor may
    be 0).

    Short products are multiplied out directly; long ones combine a shared prefix product
    with a shared suffix product, so a k-factor product costs O(k) new nodes, not O(k^2).
    """
    k = len(factors)
    if k == 2:
        return [factors[1 - i] for i in wanted]
    if k <= PREFIX_PRODUCT_MIN or len(wanted) <= 2:
        return [Mul(*factors[:i], *factors[i + 1:]) for i in wanted]
    prefix = [ONE]
    for factor in factors[:-1]:
        prefix.append(Mul(prefix[-1], factor))
    suffix = [ONE]
    for factor in reversed(factors[1:]):
        suffix.append(Mul(factor, suffix[-1]))
    suffix.reverse()
    return [Mul(prefix[i], suffix[i]) for i in wanted]


def _local_partials(node: Expr, moving: set[Expr]) -> list[tuple[Expr, Expr]]:
    """(argument, d node / d argument) for each varying argument of ``node``."""
    kind = type(node)
    args = node.args
    if kind is Add:
        return [(a, ONE) for a in args if a in moving]
    if kind is Mul:
        wanted = [i for i, a in enumerate(args) if a in moving]
        return list(zip([args[i] for i in wanted], _all_but_one(args, wanted)))
    wanted = [i for i, a in enumerate(args) if a in moving]
    return list(zip([args[i] for i in wanted], partials_of(node, wanted)))


def _reverse(seeded: Sequence[tuple[Expr, Expr]], vars: Sequence[Var],
             partials_of: dict | None = None, known_varying: set | None = None) -> list[Expr]:
    """One reverse sweep: d(sum_k seed_k * root_k)/d v for every v in ``vars``.

    A node's adjoint is final once all its parents are done, which reverse topological order
    guarantees; its contributions are summed by one ``Add`` then (not one at a time, which
    would copy a growing sum over and over). Several sweeps over overlapping DAGs (a Hessian)
    share ``partials_of``, the local partials per node, computed for the arguments in
    ``known_varying`` (a superset of this sweep's varying nodes; by default, those).
    """
    order = topological([root for root, _ in seeded])
    moving = varying(order, vars)
    if partials_of is None:
        partials_of = {}
    if known_varying is None:
        known_varying = moving
    pending: dict[Expr, list[Expr]] = {}
    for root, seed in seeded:
        if root in moving and seed is not ZERO:
            pending.setdefault(root, []).append(seed)
    adjoint_of: dict[Var, Expr] = {}
    for node in reversed(order):
        parts = pending.pop(node, None)
        if parts is None:
            continue
        adjoint = parts[0] if len(parts) == 1 else Add(*parts)
        if adjoint is ZERO:
            continue
        if type(node) is Var:
            adjoint_of[node] = adjoint
            continue
        local = partials_of.get(node)
        if local is None:
            local = partials_of[node] = _local_partials(node, known_varying)
        for arg, partial in local:
            if partial is ZERO or arg not in moving:
                continue
            contribution = adjoint if partial is ONE else Mul(adjoint, partial)
            if contribution is not ZERO:
                pending.setdefault(arg, []).append(contribution)
    return [adjoint_of.get(v, ZERO) for v in vars]


def _outputs(fs) -> list[Expr]:
    """One expression or a sequence of them, as a list."""
    if isinstance(fs, Expr) or not isinstance(fs, Iterable):
        return [as_expr(fs)]
    return [as_expr(f) for f in fs]


def gradient(f, vars=None) -> list[Expr]:
    """Every partial derivative of ``f``, one per variable, from one reverse sweep.

    The cost is proportional to the size of ``f`` however many variables there are. With no
    ``vars``, the variables of ``f`` in sorted order.
    """
    f = as_expr(f)
    vars = as_vars(f.free_vars if vars is None else vars)
    return _reverse([(f, ONE)], vars)


def vjp(fs, vars, w) -> list[Expr]:
    """Vector-Jacobian product wᵀ·J: the gradient of sum_k w_k * fs_k (one reverse sweep).
    ``w`` holds one number or expression per output: the seed of a non-scalar backward."""
    fs, vars, w = _outputs(fs), as_vars(vars), [as_expr(t) for t in w]
    if len(w) != len(fs):
        raise ValueError(f"the seed has {len(w)} entries for {len(fs)} outputs")
    return _reverse(list(zip(fs, w)), vars)


def jacobian(fs, vars=None) -> list[list[Expr]]:
    """d fs_i / d vars_j, one row per output, each row from one reverse sweep (the sweeps
    share the local partials of the nodes the outputs have in common)."""
    fs = _outputs(fs)
    vars = as_vars(free_vars(fs) if vars is None else vars)
    partials_of: dict[Expr, list] = {}      # outputs often share subexpressions
    return [_reverse([(f, ONE)], vars, partials_of) for f in fs]


def hessian(f, vars=None) -> list[list[Expr]]:
    """Second partial derivatives d²f / d vars_i d vars_j, reverse over reverse.

    One sweep gives the gradient; one more sweep per gradient entry gives a row, restricted to
    the variables from i on (the matrix is symmetric, and the lower triangle reuses the very
    same nodes). The sweeps share each node's local partials, and hash-consing shares the
    output between the rows.
    """
    f = as_expr(f)
    vars = as_vars(f.free_vars if vars is None else vars)
    partials_of: dict[Expr, list] = {}
    first = _reverse([(f, ONE)], vars, partials_of)
    known_varying = varying(topological(first), vars)
    rows: list[list[Expr]] = [[ZERO] * len(vars) for _ in vars]
    for i, g in enumerate(first):
        if type(g) is Const or type(g) is Constant:
            continue
        for j, entry in enumerate(_reverse([(g, ONE)], vars[i:], partials_of, known_varying),
                                  start=i):
            rows[i][j] = rows[j][i] = entry
    return rows


provide("gradient", gradient)
provide("diff", diff)
