"""Undefined functions: ``f(x)``, ``g(x, y)``, ``theta(t)`` with no formula, and their
derivatives.

Lagrangian mechanics and implicit models need a function known only by its name. Its call
is an ``AppliedFunction`` node: the name, the arguments (its children) and how many times it
is differentiated with respect to each argument position (``orders``; all zeros is the
function itself). d/d(argument i) only adds one to ``orders[i]``, so the chain rule gives
``d/dx f(x^2) = 2*x*f'(x^2)`` with no formula for f ever needed. Nodes are interned like
every other node: one object per (name, orders, arguments).
"""
from __future__ import annotations

import unicodedata

from .declarations import ALIASES, FUNCTIONS
from .intern import create, lookup
from .names import normal_name
from .nodes import Expr, as_expr
from .order import RANK_FUNCTION, mix, signature, tag

#: Most derivatives (summed over the argument positions) one node may carry: a bound, so a
#: loop that differentiates without end fails clearly instead of growing tuples forever.
MAX_TOTAL_ORDER = 1000


def function_name(name) -> str:
    """``name`` NFKC-normalised (as Python reads identifiers), checked: a name the parser
    reads as a name (the rules of variable names), neither a constant (e, pi) nor a
    declared function or alias."""
    if not isinstance(name, str):
        raise TypeError(f"an undefined function's name is a string, not {name!r}")
    folded = unicodedata.normalize("NFKC", name)
    if folded in FUNCTIONS or folded in ALIASES:
        raise ValueError(f"{name!r} is already a declared function: an undefined function "
                         "needs a name of its own")
    try:
        return normal_name(name)
    except ValueError as error:
        raise ValueError(str(error).replace("variable name", "function name")) from None


def _orders(orders, arity: int) -> tuple[int, ...]:
    """``orders`` as a tuple of ``arity`` non-negative ints, bounded in total."""
    if orders is None:
        return (0,) * arity
    orders = tuple(orders)
    if len(orders) != arity:
        raise ValueError(f"give one derivative order per argument ({arity}), not {len(orders)}")
    for order in orders:
        if type(order) is not int or order < 0:
            raise ValueError(f"a derivative order is an int >= 0, not {order!r}")
    if sum(orders) > MAX_TOTAL_ORDER:
        raise ValueError(f"at most {MAX_TOTAL_ORDER} derivatives of an undefined function, "
                         f"not {sum(orders)}")
    return orders


def readable_head(name: str, orders: tuple[int, ...]) -> str:
    """How the printed call starts: ``f``, ``f''``, ``D[1,2](g)`` (the sort key's signature)."""
    if not any(orders):
        return name
    if len(orders) == 1:
        return name + "'" * orders[0]
    positions = ",".join(str(i + 1) for i, n in enumerate(orders) for _ in range(n))
    return f"D[{positions}]({name})"


class AppliedFunction(Expr):
    """An undefined function ``name`` applied to ``args``, differentiated ``orders[i]`` times
    with respect to argument i: ``AppliedFunction("f", [x])`` is f(x), ``orders=(2,)`` is
    f''(x); ``AppliedFunction("g", [x, y], (1, 1))`` is d^2 g / dx dy."""

    __slots__ = ("name", "orders")

    def __new__(cls, name: str, args, orders=None):
        name = function_name(name)
        args = tuple(as_expr(a) for a in ((args,) if isinstance(args, Expr) else args))
        if not args:
            raise ValueError(f"{name}: an undefined function takes at least one argument")
        orders = _orders(orders, len(args))
        key = (cls, name, orders, args)
        node = lookup(key)
        if node is not None:
            return node
        sort_key = (RANK_FUNCTION, signature(readable_head(name, orders), "(", args[0].sort_key[1]),
                    mix(tag("AppliedFunction:" + name), [*orders, *(a.sort_key[2] for a in args)]))
        return create(cls, key, args, sort_key, 1.0, name=name, orders=orders)

    def with_args(self, args) -> "AppliedFunction":
        """The same function and derivative orders at new arguments (what substitution and
        rewriting rebuild)."""
        return AppliedFunction(self.name, args, self.orders)

    def differentiated(self, position: int) -> "AppliedFunction":
        """d self / d args[position]: one more derivative with respect to that argument."""
        orders = list(self.orders)
        orders[position] += 1
        return AppliedFunction(self.name, self.args, orders)

    @property
    def function(self) -> "UndefinedFunction":
        return UndefinedFunction(self.name)

    @property
    def is_derivative(self) -> bool:
        return any(self.orders)

    @property
    def total_order(self) -> int:
        return sum(self.orders)


class UndefinedFunction:
    """A function known only by its name: ``f = function("f")``; ``f(x)``, ``f(x, y)`` build
    its calls. Two of the same name are equal (they build the same nodes)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        object.__setattr__(self, "name", function_name(name))

    def __setattr__(self, name, value):
        raise AttributeError("undefined functions are immutable")

    def __call__(self, *args) -> AppliedFunction:
        return AppliedFunction(self.name, args)

    def derivative(self, *args, orders) -> AppliedFunction:
        """The derivative node of these orders at ``args``: ``f.derivative(x, orders=[2])``
        is f''(x)."""
        return AppliedFunction(self.name, args, orders)

    def __eq__(self, other):
        return type(other) is UndefinedFunction and other.name == self.name

    def __hash__(self):
        return hash((UndefinedFunction, self.name))

    def __repr__(self):
        return f"function({self.name!r})"

    def __str__(self):
        return self.name

    def __reduce__(self):
        return (UndefinedFunction, (self.name,))


def function(name: str) -> UndefinedFunction:
    """An undefined function of this name: ``f = function("f"); f(x**2)``."""
    return UndefinedFunction(name)
