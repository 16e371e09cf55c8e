"""The command line, run as a user would: output, exit status, and messages for bad input."""
import json

import pytest

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
    ([], "required"),
]


@pytest.mark.parametrize("args, message", BAD)
def test_bad_input_gives_one_clear_message(cli, args, message):
    result = cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.startswith("symdiff: error:")
    assert "Traceback" not in result.stderr and result.stdout == ""
