"""A formula laid out as the graph of binary steps a person computes, read as it prints.

symdiff stores ``w*x + b - y`` as one flat sum ``w*x + b + (-1)*y``; a person (and a
tutorial) computes it one operation at a time. So a sum becomes a chain of additions and
subtractions (a positive term first, as the printer writes it), a product a chain of
multiplications and at most one division, ``-u`` a negation; powers and functions are one
step each. Shared subexpressions are one step. No recursion: a deep formula is fine.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core.nodes import Add, Const, Constant, Expr, Mul, Pow, Var
from ..core.walk import rebuild, topological
from ..printing.text import (is_negative, negative_exponent, number_text, positive_first,
                             split_product, to_text)

#: The names tried for the output, in order, when none is given: the first one that is not
#: a variable of the formula.
OUTPUT_NAMES = ("L", "f", "out", "output")


@dataclass(frozen=True)
class Step:
    """A step before it is named: ``op`` on ``operands`` (indices of earlier steps, or
    leaves: Var, Const, Constant). ``source`` is the formula node a power or function step
    computes (for its value, local derivatives and error messages)."""

    op: str
    operands: tuple
    source: Expr


def _negation(term: Expr) -> Expr:
    """``-term`` for a term that prints with a leading minus (so ``a - u`` reads ``u``)."""
    if type(term) is Const:
        return Const(-term.value)
    return Mul(-1, term)


def sum_terms(node: Add) -> list[tuple[str, Expr]]:
    """The terms of a sum as (sign, operand), in the order the printer writes them: a
    positive term first when there is one, later negative terms as subtractions."""
    terms = positive_first(node.args)
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


def _is_quotient_like(node: Expr) -> bool:
    kind = type(node)
    return kind is Mul or (kind is Pow and negative_exponent(node) is not None)


def _operands(node: Expr) -> list[Expr]:
    """The formula nodes a node's steps read, in order (its children in the graph)."""
    if type(node) is Add:
        return [t for _, t in sum_terms(node)]
    if _is_quotient_like(node):
        _, above, below = _product_parts(node)
        return above + below
    return list(node.args)


def _is_leaf(node: Expr) -> bool:
    return not node.args


def layout(expr: Expr) -> list[Step]:
    """The binary steps computing ``expr``, children first, each shared node once."""
    steps: list[Step] = []
    ref: dict[Expr, object] = {}        # formula node -> step index, or the leaf itself
    made: dict[tuple, int] = {}         # (op, operands) -> step index: x*y in x*y and x*y*z

    def operand(node):
        return node if _is_leaf(node) else ref[node]

    def step(op: str, operands: tuple, source: Expr) -> int:
        key = (op, operands)
        if op == "call" or key not in made:
            steps.append(Step(op, operands, source))
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
        if type(node) is Add:
            terms = sum_terms(node)
            acc = operand(terms[0][1])
            for sign, term in terms[1:]:
                acc = step(sign, (acc, operand(term)), node)
        elif _is_quotient_like(node):
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
        steps.append(Step("=", (operand(expr),), expr))
    return steps


def step_names(expr: Expr, steps: list[Step], output: str | None) -> list[str]:
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


def is_node(item) -> bool:
    """An operand that is a node of the graph (an earlier step or a variable), not a
    number: it has a value of its own, a local derivative and an adjoint."""
    return isinstance(item, int) or type(item) is Var


def operand_text(item, names: list[str]) -> str:
    """An operand as a definition reads it: a step by its name, a leaf as it prints."""
    if isinstance(item, int):
        return names[item]
    if type(item) is Const:
        return number_text(item.value)
    return item.name


def _proxy(item, names: list[str]) -> Expr:
    """The operand as an expression to print a call with: a step by its name."""
    return Var(names[item]) if isinstance(item, int) else item


def definition(step: Step, names: list[str]) -> str:
    """What a step computes, in terms of its operands' names: ``z0 + b``, ``sin(z1)``."""
    a = [operand_text(item, names) for item in step.operands]
    if step.op in ("+", "-"):
        return f"{a[0]} {step.op} {a[1]}"
    if step.op in ("*", "/"):
        return f"{a[0]}{step.op}{a[1]}"
    if step.op == "neg":
        return f"-{a[0]}"
    if step.op == "=":
        return a[0]
    proxies = [_proxy(item, names) for item in step.operands]
    return to_text(rebuild(step.source, proxies))   # keeps an undefined function's orders
