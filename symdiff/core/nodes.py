"""Expression nodes: immutable, hash-consed, cheaply canonicalised when built.

There is one object per distinct expression (a weak intern table), so ``a is b`` exactly
when ``a`` and ``b`` are the same formula, shared subexpressions make a DAG for free, and
the hash is the identity hash. Constructors apply only local, always-true rewrites
(flattening, exact constant folding, ``x+0``, ``x*1``, ``x*0``, ``x^1``, ``x^0``, like terms
and like powers, a deterministic argument order); everything heavier is ``simplify``'s job.

Every node carries a flat ``sort_key`` (computed from its children's in O(1)) so argument
order is deterministic across runs and ordering never recurses into deep expressions.
"""
from __future__ import annotations

import bisect
import math
import operator

from . import exact
from .intern import create, intern, lookup
from .order import (RANK_ADD, RANK_CONST, RANK_CONSTANT, RANK_VAR, SIGNATURE_LENGTH, composite_key,
                    mix, signature, tag)

# A number times a sum of at most this many terms is distributed: -(x - y) -> y - x. (Longer
# sums stay factored, so nested differences 100,000 deep still build in linear time.)
DISTRIBUTE_LIMIT = 8
# A sum (product) with more than this many operands is not flattened into an enclosing sum
# (product) but kept as one operand. Flattening copies its operands, so building a chain
# incrementally (the derivative of sin(sin(...(x))) is a product of 100,000 cosines) would
# otherwise cost quadratic time.
FLATTEN_LIMIT = 32


class Expr:
    """Base class of all nodes. ``args`` holds the children; nodes never change."""

    __slots__ = ("args", "sort_key", "degree", "__weakref__")

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} expressions are immutable")

    __delattr__ = __setattr__

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return (service("parse"), (service("text")(self),))

    # -- Python operators build expressions; the reflected ones reuse the core ones --
    def __add__(self, other):
        return Add(self, other)

    def __radd__(self, other):
        return Add(other, self)

    def __sub__(self, other):
        return Add(self, Mul(-1, other))

    def __rsub__(self, other):
        return Add(other, Mul(-1, self))

    def __mul__(self, other):
        return Mul(self, other)

    def __rmul__(self, other):
        return Mul(other, self)

    def __truediv__(self, other):
        return Mul(self, Pow(other, -1))

    def __rtruediv__(self, other):
        return Mul(other, Pow(self, -1))

    def __pow__(self, other):
        return Pow(self, other)

    def __rpow__(self, other):
        return Pow(other, self)

    def __neg__(self):
        return Mul(-1, self)

    def __pos__(self):
        return self

    # -- the public API; each method delegates to the layer that owns the concern, which
    # -- registers itself with ``provide`` (the core never imports the layers above it)
    def __str__(self):
        return service("text")(self)

    def __repr__(self):
        return f"<{type(self).__name__} {service('text')(self, max_length=200)}>"

    def to_str(self, power: str = "^") -> str:
        """Infix text; ``power="**"`` gives Python syntax."""
        return service("text")(self, power=power)

    def to_latex(self) -> str:
        return service("latex")(self)

    def _repr_latex_(self) -> str:
        """LaTeX for notebooks (Jupyter shows expressions typeset)."""
        return f"${service('latex')(self)}$"

    def evaluate(self, values=None, **kwargs) -> float:
        """The real value at a point: ``e.evaluate({"x": 3})`` or ``e.evaluate(x=3)``."""
        return service("evaluate")(self, {**(values or {}), **kwargs})

    def gradient(self, var) -> "Expr":
        """The partial derivative with respect to ``var`` (a ``Var`` or a name): the same node
        as the matching entry of ``symdiff.gradient(self, [..., var, ...])``."""
        return service("gradient")(self, [var])[0]

    def diff(self, *vars) -> "Expr":
        """``symdiff.diff(self, *vars)``: repeated partial derivatives (``e.diff("x", 2)``)."""
        return service("diff")(self, *vars)

    def subs(self, mapping=None, **kwargs) -> "Expr":
        """Every occurrence of each key replaced by its value, all at once: ``e.subs(x=2)``,
        ``e.subs({Var("x"): Var("y")})``; numbers and names are accepted."""
        return service("substitute")(self, _substitutions({**(mapping or {}), **kwargs}))

    def _power_of(self, exponent) -> "Expr | None":
        """Hook for ``Pow``: a node may know a cheaper form of its own power (exp(a)^b = exp(a*b))."""
        return None

    @property
    def free_vars(self) -> tuple[str, ...]:
        """The names of the variables in the expression, sorted."""
        return service("free_vars")(self)


#: The operations ``Expr``'s convenience methods delegate to, registered by the layers that
#: own them (printing registers "text", the parser "parse", ...) when they are imported.
_SERVICES: dict = {}


def provide(name: str, function) -> None:
    """Register the function behind one of ``Expr``'s convenience methods."""
    _SERVICES[name] = function


def service(name: str):
    """The registered function, or a clear error when its layer was never imported."""
    try:
        return _SERVICES[name]
    except KeyError:
        raise RuntimeError(f"symdiff's {name!r} is not loaded: import symdiff") from None


def _substitutions(mapping) -> dict:
    """Keys as nodes (a name means that variable), values as nodes."""
    return {(Var(k) if isinstance(k, str) else as_expr(k)): as_expr(v) for k, v in mapping.items()}


def as_expr(value) -> Expr:
    """Accept an ``Expr`` or a number; anything else is a TypeError (text goes through ``parse``)."""
    if isinstance(value, Expr):
        return value
    if isinstance(value, str):
        raise TypeError(f"use symdiff.parse({value!r}) to turn text into an expression")
    return Const(value)


class Const(Expr):
    """A number: int or Fraction (exact) or float."""

    __slots__ = ("value",)

    def __new__(cls, value):
        kind = type(value)
        if kind is int or kind is float:          # the common case: already interned
            node = lookup((Const, kind, value))
            if node is not None:
                return node
        value = exact.as_number(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"a constant must be a finite number, not {value}")
        key = (Const, type(value), value)
        node = lookup(key)
        if node is not None:
            return node
        sort_key = (RANK_CONST, str(value)[:SIGNATURE_LENGTH] if not isinstance(value, int) or
                    value.bit_length() < 64 else "", mix(1, (type(value).__name__ == "float", value)))
        return create(cls, key, (), sort_key, 0.0, value=value)

    @property
    def is_exact(self) -> bool:
        return exact.is_exact(self.value)


class Var(Expr):
    """A variable, known by its name."""

    __slots__ = ("name",)

    def __new__(cls, name: str):
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"{name!r} is not a valid variable name")
        sort_key = (RANK_VAR, name[:SIGNATURE_LENGTH], mix(tag("Var"), (tag(name), len(name))))
        return intern(cls, (Var, name), (), sort_key, 1.0, name=name)


class Constant(Expr):
    """A named mathematical constant (``pi``, ``e``) kept exact."""

    __slots__ = ("name", "value")

    def __new__(cls, name: str, value: float):
        sort_key = (RANK_CONSTANT, name, mix(tag("Constant"), (tag(name),)))
        return intern(cls, (Constant, name), (), sort_key, 0.0, name=name, value=value)

    def _power_of(self, exponent):
        rewrite = POWER_OF_CONSTANT.get(self.name)
        return None if rewrite is None else rewrite(exponent)


#: Named constants whose powers have a cheaper form, by name: "e" -> exp (registered by the
#: function declarations, which sit above the nodes).
POWER_OF_CONSTANT: dict = {}


PI = Constant("pi", 3.141592653589793)
E = Constant("e", 2.718281828459045)

ZERO, ONE, MINUS_ONE = Const(0), Const(1), Const(-1)




def _operands(node: Expr, kind) -> tuple:
    """The operands to merge when ``node`` appears inside a ``kind`` (Add or Mul)."""
    if type(node) is kind and len(node.args) <= FLATTEN_LIMIT:
        return node.args
    return (node,)


# ---------------------------------------------------------------------------- Add
def _split_coefficient(term: Expr):
    """``3*x*y`` -> (3, x*y); ``x`` -> (1, x)."""
    if type(term) is Mul and type(term.args[0]) is Const:
        rest = term.args[1:]
        return term.args[0].value, (rest[0] if len(rest) == 1 else Mul._build(rest))
    return 1, term


def _with_coefficient(coefficient, rest: Expr) -> Expr:
    if coefficient == 1 and exact.is_exact(coefficient):
        return rest
    factors = rest.args if type(rest) is Mul else (rest,)
    return Mul._build((Const(coefficient), *factors))


def _is_zero(value) -> bool:
    return value == 0


class Add(Expr):
    """A sum of two or more terms; constant last, then terms by degree, then by name."""

    __slots__ = ()

    def __new__(cls, *args):
        if len(args) == 2 and type(args[0]) is Const and type(args[1]) is Const:
            return Const(exact.add(exact.add(0, args[0].value), args[1].value))
        constant = 0
        terms: dict[Expr, object] = {}
        alone: dict[Expr, Expr] = {}     # rest -> its term, while no like term joins it
        for arg in args:
            arg = as_expr(arg)
            for term in _operands(arg, Add):
                if type(term) is Const:
                    constant = exact.add(constant, term.value)
                    continue
                coefficient, rest = _split_coefficient(term)
                previous = terms.get(rest)
                if previous is None:
                    terms[rest] = coefficient
                    alone[rest] = term
                else:
                    terms[rest] = exact.add(previous, coefficient)
                    alone.pop(rest, None)
        parts = [(rest, c) for rest, c in terms.items() if not _is_zero(c)]
        parts.sort(key=lambda rc: (-rc[0].degree, rc[0].sort_key))
        result = [alone.get(rest) or _with_coefficient(c, rest) for rest, c in parts]
        if not _is_zero(constant) or not result:
            result.append(Const(constant))
        if len(result) == 1:
            return result[0]
        return cls._build(tuple(result))

    @classmethod
    def _build(cls, args: tuple) -> Expr:
        """Intern already-canonical arguments (no checks)."""
        node = lookup((Add, args))
        if node is not None:
            return node
        sort_key = composite_key(cls, RANK_ADD, "+".join(a.sort_key[1] for a in args[:3]), args)
        degree = max(a.degree for a in args)
        return create(cls, (Add, args), args, sort_key, degree)


# ---------------------------------------------------------------------------- Mul
def _split_power(factor: Expr):
    """``x^3`` -> (x, 3); ``x`` -> (x, 1)."""
    if type(factor) is Pow:
        return factor.args
    return factor, ONE


def _scale_sum(coefficient, total: "Add") -> Expr:
    """``coefficient * (t1 + t2 + ...)`` distributed: each term's own coefficient is scaled.

    Scaling keeps the terms distinct and in order, so the sum is interned directly; only when
    a term's coefficient becomes 0 (a float underflow) or 1, or a term is a long product
    that a product would not flatten, does it go through the general constructors."""
    scaled = []
    for term in total.args:
        kind = type(term)
        if kind is Const:
            value = exact.mul(exact.mul(1, coefficient), term.value)
            if value == 0:
                break
            scaled.append(Const(value))
            continue
        if kind is Mul and len(term.args) > FLATTEN_LIMIT:
            break
        if kind is Mul and type(term.args[0]) is Const:
            value, rest = exact.mul(exact.mul(1, coefficient), term.args[0].value), term.args[1:]
        else:
            value, rest = exact.mul(1, coefficient), (term,) if kind is not Mul else term.args
        if value == 0 or (value == 1 and exact.is_exact(value)):
            break
        scaled.append(Mul._build((Const(value), *rest)))
    else:
        return Add._build(tuple(scaled))
    return Add(*(Mul(coefficient, term) for term in total.args))


def _base(factor: Expr) -> Expr:
    return factor.args[0] if type(factor) is Pow else factor


def _product_of_two(a: Expr, b: Expr) -> "Expr | None":
    """``a * b`` for the common shapes, built straight from canonical operands; None when the
    general path is needed (like bases to merge, a zero, a long product as an operand...).

    Two-factor products are most of what differentiation builds (adjoint * partial), so this
    skips the general constructor's bookkeeping. Tests check it against the general path.
    """
    kind_a, kind_b = type(a), type(b)
    if kind_a is Const and kind_b is Const:
        return Const(exact.mul(exact.mul(1, a.value), b.value))
    if kind_b is Const:
        a, b, kind_a, kind_b = b, a, kind_b, kind_a
    if kind_a is Const:                       # a number times an expression
        c = exact.mul(1, a.value)
        if c == 0:
            return None
        if kind_b is Mul and len(b.args) <= FLATTEN_LIMIT:
            if type(b.args[0]) is Const:
                c, rest = exact.mul(c, b.args[0].value), b.args[1:]
            else:
                rest = b.args
            if c == 0:
                return None
            if c == 1 and exact.is_exact(c):
                return rest[0] if len(rest) == 1 else Mul._build(rest)
            if len(rest) == 1 and type(rest[0]) is Add and len(rest[0].args) <= DISTRIBUTE_LIMIT:
                return None
            return Mul._build((Const(c), *rest))
        if c == 1 and exact.is_exact(c):
            return b
        if kind_b is Add and len(b.args) <= DISTRIBUTE_LIMIT:
            return _scale_sum(c, b)
        return Mul._build((Const(c), b))
    if kind_a is Mul and len(a.args) <= FLATTEN_LIMIT:
        return _extend_product(a, b)
    if kind_b is Mul and len(b.args) <= FLATTEN_LIMIT:
        return _extend_product(b, a)
    if _base(a) is _base(b):
        return None
    return Mul._build((a, b) if a.sort_key <= b.sort_key else (b, a))


def _extend_product(product, factor) -> "Expr | None":
    """``product * factor`` by inserting one new factor into a flattenable canonical product,
    or None when the general path is needed (a number, a product, or a base already present).

    This is the step that grows a chain of factors (the derivative of sin(sin(...))), so it
    avoids re-canonicalising the factors already there.
    """
    if (type(product) is not Mul or len(product.args) > FLATTEN_LIMIT
            or not isinstance(factor, Expr) or type(factor) in (Const, Mul)):
        return None
    base = _base(factor)
    args = product.args
    if any(_base(f) is base for f in args):
        return None
    start = 1 if type(args[0]) is Const else 0
    key = factor.sort_key
    index = bisect.bisect_right(args, key, lo=start, key=_sort_key_of)
    return Mul._build((*args[:index], factor, *args[index:]))


_sort_key_of = operator.attrgetter("sort_key")


class Mul(Expr):
    """A product of two or more factors; numeric coefficient first, then by name."""

    __slots__ = ()

    def __new__(cls, *args):
        if len(args) == 2:                   # the common 1*u and u*1 (adjoints, seeds)
            a, b = args
            if a is ONE and isinstance(b, Expr):
                return b
            if b is ONE and isinstance(a, Expr):
                return a
            if isinstance(a, Expr) and isinstance(b, Expr):
                product = _product_of_two(a, b)
                if product is not None:
                    return product
        if not args:
            return ONE                       # the empty product
        coefficient = 1
        powers: dict[Expr, Expr] = {}
        alone: dict[Expr, Expr] = {}     # base -> its factor, while no other factor shares it
        pending = [as_expr(a) for a in args]
        while pending:
            again = []
            for arg in pending:
                for factor in _operands(arg, Mul):
                    if type(factor) is Const:
                        coefficient = exact.mul(coefficient, factor.value)
                        continue
                    base, exponent = _split_power(factor)
                    previous = powers.get(base)
                    if previous is None:
                        powers[base] = exponent
                        alone[base] = factor
                    else:
                        powers[base] = Add(previous, exponent)
                        alone.pop(base, None)
            if coefficient == 0:
                return Const(coefficient)
            factors = []
            for base, exponent in powers.items():
                factor = alone.get(base)
                if factor is not None:           # unchanged: already a canonical factor
                    factors.append(factor)
                    continue
                factor = base if exponent is ONE else Pow(base, exponent)
                if (type(factor) is Const or len(_operands(factor, Mul)) > 1   # sqrt(2)^2, x^0
                        or _base(factor) is not base):     # exp(y)^2 is exp(2*y): merge again
                    again.append(factor)
                else:
                    factors.append(factor)
            if again:
                powers, alone = {}, {}
                for factor in factors:
                    base, exponent = _split_power(factor)
                    powers[base] = exponent
                    alone[base] = factor
                pending = again
                continue
            break
        factors.sort(key=_sort_key_of)
        if (len(factors) == 1 and type(factors[0]) is Add and len(factors[0].args) <= DISTRIBUTE_LIMIT
                and not (coefficient == 1 and exact.is_exact(coefficient))):
            return _scale_sum(coefficient, factors[0])
        if not (coefficient == 1 and exact.is_exact(coefficient)) or not factors:
            factors.insert(0, Const(coefficient))
        if len(factors) == 1:
            return factors[0]
        return cls._build(tuple(factors))

    @classmethod
    def _build(cls, args: tuple) -> Expr:
        node = lookup((Mul, args))
        if node is not None:
            return node
        body = args[1:] if type(args[0]) is Const else args
        sort_key = composite_key(cls, body[0].sort_key[0],
                                  signature(*(a.sort_key[1] for a in body[:3])), args)
        degree = sum(a.degree for a in args)
        return create(cls, (Mul, args), args, sort_key, degree)


# ---------------------------------------------------------------------------- Pow
class Pow(Expr):
    """``base ^ exponent``. Square roots are ``Pow(u, 1/2)``, quotients use ``Pow(u, -1)``."""

    __slots__ = ()

    def __new__(cls, base, exponent):
        base, exponent = as_expr(base), as_expr(exponent)
        if type(exponent) is Const:
            e = exponent.value
            if type(base) is Const:
                folded = exact.power(base.value, e)
                if folded is not None:
                    return Const(folded)
            if e == 0:
                return Const(1 if exact.is_exact(e) else 1.0)
            if e == 1 and exact.is_exact(e):
                return base
            if exact.is_integer(e):
                if type(base) is Pow:   # (u^a)^n = u^(a*n) for integer n
                    return Pow(base.args[0], Mul(base.args[1], exponent))
                if type(base) is Mul and len(base.args) <= FLATTEN_LIMIT:
                    return Mul(*(Pow(f, exponent) for f in base.args))
        if type(base) is Const and base.value == 1 and exact.is_exact(base.value):
            return base
        rewritten = base._power_of(exponent)
        if rewritten is not None:
            return rewritten
        args = (base, exponent)
        node = lookup((Pow, args))
        if node is not None:
            return node
        sort_key = (base.sort_key[0], signature(base.sort_key[1], "^", exponent.sort_key[1]),
                    mix(tag("Pow"), (base.sort_key[2], exponent.sort_key[2])))
        degree = base.degree
        if type(exponent) is Const and base.degree:
            try:
                degree = base.degree * float(exponent.value)
            except OverflowError:      # an exponent past float range: order it as huge
                degree = float("inf") if exponent.value > 0 else float("-inf")
        return create(cls, (Pow, args), args, sort_key, degree)


