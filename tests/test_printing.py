"""LaTeX output and the shared-subexpression form for large results."""
import pytest

import symdiff as sd
from symdiff import cos, parse, sin
from symdiff import diff
from symdiff.printing.text import to_shared_text, tree_size

LATEX = [
    ("x^2*y + y + 2", "x^{2} y + y + 2"),
    ("x/(y*z)", r"\frac{x}{y z}"),
    ("-3*x/(2*y^2)", r"-\frac{3 x}{2 y^{2}}"),
    ("sqrt(x + 1)", r"\sqrt{x + 1}"),
    ("1/sqrt(x)", r"\frac{1}{\sqrt{x}}"),
    ("sin(x)^2 + cos(x)", r"\sin^{2}\left(x\right) + \cos\left(x\right)"),
    ("exp(-x^2)", "e^{-x^{2}}"),
    ("abs(x - 1)", r"\left|x - 1\right|"),
    ("asin(x)", r"\arcsin\left(x\right)"),
    ("relu(x)", r"\operatorname{relu}\left(x\right)"),
    ("theta*x1*apple_count", r"\mathrm{apple\_count} \theta x_{1}"),
    ("2*pi*x", r"2 \pi x"),
    ("(x + 1)^(3/2)", r"\left(x + 1\right)^{\frac{3}{2}}"),
    ("2.5e-7*x", r"2.5 \cdot 10^{-7} x"),
    ("x/(y + 1)/z", r"\frac{x}{z \left(y + 1\right)}"),
]


@pytest.mark.parametrize("text, latex", LATEX)
def test_latex(text, latex):
    assert parse(text).to_latex() == latex


def test_shared_form_binds_each_repeated_subexpression_once():
    f = parse("(x + 1)^2*sin(x + 1) - (x + 1)*y")
    bindings, (result,) = to_shared_text([f])
    assert bindings == [("t1", "x + 1")]
    assert result == "sin(t1)*t1^2 - y*t1"


def test_shared_names_avoid_the_formulas_variables():
    bindings, _ = to_shared_text([parse("sin(t1 + t2)^2 + sin(t1 + t2)")])
    assert bindings[0][0] == "t_1"


def test_negative_shared_terms_keep_their_sign():
    f = parse("exp(x) - 2*exp(x)*y - 2*x*y + sin(-2*x*y)")
    bindings, (result,) = to_shared_text([f])
    env = dict(x=0.3, y=0.7)
    for name, body in bindings:
        env[name] = parse(body).evaluate(env)
    assert parse(result).evaluate(env) == pytest.approx(f.evaluate(x=0.3, y=0.7))


def test_shared_form_is_linear_where_the_tree_is_exponential():
    g = parse("x")
    for _ in range(60):               # g_{k+1} = sin(g_k) + cos(g_k): the tree doubles each step
        g = sin(g) + cos(g)
    assert tree_size(g, cap=2 ** 70) > 2 ** 60
    bindings, (result,) = to_shared_text([g])
    assert len(bindings) <= 120 and len(result) < 40
    d = diff(g, "x")
    bindings, _ = to_shared_text([d])
    assert len(bindings) < 10 * 60


def test_a_shared_denominator_is_bound_once_not_repeated_in_every_quotient():
    total = sd.parse(" + ".join(f"exp({i}*x{i})" for i in range(1, 31)))
    f = sd.log(total)
    bindings, texts = to_shared_text(sd.gradient(f))
    assert dict(bindings)["t31"] == " + ".join(f"t{i}" for i in range(1, 31))
    assert texts[0] == "t1/t31" and all(text.endswith("/t31") for text in texts)
    assert sum(len(body) for _, body in bindings) + sum(map(len, texts)) < 2000
