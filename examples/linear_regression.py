"""Fit a line y = w*x + b by gradient descent on the squared error L = (w*x + b - y)^2, with
the gradient that symdiff derives once, symbolically (seed tutorials 000 and 001).

    python examples/linear_regression.py [--steps N]
"""
import argparse

import numpy as np

import symdiff

L = symdiff.parse("(w*x + b - y)^2")
dL_dw, dL_db = symdiff.gradient(L, ["w", "b"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200, help="gradient descent steps")
    args = parser.parse_args()

    print(f"L     = {L}")
    print(f"dL/dw = {symdiff.simplify(dL_dw)}")          # -2x(y - ŷ), as seed 001 derives
    print(f"dL/db = {symdiff.simplify(dL_db)}")
    seed = {"x": 4, "w": 1, "b": -3, "y": 3}               # the worked example of seed 000
    print(f"at x=4, w=1, b=-3, y=3: L = {L.evaluate(seed):g}, "
          f"dL/dw = {dL_dw.evaluate(seed):g}, dL/db = {dL_db.evaluate(seed):g}")

    # data on the line y = 2x + 1, with a little noise
    rng = np.random.default_rng(0)
    xs = np.linspace(-1, 1, 20)
    ys = 2 * xs + 1 + 0.05 * rng.standard_normal(xs.size)
    loss = symdiff.lambdify(L, ["w", "b", "x", "y"])                # vectorised over the data
    grad = symdiff.lambdify([dL_dw, dL_db], ["w", "b", "x", "y"])
    w, b, rate = 0.0, 0.0, 0.1
    for step in range(args.steps + 1):
        if step % (args.steps // 5 or 1) == 0:
            print(f"step {step:4d}: mean L = {loss(w, b, xs, ys).mean():.6f}, "
                  f"w = {w:.4f}, b = {b:.4f}")
        gw, gb = grad(w, b, xs, ys)
        w, b = w - rate * gw.mean(), b - rate * gb.mean()
    print(f"fitted: y = {w:.3f}*x + {b:.3f} (the data came from y = 2*x + 1)")


if __name__ == "__main__":
    main()
