"""Gradients, Hessians and Jacobians as lists that know their variables.

``Vector`` and ``Matrix`` are ``list`` subclasses, so indexing, ``len``, ``==`` with plain
lists, iteration and ``zip`` work as on the lists they replace; a ``Matrix``'s rows are
``Vector``s. Each remembers the variables it was taken by (``.variables``, in order), so
``dict(zip(g.variables, g))`` names every partial. For notebooks they typeset as a bracketed
matrix (``_repr_latex_``, like SymPy's ``Matrix``); ``repr`` is plain text, one row a line.

``evaluate``, ``to_sympy`` and ``simplify`` belong to layers above this one: they are reached
through ``core.services`` as ``Expr``'s own conveniences are.
"""
from __future__ import annotations

from ..core.nodes import Expr, service

#: A repr or LaTeX form shows at most this many entries per row and rows (then "...").
SHOWN = 40
#: Each entry of a repr is cut to this many characters.
ENTRY_LENGTH = 200


def _text(entry) -> str:
    return service("text")(entry, max_length=ENTRY_LENGTH) if isinstance(entry, Expr) else repr(entry)


def _cut(items: list[str]) -> list[str]:
    return items if len(items) <= SHOWN else items[:SHOWN] + [f"... ({len(items) - SHOWN} more)"]


class Vector(list):
    """A list of expressions, one per variable: a gradient (``.variables`` says by which
    variable each entry is the partial), a Hessian or Jacobian row, a vjp."""

    __slots__ = ("variables",)

    def __init__(self, entries=(), variables=()):
        super().__init__(entries)
        #: the names of the variables the entries go with, in order
        self.variables: tuple[str, ...] = tuple(variables)

    def __reduce__(self):
        return (type(self), (list(self), self.variables))

    @property
    def shape(self) -> tuple[int]:
        return (len(self),)

    def __str__(self):
        return "[" + ", ".join(_cut([_text(e) for e in self])) + "]"

    def __repr__(self):
        return f"Vector({self}, variables={self.variables!r})"

    def _repr_latex_(self) -> str:
        """A column, as SymPy typesets ``Matrix([a, b])``."""
        return _bracketed([[entry] for entry in self])

    def evaluate(self, values=None, /, **kwargs) -> list:
        """The entries' values at a point (``g.evaluate(x=1, y=2)``), in one pass over the
        shared DAG: a list of floats, or of NumPy arrays (elementwise) when some values are
        arrays."""
        return service("values_at")(list(self), _point(values, kwargs))

    def to_sympy(self):
        """A SymPy column ``Matrix`` (n x 1)."""
        import sympy                           # only when asked: import symdiff stays light
        to_sympy = service("to_sympy")
        return sympy.Matrix([[to_sympy(entry)] for entry in self])

    def simplify(self) -> "Vector":
        """The entries simplified together (a shared subexpression once)."""
        return Vector(service("simplify")(list(self)), self.variables)

    def subs(self, mapping=None, /, **kwargs) -> "Vector":
        """Every entry with ``Expr.subs``' substitution."""
        return Vector([entry.subs(mapping, **kwargs) for entry in self], self.variables)


class Matrix(list):
    """A list of rows (``Vector``s): a Hessian (rows and columns by ``.variables``) or a
    Jacobian (one row per function, ``.functions``; columns by ``.variables``)."""

    __slots__ = ("variables", "functions")

    def __init__(self, rows=(), variables=(), functions=None):
        variables = tuple(variables)
        super().__init__(row if isinstance(row, Vector) and row.variables == variables
                         else Vector(row, variables) for row in rows)
        #: the names of the variables of the columns, in order
        self.variables: tuple[str, ...] = variables
        #: a Jacobian's functions (one per row); None for a Hessian
        self.functions: tuple | None = None if functions is None else tuple(functions)

    def __reduce__(self):
        return (type(self), ([list(r) for r in self], self.variables, self.functions))

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self), len(self[0]) if self else len(self.variables))

    def __str__(self):
        return "[" + ", ".join(_cut([str(row) for row in self])) + "]"

    def __repr__(self):
        rows = _cut([str(row) for row in self])
        return "Matrix([" + ",\n        ".join(rows) + f"], variables={self.variables!r})"

    def _repr_latex_(self) -> str:
        return _bracketed(self)

    def evaluate(self, values=None, /, **kwargs) -> list[list]:
        """The entries' values at a point, in one pass: a list of lists of floats, or of
        NumPy arrays (elementwise) when some values are arrays."""
        return service("values_at")([list(row) for row in self], _point(values, kwargs))

    def to_sympy(self):
        """A SymPy ``Matrix`` of the same shape."""
        import sympy
        to_sympy = service("to_sympy")
        return sympy.Matrix([[to_sympy(entry) for entry in row] for row in self])

    def simplify(self) -> "Matrix":
        """The entries simplified together (a Hessian's mirror entries, being one node, once)."""
        flat = [entry for row in self for entry in row]
        simpler = iter(service("simplify")(flat)) if flat else iter(())
        return Matrix([[next(simpler) for _ in row] for row in self], self.variables,
                      self.functions)

    def subs(self, mapping=None, /, **kwargs) -> "Matrix":
        return Matrix([row.subs(mapping, **kwargs) for row in self], self.variables,
                      self.functions)


def _point(values, kwargs) -> dict:
    return {**(values or {}), **kwargs} if kwargs else (values or {})


def _bracketed(rows) -> str:
    """``$\\left[\\begin{matrix}a & b\\\\c & d\\end{matrix}\\right]$``, long rows and columns
    cut with dots."""
    latex = service("latex")
    lines = []
    for i, row in enumerate(rows):
        if i == SHOWN:
            lines.append(r"\vdots")
            break
        cells = [latex(entry) for entry in row[:SHOWN]] + ([r"\cdots"] if len(row) > SHOWN else [])
        lines.append(" & ".join(cells))
    return r"$\left[\begin{matrix}" + r"\\".join(lines) + r"\end{matrix}\right]$"
