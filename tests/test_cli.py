"""The command line, run as a user would: output, exit status, and messages for bad input."""
import io
import json
import shlex

import pytest

import symdiff
from symdiff import cli

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
    (["diff", "x^2", "z"], "0"),
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
    result = cli("hessian", "-", "--at", "x=0.3,y=0.7", "--format", "json", stdin=DEEP)
    record = json.loads(result.stdout)
    assert result.returncode == 0
    assert list(record) == ["expression", "variables", "bindings", "result", "at", "value"]
    matrix = symdiff.hessian(symdiff.parse(DEEP), ["x", "y"])
    entries = _unbind(record["bindings"].items(), [t for row in record["result"] for t in row])
    assert all(a is b for a, b in zip(entries, [e for row in matrix for e in row]))
    point = {"x": 0.3, "y": 0.7}
    assert record["value"] == [[pytest.approx(e.evaluate(point), rel=1e-12) for e in row]
                               for row in matrix]


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


HELP_EXAMPLES = [example for epilog in (cli.GRAD_EXAMPLES, cli.HESSIAN_EXAMPLES,
                                        cli.JACOBIAN_EXAMPLES)
                 for example in _help_examples(epilog)]


@pytest.mark.parametrize("args, output", HELP_EXAMPLES, ids=[" ".join(a) for a, _ in HELP_EXAMPLES])
def test_help_examples_are_true(capsys, args, output):
    """The examples in ``symdiff grad/hessian/jacobian --help``, run in this process."""
    assert cli.main(args) == 0
    assert capsys.readouterr().out.splitlines() == output


def _overview_examples():
    """The two-column examples of ``symdiff --help``: (command, stdin, output lines)."""
    examples = []
    for line in cli.EXAMPLES.splitlines()[1:]:
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
    assert cli.main(args) == 0
    assert capsys.readouterr().out.splitlines() == output


def test_large_diff_json_at_a_point_keeps_the_bound_form(capsys, monkeypatch):
    """--at with json used to write the plain tree: ~45 MB for this formula."""
    monkeypatch.setattr("sys.stdin", io.StringIO("sin(" * 3000 + "x" + ")" * 3000))
    assert cli.main(["diff", "-", "--at", "x=0.5", "--format", "json"]) == 0
    out = capsys.readouterr().out
    record = json.loads(out)
    assert len(out) < 500_000 and record["bindings"]["t1"] == "sin(x)"
    assert record["value"] == pytest.approx(0.00023812428985143779)
