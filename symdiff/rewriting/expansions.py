"""The expansion strategies' rule groups: rules that lengthen a formula, written in the
formula syntax, as the choice pass of the simplifier uses them (each group applied
throughout a subexpression, then normalised by the default groups, and kept where the
result is cheaper): angle sums, hyperbolic sums, logarithms of products, exponentials of
sums, the activations written with exp. None of them is among the default rules: on their
own they only ever lengthen. Parsed once, on first use.
"""
from __future__ import annotations

import functools

from ..core import exact
from ..core.nodes import Const, Mul
from .rule import Rule, parse_rules

#: The double angles are in ``_DOUBLE_ANGLES``: they need a condition no text says.
_ANGLE_SUM_RULES_TEXT = """
    sin-of-sum:        sin(a + b) -> sin(a)*cos(b) + cos(a)*sin(b)
    cos-of-sum:        cos(a + b) -> cos(a)*cos(b) - sin(a)*sin(b)
    tan-as-ratio:      tan(a) -> sin(a)/cos(a)
    cot-as-ratio:      cot(a) -> cos(a)/sin(a)
    sec-as-reciprocal: sec(a) -> 1/cos(a)
    csc-as-reciprocal: csc(a) -> 1/sin(a)
"""

_HYPERBOLIC_SUM_RULES_TEXT = """
    sinh-of-sum:        sinh(a + b) -> sinh(a)*cosh(b) + cosh(a)*sinh(b)
    cosh-of-sum:        cosh(a + b) -> cosh(a)*cosh(b) + sinh(a)*sinh(b)
    tanh-as-ratio:      tanh(a) -> sinh(a)/cosh(a)
    coth-as-ratio:      coth(a) -> cosh(a)/sinh(a)
    sech-as-reciprocal: sech(a) -> 1/cosh(a)
    csch-as-reciprocal: csch(a) -> 1/sinh(a)
"""

_LOG_EXPANSION_RULES_TEXT = """
    log-of-product:    log(a*b) -> log(a) + log(b) where a > 0, b > 0
    log-of-quotient:   log(a/b) -> log(a) - log(b) where a > 0, b > 0
    log-of-power:      log(a^b) -> b*log(a) where a > 0
    log-of-odd-power:  log(a^n) -> n*log(a) where n is odd
    log-of-even-power: log(a^n) -> n*log(abs(a)) where n is even
"""

_EXP_EXPANSION_RULES_TEXT = """
    exp-of-sum:        exp(a + b) -> exp(a)*exp(b)
"""

_SIGMOID_AS_EXP_RULES_TEXT = """
    sigmoid-as-exp:    sigmoid(a) -> 1/(1 + exp(-a))
    softplus-as-log:   softplus(a) -> log(1 + exp(a))
    tanh-as-exp:       tanh(a) -> (exp(a) - exp(-a))/(exp(a) + exp(-a))
    sinh-as-exp:       sinh(a) -> (exp(a) - exp(-a))/2
    cosh-as-exp:       cosh(a) -> (exp(a) + exp(-a))/2
"""


def _whole_half(bindings: dict) -> bool:
    """Whether ``a`` in a match of ``2*a`` has an integer coefficient: sin(4*x) is
    2*sin(2*x)*cos(2*x), but sin(3*x) and sin(x/2) are no double angles (``2*a`` matches
    them too, with a = 3*x/2 and x/4, and halving again and again would never end)."""
    half = bindings["a"]
    coefficient = half.args[0].value if type(half) is Mul and type(half.args[0]) is Const else 1
    return exact.is_integer(coefficient)


_DOUBLE_ANGLES = (
    ("sin-of-double", "sin(2*a)", "2*sin(a)*cos(a)", "angle-sums"),
    ("cos-of-double", "cos(2*a)", "cos(a)^2 - sin(a)^2", "angle-sums"),
    ("sinh-of-double", "sinh(2*a)", "2*sinh(a)*cosh(a)", "hyperbolic-sums"),
    ("cosh-of-double", "cosh(2*a)", "cosh(a)^2 + sinh(a)^2", "hyperbolic-sums"),
)

_TEXTS = {"ANGLE_SUM_RULES": _ANGLE_SUM_RULES_TEXT,
          "HYPERBOLIC_SUM_RULES": _HYPERBOLIC_SUM_RULES_TEXT,
          "LOG_EXPANSION_RULES": _LOG_EXPANSION_RULES_TEXT,
          "EXP_EXPANSION_RULES": _EXP_EXPANSION_RULES_TEXT,
          "SIGMOID_AS_EXP_RULES": _SIGMOID_AS_EXP_RULES_TEXT}


@functools.cache
def _parsed() -> dict[str, list[Rule]]:
    return {name: parse_rules(text, source=name) for name, text in _TEXTS.items()}


@functools.cache
def expansion_groups() -> dict[str, list]:
    """The expansion strategies' groups, by name: rules that lengthen a formula (angle sums,
    logarithms of products, exponentials of sums, the activations written with exp), which
    the choice pass applies throughout a subexpression and keeps where, normalised, the
    result is cheaper. Not among ``default_rules()``."""
    parsed = _parsed()
    doubles = {group: [Rule(name, lhs, rhs, where=_whole_half)
                       for name, lhs, rhs, where in _DOUBLE_ANGLES if where == group]
               for group in ("angle-sums", "hyperbolic-sums")}
    return {
        "angle-sums": [*parsed["ANGLE_SUM_RULES"][:2], *doubles["angle-sums"],
                       *parsed["ANGLE_SUM_RULES"][2:]],
        "hyperbolic-sums": [*parsed["HYPERBOLIC_SUM_RULES"][:2], *doubles["hyperbolic-sums"],
                            *parsed["HYPERBOLIC_SUM_RULES"][2:]],
        "log-expansion": parsed["LOG_EXPANSION_RULES"],
        "exp-expansion": parsed["EXP_EXPANSION_RULES"],
        "sigmoid-as-exp": parsed["SIGMOID_AS_EXP_RULES"],
    }


def __getattr__(name: str):
    """The groups written as rules, parsed on first use (PEP 562)."""
    if name in _TEXTS:
        return _parsed()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
