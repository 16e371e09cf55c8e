"""Formula text as people paste it, read into the ASCII the grammar knows.

Each character other than ASCII is read by one defined mapping, and nothing else changes:

- minus signs and dashes (− – ‒ ‐) are ``-``; ``·``, ``⋅``, ``×``, ``∗`` are ``*``; ``÷`` and
  ``∕`` are ``/``; primes (′ ″ ‴ and ’) are ``'``;
- a run of superscripts is a power: ``x²`` is ``x^2``, ``x⁻¹`` is ``x^(-1)``;
- ``√``, ``∛`` and ``∜`` stay: the grammar reads them as square, cube and fourth roots of the
  power that follows (``√x^2`` is ``sqrt(x^2)``, as ``-x^2`` is ``-(x^2)``);
- a vulgar fraction is its value in parentheses: ``½`` is ``(1/2)``;
- every other character is read through NFKC, as Python reads identifiers: full-width
  ``ｘ＋１`` is ``x+1``, subscripts are digits (``x₁`` is ``x1``), math letters are letters
  (𝑥 is x); letters of every script make names (θ, Δt); ``π`` is the constant pi;
- a byte order mark is ignored; spaces of every kind are spaces.

Refused, with the character's name: digits other than 0-9 (``١``; NFKC keeps them, and a
reader could take them for numbers or not) and invisible characters (zero-width spaces
and joiners), which would change a name without showing.
"""
from __future__ import annotations

import unicodedata

from ..core.names import SUPERSCRIPTS, foreign_digit

#: Characters read as one ASCII operator (before NFKC, which keeps most of them).
OPERATORS = {
    **dict.fromkeys("\u2212\u2012\u2013\u2010\u2011\ufe63\uff0d", "-"),
    **dict.fromkeys("\u00b7\u22c5\u00d7\u2217\u2219", "*"),
    **dict.fromkeys("\u00f7\u2215", "/"),
    "\u2032": "'", "\u2033": "''", "\u2034": "'''", "\u2019": "'",
}
#: Root signs, which the grammar reads itself.
ROOTS = "\u221a\u221b\u221c"


class UnicodeProblem(ValueError):
    """A character symdiff does not read, at ``offset`` of the original text."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


def _described(char: str) -> str:
    return f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})"


def _mapped(char: str, offset: int) -> str:
    """The ASCII (or letter) text one character reads as."""
    if char in OPERATORS:
        return OPERATORS[char]
    if char in ROOTS:
        return char
    if char == "\ufeff":
        return ""
    if char.isspace():
        return " "
    if unicodedata.category(char) == "Cf":
        raise UnicodeProblem(f"invisible character {_described(char)}: delete it", offset)
    folded = unicodedata.normalize("NFKC", char)
    digit = foreign_digit(folded)
    if digit is not None:
        raise UnicodeProblem(f"{_described(char)} is not read as a digit: write digits "
                             "with 0-9", offset)
    if "\u2044" in folded:                          # ½: NFKC gives 1⁄2, with a fraction slash
        return "(" + folded.replace("\u2044", "/") + ")"
    return folded


def to_ascii(text: str) -> tuple[str, list[int] | None]:
    """(the text the grammar reads, for each of its characters the offset in ``text`` it
    came from — None when the text is ASCII and comes through unchanged)."""
    if text.isascii():
        return text, None
    out: list[str] = []
    origin: list[int] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isascii():
            out.append(char)
            origin.append(i)
            i += 1
            continue
        if char in SUPERSCRIPTS:
            start = i
            while i < n and text[i] in SUPERSCRIPTS:
                i += 1
            exponent = "".join(OPERATORS.get(c, c)
                               for c in unicodedata.normalize("NFKC", text[start:i]))
            piece = "^" + (exponent if exponent.isdigit() else f"({exponent})")
        else:
            start = i
            piece = _mapped(char, i)
            i += 1
        out.append(piece)
        origin.extend([start] * len(piece))
    return "".join(out), origin
