"""Exact values of the trigonometric functions at rational multiples of pi, the inverse
functions at those values, and angle shifts by multiples of pi/2.

    sin(pi/6) -> 1/2        cos(5*pi/4) -> -sqrt(2)/2      tan(pi/2) stays (undefined)
    asin(1/2) -> pi/6       atan(sqrt(3)) -> pi/3          acot(-1) -> -pi/4
    cos(x + pi/2) -> -sin(x)                               sin(x + 7*pi/6) -> -sin(x + pi/6)

No finite rule set says these: an angle is reduced modulo the period and by symmetry to
[0, pi/2], then looked up. The tables hold the first quadrant in units of pi (sine, tangent
and secant; the cofunctions read them at pi/2 - t) for the denominators 1, 2, 3, 4, 5, 6, 8,
10 and 12, as fixed formulas parsed once, on first use, in the simplifier's normal form (a
number times a sum stays a product: ``(sqrt(6) - sqrt(2))/4``). Angles without a table entry
are still reduced (``sin(8*pi/7) -> -sin(pi/7)``).
"""
from __future__ import annotations

import functools
import math
from fractions import Fraction

from ..core import exact
from ..core.functions import Acos, Acot, Acsc, Asec, Asin, Atan, Cos, Cot, Csc, Sec, Sin, Tan
from ..core.nodes import PI, Add, Const, Expr, Mul, Pow, held_product
from ..syntax.parser import parse
from .rule import Transform

F = Fraction

#: sin(t*pi) for t in [0, 1/2], as (numerator, denominator).
SINES = {
    F(0): ("0", 1), F(1, 12): ("sqrt(6) - sqrt(2)", 4), F(1, 10): ("sqrt(5) - 1", 4),
    F(1, 8): ("sqrt(2 - sqrt(2))", 2), F(1, 6): ("1", 2), F(1, 5): ("sqrt(10 - 2*sqrt(5))", 4),
    F(1, 4): ("sqrt(2)", 2), F(3, 10): ("sqrt(5) + 1", 4), F(1, 3): ("sqrt(3)", 2),
    F(3, 8): ("sqrt(2 + sqrt(2))", 2), F(2, 5): ("sqrt(10 + 2*sqrt(5))", 4),
    F(5, 12): ("sqrt(6) + sqrt(2)", 4), F(1, 2): ("1", 1),
}
#: tan(t*pi) for t in [0, 1/2) (tan(pi/2) is undefined).
TANGENTS = {
    F(0): ("0", 1), F(1, 12): ("2 - sqrt(3)", 1), F(1, 10): ("sqrt(25 - 10*sqrt(5))", 5),
    F(1, 8): ("sqrt(2) - 1", 1), F(1, 6): ("sqrt(3)", 3), F(1, 5): ("sqrt(5 - 2*sqrt(5))", 1),
    F(1, 4): ("1", 1), F(3, 10): ("sqrt(25 + 10*sqrt(5))", 5), F(1, 3): ("sqrt(3)", 1),
    F(3, 8): ("sqrt(2) + 1", 1), F(2, 5): ("sqrt(5 + 2*sqrt(5))", 1),
    F(5, 12): ("2 + sqrt(3)", 1),
}
#: sec(t*pi) for t in [0, 1/2) (sec(pi/2) is undefined).
SECANTS = {
    F(0): ("1", 1), F(1, 12): ("sqrt(6) - sqrt(2)", 1), F(1, 10): ("sqrt(50 - 10*sqrt(5))", 5),
    F(1, 8): ("sqrt(4 - 2*sqrt(2))", 1), F(1, 6): ("2*sqrt(3)", 3), F(1, 5): ("sqrt(5) - 1", 1),
    F(1, 4): ("sqrt(2)", 1), F(3, 10): ("sqrt(50 + 10*sqrt(5))", 5), F(1, 3): ("2", 1),
    F(3, 8): ("sqrt(4 + 2*sqrt(2))", 1), F(2, 5): ("sqrt(5) + 1", 1),
    F(5, 12): ("sqrt(6) + sqrt(2)", 1),
}
HALF = F(1, 2)

#: function -> (period in units of pi, odd?, the table it reads, read at pi/2 - t?). Every
#: one of them is f(pi - t) = +-f(t): odd functions of period 2*pi (sin, csc) keep the
#: sign, even ones (cos, sec) flip it; for period pi (tan, cot) it follows from oddness.
FUNCTIONS = {
    Sin: (2, True, "sin", False), Cos: (2, False, "sin", True),
    Tan: (1, True, "tan", False), Cot: (1, True, "tan", True),
    Sec: (2, False, "sec", False), Csc: (2, True, "sec", True),
}
#: f(x + pi/2) = sign * g(x)
COFUNCTIONS = {Sin: (1, Cos), Cos: (-1, Sin), Tan: (-1, Cot), Cot: (-1, Tan),
               Sec: (-1, Csc), Csc: (1, Sec)}


_TABLES = {"sin": SINES, "tan": TANGENTS, "sec": SECANTS}


@functools.cache
def _value(table: str, t: Fraction) -> Expr | None:
    """The table's entry at t as a node (a number times a sum held as a product), or None."""
    entry = _TABLES[table].get(t)
    if entry is None:
        return None
    numerator, denominator = entry
    return held_product(F(1, denominator), parse(numerator))


def _negated(value: Expr) -> Expr:
    """-value, keeping a number times a sum a product (-(sqrt(5) + 1)/4)."""
    if type(value) is Mul and len(value.args) == 2 and type(value.args[0]) is Const \
            and type(value.args[1]) is Add:
        return held_product(exact.mul(-1, value.args[0].value), value.args[1])
    return Mul(-1, value)


def pi_multiple(node: Expr) -> Fraction | int | None:
    """t when ``node`` is t*pi for an exact rational t (pi is 1), else None."""
    if node is PI:
        return 1
    if (type(node) is Mul and len(node.args) == 2 and node.args[1] is PI
            and type(node.args[0]) is Const and exact.is_exact(node.args[0].value)):
        return node.args[0].value
    return None


def reduce_angle(kind: type, t) -> tuple[int, Fraction]:
    """(sign, u) with f(t*pi) = sign*f(u*pi) and u in [0, 1/2]."""
    period, odd, _, _ = FUNCTIONS[kind]
    t = F(t) % period
    sign = 1
    if t > F(period, 2):                    # f(t) = f(t - P) = +-f(P - t)
        t = period - t
        sign = -1 if odd else 1
    if t > HALF:                            # f(t) = +-f(1 - t), with P = 2
        t = 1 - t
        sign = sign if kind in (Sin, Csc) else -sign
    return sign, t


def exact_value(node: Expr) -> Expr | None:
    """sin(t*pi), cos, tan, cot, sec, csc: the exact value from the tables, or the angle
    reduced to [0, pi/2] when it has none; None at a pole (tan(pi/2)) or when the argument
    is no rational multiple of pi, or nothing would change."""
    t = pi_multiple(node.args[0])
    if t is None:
        return None
    kind = type(node)
    sign, u = reduce_angle(kind, t)
    _, _, table, complement = FUNCTIONS[kind]
    at = HALF - u if complement else u
    if at == HALF and table != "sin":
        return None                          # a pole: tan(pi/2), cot(0), sec(pi/2), csc(0)
    value = _value(table, at)
    if value is not None:
        return value if sign == 1 else _negated(value)
    if sign == 1 and u == t:
        return None
    reduced = kind(Mul(u, PI))
    return reduced if sign == 1 else Mul(-1, reduced)


def shifted(node: Expr) -> Expr | None:
    """f(x + t*pi) with t a multiple of 1/2: the cofunction or the function of x, signed;
    any other rational t is brought into (-1/2, 1/2] by whole turns of pi."""
    argument = node.args[0]
    if type(argument) is not Add:
        return None
    for index, term in enumerate(argument.args):
        t = pi_multiple(term)
        if t is not None:
            break
    else:
        return None
    kind = type(node)
    whole = math.ceil(F(t) - HALF)           # t - whole in (-1/2, 1/2]
    rest = F(t) - whole
    sign = -1 if whole % 2 and FUNCTIONS[kind][0] == 2 else 1
    others = Add(*(a for i, a in enumerate(argument.args) if i != index))
    if rest == HALF:
        factor, kind = COFUNCTIONS[kind]
        sign *= factor
    elif rest == t:
        return None
    elif rest:
        others = Add(others, Mul(rest, PI))
    if rest in (0, HALF) and _looks_negative(others):   # cos(pi/2 - x) = -sin(-x) = sin(x)
        others = Mul(-1, others)
        sign = -sign if FUNCTIONS[kind][1] else sign
    return kind(others) if sign == 1 else Mul(-1, kind(others))


def _negative_term(term: Expr) -> bool:
    return (type(term) is Mul and type(term.args[0]) is Const
            and exact.is_exact(term.args[0].value) and term.args[0].value < 0)


def _looks_negative(node: Expr) -> bool:
    """-x, -2*x*y, -x - y + 1: every term that is not a number has a negative coefficient."""
    if type(node) is Add:
        terms = [a for a in node.args if type(a) is not Const]
        return bool(terms) and all(_negative_term(a) for a in terms)
    return _negative_term(node)


def _angle(t) -> Expr:
    return Mul(t, PI)


@functools.cache
def inverse_values() -> dict[type, dict[Expr, Expr]]:
    """asin, acos, atan, acot, asec, acsc: exact value -> angle, for the table values and
    their negatives, each also as the reciprocal of its cofunction's value (1/sqrt(2),
    1/sqrt(3), 2/sqrt(3)) and with a number times a sum distributed."""
    found: dict[type, dict[Expr, Expr]] = {kind: {} for kind in (Asin, Acos, Atan, Acot,
                                                                 Asec, Acsc)}

    def enter(kind, values, angle, negative_angle):
        for value in values:
            for form in _forms(value):
                found[kind].setdefault(form, _angle(angle))
                found[kind].setdefault(_negated(form), _angle(negative_angle))

    for t in SINES:
        values = [_value("sin", t)]
        if t:
            values.append(Pow(_value("sec", HALF - t), -1))
        enter(Asin, values, t, -t)
        enter(Acos, values, HALF - t, HALF + t)
    for t in TANGENTS:
        values = [_value("tan", t)]
        if t:
            values.append(Pow(_value("tan", HALF - t), -1))
        enter(Atan, values, t, -t)
        if t:
            enter(Acot, values, HALF - t, t - HALF)
    for t in SECANTS:
        values = [_value("sec", t), Pow(_value("sin", HALF - t), -1)]
        enter(Asec, values, t, 1 - t)
        if t:
            enter(Acsc, values, HALF - t, t - HALF)
    found[Acot][Const(0)] = _angle(HALF)
    return found


def _forms(value: Expr) -> list[Expr]:
    """A value as the tables hold it and, for a number times a sum, as the constructors
    build it when written (distributed: sqrt(6)/4 - sqrt(2)/4)."""
    if type(value) is Mul and len(value.args) == 2 and type(value.args[1]) is Add:
        return [value, Mul(*value.args)]
    return [value]


def inverse_value(node: Expr) -> Expr | None:
    """asin(1/2) -> pi/6, atan(-1) -> -pi/4...: the angle of an exact table value."""
    return inverse_values()[type(node)].get(node.args[0])


#: The simplifier's group. Each keeps its result where it is not longer (sin(pi/6) -> 1/2,
#: tan(pi/3) -> sqrt(3), asin(1/2) -> pi/6, cos(x + pi/2) -> -sin(x)), so that simplifying
#: never lengthens a formula; the choice pass applies them unconditionally and weighs the
#: result with its cost model (sin(pi/5) stays unless its value is cheaper there).
TRIG_VALUE_RULES = [
    Transform("trig-exact-value", exact_value, tuple(FUNCTIONS), keep="not longer"),
    Transform("trig-shift", shifted, tuple(FUNCTIONS), keep="not longer"),
    Transform("inverse-trig-value", inverse_value, (Asin, Acos, Atan, Acot, Asec, Acsc),
              keep="not longer"),
]
