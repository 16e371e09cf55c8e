"""Hypothesis strategies shared by the property tests: random formulas over every function,
small exact and float constants, pi, e and the variables x, y, z, and points to evaluate at;
and how to compare two forms' values at such a point."""
import functools
import math
from fractions import Fraction

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from symdiff import FUNCTIONS, Add, Const, EvaluationError, Mul, Pow, Var, e, pi, sqrt
from symdiff.core.errors import NumberRangeError, UndefinedError
from symdiff.core.functions import Max, Min

VARIABLES = [Var("x"), Var("y"), Var("z")]
NUMBERS = [Const(v) for v in (0, 1, 2, 3, -1, -3, Fraction(1, 2), Fraction(-2, 3),
                              0.5, -1.5, 2.25, 1.0, -1.0)] + [pi, e]
EXTREMES = [Const(v) for v in (1e300, -1e-300, 10**40, Fraction(1, 10**30))]   # printing only
#: Built-in functions the random formulas leave out: test_latex_typesets.py reads every random
#: formula's LaTeX back with SymPy's LaTeX parser, which has no command for these (and that
#: test maps no stand-in for them yet). Their values, derivatives, code and round trips are
#: checked function by function (test_functions.py, test_new_functions.py).
NOT_RANDOM = {"log10", "log2", "log1p", "expm1", "coth", "sech", "csch", "acot", "asec",
              "acsc", "acoth", "asech", "acsch", "sigmoid", "softplus", "erf", "erfc", "gamma",
              "loggamma", "digamma"}
UNARY = [cls for cls in FUNCTIONS.values() if cls.arity == 1 and cls.name not in NOT_RANDOM] + [
    sqrt, lambda u: -u]
BINARY = [Add, Mul, lambda a, b: a - b, lambda a, b: a / b, Pow, Max, Min]
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
