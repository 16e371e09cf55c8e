"""The ``"c"`` backend's code: straight-line C99 from the shared analysis (``program``).

Every operation is one statement, ``const double t<k> = ...;``, in topological order (no
recursion: 100,000-deep formulas generate), so a shared node is computed once; constants
are folded; powers are as in ``program`` (u*u, u*u*u, a division for u^-k, sqrt(u) for
u^(1/2), pow otherwise). A function is its declaration's C form (``asin``, a
``symdiff_sign`` helper it gives) or, without one, a ``symdiff_fn_<name>`` helper compiled
from its body (sec(u) = 1/cos(u)). The generated source defines three functions:

* ``void NAME(const double *in, double *out)``: ``in[j]`` is variable j, ``out[k]`` result k
  (the expressions in order, nested lists row by row);
* ``void NAME_points(long n, const double *in, long in_stride, double *out, long
  out_stride)``: n points, variable j of point p at ``in[j*in_stride + p]``, result k at
  ``out[k*out_stride + p]`` (a NumPy (variables, n) block in, (results, n) out);
* ``void NAME_rows(long n, const double *const *in, const long *in_step, double *out, long
  out_stride)``: the same from a row per variable, variable j of point p at
  ``in[j][p*in_step[j]]`` (NumPy arrays as they are, a step of 0 for one value).

``in`` and ``out`` must not overlap. Outside the domain the values are C's (IEEE): NaN
(``log(-1)``, ``sqrt(-1)``, ``asin(2)``, the helpers where ``evaluate`` raises) or ±inf
(``1/0``, ``log(0)``), with no error; an infinity on the way may be absorbed (exp(-1/0) is
0), so a finite value does not prove the point is in the domain.

Compilers slow down faster than linearly on long functions (gcc -O1 takes minutes on one
of 10^5 statements, and the time grows with the operands a function reads), so
``c_source`` cuts a program of more than ``PART`` operands into functions of about that
size, values read across them going through a workspace ``w``; ``c_compile`` compiles a
large program at a lower level, as several files side by side (``CALL_COST``).

Names in the source are symdiff's own (``in``, ``out``, ``a<j>``, ``t<k>``, ``w``, the C
library's, the helpers'); no text a user typed is in it except variable
names in comments, and only when made of letters, digits and ``_`` (others are shown as
their code points).
"""
from __future__ import annotations

import math
import re

from .program import Program, code_form, code_name
from ..core.nodes import Add, Const, Expr, Mul, Pow, Var
from ..syntax.template import body_of

#: Operands read per C function, about (a statement counts one more).
PART = 2000
#: Operands per statement of a wide sum or product (``t = t + ...`` continues it).
CHUNK = 64
#: Points computed per block by ``NAME_points`` and ``NAME_rows`` (gathered together; the
#: fastest of 8 to 256 on the benchmark's gradients, bench_codegen.py).
BLOCK = 128
#: A workspace of up to this many doubles is on the stack; a larger one is malloc'd.
STACK_DOUBLES = 8192
NOINLINE = """#if defined(__GNUC__) || defined(__clang__)
#define SYMDIFF_NOINLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#define SYMDIFF_NOINLINE __declspec(noinline)
#else
#define SYMDIFF_NOINLINE
#endif
"""
#: Parts in files of their own: external, but not exported from the compiled module.
HIDDEN = """#if defined(__GNUC__) || defined(__clang__)
#define SYMDIFF_PART __attribute__((noinline, visibility("hidden")))
#else
#define SYMDIFF_PART
#endif
"""
#: A function call's compile time, over an arithmetic operation's (``c_source.cost``).
CALL_COST = 4
_SAFE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class NoCCode(ValueError):
    """A function with no C form and no body (declared with a float implementation only)."""


def c_literal(value: float) -> str:
    """A double's C text, exact (``repr``): negative ones in parentheses."""
    if math.isnan(value):
        return "NAN"
    if math.isinf(value):
        return "HUGE_VAL" if value > 0 else "(-HUGE_VAL)"
    text = repr(float(value))
    return f"({text})" if text.startswith("-") else text


def shown_name(name: str) -> str:
    """A variable's name as a comment may show it: as it is when made of safe characters,
    otherwise its code points (``<U+03B8>``), so no text can end the comment or the line."""
    if name.isascii() and _SAFE.fullmatch(name):
        return name
    return "".join(c if c.isascii() and (c.isalnum() or c == "_") else f"<U+{ord(c):04X}>"
                   for c in name)


class CCode(Program):
    """The statements of the C code, each a target node and its right-hand side in pieces:
    text, and nodes (operands, named where the code is laid out)."""

    backend = "c"

    def __init__(self, exprs, vars):
        super().__init__(exprs, vars)
        self.index = {var: i for i, var in enumerate(self.arg)}
        #: u^-k read once, by a product: written there as a division by u^k
        self.absorbed: set[Expr] = set()
        for node in self.order:
            if type(node) is Mul and self.computed(node):
                for factor in node.args:
                    if type(factor) is Pow and self.uses.get(factor) == 1 \
                            and self.computed(factor) and self._divides(factor):
                        self.absorbed.add(factor)
        #: (node, declaration, pieces, last): the declaration is "const double ", or
        #: "double " for the first of a wide node's chunks, "" for the others; ``last``: the
        #: node's value is complete
        self.statements: list[tuple[Expr, str, list, bool]] = []
        for node in self.order:
            if self.computed(node) and node not in self.absorbed:
                self._statement(node)
        #: each computed node's number, in the order computed: its local is ``t<number>``
        self.number: dict[Expr, int] = {}
        for node, declared, _, _ in self.statements:
            if declared:
                self.number[node] = len(self.number)

    # ------------------------------------------------------------------ one node
    def _divides(self, node: Pow) -> bool:
        form = self.power_form(node)
        return form[0] in ("product", "int", "sqrt") and form[1] < 0

    def operand(self, node: Expr):
        """A constant's literal, or the node itself (a variable or a computed value)."""
        return c_literal(self.value_of[node]) if node in self.value_of else node

    def _divisor(self, node: Pow) -> list:
        """u^k for u^-k, as the right operand of a division."""
        base, (kind, k) = self.operand(node.args[0]), self.power_form(node)
        if kind == "sqrt":
            return [self.call("sqrt") + "(", base, ")"]
        if kind == "int":
            return [self.call("pow") + "(", base, f", {c_literal(-k)})"]
        return [base] if k == -1 else ["(", *self._repeat(base, -k), ")"]

    @staticmethod
    def _repeat(base, k: int) -> list:
        pieces = [base]
        for _ in range(k - 1):
            pieces += [" * ", base]
        return pieces

    def _power(self, node: Pow) -> list:
        base, exponent = (self.operand(a) for a in node.args)
        form = self.power_form(node)
        if self._divides(node):
            return ["1.0 / ", *self._divisor(node)]
        if form[0] == "product":
            return self._repeat(base, form[1])
        if form[0] == "sqrt":
            return [self.call("sqrt") + "(", base, ")"]
        power = exponent if form[0] == "symbolic" else c_literal(form[1])
        return [self.call("pow") + "(", base, ", ", power, ")"]

    def _product_items(self, factors) -> list[tuple[str, list]]:
        """(operator, pieces) per factor: the coefficient, the factors, the divisions."""
        coefficient = 1.0
        if type(factors[0]) is Const:
            coefficient, factors = float(factors[0].value), factors[1:]
        top = [(" * ", [self.operand(f)]) for f in factors if f not in self.absorbed]
        bottom = [(" / ", self._divisor(f)) for f in factors if f in self.absorbed]
        if coefficient == -1.0 and top:
            top[0] = ("-", top[0][1])
        elif coefficient != 1.0 or not top:
            top.insert(0, ("", [c_literal(coefficient)]))
        else:
            top[0] = ("", top[0][1])
        return top + bottom

    def _items(self, node: Expr) -> list[tuple[str, list]]:
        if type(node) is Add:
            return [(" + " if i else "", [self.operand(t)]) for i, t in enumerate(node.args)]
        return self._product_items(node.args)

    def _statement(self, node: Expr) -> None:
        """The statements computing ``node``: one, or a wide sum or product's chunks."""
        kind = type(node)
        if kind in (Add, Mul):
            items = self._items(node)
            chunks = range(0, len(items), CHUNK)
            for start in chunks:
                pieces = [node] if start else []
                for op, operand in items[start:start + CHUNK]:
                    pieces += [op, *operand]
                declared = "" if start else "const double " if len(chunks) == 1 else "double "
                self.statements.append((node, declared, pieces, start == chunks[-1]))
            return
        if kind is Pow:
            pieces = self._power(node)
        else:
            name, operands = self.function_call(node)
            pieces = [name + "("]
            for i, o in enumerate(operands):
                pieces += [", "] * bool(i) + [self.operand(node.args[o]) if type(o) is int
                                               else f"({o})" if o.startswith("-") else o]
            pieces.append(")")
        self.statements.append((node, "const double ", pieces, True))

    def function_call(self, node) -> tuple[str, tuple]:
        """(name, operands): the declaration's C form, and its helper joins the code; else a
        helper compiled from the body (``symdiff_fn_sec``), after the helpers it calls."""
        kind = type(node)
        form = code_form(kind, "c")
        if form is not None:
            if kind.spec.c_helper:
                self.helper_sources.setdefault(form[0], kind.spec.c_helper)
            return self.call(form[0]), form[1]
        body = body_of(kind)
        if body is None:
            raise NoCCode(f"no C code for {kind.name}: it is declared with a float "
                          "implementation only (no C form and no body)")
        name = code_name("symdiff_fn_", kind.name)
        if name not in self.helper_sources:
            inner = CCode(body.expr, list(body.params))
            source = inner.helper_function(name, len(body.params))
            for helper, text in inner.helper_sources.items():
                self.helper_sources.setdefault(helper, text)
            self.used |= inner.used
            self.helper_sources[name] = source
        return self.call(name), tuple(range(kind.arity))

    # ------------------------------------------------------------------ layout
    def lines(self, statements, names: dict, after: dict, stored=None) -> list[str]:
        """C lines of ``statements``, reading each variable from ``in`` (and each node of
        ``stored``, node -> its workspace slot, computed by an earlier function) into a
        local before its first use, unless ``names`` names it already; ``names``: node ->
        its local, filled in as nodes are computed; ``after``: node -> where its value is
        stored once computed (``out[2]``, ``w[3]``). One load per value: compilers take
        long over many loads of one slot."""
        text = []
        stored = stored or {}
        for node, declared, pieces, last in statements:
            for read in dict.fromkeys(p for p in pieces if type(p) is not str and p not in names):
                if type(read) is Var:
                    j = self.index[read]
                    names[read] = f"a{j}"
                    text.append(f"const double a{j} = in[{j}];")
                elif read in stored:
                    names[read] = f"t{self.number[read]}"
                    text.append(f"const double {names[read]} = w[{stored[read]}];")
            if declared:
                names[node] = f"t{self.number[node]}"
            right = "".join(p if type(p) is str else names[p] for p in pieces)
            text.append(f"{declared}{names[node]} = {right};")
            if last:
                text += [f"{target} = {names[node]};" for target in after.get(node, ())]
        return text

    def helper_function(self, name: str, arity: int) -> str:
        """``static double name(double a0, ...)``, returning the one output."""
        names = {var: f"a{j}" for var, j in self.index.items()}
        body = self.lines(self.statements, names, {})
        out = self.outputs[0]
        result = c_literal(self.value_of[out]) if out in self.value_of else names[out]
        params = ", ".join(f"double a{i}" for i in range(arity))
        return (f"static double {name}({params})\n{{\n"
                + "".join(f"    {line}\n" for line in body)
                + f"    return {result};\n}}\n")
