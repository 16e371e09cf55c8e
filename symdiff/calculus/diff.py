"""Symbolic derivatives over the DAG: forward mode (``diff``, ``derivative``, ``jvp``) and
reverse mode (``gradient``, ``hessian``, ``jacobian``, ``vjp``).

Both modes apply the chain rule once, generically, with local partials read from the
function declarations (``calculus.local``). Nodes are visited in topological order (no
recursion), each once, so the work is linear in the size of the DAG:

* forward mode (``calculus.forward``) carries one tangent per node: one pass per input
  direction;
* reverse mode (``calculus.reverse``) carries one adjoint per node (d output / d node): one
  pass gives every partial derivative, and the partials share subexpressions with the
  function and with each other.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..core.nodes import ONE, ZERO, Const, Constant, Expr, Var, as_expr, provide
from ..core.intern import collector_paused
from ..core.walk import free_vars, topological, varying
from .forward import forward_sweep
from .results import Matrix, Vector
from .reverse import reverse_sweep


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
def derivative(expr: Expr, var) -> Expr:
    """The partial derivative of ``expr`` with respect to one variable (forward mode)."""
    return forward_sweep([as_expr(expr)], {as_var(var): ONE})[0]


def jvp(fs, vars, v) -> list[Expr]:
    """Jacobian-vector product J·v: the derivative of each of ``fs`` in direction ``v``
    (one forward pass). ``v`` holds one number or expression per variable."""
    fs, vars, v = _outputs(fs), as_vars(vars), [as_expr(t) for t in v]
    if len(v) != len(vars):
        raise ValueError(f"the direction has {len(v)} entries for {len(vars)} variables")
    return forward_sweep(fs, dict(zip(vars, v)))


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
def _outputs(fs) -> list[Expr]:
    """One expression or a sequence of them, as a list."""
    if isinstance(fs, Expr) or not isinstance(fs, Iterable):
        return [as_expr(fs)]
    return [as_expr(f) for f in fs]


def gradient(f, vars=None) -> Vector:
    """Every partial derivative of ``f``, one per variable, from one reverse sweep: a
    ``Vector`` (a list) whose ``.variables`` are the variables' names, in order.

    The cost is proportional to the size of ``f`` however many variables there are. With no
    ``vars``, the variables of ``f`` in natural order (``free_vars``: x2 before x10).
    """
    f = as_expr(f)
    vars = as_vars(f.free_vars if vars is None else vars)
    return Vector(reverse_sweep([(f, ONE)], vars), [v.name for v in vars])


def vjp(fs, vars, w) -> Vector:
    """Vector-Jacobian product wᵀ·J: the gradient of sum_k w_k * fs_k (one reverse sweep).
    ``w`` holds one number or expression per output: the seed of a non-scalar backward."""
    fs, vars, w = _outputs(fs), as_vars(vars), [as_expr(t) for t in w]
    if len(w) != len(fs):
        raise ValueError(f"the seed has {len(w)} entries for {len(fs)} outputs")
    return Vector(reverse_sweep(list(zip(fs, w)), vars), [v.name for v in vars])


def jacobian(fs, vars=None) -> Matrix:
    """d fs_i / d vars_j, one row per output, each row from one reverse sweep (the sweeps
    share the local partials of the nodes the outputs have in common): a ``Matrix`` whose
    ``.functions`` are ``fs`` and ``.variables`` the columns' names (by default the
    variables of all of ``fs``, in natural order)."""
    fs = _outputs(fs)
    vars = as_vars(free_vars(fs) if vars is None else vars)
    cache: dict[Expr, list] = {}      # outputs often share subexpressions
    with collector_paused:
        rows = [reverse_sweep([(f, ONE)], vars, cache) for f in fs]
    return Matrix(rows, [v.name for v in vars], fs)


def hessian(f, vars=None) -> Matrix:
    """Second partial derivatives d²f / d vars_i d vars_j, reverse over reverse: a
    symmetric ``Matrix`` whose ``.variables`` name its rows and columns.

    One sweep gives the gradient; one more sweep per gradient entry gives a row, restricted to
    the variables from i on (the matrix is symmetric, and the lower triangle reuses the very
    same nodes). The sweeps share each node's local partials, and hash-consing shares the
    output between the rows.
    """
    f = as_expr(f)
    vars = as_vars(f.free_vars if vars is None else vars)
    cache: dict[Expr, list] = {}
    rows: list[list[Expr]] = [[ZERO] * len(vars) for _ in vars]
    with collector_paused:
        first = reverse_sweep([(f, ONE)], vars, cache)
        known_varying = varying(topological(first), vars)
        for i, g in enumerate(first):
            if type(g) is Const or type(g) is Constant:
                continue
            row = reverse_sweep([(g, ONE)], vars[i:], cache, known_varying)
            for j, entry in enumerate(row, start=i):
                rows[i][j] = rows[j][i] = entry
    return Matrix(rows, [v.name for v in vars])


provide("gradient", gradient)
provide("diff", diff)
