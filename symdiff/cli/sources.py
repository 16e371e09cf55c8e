"""Where a command's formulas come from: the command line, stdin (``-``), or formula files
(``-f FILE``, ``--file FILE``, or ``@FILE`` in place of a formula), which are read as
programs (``symdiff.read_program``: comments, ``name = formula`` intermediates, ``define``,
``function``, several results). ``--define`` and ``--function`` are handed to every file
and, when given, to the formulas of the command line too; ``--output`` picks the named
results of the files. Each result is (its name or None, the formula)."""
from __future__ import annotations

import sys

from ..core.nodes import Expr
from ..numeric.model import read_program
from .arguments import UsageError, read_formula
from .hints import look_alike_notes, print_hints

Result = tuple[str | None, Expr]
#: A formula argument holding one of these is read as a program too: no single formula has
#: "=", ";" or a line break (``symdiff grad "z = w*x + b; (z - y)^2" --vars w,b``).
PROGRAM_MARKS = ("=", ";", "\n")


def _names(specs) -> list[str]:
    return [name.strip() for spec in specs or () for name in spec.split(",") if name.strip()]


def _file_text(path: str) -> str:
    """A formula file's text (a UTF-8 byte order mark is dropped), or a usage error with
    the system's message."""
    try:
        with open(path, encoding="utf-8-sig") as file:
            return file.read()
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not a text file (UTF-8 expected)") from None


def _program(args, text: str, source: str | None, outputs) -> list[Result]:
    program = read_program(text, source=source, functions=_names(getattr(args, "function", ())),
                           definitions=getattr(args, "define", None) or (), outputs=outputs)
    for _, expr in program.results:
        print_hints(look_alike_notes(expr))
    return list(program.results)


def formula_texts(args) -> list[str]:
    """The formula arguments of the command line (none when they come from files)."""
    if getattr(args, "exprs", None) is not None:
        return list(args.exprs)
    return [args.expr] if getattr(args, "expr", None) is not None else []


def read_results(args, texts: list[str]) -> list[Result]:
    """The results of the --file files, then of ``texts`` in order (``@FILE`` reads a
    file; ``-`` reads stdin, at most once)."""
    if sum(text.strip() == "-" for text in texts) > 1:
        raise UsageError("only one EXPR can be - (the formula read from stdin)")
    outputs = _names(getattr(args, "output_names", None)) or None
    programs = bool(getattr(args, "define", None) or getattr(args, "function", None))
    files = list(getattr(args, "file", None) or [])
    if outputs and not (files or any(t.strip().startswith("@") for t in texts)):
        raise UsageError("--output picks named results of a formula file: give the file "
                         "with -f FILE or @FILE")
    results: list[Result] = []
    for path in files:
        results += _program(args, _file_text(path), path, outputs)
    for text in texts:
        if text.strip().startswith("@"):
            path = text.strip()[1:]
            results += _program(args, _file_text(path), path, outputs)
        else:
            source = sys.stdin.read() if text.strip() == "-" else text
            if programs or any(mark in source for mark in PROGRAM_MARKS):
                results += _program(args, source, None, None)
            else:
                results.append((None, read_formula(source)))
    if not results:
        raise UsageError("the following arguments are required: EXPR (or -f FILE)")
    return results


def one_result(args, texts: list[str] | None = None) -> Expr:
    """The one formula of a command that takes one (grad, hessian, simplify...)."""
    results = read_results(args, formula_texts(args) if texts is None else texts)
    if len(results) > 1:
        named = [name for name, _ in results if name]
        pick = (f" ({', '.join(named)}): pick one with --output NAME" if named
                and len(named) == len(results) and hasattr(args, "output_names") else "")
        raise UsageError(f"symdiff {args.command} takes one formula; {len(results)} were "
                         f"given{pick}")
    return results[0][1]
