"""The C backend's source files: ``c_code``'s statements laid out as C functions, and
``to_c_source``, the header and the .c a user drops into their own build.

A program of up to ``PART`` statements is one function, ``NAME_at``, with a ``const
double`` local per value. A longer one is cut into ``NAME_part<i>`` functions (kept out of
line, or the compiler would merge them back into one long function), called in order;
a value read by a later part is stored in a workspace slot (``w[3]``), and a slot is
reused once the last part reading it is done. The workspace is on the stack up to
``STACK_DOUBLES``, malloc'd above (if that fails, every result is NaN).
"""
from __future__ import annotations

import keyword
import re

from .c_code import NOINLINE, PART, STACK_DOUBLES, CCode, c_literal, shown_name
from ..core.intern import collector_paused
from ..core.nodes import Var
from ..version import __version__

#: The C keywords and the names <math.h> and <stdlib.h> may declare (C99, POSIX, GNU):
#: a function of one of these names would not compile, or would replace the library's.
C_RESERVED = frozenset("""
auto break case char const continue default do double else enum extern float for goto if
inline int long register restrict return short signed sizeof static struct switch typedef
union unsigned void volatile while _Bool _Complex _Imaginary bool true false NULL
acos acosh asin asinh atan atan2 atanh cbrt ceil copysign cos cosh erf erfc exp exp2 expm1
fabs fdim floor fma fmax fmin fmod frexp hypot ilogb ldexp lgamma llrint llround log log10
log1p log2 logb lrint lround modf nan nearbyint nextafter nexttoward pow remainder remquo
rint round scalbln scalbn sin sinh sqrt tan tanh tgamma trunc gamma j0 j1 jn y0 y1 yn drem
finite isinf isnan isfinite isnormal signbit fpclassify scalb significand exp10 pow10 sincos
lgamma_r gamma_r matherr signgam HUGE_VAL INFINITY NAN malloc free calloc realloc abort exit
abs labs div ldiv atof atoi atol strtod strtol rand srand qsort bsearch system getenv main
in out is os w n p in_stride out_stride
""".split())


def check_c_name(name) -> str:
    """``name`` if it can name the generated functions: an ASCII identifier starting with a
    letter, not a C keyword or a C library name, not symdiff's (``symdiff_``, ``a0``,
    ``t0``); otherwise a ValueError saying why."""
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
        why = "it must be an ASCII identifier starting with a letter"
    elif name in C_RESERVED or name.lower().startswith("symdiff") or keyword.iskeyword(name):
        why = "it is a C keyword or the name of a C library or symdiff function"
    elif re.fullmatch(r"[at]\d+", name):
        why = "the generated code uses that name"
    else:
        return name
    raise ValueError(f"{name!r} cannot name the C function: {why}")


def _parts(statements: list) -> list[list]:
    """The statements cut into runs of about ``PART``, never inside one node's."""
    parts, current = [], []
    for statement in statements:
        current.append(statement)
        if len(current) >= PART and statement[3]:
            parts.append(current)
            current = []
    return parts + [current] if current or not parts else parts


def _workspace(program: CCode, parts: list[list]) -> tuple[dict, int]:
    """(node -> its slot, for values read by a later part; the number of slots), slots
    reused once the last part reading them has run."""
    defined, last = {}, {}
    for index, part in enumerate(parts):
        for node, declared, pieces, _ in part:
            if declared:
                defined[node] = index
            for piece in pieces:
                if type(piece) is not str and type(piece) is not Var:
                    last[piece] = index
    slot_of: dict = {}
    free: list[int] = []
    ending: dict[int, list] = {}
    count = 0
    for index, part in enumerate(parts):
        for node in ending.pop(index - 1, ()):
            free.append(slot_of[node])
        for node, declared, _, _ in part:
            if declared and last.get(node, index) > index:
                if not free:
                    free.append(count)
                    count += 1
                slot_of[node] = free.pop()
                ending.setdefault(last[node], []).append(node)
    return slot_of, count


def _outputs(program: CCode) -> tuple[dict, list[str]]:
    """(computed node -> the ``out`` entries it is stored to; the stores of results that
    are variables or constants)."""
    after: dict = {}
    leaves = []
    for k, out in enumerate(program.outputs):
        target = f"out[{k} * os]"
        if out in program.value_of:
            leaves.append(f"{target} = {c_literal(program.value_of[out])};")
        elif type(out) is Var:
            leaves.append(f"{target} = in[{program.index[out]} * is];")
        else:
            after.setdefault(out, []).append(target)
    return after, leaves


_SIGNATURE = "const double *restrict in, long is, double *restrict out, long os"


def functions(program: CCode, name: str) -> tuple[list[str], int]:
    """(the C functions computing the program at a point, ``NAME_at`` last; the number of
    workspace slots ``NAME_at`` takes, 0 for none)."""
    after, leaves = _outputs(program)
    parts = _parts(program.statements)
    if len(parts) == 1:
        body = program.lines(parts[0], {}, after) + leaves
        return [f"static void {name}_at({_SIGNATURE})\n{{\n"
                + "".join(f"    {line}\n" for line in body) + "}\n"], 0
    slot_of, slots = _workspace(program, parts)
    where = {node: f"w[{slot}]" for node, slot in slot_of.items()}
    stores = {node: after.get(node, []) + [where[node]] for node in slot_of}
    code = []
    for index, part in enumerate(parts):
        body = program.lines(part, dict(where), {**after, **stores})
        if index == len(parts) - 1:
            body += leaves
        code.append(f"static SYMDIFF_NOINLINE void {name}_part{index}({_SIGNATURE}, "
                    "double *restrict w)\n{\n" + "".join(f"    {line}\n" for line in body)
                    + "}\n")
    calls = "".join(f"    {name}_part{i}(in, is, out, os, w);\n" for i in range(len(parts)))
    code.append(f"static void {name}_at({_SIGNATURE}, double *restrict w)\n{{\n{calls}}}\n")
    return code, max(slots, 1)


def _entries(name: str, slots: int, results: int) -> str:
    """The two public functions: one point, and n points looping over ``NAME_at``."""
    scalar = f"void {name}(const double *in, double *out)\n{{\n"
    points = (f"void {name}_points(long n, const double *in, long in_stride, double *out, "
              "long out_stride)\n{\n    long p;\n")
    call = f"{name}_at(in + p, in_stride, out + p, out_stride{', w' if slots else ''});"
    if not slots:
        return (scalar + f"    {name}_at(in, 1, out, 1);\n}}\n\n" + points
                + f"    for (p = 0; p < n; ++p)\n        {call}\n}}\n")
    if slots <= STACK_DOUBLES:
        space = f"    double w[{slots}];\n"
        return (scalar + space + f"    {name}_at(in, 1, out, 1, w);\n}}\n\n" + points + space
                + f"    for (p = 0; p < n; ++p)\n        {call}\n}}\n")
    space = (f"    double *w = (double *)malloc({slots} * sizeof(double));\n"
             f"    if (w == NULL) {{\n        {name}_failed(n, out, out_stride);\n"
             "        return;\n    }\n")
    failed = (f"static void {name}_failed(long n, double *out, long os)\n{{\n"
              f"    long p;\n    int k;\n    for (k = 0; k < {results}; ++k)\n"
              "        for (p = 0; p < n; ++p)\n            out[k * os + p] = NAN;\n}\n\n")
    return (failed + scalar + f"    {name}_points(1, in, 1, out, 1);\n}}\n\n" + points
            + space + f"    for (p = 0; p < n; ++p)\n        {call}\n    free(w);\n}}\n")


def prototypes(name: str) -> str:
    return (f"void {name}(const double *in, double *out);\n"
            f"void {name}_points(long n, const double *in, long in_stride, double *out, "
            "long out_stride);\n")


def generate(exprs, vars, name: str) -> tuple[CCode, str]:
    """(program, the .c source) of ``exprs`` as C functions ``name`` and ``name_points``."""
    name = check_c_name(name)
    with collector_paused:
        program = CCode(exprs, vars)
        code, slots = functions(program, name)
    includes = "#include <math.h>\n" + ("#include <stdlib.h>\n" if slots > STACK_DOUBLES else "")
    pieces = [f"/* {name}: generated by symdiff {__version__}; {_arguments(program)} */\n"
              + includes, *([NOINLINE] if len(code) > 1 else []),
              *program.helpers(), *code, _entries(name, slots, len(program.outputs))]
    return program, "\n".join(pieces)


def _arguments(program: CCode) -> str:
    """Which entry of ``in`` is which variable, in a comment's safe characters."""
    shown = ", ".join(f"in[{j}] {shown_name(v)}" for j, v in enumerate(program.vars))
    return f"{shown or 'no variables'}; {len(program.outputs)} results in out"


def _results(program: CCode) -> str:
    """The layout of ``out``: the results' indices nested as the expressions were."""
    text = "".join(str(p) if type(p) is int else p for p in program.layout)
    return text if len(text) <= 300 else f"out[0] ... out[{len(program.outputs) - 1}] in order"


def to_c_source(exprs, vars=None, name: str = "f") -> tuple[str, str]:
    """(header, source): C99 computing ``exprs`` (an expression, or nested lists of them)
    of the variables ``vars``, as ``lambdify(..., backend="c")`` compiles it, for a build
    of your own (the source needs only <math.h>: link with -lm).

    ``void name(const double *in, double *out)``: ``in[j]`` is the j-th variable of
    ``vars``, ``out[k]`` the k-th result (nested lists row by row). ``void
    name_points(long n, const double *in, long in_stride, double *out, long out_stride)``:
    n points, variable j of point p at ``in[j*in_stride + p]``, result k at
    ``out[k*out_stride + p]``. Outside the domain a result is NaN or ±inf, with no error."""
    program, source = generate(exprs, vars, name)
    guard = f"SYMDIFF_{name.upper()}_H"
    variables = [f"in[{j}] {shown_name(v)}" for j, v in enumerate(program.vars)]
    rows = ["   " + ", ".join(variables[i:i + 6]) for i in range(0, len(variables), 6)]
    header = "\n".join([
        f"/* {name}: generated by symdiff {__version__} (symdiff.to_c_source); C99, "
        "needs <math.h> (-lm).",
        f"   {name}(in, out): one point. The arguments, in this order:",
        *(rows or ["   (none)"]),
        f"   The {len(program.outputs)} results: out[k], laid out as {_results(program)}.",
        f"   {name}_points(n, in, in_stride, out, out_stride): n points; variable j of point",
        "   p is in[j*in_stride + p], result k is out[k*out_stride + p]. in and out must not",
        "   overlap. Outside the domain a result is NaN or +-inf (IEEE), with no error. */",
        f"#ifndef {guard}", f"#define {guard}", "#ifdef __cplusplus", 'extern "C" {',
        "#endif", prototypes(name).rstrip("\n"), "#ifdef __cplusplus", "}", "#endif",
        f"#endif /* {guard} */", ""])
    return header, source
