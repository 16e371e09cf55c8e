"""Reverse mode explained on one formula: its computational graph, the forward pass, the
backward pass and the gradient, as the seed tutorials draw them.

    >>> import symdiff
    >>> e = symdiff.explain(symdiff.parse("(w*x + b - y)^2"), {"x": 4, "w": 1, "b": -3, "y": 3})
    >>> [f"{n.name} = {n.definition}" for n in e.nodes if n.definition]
    ['z0 = w*x', 'z1 = z0 + b', 'z2 = z1 - y', 'L = z2^2']
    >>> e.gradient
    {'w': -16.0, 'x': -4.0, 'b': -4.0, 'y': 4.0}

symdiff stores ``w*x + b - y`` as one flat sum ``w*x + b + (-1)*y``; a person (and a
tutorial) computes it one operation at a time. So the formula is laid out as a graph of
*binary* steps that read the way symdiff prints it: a sum becomes a chain of additions and
subtractions, a product a chain of multiplications and at most one division, ``-u`` a
negation; powers and functions are one step each. Shared subexpressions are one node. Every
number is computed on that graph: the forward value of each node, its local derivatives
(d node / d input: 1 and -1 for + and -, the other factor for *, ``oracle_partials.NUMERIC_PARTIALS``
for powers and functions) and its adjoint d output / d node, accumulated from the output
back to the inputs in reverse topological order. No recursion: a deep formula is fine.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..calculus.diff import as_vars
from ..numeric.dual import leaf_value, node_value
from ..numeric.oracle_partials import local_partial
from ..core.errors import EvaluationError
from ..core.nodes import Add, Const, Constant, Expr, Mul, Pow, Var, as_expr
from ..core.walk import topological
from ..numeric.evaluate import _describe, _point, _power
from ..printing.text import is_negative, negative_exponent, number_text, split_product, to_text

#: The names tried for the output, in order, when none is given: the first one that is not
#: a variable of the formula.
OUTPUT_NAMES = ("L", "f", "out", "output")


@dataclass(frozen=True)
class Node:
    """One node of the explained graph.

    ``definition`` is the operation on the inputs (``"z0 + b"``; empty for an input),
    ``inputs`` the names of the nodes it reads (variables or earlier nodes; numbers are part
    of the definition), ``value`` its forward value, ``local`` the pairs (input,
    d node / d input) and ``adjoint`` d output / d node. A local derivative that does not
    exist at the point (sqrt at 0) is None; it is only allowed where the adjoint is 0.
    """

    name: str
    definition: str
    inputs: tuple[str, ...]
    value: float | None = None
    local: tuple[tuple[str, float | None], ...] = ()
    adjoint: float | None = None

    @property
    def is_input(self) -> bool:
        return not self.definition


@dataclass(frozen=True)
class _Step:
    """A step before it is named: ``op`` on ``operands`` (indices of earlier steps, or
    leaves: Var, Const, Constant). ``source`` is the formula node a power or function step
    computes (for its value, local derivatives and error messages)."""

    op: str
    operands: tuple
    source: Expr


# --------------------------------------------------------------------- the graph layout
def _negation(term: Expr) -> Expr:
    """``-term`` for a term that prints with a leading minus (so ``a - u`` reads ``u``)."""
    if type(term) is Const:
        return Const(-term.value)
    return Mul(-1, term)


def sum_terms(node: Add) -> list[tuple[str, Expr]]:
    """The terms of a sum as (sign, operand), in the order the printer writes them: a
    positive term first when there is one, later negative terms as subtractions."""
    terms = list(node.args)
    first = next((i for i, t in enumerate(terms) if not is_negative(t)), 0)
    terms.insert(0, terms.pop(first))
    return [("+", terms[0])] + [("-", _negation(t)) if is_negative(t) else ("+", t)
                                for t in terms[1:]]


def _product_parts(node: Expr):
    """A product (or a power with a negative exponent) as the printer shows it: (negative,
    numerator operands, denominator operands), numbers included as Const operands."""
    if type(node) is Pow:
        return False, [], [node.args[0] if node.args[1].value == -1
                           else Pow(node.args[0], -node.args[1].value)]
    negative, coefficient, numerator, denominator = split_product(node, False)
    if isinstance(coefficient, float):
        top, bottom = coefficient, 1
    else:
        top, bottom = coefficient.numerator, coefficient.denominator
    if negative and top != 1:           # -2*x: the sign goes with the number
        top, negative = -top, False
    above = ([Const(top)] if top != 1 or not numerator else []) + list(numerator)
    below = ([Const(bottom)] if bottom != 1 else []) + [b if k == 1 else Pow(b, k)
                                                      for b, k in denominator]
    return negative, above, below


def _operands(node: Expr) -> list[Expr]:
    """The formula nodes a node's steps read, in order (its children in the graph)."""
    kind = type(node)
    if kind is Add:
        return [t for _, t in sum_terms(node)]
    if kind is Mul or (kind is Pow and negative_exponent(node) is not None):
        _, above, below = _product_parts(node)
        return above + below
    return list(node.args)


def _is_leaf(node: Expr) -> bool:
    return not node.args


def layout(expr: Expr) -> list[_Step]:
    """The binary steps computing ``expr``, children first, each shared node once."""
    steps: list[_Step] = []
    ref: dict[Expr, object] = {}        # formula node -> step index, or the leaf itself
    made: dict[tuple, int] = {}         # (op, operands) -> step index: x*y in x*y and x*y*z

    def operand(node):
        return node if _is_leaf(node) else ref[node]

    def step(op: str, operands: tuple, source: Expr) -> int:
        key = (op, operands)
        if op == "call" or key not in made:
            steps.append(_Step(op, operands, source))
            made[key] = len(steps) - 1
        return made[key]

    def chain(op: str, nodes: list[Expr], source: Expr) -> object:
        acc = operand(nodes[0])
        for node in nodes[1:]:
            acc = step(op, (acc, operand(node)), source)
        return acc

    stack = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if node in ref or _is_leaf(node):
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(_operands(node))
                         if child not in ref and not _is_leaf(child))
            continue
        kind = type(node)
        if kind is Add:
            terms = sum_terms(node)
            acc = operand(terms[0][1])
            for sign, term in terms[1:]:
                acc = step(sign, (acc, operand(term)), node)
        elif kind is Mul or (kind is Pow and negative_exponent(node) is not None):
            negative, above, below = _product_parts(node)
            acc = chain("*", above, node) if above else Const(1)
            if below:
                acc = step("/", (acc, chain("*", below, node)), node)
            if negative:
                acc = step("neg", (acc,), node)
            if not isinstance(acc, int):      # only a number: keep it a node
                acc = step("=", (acc,), node)
        else:                                 # a power or a function: one step
            acc = step("call", tuple(operand(a) for a in node.args), node)
        ref[node] = acc
    if not steps or ref.get(expr) != len(steps) - 1:    # a leaf (or a reused node) alone
        steps.append(_Step("=", (operand(expr),), expr))
    return steps


def _names(expr: Expr, steps: list[_Step], output: str | None) -> list[str]:
    """z0, z1, ... for the steps, the output's name for the last one; names that a variable
    of the formula has are avoided."""
    taken = {node.name for node in topological(expr) if type(node) in (Var, Constant)}
    if output is None:
        output = next((n for n in OUTPUT_NAMES if n not in taken), "output_")
    elif not output.isidentifier():
        raise ValueError(f"{output!r} is not a name for the output")
    elif output in taken:
        raise ValueError(f"the formula already has a variable named '{output}'")
    prefix = "z"
    while any(n.startswith(prefix) and n[len(prefix):].isdigit() for n in taken | {output}):
        prefix += "_"
    return [f"{prefix}{i}" for i in range(len(steps) - 1)] + [output]


def _text(item, names: list[str]) -> str:
    if isinstance(item, int):
        return names[item]
    if type(item) is Const:
        return number_text(item.value)
    return item.name


def _proxy(item, names: list[str]) -> Expr:
    """The operand as an expression to print a call with: a step by its name."""
    return Var(names[item]) if isinstance(item, int) else item


def _definition(step: _Step, names: list[str]) -> str:
    a = [_text(item, names) for item in step.operands]
    if step.op in ("+", "-"):
        return f"{a[0]} {step.op} {a[1]}"
    if step.op in ("*", "/"):
        return f"{a[0]}{step.op}{a[1]}"
    if step.op == "neg":
        return f"-{a[0]}"
    if step.op == "=":
        return a[0]
    proxies = [_proxy(item, names) for item in step.operands]
    return to_text(type(step.source)(*proxies))


# ------------------------------------------------------------------------ the numbers
def _value(step: _Step, args: list[float]) -> float:
    op = step.op
    if op == "+":
        return args[0] + args[1]
    if op == "-":
        return args[0] - args[1]
    if op == "*":
        return args[0] * args[1]
    if op == "/":
        if args[1] == 0:
            raise EvaluationError(f"{_describe(step.source)} divides by zero")
        return args[0] / args[1]
    if op == "neg":
        return -args[0]
    if op == "=":
        return args[0]
    if type(step.source) is Pow:
        return _power(step.source, args[0], args[1])
    return node_value(step.source, args)


def _partials(step: _Step, args: list[float]) -> list[float]:
    """d step / d operand for each operand (numbers included; they are dropped later)."""
    op = step.op
    if op == "+":
        return [1.0, 1.0]
    if op == "-":
        return [1.0, -1.0]
    if op == "*":
        return [args[1], args[0]]
    if op == "/":
        return [1 / args[1], -args[0] / args[1] ** 2]
    if op == "neg":
        return [-1.0]
    if op == "=":
        return [1.0]
    return [local_partial(step.source, i, args) if _varies(item) else 0.0
            for i, item in enumerate(step.operands)]


def _varies(item) -> bool:
    return isinstance(item, int) or type(item) is Var


def format_value(value: float | None, digits: int = 6) -> str:
    """A number for a person: whole numbers in full, others to ``digits`` significant
    digits without trailing zeros (715.0000000000001 prints as 715, 3.3000000000000003 as
    3.3). JSON output keeps the full floats."""
    if value is None:
        return "undefined"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


class Explanation:
    """The explained graph of one formula at one point: ``nodes`` (the inputs, then the
    steps in the order they are computed, the output last), ``gradient`` ({variable:
    d output / d variable}, for ``wrt`` or every variable in order of appearance), and the
    same as text, Markdown or a dict for JSON."""

    def __init__(self, expr: Expr, output: str, point: dict[str, float], nodes: list[Node],
                 gradient: dict[str, float]):
        self.expr, self.output, self.point = expr, output, point
        self.nodes, self.gradient = nodes, gradient

    def __repr__(self):
        return f"<Explanation of {to_text(self.expr, max_length=60)}: {len(self.nodes)} nodes>"

    def __str__(self):
        return self.to_text()

    def _title(self) -> tuple[str, str]:
        at = ", ".join(f"{name} = {format_value(v)}" for name, v in self.point.items())
        return f"{self.output} = {to_text(self.expr)}", at

    def _local_text(self, node: Node) -> str:
        return ", ".join(f"d{node.name}/d{name} = {format_value(v)}" for name, v in node.local)

    def _rows(self) -> list[list[str]]:
        return [[n.name, n.definition, format_value(n.value), self._local_text(n),
                 format_value(n.adjoint)] for n in self.nodes]

    def _gradient_lines(self) -> list[str]:
        return [f"d{self.output}/d{name} = {format_value(v)}"
                for name, v in self.gradient.items()]

    def to_text(self) -> str:
        formula, at = self._title()
        lines = [f"{formula} at {at}" if at else formula, "", "graph:"]
        lines += [f"  {n.name} = {n.definition}" for n in self.nodes if not n.is_input]
        header = ["node", "value", "local derivatives", f"adjoint d{self.output}/dnode"]
        rows = [header] + [[r[0], r[2], r[3], r[4]] for r in self._rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines.append("")
        lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
                  for row in rows]
        gradient = self._gradient_lines()
        lines += ["", "gradient:" if gradient else "gradient: none (no variables)"]
        lines += [f"  {line}" for line in gradient]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        formula, at = self._title()
        lines = [f"`{formula}`" + (f" at {at}" if at else ""), "",
                 f"| node | definition | value | local derivatives | adjoint "
                 f"d{self.output}/dnode |", "|---|---|---|---|---|"]
        for name, definition, value, local, adjoint in self._rows():
            code = f"`{definition}`".replace("|", "\\|") if definition else "input"
            lines.append(f"| {name} | {code} | {value} | {local} | {adjoint} |")
        gradient = self._gradient_lines()
        lines += ["", "Gradient:" if gradient else "Gradient: none (no variables)"]
        lines += [""] + [f"- {line}" for line in gradient] if gradient else []
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "expression": to_text(self.expr), "output": self.output, "at": dict(self.point),
            "nodes": [{"name": n.name, "definition": n.definition or None,
                       "inputs": list(n.inputs), "value": n.value,
                       "local_derivatives": dict(n.local), "adjoint": n.adjoint}
                      for n in self.nodes],
            "gradient": dict(self.gradient),
        }


def _forward(steps: list[_Step], names: list[str], definitions: list[str],
             leaf: dict) -> tuple[list[list[float]], list[float]]:
    """Each step's argument values and value, children first."""
    args_of: list[list[float]] = []
    values: list[float] = []
    for index, step in enumerate(steps):
        args = [values[i] if isinstance(i, int) else leaf[i] if type(i) is Var
                else leaf_value(i, {}) for i in step.operands]
        value = _value(step, args)
        if not math.isfinite(value):
            raise EvaluationError(f"{names[index]} = {definitions[index]} overflows a float "
                                  f"(it is {value})")
        args_of.append(args)
        values.append(value)
    return args_of, values


def _backward(steps: list[_Step], names: list[str], args_of: list[list[float]],
              inputs: list[Var]) -> tuple[list[float], dict, list[tuple]]:
    """Adjoints of the steps and of the variables, and each step's local derivatives,
    from the output back (a step's adjoint is complete before it is handed on)."""
    adjoints = [0.0] * len(steps)
    adjoints[-1] = 1.0
    var_adjoint = {v: 0.0 for v in inputs}
    locals_: list[tuple] = [()] * len(steps)
    for index in range(len(steps) - 1, -1, -1):
        step, bar = steps[index], adjoints[index]
        try:
            partials = _partials(step, args_of[index])
        except EvaluationError:
            if bar != 0:
                raise
            partials = [None] * len(step.operands)      # not needed: nothing flows here
        local: dict[str, float | None] = {}
        for item, partial in zip(step.operands, partials):
            if not _varies(item):
                continue
            key = _text(item, names)
            total = local.get(key, 0.0)
            local[key] = None if partial is None or total is None else total + partial
            if partial is not None and bar != 0:
                if isinstance(item, int):
                    adjoints[item] += bar * partial
                else:
                    var_adjoint[item] += bar * partial
        locals_[index] = tuple(local.items())
    return adjoints, var_adjoint, locals_


def graph_nodes(expr: Expr, point=None, name: str | None = None) -> list[Node]:
    """The nodes of the explained graph of ``expr`` (the inputs, then the steps), with
    values, local derivatives and adjoints when ``point`` is given."""
    expr = as_expr(expr)
    steps = layout(expr)
    names = _names(expr, steps, name)
    inputs = list(dict.fromkeys(i for s in steps for i in s.operands if type(i) is Var))
    definitions = [_definition(step, names) for step in steps]
    reads = [tuple(dict.fromkeys(_text(i, names) for i in s.operands if _varies(i)))
             for s in steps]
    if point is None:
        return ([Node(v.name, "", ()) for v in inputs]
                + [Node(n, d, r) for n, d, r in zip(names, definitions, reads)])
    values = _point(point)
    leaf = {v: leaf_value(v, values) for v in inputs}
    args_of, step_values = _forward(steps, names, definitions, leaf)
    adjoints, var_adjoint, locals_ = _backward(steps, names, args_of, inputs)
    return ([Node(v.name, "", (), leaf[v], (), var_adjoint[v]) for v in inputs]
            + [Node(*fields) for fields in zip(names, definitions, reads, step_values,
                                               locals_, adjoints)])


def explain(expr, point, wrt=None, name: str | None = None) -> Explanation:
    """Reverse mode on ``expr`` at ``point``, step by step: the graph of binary steps
    (``z0 = w*x``, ``z1 = z0 + b``, ...; the output named ``name``, by default ``L``),
    each node's forward value, local derivatives and adjoint, and the gradient with
    respect to ``wrt`` (default: every variable, in order of appearance).

    Raises ``EvaluationError`` where the formula is not defined at ``point`` (or a local
    derivative is needed where it does not exist).
    """
    expr = as_expr(expr)
    nodes = graph_nodes(expr, point, name)
    inputs = [n for n in nodes if n.is_input]
    values = _point(point)
    shown = {n.name: values[n.name] for n in inputs}
    adjoint = {n.name: n.adjoint for n in inputs}
    names = [v.name for v in as_vars(wrt)] if wrt is not None else list(adjoint)
    gradient = {v: adjoint.get(v, 0.0) for v in names}
    return Explanation(expr, nodes[-1].name, shown, nodes, gradient)
