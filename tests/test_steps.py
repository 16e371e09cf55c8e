"""symdiff diff --steps: the derivation rule by rule, innermost parts first, ending in the
simplified derivative that symdiff diff prints."""
import json

import pytest

import symdiff
from symdiff import derivation_steps, parse
from symdiff.cli import commands as cli
from symdiff.teaching import steps as module
from symdiff.teaching.steps import MAX_SHOWN_STEPS, steps_text

SIN_OF_SQUARE = """\
d/dx sin(x^2), innermost parts first:
1. power rule: d/dx(x^2) = 2*x
2. chain rule with sin'(u) = cos(u): d/dx(sin(x^2)) = cos(x^2)*d/dx(x^2) = 2*x*cos(x^2)
result: 2*x*cos(x^2)"""

PRODUCT = """\
d/dx x^2*sin(x), innermost parts first:
1. power rule: d/dx(x^2) = 2*x
2. derivative table with sin'(u) = cos(u): d/dx(sin(x)) = cos(x)
3. product rule: d/dx(x^2*sin(x)) = d/dx(x^2)*sin(x) + x^2*d/dx(sin(x)) = x^2*cos(x) + 2*x*sin(x)
4. simplify: x^2*cos(x) + 2*x*sin(x) = x*(x*cos(x) + 2*sin(x))
result: x*(x*cos(x) + 2*sin(x))"""

QUOTIENT = """\
d/dx log(x)/x, innermost parts first:
1. derivative table with log'(u) = 1/u: d/dx(log(x)) = 1/x
2. quotient rule: d/dx(log(x)/x) = (d/dx(log(x))*x - log(x))/x^2 = (1 - log(x))/x^2
result: (1 - log(x))/x^2"""


@pytest.mark.parametrize("text, expected", [
    ("sin(x^2)", SIN_OF_SQUARE), ("x^2*sin(x)", PRODUCT), ("log(x)/x", QUOTIENT)])
def test_worked_examples(text, expected, capsys):
    f = parse(text)
    assert steps_text(f, derivation_steps(f, "x")) == expected
    assert cli.main(["diff", text, "x", "--steps"]) == 0
    assert capsys.readouterr().out.rstrip("\n") == expected


# formula, variable => the rules, in order
RULES = [
    ("x", "x", ["variable rule"]),
    ("y^2", "x", ["constant rule"]),
    ("x^2 - sin(x) + 3", "x", ["power rule", "derivative table", "sum rule"]),
    ("x/(x + 1)", "x", ["sum rule", "quotient rule"]),
    ("-x^2/2", "x", ["power rule", "constant factor rule"]),
    ("2^x", "x", ["exponential rule"]),
    ("x^x", "x", ["general power rule", "simplify"]),
    ("exp(sin(x))", "x", ["derivative table", "chain rule"]),
    ("1/(x^2 + 1)", "x", ["power rule", "sum rule", "power rule"]),
    ("(w*x + b - y)^2", "w", ["constant factor rule", "sum rule", "power rule"]),
    ("x*y*sin(x)", "x", ["derivative table", "product rule", "simplify"]),
]


@pytest.mark.parametrize("text, var, rules", RULES)
def test_rules_in_order(text, var, rules):
    assert [step.rule for step in derivation_steps(parse(text), var)] == rules


@pytest.mark.parametrize("text, var, line", [
    ("y^2", "x", "constant rule (y^2 does not depend on x): d/dx(y^2) = 0"),
    ("x", "x", "variable rule: d/dx(x) = 1"),
    ("x/(x + 1)", "x", "quotient rule: d/dx(x/(x + 1)) = (x + 1 - x*d/dx(x + 1))/(x + 1)^2"
                       " = 1/(x + 1)^2"),
    ("x^2 - sin(x)", "x", "sum rule: d/dx(x^2 - sin(x)) = d/dx(x^2) - d/dx(sin(x))"
                          " = 2*x - cos(x)"),
    ("(w*x + b - y)^2", "w", "power rule: d/dw((w*x + b - y)^2) = 2*(w*x + b - y)*d/dw(w*x + "
                             "b - y) = 2*x*(w*x + b - y)"),
    ("exp(-x^2/2)/sqrt(2*pi)", "x", "constant factor rule: d/dx(exp(-x^2/2)/sqrt(2*pi)) = "
                                    "d/dx(exp(-x^2/2))/sqrt(2*pi) = -x*exp(-x^2/2)/sqrt(2*pi)"),
    ("sqrt(x^2 + 1)", "x", "power rule: d/dx(sqrt(x^2 + 1)) = d/dx(x^2 + 1)/(2*sqrt(x^2 + 1))"
                           " = x/sqrt(x^2 + 1)"),
])
def test_the_step_that_derives_the_whole_formula(text, var, line):
    steps = derivation_steps(parse(text), var, simplify=False)
    assert str(steps[-1]) == line


FORMULAS = ["sin(x^2)", "x^2*sin(x)", "x/(x + 1)", "sin(x)^2", "exp(-x^2/2)/sqrt(2*pi)",
            "x^x", "max(x, x^2)", "log(x)/x", "sin(x)*cos(sin(x))", "3*x*sin(x)*exp(x)",
            "-sin(x)/x^2", "x*y/(x + y)", "tan(x)", "(x*y)^(1/3)", "atan(x)/(1 + x^2)",
            "sqrt(1 - x^2)*asin(x)", "relu(x - 1)*abs(x)", "2^(x^2)*pi"]


@pytest.mark.parametrize("text", FORMULAS)
def test_the_result_is_what_diff_prints(text, capsys):
    f = parse(text)
    steps = derivation_steps(f, "x")
    assert cli.main(["diff", text, "x"]) == 0
    assert str(steps[-1].result) == capsys.readouterr().out.strip()
    raw = derivation_steps(f, "x", simplify=False)[-1].result
    for value in (0.3, 0.8):
        point = {name: value for name in f.free_vars}
        assert raw.evaluate(point) == pytest.approx(symdiff.diff(f, "x").evaluate(point))


def test_shared_subexpressions_are_derived_once():
    steps = derivation_steps(parse("sin(x)^2 + cos(sin(x))"), "x", simplify=False)
    assert [str(s.expr) for s in steps].count("sin(x)") == 1
    assert [s.rule for s in steps] == ["derivative table", "power rule", "chain rule", "sum rule"]


def test_a_deep_formula_needs_no_recursion():
    f = symdiff.Var("x")
    for _ in range(3000):
        f = symdiff.sin(f)
    steps = derivation_steps(f, "x", simplify=False)
    assert len(steps) == 3000 and steps[-1].rule == "chain rule"
    assert steps[-1].result.evaluate(x=0.5) == pytest.approx(symdiff.diff(f, "x").evaluate(x=0.5))


def test_several_variables_one_after_the_other(capsys):
    assert cli.main(["diff", "x^2*y", "x", "y", "--steps"]) == 0
    assert capsys.readouterr().out.rstrip("\n") == """\
d/dx x^2*y, innermost parts first:
1. power rule: d/dx(x^2) = 2*x
2. constant factor rule: d/dx(x^2*y) = y*d/dx(x^2) = 2*x*y
result: 2*x*y

d/dy 2*x*y, innermost parts first:
1. constant factor rule: d/dy(2*x*y) = 2*x
result: 2*x"""


def test_value_at_a_point_and_raw(capsys):
    assert cli.main(["diff", "sin(x)^2", "--steps", "--raw", "--at", "x=0.3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2:] == ["result: 2*cos(x)*sin(x)", "value at x=0.3: 0.5646424733950353"]
    assert not any(line.startswith("3. simplify") for line in lines)


def test_json(capsys):
    assert cli.main(["diff", "sin(x^2)", "--steps", "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["result"] == "2*x*cos(x^2)" and record["variables"] == ["x"]
    assert record["steps"][1] == {
        "rule": "chain rule", "note": "sin'(u) = cos(u)", "variable": "x",
        "expression": "sin(x^2)", "form": "cos(x^2)*d/dx(x^2)", "result": "2*x*cos(x^2)"}


def test_a_formula_without_variables(capsys):
    assert cli.main(["diff", "5", "--steps"]) == 0
    assert capsys.readouterr().out == "5 has no variables: its derivative is 0\nresult: 0\n"


@pytest.mark.parametrize("args, message", [
    (["diff", "x^2", "--steps", "--format", "latex"], "--steps prints text or json, not latex"),
    (["diff", "x*y", "--steps"], "name the one to differentiate by"),
    (["diff", "log(x)", "--steps", "--at", "x=-1"], "log needs a positive argument"),
])
def test_bad_input(capsys, args, message):
    assert cli.main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err


@pytest.mark.parametrize("text", FORMULAS)
def test_forms_as_written_are_not_nodes(text):
    """A rule's form keeps the order it is written in (d/dx(u)*v + u*d/dx(v)) without
    building a sum or product out of canonical order: every node it holds is canonical."""
    for step in derivation_steps(parse(text), "x", simplify=False):
        stack, nodes = [step.form], []
        while stack:
            item = stack.pop()
            if isinstance(item, symdiff.Expr):
                nodes.append(item)
            else:
                stack.extend(item.args)
        for node in symdiff.topological(nodes):
            if type(node) in (symdiff.Add, symdiff.Mul):
                assert type(node)(*node.args) is node, f"{node} is out of canonical order"


def test_a_long_derivation_shows_its_first_and_last_steps_and_says_how_many_are_left_out():
    """A 100,000-deep formula's --steps printed 100,000 steps, each with long products."""
    expr = parse("sin(" * 300 + "x" + ")" * 300)
    steps = derivation_steps(expr, "x", simplify=False)
    text = steps_text(expr, steps)
    half = MAX_SHOWN_STEPS // 2
    numbered = [line for line in text.splitlines() if line.split(".")[0].isdigit()]
    assert len(steps) == 300 and len(numbered) == MAX_SHOWN_STEPS
    assert numbered[0].startswith("1. ") and numbered[-1].startswith("300. ")
    assert (f"... {300 - 2 * half} steps left out (steps {half + 1} to {300 - half}; 300 in "
            f"all, the first and last {half} shown)") in text
    assert steps_text(expr, steps[:5]).count("\n") == 6       # short derivations in full


def test_a_step_is_printed_once_for_its_text_and_its_record(monkeypatch):
    printed = []
    real = module.to_text
    monkeypatch.setattr(module, "to_text", lambda *a, **k: printed.append(1) or real(*a, **k))
    steps = derivation_steps(parse("sin(sin(sin(x)))*x"), "x", simplify=False)
    printed.clear()
    for step in steps:
        str(step), step.to_dict()
    assert len(printed) == 3 * len(steps)
