"""Expression nodes: immutable, hash-consed, cheaply canonicalised when built.

The node vocabulary in one import. There is one object per distinct expression (a weak intern
table, ``core.intern``), so ``a is b`` exactly when ``a`` and ``b`` are the same formula,
shared subexpressions make a DAG for free, and the hash is the identity hash. Constructors
apply only local, always-true rewrites (flattening, exact constant folding, ``x+0``, ``x*1``,
``x*0``, ``x^1``, ``x^0``, like terms and like powers, a deterministic argument order);
everything heavier is ``simplify``'s job. Every node carries a flat ``sort_key``
(``core.order``), computed from its children's in O(1), so argument order is deterministic
across runs and ordering never recurses into deep expressions.

The modules, bottom up: ``intern`` (the store), ``expr`` (the base class and the leaves),
``powers``, ``products``, ``sums``.
"""
from __future__ import annotations

from .expr import (E, MINUS_ONE, ONE, PI, POWER_OF_CONSTANT, ZERO, Const, Constant, Expr, Var,
                   as_expr)
from .powers import Pow
from .products import FLATTEN_LIMIT, Mul
from .services import provide, service
from .sums import DISTRIBUTE_LIMIT, Add, held_product

__all__ = ["E", "MINUS_ONE", "ONE", "PI", "POWER_OF_CONSTANT", "ZERO", "Const", "Constant",
           "Expr", "Var", "as_expr", "Pow", "FLATTEN_LIMIT", "Mul", "provide", "service",
           "DISTRIBUTE_LIMIT", "Add", "held_product"]
