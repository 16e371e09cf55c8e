"""What both code generators share: the analysis of the expressions being compiled.

``Program`` visits the DAG in topological order (no recursion: formulas 100,000 levels
deep compile), so that the code computes every node once (shared subexpressions are computed
once). It finds the outputs and the layout of the result (``flatten``), matches variables to
arguments, folds constant subexpressions, counts how often each live node is read and
decides how each power is computed (``u^2`` and ``u^3`` as products, ``u^-k`` as a
division, ``u^(1/2)`` as ``sqrt(u)``). A function's call is its declaration's
code form for the backend (``asin``, ``heaviside(u, 0.0)``), with the helper function the
declaration gives when the backend's module has none; a function with no code form is a
helper compiled from its declared body (sec(u) = 1/cos(u)). The backends, ``math_code`` and
``numpy_code``, turn that analysis into code.
"""
from __future__ import annotations

import ast
import builtins
import functools
import keyword
import re
import unicodedata

from ..calculus.diff import as_vars
from ..core.declarations import Function, call_form
from ..core.errors import EvaluationError
from ..core.nodes import Const, Constant, Expr, Pow, Var, as_expr
from ..core.undefined import AppliedFunction
from ..core.walk import fold, natural_key, rebuild
from ..numeric.evaluate import evaluate
from ..printing.text import to_text
from ..syntax.template import body_of

#: Integer exponents written as products (u*u, u*u*u) rather than with a power.
EXPANDED = (2, 3)
#: An argument's name in the code as first generated (``_a0``): ``with_parameters`` renames.
_ARGUMENT = re.compile(r"(?<!\w)_a(\d+)(?!\w)")


def literal(value: float) -> str:
    return repr(float(value))


def code_name(prefix: str, name: str) -> str:
    """The identifier of a helper for the function ``name`` (``_fn_sec``): ``prefix + name``
    for an ASCII name; otherwise ``prefix`` with ``u`` and the name's code points
    (``_fnu_ff53``), since Python folds identifiers by NFKC (``ｓｅｃ`` is ``sec`` to it)
    and two names that fold alike would be one helper. One identifier per name."""
    if name.isascii() and name.isidentifier():
        return prefix + name
    return prefix.rstrip("_") + "u_" + "_".join(f"{ord(char):x}" for char in name)


@functools.lru_cache(maxsize=None)
def code_form(kind: type, backend: str) -> tuple[str, tuple] | None:
    """(function name, operands) of a declared function's code form for a backend (an
    operand is an argument's index or a number's text), or None if it has none."""
    spec = kind.spec
    text = getattr(spec, backend, "") if spec is not None else ""
    return call_form(text, spec.params) if text else None


@functools.lru_cache(maxsize=None)
def helper_names(source: str) -> tuple[str, ...]:
    """The module-level names a helper's source reads (math's copysign, numpy's where)."""
    function = ast.parse(source).body[0]
    local = {a.arg for a in function.args.args} | {
        n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return tuple(sorted({n.id for n in ast.walk(function) if isinstance(n, ast.Name)
                         and isinstance(n.ctx, ast.Load)} - local))


def _constant_value(node: Expr, args: list) -> float | None:
    """The float value of a constant node (as ``evaluate`` computes it), None for a node
    that depends on a variable or has no value (log(-1) stays as code)."""
    kind = type(node)
    if kind is Const:
        try:
            return float(node.value)
        except OverflowError:
            raise EvaluationError(f"the constant {node} is too large for a float") from None
    if kind is Constant:
        return node.value
    if not node.args or None in args:
        return None
    try:
        return evaluate(rebuild(node, [Const(a) for a in args]), {})
    except (EvaluationError, ArithmeticError, ValueError):
        return None


class Program:
    """What both backends need: the outputs and the layout of the result, the arguments,
    constant subexpressions folded, and how often each live node is read."""

    backend = ""

    def __init__(self, exprs, vars):
        self.outputs, self.layout = flatten(exprs)
        values = fold(self.outputs, _constant_value)
        #: every node, children first (the fold's memo is filled in topological order)
        self.order: list[Expr] = list(values)
        #: the float value of every constant node that has one
        self.value_of: dict[Expr, float] = {n: v for n, v in values.items() if v is not None}
        undefined = next((n for n in self.order if type(n) is AppliedFunction), None)
        if undefined is not None:
            raise EvaluationError(
                f"cannot compile {to_text(undefined, max_length=60)}: {undefined.name} is an "
                "undefined function, with no formula to compute; give it one with "
                "define_function, or replace it with substitute_function")
        if vars is None:
            vars = sorted({node.name for node in self.order if type(node) is Var}, key=natural_key)
        self.vars = tuple(v.name for v in as_vars(vars))
        self.arg = {Var(name): f"_a{i}" for i, name in enumerate(self.vars)}
        missing = [n.name for n in self.order if type(n) is Var and n not in self.arg]
        if missing:
            raise EvaluationError(f"no value for variable '{missing[0]}': it is not among the "
                                  f"arguments ({', '.join(self.vars) or 'none'})")
        self.used: set[str] = set()
        #: helper functions the code calls, name -> source (from the declarations)
        self.helper_sources: dict[str, str] = {}
        #: functions known only by their float implementation, name in the code -> class
        self.injected: dict[str, type] = {}
        self._count_uses()

    def _count_uses(self):
        """``uses``: how often each live node is read (an output once per appearance). Nodes
        only below folded constants are not live."""
        uses: dict[Expr, int] = {}
        for out in self.outputs:
            uses[out] = uses.get(out, 0) + 1
        for node in reversed(self.order):
            if node in uses and node not in self.value_of:
                for arg in node.args:
                    uses[arg] = uses.get(arg, 0) + 1
        self.uses = uses

    def computed(self, node: Expr) -> bool:
        """Is ``node`` an operation the code performs (live, not a variable or a constant)?"""
        return node in self.uses and node not in self.value_of and type(node) is not Var

    def power_form(self, node: Pow):
        """How ``u^k`` is computed: ("product", k) for u*u, u*u*u, 1/u and the reciprocals
        of the first two, ("sqrt", ±1), ("int", k), ("real", k) for other known exponents,
        ("symbolic",) otherwise."""
        k = self.value_of.get(node.args[1])
        if k is None:
            return ("symbolic",)
        if k.is_integer() and abs(k) <= 2 ** 31:
            k = int(k)
            return ("product", k) if abs(k) in EXPANDED or k == -1 else ("int", k)
        if abs(k) == 0.5:
            return ("sqrt", 1 if k > 0 else -1)
        return ("real", k)

    def call(self, name: str) -> str:
        self.used.add(name)
        return name

    def function_call(self, node: Function) -> tuple[str, tuple]:
        """(name, operands) of a function node's call: its code form, whose helper (if any)
        joins the code; without one, a helper made from its body (``_fn_sec``); without a
        body, its float implementation, under ``_call_name``."""
        kind = type(node)
        form = code_form(kind, self.backend)
        if form is not None:
            helper = getattr(kind.spec, f"{self.backend}_helper")
            if helper and form[0] not in self.helper_sources:
                self.helper_sources[form[0]] = helper
                for name in helper_names(helper):
                    self.call(name)
            return self.call(form[0]), form[1]
        body = body_of(kind)
        if body is None:
            name = code_name("_call_", kind.name)
            self.injected[name] = kind
            return self.call(name), tuple(range(kind.arity))
        name = code_name("_fn_", kind.name)
        if name not in self.helper_sources:
            self.helper_sources[name] = ""         # taken: a body cannot call its function
            self.helper_sources[name] = self.body_helper(name, kind, body)
        return self.call(name), tuple(range(kind.arity))

    def body_helper(self, name: str, kind: type, body) -> str:
        """Source of a helper computing a function from its body, compiled as a program of
        its own on its parameters: the arguments are values, as for ``evaluate``, so the
        body's formula never merges with them (1/sec(0) still divides by zero)."""
        program = type(self)(body.expr, list(body.params), **self.helper_options)
        params, code = program.with_parameters(program.body())
        arguments = ", ".join([*params, *self.helper_options.values()])
        lines = [f"def {name}({arguments}):",
                 f'    """{kind.name}({", ".join(body.params)}) = {to_text(body.expr)}."""',
                 *("    " + line for line in code)]
        self.used |= program.used
        self.injected.update(program.injected)
        for helper, source in program.helper_sources.items():
            self.helper_sources.setdefault(helper, source)
        return "\n".join(lines) + "\n"

    #: Keyword arguments of a body helper's program (numpy: the array to write into).
    helper_options: dict = {}
    #: Names of the generated function's own parameters besides the variables.
    reserved: tuple = ()

    def parameters(self) -> list[str]:
        """The parameter names, one per variable, once the code is generated: the variable's
        own name where Python reads it as that name (an NFKC-normal identifier, not a
        keyword or a builtin, not starting with ``_``) and the code does not use it (a
        function it calls, a helper, a helper's ``out``); otherwise symdiff's ``_a0``,
        ``_a1``... (``lambda``, ``exec``, ``add`` in numpy code)."""
        taken = self.used | set(self.helper_sources) | set(self.reserved)
        return [var.name if var.name.isidentifier() and not keyword.iskeyword(var.name)
                and not hasattr(builtins, var.name) and not var.name.startswith("_")
                and var.name not in taken
                and unicodedata.normalize("NFKC", var.name) == var.name else placeholder
                for var, placeholder in self.arg.items()]

    def with_parameters(self, lines: list[str]) -> tuple[list[str], list[str]]:
        """(parameter names, ``lines`` with the arguments ``_a0``... renamed to them)."""
        params = self.parameters()
        if params == list(self.arg.values()):
            return params, lines
        rename = lambda match: params[int(match[1])]     # noqa: E731
        return params, [_ARGUMENT.sub(rename, line) for line in lines]

    def leaf(self, node: Expr) -> str | None:
        """The text of a variable or constant, or None for a computed node."""
        if node in self.value_of:
            return literal(self.value_of[node])
        return self.arg.get(node)

    def helpers(self) -> list[str]:
        """Source of the helper functions the code calls, from the declarations."""
        return list(self.helper_sources.values())

    def body(self) -> list[str]:   # pragma: no cover - each backend overrides it
        raise NotImplementedError


def separated(items) -> list:
    """[0, ", ", 1, ", ", 2]: the layout of a flat list."""
    result: list = []
    for item in items:
        result += [", ", item] if result else [item]
    return result


def one_per_line(layout: list) -> list:
    """The layout with each top-level entry of a list or tuple on a line of its own."""
    if len(layout) < 4:
        return layout
    result, depth = [], 0
    for piece in layout:
        if piece in ("]", ")", ",)"):
            depth -= 1
            if depth == 0:
                piece = ",\n    " + piece.lstrip(",")
        elif piece == ", " and depth == 1:
            piece = ",\n        "
        result.append(piece)
        if piece in ("[", "("):
            if depth == 0:
                result.append("\n        ")
            depth += 1
    return result


def flatten(exprs) -> tuple[list[Expr], list]:
    """The output expressions in order, and the return value's layout: text and output
    indices (``["[", 0, ", ", 1, "]"]``). Lists, tuples and other iterables nest as given."""
    outputs: list[Expr] = []
    layout: list = []
    stack: list = [(False, exprs)]
    while stack:
        is_text, item = stack.pop()
        if is_text:
            layout.append(item)
        elif isinstance(item, Expr) or not hasattr(item, "__iter__") or isinstance(item, str):
            layout.append(len(outputs))
            outputs.append(as_expr(item))
        else:
            children, is_tuple = list(item), isinstance(item, tuple)
            stack.append((True, (",)" if len(children) == 1 else ")") if is_tuple else "]"))
            for i in range(len(children) - 1, -1, -1):
                stack.append((False, children[i]))
                if i:
                    stack.append((True, ", "))
            stack.append((True, "(" if is_tuple else "["))
    return outputs, layout


def nest(values: list, layout: list):
    """The inverse of ``flatten``: ``values`` (one per output) laid out as ``layout`` says,
    in lists and tuples nested as the expressions were."""
    stack: list[list] = [[]]
    for piece in layout:
        if type(piece) is int:
            stack[-1].append(values[piece])
        elif piece in ("[", "("):
            stack.append([])
        elif piece != ", ":
            items = stack.pop()
            stack[-1].append(items if piece == "]" else tuple(items))
    return stack[0][0]
