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

_MASK = 0xFFFFFFFFFFFFFFFF


def mix(tag: int, parts) -> int:
    """A deterministic 64-bit structural hash (tie-breaker for ordering)."""
    return hash((tag, *parts)) & _MASK


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


# The keys of the three arithmetic kinds, written out: one of them is computed for almost every
# node a derivative builds. They equal ``composite_key``'s (tests compare them).
_TAG_ADD, _TAG_MUL, _TAG_POW = tag("Add"), tag("Mul"), tag("Pow")


def sum_key(args: tuple) -> tuple:
    """The sort key of the sum of ``args`` (canonical terms, two or more)."""
    first, second = args[0].sort_key, args[1].sort_key
    readable = (first[1] + "+" + second[1] + "+" + args[2].sort_key[1] if len(args) > 2
                else first[1] + "+" + second[1])
    hashed = (hash((_TAG_ADD, first[2], second[2])) if len(args) == 2
              else hash((_TAG_ADD, *[a.sort_key[2] for a in args])))
    return (RANK_ADD, readable[:SIGNATURE_LENGTH], hashed & _MASK)


def product_key(args: tuple, body: tuple) -> tuple:
    """The sort key of the product of ``args``; ``body`` is ``args`` without the leading
    number, if there is one (its rank and signature are the first factors')."""
    first = body[0].sort_key
    if len(body) == 1:
        readable = first[1][:SIGNATURE_LENGTH]
    elif len(body) == 2:
        readable = (first[1] + body[1].sort_key[1])[:SIGNATURE_LENGTH]
    else:
        readable = (first[1] + body[1].sort_key[1] + body[2].sort_key[1])[:SIGNATURE_LENGTH]
    hashed = (hash((_TAG_MUL, args[0].sort_key[2], args[1].sort_key[2])) if len(args) == 2
              else hash((_TAG_MUL, *[a.sort_key[2] for a in args])))
    return (first[0], readable, hashed & _MASK)


def power_key(base, exponent) -> tuple:
    """The sort key of ``base ^ exponent``: ordered with its base, then by the exponent."""
    b, e = base.sort_key, exponent.sort_key
    return (b[0], (b[1] + "^" + e[1])[:SIGNATURE_LENGTH], hash((_TAG_POW, b[2], e[2])) & _MASK)
