"""Dual numbers and numeric forward mode: an oracle for the symbolic derivatives.

A dual number ``a + bε`` with ``ε² = 0`` carries a value and a derivative at once:
``(3 + 4ε)(5 + 7ε) = 15 + 41ε``, and ``f(a + bε) = f(a) + f'(a)·bε``. Evaluating a formula
on duals seeded with a direction gives its value and its directional derivative, exactly up
to float rounding, without building any derivative expression.

Functions use ``oracle_partials.NUMERIC_PARTIALS``, written on purpose apart from the
function declarations: an oracle that shared the symbolic table would repeat its mistakes.
"""
from __future__ import annotations

import math

from ..core.errors import EvaluationError
from ..core.nodes import Add, Expr, Mul, Var
from ..core.walk import Upward, by_kind, fold
from .evaluate import describe, finite, leaf_value, node_value, read_point
from .oracle_partials import local_partial, sign


class Dual:
    """``value + eps·ε`` with ``ε² = 0``; arithmetic with duals and plain numbers on either
    side carries the derivative in ``eps`` by the sum, product, quotient and power rules."""

    __slots__ = ("value", "eps")

    def __init__(self, value, eps=0):
        self.value, self.eps = value, eps

    def __repr__(self):
        return f"Dual({self.value!r}, {self.eps!r})"

    def __add__(self, other):
        other = _dual(other)
        return Dual(self.value + other.value, self.eps + other.eps)

    def __sub__(self, other):
        other = _dual(other)
        return Dual(self.value - other.value, self.eps - other.eps)

    def __mul__(self, other):
        other = _dual(other)
        return Dual(self.value * other.value, self.eps * other.value + self.value * other.eps)

    def __truediv__(self, other):
        other = _dual(other)
        quotient = self.value / other.value
        return Dual(quotient, (self.eps - quotient * other.eps) / other.value)

    def __pow__(self, other):
        """``a^b``: d = b·a^(b-1)·da + a^b·log(a)·db; a term whose tangent is 0 is left out,
        so ``(-2 + ε)^3`` needs no log of a negative number."""
        other = _dual(other)
        value = _real_power(self.value, other.value)
        eps = 0
        if self.eps and other.value != 0:          # d(a^0)/da = 0, even at a = 0
            eps += other.value * _real_power(self.value, other.value - 1) * self.eps
        if other.eps:
            eps += value * math.log(self.value) * other.eps
        return Dual(value, eps)

    def __radd__(self, other):
        return _dual(other) + self

    def __rsub__(self, other):
        return _dual(other) - self

    def __rmul__(self, other):
        return _dual(other) * self

    def __rtruediv__(self, other):
        return _dual(other) / self

    def __rpow__(self, other):
        return _dual(other) ** self

    def __neg__(self):
        return Dual(-self.value, -self.eps)

    def __pos__(self):
        return self

    def __abs__(self):
        """d|u| = sign(u)·du, 0 at u = 0 (symdiff's convention at the kink)."""
        return Dual(abs(self.value), sign(self.value) * self.eps)

    def __eq__(self, other):
        """Equal value and equal derivative; a plain number is a dual with derivative 0."""
        if isinstance(other, (Dual, int, float)):
            other = _dual(other)
            return self.value == other.value and self.eps == other.eps
        return NotImplemented

    def __hash__(self):
        return hash(self.value) if self.eps == 0 else hash((self.value, self.eps))

    # Order compares values only: enough for max, min and sorting, as for functions of them.
    def __lt__(self, other):
        return self.value < _dual(other).value

    def __le__(self, other):
        return self.value <= _dual(other).value

    def __gt__(self, other):
        return self.value > _dual(other).value

    def __ge__(self, other):
        return self.value >= _dual(other).value


def _dual(x) -> Dual:
    return x if isinstance(x, Dual) else Dual(x, 0)


def _real_power(base, exponent):
    """``base ** exponent`` as a real number (Python would return a complex one)."""
    result = base ** exponent
    if isinstance(result, complex):
        raise ValueError(f"{base!r} ** {exponent!r} is not real: a negative base with a "
                         "non-integer exponent")
    return result


def tangent_sum(terms, node: Expr) -> float:
    """The sum of a node's derivative terms; an overflow is an EvaluationError naming it."""
    try:
        return math.fsum(terms)
    except (OverflowError, ValueError):        # inf - inf, or a sum past the float range
        raise EvaluationError(f"the derivative of {describe(node)} overflows a float") from None


def _sum_tangent(node: Add, args: list[Dual]) -> float:
    return tangent_sum((a.eps for a in args), node)


def _product_tangent(node: Mul, args: list[Dual]) -> float:
    product = args[0]
    for factor in args[1:]:
        product = product * factor          # the product rule, factor by factor
    return product.eps


def _chain_tangent(node: Expr, args: list[Dual]) -> float:
    """A power or function: the oracle table's local partials times the tangents (a
    partial whose tangent is 0 is never evaluated)."""
    plain = [a.value for a in args]
    return tangent_sum((local_partial(node, i, plain) * a.eps
                        for i, a in enumerate(args) if a.eps), node)


#: ``_tangent(node, args)``: a node's derivative from its arguments' dual numbers.
_tangent = by_kind({Add: _sum_tangent, Mul: _product_tangent}, default=_chain_tangent)


def evaluate_dual(expr: Expr, point, direction) -> tuple[float, float]:
    """(value, directional derivative) of ``expr`` at ``point`` in ``direction``, from one
    forward pass over the DAG on dual numbers (children first, no recursion).

    ``point`` and ``direction`` map names (or Vars) to numbers; variables missing from
    ``direction`` stay put. A derivative term whose tangent is 0 is never evaluated, as on
    paper: d/dx of x + sqrt(y) at y = 0 is 1.
    """
    values = read_point(point)
    speeds = read_point(direction)

    def step(node: Expr, args: list[Dual]) -> Dual:
        if not args:
            speed = speeds.get(node.name, 0.0) if type(node) is Var else 0.0
            return Dual(leaf_value(node, values), speed)
        return Dual(node_value(node, [a.value for a in args]), _tangent(node, args))

    result = fold(expr, step)[expr]
    return (finite(result.value, "the value"), finite(result.eps, "the derivative"))


def dual_partials(expr: Expr, point, names) -> list[float]:
    """d expr / d name at ``point`` for each of ``names``, as ``evaluate_dual`` gives each
    (the same floats and errors), from one plain evaluation and, per name, a forward pass
    on dual numbers over only the nodes above that variable (the others' tangents are 0)."""
    values = read_point(point)
    upward = Upward(expr)
    base = fold(expr, lambda node, args: (leaf_value(node, values) if not args
                                          else node_value(node, args)))
    finite(base[expr], "the value")
    partials = []
    for name in names:
        duals: dict[Expr, Dual] = {}
        for node in upward.above([Var(name)]):
            if type(node) is Var:
                duals[node] = Dual(base[node], 1.0)
                continue
            args = [duals[a] if a in duals else Dual(base[a], 0.0) for a in node.args]
            duals[node] = Dual(base[node], _tangent(node, args))
        partials.append(finite(duals[expr].eps, "the derivative") if expr in duals else 0.0)
    return partials
