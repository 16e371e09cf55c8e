"""``check`` and ``symdiff check``: symbolic derivatives against SymPy, dual numbers, the tape
and finite differences. A deliberately wrong rule must be caught; right ones must pass on
random formulas and on the formula corpus; bad input gives exit status 2."""
import functools
import io
import json
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from strategies import PROPERTY, formulas, points
from symdiff import (EvaluationError, Sin, Var, evaluate_dual, gradient, gradient_at,
                     hessian, parse)
from symdiff.cli import commands as cli
from symdiff.cli.help import CHECK_EXAMPLES
from symdiff.verify.check import check
from symdiff.interop.sympy_bridge import sympy_size_problem, to_sympy
from symdiff.calculus.partials import replaced_partials
from symdiff.numeric.finite import gradient_fd_with_errors, hessian_fd_with_errors
from symdiff.core.functions import Log, Sign, Tan, Tanh
from test_cli import _help_examples
from strategies import near_kink_or_edge

FAST = settings(PROPERTY, max_examples=150)


# ------------------------------------------------------------------ check()
def test_agreement_report():
    report = check("x^2*y + sin(x*y)", hessian=True, points=3)
    assert report.ok and report.compared == 3 and not report.skipped
    assert [m.name for m in report.methods] == [
        "sympy", "dual numbers", "tape", "finite differences", "sympy (hessian)",
        "finite differences (hessian)"]
    assert all(m.compared == 3 and m.ok for m in report.methods)
    text = str(report).splitlines()
    assert text[0] == ("checked the gradient and Hessian of x^2*y + sin(x*y) by x, y at "
                       "3 points (seed 0)")
    assert text[1].split() == ["method", "points", "largest", "error", "tolerance", "where"]
    assert text[-1] == "ok: every method agrees with symdiff within tolerance"
    record = json.loads(json.dumps(report.to_dict()))
    assert record["ok"] and record["methods"][5]["tolerance"] == 1e-4


# a wrong local partial => the formula that uses it
WRONG_RULES = [
    (Sin,  "-cos(u)",         "sin(x)*y"),
    (Log,  "1/u^2",           "log(x*y)"),
    (Tan,  "1 + tan(u)",      "tan(x) + y"),
    (Tanh, "1 + tanh(u)^2",   "tanh(x - y)"),
]


@pytest.mark.parametrize("cls, wrong, text", WRONG_RULES, ids=[w[0].__name__ for w in WRONG_RULES])
def test_a_wrong_rule_is_caught_by_every_method(cls, wrong, text):
    with replaced_partials(cls, wrong):
        report = check(text, points=3)
    assert not report.ok
    assert {m.name for m in report.disagreements} == {"sympy", "dual numbers", "tape",
                                                      "finite differences"}
    assert report.verdict().startswith("FAILED: sympy, dual numbers, tape, finite differences")
    worst = report.disagreements[0]
    assert worst.largest_error > 1e-3 and worst.entry in ("d/dx", "d/dy")


def test_a_wrong_rule_seen_only_in_second_derivatives_needs_hessian():
    """sign' = 1 leaves the gradient of abs right (sign) but the Hessian wrong."""
    with replaced_partials(Sign, "1"):
        assert check("abs(x)*y", points=2).ok
        report = check("abs(x)*y", points=2, hessian=True)
    assert [m.name for m in report.disagreements] == ["sympy (hessian)",
                                                      "finite differences (hessian)"]
    assert report.disagreements[0].entry == "d^2/dx^2"


def test_undefined_points_are_skipped_and_counted():
    report = check("log(x)*sqrt(y)", points=4)
    assert report.ok and report.compared == 4 and report.skipped == {"undefined": 10}
    assert "sqrt(y) is not real" in report.examples["undefined"]
    assert check("log(x)*sqrt(y)", points=4, ranges={"x": (0.5, 2), "y": (1, 2)}).skipped == {}
    assert check("acosh(x)", points=2, ranges=(1.5, 3)).skipped == {}


def test_ill_conditioned_points_are_skipped():
    report = check("sin(25*exp(x^2))", points=2, ranges=(6, 7))
    assert report.compared == 0 and report.skipped == {"ill-conditioned": 20}
    assert not report.ok and report.verdict().startswith("nothing compared: of 20 points")


def test_finite_differences_too_rough_skip_that_point_alone():
    report = check("sin(25*exp(x^2))", points=4, hessian=True, ranges=(1.6, 2.2))
    fd = report.methods[-1]
    assert report.ok and fd.skipped.get("too rough", 0) >= 1
    assert fd.compared + fd.skipped["too rough"] == 4 == report.methods[0].compared


def test_sympy_no_real_value_skips_that_point_for_sympy_alone():
    report = check("abs(x^2.0 + y)", points=2, hessian=True)     # an unevaluated Derivative
    assert report.ok and report.methods[4].skipped == {"no real value": 2}
    assert report.methods[3].compared == 2


def _nested_sin(depth):
    expr = Var("x")
    for _ in range(depth):
        expr = Sin(expr)
    return expr


def test_sympy_is_left_out_of_large_formulas_and_the_rest_still_checks():
    report = check(_nested_sin(5000), points=2)
    sympy_row = report.methods[0]
    assert report.ok and sympy_row.compared == 0
    assert sympy_row.note == "left out: the formula has 5001 nodes (more than 400)"
    assert all(m.compared == 2 for m in report.methods[1:])
    assert report.verdict().endswith("(sympy: not compared)")


def test_sympy_time_budget_and_failures(monkeypatch):
    assert check("x*y", points=1, sympy_seconds=1e-9).methods[0].note.startswith("stopped after")
    assert check("x*y", points=1, sympy_max_nodes=0).methods[0].note == "not used"

    def broken(*args, **kwargs):
        raise ValueError("no")
    monkeypatch.setattr("sympy.diff", broken)
    report = check("x*y", points=1)
    assert report.ok and report.methods[0].note == "left out: SymPy failed (ValueError: no)"


@pytest.mark.parametrize("kwargs, message", [
    ({"points": 0}, "points must be at least 1"),
    ({"ranges": (2, 1)}, "a range must be"),
    ({"ranges": {"x": (0, float("inf"))}}, "a range must be"),
    ({"vars": ["x", "x"]}, "listed twice"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        check("x^2", **kwargs)


def test_no_variables():
    with pytest.raises(ValueError, match="no variables"):
        check("2 + pi")


# ------------------------------------------------------------------ random formulas
def _values(entries, point):
    try:
        return [e.evaluate(point) for e in entries]
    except EvaluationError:
        return None


def _close(a, b, tolerance):
    return abs(a - b) <= tolerance * max(abs(a), abs(b), 1.0)


@FAST
@given(formulas(), points)
def test_symbolic_dual_tape_and_finite_differences_agree(expr, point):
    names = list(expr.free_vars)
    assume(names and not near_kink_or_edge(expr, point))
    entries = [expr, *gradient(expr, names)]
    values = _values(entries, point)
    nudged = _values(entries, {k: v * (1 + 1e-14) for k, v in point.items()})
    assume(values is not None and nudged is not None)
    assume(all(_close(a, b, 1e-9) for a, b in zip(values, nudged)))    # well conditioned
    symbolic = values[1:]
    dual = [evaluate_dual(expr, point, {n: 1})[1] for n in names]
    tape = gradient_at(expr, point, names)
    assert all(_close(s, d, 1e-8) for s, d in zip(symbolic, dual)), (symbolic, dual)
    assert all(_close(s, t, 1e-8) for s, t in zip(symbolic, tape)), (symbolic, tape)
    try:
        fd, errors = gradient_fd_with_errors(expr, point, names)
    except EvaluationError:
        return                                   # the domain ends within a step
    for s, v, error in zip(symbolic, fd, errors):
        assert _close(s, v, 1e-6) or error > 1e-6 * max(abs(v), 1.0), (s, v, error)


@FAST
@given(formulas(depth=3), points)
def test_symbolic_hessian_matches_finite_differences(expr, point):
    names = list(expr.free_vars)
    assume(names and not near_kink_or_edge(expr, point))
    matrix = hessian(expr, names)
    entries = [expr] + [e for row in matrix for e in row]
    values = _values(entries, point)
    nudged = _values(entries, {k: v * (1 + 1e-14) for k, v in point.items()})
    assume(values is not None and nudged is not None)
    assume(all(_close(a, b, 1e-9) for a, b in zip(values, nudged)))
    try:
        fd, errors = hessian_fd_with_errors(expr, point, names)
    except EvaluationError:
        return
    n = len(names)
    for i in range(n):
        for j in range(n):
            s, v, error = values[1 + i * n + j], fd[i][j], errors[i][j]
            assert _close(s, v, 1e-4) or error > 1e-4 * max(abs(v), 1.0), (i, j, s, v, error)


@FAST
@given(formulas(depth=3), st.integers(0, 10**6))
def test_check_finds_no_disagreement_on_random_formulas(expr, seed):
    assume(expr.free_vars)
    report = check(expr, points=2, hessian=True, seed=seed, sympy_max_nodes=0)
    assert not report.disagreements, str(report)


# ------------------------------------------------------------------ the formula corpus
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "formulas.jsonl"
RECORDS = ([json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]
           if CORPUS.is_file() else [])
corpus = pytest.mark.skipif(not RECORDS, reason=f"formula corpus not found at {CORPUS}")


@functools.lru_cache(maxsize=None)
def corpus_report(index):
    """check() of one record's gradient at 2 points inside its var_ranges, without SymPy
    (test_corpus.py compares with SymPy's references)."""
    record = RECORDS[index]
    given_ranges = record.get("var_ranges") or {}
    ranges = {var: tuple(given_ranges.get(var, (0.5, 2.0))) for var in record["vars"]}
    return check(parse(record["formula"]), record["vars"], points=2, ranges=ranges,
                 seed=index, sympy_max_nodes=0)


@corpus
@pytest.mark.parametrize("index", range(len(RECORDS)), ids=[r["id"] for r in RECORDS])
def test_corpus_gradients_agree_with_dual_tape_and_finite_differences(index):
    report = corpus_report(index)
    assert not report.disagreements, str(report)


@corpus
def test_nearly_every_corpus_formula_gets_checked():
    unchecked = [RECORDS[i]["id"] for i in range(len(RECORDS)) if not corpus_report(i).checked]
    assert len(unchecked) <= len(RECORDS) // 100, unchecked


# ------------------------------------------------------------------ the command line
def _run(capsys, *args):
    status = cli.main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


CHECK_HELP = _help_examples(CHECK_EXAMPLES)


@pytest.mark.parametrize("args, output", CHECK_HELP, ids=[" ".join(a) for a, _ in CHECK_HELP])
def test_help_examples_are_true(capsys, args, output):
    assert cli.main(args) == 0
    assert capsys.readouterr().out.splitlines() == output


def test_help_has_the_examples(capsys):
    with pytest.raises(SystemExit):
        cli.main(["check", "--help"])
    out = capsys.readouterr().out
    assert "Exit status: 0 when every method agrees" in out and "$ symdiff check" in out


def test_exit_status_1_prints_the_point_and_the_entry(capsys):
    with replaced_partials(Sin, "-cos(u)"):
        status, out, err = _run(capsys, "check", "sin(x)*y", "--points", "2", "--seed", "3")
        lines = out.splitlines()
        assert (status, err) == (1, "")
        assert lines[-1] == ("FAILED: sympy, dual numbers, tape, finite differences disagree "
                             "with symdiff")
        assert any(line.startswith("disagreement: dual numbers at x=") and ": d/dx is " in line
                   for line in lines)
        status, out, _ = _run(capsys, "check", "sin(x)*y", "--format", "json")
        assert status == 1 and json.loads(out)["ok"] is False
    assert _run(capsys, "check", "sin(x)*y", "--points", "2")[0] == 0     # the rule is back


def test_json_and_options(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("log(x)*sqrt(y)\n"))
    status, out, err = _run(capsys, "check", "-", "--vars", "y,x", "--points", "2",
                            "--range", "x=0.5:2,y=pi/4:pi", "--hessian", "--format", "json")
    record = json.loads(out)
    assert (status, err, record["ok"], record["compared"]) == (0, "", True, 2)
    assert record["variables"] == ["y", "x"] and record["skipped"] == {}
    assert all(0.5 <= m["at"]["x"] <= 2 and 0.78 <= m["at"]["y"] <= 3.15
               for m in record["methods"] if m["at"])
    assert [m["method"] for m in record["methods"]][-2:] == ["sympy", "finite differences"]


BAD = [
    (["check", "x^"], "unexpected end of formula"),
    (["check", "5"], "the formula has no variables"),
    (["check", "x", "--points", "0"], "--points: expected a positive whole number"),
    (["check", "x", "--seed", "a"], "--seed: invalid int value"),
    (["check", "x", "--format", "latex"], "invalid choice"),
    (["check", "x", "--range", "2:1"], "the low end must be below the high end"),
    (["check", "x", "--range", "z=1:2"], "'z' is not one of the variables (x)"),
    (["check", "x", "--range", "1"], "--range expects LO:HI or name=LO:HI"),
    (["check", "x", "--range", "y:2"], "a bound cannot contain variables"),
    (["check", "x", "--range", "1:(2"], "--range 1:(2: unexpected end of formula"),
    (["check", "x", "--vars", "x,x"], "--vars: 'x' is listed twice"),
    (["check", "log(x)", "--range", "-2:-1"],
     "no point could be checked: of 50 points tried, 50 undefined (log(x) is undefined here"),
]


@pytest.mark.parametrize("args, message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_gives_one_message_and_exit_status_2(capsys, args, message):
    status, out, err = _run(capsys, *args)
    assert (status, out) == (2, "")
    assert err.startswith("symdiff: error:") and message in err and "Traceback" not in err


def test_exit_statuses_from_a_real_process(cli):
    ok = cli("check", "x^2*y", "--points", "2")
    assert ok.returncode == 0 and ok.stdout.splitlines()[-1].startswith("ok:")
    bad = cli("check", "x +")
    assert bad.returncode == 2 and bad.stdout == "" and "Traceback" not in bad.stderr


# ------------------------------------------------- SymPy is never handed unbounded arithmetic
def test_sympy_is_left_out_for_a_power_past_the_exact_budget_and_the_others_still_run():
    """SymPy's diff of x^(9^9^9) computes 9^387420489 (370 million digits) and hangs."""
    report = check("x^(1/9^9^9) + x^2", points=2)
    sympy_row = next(m for m in report.methods if m.method == "sympy")
    assert sympy_row.compared == 0 and "past 10,000 bits" in sympy_row.note
    assert report.ok and all(m.compared == 2 for m in report.methods if m.method != "sympy")
    assert "sympy: not compared" in str(report) and "SymPy would compute" in str(report)


@pytest.mark.parametrize("text, huge", [("x^(9^9^9)", True), ("x^(2^20000)*y", True),
                                        ("(x + 1)^(1/3)", False), ("2^100*x", False),
                                        ("x^(2^-20000) + sqrt(2)", True)])
def test_sympy_size_problem(text, huge):
    assert (sympy_size_problem(parse(text)) is not None) is huge


def test_to_sympy_never_evaluates_a_huge_power():
    built = to_sympy(parse("x^(9^9^9) + 9^9^9 + 1"), evaluate=True)
    assert "9**387420489" in str(built)
