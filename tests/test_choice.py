"""The choice pass and its strategies: factored, divided-out and cancelled forms on SymPy's
rings, the cost models, textbook forms of real gradients, the trace of the chosen form, and
the budget holding inside the pass."""
from fractions import Fraction

import pytest
from hypothesis import assume, given

from strategies import PROPERTY, agrees, formulas, points, value_at
from symdiff import Var, exp, gradient, log, parse, simplify, simplify_result
from symdiff.core.nodes import Add
from symdiff.rewriting import choice
from symdiff.rewriting.cost import COST_MODELS, cost_model, depth, flops
from symdiff.rewriting.factoring import divide_out, factor, rational_form, split_radicals
from symdiff.rewriting.strategies import StopReason


def _table(text: str) -> list[tuple[str, str]]:
    return [tuple(side.strip() for side in line.split("=>"))
            for line in text.strip().splitlines()]


FACTORED = _table("""
2*a^2*b - 2*b^3              => 2*b*(a - b)*(a + b)
x^2 - 1                      => (x - 1)*(x + 1)
2*w*x + 2*b - 2*y            => 2*(w*x + b - y)
1/(16*x^2 + 16)              => 1/(16*(x^2 + 1))
x/(x^2 - 1) + 1/(x + 1)      => (2*x - 1)/((x - 1)*(x + 1))
(x^2 + 2*x*y + y^2)/(x + y)  => x + y
x^3 + 3*x^2 + 3*x + 1        => (x + 1)^3
4*x^3 - 4*x^2 + 0.25          => 4*x^2*(x - 1) + 0.25
1 - x                        => 1 - x
-1/x                         => -1/x
""")

CANCELLED = _table("""
1/(y*(x^2/y^2 + 1))                      => y/(x^2 + y^2)
1/(1 - 1/(x + 1))                        => (x + 1)/x
1/x - 1/(x + 1)                          => 1/(x^2 + x)
-1/x                                     => -1/x
(exp(z)^2 - 1)/(exp(z) - 1)              => exp(z) + 1
4.68*x/(4.68*y)                          => 1.0*x/y
0.27*x*(y + 1)/(x*y + x)^2               => 0.27/(x*y + x)
1/(x + 0.5) - 1/(x + 0.5)^2              => (x - 0.5)/(x^2 + 1.0*x + 0.25)
""")

RADICALS = _table("""
pr/(rho*sqrt(g*pr/rho))                  | 1/2  => sqrt(g*pr/rho)/g
(m + n)/(G*(m + n))^(3/2)                | -1/2 => 1/(G*sqrt(G*(m + n)))
(m + n)/(G*(m + n))^(3/2)                | 1/2  => sqrt(G*(m + n))/(G^2*m + G^2*n)
x*sqrt(x^2 + 1)                          | 1/2  => x*sqrt(x^2 + 1)
x*(x*y + 1)^(3/2)                        | -1/2 => (x^2*y + x)*sqrt(x*y + 1)
2.5*x/sqrt(x*y)                          | -1/2 => 2.5*x/sqrt(x*y)
2.5*x/sqrt(x*y)                          | 1/2  => 2.5*sqrt(x*y)/y
""")

DIVIDED = _table("""
(1 - y - y*exp(-z))/(exp(-z) + 1)  => 1 - y - 1/(exp(z) + 1)
(x^3 + 1)/(x + 2)                  => x^2 - 2*x - 7/(x + 2) + 4
(x + 1)/x                          => 1/x + 1
""")


@pytest.mark.parametrize("given_text, expected", FACTORED)
def test_factor(given_text, expected):
    assert factor(parse(given_text)) is parse(expected)


@pytest.mark.parametrize("given_text, expected", CANCELLED)
def test_rational_form(given_text, expected):
    assert rational_form(parse(given_text)) is parse(expected)


@pytest.mark.parametrize("given_text, expected", RADICALS)
def test_split_radicals(given_text, expected):
    text, root = given_text.split("|")
    assert split_radicals(parse(text), Fraction(root.strip())) is parse(expected)


@pytest.mark.parametrize("given_text, expected", DIVIDED)
def test_divide_out(given_text, expected):
    assert divide_out(parse(given_text)) is parse(expected)


@pytest.mark.parametrize("text", ["x + 0.5*y^2", "sin(x)", "x", "2", "(x + y)^200*(x - y)"])
def test_the_algebra_leaves_what_it_cannot_or_should_not_touch(text):
    expr = parse(text)
    for transform in (factor, rational_form, divide_out):
        assert transform(expr) is expr or value_at(transform(expr), {"x": 0.3, "y": 0.7}) == \
            pytest.approx(value_at(expr, {"x": 0.3, "y": 0.7}))


# -------------------------------------------------------------- textbook forms of gradients
GRADIENTS = [
    # (formula, variable, simplified derivative)
    ("atan(x/y)", "x", "y/(x^2 + y^2)"),
    ("(w*x + b - y)^2", "b", "2*(w*x + b - y)"),
    ("(w*x + b - y)^2", "w", "2*x*(w*x + b - y)"),
    ("sin(x)/x", "x", "(x*cos(x) - sin(x))/x^2"),
    ("-(y*log(exp(a)/(exp(a) + exp(b))) + (1 - y)*log(exp(b)/(exp(a) + exp(b))))", "a",
     "sigmoid(a - b) - y"),
]


@pytest.mark.parametrize("formula, var, expected", GRADIENTS)
def test_gradients_come_out_in_textbook_form(formula, var, expected):
    assert simplify(parse(formula).diff(var)) is parse(expected)


def test_softmax_cross_entropy_gradient_is_p_times_total_minus_y():
    a = [Var(f"a{i}") for i in (1, 2, 3)]
    y = [Var(f"y{i}") for i in (1, 2, 3)]
    total = Add(*(exp(ai) for ai in a))
    loss = -Add(*(yi * log(exp(ai) / total) for ai, yi in zip(a, y)))
    results = simplify(gradient(loss, a))
    assert [str(r) for r in results] == [
        f"exp(a{i})*(y1 + y2 + y3)/(exp(a1) + exp(a2) + exp(a3)) - y{i}" for i in (1, 2, 3)]


# -------------------------------------------------------------- cost models
def test_the_cost_models_choose_by_their_own_measure():
    expr = parse("x^8 + 4*x^6")
    assert simplify(expr, cost="ops") is expr                    # 3 operations either way
    assert simplify(expr, cost="flops") is parse("x^6*(x^2 + 4)")  # one power fewer
    assert flops(parse("x^6*(x^2 + 4)")) < flops(expr)
    assert depth(parse("x^2 + 4")) == 2 and depth(parse("x")) == 0


def test_an_unknown_cost_model_is_a_clear_error():
    with pytest.raises(ValueError, match="ops, depth, flops"):
        simplify(parse("x"), cost="speed")


@PROPERTY
@given(formulas(), points)
def test_the_choice_never_costs_more_than_the_greedy_pass_and_keeps_the_value(expr, point):
    before = value_at(expr, point)
    assume(before is not None)
    greedy = simplify_result(expr, choose=False).expr
    for model in COST_MODELS:
        chosen = simplify(expr, cost=model)
        assert cost_model(model)(chosen) <= cost_model(model)(greedy)
        assert agrees(chosen, expr, point), (model, str(expr), str(chosen))


@PROPERTY
@given(formulas())
def test_a_simplified_result_reads_back_as_the_same_node(expr):
    result = simplify(expr)
    assert parse(str(result)) is result, str(result)


# -------------------------------------------------------------- trace and budget
def test_the_trace_is_the_chain_to_the_chosen_form():
    result = simplify_result(parse("1 - sinh(x)^2/cosh(x)^2"), trace=True)
    assert [step.rule for step in result.steps] == ["together", "cosh2-minus-sinh2"]
    for step in result.steps:        # each step keeps the value of what it rewrote
        for x in (0.3, 1.7):
            assert value_at(step.after, {"x": x}) == pytest.approx(value_at(step.before, {"x": x}))


def test_the_time_limit_holds_inside_the_choice_pass(monkeypatch):
    """The clock says time is up once the choice pass starts: it stops within one reading of
    the clock (256 units of work), and the greedy pass's result is returned."""
    late = {"now": False, "spent_then": None}
    normal = choice.Chooser.normal

    def normal_then_late(self, expr):
        if not late["now"]:
            late["now"], late["spent_then"] = True, self.run.deadline.spent
        return normal(self, expr)

    monkeypatch.setattr(choice.Chooser, "normal", normal_then_late)
    expr = parse("(1 - y)/(1 - 1/(exp(z) + 1)) - y*(exp(z) + 1) + atan(x/y)")
    result = simplify_result(expr, clock=lambda: 1e9 if late["now"] else 0.0, timeout=10)
    assert result.stop_reason == StopReason.TIME_LIMIT
    assert result.expr is simplify_result(expr, choose=False).expr


def test_the_choice_pass_work_grows_linearly_with_a_gradient():
    """Its work (all of it, less the greedy pass's) for a softmax-like gradient of n entries
    sharing one n-term sum: doubling n does not quadruple it."""
    def work(n):
        xs = [Var(f"x{i}") for i in range(n)]
        entries = gradient(log(Add(*(exp((1 + i % 3) * x) for i, x in enumerate(xs)))), xs)
        return simplify_result(entries).work - simplify_result(entries, choose=False).work

    small, large = work(100), work(200)
    assert 0 < small and large < 2.5 * small


def test_user_rules_alone_get_no_choice_pass():
    from symdiff.rewriting.rule import parse_rules
    rules = parse_rules("swap: x*y -> y*x")
    result = simplify_result(parse("2*w*x + 2*b - 2*y"), rules=rules)
    assert result.expr is parse("2*w*x + 2*b - 2*y")
