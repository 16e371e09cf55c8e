"""The node store behind hash-consing: the fields every node has, the table that keeps one
node per distinct expression, and the making of new nodes.

Nodes are looked up by a structural key (their class and arguments, or their value or name)
and held weakly, so an expression nobody uses any more is freed and its entry removed. The
table is a plain dict of keyed weak references, as ``weakref.WeakValueDictionary`` keeps
internally, without its per-call Python overhead: node construction is the hot path of every
derivative. This module is the part of the core a compiled store could replace.
"""
from __future__ import annotations

import gc
import threading
import weakref
from _weakref import _remove_dead_weakref


class Node:
    """The stored fields of a node: its children, its sort key (``core.order``) and its
    degree, written once by ``create``. ``core.expr.Expr`` adds the behaviour."""

    __slots__ = ("args", "sort_key", "degree", "__weakref__")


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

# The slots' own setters: nodes refuse ordinary attribute assignment.
_new = object.__new__
_set = object.__setattr__
_set_args = Node.args.__set__
_set_sort_key = Node.sort_key.__set__
_set_degree = Node.degree.__set__


def nodes_created() -> int:
    """Nodes created so far in this process (kept or thrown away): compare two readings."""
    return _CREATED[0]


def live_nodes() -> list:
    """Every node alive now: what a cost test compares a result with, to count the nodes a
    computation created and kept."""
    return [node for node in (ref() for ref in list(_INTERN.values())) if node is not None]


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
    """A new node entered in the intern table (the caller has looked the key up). Should
    another thread have entered the same key meanwhile, its node is returned instead, so
    there is one node per formula in every thread (``tests/test_threads.py`` stresses it)."""
    node = _new(cls)
    _set_args(node, args)
    _set_sort_key(node, sort_key)
    _set_degree(node, degree)
    if fields:
        for name, value in fields.items():
            _set(node, name, value)
    ref = _Ref(node, _forget)
    ref.key = key
    while True:
        # setdefault is one atomic step of the dict (under the GIL, and under free-threaded
        # CPython's per-dict lock): of two threads entering one key, exactly one wins.
        entered = _INTERN.setdefault(key, ref)
        if entered is ref:
            break
        other = entered()
        if other is not None:
            return other
        # The entry's node has died and its callback has not run yet: remove the entry only
        # while it is still that dead reference (atomic too), then try again. Never
        # overwriting an entry is what keeps a node another thread entered meanwhile.
        _remove_dead_weakref(_INTERN, key)
    _CREATED[0] += 1
    return node


class _CollectorPause:
    """Keeps Python's cyclic garbage collector off while at least one holder is inside.

    Nodes only point at their children, so they never form reference cycles: freeing them is
    reference counting's work, and the collector only walks the growing heap again and again
    while a sweep builds tens of thousands of them (half the time at n = 10^4). Re-entrant and
    thread-safe; the collector is switched back on when the last holder leaves, and only if it
    was on when the first came in."""

    def __init__(self):
        self._lock = threading.Lock()
        self._holders = 0
        self._was_enabled = False

    def __enter__(self):
        with self._lock:
            if self._holders == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._holders += 1
        return self

    def __exit__(self, *exc_info):
        with self._lock:
            self._holders -= 1
            if self._holders == 0 and self._was_enabled:
                gc.enable()
        return False


#: ``with collector_paused: ...`` around a computation that builds many nodes.
collector_paused = _CollectorPause()
