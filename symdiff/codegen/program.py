"""What both code generators share: the analysis of the expressions being compiled.

``_Program`` visits the DAG in topological order (no recursion: formulas 100,000 levels
deep compile), so that the code computes every node once (shared subexpressions are computed
once). It finds the outputs and the layout of the result (``_flatten``), matches variables to
arguments, folds constant subexpressions, counts how often each live node is read and decides
how each power is computed (``u^2`` and ``u^3`` as products, ``u^-k`` as a division,
``u^(1/2)`` as ``sqrt(u)``). The backends, ``codegen_math`` and ``codegen_numpy``, turn
that analysis into code.
"""
from __future__ import annotations

from ..calculus.diff import as_vars
from ..core.errors import EvaluationError
from ..core.nodes import Const, Constant, Expr, Pow, Var, as_expr
from ..core.functions import Cos, Cosh, Cot, Csc, Exp, Log, Sec, Sign, Sin, Sinh, Tan, Tanh
from ..core.walk import rebuild, topological
from ..numeric.evaluate import evaluate

#: Integer exponents written as products (u*u, u*u*u) rather than with a power.
EXPANDED = (2, 3)
#: Functions both backends call by the same name.
COMMON_CALLS = {Sin: "sin", Cos: "cos", Tan: "tan", Sinh: "sinh", Cosh: "cosh", Tanh: "tanh",
                Exp: "exp", Log: "log", Sign: "sign"}
RECIPROCALS = {Sec: Cos, Csc: Sin, Cot: Tan}    # sec(u) is 1.0 / cos(u)


def _literal(value: float) -> str:
    return repr(float(value))


class _Program:
    """What both backends need: the outputs and the layout of the result, the arguments,
    constant subexpressions folded, and how often each live node is read."""

    backend = ""

    def __init__(self, exprs, vars):
        self.outputs, self.layout = _flatten(exprs)
        self.order = topological(self.outputs)
        if vars is None:
            vars = sorted({node.name for node in self.order if type(node) is Var})
        self.vars = tuple(v.name for v in as_vars(vars))
        self.arg = {Var(name): f"_a{i}" for i, name in enumerate(self.vars)}
        missing = [n.name for n in self.order if type(n) is Var and n not in self.arg]
        if missing:
            raise EvaluationError(f"no value for variable '{missing[0]}': it is not among the "
                                  f"arguments ({', '.join(self.vars) or 'none'})")
        self.used: set[str] = set()
        self._fold()
        self._count_uses()

    def _fold(self):
        """``value_of``: the float value of every constant node that has one (as ``evaluate``
        computes it); a constant subexpression without a value (log(-1)) stays as code."""
        self.value_of: dict[Expr, float] = {}
        for node in self.order:
            kind = type(node)
            if kind is Const:
                try:
                    self.value_of[node] = float(node.value)
                except OverflowError:
                    raise EvaluationError(f"the constant {node} is too large for a float") from None
            elif kind is Constant:
                self.value_of[node] = node.value
            elif node.args and all(a in self.value_of for a in node.args):
                try:
                    floats = [Const(self.value_of[a]) for a in node.args]
                    self.value_of[node] = evaluate(rebuild(node, floats), {})
                except (EvaluationError, ArithmeticError, ValueError):
                    pass

    def _count_uses(self):
        """``uses``: how often each live node is read (an output once per appearance). Nodes
        only below folded constants are not live."""
        uses: dict[Expr, int] = {}
        for out in self.outputs:
            uses[out] = uses.get(out, 0) + 1
        for node in reversed(self.order):
            if node in uses and node not in self.value_of:
                for arg in node.args:
                    uses[arg] = uses.get(arg, 0) + 1
        self.uses = uses

    def computed(self, node: Expr) -> bool:
        """Is ``node`` an operation the code performs (live, not a variable or a constant)?"""
        return node in self.uses and node not in self.value_of and type(node) is not Var

    def power_form(self, node: Pow):
        """How ``u^k`` is computed: ("product", k) for u*u, u*u*u, 1/u and the reciprocals
        of the first two, ("sqrt", ±1), ("int", k), ("real", k) for other known exponents,
        ("symbolic",) otherwise."""
        k = self.value_of.get(node.args[1])
        if k is None:
            return ("symbolic",)
        if k.is_integer() and abs(k) <= 2 ** 31:
            k = int(k)
            return ("product", k) if abs(k) in EXPANDED or k == -1 else ("int", k)
        if abs(k) == 0.5:
            return ("sqrt", 1 if k > 0 else -1)
        return ("real", k)

    def call(self, name: str) -> str:
        self.used.add(name)
        return name

    def leaf(self, node: Expr) -> str | None:
        """The text of a variable or constant, or None for a computed node."""
        if node in self.value_of:
            return _literal(self.value_of[node])
        return self.arg.get(node)

    def helpers(self) -> list[str]:
        """Source of the helper functions the code calls (none, unless a backend has some)."""
        return []

    def body(self) -> list[str]:   # pragma: no cover - each backend overrides it
        raise NotImplementedError


def _separated(items) -> list:
    """[0, ", ", 1, ", ", 2]: the layout of a flat list."""
    result: list = []
    for item in items:
        result += [", ", item] if result else [item]
    return result


def _one_per_line(layout: list) -> list:
    """The layout with each top-level entry of a list or tuple on a line of its own."""
    if len(layout) < 4:
        return layout
    result, depth = [], 0
    for piece in layout:
        if piece in ("]", ")", ",)"):
            depth -= 1
            if depth == 0:
                piece = ",\n    " + piece.lstrip(",")
        elif piece == ", " and depth == 1:
            piece = ",\n        "
        result.append(piece)
        if piece in ("[", "("):
            if depth == 0:
                result.append("\n        ")
            depth += 1
    return result


def _flatten(exprs) -> tuple[list[Expr], list]:
    """The output expressions in order, and the return value's layout: text and output
    indices (``["[", 0, ", ", 1, "]"]``). Lists, tuples and other iterables nest as given."""
    outputs: list[Expr] = []
    layout: list = []
    stack: list = [(False, exprs)]
    while stack:
        is_text, item = stack.pop()
        if is_text:
            layout.append(item)
        elif isinstance(item, Expr) or not hasattr(item, "__iter__") or isinstance(item, str):
            layout.append(len(outputs))
            outputs.append(as_expr(item))
        else:
            children, is_tuple = list(item), isinstance(item, tuple)
            stack.append((True, (",)" if len(children) == 1 else ")") if is_tuple else "]"))
            for i in range(len(children) - 1, -1, -1):
                stack.append((False, children[i]))
                if i:
                    stack.append((True, ", "))
            stack.append((True, "(" if is_tuple else "["))
    return outputs, layout
