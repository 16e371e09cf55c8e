"""Names in generated code are checked as Python reads them: identifiers are folded by NFKC
(``ｓｑｒｔ`` is ``sqrt`` to Python), so a name is refused or renamed by its folded form."""
import unicodedata
import uuid

import pytest

import symdiff as sd
from symdiff import Var, lambdify, parse
from symdiff.codegen.compile import to_python_source


def _module(source: str) -> dict:
    namespace: dict = {}
    exec(compile(source, "<generated>", "exec"), namespace)     # symdiff's generated code
    return namespace


@pytest.mark.parametrize("name", ["ｓｑｒｔ", "ｆｌｏａｔ", "sqrt", "float", "__builtins__",
                                  "__init__", "abs", "lambda", "ｌａｍｂｄａ", "f(x)", "ｘ ｙ"])
@pytest.mark.parametrize("backend", ["math", "numpy"])
def test_a_function_name_that_folds_to_a_used_or_reserved_name_is_refused(name, backend):
    with pytest.raises(ValueError, match="cannot name the function"):
        to_python_source(parse("sqrt(x) + 1"), ["x"], name=name, backend=backend)


def test_the_refusal_says_what_python_reads():
    with pytest.raises(ValueError, match="to Python, 'sqrt'"):
        to_python_source(parse("sqrt(x)"), ["x"], name="ｓｑｒｔ", backend="math")


@pytest.mark.parametrize("name", ["ｆ", "math", "np", "numpy", "_", "self", "values", "F"])
def test_harmless_names_work_and_are_written_folded(name):
    source = to_python_source(parse("sqrt(x) + 1"), ["x"], name=name, backend="math")
    folded = unicodedata.normalize("NFKC", name)
    assert f"def {folded}(" in source
    assert _module(source)[folded](4.0) == 3.0


def test_functions_whose_names_fold_alike_are_two_helpers():
    # definitions are for the whole process: names no other test (or formula) uses
    suffix = f"_fold_{uuid.uuid4().hex[:8]}"
    wide = sd.define_function("ｇ" + suffix, ["u"], "u^2 + 1")
    narrow = sd.define_function("g" + suffix, ["u"], "u^3")
    x = Var("x")
    for backend in ("math", "numpy"):
        f = lambdify([wide(x), narrow(x)], ["x"], backend)
        assert [float(v) for v in f(2.0)] == [5.0, 8.0]
    source = to_python_source([wide(x), narrow(x)], ["x"], backend="math")
    assert source.isascii() is False                # the docstrings keep the names...
    code = "\n".join(line for line in source.splitlines() if line.lstrip().startswith("def "))
    assert code.isascii()                           # ...the identifiers are ASCII
    assert _module(source)["f"](2.0) == [5.0, 8.0]


def test_names_that_fold_alike_are_one_variable_as_in_python():
    bold = "\U0001d431"                            # mathematical bold x: also x to Python
    assert Var("ｘ") is Var("x") is Var(bold)
    f = lambdify(Var("ｘ") * 2 + Var("y"), ["ｘ", "y"], backend="math")
    assert f(x=1.0, y=2.0) == 4.0
    with pytest.raises(ValueError, match="listed twice"):
        lambdify(Var("ｘ") * 2 + Var("x"), ["ｘ", "x"], backend="math")
    with pytest.raises(ValueError, match="is a function"):
        Var("ｓｑｒｔ")


def test_hostile_variable_names_stay_out_of_the_code():
    names = ["ｅｘｅｃ", "math", "np", "numpy", "_", "self", "values", "float", "_a0"]
    expr = sd.Add(*[sd.Mul(i + 2, sd.sqrt(Var(n))) for i, n in enumerate(names)])
    point = {Var(n).name: float(i + 1) for i, n in enumerate(names)}   # ｅｘｅｃ is exec
    expected = expr.evaluate(point)
    for backend in ("math", "numpy"):
        assert float(lambdify(expr, names, backend)(*point.values())) == pytest.approx(expected)
    source = to_python_source(expr, names, name="f", backend="math")
    assert _module(source)["f"](*point.values()) == pytest.approx(expected)
