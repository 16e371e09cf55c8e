"""Shared helpers for the test suite."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def cli(tmp_path):
    """Run ``symdiff ARGS...`` in a fresh folder; returns the CompletedProcess."""
    def run(*args, stdin=None):
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        return subprocess.run([sys.executable, "-m", "symdiff", *args], input=stdin,
                              capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    return run
