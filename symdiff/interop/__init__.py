"""Bridges to other systems: SymPy both ways."""
