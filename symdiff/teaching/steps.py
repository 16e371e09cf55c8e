"""A symbolic derivative derived step by step, as on paper: which rule applies to which
subexpression, what it gives, and the simplified result at the end.

    >>> import symdiff
    >>> for step in symdiff.derivation_steps(symdiff.parse("sin(x^2)"), "x"):
    ...     print(step)
    power rule: d/dx(x^2) = 2*x
    chain rule with sin'(u) = cos(u): d/dx(sin(x^2)) = cos(x^2)*d/dx(x^2) = 2*x*cos(x^2)

Subexpressions are taken innermost first (topological order over the DAG, no recursion), so
each step can use the derivatives found before it, and a shared subexpression is derived
once. Each step shows its rule's form, with the derivatives of the parts still to be
plugged in written ``d/dx(part)``, then the result. Parts that are the variable itself
(derivative 1) or do not depend on it (derivative 0) are plugged in at once. The parts are
those the printer shows: ``a - u`` is a difference (not ``a + (-1)*u``) and ``u/v`` a
quotient when both depend on the variable. A form keeps the order its rule is written in
(``d/dx(u)*v + u*d/dx(v)``) as a display-only ``printing.text.Written``, not as a node: the
intern table holds canonical nodes only. Local partials and the table notes come from
``calculus.partials.partials_of``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from ..calculus.diff import as_var
from ..calculus.local import local_partials
from ..calculus.partials import partials_of
from ..core import exact
from ..core.functions import Function, Log
from ..core.nodes import MINUS_ONE, ONE, ZERO, Add, Const, Expr, Mul, Pow, Var, as_expr
from ..core.undefined import AppliedFunction
from ..core.walk import topological, varying
from ..printing.text import Written, negative_exponent, to_text
from ..rewriting.simplify import simplify
from .layout import sum_terms

#: Each expression in a step's text is cut short (with ...) past this many characters.
TEXT_LIMIT = 160


@functools.lru_cache(maxsize=None)
def _pending(name: str) -> type:
    """The node class ``d/dname(u)``: a derivative still to be plugged into a rule's form.
    It is a function only so that the printer writes it as one, in its place."""
    return type(f"Pending_{name}", (Function,), {"__slots__": (), "name": f"d/d{name}"})


@dataclass(frozen=True)
class DerivationStep:
    """One rule applied: ``expr`` is the subexpression, ``form`` the rule's right-hand side
    (with ``d/dx(part)`` for derivatives found in earlier steps), ``result`` the derivative
    of ``expr`` and ``note`` the table entry used (``sin'(u) = cos(u)``), if any."""

    rule: str
    var: str
    expr: Expr
    form: Expr | Written
    result: Expr
    note: str = ""

    @functools.cached_property
    def _texts(self) -> tuple[str, str, str]:
        """The expression, form and result as shown, printed once for ``str`` and
        ``to_dict`` together (a deep derivation prints long products at every step)."""
        return _show(self.expr), _show(self.form), _show(self.result)

    def __str__(self) -> str:
        expr, form, result = self._texts
        if self.rule == "simplify":
            return f"simplify: {form} = {result}"
        rule = self.rule
        if self.note:
            rule += f" ({self.note})" if self.rule == "constant rule" else f" with {self.note}"
        text = f"{rule}: d/d{self.var}({expr}) = {form}"
        return text if _same(self.form, self.result) else f"{text} = {result}"

    def to_dict(self) -> dict:
        expr, form, result = self._texts
        return {"rule": self.rule, "note": self.note or None, "variable": self.var,
                "expression": expr, "form": form, "result": result}


def _show(expr: Expr | Written) -> str:
    return to_text(expr, max_length=TEXT_LIMIT)


def _same(form: Expr | Written, expr: Expr) -> bool:
    """Whether a rule's form as written is ``expr`` itself (written in canonical order, it
    says nothing the result does not)."""
    stack = [(form, expr)]
    while stack:
        shown, node = stack.pop()
        if shown is node:
            continue
        if (type(shown) is not Written or type(node) is not shown.kind
                or len(shown.args) != len(node.args)):
            return False
        stack.extend(zip(shown.args, node.args))
    return True


def _table_note(node: Function) -> str:
    """The derivative table's entry for a function, on placeholder arguments (``u``, or
    ``a``, ``b``, ...); for an undefined function, the derivative nodes it has instead."""
    if type(node) is AppliedFunction:
        places = [Var(name) for name in ("u",) if len(node.args) == 1] or [
            Var(f"a{i + 1}") for i in range(len(node.args))]
        at = AppliedFunction(node.name, places, node.orders)
        return ", ".join(f"d/d{v.name}({to_text(at)}) = {to_text(at.differentiated(i))}"
                         for i, v in enumerate(places))
    if node.arity == 1:
        u = Var("u")
        return f"{node.name}'(u) = {to_text(partials_of(type(node)(u), [0])[0])}"
    places = [Var(name) for name in "abcdefgh"[:node.arity]]
    shown = [i for i, p in enumerate(node.spec.partials) if p is not None]  # not an order
    entries = partials_of(type(node)(*places), shown)
    names = ", ".join(v.name for v in places)
    return ", ".join(f"d{node.name}({names})/d{places[i].name} = {to_text(p)}"
                     for i, p in zip(shown, entries))


def _is(item, kind: type) -> bool:
    """Whether ``item`` is a ``kind`` node or a ``kind`` as written."""
    return type(item) is kind or (type(item) is Written and item.kind is kind)


def _mul(factors, keep: bool) -> Expr | Written:
    """The product of ``factors``: canonical, or with ``keep`` as written (numbers merged
    in front, the other factors in the given order), for showing a rule's form."""
    if not keep:
        return Mul(*factors) if factors else ONE
    coefficient, rest = 1, []
    for factor in factors:
        for f in (factor.args if _is(factor, Mul) else (factor,)):
            if type(f) is Const:
                coefficient = exact.mul(coefficient, f.value)
            else:
                rest.append(f)
    if coefficient == 0:
        return ZERO
    if not (coefficient == 1 and exact.is_exact(coefficient)) or not rest:
        rest.insert(0, Const(coefficient))
    return rest[0] if len(rest) == 1 else Written(Mul, rest)


def _add(terms, keep: bool) -> Expr | Written:
    """The sum of ``terms``: canonical, or with ``keep`` in the given order (zeros left out)."""
    if not keep:
        return Add(*terms)
    flat = [t for term in terms for t in (term.args if _is(term, Add) else (term,))
            if t is not ZERO]
    if not flat:
        return ZERO
    return flat[0] if len(flat) == 1 else Written(Add, flat)


class _Rules:
    """For a node: which rule applies, the parts whose derivatives it needs, and the rule
    itself: ``build(d, keep)`` is the derivative of the node given ``d(part)`` for each
    part, canonical or (``keep``) laid out as the rule is written."""

    def __init__(self, expr: Expr, var: Var):
        self.var = var
        order = topological(expr)
        self.seen = set(order)
        self.moving = varying(order, [var])

    def varies(self, node: Expr) -> bool:
        """Whether ``node`` depends on the variable: a node of the formula, or one a rule
        builds from its parts (a quotient's numerator), whose new nodes are walked once."""
        if node not in self.seen:
            order = topological(node, self.seen)
            self.moving |= varying(order, [a for n in order for a in n.args if a in self.moving])
            self.seen.update(order)
        return node in self.moving

    def plan(self, node: Expr):
        """(rule, note, parts, build) for a node that depends on the variable."""
        kind, varies = type(node), self.varies
        if kind is Add:
            terms = [(sign, t) for sign, t in sum_terms(node) if varies(t)]
            return ("sum rule", "", [t for _, t in terms],
                    lambda d, keep: _add([d(t) if sign == "+" else _mul([MINUS_ONE, d(t)], keep)
                                          for sign, t in terms], keep))
        if kind is Mul:
            return self._product(node)
        if kind is Pow:
            return self._power(node)
        wanted = [i for i, a in enumerate(node.args) if varies(a)]
        parts = [node.args[i] for i in wanted]
        name = "derivative table" if all(a is self.var for a in parts) else "chain rule"
        partials = local_partials(node, wanted)
        return (name, _table_note(node), parts,
                lambda d, keep: _add([_mul([p, d(a)], keep)
                                      for p, a in zip(partials, parts)], keep))

    def _power(self, node: Pow):
        base, exponent = node.args
        varies = self.varies
        # n*u^(n-1)*du and u^v*log(u)*dv, kept apart so 2*(a + b) is not multiplied out
        by_base = [exponent, Pow(base, Add(exponent, MINUS_ONE))]
        by_exponent = [node, Log(base)]
        if not varies(exponent):
            return ("power rule", "", [base],
                    lambda d, keep: _mul(by_base + [d(base)], keep))
        if not varies(base):
            return ("exponential rule", "", [exponent],
                    lambda d, keep: _mul(by_exponent + [d(exponent)], keep))
        return ("general power rule", "", [base, exponent],
                lambda d, keep: _add([_mul(by_base + [d(base)], keep),
                                      _mul(by_exponent + [d(exponent)], keep)], keep))

    def _product(self, node: Mul):
        varies = self.varies
        above = [f for f in node.args if negative_exponent(f) is None]
        below = [f for f in node.args if negative_exponent(f) is not None]
        if any(varies(f) for f in above) and any(varies(f) for f in below):
            num = Mul(*above)
            den = Mul(*(Pow(f.args[0], negative_exponent(f)) for f in below))
            square = Pow(den, -2)
            return ("quotient rule", "", [num, den],
                    lambda d, keep: _mul([_add([_mul([d(num), den], keep),
                                                _mul([MINUS_ONE, num, d(den)], keep)], keep),
                                          square], keep))
        fixed = [f for f in node.args if not varies(f)]
        moving = [f for f in node.args if varies(f)]
        if len(moving) == 1:
            return ("constant factor rule", "", moving,
                    lambda d, keep: _mul(fixed + [d(moving[0])], keep))
        return ("product rule", "", moving,
                lambda d, keep: _add([_mul(fixed + [d(g) if g is f else g for g in moving], keep)
                                      for f in moving], keep))


def derivation_steps(expr, var, simplify: bool = True) -> list[DerivationStep]:
    """The derivative of ``expr`` by ``var`` as a list of ``DerivationStep``s, innermost
    first; the last one's ``result`` is the derivative. With ``simplify`` (the default), a
    final ``simplify`` step follows when ``symdiff.simplify`` changes that result."""
    expr, var = as_expr(expr), as_var(var)
    rules = _Rules(expr, var)
    name = var.name
    if not rules.varies(expr):
        steps = [DerivationStep("constant rule", name, expr, ZERO, ZERO,
                      f"{_show(expr)} does not depend on {name}")]
    elif expr is var:
        steps = [DerivationStep("variable rule", name, expr, ONE, ONE)]
    else:
        steps = _derive(expr, rules)
    return with_simplified(steps) if simplify else steps


def _derive(expr: Expr, rules: _Rules) -> list[DerivationStep]:
    var = rules.var
    pending = _pending(var.name)
    derivative: dict[Expr, Expr] = {}
    plans: dict[Expr, tuple] = {}
    steps: list[DerivationStep] = []

    def compound(node):
        return node is not var and rules.varies(node)

    def known(node):
        return derivative[node] if compound(node) else (ONE if node is var else ZERO)

    def placeholder(node):
        return pending(node) if compound(node) else (ONE if node is var else ZERO)

    stack = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if node in derivative:
            continue
        plan = plans.get(node)
        if plan is None:
            plan = plans[node] = rules.plan(node)
        rule, note, parts, apply = plan
        if not ready:
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(parts)
                         if compound(p) and p not in derivative)
            continue
        result = apply(known, False)
        form = apply(placeholder, True)
        derivative[node] = result
        steps.append(DerivationStep(rule, var.name, node, form, result, note))
    return steps


def with_simplified(steps: list[DerivationStep],
                    simplified: Expr | None = None) -> list[DerivationStep]:
    """``steps`` and, when simplifying changes the last result, a ``simplify`` step.
    ``simplified`` is that result simplified (by default with ``symdiff.simplify``)."""
    last = steps[-1]
    if simplified is None:
        simplified = simplify(last.result)
    if simplified is last.result:
        return steps
    return steps + [DerivationStep("simplify", last.var, last.expr, last.result, simplified)]


#: ``steps_text`` shows at most this many steps: the innermost and the outermost halves.
MAX_SHOWN_STEPS = 200


def steps_text(expr: Expr, steps: list[DerivationStep],
               max_shown: int = MAX_SHOWN_STEPS) -> str:
    """The steps numbered under a heading, then ``result: ...``. Past ``max_shown`` steps
    (a formula 100,000 levels deep has 100,000), the first and last ``max_shown // 2``
    are shown, and a line says how many are left out between them."""
    var = steps[0].var
    lines = [f"d/d{var} {_show(expr)}, innermost parts first:"]
    numbered = list(enumerate(steps, start=1))
    if len(steps) > max_shown:
        half = max(max_shown // 2, 1)
        hidden = len(steps) - 2 * half
        lines += [f"{i}. {step}" for i, step in numbered[:half]]
        lines.append(f"... {hidden:,} steps left out (steps {half + 1:,} to "
                     f"{half + hidden:,}; {len(steps):,} in all, the first and last {half} "
                     "shown)")
        numbered = numbered[-half:]
    lines += [f"{i}. {step}" for i, step in numbered]
    lines.append(f"result: {_show(steps[-1].result)}")
    return "\n".join(lines)
