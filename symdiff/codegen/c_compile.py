"""The ``"c"`` backend of ``lambdify``: the C source of ``c_source``, compiled with cffi into
an extension module, cached on disk, and called from Python.

The cache folder is ``$SYMDIFF_CACHE/c`` (by default ``$XDG_CACHE_HOME/symdiff/c``, or
``~/.cache/symdiff/c``); a module is named by a hash of its C source, the compiler and
its flags, the Python and cffi versions, so the same expressions compiled again (in this
process or another) load the module already built. A build runs in a folder of its own
and is renamed into place when complete (atomic), so processes building the same module at
once are safe; threads of one process build it once (a lock per module).

The compiler is ``$CC`` (else Python's own, else cc, gcc or clang), called directly on POSIX
systems (the flags are ``FLAGS``: IEEE arithmetic, no fused multiply-adds, no -ffast-math),
through cffi's own build (setuptools) elsewhere. Without cffi or a compiler, or if the build
fails, ``CUnavailable`` says why; ``lambdify`` then warns (``CBackendWarning``) and gives the
NumPy backend's function instead.

Called with numbers, the function returns floats (a list, nested lists) as the math
backend does; with arrays, it runs ``NAME_rows`` over the points of their broadcast shape
(float64 arrays of that shape read in place) with the GIL released, and returns arrays of
that shape, as the NumPy backend does. Outside the domain the values are C's: NaN or ±inf,
no error.
"""
from __future__ import annotations

import hashlib
import importlib.util
import math
import numbers
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
from pathlib import Path

from .c_code import NoCCode
from .c_source import cost, program_of, prototypes, sources
from .program import nest, separated
from ..version import __version__

#: Compiler flags (POSIX): C99, IEEE results (no contraction into fused multiply-adds,
#: which would round differently from evaluate; errno is not read).
FLAGS = ("-std=c99", "-ffp-contract=off", "-fno-math-errno", "-fPIC", "-w")
#: The optimisation level by the program's compile cost (``c_source.cost``: statements,
#: function calls counting more): -O2 up to the first, -O1 up to the second, -O0 above.
#: gcc 12 takes about 0.1 ms per statement at -O2 and 0.9 ms per call; -O1 about 0.08 and
#: 0.4 ms; -O0 0.06 and 0.1 ms; and straight-line code runs nearly as fast at -O1.
LEVELS = (20_000, 200_000)
#: A program of more than this cost is compiled as several files side by side, one per
#: processor this process may use (the compiler is single-threaded), then linked.
SPLIT = 5_000
#: The name of the generated functions inside a compiled module.
NAME = "compiled"


class CUnavailable(RuntimeError):
    """The C backend cannot compile here (no cffi, no compiler, a failed build)."""


class CBackendWarning(RuntimeWarning):
    """``lambdify(..., backend="c")`` fell back to the NumPy backend; the message says why."""


_lock = threading.Lock()
_building: dict[str, threading.Lock] = {}
_loaded: dict[str, object] = {}
_compilations = 0


def compilations() -> int:
    """How many modules this process has compiled (a cached one is not compiled again)."""
    return _compilations


def cache_folder() -> Path:
    root = os.environ.get("SYMDIFF_CACHE")
    if not root:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(base, "symdiff")
    return Path(root) / "c"


def find_compiler() -> list[str] | None:
    """The C compiler's command (``$CC``, else Python's ``CC``, else cc, gcc or clang), or
    None if that program is not found."""
    given = os.environ.get("CC")
    words = shlex.split(given or sysconfig.get_config_var("CC") or "")
    if words and shutil.which(words[0]):
        return [shutil.which(words[0]), *words[1:]]
    if given:
        return None            # the compiler asked for is missing: no other is used
    found = next(filter(None, map(shutil.which, ("cc", "gcc", "clang"))), None)
    return [found] if found else None


def _link_flags() -> list[str]:
    """How Python's extension modules are linked here (``-shared``; macOS: ``-bundle
    -undefined dynamic_lookup``), from its LDSHARED without the compiler."""
    words = shlex.split(sysconfig.get_config_var("LDSHARED") or "")[1:]
    return [w for w in words if w.startswith("-")] or ["-shared"]


def _include_flags() -> list[str]:
    paths = sysconfig.get_paths()
    return [f"-I{p}" for p in dict.fromkeys((paths["include"], paths["platinclude"]))]


def _unavailable(why: str) -> CUnavailable:
    return CUnavailable(f"the C backend is unavailable: {why}; using the NumPy backend "
                        "instead")


def optimisation(compile_cost: int) -> str:
    return "-O2" if compile_cost <= LEVELS[0] else "-O1" if compile_cost <= LEVELS[1] else "-O0"


def processors() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):                   # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def load_module(sources: list[str], optimise: str = "-O2"):
    """The cffi module compiling ``sources`` (the first defines ``NAME``, ``NAME_points``
    and ``NAME_rows``; the others, parts it calls): loaded if this process has it, read
    from the cache if built before, built otherwise."""
    try:
        import cffi
        from cffi.recompiler import make_c_source       # emit_c_code, without its print
    except ImportError:
        raise _unavailable("it needs cffi (pip install cffi)") from None
    compiler = find_compiler() if os.name == "posix" else ["(setuptools)"]
    if compiler is None:
        cc = os.environ.get("CC")
        raise _unavailable(f"no C compiler found (CC={cc} is not a program)" if cc else
                           "no C compiler found (install gcc or clang, or set CC)")
    key = hashlib.sha256("\0".join([
        *sources, *compiler, optimise, *FLAGS, *_link_flags(), sys.implementation.cache_tag,
        sysconfig.get_config_var("EXT_SUFFIX") or "", cffi.__version__, __version__,
    ]).encode()).hexdigest()[:24]
    name = f"_symdiff_c_{key}"
    folder = cache_folder()
    path = folder / (name + (sysconfig.get_config_var("EXT_SUFFIX") or ".so"))
    with _lock:
        module = _loaded.get(str(path))
        lock = _building.setdefault(str(path), threading.Lock())
    if module is not None:
        return module
    build = (cffi, make_c_source, sources, name, folder, path, [*compiler, optimise])
    with lock:
        if str(path) not in _loaded:
            built = not path.is_file()
            if built:
                _build(*build)
            try:
                _loaded[str(path)] = _import(name, path)
            except (ImportError, OSError) as error:
                if built:
                    raise _not_loading(path, error) from None
                _build(*build)                                  # a damaged cache file: again
                try:
                    _loaded[str(path)] = _import(name, path)
                except (ImportError, OSError) as again:
                    raise _not_loading(path, again) from None
    return _loaded[str(path)]


def _not_loading(path: Path, error: Exception) -> CUnavailable:
    """A module built but not loading (a C form naming no function of the C library: an
    undefined symbol) is removed from the cache, so it is not read again."""
    try:
        path.unlink()
    except OSError:
        pass
    return _unavailable(f"the compiled module does not load ({error})")


def _build(cffi, make_c_source, sources: list[str], name: str, folder: Path, path: Path,
           compiler) -> None:
    """Compile into a fresh folder beside the cache's modules, then rename into place."""
    global _compilations
    ffi = cffi.FFI()
    ffi.cdef(prototypes(NAME))
    ffi.set_source(name, sources[0], libraries=["m"] if os.name == "posix" else [])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=folder))
    except OSError as error:
        raise _unavailable(f"cannot write the cache folder {folder} ({error.strerror}); "
                           "set SYMDIFF_CACHE to a folder that can be written") from None
    try:
        if os.name == "posix":
            c_file = work / f"{name}.c"
            make_c_source(ffi, name, sources[0], str(c_file), verbose=False)
            files = [c_file]
            for index, text in enumerate(sources[1:], 1):
                files.append(work / f"part{index}.c")
                files[-1].write_text(text)
            built = work / path.name
            _compile_and_link(compiler, files, built)
        else:                                     # pragma: no cover - not POSIX
            with _lock:                           # cffi's build changes the working folder
                built = Path(ffi.compile(tmpdir=str(work), verbose=False))
        with _lock:
            _compilations += 1
        os.replace(built, path)
    except CUnavailable:
        raise
    except Exception as error:                    # cffi's and setuptools' build errors
        raise _unavailable(f"the build failed ({type(error).__name__}: {error})") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _compile_and_link(compiler: list[str], files: list[Path], built: Path) -> None:
    """One file: compiled and linked in one command. Several: each compiled to an object,
    all at once (the compiler runs in a process of its own), then linked."""
    link = [*_link_flags(), "-lm"]
    if len(files) == 1:
        commands = [[*compiler, *FLAGS, *_include_flags(), str(files[0]), "-o", str(built),
                     *link]]
    else:
        objects = [f.with_suffix(".o") for f in files]
        commands = [[*compiler, *FLAGS, *_include_flags() * (i == 0), "-c", str(f), "-o",
                     str(o)] for i, (f, o) in enumerate(zip(files, objects))]
    running = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
               for c in commands]
    for process in running:
        output = process.communicate()[0]
        if process.returncode != 0:
            for other in running:
                other.kill()
                other.wait()
            lines = output.strip().splitlines()
            hint = " (are Python's development headers installed?)" if "Python.h" in output else ""
            raise _unavailable(f"the C compiler failed{hint}: {' / '.join(lines[:3])}")
    if len(files) > 1:
        done = subprocess.run([compiler[0], *map(str, objects), "-o", str(built), *link],
                              capture_output=True, text=True)
        if done.returncode != 0:
            lines = (done.stderr or done.stdout).strip().splitlines()
            raise _unavailable(f"linking the compiled parts failed: {' / '.join(lines[:3])}")


def _import(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: Argument types cffi reads as doubles as they are.
_FLOATS = frozenset((float, int))


class CFunction:
    """The compiled C code called from Python: numbers give floats, arrays give arrays."""

    __slots__ = ("module", "ffi", "scalar", "rows", "inputs", "results", "layout", "flat")

    def __init__(self, module, inputs: int, results: int, layout: list):
        self.module, self.ffi = module, module.ffi
        self.scalar = getattr(module.lib, NAME)
        self.rows = getattr(module.lib, NAME + "_rows")
        self.inputs, self.results, self.layout = inputs, results, layout
        self.flat = layout == ["[", *separated(range(results)), "]"]

    def __call__(self, *args):
        kinds = set(map(type, args))               # per type, not per argument: cheap
        if not kinds <= _FLOATS and not all(issubclass(k, numbers.Real) for k in kinds):
            return self._at_points(args)
        values = args if kinds <= _FLOATS else [float(a) for a in args]
        out = self.ffi.new("double[]", self.results)
        self.scalar(self.ffi.new("double[]", values), out)
        values = self.ffi.unpack(out, self.results)
        return values[0] if self.layout == [0] else values if self.flat else nest(values, self.layout)

    def _at_points(self, args):
        """``NAME_rows`` on the arrays as they are: a float64 array of the broadcast shape,
        contiguous, is read in place, one value is read with a step of 0, any other array
        is broadcast into a copy first."""
        import numpy

        arrays = [numpy.asarray(a, dtype=numpy.float64) for a in args]
        shape = numpy.broadcast_shapes(*(a.shape for a in arrays))
        size = math.prod(shape)
        result = numpy.empty((self.results,) + shape)
        if size and self.results:
            rows = [a if a.size == 1 or (a.shape == shape and a.flags.c_contiguous)
                    else numpy.ascontiguousarray(numpy.broadcast_to(a, shape)) for a in arrays]
            steps = self.ffi.new("long[]", [int(r.size != 1 or size == 1) for r in rows] or [0])
            addresses = numpy.array([r.ctypes.data for r in rows] or [0], dtype=numpy.uintp)
            self.rows(size, self.ffi.cast("const double *const *", addresses.ctypes.data),
                      steps, self.ffi.from_buffer("double[]", result, require_writable=True),
                      size)
        rows = list(result)
        return rows[0] if self.layout == [0] else rows if self.flat else nest(rows, self.layout)

    def __repr__(self):
        return f"<C function of {self.inputs} values -> {self.results}, {self.module.__name__}>"


def c_function(exprs, vars) -> tuple[CFunction, str, object]:
    """(function, C source, program) for ``lambdify``; ``CUnavailable`` if it cannot be
    compiled here (a function with no C code, no cffi, no compiler, a failed build). A
    large program is compiled at a lower level, as several files side by side."""
    try:
        program = program_of(exprs, vars)
        compile_cost = cost(program.statements)
        units = processors() if compile_cost > SPLIT and os.name == "posix" else 1
        files = sources(program, NAME, units)
    except NoCCode as error:
        raise _unavailable(str(error)) from None
    module = load_module(files, optimisation(compile_cost))
    function = CFunction(module, len(program.vars), len(program.outputs), program.layout)
    return function, "\n".join(files), program
