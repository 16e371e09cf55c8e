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

from .algebra import (absorb_sign, collect_common_factors, distribute_number, extract_roots,
                      pull_content, size)
from ..core.nodes import Add, Mul, Pow
from .polynomial import cancel, expand, together
from .expansions import expansion_groups
from .rule import Rule, Transform, parse_rules
from .trig_values import TRIG_VALUE_RULES

_IDENTITY_RULES_TEXT = """
    max-plus-min:      max(a, b) + min(a, b) -> a + b
    max-minus-min:     max(a, b) - min(a, b) -> abs(a - b)
    max-with-zero:     max(a, 0) -> relu(a)
    min-with-zero:     min(a, 0) -> -relu(-a)
    relu-sum:          relu(a) + relu(b) -> abs(a) where b == -a
    plus-abs:          a + abs(a) -> 2*relu(a)
    times-step:        a*step(a) -> relu(a)
    abs-of-negation:   abs(-a) -> abs(a)
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
    power-of-product:    (a*b)^n -> a^n*b^n where a >= 0, b >= 0
    power-of-odd-power:  (a^m)^n -> a^(m*n) where m is odd
    abs-of-power:        abs(a^n) -> abs(a)^n
    abs-over-self:       abs(a)/a -> sign(a)
    self-over-abs:       a/abs(a) -> sign(a)
    even-power-and-abs:  a^n*abs(a)^m -> abs(a)^(n + m) where n is even
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
    log-even-power:   log(a^n) -> n*log(abs(a)) where n is even
    log-product:      log(a*b) -> log(a) + log(b) where a > 0, b > 0
    log-quotient:     log(a/b) -> log(a) - log(b) where a > 0, b > 0
    log10-of-logs:    log(a)/log(10) -> log10(a)
    log2-of-logs:     log(a)/log(2) -> log2(a)
    exp-of-log1p:     exp(log1p(a)) -> 1 + a
    log1p-of-expm1:   log1p(expm1(a)) -> a
    expm1-of-log1p:   expm1(log1p(a)) -> a
    expm1-plus-one:   expm1(a) + 1 -> exp(a)
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
    sec2-minus-tan2:    sec(a)^2 - tan(a)^2 -> 1
    csc2-minus-cot2:    csc(a)^2 - cot(a)^2 -> 1
    tan-times-cos:      tan(a)*cos(a) -> sin(a)
    cot-times-sin:      cot(a)*sin(a) -> cos(a)
    sec-times-cos:      sec(a)*cos(a) -> 1
    csc-times-sin:      csc(a)*sin(a) -> 1
    tan-times-cot:      tan(a)*cot(a) -> 1
    cot-odd:            cot(-a) -> -cot(a)
    sec-even:           sec(-a) -> sec(a)
    csc-odd:            csc(-a) -> -csc(a)
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
    one-minus-tanh2:      1 - tanh(a)^2 -> sech(a)^2
    coth2-minus-one:      coth(a)^2 - 1 -> csch(a)^2
    sech2-plus-tanh2:     sech(a)^2 + tanh(a)^2 -> 1
    coth2-minus-csch2:    coth(a)^2 - csch(a)^2 -> 1
    cosh-over-sinh:       cosh(a)/sinh(a) -> coth(a)
    cosh-plus-sinh:       cosh(a) + sinh(a) -> exp(a)
    cosh-minus-sinh:      cosh(a) - sinh(a) -> exp(-a)
    tanh-times-cosh:      tanh(a)*cosh(a) -> sinh(a)
    sech-times-cosh:      sech(a)*cosh(a) -> 1
    csch-times-sinh:      csch(a)*sinh(a) -> 1
    tanh-times-coth:      tanh(a)*coth(a) -> 1
    coth-odd:             coth(-a) -> -coth(a)
    sech-even:            sech(-a) -> sech(a)
    csch-odd:             csch(-a) -> -csch(a)
    exp-over-difference-squared: exp(a)/(exp(a) - 1)^2 -> 1/(4*sinh(a/2)^2)
"""

#: What derivatives of atan, asin, acos... need to come back to textbook form. acot is
#: atan(1/a) with acot(0) = pi/2 (SymPy's branch, values in (-pi/2, pi/2]), so
#: atan(a) + acot(a) is pi/2 only for a >= 0, and acot is odd only away from 0.
_INVERSE_TRIG_RULES_TEXT = """
    asin-plus-acos:           asin(a) + acos(a) -> pi/2
    atan-plus-acot:           atan(a) + acot(a) -> pi/2 where a >= 0
    atan-plus-acot-negative:  atan(a) + acot(a) -> -pi/2 where a < 0
    asec-plus-acsc:           asec(a) + acsc(a) -> pi/2
    atan-of-reciprocal:       atan(1/a) -> acot(a)
    atan-of-reciprocal-positive: atan(1/a) -> pi/2 - atan(a) where a > 0
    atan-of-reciprocal-negative: atan(1/a) -> -pi/2 - atan(a) where a < 0
    acot-of-nonnegative:      acot(a) -> pi/2 - atan(a) where a >= 0
    acot-of-negative:         acot(a) -> -pi/2 - atan(a) where a < 0
    acos-of-negative:         acos(-a) -> pi - acos(a)
    acot-odd:                 acot(-a) -> -acot(a) where a != 0
    asec-of-negative:         asec(-a) -> pi - asec(a)
    acsc-odd:                 acsc(-a) -> -acsc(a)
    sin-atan:                 sin(atan(a)) -> a/sqrt(1 + a^2)
    cos-atan:                 cos(atan(a)) -> 1/sqrt(1 + a^2)
    sec-atan:                 sec(atan(a)) -> sqrt(1 + a^2)
    cot-atan:                 cot(atan(a)) -> 1/a
    tan-asin:                 tan(asin(a)) -> a/sqrt(1 - a^2)
    tan-acos:                 tan(acos(a)) -> sqrt(1 - a^2)/a
    tan-acot:                 tan(acot(a)) -> 1/a
    cot-acot:                 cot(acot(a)) -> a
    cos-acot:                 cos(acot(a)) -> abs(a)/sqrt(1 + a^2)
    sin-acot:                 sin(acot(a)) -> 1/sqrt(1 + a^2) where a >= 0
    sin-acot-negative:        sin(acot(a)) -> -1/sqrt(1 + a^2) where a < 0
    cos-asec:                 cos(asec(a)) -> 1/a
    sin-acsc:                 sin(acsc(a)) -> 1/a
    sec-asec:                 sec(asec(a)) -> a
    csc-acsc:                 csc(acsc(a)) -> a
    atan2-right-half:         atan2(y, x) -> atan(y/x) where x > 0
"""

_INVERSE_HYPERBOLIC_RULES_TEXT = """
    cosh-asinh:       cosh(asinh(a)) -> sqrt(1 + a^2)
    tanh-asinh:       tanh(asinh(a)) -> a/sqrt(1 + a^2)
    sinh-acosh:       sinh(acosh(a)) -> sqrt(a^2 - 1)
    tanh-acosh:       tanh(acosh(a)) -> sqrt(a^2 - 1)/a
    sinh-atanh:       sinh(atanh(a)) -> a/sqrt(1 - a^2)
    cosh-atanh:       cosh(atanh(a)) -> 1/sqrt(1 - a^2)
    exp-asinh:        exp(asinh(a)) -> a + sqrt(a^2 + 1)
    exp-acosh:        exp(acosh(a)) -> a + sqrt(a^2 - 1)
    exp-atanh:        exp(atanh(a)) -> sqrt((1 + a)/(1 - a))
    log-as-asinh:     log(a + sqrt(a^2 + 1)) -> asinh(a)
    log-as-acosh:     log(a + sqrt(a^2 - 1)) -> acosh(a)
"""

#: The logistic sigmoid, softplus and tanh as machine-learning derivatives produce them.
#: A pattern ``sigmoid(-a)`` only matches a negated argument (-z, -2*z), not the sum
#: -w*x - b, so rules that pair a with -a say ``b == -a`` instead; the constructors turn
#: 1/(1 + exp(-z)) into (exp(-z) + 1)^-1, and the simplifier rewrites that denominator
#: before the quotient around it, hence the forms with sigmoid(b) in them.
_ML_RULES_TEXT = """
    sigmoid-of-exp:          1/(1 + exp(-a)) -> sigmoid(a)
    sigmoid-of-exp-ratio:    exp(a)/(exp(a) + 1) -> sigmoid(a)
    sigmoid-of-reciprocal:   1/(exp(a) + 1) -> sigmoid(-a)
    sigmoid-complement:      1 - sigmoid(a) -> sigmoid(-a)
    sigmoid-pair:            sigmoid(a) + sigmoid(b) -> 1 where b == -a
    sigmoid-pair-times:      c*sigmoid(a) + c*sigmoid(b) -> c where b == -a
    exp-times-sigmoid:       exp(a)*sigmoid(b) -> sigmoid(a) where b == -a
    sigmoid-ratio:           sigmoid(a)/sigmoid(b) -> exp(a) where b == -a
    sigmoid-slope:           exp(a)/(exp(a) + 1)^2 -> sigmoid(a)*sigmoid(-a)
    sigmoid-slope-expanded:  sigmoid(a) - sigmoid(a)^2 -> sigmoid(a)*sigmoid(-a)
    softmax-of-two:          exp(a)/(exp(a) + exp(b)) -> sigmoid(a - b)
    softplus-of-exp:         log(1 + exp(a)) -> softplus(a)
    log1p-of-exp:            log1p(exp(a)) -> softplus(a)
    log-sigmoid:             log(sigmoid(a)) -> -softplus(-a)
    softplus-difference:     softplus(a) - softplus(b) -> a where b == -a
    softplus-minus-argument: softplus(a) - a -> softplus(-a)
    exp-softplus:            exp(softplus(a)) -> 1 + exp(a)
    exp-minus-softplus:      exp(-softplus(a)) -> sigmoid(-a)
    tanh-of-exps:            (exp(a) - exp(b))/(exp(a) + exp(b)) -> tanh((a - b)/2)
    tanh-of-exp:             (exp(a) - 1)/(exp(a) + 1) -> tanh(a/2)
    tanh-of-exp-sigmoid:     (exp(a) - 1)*sigmoid(b) -> tanh(a/2) where b == -a
    tanh-of-sigmoid-exp:     (1 - exp(a))*sigmoid(b) -> -tanh(a/2) where b == -a
    tanh-of-sigmoid:         2*sigmoid(a) - 1 -> tanh(a/2)
    sigmoid-of-tanh:         tanh(a)/2 + 1/2 -> sigmoid(2*a)
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
    Transform("distribute-number", distribute_number, (Mul,), keep="shorter"),
    Transform("cancel", _on_small(cancel), (Mul, Pow), keep="shorter"),
    Transform("together", _on_small(together), (Add,), keep="shorter"),
    Transform("expand", _on_small(expand), (Add, Mul, Pow), keep="shorter"),
]

#: The groups written as rules, by the name each is read by (parsed on first use).
_TEXTS = {"IDENTITY_RULES": _IDENTITY_RULES_TEXT, "POWER_RULES": _POWER_RULES_TEXT,
          "EXP_LOG_RULES": _EXP_LOG_RULES_TEXT, "TRIG_RULES": _TRIG_RULES_TEXT,
          "INVERSE_TRIG_RULES": _INVERSE_TRIG_RULES_TEXT,
          "HYPERBOLIC_RULES": _HYPERBOLIC_RULES_TEXT,
          "INVERSE_HYPERBOLIC_RULES": _INVERSE_HYPERBOLIC_RULES_TEXT, "ML_RULES": _ML_RULES_TEXT}


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
        "trig-values": TRIG_VALUE_RULES,
        "trigonometric": parsed["TRIG_RULES"],
        "inverse-trig": parsed["INVERSE_TRIG_RULES"],
        "hyperbolic": parsed["HYPERBOLIC_RULES"],
        "inverse-hyperbolic": parsed["INVERSE_HYPERBOLIC_RULES"],
        "ml": parsed["ML_RULES"],
        "rational": RATIONAL_RULES,
    }


@functools.cache
def default_rules() -> list:
    """Every rule of the default groups, in order."""
    return [rule for group in default_groups().values() for rule in group]


def __getattr__(name: str):
    """``DEFAULT_GROUPS``, ``DEFAULT_RULES``, ``EXPANSION_GROUPS`` and the groups written as
    rules, parsed on first use (PEP 562)."""
    if name == "DEFAULT_GROUPS":
        return default_groups()
    if name == "DEFAULT_RULES":
        return default_rules()
    if name == "EXPANSION_GROUPS":
        return expansion_groups()
    if name in _TEXTS:
        return _parsed()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [*_TEXTS, "NUMERIC_RULES", "RATIONAL_RULES", "TRIG_VALUE_RULES", "DEFAULT_GROUPS",
           "DEFAULT_RULES", "EXPANSION_GROUPS", "default_groups", "default_rules",
           "expansion_groups", "Rule", "Transform"]
