"""Benchmark: compiled gradients where users run them. Every ``symdiff.lambdify`` backend
(math, numpy, and c, jax, torch where present) against hand-written NumPy, SymPy's
lambdify, a CasADi Function and CasADi's generated C; code generation time against DAG
size; ``symdiff grad --points`` on big CSV files.

Run from the repository root (after ``pip install -e ".[test,bench]"``):

    python tests/benchmarks/bench_codegen.py --markdown codegen.md    # full run: ~19 minutes
    python tests/benchmarks/bench_codegen.py --quick                  # small sizes: ~3 minutes
    python tests/benchmarks/bench_codegen.py --only rosenbrock,mlp --timeout 300

Parts (``--only`` picks some; each measurement runs in its own spawned child process with a
time limit and a memory limit, as in ``bench_gradients.py``, whose families this reuses):

rosenbrock, mlp
    The gradient of Rosenbrock (n = 1000 and 100 variables) and of a 3-6-1 tanh MLP's
    squared loss on fixed data (31 symbolic weights), per call (one point, Python floats)
    and per point (a batch of N points, the same (n, N) array for every tool). Contestants:
    see ``codegen_tools.py``. Before timing, every tool's values at the point and at the
    batch are checked against symdiff's numpy backend: |a - b| <= 1e-9 max(1, |b|); a
    disagreement is reported and not timed. *setup* is building, differentiating and
    compiling (CasADi's C: generating and gcc -O2; SymPy: one ``diff`` per variable).
compile
    ``lambdify`` time (generation + compilation) of gradients of about 10^3, 10^4, 10^5
    nodes (Rosenbrock; sin(sin(...x...))) for every backend, with a fresh compilation cache
    for c (``SYMDIFF_CACHE``; *again* is a second ``lambdify``, served from the cache), the
    first call (jax: tracing and XLA), and CasADi's generate + gcc -O2 of its own gradient.
points
    ``python -m symdiff grad "x^2*y + sin(x)" --points FILE`` on CSV files of 10^5 to 10^7
    rows (written once to a temporary folder), stdout to /dev/null: wall time and peak RSS
    (``getrusage(RUSAGE_CHILDREN)``), and the first 1,000 output rows checked.

Timing: wall time (``time.perf_counter``), best of up to 5 repetitions (3 with ``--quick``)
of a batch of calls sized as ``timeit.Timer.autorange`` sizes it (at least 0.2 s), stopping
early past a budget; BLAS, OpenMP, XLA and torch limited to one thread. Missing tools are
reported as "not available (reason)". The file is named ``bench_*.py`` and defines no tests,
so pytest does not collect it.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import math
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import timeit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_gradients import (MEMORY_LIMIT_BYTES, POLL_SECONDS, CasadiTool,  # noqa: E402
                             SymdiffTool, _point, environment, nested_sin, resident_bytes,
                             rosenbrock, symdiff_revision)
from codegen_report import report  # noqa: E402
from codegen_tools import (CHECK_RTOL, GeneratedC, as_array, generate_casadi_c,  # noqa: E402
                           lambdify, library, prepare, rel_error, variables)

FULL = {"rosenbrock": [(1000, 10_000), (100, 100_000)], "mlp": [(30, 100_000)],
        "nodes": [10**3, 10**4, 10**5], "rows": [10**5, 10**6, 10**7],
        "repeats": 5, "budget": 5.0, "timeout": 600.0}
QUICK = {"rosenbrock": [(100, 1000)], "mlp": [(30, 1000)], "nodes": [10**3, 10**4],
         "rows": [10**4, 10**5], "repeats": 3, "budget": 1.0, "timeout": 120.0}
PARTS = ("rosenbrock", "mlp", "compile", "points")
#: symdiff backends in the order of the tables (others lambdify accepts follow them).
BACKEND_ORDER = ("numpy", "math", "c", "jax", "torch", "torch.compile")
ANCHOR_ORDER = ("sympy", "casadi", "casadi_c")
#: Not in the compile part: nothing to generate, or (torch.compile) minutes at 10^5 nodes;
#: CasADi's C only for Rosenbrock (gcc takes minutes on the 10^5-deep chain).
COMPILE_SKIPS = ("hand", "sympy", "casadi", "torch.compile")
#: Seconds at most for the slowest compilers: torch.compile, and jax.jit in the compile part
#: (XLA's time grows faster than the DAG: 20 s at 10^4 nodes).
JIT_LIMIT = 180.0
SYMPY_QUICK_VARS = 100              # a quick run leaves SymPy out above this (minutes)
POINTS_EXPR = "x^2*y + sin(x)"
CHECK_ROWS = 1000
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"}


# ------------------------------------------------------------------ measuring (in a child)
def best_time(call, repeats: int, budget: float) -> tuple[float, int]:
    """Seconds per call: the best of up to ``repeats`` batches of autorange's size."""
    timer = timeit.Timer(call, timer=time.perf_counter)
    number, spent = timer.autorange()
    best, runs = spent / number, 1
    while runs < repeats and spent < budget:
        seconds = timer.timeit(number)
        best, spent, runs = min(best, seconds / number), spent + seconds, runs + 1
    return best, runs


def batch_points(family: str, size: int, count: int):
    """The same N points for every tool: an (n, N) array, one row per variable."""
    import numpy as np

    spread = 1.5 if family == "rosenbrock" else 1.0
    return np.random.default_rng(0).uniform(-spread, spread, (variables(family, size), count))


def family_task(tool, family, size, count, reference, repeats, budget):
    """Set up, check at the point and the batch, then time both (one phase each)."""
    import numpy as np

    point, X = _point(variables(family, size)), batch_points(family, size, count)
    try:
        for module in ("symdiff", library(tool)):   # imports are not setup time
            importlib.import_module(module)
        start = time.perf_counter()
        entry = prepare(tool, family, size, count)
    except ImportError as error:
        yield "missing", {"missing": f"{type(error).__name__}: {error}"[:200]}
        return
    yield "setup", {"setup_s": time.perf_counter() - start, "nodes": entry.nodes,
                    "note": entry.note, "why": entry.why}
    args = entry.batch_args(X) if entry.batch else None
    gc.collect()                        # the setup's garbage is not the first call's time
    start = time.perf_counter()
    value = entry.call(point)
    check = {"first_call_s": time.perf_counter() - start}
    if entry.batch:
        start = time.perf_counter()
        batch = entry.batch(args)
        check["first_batch_s"] = time.perf_counter() - start
    if tool == "numpy":                 # the reference, saved before anything is timed
        np.savez(reference, call=as_array(value), batch=as_array(batch))
    if os.path.exists(reference):
        saved = np.load(reference)
        check["call_err"] = rel_error(value, saved["call"])
        if entry.batch:
            check["batch_err"] = rel_error(batch, saved["batch"])
    yield "check", check
    if check.get("call_err", 0.0) <= CHECK_RTOL:
        seconds, runs = best_time(lambda: entry.call(point), repeats, budget)
        yield "call", {"call_s": seconds, "call_runs": runs}
    if entry.batch and check.get("batch_err", 0.0) <= CHECK_RTOL:
        seconds, runs = best_time(lambda: entry.batch(args), repeats, budget)
        yield "batch", {"batch_s": seconds / count, "batch_runs": runs}


def compile_task(family, target, tool):
    """lambdify time of a gradient of about ``target`` nodes, its first call, its value."""
    os.environ["SYMDIFF_CACHE"] = tempfile.mkdtemp(prefix="cache_")   # c: lambdify compiles
    import symdiff
    importlib.import_module(library(tool))   # imports are not lambdify's time

    family_of = rosenbrock if family == "rosenbrock" else nested_sin
    size = max(2, round(target / 9)) if family == "rosenbrock" else round(target / 2)
    f, xs = family_of(SymdiffTool(symdiff), size)
    outputs = symdiff.gradient(f, xs)
    point = _point(len(xs))
    expected = symdiff.evaluate(outputs[-1], dict(zip(xs, point)))
    if tool == "casadi_c":
        import casadi
        import numpy as np
        cf, cxs = family_of(CasadiTool(casadi), size)
        x = casadi.vertcat(*cxs)
        g = casadi.Function("g", [x], [casadi.gradient(cf, x)])
        yield "built", {"nodes": g.n_nodes()}
        gc.collect()
        start = time.perf_counter()
        compiled = GeneratedC(generate_casadi_c([g], tempfile.mkdtemp()), "g")
        yield "compiled", {"lambdify_s": time.perf_counter() - start}
        call = lambda: compiled(np.asarray(point), np.empty(len(xs)))          # noqa: E731
    else:
        yield "built", {"nodes": symdiff.node_count(outputs)}
        backend = "torch" if tool == "torch.compile" else tool
        gc.collect()                    # the gradient's garbage is not lambdify's time
        start = time.perf_counter()
        try:
            compiled = lambdify(outputs, xs, backend)
        except ImportError as error:
            yield "missing", {"missing": f"{type(error).__name__}: {error}"[:200]}
            return
        yield "compiled", {"lambdify_s": time.perf_counter() - start}
        if tool == "c":                 # again: from the cache, no compilation
            from symdiff.codegen.c_compile import compilations
            before, start = compilations(), time.perf_counter()
            lambdify(outputs, xs, backend)
            yield "again", {"again_s": time.perf_counter() - start,
                            "again_compiled": compilations() - before}
        call = _first_call(tool, compiled, point)
    gc.collect()
    start = time.perf_counter()
    value = as_array(call()).ravel()
    yield "called", {"first_call_s": time.perf_counter() - start,
                     "ok": math.isclose(float(value[-1]), expected, rel_tol=CHECK_RTOL,
                                        abs_tol=1e-300)}


def _first_call(tool, compiled, point):
    if tool == "jax":
        import jax
        jax.config.update("jax_enable_x64", True)
        jitted = jax.jit(compiled.function)
        return lambda: jax.block_until_ready(jitted(*point))
    if tool == "torch":
        import torch
        return lambda: compiled(*torch.tensor(point, dtype=torch.float64).unbind())
    return lambda: compiled(*point)


def write_points(path: str, rows: int, chunk: int = 10**6):
    """A CSV of ``rows`` points (x, y) with six decimals, written a chunk at a time."""
    import numpy as np

    rng = np.random.default_rng(0)
    with open(path, "w", encoding="ascii") as out:
        out.write("x,y\n")
        for start in range(0, rows, chunk):
            xy = rng.uniform(-2, 2, (min(chunk, rows - start), 2)).tolist()
            out.write("".join(f"{x:.6f},{y:.6f}\n" for x, y in xy))


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def points_task(rows, folder, timeout):
    """``symdiff grad --points`` on a ``rows``-row file (0: ``--at`` alone, the baseline):
    the child's only child, so RUSAGE_CHILDREN's peak is its own; then a 1,000-row check."""
    path = os.path.join(folder, f"points_{rows}.csv")
    if rows and not os.path.exists(path):
        start = time.perf_counter()
        write_points(path + ".part", rows)
        os.replace(path + ".part", path)
        yield "file", {"write_s": time.perf_counter() - start}
    command = [sys.executable, "-m", "symdiff", "grad", POINTS_EXPR]
    command += ["--points", path] if rows else ["--at", "x=0.5,y=2"]
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          timeout=timeout, preexec_fn=_limit_memory)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    yield "ran", {"wall_s": time.perf_counter() - start, "rss": usage.ru_maxrss * 1024,
                  "bytes": os.path.getsize(path) if rows else 0, "exit": done.returncode,
                  "stderr": done.stderr.decode(errors="replace").strip()[-200:]}
    if rows:
        yield "check", {"check_err": _check_points(path, folder, timeout)}


def _check_points(path: str, folder: str, timeout: float) -> float:
    """The CLI's first CHECK_ROWS rows against the numpy backend at the same points."""
    import numpy as np

    import symdiff
    head = os.path.join(folder, f"head_{os.getpid()}.csv")
    with open(path, encoding="ascii") as source, open(head, "w", encoding="ascii") as out:
        out.writelines(line for _, line in zip(range(CHECK_ROWS + 1), source))
    text = subprocess.run([sys.executable, "-m", "symdiff", "grad", POINTS_EXPR, "--points",
                           head], capture_output=True, text=True, timeout=timeout).stdout
    table = np.loadtxt(text.splitlines(), delimiter=",", skiprows=1, ndmin=2)
    f = symdiff.parse(POINTS_EXPR)
    grad = symdiff.lambdify(symdiff.gradient(f, ["x", "y"]), ["x", "y"])
    return rel_error(table[:, 2:].T, as_array(grad(table[:, 0], table[:, 1])))


TASKS = {"family": family_task, "compile": compile_task, "points": points_task}


# ------------------------------------------------------------------ children (parent side)
def child(conn, task: str, args: tuple):
    try:
        for phase, data in TASKS[task](*args):
            conn.send((phase, data))
        conn.send(("done", {}))
    except BaseException as error:     # anything becomes a table cell
        conn.send(("error", {"error": f"{type(error).__name__}: {error}"[:200]}))


def run(task: str, *args, timeout: float) -> dict:
    """One measurement in a spawned child, its phases gathered; stopped ``timeout`` seconds
    after the last phase ended, or at the memory limit (then ``error`` says so)."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=child, args=(sender, task, args), daemon=True)
    process.start()
    sender.close()
    result, deadline = {}, time.monotonic() + timeout
    while True:
        if receiver.poll(POLL_SECONDS):
            try:
                phase, data = receiver.recv()
            except EOFError:
                process.join(5)
                result["error"] = f"crashed (exit {process.exitcode})"
                break
            result.update(data)
            if phase in ("done", "error", "missing"):
                break
            deadline = time.monotonic() + timeout
        elif resident_bytes(process.pid) > MEMORY_LIMIT_BYTES:
            result["error"] = f"out of memory (>{MEMORY_LIMIT_BYTES >> 30} GB)"
            break
        elif time.monotonic() > deadline:
            result["error"] = f">{timeout:g} s"
            break
    if process.is_alive():
        process.terminate()
        process.join(5)
        if process.is_alive():
            process.kill()
    process.join()
    receiver.close()
    return result


# ------------------------------------------------------------------ the plan
def contestants(quick: bool) -> tuple[list[str], dict[str, str]]:
    """The tools to run and, for the others, why not: every backend lambdify accepts now."""
    from symdiff.codegen.compile import BACKENDS

    accepted = list(BACKENDS) + (["torch.compile"] if "torch" in BACKENDS else [])
    tools = ["hand"] + [b for b in BACKEND_ORDER if b in accepted]
    tools += [b for b in accepted if b not in BACKEND_ORDER] + list(ANCHOR_ORDER)
    unavailable = {b: f"lambdify has no {b!r} backend in this checkout"
                   for b in BACKEND_ORDER if b not in accepted and b != "torch.compile"}
    for tool in tools:
        if importlib.util.find_spec(library(tool)) is None:
            unavailable[tool] = f"{library(tool)} is not installed"
    if quick and "torch.compile" in tools:
        unavailable["torch.compile"] = "left out of a quick run: compiling takes minutes"
    return [t for t in tools if t not in unavailable], unavailable


def note(*what):
    print(*what, file=sys.stderr, flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a few minutes)")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts, from: {', '.join(PARTS)}")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per phase of a measurement (default 600; 120 with --quick)")
    parser.add_argument("--markdown", metavar="FILE", help="also write the report here")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    if unknown := [p for p in parts if p not in PARTS]:
        parser.error(f"unknown parts: {', '.join(unknown)}")
    plan = dict(QUICK if args.quick else FULL)
    timeout = args.timeout or plan["timeout"]
    os.environ.update(ONE_THREAD)       # inherited by every child
    folder = tempfile.mkdtemp(prefix="bench_codegen_")
    os.environ["SYMDIFF_CACHE"] = os.path.join(folder, "cache")   # c: setup compiles
    os.environ["TMPDIR"] = folder       # the children's files, removed with it at the end
    started = time.perf_counter()
    libraries = ["symdiff", "numpy", "sympy", "casadi", "cffi", "jax", "jaxlib", "torch"]
    env = environment([n for n in libraries if importlib.util.find_spec(n) is not None])
    gcc = subprocess.run(["gcc", "--version"], capture_output=True, text=True).stdout
    env["gcc"] = gcc.split("\n")[0] if gcc else "no gcc"
    code = symdiff_revision()[1]
    tools, unavailable = contestants(args.quick)
    results: dict = {"families": {}, "compile": [], "points": [], "points_expr": POINTS_EXPR}
    try:
        for family in ("rosenbrock", "mlp"):
            for size, count in plan[family] if family in parts else []:
                row = results["families"][(family, size, count)] = {}
                reference = os.path.join(folder, f"reference_{family}_{size}.npz")
                for tool in ["numpy"] + [t for t in tools if t != "numpy"]:   # the reference first
                    if tool == "sympy" and args.quick and size > SYMPY_QUICK_VARS:
                        row[tool] = {"missing": "left out of a quick run: minutes"}
                        continue
                    limit = min(timeout, JIT_LIMIT) if tool == "torch.compile" else timeout
                    row[tool] = run("family", tool, family, size, count, reference,
                                    plan["repeats"], plan["budget"], timeout=limit)
                    note(family, size, tool, row[tool])
                results["families"][(family, size, count)] = {t: row[t] for t in tools if t in row}
        for family in ("rosenbrock", "nested_sin") if "compile" in parts else ():
            for target in plan["nodes"]:
                for tool in [t for t in tools if t not in COMPILE_SKIPS
                             and (family == "rosenbrock" or t != "casadi_c")]:
                    limit = min(timeout, JIT_LIMIT) if tool == "jax" else timeout
                    r = run("compile", family, target, tool, timeout=limit)
                    results["compile"].append((family, target, tool, r))
                    note("compile", family, target, tool, r)
        for rows in [0, *plan["rows"]] if "points" in parts else ():
            r = run("points", rows, folder, 0.95 * timeout, timeout=timeout)
            results["points"].append((rows, r))
            note("points", rows, r)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if (now := symdiff_revision())[1] != code:   # edited while we measured: say so
        env["symdiff_commit_at_end"] = now[0]
    text = report(results, env, unavailable, plan, time.perf_counter() - started, args.quick)
    print(text)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as out:
            out.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
