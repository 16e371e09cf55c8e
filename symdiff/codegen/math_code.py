"""The ``"math"`` backend of ``lambdify``: straight-line Python on floats.

One Python expression per node used more than once, bound to a local; nodes used once are
written inline. Arguments are converted with ``float``, results are floats. Where
``evaluate`` raises, the call raises the same ``EvaluationError`` (``CompiledFunction`` finds
it by evaluating at that point); the one difference is an overflow in a sum or product, which
gives ``inf`` as Python floats do.
"""
from __future__ import annotations

from .program import Program, literal, one_per_line
from ..core.nodes import Add, Const, Expr, Mul, Pow
from ..printing.text import positive_first

# Python's precedences, loosest first: a + b < a * b < -a < a ** b < atoms and calls.
ADD, MUL, NEG, POW, ATOM = 10, 20, 25, 30, 40
#: An inline expression nested deeper than this is bound to a local instead: CPython's
#: compiler recurses over expressions, and deep ones overflow its stack.
MAX_DEPTH = 40
#: The math backend computes sums and products with more operands than this a chunk per
#: statement (``_t1 = _t1 + ...``).
CHUNK = 32


class MathCode(Program):
    """Python expressions on floats: a local per node read more than once, the rest inline."""

    backend = "math"

    def __init__(self, exprs, vars):
        super().__init__(exprs, vars)
        for node in self.order:          # u*u reads u twice
            if type(node) is Pow and self.computed(node):
                form = self.power_form(node)
                if form[0] == "product":
                    self.uses[node.args[0]] += abs(form[1]) - 1
        self._choose_locals()

    def _choose_locals(self):
        """``named``: the computed nodes bound to a local: those read more than once, wide
        ones, and those whose inline code would nest too deep."""
        self.named: set[Expr] = set()
        depth: dict[Expr, int] = {}
        for node in self.order:
            if not self.computed(node):
                continue
            wide = type(node) in (Add, Mul) and len(node.args) > CHUNK
            if self.uses[node] > 1 or wide:
                self.named.add(node)
                continue
            below = max(depth.get(a, 0) for a in node.args)
            level = below + (len(node.args) if type(node) in (Add, Mul) else 1)
            if level > MAX_DEPTH:
                self.named.add(node)
            else:
                depth[node] = level

    # ---------------------------------------------------------------- code for one node
    def _pieces(self, node: Expr, negate: bool = False) -> tuple[int, list]:
        """(precedence, pieces) of an inline node: strings and (node, minimum precedence,
        negate) for operands, expanded by ``_expand``."""
        kind = type(node)
        if kind is Add:
            return ADD, self._join(self._sum_items(node.args))
        if kind is Mul:
            return MUL, self._join(self._product_items(node.args, negate))
        if kind is Pow:
            return self._power(node)
        name, operands = self.function_call(node)     # sin(u), or a helper: sign(u)
        pieces: list = [name, "("]
        for i, operand in enumerate(operands):
            if i:
                pieces.append(", ")
            pieces.append((node.args[operand], 0, False) if type(operand) is int else operand)
        return ATOM, pieces + [")"]

    def _is_negative(self, node: Expr) -> bool:
        """A term written with a leading minus: a negative number or coefficient."""
        if node in self.value_of:
            return literal(self.value_of[node]).startswith("-")
        return (type(node) is Mul and node not in self.named and type(node.args[0]) is Const
                and node.args[0].value < 0)

    def _sum_items(self, terms) -> list[tuple[str, list]]:
        """(operator, pieces) per term, a positive term first (its operator ""); a later
        negative term becomes the subtraction of its negation."""
        terms = positive_first(terms, negative=self._is_negative)
        return [("", [(terms[0], ADD, False)])] + [
            (" - ", [(t, MUL, True)]) if self._is_negative(t) else (" + ", [(t, ADD, False)])
            for t in terms[1:]]

    def _product_items(self, factors, negate: bool) -> list[tuple[str, list]]:
        """(operator, pieces) per operand of a product: the coefficient, the factors, then
        the divisors (u^-k is a division by u^k); the first operator is "" or "-"."""
        coefficient = 1.0
        if type(factors[0]) is Const:
            coefficient, factors = float(factors[0].value), factors[1:]
        if negate:
            coefficient = -coefficient
        top, bottom = [], []
        for factor in factors:
            if type(factor) is Pow and factor not in self.named and self._divides(factor):
                bottom.append((" / ", self._divisor(factor)))
            else:
                top.append((" * ", [(factor, MUL + 1, False)]))
        if coefficient == -1.0 and top:
            top[0] = ("-", [(top[0][1][0][0], NEG + 1, False)])
        elif coefficient != 1.0 or not top:
            top.insert(0, ("", [literal(coefficient)]))
        else:
            top[0] = ("", [(top[0][1][0][0], MUL, False)])
        return top + bottom

    @staticmethod
    def _join(items) -> list:
        return [piece for op, operand in items for piece in (op, *operand)]

    def _divides(self, node: Pow) -> bool:
        """Is ``node`` u^-k written as a division by u^k (k an integer or 1/2)?"""
        form = self.power_form(node)
        return form[0] in ("product", "int", "sqrt") and form[1] < 0

    def _divisor(self, node: Pow) -> list:
        """Pieces of u^k for u^-k, as the right operand of a division."""
        base, (kind, k) = node.args[0], self.power_form(node)
        if kind == "sqrt":
            return [self.call("sqrt"), "(", (base, 0, False), ")"]
        if kind == "int":
            return [(base, ATOM, False), f" ** {-k}"]
        if k == -1:
            return [(base, MUL + 1, False)]
        return ["(", *self._repeat(base, -k), ")"]

    @staticmethod
    def _repeat(base: Expr, k: int) -> list:
        pieces: list = [(base, MUL, False)]
        for _ in range(k - 1):
            pieces += [" * ", (base, MUL + 1, False)]
        return pieces

    def _power(self, node: Pow) -> tuple[int, list]:
        """Integer powers with ``**`` (Python floats: exact for u^3, OverflowError past the
        float range); other exponents with math.pow (ValueError for a negative base)."""
        base, exponent = node.args
        form = self.power_form(node)
        if self._divides(node):
            return MUL, ["1.0 / ", *self._divisor(node)]
        if form[0] == "product":
            return MUL, self._repeat(base, form[1])
        if form[0] == "sqrt":
            return ATOM, [self.call("sqrt"), "(", (base, 0, False), ")"]
        if form[0] == "int":
            return POW, [(base, ATOM, False), f" ** {form[1]!r}"]
        exponent_pieces = [literal(form[1])] if form[0] == "real" else [(exponent, 0, False)]
        return ATOM, [self.call("pow"), "(", (base, 0, False), ", ", *exponent_pieces, ")"]

    # ---------------------------------------------------------------- statements
    def _expand(self, pieces: list, out: list) -> None:
        """Append to ``out`` the text of ``pieces``, with named nodes left as node objects
        (their local's name is chosen later). An explicit stack, no recursion."""
        stack = list(reversed(pieces))
        while stack:
            item = stack.pop()
            if type(item) is str:
                if item:
                    out.append(item)
                continue
            node, least, negate = item
            text = self.leaf(node)
            if text is not None:
                if negate:
                    text = literal(-self.value_of[node])
                out.append(f"({text})" if text.startswith("-") and least > NEG else text)
            elif node in self.named:
                out.append(node)
            else:
                precedence, inner = self._pieces(node, negate)
                if precedence < least:
                    inner = ["(", *inner, ")"]
                stack.extend(reversed(inner))

    def _statements(self) -> list[tuple[Expr | None, list]]:
        """(target node, right-hand side) in order; the last has target None: the return.
        A wide sum or product is one statement per ``CHUNK`` operands, each continuing the
        previous (``_t1 = _t1 + ...``)."""
        result = []
        for node in self.order:
            if node not in self.named:
                continue
            kind = type(node)
            if kind in (Add, Mul) and len(node.args) > CHUNK:
                items = (self._sum_items(node.args) if kind is Add
                         else self._product_items(node.args, False))
                for start in range(0, len(items), CHUNK):
                    rhs: list = [] if start == 0 else [node]
                    self._expand(self._join(items[start:start + CHUNK]), rhs)
                    result.append((node, rhs))
            else:
                rhs = []
                self._expand(self._pieces(node)[1], rhs)
                result.append((node, rhs))
        returned: list = []
        for item in one_per_line(self.layout):
            if type(item) is str:
                returned.append(item)
            else:
                self._expand([(self.outputs[item], 0, False)], returned)
        result.append((None, returned))
        return result

    def body(self) -> list[str]:
        """Argument conversion, one assignment per statement (a local is reused once its
        value is dead), then the return."""
        statements = self._statements()
        last: dict[Expr, int] = {}
        for index, (_, rhs) in enumerate(statements):
            for piece in rhs:
                if type(piece) is not str:
                    last[piece] = index
        lines = [f"{a} = {self.call('float')}({a})" for a in self.arg.values()]
        name_of: dict[Expr, str] = {}
        free: list[str] = []
        count = 0
        for index, (target, rhs) in enumerate(statements):
            text = "".join(p if type(p) is str else name_of[p] for p in rhs)
            if target is None:
                lines.append(f"return {text}")
                break
            for piece in dict.fromkeys(p for p in rhs if type(p) is not str and p is not target):
                if last[piece] == index:
                    free.append(name_of[piece])
            if target not in name_of:
                if not free:
                    free.append(f"_t{count}")
                    count += 1
                name_of[target] = free.pop()
            lines.append(f"{name_of[target]} = {text}")
        return lines
