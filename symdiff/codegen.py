"""Fast numeric functions: straight-line Python generated from the expression DAG.

``lambdify(exprs, vars)`` compiles expressions (one, a list, or nested lists such as a
Hessian) into a callable; ``to_python_source`` prints the same code as a standalone module.
The code visits the DAG in topological order (no recursion: formulas 100,000 levels deep
compile), computes every node once (so shared subexpressions are computed once), folds
constant subexpressions, writes ``u^2`` and ``u^3`` as products, ``u^-k`` as a division and
``u^(1/2)`` as ``sqrt(u)``.

Safety: every name in the code is symdiff's own (``_a0``... for the arguments, ``_t0``...
for intermediate values, the backend's function names); no text a user typed becomes code.
Variables are matched to arguments by position in ``vars``, or by name through a dictionary.

Backends:

* ``"math"`` (floats): one Python expression per node used more than once, bound to a
  local; nodes used once are written inline. Arguments are converted with ``float``, results
  are floats. Where ``evaluate`` raises, the call raises the same ``EvaluationError`` (found
  by evaluating at that point, so the message names the failing subexpression); the one
  difference is an overflow in a sum or product, which gives ``inf`` as Python floats do.
* ``"numpy"`` (arrays): one ufunc call per operation, writing with ``out=`` into a few
  reused work arrays and into one output block, so a call allocates two arrays rather than
  one temporary per operation. Arguments are converted with ``asarray(v, dtype=float64)``
  and broadcast together; every output has the broadcast shape of all arguments (a constant
  output is filled in). The outputs are rows of one block: entries that are the same
  expression (a Hessian's mirror entries) are the same row. Outside the domain the result is
  numpy's, with its RuntimeWarning: ``nan`` (``log(-1)``, ``sqrt(-1)``, ``asin(2)``) or
  ``±inf`` (``1/0``, ``log(0)``).
"""
from __future__ import annotations

import contextlib
import gc
import keyword
import math

from .diff import as_vars
from .errors import EvaluationError
from .expr import Add, Const, Constant, Expr, Mul, Pow, Var, as_expr
from .functions import (Abs, Acos, Acosh, Asin, Asinh, Atan, Atanh, Cos, Cosh, Cot, Csc, Exp,
                        Log, Max, Min, Relu, Sec, Sign, Sin, Sinh, Step, Tan, Tanh)
from .graph import rebuild, topological
from .numeric import evaluate

BACKENDS = ("numpy", "math")
# Python's precedences, loosest first: a + b < a * b < -a < a ** b < atoms and calls.
ADD, MUL, NEG, POW, ATOM = 10, 20, 25, 30, 40
#: An inline expression nested deeper than this is bound to a local instead: CPython's
#: compiler recurses over expressions, and deep ones overflow its stack.
MAX_DEPTH = 40
#: The math backend computes sums and products with more operands than this a chunk per
#: statement (``_t1 = _t1 + ...``).
CHUNK = 32
#: Integer exponents written as products (u*u, u*u*u) rather than with a power.
EXPANDED = (2, 3)
#: At most this many outputs are quoted in a generated docstring, each this many characters.
DOC_OUTPUTS, DOC_LENGTH = 12, 100

_COMMON = {Sin: "sin", Cos: "cos", Tan: "tan", Sinh: "sinh", Cosh: "cosh", Tanh: "tanh",
           Exp: "exp", Log: "log", Sign: "sign"}
MATH_CALLS = {**_COMMON, Asin: "asin", Acos: "acos", Atan: "atan", Asinh: "asinh",
              Acosh: "acosh", Atanh: "atanh", Abs: "abs", Step: "step", Relu: "relu",
              Max: "max", Min: "min"}
NUMPY_CALLS = {**_COMMON, Asin: "arcsin", Acos: "arccos", Atan: "arctan", Asinh: "arcsinh",
               Acosh: "arccosh", Atanh: "arctanh", Abs: "absolute", Step: "heaviside",
               Relu: "maximum", Max: "maximum", Min: "minimum"}
#: heaviside(u, 0.0) is step with step(0) = 0; maximum(u, 0.0) is relu.
NUMPY_EXTRA = {Step: ["0.0"], Relu: ["0.0"]}
RECIPROCALS = {Sec: Cos, Csc: Sin, Cot: Tan}    # sec(u) is 1.0 / cos(u)
OPERATORS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}
BUILTINS = {"abs": abs, "max": max, "min": min, "float": float, "list": list}
#: Functions the math backend's code calls that the math module lacks, as source, so that a
#: standalone module defines them too. Same values as ``evaluate`` (sign(0) = step(0) = 0).
MATH_HELPERS = {
    "sign": 'def sign(u):\n    """-1.0, 0.0 or 1.0."""\n'
            "    return 1.0 if u > 0 else -1.0 if u < 0 else 0.0\n",
    "step": 'def step(u):\n    """The Heaviside step, with step(0) = 0."""\n'
            "    return 1.0 if u > 0 else 0.0\n",
    "relu": 'def relu(u):\n    """max(u, 0)."""\n    return u if u > 0 else 0.0\n',
}


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
        """Source of the helper functions the code calls."""
        return [source for name, source in MATH_HELPERS.items()
                if self.backend == "math" and name in self.used]

    def body(self) -> list[str]:   # pragma: no cover - each backend overrides it
        raise NotImplementedError


class _MathCode(_Program):
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
        if kind in RECIPROCALS:
            name = self.call(MATH_CALLS[RECIPROCALS[kind]])
            return MUL, [f"1.0 / {name}(", (node.args[0], 0, False), ")"]
        pieces: list = [self.call(MATH_CALLS[kind]), "("]
        for i, arg in enumerate(node.args):
            pieces += [", ", (arg, 0, False)] if i else [(arg, 0, False)]
        return ATOM, pieces + [")"]

    def _is_negative(self, node: Expr) -> bool:
        """A term written with a leading minus: a negative number or coefficient."""
        if node in self.value_of:
            return _literal(self.value_of[node]).startswith("-")
        return (type(node) is Mul and node not in self.named and type(node.args[0]) is Const
                and node.args[0].value < 0)

    def _sum_items(self, terms) -> list[tuple[str, list]]:
        """(operator, pieces) per term, a positive term first (its operator ""); a later
        negative term becomes the subtraction of its negation."""
        items = [(" - ", [(t, MUL, True)]) if self._is_negative(t) else (" + ", [(t, ADD, False)])
                 for t in terms]
        first = next((i for i, (op, _) in enumerate(items) if op == " + "), 0)
        items = [items[first], *items[:first], *items[first + 1:]]
        items[0] = ("", [(terms[first], ADD, False)])
        return items

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
            top.insert(0, ("", [_literal(coefficient)]))
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
        exponent_pieces = [_literal(form[1])] if form[0] == "real" else [(exponent, 0, False)]
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
                    text = _literal(-self.value_of[node])
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
        for item in _one_per_line(self.layout):
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


class _NumpyCode(_Program):
    """One ufunc call per operation, ``out=`` a reused work array or a row of the output
    block: no temporaries, so no allocation (and no page faults) per operation. A sum or
    product is accumulated as its operands become available, so a wide sum keeps one work
    array, not one per term."""

    backend = "numpy"

    def __init__(self, exprs, vars):
        super().__init__(exprs, vars)
        self.rows: dict[Expr, int] = {}
        for out in self.outputs:
            self.rows.setdefault(out, len(self.rows))
        # A term c*u of a sum (c < 0, read once) is computed as |c|*u and subtracted; for
        # c = -1 there is nothing to compute: u is subtracted. A factor u^-k of a product
        # (k = 1, 2, 3, read once) is a division by u, k times.
        self.negated: set[Expr] = set()
        self.absorbed: set[Expr] = set()
        for node in self.order:
            if not self.computed(node) or type(node) not in (Add, Mul):
                continue
            for arg in node.args:
                if self.uses.get(arg) != 1 or arg in self.rows or not self.computed(arg):
                    continue
                if type(node) is Add and type(arg) is Mul and type(arg.args[0]) is Const \
                        and arg.args[0].value < 0:
                    self.negated.add(arg)
                    if arg.args[0].value == -1 and len(arg.args) == 2:
                        self.absorbed.add(arg)
                elif type(node) is Mul and type(arg) is Pow and \
                        self.power_form(arg)[0] == "product" and self.power_form(arg)[1] < 0:
                    self.absorbed.add(arg)

    def _items(self, node: Expr) -> list[tuple[str, object]]:
        """A sum as ("+" or "-", term) or a product as ("*" or "/", factor), in order."""
        if type(node) is Add:
            return [("-", t.args[1] if t in self.absorbed else t) if t in self.negated
                    else ("+", t) for t in node.args]
        items = []
        for factor in node.args:
            if type(factor) is Const:
                c = -factor.value if node in self.negated else factor.value
                if c != 1:
                    items.append(("*", _literal(c)))
            elif factor in self.absorbed:
                items += [("/", factor.args[0])] * -self.power_form(factor)[1]
            else:
                items.append(("*", factor))
        if len(items) == 1:
            items.insert(0, ("*", "1.0"))
        return items

    def _combine(self, items) -> list[tuple[str, list]]:
        """The ufunc calls combining the first two items of a sum or product."""
        (op0, a), (op1, b) = items[:2]
        if op0 in "+*" and op1 in "+*":
            return [("add" if op0 == "+" else "multiply", [a, b])]
        if op0 in "+*":
            return [("subtract" if op0 == "+" else "divide", [a, b])]
        if op1 in "+*":
            return [("subtract" if op0 == "-" else "divide", [b, a])]
        if op0 == "-":
            return [("add", [a, b]), ("negative", [None])]
        return [("multiply", [a, b]), ("divide", ["1.0", None])]

    def _steps(self, node: Expr) -> list[tuple[str, list]]:
        """The ufunc calls computing a node other than a sum or product: (function,
        operands), an operand being a node, a literal, or None for the node's own array."""
        kind = type(node)
        if kind is Pow:
            base, exponent = node.args
            form = self.power_form(node)
            if form[0] == "product":
                if form[1] == -1:
                    return [("divide", ["1.0", base])]
                k = abs(form[1])
                steps = [("multiply", [base, base])] + [("multiply", [None, base])] * (k - 2)
                return steps + ([("divide", ["1.0", None])] if form[1] < 0 else [])
            if form[0] == "sqrt":
                return [("sqrt", [base])] + ([("divide", ["1.0", None])] if form[1] < 0 else [])
            if form[0] == "symbolic":
                return [("power", [base, exponent])]
            return [("power", [base, _literal(form[1])])]
        if kind in RECIPROCALS:
            return [(NUMPY_CALLS[RECIPROCALS[kind]], [node.args[0]]), ("divide", ["1.0", None])]
        return [(NUMPY_CALLS[kind], [*node.args, *NUMPY_EXTRA.get(kind, [])])]

    def _program(self) -> list[tuple[Expr, list]]:
        """(node, ufunc calls) in the order to run them, depth first from each output with an
        explicit stack; a sum or product gets a call as each operand after the first is
        ready. Output rows that are a variable or a constant are filled at the end."""
        program: list[tuple[Expr, list]] = []
        done: set[Expr] = set()
        for root in self.rows:
            stack: list = [(root, 0, None)]
            while stack:
                node, i, items = stack[-1]
                if items is None:
                    if node in done or not self.computed(node):
                        stack.pop()
                        continue
                    items = (self._items(node) if type(node) in (Add, Mul)
                             else [("", a) for a in node.args])
                if i < len(items):
                    operand = items[i][1]
                    if isinstance(operand, Expr) and self.computed(operand) and operand not in done:
                        stack[-1] = (node, i, items)
                        stack.append((operand, 0, None))
                        continue
                    stack[-1] = (node, i + 1, items)
                    if i and type(node) in (Add, Mul):
                        program.append((node, self._combine(items) if i == 1 else
                                        [(OPERATORS[items[i][0]], [None, operand])]))
                    continue
                if type(node) not in (Add, Mul):
                    program.append((node, self._steps(node)))
                done.add(node)
                stack.pop()
        return program + [(node, [("=", [node])]) for node in self.rows if not self.computed(node)]

    def body(self) -> list[str]:
        """Argument conversion, the arrays, one line per ufunc call (a work array is reused
        once its value is dead), then the return of the output rows."""
        program = self._program()
        last: dict[Expr, int] = {}
        for index, (_, steps) in enumerate(program):
            for _, operands in steps:
                for operand in operands:
                    if isinstance(operand, Expr):
                        last[operand] = index
        where: dict[Expr, str] = {}
        free: list[str] = []
        count = 0
        lines = []
        for index, (node, steps) in enumerate(program):
            if node in self.rows:
                where[node] = f"_out[{self.rows[node]}, ...]"
            elif node not in where:
                if not free:
                    free.append(f"_t{count}")
                    count += 1
                where[node] = free.pop()
            for function, operands in steps:
                texts = [where[node] if o is None else o if type(o) is str
                         else self.leaf(o) or where[o] for o in operands]
                if function == "=":
                    lines.append(f"{where[node]} = {texts[0]}")
                else:
                    lines.append(f"{self.call(function)}({', '.join(texts)}, out={where[node]})")
            dead = [o for _, operands in steps for o in operands if isinstance(o, Expr)]
            for operand in dict.fromkeys(dead):
                if last[operand] == index and operand in where and operand not in self.rows:
                    free.append(where[operand])
        return self._prologue(count) + lines + [f"return {self._returned()}"]

    def _prologue(self, registers: int) -> list[str]:
        args = list(self.arg.values())
        lines = [f"{a} = {self.call('asarray')}({a}, dtype={self.call('float64')})" for a in args]
        if len(args) > 1:
            shapes = ", ".join(f"{a}.shape" for a in args)
            lines.append(f"_shape = {self.call('broadcast_shapes')}(*{{{shapes}}})")
        else:
            lines.append(f"_shape = {args[0] + '.shape' if args else '()'}")
        lines.append(f"_out = {self.call('empty')}(({len(self.rows)},) + _shape)")
        if registers:
            lines.append(f"_work = empty(({registers},) + _shape)")
            lines += [f"_t{i} = _work[{i}, ...]" for i in range(registers)]
        return lines

    def _returned(self) -> str:
        if self.layout == [0]:
            return "_out[0]"
        count = len(self.outputs)
        if len(self.rows) == count and self.layout == ["[", *_separated(range(count)), "]"]:
            return f"{self.call('list')}(_out)"
        return "".join(p if type(p) is str else f"_out[{self.rows[self.outputs[p]]}]"
                       for p in _one_per_line(self.layout))


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


@contextlib.contextmanager
def _no_cycle_collection():
    """Pause Python's cycle collector. Generating and compiling code allocates millions of
    small objects and no reference cycles, and every full collection would walk the whole
    expression DAG again: for 10^5 nodes, half the generation time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _generate(exprs, vars, backend: str, name: str, doc: bool):
    """(program, helper sources, function source) for ``lambdify`` and ``to_python_source``."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
    program = (_MathCode if backend == "math" else _NumpyCode)(exprs, vars)
    body = program.body()
    if not name.isidentifier() or keyword.iskeyword(name) or name in program.used:
        raise ValueError(f"{name!r} cannot name the function: it must be an identifier, not a "
                         f"keyword, and not a name the code uses ({', '.join(sorted(program.used))})")
    lines = [f"def {name}({', '.join(program.arg.values())}):"]
    if doc:
        lines += _docstring(program)
    lines += ["    " + line for line in body]
    return program, program.helpers(), "\n".join(lines) + "\n"


def _docstring(program: _Program) -> list[str]:
    """The generated function's docstring: which argument is which variable, and what the
    function returns (the expressions, each cut short, the first few of them)."""
    from .printing import to_text

    arguments = ", ".join(f"{v} = {a}" for v, a in zip(program.vars, program.arg.values()))
    outputs = program.outputs
    lines = [f'"""Compiled by symdiff. Arguments: {arguments or "none"}.', ""]
    if program.layout == [0]:
        lines.append(f"Returns {to_text(outputs[0], max_length=DOC_LENGTH)}")
    else:
        shape = "".join(str(p + 1) if type(p) is int else p for p in program.layout)
        lines.append(f"Returns {shape if len(shape) <= 200 else f'{len(outputs)} values'}, where")
        lines += [f"  {i + 1}: {to_text(out, max_length=DOC_LENGTH)}"
                  for i, out in enumerate(outputs[:DOC_OUTPUTS])]
        if len(outputs) > DOC_OUTPUTS:
            lines.append(f"  ... ({len(outputs) - DOC_OUTPUTS} more)")
    text = "\n".join(lines + ['"""']).replace("\\", "\\\\")
    return ["    " + line if line else "" for line in text.split("\n")]


def _namespace(backend: str, names) -> dict:
    """The globals of generated code: only the functions it calls, and no builtins."""
    if backend == "numpy":
        import numpy as module
    else:
        module = math
    namespace: dict = {"__builtins__": {}}
    for name in names:
        if backend == "numpy" or name not in MATH_HELPERS:   # helpers: defined by the code
            namespace[name] = BUILTINS[name] if name in BUILTINS else getattr(module, name)
    return namespace


class CompiledFunction:
    """Expressions compiled to Python: ``f(*values)`` gives their values, laid out as the
    expressions were given (one value, a list, nested lists). Arguments go in the order of
    ``f.vars``, or by name: ``f(x=1, y=2)`` or ``f(**point)`` (names that are not variables
    are ignored, as by ``evaluate``). ``f.source`` is the generated code, ``f.function``
    the compiled function itself (positional arguments only, no checks: the fastest call).
    """

    __slots__ = ("function", "source", "vars", "backend", "outputs")

    def __init__(self, function, source: str, vars: tuple[str, ...], backend: str,
                 outputs: tuple[Expr, ...]):
        self.function, self.source, self.vars = function, source, vars
        self.backend, self.outputs = backend, outputs

    def __call__(self, *args, **kwargs):
        if kwargs or len(args) != len(self.vars):
            args = self._bind(args, kwargs)
        if self.backend == "numpy":
            return self.function(*args)
        try:
            return self.function(*args)
        except (ArithmeticError, ValueError, TypeError) as error:
            raise self._explain(args, error) from None

    def _bind(self, args: tuple, kwargs: dict) -> list:
        if len(args) > len(self.vars):
            raise TypeError(f"expected {len(self.vars)} values (for {', '.join(self.vars)}), "
                            f"got {len(args)}")
        for name in self.vars[:len(args)]:
            if name in kwargs:
                raise TypeError(f"two values for '{name}': by position and by name")
        values = list(args)
        for name in self.vars[len(args):]:
            if name not in kwargs:
                given = ", ".join([*self.vars[:len(args)], *kwargs]) or "none"
                raise EvaluationError(f"no value for variable '{name}' (given: {given})")
            values.append(kwargs[name])
        return values

    def _explain(self, args, error) -> EvaluationError:
        """The error ``evaluate`` gives at this point (one pass over all outputs: their
        maximum is a node that needs every output), or a general one if it gives none."""
        point = dict(zip(self.vars, args))
        everything = self.outputs[0]
        for out in self.outputs[1:]:
            everything = Max(everything, out)
        try:
            evaluate(everything, point)
        except EvaluationError as found:
            return found
        return EvaluationError(f"cannot evaluate here: {error or type(error).__name__}")

    def __repr__(self):
        count = len(self.outputs)
        return (f"<CompiledFunction ({', '.join(self.vars)}) -> {count} "
                f"value{'s' if count != 1 else ''}, {self.backend} backend>")


def lambdify(exprs, vars=None, backend: str = "numpy") -> CompiledFunction:
    """Compile expressions into a fast Python function of the variables ``vars``.

    ``exprs``: an expression, or a list / tuple (nested as deep as wanted: a Hessian is a
    list of rows) of them; the result has the same layout. ``vars``: names or ``Var``s (or
    ``"x,y"``) giving the argument order; by default the variables that occur, sorted. A
    variable that occurs but is not listed is an ``EvaluationError``.

    ``backend="numpy"`` works on arrays (broadcast together; outputs all have the broadcast
    shape); ``backend="math"`` on floats, raising ``EvaluationError`` where ``evaluate``
    does. See the module docstring for the details of each.

        >>> import symdiff
        >>> f = symdiff.parse("x^2*y + sin(x)")
        >>> g = symdiff.lambdify(symdiff.gradient(f, ["x", "y"]), ["x", "y"], backend="math")
        >>> g(0.0, 3.0)
        [1.0, 0.0]
    """
    with _no_cycle_collection():
        gen, helpers, function = _generate(exprs, vars, backend, "_compiled", doc=False)
        source = "\n\n".join([*helpers, function])
        namespace = _namespace(backend, gen.used)
        exec(compile(source, "<symdiff.lambdify>", "exec"), namespace)   # symdiff's code only
    return CompiledFunction(namespace["_compiled"], source, gen.vars, backend, tuple(gen.outputs))


def to_python_source(exprs, vars=None, name: str = "f", backend: str = "numpy") -> str:
    """A standalone Python module defining ``name(_a0, _a1, ...)``, the function ``lambdify``
    compiles (same code, same layout of results), with its imports (numpy, or the math
    module) and a docstring saying which argument is which variable and what it returns.
    Arguments are positional, in the order of ``vars``. For the math backend, a point
    outside the domain raises Python's ValueError / ZeroDivisionError (no symdiff needed)."""
    with _no_cycle_collection():
        gen, helpers, function = _generate(exprs, vars, backend, name, doc=True)
    imports = sorted(name for name in gen.used - set(BUILTINS)
                     if backend == "numpy" or name not in MATH_HELPERS)
    module = "numpy" if backend == "numpy" else "math"
    from . import __version__

    header = (f'"""{name}(): generated by symdiff {__version__} (symdiff.to_python_source).\n\n'
              f'Needs only {"numpy" if backend == "numpy" else "the standard library"}; '
              'regenerate rather than edit.\n"""\n')
    if imports:
        header += f"from {module} import {', '.join(imports)}\n"
    return "\n\n".join([header, *helpers, function])
