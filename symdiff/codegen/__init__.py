"""Compiled functions: the shared straight-line program and one module per backend."""
