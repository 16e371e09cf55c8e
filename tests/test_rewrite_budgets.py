"""Budgets that hold inside the rewriting engine: the time limit bounds each rule's matching
and each transform (tests give the budget a counting clock instead of the real one, and count
work, never seconds); rules files read in linear time; patterns, right sides and matched
formulas of any depth without recursion."""
import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdiff import Budget, Rule, RuleError, StopReason, bottom_up, parse, parse_rule, rewrite
from symdiff.core.functions import Cos, Exp, Sin, Tan
from symdiff.core.nodes import Add, Const, Pow, Var
from symdiff.rewriting import algebra, deadline as deadlines, pattern, polynomial, rule as rule_module, signs
from symdiff.rewriting.deadline import CHECK_EVERY, Deadline, OutOfTime, deadline_scope
from symdiff.rewriting.rule import Rewriter, parse_rules
from symdiff.rewriting.rulesets import default_rules
from symdiff.rewriting.simplify import simplify_result


class ArmedClock:
    """Stands still at 0 until ``armed``; from then on each read advances it by 1, so the
    deadline ``timeout`` (< the number of reads) passes after a known number of reads."""

    def __init__(self, timeout: float):
        self.timeout, self.now, self.armed = timeout, 0.0, False

    def __call__(self) -> float:
        if self.armed:
            self.now += 1.0
        return self.now

    @property
    def passed(self) -> bool:
        return self.now > self.timeout


class ArmAtRoot(Rewriter):
    """A rewriter that arms the clock when it is offered ``root``, then does what ``inner``
    does, counting the calls that begin after the deadline has passed."""

    __slots__ = ("inner", "root", "clock", "name", "heads", "late")

    def __init__(self, inner, root, clock):
        self.inner, self.root, self.clock = inner, root, clock
        self.name, self.heads, self.late = inner.name, inner.heads, [0]

    def apply(self, node):
        if node is self.root:
            self.clock.armed = True
        if self.clock.passed:
            self.late[0] += 1
        return self.inner.apply(node)


@pytest.fixture
def goals(monkeypatch):
    """Counts the matcher's goal expansions (its units of search), and those made after
    ``goals.clock`` (set by the test) says the deadline has passed."""
    counts = {"all": 0, "late": 0, "clock": None}
    expand = pattern._expand

    def counted(*args):
        counts["all"] += 1
        if counts["clock"] is not None and counts["clock"].passed:
            counts["late"] += 1
        return expand(*args)

    monkeypatch.setattr(pattern, "_expand", counted)
    return counts


def _user_rules(count: int):
    functions = ["sin", "cos", "exp", "tan", "log", "sinh"]
    return parse_rules("\n".join(
        f"r{i}: {functions[i % 6]}(a)*b^{2 + i % 3} + {functions[(i + 1) % 6]}(a)*c^{2 + i % 2}"
        f" -> {functions[i % 6]}(a)*c" for i in range(count)))


# ----------------------------------------------------------- the time limit, inside a node
def test_the_time_limit_stops_user_rules_in_the_middle_of_one_big_sum(goals):
    """A sum of 600 terms and 40 rules that each search it for a pair: before, the clock was
    read only between node visits, so every rule's whole search ran at the root after the
    deadline, and the rewrite said 'saturated'."""
    total = Add(*(Sin(Var(f"x{i}")) * Pow(Var(f"y{i}"), 2) for i in range(600)))
    clock = ArmedClock(timeout=2.5)
    goals["clock"] = clock
    rules = [ArmAtRoot(r, total, clock) for r in _user_rules(40)]
    result = rewrite(total, bottom_up(*rules), Budget(timeout=2.5, clock=clock))
    assert result.stop_reason == StopReason.TIME_LIMIT
    assert result.expr is total                     # the unfinished pass is dropped
    assert goals["late"] == 0 and sum(r.late[0] for r in rules) == 0
    # the rules are about sums, so all matching is at the root, after arming: the clock is
    # read every CHECK_EVERY units, three reads pass the deadline (one more for
    # Result.seconds), instead of 40 rules times thousands of steps
    assert clock.now == 4 and goals["all"] <= 3 * CHECK_EVERY


def test_the_time_limit_stops_the_default_rules_on_a_big_sum(goals):
    """Pythagoras and friends on a sum of 4,000 squares that never pair up: the second
    pattern term used to scan the whole sum, unmetered, for every candidate of the first."""
    total = Add(*(t for i in range(2000)
                  for t in (Pow(Sin(Var(f"x{i}")), 2), Pow(parse(f"cos(y{i})"), 2))))
    clock = ArmedClock(timeout=1.5)
    goals["clock"] = clock
    rules = [ArmAtRoot(r, total, clock) for r in default_rules()]
    result = simplify_result(total, rules=rules, timeout=1.5, clock=clock)
    assert result.stop_reason == StopReason.TIME_LIMIT and result.expr is total
    assert goals["late"] == 0 and sum(r.late[0] for r in rules) == 0
    assert clock.now == 3        # two reads to pass the deadline, one for Result.seconds


def test_matching_a_big_sum_costs_linear_work(goals):
    """Doubling the sum does not quadruple the work of finding that no rule applies."""
    def work(n):
        total = Add(*(t for i in range(n)
                      for t in (Pow(Sin(Var(f"x{i}")), 2), Pow(parse(f"cos(y{i})"), 2))))
        goals["all"] = 0
        result = rewrite(total, bottom_up(*parse_rules(
            "pythagoras: sin(a)^2 + cos(a)^2 -> 1")), Budget(timeout=1e9, clock=lambda: 0.0))
        assert result.stop_reason == StopReason.SATURATED
        return result.work, goals["all"]

    (small_work, small_goals), (large_work, large_goals) = work(500), work(1000)
    assert large_work < 2.5 * small_work and large_goals < 2.5 * small_goals


def test_a_rewrite_past_its_deadline_reports_the_time_limit_not_saturation():
    deadline = Deadline(at=0.0, clock=lambda: 1.0)
    with deadline_scope(deadline), pytest.raises(OutOfTime):
        deadline.spend()
    with pytest.raises(OutOfTime):      # once passed, it stays passed without more reads
        deadline.spend(CHECK_EVERY)
    assert deadline.checks == 1
    assert deadlines.active_deadline() is not deadline     # the scope has ended


def test_extracting_roots_of_large_primes_checks_the_deadline():
    """Trial division up to a million for n near 10^12: before, it ran to the end."""
    deadline = Deadline(at=0.0, clock=lambda: 1.0)
    with deadline_scope(deadline), pytest.raises(OutOfTime):
        algebra.extract_roots(Pow(999_999_999_989, Const(Fraction(1, 2))))


def test_collecting_common_factors_builds_one_index_set_not_one_per_term(monkeypatch):
    made = []

    class CountingSet(set):
        def __init__(self, *args):
            made.append(1)
            super().__init__(*args)

    monkeypatch.setattr(algebra, "set", CountingSet, raising=False)
    total = Add(*(Var(f"x{i}") * parse("cos(y)") for i in range(300)), Var("z"))
    assert algebra.collect_common_factors(total) is not None
    assert len(made) <= 2


def test_gcds_too_large_for_sympy_are_refused_up_front():
    """SymPy's gcd cannot be interrupted: three generators of degree 40 are not asked."""
    big = parse("(x^40*y^40*z^40 - 1)*(x + y + z)/((x^40*y^40*z^40 - 1)*(x - y))")
    assert polynomial.cancel(big) is big
    small = parse("(x^4*y^4*z^4 - 1)*(x + y + z)/((x^4*y^4*z^4 - 1)*(x - y))")
    assert polynomial.cancel(small) is parse("(x + y + z)/(x - y)")


def test_sign_facts_are_remembered_per_node(monkeypatch):
    """A condition checked at every level of a deep chain costs each node once, not once
    per level (quadratic on a deep formula)."""
    calls = []
    step = signs._STEP
    monkeypatch.setattr(signs, "_STEP", lambda node, args: calls.append(1) or step(node, args))
    expr, chain = parse("u^2 + 1"), []
    for _ in range(400):
        expr = Exp(Add(expr, Var("w")))
        chain.append(expr)
    for node in chain:
        assert signs.is_positive(node)
    assert len(calls) <= 3 * len(chain) + 10


# ------------------------------------------------------------------- rules files, linearly
_OLD_LINE = re.compile(r"^\s*([A-Za-z_][\w\-.]*)\s*:\s*(.*?)\s*->\s*(.*?)(?:\s+where\s+(.*))?\s*$")
_PIECES = [" ", "  ", "\t", ":", "->", "-", ">", "where", " where ", "wherever", "a", "r",
           "x_1", "sin(a)", "_", ".", "é"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join))
def test_rule_lines_split_as_the_old_pattern_did(text):
    """The str-method reader finds the same pieces, at the same columns, as the regular
    expression it replaces (fine on short lines, super-linear on long ones)."""
    found = _OLD_LINE.match(text)
    expected = None if found is None else (found.group(1), found.group(2), found.start(2),
                                           found.group(3), found.start(3), found.group(4))
    assert rule_module._split_line(text) == expected


_OLD_PROPERTY = re.compile(r"^(.*)\bis\s+(not\s+)?([a-z]+)\s*$", re.S)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([" ", "is", "not", "x", "(a)", "this", "odd", "Odd", "\t",
                                 "1", "_is", ")is"]), max_size=8).map("".join))
def test_property_clauses_read_as_the_old_pattern_did(text):
    found = _OLD_PROPERTY.match(text)
    expected = None if found is None else (found.group(1), bool(found.group(2)), found.group(3))
    assert rule_module._property(text) == expected


@pytest.mark.parametrize("line, message", [
    (" " * 100_000, "a rule reads 'name: lhs -> rhs'"),
    ("r:" + " " * 100_000, "a rule reads 'name: lhs -> rhs'"),     # 2 KB took the regex 9 s
    ("r: " + " " * 100_000 + "x", "a rule reads 'name: lhs -> rhs'"),
    ("r: a ->" + " " * 100_000 + "x" + " " * 100_000, "the left side must be a pattern"),
    ("r" + " " * 100_000 + "x", "a rule reads 'name: lhs -> rhs'"),
    ("r: " + ":" * 50_000, "a rule reads 'name: lhs -> rhs'"),
    ("r: sin(a) " + "-> " * 30_000, "the right side does not read as a formula"),
    ("r: sin(a) -> a " + "where " * 30_000, "cannot read the condition 'where where where"),
    ("r: sin(a) -> " + "where" * 30_000, "on the right side or in the condition is not in"),
    ("r: sin(a) -> a where a is" + " is" * 30_000 + " 1", "cannot read the condition"),
])
def test_long_pathological_rule_lines_get_a_clear_error(line, message):
    with pytest.raises(RuleError, match=message) as error:
        parse_rule(line)
    if "rule reads" in message or "cannot read" in message:
        assert len(str(error.value)) < 300         # a long line is quoted shortened


def test_a_long_rule_line_keeps_its_caret_column():
    line = "r:" + " " * 10_000 + "sin(a) -> a +* 1"
    with pytest.raises(RuleError) as error:
        parse_rules(line, source="f")
    assert f"column {line.index('+*') + 2}" in str(error.value)


# ------------------------------------------------------------------ deep patterns
def _nested(name: str, inner: str, depth: int) -> str:
    return f"{name}(" * depth + inner + ")" * depth


def _chain(function, inner, depth: int):
    for _ in range(depth):
        inner = function(inner)
    return inner


@pytest.mark.parametrize("depth", [500, pytest.param(100_000, marks=pytest.mark.slow)])
def test_deep_left_sides_right_sides_and_targets_match_without_recursion(depth):
    a, b, v, z = Var("a"), Var("b"), Var("v"), Var("z")
    deep_left = parse_rule(f"peel: {_nested('sin', 'a', depth)} -> a")       # a rules file line
    target = _chain(Sin, parse("y + 1"), depth)
    assert deep_left.apply(target) is parse("y + 1")
    assert deep_left.apply(target.args[0]) is None                           # one level short
    shallow = parse_rule("shallow: sin(sin(a)) -> a")
    assert shallow.apply(target) is target.args[0].args[0]
    deep_right = Rule("wrap", Cos(a), _chain(Sin, a, depth))
    result, levels = deep_right.apply(Cos(z)), 0
    while type(result) is Sin:
        result, levels = result.args[0], levels + 1
    assert result is z and levels == depth
    inner = min(depth, 2000)        # a deep term inside a sum pattern (building nodes is slow)
    in_a_sum = Rule("sum", b + _chain(Tan, a, inner), a * b, where="b > 0")
    assert in_a_sum.apply(Exp(Var("w")) + _chain(Tan, v, inner)) is parse("v*exp(w)")


def test_a_deep_rule_simplifies_a_deep_formula():
    depth = 500
    peel = parse_rules(f"peel: {_nested('sin', 'a', depth)} -> a")
    expr = parse(_nested("sin", "x", 2 * depth + 1))
    result = rewrite(expr, bottom_up(*peel))
    assert result.expr is parse("sin(x)") and result.stop_reason == StopReason.SATURATED


def test_a_deep_condition_is_checked_without_recursion():
    rule = Rule("deep-guard", "log(a)", "0", where="a - 1 is positive")
    assert rule.apply(parse(f"log({_nested('exp', 'exp(x)', 5000)} + 1)")) is parse("0")
    assert rule.apply(parse(f"log({_nested('sin', 'x', 5000)})")) is None
