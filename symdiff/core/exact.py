"""Bounded exact arithmetic on the numbers a constant node may hold.

Constants are Python ints, ``fractions.Fraction`` (exact) or floats (inexact). Exact results
are only computed while they stay small: ``2^(10^10)`` is left symbolic instead of filling
memory. Every helper returns ``None`` when it declines, and the caller keeps the expression.
"""
from __future__ import annotations

import math
import numbers
from fractions import Fraction

#: Largest exact power computed by constant folding, in bits (about 3,000 decimal digits).
MAX_EXACT_BITS = 10_000
#: Longest integer literal the parser accepts, in decimal digits.
MAX_LITERAL_DIGITS = 1_000

Number = int | Fraction | float


def as_number(value) -> Number:
    """Normalise a Python or NumPy number to int, Fraction or float (bools are refused)."""
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers in a formula")
    if isinstance(value, int):
        return int(value)
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else value
    if isinstance(value, float):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Rational):
        return as_number(Fraction(int(value.numerator), int(value.denominator)))
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"cannot use {type(value).__name__} {value!r} as a number")


def is_exact(value: Number) -> bool:
    return not isinstance(value, float)


def is_integer(value: Number) -> bool:
    """True for exact integers only (2.0 is a float, not an exact integer)."""
    return isinstance(value, int)


def normalise(value: Number) -> Number:
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return value


def _float_ok(value: float) -> bool:
    return math.isfinite(value)


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise OverflowError(f"constant folding gives {value}: past the range of a float")
    return value


def add(a: Number, b: Number) -> Number:
    if type(a) is int and type(b) is int:
        return a + b
    if isinstance(a, float) or isinstance(b, float):
        return _finite(float(a) + float(b))
    return normalise(a + b)


def mul(a: Number, b: Number) -> Number:
    if type(a) is int and type(b) is int:
        return a * b
    if isinstance(a, float) or isinstance(b, float):
        return _finite(float(a) * float(b))
    return normalise(a * b)


def _exact_root(n: int, q: int) -> int | None:
    """The integer r >= 0 with r**q == n, if there is one (n >= 0)."""
    if n < 2:
        return n
    r = math.isqrt(n) if q == 2 else round(math.exp(math.log(n) / q))
    for candidate in (r - 1, r, r + 1):
        if candidate >= 0 and candidate ** q == n:
            return candidate
    return None


def power(base: Number, exp: Number) -> Number | None:
    """``base ** exp`` when it is real, finite and small enough; otherwise None."""
    if isinstance(base, float) or isinstance(exp, float):
        try:
            result = math.pow(float(base), float(exp))
        except (ValueError, OverflowError, ZeroDivisionError):
            return None
        return result if _float_ok(result) else None
    if base == 0 and exp < 0:
        return None
    if isinstance(exp, int):
        size = abs(exp) * max(abs(base.numerator).bit_length(), base.denominator.bit_length())
        if size > MAX_EXACT_BITS:
            return None
        return normalise(Fraction(base) ** exp)
    # Rational exponent p/q: exact only for a non-negative base with exact q-th roots.
    if base < 0 or exp.denominator > 64:
        return None
    base = Fraction(base)
    if max(base.numerator.bit_length(), base.denominator.bit_length()) > MAX_EXACT_BITS:
        return None
    num = _exact_root(base.numerator, exp.denominator)
    den = _exact_root(base.denominator, exp.denominator)
    if num is None or den is None:
        return None
    return power(normalise(Fraction(num, den)), exp.numerator)


def int_to_str(n: int) -> str:
    """Decimal digits of any int, even past Python's int-to-str digit limit."""
    if n.bit_length() < 10_000:
        return str(n)
    sign, n = ("-", -n) if n < 0 else ("", n)
    chunk = 10 ** 1000
    parts = []
    while n:
        n, low = divmod(n, chunk)
        parts.append(low)
    text = str(parts[-1]) + "".join(f"{p:01000d}" for p in reversed(parts[:-1]))
    return sign + text
