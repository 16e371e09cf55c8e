"""The ``"jax"`` and ``"torch"`` backends of ``lambdify``: pure functional array code.

The code is the math backend's (``math_code``): a local per node read more than once, the
rest inline, constants folded, powers as ``program`` decides, each function as its
declaration's ``jax`` / ``torch`` code form says, in the namespace the code imports
(``jnp`` = jax.numpy and ``jsp`` = jax.scipy; ``torch``). No ``out=`` and no in-place write
(JAX arrays are immutable; torch's autograd and ``torch.compile`` want functional code), so
the function goes through ``jax.jit``, ``jax.grad``, ``jax.vmap``, ``torch.compile``,
``torch.autograd`` and ``torch.func``.

Arguments: a floating array or tensor is used as it is (its dtype, device and autograd
graph); anything else (a Python or NumPy number, a NumPy array, a list) is converted to
float64 (torch) or JAX's default float. JAX's default is float32 unless ``jax_enable_x64``
is set: ``CompiledFunction`` calls the code with x64 enabled, so ``f(0.5, 2.0)`` computes in
float64 even there, while the bare ``f.function`` (or a jit of it) follows the caller's
setting, as any JAX function does. Numbers in the code are Python floats, which take the
arrays' dtype; a number passed to a torch function is made a tensor of the first
argument's dtype and device (``torch.as_tensor``), so tensors on a GPU stay there.

Results: every output has the broadcast shape of all arguments (an output that depends on
fewer is broadcast, a constant one filled in). A list of expressions is one stacked array
(a gradient: shape ``(n, *shape)``; a list of equal lists, a Hessian: ``(n, m, *shape)``);
a tuple stays a tuple, and a list whose entries differ in shape (``[f, [df/dx, df/dy]]``)
a Python list (pytrees, to JAX). Outside the domain the value is nan or ±inf (no
error, no warning), as the library computes it; ``evaluate`` raises there instead.
"""
from __future__ import annotations

import builtins
import importlib

from .math_code import ATOM, MathCode
from .program import helper_names, literal
from ..core.declarations import Function
from ..core.nodes import Var

ARGUMENT_JAX = '''def _float_array(value):
    """An argument as a JAX array: a floating one as it is, others (a number, an int array)
    as the default float, strongly typed (a Python float's array is weak)."""
    value = jnp.asarray(value)
    return value.astype(jnp.result_type(value, 0.0))
'''
ARGUMENT_TORCH = '''def _float_tensor(value):
    """An argument as a tensor: a floating one as it is (dtype, device, autograd graph),
    anything else as float64."""
    if torch.is_tensor(value) and value.is_floating_point():
        return value
    return torch.as_tensor(value, dtype=torch.float64)
'''


class ArrayCode(MathCode):
    """The math backend's code on arrays of a library: its names for the operations the
    math code writes, and a return value of whole arrays, stacked where the layout is a
    list."""

    #: the names the math code writes (``sqrt``, ``pow``, ``float`` for an argument's
    #: conversion) in the library's namespace, and the helper that converts an argument
    OPERATIONS: dict[str, str] = {}
    ARGUMENT: tuple[str, str] = ("", "")
    #: the library's stack, broadcast_to, broadcast_shapes and full
    STACK = BROADCAST = SHAPES = FULL = ""
    #: the modules the code names: name in the code -> (module, submodules the code reads)
    MODULES: dict[str, tuple[str, ...]] = {}

    def __init__(self, exprs, vars):
        super().__init__(exprs, vars)
        #: does the return need ``_shape``, the arguments' broadcast shape?
        self.shaped = False
        bit = {var: 1 << i for i, var in enumerate(self.arg)}
        #: the variables each node depends on, a bit per argument
        self.depends: dict = {}
        for node in self.order:
            mask = bit.get(node, 0) if type(node) is Var else 0
            for arg in node.args:
                mask |= self.depends[arg]
            self.depends[node] = mask
        self.every = (1 << len(self.arg)) - 1

    def call(self, name: str) -> str:
        """``name`` in the library's namespace, its module (``jnp``) among the names used."""
        name = self.OPERATIONS.get(name, name)
        if name == self.ARGUMENT[0] and name not in self.helper_sources:
            self.helper_sources[name] = self.ARGUMENT[1]
            self.used.update(helper_names(self.ARGUMENT[1]))
        self.used.add(name.split(".")[0])
        return name

    def function_call(self, node: Function) -> tuple[str, tuple]:
        """The program's call, refused for a function known only by its float implementation
        (the arrays never leave the library, so there is nothing to call it on)."""
        found = super().function_call(node)
        if self.injected:
            names = ", ".join(sorted(kind.name for kind in self.injected.values()))
            raise ValueError(f"no {self.backend} code for {names}: declared with a float "
                             f"implementation only, no {self.backend} code form and no body")
        return found

    def _pieces(self, node, negate: bool = False):
        """A function's call: an order that is a number is written as an int (polygamma(1,
        u)), another number as ``constant`` writes it; other nodes as the math code does."""
        if not isinstance(node, Function):
            return super()._pieces(node, negate)
        name, operands = self.function_call(node)
        spec = type(node).spec
        pieces: list = [name, "("]
        for i, operand in enumerate(operands):
            if i:
                pieces.append(", ")
            if type(operand) is not int:
                pieces.append(operand)              # a number of the code form
                continue
            arg = node.args[operand]
            value = self.value_of.get(arg)
            if value is None:
                pieces.append((arg, 0, False))
            elif spec.params[operand] in spec.orders and value.is_integer():
                pieces.append(repr(int(value)))
            else:
                pieces.append(self.constant(value))
        return ATOM, pieces + [")"]

    def constant(self, value: float) -> str:
        """A number passed to a library function."""
        return literal(value)

    def _divides(self, node) -> bool:
        """A folded factor (pi^(-1/2)) is a number to multiply by, not a division by a
        library call on a number (``torch.sqrt`` takes no float)."""
        return node not in self.value_of and super()._divides(node)

    def _statements(self):
        """The math code's statements, with the return value of ``_returned``."""
        layout, self.layout = self.layout, []      # the math code's return, built for []
        try:
            statements = super()._statements()
        finally:
            self.layout = layout
        return statements[:-1] + [(None, self._returned())]

    def _returned(self) -> list:
        """The pieces of the return value: the layout, with a list of outputs (or of equal
        lists) stacked into one array."""
        stack: list[list] = [[]]
        for piece in self.layout:
            if type(piece) is int:
                stack[-1].append((self._output(self.outputs[piece]), ()))
            elif piece in ("[", "("):
                stack.append([])
            elif piece != ", ":
                items = stack.pop()
                stack[-1].append(self._combined(items, piece))
        return stack[0][0][0]

    def _combined(self, items: list, closing: str) -> tuple[list, tuple | None]:
        """(pieces, shape) of a list or tuple of items: a stack when it is a list whose items
        all have one shape (shape: the lengths of its axes), else a Python list or tuple
        (shape None)."""
        shapes = {shape for _, shape in items}
        stacked = closing == "]" and len(shapes) == 1 and None not in shapes
        opening = f"{self.call(self.STACK)}([" if stacked else "[" if closing == "]" else "("
        separator = ",\n        " if len(items) > 3 else ", "
        pieces: list = [opening]
        for i, (inner, _) in enumerate(items):
            pieces += [separator, *inner] if i else inner
        pieces.append("])" if stacked else closing)
        return pieces, ((len(items), *items[0][1]) if stacked else None)

    def _output(self, out) -> list:
        """One output, of the arguments' broadcast shape: a constant filled in, an output
        that depends on fewer than all the arguments broadcast."""
        if out in self.value_of:
            self.shaped = True
            return [self.call(self.FULL), "(_shape, ", literal(self.value_of[out]),
                    self.like(), ")"]
        pieces: list = []
        self._expand([(out, 0, False)], pieces)
        if self.depends[out] == self.every:
            return pieces
        self.shaped = True
        return [self.call(self.BROADCAST), "(", *pieces, ", _shape)"]

    def like(self) -> str:
        """The keyword arguments that give a new array the first argument's dtype."""
        return f", dtype={next(iter(self.arg.values()))}.dtype" if self.arg else ""

    def body(self) -> list[str]:
        """The math code's lines, with ``_shape`` computed before the return if it uses it."""
        lines = super().body()
        if self.shaped:
            args = list(self.arg.values())
            shape = (f"{self.call(self.SHAPES)}({', '.join(a + '.shape' for a in args)})"
                     if len(args) > 1 else f"{args[0]}.shape" if args else "()")
            lines.insert(len(lines) - 1, f"_shape = {shape}")
        return lines


class JaxCode(ArrayCode):
    backend = "jax"
    OPERATIONS = {"sqrt": "jnp.sqrt", "pow": "jnp.power", "float": "_float_array"}
    ARGUMENT = ("_float_array", ARGUMENT_JAX)
    STACK, BROADCAST, SHAPES, FULL = ("jnp.stack", "jnp.broadcast_to", "jnp.broadcast_shapes",
                                      "jnp.full")
    MODULES = {"jnp": ("jax.numpy",), "jsp": ("jax.scipy", "jax.scipy.special")}


class TorchCode(ArrayCode):
    backend = "torch"
    OPERATIONS = {"sqrt": "torch.sqrt", "pow": "torch.pow", "float": "_float_tensor"}
    ARGUMENT = ("_float_tensor", ARGUMENT_TORCH)
    STACK, BROADCAST, SHAPES, FULL = ("torch.stack", "torch.broadcast_to",
                                      "torch.broadcast_shapes", "torch.full")
    MODULES = {"torch": ("torch",)}

    def constant(self, value: float) -> str:
        """A tensor: torch's functions of two tensors (maximum, hypot, atan2) take no float."""
        return f"{self.call('torch.as_tensor')}({literal(value)}{self.like()})"

    def like(self) -> str:
        """The first argument's dtype and device (float64 on the default device if none)."""
        if not self.arg:
            return ", dtype=torch.float64"
        first = next(iter(self.arg.values()))
        return f", dtype={first}.dtype, device={first}.device"


#: The array backends' code generators, by backend name.
ARRAY_CODE = {"jax": JaxCode, "torch": TorchCode}
#: What to install for each, named in the error when it is missing.
EXTRAS = {"jax": 'JAX: pip install "symdiff[jax]"',
          "torch": 'PyTorch: pip install "symdiff[torch]"'}


def array_namespace(program: ArrayCode) -> dict:
    """The globals of generated code: the library's modules it names, and of the builtins
    only ``__import__`` (its helpers are defined by the code itself; torch's C++ imports
    modules through the calling frame's builtins, ``torch.as_tensor`` fails without it). The
    library is imported here, on first use: an optional dependency, whose absence is an
    ImportError naming the extra to install."""
    namespace: dict = {"__builtins__": {"__import__": builtins.__import__}}
    try:
        for name, (module, *submodules) in program.MODULES.items():
            if name in program.used:
                namespace[name] = importlib.import_module(module)
                for submodule in submodules:
                    importlib.import_module(submodule)
    except ImportError as error:
        raise ImportError(f"the {program.backend} backend needs "
                          f"{EXTRAS[program.backend]}") from error
    return namespace


def source_imports(program: ArrayCode) -> list[str]:
    """The import lines of a standalone module of the code."""
    lines = []
    for name, (module, *submodules) in program.MODULES.items():
        if name in program.used:
            lines.append(f"import {module} as {name}" if name != module else f"import {module}")
            lines += [f"import {submodule}" for submodule in submodules]
    return lines


def run(backend: str, function, args):
    """Call compiled JAX code with x64 enabled (float64 for numbers and NumPy arrays), unless
    it is enabled already; torch code as it is."""
    if backend != "jax":
        return function(*args)
    import jax

    if jax.config.jax_enable_x64:
        return function(*args)
    x64 = getattr(jax, "enable_x64", None)         # older jax: jax.experimental's
    if x64 is None:
        from jax.experimental import enable_x64 as x64
    with x64(True):
        return function(*args)
