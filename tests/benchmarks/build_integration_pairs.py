"""Build ``data/integration_pairs.jsonl``: (integrand, antiderivative, variable) triples from
SymPy's integration tests, for ``bench_simplify.py`` (d/dx of an antiderivative, simplified,
should be about as small as the integrand it came from).

    git clone --bare https://github.com/sympy/sympy sympy.git     # or any clone
    python tests/benchmarks/build_integration_pairs.py --sympy-git sympy.git

It reads the test files from git (no work tree, nothing imported or run): every test file
of SymPy's HEAD that calls ``integrate(``, and the Rubi test suite that SymPy removed in
540fdda (read at its parent commit). Asserts such as ``integrate(f, x) == F`` (also
``manualintegrate``, ``heurisch``, ``risch_integrate``, ``ratint``, ``trigintegrate``,
``f.integrate(x)``, a helper like ``assert_is_integral_of(f, F)``) and Rubi's rows ``[f, x,
steps, F]`` and ``rubi_test(rubi_integrate(f, x), x, F)`` are read with ``ast``: the formula
text is written from a whitelist of node types, numbers, symbols and functions that symdiff
declares; nothing is evaluated or sympified. A pair is kept when symdiff's derivative of F
equals f at every one of 12 random points where both are defined (at least 3 must be;
symbols without a sign are drawn from (0.2, 2), and from (-2, 2) when too few of those
points are defined); the drops are counted by reason and printed.
"""
from __future__ import annotations

import argparse
import ast
import json
import math
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import symdiff
from symdiff.core.declarations import FUNCTIONS, call_form
from symdiff.core.names import normal_name

from bench_simplify import value     # this folder: the same value check as the benchmark's

OUT = Path(__file__).resolve().parent / "data" / "integration_pairs.jsonl"
RUBI_REMOVED = "540fdda80c87607e42994ec141bcfbe59b611f5b"     # "remove rubi"
RUBI_TESTS = "sympy/integrals/rubi/rubi_tests/tests/"
INTEGRATORS = {"integrate", "manualintegrate", "heurisch", "heurisch_wrapper",
               "risch_integrate", "ratint", "trigintegrate", "rubi_integrate"}
CONSTANTS = {"pi": "pi", "Pi": "pi", "E": "e"}
SINGLETONS = {"Half": "(1/2)", "One": "1", "Zero": "0", "NegativeOne": "(-1)", "Pi": "pi",
              "Exp1": "e"}
#: Rubi's own names (sympy.integrals.rubi.utility_function) for one-argument functions,
#: and Python's abs (SymPy's Abs on an expression).
ONE_ARGUMENT_NAMES = {"Log": "log", "Sqrt": "sqrt", "Exp": "exp", "ArcTan": "atan",
                      "ArcTanh": "atanh", "ArcSin": "asin", "ArcSinh": "asinh",
                      "ArcCos": "acos", "ArcCosh": "acosh", "ArcCsch": "acsch",
                      "ArcCsc": "acsc", "Gamma": "gamma", "Erf": "erf", "Erfc": "erfc",
                      "abs": "abs"}
OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}
POINTS, NEEDED = 12, 3
DEFAULT_RANGE, WIDE_RANGE, NEGATIVE_RANGE = (0.2, 2.0), (-2.0, 2.0), (-2.0, -0.2)
INTEGERS = (1, 4)


def function_table() -> dict[str, tuple[str, set[int] | None]]:
    """SymPy's function names -> (symdiff's name, arities allowed; None: two or more), read
    from the declarations (a declaration whose SymPy form is a bare name), plus sqrt, the
    two-argument log and Rubi's one-argument names."""
    table: dict[str, tuple[str, set[int] | None]] = {}
    for name, cls in FUNCTIONS.items():
        spec = cls.spec
        if not spec.sympy:
            continue
        head, operands = call_form(spec.sympy, spec.params)
        if operands == tuple(range(len(spec.params))):
            arity = None if head in ("Max", "Min") else {len(spec.params)}
            table[head] = (name, arity)
    table["sqrt"] = ("sqrt", {1})
    table["log"] = ("log", {1, 2})
    for name, ours in ONE_ARGUMENT_NAMES.items():
        table.setdefault(name, (ours, {1}))
    return table


def _integer(node: ast.AST) -> int | None:
    """The value of an integer literal, possibly negated (``S(-3)``, ``Rational(-1, 2)``)."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        sign, node = -1, node.operand
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return sign * node.value
    return None


def _atomic(node: ast.AST) -> bool:
    """Whether a node's text needs no parentheses as an operand: a name, a number that is
    not negative, a call (the writer parenthesises names bound to formulas itself)."""
    if isinstance(node, ast.Constant):
        return type(node.value) is int or (type(node.value) is float and node.value >= 0)
    return isinstance(node, (ast.Name, ast.Call, ast.Attribute))


class Drop(Exception):
    """Why an expression cannot be written as a symdiff formula (the message is the count's
    key)."""


class Scope:
    """What the names of a test module or function stand for: a symbol (its symdiff name
    and assumptions), a formula already written (an earlier ``e = ...``), or nothing usable
    (the reason)."""

    def __init__(self, parent: "Scope | None" = None):
        self.names: dict[str, tuple] = {}
        self.parent = parent

    def get(self, name: str):
        scope = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None


class Writer:
    """Writes symdiff formula text from a SymPy test's expression AST, iteratively (an
    explicit stack: no recursion over the expression)."""

    def __init__(self, functions: dict, aliases: dict[str, str]):
        self.functions, self.aliases = functions, aliases

    def text(self, node: ast.AST, scope: Scope, symbols: dict) -> str:
        """The formula; ``symbols`` collects the symbols used (symdiff name -> assumptions)."""
        done: dict[int, str] = {}
        stack = [(node, False)]
        while stack:
            item, ready = stack.pop()
            children = self._children(item)
            if not ready and children:
                stack.append((item, True))
                stack.extend((child, False) for child in reversed(children))
                continue
            done[id(item)] = self._write(item, [done[id(c)] for c in children], scope, symbols)
        return done[id(node)]

    def _children(self, node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.BinOp):
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            return [node.operand]
        if isinstance(node, ast.Call) and not self._number_call(node):
            if node.keywords:
                raise Drop("call with keywords")
            return list(node.args)
        return []

    @staticmethod
    def _number_call(node: ast.Call) -> bool:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        return name in ("S", "Integer", "Rational") and not node.keywords and all(
            _integer(a) is not None for a in node.args)

    def _write(self, node, args: list[str], scope: Scope, symbols: dict) -> str:
        if isinstance(node, ast.BinOp):
            if type(node.op) not in OPERATORS:
                raise Drop(f"operator {type(node.op).__name__}")
            operator = OPERATORS[type(node.op)]
            left, right = (a if _atomic(c) else f"({a})"
                           for a, c in zip(args, (node.left, node.right)))
            return f"{left}{operator}{right}"
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return f"(-{args[0]})" if _atomic(node.operand) else f"(-({args[0]}))"
            if isinstance(node.op, ast.UAdd):
                return args[0]
            raise Drop(f"operator {type(node.op).__name__}")
        if isinstance(node, ast.Constant):
            if type(node.value) is int:
                return str(node.value)
            if type(node.value) is float and math.isfinite(node.value):
                return repr(node.value)
            raise Drop(f"constant {type(node.value).__name__}")
        if isinstance(node, ast.Name):
            return self._name(node.id, scope, symbols)
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id == "S" \
                    and node.attr in SINGLETONS:
                return SINGLETONS[node.attr]
            raise Drop(f"attribute {node.attr}")
        if isinstance(node, ast.Call):
            return self._call(node, args)
        raise Drop(f"node {type(node).__name__}")

    def _name(self, name: str, scope: Scope, symbols: dict) -> str:
        bound = scope.get(name)
        if bound is None:
            if self.aliases.get(name, name) in CONSTANTS:
                return CONSTANTS[self.aliases.get(name, name)]
            raise Drop(f"name {name}")
        kind, value, extra = bound
        if kind == "symbol":
            symbols[value] = extra
            return value
        if kind == "formula":
            symbols.update(extra)
            return f"({value})"
        raise Drop(value)

    def _call(self, node: ast.Call, args: list[str]) -> str:
        if self._number_call(node):
            numbers = [_integer(a) for a in node.args]
            if len(numbers) == 2 and numbers[1] != 0:
                return f"({numbers[0]}/{numbers[1]})"
            if len(numbers) == 1:
                return f"({numbers[0]})"
            raise Drop("number call")
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            name = func.attr                      # sympy.sin(x), sp.sin(x)
        elif isinstance(func, ast.Name):
            name = self.aliases.get(func.id, func.id)
        else:
            raise Drop("call of an expression")
        if name == "exp" and args == ["1"]:
            return "e"
        if name not in self.functions:
            raise Drop(f"function {name}")
        ours, arities = self.functions[name]
        if (len(args) not in arities) if arities else len(args) < 2:
            raise Drop(f"function {name} with {len(args)} arguments")
        return f"{ours}({', '.join(args)})"


# --- reading a test module -------------------------------------------------------------

SYMBOL_MAKERS = {"symbols", "Symbol", "Dummy", "var"}
ASSUMPTIONS = ("positive", "negative", "integer", "nonnegative", "nonpositive", "real")


def symdiff_name(name: str, dummy: bool = False) -> str:
    """A symdiff variable name for a SymPy symbol (``e``, ``E``, ``pi``, function names:
    with a suffix ``_v``; a Dummy gets ``_d``, being a different symbol from its namesake)."""
    name = name + "_d" if dummy else name
    for candidate in (name, name + "_v"):
        try:
            return normal_name(candidate)
        except ValueError:
            continue
    raise Drop(f"symbol name {name}")


def _make_symbols(call: ast.Call) -> list[tuple[str, dict]] | str:
    """The symbols a ``symbols(...)``/``Symbol(...)``/``Dummy(...)`` call makes, or why not."""
    maker = call.func.id
    if not call.args or not isinstance(call.args[0], ast.Constant) \
            or not isinstance(call.args[0].value, str):
        return "symbols from an expression"
    facts = {}
    for keyword in call.keywords:
        if keyword.arg == "cls":
            return "undefined function"
        if keyword.arg in ASSUMPTIONS and isinstance(keyword.value, ast.Constant):
            facts[keyword.arg] = bool(keyword.value.value)
    text = call.args[0].value
    names = text.replace(",", " ").split() if maker in ("symbols", "var") else [text]
    if any(":" in n for n in names):
        return "symbol range"
    try:
        return [(symdiff_name(n, maker == "Dummy"), facts) for n in names]
    except Drop as why:
        return str(why)


class Module:
    """One test file: its names, helpers and the pairs it asserts, read statement by
    statement in order (an explicit stack of statement lists)."""

    def __init__(self, source: str, path: str, writer_functions: dict):
        self.tree = ast.parse(source)
        self.path, self.functions = path, writer_functions
        self.aliases: dict[str, str] = {}
        self.helpers: dict[str, tuple[int, int, str]] = {}
        self.found: list[dict] = []
        self.drops: Counter = Counter()

    def read(self) -> None:
        module = Scope()
        for node in self.tree.body:                 # imports and aliases first
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
        self.writer = Writer(self.functions, self.aliases)
        self._statements(self.tree.body, module)

    def _statements(self, body: list[ast.stmt], scope: Scope) -> None:
        stack = [(iter(body), scope)]
        while stack:
            statements, scope = stack[-1]
            node = next(statements, None)
            if node is None:
                stack.pop()
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._helper(node, scope)
                inner = Scope(scope)
                for arg in node.args.args + node.args.kwonlyargs:
                    inner.names[arg.arg] = ("bad", "function parameter", None)
                stack.append((iter(node.body), inner))
            else:
                self._statement(node, scope)
                for field in ("finalbody", "orelse", "handlers", "body"):   # body first
                    block = getattr(node, field, None)
                    if isinstance(block, list) and block and isinstance(block[0], ast.AST):
                        stack.append((iter(block), scope))

    def _statement(self, node: ast.stmt, scope: Scope) -> None:
        if isinstance(node, ast.ImportFrom) and node.module == "sympy.abc":
            for alias in node.names:
                scope.names[alias.asname or alias.name] = (
                    "symbol", symdiff_name(alias.name), {})
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                self._assign(target, node.value, scope)
        elif isinstance(node, (ast.AugAssign, ast.For, ast.With)):
            targets = [node.target] if not isinstance(node, ast.With) else \
                [item.optional_vars for item in node.items if item.optional_vars]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        scope.names[name.id] = ("bad", "reassigned name", None)
        if isinstance(node, (ast.Assert, ast.Expr)):
            self._pairs(node, scope)

    def _assign(self, target: ast.expr, value: ast.expr, scope: Scope) -> None:
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                and value.func.id in SYMBOL_MAKERS | {"Function"}:
            made = _make_symbols(value) if value.func.id != "Function" else "undefined function"
            names = [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
            if isinstance(made, str) or len(made) != len(names):
                for name in names:
                    scope.names[name] = ("bad", made if isinstance(made, str) else "symbols",
                                         None)
                return
            for name, (ours, facts) in zip(names, made):
                scope.names[name] = ("symbol", ours, facts)
            return
        if isinstance(value, ast.List) and value.elts and all(
                isinstance(row, ast.List) and len(row.elts) in (4, 5) for row in value.elts):
            for row in value.elts:                  # Rubi: [f, x, steps, F(, F2)]
                self._pair(row.elts[0], row.elts[1], row.elts[3], row.lineno, scope)
        if isinstance(target, ast.Name):
            symbols: dict = {}
            try:
                scope.names[target.id] = ("formula", self.writer.text(value, scope, symbols),
                                          symbols)
            except Drop as why:
                scope.names[target.id] = ("bad", str(why), None)
        elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) \
                and len(target.elts) == len(value.elts):
            for t, v in zip(target.elts, value.elts):
                self._assign(t, v, scope)
        else:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    scope.names[name.id] = ("bad", "unpacked", None)

    def _helper(self, node: ast.FunctionDef, scope: Scope) -> None:
        """A helper such as ``assert_is_integral_of(f, F)`` whose body asserts
        ``integrate(f, x) == F`` for two of its parameters."""
        params = [a.arg for a in node.args.args]
        for inner in ast.walk(node):
            if isinstance(inner, ast.Compare):
                found = self._integral_compare(inner)
                if found and all(isinstance(n, ast.Name) and n.id in params
                                 for n in (found[0], found[2])):
                    self.helpers[node.name] = (params.index(found[0].id),
                                               params.index(found[2].id), found[1])

    def _integral(self, node: ast.expr):
        """(integrand, variable) of an indefinite integration call, else None."""
        if not isinstance(node, ast.Call):
            return None
        func = node.func
        name = self.aliases.get(func.id, func.id) if isinstance(func, ast.Name) else None
        if name in INTEGRATORS and len(node.args) == 2:
            return node.args[0], node.args[1]
        if isinstance(func, ast.Attribute) and func.attr == "integrate" and len(node.args) == 1:
            return func.value, node.args[0]
        if isinstance(func, ast.Attribute) and func.attr == "doit" \
                and isinstance(func.value, ast.Call) and isinstance(func.value.func, ast.Name) \
                and func.value.func.id == "Integral" and len(func.value.args) == 2:
            return func.value.args[0], func.value.args[1]
        return None

    def _integral_compare(self, node: ast.Compare):
        """(integrand, variable, antiderivative) of ``integrate(f, x) == F`` either way round."""
        if len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq):
            return None
        left, right = node.left, node.comparators[0]
        for call, other in ((left, right), (right, left)):
            found = self._integral(call)
            if found:
                return found[0], found[1], other
        return None

    def _pairs(self, statement: ast.stmt, scope: Scope) -> None:
        for node in ast.walk(statement):
            if isinstance(node, ast.Compare):
                found = self._integral_compare(node)
                if found:
                    self._pair(*found, statement.lineno, scope)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id == "rubi_test" and len(node.args) >= 3:
                    found = self._integral(node.args[0])
                    if found:
                        self._pair(found[0], found[1], node.args[2], statement.lineno, scope)
                elif node.func.id in self.helpers and len(node.args) >= 2:
                    i, j, variable = self.helpers[node.func.id]
                    self._pair(node.args[i], variable, node.args[j], statement.lineno, scope)

    def _pair(self, integrand, variable, antiderivative, line: int, scope: Scope) -> None:
        if not isinstance(variable, ast.Name):
            self.drops["definite or not one variable"] += 1
            return
        bound = scope.get(variable.id)
        if not bound or bound[0] != "symbol":
            self.drops["variable is not a symbol"] += 1
            return
        symbols: dict = {}
        try:
            f = self.writer.text(integrand, scope, symbols)
            big_f = self.writer.text(antiderivative, scope, symbols)
        except Drop as why:
            self.drops[str(why)] += 1
            return
        self.found.append({"integrand": f, "antiderivative": big_f, "variable": bound[1],
                           "symbols": symbols, "source": self.path, "line": line})


# --- checking and writing ----------------------------------------------------------------

def git(git_dir: str, *args: str) -> str:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True,
                          capture_output=True, text=True).stdout


def sources(git_dir: str) -> list[tuple[str, list[str]]]:
    """(commit, test files): SymPy's HEAD files that call integrate(, and the Rubi tests at
    the commit before their removal."""
    head = git(git_dir, "rev-parse", "HEAD").strip()
    files = git(git_dir, "grep", "-l", "integrate(", head, "--", "sympy/**/tests/*.py")
    rubi = git(git_dir, "rev-parse", RUBI_REMOVED + "^").strip()
    rubi_files = git(git_dir, "ls-tree", "-r", "--name-only", rubi, RUBI_TESTS).split()
    return [(head, sorted(line.split(":", 1)[1] for line in files.split())),
            (rubi, [f for f in rubi_files if f.endswith(".py") and "test_" in f])]


def sample_ranges(symbols: dict, wide: bool = False) -> tuple[dict, list[str]]:
    """Where each symbol is drawn: an integer symbol from 1..4 (or -4..-1), a negative one
    from (-2, -0.2), any other from (0.2, 2), or with ``wide`` from (-2, 2)."""
    ranges, integers = {}, []
    for name, facts in sorted(symbols.items()):
        negative = facts.get("negative") or facts.get("nonpositive")
        positive = facts.get("positive") or facts.get("nonnegative")
        if facts.get("integer"):
            integers.append(name)
            ranges[name] = [-INTEGERS[1], -INTEGERS[0]] if negative else list(INTEGERS)
        elif negative:
            ranges[name] = list(NEGATIVE_RANGE)
        elif wide and not positive:
            ranges[name] = list(WIDE_RANGE)
        else:
            ranges[name] = list(DEFAULT_RANGE)
    return ranges, integers


def draw(ranges: dict, integers: list[str], rng: random.Random) -> dict[str, float]:
    return {name: rng.randint(lo, hi) if name in integers else rng.uniform(lo, hi)
            for name, (lo, hi) in ranges.items()}


def check(pair: dict, rng: random.Random) -> tuple[dict | None, str]:
    """The record to keep, or None and why not: symdiff must read both formulas, and its
    derivative of the antiderivative must equal the integrand wherever both are defined."""
    try:
        f = symdiff.parse(pair["integrand"])
        big_f = symdiff.parse(pair["antiderivative"])
        derivative = symdiff.diff(big_f, pair["variable"])
    except symdiff.SymdiffError as error:
        return None, f"symdiff refuses: {type(error).__name__}"
    if pair["variable"] not in big_f.free_vars:
        return None, "antiderivative without the variable"
    for wide in (False, True):
        ranges, integers = sample_ranges(pair["symbols"], wide)
        agree = 0
        for _ in range(POINTS):
            point = draw(ranges, integers, rng)
            mine, theirs = value(derivative, point), value(f, point)
            if mine is None or theirs is None:
                continue
            if not math.isclose(mine, theirs, rel_tol=1e-6, abs_tol=1e-8):
                return None, "derivative differs from the integrand"
            agree += 1
        if agree >= NEEDED:
            break
    else:
        return None, f"defined at fewer than {NEEDED} of {POINTS} points"
    return {"integrand": str(f), "antiderivative": str(big_f), "variable": pair["variable"],
            "source": pair["source"], "line": pair["line"], "commit": pair["commit"],
            "ranges": ranges, "integer": integers}, ""


def build(git_dir: str, seed: int = 0) -> tuple[list[dict], Counter, dict]:
    functions = function_table()
    rng = random.Random(seed)
    kept, drops, seen, counts = [], Counter(), set(), {}
    for commit, paths in sources(git_dir):
        for path in paths:
            module = Module(git(git_dir, "show", f"{commit}:{path}"), path, functions)
            module.read()
            drops.update(module.drops)
            for pair in module.found:
                record, why = check({**pair, "commit": commit}, rng)
                if record is None:
                    drops[why] += 1
                    continue
                key = (record["integrand"], record["antiderivative"], record["variable"])
                if key in seen:
                    drops["duplicate"] += 1
                    continue
                seen.add(key)
                kept.append(record)
                counts[path] = counts.get(path, 0) + 1
    return kept, drops, counts


def header(kept: list[dict], drops: Counter, counts: dict) -> dict:
    return {"header": True,
            "what": "(integrand, antiderivative, variable) triples read from SymPy's "
                    "integration tests by tests/benchmarks/build_integration_pairs.py",
            "license": "BSD-3-Clause: derived from SymPy's test files, Copyright (c) "
                       "2006-2023 SymPy Development Team; the licence's text is in "
                       "SYMPY_LICENSE beside this file (see README.md there)",
            "source": "https://github.com/sympy/sympy",
            "commits": sorted({r["commit"] for r in kept}),
            "pairs": len(kept), "pairs_by_file": counts, "dropped": dict(drops.most_common()),
            "sampling": {"points": POINTS, "needed": NEEDED, "default": DEFAULT_RANGE,
                         "wide": WIDE_RANGE, "negative": NEGATIVE_RANGE, "integers": INTEGERS}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sympy-git", required=True,
                        help="a git directory of SymPy (a bare clone is enough)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    kept, drops, counts = build(args.sympy_git)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write(json.dumps(header(kept, drops, counts)) + "\n")
        for record in kept:
            out.write(json.dumps(record) + "\n")
    print(f"{len(kept)} pairs -> {args.out}")
    for why, count in drops.most_common():
        print(f"  dropped {count}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
