"""``symdiff check``: symdiff's derivatives against the oracles, by the variables of --vars,
with the formula's other names as parameters: fixed by --at, or drawn at random per point
by --range, but not differentiated."""
from __future__ import annotations

import json

from ..core.walk import free_vars
from ..verify.check import check
from .arguments import UsageError, parse_point, parse_ranges, variables
from .sources import one_result


def run_check(args) -> int:
    f = one_result(args)
    names = variables(args, [f])
    others = [name for name in free_vars(f) if name not in names]
    ranges, drawn = parse_ranges(args.range, names, others)
    fixed = _fixed(args.at, names, others)
    twice = sorted(set(fixed) & set(drawn))
    if twice:
        raise UsageError(f"{', '.join(twice)}: give a parameter --at or --range, not both")
    missing = [name for name in others if name not in fixed and name not in drawn]
    if missing:
        raise UsageError(_missing_message(missing))
    report = check(f, names, points=args.points, hessian=args.hessian, seed=args.seed,
                   ranges=ranges, parameters={**fixed, **drawn})
    if not report.checked:
        raise UsageError(f"no point could be checked: {report.skip_summary()}; choose where "
                         "with --range")
    print(json.dumps(report.to_dict()) if args.format == "json" else report)
    return 0 if report.ok else 1


def _fixed(specs: list[str], names: list[str], others: list[str]) -> dict[str, float]:
    """--at: values of the parameters, fixed at every point; a variable checked cannot be
    fixed, and a name must occur in the formula."""
    point = parse_point(specs)
    for name in point:
        if name in names:
            raise UsageError(f"--at {name}: {name} is a variable checked (in --vars); --at "
                             "fixes the other names of the formula")
        if name not in others:
            raise UsageError(f"--at {name}: {name} does not occur in the formula (its other "
                             f"names are {', '.join(others)})" if others else
                             f"--at {name}: {name} does not occur in the formula")
    return point


def _missing_message(missing: list[str]) -> str:
    """What to do about the formula's names that are neither checked nor given a value."""
    listed = ", ".join(missing)
    verb = "has" if len(missing) == 1 else "have"
    at = ",".join(f"{name}=..." for name in missing)
    ranges = ",".join(f"{name}=LO:HI" for name in missing)
    return (f"{listed} {verb} no value: give {'it' if len(missing) == 1 else 'them'} with "
            f"--at {at} or --range {ranges}, or list {'it' if len(missing) == 1 else 'them'} "
            "in --vars")
