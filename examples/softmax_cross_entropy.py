"""The gradient of softmax cross-entropy (seed tutorial 000), derived symbolically by symdiff
and checked against central finite differences.

    python examples/softmax_cross_entropy.py [--classes 4]

For logits z and a label y, H = -sum_c y_c log(exp(z_c) / sum_i exp(z_i)). The simplified
symbolic gradient reads exp(z_c)*(sum_i y_i)/sum_i exp(z_i) - y_c: softmax(z) - y for a
one-hot label, as the table shows next to the finite differences.
"""
import argparse
import math

import symdiff


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, default=4, help="number of classes (default: 4)")
    args = parser.parse_args()

    n = args.classes
    zs = [symdiff.Var(f"z{i}") for i in range(n)]
    ys = [symdiff.Var(f"y{i}") for i in range(n)]
    total = symdiff.Add(*(symdiff.exp(z) for z in zs))
    H = -symdiff.Add(*(y * symdiff.log(symdiff.exp(z) / total) for y, z in zip(ys, zs)))
    grad = symdiff.simplify(symdiff.gradient(H, zs))
    print(f"H = {H}")
    for z, g in zip(zs, grad):
        print(f"dH/d{z} = {g}")

    label = 1                                            # the true class
    point = {f"z{i}": 0.5 * i - 0.3 * i * i for i in range(n)}
    point.update({f"y{i}": float(i == label) for i in range(n)})
    exact = [g.evaluate(point) for g in grad]
    approx = symdiff.gradient_fd(H, point, zs)
    norm = sum(math.exp(point[f"z{i}"]) for i in range(n))
    softmax = [math.exp(point[f"z{i}"]) / norm for i in range(n)]
    print(f"{'':6}{'symbolic':>14}{'finite diff.':>14}{'softmax - y':>14}")
    for i in range(n):
        print(f"dH/dz{i}{exact[i]:14.8f}{approx[i]:14.8f}{softmax[i] - (i == label):14.8f}")
    error = max(abs(a - b) for a, b in zip(exact, approx))
    print(f"largest difference from finite differences: {error:.1e}")
    assert error < 1e-6


if __name__ == "__main__":
    main()
