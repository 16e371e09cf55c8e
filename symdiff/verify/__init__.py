"""Checking symbolic derivatives against the oracles and SymPy."""
