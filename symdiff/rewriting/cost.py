"""What the simplifier calls cheaper: the cost models ``ops``, ``depth`` and ``flops``.

A cost is a tuple compared left to right, so each model is a main measure tie-broken toward
the form a reader expects:

* ``ops`` (the default): the operations of the printed form (``algebra.size``, close to
  ``sympy.count_ops``), then the divisions and negations in it (``x*(1 - y)`` over
  ``x*(-y + 1)``, ``a/b`` over ``a*b^-1`` forms that print with a minus or a quotient), then
  the depth;
* ``depth``: the longest chain of operations (what a parallel evaluation waits for), then
  ``ops``;
* ``flops``: floating-point work of evaluating the form, for code generation: an addition
  or multiplication is 1, a division 4, an integer power a square-and-multiply chain, a
  square root 4, any other power or elementary function 20; then ``ops``.

Each measure counts a shared subexpression once per time it prints, as the printed text
does, and is remembered per node while the node lives.
"""
from __future__ import annotations

import weakref
from collections.abc import Callable
from fractions import Fraction

from ..core import exact
from ..core.nodes import Add, Const, Expr, Mul, Pow
from ..core.walk import fold
from .algebra import size

#: The cost models, by the name users choose them with (``simplify(..., cost="flops")``,
#: ``symdiff simplify --cost flops``).
COST_MODELS = ("ops", "depth", "flops")

#: Costs past this are all "huge": a DAG whose printed form is astronomically long (each
#: level used twice) must not make the measures big integers.
CAP = 10**15

#: Floating-point work of one operation, by kind (``flops``).
ADD_FLOPS, MUL_FLOPS, DIV_FLOPS, SQRT_FLOPS, CALL_FLOPS = 1, 1, 4, 4, 20


def _awkward(node: Expr) -> int:
    """1 for a node that prints with a division or a leading minus."""
    kind = type(node)
    if kind is Pow:
        exponent = node.args[1]
        return 1 if type(exponent) is Const and exponent.value < 0 else 0
    if kind is Mul and type(node.args[0]) is Const:
        return 1 if node.args[0].value < 0 else 0
    return 0


def _power_flops(exponent) -> int:
    """Multiplications (and a division) of ``u^n`` for an exact integer ``n``, by squaring."""
    n = abs(exponent)
    flops = max(n.bit_length() - 1 + bin(n).count("1") - 1, 0) * MUL_FLOPS
    return flops + (DIV_FLOPS if exponent < 0 else 0)


def _own_flops(node: Expr) -> int:
    kind = type(node)
    if kind is Add:
        return (len(node.args) - 1) * ADD_FLOPS
    if kind is Mul:
        count = 0
        for factor in node.args:
            if type(factor) is Pow and factor.args[1] == Const(-1):
                count += DIV_FLOPS - MUL_FLOPS     # a factor 1/u: a division, not a product
        return count + (len(node.args) - 1) * MUL_FLOPS
    if kind is Pow:
        exponent = node.args[1]
        if type(exponent) is Const and exact.is_integer(exponent.value):
            return _power_flops(int(exponent.value))
        if exponent == Const(Fraction(1, 2)) or exponent == Const(Fraction(-1, 2)):
            return SQRT_FLOPS
        return CALL_FLOPS
    return CALL_FLOPS if node.args else 0


def _capped(value: int) -> int:
    return value if value < CAP else CAP


_AWKWARD: "weakref.WeakKeyDictionary[Expr, int]" = weakref.WeakKeyDictionary()
_DEPTH: "weakref.WeakKeyDictionary[Expr, int]" = weakref.WeakKeyDictionary()
_FLOPS: "weakref.WeakKeyDictionary[Expr, int]" = weakref.WeakKeyDictionary()


def _measure(own: Callable[[Expr], int], memo) -> Callable[[Expr], int]:
    def step(node: Expr, args: list[int]) -> int:
        return _capped(own(node) + sum(args))

    def measure(expr: Expr) -> int:
        known = memo.get(expr)
        if known is not None:
            return known
        return fold(expr, step, memo)[expr]
    return measure


awkwardness = _measure(_awkward, _AWKWARD)
flops = _measure(_own_flops, _FLOPS)


def _depth_step(node: Expr, args: list[int]) -> int:
    return (1 if node.args else 0) + max(args, default=0)


def depth(expr: Expr) -> int:
    """The longest chain of operations from a leaf to ``expr``."""
    known = _DEPTH.get(expr)
    if known is not None:
        return known
    return fold(expr, _depth_step, _DEPTH)[expr]


def _ops_cost(expr: Expr) -> tuple:
    return (min(size(expr), CAP), awkwardness(expr), depth(expr))


def _depth_cost(expr: Expr) -> tuple:
    return (depth(expr), min(size(expr), CAP), awkwardness(expr))


def _flops_cost(expr: Expr) -> tuple:
    return (flops(expr), min(size(expr), CAP), awkwardness(expr))


_MODELS: dict[str, Callable[[Expr], tuple]] = {
    "ops": _ops_cost, "depth": _depth_cost, "flops": _flops_cost}


def cost_model(name: str | Callable[[Expr], tuple]) -> Callable[[Expr], tuple]:
    """The cost function of a model named in ``COST_MODELS`` (or a function given as is: any
    callable from a node to a comparable value)."""
    if callable(name):
        return name
    try:
        return _MODELS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown cost model {name!r}: choose one of "
                         f"{', '.join(COST_MODELS)}") from None


def total_cost(exprs, cost: Callable[[Expr], tuple]) -> tuple:
    """The cost of several results (a gradient's entries), entry by entry summed."""
    totals: list = []
    for expr in exprs:
        for index, value in enumerate(cost(expr)):
            if index < len(totals):
                totals[index] += value
            else:
                totals.append(value)
    return tuple(totals)
