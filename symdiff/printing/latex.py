"""LaTeX output, using the text printer's stack-driven renderer and layout helpers."""
from __future__ import annotations

import re
import string
from fractions import Fraction

from ..core.exact import int_to_str
from ..core.nodes import Const, Expr, Mul, Pow, provide
from ..core.functions import Function
from .text import ATOM, HALF, MUL, Pieces, precedence, render, split_product

GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "omicron", "rho", "sigma", "tau", "upsilon", "phi", "chi",
    "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon",
    "Phi", "Psi", "Omega",
}
#: A declaration's LaTeX (``FunctionSpec.latex``) is one command (\sin, \arcsin, \max: an
#: operator, written \sin^{2}\left(x\right) under a power), an \operatorname, or a template
#: with {0}, {1}... for the arguments (\left|{0}\right|); undeclared: \operatorname{name}.
OPERATOR = re.compile(r"\\[A-Za-z]+")


def latex_name(name: str) -> str:
    """``x1`` -> ``x_{1}``, ``theta`` -> ``\\theta``, ``apple_count`` -> ``\\mathrm{apple\\_count}``."""
    match = re.fullmatch(r"([A-Za-z]+?)_?(\d+)", name)
    if match and (len(match.group(1)) == 1 or match.group(1) in GREEK):
        return f"{latex_name(match.group(1))}_{{{match.group(2)}}}"
    if name in GREEK:
        return "\\" + name
    if len(name) == 1:
        return name
    return r"\mathrm{" + name.replace("_", r"\_") + "}"


def latex_number(value) -> str:
    if isinstance(value, Fraction):
        sign = "-" if value < 0 else ""
        return rf"{sign}\frac{{{int_to_str(abs(value.numerator))}}}{{{int_to_str(value.denominator)}}}"
    if isinstance(value, float):
        text = repr(value)
        if "e" in text:
            mantissa, power = text.split("e")
            return rf"{mantissa} \cdot 10^{{{int(power)}}}"
        return text
    return int_to_str(value)


class LatexPieces(Pieces):
    """Pieces for LaTeX: ``\\frac`` for quotients, ``^{}`` for powers, the declared forms of calls."""

    parens = (r"\left(", r"\right)")

    number = staticmethod(latex_number)
    variable = staticmethod(latex_name)

    @staticmethod
    def constant(name: str) -> str:
        return r"\pi" if name == "pi" else "e"

    def reciprocal(self, base: Expr, k: Const) -> list:
        return [r"\frac{1}{", *self.power_pieces(base, k), "}"]

    def power(self, base: Expr, exponent: Expr) -> list:
        return self.power_pieces(base, exponent)

    def call(self, node: Function) -> list:
        form = _form(type(node))
        if isinstance(form, list):                  # a template: \left|x\right|, e^{x}
            return [piece if type(piece) is str else (node.args[piece], False, False)
                    for piece in form]
        return self.call_pieces(node, [form, r"\left("], r"\right)")

    def power_pieces(self, base: Expr, exponent: Expr) -> list:
        if exponent is Const(1):
            return [(base, False, False)]
        if exponent is Const(HALF):
            return [r"\sqrt{", (base, False, False), "}"]
        form = _form(type(base)) if isinstance(base, Function) else None
        if type(form) is str and OPERATOR.fullmatch(form) and (
                type(exponent) is Const and exponent.value > 0):     # \sin^{2}\left(x\right)
            head, *rest = self.call(base)
            return [head, "^{", (exponent, False, False), "}", *rest]
        delimited = isinstance(form, list) and _delimited(form)      # \left|x\right|^{2}
        base_parens = precedence(base) < ATOM or type(base) is Pow or (
            isinstance(base, Function) and not delimited)
        return [(base, base_parens, False), "^{", (exponent, False, False), "}"]

    def product(self, node: Mul, negate: bool) -> list:
        negative, coefficient, numerator, denominator = split_product(node, negate)
        pieces: list = ["-"] if negative else []
        exact = not isinstance(coefficient, float)
        top: list = []
        if not exact:
            top.append(latex_number(coefficient))
        if exact and (Fraction(coefficient).numerator != 1 or not numerator):
            top.append(int_to_str(Fraction(coefficient).numerator))
        for factor in numerator:
            if top:
                top.append(r" \cdot " if type(factor) is Const else " ")
            top.append((factor, precedence(factor) < MUL, False))
        bottom: list = []
        if exact and Fraction(coefficient).denominator != 1:
            bottom.append(int_to_str(Fraction(coefficient).denominator))
        several = len(denominator) + len(bottom) > 1
        for base, k in denominator:
            if bottom:
                bottom.append(" ")
            if k == 1:      # a lone sum needs no parentheses inside \frac, one of several does
                bottom.append((base, several and precedence(base) < MUL, False))
            else:
                bottom.extend(self.power_pieces(base, Const(k)))
        if not bottom:
            return pieces + top
        return pieces + [r"\frac{", *(top or ["1"]), "}{", *bottom, "}"]



_FORMS: dict[type, str | list] = {}


def _form(kind: type) -> str | list:
    r"""A function's LaTeX: its head (\sin, \operatorname{relu}), or a template as pieces
    (text, and argument indices): ``[r"\left|", 0, r"\right|"]``."""
    form = _FORMS.get(kind)
    if form is None:
        spec = kind.spec
        latex = spec.latex if spec is not None else ""
        if not latex:
            form = r"\operatorname{" + kind.name.replace("_", r"\_") + "}"
        elif "{0}" in latex:
            form = []
            for text, field, _, _ in string.Formatter().parse(latex):
                form += [text] if text else []
                form += [int(field)] if field is not None else []
        else:
            form = latex
        _FORMS[kind] = form
    return form


def _delimited(pieces: list) -> bool:
    r"""A template that closes itself (\left|...\right|) needs no parentheses as a base."""
    return (type(pieces[0]) is str and pieces[0].startswith(r"\left")
            and type(pieces[-1]) is str and pieces[-1].startswith(r"\right"))


def to_latex(expr: Expr) -> str:
    """LaTeX for a formula, with the text printer's precedence rules."""
    return render(expr, LatexPieces())


provide("latex", to_latex)
