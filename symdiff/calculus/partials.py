"""Local partial derivatives, read from the function declarations: d f(u)/du = f'(u).

Only the local partial lives here (d sin(u)/du = cos(u)); ``diff`` applies the chain rule
once for every function. Each declaration states its partials as formulas in its parameters
(``core.elementary``: tanh's is ``1 - tanh(u)^2``); the first time a function is
differentiated they are parsed into ``Template``s, and every later node of that function
gets its partials by replaying the template's constructor calls on the node's arguments.
Powers are the one operator with partials here: sums and products are the sweeps' own
business. Conventions at kinks are the declarations' (``kinks``): d|u|/du = sign(u) (0 at
u = 0), relu' = step, ties of max and min split half and half. A parameter declared as an
order (polygamma's n) has no partial: asking for it, which the sweeps do only when the order
depends on a variable differentiated by, is an error that says so.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from ..core.declarations import Function
from ..core.errors import SymdiffError
from ..core.nodes import Expr, Pow
from ..syntax.template import Template

#: d a^b / da and d a^b / db.
POWER_PARTIALS = ("b*a^(b - 1)", "a^b*log(a)")

_TEMPLATES: dict[type, tuple[Template | None, ...]] = {}


def _template(partial, params, kind) -> Template | None:
    """A partial's template; None for an order's, which has none."""
    return None if partial is None else Template(partial, params, itself=kind)


def no_partial(node: Expr, index: int) -> SymdiffError:
    """The error for a derivative by an order (polygamma's n), which does not exist."""
    order = node.spec.params[index]
    return SymdiffError(f"{node.name}'s order {order} must not depend on the variable: "
                        f"{node.name} has no derivative with respect to {order}")


def _declared(kind: type) -> tuple[tuple, tuple[str, ...]]:
    """(partials, parameters) as declared for a node class."""
    if kind is Pow:
        return POWER_PARTIALS, ("a", "b")
    spec = kind.spec if isinstance(kind, type) and issubclass(kind, Function) else None
    if spec is None:
        raise TypeError(f"no local partials for {kind.__name__} nodes: not a declared function")
    return spec.partials, spec.params


def templates(kind: type) -> tuple[Template | None, ...]:
    """The parsed partials of a node class (a declared function, or Pow), one per argument
    (None for an order)."""
    found = _TEMPLATES.get(kind)
    if found is None:
        partials, params = _declared(kind)
        found = tuple(_template(p, params, kind) for p in partials)
        found = _TEMPLATES.setdefault(kind, found)     # two threads: one of them wins
    return found


def partials_of(node: Expr, wanted: Sequence[int]) -> list[Expr]:
    """d node / d node.args[i] for each i in ``wanted``, for a power or a function call (sums
    and products are the sweeps' own business). The one way derivative code asks for them."""
    rules = _TEMPLATES.get(type(node)) or templates(type(node))
    args = node.args
    missing = [i for i in wanted if rules[i] is None]
    if missing:
        raise no_partial(node, missing[0])
    return [rules[i].build(args, node) for i in wanted]


@contextlib.contextmanager
def replaced_partials(kind: type, *partials: str | Expr) -> Iterator[None]:
    """Within the block, ``kind``'s local partials are ``partials`` (formulas in its
    parameters): tests plant a wrong rule this way and expect every oracle to catch it."""
    _, params = _declared(kind)
    if len(partials) != len(params):
        raise ValueError(f"give {len(params)} partial{'s' if len(params) != 1 else ''}")
    planted = tuple(_template(p, params, kind) for p in partials)
    before = templates(kind)
    _TEMPLATES[kind] = planted
    try:
        yield
    finally:
        _TEMPLATES[kind] = before
