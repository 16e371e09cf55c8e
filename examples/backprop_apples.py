"""Backpropagation through the shopping graph of seed tutorial 003: apples, oranges and tax.

The forward pass computes the price node by node; the backward pass hands each node's
adjoint (d price / d node) back to its inputs, multiplied by the local derivatives: an add
node passes it on unchanged, a multiply node swaps its inputs.

    python examples/backprop_apples.py
"""
import symdiff
from symdiff.teaching.explain import format_value

APPLES = symdiff.parse("apple*apple_count*tax")
FRUIT = symdiff.parse("(apple*apple_count + orange*orange_count)*tax")


def main() -> None:
    print("Apples: 2 at 100 each, 10% tax")
    print(symdiff.explain(APPLES, {"apple": 100, "apple_count": 2, "tax": 1.1},
                          name="price").to_text())
    print()
    print("Apples and oranges: 2 apples at 100, 3 oranges at 150, 10% tax")
    explained = symdiff.explain(FRUIT, {"apple": 100, "apple_count": 2, "orange": 150,
                                        "orange_count": 3, "tax": 1.1}, name="price")
    print(explained.to_text())
    print()
    # the same numbers from the symbolic gradient, evaluated
    point = explained.point
    for name, value in explained.gradient.items():
        symbolic = FRUIT.gradient(name)
        assert abs(symbolic.evaluate(point) - value) < 1e-9
        print(f"d price/d {name} = {symbolic} = {format_value(value)}")


if __name__ == "__main__":
    main()
