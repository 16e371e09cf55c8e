"""Fast numeric functions: straight-line Python generated from the expression DAG.

``lambdify(exprs, vars)`` compiles expressions (one, a list, or nested lists such as a
Hessian) into a callable; ``to_python_source`` prints the same code as a standalone module.
The code visits the DAG in topological order (no recursion: formulas 100,000 levels deep
compile), computes every node once (so shared subexpressions are computed once), folds
constant subexpressions, writes ``u^2`` and ``u^3`` as products, ``u^-k`` as a division and
``u^(1/2)`` as ``sqrt(u)``.

Safety: every name in the code is symdiff's own (``_a0``... for the arguments, ``_t0``...
for intermediate values, the backend's function names); no text a user typed becomes code.
Variables are matched to arguments by position in ``vars``, or by name through a dictionary.

Backends:

* ``"math"`` (floats): one Python expression per node used more than once, bound to a
  local; nodes used once are written inline. Arguments are converted with ``float``, results
  are floats. Where ``evaluate`` raises, the call raises the same ``EvaluationError`` (found
  by evaluating at that point, so the message names the failing subexpression); the one
  difference is an overflow in a sum or product, which gives ``inf`` as Python floats do.
* ``"numpy"`` (arrays): one ufunc call per operation, writing with ``out=`` into a few
  reused work arrays and into one output block, so a call allocates two arrays rather than
  one temporary per operation. Arguments are converted with ``asarray(v, dtype=float64)``
  and broadcast together; every output has the broadcast shape of all arguments (a constant
  output is filled in). The outputs are rows of one block: entries that are the same
  expression (a Hessian's mirror entries) are the same row. Outside the domain the result is
  numpy's, with its RuntimeWarning: ``nan`` (``log(-1)``, ``sqrt(-1)``, ``asin(2)``) or
  ``±inf`` (``1/0``, ``log(0)``). Given a Dask array, it returns Dask arrays, computed
  lazily, one call per chunk (``codegen.chunked``).
* ``"c"`` (C99 compiled with cffi, cached on disk: ``codegen.c_compile``): numbers give
  floats as the math backend does, arrays give arrays as the NumPy backend does (every
  point in one C loop); outside the domain NaN or ±inf (C's), with no error. Without cffi
  or a C compiler it warns (``CBackendWarning``) and gives the NumPy backend's function.
* ``"jax"`` and ``"torch"`` (``codegen.array_code``): the math backend's code on JAX arrays
  or torch tensors, purely functional, so ``jax.jit``, ``jax.grad``, ``torch.compile`` and
  ``torch.autograd`` take it; float64 for numbers (JAX: x64 enabled for the call), floating
  arrays in their own dtype and device; a list of outputs is one stacked array (a gradient
  of shape ``(n, *shape)``); nan or ±inf outside the domain. The library is imported when
  a function is compiled (the ``jax`` and ``torch`` extras).

The analysis both backends share is in ``codegen.program``; each backend's code generator
in ``codegen.math_code`` and ``codegen.numpy_code``. Each function is computed the way its
declaration says: a function of the backend's module, a helper the declaration gives, or a
helper compiled from its body (``_fn_sec``); a function declared with only a float
implementation (``define_function``) is called through that implementation, element by
element for numpy, and has no standalone source.
"""
from __future__ import annotations

import builtins
import keyword
import math
import numbers
import threading
import unicodedata
import warnings
from collections import OrderedDict

from .array_code import ARRAY_CODE, array_namespace, run, source_imports
from .c_compile import CBackendWarning, CUnavailable, c_function
from .chunked import dask_call, holds_dask
from .math_code import ADD, ATOM, CHUNK, MAX_DEPTH, MUL, NEG, POW, MathCode
from .numpy_code import OPERATORS, NumpyCode
from .program import EXPANDED, Program, flatten, nest
from ..core import exact
from ..core.errors import EvaluationError
from ..core.nodes import Expr, Var, provide
from ..core.functions import Max
from ..core.intern import collector_paused
from ..core.walk import free_vars
from ..numeric.evaluate import evaluate, evaluate_all, missing_variable
from ..printing.text import to_text
from ..version import __version__

#: The public API, and the backends' limits (defined in ``codegen.math_code``,
#: ``codegen.numpy_code`` and ``codegen.program``), still importable from here.
__all__ = ["BACKENDS", "BUILTINS", "DOC_LENGTH", "DOC_OUTPUTS", "CompiledFunction", "lambdify",
           "to_python_source", "ADD", "ATOM", "CHUNK", "EXPANDED", "MAX_DEPTH", "MUL", "NEG",
           "OPERATORS", "POW"]

BACKENDS = ("numpy", "math", "c", "jax", "torch")
#: At most this many outputs are quoted in a generated docstring, each this many characters.
DOC_OUTPUTS, DOC_LENGTH = 12, 100
BUILTINS = {"abs": abs, "max": max, "min": min, "float": float, "list": list}


def _generate(exprs, vars, backend: str, name: str, doc: bool, scalars=()):
    """(program, helper sources, function source) for ``lambdify`` and ``to_python_source``
    (``scalars``: numpy variables whose values will be numbers, not arrays)."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
    program = (ARRAY_CODE[backend](exprs, vars) if backend in ARRAY_CODE
               else MathCode(exprs, vars) if backend == "math"
               else NumpyCode(exprs, vars, scalars=scalars))
    params, body = program.with_parameters(program.body())
    name = function_name(name, program.used)
    lines = [f"def {name}({', '.join(params)}):"]
    if doc:
        lines += _docstring(program, params)
    lines += ["    " + line for line in body]
    return program, program.helpers(), "\n".join(lines) + "\n"


def function_name(name: str, used) -> str:
    """``name`` as Python reads it (NFKC-folded: ``ｆ`` is ``f``), checked: an identifier, not
    a keyword, a builtin or a dunder name, and not a name the code uses (``ｓｑｒｔ`` would
    replace the ``sqrt`` the code calls, and call itself); a ValueError says which."""
    folded = unicodedata.normalize("NFKC", name) if isinstance(name, str) else ""
    shown = repr(name) if folded == name else f"{name!r} (to Python, {folded!r})"
    if not folded.isidentifier() or keyword.iskeyword(folded):
        why = "it must be an identifier, not a keyword"
    elif folded in used:
        why = f"the code uses that name ({', '.join(sorted(used))})"
    elif folded.startswith("__") and folded.endswith("__"):
        why = "Python gives dunder names a meaning of their own"
    elif hasattr(builtins, folded):
        why = "it is a Python builtin"
    else:
        return folded
    raise ValueError(f"{shown} cannot name the function: {why}")


def _docstring(program: Program, params: list[str]) -> list[str]:
    """The generated function's docstring: which argument is which variable (``x`` when
    named after it, ``lambda = _a0`` when not), and what the function returns (the
    expressions, each cut short, the first few of them)."""
    arguments = ", ".join(v if v == a else f"{v} = {a}" for v, a in zip(program.vars, params))
    outputs = program.outputs
    lines = [f'"""Compiled by symdiff. Arguments: {arguments or "none"}.', ""]
    if program.layout == [0]:
        lines.append(f"Returns {to_text(outputs[0], max_length=DOC_LENGTH)}")
    else:
        shape = "".join(str(p + 1) if type(p) is int else p for p in program.layout)
        lines.append(f"Returns {shape if len(shape) <= 200 else f'{len(outputs)} values'}, where")
        lines += [f"  {i + 1}: {to_text(out, max_length=DOC_LENGTH)}"
                  for i, out in enumerate(outputs[:DOC_OUTPUTS])]
        if len(outputs) > DOC_OUTPUTS:
            lines.append(f"  ... ({len(outputs) - DOC_OUTPUTS} more)")
    text = "\n".join(lines + ['"""']).replace("\\", "\\\\")
    return ["    " + line if line else "" for line in text.split("\n")]


def _elementwise(real):
    """A float implementation as a ufunc-like call with ``out=`` (numpy backend)."""
    import numpy

    vectorized = numpy.vectorize(real, otypes=[float])

    def call(*args, out):
        out[...] = vectorized(*args)
        return out
    return call


def _namespace(program: Program) -> dict:
    """The globals of generated code: only the functions it calls, and no builtins (the
    helpers it calls are defined by the code itself)."""
    if program.backend in ARRAY_CODE:
        return array_namespace(program)
    if program.backend == "numpy":
        import numpy as module
    else:
        module = math
    namespace: dict = {"__builtins__": {}}
    for name in program.used - set(program.helper_sources):
        kind = program.injected.get(name)
        if kind is not None:
            namespace[name] = kind.real if program.backend == "math" else _elementwise(kind.real)
        else:
            namespace[name] = BUILTINS[name] if name in BUILTINS else getattr(module, name)
    return namespace


class CompiledFunction:
    """Expressions compiled to Python: ``f(*values)`` gives their values, laid out as the
    expressions were given (one value, a list, nested lists). Arguments go in the order of
    ``f.vars``, or by name: ``f(x=1, y=2)`` or ``f(**point)`` (names that are not variables
    are ignored, as by ``evaluate``). ``f.source`` is the generated code, ``f.function``
    the compiled function itself (no checks: the fastest call; its parameters are named
    after the variables where Python allows, so ``f.function(x=1, y=2)`` works too).

    NumPy backend: when a call passes numbers (Python or NumPy scalars) for some variables
    and arrays for others, it runs a variant compiled for that split (kept per split, at
    most ``VARIANTS``): the numbers are not broadcast to arrays, and subexpressions of
    them alone are computed once, as numbers (``eps*sigma^6`` for arrays of ``x``).
    """

    __slots__ = ("function", "source", "vars", "backend", "outputs", "layout", "variants",
                 "__weakref__")                  # jax.jit(f) keeps a weak reference to f

    #: At most this many scalar/array variants are kept (the oldest is dropped).
    VARIANTS = 8

    def __init__(self, function, source: str, vars: tuple[str, ...], backend: str,
                 outputs: tuple[Expr, ...], layout=None):
        self.function, self.source, self.vars = function, source, vars
        self.backend, self.outputs, self.layout = backend, outputs, layout
        self.variants: dict[frozenset, object] = {}

    def __call__(self, /, *args, **kwargs):         # a variable may be named self
        if kwargs or len(args) != len(self.vars):
            args = self._bind(args, kwargs)
        if self.backend in ARRAY_CODE:        # jax: x64 enabled for the call (array_code.run)
            return run(self.backend, self.function, args)
        if self.backend == "numpy":
            if holds_dask(args):        # lazy, chunk by chunk (codegen.chunked)
                return dask_call(self, args)
            return self._for_scalars(args)(*args)
        try:
            return self.function(*args)
        except (ArithmeticError, ValueError, TypeError) as error:
            raise self._explain(args, error) from None

    def _for_scalars(self, args):
        """The function to call with ``args``: a variant where some, not all, are numbers."""
        if self.layout is None:
            return self.function
        scalars = frozenset(name for name, value in zip(self.vars, args)
                            if isinstance(value, numbers.Real) or getattr(value, "ndim", 1) == 0)
        if not scalars or len(scalars) == len(self.vars):
            return self.function
        function = self.variants.get(scalars)
        if function is None:
            if len(self.variants) >= self.VARIANTS:
                self.variants.pop(next(iter(self.variants)), None)
            function = _compile(nest(list(self.outputs), self.layout), self.vars, "numpy",
                                scalars)[0]
            self.variants[scalars] = function
        return function

    def _bind(self, args: tuple, kwargs: dict) -> list:
        if len(args) > len(self.vars):
            raise TypeError(f"expected {len(self.vars)} values (for {', '.join(self.vars)}), "
                            f"got {len(args)}")
        kwargs = self._by_name(kwargs)
        for name in self.vars[:len(args)]:
            if name in kwargs:
                raise TypeError(f"two values for '{name}': by position and by name")
        values = list(args)
        for name in self.vars[len(args):]:
            if name not in kwargs:
                raise missing_variable(name, [*self.vars[:len(args)], *kwargs])
            values.append(kwargs[name])
        return values

    def _by_name(self, kwargs: dict) -> dict:
        """Values given by name, keyed by variable: Python folds a keyword argument by NFKC
        (``f(ｘ=1)`` passes ``x``), so a name that is not a variable but folds like exactly
        one is that variable; names that fold alike cannot be told apart by name."""
        if not kwargs or all(name in kwargs for name in self.vars):
            return kwargs
        folded: dict[str, list[str]] = {}
        for name in self.vars:
            folded.setdefault(unicodedata.normalize("NFKC", name), []).append(name)
        result = dict(kwargs)
        for given in kwargs:
            if given in self.vars:
                continue
            same = folded.get(unicodedata.normalize("NFKC", given), [])
            if len(same) > 1:
                raise TypeError(f"variables {' and '.join(map(repr, same))} are the same name "
                                "to Python (NFKC): pass their values by position")
            if same and same[0] not in kwargs:
                result[same[0]] = kwargs[given]
        return result

    def _explain(self, args, error) -> EvaluationError:
        """The error ``evaluate`` gives at this point (one pass over all outputs: their
        maximum is a node that needs every output), or a general one if it gives none."""
        point = dict(zip(self.vars, args))
        everything = self.outputs[0]
        for out in self.outputs[1:]:
            everything = Max(everything, out)
        try:
            evaluate(everything, point)
        except EvaluationError as found:
            return found
        return EvaluationError(f"cannot evaluate here: {error or type(error).__name__}")

    def __reduce__(self):
        """Pickled as its expressions (they pickle as their text) and compiled again where it
        is read back, so that Dask workers in other processes get the same function."""
        return lambdify, (nest(list(self.outputs), self.layout), self.vars, self.backend)

    def __repr__(self):
        count = len(self.outputs)
        return (f"<CompiledFunction ({', '.join(self.vars)}) -> {count} "
                f"value{'s' if count != 1 else ''}, {self.backend} backend>")


def lambdify(exprs, vars=None, backend: str = "numpy") -> CompiledFunction:
    """Compile expressions into a fast Python function of the variables ``vars``.

    ``exprs``: an expression, or a list / tuple (nested as deep as wanted: a Hessian is a
    list of rows) of them; the result has the same layout. ``vars``: names or ``Var``s (or
    ``"x,y"``) giving the argument order; by default the variables that occur, sorted. A
    variable that occurs but is not listed is an ``EvaluationError``.

    ``backend="numpy"`` works on arrays (broadcast together; outputs all have the broadcast
    shape); ``backend="math"`` on floats, raising ``EvaluationError`` where ``evaluate``
    does; ``backend="c"`` on both, compiled to C (NaN or ±inf outside the domain);
    ``backend="jax"`` / ``"torch"`` on their arrays, for jit, compile and autodiff (a
    gradient is one stacked array). See the module docstring for the details of each.

        >>> import symdiff
        >>> f = symdiff.parse("x^2*y + sin(x)")
        >>> g = symdiff.lambdify(symdiff.gradient(f, ["x", "y"]), ["x", "y"], backend="math")
        >>> g(0.0, 3.0)
        [1.0, 0.0]
    """
    if backend == "c":
        try:
            function, source, gen = c_function(exprs, vars)
        except CUnavailable as why:
            warnings.warn(str(why), CBackendWarning, stacklevel=2)
            backend = "numpy"
        else:
            return CompiledFunction(function, source, gen.vars, "c", tuple(gen.outputs),
                                    gen.layout)
    function, source, gen = _compile(exprs, vars, backend)
    return CompiledFunction(function, source, gen.vars, backend, tuple(gen.outputs), gen.layout)


def _compile(exprs, vars, backend: str, scalars=()):
    """(function, source, program): ``lambdify``'s compilation."""
    with collector_paused:
        gen, helpers, function = _generate(exprs, vars, backend, "_compiled", doc=False,
                                           scalars=scalars)
        source = "\n\n".join([*helpers, function])
        namespace = _namespace(gen)
        exec(compile(source, "<symdiff.lambdify>", "exec"), namespace)   # symdiff's code only
    return namespace["_compiled"], source, gen


def to_python_source(exprs, vars=None, name: str = "f", backend: str = "numpy") -> str:
    """A standalone Python module defining ``name(_a0, _a1, ...)``, the function ``lambdify``
    compiles (same code, same layout of results), with its imports (numpy, or the math
    module) and a docstring saying which argument is which variable and what it returns.
    Arguments are positional, in the order of ``vars``. For the math backend, a point
    outside the domain raises Python's ValueError / ZeroDivisionError (no symdiff needed)."""
    if backend == "c":
        raise ValueError("the C backend's source is C: use to_c_source (a header and a .c)")
    with collector_paused:
        gen, helpers, function = _generate(exprs, vars, backend, name, doc=True)
    if gen.injected:
        names = ", ".join(sorted(kind.name for kind in gen.injected.values()))
        raise ValueError(f"no standalone source for {names}: declared with a float "
                         f"implementation only, no {backend} code form and no body")
    imports = sorted(gen.used - set(BUILTINS) - set(gen.helper_sources))
    module = "numpy" if backend == "numpy" else "math"
    needs = {"numpy": "numpy", "math": "the standard library"}.get(backend, backend)
    header = (f'"""{name}(): generated by symdiff {__version__} (symdiff.to_python_source).\n\n'
              f'Needs only {needs}; regenerate rather than edit.\n"""\n')
    if backend in ARRAY_CODE:
        header += "".join(line + "\n" for line in source_imports(gen))
    elif imports:
        header += f"from {module} import {', '.join(imports)}\n"
    return "\n\n".join([header, *helpers, function])


# ------------------------------------------------------------------ values at a point
#: Compiled NumPy functions for ``values_at``, by (outputs, layout, variables): the most
#: recently used ones, at most this many.
ARRAY_CACHE_SIZE = 32
_array_functions: OrderedDict = OrderedDict()
_array_lock = threading.Lock()


def is_array(value) -> bool:
    """A NumPy array (or anything array-like with a shape) rather than one number."""
    return not isinstance(value, numbers.Number) and hasattr(value, "ndim")


def _array_function(outputs: list[Expr], layout: list, names: tuple) -> CompiledFunction:
    key = (tuple(outputs), tuple(layout), names)
    with _array_lock:
        function = _array_functions.get(key)
        if function is not None:
            _array_functions.move_to_end(key)
            return function
    function = lambdify(nest(outputs, layout), names, backend="numpy")
    with _array_lock:
        _array_functions[key] = function
        while len(_array_functions) > ARRAY_CACHE_SIZE:
            _array_functions.popitem(last=False)
    return function


def values_at(exprs, values):
    """The values of an expression or nested lists of them (a gradient, a Hessian) at a
    point, laid out as given. Floats by ``evaluate_all`` (one pass over the shared DAG);
    when some values are NumPy arrays, arrays, elementwise, by the NumPy backend (compiled
    once per expressions and variables, ``ARRAY_CACHE_SIZE`` kept): there a point outside
    the domain gives nan or inf with NumPy's warning instead of an ``EvaluationError``."""
    outputs, layout = flatten(exprs)
    names = free_vars(outputs)
    given = {(key.name if isinstance(key, Var) else key): value for key, value in values.items()}
    if not any(is_array(given.get(name)) for name in names):
        return nest(evaluate_all(outputs, values), layout)
    arguments = []
    for name in names:
        if name not in given:
            raise missing_variable(name, list(given))
        value = given[name]
        arguments.append(value if is_array(value) else float(exact.as_number(value)))
    return _array_function(outputs, layout, names)(*arguments)


provide("values_at", values_at)
