"""The simplifier's rule groups, one rule at a time: each rule applied alone throughout a
formula (``rewrite(parse(input), bottom_up(rule))``), so these tables do not depend on the
greedy or the choice pass; each group applied as a whole to the formulas people write
(``1/(1 + exp(-(w*x + b)))``); a soundness check of every rule at random points; the exact
trigonometric values against floats; and the conditions that must refuse."""
import math
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from symdiff import evaluate, parse
from symdiff.core.errors import EvaluationError, UndefinedError
from symdiff.core.functions import Acos, Acot, Acsc, Asec, Asin, Atan, Cos, Cot, Csc, Sec, Sin, Tan
from symdiff.core.nodes import PI, Mul, Var
from symdiff.core.walk import substitute, topological
from symdiff.rewriting import rulesets, trig_values
from symdiff.rewriting.rule import Rule, Transform, parse_rule
from symdiff.rewriting.rulesets import default_groups, default_rules, expansion_groups
from symdiff.rewriting.strategies import StopReason, bottom_up, rewrite, top_down

# rule | input | what bottom_up(rule) makes of it ("-": the rule does not fire)
RULE_TABLE = """
max-plus-min          | max(x, y) + min(x, y)              | x + y
max-minus-min         | max(x, y) - min(x, y)              | abs(x - y)
max-with-zero         | max(x*y, 0) + max(0, z)            | relu(x*y) + relu(z)
min-with-zero         | min(x, 0)                          | -relu(-x)
relu-sum              | relu(x) + relu(-x)                 | abs(-x)
relu-sum              | relu(w*x + b) + relu(-w*x - b)     | abs(-w*x - b)
relu-sum              | relu(x) + relu(y)                  | -
plus-abs              | x + abs(x)                         | 2*relu(x)
plus-abs              | y + 3*x + 3*abs(x)                 | y + 6*relu(x)
plus-abs              | x - abs(x)                         | -
times-step            | x*step(x)                          | relu(x)
times-step            | x*step(y)                          | -
abs-of-negation       | abs(-x) + abs(-2*y)                | abs(x) + abs(2*y)
sign-times-abs        | sign(x)*abs(x)                     | x
times-sign            | 2*x*sign(x)                        | 2*abs(x)
relu-difference       | relu(x) - relu(-x)                 | x
sqrt-of-even-power    | sqrt(x^2)                          | abs(x)
sqrt-of-even-power    | (x^4)^(1/3)                        | abs(x)^(4/3)
sqrt-of-even-power    | sqrt(x^3)                          | -
power-of-power        | sqrt((x^2 + 1)^3)                  | (x^2 + 1)^(3/2)
power-of-power        | sqrt(x^y)                          | -
abs-even-power        | abs(x)^4                           | x^4
abs-of-nonnegative    | abs(exp(x) + y^2)                  | exp(x) + y^2
abs-of-nonnegative    | abs(x)                             | -
abs-of-nonpositive    | abs(-x^2 - 1)                      | x^2 + 1
abs-product           | abs(x)*abs(y)                      | abs(x*y)
sqrt-product          | sqrt(x)*sqrt(y)                    | sqrt(x*y)
power-of-product      | sqrt(x^2*y^2)                      | sqrt(x^2)*sqrt(y^2)
power-of-product      | sqrt(4*exp(x))                     | 2*exp(x/2)
power-of-product      | (x^2*(y^2 + 1))^(1/3)              | (x^2)^(1/3)*(y^2 + 1)^(1/3)
power-of-product      | sqrt(x*y)                          | -
power-of-product      | sqrt(x^2*y)                        | -
power-of-odd-power    | sqrt(x^3)                          | x^(3/2)
power-of-odd-power    | sqrt(1/x)                          | 1/sqrt(x)
power-of-odd-power    | sqrt(x^2)                          | -
abs-of-power          | abs(x^3)                           | abs(x)^3
abs-of-power          | abs(x^y)                           | abs(x)^y
abs-over-self         | abs(x)/x                           | sign(x)
abs-over-self         | y*abs(x + 1)/(x + 1)               | y*sign(x + 1)
self-over-abs         | x/abs(x)                           | sign(x)
even-power-and-abs    | y^2/abs(y)                         | abs(y)
even-power-and-abs    | x^4*abs(x)^(1/2)                   | abs(x)^(9/2)
even-power-and-abs    | x^3/abs(x)                         | -
exp-product           | exp(x)*exp(y)                      | exp(x + y)
exp-of-log            | exp(log(x))                        | x
exp-of-log-times      | exp(y*log(x))                      | x^y
exp-plus-log          | exp(x + log(y))                    | y*exp(x)
log-sum               | log(x) + log(y)                    | log(x*y)
log-difference        | log(x) - log(y)                    | log(x/y)
log-power             | log((x^2 + 1)^y)                   | y*log(x^2 + 1)
log-power             | log(x^y)                           | -
log-odd-power         | log(x^3)                           | 3*log(x)
log-even-power        | log(x^2)                           | 2*log(abs(x))
log-even-power        | log((x - y)^4)                     | 4*log(abs(x - y))
log-product           | log(exp(x)*(y^2 + 1))              | x + log(y^2 + 1)
log-product           | log(2*exp(x))                      | x + log(2)
log-product           | log(x*y)                           | -
log-product           | log(x^2*exp(y))                    | -
log-quotient          | log(exp(x)/(y^2 + 1))              | x - log(y^2 + 1)
log-quotient          | log(x/y)                           | -
log10-of-logs         | log(x)/log(10)                     | log10(x)
log2-of-logs          | 3*log(x + 1)/log(2)                | 3*log2(x + 1)
exp-of-log1p          | exp(log1p(x))                      | x + 1
log1p-of-expm1        | log1p(expm1(x))                    | x
expm1-of-log1p        | expm1(log1p(x))                    | x
expm1-plus-one        | expm1(x) + 1                       | exp(x)
expm1-plus-one        | expm1(x) + 3                       | exp(x) + 2
pythagoras            | sin(x)^2 + cos(x)^2                | 1
one-minus-sin2        | 1 - sin(x)^2                       | cos(x)^2
one-minus-cos2        | 1 - cos(x)^2                       | sin(x)^2
tan-squared-plus-1    | tan(x)^2 + 1                       | sec(x)^2
cot-squared-plus-1    | cot(x)^2 + 1                       | csc(x)^2
double-angle-sin      | 2*sin(x)*cos(x)                    | sin(2*x)
double-angle-cos      | cos(x)^2 - sin(x)^2                | cos(2*x)
sin-over-cos          | sin(x)/cos(x)                      | tan(x)
cos-over-sin          | cos(x)/sin(x)                      | cot(x)
sin-odd               | sin(-x)                            | -sin(x)
cos-even              | cos(-x)                            | cos(x)
tan-odd               | tan(-x)                            | -tan(x)
sin-asin              | sin(asin(x))                       | x
cos-acos              | cos(acos(x))                       | x
tan-atan              | tan(atan(x))                       | x
cos-asin              | cos(asin(x))                       | sqrt(1 - x^2)
sin-acos              | sin(acos(x))                       | sqrt(1 - x^2)
asin-odd              | asin(-x)                           | -asin(x)
atan-odd              | atan(-x)                           | -atan(x)
sec2-minus-tan2       | sec(x)^2 - tan(x)^2                | 1
csc2-minus-cot2       | csc(x)^2 - cot(x)^2 + y            | y + 1
tan-times-cos         | 3*y*tan(x)*cos(x)                  | 3*y*sin(x)
cot-times-sin         | cot(x)*sin(x)                      | cos(x)
sec-times-cos         | sec(x)*cos(x)                      | 1
csc-times-sin         | csc(x)*sin(x)*y                    | y
tan-times-cot         | tan(x)*cot(x)                      | 1
cot-odd               | cot(-x)                            | -cot(x)
sec-even              | sec(-x)                            | sec(x)
csc-odd               | csc(-x)                            | -csc(x)
asin-plus-acos        | asin(x) + acos(x)                  | pi/2
asin-plus-acos        | asin(x) + acos(y)                  | -
atan-plus-acot        | atan(x^2) + acot(x^2)              | pi/2
atan-plus-acot        | atan(x) + acot(x)                  | -
atan-plus-acot-negative | atan(-exp(x)) + acot(-exp(x))    | -pi/2
atan-plus-acot-negative | atan(x) + acot(x)                | -
asec-plus-acsc        | asec(x) + acsc(x)                  | pi/2
atan-of-reciprocal    | atan(1/x)                          | acot(x)
atan-of-reciprocal-positive | atan(1/(x^2 + 1))            | pi/2 - atan(x^2 + 1)
atan-of-reciprocal-positive | atan(1/x)                    | -
atan-of-reciprocal-negative | atan(1/(-x^2 - 1))           | -atan(-x^2 - 1) - pi/2
atan-of-reciprocal-negative | atan(1/x)                    | -
acot-of-nonnegative   | acot(x^2)                          | pi/2 - atan(x^2)
acot-of-nonnegative   | acot(x)                            | -
acot-of-negative      | acot(-exp(x))                      | -atan(-exp(x)) - pi/2
acos-of-negative      | acos(-x)                           | pi - acos(x)
acot-odd              | acot(-exp(x))                      | -acot(exp(x))
acot-odd              | acot(-x)                           | -
asec-of-negative      | asec(-x)                           | pi - asec(x)
acsc-odd              | acsc(-x)                           | -acsc(x)
sin-atan              | sin(atan(x))                       | x/sqrt(x^2 + 1)
cos-atan              | cos(atan(x))                       | 1/sqrt(x^2 + 1)
sec-atan              | sec(atan(x))                       | sqrt(x^2 + 1)
cot-atan              | cot(atan(x))                       | 1/x
tan-asin              | tan(asin(x))                       | x/sqrt(1 - x^2)
tan-acos              | tan(acos(x))                       | sqrt(1 - x^2)/x
tan-acot              | tan(acot(x))                       | 1/x
cot-acot              | cot(acot(x))                       | x
cos-acot              | cos(acot(x))                       | abs(x)/sqrt(x^2 + 1)
sin-acot              | sin(acot(x^2))                     | 1/sqrt(x^4 + 1)
sin-acot              | sin(acot(x))                       | -
sin-acot-negative     | sin(acot(-exp(x)))                 | -1/sqrt(exp(2*x) + 1)
sin-acot-negative     | sin(acot(x))                       | -
cos-asec              | cos(asec(x))                       | 1/x
sin-acsc              | sin(acsc(x))                       | 1/x
sec-asec              | sec(asec(x))                       | x
csc-acsc              | csc(acsc(x))                       | x
atan2-right-half      | atan2(y, exp(x))                   | atan(y*exp(-x))
atan2-right-half      | atan2(y, x)                        | -
cosh2-minus-sinh2     | cosh(x)^2 - sinh(x)^2              | 1
exp-over-difference-squared | exp(x)/(exp(x) - 1)^2     | 1/(4*sinh(x/2)^2)
one-plus-sinh2        | sinh(x)^2 + 1                      | cosh(x)^2
cosh2-minus-one       | cosh(x)^2 - 1                      | sinh(x)^2
double-angle-sinh     | 2*sinh(x)*cosh(x)                  | sinh(2*x)
double-angle-cosh     | cosh(x)^2 + sinh(x)^2              | cosh(2*x)
sinh-over-cosh        | sinh(x)/cosh(x)                    | tanh(x)
exp-plus-exp-minus    | exp(x) + exp(-x)                   | 2*cosh(x)
exp-minus-exp-minus   | exp(x) - exp(-x)                   | 2*sinh(x)
sinh-odd              | sinh(-x)                           | -sinh(x)
cosh-even             | cosh(-x)                           | cosh(x)
tanh-odd              | tanh(-x)                           | -tanh(x)
sinh-asinh            | sinh(asinh(x))                     | x
cosh-acosh            | cosh(acosh(x))                     | x
tanh-atanh            | tanh(atanh(x))                     | x
asinh-odd             | asinh(-x)                          | -asinh(x)
atanh-odd             | atanh(-x)                          | -atanh(x)
one-minus-tanh2       | 1 - tanh(x)^2                      | sech(x)^2
one-minus-tanh2       | 2 - 2*tanh(w*x + b)^2              | 2*sech(w*x + b)^2
coth2-minus-one       | coth(x)^2 - 1                      | csch(x)^2
sech2-plus-tanh2      | sech(x)^2 + tanh(x)^2              | 1
coth2-minus-csch2     | coth(x)^2 - csch(x)^2              | 1
cosh-over-sinh        | cosh(x)/sinh(x)                    | coth(x)
cosh-plus-sinh        | cosh(x) + sinh(x)                  | exp(x)
cosh-minus-sinh       | cosh(x) - sinh(x)                  | exp(-x)
tanh-times-cosh       | tanh(x)*cosh(x)                    | sinh(x)
sech-times-cosh       | sech(x)*cosh(x)                    | 1
csch-times-sinh       | csch(x)*sinh(x)                    | 1
tanh-times-coth       | tanh(x)*coth(x)                    | 1
coth-odd              | coth(-x)                           | -coth(x)
sech-even             | sech(-x)                           | sech(x)
csch-odd              | csch(-x)                           | -csch(x)
cosh-asinh            | cosh(asinh(x))                     | sqrt(x^2 + 1)
tanh-asinh            | tanh(asinh(x))                     | x/sqrt(x^2 + 1)
sinh-acosh            | sinh(acosh(x))                     | sqrt(x^2 - 1)
tanh-acosh            | tanh(acosh(x))                     | sqrt(x^2 - 1)/x
sinh-atanh            | sinh(atanh(x))                     | x/sqrt(1 - x^2)
cosh-atanh            | cosh(atanh(x))                     | 1/sqrt(1 - x^2)
exp-asinh             | exp(asinh(x))                      | x + sqrt(x^2 + 1)
exp-acosh             | exp(acosh(x))                      | x + sqrt(x^2 - 1)
exp-atanh             | exp(atanh(x))                      | sqrt((x + 1)/(1 - x))
log-as-asinh          | log(x + sqrt(x^2 + 1))             | asinh(x)
log-as-acosh          | log(x + sqrt(x^2 - 1))             | acosh(x)
log-as-acosh          | log(x + sqrt(x^2 + 1))             | -
sigmoid-of-exp        | 1/(1 + exp(-z))                    | sigmoid(z)
sigmoid-of-exp        | 1/(1 + exp(z))                     | -
sigmoid-of-exp-ratio  | exp(z)/(exp(z) + 1)                | sigmoid(z)
sigmoid-of-exp-ratio  | exp(z)/(exp(y) + 1)                | -
sigmoid-of-reciprocal | 1/(1 + exp(-(w*x + b)))            | sigmoid(w*x + b)
sigmoid-of-reciprocal | 1/(exp(z) + 1)                     | sigmoid(-z)
sigmoid-of-reciprocal | 1/(exp(z) + 2)                     | -
sigmoid-complement    | 1 - sigmoid(z)                     | sigmoid(-z)
sigmoid-complement    | 3 - sigmoid(w*x + b)               | sigmoid(-w*x - b) + 2
sigmoid-complement    | sigmoid(z) - 1                     | -sigmoid(-z)
sigmoid-complement    | sigmoid(z) + 1                     | -
sigmoid-pair          | sigmoid(z) + sigmoid(-z)           | 1
sigmoid-pair          | sigmoid(w*x + b) + sigmoid(-w*x - b) | 1
sigmoid-pair          | sigmoid(x) + sigmoid(y)            | -
sigmoid-pair-times    | y*sigmoid(z) + y*sigmoid(-z)       | y
sigmoid-pair-times    | sigmoid(z) - y*sigmoid(z) - y*sigmoid(-z) | sigmoid(z) - y
exp-times-sigmoid     | exp(z)*sigmoid(-z)                 | sigmoid(z)
exp-times-sigmoid     | x*exp(w*x + b)*sigmoid(-w*x - b)   | x*sigmoid(w*x + b)
exp-times-sigmoid     | exp(z)*sigmoid(z)                  | -
sigmoid-ratio         | sigmoid(z)/sigmoid(-z)             | exp(z)
sigmoid-slope         | exp(-z)/(1 + exp(-z))^2            | sigmoid(z)*sigmoid(-z)
sigmoid-slope-expanded | sigmoid(z) - sigmoid(z)^2         | sigmoid(z)*sigmoid(-z)
softmax-of-two        | exp(x)/(exp(x) + exp(y))           | sigmoid(x - y)
softplus-of-exp       | log(1 + exp(z))                    | softplus(z)
softplus-of-exp       | log(1 + exp(-w*x))                 | softplus(-w*x)
log1p-of-exp          | log1p(exp(z))                      | softplus(z)
log-sigmoid           | log(sigmoid(z))                    | -softplus(-z)
softplus-difference   | softplus(z) - softplus(-z)         | z
softplus-difference   | softplus(w*x + b) - softplus(-w*x - b) | w*x + b
softplus-difference   | softplus(x) - softplus(y)          | -
softplus-minus-argument | softplus(z) - z                  | softplus(-z)
exp-softplus          | exp(softplus(z))                   | exp(z) + 1
exp-minus-softplus    | exp(-softplus(z))                  | sigmoid(-z)
tanh-of-exps          | (exp(z) - exp(-z))/(exp(z) + exp(-z)) | tanh(z)
tanh-of-exps          | (exp(x) - exp(y))/(exp(x) + exp(y)) | tanh((x - y)/2)
tanh-of-exp           | (exp(z) - 1)/(exp(z) + 1)          | tanh(z/2)
tanh-of-exp-sigmoid   | (exp(2*z) - 1)*sigmoid(-2*z)       | tanh(z)
tanh-of-sigmoid-exp   | (1 - exp(-2*z))*sigmoid(2*z)       | -tanh(-z)
tanh-of-sigmoid       | 2*sigmoid(2*z) - 1                 | tanh(z)
tanh-of-sigmoid       | 1 - 2*sigmoid(z)                   | -tanh(z/2)
sigmoid-of-tanh       | tanh(z)/2 + 1/2                    | sigmoid(2*z)
sin-of-sum            | sin(x + y)                         | cos(x)*sin(y) + cos(y)*sin(x)
cos-of-sum            | cos(x + y)                         | cos(x)*cos(y) - sin(x)*sin(y)
sin-of-double         | sin(2*x)                           | 2*cos(x)*sin(x)
sin-of-double         | sin(4*x*y)                         | 4*cos(x*y)*cos(2*x*y)*sin(x*y)
sin-of-double         | sin(3*x) + sin(x/2)                | -
cos-of-double         | cos(2*x)                           | cos(x)^2 - sin(x)^2
tan-as-ratio          | tan(x)                             | sin(x)/cos(x)
cot-as-ratio          | cot(x)                             | cos(x)/sin(x)
sec-as-reciprocal     | sec(x)                             | 1/cos(x)
csc-as-reciprocal     | csc(x)                             | 1/sin(x)
sinh-of-sum           | sinh(x + y)                        | cosh(x)*sinh(y) + cosh(y)*sinh(x)
cosh-of-sum           | cosh(x + y)                        | cosh(x)*cosh(y) + sinh(x)*sinh(y)
sinh-of-double        | sinh(2*x)                          | 2*cosh(x)*sinh(x)
cosh-of-double        | cosh(2*x)                          | cosh(x)^2 + sinh(x)^2
cosh-of-double        | cosh(x/2)                          | -
tanh-as-ratio         | tanh(x)                            | sinh(x)/cosh(x)
coth-as-ratio         | coth(x)                            | cosh(x)/sinh(x)
sech-as-reciprocal    | sech(x)                            | 1/cosh(x)
csch-as-reciprocal    | csch(x)                            | 1/sinh(x)
log-of-product        | log(exp(x)*(y^2 + 1))              | x + log(y^2 + 1)
log-of-product        | log(x*y)                           | -
log-of-quotient       | log((x^2 + 1)/(y^2 + 1))           | log(x^2 + 1) - log(y^2 + 1)
log-of-quotient       | log(x/y)                           | -
log-of-power          | log((x^2 + 1)^y)                   | y*log(x^2 + 1)
log-of-odd-power      | log(x^3)                           | 3*log(x)
log-of-even-power     | log(x^2)                           | 2*log(abs(x))
exp-of-sum            | exp(x + y)                         | exp(x)*exp(y)
exp-of-sum            | exp(x + y + z)                     | exp(x)*exp(y)*exp(z)
sigmoid-as-exp        | sigmoid(x)                         | 1/(1 + exp(-x))
softplus-as-log       | softplus(x)                        | log(1 + exp(x))
tanh-as-exp           | tanh(x)                            | (exp(x) - exp(-x))/(exp(x) + exp(-x))
sinh-as-exp           | sinh(x)                            | (exp(x) - exp(-x))/2
cosh-as-exp           | cosh(x)                            | (exp(x) + exp(-x))/2
"""


def _table(text):
    """The lines of a table, split at '|'; a line that starts with spaces continues the
    last cell of the line before it."""
    rows = []
    for line in text.strip().splitlines():
        if line.startswith(" ") and rows:
            rows[-1][-1] += " " + line.strip()
        else:
            rows.append([part.strip() for part in line.split("|")])
    return [tuple(row) for row in rows]


def _every_rule():
    """Every pattern rule of the default and the expansion groups, by name."""
    rules = {}
    for group in (*default_groups().values(), *expansion_groups().values()):
        for rule in group:
            if isinstance(rule, Rule):
                rules[rule.name] = rule
    return rules


@pytest.mark.parametrize("name, given, expected", _table(RULE_TABLE))
def test_each_rule_applied_alone(name, given, expected):
    result = rewrite(parse(given), bottom_up(_every_rule()[name]))
    assert result.stop_reason == StopReason.SATURATED
    assert result.expr is (parse(given) if expected == "-" else parse(expected)), str(result.expr)


def test_every_rule_has_a_table_line_that_fires():
    fired = {name for name, _, expected in _table(RULE_TABLE) if expected != "-"}
    assert sorted(set(_every_rule()) - fired) == []
    assert set(name for name, _, _ in _table(RULE_TABLE)) <= set(_every_rule())


# group | input | what the whole group makes of it, bottom-up (the expansion groups: top-down)
GROUP_TABLE = """
ml          | 1/(1 + exp(-(w*x + b)))                  | sigmoid(w*x + b)
ml          | exp(z)/(1 + exp(z))                      | sigmoid(z)
ml          | 1 - 1/(exp(z) + 1)                       | sigmoid(z)
ml          | exp(w*x + b)/(1 + exp(w*x + b))          | sigmoid(w*x + b)
ml          | sigmoid(z)*(1 - sigmoid(z))              | sigmoid(z)*sigmoid(-z)
ml          | log(1 - sigmoid(z))                      | -softplus(z)
ml          | log(1 - 1/(1 + exp(-z)))                 | -softplus(z)
ml          | (exp(2*z) - 1)/(exp(2*z) + 1)            | tanh(z)
ml          | exp(z)/(exp(z) + exp(y))                 | sigmoid(z - y)
ml          | 2*sigmoid(2*(w*x + b)) - 1               | tanh(w*x + b)
hyperbolic  | 1 - tanh(z)^2 + sinh(-z)                 | sech(z)^2 - sinh(z)
powers      | sqrt(x*y)                                | sqrt(x*y)
powers      | sqrt(4*x^2)                              | 2*abs(x)
identities  | relu(x) + relu(-x)                       | abs(x)
angle-sums  | sin(x + y + z)                           | cos(x)*(cos(y)*sin(z) + cos(z)*sin(y))
                                                       + sin(x)*(cos(y)*cos(z) - sin(y)*sin(z))
angle-sums  | tan(x + y)                               | (cos(x)*sin(y) + cos(y)*sin(x))
                                                       /(cos(x)*cos(y) - sin(x)*sin(y))
angle-sums  | sin(4*x)                                 | 4*cos(x)*sin(x)*(cos(x)^2 - sin(x)^2)
hyperbolic-sums | cosh(x - y)                          | cosh(x)*cosh(-y) + sinh(x)*sinh(-y)
log-expansion | log(exp(x)*(y^2 + 1)/(z^2 + 1))        | x + log(y^2 + 1) - log(z^2 + 1)
sigmoid-as-exp | sigmoid(tanh(x))                      | 1/(1 + exp(-(exp(x) - exp(-x))
                                                       /(exp(x) + exp(-x))))
"""


@pytest.mark.parametrize("group, given, expected", _table(GROUP_TABLE))
def test_each_group_on_the_formulas_people_write(group, given, expected):
    expansions = expansion_groups()
    rules = expansions[group] if group in expansions else default_groups()[group]
    strategy = top_down(*rules) if group in expansions else bottom_up(*rules)
    result = rewrite(parse(given), strategy)
    assert result.stop_reason == StopReason.SATURATED
    assert result.expr is parse(expected), str(result.expr)


def test_sqrt_of_squares_reaches_abs_step_by_step():
    rules = _every_rule()
    split = rules["power-of-product"].apply(parse("sqrt(x^2*y^2)"))
    assert split is parse("sqrt(x^2)*sqrt(y^2)")
    roots = [rules["sqrt-of-even-power"].apply(factor) for factor in split.args]
    assert roots == [parse("abs(x)"), parse("abs(y)")]
    assert rules["abs-product"].apply(Mul(*roots)) is parse("abs(x*y)")
    chain = [rules[name] for name in ("power-of-product", "sqrt-of-even-power", "abs-product")]
    assert rewrite(parse("sqrt(x^2*y^2)"), bottom_up(*chain)).expr is parse("abs(x*y)")


# condition => what it must refuse (the rule, an instance where the condition is unknown)
REFUSALS = """
power-of-product      | sqrt(x*y)
power-of-product      | (x*y)^(1/3)
power-of-power        | sqrt(x^y)
log-product           | log(x*y)
log-product           | log(-2*exp(x))
log-quotient          | log(x/(y^2 + 1))
log-of-product        | log((x - 1)*exp(y))
atan-plus-acot        | atan(x - 1) + acot(x - 1)
acot-odd              | acot(-x^2)
sin-acot              | sin(acot(x - 1))
atan2-right-half      | atan2(y, -exp(x))
sigmoid-pair          | sigmoid(x) + sigmoid(x)
softplus-difference   | softplus(x) - softplus(x + 1)
"""


@pytest.mark.parametrize("name, given", _table(REFUSALS))
def test_conditions_refuse_what_they_cannot_vouch_for(name, given):
    assert _every_rule()[name].apply(parse(given)) is None


def test_a_condition_can_say_two_formulas_are_equal():
    negated = parse_rule("odd-pair: sinh(a) + sinh(b) -> 0 where b == -a")
    assert negated.apply(parse("sinh(x - y) + sinh(y - x) + 1")) is parse("1")
    assert negated.apply(parse("sinh(x - y) + sinh(x + y)")) is None
    same = parse_rule("same: atan(a) - atan(b) -> 0 where a == b")
    assert same.apply(parse("atan(x) - atan(y)")) is None


# Soundness: every rule, at random instances of its left side, agrees with its right side
# at random points where the left side is defined.
GENERAL = ["u", "-u", "v", "u + v", "-u - v", "2*u", "u/3", "exp(u)", "-exp(u)", "u^2 + 1",
           "-u^2 - 1", "u^2", "sin(u)", "u*v", "1/2", "3", "-2", "sqrt(u)", "log(u)",
           "exp(-u)", "u - 1", "u^3", "cosh(u)", "sigmoid(v)"]
NUMBERS = ["2", "3", "-1", "1/2", "1/3", "-2", "4", "3/2", "-1/2", "5", "-3"]
POINTS = [0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 0.25, -0.75, 1.5]


def _instances(rule: Rule, count: int, seed: str):
    """Random substitutions of the rule's pattern variables (numbers for m and n, a
    formula in u and v for the others; now and then the negation or a copy of an earlier
    variable's value, so that conditions such as b == -a come true)."""
    chooser = random.Random(seed)
    names = sorted({v for v in _pattern_variables(rule.lhs)}, key=lambda v: v.name)
    for _ in range(count):
        mapping = {}
        for var in names:
            earlier = list(mapping.values())
            if var.name in ("m", "n"):
                mapping[var] = parse(chooser.choice(NUMBERS))
            elif earlier and chooser.random() < 0.35:
                pick = chooser.choice(earlier)
                mapping[var] = Mul(-1, pick) if chooser.random() < 0.6 else pick
            else:
                mapping[var] = parse(chooser.choice(GENERAL))
        yield mapping


def _pattern_variables(expr):
    return [node for node in topological(expr) if type(node) is Var]


#: Past this a float value is taken for a pole (tan(acos(0)) is 1.6e16 in floats).
POLE = 1e12


def _value(expr, point):
    try:
        value = evaluate(expr, point)
    except EvaluationError:
        return None
    return value if math.isfinite(value) and abs(value) < POLE else None


def _close(left: float, right: float, before, point) -> bool:
    """Equal up to rounding: relative to the largest value inside ``before`` at the point
    (coth(u)^2 - csch(u)^2 near u = 0 is two numbers of 10^7 cancelling to 1)."""
    if math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-9):
        return True
    inside = [abs(v) for v in (_value(node, point) for node in topological(before)) if v]
    return abs(left - right) <= 1e-9 * max([1.0, *inside])


def _check_sound(rule: Rule, instances: int = 100) -> tuple[int, int]:
    """(instances where the rule fired, points compared); fails at the first disagreement."""
    fired = compared = 0
    chooser = random.Random(rule.name)
    points = [{"u": u, "v": v} for u in POINTS for v in POINTS[:2]]
    points += [{"u": chooser.uniform(-2, 2), "v": chooser.uniform(-2, 2)} for _ in range(12)]
    for mapping in _instances(rule, instances, rule.name):
        try:
            before = substitute(rule.lhs, mapping)
        except (ArithmeticError, ValueError):
            continue
        after = rule.apply(before)
        if after is None:
            continue
        fired += 1
        for point in points:
            left = _value(before, point)
            if left is None:
                continue
            right = _value(after, point)
            assert right is not None and _close(left, right, before, point), (
                f"{rule.name}: {before} = {left} but {after} = {right} at {point}")
            compared += 1
    return fired, compared


@pytest.mark.parametrize("name", sorted(_every_rule()))
def test_every_rule_keeps_the_value_where_its_left_side_is_defined(name):
    fired, compared = _check_sound(_every_rule()[name])
    assert fired and compared, f"no random instance of {name} fired and was defined"


def test_the_soundness_check_catches_a_wrong_rule():
    wrong = parse_rule("wrong-acot-odd: acot(-a) -> -acot(a)")          # false at a = 0
    with pytest.raises(AssertionError, match="wrong-acot-odd"):
        _check_sound(wrong)
    wrong = parse_rule("wrong-sum: atan(a) + acot(a) -> pi/2")         # false for a < 0
    with pytest.raises(AssertionError, match="wrong-sum"):
        _check_sound(wrong)


# Exact trigonometric values: input => the printed result of the trig-values group
VALUES = """
sin(pi/6)        | 1/2
cos(pi/3)        | 1/2
sin(pi/4)        | sqrt(2)/2
cos(5*pi/4)      | -sqrt(2)/2
tan(pi/3)        | sqrt(3)
tan(-pi/3)       | -sqrt(3)
tan(pi/6)        | sqrt(3)/3
cot(pi/4)        | 1
cot(pi/6)        | sqrt(3)
sec(pi/3)        | 2
sec(2*pi/3)      | -2
csc(pi/4)        | sqrt(2)
csc(7*pi/6)      | -2
sin(pi)          | 0
cos(pi)          | -1
sin(3*pi/2)      | -1
cos(2*pi)        | 1
sin(25*pi/6)     | 1/2
sin(pi/12)       | (sqrt(6) - sqrt(2))/4
cos(pi/12)       | (sqrt(2) + sqrt(6))/4
tan(pi/12)       | 2 - sqrt(3)
tan(5*pi/12)     | sqrt(3) + 2
cos(pi/5)        | (sqrt(5) + 1)/4
sin(pi/10)       | (sqrt(5) - 1)/4
sin(pi/8)        | sqrt(2 - sqrt(2))/2
tan(pi/8)        | sqrt(2) - 1
sin(pi/5)        | sqrt(10 - 2*sqrt(5))/4
tan(pi/2)        | tan(pi/2)
tan(3*pi/2)      | tan(3*pi/2)
cot(pi)          | cot(pi)
sec(pi/2)        | sec(pi/2)
csc(2*pi)        | csc(2*pi)
sin(8*pi/7)      | -sin(pi/7)
cos(-pi/7)       | cos(pi/7)
cos(6*pi/7)      | -cos(pi/7)
asin(1/2)        | pi/6
asin(-sqrt(3)/2) | -pi/3
asin(1/sqrt(2))  | pi/4
acos(-1/2)       | 2*pi/3
acos(0)          | pi/2
atan(1)          | pi/4
atan(sqrt(3))    | pi/3
atan(1/sqrt(3))  | pi/6
atan(-1)         | -pi/4
atan(2 - sqrt(3)) | pi/12
acot(1)          | pi/4
acot(-1)         | -pi/4
acot(0)          | pi/2
acot(sqrt(3))    | pi/6
asec(2)          | pi/3
asec(-2)         | 2*pi/3
acsc(2)          | pi/6
asin(1/3)        | asin(1/3)
cos(x + pi/2)    | -sin(x)
sin(x + pi)      | -sin(x)
sin(x - pi/2)    | -cos(x)
cos(pi/2 - x)    | sin(x)
sin(pi - x)      | sin(x)
cos(pi - x - y)  | -cos(x + y)
tan(x + pi/2)    | -cot(x)
tan(x + pi)      | tan(x)
cot(x + 3*pi/2)  | -tan(x)
sec(x + pi)      | -sec(x)
csc(x + pi/2)    | sec(x)
sin(x + 2*pi)    | sin(x)
sin(x + 7*pi/6)  | -sin(x + pi/6)
cos(x + pi/3)    | cos(x + pi/3)
sin(x + y*pi)    | sin(pi*y + x)
"""


def _unconditional(transforms):
    """The group's transforms with no length check: every value, even a longer one."""
    return [Transform(t.name, t.function, t.heads) for t in transforms]


@pytest.mark.parametrize("given, expected", _table(VALUES))
def test_exact_trigonometric_values_and_shifts(given, expected):
    result = rewrite(parse(given), bottom_up(*_unconditional(trig_values.TRIG_VALUE_RULES))).expr
    assert str(result) == expected
    point = {"x": 0.3, "y": 0.7}
    assert math.isclose(evaluate(result, point), evaluate(parse(given), point),
                        rel_tol=1e-12, abs_tol=1e-12)


# the default group keeps a value only where it is not longer (simplifying never lengthens)
KEPT = """
sin(pi/6) + cos(x + pi/2)   | 1/2 - sin(x)
tan(pi/3)*x                 | sqrt(3)*x
asin(1/2) + atan(sqrt(3))   | pi/6 + pi/3
sin(pi/5)                   | sin(pi/5)
atan(1)                     | atan(1)
"""


@pytest.mark.parametrize("given, expected", _table(KEPT))
def test_the_default_group_keeps_values_that_are_not_longer(given, expected):
    result = rewrite(parse(given), bottom_up(*default_groups()["trig-values"])).expr
    assert result is parse(expected)


FUNCTIONS = (Sin, Cos, Tan, Cot, Sec, Csc)


@given(st.sampled_from(FUNCTIONS), st.sampled_from([1, 2, 3, 4, 5, 6, 7, 8, 10, 12]),
       st.integers(-30, 30))
@settings(max_examples=400, deadline=None)
def test_every_exact_value_is_the_float_value(function, denominator, numerator):
    angle = Fraction(numerator, denominator)
    try:
        node = function(Mul(angle, PI))
    except UndefinedError:
        return                            # cot(0) and csc(0) are refused when built
    if not isinstance(node, function):
        return                            # sin(0) and cos(0) are numbers already
    value = trig_values.exact_value(node)
    true = math.tan(math.pi * angle) if function is Tan else None
    undefined = _value(node, {}) is None or (true is not None and abs(true) > 1e15)
    _, u = trig_values.reduce_angle(function, angle)
    pole = (function in (Tan, Sec) and u == Fraction(1, 2)) or (
        function in (Cot, Csc) and u == 0)
    if pole:
        assert value is None
        return
    assert not undefined
    if value is None:                     # already reduced to [0, pi/2], with no table value
        assert 0 <= angle <= Fraction(1, 2)
        return
    assert math.isclose(evaluate(value, {}), evaluate(node, {}), rel_tol=1e-12, abs_tol=1e-12)
    if denominator != 7:                  # a table angle gives a number, not a call
        assert not any(isinstance(n, FUNCTIONS) for n in topological(value)), str(value)


INVERSES = (Asin, Acos, Atan, Acot, Asec, Acsc)


@pytest.mark.parametrize("function", INVERSES, ids=lambda f: f.name)
def test_every_inverse_value_is_the_float_value(function):
    table = trig_values.inverse_values()[function]
    assert len(table) >= 12
    for argument, angle in table.items():
        assert math.isclose(evaluate(function(argument), {}), evaluate(angle, {}),
                            rel_tol=1e-12, abs_tol=1e-12), f"{function.name}({argument})"


def test_the_values_come_from_fixed_texts_and_the_groups_stay_apart():
    assert "trig-values" in default_groups() and "ml" in default_groups()
    names = [list(default_groups())]
    assert names[0].index("trig-values") < names[0].index("trigonometric")
    expanding = {rule.name for group in expansion_groups().values() for rule in group}
    assert expanding.isdisjoint(rule.name for rule in default_rules())
    assert rulesets.EXPANSION_GROUPS is expansion_groups()
    assert rulesets.ML_RULES is default_groups()["ml"]
    assert rulesets.INVERSE_TRIG_RULES is default_groups()["inverse-trig"]
    assert rulesets.TRIG_VALUE_RULES is default_groups()["trig-values"]
    for name in rulesets.__all__:
        getattr(rulesets, name)
