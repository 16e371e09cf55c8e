"""The formula language's newer forms: SymPy's spellings, undefined functions and their
derivatives, root signs, and the hints for calls written wrongly."""
import pytest

from symdiff import ParseError, parse

SAME = [
    ("E*x", "e*x"),
    ("Rational(1, 2)*x", "x/2"),
    ("Rational(-3, 4)", "-3/4"),
    ("log(x, 2)", "log(x)/log(2)"),
    ("ln(x, 10)", "log(x)/log(10)"),
    ("Max(x, y, z)", "max(max(x, y), z)"),
    ("min(a, b, c, d)", "min(min(min(a, b), c), d)"),
    ("max(x, 1, x)", "max(x, 1)"),
    ("x**2 + 1", "x^2 + 1"),
    ("sqrt(x)*exp(x)", "x^(1/2)*exp(x)"),
]


@pytest.mark.parametrize("text, same_as", SAME)
def test_sympy_spellings_read_as_symdiff_formulas(text, same_as):
    assert parse(text) is parse(same_as)


UNDEFINED = [
    "f(x)", "f'(x)", "f''(x^2)", "g(x, y)", "D[1](g)(x, y)", "D[1,2](g)(x, y)",
    "D[2,2](g)(x, y)", "2*f'(x)^2 + f(f(x))", "D[1,1,2](g)(sin(x), y)",
]


@pytest.mark.parametrize("text", UNDEFINED)
def test_undefined_functions_print_as_they_parse(text):
    expr = parse(text, functions=["f", "g"])
    assert parse(str(expr), functions=["f", "g"]) is expr


def test_undefined_function_derivatives_read_as_their_derivative_nodes():
    f = parse("f(x^2)", functions="f")
    assert parse("2*x*f'(x^2)", functions="f") is f.gradient("x")
    g = parse("g(x, y)", functions=["g"])
    assert parse("D[1,2](g)(x, y)", functions=["g"]) is g.diff("x", "y")
    assert parse("D[1,1](g)(x, y)", functions=["g"]) is g.diff("x", 2)


@pytest.mark.parametrize("text, functions, pieces", [
    ("f(x)", (), ["unknown function 'f'", "--function f", "functions=['f']"]),
    ("f'(x)", (), ["not an undefined function"]),
    ("f'(x, y)", ("f",), ["takes one argument", "D[1](f)"]),
    ("D[3](g)(x, y)", ("g",), ["from 1 to 2"]),
    ("Q[1](g)(x)", ("g",), ["only D[positions]"]),
    ("log10x(x)", (), ["unknown function"]),
    ("log3(x)", (), ["base-3 logarithm", "log(u, 3)"]),
    ("sin2(x)", (), ["sin(u)^2"]),
    ("sni(x)", (), ["did you mean 'sin'"]),
    ("sin x", (), ["sin is a function", "sin(x)"]),
    ("exp 2", (), ["exp(2)"]),
    ("Rational(x, 2)", (), ["two integers"]),
    ("max(x)", (), ["2 or more arguments"]),
    ("log(x, 2, 3)", (), ["1 or 2 arguments"]),
    ("f = 2", ("f",), ["unexpected"]),
    ("f + 1", ("f",), ["'f' is a function"]),
])
def test_calls_written_wrongly_get_a_specific_message(text, functions, pieces):
    with pytest.raises(ParseError) as info:
        parse(text, functions=functions)
    for piece in pieces:
        assert piece in str(info.value)


def test_parses_in_one_thread_do_not_see_another_threads_functions():
    import threading
    seen = []

    def other():
        try:
            parse("f(x)")
        except ParseError:
            seen.append("refused")

    parse("f(x)", functions=["f"])
    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen == ["refused"]


def test_formulas_with_undefined_functions_pickle():
    import pickle
    expr = parse("f'(x^2)*D[1,2](g)(x, y) + 1", functions=["f", "g"])
    assert pickle.loads(pickle.dumps(expr)) is expr


def test_gamma_is_a_variable_bare_and_the_gamma_function_called():
    from symdiff import Var, lambdify
    expr = parse("gamma*gamma(x) + 1/(gamma - 1)")
    assert Var("gamma") in expr.args or expr.free_vars == ("gamma", "x")
    assert parse(str(expr)) is expr and parse("tgamma(x)") is parse("gamma(x)")
    assert expr.to_latex() == r"\gamma \Gamma\left(x\right) + \frac{1}{\gamma - 1}"
    assert str(expr.gradient("gamma")) == "gamma(x) - 1/(gamma - 1)^2"
    compiled = lambdify(expr, ["gamma", "x"], backend="math")
    assert compiled(2.0, 3.0) == expr.evaluate(gamma=2, x=3) == 5.0
