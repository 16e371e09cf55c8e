"""``symdiff diff``'s positional arguments: one or more formulas, then the variables to
differentiate by, each optionally followed by a count (``diff f x 2 y`` is d^3 f/dx^2 dy).

The rule: the first argument is always a formula. Of the others, the trailing run of words
(letters, digits and ``_`` only) and numbers are the variables and counts; every argument
before that run is another formula. So ``diff x y`` is the formula x by the variable y, and a
formula that is a bare name after the first is written in parentheses: ``diff x "(y)" x``.
A word that is not a valid variable name (``2x``) is refused, never read as a formula."""
from __future__ import annotations

import re

from ..core.names import ALSO_VARIABLES, CONSTANT_NAMES, normal_name
from ..syntax.parser import KNOWN_CALLS
from .arguments import UsageError

#: The most times ``diff`` differentiates by one variable in one go.
MAX_COUNT = 100

#: The constants' values, for the message when one is given as a variable.
CONSTANT_VALUES = {"e": "2.718...", "pi": "3.14159..."}

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _in_run(text: str) -> bool:
    """Whether ``text`` belongs to the trailing run of variables and counts."""
    text = text.strip()
    return bool(_WORD.fullmatch(text) or _NUMBER.fullmatch(text))


def _is_count(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text.strip()))


def split_positionals(texts: list[str], first_is_formula: bool = True
                      ) -> tuple[list[str], list[tuple[str, int]]]:
    """``["x^5*exp(x)", "x", "3"]`` -> (["x^5*exp(x)"], [("x", 3)]): the formula texts and
    the (variable, count) pairs in the order given, each checked (a usage error otherwise).
    When the formulas come from a file (-f), the first argument may be a variable too."""
    start = len(texts)
    while start > int(first_is_formula) and _in_run(texts[start - 1]):
        start -= 1
    formulas, run = texts[:start], [t.strip() for t in texts[start:]]
    orders: list[tuple[str, int]] = []
    counted = False
    for text in run:
        if not _is_count(text):
            orders.append((variable_name(text), 1))
            counted = False
            continue
        if not orders:
            raise UsageError(f"{text} is a count but follows no variable: a count says how "
                             f"many times to differentiate by the variable before it, as in "
                             f"diff \"x^5*exp(x)\" x 3")
        name = orders[-1][0]
        if counted:
            raise UsageError(f"{name} {orders[-1][1]} {text}: one count per variable")
        orders[-1] = (name, count(text, name))
        counted = True
    return formulas, orders


def count(text: str, name: str) -> int:
    """A count after the variable ``name``: a whole number from 1 to MAX_COUNT."""
    if not text.isdigit() or int(text) < 1:
        raise UsageError(f"{name} {text}: a count is a positive whole number (how many times "
                         f"to differentiate by {name}); leave it out for once")
    if int(text) > MAX_COUNT:
        raise UsageError(f"{name} {text}: at most {MAX_COUNT} derivatives by one variable "
                         "at a time")
    return int(text)


def variable_name(text: str) -> str:
    """A name given to differentiate by, as the parser would read it (NFKC), or a usage
    error saying what it is instead (a constant, a function, not a name)."""
    folded = text.strip()
    if folded in CONSTANT_NAMES:
        constant = CONSTANT_NAMES[folded]
        raise UsageError(f"{folded} is the constant {constant} ({CONSTANT_VALUES[constant]}), "
                         f"not a variable; a variable needs another name, such as {folded}1")
    if folded in KNOWN_CALLS and folded not in ALSO_VARIABLES:
        raise UsageError(f"{folded} is a function, not a variable; differentiate by its "
                         f"argument's variable instead")
    try:
        return normal_name(folded)
    except ValueError as error:
        reason = str(error).partition(": ")[2]
        raise UsageError(f"{folded!r} is not a variable name" + (f": {reason}" if reason
                                                                 else "")) from None


def expanded(orders: list[tuple[str, int]]) -> list[str]:
    """``[("x", 2), ("y", 1)]`` -> ``["x", "x", "y"]``: each variable as often as counted."""
    return [name for name, times in orders for _ in range(times)]


def derivative_label(names: list[str], of: str = "") -> str:
    """``["x", "x", "y"]`` -> ``d^3/dx^2 dy`` (``d/dx`` for one variable once); with ``of``
    (the name of a formula file's result, L): ``d^3L/dx^2 dy``."""
    runs: list[list] = []
    for name in names:
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    order = f"^{len(names)}" if len(names) > 1 else ""
    return f"d{order}{of}/" + " ".join(f"d{n}" + (f"^{k}" if k > 1 else "") for n, k in runs)
