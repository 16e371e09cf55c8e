"""The SymPy bridge: ``to_sympy`` and ``from_sympy`` for every node type symdiff has.

Both directions walk the expression with an explicit stack (symdiff's topological order one
way, a post-order stack over SymPy's ``args`` the other), so 100,000-deep formulas convert.

Variables become ``sympy.Symbol(name, real=True)``: symdiff works over the reals, and real
symbols give SymPy the same real-variable rules (d|u| = sign(u)*du, no ``re``/``im`` terms).
"""
from __future__ import annotations

from fractions import Fraction

import sympy

from ..core.errors import SymdiffError
from ..core.nodes import E, PI, ZERO, Add, Const, Constant, Expr, Mul, Pow, Var, as_expr
from ..core.functions import (Abs, Acos, Acosh, Asin, Asinh, Atan, Atanh, Cos, Cosh, Cot, Csc, Exp,
                        Log, Max, Min, Relu, Sec, Sign, Sin, Sinh, Step, Tan, Tanh)
from ..core.walk import topological


class ConversionError(SymdiffError, ValueError):
    """An object has no counterpart on the other side (SymPy's Integral, I, oo, ...)."""


def _lattice(cls):
    """SymPy's Max and Min sort their arguments by a size count that recurses down the whole
    tree, even unevaluated; unevaluated, build them as SymPy itself does, minus the sort."""
    def build(*args, evaluate=False):
        if evaluate:
            return cls(*args)
        node = sympy.Expr.__new__(cls, *args)
        node._argset = frozenset(args)
        return node
    return build


_sympy_max, _sympy_min = _lattice(sympy.Max), _lattice(sympy.Min)


#: symdiff node -> SymPy builder, one line each. Builders that are SymPy classes also say how
#: to come back; step and relu pin symdiff's conventions (step(0) = 0, relu = max(u, 0)).
TO_SYMPY = {
    Add:   sympy.Add,
    Mul:   sympy.Mul,
    Pow:   sympy.Pow,
    Sin:   sympy.sin,
    Cos:   sympy.cos,
    Tan:   sympy.tan,
    Sec:   sympy.sec,
    Csc:   sympy.csc,
    Cot:   sympy.cot,
    Asin:  sympy.asin,
    Acos:  sympy.acos,
    Atan:  sympy.atan,
    Sinh:  sympy.sinh,
    Cosh:  sympy.cosh,
    Tanh:  sympy.tanh,
    Asinh: sympy.asinh,
    Acosh: sympy.acosh,
    Atanh: sympy.atanh,
    Exp:   sympy.exp,
    Log:   sympy.log,
    Abs:   sympy.Abs,
    Sign:  sympy.sign,
    Max:   _sympy_max,
    Min:   _sympy_min,
    Step:  lambda u, **kw: sympy.Heaviside(u, sympy.S.Zero, **kw),
    Relu:  lambda u, **kw: _sympy_max(u, sympy.S.Zero, **kw),
}
SYMPY_CONSTANTS = {"pi": sympy.pi, "e": sympy.E}


def _sympy_number(value):
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    return sympy.Float(value)


def to_sympy(expr: Expr, evaluate: bool = False) -> sympy.Basic:
    """The same formula as a SymPy expression.

    By default SymPy is told not to evaluate: symdiff has already canonicalised the formula,
    and SymPy's automatic evaluation recurses (it fails a few hundred levels deep).
    ``evaluate=True`` gives SymPy's canonical form, for shallow formulas.
    """
    expr = as_expr(expr)
    built: dict[Expr, sympy.Basic] = {}
    for node in topological(expr):
        kind = type(node)
        if kind is Const:
            built[node] = _sympy_number(node.value)
        elif kind is Var:
            built[node] = sympy.Symbol(node.name, real=True)
        elif kind is Constant:
            built[node] = SYMPY_CONSTANTS[node.name]
        elif kind in TO_SYMPY:
            built[node] = TO_SYMPY[kind](*(built[a] for a in node.args), evaluate=evaluate)
        else:
            raise ConversionError(f"symdiff's {kind.__name__} has no SymPy counterpart here")
    return built[expr]


# ------------------------------------------------------------------------ from SymPy
def _fold(cls, args):
    """SymPy's Max and Min take any number of arguments; symdiff's take two."""
    result = args[0]
    for arg in args[1:]:
        result = cls(result, arg)
    return result


def _max(*args):
    if len(args) == 2 and ZERO in args:             # Max(u, 0) is how relu went out
        return Relu(args[1] if args[0] is ZERO else args[0])
    return _fold(Max, args)


def _heaviside(u, h0=Fraction(1, 2)):
    """Heaviside(u, H0) is step(u) away from 0 and H0 at 0 (SymPy's default H0 is 1/2)."""
    return Add(Step(u), Mul(h0, Add(1, Mul(-1, Abs(Sign(u))))))


def _log(u, base=None):
    return Log(u) if base is None else Mul(Log(u), Pow(Log(base), -1))


FROM_SYMPY = {v: k for k, v in TO_SYMPY.items() if isinstance(v, type)}
FROM_SYMPY.update({sympy.Max: _max, sympy.Min: lambda *a: _fold(Min, a),
                   sympy.Heaviside: _heaviside, sympy.log: _log})


def _leaf(node: sympy.Basic) -> Expr | None:
    """The symdiff node for a SymPy atom, None for a supported compound, else an error."""
    if isinstance(node, sympy.Integer):
        return Const(int(node))
    if isinstance(node, sympy.Rational):
        return Const(Fraction(int(node.p), int(node.q)))
    if isinstance(node, sympy.Float):
        return Const(float(node))                   # symdiff floats are doubles
    if node is sympy.pi:
        return PI
    if node is sympy.E:
        return E
    if isinstance(node, sympy.Symbol):
        if not node.name.isidentifier():
            raise ConversionError(f"SymPy symbol {node.name!r} is not a valid variable name")
        return Var(node.name)
    if type(node) in FROM_SYMPY:
        return None
    if node is sympy.I:
        raise ConversionError("SymPy's I has no counterpart: symdiff works over the reals")
    raise ConversionError(f"SymPy's {type(node).__name__} has no symdiff counterpart")


def from_sympy(expr) -> Expr:
    """The symdiff expression for a SymPy one (numbers are accepted as they are)."""
    if not isinstance(expr, sympy.Basic):
        return as_expr(expr)
    built: dict[int, Expr] = {}      # by id: hashing a deep SymPy tree could itself recurse
    stack = [(expr, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in built:
            continue
        if children_done:
            built[id(node)] = FROM_SYMPY[type(node)](*(built[id(a)] for a in node.args))
            continue
        leaf = _leaf(node)
        if leaf is not None:
            built[id(node)] = leaf
            continue
        stack.append((node, True))
        stack.extend((a, False) for a in node.args if id(a) not in built)
    return built[id(expr)]
