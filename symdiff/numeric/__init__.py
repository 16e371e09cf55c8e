"""Numbers from expressions: the evaluator, and the independent oracles (dual numbers,
the backpropagation tape, finite differences)."""
