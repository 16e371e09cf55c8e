"""How ``Expr``'s convenience methods reach the layers above the core without importing them.

Printing registers "text", the parser "parse", the evaluator "evaluate", and so on, when they
are imported; ``str(e)`` or ``e.evaluate(...)`` then calls the registered function. The core
never imports a layer above it.
"""
from __future__ import annotations

#: The operations ``Expr``'s convenience methods delegate to, by name.
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
