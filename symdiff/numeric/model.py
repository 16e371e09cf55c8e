"""Formula files with definitions: ``read_program`` reads a file of statements
(``syntax.program``) and makes its ``define`` lines into functions of your own
(``define_function``), which is why it lives here, above the parser."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..core.nodes import Expr
from ..syntax.program import Program, parse_program
from .define import define_function


def _define(name: str, params: Sequence[str], body: Expr):
    return define_function(name, list(params), body)


def read_program(text: str, source: str | None = None, functions: Iterable[str] = (),
                 definitions: Iterable[str] = (), outputs: Sequence[str] | None = None
                 ) -> Program:
    """Read a formula file's text (comments, ``define f(u) = ...``, ``function f``,
    ``name = formula`` and formulas; see ``syntax.program``) into a ``Program`` whose
    ``results`` are (name or None, formula) pairs. ``definitions`` are more definitions such
    as ``"softplus2(u) = log(1 + exp(u))"`` (the command line's --define), read first;
    ``functions`` names undefined functions; ``outputs`` picks named results."""
    for number, definition in enumerate(definitions, 1):
        parse_program(definition, source=f"--define {number}", define=_define,
                      functions=functions, allow_empty=True)
    return parse_program(text, source, functions, _define, outputs)
