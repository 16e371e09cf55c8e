"""Train a tiny neural network (2 inputs, 3 tanh hidden units, 1 sigmoid output) on XOR,
with the gradient of the loss derived symbolically by symdiff and compiled by lambdify.

    python examples/tiny_mlp.py [--epochs N]

The whole training loss, over the four XOR examples, is one expression of the 13 weights;
one reverse sweep gives all 13 partial derivatives, sharing their subexpressions.
"""
import argparse
import random

import symdiff
from symdiff import Var, exp, log, tanh

DATA = [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0)]
HIDDEN = 3


def network(inputs, weights):
    """The output probability for one input pair, as an expression of the weights."""
    w1, b1, w2, b2 = weights
    hidden = [tanh(w1[j][0] * inputs[0] + w1[j][1] * inputs[1] + b1[j]) for j in range(HIDDEN)]
    z = symdiff.Add(*(w2[j] * hidden[j] for j in range(HIDDEN))) + b2
    return 1 / (1 + exp(-z))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2000, help="gradient steps")
    args = parser.parse_args()

    w1 = [[Var(f"w{j}{i}") for i in range(2)] for j in range(HIDDEN)]
    b1 = [Var(f"b{j}") for j in range(HIDDEN)]
    w2 = [Var(f"v{j}") for j in range(HIDDEN)]
    b2 = Var("c")
    weights = (w1, b1, w2, b2)
    params = [v for row in w1 for v in row] + b1 + w2 + [b2]

    outputs = [network(x, weights) for x, _ in DATA]
    # binary cross-entropy, averaged over the examples
    loss = -symdiff.Add(*(log(p) if t else log(1 - p) for p, (_, t) in zip(outputs, DATA))) / 4
    grad = symdiff.gradient(loss, params)
    print(f"loss: {symdiff.node_count(loss)} nodes; gradient: {len(grad)} entries, "
          f"{symdiff.node_count(grad)} nodes together")
    step = symdiff.lambdify([loss, grad], params, backend="math")
    predict = symdiff.lambdify(outputs, params, backend="math")

    rng = random.Random(1)
    theta = [rng.uniform(-1, 1) for _ in params]
    rate = 0.5
    for epoch in range(args.epochs + 1):
        value, g = step(*theta)
        if epoch % (args.epochs // 4 or 1) == 0:
            print(f"epoch {epoch:5d}: loss = {value:.4f}")
        theta = [t - rate * d for t, d in zip(theta, g)]
    for (x, target), p in zip(DATA, predict(*theta)):
        print(f"xor{x} = {target}: predicted {p:.3f}")


if __name__ == "__main__":
    main()
