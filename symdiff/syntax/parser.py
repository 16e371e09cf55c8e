"""Text to expression: a lark LALR parser whose transformer builds nodes during the parse.

Building nodes as the parser reduces (instead of building a parse tree and walking it)
keeps the parse free of recursion, so 100,000 nested calls or terms are fine. Every failure
becomes one ``ParseError`` showing the line, the column, a caret and what was expected.
"""
from __future__ import annotations

import difflib
import functools
from collections.abc import Set
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ..core.errors import NumberRangeError, ParseError, UndefinedError
from ..core.exact import MAX_LITERAL_DIGITS
from ..core.nodes import E, PI, Add, Const, Expr, Mul, Pow, Var, provide
from ..core.functions import ALIASES, FUNCTIONS, div, sqrt
from ..core.intern import collector_paused

CONSTANTS = {"pi": PI, "e": E}
#: Calls that build other nodes: name -> (arity, builder).
BUILDERS = {"sqrt": (1, sqrt), "pow": (2, Pow), "div": (2, div)}


class KnownCalls(Set):
    """Every name a call may use: the declared functions (those defined later included),
    their aliases (``FUNCTIONS`` and ``ALIASES`` from the declarations) and the builders."""

    def __contains__(self, name) -> bool:
        return name in FUNCTIONS or name in ALIASES or name in BUILDERS

    def __iter__(self):
        return iter(sorted({*FUNCTIONS, *ALIASES, *BUILDERS}))

    def __len__(self) -> int:
        return len(FUNCTIONS) + len(ALIASES) + len(BUILDERS)


KNOWN_CALLS = KnownCalls()

#: How the grammar's terminals read in an error message.
TERMINAL_WORDS = {
    "NUMBER": "a number", "NAME": "a name", "LPAR": "'('", "RPAR": "')'", "COMMA": "','",
    "PLUS": "'+'", "MINUS": "'-'", "STAR": "'*'", "SLASH": "'/'", "POW_OP": "'^'",
    "$END": "the end of the formula",
}


def _grammar_path() -> Path:
    """The grammar ships inside the package; in a source checkout it sits in grammar/."""
    packaged = resources.files("symdiff").joinpath("grammar", "symdiff.lark")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "grammar" / "symdiff.lark"


class _Error(Exception):
    """Raised inside the transformer with the token to point at; turned into ParseError."""

    def __init__(self, message: str, token: Token):
        super().__init__(message)
        self.token = token


def _built(token: Token, build, *args) -> Expr:
    """``build(*args)``, with a number symdiff refuses (``1/0``, a float overflow, an exact
    number past the budget) reported at ``token``: the operator or name that made it."""
    try:
        return build(*args)
    except (UndefinedError, NumberRangeError) as error:
        raise _Error(str(error), token) from None


class BuildNodes(Transformer):
    """One callback per grammar alias; each builds the node for its rule."""

    def add(self, children):
        terms = [children[0]]
        for op, term in zip(children[1::2], children[2::2]):
            terms.append(term if op.type == "PLUS" else _built(op, Mul, -1, term))
        return _built(children[1], Add, *terms)

    def mul(self, children):
        factors = [children[0]]
        for op, factor in zip(children[1::2], children[2::2]):
            factors.append(factor if op.type == "STAR" else _built(op, Pow, factor, -1))
        return _built(children[1], Mul, *factors)

    def sign(self, children):
        op, operand = children
        return operand if op.type == "PLUS" else _built(op, Mul, -1, operand)

    def pow(self, children):
        base, caret, exponent = children
        return _built(caret, Pow, base, exponent)

    def number(self, children):
        (token,) = children
        text = str(token)
        if text.isdigit():
            if len(text) > MAX_LITERAL_DIGITS:
                raise _Error(f"integer literal too long ({len(text):,} digits; the limit is "
                             f"{MAX_LITERAL_DIGITS:,}: write a power such as 10^5000 to "
                             f"keep a larger number symbolic)", token)
            return _built(token, Const, int(text))
        value = float(text)
        if value in (float("inf"), float("-inf")):
            raise _Error(f"number {text} is too large for a float (the largest is about "
                         f"1.8e308; write 10^400 for an exact number)", token)
        if value == 0 and any(digit in "123456789" for digit in text.split("e")[0].split("E")[0]):
            raise _Error(f"number {text} is too small for a float: it would be 0 (the "
                         f"smallest is about 5e-324; write 10^-400 for an exact number)", token)
        return Const(value)

    def name(self, children):
        (token,) = children
        text = str(token)
        if text in CONSTANTS:
            return CONSTANTS[text]
        if text in KNOWN_CALLS:
            raise _Error(f"'{text}' is a function: write {text}(...)", token)
        return Var(text)

    def call(self, children):
        token, *args = children
        args = [a for a in args if a is not None]
        name = ALIASES.get(str(token), str(token))
        if name in BUILDERS:
            arity, build = BUILDERS[name]
        elif name in FUNCTIONS:
            arity, build = FUNCTIONS[name].arity, FUNCTIONS[name]
        else:
            close = difflib.get_close_matches(str(token), list(KNOWN_CALLS), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise _Error(f"unknown function '{token}'{hint}", token)
        if len(args) != arity:
            plural = "s" if arity != 1 else ""
            raise _Error(f"{token}() takes {arity} argument{plural}, got {len(args)}", token)
        return _built(token, build, *args)


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark.open(str(_grammar_path()), parser="lalr", transformer=BuildNodes(),
                     propagate_positions=False, maybe_placeholders=True)


def _pointer(text: str, line: int, column: int) -> str:
    """The source line (a window of it, if long) and a caret under the column."""
    lines = text.splitlines() or [""]
    source = lines[min(line, len(lines)) - 1]
    start = max(0, column - 40)
    window = source[start:start + 80]
    prefix = "..." if start else ""
    suffix = "..." if start + 80 < len(source) else ""
    return f"  {prefix}{window}{suffix}\n  {' ' * (len(prefix) + column - 1 - start)}^"


def _fail(text: str, message: str, line: int, column: int, expected: str = "") -> ParseError:
    full = f"{message}\nline {line}, column {column}:\n{_pointer(text, line, column)}"
    if expected:
        full += f"\n{expected}"
    return ParseError(full, line, column)


def _expected_words(names) -> str:
    words = sorted({TERMINAL_WORDS.get(n, n) for n in names if not n.startswith("__")})
    if not words:
        return ""
    if len(words) == 1:
        return f"expected {words[0]}"
    return "expected " + ", ".join(words[:-1]) + " or " + words[-1]


def _end_position(text: str) -> tuple[int, int]:
    lines = text.splitlines() or [""]
    if text.endswith("\n"):
        lines.append("")
    return len(lines), len(lines[-1]) + 1


def _translate(text: str, error: UnexpectedInput) -> ParseError:
    if isinstance(error, UnexpectedCharacters):
        char = text[error.pos_in_stream]
        return _fail(text, f"unexpected character {char!r}", error.line, error.column,
                     _expected_words(error.allowed or ()))
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END":
            line, column = _end_position(text)
            return _fail(text, "unexpected end of formula", line, column,
                         _expected_words(error.expected))
        names = set(error.expected)
        if text[:token.start_pos].count("(") <= text[:token.start_pos].count(")"):
            names -= {"RPAR", "COMMA"}           # not inside parentheses: neither can come
        expected = _expected_words(names)
        if "STAR" in names and token.type in ("NAME", "NUMBER", "LPAR"):
            expected += "\n(a missing operator? write '*' for a product, e.g. 2*x)"
        shown = {"NAME": "name", "NUMBER": "number"}.get(token.type, "")
        return _fail(text, f"unexpected {shown + ' ' if shown else ''}'{token}'",
                     token.line, token.column, expected)
    return _fail(text, "cannot read the formula", getattr(error, "line", 1),
                 getattr(error, "column", 1))


def parse(text: str) -> Expr:
    """Read a formula such as ``x^2*y + y + 2`` into an expression DAG."""
    if not isinstance(text, str):
        raise TypeError(f"parse() needs a string, not {type(text).__name__}")
    if not text.strip():
        raise ParseError("empty formula: nothing to read", 1, 1)
    try:
        with collector_paused:          # a long formula builds many nodes and no cycles
            return _parser().parse(text)
    except _Error as error:
        raise _fail(text, str(error), error.token.line, error.token.column) from None
    except UnexpectedInput as error:
        raise _translate(text, error) from None
    except OverflowError as error:
        raise ParseError(f"cannot read the formula: {error}", 1, 1) from None


provide("parse", parse)
