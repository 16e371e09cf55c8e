"""Rewriting: patterns, rules, bounded strategies, algebraic and polynomial normal forms,
the default rule groups and ``simplify``."""
