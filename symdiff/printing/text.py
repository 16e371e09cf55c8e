"""Infix text with minimal parentheses, driven by precedence constants.

The printer never recurses: each node expands into *pieces* (literal strings and child
nodes), which an explicit stack turns into text in output order. So a formula 100,000
levels deep prints in linear time. ``latex.py`` reuses the same driver and layout helpers.

Precedence, loosest first: sum < product and quotient < unary minus < power < atom. A
child is parenthesised only when its own precedence is looser than its place allows, so
the output parses back to the same value (``parse(str(e))``).
"""
from __future__ import annotations

from fractions import Fraction

from ..core.exact import int_to_str, power
from ..core.nodes import Add, Const, Constant, Expr, Mul, Pow, Var, provide
from ..core.functions import Function
from ..core.undefined import AppliedFunction, readable_head
from ..core.walk import fold, topological

ADD, MUL, NEG, POW, ATOM = 10, 20, 25, 30, 40
HALF = Fraction(1, 2)


class Written:
    """A sum or product in the order it is written, for display only: the text printer
    prints it as it prints an ``Add`` or ``Mul`` node of these ``args`` (expressions or
    other ``Written``), but it is no node, so a rule's form shown as a person writes it
    (``d/dx(u)*v + u*d/dx(v)``) puts nothing out of canonical order in the intern table."""

    __slots__ = ("kind", "args")

    def __init__(self, kind: type, args: tuple):
        self.kind, self.args = kind, tuple(args)

    def __repr__(self):
        return f"<Written {self.kind.__name__} {to_text(self)}>"


# ------------------------------------------------------------------ shared layout helpers
def is_negative(node) -> bool:
    """A term that prints with a leading minus (negative number or negative coefficient)."""
    kind = type(node)
    if kind is Const:
        return node.value < 0
    if kind is Written:
        kind = node.kind
    return kind is Mul and type(node.args[0]) is Const and node.args[0].value < 0


def negative_exponent(node: Expr):
    """For ``u^-k`` (a constant k > 0) the value k, else None: such powers print as quotients.
    Not for a number whose power ``b^k`` is 0 in floats (``1e-300^-2``): ``1/1e-300^2``
    would read back as 1/0, so it prints as ``1e-300^(-2)``."""
    if type(node) is Pow and type(node.args[1]) is Const and node.args[1].value < 0:
        base, k = node.args[0], -node.args[1].value
        if type(base) is Const and power(base.value, k) == 0:
            return None
        return k
    return None


def precedence(node: Expr) -> int:
    kind = type(node)
    if kind is Const:
        value = node.value
        if value < 0:
            return NEG
        return MUL if isinstance(value, Fraction) else ATOM
    if kind is Add:
        return ADD
    if kind is Mul:
        return NEG if is_negative(node) else MUL
    if kind is Pow:
        if negative_exponent(node) is not None:
            return MUL
        return ATOM if node.args[1] is Const(HALF) else POW
    if kind is Written:
        return ADD if node.kind is Add else NEG if is_negative(node) else MUL
    return ATOM


def split_product(node: Mul, negate: bool):
    """A product as (sign, coefficient, numerator factors, denominator (base, exponent) pairs).

    ``-3*x*y^-2/2`` becomes (True, 3/2, [x], [(y, 2)]): the reader sees ``-3*x/(2*y^2)``.
    """
    coefficient = node.args[0].value if type(node.args[0]) is Const else 1
    factors = node.args[1:] if type(node.args[0]) is Const else node.args
    negative = (coefficient < 0) != negate
    numerator, denominator = [], []
    for factor in factors:
        k = negative_exponent(factor)
        if k is None:
            numerator.append(factor)
        else:
            denominator.append((factor.args[0], k))
    return negative, abs(coefficient), numerator, denominator


def render(root: Expr, pieces_of, max_length: int | None = None, names=None) -> str:
    """Expand pieces with an explicit stack. A piece is a string or (node, parens, negate).

    ``names`` maps shared nodes to the names they are bound to: below the root, such a node
    prints as its name (an atom, so it needs no parentheses).
    """
    names = names or {}
    out: list[str] = []
    length = 0
    stack: list = [(root, False, False)]
    open_paren, close_paren = pieces_of.parens
    while stack:
        item = stack.pop()
        if type(item) is str:
            out.append(item)
            length += len(item)
            if max_length is not None and length > max_length:
                return "".join(out)[:max_length] + "..."
            continue
        node, parens, negate = item
        if node in names and node is not root:
            stack.append(names[node])
            continue
        pieces = pieces_of(node, negate)
        if parens:
            stack.append(close_paren)
            stack.extend(reversed(pieces))
            stack.append(open_paren)
        else:
            stack.extend(reversed(pieces))
    return "".join(out)


def positive_first(terms, bound=(), negative=is_negative) -> tuple:
    """A sum's terms in order, but starting with a positive one when there is one (``1 -
    x^2``, as a person writes it, not ``-x^2 + 1``). A term in ``bound`` (printed as the
    name it is bound to) counts as positive; ``negative`` tells which terms print with a
    minus (code generators that fold constants have their own test)."""
    first = next((i for i, t in enumerate(terms) if not negative(t) or t in bound), 0)
    if not first:
        return tuple(terms)
    return (terms[first], *terms[:first], *terms[first + 1:])


def sum_pieces(node: Add, plus: str, minus: str, names=()) -> list:
    """Terms in ``positive_first`` order; a negative term after the first becomes a
    subtraction of its negation (unless it is bound to a name, which prints as it is)."""
    terms = positive_first(node.args, names)
    pieces: list = [(terms[0], False, False)]
    for term in terms[1:]:
        negative = is_negative(term) and term not in names
        pieces.append(minus if negative else plus)
        pieces.append((term, type(term) is Add, negative))   # a long sum kept whole
    return pieces


# ------------------------------------------------------------------------- plain text
def number_text(value) -> str:
    if isinstance(value, int):
        return int_to_str(value)
    if isinstance(value, Fraction):
        return f"{int_to_str(value.numerator)}/{int_to_str(value.denominator)}"
    return repr(value)


class Pieces:
    """How a printer writes each kind of node, as pieces for ``render``: the dispatch every
    printer shares. Subclasses say how numbers, names, calls, products and powers look."""

    parens = ("(", ")")

    def __init__(self, names=()):
        self.names = names

    def __call__(self, node: Expr, negate: bool) -> list:
        kind = type(node)
        if kind is Const:
            return [self.number(-node.value if negate else node.value)]
        if kind is Var:
            return [self.variable(node.name)]
        if kind is Constant:
            return [self.constant(node.name)]
        if kind is Add or (kind is Written and node.kind is Add):
            return sum_pieces(node, " + ", " - ", self.names)
        if kind is Mul or kind is Written:
            return self.product(node, negate)
        if kind is Pow:
            k = negative_exponent(node)
            if k is not None:
                return self.reciprocal(node.args[0], Const(k))
            return self.power(node.args[0], node.args[1])
        if isinstance(node, Function):
            return self.call(node)
        if kind is AppliedFunction:
            return self.applied_function(node)
        raise TypeError(f"cannot print {kind.__name__}")

    def call_pieces(self, node: Function | AppliedFunction, opening: list, close: str) -> list:
        """``opening arg, arg close``: a call's arguments, comma-separated."""
        pieces: list = list(opening)
        for index, arg in enumerate(node.args):
            if index:
                pieces.append(", ")
            pieces.append((arg, False, False))
        pieces.append(close)
        return pieces


class TextPieces(Pieces):
    """Pieces for plain infix text, ``^`` or ``**`` for powers."""

    def __init__(self, power: str = "^", names=()):
        super().__init__(names)
        self.power_sign = power

    number = staticmethod(number_text)

    @staticmethod
    def variable(name: str) -> str:
        return name

    constant = variable

    def reciprocal(self, base: Expr, k: Const) -> list:
        return ["1/", *self.power_pieces(base, k, MUL + 1)]

    def power(self, base: Expr, exponent: Expr) -> list:
        return self.power_pieces(base, exponent, 0)

    def call(self, node: Function) -> list:
        return self.call_pieces(node, [node.name, "("], ")")

    def applied_function(self, node: AppliedFunction) -> list:
        """``f(x)``, ``f''(x)``, ``D[1,2](g)(x, y)``: primes for one argument, Maple's
        positions (1-based, repeated, sorted) for several."""
        return self.call_pieces(node, [readable_head(node.name, node.orders), "("], ")")

    def power_pieces(self, base: Expr, exponent: Expr, context: int) -> list:
        """``base^exponent`` for a non-negative exponent, parenthesised if looser than ``context``."""
        if exponent is Const(1):
            return [(base, precedence(base) < context, False)]
        if exponent is Const(HALF):
            return ["sqrt(", (base, False, False), ")"]
        base_parens = precedence(base) < ATOM or type(base) is Pow
        exponent_parens = precedence(exponent) < POW
        return [(base, base_parens, False), self.power_sign, (exponent, exponent_parens, False)]

    def product(self, node: Mul, negate: bool) -> list:
        negative, coefficient, numerator, denominator = split_product(node, negate)
        pieces: list = ["-"] if negative else []
        top = []
        if isinstance(coefficient, float):      # 1.0*x stays 1.0*x: floats are kept as given
            top.append(repr(coefficient))
        else:
            if Fraction(coefficient).numerator != 1 or not numerator:
                top.append(int_to_str(Fraction(coefficient).numerator))
        for factor in numerator:
            if top:
                top.append("*")
            top.append((factor, precedence(factor) < MUL or type(factor) is Mul, False))
        if not top:
            top.append("1")
        pieces.extend(top)
        bottom_count = len(denominator) + (not isinstance(coefficient, float)
                                           and Fraction(coefficient).denominator != 1)
        if bottom_count:
            pieces.append("/")
            bottom = []
            if not isinstance(coefficient, float) and Fraction(coefficient).denominator != 1:
                bottom.append(int_to_str(Fraction(coefficient).denominator))
            for base, k in denominator:
                if bottom:
                    bottom.append("*")
                bottom.extend(self.power_pieces(base, Const(k), MUL + 1 if bottom_count == 1 else MUL))
            if bottom_count > 1:
                bottom = ["(", *bottom, ")"]
            pieces.extend(bottom)
        return pieces


def to_text(expr: Expr, power: str = "^", max_length: int | None = None) -> str:
    """``x^2*y + y + 2``: infix with minimal parentheses; ``power="**"`` for Python syntax."""
    return render(expr, TextPieces(power), max_length)


def tree_size(exprs: Expr | list[Expr], cap: int = 10**12) -> int:
    """How many nodes ``exprs`` (an expression or a list) have when written out as trees
    (shared nodes once per use); each tree's count stops at ``cap``."""
    roots = [exprs] if isinstance(exprs, Expr) else list(exprs)
    size = fold(roots, lambda node, args: min(cap, 1 + sum(args)))
    return sum(size[root] for root in roots)


def binding_names(roots: list[Expr], prefix: str = "t") -> dict[Expr, str]:
    """Names for the compound nodes used more than once, numbered children first.

    The prefix is lengthened until no variable or undefined function of the expressions could
    collide with a name.
    """
    order = topological(roots)
    taken = {node.name for node in order if type(node) is Var or type(node) is AppliedFunction}
    while any(name.startswith(prefix) and name[len(prefix):].isdigit() for name in taken):
        prefix += "_"
    uses: dict[Expr, int] = {}
    for node in order:
        for child in node.args:
            uses[child] = uses.get(child, 0) + 1
    # A product prints u^-k as a quotient by u, reading u straight from the power: so a shared
    # 1/u is not named itself, but its uses count as uses of u, and u is named instead.
    quotients = set()
    for node in reversed(order):
        if negative_exponent(node) is not None and uses.get(node, 0) > 1:
            quotients.add(node)
            base = node.args[0]
            uses[base] = uses.get(base, 0) + uses[node] - 1
    roots = set(roots)
    names: dict[Expr, str] = {}
    for node in order:
        if node.args and uses.get(node, 0) > 1 and node not in roots and node not in quotients:
            names[node] = f"{prefix}{len(names) + 1}"
    return names


def to_shared_text(roots: list[Expr], power: str = "^") -> tuple[list[tuple[str, str]], list[str]]:
    """Shared subexpressions bound once: ``([("t1", "sin(x)"), ...], ["cos(t1)*..."])``.

    Linear in the size of the DAG, where the plain tree form can be exponentially longer.
    """
    names = binding_names(roots)
    pieces = TextPieces(power, names)
    bindings = [(name, render(node, pieces, names=names)) for node, name in names.items()]
    return bindings, [render(root, pieces, names=names) for root in roots]


provide("text", to_text)
