"""Notes on stderr for input that is valid but probably not what was meant: a variable that
looks like a function applied without parentheses (``sinx``), and a variable to
differentiate by that does not occur in the formula (a typo such as ``X`` for ``x``). The
result is still printed and the exit status stays 0."""
from __future__ import annotations

import re
import sys

from ..core.nodes import Expr
from ..core.walk import free_vars
from ..syntax.parser import KNOWN_CALLS

#: Names that read as a function and a variable but are common words: no hint for them.
COMMON_WORDS = {"cost", "logs", "mins", "signs", "sine", "steps"}
#: Greek letters spelt out, which read as a variable after a function name (sintheta).
GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
         "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau",
         "upsilon", "phi", "chi", "psi", "omega"}
#: A variable-looking rest: one letter, maybe with digits (x, t, x1, x_2).
_LETTER = re.compile(r"[^\W\d_](_?\d+)?")
#: At most this many look-alike hints per formula.
MAX_HINTS = 3


def _split_call(name: str) -> tuple[str, str] | None:
    """``sinx`` -> ("sin", "x"): the longest known function name that ``name`` starts with,
    followed by a variable-looking rest; None when there is none."""
    if name in COMMON_WORDS:
        return None
    for end in range(len(name) - 1, 1, -1):
        head, rest = name[:end], name[end:]
        if head in KNOWN_CALLS and (_LETTER.fullmatch(rest) or rest in GREEK):
            return head, rest
    return None


def look_alike_notes(expr: Expr) -> list[str]:
    """A note for each variable of ``expr`` that looks like a call without parentheses."""
    notes = []
    for name in free_vars(expr):
        split = _split_call(name)
        if split is not None:
            head, rest = split
            notes.append(f"symdiff: note: '{name}' is read as a variable; for {head} of "
                         f"{rest} write {head}({rest})")
    if len(notes) > MAX_HINTS:
        notes[MAX_HINTS:] = [f"symdiff: note: ... and {len(notes) - MAX_HINTS} more such "
                             "variables"]
    return notes


def _their_variables(formulas: list[Expr]) -> str:
    names = list(free_vars(formulas))
    if len(formulas) == 1:
        return f"its variables are {', '.join(names)}" if names else "it has no variables"
    return f"their variables are {', '.join(names)}" if names else "they have no variables"


def absent_notes(names: list[str], formulas: list[Expr]) -> list[str]:
    """A note for each of ``names`` (variables to differentiate by) that occurs in none of
    ``formulas``: its derivative is 0, which is rarely what a typo meant."""
    present = set(free_vars(formulas))
    where = "the formula" if len(formulas) == 1 else "the formulas"
    return [f"symdiff: note: {name} does not occur in {where}; {_their_variables(formulas)}"
            for name in dict.fromkeys(names) if name not in present]


def print_hints(notes: list[str]) -> None:
    for note in notes:
        print(note, file=sys.stderr)
