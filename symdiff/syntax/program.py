"""A formula file as a small program: comments, definitions, named intermediate results.

::

    # logistic regression, one sample
    z = w*x + b
    yhat = sigmoid(z)
    L = -(y*log(yhat) + (1 - y)*log(1 - yhat))

A statement is one line (or several while a parenthesis is open or a line ends with an
operator; ``;`` separates statements on one line), one of:

- ``name = formula``: names an intermediate result; later statements may use the name, and
  it stands for the formula (gradients flow through it, as through any shared node);
- ``define f(u, v) = formula`` (or ``f(u, v) = formula``): a function of your own, which
  prints by its name and differentiates and compiles through the formula;
- ``function f, g``: undefined functions, with no formula (``f(x)``, ``f'(x)``);
- a formula: a result.

The results are the bare formulas in order or, when there are none, the last named one;
``outputs`` picks named ones instead. ``#`` starts a comment; a UTF-8 byte order mark is
ignored. An error points at its line and column in the file.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..core.errors import ParseError
from ..core.names import normal_name
from ..core.nodes import Const, Expr, Var
from ..core.walk import free_vars
from .parser import Scope, fail_at, read_span

#: ``define``'s signature: (name, parameters, body) -> the function's class.
Definer = Callable[[str, Sequence[str], Expr], object]

_LEFT = re.compile(r"\s*(?:(define)\s+)?([^\W\d]\w*)\s*(?:\((.*)\))?\s*", re.S)
_FUNCTIONS = re.compile(r"\s*function\s+(.*)", re.S)
#: A line ending with one of these continues on the next.
_CONTINUES = ("+", "-", "*", "/", "^", ",", "=", "(")


@dataclass(frozen=True)
class Program:
    """What a formula file says: its results (name or None, formula) in order, the named
    intermediates, the undefined functions it declares and the functions it defines."""

    results: tuple[tuple[str | None, Expr], ...]
    assignments: dict[str, Expr] = field(default_factory=dict)
    functions: frozenset[str] = frozenset()
    defined: tuple[str, ...] = ()

    @property
    def formulas(self) -> list[Expr]:
        return [expr for _, expr in self.results]

    def names(self) -> dict[Expr, str]:
        """Each intermediate's formula -> its name, for printing results in those names
        (only formulas that are not a bare number or variable)."""
        found: dict[Expr, str] = {}
        for name, expr in self.assignments.items():
            if type(expr) not in (Const, Var):
                found.setdefault(expr, name)
        return found


def _statements(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) offsets of each statement, comments and blank ones left out."""
    start, depth, i, n = 0, 0, 0, len(text)
    last = ""                                   # the last character that is not a space
    while i < n:
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        if char == ";" or (char == "\n" and depth == 0 and last not in _CONTINUES):
            yield start, i
            start, last = i + 1, ""
        elif not char.isspace():
            last = char
        i += 1
    yield start, n


def _without_comments(text: str, start: int, end: int) -> str:
    return re.sub(r"#[^\n]*", lambda m: " " * len(m.group()), text[start:end])


def _top_level_equals(piece: str) -> int:
    """The offset of the ``=`` outside parentheses, or -1."""
    depth = 0
    for i, char in enumerate(piece):
        depth += char in "(["
        depth -= char in ")]"
        if char == "=" and depth == 0:
            return i
    return -1


def _first_visible(text: str, start: int, end: int) -> int:
    """The offset of the first character of text[start:end] that is not a space."""
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip())


class _Reader:
    """Reads statements in order, keeping what earlier ones named."""

    def __init__(self, text: str, source: str | None, functions: Iterable[str],
                 define: Definer | None):
        self.text, self.source, self.define = text, source, define
        self.functions = set(functions)
        self.assignments: dict[str, Expr] = {}
        self.seen: set[str] = set()             # variables used so far
        self.bare: list[tuple[None, Expr]] = []
        self.defined: list[str] = []

    def fail(self, message: str, offset: int) -> ParseError:
        return fail_at(self.text, message, offset, source=self.source)

    def formula(self, start: int, end: int, bindings=None, functions=None) -> Expr:
        """The formula text[start:end] (the grammar skips comments), in the names so far."""
        scope = Scope(self.functions if functions is None else functions,
                      self.assignments if bindings is None else bindings)
        return read_span(self.text, start, end, scope, self.source)

    def statement(self, start: int, end: int) -> None:
        piece = _without_comments(self.text, start, end)
        if not piece.strip():
            return
        declared = _FUNCTIONS.fullmatch(piece)
        if declared:
            return self.declare(declared, start)
        equals = _top_level_equals(piece)
        if equals < 0:
            expr = self.formula(start, end)
            self.seen.update(free_vars(expr))
            self.bare.append((None, expr))
            return
        left = _LEFT.fullmatch(piece[:equals])
        if left is None:
            raise self.fail("the left side of '=' must be a name (z = ...) or a function "
                            "with its parameters (define f(u) = ...)", start)
        keyword, name, params = left.groups()
        name_at = start + left.start(2)
        if params is None and keyword is None:
            return self.assign(name, name_at, start + equals + 1, end)
        return self.definition(name, params or "", name_at, start + equals + 1, end)

    def declare(self, match: re.Match, start: int) -> None:
        for name in (n.strip() for n in match.group(1).split(",")):
            try:
                self.functions.add(normal_name(name))
            except ValueError as error:
                raise self.fail(f"function {name}: {error}", start) from None

    def assign(self, name: str, at: int, start: int, end: int) -> None:
        try:
            name = normal_name(name)
        except ValueError as error:
            raise self.fail(str(error), at) from None
        if name in self.assignments:
            raise self.fail(f"'{name}' is already named above; give this result another "
                            "name", at)
        if name in self.seen:
            raise self.fail(f"'{name}' is used above as a variable; naming it now would "
                            "change what the lines above mean", at)
        value = self.formula(start, end)
        self.seen.update(free_vars(value))
        self.assignments[name] = value

    def definition(self, name: str, params: str, at: int, start: int, end: int) -> None:
        names = [p.strip() for p in params.split(",") if p.strip()]
        if self.define is None:
            raise self.fail(f"a definition ({name}(...) = ...) needs symdiff.read_program "
                            "or the command line, which can define functions", at)
        body = self.formula(start, end, bindings={}, functions=())
        extra = [v for v in free_vars(body) if v not in names]
        if extra:
            raise self.fail(f"the formula of {name}({', '.join(names)}) uses "
                            f"{', '.join(extra)}, which {'is' if len(extra) == 1 else 'are'} "
                            "not among its parameters", _first_visible(self.text, start, end))
        try:
            names = [normal_name(p) for p in names]
            self.define(name, names, body)
        except ValueError as error:
            raise self.fail(f"define {name}: {error}", at) from None
        self.defined.append(name)


def parse_program(text: str, source: str | None = None, functions: Iterable[str] = (),
                 define: Definer | None = None,
                 outputs: Sequence[str] | None = None, allow_empty: bool = False) -> Program:
    """Read a formula file (see the module's docstring). ``functions`` names undefined
    functions; ``define(name, params, body)`` makes a defined function (the numeric layer's
    ``define_function``: ``symdiff.read_program`` passes it); ``outputs`` picks the named
    results. ``source`` names the file in error messages. ``allow_empty``: text with
    definitions only is accepted (no results)."""
    if not isinstance(text, str):
        raise TypeError(f"parse_program() needs a string, not {type(text).__name__}")
    text = text[1:] if text.startswith("\ufeff") else text
    reader = _Reader(text, source, functions, define)
    for start, end in _statements(text):
        reader.statement(start, end)
    if outputs:
        missing = [name for name in outputs if name not in reader.assignments]
        if missing:
            known = ", ".join(reader.assignments) or "none"
            raise ParseError(f"no result named {', '.join(missing)} (the named results: "
                             f"{known})")
        results = tuple((name, reader.assignments[name]) for name in outputs)
    elif reader.bare:
        results = tuple(reader.bare)
    elif reader.assignments:
        name = next(reversed(reader.assignments))
        results = ((name, reader.assignments[name]),)
    elif allow_empty:
        results = ()
    else:
        raise ParseError("no formula: the text holds only comments, definitions or "
                         "declarations")
    return Program(results, dict(reader.assignments), frozenset(reader.functions),
                   tuple(reader.defined))
