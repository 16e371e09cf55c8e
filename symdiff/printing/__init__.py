"""Expressions to text: plain infix (by precedence), LaTeX, Graphviz DOT."""
