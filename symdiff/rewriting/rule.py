"""Rewrite rules: named, written in the formula syntax, optionally guarded by a condition.

    pythagoras: sin(a)^2 + cos(a)^2 -> 1
    log-product: log(a*b) -> log(a) + log(b) where a > 0, b > 0
    power-of-power: (a^m)^n -> a^(m*n) where n is integer

Every variable of the left side is a pattern variable. A condition is a comma- (or
``and``-) separated list of comparisons (``a > 0``, ``n >= 2``, ``a != 0``, ``b == -a``)
and properties (``n is integer``, ``even``, ``odd``, ``number``, ``constant``,
``positive``, ``nonnegative``, ``negative``, ``nonpositive``, ``nonzero``; ``is not``
negates), or any Python predicate on the bindings. A
comparison holds only when it is *known* to hold for every real value of the variables
(``signs.py``), so a guarded rule never fires on a case it cannot vouch for.

A ``Transform`` is the procedural counterpart: a named function from a node to a better
node (cancelling a quotient needs a polynomial gcd, which no finite rule set expresses).
Both are ``Rewriter``s, what the strategies apply.
"""
from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable

from ..core import exact

from . import signs
from .algebra import size
from ..core.errors import NumberRangeError, ParseError, SymdiffError, UndefinedError
from ..core.nodes import Add, Const, Expr, Mul, Var
from ..core.walk import fold, substitute, topological
from ..syntax.parser import parse
from .pattern import matches


class RuleError(SymdiffError, ValueError):
    """A rule could not be read or makes no sense (names the line of a rules file and, for a
    side that does not parse, the column, with a caret under the spot)."""

    def __init__(self, message: str, side: str | None = None, column: int | None = None,
                 expected: str = ""):
        super().__init__(message)
        self.side, self.column, self.expected = side, column, expected


_HAS_VARIABLES: "weakref.WeakKeyDictionary[Expr, bool]" = weakref.WeakKeyDictionary()


def _has_variables(expr: Expr) -> bool:
    """Whether a variable occurs in ``expr`` (remembered per node, so a condition checked at
    every level of a deep formula costs each node once)."""
    return fold(expr, _step_has_variables, _HAS_VARIABLES)[expr]


def _step_has_variables(node: Expr, args: list[bool]) -> bool:
    return type(node) is Var or any(args)


PROPERTIES: dict[str, Callable[[Expr], bool]] = {
    "integer": lambda e: type(e) is Const and exact.is_integer(e.value),
    "even": lambda e: type(e) is Const and exact.is_integer(e.value) and e.value % 2 == 0,
    "odd": lambda e: type(e) is Const and exact.is_integer(e.value) and e.value % 2 == 1,
    "number": lambda e: type(e) is Const,
    "constant": lambda e: not _has_variables(e),
    "positive": signs.is_positive,
    "nonnegative": signs.is_nonnegative,
    "negative": signs.is_negative,
    "nonpositive": signs.is_nonpositive,
    "nonzero": signs.is_nonzero,
}

#: comparison -> what the sign of (left - right) must be known to be
COMPARISONS: dict[str, Callable[[Expr], bool]] = {
    ">": signs.is_positive, ">=": signs.is_nonnegative, "<": signs.is_negative,
    "<=": signs.is_nonpositive, "!=": signs.is_nonzero, "==": signs.is_zero,
}
_COMPARISON = re.compile(r"(>=|<=|!=|==|>|<)")


#: Longest piece of a rule quoted whole in an error message.
SHOWN_CHARACTERS = 80


def _shown(text: str) -> str:
    """``text`` stripped, shortened with '...' in the middle when it is too long to quote."""
    text = text.strip()
    if len(text) <= SHOWN_CHARACTERS:
        return text
    half = SHOWN_CHARACTERS // 2
    return f"{text[:half]} ... {text[-half:]}"


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _property(text: str) -> tuple[str, bool, str] | None:
    """``(subject, negated, name)`` when ``text`` reads ``<subject> is [not] <name>``, with
    ``is`` starting a word and ``name`` lower-case letters; else None. Read from the right
    end with str methods, each character at most once (no backtracking on user text)."""
    end = len(text.rstrip())
    name_start = _word_start(text, end)
    name = text[name_start:end]
    if not (name.isascii() and name.isalpha() and name.islower()):
        return None
    before = _space_start(text, name_start)
    if before < name_start and _ends_with_is(text, before):
        return text[:before - 2], False, name
    not_start = _word_start(text, before)
    if text[not_start:before] == "not":
        before_not = _space_start(text, not_start)
        if before_not < not_start and _ends_with_is(text, before_not):
            return text[:before_not - 2], True, name
    return None


def _word_start(text: str, end: int) -> int:
    while end > 0 and not text[end - 1].isspace():
        end -= 1
    return end


def _space_start(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _ends_with_is(text: str, end: int) -> bool:
    """Whether ``text[:end]`` ends with the word start ``is`` (``\\bis``)."""
    return (end >= 2 and text[end - 2:end] == "is"
            and (end == 2 or not _is_word_char(text[end - 3])))


def _clause(text: str) -> tuple[Callable[[dict], bool], set[Var]]:
    """One condition clause as (test on bindings, the pattern variables it uses)."""
    found = _property(text)
    if found:
        subject, negated, name = found
        test = PROPERTIES.get(name)
        if test is None:
            raise RuleError(f"unknown property {name!r} in 'where {_shown(text)}'; known: "
                            f"{', '.join(PROPERTIES)}")
        expr = _formula(subject, text)
        if negated:
            return (lambda b: not test(substitute(expr, b))), _variables(expr)
        return (lambda b: test(substitute(expr, b))), _variables(expr)
    pieces = _COMPARISON.split(text)
    if len(pieces) != 3:
        raise RuleError(f"cannot read the condition 'where {_shown(text)}': write a comparison "
                        f"such as 'a > 0' or a property such as 'n is integer'")
    left, operator, right = pieces
    difference = Add(_formula(left, text), Mul(-1, _formula(right, text)))
    test = COMPARISONS[operator]
    return (lambda b: test(substitute(difference, b))), _variables(difference)


def _clauses(where: str) -> list[str]:
    """Split a condition at top-level commas and ``and``s (not inside parentheses)."""
    pieces, depth, start = [], 0, 0
    for position, char in enumerate(where):
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            pieces.append(where[start:position])
            start = position + 1
    pieces.append(where[start:])
    return [part for piece in pieces for part in re.split(r"\band\b", piece) if part.strip()]


def _formula(text: str, clause: str) -> Expr:
    try:
        return parse(text)
    except ParseError as error:
        raise RuleError(f"in the condition 'where {_shown(clause)}': {error}") from None


def _variables(expr: Expr) -> set[Var]:
    return {node for node in topological(expr) if type(node) is Var}


def _as_formula(side, what: str) -> Expr:
    if isinstance(side, Expr):
        return side
    if isinstance(side, str):
        try:
            return parse(side)
        except ParseError as error:
            lines = str(error).splitlines()
            expected = "\n".join(lines[4:]) if len(lines) > 4 else ""
            if error.line != 1 or error.column is None:
                raise RuleError(f"the {what} side does not read as a formula:\n{error}") from None
            raise RuleError(f"the {what} side does not read as a formula: {lines[0]}\n"
                            f"  {side}\n  {' ' * (error.column - 1)}^"
                            + (f"\n{expected}" if expected else ""),
                            side=what, column=error.column, expected=expected) from None
    return Const(side)


#: What a rewrite may run into while building its result: a constant symdiff refuses to
#: hold (``core.errors``). The rewrite is then not made; the formula stays as it was.
REFUSED = (UndefinedError, NumberRangeError)


class Rewriter:
    """What a strategy applies at a node: a ``name`` (for traces and stop reports),
    ``heads``, the node types it can rewrite (a ``Sin`` node is only offered to rewriters
    about ``sin``), and ``apply(node)``: the rewritten node, or None."""

    __slots__ = ()
    name: str
    heads: tuple[type, ...]

    def apply(self, node: Expr) -> Expr | None:
        raise NotImplementedError


class Rule(Rewriter):
    """``lhs -> rhs`` with a name and an optional condition; ``apply(node)`` rewrites one node
    (at its top) or returns None."""

    __slots__ = ("name", "lhs", "rhs", "where", "_tests", "_predicate", "head")

    def __init__(self, name: str, lhs, rhs, where: str | Callable[[dict], bool] | None = None):
        self.name = name
        self.lhs, self.rhs = _as_formula(lhs, "left"), _as_formula(rhs, "right")
        if type(self.lhs) is Var or type(self.lhs) is Const:
            if isinstance(lhs, str) and lhs.strip() != str(self.lhs):
                raise RuleError(f"rule {name!r}: the left side {lhs.strip()} is built as "
                                f"{self.lhs}, so symdiff already makes this rewrite by itself")
            raise RuleError(f"rule {name!r}: the left side must be a pattern with an operation "
                            f"(a lone {self.lhs} would match everything or only itself)")
        bound = _variables(self.lhs)
        unbound = _variables(self.rhs) - bound
        self._tests: list[Callable[[dict], bool]] = []
        self._predicate = None
        self.where = where
        if callable(where):
            self._predicate = where
        elif where:
            for text in _clauses(where):
                test, used = _clause(text)
                unbound |= used - bound
                self._tests.append(test)
        if unbound:
            names = ", ".join(sorted(v.name for v in unbound))
            raise RuleError(f"rule {name!r}: {names} on the right side or in the condition "
                            f"is not in the pattern {self.lhs}")
        self.head = type(self.lhs)

    @property
    def heads(self) -> tuple[type, ...]:
        """The one node type at the top of the pattern."""
        return (self.head,)

    def holds(self, bindings: dict) -> bool:
        if not all(test(bindings) for test in self._tests):
            return False
        if self._predicate is not None:
            return bool(self._predicate({v.name: e for v, e in bindings.items()}))
        return True

    def apply(self, node: Expr) -> Expr | None:
        """The rewritten node, or None when the rule does not match (or changes nothing)."""
        for bindings, rebuild in matches(self.lhs, node):
            if not self.holds(bindings):
                continue
            try:
                result = rebuild(substitute(self.rhs, bindings))
            except REFUSED:             # the right side would hold 1/0 or too large a number
                continue
            if result is not node:
                return result
        return None

    def __repr__(self):
        where = ""
        if isinstance(self.where, str):
            where = f" where {self.where}"
        elif self.where is not None:
            where = f" where {getattr(self.where, '__name__', 'predicate')}(...)"
        return f"{self.name}: {self.lhs} -> {self.rhs}{where}"


class Transform(Rewriter):
    """A named procedure that rewrites one node (or returns None): the rules no pattern can
    say, such as cancelling a polynomial gcd. ``heads`` lists the node types it looks at.
    ``keep`` says when its result is kept: ``"always"``, only when it prints ``"shorter"``
    (expansion is a simplification only sometimes), or when it is ``"not longer"``."""

    __slots__ = ("name", "function", "heads", "keep")
    KEEP = ("always", "shorter", "not longer")

    def __init__(self, name: str, function: Callable[[Expr], Expr | None], heads: Iterable[type],
                 keep: str = "always"):
        if keep not in self.KEEP:
            raise ValueError(f"keep must be one of {', '.join(self.KEEP)}, not {keep!r}")
        self.name, self.function, self.heads, self.keep = name, function, tuple(heads), keep

    def apply(self, node: Expr) -> Expr | None:
        try:
            result = self.function(node)
        except REFUSED:                 # a form with 1/0 or too large a number: not this one
            return None
        if result is None or result is node:
            return None
        if self.keep == "shorter" and size(result) >= size(node):
            return None
        if self.keep == "not longer" and size(result) > size(node):
            return None
        return result

    def __repr__(self):
        return f"{self.name}: <{getattr(self.function, '__name__', 'procedure')}>"


_SYNTAX = "a rule reads 'name: lhs -> rhs' (optionally '... where condition')"


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _split_line(text: str) -> tuple[str, int, str, int, str, str | None] | None:
    """``name: lhs -> rhs [where condition]`` as (name, lhs, lhs start, rhs, rhs start,
    condition), or None when the line does not have that shape. One scan with str methods:
    the name, the first ':' after it, the first '->' after that, then the first ' where '
    (a word between spaces) after that; every character is looked at a bounded number of
    times, so a long line costs linear time (no backtracking)."""
    position = _skip_space(text, 0)
    if position == len(text) or not (text[position].isascii() and
                                     (text[position].isalpha() or text[position] == "_")):
        return None
    start = position
    while position < len(text) and (_is_word_char(text[position]) or text[position] in "-."):
        position += 1
    name = text[start:position]
    position = _skip_space(text, position)
    if position == len(text) or text[position] != ":":
        return None
    lhs_start = _skip_space(text, position + 1)
    arrow = text.find("->", lhs_start)
    if arrow < 0:
        return None
    lhs = text[lhs_start:arrow].rstrip()
    rhs_start = _skip_space(text, arrow + 2)
    rhs_end, where = len(text.rstrip()), None
    search = rhs_start
    while True:
        found = text.find("where", search)
        if found < 0:
            break
        after = found + len("where")
        if (found - 1 >= rhs_start and text[found - 1].isspace() and after < len(text)
                and text[after].isspace()):
            rhs_end = found - 1
            while rhs_end > rhs_start and text[rhs_end - 1].isspace():
                rhs_end -= 1
            where = text[_skip_space(text, after):]
            break
        search = found + 1
    rhs = text[rhs_start:max(rhs_end, rhs_start)]
    if any("\n" in part for part in (lhs, rhs, where or "")):
        return None
    return name, lhs, lhs_start, rhs, rhs_start, where


def parse_rule(text: str) -> Rule:
    """``name: lhs -> rhs [where condition]``."""
    found = _split_line(text)
    if found is None:
        raise RuleError(f"{_SYNTAX}, not {_shown(text)!r}")
    name, lhs, lhs_start, rhs, rhs_start, where = found
    try:
        return Rule(name, lhs, rhs, where)
    except RuleError as error:
        if error.column is None:
            raise
        column = (lhs_start if error.side == "left" else rhs_start) + error.column
        message = str(error).splitlines()[0]
        raise RuleError(f"{message}\n  {text.strip()}\n  {' ' * (column - 1 - _indent(text))}^"
                        + (f"\n{error.expected}" if error.expected else ""),
                        side=error.side, column=column - _indent(text)) from None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def parse_rules(text: str, source: str = "rules") -> list[Rule]:
    """One rule per line; ``#`` starts a comment. Errors name the line."""
    rules = []
    names: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0]
        if not line.strip():
            continue
        try:
            rule = parse_rule(line)
        except RuleError as error:
            where = f"{source}, line {number}"
            if error.column is not None:
                where += f", column {error.column + _indent(line)}"
            raise RuleError(f"{where}: {error}", error.side, error.column) from None
        if rule.name in names:
            raise RuleError(f"{source}, line {number}: the name {rule.name!r} is already used "
                            f"on line {names[rule.name]}")
        names[rule.name] = number
        rules.append(rule)
    return rules


def load_rules(path) -> list[Rule]:
    """The rules of a rules file (see ``parse_rules``)."""
    with open(path, encoding="utf-8") as file:
        return parse_rules(file.read(), source=str(path))
