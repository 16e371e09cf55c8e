"""The NumPy backend on Dask arrays: out-of-core and distributed evaluation.

A ``CompiledFunction`` (``backend="numpy"``) called with any ``dask.array`` argument returns
dask arrays, lazily: one task per chunk calls the same compiled function on that chunk of
every argument (broadcast together and chunk-aligned by dask), so the data never has to fit
in memory and a cluster can share the work. The results are laid out as the NumPy backend's
(a gradient is a list of arrays): the outputs are rows of one stacked block, computed once
per chunk, and ``dask.compute(*results)`` computes that block once for all of them (a
Hessian's mirror entries are the same dask array). Numbers stay numbers, as in the NumPy
backend (the variant compiled for them runs in every chunk).

Dask is an optional dependency (the ``dask`` extra), imported only here, when a dask array
is passed. A dask array cannot exist before ``dask.array`` has been imported, so
``holds_dask`` looks in ``sys.modules`` and never imports dask itself.
"""
from __future__ import annotations

import numbers
import sys

from .program import nest


def holds_dask(args) -> bool:
    """Whether any of ``args`` is a dask array (without importing dask)."""
    module = sys.modules.get("dask.array")
    if module is None:
        return False
    kind = module.Array
    return any(isinstance(value, kind) for value in args)


def _is_number(value) -> bool:
    """A Python or NumPy number: passed to every chunk as it is, not broadcast."""
    return isinstance(value, numbers.Real) or (getattr(value, "ndim", 1) == 0
                                               and not hasattr(value, "dask"))


def rows_of(outputs) -> tuple[list, list[int]]:
    """The distinct outputs (the rows of the block) and each output's row."""
    row: dict = {}
    where = [row.setdefault(out, len(row)) for out in outputs]
    return list(row), where


def leaves(value) -> list:
    """The arrays of a nested result (lists and tuples), in order: one per output."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
        else:
            found.append(item)
    return found


def block(compiled, first: tuple[int, ...] | None, *chunks):
    """One chunk's results: the one output's array, or the rows (the outputs numbered in
    ``first``, one per distinct output) stacked into one array."""
    import numpy

    values = compiled(*chunks)
    if first is None:
        return numpy.asarray(values, dtype=numpy.float64)
    values = leaves(values)
    return numpy.stack([values[i] for i in first])


def dask_call(compiled, args):
    """``compiled(*args)`` when some of ``args`` are dask arrays: dask arrays (lazy), laid
    out as the NumPy backend's results, one task per chunk."""
    import dask.array as da
    import numpy
    from dask.base import tokenize

    arrays = [i for i, value in enumerate(args) if not _is_number(value)]
    broadcast = da.broadcast_arrays(*[da.asarray(args[i]) for i in arrays])
    values: list = list(args)
    for i, array in zip(arrays, broadcast):
        values[i] = array
    index = tuple(range(1, broadcast[0].ndim + 1))
    pieces = [piece for value in values
              for piece in ((value, index) if hasattr(value, "dask") else (value, None))]
    token = tokenize(compiled.source, compiled.vars, compiled.layout, *args)
    single = compiled.layout == [0]
    rows, where = rows_of(compiled.outputs)
    first = None if single else tuple(where.index(r) for r in range(len(rows)))
    meta = numpy.empty((0,) * (len(index) + (not single)))
    stacked = da.blockwise(block, index if single else (0, *index), compiled, None, first, None,
                           *pieces, new_axes={} if single else {0: len(rows)},
                           dtype=numpy.float64, meta=meta, name=f"symdiff-{token}",
                           concatenate=True)
    if single:
        return stacked
    row_arrays = [stacked[r] for r in range(len(rows))]
    return nest([row_arrays[r] for r in where], compiled.layout)
