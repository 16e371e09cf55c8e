"""Bounded arithmetic on the numbers a constant node may hold.

Constants are Python ints, ``fractions.Fraction`` (exact) or floats (inexact). One budget
bounds every exact number: an int, or a fraction's numerator and denominator, of at most
``MAX_EXACT_BITS`` bits (at most 3,011 decimal digits). A power past it is left symbolic
(``2^(10^10)``: ``power`` declines with None and the caller keeps the expression); a sum or
product past it, which has no symbolic form inside a canonical sum or product, raises
``NumberRangeError``, as does float arithmetic that overflows, or underflows to 0 from
numbers that are not 0. Nothing here can run long or fill memory.
"""
from __future__ import annotations

import math
import numbers
from fractions import Fraction

from .errors import NumberRangeError

#: Largest exact number, in bits of an int or of a fraction's numerator and denominator.
MAX_EXACT_BITS = 10_000
#: Most decimal digits such a number can have (2^10000 has 3,011): the longest integer
#: literal the parser reads, so that every printed constant reads back.
MAX_LITERAL_DIGITS = len(str(2 ** MAX_EXACT_BITS))

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


def bits(value: Number) -> int:
    """The size the budget bounds: an int's bits, or the larger of a fraction's two parts'."""
    if type(value) is int:
        return value.bit_length()
    if isinstance(value, Fraction):
        return max(value.numerator.bit_length(), value.denominator.bit_length())
    return 0


def within_budget(value: Number) -> Number:
    """``value``, if it is a float or an exact number within the budget; else the error."""
    if bits(value) > MAX_EXACT_BITS:
        raise NumberRangeError(f"{describe(value)} is past symdiff's limit for exact numbers "
                               f"({MAX_EXACT_BITS:,} bits, at most {MAX_LITERAL_DIGITS:,} "
                               f"digits)")
    return value


def _digits(n: int) -> str:
    return f"{math.floor(abs(n).bit_length() * math.log10(2)) + 1:,}"


def describe(value: Number) -> str:
    """A short description of a number for messages, however large it is."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Fraction):
        if bits(value) < 200:
            return f"{value.numerator}/{value.denominator}"
        return (f"a fraction of about {_digits(value.numerator)} digits over about "
                f"{_digits(value.denominator)} digits")
    if value.bit_length() < 200:
        return str(value)
    return f"an integer of about {_digits(value)} digits"


def _to_float(value: Number) -> float:
    try:
        return float(value)
    except OverflowError:
        raise NumberRangeError(f"{describe(value)} is past the range of a float "
                               f"(about 1.8e308)") from None


def _float_result(result: float, a: Number, b: Number, op: str) -> float:
    """A float sum or product, unless it overflowed, or underflowed to 0 from non-zeros."""
    if not math.isfinite(result):
        raise NumberRangeError(f"{describe(a)} {op} {describe(b)} overflows a float "
                               f"(the largest is about 1.8e308)")
    if result == 0 and op == "*" and a != 0 and b != 0:
        raise NumberRangeError(f"{describe(a)} {op} {describe(b)} underflows a float to 0 "
                               f"(the smallest is about 5e-324)")
    return result


def add(a: Number, b: Number) -> Number:
    if type(a) is int and type(b) is int:
        result = a + b
        if -BOUND < result < BOUND:
            return result
        return within_budget(result)
    if isinstance(a, float) or isinstance(b, float):
        return _float_result(_to_float(a) + _to_float(b), a, b, "+")
    return within_budget(normalise(a + b))


def mul(a: Number, b: Number) -> Number:
    if type(a) is int and type(b) is int:
        result = a * b
        if -BOUND < result < BOUND:
            return result
        return within_budget(result)
    if isinstance(a, float) or isinstance(b, float):
        return _float_result(_to_float(a) * _to_float(b), a, b, "*")
    return within_budget(normalise(a * b))


#: Ints strictly between -BOUND and BOUND are within the budget (one comparison, no call).
BOUND = 1 << MAX_EXACT_BITS


def undefined_power(base: Number, exponent: Number) -> str | None:
    """Why ``base ^ exponent`` has no real value, or None when it has one: "zero" (a
    division by zero) or "negative" (a negative base with a non-integer exponent). The one
    rule behind both the constructor's refusal and the evaluator's errors."""
    if base == 0 and exponent < 0:
        return "zero"
    if base < 0 and not float(exponent).is_integer():
        return "negative"
    return None


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
        return result if math.isfinite(result) else None
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
