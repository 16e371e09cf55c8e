"""LaTeX output and the shared-subexpression form for large results."""
import pytest

import symdiff as sd
from symdiff import cos, parse, sin
from symdiff import diff
from symdiff.printing.latex import to_shared_latex
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
    # a factor that starts with a digit after another factor: \cdot (2 3^{x} reads 23^x)
    ("2*3^x", r"2 \cdot 3^{x}"),
    ("0.5*2^x", r"0.5 \cdot 2^{x}"),
    ("2^x*3^y*x_1", r"2^{x} \cdot 3^{y} x_{1}"),
    ("x/(2*3^x*y)", r"\frac{3^{-x} x}{2 y}"),
    # a float in scientific form as a base is parenthesised (no double superscript)
    ("1e-300^x", r"\left(1 \cdot 10^{-300}\right)^{x}"),
    # \max and \min take limits: their powers are parenthesised, not \max^{2}
    ("max(x, y)^2", r"\left(\max\left(x, y\right)\right)^{2}"),
    # names that would read the same are spelt out; \omicron is no LaTeX command
    ("x1*x_1", r"\mathrm{x1} \mathrm{x\_1}"),
    ("x1 + x2", r"x_{1} + x_{2}"),
    ("omicron", r"\mathrm{omicron}"),
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


def test_the_let_bound_latex_names_the_shared_nodes_in_latex():
    bindings, (text,) = to_shared_latex([parse("sin(x + 1)^2 + sin(x + 1)")])
    assert bindings == [("t_{1}", r"\sin\left(x + 1\right)")]
    assert text == "t_{1}^{2} + t_{1}"      # a bound call under a power is its name
