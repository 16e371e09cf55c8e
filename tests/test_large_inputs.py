"""Large inputs take linear work: a point of 10,000 coordinates, a check of many variables.

Work is counted, not timed (the machine may be shared): values read from the point, powers
evaluated. At n and 2n the count must grow about twice, far from the four times of a
quadratic algorithm.
"""
import math

import pytest

from symdiff import Add, Mul, Pow, Var, gradient
from symdiff.numeric import evaluate as evaluate_module
from symdiff.numeric.dual import dual_partials, evaluate_dual
from symdiff.numeric.finite import gradient_fd_with_errors
from symdiff.verify.check import MAX_DIRECTIONS, MAX_HESSIAN_VARS, check


def chain_sum(n: int):
    """x0^2*x1 + x1^2*x2 + ... : n terms, n + 1 variables."""
    xs = [Var(f"x{i}") for i in range(n + 1)]
    return Add(*(Mul(Pow(xs[i], 2), xs[i + 1]) for i in range(n))), [x.name for x in xs]


class CountingPoint(dict):
    """A point that counts how many of its values are read."""

    reads = 0

    def items(self):
        CountingPoint.reads += len(self)
        return super().items()

    def get(self, key, default=None):
        CountingPoint.reads += 1
        return super().get(key, default)

    def __getitem__(self, key):
        CountingPoint.reads += 1
        return super().__getitem__(key)


def reads_for_every_entry(n: int) -> int:
    f, names = chain_sum(n)
    entries = gradient(f, names)
    point = CountingPoint({name: 1.0 + i % 7 for i, name in enumerate(names)})
    CountingPoint.reads = 0
    for entry in entries:
        evaluate_module.evaluate(entry, point)
    return CountingPoint.reads


def test_evaluating_each_gradient_entry_reads_only_its_own_variables():
    """grad --at with 10^4 variables took 58 s: each entry read the whole point."""
    small, large = reads_for_every_entry(300), reads_for_every_entry(600)
    assert large < 2.5 * small


class CountingMath:
    """``math`` with its ``pow`` calls counted: each is one power the evaluator computes."""

    def __init__(self):
        self.calls = 0

    def __getattr__(self, name):
        return getattr(math, name)

    def pow(self, base, exponent):
        self.calls += 1
        return math.pow(base, exponent)


def powers_for(monkeypatch, work, n: int) -> int:
    counter = CountingMath()
    monkeypatch.setattr(evaluate_module, "math", counter)
    f, names = chain_sum(n)
    work(f, names)
    return counter.calls


def _check(f, names):
    report = check(f, names, points=2, sympy_max_nodes=0)
    assert report.ok and report.compared == 2


@pytest.mark.parametrize("work", [
    _check,
    lambda f, names: dual_partials(f, {n: 1.5 for n in names}, names),
    lambda f, names: gradient_fd_with_errors(f, {n: 1.5 for n in names}, names),
], ids=["check", "dual partials", "finite differences"])
def test_work_per_point_is_linear_in_the_number_of_variables(monkeypatch, work):
    """check on 10^4 variables did not finish in 120 s: dual numbers took a pass over the
    whole formula per variable, finite differences four, and symdiff's values were read
    entry by entry."""
    small, large = powers_for(monkeypatch, work, 150), powers_for(monkeypatch, work, 300)
    assert large < 2.5 * small


def test_dual_partials_are_the_directional_derivatives():
    f, names = chain_sum(5)
    point = {n: 0.5 + i for i, n in enumerate(names)}
    assert dual_partials(f, point, names) == [evaluate_dual(f, point, {n: 1})[1] for n in names]


def test_check_samples_the_partials_of_many_variables_and_says_so():
    f, names = chain_sum(3 * MAX_DIRECTIONS)
    report = check(f, names, points=1, sympy_max_nodes=0)
    text = str(report)
    assert report.ok
    assert f"note: dual numbers: {MAX_DIRECTIONS} of the {len(names)} partials" in text
    assert f"({len(names)} in all)" in text and "x59" not in text.splitlines()[0]


def test_check_of_a_hessian_in_many_variables_takes_a_block():
    f, names = chain_sum(2 * MAX_HESSIAN_VARS)
    report = check(f, names, points=1, hessian=True, sympy_max_nodes=0)
    assert report.ok
    assert f"the Hessian in {MAX_HESSIAN_VARS} of the {len(names)} variables" in str(report)
    f, names = chain_sum(MAX_HESSIAN_VARS - 1)            # up to the limit: the whole Hessian
    assert "the Hessian in" not in str(check(f, names, points=1, hessian=True,
                                             sympy_max_nodes=0))


# ------------------------------------------------------------- --points: rows wider than the header
def test_points_rows_with_more_cells_than_the_header_are_refused(cli, tmp_path):
    (tmp_path / "p.csv").write_text("x\n1\n2,7\n")
    done = cli("grad", "x^2", "--points", "p.csv")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("symdiff: error: --points p.csv, line 3: 2 cells but the header "
                           "line names 1 columns; the output columns would not line up\n")
    (tmp_path / "q.csv").write_text("x,label\n1\n2,two\n")      # short rows are padded
    assert cli("diff", "x^2", "--points", "q.csv").stdout.splitlines() == [
        "x,label,d/dx", "1,,2.0", "2,two,4.0"]
