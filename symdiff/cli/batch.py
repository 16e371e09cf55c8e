"""The command line's compiled outputs, all built by ``codegen``: ``--format python`` (a
standalone Python function computing the results), ``--format c`` (the same in C99: a
header and a source) and ``--points FILE.csv`` (the results at every point of a CSV file,
written as CSV).

NumPy is imported by ``--points`` alone: importing it costs more than most commands take."""
from __future__ import annotations

import csv
import sys

from .arguments import UsageError
from .points_file import chunks, opened, read_header
from .progress import reading
from ..codegen.c_source import to_c_source
from ..codegen.compile import lambdify, to_python_source
from ..core.nodes import Expr

#: ``--format python``: the generated function's name per command.
FUNCTION_NAMES = {"diff": "derivative", "grad": "gradient", "hessian": "hessian",
                  "jacobian": "jacobian", "eval": "f", "simplify": "f"}


def print_python(args, results, names: list[str]) -> None:
    """A standalone module defining one function of ``names`` that returns ``results`` (an
    expression, a list, or a matrix as nested lists), computed with the ``math`` module."""
    print(to_python_source(results, names, name=FUNCTION_NAMES.get(args.command, "f"),
                           backend="math"), end="")


def print_c(args, results, names: list[str]) -> None:
    """The C99 header, then the .c source, of one function of ``names`` (``in[j]``) that
    writes ``results`` into ``out[k]`` (nested lists row by row), and its n-point loop."""
    header, source = to_c_source(results, names, name=FUNCTION_NAMES.get(args.command, "f"))
    print(header + "\n" + source, end="")


#: ``--format`` values that print a program computing the results, and their printers.
PRINTERS = {"python": print_python, "c": print_c}


def check_batch(args) -> None:
    """``--points`` prints CSV: it does not mix with ``--at`` or another format."""
    if args.at:
        raise UsageError("--points and --at do not go together: put the point in the file")
    if args.format != "text":
        raise UsageError(f"--points writes CSV; --format {args.format} does not apply")


def write_batch(args, formulas: list[Expr], entries: list[Expr], labels: list[str],
                names: list[str]) -> None:
    """Evaluate ``entries`` (as differentiated) at every point of ``args.points`` with one
    compiled NumPy function, and print the input columns followed by one column per label.
    Where a formula is undefined, its row's derivative cells are left empty. The file is
    read, evaluated and written a chunk of rows at a time (``points_file``), with a
    progress bar on a terminal; nothing is written before the first chunk has been read, so
    a problem there (in a small file, anywhere) leaves no output."""
    path = args.points
    with opened(path) as file, reading(args, file, path) as advance:
        reader = csv.reader(file)
        header = read_header(path, reader, names)
        compiled = lambdify([*formulas, *entries], names, backend="numpy")
        writer = csv.writer(sys.stdout, lineterminator="\n")
        first = header + labels
        for rows, columns in chunks(path, reader, header, names):
            written = _evaluated(compiled, len(formulas), len(header), rows, columns)
            if first:
                writer.writerow(first)
                first = None
            writer.writerows(written)
            advance()
        if first:
            writer.writerow(first)


def _evaluated(compiled, formulas: int, width: int, rows: list[list[str]],
               columns: dict[str, list[float]]) -> list[list[str]]:
    """The output rows of one chunk: each input row (padded to the header's width) and its
    results; the first ``formulas`` outputs are the formulas, which must be finite."""
    import numpy

    count = len(rows)
    with numpy.errstate(all="ignore"):
        arrays = {name: numpy.array(values, dtype=float) for name, values in columns.items()}
        values = compiled(**arrays) if arrays else compiled()
        defined = numpy.ones(count, dtype=bool)
        for value in values[:formulas]:
            defined &= numpy.isfinite(numpy.broadcast_to(value, (count,)))
        results = [numpy.where(defined, value, numpy.nan) for value in values[formulas:]]
    for row in rows:
        if len(row) < width:
            row += [""] * (width - len(row))
    for result in results:
        texts = list(map(float.__repr__, result.tolist()))     # inf, -inf as Python reads them
        if numpy.isnan(result).any():                             # undefined: an empty cell
            texts = [text if text != "nan" else "" for text in texts]
        for row, text in zip(rows, texts):
            row.append(text)
    return rows
