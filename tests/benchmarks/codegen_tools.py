"""The contestants of ``bench_codegen.py``: how each tool builds and compiles the gradient of
a family, and how it is called at one point and at a batch of points. Kept apart from the
benchmark's plan, children and tables, so that adding a tool is one function here.

Every tool is called the way its users would call it. One point: a Python list of floats in,
any conversion the tool needs inside the timed call. A batch: the same (n, N) NumPy array
of N points for every tool, converted once, before timing, to the tool's own arrays where it
has them (jax, torch) and inside the timed call where its interface does it (CasADi's DM,
the transpose CasADi's generated C reads).

symdiff: one contestant per ``lambdify`` backend (whatever ``BACKENDS`` holds at run time;
jax jitted; torch eager, and through ``torch.compile``). Anchors: hand-written NumPy
gradients (below), SymPy's gradient through ``sympy.lambdify(..., "numpy", cse=True)``, a
CasADi SX ``Function`` (``map(N, "serial")`` for a batch), and CasADi's generated C
(``CodeGenerator`` of the function and its map, gcc -O2, called through ctypes).
"""
from __future__ import annotations

import ctypes
import math
import os
import random
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass
from typing import Callable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_gradients import CasadiTool, SymdiffTool, SympyTool, mlp, rosenbrock  # noqa: E402

FAMILIES = {"rosenbrock": rosenbrock, "mlp": mlp}
MLP_INPUTS, MLP_POINTS = 3, 4          # bench_gradients.mlp's defaults: 3-h-1, 4 data points
GCC = ["gcc", "-O2", "-shared", "-fPIC"]
#: Values agree when |a - b| <= CHECK_RTOL max(1, |b|).
CHECK_RTOL = 1e-9


class Unavailable(ImportError):
    """A tool that cannot run here (a backend that fell back to another, with its reason)."""


def lambdify(grad, xs, backend: str):
    """symdiff's lambdify, refusing a fallback: a C backend without a compiler warns and
    gives the NumPy backend's function, which is not what its row should measure."""
    import symdiff

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g = symdiff.lambdify(grad, xs, backend=backend)
    if g.backend != backend:
        said = "; ".join(str(w.message) for w in caught) or f"gave the {g.backend} backend"
        raise Unavailable(said[:200])
    return g


@dataclass
class Entry:
    """One tool's compiled gradient: ``call(point)`` with a list of floats, ``batch(args)``
    with what ``batch_args(X)`` made of the (n, N) array (``None``: no batch form, ``why``)."""
    call: Callable
    batch: Callable | None = None
    batch_args: Callable = lambda X: X
    why: str = ""
    note: str = ""
    nodes: int | None = None


# ------------------------------------------------------------------ hand-written NumPy
def hand_rosenbrock(X):
    """The Rosenbrock gradient, vectorised by hand over an (n, ...) array."""
    import numpy as np

    x0, x1 = X[:-1], X[1:]
    d = x1 - x0 * x0
    g = np.zeros_like(X)
    g[:-1] = -400.0 * x0 * d - 2.0 * (1.0 - x0)
    g[1:] += 200.0 * d
    return g


def mlp_data(inputs: int = MLP_INPUTS, points: int = MLP_POINTS):
    """The fixed data and targets of ``bench_gradients.mlp`` (the same random draws)."""
    rng = random.Random(0)
    data = [[round(rng.uniform(-1, 1), 3) for _ in range(inputs)] for _ in range(points)]
    return data, [round(rng.uniform(-1, 1), 3) for _ in range(points)]


def hand_mlp(P, size: int):
    """Backpropagation written by hand for ``mlp(size)``'s loss, vectorised over parameter
    vectors: P is (5h + 1, ...), ordered as mlp's symbols (W by row, b, v, c)."""
    import numpy as np

    h, k = hidden(size), MLP_INPUTS
    rest = P.shape[1:]
    W, b = P[:h * k].reshape((h, k) + rest), P[h * k:h * (k + 1)]
    v, c = P[h * (k + 1):h * (k + 2)], P[-1]
    gW, gb, gv, gc = np.zeros_like(W), np.zeros_like(b), np.zeros_like(v), np.zeros_like(c)
    data, targets = mlp_data()
    for d, y in zip(data, targets):
        a = np.tanh(np.tensordot(np.asarray(d), W, axes=([0], [1])) + b)   # (h, ...)
        r2 = 2.0 * ((v * a).sum(axis=0) + c - y)                            # dL/dprediction
        gc += r2
        gv += r2 * a
        dz = r2 * v * (1.0 - a * a)
        gb += dz
        gW += dz[:, None] * np.asarray(d).reshape((1, k) + (1,) * len(rest))
    return np.concatenate([gW.reshape((h * k,) + rest), gb, gv, gc[None]])


def hidden(size: int) -> int:
    """The hidden units of ``bench_gradients.mlp(size)``."""
    return max(1, round((size - 1) / (MLP_INPUTS + 2)))


def variables(family: str, size: int) -> int:
    """The family's variables at ``size``: n for Rosenbrock, the 5h + 1 weights of the MLP."""
    return size if family == "rosenbrock" else (MLP_INPUTS + 2) * hidden(size) + 1


def hand(family: str, size: int, count: int) -> Entry:
    import numpy as np

    grad = hand_rosenbrock if family == "rosenbrock" else (lambda P: hand_mlp(P, size))
    return Entry(call=lambda p: grad(np.asarray(p)), batch=grad)


# ------------------------------------------------------------------ symdiff's backends
def symdiff_gradient(family: str, size: int):
    import symdiff

    f, xs = FAMILIES[family](SymdiffTool(symdiff), size)
    return symdiff.gradient(f, xs), xs


def symdiff_entry(backend: str, family: str, size: int, count: int) -> Entry:
    """``lambdify(gradient, backend=...)``; jax jitted, ``torch.compile`` as its own tool."""
    import symdiff

    grad, xs = symdiff_gradient(family, size)
    nodes = symdiff.node_count(grad)
    if backend == "jax":
        return _jax_entry(lambdify(grad, xs, "jax"), nodes)
    if backend in ("torch", "torch.compile"):
        return _torch_entry(lambdify(grad, xs, "torch"), nodes,
                            backend == "torch.compile")
    g = lambdify(grad, xs, backend)
    if backend == "math":
        return Entry(call=lambda p: g(*p), why="floats only (one call per point)", nodes=nodes)
    return Entry(call=lambda p: g(*p), batch=lambda rows: g(*rows), batch_args=list,
                 nodes=nodes)


def _jax_entry(g, nodes: int) -> Entry:
    import jax
    import numpy as np

    jax.config.update("jax_enable_x64", True)
    jitted = jax.jit(g.function)
    return Entry(call=lambda p: jax.block_until_ready(jitted(*p)),
                 batch=lambda rows: jax.block_until_ready(jitted(*rows)),
                 batch_args=lambda X: [jax.device_put(np.ascontiguousarray(r)) for r in X],
                 note="jax.jit of lambdify's function, x64", nodes=nodes)


def _torch_entry(g, nodes: int, compiled: bool) -> Entry:
    import torch

    torch.set_num_threads(1)
    if compiled:                        # floats would be compiled in as constants
        fn = torch.compile(g.function, dynamic=False)

        def call(p):
            return fn(*torch.tensor(p, dtype=torch.float64).unbind())
        note = "float64; a point as 0-d tensors"
    else:                               # the backend makes float64 tensors of floats
        fn, call, note = g, (lambda p: g(*p)), "float64"
    return Entry(call=call, batch=lambda rows: fn(*rows),
                 batch_args=lambda X: [torch.from_numpy(r) for r in X], note=note, nodes=nodes)


# ------------------------------------------------------------------ anchors
def sympy_entry(family: str, size: int, count: int) -> Entry:
    import sympy

    f, xs = FAMILIES[family](SympyTool(sympy), size)
    g = sympy.lambdify(xs, [sympy.diff(f, x) for x in xs], "numpy", cse=True)
    return Entry(call=lambda p: g(*p), batch=lambda rows: g(*rows), batch_args=list,
                 note="one diff per variable")


def _casadi_function(family: str, size: int):
    import casadi

    f, xs = FAMILIES[family](CasadiTool(casadi), size)
    x = casadi.vertcat(*xs)
    return casadi.Function("g", [x], [casadi.gradient(f, x)])


def casadi_entry(family: str, size: int, count: int) -> Entry:
    g = _casadi_function(family, size)
    mapped = g.map(count, "serial")
    return Entry(call=lambda p: g(p), batch=mapped, note="SX virtual machine",
                 nodes=g.n_nodes())


class GeneratedC:
    """A CasADi function compiled from its generated C, called through ctypes with buffers
    of its own (the work arrays its ``*_work`` function asks for)."""

    def __init__(self, library, name: str):
        integer = ctypes.c_longlong if library.gen_casadi_int_size() == 8 else ctypes.c_int
        sizes = [integer() for _ in range(4)]
        getattr(library, f"{name}_work")(*map(ctypes.byref, sizes))
        self.arg = (ctypes.c_void_p * max(1, sizes[0].value))()
        self.res = (ctypes.c_void_p * max(1, sizes[1].value))()
        self.iw = (integer * max(1, sizes[2].value))()
        self.w = (ctypes.c_double * max(1, sizes[3].value))()
        self.function = getattr(library, name)
        self.function.restype = ctypes.c_int
        self.mem = getattr(library, f"{name}_checkout")()

    def __call__(self, source, target):
        """Evaluate from one contiguous float64 buffer into another."""
        self.arg[0], self.res[0] = source.ctypes.data, target.ctypes.data
        if self.function(self.arg, self.res, self.iw, self.w, self.mem):
            raise RuntimeError("CasADi's generated function failed")
        return target


def generate_casadi_c(functions, folder: str):
    """CasADi's C for ``functions`` in one file, compiled with gcc -O2 into a library."""
    import casadi

    generator = casadi.CodeGenerator("gen.c", {"with_header": False})
    for function in functions:
        generator.add(function)
    generator.generate(folder + os.sep)
    library = os.path.join(folder, "gen.so")
    subprocess.run([*GCC, "-o", library, os.path.join(folder, "gen.c"), "-lm"], check=True,
                   capture_output=True)
    return ctypes.CDLL(library)


def casadi_c_entry(family: str, size: int, count: int) -> Entry:
    import numpy as np

    g = _casadi_function(family, size)
    mapped = g.map(count, "serial")
    folder = tempfile.mkdtemp(prefix="casadi_")
    library = generate_casadi_c([g, mapped], folder)
    one, many = GeneratedC(library, g.name()), GeneratedC(library, mapped.name())
    n = g.size1_in(0)
    out, outs = np.empty(n), np.empty((count, n))

    def call(p):
        return one(np.asarray(p, dtype=float), out).tolist()

    def batch(X):                       # column-major (n, N): each point contiguous
        return many(np.ascontiguousarray(X.T), outs).T

    return Entry(call=call, batch=batch, note="CodeGenerator + gcc -O2, ctypes",
                 nodes=g.n_nodes())


ANCHORS = {"hand": hand, "sympy": sympy_entry, "casadi": casadi_entry,
           "casadi_c": casadi_c_entry}
LIBRARIES = {"hand": "numpy", "sympy": "sympy", "casadi": "casadi", "casadi_c": "casadi",
             "jax": "jax", "torch": "torch", "torch.compile": "torch"}


def library(tool: str) -> str:
    """The module a tool needs besides symdiff (imported before its setup is timed)."""
    return LIBRARIES.get(tool, "numpy")


def prepare(tool: str, family: str, size: int, count: int) -> Entry:
    """The tool's compiled gradient of ``family`` at ``size``, for batches of ``count``."""
    if tool in ANCHORS:
        return ANCHORS[tool](family, size, count)
    return symdiff_entry(tool, family, size, count)


def as_array(value):
    """Any tool's result as one float64 NumPy array (a list of rows is stacked)."""
    import numpy as np

    if hasattr(value, "full"):                         # CasADi DM
        value = value.full()
    if hasattr(value, "detach"):                       # torch
        value = value.detach().cpu().numpy()
    if isinstance(value, (list, tuple)):
        return np.stack([np.asarray(as_array(v)) for v in value])
    return np.asarray(value, dtype=float)


def rel_error(value, reference) -> float:
    """max |a - b| / max(1, |b|); inf for a shape mismatch or a NaN that should not be."""
    import numpy as np

    value = as_array(value)
    if value.size != reference.size:
        return math.inf
    value = value.reshape(reference.shape)
    error = np.abs(value - reference) / np.maximum(1.0, np.abs(reference))
    return float(np.max(np.where(np.isnan(error), np.inf, error), initial=0.0))
