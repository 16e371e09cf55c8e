"""Benchmark: symdiff's simplified derivatives against ``sympy.simplify``, on the shared
formula corpus and on (integrand, antiderivative) pairs from SymPy's integration tests
(``data/integration_pairs.jsonl``, built by ``build_integration_pairs.py``).

The whole table, from the repository root (``../shared/corpus`` beside the repository):

    python tests/benchmarks/bench_simplify.py --markdown simplify.md

With an empty cache this first runs ``sympy.simplify`` on every SymPy derivative (one
child process, 30 CPU seconds per call; about 20 minutes for the corpus and 50 for the
pairs on a 2-core machine) and caches the answers in
``~/.cache/symdiff-bench/sympy_simplify.jsonl`` (keyed by the SymPy version, the symbols and
the input text; ``$XDG_CACHE_HOME`` moves it), so a rerun after a change of symdiff only
times symdiff: about a minute for the corpus and 10 more for the pairs. Quicker:

    python tests/benchmarks/bench_simplify.py --pairs-every 0     # the corpus only
    python tests/benchmarks/bench_simplify.py --quick             # 100 formulas, every 20th pair
    python tests/benchmarks/bench_simplify.py --no-fill           # SymPy from the cache only

Sizes are ``sympy.count_ops`` of each printed form parsed back by SymPy *unevaluated*, so
neither side is re-simplified by the measure (symdiff's ``2*(x + y)`` counts 2). Times are
CPU seconds (``time.process_time``; SymPy's measured in its child), so other work on the
machine does not count. A ``sympy.simplify`` call stopped at the limit counts as the limit,
one that fails as the time it took, and both as "no result": such a pair is compared with
SymPy's unsimplified derivative. Every simplified derivative is checked at random points
(inside the corpus's ``var_ranges``, or the pair's ``ranges``) against symdiff's
unsimplified derivative and against the corpus's SymPy reference or the pair's integrand;
a float comparison that fails is decided by SymPy's ``evalf`` to 30 digits.

Corpus goals: symdiff's simplified first derivative no larger than ``sympy.simplify`` of
SymPy's on at least 95% of pairs, at least 20x faster in total (differentiate + simplify
against ``sympy.simplify``), the whole corpus in under 60 s, and no value ever changed.
"""
from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import math
import multiprocessing
import os
import random
import re
import resource
import signal
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import sympy
from sympy.parsing.sympy_parser import parse_expr

import symdiff
from symdiff.rewriting.simplify import simplify_result

COMMAND = "python tests/benchmarks/bench_simplify.py --markdown simplify.md"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "formulas.jsonl"
PAIRS = Path(__file__).resolve().parent / "data" / "integration_pairs.jsonl"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") \
    / "symdiff-bench" / "sympy_simplify.jsonl"
SYMPY_FUNCTIONS = {"Abs": sympy.Abs, "sign": sympy.sign, "Heaviside": sympy.Heaviside,
                   "DiracDelta": sympy.DiracDelta, "Max": sympy.Max, "Min": sympy.Min}
MEMORY_LIMIT = 4 << 30          # bytes of address space for a sympy.simplify child
POINTS = 3                      # random points per formula for the value checks
_TOKEN = re.compile(r"[^\W\d]\w*|\^")
_SYMPY_SPELLING = {"^": "**", "e": "E", "abs": "Abs", "max": "Max", "min": "Min"}


def load(path: Path) -> list[dict]:
    """The records of a JSON-lines file, without header records."""
    with open(path, encoding="utf-8") as file:
        records = [json.loads(line) for line in file if line.strip()]
    return [r for r in records if not r.get("header")]


# --- sizes and values ------------------------------------------------------------------

def count_ops(text: str, local: dict) -> int:
    """Operations of a formula as printed, parsed without evaluation."""
    return int(sympy.count_ops(parse_expr(text, local_dict=local, evaluate=False)))


def sympy_spelling(text: str) -> str:
    """symdiff's formula text as SymPy reads it: ``**``, ``E``, and ``abs``, ``max``, ``min``
    by SymPy's names rather than Python's builtins."""
    return _TOKEN.sub(lambda m: _SYMPY_SPELLING.get(m.group(0), m.group(0)), text)


def sympy_text(expr: symdiff.Expr) -> str:
    return sympy_spelling(str(expr))


def value(expr: symdiff.Expr, point: dict) -> float | None:
    try:
        result = expr.evaluate(point)
    except (symdiff.EvaluationError, ArithmeticError, ValueError):
        return None
    return result if math.isfinite(result) else None


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-9)


def sympy_value(expr, point: dict, digits: int = 15) -> float | None:
    """A SymPy expression (or a symdiff one, through ``to_sympy``) at a point keyed by
    symbol names, by ``evalf`` (which raises its working precision through cancellation)."""
    if isinstance(expr, symdiff.Expr):
        expr = symdiff.to_sympy(expr)
    subs = {s: point[s.name] for s in expr.free_symbols if s.name in point}
    try:
        theirs = complex(expr.evalf(digits, subs=subs))
    except (TypeError, ValueError, ArithmeticError):
        return None
    if abs(theirs.imag) > 1e-9 * max(1.0, abs(theirs)) or not math.isfinite(theirs.real):
        return None
    return theirs.real


def same_value(a, b, point: dict, b_point: dict | None = None) -> bool:
    """Whether two expressions agree at a point when evaluated to 30 digits: a float
    comparison that failed is decided here (a sum of huge terms that cancel is no evidence
    that simplifying changed a value)."""
    mine, theirs = sympy_value(a, point, 30), sympy_value(b, b_point or point, 30)
    return mine is None or theirs is None or close(mine, theirs)


class Checks(Counter):
    """Value checks of simplified derivatives: points compared, values changed by
    simplifying, points where only the simplified form is undefined, disagreements with
    the reference (a SymPy expression or a symdiff one, at ``ref_point``); ``where`` names
    the pairs that failed."""

    def __init__(self):
        super().__init__()
        self.where: list[str] = []

    def point(self, label: str, point: dict, simplified, raw, reference, ref_point) -> None:
        mine, before = value(simplified, point), value(raw, point)
        if before is not None and mine is None:
            self.fail("undefined after simplifying", label)
        if mine is None:
            return
        self["points"] += 1
        if before is not None and not close(mine, before) \
                and not same_value(simplified, raw, point):
            self.fail("value changed by simplifying", label)
        theirs = value(reference, ref_point) if isinstance(reference, symdiff.Expr) \
            else sympy_value(reference, ref_point)
        if theirs is not None and not close(mine, theirs) \
                and not same_value(simplified, reference, point, ref_point):
            self.fail("disagreements with the reference", label)

    def fail(self, what: str, label: str) -> None:
        self[what] += 1
        self.where.append(label)


def draw(ranges: dict, integers, rng: random.Random) -> dict[str, float]:
    return {n: rng.randint(lo, hi) if n in integers else rng.uniform(lo, hi)
            for n, (lo, hi) in ranges.items()}


# --- symdiff's side --------------------------------------------------------------------

def simplifier(cost: str | None):
    """simplify_result, with ``cost=`` when one is asked for (and the simplifier has it)."""
    if cost is None:
        return simplify_result
    if "cost" not in inspect.signature(simplify_result).parameters:
        raise SystemExit(f"this symdiff's simplify_result has no cost keyword (--cost {cost})")
    return lambda expr: simplify_result(expr, cost=cost)


def timed(function, *args):
    start = time.process_time()
    result = function(*args)
    return result, time.process_time() - start


def measure_corpus(records: list[dict], simplify, rng: random.Random) -> dict:
    rows, reasons, checks = [], Counter(), Checks()
    diff_seconds = 0.0
    for record in records:
        local = {**{n: sympy.Symbol(n) for n in set(record["vars"]) | set(record["sympy_vars"])},
                 **SYMPY_FUNCTIONS}
        f = symdiff.parse(record["formula"])
        gradient, seconds = timed(symdiff.gradient, f, record["vars"])
        diff_seconds += seconds
        ranges = {n: (record.get("var_ranges") or {}).get(n, (0.5, 2.0)) for n in record["vars"]}
        points = [draw(ranges, (), rng) for _ in range(POINTS)]
        renamed = dict(zip(record["sympy_vars"], record["vars"]))
        for name, sympy_name, raw in zip(record["vars"], record["sympy_vars"], gradient):
            result, seconds = timed(simplify, raw)
            reasons[str(result.stop_reason)] += 1
            text = (record["grad_sympy"].get(sympy_name) or record["grad_sympy"][name])
            reference = parse_expr(text, local_dict=local)
            for point in points:
                checks.point(f"{record['id']} d/d{name}", point, result.expr, raw, reference,
                             {s: point[renamed[s]] for s in record["sympy_vars"]})
            rows.append({"id": record["id"], "var": name, "seconds": seconds,
                         "ours": count_ops(sympy_text(result.expr), local),
                         "raw": count_ops(sympy_text(raw), local),
                         "diff": count_ops(text, local), "form": str(result.expr),
                         "sympy_input": (text, sorted(record["sympy_vars"]))})
    return {"rows": rows, "reasons": reasons, "checks": checks, "diff_seconds": diff_seconds}


def pair_sympy_input(pair: dict) -> tuple[str, list[str]]:
    """SymPy's derivative of the stored antiderivative (symdiff's syntax, read by SymPy:
    ``^`` is ``**``, ``e`` is ``E``), of real variables as symdiff's are."""
    names = [f"{name}:real" for name in sorted(pair["ranges"])]
    local = sympy_symbols(names)
    expr = parse_expr(sympy_spelling(pair["antiderivative"]), local_dict=local)
    return str(sympy.diff(expr, local[pair["variable"]])), names


def measure_pairs(pairs: list[dict], simplify, rng: random.Random) -> dict:
    rows, reasons, checks = [], Counter(), Checks()
    diff_seconds = 0.0
    for pair in pairs:
        local = {**{n: sympy.Symbol(n) for n in pair["ranges"]}, **SYMPY_FUNCTIONS}
        f = symdiff.parse(pair["integrand"])
        raw, seconds = timed(symdiff.diff, symdiff.parse(pair["antiderivative"]),
                             pair["variable"])
        diff_seconds += seconds
        result, seconds = timed(simplify, raw)
        reasons[str(result.stop_reason)] += 1
        for _ in range(POINTS):
            point = draw(pair["ranges"], pair["integer"], rng)
            checks.point(f"{pair['source']}:{pair['line']}", point, result.expr, raw, f,
                         point)
        rows.append({"id": f"{pair['source'].rsplit('/', 1)[-1]}:{pair['line']}",
                     "integrand": str(f), "form": str(result.expr), "seconds": seconds,
                     "ours": count_ops(sympy_text(result.expr), local),
                     "raw": count_ops(sympy_text(raw), local),
                     "target": count_ops(sympy_text(f), local), "pair": pair})
    return {"rows": rows, "reasons": reasons, "checks": checks, "diff_seconds": diff_seconds}


# --- sympy.simplify, in a child process, cached on disk --------------------------------

class _OverLimit(BaseException):
    """Raised in the child by its CPU timer (a BaseException: SymPy's ``except Exception``
    blocks must not swallow it)."""


def cache_key(text: str, names: list[str]) -> str:
    data = "\n".join([sympy.__version__, " ".join(names), text])
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def read_cache(path: Path) -> dict[str, dict]:
    entries = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:        # a line cut short by a killed run
                continue
            entries[entry["key"]] = entry
    return entries


def usable(entry: dict | None, limit: float) -> bool:
    """A cached answer serves a run with this limit unless it was stopped at a lower one."""
    return entry is not None and (entry["status"] != "limit" or entry["limit"] >= limit)


def _on_timer(signum, frame):
    raise _OverLimit


def sympy_symbols(names: list[str]) -> dict:
    """Symbols for names (``x:real`` is a real symbol), and the functions SymPy must read."""
    symbols = {}
    for name in names:
        plain, _, fact = name.partition(":")
        symbols[plain] = sympy.Symbol(plain, real=True) if fact == "real" else sympy.Symbol(plain)
    return {**symbols, **SYMPY_FUNCTIONS}


def _simplify_child(connection, limit: float) -> None:
    """Child process: simplify each (text, names) received within ``limit`` CPU seconds."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    signal.signal(signal.SIGPROF, _on_timer)
    sys.setrecursionlimit(20000)
    while True:
        text, names = connection.recv()
        cpu, wall = time.process_time(), time.perf_counter()
        answer = {"status": "ok", "result": None, "error": None}
        try:
            signal.setitimer(signal.ITIMER_PROF, limit)
            answer["result"] = str(sympy.simplify(parse_expr(text, sympy_symbols(names))))
        except _OverLimit:
            answer["status"] = "limit"
        except (Exception, RecursionError, MemoryError) as error:  # noqa: BLE001
            answer.update(status="error", error=f"{type(error).__name__}: {error}"[:200])
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        answer.update(cpu=time.process_time() - cpu, wall=time.perf_counter() - wall)
        connection.send(answer)


class SympySimplifier:
    """``sympy.simplify`` of SymPy texts through the on-disk cache; what is missing is
    computed by one child process (replaced when it stops answering) and appended to the
    cache line by line, so a killed run keeps what it finished."""

    def __init__(self, path: Path = CACHE, limit: float = 30.0):
        self.path, self.limit = path, limit
        self.entries = read_cache(path)
        self.child = self.connection = None

    def lookup(self, text: str, names: list[str]) -> dict | None:
        entry = self.entries.get(cache_key(text, names))
        return entry if usable(entry, self.limit) else None

    def missing(self, inputs) -> list[tuple[str, list[str]]]:
        seen, todo = set(), []
        for text, names in inputs:
            key = cache_key(text, names)
            if key not in seen and not usable(self.entries.get(key), self.limit):
                seen.add(key)
                todo.append((text, names))
        return todo

    def fill(self, inputs, progress=None) -> int:
        todo = self.missing(inputs)
        if not todo:
            return 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(self.path, "a", encoding="utf-8") as out:
                for done, (text, names) in enumerate(todo, 1):
                    entry = {"key": cache_key(text, names), "sympy": sympy.__version__,
                             "limit": self.limit, "input": text, **self._run(text, names)}
                    self.entries[entry["key"]] = entry
                    out.write(json.dumps(entry) + "\n")
                    out.flush()
                    if progress:
                        progress(done, len(todo), entry)
        finally:
            self.close()
        return len(todo)

    def _run(self, text: str, names: list[str]) -> dict:
        if self.child is None:
            context = multiprocessing.get_context("fork")
            self.connection, theirs = context.Pipe()
            self.child = context.Process(target=_simplify_child, args=(theirs, self.limit),
                                         daemon=True)
            self.child.start()
        self.connection.send((text, names))
        # The CPU timer stops the call; this wait is a backstop for a call stuck in C code
        # (or starved of CPU by other work on the machine).
        backstop = 4 * self.limit + 30
        if self.connection.poll(backstop):
            return self.connection.recv()
        self.close()
        return {"status": "limit", "result": None, "error": "no answer: child killed",
                "cpu": self.limit, "wall": backstop}

    def close(self) -> None:
        if self.child is not None:
            self.child.kill()
            self.child.join()
            self.child = self.connection = None


def _progress(done: int, total: int, entry: dict) -> None:
    if done % 50 == 0 or done == total or entry["status"] != "ok":
        print(f"sympy.simplify {done}/{total}: {entry['status']} {entry['cpu']:.1f} s",
              file=sys.stderr, flush=True)


def sympy_side(rows: list[dict], inputs: list, simplifier: SympySimplifier) -> dict:
    """Adds each row's ``sympy.simplify`` size (``theirs``, SymPy's input when it gave no
    result) and form; counts answers, CPU seconds, stops at the limit and errors."""
    tally = Counter()
    for row, (text, names) in zip(rows, inputs):
        entry = simplifier.lookup(text, names)
        if entry is None:
            tally["not cached"] += 1
            continue
        status = entry["status"]
        if status == "ok" and entry["cpu"] > simplifier.limit:     # cached at a higher limit
            status = "limit"
        tally[status] += 1
        tally["seconds"] += simplifier.limit if status == "limit" else entry["cpu"]
        given = status == "ok"
        row["theirs"] = count_ops(entry["result"] if given else text, sympy_symbols(names))
        row["their_form"] = entry["result"] if given else f"(no result) {text}"
    return tally


# --- the report ------------------------------------------------------------------------

def share(count: int, total: int) -> str:
    return f"{count} ({100 * count / total:.1f}%)" if total else "0"


def spread(ratios: list[float]) -> str:
    """Median and 90th percentile."""
    if not ratios:
        return "-"
    ordered = sorted(ratios)
    return f"{statistics.median(ordered):.2f} / {ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]:.2f}"


def reasons_text(reasons: Counter) -> str:
    return ", ".join(f"{k}: {v}" for k, v in reasons.most_common())


def checks_text(checks: Checks) -> str:
    failed = [k for k in checks if k != "points"]
    text = f"{checks['points']} points; " + (
        ", ".join(f"{k}: {checks[k]}" for k in failed) if failed else "no failures")
    return text + (f" (first: {', '.join(checks.where[:5])})" if checks.where else "")


def sympy_text_row(tally: Counter, limit: float) -> str:
    missing = f", {tally['not cached']} not cached" if tally["not cached"] else ""
    return (f"{tally['seconds']:.1f} s ({tally['limit']} stopped at the {limit:.0f} s limit, "
            f"{tally['error']} errors: no result{missing})")


def short(text: str, width: int = 600) -> str:
    return text if len(text) <= width else text[:width] + " ..."


def corpus_table(result: dict, tally: Counter | None, limit: float) -> list[str]:
    rows = result["rows"]
    ours_s = sum(r["seconds"] for r in rows)
    slowest = max(rows, key=lambda r: r["seconds"])
    lines = ["| measure | value |", "|---|---:|", f"| (formula, variable) pairs | {len(rows)} |"]
    compared = [r for r in rows if "theirs" in r]
    if tally is not None:
        lines += [
            f"| symdiff's simplified derivative no larger than `sympy.simplify` of SymPy's "
            f"(goal: 95%) | {share(sum(r['ours'] <= r['theirs'] for r in compared), len(compared))} |",
            f"| `sympy.simplify` CPU time, {len(compared)} pairs | {sympy_text_row(tally, limit)} |",
            f"| symdiff's differentiate + simplify, against `sympy.simplify` (goal: 20x) | "
            f"{tally['seconds'] / max(result['diff_seconds'] + ours_s, 1e-9):.0f}x faster |"]
    lines += [
        f"| no larger than SymPy's `diff` | {share(sum(r['ours'] <= r['diff'] for r in rows), len(rows))} |",
        f"| same, before simplifying | {share(sum(r['raw'] <= r['diff'] for r in rows), len(rows))} |",
        "| operations, all pairs: symdiff simplified / raw / SymPy `diff`"
        + (" / `sympy.simplify`" if compared else "") + " | "
        + " / ".join(str(sum(r[k] for r in (compared if k == "theirs" else rows)))
                     for k in ["ours", "raw", "diff"] + (["theirs"] if compared else [])) + " |",
        f"| symdiff CPU time: differentiate / simplify (goal: under 60 s) | "
        f"{result['diff_seconds']:.2f} s / {ours_s:.2f} s |",
        f"| slowest single simplification | {slowest['seconds'] * 1000:.0f} ms "
        f"({slowest['id']}, d/d{slowest['var']}) |",
        f"| stop reasons | {reasons_text(result['reasons'])} |",
        f"| value checks (against the unsimplified derivative and SymPy's) | "
        f"{checks_text(result['checks'])} |"]
    return lines


def pairs_table(result: dict, tally: Counter | None, limit: float) -> list[str]:
    rows = result["rows"]
    files = Counter(r["pair"]["source"] for r in rows)
    ratio = [r["ours"] / max(r["target"], 1) for r in rows]
    lines = ["| measure | value |", "|---|---:|",
             f"| (integrand, antiderivative) pairs | {len(rows)} from {len(files)} files |",
             f"| d/dx of the antiderivative, simplified, no larger than the integrand | "
             f"{share(sum(r['ours'] <= r['target'] for r in rows), len(rows))} |",
             f"| size ratio simplified / integrand: median / 90th percentile | {spread(ratio)} |",
             f"| same before simplifying | "
             f"{share(sum(r['raw'] <= r['target'] for r in rows), len(rows))}; "
             f"{spread([r['raw'] / max(r['target'], 1) for r in rows])} |",
             f"| symdiff CPU time: differentiate / simplify | {result['diff_seconds']:.2f} s / "
             f"{sum(r['seconds'] for r in rows):.2f} s (slowest "
             f"{max(r['seconds'] for r in rows) * 1000:.0f} ms) |",
             f"| stop reasons | {reasons_text(result['reasons'])} |",
             f"| value checks (against the unsimplified derivative and the integrand) | "
             f"{checks_text(result['checks'])} |"]
    sample = [r for r in rows if "theirs" in r]
    if tally is not None and sample:
        lines += [
            f"| `sympy.simplify` of SymPy's derivative, {len(sample)} pairs: no larger than "
            f"the integrand | {share(sum(r['theirs'] <= r['target'] for r in sample), len(sample))} |",
            f"| same pairs, symdiff | {share(sum(r['ours'] <= r['target'] for r in sample), len(sample))} |",
            f"| same pairs, ratio to the integrand, median / 90th percentile: SymPy; symdiff | "
            f"{spread([r['theirs'] / max(r['target'], 1) for r in sample])}; "
            f"{spread([r['ours'] / max(r['target'], 1) for r in sample])} |",
            f"| same pairs, CPU time: `sympy.simplify`; symdiff's simplify | "
            f"{sympy_text_row(tally, limit)}; {sum(r['seconds'] for r in sample):.2f} s |"]
    return lines


def worst(rows: list[dict], theirs: str, their_form: str, title: str) -> list[str]:
    """The ten rows where symdiff's size over the other's is largest, with both forms."""
    larger = [r for r in rows if theirs in r and r["ours"] > r[theirs]]
    larger.sort(key=lambda r: (r["ours"] / max(r[theirs], 1), r["ours"] - r[theirs]),
                reverse=True)
    lines = ["", title, "", "| pair | symdiff | other | symdiff's form | other form |",
             "|---|---:|---:|---|---|"]
    lines += [f"| {r['id']}{' d/d' + r['var'] if 'var' in r else ''} | {r['ours']} | "
              f"{r[theirs]} | `{short(r['form'])}` | `{short(r[their_form])}` |"
              for r in larger[:10]]
    return lines


def arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="formulas.jsonl to use")
    parser.add_argument("--pairs", type=Path, default=PAIRS, help="integration pairs to use")
    parser.add_argument("--cache", type=Path, default=CACHE, help="the sympy.simplify cache")
    parser.add_argument("--limit", type=float, default=30.0,
                        help="CPU seconds allowed per sympy.simplify call (30)")
    parser.add_argument("--records", type=int, metavar="N", help="only the first N formulas")
    parser.add_argument("--pairs-every", type=int, default=1, metavar="K",
                        help="only every K-th integration pair (1: all; 0: none)")
    parser.add_argument("--sympy-pairs-every", type=int, default=1, metavar="K",
                        help="sympy.simplify on every K-th integration pair used (1; 0: none)")
    parser.add_argument("--no-fill", action="store_true",
                        help="run no sympy.simplify: use the cached answers only")
    parser.add_argument("--quick", action="store_true",
                        help="--records 100 --pairs-every 20 --no-fill")
    parser.add_argument("--cost", choices=["ops", "depth", "flops"],
                        help="the simplifier's cost model (its default when not given)")
    parser.add_argument("--seed", type=int, default=0, help="for the random points")
    parser.add_argument("--markdown", metavar="FILE", help="also write the report here")
    args = parser.parse_args(argv)
    if args.quick:
        args.records, args.pairs_every, args.no_fill = args.records or 100, 20, True
    return args


def main(argv=None) -> int:
    args = arguments(argv)
    if not args.corpus.exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    records = load(args.corpus)[:args.records]
    pairs = load(args.pairs)[::args.pairs_every] \
        if args.pairs_every and args.pairs.exists() else []
    simplify, rng = simplifier(args.cost), random.Random(args.seed)
    corpus = measure_corpus(records, simplify, rng)
    external = measure_pairs(pairs, simplify, rng) if pairs else None
    ours_seconds = time.perf_counter() - started
    sympy_cache = SympySimplifier(args.cache, args.limit)
    corpus_inputs = [r["sympy_input"] for r in corpus["rows"]]
    sampled = external["rows"][::args.sympy_pairs_every] \
        if external and args.sympy_pairs_every else []
    pair_inputs = [pair_sympy_input(r["pair"]) for r in sampled]
    if not args.no_fill:
        sympy_cache.fill(corpus_inputs + pair_inputs, _progress)
    corpus_tally = sympy_side(corpus["rows"], corpus_inputs, sympy_cache)
    pair_tally = sympy_side(sampled, pair_inputs, sympy_cache) if sampled else None
    lines = [f"Reproduce: `{COMMAND}`", "", "Corpus (every (formula, variable) pair of "
             "`../shared/corpus/formulas.jsonl`; sizes are `count_ops` as printed; CPU "
             "seconds):", ""]
    lines += corpus_table(corpus, corpus_tally, args.limit)
    lines += worst(corpus["rows"], "theirs", "their_form",
                   "Worst 10 pairs, symdiff's size / `sympy.simplify`'s:")
    if external:
        lines += ["", f"Integration pairs (`{PAIRS.relative_to(PAIRS.parents[3])}`; d/dx of "
                  "each antiderivative against its integrand):", ""]
        lines += pairs_table(external, pair_tally, args.limit)
        for row in external["rows"]:
            row["integrand_form"] = row["integrand"]
        lines += worst(external["rows"], "target", "integrand_form",
                       "Worst 10 integration pairs, symdiff's size / the integrand's:")
        lines += worst(external["rows"], "theirs", "their_form",
                       "Worst 10 integration pairs, symdiff's size / `sympy.simplify`'s:")
    cost = f", cost={args.cost}" if args.cost else ""
    lines += ["", f"symdiff {symdiff.__version__}{cost}, SymPy {sympy.__version__}, Python "
              f"{sys.version.split()[0]}; symdiff's part of the run {ours_seconds:.0f} s "
              f"(wall), the whole run {time.perf_counter() - started:.0f} s."]
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
