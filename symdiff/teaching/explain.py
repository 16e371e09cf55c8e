"""Reverse mode explained on one formula: its computational graph, the forward pass, the
backward pass and the gradient, as the seed tutorials draw them.

    >>> import symdiff
    >>> e = symdiff.explain(symdiff.parse("(w*x + b - y)^2"), {"x": 4, "w": 1, "b": -3, "y": 3})
    >>> [f"{n.name} = {n.definition}" for n in e.nodes if n.definition]
    ['z0 = w*x', 'z1 = z0 + b', 'z2 = z1 - y', 'L = z2^2']
    >>> e.gradient
    {'w': -16.0, 'x': -4.0, 'b': -4.0, 'y': 4.0}

The formula is laid out as a graph of *binary* steps that read the way symdiff prints it
(``layout.py``: ``w*x + b - y`` is a product, an addition and a subtraction, not one sum).
Every number is computed on that graph: the forward value of each node (``numeric.evaluate``'s
values and errors), its local derivatives (d node / d input: 1 and -1 for + and -, the other
factors for *, the oracles' ``NUMERIC_PARTIALS`` for powers and functions, shared with the
numeric tape) and its adjoint d output / d node, accumulated from the output back to the
inputs in reverse topological order. No recursion: a deep formula is fine.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..calculus.diff import as_vars
from ..core.errors import EvaluationError
from ..core.nodes import Expr, Var, as_expr
from ..numeric.evaluate import describe, leaf_value, node_value, read_point
from ..numeric.tape import local_partials, other_factors
from ..printing.text import to_text
from .layout import Step, definition, is_node, layout, operand_text, step_names


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


# ------------------------------------------------------------------------ the numbers
def _value(step: Step, args: list[float]) -> float:
    op = step.op
    if op == "+":
        return args[0] + args[1]
    if op == "-":
        return args[0] - args[1]
    if op == "*":
        return args[0] * args[1]
    if op == "/":
        if args[1] == 0:
            raise EvaluationError(f"{describe(step.source)} divides by zero")
        return args[0] / args[1]
    if op == "neg":
        return -args[0]
    if op == "=":
        return args[0]
    return node_value(step.source, args)        # a power or a function


def _partials(step: Step, args: list[float]) -> list[float]:
    """d step / d operand for each operand (numbers included; they are dropped later)."""
    op = step.op
    if op == "+":
        return [1.0, 1.0]
    if op == "-":
        return [1.0, -1.0]
    if op == "*":
        return other_factors(args)
    if op == "/":
        return [1 / args[1], -(args[0] / args[1]) / args[1]]   # no b^2 to overflow
    if op == "neg":
        return [-1.0]
    if op == "=":
        return [1.0]
    return local_partials(step.source, args, (is_node(item) for item in step.operands))


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
        for name, defined, value, local, adjoint in self._rows():
            code = f"`{defined}`".replace("|", "\\|") if defined else "input"
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


def _forward(steps: list[Step], names: list[str], definitions: list[str],
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


def _backward(steps: list[Step], names: list[str], args_of: list[list[float]],
              inputs: list[Var]) -> tuple[list[float], dict, list[tuple]]:
    """Adjoints of the steps and of the variables, and each step's local derivatives,
    from the output back (a step's adjoint is complete before it is handed on)."""
    adjoints = [0.0] * len(steps)
    adjoints[-1] = 1.0
    var_adjoint = {v: 0.0 for v in inputs}
    locals_: list[tuple] = [()] * len(steps)
    for index in range(len(steps) - 1, -1, -1):
        step, bar = steps[index], _finite_adjoint(adjoints[index], names[index])
        try:
            partials = _partials(step, args_of[index])
        except EvaluationError:
            if bar != 0:
                raise
            partials = [None] * len(step.operands)      # not needed: nothing flows here
        local: dict[str, float | None] = {}
        for item, partial in zip(step.operands, partials):
            if not is_node(item):
                continue
            key = operand_text(item, names)
            total = local.get(key, 0.0)
            local[key] = None if partial is None or total is None else total + partial
            if partial is not None and bar != 0:
                flow = bar * partial
                if not math.isfinite(flow):
                    raise EvaluationError(f"the adjoint flowing from {names[index]} to "
                                          f"{key} overflows a float (it is {flow})")
                if isinstance(item, int):
                    adjoints[item] += flow
                else:
                    var_adjoint[item] += flow
        locals_[index] = tuple(local.items())
    for v, total in var_adjoint.items():
        _finite_adjoint(total, v.name)
    return adjoints, var_adjoint, locals_


def _finite_adjoint(value: float, name: str) -> float:
    """An adjoint, or an EvaluationError where summing what flows into it overflows."""
    if not math.isfinite(value):
        raise EvaluationError(f"the adjoint of {name} overflows a float (it is {value})")
    return value


def graph_nodes(expr: Expr, point=None, name: str | None = None) -> list[Node]:
    """The nodes of the explained graph of ``expr`` (the inputs, then the steps), with
    values, local derivatives and adjoints when ``point`` is given."""
    expr = as_expr(expr)
    steps = layout(expr)
    names = step_names(expr, steps, name)
    inputs = list(dict.fromkeys(i for s in steps for i in s.operands if type(i) is Var))
    definitions = [definition(step, names) for step in steps]
    reads = [tuple(dict.fromkeys(operand_text(i, names) for i in s.operands if is_node(i)))
             for s in steps]
    if point is None:
        return ([Node(v.name, "", ()) for v in inputs]
                + [Node(n, d, r) for n, d, r in zip(names, definitions, reads)])
    values = read_point(point)
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
    values = read_point(point)
    shown = {n.name: values[n.name] for n in inputs}
    adjoint = {n.name: n.adjoint for n in inputs}
    names = [v.name for v in as_vars(wrt)] if wrt is not None else list(adjoint)
    gradient = {v: adjoint.get(v, 0.0) for v in names}
    return Explanation(expr, nodes[-1].name, shown, nodes, gradient)
