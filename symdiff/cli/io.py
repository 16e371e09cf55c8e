"""What the ``symdiff`` command reads and prints: points, variable lists, numbers, rules
files, derivative tables (plain, LaTeX, JSON, or with shared subexpressions bound once),
simplified results and rewrite traces."""
from __future__ import annotations

import argparse
import json
import math
import re
import sys

from ..rewriting.rule import load_rules
from ..rewriting.simplify import simplify_result
from ..core.errors import SymdiffError
from ..core.nodes import Expr
from ..core.walk import free_vars, node_count
from ..syntax.parser import CONSTANTS, KNOWN_CALLS, parse
from ..printing.text import to_shared_text, to_text, tree_size

#: Results whose written-out tree has more nodes than this (and than twice the DAG) are
#: printed with shared subexpressions bound to names t1, t2, ...
PLAIN_TREE_LIMIT = 2000
#: The simplifier's budget unless --timeout / --max-iterations say otherwise.
TIMEOUT, MAX_ITERATIONS = 5.0, 30
#: Each side of a rewrite step in a trace is cut short (with ...) after this many characters.
STEP_TEXT_LIMIT = 1000

class UsageError(SymdiffError):
    """Bad command-line arguments (as opposed to a bad formula)."""


def _split_top_level(text: str) -> list[str]:
    """Split on commas outside parentheses, so ``--at x=max(1,2),y=3`` works."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def parse_point(specs: list[str]) -> dict[str, float]:
    """``["x=3,y=pi/2"]`` -> {"x": 3.0, "y": 1.57...}; values are formulas without variables."""
    point: dict[str, float] = {}
    for spec in specs:
        for item in _split_top_level(spec):
            name, sep, value = item.partition("=")
            name = name.strip()
            if not sep or not name.isidentifier():
                raise UsageError(f"--at expects name=value pairs such as x=3,y=4, not {item!r}")
            try:
                number = parse(value)
            except SymdiffError as error:
                raise UsageError(f"--at {name}: {error}") from None
            if number.free_vars:
                raise UsageError(f"--at {name}={value.strip()}: a value cannot contain "
                                 f"variables ({', '.join(number.free_vars)})")
            point[name] = number.evaluate({})
    return point


def format_number(value: float) -> str:
    """Integral values without a trailing .0 (24, not 24.0); others in full precision."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def read_formula(text: str) -> Expr:
    """The formula given on the command line, or read from stdin for ``-``."""
    if text.strip() == "-":
        text = sys.stdin.read()
    return parse(text)


def read_rules(path: str) -> list:
    """The rules of the file ``path``; a missing or unreadable file is a usage error (a bad
    rule is a ``RuleError`` naming the file and line)."""
    try:
        return load_rules(path)
    except OSError as error:
        raise UsageError(f"--rules {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise UsageError(f"--rules {path}: not a text file (UTF-8 expected)") from None


def seconds(text: str) -> float:
    """``--timeout``: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, not {text!r}")
    return value


def whole_number(text: str) -> int:
    """``--max-iterations``: a positive whole number."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, not {text!r}")
    return int(text)


def check_variable(name: str) -> str:
    """A variable name given as a positional argument, stripped, or a usage error."""
    name = name.strip()
    if not name.isidentifier():
        raise UsageError(f"{name!r} is not a variable name")
    return name


def is_large(*results: Expr) -> bool:
    """Print with shared subexpressions bound once when the plain trees of ``results``
    together would be much larger than their DAG (they can be exponentially larger)."""
    return tree_size(results, cap=10**9) > max(PLAIN_TREE_LIMIT, 2 * node_count(results))


def emit(args, expr: Expr, result: Expr, extra: dict, point: dict | None,
         value_of: Expr | None = None, details: dict | None = None) -> None:
    """Print one result (``diff``, ``eval``, ``simplify``): its value at ``point``, or the
    expression as text, LaTeX or JSON, with shared subexpressions bound once when it is
    large. The value is that of ``value_of`` (default: ``result``); JSON ends with the
    items of ``details``."""
    source = result if value_of is None else value_of
    value = source.evaluate(point) if point is not None else None
    details = details or {}
    if (value is None or args.format == "json") and is_large(result):
        bindings, (text,) = to_shared_text([result])
        if args.format == "json":
            record = {"expression": str(expr), **extra, "bindings": dict(bindings),
                      "result": text, **details}
            print(json.dumps(record if value is None else {**record, "at": point,
                                                           "value": value}))
        elif value is not None:
            print(format_number(value))
        else:
            print("\n".join(f"{name} = {body}" for name, body in bindings))
            print(text)
        return
    if args.format == "json":
        record = {"expression": str(expr), **extra, "result": str(result),
                  "latex": result.to_latex(), **details}
        if value is not None:
            record["at"] = point
            record["value"] = value
        print(json.dumps(record))
    elif value is not None:
        print(format_number(value))
    else:
        print(result.to_latex() if args.format == "latex" else result)


NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")     # a name in the formula grammar


def variables(args, formulas: list[Expr]) -> list[str]:
    """The names from --vars (checked), else the formulas' variables in natural order
    (x2 before x10)."""
    if not args.vars:
        names = sorted(free_vars(formulas),
                       key=lambda name: [int(part) if part.isdigit() else part
                                         for part in re.split(r"(\d+)", name)])
        if not names:
            which = "formula has" if len(formulas) == 1 else "formulas have"
            raise UsageError(f"the {which} no variables: name the ones to differentiate by "
                             "with --vars, e.g. --vars x")
        return names
    names = [name.strip() for spec in args.vars for name in spec.split(",") if name.strip()]
    if not names:
        raise UsageError("--vars names no variable: give names such as --vars x,y")
    seen = set()
    for name in names:
        if name in CONSTANTS:
            raise UsageError(f"--vars: '{name}' is a constant, not a variable")
        if name in KNOWN_CALLS:
            raise UsageError(f"--vars: '{name}' is a function, not a variable")
        if not NAME.fullmatch(name):
            hint = " (separate names with commas: --vars x,y)" if re.search(r"\W", name) else ""
            raise UsageError(f"--vars: {name!r} is not a variable name{hint}")
        if name in seen:
            raise UsageError(f"--vars: '{name}' is listed twice")
        seen.add(name)
    return names


def _values(entries: list[Expr], what: list[str], point: dict) -> list[float]:
    """Each entry's value at ``point``; a failure says which entry."""
    value_of: dict[Expr, float] = {}
    for entry, description in zip(entries, what):
        if entry not in value_of:
            try:
                value_of[entry] = entry.evaluate(point)
            except SymdiffError as error:
                raise SymdiffError(f"{description} cannot be evaluated here: {error}") from None
    return [value_of[entry] for entry in entries]


def simplified(args, entries: list[Expr]) -> tuple[list[Expr], list[str]]:
    """``entries`` simplified together (unless ``--raw``): one rewrite of all of them, so
    the subexpressions they share are simplified once, within ``--timeout``; and a note for
    stderr when that stopped at a limit."""
    if args.raw:
        return entries, []
    result = simplify_result(entries, timeout=args.timeout, max_iterations=args.max_iterations)
    if result.stop_reason == "saturated":
        return result.expr, []
    results = "the result" if len(entries) == 1 else "the results"
    note = (f"symdiff: note: simplifying stopped at {_limit(args, result.stop_reason)}; "
            f"{results} {'is' if len(entries) == 1 else 'are'} correct but may simplify "
            "further (--raw skips simplifying)")
    return result.expr, [note]


def _limit(args, reason: str, iterations: int | None = None) -> str:
    """The limit behind a stop reason and how to raise it (and, given ``iterations``, how
    many passes were made before a limit other than the passes themselves)."""
    after = "" if iterations is None else f" after {_passes(iterations)}"
    if reason == "time limit":
        return f"the time limit ({args.timeout:g} s; see --timeout){after}"
    if reason == "iteration limit":
        return f"the iteration limit ({_passes(args.max_iterations)}; see --max-iterations)"
    if reason == "node limit":
        return f"the node limit (the expression grew too large){after}"
    if reason == "cycle":
        return f"a cycle{after}, rules undoing each other"
    return f"{reason}{after}"


def stop_note(args, result) -> str:
    """The stderr note for a ``simplify`` that did not saturate."""
    where = _limit(args, result.stop_reason, result.iterations)
    if result.cycle_rules:
        where = (f"a cycle after {_passes(result.iterations)}: rules "
                 f"{', '.join(result.cycle_rules)} undo each other (see --trace)")
    return (f"symdiff: note: simplifying stopped at {where}; the result is equal to EXPR but "
            "may simplify further")


def _cycle(result) -> str:
    """The rules that went round in a cycle, as `` (a, b)``."""
    return f" ({', '.join(result.cycle_rules)})" if result.cycle_rules else ""


def _passes(n: int) -> str:
    return f"{n} pass" if n == 1 else f"{n} passes"


def _side(expr: Expr) -> str:
    return to_text(expr, max_length=STEP_TEXT_LIMIT)


def trace_lines(result) -> list[str]:
    """``rule: before  =>  after`` per rewrite step (as ``str(step)``, each side cut short
    when long), then ``stopped: REASON after N passes``."""
    lines = [f"{step.rule}: {_side(step.before)}  =>  {_side(step.after)}"
             for step in result.steps or ()]
    return lines + [f"stopped: {result.stop_reason}{_cycle(result)} after "
                    f"{_passes(result.iterations)}"]


def trace_record(step) -> dict:
    """One rewrite step for JSON output."""
    return {"rule": step.rule, "before": _side(step.before), "after": _side(step.after)}


def _nest(shape: list, cells: list) -> list:
    """Entry indices laid out as ``shape`` (a list, or a list of rows) -> the cells."""
    return [_nest(item, cells) if isinstance(item, list) else cells[item] for item in shape]


def emit_table(args, record: dict, formulas: list[Expr], entries: list[Expr],
                labels: list[str], shape: list, rows: bool = False) -> None:
    """Print derivative ``entries``: one ``label = entry`` line each, in order.

    ``shape`` lays the entry indices out for json and LaTeX: a flat list is a vector (a
    LaTeX column), a list of lists a matrix. With ``rows`` (a Jacobian), the entries are one
    row of equal length per formula, printed under the formula as a header.
    """
    per_row = len(entries) // len(formulas) if rows else len(entries)
    point = parse_point(args.at) if args.at else None
    what = [f"{label} of {to_text(formulas[i // per_row], max_length=60)}" if rows else label
            for i, label in enumerate(labels)]
    values, notes = None, []
    if point is not None:
        for formula in formulas:        # a derivative only exists where the formula does
            formula.evaluate(point)
        values = _values(entries, what, point)      # from the entries as differentiated
    if values is None or args.format == "json":
        entries, notes = simplified(args, entries)
    if args.format == "json":
        if is_large(*entries):
            bindings, texts = to_shared_text(entries)
            record.update(bindings=dict(bindings), result=_nest(shape, texts))
        else:
            record.update(result=_nest(shape, [str(e) for e in entries]),
                          latex=_nest(shape, [e.to_latex() for e in entries]))
        if values is not None:
            record.update(at=point, value=_nest(shape, values))
        print(json.dumps(record))
    else:
        print(_table_text(args, formulas, entries, labels, shape, per_row if rows else 0,
                          values))
    for note in notes:
        print(note, file=sys.stderr)


def _table_text(args, formulas: list[Expr], entries: list[Expr], labels: list[str],
                shape: list, per_row: int, values: list[float] | None) -> str:
    """The text or LaTeX of ``emit_table``; ``per_row`` is the row length of a Jacobian
    (entries under formula headers), 0 for a plain table."""
    headers, out = [str(f) for f in formulas], []
    if values is not None:
        texts = [format_number(v) for v in values]
    elif is_large(*entries):    # one set of bindings for all entries and the row headers
        bindings, texts = to_shared_text(entries + (formulas if per_row else []))
        texts, headers = texts[:len(entries)], texts[len(entries):] or headers
        out = [f"{name} = {body}" for name, body in bindings]
    elif args.format == "latex":
        texts = [e.to_latex() for e in entries]
    else:
        texts = [str(e) for e in entries]
    if args.format == "latex" and not out:
        matrix = [row if isinstance(row, list) else [row] for row in shape]
        return ("\\begin{pmatrix}\n"
                + " \\\\\n".join(" & ".join(texts[i] for i in row) for row in matrix)
                + "\n\\end{pmatrix}")
    pad = max(map(len, labels))
    for i, (label, text) in enumerate(zip(labels, texts)):
        if per_row and i % per_row == 0:
            out.append(f"{headers[i // per_row]}:")
        out.append(f"{'  ' if per_row else ''}{label.ljust(pad)} = {text}")
    return "\n".join(out)


def _bound(text: str, spec: str) -> float:
    try:
        number = parse(text)
        if number.free_vars:
            raise UsageError(f"--range {spec}: a bound cannot contain variables "
                             f"({', '.join(number.free_vars)})")
        return number.evaluate({})
    except UsageError:
        raise
    except SymdiffError as error:
        raise UsageError(f"--range {spec}: {error}") from None


def parse_ranges(specs: list[str], names: list[str]) -> dict[str, tuple[float, float] | None]:
    """``--range``: ``LO:HI`` for every variable or ``x=LO:HI,y=LO:HI`` for some (bounds may
    be formulas such as pi/2) -> {name: (lo, hi)}, None where the default applies."""
    everywhere, ranges = None, {}
    for spec in specs:
        for item in _split_top_level(spec):
            name, sep, bounds = item.rpartition("=")
            lo, colon, hi = bounds.partition(":")
            if not colon or (sep and not name.strip().isidentifier()):
                raise UsageError(f"--range expects LO:HI or name=LO:HI (such as x=0.5:2), "
                                 f"not {item!r}")
            pair = (_bound(lo, item), _bound(hi, item))
            if not pair[0] < pair[1]:
                raise UsageError(f"--range {item}: the low end must be below the high end")
            if not sep:
                everywhere = pair
            elif name.strip() not in names:
                raise UsageError(f"--range {item}: '{name.strip()}' is not one of the "
                                 f"variables ({', '.join(names)})")
            else:
                ranges[name.strip()] = pair
    return {name: ranges.get(name, everywhere) for name in names}


# ------------------------------------------------- explain, graph and diff --steps
def _wrt(specs: list[str]) -> list[str] | None:
    """``--wrt w,b``: the variables whose gradient entries to print (None: all)."""
    if not specs:
        return None
    names = [name.strip() for spec in specs for name in spec.split(",") if name.strip()]
    if not names:
        raise UsageError("--wrt names no variable: give names such as --wrt w,b")
    for name in names:
        if not NAME.fullmatch(name) or name in CONSTANTS or name in KNOWN_CALLS:
            raise UsageError(f"--wrt: {name!r} is not a variable name")
    if len(set(names)) != len(names):
        raise UsageError(f"--wrt: a variable is listed twice ({', '.join(names)})")
    return names


def _explained_point(args, expr: Expr) -> dict:
    names = free_vars(expr)
    if not args.at and names:
        example = ",".join(f"{name}=1" for name in names)
        raise UsageError(f"explain needs the point: a value for each variable "
                         f"({', '.join(names)}), e.g. --at {example}")
    return parse_point(args.at) if args.at else {}


def run_explain_command(args) -> None:
    """``symdiff explain``: the graph, the forward and backward pass, the gradient."""
    from ..teaching.explain import explain

    expr = read_formula(args.expr)
    point = _explained_point(args, expr)
    try:
        explanation = explain(expr, point, _wrt(args.wrt), args.name)
    except ValueError as error:
        raise UsageError(f"--name: {error}") from None
    if args.format == "json":
        print(json.dumps(explanation.to_dict()))
    elif args.format == "markdown":
        print(explanation.to_markdown())
    else:
        print(explanation.to_text())


def run_graph_command(args) -> None:
    """``symdiff graph``: DOT on stdout, or a .dot/.svg/.png/.pdf file with -o."""
    from ..teaching.drawing import to_dot, write_graph

    expr = read_formula(args.expr)
    point = parse_point(args.at) if args.at else None
    try:
        if args.output is None:
            print(to_dot(expr, point, args.name, args.max_nodes), end="")
        else:
            print(f"wrote {write_graph(expr, args.output, point, args.name, args.max_nodes)}")
    except ValueError as error:
        raise UsageError(f"--name: {error}") from None


def print_steps(args, expr: Expr, names: list[str]) -> None:
    """``symdiff diff --steps``: the derivation by each variable in turn, each ending in
    its result (simplified unless --raw), then the value at --at if given."""
    from ..teaching.steps import derivation_steps, steps_text, with_simplified

    if args.format not in ("text", "json"):
        raise UsageError(f"--steps prints text or json, not {args.format}")
    if getattr(args, "points", None):
        raise UsageError("--steps shows a derivation; it cannot be combined with --points")
    point = parse_point(args.at) if args.at else None
    if point is not None:
        expr.evaluate(point)    # a derivative only exists where the formula is defined
    blocks, records, notes, current, raw = [], [], [], expr, expr * 0
    for name in names:
        steps = derivation_steps(current, name, simplify=False)
        raw = steps[-1].result
        (shown,), more = simplified(args, [raw])
        steps = with_simplified(steps, shown)
        blocks.append(steps_text(current, steps))
        records += [step.to_dict() for step in steps]
        notes += more
        current = shown
    if not names:
        blocks.append(f"{to_text(expr)} has no variables: its derivative is 0\nresult: 0")
        current = raw
    value = raw.evaluate(point) if point is not None else None   # as diff --at does
    if args.format == "json":
        record = {"expression": str(expr), "variables": names, "steps": records,
                  "result": str(current)}
        if value is not None:
            record.update(at=point, value=value)
        print(json.dumps(record))
    else:
        print("\n\n".join(blocks))
        if value is not None:
            at = ", ".join(f"{name}={format_number(v)}" for name, v in point.items())
            print(f"value at {at}: {format_number(value)}")
    for note in notes:
        print(note, file=sys.stderr)
