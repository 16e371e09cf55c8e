"""The command line, run as a user would: output, exit status, and messages for bad input.

The ``cli`` fixture runs the command in this process; the last tests run the installed
program as new processes."""
import io
import json
import shlex
import shutil
import sys
from pathlib import Path

import pytest

import symdiff
import symdiff.cli.commands
import symdiff.cli.output
from symdiff.cli import help as texts
from symdiff.cli import main

# arguments => expected stdout (exit status 0)
OUTPUTS = [
    (["diff", "x^2*y + y + 2", "x"], "2*x*y"),
    (["diff", "x*x*y + y + 2", "y"], "x^2 + 1"),
    (["diff", "x^2*y", "x", "y"], "2*x"),
    (["diff", "x^3"], "3*x^2"),
    (["diff", "x^3", "x", "x", "x"], "6"),
    (["diff", "-x^2", "x"], "-2*x"),
    (["diff", "sin(x^2)", "--at", "x=3"], "-5.466781571308061"),
    (["diff", "x*x*y + y + 2", "x", "--at", "x=3,y=4"], "24"),
    (["diff", "x*x*y + y + 2", "x", "--at", "x=3", "--at", "y=4"], "24"),
    (["diff", "sin(x)", "--at", "x=pi/2"], "6.123233995736766e-17"),
    (["diff", "x^2*y", "x", "--format", "latex"], "2 x y"),
    # (diff "x^2" z prints 0 and a note on stderr: tests/test_cli_language.py)
    (["diff", "5"], "0"),
    (["eval", "x*x*y + y + 2", "--at", "x=3,y=4"], "42"),
    (["eval", "max(1, 2) + x", "--at", "x=max(1,2)"], "4"),
    # grad, hessian, jacobian: one "label = entry" line each, labels padded to one width
    (["grad", "x^2*y + y + 2"], "d/dx = 2*x*y\nd/dy = x^2 + 1"),
    (["grad", "x^2*y + y + 2", "--at", "x=3,y=4"], "d/dx = 24\nd/dy = 10"),
    (["grad", "x^2*y", "--vars", "y, z"], "d/dy = x^2\nd/dz = 0"),
    (["grad", "x10*x2 + x1"], "d/dx1  = 1\nd/dx2  = x10\nd/dx10 = x2"),
    (["grad", "-x^2*y", "--format", "latex"],
     "\\begin{pmatrix}\n-2 x y \\\\\n-x^{2}\n\\end{pmatrix}"),
    (["hessian", "x^2*y + y + 2"], "d^2/dx^2  = 2*y\nd^2/dx dy = 2*x\nd^2/dy^2  = 0"),
    (["hessian", "x^3*y^2", "--vars", "y,x", "--at", "x=1", "--at", "y=2"],
     "d^2/dy^2  = 2\nd^2/dy dx = 12\nd^2/dx^2  = 24"),
    (["hessian", "x^2*y", "--format", "latex", "--at", "x=3,y=0.5"],
     "\\begin{pmatrix}\n1 & 6 \\\\\n6 & 0\n\\end{pmatrix}"),
    (["jacobian", "x*y", "x+y"], "x*y:\n  d/dx = y\n  d/dy = x\nx + y:\n  d/dx = 1\n  d/dy = 1"),
    (["jacobian", "r*cos(t)", "r*sin(t)", "--at", "r=2,t=pi/2"],
     "r*cos(t):\n  d/dr = 6.123233995736766e-17\n  d/dt = -2\n"
     "r*sin(t):\n  d/dr = 1\n  d/dt = 1.2246467991473532e-16"),
    (["jacobian", "x^2", "-y", "--format", "latex"],
     "\\begin{pmatrix}\n2 x & 0 \\\\\n0 & -1\n\\end{pmatrix}"),
    # results are simplified; --raw prints them as differentiated
    (["diff", "x/(x + 1)", "x"], "1/(x + 1)^2"),
    (["diff", "x/(x + 1)", "x", "--raw"], "1/(x + 1) - x/(x + 1)^2"),
    (["diff", "sin(x)^2"], "sin(2*x)"),
    (["diff", "sin(x)^2", "--raw"], "2*cos(x)*sin(x)"),
    (["diff", "(x^2 - 1)/(x - 1)", "x"], "1"),
    (["diff", "(x^2 - 1)/(x - 1)", "x", "--raw"], "2*x/(x - 1) - (x^2 - 1)/(x - 1)^2"),
    (["diff", "x/(x + 1)", "x", "--format", "latex"], "\\frac{1}{\\left(x + 1\\right)^{2}}"),
    (["grad", "x^2*exp(-x)*y"], "d/dx = x*y*exp(-x)*(2 - x)\nd/dy = x^2*exp(-x)"),
    (["grad", "x^2*exp(-x)*y", "--raw"],
     "d/dx = 2*x*y*exp(-x) - x^2*y*exp(-x)\nd/dy = x^2*exp(-x)"),
    (["grad", "log(x*y)"], "d/dx = 1/x\nd/dy = 1/y"),
    (["hessian", "x/(x + y)"],
     "d^2/dx^2  = -2*y/(x + y)^3\nd^2/dx dy = (x - y)/(x + y)^3\nd^2/dy^2  = 2*x/(x + y)^3"),
    (["hessian", "x/(x + y)", "--raw"],
     "d^2/dx^2  = 2*x/(x + y)^3 - 2/(x + y)^2\nd^2/dx dy = 2*x/(x + y)^3 - 1/(x + y)^2\n"
     "d^2/dy^2  = 2*x/(x + y)^3"),
    (["hessian", "sin(x)^2"], "d^2/dx^2 = 2*cos(2*x)"),
    (["jacobian", "sin(x)^2", "x/(x + 1)"], "sin(x)^2:\n  d/dx = sin(2*x)\nx/(x + 1):\n  d/dx = 1/(x + 1)^2"),
    # with --at, values come from the derivative as differentiated (the same number)
    (["diff", "sin(x)^2", "--at", "x=0.3"], "0.5646424733950353"),
    (["diff", "sin(x)^2", "--at", "x=0.3", "--raw"], "0.5646424733950353"),
    # simplify
    (["simplify", "sin(x)^2 + cos(x)^2"], "1"),
    (["simplify", "(x^2 - 1)/(x - 1)"], "x + 1"),
    (["simplify", "(x^2-1)/(x-1)"], "x + 1"),
    (["simplify", "x*sin(x)^2 + x*cos(x)^2"], "x"),
    (["simplify", "log(x) + log(y)"], "log(x*y)"),
    (["simplify", "exp(x)*exp(y)", "--format", "latex"], "e^{x + y}"),
    (["simplify", "x + y"], "x + y"),
    (["simplify", "-x + x"], "0"),
    (["simplify", "(x^2 - 1)/(x - 1)", "--at", "x=2"], "3"),
    (["simplify", "x*sin(x)^2 + x*cos(x)^2", "--trace"],
     "collect-common-factors: x*cos(x)^2 + x*sin(x)^2  =>  x*(cos(x)^2 + sin(x)^2)\n"
     "pythagoras: cos(x)^2 + sin(x)^2  =>  1\n"
     "stopped: saturated after 3 passes\n"
     "x"),
    (["simplify", "x + y", "--trace"], "stopped: saturated after 1 pass\nx + y"),
    (["simplify", "sin(x)^2 + cos(x)^2", "--trace", "--at", "x=1"],
     "pythagoras: cos(x)^2 + sin(x)^2  =>  1\nstopped: saturated after 2 passes\n1"),
]


@pytest.mark.parametrize("args, expected", OUTPUTS)
def test_outputs(cli, args, expected):
    result = cli(*args)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, expected, "")


def test_formula_from_stdin(cli):
    result = cli("diff", "-", "x", stdin="x*x*y + y + 2\n")
    assert result.stdout.strip() == "2*x*y"


def test_json_output(cli):
    result = cli("diff", "x^2*y + y + 2", "x", "--at", "x=3,y=4", "--format", "json")
    record = json.loads(result.stdout)
    assert record == {"expression": "x^2*y + y + 2", "variables": ["x"], "result": "2*x*y",
                      "latex": "2 x y", "at": {"x": 3.0, "y": 4.0}, "value": 24.0}


# arguments => the json object printed
JSON_OUTPUTS = [
    (["grad", "x^2*y + y + 2", "--format", "json"],
     {"expression": "x^2*y + y + 2", "variables": ["x", "y"], "result": ["2*x*y", "x^2 + 1"],
      "latex": ["2 x y", "x^{2} + 1"]}),
    (["hessian", "x^2*y", "--at", "x=3,y=4", "--format", "json"],
     {"expression": "x^2*y", "variables": ["x", "y"], "result": [["2*y", "2*x"], ["2*x", "0"]],
      "latex": [["2 y", "2 x"], ["2 x", "0"]], "at": {"x": 3.0, "y": 4.0},
      "value": [[8.0, 6.0], [6.0, 0.0]]}),
    (["jacobian", "x*y", "sin(x)", "--vars", "x", "--format", "json"],
     {"expressions": ["x*y", "sin(x)"], "variables": ["x"], "result": [["y"], ["cos(x)"]],
      "latex": [["y"], ["\\cos\\left(x\\right)"]]}),
    (["diff", "x/(x + 1)", "--format", "json"],
     {"expression": "x/(x + 1)", "variables": ["x"], "result": "1/(x + 1)^2",
      "latex": "\\frac{1}{\\left(x + 1\\right)^{2}}"}),
    (["diff", "x/(x + 1)", "--at", "x=1", "--raw", "--format", "json"],
     {"expression": "x/(x + 1)", "variables": ["x"], "result": "1/(x + 1) - x/(x + 1)^2",
      "latex": "\\frac{1}{x + 1} - \\frac{x}{\\left(x + 1\\right)^{2}}", "at": {"x": 1.0},
      "value": 0.25}),
    (["grad", "sin(x)*cos(y)", "--at", "x=0,y=0", "--format", "json"],
     {"expression": "cos(y)*sin(x)", "variables": ["x", "y"],
      "result": ["cos(x)*cos(y)", "-sin(x)*sin(y)"],
      "latex": ["\\cos\\left(x\\right) \\cos\\left(y\\right)",
                "-\\sin\\left(x\\right) \\sin\\left(y\\right)"],
      "at": {"x": 0.0, "y": 0.0}, "value": [1.0, -0.0]}),
    (["hessian", "sin(x)^2", "--format", "json"],
     {"expression": "sin(x)^2", "variables": ["x"], "result": [["2*cos(2*x)"]],
      "latex": [["2 \\cos\\left(2 x\\right)"]]}),
    (["simplify", "exp(x)*exp(y)", "--format", "json"],
     {"expression": "exp(x)*exp(y)", "result": "exp(x + y)", "latex": "e^{x + y}",
      "stop_reason": "saturated", "iterations": 2}),
    (["simplify", "x*sin(x)^2 + x*cos(x)^2", "--trace", "--format", "json"],
     {"expression": "x*cos(x)^2 + x*sin(x)^2", "result": "x", "latex": "x",
      "stop_reason": "saturated", "iterations": 3, "steps": [
          {"rule": "collect-common-factors", "before": "x*cos(x)^2 + x*sin(x)^2",
           "after": "x*(cos(x)^2 + sin(x)^2)"},
          {"rule": "pythagoras", "before": "cos(x)^2 + sin(x)^2", "after": "1"}]}),
    (["simplify", "tan(x)^2 + 1", "--at", "x=0", "--format", "json"],
     {"expression": "tan(x)^2 + 1", "result": "sec(x)^2", "latex": "\\sec^{2}\\left(x\\right)",
      "stop_reason": "saturated", "iterations": 2, "at": {"x": 0.0}, "value": 1.0}),
]


@pytest.mark.parametrize("args, expected", JSON_OUTPUTS)
def test_json_outputs(cli, args, expected):
    result = cli(*args)
    assert (result.returncode, json.loads(result.stdout), result.stderr) == (0, expected, "")


def test_jacobian_reads_one_formula_from_stdin(cli):
    result = cli("jacobian", "-", "x + y", stdin="x*y\n")
    assert result.stdout == "x*y:\n  d/dx = y\n  d/dy = x\nx + y:\n  d/dx = 1\n  d/dy = 1\n"


def _substitute(expr, env):
    """``expr`` with the variables named in ``env`` replaced, rebuilt children first."""
    new = {}
    for node in symdiff.topological(expr):
        if type(node) is symdiff.Var:
            new[node] = env.get(node.name, node)
        else:
            new[node] = type(node)(*(new[a] for a in node.args)) if node.args else node
    return new[expr]


def _unbind(bindings, texts):
    """Parse shared-form output back into expressions, the names t1, t2, ... substituted."""
    env = {}
    for name, body in bindings:
        env[name] = _substitute(symdiff.parse(body), env)
    return [_substitute(symdiff.parse(text), env) for text in texts]


DEEP = "sin(" * 300 + "x*y" + ")" * 300        # the plain gradient tree has ~90,000 nodes


def test_large_gradient_binds_shared_subexpressions_once_for_all_entries(cli):
    result = cli("grad", "-", stdin=DEEP)
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and lines[:2] == ["t1 = x*y", "t2 = sin(t1)"]
    bindings = [line.split(" = ", 1) for line in lines[:-2]]
    assert [name for name, _ in bindings] == [f"t{k}" for k in range(1, len(bindings) + 1)]
    labels, texts = zip(*(line.split(" = ", 1) for line in lines[-2:]))
    assert labels == ("d/dx", "d/dy") and all("t" in text for text in texts)
    assert len(result.stdout) < 20_000
    # substituted back, the entries are exactly the gradient (one object per formula)
    expected = symdiff.gradient(symdiff.parse(DEEP), ["x", "y"])
    assert all(a is b for a, b in zip(_unbind(bindings, texts), expected))


def test_large_hessian_json_has_bindings_and_values(cli):
    result = cli("hessian", "-", "--at", "x=0.3,y=0.7", "--format", "json", "--raw", stdin=DEEP)
    record = json.loads(result.stdout)
    assert result.returncode == 0
    assert list(record) == ["expression", "variables", "bindings", "result", "at", "value"]
    matrix = symdiff.hessian(symdiff.parse(DEEP), ["x", "y"])
    entries = _unbind(record["bindings"].items(), [t for row in record["result"] for t in row])
    assert all(a is b for a, b in zip(entries, [e for row in matrix for e in row]))
    point = {"x": 0.3, "y": 0.7}
    assert record["value"] == [[pytest.approx(e.evaluate(point), rel=1e-12) for e in row]
                               for row in matrix]


def test_large_simplified_hessian_keeps_the_bound_form_and_the_values(cli):
    result = cli("hessian", "-", stdin=DEEP)
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and result.stderr == "" and lines[0] == "t1 = x*y"
    bindings = [line.split(" = ", 1) for line in lines[:-3]]
    labels, texts = zip(*(line.split(" = ", 1) for line in lines[-3:]))
    assert [label.strip() for label in labels] == ["d^2/dx^2", "d^2/dx dy", "d^2/dy^2"]
    matrix = symdiff.hessian(symdiff.parse(DEEP), ["x", "y"])
    for point in ({"x": 0.3, "y": 0.7}, {"x": -1.1, "y": 0.2}):
        assert [e.evaluate(point) for e in _unbind(bindings, texts)] == [
            pytest.approx(e.evaluate(point), rel=1e-9, abs=1e-12)
            for e in (matrix[0][0], matrix[0][1], matrix[1][1])]


def test_large_results_bind_shared_subexpressions(cli):
    text = "sin(" * 3000 + "x" + ")" * 3000
    result = cli("diff", "-", stdin=text)
    lines = result.stdout.splitlines()
    assert result.returncode == 0
    assert lines[0] == "t1 = sin(x)" and lines[1] == "t2 = sin(t1)"
    assert len(result.stdout) < 200_000        # the plain tree would be ~45 million characters


def test_help_and_version(cli):
    result = cli("--help")
    assert result.returncode == 0 and "examples:" in result.stdout and "diff" in result.stdout
    assert cli("diff", "--help").stdout.count("symdiff diff") >= 3
    assert "d^2/dx dy = 2*x" in cli("hessian", "--help").stdout
    assert "--only-rules" in cli("simplify", "--help").stdout
    assert "--raw" in cli("grad", "--help").stdout
    version = cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("symdiff ")


# arguments => a piece of the one-message error (exit status 2, no traceback)
BAD = [
    (["diff", "x^2 +", "x"], "unexpected end of formula"),
    (["diff", "sine(x)", "x"], "did you mean 'sin'"),
    (["diff", "x^2*y"], "name the one to differentiate by"),
    (["diff", "x^2", "2x"], "'2x' is not a variable name"),
    (["diff", "x^2", "--at", "x3"], "--at expects name=value"),
    (["diff", "x^2", "--at", "x=y"], "cannot contain variables"),
    (["diff", "x^2", "--at", "x=(1"], "unexpected end of formula"),
    (["diff", "log(x)", "--at", "x=-1"], "log needs a positive argument"),
    (["diff", "x^2", "--format", "pdf"], "invalid choice"),
    (["eval", "x + y", "--at", "x=1"], "no value for variable 'y'"),
    (["frobnicate"], "invalid choice"),
    (["grad", "x^2", "--vars", "2x"], "--vars: '2x' is not a variable name"),
    (["grad", "x^2", "--vars", "x y"], "separate names with commas"),
    (["grad", "x*y", "--vars", "x,y,x"], "--vars: 'x' is listed twice"),
    (["hessian", "x^2", "--vars", "pi"], "'pi' is a constant, not a variable"),
    (["hessian", "x^2", "--vars", ","], "--vars names no variable"),
    (["grad", "5"], "the formula has no variables"),
    (["grad", "sqrt(x)", "--at", "x=0"], "d/dx cannot be evaluated here: 1/sqrt(x) divides by zero"),
    (["hessian", "log(x - 2)", "--at", "x=1"], "log needs a positive argument"),
    (["jacobian", "x", "y", "--at", "x=1"], "no value for variable 'y'"),
    (["jacobian", "x*y", "x^"], "unexpected end of formula"),
    (["jacobian", "-", "-"], "only one EXPR can be -"),
    (["jacobian"], "the following arguments are required: EXPR"),
    ([], "required"),
    (["simplify", "x +"], "unexpected end of formula"),
    (["simplify", "x", "--only-rules"], "--only-rules needs at least one --rules FILE"),
    (["simplify", "x", "--rules", "missing.txt"], "--rules missing.txt: No such file"),
    (["simplify", "x", "--rules", "."], "--rules .: Is a directory"),
    (["simplify", "x", "--timeout", "0"], "--timeout: expected a positive number of seconds"),
    (["simplify", "x", "--timeout", "nan"], "--timeout: expected a positive number of seconds"),
    (["diff", "x", "--max-iterations", "0"], "--max-iterations: expected a positive whole"),
    (["simplify", "(x^2 - 1)/(x - 1)", "--at", "x=1"], "divides by zero"),
    (["grad", "x", "--trace"], "unrecognized arguments: --trace"),
    (["eval", "x", "--at", "x=1", "--raw"], "unrecognized arguments: --raw"),
]


@pytest.mark.parametrize("args, message", BAD)
def test_bad_input_gives_one_clear_message(cli, args, message):
    result = cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.startswith("symdiff: error:")
    assert "Traceback" not in result.stderr and result.stdout == ""


def _help_examples(epilog):
    """``$ symdiff ARGS`` lines of a help text, each with the lines of output below it."""
    examples = []
    for line in epilog.splitlines()[1:]:
        line = line[2:]
        if line.startswith("$ symdiff "):
            examples.append((shlex.split(line)[2:], []))
        else:
            examples[-1][1].append(line)
    return examples


HELP_EXAMPLES = [example for epilog in (texts.GRAD_EXAMPLES, texts.HESSIAN_EXAMPLES,
                                        texts.JACOBIAN_EXAMPLES, texts.SIMPLIFY_EXAMPLES)
                 for example in _help_examples(epilog)]


@pytest.mark.parametrize("args, output", HELP_EXAMPLES, ids=[" ".join(a) for a, _ in HELP_EXAMPLES])
def test_help_examples_are_true(capsys, args, output):
    """The examples in ``symdiff grad/hessian/jacobian/simplify --help``."""
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines() == output


def _overview_examples():
    """The two-column examples of ``symdiff --help``: (command, stdin, output lines)."""
    examples = []
    for line in texts.EXAMPLES.splitlines()[1:]:
        command, output = line[:45].strip(), line[45:].split("   (")[0]
        if command:
            stdin, _, command = command.rpartition("| ")
            stdin = shlex.split(stdin)[1] + "\n" if stdin else ""
            examples.append((shlex.split(command)[1:], stdin, [output]))
        else:
            examples[-1][2].append(output)
    return examples


@pytest.mark.parametrize("args, stdin, output", _overview_examples())
def test_overview_examples_are_true(capsys, monkeypatch, args, stdin, output):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines() == output


def test_large_diff_json_at_a_point_keeps_the_bound_form(capsys, monkeypatch):
    """--at with json used to write the plain tree: ~45 MB for this formula."""
    monkeypatch.setattr("sys.stdin", io.StringIO("sin(" * 3000 + "x" + ")" * 3000))
    assert main(["diff", "-", "--at", "x=0.5", "--format", "json"]) == 0
    out = capsys.readouterr().out
    record = json.loads(out)
    assert len(out) < 500_000 and record["bindings"]["t1"] == "sin(x)"
    assert record["value"] == pytest.approx(0.00023812428985143779)


def _run(capsys, *args):
    """``symdiff ARGS``: (exit status, stdout, stderr)."""
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_rules_file_adds_to_the_default_rules(capsys, tmp_path):
    rules = tmp_path / "rules.txt"
    rules.write_text("# my rules\n\nsecant: 1/cos(a) -> sec(a)   # as a person writes it\n")
    status, out, err = _run(capsys, "simplify", "sin(x)^2 + cos(x)^2 + 1/cos(x)", "--rules",
                            str(rules), "--trace")
    assert (status, err) == (0, "")
    assert out.splitlines() == ["secant: 1/cos(x)  =>  sec(x)",
                                "pythagoras: cos(x)^2 + sin(x)^2 + sec(x)  =>  sec(x) + 1",
                                "stopped: saturated after 2 passes", "sec(x) + 1"]


def test_only_rules_uses_the_files_alone(capsys, tmp_path):
    double = tmp_path / "double.txt"
    double.write_text("double: sin(2*a) -> 2*sin(a)*cos(a)\n")
    log = tmp_path / "log.txt"
    log.write_text("log-product: log(a*b) -> log(a) + log(b) where a > 0, b > 0\n")
    only = ["--rules", str(double), "--rules", str(log), "--only-rules"]
    assert _run(capsys, "simplify", "sin(4*x)", *only) == (0, "4*cos(x)*cos(2*x)*sin(x)\n", "")
    assert _run(capsys, "simplify", "log(2*exp(x))", *only) == (0, "x + log(2)\n", "")
    # the default rules are not used: pythagoras does not fire
    assert _run(capsys, "simplify", "sin(x)^2 + cos(x)^2 + sin(2*y)", *only) == (
        0, "cos(x)^2 + 2*cos(y)*sin(y) + sin(x)^2\n", "")


# a rules file's text => a piece of the message (which names the file and the line)
BAD_RULES = [
    ("ok: sin(a) -> a\n# a comment\nbad: sin(a -> a\n", "line 3, column 11: the left side does not"),
    ("no arrow here\n", "line 1: a rule reads 'name: lhs -> rhs'"),
    ("a: sin(a) -> a\na: cos(a) -> a\n", "line 2: the name 'a' is already used on line 1"),
    ("\nodd: sin(a) -> b\n", "line 2: rule 'odd': b on the right side"),
    ("lone: x -> y\n", "line 1: rule 'lone': the left side must be a pattern"),
    ("p: sin(a) -> a where a is frob\n", "line 1: unknown property 'frob'"),
    ("evil: sin(a) -> a where __import__('os').getcwd() != 0\n", "line 1: in the condition"),
]


@pytest.mark.parametrize("text, message", BAD_RULES)
def test_bad_rules_file_gives_one_message_naming_the_line(cli, tmp_path, text, message):
    (tmp_path / "rules.txt").write_text(text)
    result = cli("simplify", "sin(x)", "--rules", "rules.txt")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"symdiff: error: rules.txt, {message}")
    assert "Traceback" not in result.stderr


def test_rules_file_that_is_not_text(capsys, tmp_path):
    rules = tmp_path / "rules.bin"
    rules.write_bytes(b"\xff\xfe\x00a")
    status, out, err = _run(capsys, "simplify", "x", "--rules", str(rules))
    assert (status, out) == (2, "") and "not a text file" in err


def test_a_limit_gives_a_note_and_the_result_so_far(capsys):
    status, out, err = _run(capsys, "simplify", "x*sin(x)^2 + x*cos(x)^2", "--max-iterations", "1")
    assert (status, out) == (0, "x*(cos(x)^2 + sin(x)^2)\n")
    assert err == ("symdiff: note: simplifying stopped at the iteration limit (1 pass; see "
                   "--max-iterations); the result is equal to EXPR but may simplify further\n")
    status, out, err = _run(capsys, "simplify", "x*sin(x)^2 + x*cos(x)^2", "--max-iterations", "1",
                            "--trace", "--format", "json")
    record = json.loads(out)
    assert (status, record["stop_reason"], record["iterations"]) == (0, "iteration limit", 1)
    assert [step["rule"] for step in record["steps"]] == ["collect-common-factors"]
    assert "iteration limit" in err


def test_derivatives_left_unsimplified_by_a_limit_get_a_note(capsys):
    status, out, err = _run(capsys, "grad", "x^2*exp(-x)*y", "--timeout", "1e-9")
    assert (status, out) == (0, "d/dx = 2*x*y*exp(-x) - x^2*y*exp(-x)\nd/dy = x^2*exp(-x)\n")
    assert err == ("symdiff: note: simplifying stopped at the time limit (1e-09 s; see "
                   "--timeout); the results are correct but may simplify further (--raw skips "
                   "simplifying)\n")
    status, out, err = _run(capsys, "jacobian", "x*sin(x)^2 + x*cos(x)^2", "x*y",
                            "--max-iterations", "1")
    assert status == 0 and out.splitlines()[1] == "  d/dx = 1"
    assert err.startswith("symdiff: note: simplifying stopped at the iteration limit")


def test_values_at_a_point_do_not_wait_for_the_simplifier(capsys, monkeypatch):
    """With --at (text), only values are printed: nothing is simplified."""
    def refuse(*args, **kwargs):
        raise AssertionError("simplified")
    monkeypatch.setattr("symdiff.cli.notes.simplify_result", refuse)
    assert _run(capsys, "hessian", "x^3*y^2", "--at", "x=1,y=2") == (
        0, "d^2/dx^2  = 24\nd^2/dx dy = 12\nd^2/dy^2  = 2\n", "")
    assert _run(capsys, "diff", "sin(x)^2", "--at", "x=0") == (0, "0\n", "")
    assert _run(capsys, "grad", "x*y", "--raw") == (0, "d/dx = y\nd/dy = x\n", "")


def test_simplify_reads_deep_formulas_from_stdin(capsys, monkeypatch):
    deep = "sin(" * 3000 + "x" + ")" * 3000
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{deep} + sin(x)^2 + cos(x)^2"))
    assert _run(capsys, "simplify", "-") == (0, f"{deep} + 1\n", "")


# ------------------------------------------- the installed program, run as new processes
PYTHON_M = [sys.executable, "-m", "symdiff"]


def test_the_installed_command(cli_process):
    program = shutil.which("symdiff", path=str(Path(sys.executable).parent))
    if program is None:
        pytest.skip("the symdiff command is not installed next to this Python")
    result = cli_process([program, "diff", "x^2*y + y + 2", "x"])
    assert (result.returncode, result.stdout, result.stderr) == (0, "2*x*y\n", "")


def test_python_m_symdiff_help(cli_process):
    result = cli_process([*PYTHON_M, "--help"])
    assert result.returncode == 0 and "examples:" in result.stdout and result.stderr == ""


def test_python_m_symdiff_cli(cli_process):
    result = cli_process([sys.executable, "-m", "symdiff.cli", "diff", "x^3"])
    assert (result.returncode, result.stdout, result.stderr) == (0, "3*x^2\n", "")


def test_bad_input_in_a_process_is_exit_status_2_without_a_traceback(cli_process):
    result = cli_process([*PYTHON_M, "diff", "x^2 +", "x"])
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("symdiff: error: unexpected end of formula")
    assert "Traceback" not in result.stderr


def test_a_process_reads_the_formula_from_stdin(cli_process):
    result = cli_process([*PYTHON_M, "diff", "-", "x"], stdin="x*x*y + y + 2\n")
    assert (result.returncode, result.stdout, result.stderr) == (0, "2*x*y\n", "")


# ------------------------------------------------------------------ outputs stay valid
def test_simplify_trace_with_python_output_is_a_python_module(cli):
    result = cli("simplify", "x*sin(x)^2 + x*cos(x)^2", "--trace", "--format", "python")
    assert result.returncode == 0
    namespace: dict = {}
    exec(compile(result.stdout, "<symdiff output>", "exec"), namespace)   # symdiff's code
    assert namespace["f"](3.0) == 3.0
    assert "pythagoras" in result.stderr and "stopped: saturated" in result.stderr


def test_simplify_trace_with_latex_output_keeps_the_trace_off_stdout(cli):
    result = cli("simplify", "x*sin(x)^2 + x*cos(x)^2", "--trace", "--format", "latex")
    assert (result.returncode, result.stdout) == (0, "x\n")
    assert "pythagoras" in result.stderr


def test_large_latex_results_are_an_aligned_environment(cli, monkeypatch):
    monkeypatch.setattr(symdiff.cli.output, "PLAIN_TREE_LIMIT", 50)
    result = cli("diff", "-", "--format", "latex", stdin="sin(" * 12 + "x" + ")" * 12)
    lines = result.stdout.splitlines()
    assert lines[0] == "\\begin{aligned}" and lines[-1] == "\\end{aligned}"
    assert lines[1] == "t_{1} &= \\sin\\left(x\\right) \\\\" and lines[-2].startswith("&")
    result = cli("hessian", "sin(x*y)^3*cos(x*y)^2", "--format", "latex")
    assert "\\begin{aligned}" in result.stdout and "t1 =" not in result.stdout


@pytest.mark.parametrize("error, message", [
    (OverflowError("(34, 'Numerical result out of range')"), "overflows a float"),
    (ZeroDivisionError("division by zero"), "divided by zero"),
    (MemoryError(), "out of memory"),
    (ValueError("Exceeds the limit (4300 digits) for integer string conversion"), "digits"),
])
def test_errors_from_the_size_of_the_input_are_one_line_and_status_2(cli, monkeypatch,
                                                                     error, message):
    def fail(*args, **kwargs):
        raise error
    monkeypatch.setattr(symdiff.cli.commands, "diff", fail)
    result = cli("diff", "x^2", "x")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("symdiff: error: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "internal error" not in result.stderr


@pytest.mark.parametrize("error", [ValueError("something symdiff got wrong"),
                                   RecursionError("maximum recursion depth exceeded")])
def test_a_bug_is_still_an_internal_error(cli, monkeypatch, error):
    """Nothing in symdiff recurses over a formula, so a RecursionError is a bug too."""
    def fail(*args, **kwargs):
        raise error
    monkeypatch.setattr(symdiff.cli.commands, "diff", fail)
    result = cli("diff", "x^2", "x")
    assert result.returncode == 1 and result.stderr.startswith("symdiff: internal error:")
