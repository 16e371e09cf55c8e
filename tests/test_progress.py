"""Progress bars (``cli.progress``): on stderr when it is a terminal, for ``--points`` and
for simplifying; nothing at all when stderr is not a terminal, with ``--format json``, or
without tqdm. The simplifier's ``progress`` callback counts the choice pass's nodes."""
import io
import os
import sys

import pytest

from symdiff import gradient, parse
from symdiff.cli import main, progress
from symdiff.rewriting.simplify import simplify_result

pytest.importorskip("tqdm")

FORMULA = "exp(x*y)/(1 + x^2)"


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def points(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("x,y\n" + "1.5,2\n" * 2000)
    return str(path)


def _run(monkeypatch, stderr, *args):
    """(status, stdout, stderr) of ``symdiff ARGS`` with ``stderr`` as sys.stderr, and bars
    shown at once (no delay)."""
    monkeypatch.setattr(progress, "DELAY", 0)
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", stderr)
    status = main(list(args))
    return status, out.getvalue(), stderr.getvalue()


def test_points_shows_the_bytes_read_on_a_terminal(monkeypatch, points):
    status, out, err = _run(monkeypatch, Terminal(), "grad", "x^2*y", "--points", points)
    assert status == 0 and len(out.splitlines()) == 2001 and "|" not in out
    assert "points.csv:" in err and "B/s" in err
    assert err.endswith("\r")                    # cleared: nothing is left on the line


def test_simplifying_shows_the_nodes_decided_on_a_terminal(monkeypatch):
    for command in (["simplify", FORMULA], ["grad", FORMULA]):
        status, out, err = _run(monkeypatch, Terminal(), *command)
        assert status == 0 and "simplifying" not in out
        assert "simplifying:" in err and "node" in err


@pytest.mark.parametrize("args", [["grad", "x^2*y", "--points", "{points}"],
                                  ["grad", FORMULA], ["simplify", FORMULA]])
def test_nothing_on_stderr_that_is_not_a_terminal(monkeypatch, points, args):
    status, _, err = _run(monkeypatch, io.StringIO(), *[a.format(points=points) for a in args])
    assert (status, err) == (0, "")


@pytest.mark.parametrize("args", [["grad", FORMULA, "--format", "json"],
                                  ["simplify", FORMULA, "--format", "json"]])
def test_never_with_json_output(monkeypatch, args):
    assert _run(monkeypatch, Terminal(), *args)[::2] == (0, "")


def test_without_tqdm_there_is_no_bar(monkeypatch, points):
    monkeypatch.setitem(sys.modules, "tqdm", None)          # import tqdm fails
    assert _run(monkeypatch, Terminal(), "grad", "x^2*y", "--points", points)[::2] == (0, "")
    assert _run(monkeypatch, Terminal(), "grad", FORMULA)[::2] == (0, "")


def test_the_callback_counts_each_round_of_the_choice_pass():
    entries = gradient(parse(FORMULA), ["x", "y"])
    calls = []
    reported = simplify_result(entries, progress=lambda done, total: calls.append((done, total)))
    assert reported.expr == simplify_result(entries).expr        # the same result
    rounds = [i for i, (done, _) in enumerate(calls) if done == 0]
    assert rounds and rounds[0] == 0
    for start, end in zip(rounds, rounds[1:] + [len(calls)]):
        total = calls[start][1]
        assert calls[start:end] == [(done, total) for done in range(total + 1)]


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="needs /dev/fd")
def test_a_pipe_has_no_position_and_no_bar(monkeypatch):
    read, write = os.pipe()
    os.write(write, b"x,y\n1,2\n")
    os.close(write)
    try:
        status, out, err = _run(monkeypatch, Terminal(), "grad", "x*y", "--points",
                                f"/dev/fd/{read}")
    finally:
        os.close(read)
    assert (status, out, err) == (0, "x,y,d/dx,d/dy\n1,2,2.0,1.0\n", "")
