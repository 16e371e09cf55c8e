"""Benchmark: symdiff's simplified derivatives against SymPy's, on the shared formula corpus.

Run from the repository root (after ``pip install -e ".[test]"``), with ``../shared`` beside
the repository:

    python tests/benchmarks/bench_simplify.py                  # about a minute
    python tests/benchmarks/bench_simplify.py --sympy-simplify 40 --markdown results.md

For every (formula, variable) pair of ``../shared/corpus/formulas.jsonl`` it differentiates
with symdiff (reverse mode), simplifies, and compares the size with SymPy's ``diff`` output
(the corpus's ``grad_sympy``): both printed forms are parsed back by SymPy *unevaluated* and
measured with ``sympy.count_ops``, so neither side is re-simplified by the measurement. It
reports the share of pairs where symdiff's result is no larger, the total time spent in
``simplify`` (and in differentiation), the slowest formulas, and the stop reasons. Every
simplified derivative is also checked against SymPy's at a random point inside the
formula's ``var_ranges``.

``--sympy-simplify N`` also times ``sympy.simplify`` on SymPy's derivative for the first N
pairs, in a child process with a time limit per call (it can take minutes or hang); a call
stopped at the limit counts as the limit, so the total is a lower bound.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import random
import sys
import time
from collections import Counter
from pathlib import Path

import sympy
from sympy.parsing.sympy_parser import parse_expr

import symdiff
from symdiff.rewriting.simplify import simplify_result

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "formulas.jsonl"
SYMPY_FUNCTIONS = {"Abs": sympy.Abs, "sign": sympy.sign, "Heaviside": sympy.Heaviside,
                   "DiracDelta": sympy.DiracDelta}


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def symbols_for(record: dict) -> dict:
    names = set(record["vars"]) | set(record["sympy_vars"])
    return {**{name: sympy.Symbol(name) for name in names}, **SYMPY_FUNCTIONS}


def count_ops(text: str, local: dict) -> int:
    """Operations of a formula as printed, parsed without evaluation."""
    return int(sympy.count_ops(parse_expr(text, local_dict=local, evaluate=False)))


def sympy_text(expr: symdiff.Expr, record: dict) -> str:
    """symdiff's printed form in SymPy's syntax and SymPy's names for the variables."""
    text = expr.to_str(power="**")
    return text.replace("abs(", "Abs(")


def point_inside(record: dict, rng: random.Random) -> dict[str, float]:
    ranges = record.get("var_ranges") or {}
    point = {}
    for name in record["vars"]:
        lo, hi = ranges.get(name, (0.5, 2.0))
        point[name] = rng.uniform(lo, hi)
    return point


def check_value(ours: symdiff.Expr, reference: str, record: dict, local: dict,
                point: dict) -> bool | None:
    """True when the values agree, False when not, None when either is undefined there."""
    try:
        mine = ours.evaluate(point)
    except (symdiff.EvaluationError, OverflowError, ValueError, ZeroDivisionError):
        return None
    renamed = dict(zip(record["sympy_vars"], record["vars"]))
    expr = parse_expr(reference, local_dict=local)
    subs = {local[s]: point[renamed[s]] for s in record["sympy_vars"]}
    try:
        theirs = complex(expr.evalf(subs=subs))
    except (TypeError, ValueError):
        return None
    if abs(theirs.imag) > 1e-9 * max(1.0, abs(theirs)) or not math.isfinite(theirs.real):
        return None
    return math.isclose(mine, theirs.real, rel_tol=1e-7, abs_tol=1e-9)


def _reference(record: dict, name: str, sympy_name: str) -> str:
    """SymPy's derivative (the corpus keys it by SymPy's name for the variable, or ours)."""
    return record["grad_sympy"].get(sympy_name) or record["grad_sympy"][name]


def measure(records: list[dict], seed: int = 0) -> dict:
    rng = random.Random(seed)
    rows, reasons = [], Counter()
    diff_seconds = simplify_seconds = 0.0
    mismatches = []
    for record in records:
        local = symbols_for(record)
        f = symdiff.parse(record["formula"])
        start = time.perf_counter()
        gradient = symdiff.gradient(f, record["vars"])
        diff_seconds += time.perf_counter() - start
        point = point_inside(record, rng)
        for name, sympy_name, raw in zip(record["vars"], record["sympy_vars"], gradient):
            start = time.perf_counter()
            result = simplify_result(raw)
            elapsed = time.perf_counter() - start
            simplify_seconds += elapsed
            reasons[result.stop_reason] += 1
            reference = _reference(record, name, sympy_name)
            ours = count_ops(sympy_text(result.expr, record), local)
            raw_ops = count_ops(sympy_text(raw, record), local)
            theirs = count_ops(reference, local)
            agrees = check_value(result.expr, reference, record, local, point)
            if agrees is False:
                mismatches.append((record["id"], name))
            rows.append({"id": record["id"], "var": name, "ours": ours, "raw": raw_ops,
                         "sympy": theirs, "seconds": elapsed, "stop": result.stop_reason})
    return {"rows": rows, "reasons": reasons, "diff_seconds": diff_seconds,
            "simplify_seconds": simplify_seconds, "mismatches": mismatches}


def _sympy_worker(connection):
    """Child process: simplify each (text, names) received, answer with the seconds taken."""
    while True:
        text, names = connection.recv()
        local = {**{n: sympy.Symbol(n) for n in names}, **SYMPY_FUNCTIONS}
        start = time.perf_counter()
        try:
            sympy.simplify(parse_expr(text, local_dict=local))
        except Exception:      # noqa: BLE001 - a SymPy failure is timed like a result
            pass
        connection.send(time.perf_counter() - start)


def time_sympy_simplify(records: list[dict], pairs: int, limit: float) -> dict:
    """sympy.simplify on SymPy's own derivatives of the first ``pairs`` pairs, in a child
    process; a call over the time limit is stopped (the child is replaced) and counted."""
    done, timed_out, seconds = 0, 0, 0.0
    context = multiprocessing.get_context("spawn")
    child = None
    try:
        for record in records:
            names = list(set(record["vars"]) | set(record["sympy_vars"]))
            for name, sympy_name in zip(record["vars"], record["sympy_vars"]):
                if done + timed_out >= pairs:
                    return {"done": done, "timed_out": timed_out, "seconds": seconds,
                            "limit": limit}
                if child is None:
                    ours, theirs = context.Pipe()
                    child = context.Process(target=_sympy_worker, args=(theirs,), daemon=True)
                    child.start()
                ours.send((_reference(record, name, sympy_name), names))
                if ours.poll(limit):
                    seconds += ours.recv()
                    done += 1
                else:
                    child.kill()
                    child.join()
                    child = None
                    timed_out += 1
                    seconds += limit
    finally:
        if child is not None:
            child.kill()
    return {"done": done, "timed_out": timed_out, "seconds": seconds, "limit": limit}


def report(result: dict, sympy_simplify: dict | None) -> str:
    rows = result["rows"]
    no_larger = sum(r["ours"] <= r["sympy"] for r in rows)
    raw_no_larger = sum(r["raw"] <= r["sympy"] for r in rows)
    lines = [
        "| measure | value |", "|---|---:|",
        f"| (formula, variable) pairs | {len(rows)} |",
        f"| simplified derivative no larger than SymPy's `diff` | {no_larger} "
        f"({100 * no_larger / len(rows):.1f}%) |",
        f"| same, before simplifying | {raw_no_larger} ({100 * raw_no_larger / len(rows):.1f}%) |",
        f"| operations, all pairs: symdiff simplified / raw / SymPy | "
        f"{sum(r['ours'] for r in rows)} / {sum(r['raw'] for r in rows)} / "
        f"{sum(r['sympy'] for r in rows)} |",
        f"| time to differentiate the corpus (symdiff) | {result['diff_seconds']:.2f} s |",
        f"| time to simplify every derivative (symdiff) | {result['simplify_seconds']:.2f} s |",
        f"| slowest single simplification | {max(r['seconds'] for r in rows) * 1000:.0f} ms |",
        f"| stop reasons | {', '.join(f'{k}: {v}' for k, v in result['reasons'].most_common())} |",
        f"| value disagreements with SymPy at a random point | {len(result['mismatches'])} |",
    ]
    if sympy_simplify:
        s = sympy_simplify
        lines.append(f"| `sympy.simplify` on SymPy's derivative, first {s['done'] + s['timed_out']} "
                     f"pairs | {s['seconds']:.1f} s, at least ({s['timed_out']} calls stopped "
                     f"at the {s['limit']:.0f} s limit) |")
    worst = sorted(rows, key=lambda r: r["ours"] - r["sympy"], reverse=True)[:10]
    lines += ["", "Largest excess over SymPy (operations):", "",
              "| formula | variable | symdiff | SymPy |", "|---|---|---:|---:|"]
    lines += [f"| {r['id']} | {r['var']} | {r['ours']} | {r['sympy']} |" for r in worst
              if r["ours"] > r["sympy"]]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="formulas.jsonl to use")
    parser.add_argument("--sympy-simplify", type=int, default=0, metavar="N",
                        help="also time sympy.simplify on the first N pairs")
    parser.add_argument("--limit", type=float, default=60.0,
                        help="seconds allowed per sympy.simplify call")
    parser.add_argument("--markdown", metavar="FILE", help="also write the report here")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    records = load(args.corpus)
    started = time.perf_counter()
    result = measure(records)
    timed = time_sympy_simplify(records, args.sympy_simplify, args.limit) \
        if args.sympy_simplify else None
    text = report(result, timed)
    text += (f"\n\nsymdiff {symdiff.__version__}, SymPy {sympy.__version__}, Python "
             f"{sys.version.split()[0]}; whole run {time.perf_counter() - started:.0f} s.")
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
