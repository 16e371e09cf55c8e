"""Benchmark: what symdiff does with hostile and huge input, each case as its own process.

Run from the repository root (after ``pip install -e ".[test]"``):

    python tests/benchmarks/bench_hostile.py                 # full sizes, about 10 minutes
    python tests/benchmarks/bench_hostile.py --quick         # a tenth of the sizes
    python tests/benchmarks/bench_hostile.py --markdown hostile.md

Each case is one ``symdiff`` command run by ``python -m symdiff`` in a fresh process with a
wall-clock limit (``--limit``, 300 s). The table gives the case, the exit status, the CPU
seconds of that process (user + system, so a busy machine inflates them less than wall
time), and the first line symdiff printed on stderr (the message a user sees) or, for a
success, the length of its output. The promises these cases test are listed in the README
("What symdiff promises"): an error is one message with status 2, never "internal error";
every budget stops its computation.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def sum_of_terms(n: int) -> str:
    return " + ".join(f"{k % 9 + 1}*x{k}^2" for k in range(n))


def chain(n: int) -> str:
    return " + ".join(f"x{k}^2*x{k + 1}" for k in range(n))


def point(n: int) -> str:
    return ",".join(f"x{k}={(k % 7) / 10 + 0.1}" for k in range(n))


def deep(n: int) -> str:
    return "sin(" * n + "x" + ")" * n


def continued_fraction(n: int) -> str:
    return "1/(1 + " * n + "x" + ")" * n


def affine_chain(n: int) -> str:
    return "(" * n + "x" + "".join(f"*{k % 7 + 2}+{k % 5 + 1})" for k in range(n))


def many_rules(folder: Path, rules: int, terms: int) -> tuple[Path, Path]:
    """A sum of ``terms`` random terms and a rules file of ``rules`` rules about them."""
    rng = random.Random(0)
    formula = " + ".join(f"{rng.randint(1, 9)}*sin(x{k % 50})*y{k % 37}^2" for k in range(terms))
    lines = [f"r{k}: sin(x{k % 50})*y{k % 37}^2 + a -> a + y{k % 37}^2 - cos(x{k % 50})^2*y{k % 37}^2"
             for k in range(rules)]
    (folder / "rules.txt").write_text("\n".join(lines) + "\n")
    (folder / "formula.txt").write_text(formula)
    return folder / "rules.txt", folder / "formula.txt"


def cases(folder: Path, scale: float) -> list[tuple[str, list[str], str | None]]:
    """(what, symdiff's arguments, standard input) for every case."""
    def n(full: int) -> int:
        return max(10, int(full * scale))

    (folder / "none.rules").write_text("# no rules\n")
    (folder / "spaces.rules").write_text("r: " + " " * n(4000) + "\n")
    (folder / "deep.rules").write_text(f"r: {deep(500)} -> x\n")
    rules, many = many_rules(folder, n(300), n(5000))
    wide = folder / "wide.txt"
    wide.write_text(sum_of_terms(n(43000)))
    return [
        ("eval 0/0", ["eval", "0/0"], None),
        ("eval (x-x)/(x-x) at x=1", ["eval", "(x-x)/(x-x)", "--at", "x=1"], None),
        ("diff 1/0 + x", ["diff", "1/0 + x", "x"], None),
        ("eval 1e-400/1e-400", ["eval", "1e-400/1e-400"], None),
        ("eval (2/3)^4999*(2/3)^4999", ["eval", "(2/3)^4999*(2/3)^4999"], None),
        ("diff 1e308*x^2", ["diff", "1e308*x^2", "x"], None),
        ("hessian pow(y-2, 1e300)", ["hessian", "pow(y-2, 1e300)"], None),
        ("explain x/y at y=1e200", ["explain", "x/y", "--at", "x=1,y=1e200"], None),
        ("explain x/y at x=1e-300, y=1e-200", ["explain", "x/y", "--at", "x=1e-300,y=1e-200"], None),
        ("9^2400 multiplied 1,000 times", ["eval", "-"], "*".join(["9^2400"] * 1000)),
        ("1*2*...*3000", ["eval", "-"], "*".join(str(k) for k in range(1, 3001))),
        (f"{n(100000):,}-deep ((x*2+1)*3+2)...", ["simplify", "-"], affine_chain(n(100000))),
        ("check x^(9^9^9)", ["check", "x^(9^9^9)"], None),
        (f"{n(4000):,}-space rules line", ["simplify", "x", "--rules", str(folder / "spaces.rules")], None),
        ("500-deep rule left side, on a 500-deep formula",
         ["simplify", "-", "--rules", str(folder / "deep.rules")], deep(500)),
        (f"simplify --timeout 1: {n(5000):,} terms, {n(300)} rules",
         ["simplify", "-", "--rules", str(rules), "--timeout", "1"], many.read_text()),
        ("  the same, reading and printing only (no rules)",
         ["simplify", "-", "--only-rules", "--rules", str(folder / "none.rules")],
         many.read_text()),
        (f"simplify --timeout 1: {n(43000):,} terms", ["simplify", "-", "--timeout", "1"],
         wide.read_text()),
        ("  the same, reading and printing only (no rules)",
         ["simplify", "-", "--only-rules", "--rules", str(folder / "none.rules")],
         wide.read_text()),
        (f"parse a {n(1000000):,}-term sum (and diff)", ["diff", "-", "x0"], None),
        (f"grad --at, {n(10000):,} variables", ["grad", "-", "--at", point(n(10000) + 1)],
         chain(n(10000))),
        (f"check, {n(10000):,} variables", ["check", "-", "--points", "1"], chain(n(10000))),
        (f"diff --steps, {n(100000):,} deep", ["diff", "-", "x", "--steps"], deep(n(100000))),
        (f"hessian, {n(100000):,} deep", ["hessian", "-"], deep(n(100000))),
        (f"check --hessian, {n(100000):,} deep", ["check", "-", "--hessian", "--points", "1"],
         deep(n(100000))),
        (f"diff --steps, continued fraction {n(100000):,} deep", ["diff", "-", "x", "--steps"],
         continued_fraction(n(100000))),
        (f"hessian, continued fraction {n(100000):,} deep", ["hessian", "-"],
         continued_fraction(n(100000))),
    ]


def run(arguments: list[str], stdin: str | None, limit: float) -> tuple[str, float, str]:
    """Exit status (or 'killed'), CPU seconds of the child, and its first stderr line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "symdiff", *arguments], input=stdin,
                              capture_output=True, text=True, timeout=limit)
        status = str(done.returncode)
        said = done.stderr.strip().splitlines()[0] if done.stderr.strip() else \
            f"({len(done.stdout):,} characters of output)"
    except subprocess.TimeoutExpired:
        status, said = "killed", f"still running after {limit:.0f} s"
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if status == "killed":
        cpu = time.perf_counter() - start
    return status, cpu, said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--limit", type=float, default=300.0, help="seconds per case")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args()
    rows = ["| case | status | CPU s | what symdiff said |", "|---|---|---|---|"]
    print("\n".join(rows), flush=True)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for what, arguments, stdin in cases(folder, 0.1 if args.quick else 1.0):
            if args.only and args.only not in what:
                continue
            if what.startswith("parse a"):
                stdin = sum_of_terms(int(what.split()[2].replace(",", "").split("-")[0]))
            status, cpu, said = run(arguments, stdin, args.limit)
            said = said if len(said) <= 110 else said[:107] + "..."
            rows.append(f"| {what} | {status} | {cpu:.2f} | {said.replace('|', '/')} |")
            print(rows[-1], flush=True)
    print(f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")
    if args.markdown:
        Path(args.markdown).write_text("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
