"""SymPy as an oracle: ``sympy.diff`` of the same formula, evaluated to 30 digits.

SymPy is the slow one, so it is bounded: it is left out for formulas of more than
``max_nodes`` nodes (its differentiation recurses and its output can explode), and consulted
no more once ``seconds`` have been spent on it. It is never handed unbounded arithmetic:
a formula holding a power of numbers past symdiff's budget for exact numbers
(``x^(9^9^9)``, whose exponent has 370 million digits) is left out, and the report says so. SymPy itself is imported only when a check
asks for it. The budget is checked between SymPy calls,
so one call on a formula within the size limit may overrun it a little.
"""
from __future__ import annotations

import math
import time

from ..core.nodes import Expr
from ..core.walk import node_count
from ..interop.sympy_bridge import sympy_size_problem, to_sympy


class SymPyOracle:
    """SymPy's derivatives of the formula, within a size limit and a time budget."""

    def __init__(self, expr: Expr, names: list[str], hessian: list[str] | None,
                 max_nodes: int, seconds: float):
        """``hessian``: the variables of the Hessian block to compute (None: no Hessian)."""
        self.names, self.seconds, self.spent = names, seconds, 0.0
        self.note, self.gradient, self.hessian = "", [], None
        size = node_count(expr)
        if max_nodes <= 0:
            self.note = "not used"
        elif size > max_nodes:
            self.note = f"left out: the formula has {size} nodes (more than {max_nodes})"
        elif (problem := sympy_size_problem(expr)) is not None:
            self.note = f"left out: {problem}"
        else:
            self._timed(self._differentiate, expr, hessian)

    def _timed(self, work, *args):
        start = time.perf_counter()
        try:
            return work(*args)
        except RecursionError:
            self.note = "left out: SymPy ran out of stack (a deep formula)"
        except Exception as error:      # SymPy's own failures must not stop the check
            self.note = f"left out: SymPy failed ({type(error).__name__}: {str(error)[:80]})"
        finally:
            self.spent += time.perf_counter() - start
            if self.spent > self.seconds and not self.note:
                self.note = f"stopped after {self.seconds:g} s (sympy_seconds)"
        return None

    def _differentiate(self, expr: Expr, hessian: list[str] | None) -> None:
        import sympy        # on first use: importing it costs about half a second

        self.symbols = [sympy.Symbol(name, real=True) for name in self.names]
        f = to_sympy(expr)
        self.gradient = [sympy.diff(f, s) for s in self.symbols]
        if hessian is not None:
            rows = [self.names.index(name) for name in hessian]
            self.hessian = [sympy.diff(self.gradient[i], self.symbols[j])
                            for k, i in enumerate(rows) for j in rows[k:]]

    def values(self, point: dict) -> tuple[list, list | None] | None:
        """SymPy's (gradient, Hessian's upper triangle) at ``point``, None for an entry that
        is not a real number; None when SymPy is left out or out of time."""
        if self.note:
            return None
        subs = dict(zip(self.symbols, (point[n] for n in self.names)))
        return self._timed(lambda: ([_real(g, subs) for g in self.gradient],
                                    None if self.hessian is None
                                    else [_real(h, subs) for h in self.hessian]))


def _real(expr, subs) -> float | None:
    """A SymPy expression's value to 30 digits, or None where it is not a finite real."""
    try:
        value = complex(expr.evalf(30, subs=subs))
    except (TypeError, ValueError, ArithmeticError, NotImplementedError):
        return None
    if not math.isfinite(value.real) or abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        return None
    return value.real
