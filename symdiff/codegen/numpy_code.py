"""The ``"numpy"`` backend of ``lambdify``: ufunc calls on arrays.

One ufunc call per operation, writing with ``out=`` into a few reused work arrays and into one
output block, so a call allocates two arrays rather than one temporary per operation.
Arguments are converted with ``asarray(v, dtype=float64)`` and broadcast together; every
output has the broadcast shape of all arguments (a constant output is filled in). The outputs
are rows of one block: entries that are the same expression (a Hessian's mirror entries) are
the same row. Outside the domain the result is numpy's, with its RuntimeWarning: ``nan``
(``log(-1)``, ``sqrt(-1)``, ``asin(2)``) or ``±inf`` (``1/0``, ``log(0)``).
"""
from __future__ import annotations

from .program import Program, literal, one_per_line, separated
from ..core.nodes import Add, Const, Expr, Mul, Pow
from ..core.walk import varying

OPERATORS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}


class NumpyCode(Program):
    """One ufunc call per operation, ``out=`` a reused work array or a row of the output
    block: no temporaries, so no allocation (and no page faults) per operation. A sum or
    product is accumulated as its operands become available, so a wide sum keeps one work
    array, not one per term."""

    backend = "numpy"
    helper_options = {"into": "out"}

    def __init__(self, exprs, vars, into: str | None = None, scalars=()):
        super().__init__(exprs, vars)
        #: the array to write the one output into (a body helper's ``out``), if not a new one
        self.into = into
        self.reserved = (into,) if into else ()
        #: the variables whose values are numbers, not arrays (a variant compiled for calls
        #: that pass them so): they are not broadcast, and nodes that depend on no other
        #: variable are computed once as numbers, each under a name of its own (``_s0``)
        self.scalars = frozenset(scalars)
        arrays = varying(self.order, [v for v in self.arg if v.name not in self.scalars])
        self.scalar_name: dict[Expr, str] = {}
        for node in self.order:
            if super().computed(node) and node not in arrays:
                self.scalar_name[node] = f"_s{len(self.scalar_name)}"
        self.arrays = arrays
        #: the lines computing products and sums of numbers inside nodes on arrays
        self.prefix_lines: list[str] = []
        self.prefixes = 0
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

    def computed(self, node: Expr) -> bool:
        """An operation on arrays (a node computed as a number is a leaf to the array code)."""
        return node not in self.scalar_name and super().computed(node)

    def leaf(self, node: Expr) -> str | None:
        return self.scalar_name.get(node) or super().leaf(node)

    def _uniform(self, operand) -> bool:
        """Is the operand a number (a literal, a scalar variable, a node computed as one)?"""
        return type(operand) is str or operand not in self.arrays

    def _array_items(self, node: Expr) -> list[tuple[str, object]]:
        """``_items`` of a node computed on arrays; with scalar variables, its operands that
        are numbers are combined first, as numbers, into one operand (``_p0``)."""
        items = self._items(node)
        if not self.scalars:
            return items
        numbers = [item for item in items if self._uniform(item[1])]
        if len(numbers) < 2:
            return items
        name = f"_p{self.prefixes}"
        self.prefixes += 1
        self.prefix_lines += self._scalar_statements(name, self._accumulate(numbers))
        return [("+" if type(node) is Add else "*", name)] + [
            item for item in items if not self._uniform(item[1])]

    def _accumulate(self, items) -> list[tuple[str, list]]:
        return self._combine(items) + [(OPERATORS[op], [None, operand]) for op, operand in items[2:]]

    def _scalar_statements(self, name: str, steps) -> list[str]:
        """One assignment per ufunc call, on numbers (no ``out=``; a helper that needs one
        writes into a 0-d array)."""
        lines = []
        for function, operands in steps:
            texts = [name if o is None else o if type(o) is str else self.leaf(o)
                     for o in operands]
            if function in self.helper_sources or function in self.injected:
                texts.append(f"out={self.call('empty')}(())")
            lines.append(f"{name} = {self.call(function)}({', '.join(texts)})")
        return lines

    def _scalar_lines(self) -> list[str]:
        """The nodes computed as numbers, children first."""
        lines = []
        for node, name in self.scalar_name.items():
            steps = (self._accumulate(self._items(node)) if type(node) in (Add, Mul)
                     else self._steps(node))
            lines += self._scalar_statements(name, steps)
        return lines

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
                    items.append(("*", literal(c)))
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
            return [("power", [base, literal(form[1])])]
        name, operands = self.function_call(node)     # arcsin(u), heaviside(u, 0.0)
        return [(name, [node.args[o] if type(o) is int else o for o in operands])]

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
                    items = (self._array_items(node) if type(node) in (Add, Mul)
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
        return (self._prologue(count) + self._scalar_lines() + self.prefix_lines + lines
                + [f"return {self._returned()}"])

    def _prologue(self, registers: int) -> list[str]:
        args = [a for v, a in self.arg.items() if v.name not in self.scalars]
        lines = [f"{a} = {self.call('float64')}({a})" for v, a in self.arg.items()
                 if v.name in self.scalars]
        lines += [f"{a} = {self.call('asarray')}({a}, dtype={self.call('float64')})" for a in args]
        if len(args) > 1:
            shapes = ", ".join(f"{a}.shape" for a in args)
            lines.append(f"_shape = {self.call('broadcast_shapes')}(*{{{shapes}}})")
        else:
            lines.append(f"_shape = {args[0] + '.shape' if args else '()'}")
        if self.into:
            lines.append(f"_out = {self.into}[None, ...]")
        else:
            lines.append(f"_out = {self.call('empty')}(({len(self.rows)},) + _shape)")
        if registers:
            lines.append(f"_work = empty(({registers},) + _shape)")
            lines += [f"_t{i} = _work[{i}, ...]" for i in range(registers)]
        return lines

    def _returned(self) -> str:
        if self.layout == [0]:
            return "_out[0]"
        count = len(self.outputs)
        if len(self.rows) == count and self.layout == ["[", *separated(range(count)), "]"]:
            return f"{self.call('list')}(_out)"
        return "".join(p if type(p) is str else f"_out[{self.rows[self.outputs[p]]}]"
                       for p in one_per_line(self.layout))
