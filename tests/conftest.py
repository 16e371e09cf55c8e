"""Shared helpers for the test suite: the ``symdiff`` command run in this process (``cli``)
or, for the few tests of the installed program itself, in a new one (``cli_process``)."""
import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from symdiff.cli import main

REPO = Path(__file__).resolve().parents[1]


def run_in_process(args, stdin=None, cwd=None) -> subprocess.CompletedProcess:
    """``symdiff ARGS...`` as ``main(args)`` with stdin supplied (empty by default) and
    stdout and stderr captured, in the folder ``cwd``. argparse's ``SystemExit`` (--help,
    --version) becomes the exit status, as it would for a process."""
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    saved_stdin, sys.stdin = sys.stdin, io.StringIO(stdin or "")
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(list(args))
            except SystemExit as exit:
                status = exit.code
                if status is not None and not isinstance(status, int):
                    print(status, file=sys.stderr)      # sys.exit("message") prints it
                    status = 1
    finally:
        sys.stdin = saved_stdin
        os.chdir(here)
    return subprocess.CompletedProcess(["symdiff", *args], status or 0, out.getvalue(),
                                       err.getvalue())


@pytest.fixture
def cli(tmp_path):
    """Run ``symdiff ARGS...`` in a fresh folder, in this process: ``cli(*args, stdin=...)``
    returns a ``CompletedProcess`` (returncode, stdout, stderr)."""
    def run(*args, stdin=None):
        return run_in_process(args, stdin, tmp_path)
    return run


@pytest.fixture
def cli_process(tmp_path):
    """Run a command (``[sys.executable, "-m", "symdiff", ...]``, or the installed
    ``symdiff``) as a new process in a fresh folder; returns the ``CompletedProcess``."""
    def run(command, stdin=None):
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        return subprocess.run(command, input=stdin, capture_output=True, text=True,
                              cwd=tmp_path, env=env, timeout=120)
    return run
