"""Which names a variable may have: exactly the names the formula grammar reads as one.

A name is a letter of any script or ``_``, then letters, ``_`` and the digits 0-9 (θ, x_1,
Δt), read through NFKC as Python reads identifiers (so the full-width ｘ is x). A name the
parser reads as something else cannot be a variable, or ``Var(name)`` would print text that
parses back to another formula: the constants (``e``, ``pi``, ``π``, ``E``) and every
declared function or alias (``sin``, ``ln``...), except the few whose names are also common
variables (``ALSO_VARIABLES``: ``gamma`` is a variable, ``gamma(x)`` the function). Digits of other scripts (``١``) are not
digits here and not name characters either: ``x١`` would read neither as x1 nor as a name.
"""
from __future__ import annotations

import re
import unicodedata

#: The grammar's NAME terminal, with the digits other than 0-9 left out (the grammar's
#: regular expression is this one; tests/test_unicode.py checks that they agree).
NAME_PATTERN = r"[^\W\d]\w*"
_NAME = re.compile(NAME_PATTERN)
_ASCII_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

#: Superscript digits and signs: the parser reads x² as x^2, so no name may hold them.
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾"

#: The constants' names, as the parser reads them (``E`` is SymPy's spelling of e).
CONSTANT_NAMES = {"e": "e", "E": "e", "pi": "pi", "π": "pi"}

#: Names the parser reads as a function, entered by the declarations as they are made
#: (name -> what it is, for messages).
FUNCTION_NAMES: dict[str, str] = {}
#: Functions whose name is also a common variable (γ: the adiabatic index, the Lorentz
#: factor): ``gamma(x)`` is the function, a bare ``gamma`` a variable.
ALSO_VARIABLES = frozenset({"gamma"})


def foreign_digit(text: str) -> str | None:
    """The first character of ``text`` that is a decimal digit other than 0-9, if any."""
    for char in text:
        if char.isdecimal() and char not in "0123456789":
            return char
    return None


def normal_name(name: str) -> str:
    """``name`` in NFKC form, or a ValueError saying why no variable can have it."""
    if not isinstance(name, str):
        raise ValueError(f"{name!r} is not a valid variable name: names are strings")
    if name.isascii() and _ASCII_NAME.fullmatch(name) and name not in CONSTANT_NAMES \
            and (name not in FUNCTION_NAMES or name in ALSO_VARIABLES):
        return name                         # the common case, which NFKC leaves alone
    power = next((char for char in name if char in SUPERSCRIPTS), None)
    if power is not None:
        raise ValueError(f"{name!r} is not a valid variable name: {power!r} is a superscript "
                         f"(the parser reads x{power} as x^{unicodedata.normalize('NFKC', power)})")
    folded = unicodedata.normalize("NFKC", name)
    digit = foreign_digit(folded)
    if digit is not None:
        raise ValueError(f"{name!r} is not a valid variable name: {digit!r} "
                         f"({unicodedata.name(digit, 'a digit')}) is not one of 0-9")
    if not _NAME.fullmatch(folded) or not folded.isidentifier():
        raise ValueError(f"{name!r} is not a valid variable name: a name is a letter or _, "
                         "then letters, digits 0-9 and _")
    if folded in CONSTANT_NAMES:
        raise ValueError(f"{name!r} is not a valid variable name: {folded} is the constant "
                         f"{CONSTANT_NAMES[folded]}")
    if folded in FUNCTION_NAMES and folded not in ALSO_VARIABLES:
        raise ValueError(f"{name!r} is not a valid variable name: {folded} is "
                         f"{FUNCTION_NAMES[folded]}")
    return folded
