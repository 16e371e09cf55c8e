"""Sort keys: the deterministic argument order of sums and products, computed in O(1) per node.

Every node carries a flat ``sort_key`` built from its children's keys (never by walking its
subtree), so ordering costs the same 100,000 levels deep: (rank, readable signature, 64-bit
structural hash). The signature is the first characters of the printed form, so ``2*x*y``
orders before ``x*z`` the way a reader expects; the hash breaks ties between long formulas.
"""
from __future__ import annotations

import functools
import zlib

#: Characters of the readable part of a sort key.
SIGNATURE_LENGTH = 24
#: Sort ranks: numbers, named constants, variables, function calls, sums (2*pi*x*sin(x)*(x + 1)).
RANK_CONST, RANK_CONSTANT, RANK_VAR, RANK_FUNCTION, RANK_ADD = range(5)


def mix(tag: int, parts) -> int:
    """A deterministic 64-bit structural hash (tie-breaker for ordering)."""
    return hash((tag, *parts)) & 0xFFFFFFFFFFFFFFFF


@functools.lru_cache(maxsize=None)
def tag(name: str) -> int:
    """A stable number for a name (the same in every run, unlike ``hash`` of a string)."""
    return zlib.crc32(name.encode())


def signature(*parts: str) -> str:
    """The readable part of a sort key: the first characters of the parts, joined."""
    return "".join(parts)[:SIGNATURE_LENGTH]


def composite_key(cls, rank: int, readable: str, args) -> tuple:
    """The sort key of a sum or product of ``args``."""
    return (rank, readable[:SIGNATURE_LENGTH], mix(tag(cls.__name__), [a.sort_key[2] for a in args]))
