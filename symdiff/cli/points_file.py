"""Reading ``--points FILE.csv`` as a stream: the header line, then the rows a chunk at a time
with each variable's column as floats, so that memory stays the same whatever the size of
the file. A problem is reported when the reading reaches it (what was written before stays
written), naming the file and the line as an editor counts it (blank lines included).

The rows of a chunk are read and checked in bulk; only when a chunk has a problem is it
walked row by row, counting lines, to find the first one and its line."""
from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice

from .arguments import UsageError

#: Rows read, evaluated and written at a time.
CHUNK_ROWS = 65536


@contextmanager
def opened(path: str):
    """The file, opened for ``csv`` (a missing or unreadable file is one message)."""
    try:
        file = open(path, newline="", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"--points {path}: {error.strerror or error}") from None
    with file:
        yield file


@contextmanager
def _reading(path: str):
    """Errors while reading the file as one message each."""
    try:
        yield
    except OSError as error:
        raise UsageError(f"--points {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"--points {path}: not a CSV text file ({error})") from None


def _blank(row: list[str]) -> bool:
    return not "".join(row).strip()


def read_header(path: str, reader, names: list[str]) -> list[str]:
    """The header line's column names (the first row that is not blank), which must name
    every variable."""
    with _reading(path):
        first = next((row for row in reader if not _blank(row)), None)
    if first is None:
        raise UsageError(f"--points {path}: the file is empty; it needs a header line naming "
                         f"the variables ({', '.join(names)})")
    header = [cell.strip() for cell in first]
    missing = [name for name in names if name not in header]
    if missing:
        raise UsageError(f"--points {path}: no column for {', '.join(missing)} in the header "
                         f"line ({', '.join(header)})")
    return header


def chunks(path: str, reader, header: list[str], names: list[str],
           size: int | None = None) -> Iterator[tuple[list[list[str]], dict[str, list[float]]]]:
    """The rows after the header that are not blank, read ``size`` (default ``CHUNK_ROWS``)
    at a time, each chunk with the values of every variable's column."""
    size = size or CHUNK_ROWS
    indices = {name: header.index(name) for name in names}
    while True:
        line = reader.line_num
        with _reading(path):
            raw = list(islice(reader, size))
        if not raw:
            return
        rows = [row for row in raw if "".join(row).strip()]      # not blank
        try:
            if rows and max(map(len, rows)) > len(header):
                raise IndexError
            columns = {name: [float(row[i]) for row in rows] for name, i in indices.items()}
        except (ValueError, IndexError):
            raise _first_problem(path, header, indices, raw, line) from None
        yield rows, columns


def _breaks(row: list[str]) -> int:
    """Line breaks inside the cells (quoted), as the reader counts lines."""
    return sum(cell.count("\n") + cell.count("\r") - cell.count("\r\n") for cell in row)


def _first_problem(path: str, header: list[str], indices: dict[str, int],
                   raw: list[list[str]], line: int) -> UsageError:
    """The first row of ``raw`` (which follows line ``line``) that is too long or has a cell
    that is not a number."""
    for row in raw:
        line += 1 + _breaks(row)         # a row's line is its last one, as csv says
        if _blank(row):
            continue
        if len(row) > len(header):
            return UsageError(f"--points {path}, line {line}: {len(row)} cells but the header "
                              f"line names {len(header)} columns; the output columns would "
                              "not line up")
        for name, index in indices.items():
            cell = row[index].strip() if index < len(row) else ""
            try:
                float(cell)
            except ValueError:
                return UsageError(f"--points {path}, line {line}: {name} = {cell!r} is not a "
                                  "number")
    return UsageError(f"--points {path}: cannot read the rows")      # pragma: no cover
