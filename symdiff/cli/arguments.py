"""What the ``symdiff`` command reads from its arguments: formulas (or stdin), points,
ranges, variable lists, numbers and rules files. Anything wrong is a ``UsageError``, which
the command prints as one line and exit status 2."""
from __future__ import annotations

import argparse
import math
import re

from ..core.errors import SymdiffError
from ..core.names import ALSO_VARIABLES, normal_name
from ..core.nodes import Expr
from ..core.walk import free_vars, natural_key
from ..rewriting.rule import load_rules
from ..rewriting.strategies import DEFAULT_BUDGET
from ..syntax.parser import CONSTANTS, KNOWN_CALLS, parse
from .hints import look_alike_notes, print_hints

#: The simplifier's budget unless --timeout / --max-iterations say otherwise (rewriting's
#: one default budget).
TIMEOUT, MAX_ITERATIONS = DEFAULT_BUDGET.timeout, DEFAULT_BUDGET.max_iterations

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")     # a name in the formula grammar


class UsageError(SymdiffError):
    """Bad command-line arguments (as opposed to a bad formula)."""


def read_formula(text: str) -> Expr:
    """One formula's text (``cli.sources`` has read stdin for ``-`` already); a variable
    that looks like a call without parentheses (``sinx``) gets a hint on stderr."""
    expr = parse(text)
    print_hints(look_alike_notes(expr))
    return expr


def read_rules(path: str) -> list:
    """The rules of the file ``path``; a missing or unreadable file is a usage error (a bad
    rule is a ``RuleError`` naming the file and line)."""
    try:
        return load_rules(path)
    except OSError as error:
        raise UsageError(f"--rules {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise UsageError(f"--rules {path}: not a text file (UTF-8 expected)") from None


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
    """``["x=3,y=pi/2"]`` -> {"x": 3.0, "y": 1.57...}; values are formulas without variables.
    Names are read as the parser reads them (NFKC); a name given twice is refused."""
    return _parsed_point(specs)[0]


def _parsed_point(specs: list[str]) -> tuple[dict[str, float], dict[str, str]]:
    """The point, and the ``name=value`` text that gave each name."""
    point: dict[str, float] = {}
    given: dict[str, str] = {}
    for spec in specs:
        for item in _split_top_level(spec):
            name, sep, value = item.partition("=")
            name = name.strip()
            if not sep or not name.isidentifier():
                raise UsageError(f"--at expects name=value pairs such as x=3,y=4, not {item!r}")
            try:
                name = normal_name(name)
            except ValueError as error:
                raise UsageError(f"--at {item}: {error}") from None
            if name in given:
                raise UsageError(f"--at gives {name} twice ({given[name]} and {item}): one "
                                 "value per name")
            given[name] = item
            try:
                number = parse(value)
            except SymdiffError as error:
                raise UsageError(f"--at {name}: {error}") from None
            if number.free_vars:
                raise UsageError(f"--at {name}={value.strip()}: a value cannot contain "
                                 f"variables ({', '.join(number.free_vars)})")
            point[name] = number.evaluate({})
    return point, given


def formula_point(specs: list[str], formulas: list[Expr], also=()) -> dict[str, float]:
    """``--at`` for ``formulas``: every name must occur in one of them (or be one of
    ``also``, such as variables listed in --vars), so a typo is not silently ignored."""
    point, given = _parsed_point(specs)
    present = set(free_vars(formulas)) | set(also)
    for name in point:
        if name not in present:
            names = ", ".join(free_vars(formulas))
            if len(formulas) == 1:
                where = "does not occur in the formula " + (
                    f"(its variables are {names})" if names else "(it has no variables)")
            else:
                where = "occurs in none of the formulas " + (
                    f"(their variables are {names})" if names else "(they have no variables)")
            raise UsageError(f"--at {given[name]}: {name} {where}")
    return point


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


def parse_ranges(specs: list[str], names: list[str], others=()
                 ) -> tuple[dict[str, tuple[float, float] | None], dict[str, tuple]]:
    """``--range``: ``LO:HI`` for every variable or ``x=LO:HI,y=LO:HI`` for some (bounds may
    be formulas such as pi/2) -> ({name: (lo, hi)}, None where the default applies; and
    {parameter: (lo, hi)} for the names of ``others``, which are drawn but not checked)."""
    everywhere, ranges, parameters = None, {}, {}
    for spec in specs:
        for item in _split_top_level(spec):
            name, sep, bounds = item.rpartition("=")
            name = name.strip()
            lo, colon, hi = bounds.partition(":")
            if not colon or (sep and not name.isidentifier()):
                raise UsageError(f"--range expects LO:HI or name=LO:HI (such as x=0.5:2), "
                                 f"not {item!r}")
            pair = (_bound(lo, item), _bound(hi, item))
            if not pair[0] < pair[1]:
                raise UsageError(f"--range {item}: the low end must be below the high end")
            if not sep:
                everywhere = pair
            elif name in names:
                ranges[name] = pair
            elif name in others:
                parameters[name] = pair
            else:
                raise UsageError(f"--range {item}: '{name}' is not one of the variables "
                                 f"({', '.join(names)})" + (f" or other names "
                                 f"({', '.join(others)})" if others else ""))
    return {name: ranges.get(name, everywhere) for name in names}, parameters


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


def _names(specs: list[str]) -> list[str]:
    """The comma-separated names of repeated options such as ``--vars x,y --vars z``."""
    return [name.strip() for spec in specs for name in spec.split(",") if name.strip()]


def variables(args, formulas: list[Expr]) -> list[str]:
    """The names from --vars (checked), else the formulas' variables in natural order
    (x2 before x10, ``core.walk.natural_key``)."""
    if not args.vars:
        names = sorted(free_vars(formulas), key=natural_key)     # free_vars' own order
        if not names:
            which = "formula has" if len(formulas) == 1 else "formulas have"
            raise UsageError(f"the {which} no variables: name the ones to differentiate by "
                             "with --vars, e.g. --vars x")
        return names
    names = _names(args.vars)
    if not names:
        raise UsageError("--vars names no variable: give names such as --vars x,y")
    seen = set()
    for name in names:
        if name in CONSTANTS:
            raise UsageError(f"--vars: '{name}' is a constant, not a variable")
        if name in KNOWN_CALLS and name not in ALSO_VARIABLES:
            raise UsageError(f"--vars: '{name}' is a function, not a variable")
        if not NAME.fullmatch(name):
            hint = " (separate names with commas: --vars x,y)" if re.search(r"\W", name) else ""
            raise UsageError(f"--vars: {name!r} is not a variable name{hint}")
        if name in seen:
            raise UsageError(f"--vars: '{name}' is listed twice")
        seen.add(name)
    return names


def wrt_variables(specs: list[str]) -> list[str] | None:
    """``--wrt w,b``: the variables whose gradient entries to print (None: all)."""
    if not specs:
        return None
    names = _names(specs)
    if not names:
        raise UsageError("--wrt names no variable: give names such as --wrt w,b")
    for name in names:
        if not NAME.fullmatch(name) or name in CONSTANTS or (name in KNOWN_CALLS
                                                             and name not in ALSO_VARIABLES):
            raise UsageError(f"--wrt: {name!r} is not a variable name")
    if len(set(names)) != len(names):
        raise UsageError(f"--wrt: a variable is listed twice ({', '.join(names)})")
    return names


def required_point(args, expr: Expr) -> dict:
    """``explain``'s point: --at must give every variable of ``expr`` a value."""
    names = free_vars(expr)
    if not args.at and names:
        example = ",".join(f"{name}=1" for name in names)
        raise UsageError(f"explain needs the point: a value for each variable "
                         f"({', '.join(names)}), e.g. --at {example}")
    return formula_point(args.at, [expr]) if args.at else {}
