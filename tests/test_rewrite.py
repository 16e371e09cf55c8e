"""The rewriting engine: rules written in the formula syntax, associative-commutative matching,
conditions, rules files, and strategies that always stop and say why."""
import inspect
import json

import pytest

from symdiff import (Budget, Rule, RuleError, StopReason, Transform, bottom_up, parse,
                     parse_rule, parse_rules, rewrite, sequence, simplify, simplify_result,
                     top_down)
from symdiff.core.nodes import Add, Var
from symdiff.core.functions import Cos, Sin
from symdiff.rewriting.rule import Rewriter

# rule => target => result of one application at the top ("-" when it does not match)
APPLICATIONS = """
pythagoras: sin(a)^2 + cos(a)^2 -> 1       | sin(x)^2 + cos(x)^2                   | 1
pythagoras: sin(a)^2 + cos(a)^2 -> 1       | 3*sin(x + 1)^2 + 3*cos(x + 1)^2 + y   | y + 3
pythagoras: sin(a)^2 + cos(a)^2 -> 1       | sin(x)^2 + cos(y)^2                   | -
pythagoras: sin(a)^2 + cos(a)^2 -> 1       | 2*sin(x)^2 + cos(x)^2                 | -
factor: a*b + a*c -> a*(b + c)             | x*y + x*z + w                         | w + x*(y + z)
factor: a*b + a*c -> a*(b + c)             | sin(x)*y - sin(x)*z                   | sin(x)*(y - z)
factor: a*b + a*c -> a*(b + c)             | 3*x*y + 6*x*z                         | 3*x*(y + 2*z)
double: 2*sin(a)*cos(a) -> sin(2*a)        | 6*y*sin(x)*cos(x)                     | 3*y*sin(2*x)
double: 2*sin(a)*cos(a) -> sin(2*a)        | sin(x)*cos(x)                         | sin(2*x)/2
exps: exp(a)*exp(b) -> exp(a + b)          | 3*z*exp(x)*exp(y)                     | 3*z*exp(x + y)
exps: exp(a)*exp(b) -> exp(a + b)          | exp(x)                                | -
power: exp(b*log(a)) -> a^b                | exp(2*log(x))                         | x^2
power: exp(b*log(a)) -> a^b                | exp(y*log(x))                         | x^y
odd: sin(-a) -> -sin(a)                    | sin(-3*x)                             | -sin(3*x)
odd: sin(-a) -> -sin(a)                    | sin(3*x)                              | -
odd: sin(-a) -> -sin(a)                    | sin(x)                                | -
twice: 2*a -> a + a                        | sin(4*x*y)                            | -
inner: sin(2*a) -> 2*sin(a)*cos(a)         | sin(4*x*y)                            | 2*cos(2*x*y)*sin(2*x*y)
tan: 1 + tan(a)^2 -> sec(a)^2              | tan(x)^2 + 3                          | sec(x)^2 + 2
tan: 1 + tan(a)^2 -> sec(a)^2              | tan(x)^2                              | -
hyper: cosh(a)^2 - sinh(a)^2 -> 1          | sinh(x)^2 - cosh(x)^2                 | -1
square: a^2 + 2*a*b + b^2 -> (a + b)^2     | x^2 + 2*x*y + y^2                     | (x + y)^2
logs: log(a*b) -> log(a) + log(b) where a > 0, b > 0 | log(exp(x)*(y^2 + 1))    | x + log(y^2 + 1)
logs: log(a*b) -> log(a) + log(b) where a > 0, b > 0 | log(x*y)                 | -
even: (a^m)^n -> abs(a)^(m*n) where m is even | sqrt(x^2)                         | abs(x)
even: (a^m)^n -> abs(a)^(m*n) where m is even | sqrt(x^3)                         | -
notint: (a^m)^n -> a^(m*n) where n is not integer, a >= 0 | sqrt((x^2 + 1)^3)  | (x^2 + 1)^(3/2)
big: max(a, b) -> a where a >= b + 1       | max(x + 2, x)                         | x + 2
big: max(a, b) -> a where a >= b + 1       | max(x, y)                             | -
"""


def _applications():
    for line in APPLICATIONS.strip().splitlines():
        rule, target, result = (part.strip() for part in line.split("|"))
        yield rule, target, result


@pytest.mark.parametrize("rule_text, target, expected", list(_applications()))
def test_one_application(rule_text, target, expected):
    result = parse_rule(rule_text).apply(parse(target))
    if expected == "-":
        assert result is None
    else:
        assert result is parse(expected)


def test_a_python_predicate_is_a_condition():
    rule = Rule("small-powers", "a^n", "a*a^(n - 1)",
                where=lambda b: b["n"].is_exact and 2 <= b["n"].value <= 3)
    assert rule.apply(parse("sin(x)^3")) is None          # rebuilt: a*a^2 is a^3 again
    assert Rule("name-x", "sin(a)", "0", where=lambda b: str(b["a"]) == "x").apply(
        parse("sin(x)")) is parse("0")
    assert "where" in repr(rule)


def test_a_transform_is_a_named_procedure():
    shrink = Transform("no-sines", lambda node: node.args[0], (Sin,))
    result = rewrite(parse("sin(sin(x)) + y"), bottom_up(shrink))
    assert result.expr is parse("x + y") and result.stop_reason == StopReason.SATURATED
    with pytest.raises(ValueError, match="keep must be"):
        Transform("bad", abs, (Sin,), keep="sometimes")


@pytest.mark.parametrize("text, message", [
    ("x: sin(a) -> b", "b on the right side or in the condition is not in the pattern"),
    ("y sin(a) -> a", "a rule reads 'name: lhs -> rhs'"),
    ("z: sin(a -> a", "the left side does not read as a formula"),
    ("w: sin(a) -> a where a >> 0", "cannot read the condition"),
    ("v: sin(a) -> a where a is happy", "unknown property 'happy'"),
    ("u: sin(a) -> a where c > 0", "c on the right side or in the condition"),
    ("t: log(exp(a)) -> a", "is built as a, so symdiff already makes this rewrite"),
    ("s: a -> 0", "the left side must be a pattern with an operation"),
])
def test_bad_rules_are_clear_errors(text, message):
    with pytest.raises(RuleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_rule(text)


def test_rules_file_errors_name_the_line():
    good = parse_rules("""
        # trigonometry
        double: sin(2*a) -> 2*sin(a)*cos(a)   # expand double angles

        square: a*a -> a^2
    """)
    assert [r.name for r in good] == ["double", "square"]
    with pytest.raises(RuleError, match=r"my\.rules, line 3: .*not in the pattern"):
        parse_rules("one: sin(a) -> a\n\nbad: cos(a) -> b\n", source="my.rules")
    with pytest.raises(RuleError, match="line 2: the name 'one' is already used on line 1"):
        parse_rules("one: sin(a) -> a\none: cos(a) -> a\n")
    with pytest.raises(RuleError) as error:
        parse_rules("\n  bad: x^2 -> x*x +* 1", source="my.rules")
    assert str(error.value).splitlines() == [
        "my.rules, line 2, column 20: the right side does not read as a formula: unexpected '*'",
        "  bad: x^2 -> x*x +* 1",
        "                   ^",
        "expected '(', '+', '-', a name or a number"]


def test_user_rules_fire_as_written_even_when_longer():
    double = parse_rules("double: sin(2*a) -> 2*sin(a)*cos(a)")
    assert simplify(parse("sin(2*x)"), extra=double) is parse("sin(2*x)")   # defaults undo it
    assert simplify(parse("sin(2*x)"), rules=double) is parse("2*sin(x)*cos(x)")


# ------------------------------------------------------------------ strategies
SHIFT = parse_rules("shift: f(a) -> a + 1".replace("f(a)", "sin(a)"))


def test_bottom_up_rewrites_children_before_parents():
    peel = parse_rules("peel: sin(sin(a)) -> a")
    assert rewrite(parse("sin(sin(sin(x)))"), bottom_up(*peel)).expr is parse("sin(x)")


def test_top_down_rewrites_parents_before_children():
    peel = parse_rules("peel: sin(sin(a)) -> a")
    one_pass = Budget(max_iterations=1)
    assert rewrite(parse("sin(sin(sin(sin(x))))"), top_down(*peel), one_pass).expr is parse("x")
    assert rewrite(parse("sin(sin(sin(sin(x))))"), bottom_up(*peel), one_pass).expr is parse("x")
    assert rewrite(parse("sin(sin(sin(x)))"), top_down(*peel), one_pass).expr is parse("sin(x)")


def test_sequence_runs_one_pass_of_each():
    first = parse_rules("a-to-b: sin(a) -> cos(a)")
    second = parse_rules("b-to-c: cos(a) -> tan(a)")
    result = rewrite(parse("sin(x)"), sequence(bottom_up(*first), bottom_up(*second)), trace=True)
    assert result.expr is parse("tan(x)")
    assert [step.rule for step in result.steps] == ["a-to-b", "b-to-c"]


def test_rules_that_undo_each_other_stop_as_a_cycle_and_are_named():
    cycle = parse_rules("there: sin(a) -> cos(a)\nback: cos(a) -> sin(a)")
    result = rewrite(parse("sin(x) + y"), bottom_up(*cycle), trace=True)
    assert result.stop_reason == StopReason.CYCLE and result.iterations == 1
    assert result.cycle_rules == ("there", "back") and len(result.steps) == 2
    double = parse_rules("double: sin(2*a) -> 2*sin(a)*cos(a)")
    result = simplify_result(parse("sin(2*x) + x"), extra=double)
    assert result.stop_reason == StopReason.CYCLE
    assert set(result.cycle_rules) == {"double", "double-angle-sin"}


def test_a_slow_cycle_stops_at_the_iteration_limit():
    count = parse_rules("count: sin(a) -> sin(a + 1)")
    result = rewrite(parse("sin(x)"), bottom_up(*count), Budget(max_iterations=5))
    assert result.stop_reason == StopReason.ITERATION_LIMIT and result.iterations == 5


def test_growth_stops_at_the_node_limit():
    grow = parse_rules("grow: sin(a) -> sin(sin(a + 1))")
    result = rewrite(parse("sin(x)"), bottom_up(*grow), Budget(max_nodes=100))
    assert result.stop_reason == StopReason.NODE_LIMIT
    assert result.expr.free_vars == ("x",)


def test_a_slow_rewrite_stops_at_the_time_limit_with_a_whole_expression():
    terms = [Sin(Var(f"x{i}")) for i in range(500)]
    slow = Transform("noop", lambda node: None, (Sin,))
    result = rewrite(Add(*terms), bottom_up(slow), Budget(timeout=0.0), trace=True)
    assert result.stop_reason == StopReason.TIME_LIMIT
    assert result.expr is Add(*terms) and result.steps == []


@pytest.mark.slow
def test_deep_formulas_simplify_without_recursion():
    x = Var("x")
    expr = x
    for _ in range(100_000):
        expr = Sin(expr)
    result = rewrite(expr, bottom_up(*parse_rules("odd: sin(-a) -> -sin(a)")))
    assert result.expr is expr and result.stop_reason == StopReason.SATURATED
    assert simplify(expr) is expr


def test_shared_subexpressions_are_rewritten_once():
    calls = []

    def count(node):
        calls.append(node)

    shared = parse("sin(x + y)")
    expr = shared
    for _ in range(60):             # 2^60 paths through the DAG, 61 distinct nodes
        expr = Add(expr, Var("z")) * expr
    rewrite(expr, bottom_up(Transform("count", count, (Sin,))))
    assert calls == [shared]


def test_stop_reasons_are_an_enum_that_reads_as_its_strings():
    assert [r.value for r in StopReason] == ["saturated", "cycle", "iteration limit",
                                             "node limit", "time limit"]
    reason = StopReason.ITERATION_LIMIT
    assert reason == "iteration limit" and str(reason) == f"{reason}" == "iteration limit"
    assert {"iteration limit": 1}[reason] == 1 and StopReason("cycle") is StopReason.CYCLE
    assert json.dumps({"stop_reason": reason}) == '{"stop_reason": "iteration limit"}'
    assert rewrite(parse("x"), bottom_up()).stop_reason is StopReason.SATURATED


def test_the_default_budget_is_declared_once():
    defaults = Budget()
    for function in (simplify, simplify_result):
        parameters = inspect.signature(function).parameters
        assert (parameters["max_iterations"].default, parameters["max_nodes"].default,
                parameters["timeout"].default) == (defaults.max_iterations,
                                                   defaults.max_nodes, defaults.timeout)


def test_rules_transforms_and_new_rewriters_share_one_base():
    class Swap(Rewriter):
        name, heads = "swap", (Sin,)

        def apply(self, node):
            return Cos(node.args[0])

    rule, transform = parse_rule("odd: sin(-a) -> -sin(a)"), Transform("t", lambda n: None, (Sin,))
    assert isinstance(rule, Rewriter) and isinstance(transform, Rewriter)
    assert rule.heads == (Sin,) and transform.heads == (Sin,)
    result = rewrite(parse("sin(x) + 1"), bottom_up(Swap()), trace=True)
    assert result.expr is parse("cos(x) + 1") and [s.rule for s in result.steps] == ["swap"]
