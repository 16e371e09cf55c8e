"""Benchmark: symdiff's reverse-mode gradient and Hessian against SymPy, SymEngine and CasADi.

Run from the repository root (after ``pip install -e ".[test,bench]"``):

    python tests/benchmarks/bench_gradients.py            # full run: about 20 minutes
    python tests/benchmarks/bench_gradients.py --quick    # smaller sizes: a few minutes
    python tests/benchmarks/bench_gradients.py --families rosenbrock,mlp --tools symdiff,casadi \\
        --timeout 60 --json results.json --markdown results.md

Every family is built natively in each tool, with the same formula and the same constants:
Rosenbrock, log-sum-exp, a tanh MLP's squared loss (all weights symbolic), sin(sin(...x...))
and prod (x + i). Only differentiation is timed, from an already built function: all n
partials for a gradient; gradient plus all second partials for a Hessian. SymPy and SymEngine
have no reverse mode, so their gradient is one ``diff`` per variable and their Hessian one
``diff`` per upper-triangle entry. Sizes are distinct DAG nodes (shared subexpressions counted
once) of the function and of all output entries together. As a correctness check, the output
entries summed with fixed weights at a fixed point must agree between symdiff and CasADi
(SymPy and SymEngine evaluate big outputs as trees: minutes, so they are not checked).
For symdiff, *built / kept* is the nodes one (untimed) run creates over the nodes of its
output that did not exist before (1.00: nothing built is thrown away).

Two more tables follow: symdiff's gradient time at n = 10^3, 10^4 and 10^5 (one run each) and
its growth exponent log(t(10^5) / t(10^3)) / log(100) (1: linear), and the goals: the gradient
at n = 1000 within 5x of CasADi, growth exponent <= 1.05, the Hessian at n = 30 faster than
SymEngine (``--no-growth`` leaves the growth runs out).

Times are the measuring process's CPU time, so that other work on a shared machine does not
count. Each (family, size, kind, tool) runs in its own spawned child process with a time limit per
phase (build, differentiate, count, check) and a memory limit (8 GB resident), so a hang, a
RecursionError, a memory blow-up or a crash in an anchor becomes a table cell instead of a
dead benchmark. Anchors get a high recursion limit
and a large thread stack; symdiff runs with Python's defaults. The file is named
``bench_*.py`` and defines no tests, so pytest does not collect it.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
import math
import multiprocessing
import operator
import os
import platform
import random
import signal
import subprocess
import sys
import threading
import time
from functools import reduce

TOOLS = {"symdiff": "symdiff", "sympy": "SymPy", "symengine": "SymEngine", "casadi": "CasADi"}
MANY_VARS = ("rosenbrock", "logsumexp", "mlp")
FULL_PLAN = {  # family -> kind -> sizes
    **dict.fromkeys(MANY_VARS, {"gradient": [10, 100, 1000], "hessian": [10, 30, 100]}),
    "nested_sin": {"gradient": [10**4, 10**5]}, "product": {"gradient": [200], "hessian": [200]},
}
QUICK_PLAN = {
    **dict.fromkeys(MANY_VARS, {"gradient": [10, 100, 1000], "hessian": [10, 30]}),
    "nested_sin": {"gradient": [100]}, "product": {"gradient": [20], "hessian": [20]},
}
#: Sizes past which a tool is not run in a quick run (SymPy needs minutes there).
QUICK_LIMITS = {"sympy": {"gradient": 100, "hessian": 10}}
#: symdiff's gradient sizes for the growth exponent.
GROWTH_SIZES = [1000, 10_000, 100_000]
#: The goals: gradient time over CasADi's at this size, Hessian time over SymEngine's at this size.
GOAL_GRADIENT_SIZE, GOAL_GRADIENT_RATIO = 1000, 5.0
GOAL_HESSIAN_SIZE, GOAL_GROWTH = 30, 1.05
SLOW_RUN = 1.0        # seconds: a run this slow is timed once
REPEAT_BUDGET = 2.0   # seconds: fast cases repeat (best of up to MAX_RUNS) within this budget
MAX_RUNS = 5
ANCHOR_RECURSION_LIMIT = 1_000_000
ANCHOR_STACK_BYTES = 1 << 30
MEMORY_LIMIT_BYTES = 8 << 30   # a child using more is stopped: "out of memory", not swap or OOM
POLL_SECONDS = 0.25
CHECK_RTOL = 1e-8


# ------------------------------------------------------------------------ the tools
def _flat(out) -> list:
    """Output entries as one flat list: a gradient list or the rows of a Hessian."""
    if not isinstance(out, (list, tuple)):
        return [out]
    return [e for item in out for e in (item if isinstance(item, (list, tuple)) else [item])]


def _weighted(values) -> list:
    """Values times fixed small-integer weights, for the correctness check in every tool."""
    return [(1 + i % 3) * v for i, v in enumerate(values)]


def _point(count: int) -> list[float]:
    """A fixed evaluation point in [0.3, 0.8), the same in every tool."""
    return [round(0.3 + 0.5 * ((i * 0.618034) % 1), 4) for i in range(count)]


class Tool:
    """A library as the families and the timing loop see it. The defaults are SymPy's and
    SymEngine's: no reverse mode, so one ``diff`` per partial derivative."""

    def __init__(self, module):
        self.m = module
        self.exp, self.log, self.tanh, self.sin = module.exp, module.log, module.tanh, module.sin

    def symbols(self, names):
        return [self.m.Symbol(name) for name in names]

    def total(self, terms):
        return self.m.Add(*terms)

    def product(self, factors):
        return self.m.Mul(*factors)

    def gradient(self, f, xs):
        return [self.m.diff(f, x) for x in xs]

    def hessian(self, f, xs):
        """The gradient, then the upper triangle entry by entry, mirrored."""
        rows = [[None] * len(xs) for _ in xs]
        for i, g in enumerate(self.gradient(f, xs)):
            for j in range(i, len(xs)):
                rows[i][j] = rows[j][i] = self.m.diff(g, xs[j])
        return rows

    def reset(self):
        gc.collect()

    def size(self, out, xs):
        """Distinct subexpressions, iteratively (deep formulas) with a visited set (a tree
        walk would count a shared subtree once per path)."""
        seen, stack = set(), _flat(out)
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(node.args)
        return len(seen)

    def value(self, out, xs, point):
        """The output entries summed with ``_weighted`` at ``point``; None where evaluating
        costs far more than differentiating (SymPy; SymEngine's Lambdify walks trees)."""
        return None


class SymdiffTool(Tool):
    def symbols(self, names):
        return [self.m.Var(name) for name in names]

    def gradient(self, f, xs):
        return self.m.gradient(f, xs)

    def hessian(self, f, xs):
        return self.m.hessian(f, xs)

    def size(self, out, xs):
        return self.m.node_count(_flat(out))

    def value(self, out, xs, point):
        total = self.m.Add(*_weighted(_flat(out)))   # evaluated in one pass over the DAG
        return self.m.evaluate(total, dict(zip(xs, point)))

    def waste(self, op, f, xs) -> dict:
        """Nodes one run creates, and how many of them its output keeps."""
        intern = importlib.import_module("symdiff.core.intern")
        alive = intern.live_nodes()                  # held: no id is reused while counting
        existed = {id(node) for node in alive}
        before = intern.nodes_created()
        out = op(f, xs)
        created = intern.nodes_created() - before
        kept = sum(1 for node in self.m.topological(_flat(out)) if id(node) not in existed)
        return {"built": created, "kept": kept}


class SympyTool(Tool):
    def reset(self):
        from sympy.core.cache import clear_cache
        clear_cache()   # or a repeat would be served from SymPy's cache
        gc.collect()


class CasadiTool(Tool):
    """CasADi SX: binary sums and products; scalar symbols stacked into one vector."""

    def symbols(self, names):
        return [self.m.SX.sym(name) for name in names]

    def total(self, terms):
        return reduce(operator.add, terms)

    def product(self, factors):
        return reduce(operator.mul, factors)

    def gradient(self, f, xs):
        return self.m.gradient(f, self.m.vertcat(*xs))

    def hessian(self, f, xs):
        return self.m.hessian(f, self.m.vertcat(*xs))[0]

    def _function(self, out, xs):
        return self.m.Function("g", [self.m.vertcat(*xs)], [out])

    def size(self, out, xs):
        return self._function(out, xs).n_nodes()   # unique nodes, inputs included

    def value(self, out, xs, point):
        values = self._function(out, xs)(point).full().ravel()   # row-major, like _flat
        return float(sum(_weighted(values)))


TOOL_CLASSES = {"symdiff": SymdiffTool, "sympy": SympyTool, "symengine": Tool,
                "casadi": CasadiTool}


# ------------------------------------------------------------------------ the families
def rosenbrock(t, n):
    """sum_{i<n-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2."""
    x = t.symbols([f"x{i}" for i in range(n)])
    return t.total([100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(n - 1)]), x


def logsumexp(t, n):
    """log(sum_i exp(k_i x_i)), k_i = 1 + i mod 5."""
    x = t.symbols([f"x{i}" for i in range(n)])
    return t.log(t.total([t.exp((1 + i % 5) * x[i]) for i in range(n)])), x


def mlp(t, n, inputs=3, points=4):
    """Squared loss of a 3-h-1 tanh MLP on 4 fixed points; 5h + 1 ≈ n symbolic weights."""
    hidden = max(1, round((n - 1) / (inputs + 2)))
    rng = random.Random(0)
    data = [[round(rng.uniform(-1, 1), 3) for _ in range(inputs)] for _ in range(points)]
    targets = [round(rng.uniform(-1, 1), 3) for _ in range(points)]
    names = [f"W{j}_{i}" for j in range(hidden) for i in range(inputs)]
    names += [f"b{j}" for j in range(hidden)] + [f"v{j}" for j in range(hidden)] + ["c"]
    params = t.symbols(names)
    w, b = params[:hidden * inputs], params[hidden * inputs:hidden * (inputs + 1)]
    v, c = params[hidden * (inputs + 1):-1], params[-1]

    def predict(d):
        return t.total([v[j] * t.tanh(t.total([w[j * inputs + i] * d[i] for i in range(inputs)])
                                      + b[j]) for j in range(hidden)]) + c

    return t.total([(predict(d) - y) ** 2 for d, y in zip(data, targets)]), params


def nested_sin(t, depth):
    """sin(sin(...sin(x)...)), ``depth`` deep: one variable, a long chain."""
    x = t.symbols(["x"])
    expr = x[0]
    for _ in range(depth):
        expr = t.sin(expr)
    return expr, x


def product(t, n):
    """prod_{i=1}^{n} (x + i): one variable, one wide product."""
    x = t.symbols(["x"])
    return t.product([x[0] + i for i in range(1, n + 1)]), x


FAMILIES = {f.__name__: f for f in (rosenbrock, logsumexp, mlp, nested_sin, product)}


# ------------------------------------------------------------------------ one measurement (child)
def _time_best(tool, op, f, xs):
    """Best of a few runs for fast cases, one run for slow ones; returns (seconds, runs, out)."""
    best, spent, runs, out = math.inf, 0.0, 0, None
    while True:
        out = None   # drop the previous result, so a repeat does not find its nodes cached
        tool.reset()
        start = time.process_time()       # CPU time: the machine may be shared
        out = op(f, xs)
        elapsed = time.process_time() - start
        best, spent, runs = min(best, elapsed), spent + elapsed, runs + 1
        if elapsed >= SLOW_RUN or spent >= REPEAT_BUDGET or runs >= MAX_RUNS:
            return best, runs, out


def _measure(conn, tool_name, family, size, kind, timing_only=False):
    """Build, time, count and check one case (and, for symdiff, count the nodes one run
    builds and keeps), reporting each phase as it ends."""
    try:
        tool = TOOL_CLASSES[tool_name](importlib.import_module(tool_name))
        start = time.perf_counter()
        f, xs = FAMILIES[family](tool, size)
        build = time.perf_counter() - start
        conn.send(("built", {"build_s": build, "vars": len(xs), "f_size": tool.size(f, xs)}))
        op = tool.gradient if kind == "gradient" else tool.hessian
        seconds, runs, out = _time_best(tool, op, f, xs)
        conn.send(("timed", {"seconds": seconds, "runs": runs}))
        conn.send(("counted", {"out_size": tool.size(out, xs)}))
        if timing_only:              # growth runs: the time is all they are for
            conn.send(("checked", {"value": None}))
            conn.send(("wasted", {}))
            return
        try:
            value = tool.value(out, xs, _point(len(xs)))
            check = {"value": value if value is None or math.isfinite(value) else None}
        except Exception as error:   # a check that cannot run is not a failed measurement
            check = {"value": None, "check_error": f"{type(error).__name__}: {error}"[:200]}
        conn.send(("checked", check))
        out = None
        conn.send(("wasted", tool.waste(op, f, xs) if hasattr(tool, "waste") else {}))
    except BaseException as error:   # RecursionError, MemoryError, anything: becomes a cell
        conn.send(("error", {"error": type(error).__name__, "detail": str(error)[:300]}))


def child(conn, tool_name, family, size, kind, timing_only=False):
    """Child entry point; anchors get the deep stack and recursion limit they need."""
    if tool_name == "symdiff":   # symdiff must cope with Python's default limits
        _measure(conn, tool_name, family, size, kind, timing_only)
        return
    sys.setrecursionlimit(ANCHOR_RECURSION_LIMIT)
    threading.stack_size(ANCHOR_STACK_BYTES)
    worker = threading.Thread(target=_measure, args=(conn, tool_name, family, size, kind,
                                                     timing_only))
    worker.start()
    worker.join()


# ------------------------------------------------------------------------ running (parent)
NEXT_PHASE = {"built": "differentiate", "timed": "count", "counted": "check", "checked": "waste",
              "wasted": None, "error": None}


def resident_bytes(pid: int) -> int:
    """A process's resident memory (Linux; 0 where /proc is not available)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS"))
    except (OSError, StopIteration, ValueError):
        return 0


def measure(tool, family, size, kind, timeout, timing_only=False) -> dict:
    """Run one case in a spawned child; each phase gets ``timeout`` seconds. Memory is watched
    from here, since an anchor busy in C++ holds the GIL and cannot watch itself."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=child, args=(sender, tool, family, size, kind, timing_only),
                              daemon=True)
    process.start()
    sender.close()
    result, phase = {"tool": tool, "family": family, "size": size, "kind": kind}, "build"
    deadline = time.monotonic() + timeout
    while phase:
        if not receiver.poll(POLL_SECONDS):
            if resident_bytes(process.pid) > MEMORY_LIMIT_BYTES:
                result["error"] = f"out of memory (>{MEMORY_LIMIT_BYTES >> 30} GB)"
                result["failed_phase"] = phase
                break
            if time.monotonic() > deadline:
                result["timeout"] = phase
                break
            continue
        deadline = time.monotonic() + timeout
        try:
            tag, data = receiver.recv()
        except EOFError:   # the child died without a word: a crash in C, or killed
            process.join(5)
            code = process.exitcode
            how = signal.Signals(-code).name if code and code < 0 else f"exit {code}"
            tag, data = "error", {"error": f"crashed ({how})"}
        result.update(data)
        if tag == "error":
            result["failed_phase"] = phase
        phase = NEXT_PHASE[tag]
    if process.is_alive():
        process.terminate()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
    receiver.close()
    return result


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    return f"{seconds * 1e3:.3g} ms" if seconds < 1 else f"{seconds:.3g} s"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:.2g}x" if ratio < 10 else f"{ratio:,.0f}x"   # 0.35x, 2.1x, 1,234x


def tool_cells(r: dict | None, mine: dict | None, timeout: float) -> list[str]:
    """Time, output DAG size, and time / symdiff's time (a lower bound after a timeout)."""
    if r is None:
        return ["–"] * 3
    if r.get("skipped"):
        return ["not run", "–", "–"]
    why = f">{timeout:g} s" if "timeout" in r else r.get("error", "?")
    base = mine["seconds"] if mine and "seconds" in mine else None
    if "seconds" not in r:
        where = " (build)" if "build" in (r.get("timeout"), r.get("failed_phase")) else ""
        late = r.get("timeout") == "differentiate" and base
        return [why + where, "–", ">" + fmt_ratio(timeout / base) if late else "–"]
    size = f"{r['out_size']:,}" if "out_size" in r else f"count {why}"
    return [fmt_time(r["seconds"]), size, fmt_ratio(r["seconds"] / base) if base else "–"]


def check_cell(row: dict, anchors: list[str]) -> str:
    """Does symdiff's weighted output sum agree with the anchors that could evaluate theirs?"""
    mine = row.get("symdiff") or {}
    theirs = {t: row[t]["value"] for t in anchors if (row.get(t) or {}).get("value") is not None}
    if mine.get("value") is None or not theirs:
        return "n/a" if "check_error" in mine else "–"
    errors = {t: abs(v - mine["value"]) / max(1.0, abs(mine["value"])) for t, v in theirs.items()}
    bad = [f"≠ {TOOLS[t]} ({e:.1e})" for t, e in errors.items() if not e <= CHECK_RTOL]
    return ", ".join(bad) if bad else "ok"


def markdown_table(rows: list[dict], anchors: list[str], timeout: float) -> str:
    head = ["family", "size", "vars", "kind", "f DAG", "symdiff time", "symdiff out DAG",
            "out / f", "built / kept", "check"]
    for tool in anchors:
        head += [f"{TOOLS[tool]} {c}" for c in ("time", "out DAG", "time / symdiff time")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        mine = row.get("symdiff") or {}
        built = next((r for r in row.values() if isinstance(r, dict) and "vars" in r), None)
        f_size, out_size = mine.get("f_size"), mine.get("out_size")
        variables = f"{built['vars']:,}" if built else "–"
        cells = [row["family"], f"{row['size']:,}", variables, row["kind"],
                 f"{f_size:,}" if f_size else "–", *tool_cells(mine, None, timeout)[:2],
                 f"{out_size / f_size:.2f}" if out_size and f_size else "–",
                 f"{mine['built'] / mine['kept']:.2f}" if mine.get("kept") else "–",
                 check_cell(row, anchors)]
        for tool in anchors:
            cells += tool_cells(row.get(tool), mine, timeout)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def growth_exponents(growth: list[dict]) -> dict[str, float]:
    """Per family: log(t(largest) / t(smallest)) / log(largest / smallest size) (1: linear)."""
    exponents = {}
    for family in MANY_VARS:
        timed = sorted((r["size"], r["seconds"]) for r in growth
                       if r["family"] == family and "seconds" in r)
        if len(timed) >= 2 and timed[0][0] != timed[-1][0]:
            (n0, t0), (n1, t1) = timed[0], timed[-1]
            exponents[family] = math.log(t1 / t0) / math.log(n1 / n0)
    return exponents


def growth_table(growth: list[dict], exponents: dict[str, float]) -> str:
    sizes = sorted({r["size"] for r in growth})
    lines = ["symdiff gradient time by size (one run each above 1 s; children as above):", "",
             "| family | " + " | ".join(f"n = {n:,}" for n in sizes) + " | exponent |",
             "|---|" + "---|" * (len(sizes) + 1)]
    for family in MANY_VARS:
        cells = {r["size"]: r for r in growth if r["family"] == family}
        if not cells:
            continue
        times = [tool_cells(cells.get(n), None, 0)[0] for n in sizes]
        exponent = f"{exponents[family]:.3f}" if family in exponents else "–"
        lines.append(f"| {family} | " + " | ".join(times) + f" | {exponent} |")
    return "\n".join(lines)


def goals_table(rows: list[dict], exponents: dict[str, float]) -> str:
    """The goals, from the rows above: symdiff's time over the anchor's (lower is better)."""
    def ratio(family, size, kind, anchor):
        row = next((r for r in rows if (r["family"], r["size"], r["kind"]) == (family, size, kind)),
                   None)
        mine, theirs = (row or {}).get("symdiff") or {}, (row or {}).get(anchor) or {}
        if "seconds" not in mine or "seconds" not in theirs:
            return "–"
        return f"{mine['seconds'] / theirs['seconds']:.2f}"

    lines = ["Goals (symdiff time / anchor time in the same run; lower is better):", "",
             f"| family | gradient n = {GOAL_GRADIENT_SIZE:,}: / CasADi (goal <= "
             f"{GOAL_GRADIENT_RATIO:g}) | growth exponent (goal <= {GOAL_GROWTH}) | Hessian n = "
             f"{GOAL_HESSIAN_SIZE}: / SymEngine (goal < 1) | built / kept, n = "
             f"{GOAL_GRADIENT_SIZE:,} |", "|---|---|---|---|---|"]
    for family in MANY_VARS:
        row = next((r for r in rows if (r["family"], r["size"], r["kind"])
                    == (family, GOAL_GRADIENT_SIZE, "gradient")), {})
        mine = row.get("symdiff") or {}
        waste = f"{mine['built'] / mine['kept']:.2f}" if mine.get("kept") else "–"
        exponent = f"{exponents[family]:.3f}" if family in exponents else "–"
        lines.append(f"| {family} | {ratio(family, GOAL_GRADIENT_SIZE, 'gradient', 'casadi')} | "
                     f"{exponent} | {ratio(family, GOAL_HESSIAN_SIZE, 'hessian', 'symengine')} | "
                     f"{waste} |")
    return "\n".join(lines)


def symdiff_revision() -> tuple[str, str]:
    """The checkout's commit, and a fingerprint of the package's code alone (tree plus local
    edits): symdiff's version number does not pin its code, and commits to tests do not matter."""
    def git(*args):
        return subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)), *args],
                              capture_output=True, text=True, timeout=10).stdout.strip()
    try:
        head, tree = git("rev-parse", "--short", "HEAD"), git("rev-parse", "HEAD:symdiff")
        edits = git("diff", "HEAD", "--", ":/symdiff")
    except (OSError, subprocess.SubprocessError):
        return "unknown", ""
    label = (head + (" with local changes to symdiff/" if edits else "")) or "unknown"
    return label, tree + hashlib.sha1(edits.encode()).hexdigest()


def environment(tools: list[str]) -> dict:
    """Python, OS, CPU model and count, and the versions of the tools that ran."""
    cpu = platform.processor()
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info
                        if line.startswith("model name")), cpu)
    return {"python": platform.python_version(), "platform": platform.platform(), "cpu": cpu,
            "cpu_count": os.cpu_count(), "symdiff_commit": symdiff_revision()[0],
            "versions": {name: importlib.metadata.version(name) for name in tools}}


def header(env: dict, skipped: list[str], timeout: float) -> str:
    commit = f" (commit {env['symdiff_commit']})"
    versions = ", ".join(f"{name} {version}" + (commit if name == "symdiff" else "")
                         for name, version in env["versions"].items())
    text = (
        f"# symdiff gradient / Hessian benchmark\n\nMachine: Python {env['python']} on "
        f"{env['platform']}; {env['cpu']}; {env['cpu_count']} CPUs. Packages: {versions}.\n\n"
        "Times: CPU time of the measuring process, best of up to 5 runs (one run if slower "
        "than 1 s), differentiation only; a Hessian time includes its gradient. *DAG* sizes count distinct nodes, shared ones once; "
        "*out / f* is symdiff's output size over the function's. **`X time / symdiff time`** is "
        "the anchor's time divided by symdiff's: `50x` means the anchor took 50 times as long "
        f"as symdiff, `0.5x` half as long. `>{timeout:g} s`: stopped at the time limit (per "
        "phase: build, differentiate, count). *check* `ok`: symdiff's output entries, summed with "
        "fixed weights at a fixed point in [0.3, 0.8), agree with CasADi's to a relative "
        f"{CHECK_RTOL:g}; `n/a`: no finite value in double precision (the product's "
        "derivatives at n = 200 overflow).")
    if "symdiff_commit_at_end" in env:
        text += (f"\n\n**symdiff's code changed during the run** (at the end: commit "
                 f"{env['symdiff_commit_at_end']}): rows may measure different code.")
    if skipped:
        text += "\n\nNot installed, skipped: " + ", ".join(TOOLS[t] for t in skipped) + "."
    return text


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a few minutes)")
    parser.add_argument("--families", default=",".join(FAMILIES), help="comma-separated, from: "
                        + ", ".join(FAMILIES))
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated, from: "
                        + ", ".join(TOOLS))
    parser.add_argument("--timeout", type=float, help="seconds allowed per phase of one "
                        "measurement (default 120; 20 with --quick)")
    parser.add_argument("--json", metavar="FILE", help="write the raw results as JSON")
    parser.add_argument("--markdown", metavar="FILE", help="write the report as Markdown")
    parser.add_argument("--no-growth", action="store_true", help="leave out symdiff's gradient "
                        "runs at n = 10^4 and 10^5 (the growth exponent)")
    args = parser.parse_args(argv)
    for option, known in (("families", FAMILIES), ("tools", TOOLS)):
        names = [n.strip() for n in getattr(args, option).split(",") if n.strip()]
        if unknown := [n for n in names if n not in known]:
            parser.error(f"unknown {option}: {', '.join(unknown)}")
        setattr(args, option, names)
    if args.timeout is None:
        args.timeout = 20.0 if args.quick else 120.0
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    wanted = [t for t in TOOLS if t in args.tools]   # symdiff first: the reference
    skipped = [t for t in wanted if importlib.util.find_spec(t) is None]
    tools = [t for t in wanted if t not in skipped]
    plan = QUICK_PLAN if args.quick else FULL_PLAN
    env, code = environment(tools), symdiff_revision()[1]
    cases = [(family, size, kind) for family in args.families
             for kind, sizes in plan[family].items() for size in sizes]
    rows = []
    for number, (family, size, kind) in enumerate(cases, 1):
        rows.append({"family": family, "size": size, "kind": kind})
        for tool in tools:
            limit = QUICK_LIMITS.get(tool, {}).get(kind) if args.quick else None
            if limit is not None and size > limit:
                rows[-1][tool] = {"tool": tool, "family": family, "size": size, "kind": kind,
                                  "skipped": True}
                continue
            rows[-1][tool] = result = measure(tool, family, size, kind, args.timeout)
            print(f"[{number}/{len(cases)}] {family} {size} {kind} {TOOLS[tool]}: "
                  f"{tool_cells(result, None, args.timeout)[0]}", file=sys.stderr, flush=True)
    growth = []
    if "symdiff" in tools and not args.no_growth:
        for family in [f for f in MANY_VARS if f in args.families]:
            for size in GROWTH_SIZES:
                growth.append(measure("symdiff", family, size, "gradient", 10 * args.timeout,
                                      timing_only=True))
                print(f"[growth] {family} {size} gradient symdiff: "
                      f"{tool_cells(growth[-1], None, 10 * args.timeout)[0]}", file=sys.stderr,
                      flush=True)
    total = time.perf_counter() - started
    if (now := symdiff_revision())[1] != code:   # edited while we measured: say so
        env["symdiff_commit_at_end"] = now[0]
    sections = [header(env, skipped, args.timeout),
                markdown_table(rows, [t for t in tools if t != "symdiff"], args.timeout)]
    exponents = growth_exponents(growth)
    if growth:
        sections.append(growth_table(growth, exponents))
    sections.append(goals_table(rows, exponents))
    sections.append(f"Total run time: {total / 60:.1f} min ({total:.0f} s).")
    report = "\n\n".join(sections) + "\n"
    print(report)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as out:
            out.write(report)
    if args.json:
        results = [row[t] for row in rows for t in tools] + growth
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"environment": env, "timeout": args.timeout, "quick": args.quick,
                       "total_seconds": total, "results": results}, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
