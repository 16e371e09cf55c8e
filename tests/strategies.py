"""Hypothesis strategies shared by the property tests: random formulas over every function,
small exact and float constants, pi, e and the variables x, y, z, and points to evaluate at;
and how to compare two forms' values at such a point."""
import functools
import json
import math
from fractions import Fraction
from pathlib import Path

import sympy
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import symdiff
from symdiff import FUNCTIONS, Add, Const, EvaluationError, Mul, Pow, Var, e, pi, sqrt, topological
from symdiff.core.errors import NumberRangeError, UndefinedError
from symdiff.core.functions import Max, Min

VARIABLES = [Var("x"), Var("y"), Var("z")]
NUMBERS = [Const(v) for v in (0, 1, 2, 3, -1, -3, Fraction(1, 2), Fraction(-2, 3),
                              0.5, -1.5, 2.25, 1.0, -1.0)] + [pi, e]
EXTREMES = [Const(v) for v in (1e300, -1e-300, 10**40, Fraction(1, 10**30))]   # printing only
UNARY = [cls for cls in FUNCTIONS.values() if cls.arity == 1] + [
    sqrt, lambda u: -u, lambda u: FUNCTIONS["polygamma"](1, u)]
BINARY = [Add, Mul, lambda a, b: a - b, lambda a, b: a / b, Pow, Max, Min,
          FUNCTIONS["atan2"], FUNCTIONS["hypot"]]
EXPONENTS = [2, 3, -1, -2, Fraction(1, 2), Fraction(1, 3), Fraction(-1, 2), 2.5, 2.0]


@functools.lru_cache(maxsize=None)
def formulas(depth: int = 4, extremes: bool = False):
    """A call, power or binary operation whose arguments are leaves or shallower formulas.
    Variables are four times as likely as numbers; ``extremes`` adds huge and tiny ones."""
    leaves = st.sampled_from(VARIABLES * 4 + NUMBERS + (EXTREMES if extremes else []))
    if depth == 0:
        return leaves
    arg = st.one_of(leaves, formulas(depth - 1, extremes))
    return st.one_of(st.builds(_build, st.sampled_from(UNARY), arg),
                     st.builds(_build, st.just(Pow), arg, st.sampled_from(EXPONENTS)),
                     st.builds(_build, st.sampled_from(BINARY), arg, arg)).filter(
                         lambda expr: expr is not None)


def _build(f, *args):
    """``f(*args)``, or None where symdiff refuses the constant it would hold: a float that
    overflows (NumberRangeError), or a number with no value such as log(0) (UndefinedError)."""
    if f is Pow and not args[0].free_vars and type(args[1]) is not Const:
        base = value_at(args[0], {})
        if base is None or base <= 0:
            return None   # c^x, c <= 0 (0^x, sin(-1)^x): no value nearly anywhere, and
            #               d/dx needs log(c), which symdiff refuses to build
    try:
        return f(*args)
    except (NumberRangeError, UndefinedError):
        return None


coordinate = st.floats(0.05, 3.0) | st.floats(-3.0, -0.05)
points = st.fixed_dictionaries({v.name: coordinate for v in VARIABLES})
PROPERTY = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def value_at(expr, point):
    """The value at ``point``, or None where it is undefined or not finite."""
    try:
        v = expr.evaluate(point)
    except (EvaluationError, OverflowError):
        return None
    return v if math.isfinite(v) else None


def close(a, b, rel: float = 1e-7):
    return math.isclose(a, b, rel_tol=rel, abs_tol=rel * 1e-2 * max(1.0, abs(a), abs(b)))


def exact_value(expr, point, digits: int = 30):
    """The value at ``point`` to ``digits`` digits through SymPy (None where it has none): the
    judge where the float values of two equal forms disagree because a constant was rounded
    (``sin(pi)^x`` is 1.1e-8 in floats at x = 0.5, and 0)."""
    try:
        form = symdiff.to_sympy(expr)
        exact = {symbol: sympy.Rational(point[symbol.name]) for symbol in form.free_symbols
                 if symbol.name in point}
        value = form.subs(exact).evalf(digits)
        return complex(value).real if value.is_real else None
    except (TypeError, ValueError, ArithmeticError, symdiff.ConversionError):
        return None


def agrees(simplified, expr, point, rel: float = 1e-7) -> bool:
    """Whether the simplified form's float value is the input's, or failing that the
    input's exact value."""
    after, before = value_at(simplified, point), value_at(expr, point)
    if after is None or before is None:
        return False
    if close(after, before, rel):
        return True
    exact = exact_value(expr, point)
    return exact is not None and close(after, exact, rel)


def well_conditioned(expr, point, rel: float = 1e-7) -> bool:
    """Whether rounding at the last digits of the point leaves the value alone (to ``rel``):
    sin(x^-10) at x = 0.05 is not, and an equal form, or the same form computed another way,
    may round differently there."""
    nudged = {name: v * (1 + 1e-13) for name, v in point.items()}
    here, there = value_at(expr, point), value_at(expr, nudged)
    if here is None or there is None or abs(here) > HUGE:
        return False
    return close(here, there, rel)


#: A value this large at these points is the neighbourhood of a pole that the formula hits
#: only through rounding: sec(x + acos(sin(x))) is sec(pi/2) for every x in (0, pi/2), and
#: its float value (about 3.6e16 at x = 0.05) is rounding error, equal at the nudged point.
HUGE = 1e12


def _from_a_pole(u: float) -> float:
    """How far u is from the poles 0, -1, -2, ... of gamma, digamma and polygamma."""
    return abs(u - round(u)) if u < 0.5 else 1.0


#: How far a call's arguments are from a kink, jump, pole or domain edge of the function
#: (by name), where neither finite differences nor SymPy give a derivative to compare with.
GAPS = {
    **dict.fromkeys(["abs", "sign", "step", "relu", "cbrt", "sinc", "coth", "csch", "acot",
                     "acsch"], lambda u: abs(u)),       # acot jumps at 0; cbrt: vertical
    **dict.fromkeys(["asin", "acos", "atanh", "asec", "acsc", "acoth"],
                    lambda u: abs(1 - abs(u))),         # both sides: asec, acsc, acoth
    **dict.fromkeys(["log", "log10", "log2", "loggamma"], lambda u: u),
    "log1p": lambda u: 1 + u, "acosh": lambda u: u - 1, "asech": lambda u: min(u, 1 - u),
    "tan": lambda u: abs(math.cos(u)), "sec": lambda u: abs(math.cos(u)),
    "csc": lambda u: abs(math.sin(u)), "cot": lambda u: abs(math.sin(u)),
    "gamma": _from_a_pole, "digamma": _from_a_pole,
    "polygamma": lambda n, u: _from_a_pole(u),
    "max": lambda a, b: abs(a - b), "min": lambda a, b: abs(a - b),
    "atan2": lambda y, x: abs(y) if x < 0 else math.hypot(y, x),   # the cut and (0, 0)
    "hypot": math.hypot,                                           # a cone's tip
}


def _pow_gap(base, exponent):
    if isinstance(exponent, int):
        return 1.0                                 # smooth wherever it is defined
    if exponent is not None and float(exponent).is_integer():
        return abs(base)                           # u^2.0 is fine for negative u too
    return base                                    # u^(1/3), u^v: smooth only for u > 0


def near_kink_or_edge(expr, point) -> bool:
    """True when some node has an argument without a value at ``point``, or sits within 1e-3
    of a kink, pole or domain edge (``GAPS``): asec(erf(x^2)) at x = 3 is asec(1.0), whose
    derivative divides by zero although the value and the finite differences are fine."""
    for node in topological(expr):
        values = [value_at(a, point) for a in node.args]
        if None in values:
            return True
        name = getattr(type(node), "name", None)
        if name in GAPS:
            gap = GAPS[name](*values)
        elif type(node) is Pow:
            gap = _pow_gap(values[0], node.args[1].value if type(node.args[1]) is Const else None)
        else:
            continue
        if gap < 1e-3:
            return True
    return False


def points_with_values(names, candidates, check, count: int) -> list[dict]:
    """Up to ``count`` points (``names`` -> a candidate tuple of values) with no two values
    equal (a tie is a kink of max and min) at which ``check(point)`` raises no
    EvaluationError: inside the domain, off the kinks."""
    found = []
    for values in candidates:
        if len(set(values)) < len(values):
            continue
        point = dict(zip(names, values))
        try:
            check(point)
        except EvaluationError:
            continue
        found.append(point)
        if len(found) == count:
            break
    return found


def error_bar(expr, point: dict, value: float) -> float:
    """1e-9 of max(1, |value|), plus 100 times how far a relative nudge of 1e-14 to the
    inputs moves evaluate's value: a sum that cancels differs by its rounding in any order."""
    bar = 1e-9 * max(1.0, abs(value))
    nudged = {v: x * (1 + 1e-14 * (-1) ** i) for i, (v, x) in enumerate(point.items())}
    try:
        return bar + 100 * abs(expr.evaluate(nudged) - value)
    except EvaluationError:
        return bar


#: The shared formula corpus (beside the repository); tests using it skip when it is absent.
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "formulas.jsonl"


def corpus_records() -> list[dict]:
    """The corpus's records, or none when it is absent."""
    if not CORPUS.is_file():
        return []
    return [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]


def corpus_points(record: dict, rng, inside: int = 3, outside: int = 4) -> list[dict]:
    """``inside`` points of the record's variable ranges (default (0.5, 2)), then
    ``outside`` of [-3, 3] for every variable (where some formulas are undefined)."""
    ranges = record.get("var_ranges") or {}
    names = record["vars"]
    return ([{v: rng.uniform(*ranges.get(v, (0.5, 2.0))) for v in names} for _ in range(inside)]
            + [{v: rng.uniform(-3, 3) for v in names} for _ in range(outside)])
