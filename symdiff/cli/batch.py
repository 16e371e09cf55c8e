"""The command line's compiled outputs, both built by ``codegen``: ``--format python`` (a
standalone Python function computing the results) and ``--points FILE.csv`` (the results at
every point of a CSV file, written as CSV).

NumPy is imported by ``--points`` alone: importing it costs more than most commands take."""
from __future__ import annotations

import csv
import math
import sys

from .arguments import UsageError
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


def check_batch(args) -> None:
    """``--points`` prints CSV: it does not mix with ``--at`` or another format."""
    if args.at:
        raise UsageError("--points and --at do not go together: put the point in the file")
    if args.format != "text":
        raise UsageError(f"--points writes CSV; --format {args.format} does not apply")


def read_points(path: str, names: list[str]) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a CSV file with one column per variable (others are kept and
    copied to the output)."""
    try:
        with open(path, newline="", encoding="utf-8") as file:
            rows = [row for row in csv.reader(file) if any(cell.strip() for cell in row)]
    except OSError as error:
        raise UsageError(f"--points {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"--points {path}: not a CSV text file ({error})") from None
    if not rows:
        raise UsageError(f"--points {path}: the file is empty; it needs a header line naming "
                         f"the variables ({', '.join(names)})")
    header = [cell.strip() for cell in rows[0]]
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > len(header):
            raise UsageError(f"--points {path}, line {number}: {len(row)} cells but the "
                             f"header line names {len(header)} columns; the output "
                             "columns would not line up")
    missing = [name for name in names if name not in header]
    if missing:
        raise UsageError(f"--points {path}: no column for {', '.join(missing)} in the header "
                         f"line ({', '.join(header)})")
    return header, rows[1:]


def _column(path: str, header: list[str], rows: list[list[str]], name: str) -> list[float]:
    index = header.index(name)
    values = []
    for number, row in enumerate(rows, start=2):
        cell = row[index].strip() if index < len(row) else ""
        try:
            values.append(float(cell))
        except ValueError:
            raise UsageError(f"--points {path}, line {number}: {name} = {cell!r} is not a "
                             "number") from None
    return values


def write_batch(args, formulas: list[Expr], entries: list[Expr], labels: list[str],
                names: list[str]) -> None:
    """Evaluate ``entries`` (as differentiated) at every point of ``args.points`` with one
    compiled NumPy function, and print the input columns followed by one column per label.
    Where a formula is undefined, its row's derivative cells are left empty."""
    import numpy

    header, rows = read_points(args.points, names)
    compiled = lambdify([*formulas, *entries], names, backend="numpy")
    columns = {name: numpy.array(_column(args.points, header, rows, name), dtype=float)
               for name in names}
    with numpy.errstate(all="ignore"):
        values = compiled(**columns) if names else compiled()
    defined = numpy.ones(len(rows), dtype=bool)
    for value in values[:len(formulas)]:
        defined &= numpy.isfinite(numpy.broadcast_to(value, (len(rows),)))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header + labels)
    results = [numpy.broadcast_to(v, (len(rows),)) for v in values[len(formulas):]]
    for i, row in enumerate(rows):
        cells = [_cell(float(result[i])) if defined[i] else "" for result in results]
        writer.writerow(list(row) + [""] * (len(header) - len(row)) + cells)


def _cell(value: float) -> str:
    if math.isfinite(value):
        return repr(value)
    return "" if math.isnan(value) else ("inf" if value > 0 else "-inf")
