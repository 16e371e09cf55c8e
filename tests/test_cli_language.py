"""The command line's language: counts after a variable (diff f x 3), several formulas (diff
f g x), notes for likely typos (a variable that does not occur, sinx), --at checked against
the formulas, check with parameters, and every subcommand's help examples run as shown.

All through ``main(argv)`` in this process (the ``cli`` fixture)."""
import json
import re
import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symdiff
import symdiff.verify.check
from conftest import run_in_process
from symdiff.cli import help as texts
from symdiff.cli.parser import build_parser
from symdiff.cli.positionals import derivative_label, split_positionals
from strategies import formulas

# arguments => stdout (exit status 0, nothing on stderr)
OUTPUTS = [
    # a count after a variable repeats it
    (["diff", "x^5*exp(x)", "x", "3"], "x^2*exp(x)*(x^3 + 15*x^2 + 60*x + 60)"),
    (["diff", "x^5*exp(x)", "x", "3", "--raw"],
     "x^5*exp(x) + 15*x^4*exp(x) + 60*x^3*exp(x) + 60*x^2*exp(x)"),
    (["diff", "x^3*y^2", "x", "2", "y"], "12*x*y"),
    (["diff", "x^3*y^2", "x", "2", "y", "2"], "12*x"),
    (["diff", "x^3*y^2", "x", "x", "y"], "12*x*y"),
    (["diff", "x^4", "x", "4"], "24"),
    (["diff", "x^4", "x", "5"], "0"),
    (["diff", "sin(x)", "x", "100"], "sin(x)"),
    (["diff", "x^5*exp(x)", "x", "3", "--at", "x=1"], "369.6863286704301"),
    (["diff", "θ^3", "θ", "2"], "6*θ"),
    (["diff", "x^3", "x", "2", "--format", "latex"], "6 x"),
    # several formulas: each result on its own line, in order
    (["diff", "sin(x)", "cos(x)", "x"], "cos(x)\n-sin(x)"),
    (["diff", "sin(x)", "cos(x)", "x", "2"], "-sin(x)\n-cos(x)"),
    (["diff", "x^2*y", "x*y^2", "x", "y"], "2*x\n2*y"),
    (["diff", "sin(x)", "cos(x)", "exp(x)"], "cos(x)\n-sin(x)\nexp(x)"),
    (["diff", "sin(x)", "cos(x)", "x", "--at", "x=0"], "1\n0"),
    (["diff", "x*y", "y^2", "y", "--at", "x=3,y=2"], "3\n4"),
    (["diff", "sin(x)", "cos(x)", "x", "--format", "latex"],
     "\\cos\\left(x\\right)\n-\\sin\\left(x\\right)"),
    (["diff", "x/(x + 1)", "x^2", "x", "--raw"], "1/(x + 1) - x/(x + 1)^2\n2*x"),
    (["diff", "-x^2", "-x^3", "x"], "-2*x\n-3*x^2"),
    # the trailing names are variables: diff x y is x by y; (y) is a formula
    (["diff", "x", "(y)", "y"], "0\n1"),
    # --at: every name occurs in a formula (or is a variable named to differentiate by)
    (["grad", "x^2*y", "--vars", "y,z", "--at", "x=1,y=2,z=3"], "d/dy = 1\nd/dz = 0"),
    (["eval", "x + 1", "--at", "ｘ=2"], "3"),
]


@pytest.mark.parametrize("args, expected", OUTPUTS, ids=[" ".join(a) for a, _ in OUTPUTS])
def test_outputs(cli, args, expected):
    result = cli(*args)
    assert (result.returncode, result.stdout.rstrip("\n"), result.stderr) == (0, expected, "")


def test_several_formulas_json_is_a_list_of_the_one_formula_objects(cli):
    one = [json.loads(cli("diff", f, "x", "2", "--at", "x=1", "--format", "json").stdout)
           for f in ("x^3", "exp(2*x)")]
    both = cli("diff", "x^3", "exp(2*x)", "x", "2", "--at", "x=1", "--format", "json")
    assert json.loads(both.stdout) == one
    assert one[0] == {"expression": "x^3", "variables": ["x", "x"], "result": "6*x",
                      "latex": "6 x", "at": {"x": 1.0}, "value": 6.0}


def test_one_formula_json_keeps_its_object(cli):
    result = cli("diff", "x^2*y+y+2", "x", "--format", "json")
    assert json.loads(result.stdout) == {"expression": "x^2*y + y + 2", "variables": ["x"],
                                         "result": "2*x*y", "latex": "2 x y"}


def test_counts_with_steps(cli):
    counted, repeated = cli("diff", "x^3", "x", "2", "--steps"), cli("diff", "x^3", "x", "x",
                                                                       "--steps")
    assert counted.stdout == repeated.stdout and counted.returncode == 0
    assert counted.stdout.endswith("result: 6*x\n") and counted.stdout.count("result:") == 2
    record = json.loads(cli("diff", "x^3", "x", "2", "--steps", "--format", "json").stdout)
    assert (record["variables"], record["result"]) == (["x", "x"], "6*x")


def test_several_formulas_with_steps(cli):
    result = cli("diff", "x^2", "x^3", "x", "--steps", "--at", "x=2")
    blocks = result.stdout.split("\n\n")
    assert result.returncode == 0 and len(blocks) == 2
    assert blocks[0].endswith("result: 2*x\nvalue at x=2: 4")
    assert blocks[1].endswith("result: 3*x^2\nvalue at x=2: 12\n")
    records = json.loads(cli("diff", "x^2", "x^3", "x", "--steps", "--format", "json").stdout)
    assert [r["result"] for r in records] == ["2*x", "3*x^2"]


def test_several_formulas_compiled(cli, tmp_path):
    (tmp_path / "points.csv").write_text("x\n1\n2\n")
    result = cli("diff", "x^2", "x^3", "x", "2", "--points", "points.csv")
    assert result.stdout.splitlines() == ["x,d^2/dx^2 of x^2,d^2/dx^2 of x^3", "1,2.0,6.0",
                                          "2,2.0,12.0"]
    source = cli("diff", "x^2", "x^3", "x", "--format", "python").stdout
    namespace: dict = {}
    exec(compile(source, "<symdiff output>", "exec"), namespace)    # symdiff's own code
    assert namespace["derivative"](2.0) == [4.0, 12.0]


@pytest.mark.slow
def test_large_results_of_several_formulas_share_one_set_of_bindings(cli):
    deep = "sin(" * 3000 + "x" + ")" * 3000
    result = cli("diff", deep, f"cos({deep})", "x")
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and lines[0] == "t1 = sin(x)"
    names = [line.split(" = ")[0] for line in lines[:-2]]
    assert names == [f"t{k}" for k in range(1, len(names) + 1)]      # each bound once
    assert not lines[-1].startswith("t") or " = " not in lines[-1]
    assert len(result.stdout) < 400_000


# arguments => (stdout, stderr): the result is printed, a note explains, exit status 0
NOTES = [
    (["diff", "x^2", "X"], "0",
     "symdiff: note: X does not occur in the formula; its variables are x"),
    (["diff", "x", "y"], "0",
     "symdiff: note: y does not occur in the formula; its variables are x"),
    (["diff", "5", "x"], "0",
     "symdiff: note: x does not occur in the formula; it has no variables"),
    (["diff", "x^2", "y^2", "z"], "0\n0",
     "symdiff: note: z does not occur in the formulas; their variables are x, y"),
    (["diff", "x^2*y", "X", "2", "y"], "0",
     "symdiff: note: X does not occur in the formula; its variables are x, y"),
    (["diff", "sinx^2", "sinx"], "2*sinx",
     "symdiff: note: 'sinx' is read as a variable; for sin of x write sin(x)"),
    (["diff", "expx + logx1", "expx"], "1",
     "symdiff: note: 'expx' is read as a variable; for exp of x write exp(x)\n"
     "symdiff: note: 'logx1' is read as a variable; for log of x1 write log(x1)"),
    (["diff", "sqrtx", "sqrtx"], "1",
     "symdiff: note: 'sqrtx' is read as a variable; for sqrt of x write sqrt(x)"),
    (["diff", "sinhtheta", "sinhtheta"], "1",
     "symdiff: note: 'sinhtheta' is read as a variable; for sinh of theta write sinh(theta)"),
    # every command that reads a formula
    (["eval", "2*cosx", "--at", "cosx=1"], "2",
     "symdiff: note: 'cosx' is read as a variable; for cos of x write cos(x)"),
    (["simplify", "tanx + tanx"], "2*tanx",
     "symdiff: note: 'tanx' is read as a variable; for tan of x write tan(x)"),
    (["grad", "expy"], "d/dexpy = 1",
     "symdiff: note: 'expy' is read as a variable; for exp of y write exp(y)"),
    (["jacobian", "x", "lnx"], "x:\n  d/dlnx = 0\n  d/dx   = 1\nlnx:\n  d/dlnx = 1\n  d/dx   = 0",
     "symdiff: note: 'lnx' is read as a variable; for ln of x write ln(x)"),
]


@pytest.mark.parametrize("args, stdout, stderr", NOTES, ids=[" ".join(a) for a, *_ in NOTES])
def test_notes(cli, args, stdout, stderr):
    result = cli(*args)
    assert (result.returncode, result.stdout.rstrip("\n"), result.stderr.rstrip("\n")) == (
        0, stdout, stderr)


@pytest.mark.parametrize("formula", ["cost", "x*steps", "logs + mins", "sine", "logistic",
                                     "exp_x", "sin2", "x"])
def test_no_hint_for_names_that_are_not_a_call(cli, formula):
    """Common words, and names whose rest after a function name is not one letter (with
    digits) or a Greek letter's name."""
    variables = ",".join(f"{name}=1" for name in symdiff.parse(formula).free_vars)
    result = cli("eval", formula, "--at", variables)
    assert result.returncode == 0 and "note" not in result.stderr, result.stderr


def test_hints_are_capped(cli):
    formula = " + ".join(f"sinx{i}" for i in range(10))
    result = cli("simplify", formula)
    notes = result.stderr.splitlines()
    assert result.returncode == 0 and len(notes) == 4
    assert notes[-1] == "symdiff: note: ... and 7 more such variables"


def test_hints_for_check_explain_and_graph(cli):
    for args in (["check", "sinx*y", "--points", "2"], ["explain", "expx", "--at", "expx=1"],
                 ["graph", "logx"]):
        result = cli(*args)
        assert result.returncode == 0 and "is read as a variable" in result.stderr, args


# arguments => the one-line message (exit status 2, nothing on stdout, no traceback)
BAD = [
    (["diff", "x^2", "3"], "3 is a count but follows no variable"),
    (["diff", "x^2", "x", "0"], "x 0: a count is a positive whole number"),
    (["diff", "x^2", "x", "-1"], "x -1: a count is a positive whole number"),
    (["diff", "x^2", "x", "2.5"], "x 2.5: a count is a positive whole number"),
    (["diff", "x^2", "x", "1e3"], "x 1e3: a count is a positive whole number"),
    (["diff", "x^2", "x", "101"], "x 101: at most 100 derivatives by one variable"),
    (["diff", "x^2", "x", "2", "3"], "x 2 3: one count per variable"),
    (["diff", "e*x", "e"], "e is the constant e (2.718...), not a variable;"),
    (["diff", "x", "E"], "E is the constant e (2.718...), not a variable;"),
    (["diff", "pi*x", "pi"], "pi is the constant pi (3.14159...), not a variable;"),
    (["diff", "x", "π"], "π is the constant pi (3.14159...), not a variable;"),
    (["diff", "sin(x)", "sin"], "sin is a function, not a variable"),
    (["diff", "x^2", "2x"], "'2x' is not a variable name"),
    (["diff", "x^2", "y^2"], "the formulas have 2 variables (x, y): name the one"),
    (["diff", "-", "-", "x"], "only one EXPR can be -"),
    (["diff", "x^2", "y +", "x"], "unexpected end of formula"),
    # --at: a name the formula lacks, a name given twice
    (["diff", "x*y", "x", "--at", "z=1"],
     "--at z=1: z does not occur in the formula (its variables are x, y)"),
    (["diff", "x", "y^2", "x", "--at", "x=1,y=2,w=0"],
     "--at w=0: w occurs in none of the formulas (their variables are x, y)"),
    (["eval", "3", "--at", "x=1"],
     "--at x=1: x does not occur in the formula (it has no variables)"),
    (["diff", "x*y", "x", "--at", "x=1,x=2"], "--at gives x twice (x=1 and x=2)"),
    (["diff", "x*y", "x", "--at", "x=1", "--at", "x=2,y=1"], "--at gives x twice (x=1 and x=2)"),
    (["eval", "x*e", "--at", "x=1,e=2"], "--at e=2: 'e' is not a valid variable name: e is the"),
    (["simplify", "x", "--at", "y=1"], "--at y=1: y does not occur in the formula"),
    (["grad", "x*y", "--at", "x=1,y=2,z=3"], "--at z=3: z does not occur in the formula"),
    (["hessian", "x*y", "--vars", "x", "--at", "x=1,y=2,q=3"], "--at q=3: q does not occur"),
    (["jacobian", "x", "y", "--at", "x=1,y=2,q=3"], "--at q=3: q occurs in none of the formulas"),
    (["explain", "x*y", "--at", "x=1,y=2,z=3"], "--at z=3: z does not occur in the formula"),
    (["graph", "x*y", "--at", "x=1,y=2,z=3"], "--at z=3: z does not occur in the formula"),
    (["diff", "x^2", "x", "--steps", "--at", "z=1"], "--at z=1: z does not occur"),
]


@pytest.mark.parametrize("args, message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input(cli, args, message):
    result = cli(*args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("symdiff: error: ") and message in result.stderr
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ check with parameters
ROBOT = "cos(q1)*(a2*cos(q2))"


def test_check_with_a_fixed_parameter(cli):
    result = cli("check", ROBOT, "--vars", "q1,q2", "--at", "a2=0.5", "--points", "3")
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and result.stderr == ""
    assert lines[0] == "checked the gradient of a2*cos(q1)*cos(q2) by q1, q2 at 3 points (seed 0)"
    assert lines[-1] == "ok: every method agrees with symdiff within tolerance"
    assert all("a2=0.5" in line for line in lines[2:-1] if " at " in line)


def test_check_with_a_drawn_parameter(cli):
    result = cli("check", ROBOT, "--vars", "q1,q2", "--range", "a2=0.1:2", "--hessian",
                 "--format", "json")
    record = json.loads(result.stdout)
    assert result.returncode == 0 and record["ok"] and record["variables"] == ["q1", "q2"]
    drawn = {m["at"]["a2"] for m in record["methods"] if m.get("at")}
    assert drawn and all(0.1 <= a2 <= 2 for a2 in drawn)


def test_check_parameters_through_the_api():
    report = symdiff.check(ROBOT, ["q1", "q2"], points=3, parameters={"a2": 0.5})
    assert report.ok and report.compared == 3
    report = symdiff.check(ROBOT, ["q1"], points=3, parameters={"a2": (1, 2), "q2": -0.3})
    assert report.ok and report.compared == 3
    with pytest.raises(ValueError, match="q1 is a variable checked"):
        symdiff.check(ROBOT, ["q1", "q2"], parameters={"q1": 1.0, "a2": 1.0})
    with pytest.raises(ValueError, match="a range must be"):
        symdiff.check(ROBOT, ["q1", "q2"], parameters={"a2": (2, 1)})


def test_check_catches_a_wrong_rule_with_parameters(cli, monkeypatch):
    """The parameters do not hide a disagreement: a broken cos rule still fails."""
    original = symdiff.verify.check.gradient

    def wrong(expr, names):
        return [2 * entry for entry in original(expr, names)]
    monkeypatch.setattr("symdiff.verify.check.gradient", wrong)
    result = cli("check", ROBOT, "--vars", "q1,q2", "--at", "a2=0.5", "--points", "2")
    assert result.returncode == 1 and "disagree" in result.stdout


CHECK_BAD = [
    (["check", ROBOT, "--vars", "q1,q2"],
     "a2 has no value: give it with --at a2=... or --range a2=LO:HI, or list it in --vars"),
    (["check", "a*x + b*y", "--vars", "x"],
     "a, b, y have no value: give them with --at a=...,b=...,y=... or --range "
     "a=LO:HI,b=LO:HI,y=LO:HI, or list them in --vars"),
    (["check", ROBOT, "--vars", "q1,q2", "--at", "a2=1", "--range", "a2=1:2"],
     "a2: give a parameter --at or --range, not both"),
    (["check", ROBOT, "--vars", "q1,q2", "--at", "q1=1,a2=1"], "--at q1: q1 is a variable checked"),
    (["check", ROBOT, "--vars", "q1,q2", "--at", "a2=1,a3=1"],
     "--at a3: a3 does not occur in the formula"),
    (["check", ROBOT, "--vars", "q1,q2", "--range", "a3=1:2"], "'a3' is not one of the variables"),
    (["check", ROBOT, "--vars", "q1,q2", "--at", "a2=1,a2=2"], "--at gives a2 twice"),
]


@pytest.mark.parametrize("args, message", CHECK_BAD, ids=[" ".join(a) for a, _ in CHECK_BAD])
def test_check_bad_parameters(cli, args, message):
    result = cli(*args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("symdiff: error: ") and message in result.stderr


# --------------------------------------------------------------------- the help examples
def _examples(epilog: str):
    """``$ [echo TEXT |] symdiff ARGS`` lines of a help epilog: (argv, stdin, output lines);
    the output is stdout then stderr, as a terminal shows them."""
    found = []
    for line in epilog.splitlines()[1:]:
        line = line[2:]
        if line.startswith("$ "):
            stdin, _, command = line[2:].rpartition("| ")
            stdin = shlex.split(stdin)[1] + "\n" if stdin else ""
            found.append((shlex.split(command)[1:], stdin, []))
        else:
            found[-1][2].append(line)
    return found


SUBCOMMAND_EPILOGS = {name: parser.epilog for name, parser in
                      build_parser()._subparsers._group_actions[0].choices.items()}
HELP_EXAMPLES = [(name, *example) for name in SUBCOMMAND_EPILOGS
                 for example in _examples(SUBCOMMAND_EPILOGS[name])]


def test_every_subcommand_has_its_own_examples():
    assert set(SUBCOMMAND_EPILOGS) == {"diff", "simplify", "eval", "grad", "hessian",
                                       "jacobian", "check", "explain", "graph"}
    for name, epilog in SUBCOMMAND_EPILOGS.items():
        commands = re.findall(r"^  \$ (?:.*\| )?symdiff (\w+)", epilog, flags=re.M)
        assert commands and set(commands) == {name}, name
    examples = {name: getattr(texts, name) for name in dir(texts) if name.endswith("EXAMPLES")}
    assert set(SUBCOMMAND_EPILOGS.values()) <= set(examples.values())


def test_matrix_notes_speak_of_their_own_command(cli):
    assert "jacobian" not in cli("grad", "--help").stdout
    assert "jacobian" not in cli("hessian", "--help").stdout
    assert "those of all the formulas" in cli("jacobian", "--help").stdout


@pytest.mark.parametrize("command, args, stdin, output", HELP_EXAMPLES,
                         ids=[" ".join(a) for _, a, _, _ in HELP_EXAMPLES])
def test_help_examples_print_what_they_say(cli, command, args, stdin, output):
    result = cli(*args, stdin=stdin)
    assert args[0] == command
    shown = (result.stdout + result.stderr).splitlines()
    assert shown == output
    assert result.returncode == (2 if "symdiff: error:" in result.stderr else 0)


# --------------------------------------------------------------------- the rule, as a table
# positionals => (formula texts, (variable, count) pairs)
SPLITS = [
    (["f"], (["f"], [])),
    (["x", "y"], (["x"], [("y", 1)])),
    (["x^2", "x", "3"], (["x^2"], [("x", 3)])),
    (["f", "x", "2", "y"], (["f"], [("x", 2), ("y", 1)])),
    (["sin(x)", "cos(x)", "x"], (["sin(x)", "cos(x)"], [("x", 1)])),
    (["sin(x)", "(y)", "x", "y"], (["sin(x)", "(y)"], [("x", 1), ("y", 1)])),
    (["a", "b + c", "d", "e2"], (["a", "b + c"], [("d", 1), ("e2", 1)])),
    (["f", " x ", " 2"], (["f"], [("x", 2)])),
    (["f", "ｘ"], (["f"], [("x", 1)])),
]


@pytest.mark.parametrize("texts_in, expected", SPLITS)
def test_split_positionals(texts_in, expected):
    assert split_positionals(texts_in) == expected


@pytest.mark.parametrize("names, label", [(["x"], "d/dx"), (["x", "x"], "d^2/dx^2"),
                                          (["x", "x", "y"], "d^3/dx^2 dy"),
                                          (["x", "y", "x"], "d^3/dx dy dx")])
def test_derivative_label(names, label):
    assert derivative_label(names) == label


@settings(max_examples=40, deadline=None)
@given(formulas(3), st.sampled_from(["x", "y"]), st.integers(1, 3))
def test_a_count_is_the_variable_repeated(f, name, times):
    counted = run_in_process(["diff", str(f), name, str(times), "--raw"])
    repeated = run_in_process(["diff", str(f), *[name] * times, "--raw"])
    assert (counted.returncode, counted.stdout, counted.stderr) == (
        repeated.returncode, repeated.stdout, repeated.stderr)
    if counted.returncode == 0 and "t1 =" not in counted.stdout:
        read = symdiff.parse(str(f))        # what the command differentiates
        assert counted.stdout.strip() == str(symdiff.diff(read, *[name] * times))


# ------------------------------------------------------------------------- formula files
MODEL = "\ufeff# one sample\nz = w*x + b\nyhat = 1/(1 + exp(-z))\nL = (yhat - y)^2\n"
TWO = "a = x^2\nb = sin(x)\na*b\nb/x\n"

# arguments (run where model.txt and two.txt are) => stdout
FILE_OUTPUTS = [
    (["diff", "-f", "model.txt", "w", "--at", "w=1,x=2,b=0,y=1"], "dL/dw = -0.050062168694706956"),
    (["diff", "@model.txt", "w", "--at", "w=1,x=2,b=0,y=1"], "dL/dw = -0.050062168694706956"),
    (["diff", "--file", "model.txt", "w", "--output", "z,L", "--at", "w=1,x=2,b=0,y=1"],
     "dz/dw = 2\ndL/dw = -0.050062168694706956"),
    (["diff", "-f", "model.txt", "w", "2", "--output", "z"], "d^2z/dw^2 = 0"),
    (["diff", "-f", "two.txt", "x", "--raw"], "x^2*cos(x) + 2*x*sin(x)\ncos(x)/x - sin(x)/x^2"),
    (["eval", "-f", "model.txt", "--output", "z", "--output", "L", "--at", "w=1,x=2,b=0,y=1"],
     "z = 2\nL = 0.01420933661861107"),
    (["eval", "@two.txt", "--at", "x=1"], "0.8414709848078965\n0.8414709848078965"),
    (["grad", "@model.txt", "--output", "z"], "d/db = 1\nd/dw = x\nd/dx = w"),
    (["simplify", "-f", "two.txt", "--output", "a"], "x^2"),
    (["jacobian", "-f", "two.txt", "--output", "a,b"], "a:\n  d/dx = 2*x\nb:\n  d/dx = cos(x)"),
    (["jacobian", "-f", "two.txt"], "x^2*sin(x):\n  d/dx = x*(x*cos(x) + 2*sin(x))\n"
                                    "sin(x)/x:\n  d/dx = (x*cos(x) - sin(x))/x^2"),
    (["diff", "cli_language_softplus2(x)", "x", "--define",
      "cli_language_softplus2(u) = log(1 + exp(u))"], "sigmoid(x)"),
    (["diff", "cli_language_g(x)^2", "x", "--function", "cli_language_g"],
     "2*cli_language_g'(x)*cli_language_g(x)"),
]


@pytest.fixture
def files(cli, tmp_path):
    (tmp_path / "model.txt").write_text(MODEL, encoding="utf-8")
    (tmp_path / "two.txt").write_text(TWO, encoding="utf-8")
    return cli


@pytest.mark.parametrize("args, expected", FILE_OUTPUTS, ids=[" ".join(a) for a, _ in FILE_OUTPUTS])
def test_formula_files(files, args, expected):
    result = files(*args)
    assert (result.returncode, result.stdout.rstrip("\n"), result.stderr) == (0, expected, "")


def test_formula_file_json_names_its_results(files):
    records = json.loads(files("diff", "-f", "model.txt", "w", "--output", "z,L",
                               "--format", "json").stdout)
    assert [(r["name"], r["expression"], r["result"]) for r in records][0] == ("z", "w*x + b", "x")


FILE_BAD = [
    (["diff", "-f", "missing.txt", "x"], "missing.txt: No such file or directory"),
    (["diff", "@missing.txt", "x"], "missing.txt: No such file or directory"),
    (["diff", "-f", "model.txt", "w", "--output", "q"], "no result named q"),
    (["diff", "x^2", "x", "--output", "L"], "--output picks named results of a formula file"),
    (["grad", "-f", "model.txt", "--output", "z,L"],
     "symdiff grad takes one formula; 2 were given (z, L): pick one with --output NAME"),
    (["diff", "-f", "model.txt"], "name the one to differentiate by, e.g. symdiff diff -f "
                                  "model.txt b"),
    (["diff"], "the following arguments are required: EXPR (or -f FILE)"),
]


@pytest.mark.parametrize("args, message", FILE_BAD, ids=[" ".join(a) for a, _ in FILE_BAD])
def test_formula_file_errors(files, args, message):
    result = files(*args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("symdiff: error: ") and message in result.stderr
