"""The simplifier's rules, as named data in groups, written in the formula syntax.

Each group is a list of ``Rule``s (and, where no pattern can say it, ``Transform``s). The
default simplifier composes them all; ``simplify(expr, rules=...)`` takes any selection.

Domain: real variables. A rewrite valid only on part of the domain carries a condition
(``log(a^b) -> b*log(a) where a > 0``); every default rule keeps the value wherever its left
side is defined (``log(a) + log(b) -> log(a*b)`` is fine: where the left side is defined, a
and b are positive). The cheap, always-true rewrites (``x + 0``, ``x*x -> x^2``, like terms,
``log(exp(a)) -> a``, ``exp(a)^n -> exp(n*a)``) happen when nodes are built, not here.

The groups written as rules are parsed once, on first use (``default_groups()``, or reading
``DEFAULT_GROUPS``, ``DEFAULT_RULES``, ``TRIG_RULES``... from this module): parsing them,
and building the formula grammar they are written in, takes a tenth of a second or more,
which importing symdiff, and a command that never simplifies, should not pay.
"""
from __future__ import annotations

import functools

from .algebra import absorb_sign, collect_common_factors, extract_roots, pull_content, size
from ..core.nodes import Add, Mul, Pow
from .polynomial import cancel, expand, together
from .rule import Rule, Transform, parse_rules

_IDENTITY_RULES_TEXT = """
    max-plus-min:      max(a, b) + min(a, b) -> a + b
    max-minus-min:     max(a, b) - min(a, b) -> abs(a - b)
    sign-times-abs:    sign(a)*abs(a) -> a
    times-sign:        a*sign(a) -> abs(a)
    relu-difference:   relu(a) - relu(-a) -> a
"""

_POWER_RULES_TEXT = """
    sqrt-of-even-power:  (a^m)^n -> abs(a)^(m*n) where m is even, n is number
    power-of-power:      (a^m)^n -> a^(m*n) where a >= 0
    abs-even-power:      abs(a)^n -> a^n where n is even
    abs-of-nonnegative:  abs(a) -> a where a >= 0
    abs-of-nonpositive:  abs(a) -> -a where a <= 0
    abs-product:         abs(a)*abs(b) -> abs(a*b)
    sqrt-product:        a^(1/2)*b^(1/2) -> (a*b)^(1/2)
"""

_EXP_LOG_RULES_TEXT = """
    exp-product:      exp(a)*exp(b) -> exp(a + b)
    exp-of-log:       exp(log(a)) -> a
    exp-of-log-times: exp(b*log(a)) -> a^b
    exp-plus-log:     exp(a + log(b)) -> b*exp(a)
    log-sum:          log(a) + log(b) -> log(a*b)
    log-difference:   log(a) - log(b) -> log(a/b)
    log-power:        log(a^b) -> b*log(a) where a > 0
    log-odd-power:    log(a^n) -> n*log(a) where n is odd
"""

_TRIG_RULES_TEXT = """
    pythagoras:         sin(a)^2 + cos(a)^2 -> 1
    one-minus-sin2:     1 - sin(a)^2 -> cos(a)^2
    one-minus-cos2:     1 - cos(a)^2 -> sin(a)^2
    tan-squared-plus-1: tan(a)^2 + 1 -> sec(a)^2
    cot-squared-plus-1: cot(a)^2 + 1 -> csc(a)^2
    double-angle-sin:   2*sin(a)*cos(a) -> sin(2*a)
    double-angle-cos:   cos(a)^2 - sin(a)^2 -> cos(2*a)
    sin-over-cos:       sin(a)/cos(a) -> tan(a)
    cos-over-sin:       cos(a)/sin(a) -> cot(a)
    sin-odd:            sin(-a) -> -sin(a)
    cos-even:           cos(-a) -> cos(a)
    tan-odd:            tan(-a) -> -tan(a)
    sin-asin:           sin(asin(a)) -> a
    cos-acos:           cos(acos(a)) -> a
    tan-atan:           tan(atan(a)) -> a
    cos-asin:           cos(asin(a)) -> sqrt(1 - a^2)
    sin-acos:           sin(acos(a)) -> sqrt(1 - a^2)
    asin-odd:           asin(-a) -> -asin(a)
    atan-odd:           atan(-a) -> -atan(a)
"""

_HYPERBOLIC_RULES_TEXT = """
    cosh2-minus-sinh2:    cosh(a)^2 - sinh(a)^2 -> 1
    one-plus-sinh2:       sinh(a)^2 + 1 -> cosh(a)^2
    cosh2-minus-one:      cosh(a)^2 - 1 -> sinh(a)^2
    double-angle-sinh:    2*sinh(a)*cosh(a) -> sinh(2*a)
    double-angle-cosh:    cosh(a)^2 + sinh(a)^2 -> cosh(2*a)
    sinh-over-cosh:       sinh(a)/cosh(a) -> tanh(a)
    exp-plus-exp-minus:   exp(a) + exp(-a) -> 2*cosh(a)
    exp-minus-exp-minus:  exp(a) - exp(-a) -> 2*sinh(a)
    sinh-odd:             sinh(-a) -> -sinh(a)
    cosh-even:            cosh(-a) -> cosh(a)
    tanh-odd:             tanh(-a) -> -tanh(a)
    sinh-asinh:           sinh(asinh(a)) -> a
    cosh-acosh:           cosh(acosh(a)) -> a
    tanh-atanh:           tanh(atanh(a)) -> a
    asinh-odd:            asinh(-a) -> -asinh(a)
    atanh-odd:            atanh(-a) -> -atanh(a)
"""

#: Exact numbers: perfect powers out of roots (sqrt(8) = 2*sqrt(2)).
NUMERIC_RULES = [
    Transform("extract-roots", extract_roots, (Pow,)),
]

#: Polynomial arithmetic is tried only on subexpressions up to this size (in operations):
#: multiplying out or cancelling anything larger rarely shortens it, and reading a huge
#: polynomial layer at every node of a deep formula would cost quadratic time.
POLYNOMIAL_SIZE_LIMIT = 400


def _on_small(function):
    def guarded(node):
        return function(node) if size(node) <= POLYNOMIAL_SIZE_LIMIT else None
    guarded.__name__ = function.__name__
    return guarded


#: Sums and quotients: common factors out, common denominators, polynomial gcds, and
#: expansion where it shortens. The simplifier keeps each of these only when the result
#: is shorter.
RATIONAL_RULES = [
    Transform("collect-common-factors", collect_common_factors, (Add,), keep="shorter"),
    Transform("pull-content", pull_content, (Mul,), keep="not longer"),
    Transform("absorb-sign", absorb_sign, (Mul,), keep="not longer"),
    Transform("cancel", _on_small(cancel), (Mul, Pow), keep="shorter"),
    Transform("together", _on_small(together), (Add,), keep="shorter"),
    Transform("expand", _on_small(expand), (Add, Mul, Pow), keep="shorter"),
]

#: The groups written as rules, by the name each is read by (parsed on first use).
_TEXTS = {"IDENTITY_RULES": _IDENTITY_RULES_TEXT, "POWER_RULES": _POWER_RULES_TEXT,
          "EXP_LOG_RULES": _EXP_LOG_RULES_TEXT, "TRIG_RULES": _TRIG_RULES_TEXT,
          "HYPERBOLIC_RULES": _HYPERBOLIC_RULES_TEXT}


@functools.cache
def _parsed() -> dict[str, list[Rule]]:
    return {name: parse_rules(text, source=name) for name, text in _TEXTS.items()}


@functools.cache
def default_groups() -> dict[str, list]:
    """The default simplifier's groups, in the order they are tried at each node (the rules
    are parsed on the first call; later calls return the same lists)."""
    parsed = _parsed()
    return {
        "identities": parsed["IDENTITY_RULES"],
        "numeric": NUMERIC_RULES,
        "powers": parsed["POWER_RULES"],
        "exp-log": parsed["EXP_LOG_RULES"],
        "trigonometric": parsed["TRIG_RULES"],
        "hyperbolic": parsed["HYPERBOLIC_RULES"],
        "rational": RATIONAL_RULES,
    }


@functools.cache
def default_rules() -> list:
    """Every rule of the default groups, in order."""
    return [rule for group in default_groups().values() for rule in group]


def __getattr__(name: str):
    """``DEFAULT_GROUPS``, ``DEFAULT_RULES`` and the groups written as rules, parsed on
    first use (PEP 562)."""
    if name == "DEFAULT_GROUPS":
        return default_groups()
    if name == "DEFAULT_RULES":
        return default_rules()
    if name in _TEXTS:
        return _parsed()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["IDENTITY_RULES", "POWER_RULES", "EXP_LOG_RULES", "TRIG_RULES", "HYPERBOLIC_RULES", "NUMERIC_RULES",
           "RATIONAL_RULES", "DEFAULT_GROUPS", "DEFAULT_RULES", "default_groups", "default_rules",
           "Rule", "Transform"]
