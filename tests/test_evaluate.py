"""Evaluation: float values, and clear errors for missing variables and domain errors."""
import math

import pytest

from symdiff import (Add, EvaluationError, Mul, Var, evaluate_dual, explain, gradient_at,
                     gradient_fd, parse)

VALUES = [
    ("x^2*y + y + 2", {"x": 3, "y": 4}, 42.0),
    ("sqrt(x)", {"x": 2.25}, 1.5),
    ("abs(x) + sign(x) + step(x) + relu(x)", {"x": -2}, 1.0),
    ("max(x, y) - min(x, y)", {"x": 1, "y": 5}, 4.0),
    ("sec(0) + cot(pi/4) + csc(pi/2)", {}, 3.0),
    ("atanh(0.5) - 0.5*log(3)", {}, 0.0),
    ("x^3", {"x": -2}, -8.0),
    ("x^2.0", {"x": -3}, 9.0),
]


@pytest.mark.parametrize("text, point, value", VALUES)
def test_values(text, point, value):
    assert parse(text).evaluate(point) == pytest.approx(value, abs=1e-12)


def test_points_accept_vars_keywords_and_exact_numbers():
    e = parse("x/y")
    assert e.evaluate({Var("x"): 1}, y=4) == 0.25
    assert isinstance(e.evaluate(x=1, y=3), float)


# text, point => the error message must say this
ERRORS = [
    ("x + y", {"x": 1}, "no value for variable 'y'"),
    ("log(x)", {"x": -1}, "log needs a positive argument"),
    ("log(y)", {"y": 0}, "log needs a positive argument"),
    ("sqrt(x)", {"x": -4}, "negative base"),
    ("1/x", {"x": 0}, "divides by zero"),
    ("asin(x)", {"x": 2}, "asin needs an argument in [-1, 1]"),
    ("acosh(x)", {"x": 0.5}, "acosh needs an argument >= 1"),
    ("atanh(x)", {"x": 1}, "atanh needs an argument in (-1, 1)"),
    ("cot(x)", {"x": 0}, "cot needs tan(argument) != 0"),
    ("exp(x)", {"x": 1000}, "overflows"),
    ("x^x", {"x": 1e10}, "overflows"),
    ("x*y", {"x": 1e308, "y": 10}, "not finite"),
    ("x + y", {"x": 1e308, "y": 1e308}, "overflows"),
]


@pytest.mark.parametrize("text, point, message", ERRORS)
def test_evaluation_errors_are_clear(text, point, message):
    with pytest.raises(EvaluationError) as info:
        parse(text).evaluate(point)
    assert message in str(info.value)
    assert isinstance(info.value, ArithmeticError)


def test_error_names_the_failing_subexpression():
    with pytest.raises(EvaluationError, match=r"log\(x - 2\)"):
        parse("y + log(x - 2)").evaluate(x=1, y=0)


def test_bad_point_values():
    with pytest.raises(EvaluationError, match="not a real number"):
        parse("x").evaluate(x="3")
    assert parse("x").evaluate(x=math.pi) == math.pi



@pytest.mark.parametrize("text, point", [(text, point) for text, point, _ in ERRORS])
def test_the_oracles_and_explain_fail_with_the_evaluators_words(text, point):
    """Dual numbers, the tape, finite differences and explain read points and values
    through numeric.evaluate, so where a formula has no value they say what evaluate says
    (explain adds a sum or product up one binary step at a time, so an overflow there names
    the step instead)."""
    f = parse(text)
    with pytest.raises(EvaluationError) as info:
        f.evaluate(point)
    methods = [lambda: evaluate_dual(f, point, {"x": 1.0}), lambda: gradient_at(f, point),
               lambda: gradient_fd(f, point)]
    overflow = "overflows" in str(info.value) or "not finite" in str(info.value)
    if not (overflow and type(f) in (Add, Mul)):
        methods.append(lambda: explain(f, point))
    for method in methods:
        with pytest.raises(EvaluationError) as other:
            method()
        assert str(other.value) == str(info.value)


def test_evaluate_reads_only_the_values_of_the_variables_it_uses():
    """A gradient entry at a point of 10,000 coordinates reads one or two of them, not all:
    evaluating every entry of a 10,000-variable gradient was quadratic."""
    from symdiff.numeric import evaluate as module
    calls = []
    real = module.exact.as_number

    class Counting(dict):
        def items(self):
            calls.append("items")
            return super().items()

    point = Counting({f"x{i}": i for i in range(1000)})
    try:
        module.exact.as_number = lambda value: calls.append(value) or real(value)
        assert parse("x3*x4").evaluate(point) == 12
    finally:
        module.exact.as_number = real
    assert len(calls) <= 2


def test_evaluate_all_shares_one_fold_and_names_the_failing_entry():
    from symdiff.numeric.evaluate import evaluate_all
    entries = [parse("x*y"), parse("x + y"), parse("log(x - 2)")]
    assert evaluate_all(entries[:2], {"x": 3, "y": 4}) == [12, 7]
    with pytest.raises(EvaluationError, match="entry 2 cannot be evaluated here"):
        evaluate_all(entries, {"x": 1, "y": 4}, lambda i: f"entry {i}")
    with pytest.raises(EvaluationError, match=r"no value for variable 'y' \(given: x, z\)"):
        evaluate_all(entries, {"x": 1, "z": 4})
