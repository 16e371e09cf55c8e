"""The scripts in examples/ run (small sizes, as a user would run them) and print their
result."""
import functools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"

# script, arguments => lines (or pieces of lines) the output must contain
CASES = [
    ("linear_regression.py", ["--steps", "100"],
     ["at x=4, w=1, b=-3, y=3: L = 4, dL/dw = -16, dL/db = -4",
      "dL/dw = 2*x*(w*x + b - y)", "(the data came from y = 2*x + 1)"]),
    ("backprop_apples.py", [],
     ["  dprice/dapple = 2.2", "  dprice/dapple_count = 110", "  dprice/dtax = 200",
      "  dprice/dorange = 3.3", "  dprice/dorange_count = 165", "  dprice/dtax = 650",
      "price = tax*z2", "d price/d tax = apple*apple_count + orange*orange_count = 650"]),
    ("newton_rosenbrock.py", [],
     ["hess  = [['1200*x0^2 - 400*x1 + 2', '-400*x0'], ['-400*x0', '200']]",
      "converged to x = [1. 1.] after 7 Newton steps"]),
    ("tiny_mlp.py", ["--epochs", "1000"],
     ["gradient: 13 entries", "xor(0, 0) = 0: predicted 0.0", "xor(0, 1) = 1: predicted 0.9",
      "xor(1, 0) = 1: predicted 0.9", "xor(1, 1) = 0: predicted 0.0"]),
    ("softmax_cross_entropy.py", ["--classes", "3"],
     ["dH/dz0 = exp(z0)*(y0 + y1 + y2)/(exp(z0) + exp(z1) + exp(z2)) - y0",
      "largest difference from finite differences: "]),
    ("pendulum.py", [],
     ["L = l^2*m*theta'(t)^2/2 + g*l*m*cos(theta(t))",
      "Euler-Lagrange: g*l*m*sin(theta(t)) + l^2*m*theta''(t) = 0",
      r"LaTeX:          g l m \sin\left(\theta\left(t\right)\right) + l^{2} m "
      r"\theta''\left(t\right) = 0",
      "sin(theta) ~ theta: 0 = 0 when w = sqrt(g/l)",
      "  for a(t): l*m*(l*b'(t)^2*sin(a(t) - b(t)) + l*b''(t)*cos(a(t) - b(t)) + "
      "2*g*sin(a(t)) + 2*l*a''(t)) = 0"]),
]


def test_every_example_is_tested():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(c[0] for c in CASES)


@functools.cache
def run(script: str, *args: str) -> subprocess.CompletedProcess:
    """``python examples/SCRIPT ARGS...`` as a user runs it, in a fresh folder (each script
    and its arguments run once for all the tests that read the output)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryDirectory() as folder:
        return subprocess.run([sys.executable, str(EXAMPLES / script), *args], cwd=folder,
                              env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("script, args, expected", CASES, ids=[c[0] for c in CASES])
def test_example_runs(script, args, expected):
    result = run(script, *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for piece in expected:
        assert piece in result.stdout, f"{piece!r} not in the output of {script}"


def test_the_line_is_fitted():
    out = run("linear_regression.py", "--steps", "100").stdout
    w, b = map(float, re.search(r"fitted: y = (\S+)\*x \+ (\S+) ", out).groups())
    assert abs(w - 2) < 0.05 and abs(b - 1) < 0.05
