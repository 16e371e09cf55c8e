"""The deadline every rewrite step reports to: the clock budget of one rewrite.

The strategies make a ``Deadline`` active (``deadline_scope``) for the length of a
``rewrite``; matching, rule conditions and the transforms of ``algebra.py`` and
``polynomial.py`` report their work to it (``spend``). It reads its clock every
``CHECK_EVERY`` units of work and raises ``OutOfTime`` once the deadline has passed, so a
budget holds inside one rule's matching and inside one transform, not only between passes.
"""
from __future__ import annotations

import contextlib
import contextvars
import math
import time
from collections.abc import Callable

#: Units of work between two looks at a deadline's clock.
CHECK_EVERY = 256


class OutOfTime(Exception):
    """The active deadline has passed (the strategies turn this into a time-limit stop)."""


class Deadline:
    """A point in time on ``clock`` (``time.perf_counter`` unless a test gives a counter),
    and the work spent against it. ``spend(units)`` adds work; every ``CHECK_EVERY`` units
    the clock is read, and past ``at`` it raises ``OutOfTime`` (and keeps raising: a
    deadline, once passed, stays passed)."""

    __slots__ = ("at", "clock", "spent", "checks", "_next_check", "passed")

    def __init__(self, at: float = math.inf, clock: Callable[[], float] = time.perf_counter):
        self.at, self.clock = at, clock
        self.spent = 0          # units of work reported
        self.checks = 0         # times the clock was read
        self._next_check = 0
        self.passed = False

    def spend(self, units: int = 1) -> None:
        self.spent += units
        if self.spent >= self._next_check:
            self.check()

    def check(self) -> None:
        """Read the clock now; raise ``OutOfTime`` if the deadline has passed."""
        self._next_check = self.spent + CHECK_EVERY
        if self.passed:
            raise OutOfTime
        self.checks += 1
        if self.clock() > self.at:
            self.passed = True
            raise OutOfTime


class _NoDeadline:
    """What is active outside any rewrite: work is not limited (nor counted)."""

    __slots__ = ()

    def spend(self, units: int = 1) -> None:
        pass

    def check(self) -> None:
        pass


_NO_DEADLINE = _NoDeadline()
_ACTIVE: contextvars.ContextVar = contextvars.ContextVar("symdiff_deadline", default=_NO_DEADLINE)


def active_deadline():
    """The deadline of the rewrite in progress (one that never passes outside a rewrite)."""
    return _ACTIVE.get()


@contextlib.contextmanager
def deadline_scope(deadline: Deadline):
    """Make ``deadline`` the active one inside the ``with`` block (per thread and context)."""
    token = _ACTIVE.set(deadline)
    try:
        yield deadline
    finally:
        _ACTIVE.reset(token)


# ------------------------------------------------------------------------------- matching
