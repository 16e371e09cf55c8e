"""Undefined functions both ways between symdiff and SymPy: f(x) is ``Function('f')(x)``,
f'(x) is ``Derivative(f(x), x)``, and a derivative at an argument that is not a variable
takes SymPy's own form, ``Subs(Derivative(f(_xi_1), _xi_1), _xi_1, x**2)``: what
``sympy.diff(f(x**2), x)`` writes, so the two compare equal.

SymPy is imported on first use, as in ``sympy_bridge``.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..calculus.diff import derivative
from ..calculus.mechanics import derivative_by
from ..core.errors import SymdiffError
from ..core.nodes import Expr, Var
from ..core.undefined import MAX_TOTAL_ORDER, AppliedFunction
from ..core.walk import topological

if TYPE_CHECKING:
    import sympy


def applied_to_sympy(node: AppliedFunction, args: list) -> sympy.Expr:
    """The SymPy form of ``node`` whose arguments are already SymPy's ``args``."""
    import sympy

    head = sympy.Function(node.name)
    if not node.is_derivative:
        return head(*args)
    inner, points, variables = list(args), [], []
    for i, (arg, count) in enumerate(zip(args, node.orders)):
        if not count:
            continue
        place = node.args[i]
        if type(place) is Var and place not in topological(
                [a for j, a in enumerate(node.args) if j != i]):
            variables.append((arg, count))        # a variable no other argument holds
            continue
        dummy = sympy.Dummy(f"xi_{i + 1}")          # SymPy's own name for the place
        inner[i] = dummy
        points.append((dummy, arg))
        variables.append((dummy, count))
    derivative_form = sympy.Derivative(head(*inner), *variables)
    if not points:
        return derivative_form
    return sympy.Subs(derivative_form, [d for d, _ in points], [p for _, p in points])


def is_undefined_head(head) -> bool:
    """Whether a SymPy class is an undefined function's (what ``Function('f')`` makes)."""
    from sympy.core.function import UndefinedFunction

    return isinstance(head, UndefinedFunction)


def applied_from_sympy(name: str, args: list[Expr]) -> AppliedFunction:
    """The call of the undefined function ``name``; a name symdiff refuses is a SymdiffError."""
    try:
        return AppliedFunction(name, args)
    except ValueError as error:
        raise SymdiffError(f"SymPy's function {name}: {error}") from None


def dummy_name(dummy: sympy.Dummy) -> str:
    """A variable name for a SymPy Dummy that no ordinary symbol of the same name shares:
    SymPy binds dummies in Subs and Derivative, which symdiff substitutes away."""
    stem = dummy.name if dummy.name.isidentifier() and dummy.name.isascii() else "xi"
    return f"{stem}_dummy{str(dummy.dummy_index).replace('-', 'm')}"


def conversion_plan(node) -> tuple[list, Callable[[list[Expr]], Expr]] | None:
    """For SymPy's Derivative and Subs: the SymPy expressions to convert first, and how to
    build the symdiff expression from their conversions; None for every other node.

    ``Derivative(e, (v, n))`` is symdiff's derivative of e, n times, by v (by the node v
    when v is no symbol: SymPy differentiates by ``x**2`` that way); ``Subs(e, vs, ps)`` is
    e with every v replaced by its p at once."""
    import sympy

    if isinstance(node, sympy.Derivative):
        pairs = [(v, int(n)) for v, n in node.variable_count]
        if sum(n for _, n in pairs) > MAX_TOTAL_ORDER:
            raise SymdiffError(f"SymPy's derivative of order {sum(n for _, n in pairs)} is "
                               f"past symdiff's {MAX_TOTAL_ORDER}")

        def differentiate(converted: list[Expr]) -> Expr:
            result = converted[0]
            for by, (_, count) in zip(converted[1:], pairs):
                for _ in range(count):
                    result = derivative(result, by) if type(by) is Var else derivative_by(result, by)
            return result
        return [node.expr, *(v for v, _ in pairs)], differentiate
    if isinstance(node, sympy.Subs):
        variables, points = list(node.variables), list(node.point)

        def put(converted: list[Expr]) -> Expr:
            expr, rest = converted[0], converted[1:]
            return expr.subs(dict(zip(rest[:len(variables)], rest[len(variables):])))
        return [node.expr, *variables, *points], put
    return None
