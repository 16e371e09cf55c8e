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


class UndefinedError(SymdiffError, ArithmeticError):
    """A constant expression has no real value: ``1/0``, ``0/0``, ``log(0)``, ``asin(2)``.
    symdiff refuses to build it rather than let ``0*(1/0)`` or ``1/0 - 1/0`` fold to 0."""


class NumberRangeError(SymdiffError, OverflowError):
    """A number symdiff will not hold: a float that overflows, or underflows to 0 from
    numbers that are not 0, or an exact number past the digit budget (``core.exact``)."""
