"""Formulas on named parameters, read once and built again on any arguments.

A function's declaration gives its partial derivatives and its body as formula text in its
parameters (``1 - tanh(u)^2``). A ``Template`` parses the text once and keeps the parsed
DAG as a short program: one constructor call per node that depends on a parameter, in
topological order, the rest computed ahead. Building it on new arguments replays those
calls, so a gradient's one partial per function node costs a few constructor calls, with no
walk and no substitution. The result is the node the constructors give (``1 - tanh(x)^2``
is ``Add(Mul(-1, Pow(tanh(x), 2)), 1)``, canonical as always).
"""
from __future__ import annotations

from collections.abc import Sequence

from ..core.declarations import Function
from ..core.nodes import Expr, Var, as_expr
from ..core.walk import free_vars, topological, varying
from .parser import parse


class Template:
    """``formula`` (text, or an Expr on ``Var(param)``) as a function of ``params``.

    ``itself`` is the class whose partials these are: a node ``itself(*params)`` in the
    formula (tanh(u) in tanh's partial) is the differentiated node, passed to ``build``
    rather than built again."""

    __slots__ = ("expr", "params", "_registers", "_steps", "_result", "_itself")

    def __init__(self, formula: str | Expr, params: Sequence[str], itself: type | None = None):
        self.expr = parse(formula) if isinstance(formula, str) else as_expr(formula)
        self.params = tuple(params)
        unknown = sorted(set(free_vars(self.expr)) - set(self.params))
        if unknown:
            raise ValueError(f"{formula} uses {', '.join(unknown)}, which "
                             f"{'is' if len(unknown) == 1 else 'are'} not among the "
                             f"parameters ({', '.join(self.params)})")
        slots = [Var(p) for p in self.params]
        order = topological(self.expr)
        moving = varying(order, slots)
        # Registers: the arguments, the node itself, the constants, then one per step.
        register = {v: i for i, v in enumerate(slots)}
        itself_slot = len(slots)
        self._itself = itself
        read = {arg for node in order if node in moving for arg in node.args}
        constants = [node for node in order if node not in moving
                     and (node is self.expr or node in read)]
        register.update({c: itself_slot + 1 + i for i, c in enumerate(constants)})
        self._registers = tuple(constants)
        steps = []
        for node in order:
            if node in register or node not in moving:
                continue
            if itself is not None and type(node) is itself and node.args == tuple(slots):
                register[node] = itself_slot
                continue
            register[node] = itself_slot + 1 + len(constants) + len(steps)
            steps.append((type(node), tuple(register[a] for a in node.args)))
        self._steps = tuple(steps)
        self._result = register[self.expr]

    def build(self, args: Sequence[Expr], itself: Expr | None = None) -> Expr:
        """The formula with ``args`` for the parameters (``itself``: the node whose partial
        this is, when the formula contains it; built from ``args`` if not given)."""
        if itself is None and self._itself is not None:
            itself = self._itself(*args)
        values = [*args, itself, *self._registers]
        append = values.append
        for make, operands in self._steps:
            if len(operands) == 1:
                append(make(values[operands[0]]))
            elif len(operands) == 2:
                append(make(values[operands[0]], values[operands[1]]))
            else:
                append(make(*[values[i] for i in operands]))
        return values[self._result]

    def __repr__(self):
        return f"<Template ({', '.join(self.params)}) -> {self.expr}>"


_BODIES: dict[type, Template | None] = {}


def body_of(kind: type) -> Template | None:
    """The template of a declared function's body (sec: 1/cos(u); a function defined by a
    formula: that formula), parsed on first use; None for a function without one."""
    if kind not in _BODIES:
        spec = kind.spec if issubclass(kind, Function) else None
        _BODIES[kind] = Template(spec.body, spec.params) if spec is not None and spec.body \
            else None
    return _BODIES[kind]
