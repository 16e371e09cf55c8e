"""The intern table behind hash-consing: one node object per distinct expression.

Nodes are looked up by a structural key (their class and arguments, or their value or name)
and held weakly, so an expression nobody uses any more is freed and its entry removed. The
table is a plain dict of keyed weak references, as ``weakref.WeakValueDictionary`` keeps
internally, without its per-call Python overhead: node construction is the hot path of every
derivative.
"""
from __future__ import annotations

import weakref
from _weakref import _remove_dead_weakref


class _Ref(weakref.ref):
    """A weak reference that knows its table key (weakref.KeyedRef without the Python-level
    __new__ and __init__)."""

    __slots__ = ("key",)


# Structural key -> weak reference to the one node with that structure. An entry whose node
# died is removed by the reference's callback, unless a new node has replaced it.
_INTERN: dict[tuple, _Ref] = {}


# How many nodes have been created since import, kept or not: the work measure of the cost
# tests (they count nodes, never seconds). A list cell, so creation needs no global statement.
_CREATED = [0]


def nodes_created() -> int:
    """Nodes created so far in this process (kept or thrown away): compare two readings."""
    return _CREATED[0]


def _forget(ref, table=_INTERN, remove=_remove_dead_weakref):
    remove(table, ref.key)


def lookup(key):
    """The live node with this structural key, if there is one."""
    ref = _INTERN.get(key)
    return None if ref is None else ref()


def intern(cls, key, args, sort_key, degree, **fields):
    """The interned node with this key, created if there is none."""
    node = lookup(key)
    if node is None:
        node = create(cls, key, args, sort_key, degree, **fields)
    return node


def create(cls, key, args, sort_key, degree, **fields):
    """A new node, entered in the intern table (the caller has looked the key up)."""
    node = object.__new__(cls)
    setter = object.__setattr__
    setter(node, "args", args)
    setter(node, "sort_key", sort_key)
    setter(node, "degree", degree)
    for name, value in fields.items():
        setter(node, name, value)
    ref = _Ref(node, _forget)
    ref.key = key
    _INTERN[key] = ref
    _CREATED[0] += 1
    return node
