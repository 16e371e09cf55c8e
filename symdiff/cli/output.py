"""How the ``symdiff`` command prints its results: one result, or a table of derivatives
(plain, LaTeX, JSON, or values at a point), with shared subexpressions bound once to names
t1, t2, ... when the written-out trees would be much larger than the DAG."""
from __future__ import annotations

import json
import sys

from ..core.nodes import Expr
from ..core.walk import node_count
from ..numeric.evaluate import evaluate_all
from ..printing.latex import to_shared_latex
from ..printing.text import to_shared_text, to_text, tree_size
from .notes import simplified

#: Results whose written-out tree has more nodes than this (and than twice the DAG) are
#: printed with shared subexpressions bound to names t1, t2, ...
PLAIN_TREE_LIMIT = 2000


def format_number(value: float) -> str:
    """Integral values without a trailing .0 (24, not 24.0); others in full precision."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def print_notes(notes: list[str]) -> None:
    """The notes (such as a simplifier's limit) on stderr, after the results."""
    for note in notes:
        print(note, file=sys.stderr)


def is_large(*results: Expr) -> bool:
    """Print with shared subexpressions bound once when the plain trees of ``results``
    together would be much larger than their DAG (they can be exponentially larger)."""
    return tree_size(results, cap=10**9) > max(PLAIN_TREE_LIMIT, 2 * node_count(results))


def aligned(bindings: list[tuple[str, str]], last: str) -> str:
    r"""The LaTeX let-bound form: one ``t_{k} &= ...`` row per binding, then ``last``
    (the result, or a matrix of results) in an ``aligned`` environment."""
    rows = [f"{name} &= {body}" for name, body in bindings] + [f"&{last}"]
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def emit(args, expr: Expr, result: Expr, extra: dict, point: dict | None,
         value_of: Expr | None = None, details: dict | None = None) -> None:
    """Print one result (``diff``, ``eval``, ``simplify``): its value at ``point``, or the
    expression as text, LaTeX or JSON, with shared subexpressions bound once when it is
    large. The value is that of ``value_of`` (default: ``result``); JSON ends with the
    items of ``details``."""
    source = result if value_of is None else value_of
    value = source.evaluate(point) if point is not None else None
    if args.format == "json":
        print(json.dumps(json_record(expr, result, extra, point, value, details)))
    elif value is not None:
        print(format_number(value))
    else:
        print(_shown([result], args.format))


def emit_several(args, formulas: list[Expr], results: list[Expr], extra: dict,
                 point: dict | None, values_of: list[Expr], titles=None, names=None) -> None:
    """Print the results of several formulas (``diff f g x``): one line each, in order (with
    ``point``, the value of each of ``values_of``), or a JSON list of ``emit``'s objects.
    Large results share one set of bindings t1, t2, ... A text line starts ``TITLE = `` for
    each of ``titles`` given (a formula file's named results); json records get ``names``."""
    titles = titles or [None] * len(results)
    names = names or [None] * len(results)
    values = [None] * len(results)
    if point is not None:
        values = [source.evaluate(point) for source in values_of]
    if args.format == "json":
        records = [json_record(expr, result, extra, point, value)
                   for expr, result, value in zip(formulas, results, values)]
        print(json.dumps([{"name": name, **record} if name else record
                          for name, record in zip(names, records)]))
    elif point is not None:
        print("\n".join(_titled(title, format_number(value))
                        for title, value in zip(titles, values)))
    else:
        print(_shown(results, args.format, titles))


def _titled(title: str | None, text: str) -> str:
    return text if title is None else f"{title} = {text}"


def _shown(results: list[Expr], form: str, titles: list | None = None) -> str:
    """``results`` as text or LaTeX, one a line, bound once (t1 = ...) when large; text
    lines start with their title, if any."""
    if form == "latex" and is_large(*results):
        bindings, texts = to_shared_latex(results)
        return aligned(bindings, " \\\\\n&".join(texts))
    if form == "latex":
        return "\n".join(r.to_latex() for r in results)
    titles = titles or [None] * len(results)
    bindings, texts = [], [str(r) for r in results]
    if is_large(*results):
        bindings, texts = to_shared_text(results)
    return "\n".join([f"{name} = {body}" for name, body in bindings]
                     + [_titled(title, text) for title, text in zip(titles, texts)])


def json_record(expr: Expr, result: Expr, extra: dict, point: dict | None,
                value: float | None, details: dict | None = None) -> dict:
    """One result as a JSON object: the formula, ``extra``, the result (its bindings when
    large, else its LaTeX too), ``details``, and the point and value if given."""
    if is_large(result):
        bindings, (text,) = to_shared_text([result])
        record = {"expression": str(expr), **extra, "bindings": dict(bindings), "result": text}
    else:
        record = {"expression": str(expr), **extra, "result": str(result),
                  "latex": result.to_latex()}
    record.update(details or {})
    if value is not None:
        record.update(at=point, value=value)
    return record


def _values(entries: list[Expr], what: list[str], point: dict) -> list[float]:
    """Each entry's value at ``point``, in one pass over the entries' shared DAG (a gradient
    of 10^4 entries reads the point once, not once per entry); a failure says which entry."""
    return evaluate_all(entries, point, lambda i: what[i])


def _nest(shape: list, cells: list) -> list:
    """Entry indices laid out as ``shape`` (a list, or a list of rows) -> the cells."""
    return [_nest(item, cells) if isinstance(item, list) else cells[item] for item in shape]


def emit_table(args, record: dict, formulas: list[Expr], entries: list[Expr],
               labels: list[str], shape: list, rows: bool = False,
               point: dict | None = None, titles: list | None = None) -> None:
    """Print derivative ``entries``: one ``label = entry`` line each, in order, or with
    ``point`` their values there.

    ``shape`` lays the entry indices out for json and LaTeX: a flat list is a vector (a
    LaTeX column), a list of lists a matrix. With ``rows`` (a Jacobian), the entries are one
    row of equal length per formula, printed under the formula (or its title: the name
    of a formula file's result) as a header.
    """
    per_row = len(entries) // len(formulas) if rows else len(entries)
    what = [f"{label} of {to_text(formulas[i // per_row], max_length=60)}" if rows else label
            for i, label in enumerate(labels)]
    values, notes = None, []
    if point is not None:
        for formula in formulas:        # a derivative only exists where the formula does
            formula.evaluate(point)
        values = _values(entries, what, point)      # from the entries as differentiated
    if values is None or args.format == "json":
        entries, notes = simplified(args, entries)
    if args.format == "json":
        if is_large(*entries):
            bindings, texts = to_shared_text(entries)
            record.update(bindings=dict(bindings), result=_nest(shape, texts))
        else:
            record.update(result=_nest(shape, [str(e) for e in entries]),
                          latex=_nest(shape, [e.to_latex() for e in entries]))
        if values is not None:
            record.update(at=point, value=_nest(shape, values))
        print(json.dumps(record))
    else:
        print(_table_text(args, formulas, entries, labels, shape, per_row if rows else 0,
                          values, titles))
    print_notes(notes)


def _table_text(args, formulas: list[Expr], entries: list[Expr], labels: list[str],
                shape: list, per_row: int, values: list[float] | None, titles=None) -> str:
    """The text or LaTeX of ``emit_table``; ``per_row`` is the row length of a Jacobian
    (entries under formula headers), 0 for a plain table."""
    headers, out = [str(f) for f in formulas], []
    if values is not None:
        texts = [format_number(v) for v in values]
    elif args.format == "latex" and is_large(*entries):     # the bindings, then the matrix
        bindings, texts = to_shared_latex(entries)
        return aligned(bindings, _pmatrix(texts, shape))
    elif is_large(*entries):    # one set of bindings for all entries and the row headers
        bindings, texts = to_shared_text(entries + (formulas if per_row else []))
        texts, headers = texts[:len(entries)], texts[len(entries):] or headers
        out = [f"{name} = {body}" for name, body in bindings]
    elif args.format == "latex":
        texts = [e.to_latex() for e in entries]
    else:
        texts = [str(e) for e in entries]
    if args.format == "latex" and not out:
        return _pmatrix(texts, shape)
    headers = [title or header for title, header in zip(titles or [None] * len(headers),
                                                        headers)]
    pad = max(map(len, labels))
    for i, (label, text) in enumerate(zip(labels, texts)):
        if per_row and i % per_row == 0:
            out.append(f"{headers[i // per_row]}:")
        out.append(f"{'  ' if per_row else ''}{label.ljust(pad)} = {text}")
    return "\n".join(out)


def _pmatrix(texts: list[str], shape: list) -> str:
    """The entries laid out as ``shape`` (a column, or rows) in a ``pmatrix``."""
    matrix = [row if isinstance(row, list) else [row] for row in shape]
    return ("\\begin{pmatrix}\n"
            + " \\\\\n".join(" & ".join(texts[i] for i in row) for row in matrix)
            + "\n\\end{pmatrix}")
