"""LaTeX output, using the text printer's stack-driven renderer and layout helpers."""
from __future__ import annotations

import re
import unicodedata
import string
from fractions import Fraction

from ..core.exact import int_to_str
from ..core.nodes import Const, Expr, Mul, Pow, Var, provide
from ..core.functions import Function
from ..core.undefined import AppliedFunction
from ..core.walk import free_vars
from .text import (ATOM, HALF, MUL, Pieces, Written, binding_names, negative_exponent,
                   precedence, render, split_product)

#: Greek letters LaTeX has a command for (not omicron: it is a plain o, and ``\omicron`` is
#: no command; nor the capitals that look like Latin ones).
GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "chi",
    "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon",
    "Phi", "Psi", "Omega",
}
#: A declaration's LaTeX (``FunctionSpec.latex``) is one command (\sin, \arcsin, \max: an
#: operator, written \sin^{2}\left(x\right) under a power), an \operatorname, or a template
#: with {0}, {1}... for the arguments (\left|{0}\right|); undeclared: \operatorname{name}.
OPERATOR = re.compile(r"\\[A-Za-z]+")
#: Operators that take limits (in display style ``\max^{2}`` puts the 2 above "max"): a
#: power of such a call is written as a parenthesised base instead.
LIMITS = {r"\max", r"\min", r"\sup", r"\inf", r"\lim", r"\det", r"\gcd", r"\Pr"}


def greek_word(char: str) -> str | None:
    """The LaTeX word of a Greek letter with a command: θ -> "theta", Δ -> "Delta"."""
    words = unicodedata.name(char, "").split()
    if len(words) != 4 or words[:2] != ["GREEK", words[1]] or words[2] != "LETTER":
        return None
    word = words[3].lower() if words[1] == "SMALL" else words[3].capitalize()
    word = {"lamda": "lambda", "Lamda": "Lambda"}.get(word, word)    # Unicode's spelling
    return word if word in GREEK else None


def _spelt(name: str) -> str:
    """Greek letters of a name as their words: θ1 -> theta1 (when each has a command)."""
    return "".join(greek_word(c) or c for c in name)


def latex_name(name: str) -> str:
    """``x1`` -> ``x_{1}``, ``theta`` and ``θ`` -> ``\\theta``, ``apple_count`` ->
    ``\\mathrm{apple\\_count}``.

    ``x1`` and ``x_1`` both read as x with subscript 1: ``latex_names`` tells them apart
    when a formula has both."""
    if not name.isascii() and greek_word(name[0]):
        single = re.fullmatch(r"(.)(_?\d+)?", name)
        if single:
            return latex_name(_spelt(single.group(1)) + (single.group(2) or ""))
    match = re.fullmatch(r"([A-Za-z]+?)_?(\d+)", name)
    if match and (len(match.group(1)) == 1 or match.group(1) in GREEK):
        head = "\\" + match.group(1) if match.group(1) in GREEK else match.group(1)
        return f"{head}_{{{match.group(2)}}}"
    if name in GREEK:
        return "\\" + name
    if len(name) == 1 and name.isascii():
        return name
    return plain_name(name)


def plain_name(name: str) -> str:
    """A name in upright letters as it is spelt: ``\\mathrm{x\\_1}`` (one per name), a
    Greek letter in it by its command (``Δt`` -> ``\\mathrm{\\Delta t}``)."""
    text = "".join(f"\\{greek_word(c)} " if greek_word(c) else c for c in name).strip()
    return r"\mathrm{" + text.replace("_", r"\_") + "}"


def function_latex_name(name: str) -> str:
    r"""An undefined function's name: ``f``, ``\theta``, ``f_{1}``, else ``\operatorname{name}``."""
    text = latex_name(name)
    return text if not text.startswith(r"\mathrm{") else (
        r"\operatorname{" + name.replace("_", r"\_") + "}")


def latex_names(names) -> dict[str, str]:
    """The LaTeX of each of ``names``, one distinct LaTeX per name: names that would read
    the same (``x1`` and ``x_1`` are both x with subscript 1) are spelt out upright."""
    chosen = {name: latex_name(name) for name in names}
    count: dict[str, int] = {}
    for text in chosen.values():
        count[text] = count.get(text, 0) + 1
    return {name: text if count[text] == 1 else plain_name(name)
            for name, text in chosen.items()}


def latex_number(value) -> str:
    if isinstance(value, Fraction):
        sign = "-" if value < 0 else ""
        return rf"{sign}\frac{{{int_to_str(abs(value.numerator))}}}{{{int_to_str(value.denominator)}}}"
    if isinstance(value, float):
        text = repr(value)
        if "e" in text:
            mantissa, power = text.split("e")
            return rf"{mantissa} \cdot 10^{{{int(power)}}}"
        if text in ("inf", "-inf"):
            return text.replace("inf", r"\infty")
        return text
    return int_to_str(value)


class LatexPieces(Pieces):
    """Pieces for LaTeX: ``\\frac`` for quotients, ``^{}`` for powers, the declared forms of calls.

    ``spelling`` gives the LaTeX of variable names (``latex_names`` of the formula's
    variables, so that no two read the same); names not in it use ``latex_name``."""

    parens = (r"\left(", r"\right)")

    number = staticmethod(latex_number)

    def __init__(self, names=(), spelling: dict[str, str] | None = None):
        super().__init__(names)
        self.spelling = spelling or {}

    def variable(self, name: str) -> str:
        return self.spelling.get(name) or latex_name(name)

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

    def applied_function(self, node: AppliedFunction) -> list:
        r"""``f\left(x\right)``, ``f''``, ``f^{(4)}``; several arguments:
        ``\frac{\partial^{2} g}{\partial x \partial y}`` when they are distinct variables,
        else by position, ``\partial_{1}^{2}\partial_{2} g``."""
        return self.call_pieces(node, [self.function_head(node), r"\left("], r"\right)")

    def function_head(self, node: AppliedFunction) -> str:
        name, orders = function_latex_name(node.name), node.orders
        if len(orders) == 1:
            n = orders[0]
            return name + ("'" * n if n <= 3 else f"^{{({n})}}")
        if not any(orders):
            return name
        args = node.args
        if all(type(a) is Var for a in args) and len(set(args)) == len(args):
            total = sum(orders)
            top = r"\partial" + (f"^{{{total}}}" if total > 1 else "") + " " + name
            bottom = " ".join(r"\partial " + self.variable(a.name) + (f"^{{{k}}}" if k > 1 else "")
                              for a, k in zip(args, orders) if k)
            return rf"\frac{{{top}}}{{{bottom}}}"
        return "".join(r"\partial_{" + str(i + 1) + "}" + (f"^{{{k}}}" if k > 1 else "")
                       for i, k in enumerate(orders) if k) + " " + name

    def power_pieces(self, base: Expr, exponent: Expr) -> list:
        if exponent is Const(1):
            return [(base, False, False)]
        if exponent is Const(HALF):
            return [r"\sqrt{", (base, False, False), "}"]
        form = _form(type(base)) if isinstance(base, Function) and base not in self.names else None
        if type(form) is str and OPERATOR.fullmatch(form) and form not in LIMITS and (
                type(exponent) is Const and exponent.value > 0):     # \sin^{2}\left(x\right)
            head, *rest = self.call(base)
            return [head, "^{", (exponent, False, False), "}", *rest]
        delimited = isinstance(form, list) and _delimited(form)      # \left|x\right|^{2}
        base_parens = base not in self.names and (
            precedence(base) < ATOM or type(base) is Pow or _scientific(base)
            or (isinstance(base, Function) and not delimited)
            or (type(base) is AppliedFunction and len(base.args) > 1 and base.is_derivative))
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
        # a lone sum over a denominator needs no parentheses: \frac{x + y}{2}
        alone = not top and len(numerator) == 1 and bool(
            denominator or Fraction(coefficient).denominator != 1)
        for factor in numerator:
            if top:     # 2 \cdot 3^{x}, not 2 3^{x} (which reads 23^x)
                top.append(r" \cdot " if _starts_with_digit(factor) else " ")
            top.append((factor, precedence(factor) < MUL and not alone, False))
        bottom: list = []
        if exact and Fraction(coefficient).denominator != 1:
            bottom.append(int_to_str(Fraction(coefficient).denominator))
        several = len(denominator) + len(bottom) > 1
        for base, k in denominator:
            if bottom:
                bottom.append(r" \cdot " if _starts_with_digit(base) else " ")
            if k == 1:      # a lone sum needs no parentheses inside \frac, one of several does
                bottom.append((base, several and precedence(base) < MUL, False))
            else:
                bottom.extend(self.power_pieces(base, Const(k)))
        if not bottom:
            return pieces + top
        return pieces + [r"\frac{", *(top or ["1"]), "}{", *bottom, "}"]


def _scientific(node) -> bool:
    r"""A float written as ``a \cdot 10^{b}``: as a base it needs parentheses."""
    return type(node) is Const and isinstance(node.value, float) and "e" in repr(node.value)


def _starts_with_digit(node) -> bool:
    r"""Does the LaTeX of a factor begin with a digit (a number, ``3^{x}``, a product led by
    its coefficient)? After another factor it is then joined with ``\cdot``. Follows the
    leftmost base down (a loop, not recursion)."""
    while True:
        kind = type(node)
        if kind is Const:
            return node.value >= 0
        if kind is Pow and node.args[1] is not Const(HALF) and negative_exponent(node) is None:
            base = node.args[0]
            if precedence(base) < ATOM or type(base) is Pow or isinstance(base, Function) \
                    or _scientific(base):
                return False        # the base is parenthesised (or a function)
            node = base
            continue
        if kind is Mul or (kind is Written and node.kind is Mul):
            return type(node.args[0]) is Const
        return False


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
    spelling = latex_names(free_vars(expr)) if isinstance(expr, Expr) else None
    return render(expr, LatexPieces(spelling=spelling))


def to_shared_latex(roots: list[Expr]) -> tuple[list[tuple[str, str]], list[str]]:
    r"""The let-bound form in LaTeX: ``([("t_{1}", r"\sin\left(x\right)"), ...], [...])``,
    each shared subexpression bound once (the nodes ``binding_names`` picks), named
    ``t_{k}`` (or another letter when a variable already reads like that)."""
    spelling = latex_names(free_vars(roots))
    nodes = list(binding_names(roots))
    taken = set(spelling.values())
    # \mathrm{t}_{k} is no variable's LaTeX (an upright name is spelt out whole)
    letter = next(head for head in ("t", "u", "s", r"\tau", r"\mathrm{t}")
                  if not any(f"{head}_{{{k}}}" in taken for k in range(1, len(nodes) + 1)))
    names = {node: f"{letter}_{{{k}}}" for k, node in enumerate(nodes, 1)}
    pieces = LatexPieces(names, spelling)
    bindings = [(name, render(node, pieces, names=names)) for node, name in names.items()]
    return bindings, [render(root, pieces, names=names) for root in roots]


provide("latex", to_latex)
