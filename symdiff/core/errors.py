"""The exceptions symdiff raises, so callers can catch symdiff's errors and nothing else."""


class SymdiffError(Exception):
    """Base class: every error symdiff raises on bad input is one of these."""


class ParseError(SymdiffError, ValueError):
    """A formula could not be read; the message points at the spot with a caret."""

    def __init__(self, message, line=None, column=None):
        super().__init__(message)
        self.line = line
        self.column = column


class EvaluationError(SymdiffError, ArithmeticError):
    """A formula has no real value at the given point (missing variable, domain error)."""
