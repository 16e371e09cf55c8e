"""Calculus with undefined functions: giving one a formula, differentiating by a node such
as ``theta(t)`` or ``theta'(t)``, total time derivatives, and the Euler-Lagrange equations.

Lagrangian mechanics differentiates L(q, q', t) by the coordinate q(t) and by its velocity
q'(t) as if they were variables, then differentiates the result by time along q(t): each
step here is a substitution and an ordinary derivative, so the work stays linear in the
size of the formula's DAG.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..core.nodes import Expr, Var, as_expr
from ..core.undefined import AppliedFunction, UndefinedFunction
from ..core.walk import rebuild, substitute, topological
from .diff import as_var, derivative


def _function_name(f) -> str:
    """The name of an undefined function given as itself, a call of it, or its name."""
    if isinstance(f, UndefinedFunction):
        return f.name
    if isinstance(f, AppliedFunction):
        return f.name
    if isinstance(f, str):
        return UndefinedFunction(f).name
    raise TypeError(f"give an undefined function (symdiff.function), a call of one, or a "
                    f"name, not {f!r}")


def fresh_var(exprs: Iterable[Expr], stem: str = "q") -> Var:
    """A variable that none of ``exprs`` uses: ``stem``, else ``stem_``, ``stem__``..."""
    taken = {node.name for node in topological(list(exprs)) if type(node) is Var}
    while stem in taken:
        stem += "_"
    return Var(stem)


def substitute_function(expr, f, params, body) -> Expr:
    """``expr`` with the undefined function ``f`` given the formula ``body`` in ``params``:
    every call f(a, b) becomes body at params = (a, b), and every derivative node (f'(a),
    D[1,2](f)(a, b)) the matching derivative of body there. After that the formula has no
    call of f, so it evaluates; substituting before or after differentiating gives the same
    derivative::

        substitute_function(f(x^2), "f", ["u"], sin(u))          # sin(x^2)
        substitute_function(f'(x^2), "f", ["u"], sin(u))         # cos(x^2)

    Calls of f with another number of arguments than ``params`` are a ValueError."""
    name = _function_name(f)
    params = [as_var(p) for p in ([params] if isinstance(params, (str, Var)) else params)]
    if len(set(params)) != len(params) or not params:
        raise ValueError("give the body's parameters as distinct variables, at least one")
    body, expr = as_expr(body), as_expr(expr)
    derived: dict[tuple[int, ...], Expr] = {}

    def body_derivative(orders: tuple[int, ...]) -> Expr:
        found = derived.get(orders)
        if found is None:
            found = body
            for param, count in zip(params, orders):
                for _ in range(count):
                    found = derivative(found, param)
            derived[orders] = found
        return found

    new: dict[Expr, Expr] = {}
    for node in topological(expr):
        args = [new[a] for a in node.args]
        if type(node) is AppliedFunction and node.name == name:
            if len(args) != len(params):
                raise ValueError(f"{name} is called with {len(args)} arguments, but the "
                                 f"formula has {len(params)} parameters")
            new[node] = substitute(body_derivative(node.orders), dict(zip(params, args)))
        else:
            new[node] = rebuild(node, args) if args else node
    return new[expr]


def derivative_by(expr, node) -> Expr:
    """d expr / d node, treating ``node`` (``theta(t)``, ``theta'(t)``, or any
    subexpression) as an independent variable: it is replaced by a fresh variable, the
    formula differentiated by that, and the variable put back. ∂L/∂q and ∂L/∂q' of
    mechanics; a ``Var`` gives the ordinary partial derivative."""
    expr, node = as_expr(expr), as_expr(node)
    if type(node) is Var:
        return derivative(expr, node)
    stand_in = fresh_var([expr, node])
    replaced = substitute(expr, {node: stand_in})
    return substitute(derivative(replaced, stand_in), {stand_in: node})


def _coordinate(q, t: Var) -> AppliedFunction:
    """The node q(t) of a coordinate given as a name, an undefined function, or q(t)."""
    if isinstance(q, AppliedFunction):
        if q.is_derivative or q.args != (t,):
            raise ValueError(f"a coordinate is a function of {t.name} alone, q({t.name}), "
                             f"not {q}")
        return q
    return AppliedFunction(_function_name(q), [t])


def _as_functions_of(expr: Expr, t: Var, coordinates) -> tuple[Expr, list[AppliedFunction]]:
    """``expr`` with each coordinate named as a variable q read as q(t), and the q(t)."""
    nodes = [_coordinate(q, t) for q in coordinates]
    if len({q.name for q in nodes}) != len(nodes):
        raise ValueError("a coordinate is listed twice")
    named = {Var(q.name): q for q, given in zip(nodes, coordinates) if isinstance(given, str)}
    return substitute(expr, named), nodes


def total_derivative(expr, t, coordinates: Sequence = ()) -> Expr:
    """d/dt of ``expr`` along the coordinates q(t): q'(t) wherever q(t) changes, q''(t)
    where q'(t) does. A coordinate given by name reads the variable q in ``expr`` as q(t);
    undefined functions and calls q(t) already in ``expr`` need not be listed."""
    t = as_var(t)
    expr, _ = _as_functions_of(as_expr(expr), t, list(coordinates))
    return derivative(expr, t)


def euler_lagrange(L, t, coordinates: Sequence) -> list[Expr]:
    """The Euler-Lagrange expressions d/dt(∂L/∂q') - ∂L/∂q, one per coordinate (each is 0
    along a motion). Coordinates are names, undefined functions or calls q(t); a name q
    reads the variable q in ``L`` as q(t)."""
    t = as_var(t)
    coordinates = list(coordinates)
    L, nodes = _as_functions_of(as_expr(L), t, coordinates)
    equations = []
    for q in nodes:
        velocity = q.differentiated(0)
        momentum = derivative_by(L, velocity)
        equations.append(derivative(momentum, t) - derivative_by(L, q))
    return equations
