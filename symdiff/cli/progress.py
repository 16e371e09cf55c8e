"""Progress bars on stderr for the command's long runs: ``--points`` over a large file (bytes
of the file read: the number of rows is not known while streaming) and simplifying a large
result (nodes the simplifier's choice pass has decided, round by round).

A bar is shown only to a person: when stderr is a terminal, never with ``--format json``
(a program reads that), and only once the run has lasted ``DELAY`` seconds, so short runs
print nothing. The bar is cleared when the run ends. tqdm is optional (the ``progress``
extra), imported only when a bar may be shown; without it there is no bar."""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager

#: Seconds a run lasts before its bar appears (tqdm's ``delay``).
DELAY = 1.0


def _bar(args, **options):
    """A tqdm bar on stderr, or None when none is to be shown."""
    if getattr(args, "format", "text") == "json" or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(file=sys.stderr, delay=DELAY, leave=False, **options)


@contextmanager
def reading(args, file, name: str):
    """While ``file`` (a text file) is read: a callable that moves the bar to the position
    read so far (does nothing without a bar: a pipe has no position to show)."""
    try:
        size = os.fstat(file.fileno()).st_size or None
        binary = file.buffer if file.buffer.seekable() else None
    except (AttributeError, OSError, ValueError):
        size, binary = None, None
    bar = _bar(args, total=size, unit="B", unit_scale=True, unit_divisor=1024,
               desc=os.path.basename(name)) if binary is not None else None
    if bar is None:
        yield lambda: None
        return

    def advance() -> None:
        bar.update(binary.tell() - bar.n)
    try:
        yield advance
    finally:
        bar.close()


@contextmanager
def simplifying(args):
    """While a result is simplified: a ``progress(done, total)`` callback for
    ``simplify_result`` (None without a bar); each round of the choice pass starts anew."""
    bar = _bar(args, unit="node", desc="simplifying")
    if bar is None:
        yield None
        return

    def progress(done: int, total: int) -> None:
        if done == 0 or total != bar.total:
            bar.reset(total=total)
        bar.update(done - bar.n)
    try:
        yield progress
    finally:
        bar.close()
