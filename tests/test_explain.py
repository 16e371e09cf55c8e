"""symdiff explain: the computational graph of the seed tutorials, node by node, with the
forward values, local derivatives, adjoints and gradient they compute by hand."""
import json
import random
import re
from pathlib import Path

import pytest

import symdiff
from symdiff import derivation_steps, gradient_at, parse, to_dot
from symdiff.cli import commands as cli
from symdiff.cli.help import EXPLAIN_EXAMPLES, GRAPH_EXAMPLES
from symdiff import explain
from symdiff.core.errors import EvaluationError
from symdiff.teaching.explain import format_value
from test_cli import _help_examples

SEED = "(w*x + b - y)^2"
SEED_POINT = {"x": 4, "w": 1, "b": -3, "y": 3}
APPLES = "(apple*apple_count + orange*orange_count)*tax"
APPLES_POINT = {"apple": 100, "apple_count": 2, "orange": 150, "orange_count": 3, "tax": 1.1}

SEED_TEXT = """\
L = (w*x + b - y)^2 at w = 1, x = 4, b = -3, y = 3

graph:
  z0 = w*x
  z1 = z0 + b
  z2 = z1 - y
  L = z2^2

node  value  local derivatives         adjoint dL/dnode
w     1                                -16
x     4                                -4
b     -3                               -4
y     3                                4
z0    4      dz0/dw = 4, dz0/dx = 1    -4
z1    1      dz1/dz0 = 1, dz1/db = 1   -4
z2    -2     dz2/dz1 = 1, dz2/dy = -1  -4
L     4      dL/dz2 = -4               1

gradient:
  dL/dw = -16
  dL/dx = -4
  dL/db = -4
  dL/dy = 4"""


def nodes_of(explanation):
    return {node.name: node for node in explanation.nodes}


def test_seed_000_numbers_node_by_node():
    e = explain(parse(SEED), SEED_POINT)
    nodes = nodes_of(e)
    assert [(n.name, n.definition) for n in e.nodes if not n.is_input] == [
        ("z0", "w*x"), ("z1", "z0 + b"), ("z2", "z1 - y"), ("L", "z2^2")]
    assert [nodes[n].value for n in ("z0", "z1", "z2", "L")] == [4, 1, -2, 4]     # forward
    assert dict(nodes["L"].local) == {"z2": -4}                                   # 2*z2
    assert nodes["z2"].adjoint == -4                                              # dL/dz2
    assert dict(nodes["z2"].local) == {"z1": 1, "y": -1}
    assert dict(nodes["z0"].local) == {"w": 4, "x": 1}                            # dz0/dw = x
    assert e.gradient == {"w": -16, "x": -4, "b": -4, "y": 4}


def test_seed_000_text_table():
    assert explain(parse(SEED), SEED_POINT).to_text() == SEED_TEXT


def test_seed_000_from_the_command_line(capsys):
    assert cli.main(["explain", SEED, "--at", "x=4,w=1,b=-3,y=3"]) == 0
    assert capsys.readouterr().out.rstrip("\n") == SEED_TEXT


def test_seed_003_apples_and_oranges():
    e = explain(parse(APPLES), APPLES_POINT, name="price")
    nodes = nodes_of(e)
    assert nodes["price"].value == pytest.approx(715)
    assert e.gradient == pytest.approx({"apple": 2.2, "apple_count": 110, "orange": 3.3,
                                        "orange_count": 165, "tax": 650})
    text = e.to_text()
    assert "price = tax*(apple*apple_count + orange*orange_count)" in text
    for line in ["dprice/dapple = 2.2", "dprice/dapple_count = 110", "dprice/dorange = 3.3",
                 "dprice/dorange_count = 165", "dprice/dtax = 650"]:
        assert f"  {line}\n" in text + "\n"
    price_row = next(line for line in text.splitlines()
                     if line.startswith("price ") and line.split()[1] != "=")
    assert price_row.split()[1] == "715"                # not 715.0000000000001
    assert "715.0000000000001" not in text and "3.3000000000000003" not in text
    assert nodes["z2"].value == 650 and nodes["z2"].adjoint == pytest.approx(1.1)


def test_seed_003_apples_only():
    e = explain(parse("apple*apple_count*tax"), {"apple": 100, "apple_count": 2, "tax": 1.1})
    assert e.nodes[-1].value == pytest.approx(220)
    assert e.gradient == pytest.approx({"apple": 2.2, "apple_count": 110, "tax": 200})


# formula, point: the explained values and gradient agree with evaluate and the tape
ORACLE = [
    ("x*x*y + y + 2", {"x": 3, "y": 4}),
    ("sin(x^2)", {"x": 3}),
    ("exp(-x^2/2)/sqrt(2*pi)", {"x": 0.7}),
    ("x/(x + 1) - 3*y/x^2", {"x": 1.5, "y": -2}),
    ("-x - y - 2.5", {"x": 1, "y": 2}),
    ("-2*x*y + x^y", {"x": 1.3, "y": 0.4}),
    ("log(1 + exp(a*b)) - max(a, b) + tanh(c)", {"a": 0.3, "b": -1.2, "c": 2}),
    ("sin(x)^2 + sin(x)*cos(sin(x))", {"x": 0.9}),
    ("(x*y)^(1/3) + 1/sqrt(x)", {"x": 2, "y": 5}),
]


@pytest.mark.parametrize("text, point", ORACLE)
def test_values_and_gradient_agree_with_evaluate_and_the_tape(text, point):
    f = parse(text)
    e = explain(f, point)
    assert e.nodes[-1].value == pytest.approx(f.evaluate(point), rel=1e-12)
    names = list(e.gradient)
    assert sorted(names) == sorted(f.free_vars)
    assert list(e.gradient.values()) == pytest.approx(gradient_at(f, point, names), rel=1e-10)
    for node in e.nodes:        # adjoint = sum over the parents of adjoint * local derivative
        if node.is_input or node is e.nodes[-1]:
            continue
        feeds = sum(p.adjoint * dict(p.local)[node.name] for p in e.nodes
                    if node.name in p.inputs)
        assert node.adjoint == pytest.approx(feeds)


def test_shared_subexpressions_are_one_node():
    e = explain(parse("sin(x)^2 + sin(x)"), {"x": 0.5})
    definitions = [n.definition for n in e.nodes]
    assert definitions == ["", "sin(x)", "z0^2", "z1 + z0"]
    assert e.nodes[1].adjoint == pytest.approx(2 * 0.479425538604203 + 1)


@pytest.mark.parametrize("text, definitions", [
    ("x - y - 3", ["z0 = x - y", "L = z0 - 3"]),
    ("-x - y", ["z0 = -x", "L = z0 - y"]),
    ("-x^2/2", ["z0 = x^2", "z1 = z0/2", "L = -z1"]),
    ("x/(x + 1)", ["z0 = x + 1", "L = x/z0"]),
    ("1/x^2", ["z0 = x^2", "L = 1/z0"]),
    ("-2*x*y", ["z0 = -2*x", "L = z0*y"]),
    ("x*y*z", ["z0 = x*y", "L = z0*z"]),
    ("x", ["L = x"]),
    ("3", ["L = 3"]),
])
def test_the_graph_reads_like_the_printed_formula(text, definitions):
    point = {"x": 0.5, "y": 2, "z": 3}
    e = explain(parse(text), {n: point[n] for n in parse(text).free_vars})
    assert [f"{n.name} = {n.definition}" for n in e.nodes if not n.is_input] == definitions


def test_names_never_collide_with_the_formulas_variables():
    e = explain(parse("L*z0 + z1"), {"L": 1, "z0": 2, "z1": 3})
    assert [n.name for n in e.nodes] == ["L", "z0", "z1", "z_0", "f"]
    with pytest.raises(ValueError, match="already has a variable named 'x'"):
        explain(parse("x + 1"), {"x": 1}, name="x")


def test_wrt_picks_the_gradient_entries():
    e = explain(parse(SEED), SEED_POINT, wrt=["w", "b", "q"])
    assert e.gradient == {"w": -16, "b": -4, "q": 0}
    assert e.to_text().endswith("gradient:\n  dL/dw = -16\n  dL/db = -4\n  dL/dq = 0")


def test_an_undefined_local_derivative_is_allowed_only_where_the_adjoint_is_zero():
    e = explain(parse("sqrt(x)*y"), {"x": 0, "y": 0})
    root = nodes_of(e)["z0"]
    assert root.definition == "sqrt(x)" and dict(root.local) == {"x": None}
    assert "dz0/dx = undefined" in e.to_text()
    with pytest.raises(EvaluationError, match="derivative of sqrt"):
        explain(parse("sqrt(x)*y"), {"x": 0, "y": 1})


def test_markdown():
    text = explain(parse(SEED), SEED_POINT).to_markdown()
    lines = text.splitlines()
    assert lines[0] == "`L = (w*x + b - y)^2` at w = 1, x = 4, b = -3, y = 3"
    assert lines[2] == "| node | definition | value | local derivatives | adjoint dL/dnode |"
    assert "| w | input | 1 |  | -16 |" in lines
    assert "| z2 | `z1 - y` | -2 | dz2/dz1 = 1, dz2/dy = -1 | -4 |" in lines
    assert "| L | `z2^2` | 4 | dL/dz2 = -4 | 1 |" in lines
    assert lines[-4:] == ["- dL/dw = -16", "- dL/dx = -4", "- dL/db = -4", "- dL/dy = 4"]


def test_json(capsys):
    assert cli.main(["explain", APPLES, "--at", "apple=100,apple_count=2,orange=150,"
                     "orange_count=3,tax=1.1", "--format", "json", "--wrt", "tax"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record == explain(parse(APPLES), APPLES_POINT, wrt=["tax"]).to_dict()
    assert record["output"] == "L" and record["gradient"] == {"tax": 650}
    assert record["at"]["tax"] == 1.1
    last = record["nodes"][-1]
    assert last["name"] == "L" and last["definition"] == "tax*z2" and last["inputs"] == ["tax", "z2"]
    assert last["value"] == 715.0000000000001          # json keeps the full float
    assert record["nodes"][0] == {"name": "apple", "definition": None, "inputs": [],
                                  "value": 100.0, "local_derivatives": {}, "adjoint": 2.2}


@pytest.mark.parametrize("value, text", [
    (715.0000000000001, "715"), (3.3000000000000003, "3.3"), (-16.0, "-16"), (-0.0, "0"),
    (0.1 + 0.2, "0.3"), (-5.466781571308061, "-5.46678"), (1e-7, "1e-07"), (2.5e20, "2.5e+20"),
    (None, "undefined"),
])
def test_number_format(value, text):
    assert format_value(value) == text


def test_deep_formulas_need_no_recursion():
    x = symdiff.Var("x")
    f = x
    for _ in range(5000):
        f = symdiff.sin(f)
    e = explain(f, {"x": 0.5})
    assert len(e.nodes) == 5001 and e.nodes[-1].definition == "sin(z4998)"
    assert e.gradient["x"] == pytest.approx(gradient_at(f, {"x": 0.5})[0])


# arguments => a piece of the one-line message (exit status 2)
BAD = [
    (["explain", "x + y"], "explain needs the point: a value for each variable (x, y), "
                           "e.g. --at x=1,y=1"),
    (["explain", "x + y", "--at", "x=1"], "no value for variable 'y'"),
    (["explain", "x + y", "--at", "x=1,y=2", "--name", "x"], "--name: the formula already"),
    (["explain", "x + y", "--at", "x=1,y=2", "--name", "2a"], "--name: '2a' is not a name"),
    (["explain", "x", "--at", "x=1", "--wrt", "2x"], "--wrt: '2x' is not a variable name"),
    (["explain", "x", "--at", "x=1", "--wrt", "x,x"], "--wrt: a variable is listed twice"),
    (["explain", "x", "--at", "x=1", "--format", "latex"], "invalid choice"),
    (["explain", "log(x)", "--at", "x=-1"], "log needs a positive argument"),
    (["explain", "x^", "--at", "x=1"], "unexpected end of formula"),
]


@pytest.mark.parametrize("args, message", BAD)
def test_bad_input_gives_one_clear_message(capsys, args, message):
    assert cli.main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err
    assert captured.err.startswith("symdiff: error:") and "Traceback" not in captured.err


HELP_EXAMPLES = _help_examples(EXPLAIN_EXAMPLES) + _help_examples(GRAPH_EXAMPLES)


@pytest.mark.parametrize("args, output", HELP_EXAMPLES,
                         ids=[" ".join(a)[:50] for a, _ in HELP_EXAMPLES])
def test_help_examples_are_true(capsys, monkeypatch, tmp_path, args, output):
    monkeypatch.chdir(tmp_path)          # the graph example writes a file
    assert cli.main(args) == 0
    assert capsys.readouterr().out.splitlines() == output


CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "formulas.jsonl"


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_file(), reason="the shared formula corpus is not there")
def test_the_corpus_explained_agrees_with_the_tape():
    """Every corpus formula, at a random point where it is defined: the explained value and
    gradient are those of evaluate and the numeric reverse-mode tape, the graph draws, and
    its derivation by the first variable gives diff's value."""
    rng, checked = random.Random(0), 0
    for line in CORPUS.read_text().splitlines():
        f = parse(json.loads(line)["formula"])
        names = f.free_vars
        for _ in range(3):
            point = {n: rng.uniform(0.2, 1.5) * rng.choice((1, -1)) for n in names}
            try:
                value, expected = f.evaluate(point), gradient_at(f, point)
                slope = symdiff.diff(f, names[0]).evaluate(point)
            except EvaluationError:
                continue
            e = explain(f, point)
            assert e.nodes[-1].value == pytest.approx(value, rel=1e-9, abs=1e-9)
            assert [e.gradient[n] for n in names] == pytest.approx(expected, rel=1e-7, abs=1e-7)
            assert len(re.findall(r"^\tn\d+ \[", to_dot(f, point), re.M)) == len(e.nodes)
            steps = derivation_steps(f, names[0], simplify=False)
            assert steps[-1].result.evaluate(point) == pytest.approx(slope, rel=1e-7, abs=1e-7)
            checked += 1
            break
    assert checked > 400


# --------------------------------------------------- huge and tiny values at the point
EDGE_FORMULAS = ["x/y", "log(x)/y", "x^2/y", "sin(x)/y", "1/(x*y)", "exp(x/y)", "x*y + 2*x*y"]
EDGE_POINTS = ["x=1,y=1e200", "x=1e-300,y=1e-200", "x=1e308,y=1e308", "x=-1e200,y=1e-200",
               "x=1e300,y=1e300", "x=5e-324,y=1"]


@pytest.mark.parametrize("command", ["explain", "graph"])
@pytest.mark.parametrize("formula", EDGE_FORMULAS)
@pytest.mark.parametrize("point", EDGE_POINTS)
def test_huge_and_tiny_values_give_a_value_or_one_clear_error(cli, command, formula, point):
    """The quotient's local derivative is -x/y/y, not -x/y^2 (y^2 overflowed, or underflowed
    to 0 and divided by it); an overflowing value or adjoint is a symdiff error."""
    done = cli(command, formula, "--at", point)
    assert done.returncode in (0, 2), done.stderr
    if done.returncode == 2:
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("symdiff: error:")
    assert "internal error" not in done.stderr and "a number in the formula" not in done.stderr


def test_a_quotient_of_tiny_numbers_is_explained():
    nodes = symdiff.teaching.explain.graph_nodes(parse("x/y"), {"x": 1e-300, "y": 1e-200})
    assert [n.adjoint for n in nodes[:2]] == pytest.approx([1e200, -1e100])
