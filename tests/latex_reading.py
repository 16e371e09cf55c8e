r"""symdiff's LaTeX read back by SymPy's LaTeX parser, the way TeX typesets it.

The LaTeX is parsed with ``parse_latex(s, backend="lark")``, which needs only lark. The
reading (``lark_input``) follows TeX: spaces are not seen, so digits that meet print as one
number (``2 3^{x}`` is 23^x, which is why symdiff writes ``2 \cdot 3^{x}``); a superscript on
a superscript is an error, as in TeX; ``\Gamma (x)`` and ``\Gamma(x)`` look the same.

The lark grammar of SymPy 1.14 cannot read some valid LaTeX, so the reading rewrites it into
forms it can read, each one the same mathematics (a documented mapping, nothing skipped):

* names: it has no ``\pi`` or ``\mathrm{...}``, and no subscripts of several digits
  (``x_{10}``), and reads ``x^{2} y`` only when the first factor is one letter. Every name
  (a letter, a Greek letter, with its subscript, or ``\mathrm{...}``) becomes
  ``\mathit{<code>}`` with a code of letters only, decoded afterwards; ``\pi`` and ``e``
  become the codes of the constants.
* products: a juxtaposition of two factors (which TeX shows side by side) becomes
  ``\cdot``, since the grammar reads juxtaposition of a few kinds of factor only.
* calls: the grammar reads a function's argument as everything after it (``\sin (x) y`` is
  sin(xy)) and lexes ``\tanh`` also as ``\tan h``; so each call is put in parentheses,
  ``(\sin(x))``, and a power of a call, ``\sin^{2}\left(x\right)``, becomes
  ``(\sin(x))^{2}``. ``\left`` and ``\right`` only size the delimiter after them: dropped.
* functions it has no command for: ``\operatorname{asinh}``, ``acosh``, ``atanh``,
  ``arccot``, ``arcsec``, ``arccsc`` become its ``\arsinh``, ``\arcosh``, ``\artanh``,
  ``\arccot``, ``\arcsec``, ``\arccsc`` (``\log_{10}`` and ``\log_{2}`` it reads); the
  others (``\operatorname{sign}``, ``\coth``, which it lexes as ``\cot h``, ``\Gamma`` and
  ``\psi`` followed by a parenthesis, ``\log\Gamma``, ``\psi^{(n)}``, ``\sqrt[3]{...}``,
  which it reads as the principal, complex cube root, ...) become calls of one-letter
  functions (``S(u)``, ``P(n, u)``) replaced afterwards by their SymPy meaning
  (``STAND_IN``: sign, coth, gamma, loggamma, polygamma, real_root, ...).
* where the grammar still allows several readings (lark's explicit ambiguity), readings
  that use a name the formula does not have (the ``h`` of ``\tan h``) are dropped; the
  others must all have the formula's value.
"""
import re

import sympy
from sympy.parsing.latex import parse_latex

import symdiff as sd

from strategies import close

TOKEN = re.compile(r"""\s*(
    \\begin\{[a-z]+\} | \\end\{[a-z]+\} | \\left\s*[(|] | \\right\s*[)|]
  | \\(?:mathrm|operatorname)\{(?:[^{}\\]|\\_)*\} | \\log\s*(?:_\{\d+\}|\\Gamma)
  | \\psi\s*\^\s*\{\s*\( | \\[A-Za-z]+ | \\\\ | \\.
  | \d+(?:\.\d*)? | [A-Za-z] | [{}^_()\[\],&=+-] )""", re.VERBOSE)
#: Calls the grammar reads, by symdiff's LaTeX head.
NATIVE = {**{rf"\{f}": rf"\{f}" for f in (
    "sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan", "sinh", "cosh",
    "tanh", "log", "max", "min")},
    r"\operatorname{asinh}": r"\arsinh", r"\operatorname{acosh}": r"\arcosh",
    r"\operatorname{atanh}": r"\artanh", r"\operatorname{arccot}": r"\arccot",
    r"\operatorname{arcsec}": r"\arcsec", r"\operatorname{arccsc}": r"\arccsc",
    r"\log_{10}": r"\log_{10}", r"\log_{2}": r"\log_{2}"}
#: Calls it does not read: a one-letter function, and what it is in SymPy. \Gamma and \psi
#: are calls when a parenthesis follows them (TeX shows \Gamma (x) and \Gamma(x) alike), and
#: \psi^{(n)}(u) is polygamma(n, u).
STAND_IN = {
    r"\operatorname{sign}": ("S", sympy.sign),
    r"\operatorname{step}": ("H", lambda a: sympy.Heaviside(a, 0)),     # step(0) = 0
    r"\operatorname{relu}": ("R", lambda a: sympy.Max(0, a)),
    r"\operatorname{sinc}": ("C", sympy.sinc), "cbrt": ("Q", lambda a: sympy.real_root(a, 3)),
    r"\coth": ("K", sympy.coth), r"\operatorname{sech}": ("A", sympy.sech),
    r"\operatorname{csch}": ("B", sympy.csch), r"\operatorname{acoth}": ("J", sympy.acoth),
    r"\operatorname{asech}": ("U", sympy.asech), r"\operatorname{acsch}": ("V", sympy.acsch),
    r"\operatorname{log1p}": ("L", lambda a: sympy.log(1 + a)),
    r"\operatorname{expm1}": ("M", lambda a: sympy.exp(a) - 1),
    r"\operatorname{sigmoid}": ("W", lambda a: 1 / (1 + sympy.exp(-a))),
    r"\operatorname{softplus}": ("X", lambda a: sympy.log(1 + sympy.exp(a))),
    r"\operatorname{erf}": ("F", sympy.erf), r"\operatorname{erfc}": ("Y", sympy.erfc),
    r"\Gamma": ("G", sympy.gamma), r"\log\Gamma": ("T", sympy.loggamma),
    r"\psi": ("D", sympy.digamma), r"\psi^{(": ("P", sympy.polygamma),
    r"\operatorname{atan2}": ("Z", sympy.atan2),
    r"\operatorname{hypot}": ("O", lambda a, b: sympy.sqrt(a**2 + b**2))}
MEANING = dict(STAND_IN.values())
GREEK = {"\\" + g for g in sd.printing.latex.GREEK}


def _tokens(latex: str) -> list[str]:
    tokens, at = [], 0
    while at < len(latex):
        match = TOKEN.match(latex, at)
        if match is None:
            if latex[at:].strip() == "":
                break
            raise AssertionError(f"unreadable LaTeX at {latex[at:at + 30]!r} in {latex[:200]!r}")
        token, at = re.sub(r"\s+", "", match.group(1)), match.end()
        if tokens and token[0].isdigit() and tokens[-1][0].isdigit():
            tokens[-1] += token         # TeX shows 2 3 as 23
        else:
            tokens.append(token)
    return tokens


def _name_token(tokens: list[str], i: int) -> tuple[str | None, int]:
    """A name starting at ``tokens[i]`` (with its subscript), and the index after it."""
    token = tokens[i]
    if not (re.fullmatch(r"[A-Za-z]", token) or token in GREEK or token.startswith(r"\mathrm")):
        return None, i
    if i + 1 < len(tokens) and tokens[i + 1] == "_":
        if tokens[i + 2] == "{":
            end = tokens.index("}", i + 3)
            return token + "_{" + "".join(tokens[i + 3:end]) + "}", end + 1
        return token + "_{" + tokens[i + 2] + "}", i + 3
    return token, i + 1


def _closing(tokens: list[str], i: int) -> int:
    """The index of the ``)`` that closes the parenthesis open before ``tokens[i]``."""
    depth = 1
    while depth:
        depth += tokens[i].endswith("(") - tokens[i].endswith(")")
        i += 1
    return i - 1


def lark_input(latex: str, codes: dict[str, str]) -> str:
    """The LaTeX as the grammar can read it (see the module docstring); ``codes`` collects
    name -> code for every name met."""
    tokens, out, i = _tokens(latex), [], 0
    stack: list = []                 # (role, extra) per open { ( |
    expect = None                    # the role of the next {
    ends = False                     # the last thing written ends a factor
    pending = None                   # a call head waiting for its (
    buffers: list[list[str]] = [out]
    last_closed = None               # the role of a group that just closed

    def emit(text, end):
        nonlocal ends
        buffers[-1].append(text)
        ends = end

    def starts():                    # a factor starts: after another, that is a product
        if ends:
            buffers[-1].append(r" \cdot ")
    while i < len(tokens):
        token = tokens[i]
        name, after = _name_token(tokens, i)
        called = token in STAND_IN and i + 1 < len(tokens) and tokens[i + 1].endswith("(")
        if name is not None and name != "e" and not called:
            starts()
            code = codes.setdefault(name, "v" + "".join(chr(97 + int(d)) for d in str(len(codes))))
            emit(rf"\mathit{{{code}}}", True)
            i, last_closed = after, None
            continue
        i += 1
        if token in ("e", r"\pi"):
            starts()
            emit(r"\mathit{ce}" if token == "e" else r"\mathit{cpi}", True)
        elif token[0].isdigit():
            starts()
            emit(token, True)
        elif token == r"\psi^{(":            # polygamma: \psi^{(n)}\left(u\right)
            starts()
            end = _closing(tokens, i)
            assert tokens[end + 1] == "}" and tokens[end + 2].endswith("("), latex[:200]
            order = lark_input(" ".join(tokens[i:end]), codes)
            pending, ends, i = [STAND_IN[token][0] + f"({order}, ", None], False, end + 2
        elif token in NATIVE or token in STAND_IN:
            starts()
            head = NATIVE.get(token) or STAND_IN[token][0]
            pending, ends = [head + "(", None], False
        elif token == "^":
            if last_closed == "sup":        # x^{a}^{b} is an error in TeX
                raise AssertionError(f"double superscript in {latex[:200]!r}")
            expect = "fpow" if pending else "sup"
        elif token == "{":
            role, expect = expect, None
            assert role is not None, f"a group where none belongs in {latex[:200]!r}"
            stack.append((role, None))
            if role == "fpow":
                buffers.append([])
            elif role != "cbrt":
                emit("^{" if role == "sup" else "{", False)
        elif token == "}":
            role, extra = stack.pop()
            if role == "fpow":
                pending[1] = "".join(buffers.pop())
                ends = False
            elif role == "cbrt":
                emit("))", True)
            else:
                emit("}", role != "num")
            last_closed = role
            expect = "den" if role == "num" else None
            continue
        elif token == r"\frac":
            starts()
            emit(r"\frac", False)
            expect = "num"
        elif token == r"\sqrt":
            starts()
            if tokens[i] == "[":
                assert tokens[i + 1:i + 3] == ["3", "]"], latex
                i += 3
                emit(f"({STAND_IN['cbrt'][0]}(", False)
                expect = "cbrt"
            else:
                emit(r"\sqrt", False)
                expect = "sqrt"
        elif token.endswith("("):
            if pending is not None:
                stack.append(("call", pending[1]))
                emit(f"({pending[0]}", False)
                pending = None
            else:
                starts()
                stack.append(("paren", None))
                emit("(", False)
        elif token.endswith(")"):
            role, power = stack.pop()
            emit("))" if role == "call" else ")", True)
            if power is not None:
                emit("^{" + power + "}", True)
                last_closed = "sup"
                continue
        elif token == r"\left|":
            starts()
            stack.append(("abs", None))
            emit("(|", False)
        elif token == r"\right|":
            stack.pop()
            emit("|)", True)
        elif token in ("+", "-", ",", r"\cdot"):
            emit(f" {token} ", False)
        else:
            raise AssertionError(f"unexpected {token!r} in {latex[:200]!r}")
        last_closed = None
    assert not stack and pending is None, f"unbalanced LaTeX {latex[:200]!r}"
    return "".join(out)



def _readings(result) -> list:
    """The SymPy expressions of a parse: one, or the alternatives of an ambiguous one."""
    found, stack = [], [result]
    while stack:
        item = stack.pop()
        if isinstance(item, sympy.Basic):
            found.append(item)
        else:
            assert getattr(item, "data", None) == "_ambig", item
            stack.extend(item.children)
    return found


def variable_of(name: str, variables: set[str]) -> str:
    """The symdiff variable a LaTeX name stands for (one of ``variables``, or an error)."""
    if name.startswith(r"\mathrm{"):
        candidates = {name[8:-1].replace(r"\_", "_")}
    else:
        match = re.fullmatch(r"(\\?[A-Za-z]+)(?:_\{(\w+)\})?", name)
        head, sub = match.group(1).lstrip("\\"), match.group(2)
        candidates = {head} if sub is None else {head + sub, f"{head}_{sub}"}
    candidates &= variables
    assert len(candidates) == 1, f"{name} reads as {sorted(candidates) or 'no variable'}"
    return candidates.pop()


def latex_value(latex: str, point: dict, bound: dict | None = None, variables=None):
    """The value of ``latex`` as SymPy reads it (see the module docstring) at ``point``;
    ``bound`` gives the values of names bound earlier (t_{1}...); ``variables``, the
    formula's variables (default: the point's)."""
    codes: dict[str, str] = {}
    result = parse_latex(lark_input(latex, codes), backend="lark")
    bound = bound or {}
    values = {sympy.Symbol("ce"): sympy.E, sympy.Symbol("cpi"): sympy.pi}
    for name, code in codes.items():
        value = bound[name] if name in bound else point[
            variable_of(name, set(point) if variables is None else set(variables))]
        values[sympy.Symbol(code)] = sympy.Float(value, 30)
    known = set(values)
    found = []
    for reading in _readings(result):
        if not reading.free_symbols <= known or reading.atoms(sympy.core.relational.Relational):
            continue
        undefined = {f.func for f in reading.atoms(sympy.core.function.AppliedUndef)}
        if not {f.__name__ for f in undefined} <= set(MEANING):
            continue
        for f in undefined:
            reading = reading.replace(f, MEANING[f.__name__])
        found.append(complex(reading.subs(values).evalf(30)))
    assert found, f"no reading of {latex[:200]!r}: {result}"
    assert all(v == found[0] or close(v.real, found[0].real) for v in found), (latex, found)
    return found[0]
