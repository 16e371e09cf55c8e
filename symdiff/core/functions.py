"""The elementary functions: one class each, with its name, arity, real meaning and domain.

Derivatives live in ``derivatives.py`` (one line per function), not here. A function applied
to float constants is folded to a float; exact arguments are kept symbolic (``sin(2)``) except
for the few values that are exact by definition (``sin(0) = 0``, ``exp(1) = e``, ``abs(-3) = 3``).
"""
from __future__ import annotations

import math
from fractions import Fraction

from . import exact
from .nodes import E, POWER_OF_CONSTANT, Const, Expr, Mul, Pow, as_expr
from .order import RANK_FUNCTION, mix, signature, tag
from .intern import create, lookup


class Function(Expr):
    """A call ``name(arg, ...)``. Subclasses set ``name``, ``arity`` and ``real``."""

    __slots__ = ()
    name = "?"
    arity = 1
    commutative = False
    #: what the function needs of its argument, for error messages ("a positive argument").
    domain = ""
    #: exact argument value -> exact result (as an Expr-able value), e.g. {0: 0} for sin.
    exact_values: dict = {}

    def __new__(cls, *args):
        if len(args) != cls.arity:
            raise TypeError(f"{cls.name}() takes {cls.arity} argument"
                            f"{'s' if cls.arity != 1 else ''}, got {len(args)}")
        args = tuple(as_expr(a) for a in args)
        if cls.commutative:
            args = tuple(sorted(args, key=lambda a: a.sort_key))
        special = cls.special(*args)
        if special is not None:
            return as_expr(special)
        if all(type(a) is Const for a in args):
            folded = cls._fold([a.value for a in args])
            if folded is not None:
                return Const(folded)
        node = lookup((cls, args))
        if node is not None:
            return node
        sort_key = (RANK_FUNCTION, signature(cls.name, "(", args[0].sort_key[1]),
                    mix(tag(cls.name), [a.sort_key[2] for a in args]))
        return create(cls, (cls, args), args, sort_key, 1.0)

    @classmethod
    def special(cls, *args):
        """A cheaper, always-equal form for these arguments, or None."""
        if len(args) == 1 and type(args[0]) is Const and exact.is_exact(args[0].value):
            return cls.exact_values.get(args[0].value)
        return None

    @classmethod
    def _fold(cls, values):
        """Value of the call on constant arguments: float inputs give a float, if defined."""
        if not any(isinstance(v, float) for v in values):
            return None
        try:
            result = cls.real(*map(float, values))
        except (ValueError, ZeroDivisionError, OverflowError):
            return None
        return result if math.isfinite(result) else None

    @staticmethod
    def real(*values: float) -> float:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError


class PiecewiseFunction(Function):
    """abs, sign, step, relu, max, min: exact on exact constants, since they only compare."""

    __slots__ = ()

    @classmethod
    def special(cls, *args):
        if all(type(a) is Const for a in args):
            return exact.normalise(cls.real(*(a.value for a in args)))
        return None


def _reciprocal(f, name):
    def real(u):
        value = f(u)
        if value == 0:
            raise ZeroDivisionError(f"{name} has a pole here")
        return 1.0 / value
    return staticmethod(real)


class Sin(Function):
    __slots__ = ()
    name, exact_values, real = "sin", {0: 0}, staticmethod(math.sin)


class Cos(Function):
    __slots__ = ()
    name, exact_values, real = "cos", {0: 1}, staticmethod(math.cos)


class Tan(Function):
    __slots__ = ()
    name, exact_values, real = "tan", {0: 0}, staticmethod(math.tan)


class Sec(Function):
    __slots__ = ()
    name, exact_values, domain = "sec", {0: 1}, "cos(argument) != 0"
    real = _reciprocal(math.cos, "sec")


class Csc(Function):
    __slots__ = ()
    name, domain = "csc", "sin(argument) != 0"
    real = _reciprocal(math.sin, "csc")


class Cot(Function):
    __slots__ = ()
    name, domain = "cot", "tan(argument) != 0"
    real = _reciprocal(math.tan, "cot")


class Asin(Function):
    __slots__ = ()
    name, exact_values, domain = "asin", {0: 0}, "an argument in [-1, 1]"
    real = staticmethod(math.asin)


class Acos(Function):
    __slots__ = ()
    name, exact_values, domain = "acos", {1: 0}, "an argument in [-1, 1]"
    real = staticmethod(math.acos)


class Atan(Function):
    __slots__ = ()
    name, exact_values, real = "atan", {0: 0}, staticmethod(math.atan)


class Sinh(Function):
    __slots__ = ()
    name, exact_values, real = "sinh", {0: 0}, staticmethod(math.sinh)


class Cosh(Function):
    __slots__ = ()
    name, exact_values, real = "cosh", {0: 1}, staticmethod(math.cosh)


class Tanh(Function):
    __slots__ = ()
    name, exact_values, real = "tanh", {0: 0}, staticmethod(math.tanh)


class Asinh(Function):
    __slots__ = ()
    name, exact_values, real = "asinh", {0: 0}, staticmethod(math.asinh)


class Acosh(Function):
    __slots__ = ()
    name, exact_values, domain = "acosh", {1: 0}, "an argument >= 1"
    real = staticmethod(math.acosh)


class Atanh(Function):
    __slots__ = ()
    name, exact_values, domain = "atanh", {0: 0}, "an argument in (-1, 1)"
    real = staticmethod(math.atanh)


class Exp(Function):
    __slots__ = ()
    name, exact_values, real = "exp", {0: 1, 1: E}, staticmethod(math.exp)

    def _power_of(self, exponent):
        return Exp(Mul(self.args[0], exponent))        # exp(a)^b = exp(a*b) for real a, b


class Log(Function):
    """The natural logarithm (``ln`` is an alias)."""

    __slots__ = ()
    name, exact_values, domain = "log", {1: 0}, "a positive argument"

    @staticmethod
    def real(u):
        if u <= 0:
            raise ValueError("log needs a positive argument")
        return math.log(u)

    @classmethod
    def special(cls, u):
        if u is E:
            return 1
        if type(u) is Exp:                              # log(exp(a)) = a for real a
            return u.args[0]
        return super().special(u)


class Abs(PiecewiseFunction):
    __slots__ = ()
    name, real = "abs", staticmethod(abs)

    @classmethod
    def special(cls, u):
        if type(u) in (Abs, Exp):                        # abs(abs(a)) = abs(a); exp(a) > 0
            return u
        return super().special(u)


class Sign(PiecewiseFunction):
    """sign(u) is -1, 0 or 1."""

    __slots__ = ()
    name = "sign"

    @staticmethod
    def real(u):
        return (u > 0) - (u < 0) if not isinstance(u, float) else float((u > 0) - (u < 0))


class Step(PiecewiseFunction):
    """The Heaviside step with step(0) = 0: the derivative of relu."""

    __slots__ = ()
    name = "step"

    @staticmethod
    def real(u):
        value = 1 if u > 0 else 0
        return float(value) if isinstance(u, float) else value


class Relu(PiecewiseFunction):
    """relu(u) = max(u, 0)."""

    __slots__ = ()
    name = "relu"

    @staticmethod
    def real(u):
        return u if u > 0 else (0.0 if isinstance(u, float) else 0)


class Max(PiecewiseFunction):
    __slots__ = ()
    name, arity, commutative, real = "max", 2, True, staticmethod(max)

    @classmethod
    def special(cls, a, b):
        return a if a is b else super().special(a, b)


class Min(PiecewiseFunction):
    __slots__ = ()
    name, arity, commutative, real = "min", 2, True, staticmethod(min)

    @classmethod
    def special(cls, a, b):
        return a if a is b else super().special(a, b)


def sqrt(u) -> Expr:
    """Square root, represented as ``u^(1/2)`` so powers combine (``sqrt(x)^2 = x``)."""
    return Pow(u, Fraction(1, 2))


def div(a, b) -> Expr:
    return Mul(a, Pow(b, -1))


POWER_OF_CONSTANT["e"] = Exp                          # e^u is exp(u)

#: Every function class, by the name the parser and printer use.
FUNCTIONS: dict[str, type[Function]] = {
    cls.name: cls
    for cls in (Sin, Cos, Tan, Sec, Csc, Cot, Asin, Acos, Atan, Sinh, Cosh, Tanh, Asinh, Acosh,
                Atanh, Exp, Log, Abs, Sign, Step, Relu, Max, Min)
}

# Lower-case spellings for building formulas in Python: symdiff.sin(x), symdiff.max(x, 0).
sin, cos, tan, sec, csc, cot = Sin, Cos, Tan, Sec, Csc, Cot
asin, acos, atan, sinh, cosh, tanh = Asin, Acos, Atan, Sinh, Cosh, Tanh
asinh, acosh, atanh, exp, log = Asinh, Acosh, Atanh, Exp, Log
abs, sign, step, relu, max, min = Abs, Sign, Step, Relu, Max, Min  # noqa: A001 - shadowing is the point
