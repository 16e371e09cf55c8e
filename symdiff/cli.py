"""The ``symdiff`` command line. Bad input gives one clear message and exit status 2."""
from __future__ import annotations

import argparse
import json
import sys

from . import __version__
from .diff import diff
from .errors import SymdiffError
from .expr import Expr, Var
from .graph import node_count
from .parser import parse
from .printing import to_shared_text, tree_size

#: Results whose written-out tree has more nodes than this (and than twice the DAG) are
#: printed with shared subexpressions bound to names t1, t2, ...
PLAIN_TREE_LIMIT = 2000

EXAMPLES = """\
examples:
  symdiff diff "x^2*y + y + 2" x             2*x*y
  symdiff diff "x*x*y + y + 2" y             x^2 + 1
  symdiff diff "x^2*y" x y                   2*x   (d/dy of d/dx)
  symdiff diff "sin(x^2)" --at x=3           -5.466781571308061
  symdiff diff "x^2*y" x --format latex      2 x y
  symdiff eval "x*x*y + y + 2" --at x=3,y=4  42
  echo "log(x)/x" | symdiff diff -           1/x^2 - log(x)/x^2  symdiff diff "-x^2" x                      -2*x
"""


class UsageError(SymdiffError):
    """Bad command-line arguments (as opposed to a bad formula)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{message}\nusage: {self.format_usage().strip()[7:]}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="symdiff",
        description="Exact symbolic derivatives of formulas.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"symdiff {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    common = _Parser(add_help=False)
    common.add_argument("expr", metavar="EXPR", help="the formula, or - to read it from stdin")
    common.add_argument("--at", action="append", default=[], metavar="x=3,y=4",
                        help="a point: name=value pairs (values may be formulas such as pi/2); "
                             "may be repeated")
    common.add_argument("--format", choices=("text", "latex", "json"), default="text",
                        help="output format (default: text)")

    d = commands.add_parser(
        "diff", parents=[common], help="differentiate a formula",
        description="Differentiate EXPR by each VAR in turn (repeat a VAR for higher "
                    "derivatives). With no VAR, the formula's only variable is used. With "
                    "--at, print the derivative's value at that point.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    d.add_argument("vars", nargs="*", metavar="VAR", help="variables to differentiate by")
    d.set_defaults(run=run_diff)

    ev = commands.add_parser(
        "eval", parents=[common], help="evaluate a formula at a point",
        description="Print the value of EXPR at the point given by --at.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    ev.set_defaults(run=run_eval)
    return parser


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
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _read_formula(text: str) -> Expr:
    if text.strip() == "-":
        text = sys.stdin.read()
    return parse(text)


def _check_variable(name: str) -> str:
    name = name.strip()
    if not name.isidentifier():
        raise UsageError(f"{name!r} is not a variable name")
    return name


def is_large(result: Expr) -> bool:
    """Print with shared subexpressions bound once when the plain tree would be much larger
    than the DAG (it can be exponentially larger)."""
    return tree_size(result, cap=10**9) > max(PLAIN_TREE_LIMIT, 2 * node_count(result))


def _emit(args, expr: Expr, result: Expr, extra: dict, point: dict | None) -> None:
    value = result.evaluate(point) if point is not None else None
    if value is None and is_large(result):
        bindings, (text,) = to_shared_text([result])
        if args.format == "json":
            print(json.dumps({"expression": str(expr), **extra, "bindings": dict(bindings),
                              "result": text}))
        else:
            print("\n".join(f"{name} = {body}" for name, body in bindings))
            print(text)
        return
    if args.format == "json":
        record = {"expression": str(expr), **extra, "result": str(result),
                  "latex": result.to_latex()}
        if value is not None:
            record["at"] = point
            record["value"] = value
        print(json.dumps(record))
    elif value is not None:
        print(format_number(value))
    else:
        print(result.to_latex() if args.format == "latex" else result)


def run_diff(args) -> None:
    expr = _read_formula(args.expr)
    names = [_check_variable(v) for v in args.vars]
    if not names:
        free = expr.free_vars
        if len(free) > 1:
            raise UsageError(f"the formula has {len(free)} variables ({', '.join(free)}): "
                             f"name the one to differentiate by, e.g. "
                             f"symdiff diff \"{args.expr}\" {free[0]}")
        names = list(free)
    result = diff(expr, *[Var(n) for n in names]) if names else expr * 0
    point = parse_point(args.at) if args.at else None
    if point is not None:
        expr.evaluate(point)    # a derivative only exists where the formula is defined
    _emit(args, expr, result, {"variables": names}, point)


def run_eval(args) -> None:
    expr = _read_formula(args.expr)
    _emit(args, expr, expr, {}, parse_point(args.at))


def _shield_formulas(argv: list[str]) -> list[str]:
    """``-x^2`` is a formula, not an option: symdiff has no short options besides -h, so a
    leading space (which the grammar ignores) keeps argparse from reading it as one."""
    return [" " + a if a.startswith("-") and not a.startswith("--") and a not in ("-", "-h")
            else a for a in argv]


def main(argv: list[str] | None = None) -> int:
    try:
        argv = sys.argv[1:] if argv is None else argv
        args = build_parser().parse_args(_shield_formulas(argv))
        args.run(args)
    except SymdiffError as error:
        print(f"symdiff: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug in symdiff: still one line, not a traceback
        print(f"symdiff: internal error: {type(error).__name__}: {error} "
              "(please report this with the command that caused it)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
