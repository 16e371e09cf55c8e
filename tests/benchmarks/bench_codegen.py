"""Benchmark: symdiff.lambdify (compiled gradients) against hand-written NumPy, SymPy's
lambdify and CasADi Functions; and how code generation time grows with the DAG.

Run from the repository root (after ``pip install -e ".[test,bench]"``):

    python tests/benchmarks/bench_codegen.py              # full run: about a minute
    python tests/benchmarks/bench_codegen.py --quick      # small sizes: about 15 seconds
    python tests/benchmarks/bench_codegen.py --markdown codegen.md --timeout 300

Three parts, each measurement in its own spawned child process with a time limit and a
memory limit (as in ``bench_gradients.py``, whose families and helpers this reuses):

(a) The gradient of Rosenbrock, n = 100 variables, at 100,000 points (10,000 with
    ``--quick``), one array per variable: symdiff ``lambdify(gradient(f), backend="numpy")``;
    a hand-written vectorised NumPy gradient (the reference for the ratios); SymPy's
    gradient (one ``diff`` per variable) through ``sympy.lambdify(..., "numpy", cse=True)``;
    a CasADi ``Function`` of the gradient, mapped over the points (``map(N, "serial")``).
    *setup* is differentiation plus compilation; *time* is one evaluation at all points
    (best of 5); every tool's result is checked against the hand-written one.
(b) The gradient of a two-layer tanh MLP's squared loss with all weights symbolic, on fixed
    data (the ``mlp`` family of ``bench_gradients.py``), evaluated at one point, one call at
    a time: symdiff ``lambdify(..., backend="math")`` (floats) against ``sympy.lambdify(...,
    "math", cse=True)`` and a CasADi ``Function`` called with a list. Calls per second (best
    of 5 batches); results checked against ``symdiff.evaluate``.
(c) Generation time against DAG size: gradients of about 10^3, 10^4 and 10^5 distinct nodes
    (Rosenbrock, wide; sin(sin(...x...)), 100,000-deep at the top size), for both backends:
    *generate* is ``to_python_source`` (analysis and text), *lambdify* adds CPython's
    ``compile`` and ``exec``. Linear growth shows as a steady time per node.

Missing anchors (SymPy, CasADi) are reported as "not installed". The file is named
``bench_*.py`` and defines no tests, so pytest does not collect it.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import math
import multiprocessing
import os
import sys
import time
import timeit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_gradients import (MEMORY_LIMIT_BYTES, POLL_SECONDS, CasadiTool,  # noqa: E402
                             SymdiffTool, SympyTool, _point, environment, fmt_ratio, fmt_time,
                             mlp, nested_sin, resident_bytes, rosenbrock)

ANCHORS = {"sympy": "SymPy", "casadi": "CasADi"}
ROSENBROCK_N = 100
FULL = {"points": 100_000, "mlp": [30, 100], "nodes": [10**3, 10**4, 10**5]}
QUICK = {"points": 10_000, "mlp": [30], "nodes": [10**3, 10**4]}
REPEATS = 5
CHECK_RTOL = 1e-9


# ------------------------------------------------------------------ (a) Rosenbrock over points
def hand_gradient(X):
    """The Rosenbrock gradient, vectorised by hand over an (n, points) array."""
    import numpy as np

    x0, x1 = X[:-1], X[1:]
    d = x1 - x0 * x0
    g = np.zeros_like(X)
    g[:-1] = -400.0 * x0 * d - 2.0 * (1.0 - x0)
    g[1:] += 200.0 * d
    return g


def _points(n: int, count: int):
    import numpy as np

    return np.random.default_rng(0).uniform(-1.5, 1.5, (n, count))


def rosenbrock_task(tool: str, count: int) -> dict:
    """Set up one tool's gradient, time it at ``count`` points, compare with the hand one."""
    import numpy as np

    X = _points(ROSENBROCK_N, count)
    rows = list(X)
    start = time.perf_counter()
    if tool == "numpy":
        call = lambda: hand_gradient(X)                                    # noqa: E731
    elif tool == "symdiff":
        import symdiff
        f, xs = rosenbrock(SymdiffTool(symdiff), ROSENBROCK_N)
        g = symdiff.lambdify(symdiff.gradient(f, xs), xs, backend="numpy")
        call = lambda: g(*rows)                                            # noqa: E731
    elif tool == "sympy":
        import sympy
        f, xs = rosenbrock(SympyTool(sympy), ROSENBROCK_N)
        g = sympy.lambdify(xs, [sympy.diff(f, x) for x in xs], "numpy", cse=True)
        call = lambda: g(*rows)                                            # noqa: E731
    else:
        import casadi
        f, xs = rosenbrock(CasadiTool(casadi), ROSENBROCK_N)
        x = casadi.vertcat(*xs)
        g = casadi.Function("g", [x], [casadi.gradient(f, x)]).map(count, "serial")
        call = lambda: g(X)                                                # noqa: E731
    setup = time.perf_counter() - start
    result = np.asarray(call(), dtype=float).reshape(X.shape)
    reference = hand_gradient(X)
    error = float(np.max(np.abs(result - reference) / np.maximum(1.0, np.abs(reference))))
    seconds = min(timeit.repeat(call, number=1, repeat=REPEATS))
    return {"setup_s": setup, "seconds": seconds, "error": error}


# ------------------------------------------------------------------ (b) MLP, one point per call
def mlp_task(tool: str, size: int) -> dict:
    import numpy as np

    import symdiff
    f, xs = mlp(SymdiffTool(symdiff), size)
    point = _point(len(xs))
    expected = [e.evaluate(dict(zip(xs, point))) for e in symdiff.gradient(f, xs)]
    start = time.perf_counter()
    if tool == "symdiff":
        g = symdiff.lambdify(symdiff.gradient(f, xs), xs, backend="math")
        call = lambda: g(*point)                                           # noqa: E731
    elif tool == "sympy":
        import sympy
        f, xs = mlp(SympyTool(sympy), size)
        g = sympy.lambdify(xs, [sympy.diff(f, x) for x in xs], "math", cse=True)
        call = lambda: g(*point)                                           # noqa: E731
    else:
        import casadi
        f, xs = mlp(CasadiTool(casadi), size)
        x = casadi.vertcat(*xs)
        g = casadi.Function("g", [x], [casadi.gradient(f, x)])
        call = lambda: g(point)                                            # noqa: E731
    setup = time.perf_counter() - start
    values = np.asarray(call(), dtype=float).ravel()
    error = float(np.max(np.abs(values - expected) / np.maximum(1.0, np.abs(expected))))
    number = max(1, int(0.2 / max(min(timeit.repeat(call, number=1, repeat=3)), 1e-7)))
    seconds = min(timeit.repeat(call, number=number, repeat=REPEATS)) / number
    return {"setup_s": setup, "seconds": seconds, "error": error, "vars": len(xs),
            "nodes": symdiff.node_count(symdiff.gradient(f, xs)) if tool == "symdiff" else None}


# ------------------------------------------------------------------ (c) generation vs size
def generation_task(family: str, target: int, backend: str) -> dict:
    import symdiff
    importlib.import_module(backend)   # imported before timing (lambdify's first use would)
    tool = SymdiffTool(symdiff)
    if family == "rosenbrock":         # the gradient has about 9 nodes per variable
        f, xs = rosenbrock(tool, max(2, round(target / 9)))
    else:                              # the gradient of the chain: about 2 nodes per level
        f, xs = nested_sin(tool, round(target / 2))
    outputs = symdiff.gradient(f, xs)
    start = time.perf_counter()
    source = symdiff.to_python_source(outputs, xs, backend=backend)
    generated = time.perf_counter()
    compiled = symdiff.lambdify(outputs, xs, backend=backend)
    done = time.perf_counter()
    point = _point(len(xs))
    value = compiled(*point)
    check = symdiff.evaluate(outputs[-1], dict(zip(xs, point)))
    ok = math.isclose(float(value[-1]), check, rel_tol=CHECK_RTOL, abs_tol=1e-300)
    return {"nodes": symdiff.node_count(outputs), "lines": source.count("\n"),
            "generate_s": generated - start, "lambdify_s": done - generated, "ok": ok}


TASKS = {"rosenbrock": rosenbrock_task, "mlp": mlp_task, "generation": generation_task}


# ------------------------------------------------------------------ children
def child(conn, task: str, args: tuple):
    try:
        conn.send(("ok", TASKS[task](*args)))
    except BaseException as error:     # anything becomes a table cell
        conn.send(("error", {"error": f"{type(error).__name__}: {error}"[:200]}))


def run(task: str, *args, timeout: float) -> dict:
    """One measurement in a spawned child, stopped at ``timeout`` or the memory limit."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=child, args=(sender, task, args), daemon=True)
    process.start()
    sender.close()
    deadline, result = time.monotonic() + timeout, None
    while result is None:
        if receiver.poll(POLL_SECONDS):
            try:
                result = receiver.recv()[1]
            except EOFError:
                result = {"error": f"crashed (exit {process.exitcode})"}
        elif resident_bytes(process.pid) > MEMORY_LIMIT_BYTES:
            result = {"error": f"out of memory (>{MEMORY_LIMIT_BYTES >> 30} GB)"}
        elif time.monotonic() > deadline:
            result = {"error": f">{timeout:g} s"}
    if process.is_alive():
        process.terminate()
        process.join(5)
        if process.is_alive():
            process.kill()
    process.join()
    receiver.close()
    return result


# ------------------------------------------------------------------ report
def _cells(r: dict, base: float | None, per_second: bool = False) -> list[str]:
    if "seconds" not in r:
        return [r.get("error", "?")] + ["–"] * (4 if per_second else 3)
    cells = [fmt_time(r["setup_s"]), fmt_time(r["seconds"])]
    if per_second:
        cells.append(f"{1 / r['seconds']:,.0f}")
    cells.append(fmt_ratio(r["seconds"] / base) if base else "–")
    cells.append(f"{r['error']:.1e}" if r["error"] > 0 else "0")
    return cells


def rosenbrock_table(results: dict, count: int) -> str:
    base = results["numpy"].get("seconds")
    lines = [f"### (a) Rosenbrock gradient, n = {ROSENBROCK_N}, at {count:,} points", "",
             "| tool | setup | time | time / hand-written NumPy | max rel. difference |",
             "|---|---|---|---|---|"]
    names = {"numpy": "hand-written NumPy", "symdiff": "symdiff lambdify (numpy)",
             "sympy": "SymPy lambdify (numpy, cse)", "casadi": "CasADi Function.map (serial)"}
    for tool, r in results.items():
        lines.append("| " + " | ".join([names[tool], *_cells(r, base)]) + " |")
    return "\n".join(lines)


def mlp_table(results: dict) -> str:
    lines = ["### (b) MLP squared-loss gradient, one point per call", "",
             "| weights | gradient DAG | tool | setup | time per call | calls / s | "
             "time / symdiff | max rel. difference |", "|---|---|---|---|---|---|---|---|"]
    names = {"symdiff": "symdiff lambdify (math)", "sympy": "SymPy lambdify (math, cse)",
             "casadi": "CasADi Function"}
    for size, row in results.items():
        mine = row.get("symdiff", {})
        for tool, r in row.items():
            cells = _cells(r, mine.get("seconds"), per_second=True)
            lines.append("| " + " | ".join([f"{mine.get('vars', size)}",
                                            f"{mine.get('nodes') or '–'}", names[tool],
                                            *cells]) + " |")
    return "\n".join(lines)


def generation_table(results: list) -> str:
    lines = ["### (c) Code generation time against DAG size (gradients)", "",
             "| family | backend | DAG nodes | source lines | generate | lambdify "
             "(generate + compile) | µs per node (lambdify) | value ok |",
             "|---|---|---|---|---|---|---|---|"]
    for family, backend, r in results:
        if "nodes" not in r:
            lines.append(f"| {family} | {backend} | {r.get('error', '?')} | – | – | – | – | – |")
            continue
        total = r["lambdify_s"]
        lines.append(f"| {family} | {backend} | {r['nodes']:,} | {r['lines']:,} | "
                     f"{fmt_time(r['generate_s'])} | {fmt_time(total)} | "
                     f"{total / r['nodes'] * 1e6:.1f} | {'ok' if r['ok'] else 'WRONG'} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (about 15 seconds)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per measurement (default 600; 120 with --quick)")
    parser.add_argument("--markdown", metavar="FILE", help="also write the report here")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    timeout = args.timeout or (120.0 if args.quick else 600.0)
    started = time.perf_counter()
    installed = [t for t in ANCHORS if importlib.util.find_spec(t) is not None]
    missing = [ANCHORS[t] for t in ANCHORS if t not in installed]

    def note(*what):
        print(*what, file=sys.stderr, flush=True)

    rosen = {}
    for tool in ["numpy", "symdiff", *installed]:
        rosen[tool] = run("rosenbrock", tool, plan["points"], timeout=timeout)
        note("(a)", tool, rosen[tool])
    mlps: dict = {}
    for size in plan["mlp"]:
        mlps[size] = {}
        for tool in ["symdiff", *installed]:
            mlps[size][tool] = run("mlp", tool, size, timeout=timeout)
            note("(b)", size, tool, mlps[size][tool])
    generation = []
    for family in ("rosenbrock", "nested_sin"):
        for target in plan["nodes"]:
            for backend in ("math", "numpy"):
                r = run("generation", family, target, backend, timeout=timeout)
                generation.append((family, backend, r))
                note("(c)", family, target, backend, r)
    env = environment(["symdiff", "numpy", *installed])
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items())
    header = (f"## symdiff code generation benchmark\n\nMachine: Python {env['python']} on "
              f"{env['platform']}; {env['cpu']}; {env['cpu_count']} CPUs. Packages: {versions} "
              f"(symdiff commit {env['symdiff_commit']}). Times: best of {REPEATS}; one thread "
              "everywhere." + (f" Not installed: {', '.join(missing)}." if missing else ""))
    total = time.perf_counter() - started
    report = "\n\n".join([header, rosenbrock_table(rosen, plan["points"]), mlp_table(mlps),
                          generation_table(generation),
                          f"Total run time: {total:.0f} s."]) + "\n"
    print(report)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as out:
            out.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
