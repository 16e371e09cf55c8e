"""Newton's method on the Rosenbrock function, with its gradient and Hessian derived
symbolically by symdiff and compiled to straight-line Python by ``symdiff.lambdify``.

    python examples/newton_rosenbrock.py [--n 2]

Each Newton step solves H(x) d = -g(x). With n variables the function is the sum of
(1 - x_i)^2 + 100*(x_{i+1} - x_i^2)^2, minimal at x = (1, ..., 1).
"""
import argparse

import numpy as np

import symdiff


def rosenbrock(n: int):
    xs = [symdiff.Var(f"x{i}") for i in range(n)]
    f = symdiff.Add(*((1 - xs[i]) ** 2 + 100 * (xs[i + 1] - xs[i] ** 2) ** 2
                      for i in range(n - 1)))
    return f, xs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2, help="number of variables (default: 2)")
    args = parser.parse_args()

    f, xs = rosenbrock(args.n)
    grad = symdiff.gradient(f, xs)
    hess = symdiff.hessian(f, xs)
    if args.n == 2:
        print(f"f     = {f}")
        print(f"grad  = [{', '.join(str(symdiff.simplify(g)) for g in grad)}]")
        print(f"hess  = {[[str(symdiff.simplify(h)) for h in row] for row in hess]}")
    value = symdiff.lambdify(f, xs, backend="math")
    derivatives = symdiff.lambdify([grad, hess], xs, backend="math")

    point = np.array([-1.2] + [1.0] * (args.n - 1))       # the classic start
    for step in range(50):
        g, h = derivatives(*point)
        g, h = np.array(g), np.array(h)
        print(f"step {step}: f = {value(*point):.3e}, |grad| = {np.linalg.norm(g):.3e}, "
              f"x = {np.array2string(point, precision=6)}")
        if np.linalg.norm(g) < 1e-10:
            break
        point = point + np.linalg.solve(h, -g)
    print(f"converged to x = {np.array2string(point, precision=6)} after {step} Newton steps "
          f"(f = {value(*point):.3g}; the global minimum is at x = 1)")


if __name__ == "__main__":
    main()
