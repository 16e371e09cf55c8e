"""Text as people paste it: the defined mapping of syntax/unicode.py, names of any script,
and the characters refused with a reason. Every accepted name prints as text that parses
back to the same variable."""
import re
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from symdiff import ParseError, Var, parse
from symdiff.core.names import NAME_PATTERN, normal_name
from symdiff.syntax.parser import _grammar_path

READS_AS = [
    ("x² + y³", "x^2 + y^3"),
    ("x⁻¹", "x^(-1)"),
    ("x⁻²·y", "x^-2*y"),
    ("e^x²", "e^(x^2)"),
    ("2·x", "2*x"),
    ("2⋅x", "2*x"),
    ("a×b", "a*b"),
    ("a ÷ b", "a/b"),
    ("x − 1", "x - 1"),
    ("x – 1", "x - 1"),
    ("√x", "sqrt(x)"),
    ("√x^2", "sqrt(x^2)"),
    ("√(x + 1)", "sqrt(x + 1)"),
    ("-√x", "-sqrt(x)"),
    ("2^√x", "2^sqrt(x)"),
    ("∛x", "cbrt(x)"),
    ("∜x", "x^(1/4)"),
    ("½*x", "x/2"),
    ("θ + 1", "θ + 1"),
    ("sin(θ)^2 + cos(θ)^2", "sin(θ)^2 + cos(θ)^2"),
    ("π*r^2", "pi*r^2"),
    ("ｘ＋１", "x + 1"),
    ("（ｘ）＾２", "x^2"),
    ("x₁ + x₂", "x1 + x2"),
    ("𝑥 + 1", "x + 1"),
    ("Δt*v", "Δt*v"),
    ("\ufeffx + 1", "x + 1"),
    ("x\u00a0+\u00a01", "x + 1"),
    ("x\u3000+ 1", "x + 1"),
    ("E^x", "exp(x)"),
]


@pytest.mark.parametrize("text, same_as", READS_AS)
def test_pasted_text_reads_by_the_defined_mapping(text, same_as):
    assert parse(text) is parse(same_as)


REFUSED = [
    ("x١ + 1", 2, ["U+0661", "ARABIC-INDIC DIGIT ONE", "0-9"]),
    ("١٢ + x", 1, ["not read as a digit"]),
    ("x\u200by", 2, ["invisible", "ZERO WIDTH SPACE"]),
    ("x\u200d + 1", 2, ["invisible"]),
    ("x + ∞", 5, ["unexpected character"]),
    ("x²y", 3, ["unexpected name", "missing operator"]),
]


@pytest.mark.parametrize("text, column, pieces", REFUSED)
def test_characters_without_a_meaning_are_refused_where_they_stand(text, column, pieces):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.column == column, str(info.value)
    for piece in pieces:
        assert piece in str(info.value)


def test_the_caret_points_into_the_original_text():
    with pytest.raises(ParseError) as info:
        parse("θ² + ((x")
    message = str(info.value)
    assert "θ² + ((x" in message and (info.value.line, info.value.column) == (1, 9)
    with pytest.raises(ParseError) as info:
        parse("ａ + ｂ + ）")
    assert info.value.column == 9


def test_the_grammar_reads_names_as_core_names_says():
    grammar = _grammar_path().read_text(encoding="utf-8")
    assert f"NAME: /{NAME_PATTERN}/" in grammar


VAR_NAMES = [
    ("x", "x"), ("θ", "θ"), ("ｘ", "x"), ("x₁", "x1"), ("Δt", "Δt"), ("_a", "_a"),
    ("ﬁ", "fi"), ("μ0", "μ0"),
]


@pytest.mark.parametrize("name, folded", VAR_NAMES)
def test_var_folds_names_as_python_folds_identifiers(name, folded):
    assert Var(name) is Var(folded)
    assert Var(name).name == folded
    assert parse(str(Var(name))) is Var(name)


@pytest.mark.parametrize("name, reason", [
    ("e", "constant e"), ("E", "constant e"), ("pi", "constant pi"), ("π", "constant pi"),
    ("sin", "a function"), ("ln", "another name of log"), ("sqrt", "a function"),
    ("x١", "0-9"), ("x²", "superscript"), ("2x", "a letter or _"), ("x y", "a letter"),
    ("", "a letter"), ("x-1", "a letter"),
])
def test_var_refuses_names_the_parser_reads_as_something_else(name, reason):
    with pytest.raises(ValueError, match=reason):
        Var(name)


LETTERS = st.characters(categories=["Lu", "Ll", "Lo"], exclude_characters="ªº")


@settings(max_examples=300, deadline=None)
@given(st.text(LETTERS, min_size=1, max_size=4),
       st.text(st.sampled_from("abc019_"), max_size=3))
def test_every_name_var_accepts_prints_as_text_that_parses_back(head, tail):
    try:
        var = Var(head + tail)
    except ValueError:
        return
    assert re.fullmatch(NAME_PATTERN, var.name)
    assert parse(str(var)) is var
    assert parse(f"2*{var} + 1") is 2 * var + 1
    assert normal_name(var.name) == var.name == unicodedata.normalize("NFKC", var.name)


@pytest.mark.parametrize("text, latex", [
    ("θ^2", r"\theta^{2}"),
    ("Δ*x", r"x \Delta"),
    ("μ0", r"\mu_{0}"),
    ("ω_2", r"\omega_{2}"),
    ("λ", r"\lambda"),
    ("Δt", r"\mathrm{\Delta t}"),
    ("θ + theta", r"\mathrm{theta} + \mathrm{\theta}"),      # both would be \theta
    ("ο", r"\mathrm{ο}"),                                   # omicron has no command
])
def test_greek_letters_typeset_by_their_commands(text, latex):
    assert parse(text).to_latex() == latex
