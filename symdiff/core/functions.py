"""The functions symdiff knows: the built-in declarations (``elementary``, ``reciprocal``,
``activations``, ``special``, ``piecewise``) entered in the registry, and the two builders
that make other nodes.

Each declared function's class is a name of this module under its class name and under its
Python spelling (``Sin`` and ``sin``, ``Tanh`` and ``tanh``), so ``symdiff.sin(x)`` builds
formulas in Python. Those names are made from the declarations, not listed by hand: adding
a declaration adds them. Local partials live in ``calculus.partials``, which reads the
declarations; the chain rule is applied once for every function in ``calculus.diff``.
"""
from __future__ import annotations

from fractions import Fraction

from .activations import ACTIVATIONS
from .declarations import ALIASES, FUNCTIONS, Function, FunctionSpec, declare
from .elementary import ELEMENTARY
from .nodes import Expr, Mul, Pow
from .piecewise import PIECEWISE
from .reciprocal import RECIPROCAL
from .special import SPECIAL


def sqrt(u) -> Expr:
    """Square root, represented as ``u^(1/2)`` so powers combine (``sqrt(x)^2 = x``)."""
    return Pow(u, Fraction(1, 2))


def div(a, b) -> Expr:
    return Mul(a, Pow(b, -1))


#: The built-in functions' classes, in declaration order (user functions are not here).
BUILTIN: tuple[type[Function], ...] = tuple(declare(spec, __name__)
                                            for spec in ELEMENTARY + RECIPROCAL + ACTIVATIONS
                                            + SPECIAL + PIECEWISE)

# Sin and sin, Max and max...: shadowing the builtins abs, max and min is the point.
globals().update({cls.__name__: cls for cls in BUILTIN})
globals().update({cls.name: cls for cls in BUILTIN})

__all__ = ["FUNCTIONS", "Function", "FunctionSpec", "div", "sqrt",
           *(cls.__name__ for cls in BUILTIN), *(cls.name for cls in BUILTIN)]
