"""The shared formula corpus: 521 real formulas with SymPy reference gradients and Hessians.

Each record must parse with exactly its variables, its gradient (and, for the 393 records
with a reference Hessian, its Hessian) must match SymPy's at up to three random points inside
the record's variable ranges, and the SymPy bridge must carry it over and back. References are evaluated with 30 digits. Points are skipped where the formula is not
real, and where a relative nudge of 1e-14 to the inputs moves a reference value by more than
1e-8: there no double-precision evaluation can meet the tolerance (sin(25*exp(x^2)) at x = 7).
"""
import functools
import json
import math
import random
from pathlib import Path

import pytest
import sympy
from sympy.parsing.sympy_parser import parse_expr

from symdiff import EvaluationError, hessian, parse
from symdiff.interop.sympy_bridge import from_sympy, to_sympy

pytestmark = pytest.mark.slow     # 521 formulas against SymPy: minutes

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "formulas.jsonl"
if not CORPUS.is_file():
    pytest.skip(f"formula corpus not found at {CORPUS}", allow_module_level=True)

RECORDS = [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]
BY_ID = {record["id"]: record for record in RECORDS}
POINTS, CANDIDATES, DEFAULT_RANGE = 3, 200, (0.5, 2.0)
REL, ABS = 1e-7, 1e-9
NUDGE, STABLE = 1e-14, 1e-8

per_record = pytest.mark.parametrize("record_id", list(BY_ID))


def close(a: float, b: float) -> bool:
    return abs(a - b) <= REL * max(abs(a), abs(b)) + ABS


def _real(expr, subs):
    """The reference at a point to 30 digits, or None where it is not a finite real number."""
    try:
        result = complex(expr.evalf(30, subs=subs))
    except (TypeError, ValueError, ArithmeticError):
        return None
    finite = math.isfinite(result.real) and abs(result.imag) <= 1e-12 * max(1.0, abs(result.real))
    return result.real if finite else None


@functools.lru_cache(maxsize=None)
def reference(record_id):
    """The parsed formula and up to three (point, expected values) pairs; key None is f."""
    record = BY_ID[record_id]
    names = dict(zip(record["vars"], record["sympy_vars"]))      # gamma -> gamma_v, ...
    symbols = {name: sympy.Symbol(name, real=True) for name in record["sympy_vars"]}
    refs = {None: parse_expr(record["sympy"], local_dict=symbols)}
    refs.update({var: parse_expr(text, local_dict=symbols)
                 for var, text in record["grad_sympy"].items()})
    expr = parse(record["formula"])
    ranges = record.get("var_ranges") or {}
    rng = random.Random(record_id)
    found = []
    for _ in range(CANDIDATES):
        if len(found) == POINTS:
            break
        point = {var: rng.uniform(*ranges.get(var, DEFAULT_RANGE)) for var in record["vars"]}
        try:
            expr.evaluate(point)
        except EvaluationError:
            continue
        subs = {symbols[names[var]]: value for var, value in point.items()}
        nudged = {s: v * (1 + rng.choice((-NUDGE, NUDGE))) for s, v in subs.items()}
        expected = {key: _real(ref, subs) for key, ref in refs.items()}
        if any(value is None for value in expected.values()):
            continue
        moved = {key: _real(ref, nudged) for key, ref in refs.items()}
        if any(moved[key] is None or abs(moved[key] - value) > STABLE * max(abs(value), 1e-2)
               for key, value in expected.items()):
            continue
        found.append((point, expected))
    return expr, found


def _points(record_id):
    expr, found = reference(record_id)
    assert found, "no point in var_ranges where the formula is real and well conditioned"
    return expr, found


@per_record
def test_parses_with_the_recorded_variables(record_id):
    record = BY_ID[record_id]
    assert set(parse(record["formula"]).free_vars) == set(record["vars"])


@per_record
def test_value_and_gradient_match_sympy(record_id):
    expr, found = _points(record_id)
    gradient = {var: expr.gradient(var) for var in BY_ID[record_id]["vars"]}
    for point, expected in found:
        assert close(expr.evaluate(point), expected[None]), point
        for var, derivative in gradient.items():
            got = derivative.evaluate(point)
            assert close(got, expected[var]), f"d/d{var} = {got}, SymPy says {expected[var]} at {point}"


@per_record
def test_sympy_bridge_round_trip(record_id):
    expr, found = _points(record_id)
    converted = to_sympy(expr)
    assert from_sympy(converted) is expr
    for point, expected in found:
        subs = {sympy.Symbol(var, real=True): value for var, value in point.items()}
        assert close(_real(converted, subs), expected[None]), point


HESSIAN_IDS = [record["id"] for record in RECORDS if record.get("hessian_sympy")]


@pytest.mark.parametrize("record_id", HESSIAN_IDS)
def test_hessian_matches_sympy(record_id):
    """symdiff.hessian (reverse over reverse) against SymPy's second derivatives. Entries whose
    reference is not a finite real at the point (DiracDelta at a kink) are skipped."""
    record = BY_ID[record_id]
    expr, found = _points(record_id)
    names = dict(zip(record["vars"], record["sympy_vars"]))
    symbols = {name: sympy.Symbol(name, real=True) for name in record["sympy_vars"]}
    variables = record["vars"]
    matrix = hessian(expr, variables)
    assert all(matrix[i][j] is matrix[j][i] for i in range(len(variables)) for j in range(i))
    for point, _ in found:
        subs = {symbols[names[var]]: value for var, value in point.items()}
        for i, a in enumerate(variables):
            for j, b in enumerate(variables[i:], start=i):
                text = record["hessian_sympy"][a][b]
                expected = _real(parse_expr(text, local_dict=symbols), subs)
                if expected is None:
                    continue
                got = matrix[i][j].evaluate(point)
                assert close(got, expected), f"d2/d{a}d{b} = {got}, SymPy says {expected} at {point}"
