"""Showing how derivatives are computed: explain (forward values, adjoints) and
derivation steps."""
