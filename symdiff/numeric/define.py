"""Functions of your own: ``define_function`` declares one, and from then on it works
everywhere a built-in does: parse, str, LaTeX, derivatives, gradients and Hessians,
evaluate, lambdify (both backends), to_sympy and check.

A definition is a declaration (``core.declarations.FunctionSpec``) like the built-ins',
plus the entry the oracles need (``oracle_partials``), which is why it lives here, above the
evaluator and the dual numbers. Nodes are interned by their function, so a node of a
function must keep its meaning for as long as it lives: a name, once defined, cannot be
defined again differently (the same definition again is accepted and gives the same
function back), and built-ins cannot be redefined.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from ..calculus.diff import gradient
from ..calculus.partials import templates
from ..core.declarations import ALIASES, FUNCTIONS, Function, FunctionSpec, declare, withdraw
from ..core.errors import EvaluationError
from ..core.functions import BUILTIN
from ..core.nodes import Expr, Var
from ..syntax.parser import BUILDERS, CONSTANTS
from ..syntax.template import Template
from .dual import evaluate_dual
from .evaluate import evaluate
from .oracle_partials import add_oracle

#: What each user function was defined with, to tell the same definition from a new one.
_DEFINITIONS: dict[str, tuple] = {}
_LOCK = threading.Lock()


def _names(params) -> tuple[str, ...]:
    """Parameter names from a list or one comma-separated string ("a, b")."""
    names = params.split(",") if isinstance(params, str) else list(params)
    names = tuple(str(n).strip() for n in names)
    if not names or len(set(names)) != len(names):
        raise ValueError(f"the parameters must be distinct names, at least one: {names}")
    return names


def _check_name(name: str, role: str) -> None:
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"{name!r} is not a valid {role} name")
    if name in CONSTANTS:
        raise ValueError(f"'{name}' is a constant; choose another {role} name")
    if name in BUILDERS:
        raise ValueError(f"'{name}' builds other nodes ({name}(...)); choose another {role} name")
    builtin = {cls.name for cls in BUILTIN} | {a for cls in BUILTIN for a in cls.spec.aliases}
    if name in builtin:
        raise ValueError(f"'{name}' is a built-in function; it cannot be redefined"
                         if role == "function" else f"'{name}' is a function; choose another "
                         f"{role} name")


#: Where the code forms of a defined function may name it: the code of each backend
#: imports these modules (``codegen.array_code``), and C's is a plain <math.h> name.
_FORM_MODULES = {"jax": ("jnp.", "jsp."), "torch": ("torch.",)}


def _check_code_forms(**forms: str) -> None:
    """A defined function's C form names no symdiff helper and has no dots; its jax and
    torch forms name something in the modules their code imports (a helper cannot be
    given)."""
    for backend, form in forms.items():
        if not form:
            continue
        name = form.strip().split("(")[0].strip()
        if backend == "c":
            bad = "." in name or name.lower().startswith("symdiff")
            wanted = "a <math.h> function's name, or a call of one"
        else:
            bad = not name.startswith(_FORM_MODULES[backend])
            wanted = f"a name in {' or '.join(m.rstrip('.') for m in _FORM_MODULES[backend])}"
        if bad:
            raise ValueError(f"the {backend} form {form!r} must be {wanted}")


def _through_body(body: Template) -> Callable[..., float]:
    """The float implementation of a function defined by a formula: the formula's value."""
    def real(*values: float) -> float:
        try:
            return evaluate(body.expr, dict(zip(body.params, values)))
        except EvaluationError as error:
            raise ValueError(f"its formula {body.expr} is undefined there ({error})") from None
    return real


def _dual_partial(body: Template, index: int) -> Callable[..., float]:
    """The oracles' partial of a function defined by a formula: dual numbers through the
    formula (numeric, and never the symbolic derivative being checked)."""
    def partial(*values: float) -> float:
        try:
            point = dict(zip(body.params, values))
            return evaluate_dual(body.expr, point, {body.params[index]: 1.0})[1]
        except EvaluationError as error:
            raise ValueError(str(error)) from None
    return partial


def _central_difference(real: Callable[..., float], index: int) -> Callable[..., float]:
    """The oracles' partial of a function given only as a float implementation: a central
    difference, Richardson-extrapolated (error of order h^4, about 1e-11 on smooth
    functions). Give ``numeric_partials`` for an exact one."""
    def partial(*values: float) -> float:
        x = values[index]
        h = 1e-3 * max(1.0, abs(x))

        def at(offset):
            moved = list(values)
            moved[index] = x + offset
            return real(*moved)
        wide, narrow = (at(h) - at(-h)) / (2 * h), (at(h / 2) - at(-h / 2)) / h
        return (4 * narrow - wide) / 3
    return partial


def define_function(name: str, params: Sequence[str] | str, body: str | Expr | None = None, *,
                    partials: Sequence[str | Expr] | None = None,
                    real: Callable[..., float] | None = None,
                    numeric_partials: Sequence[Callable[..., float]] | None = None,
                    domain: str = "", aliases: Sequence[str] = (), math: str = "",
                    numpy: str = "", c: str = "", jax: str = "", torch: str = "",
                    latex: str = "", sympy: str = "", mpmath: str = "",
                    signs: str = "", kinks: str = "") -> type[Function]:
    """Declare a function; returns its class, which builds its nodes (``f(x)``).

    By a formula in the parameters (``body``)::

        softplus = define_function("softplus", ["u"], "log(1 + exp(u))")

    it prints by its own name (``softplus(x)``), its partials are derived from the formula
    once, it evaluates and compiles through the formula, and ``to_sympy`` gives a SymPy
    function named softplus that SymPy evaluates and differentiates through the formula
    (so SymPy's derivative in ``check`` is SymPy's own). The oracles differentiate the
    formula with dual numbers.

    Or by its local partials (formulas, which may use the function itself) and a float
    implementation (ValueError outside its domain), with optional code forms (``math``,
    ``numpy``: a function name, or a call such as ``maximum(u, 0.0)``; ``c``: a <math.h>
    function, ``erfc`` or ``fmax(u, 0.0)``; ``jax``: a name in ``jnp`` or ``jsp``, the
    code's jax.numpy and jax.scipy, ``jsp.special.erfc``; ``torch``: ``torch.special.erfc``),
    ``latex`` (an operator or a template such as ``\\left|{0}\\right|``), ``sympy`` (a
    SymPy name or call) and ``numeric_partials`` (float partials for the oracles; otherwise
    a central difference of ``real``)::

        erf = define_function("erf", "u", partials=["2*exp(-u^2)/sqrt(pi)"],
                              real=math.erf, math="erf", sympy="erf")

    A function without a code form is called through ``real`` by ``lambdify`` (element by
    element for numpy) and has no standalone source; one without a SymPy form is an
    undefined SymPy function. Defining a name again with the same arguments returns the
    same function; with different ones, or a built-in's name, it is a ValueError.
    """
    params = _names(params)
    arguments = (params, body if not isinstance(body, Expr) else str(body),
                 tuple(str(p) for p in partials or ()), real, tuple(numeric_partials or ()),
                 domain, tuple(aliases), math, numpy, c, jax, torch, latex, sympy, mpmath,
                 signs, kinks)
    _check_name(name, "function")
    _check_code_forms(c=c, jax=jax, torch=torch)
    for other in (*params, *aliases):
        _check_name(other, "parameter" if other in params else "alias")
    with _LOCK:
        if name in _DEFINITIONS:
            if _DEFINITIONS[name] == arguments:
                return FUNCTIONS[name]
            raise ValueError(f"'{name}' is already defined, differently; a function cannot "
                             "change its meaning while expressions built with it may exist: "
                             "choose another name")
        if name in FUNCTIONS or name in ALIASES:
            raise ValueError(f"'{name}' is already the name of a function")
        cls = _declare(name, params, body, partials, real, numeric_partials,
                       dict(domain=domain, aliases=aliases, math=math, numpy=numpy, c=c,
                            jax=jax, torch=torch, latex=latex, sympy=sympy, mpmath=mpmath,
                            signs=signs, kinks=kinks))
        _DEFINITIONS[name] = arguments
    return cls


def _declare(name, params, body, partials, real, numeric_partials, forms) -> type[Function]:
    """Declare the function, check what can only be checked once it exists, and give the
    oracles its entry; a check that fails withdraws the declaration."""
    if (body is None) == (partials is None and real is None):
        raise ValueError("give either a body, or partials and a float implementation (real)")
    if body is not None:
        template = Template(body, params)
        derived = gradient(template.expr, [Var(p) for p in params])
        spec = FunctionSpec(name, params, derived, _through_body(template), body=template.expr,
                            **forms)
        oracle = [_dual_partial(template, i) for i in range(len(params))]
    else:
        if partials is None or real is None:
            raise ValueError("a function defined by its partials needs a float "
                             "implementation (real), and the other way round")
        spec = FunctionSpec(name, params, tuple(partials), real, **forms)
        oracle = list(numeric_partials) if numeric_partials is not None else [
            _central_difference(real, i) for i in range(len(params))]
        if len(oracle) != len(params) or not all(map(callable, oracle)):
            raise ValueError(f"give one numeric partial per parameter ({len(params)})")
    cls = declare(spec, "symdiff")
    try:
        templates(cls)                # the partials parse, and use only the parameters
    except Exception:
        withdraw(cls)
        raise
    add_oracle(name, oracle[0] if len(oracle) == 1 else tuple(oracle))
    return cls
