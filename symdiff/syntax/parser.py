"""Text to expression: a lark LALR parser whose transformer builds nodes during the parse.

Building nodes as the parser reduces (instead of building a parse tree and walking it)
keeps the parse free of recursion, so 100,000 nested calls or terms are fine. Every failure
becomes one ``ParseError`` showing the line, the column, a caret and what was expected.
Products and negations are built as written (``written.py``): ``2*(x + 1)`` stays a product.
"""
from __future__ import annotations

import contextvars
import difflib
import functools
import re
from collections.abc import Iterable, Mapping, Set
from fractions import Fraction
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ..core.errors import NumberRangeError, ParseError, UndefinedError
from ..core.exact import MAX_LITERAL_DIGITS
from ..core.nodes import E, PI, Add, Const, Expr, Pow, Var, provide
from ..core.services import service
from ..core.walk import topological
from ..core import functions as builtin
from ..core.functions import ALIASES, FUNCTIONS, div, sqrt
from ..core.intern import collector_paused
from ..core.names import ALSO_VARIABLES, CONSTANT_NAMES, FUNCTION_NAMES
from ..core.undefined import AppliedFunction
from .unicode import UnicodeProblem, to_ascii
from .written import negative, node_of, product

#: The constants by every name the parser reads (E is SymPy's spelling, π the symbol).
CONSTANTS = {name: {"e": E, "pi": PI}[value] for name, value in CONSTANT_NAMES.items()}


def _rational(p, q) -> Expr:
    """SymPy's ``Rational(p, q)``: the exact fraction of two integers."""
    if not all(type(a) is Const and type(a.value) is int for a in (p, q)):
        raise ValueError("Rational(p, q) takes two integers, such as Rational(1, 2)")
    return div(p, q)


def _log(u, base=None) -> Expr:
    """``log(u)``, or SymPy's ``log(u, b)``: the logarithm to base b, log(u)/log(b)."""
    return builtin.log(u) if base is None else div(builtin.log(u), builtin.log(base))


def _folded(build):
    """max or min of one or more arguments, as SymPy's Max and Min take them."""
    def fold(*args):
        distinct = list(dict.fromkeys(args))        # max(x, 1, x) is max(x, 1)
        result = distinct[0]
        for arg in distinct[1:]:
            result = build(result, arg)
        return result
    return fold


#: Calls that build other nodes, or take more forms than a declared function:
#: name -> (least, most arguments (None: any number), builder).
BUILDERS = {"sqrt": (1, 1, sqrt), "pow": (2, 2, Pow), "div": (2, 2, div),
            "log": (1, 2, _log), "Rational": (2, 2, _rational),
            "max": (2, None, _folded(builtin.max)), "Max": (2, None, _folded(builtin.max)),
            "min": (2, None, _folded(builtin.min)), "Min": (2, None, _folded(builtin.min))}
FUNCTION_NAMES.update({name: "a function" for name in BUILDERS if name not in FUNCTION_NAMES})
#: What the root signs take: √ the square root, ∛ the cube root, ∜ the fourth root.
ROOTS = {"\u221a": sqrt, "\u221b": builtin.cbrt, "\u221c": lambda u: Pow(u, Fraction(1, 4))}


class Scope:
    """What one parse knows beyond the built-ins: the undefined functions' names, and names
    bound to expressions (a model file's ``z = w*x + b``). Read through a context variable,
    so parses in other threads keep their own."""

    __slots__ = ("functions", "bindings")

    def __init__(self, functions: Iterable[str] = (), bindings: Mapping[str, Expr] | None = None):
        self.functions = frozenset(functions)
        self.bindings = dict(bindings or {})


_SCOPE: contextvars.ContextVar[Scope] = contextvars.ContextVar("symdiff_parse_scope",
                                                               default=Scope())


class KnownCalls(Set):
    """Every name a call may use: the declared functions (those defined later included),
    their aliases (``FUNCTIONS`` and ``ALIASES`` from the declarations) and the builders."""

    def __contains__(self, name) -> bool:
        return name in FUNCTIONS or name in ALIASES or name in BUILDERS

    def __iter__(self):
        return iter(sorted({*FUNCTIONS, *ALIASES, *BUILDERS}))

    def __len__(self) -> int:
        return len({*FUNCTIONS, *ALIASES, *BUILDERS})


KNOWN_CALLS = KnownCalls()

#: How the grammar's terminals read in an error message.
TERMINAL_WORDS = {
    "NUMBER": "a number", "NAME": "a name", "LPAR": "'('", "RPAR": "')'", "COMMA": "','",
    "PLUS": "'+'", "MINUS": "'-'", "STAR": "'*'", "SLASH": "'/'", "POW_OP": "'^'",
    "LSQB": "'['", "RSQB": "']'", "PRIMES": "a prime (f'(x))", "ROOT": "a root sign",
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
        terms = [node_of(children[0])]
        for op, term in zip(children[1::2], children[2::2]):
            terms.append(node_of(term if op.type == "PLUS" else _built(op, negative, term)))
        return _built(children[1], Add, *terms)

    def mul(self, children):
        factors = [children[0]]
        for op, factor in zip(children[1::2], children[2::2]):
            factors.append(factor if op.type == "STAR" else _built(op, Pow, node_of(factor), -1))
        return _built(children[1], product, factors)

    def sign(self, children):
        op, operand = children
        return operand if op.type == "PLUS" else _built(op, negative, operand)

    def pow(self, children):
        base, caret, exponent = children
        return _built(caret, Pow, node_of(base), node_of(exponent))

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

    def root(self, children):
        sign, operand = children
        return _built(sign, ROOTS[str(sign)], node_of(operand))

    def name(self, children):
        (token,) = children
        text = str(token)
        scope = _SCOPE.get()
        if text in scope.bindings:
            return scope.bindings[text]
        if text in CONSTANTS:
            return CONSTANTS[text]
        if (text in KNOWN_CALLS and text not in ALSO_VARIABLES) or text in scope.functions:
            raise _Error(f"'{text}' is a function: write {text}(...)", token)
        try:
            return Var(text)
        except ValueError as error:
            raise _Error(str(error), token) from None

    def call(self, children):
        token, *args = children
        args = [node_of(a) for a in args if a is not None]
        text = str(token)
        name = ALIASES.get(text, text)
        if name in BUILDERS:
            least, most, build = BUILDERS[name]
        elif name in FUNCTIONS:
            least = most = FUNCTIONS[name].arity
            build = FUNCTIONS[name]
        elif text in _SCOPE.get().functions:
            return _applied(token, args)
        else:
            raise _Error(f"unknown function '{text}'{unknown_hint(text)}", token)
        if len(args) < least or (most is not None and len(args) > most):
            wanted = (f"{least} or {most}" if most == least + 1 else
                      f"{least} or more" if most is None else str(least))
            plural = "s" if wanted != "1" else ""
            raise _Error(f"{text}() takes {wanted} argument{plural}, got {len(args)}", token)
        try:
            return _built(token, build, *args)
        except ValueError as error:
            raise _Error(f"{text}(): {error}", token) from None

    def primed(self, children):
        token, primes, *args = children
        args = [node_of(a) for a in args]
        if len(args) != 1:
            raise _Error(f"{token}{primes}(...) takes one argument; for several write "
                         f"D[1]({token})(...), the positions differentiated by", primes)
        return _applied(token, args, (len(str(primes)),))

    def positional(self, children):
        head, *rest = children
        positions = [t for t in rest if isinstance(t, Token) and t.type == "NUMBER"]
        name = next(t for t in rest if isinstance(t, Token) and t.type == "NAME")
        args = [node_of(a) for a in rest if isinstance(node_of(a), Expr)]
        if str(head) != "D":
            raise _Error(f"'{head}[...]': only D[positions](f)(...) takes brackets "
                         f"(the derivative of an undefined function f)", head)
        orders = [0] * len(args)
        for position in positions:
            text = str(position)
            if not text.isdigit() or not 1 <= int(text) <= len(args):
                raise _Error(f"D[...]: each position is a whole number from 1 to "
                             f"{len(args)} (the argument differentiated by)", position)
            orders[int(text) - 1] += 1
        return _applied(name, args, tuple(orders))


def _applied(token: Token, args: list, orders=None) -> Expr:
    """An undefined function's call, when the parse was told its name (``functions=``)."""
    name = str(token)
    if name not in _SCOPE.get().functions:
        raise _Error(f"'{name}' is not an undefined function of this formula: declare it "
                     f"(--function {name} on the command line, parse(..., "
                     f"functions=[{name!r}]) in Python)", token)
    try:
        return AppliedFunction(name, args, orders)
    except ValueError as error:
        raise _Error(str(error), token) from None


_TRAILING_DIGITS = re.compile(r"([^\W\d]+)_?(\d+)")


def unknown_hint(name: str) -> str:
    """What to say after "unknown function": a base written into a log's name (log3 is
    log(u, 3)), a close spelling of a known function when only letters differ (not log10
    for log: another function), or how to declare an undefined function."""
    match = _TRAILING_DIGITS.fullmatch(name)
    if match and match.group(1) in ("log", "ln"):
        return f"; for the base-{match.group(2)} logarithm write log(u, {match.group(2)})"
    if match and match.group(1) in KNOWN_CALLS:
        return (f"; for a power of {match.group(1)} write {match.group(1)}(u)^"
                f"{match.group(2)}")
    letters = [c for c in KNOWN_CALLS if c.rstrip("0123456789") == c]
    close = difflib.get_close_matches(name, letters, n=1)
    if close and not name.rstrip("0123456789") == close[0]:
        return f"; did you mean '{close[0]}'?"
    return (f"; if {name} is a function with no formula, declare it (--function {name}, or "
            f"parse(..., functions=[{name!r}])); to give it a formula, --define "
            f"\"{name}(u) = ...\"")


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark.open(str(_grammar_path()), parser="lalr", transformer=BuildNodes(),
                     propagate_positions=False, maybe_placeholders=True)


def _pointer(text: str, line: int, column: int) -> str:
    """The source line (a window of it, if long) and a caret under the column."""
    lines = text.splitlines() or [""]
    source = lines[min(line, len(lines)) - 1] if lines else ""
    start = max(0, column - 40)
    window = source[start:start + 80]
    prefix = "..." if start else ""
    suffix = "..." if start + 80 < len(source) else ""
    return f"  {prefix}{window}{suffix}\n  {' ' * (len(prefix) + column - 1 - start)}^"


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def fail_at(text: str, message: str, offset: int, expected: str = "",
          source: str | None = None) -> ParseError:
    """A ParseError pointing at ``offset`` of ``text`` (a whole file, for a model file)."""
    line, column = _line_column(text, offset)
    where = f"{source}, line {line}" if source else f"line {line}"
    full = f"{message}\n{where}, column {column}:\n{_pointer(text, line, column)}"
    if expected:
        full += f"\n{expected}"
    error = ParseError(full, line, column)
    error.reason = message
    return error


#: Terminals left out of "expected ...": they can follow a name, but are rarely what is meant.
RARELY_MEANT = {"LSQB", "PRIMES", "ROOT"}


def _expected_words(names) -> str:
    words = sorted({TERMINAL_WORDS.get(n, n) for n in names
                    if not n.startswith("__") and n not in RARELY_MEANT})
    if not words:
        return ""
    if len(words) == 1:
        return f"expected {words[0]}"
    return "expected " + ", ".join(words[:-1]) + " or " + words[-1]


def _problem(read: str, error: UnexpectedInput) -> tuple[str, int, str]:
    """(message, offset in the text read, what was expected) of lark's error."""
    if isinstance(error, UnexpectedCharacters):
        char = read[error.pos_in_stream]
        return (f"unexpected character {char!r}", error.pos_in_stream,
                _expected_words(error.allowed or ()))
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END":
            return ("unexpected end of formula", len(read.rstrip()),
                    _expected_words(error.expected))
        names = set(error.expected)
        if read[:token.start_pos].count("(") <= read[:token.start_pos].count(")"):
            names -= {"RPAR", "COMMA"}           # not inside parentheses: neither can come
        expected = _expected_words(names)
        before = read[:token.start_pos].rstrip()
        called = re.search(r"([^\W\d]\w*)$", before)
        if called and called.group(1) in KNOWN_CALLS and token.type in ("NAME", "NUMBER"):
            expected += (f"\n({called.group(1)} is a function: write its argument in "
                         f"parentheses, {called.group(1)}({token}))")
        elif "STAR" in names and token.type in ("NAME", "NUMBER", "LPAR", "ROOT"):
            expected += "\n(a missing operator? write '*' for a product, e.g. 2*x)"
        shown = {"NAME": "name", "NUMBER": "number"}.get(token.type, "")
        return f"unexpected {shown + ' ' if shown else ''}'{token}'", token.start_pos, expected
    return "cannot read the formula", getattr(error, "pos_in_stream", 0) or 0, ""


def read_span(text: str, start: int = 0, end: int | None = None, scope: Scope | None = None,
              source: str | None = None) -> Expr:
    """The formula ``text[start:end]``, with names as ``scope`` says; an error points at its
    line and column in the whole ``text`` (a model file's line), named ``source``."""
    end = len(text) if end is None else end
    piece = text[start:end]
    try:
        read, origin = to_ascii(piece)
    except UnicodeProblem as problem:
        raise fail_at(text, str(problem), start + problem.offset, source=source) from None

    def at(offset: int) -> int:
        """The offset in ``text`` of an offset in the text read."""
        if origin is not None:
            offset = origin[offset] if offset < len(origin) else len(piece.rstrip())
        return start + offset

    if not read.strip():
        raise fail_at(text, "empty formula: nothing to read", start, source=source)
    token = _SCOPE.set(scope or Scope())
    try:
        with collector_paused:          # a long formula builds many nodes and no cycles
            return node_of(_parser().parse(read))
    except _Error as error:
        raise fail_at(text, str(error), at(error.token.start_pos), source=source) from None
    except UnexpectedInput as error:
        message, offset, expected = _problem(read, error)
        raise fail_at(text, message, at(offset), expected, source) from None
    except OverflowError as error:
        raise fail_at(text, f"cannot read the formula: {error}", start, source=source) from None
    finally:
        _SCOPE.reset(token)


def parse(text: str, *, functions: Iterable[str] = (),
          bindings: Mapping[str, Expr] | None = None) -> Expr:
    """Read a formula such as ``x^2*y + y + 2`` into an expression DAG. ``functions`` names
    undefined functions the formula may call (``f(x)``, ``f'(x)``); ``bindings`` maps names
    to expressions that stand for them (``{"z": w*x + b}``)."""
    if not isinstance(text, str):
        raise TypeError(f"parse() needs a string, not {type(text).__name__}")
    if isinstance(functions, str):
        functions = [functions]
    return read_span(text, scope=Scope(functions, bindings))


def unpickle(text: str, functions: tuple[str, ...] = ()) -> Expr:
    """An expression from its pickled form: its text and the undefined functions it calls."""
    return parse(text, functions=functions)


def pickled(expr: Expr) -> tuple:
    """``Expr.__reduce__``: the text, read back by ``unpickle``."""
    functions = sorted({node.name for node in topological(expr)
                        if type(node) is AppliedFunction})
    return unpickle, (service("text")(expr), tuple(functions))


provide("parse", parse)
provide("pickled", pickled)
