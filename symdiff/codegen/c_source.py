"""The C backend's source files: ``c_code``'s statements laid out as C functions, and
``to_c_source``, the header and the .c a user drops into their own build.

A program of up to ``PART`` operands is one function, ``NAME_at``, with a ``const
double`` local per value. A longer one is cut into ``NAME_part<i>`` functions (kept out of
line, or the compiler would merge them back into one long function), called in order;
a value read by a later part is stored in a workspace slot (``w[3]``), and a slot is
reused once the last part reading it is done. The workspace is on the stack up to
``STACK_DOUBLES``, malloc'd above (if that fails, every result is NaN). For a large
program the parts can go into several files, compiled side by side (``c_compile``): a
compiler is single-threaded, and a long program is most of the time lambdify takes.
"""
from __future__ import annotations

import keyword
import re

from .c_code import (BLOCK, CALL_COST, HIDDEN, NOINLINE, PART, STACK_DOUBLES, CCode,
                     c_literal, shown_name)
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
in out w x y n p j k space in_stride out_stride
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
    """The statements cut into runs of about ``PART`` operands (a statement counts one
    more), never inside one node's statements."""
    parts, current, size = [], [], 0
    for statement in statements:
        current.append(statement)
        size += 1 + sum(type(piece) is not str for piece in statement[2])
        if size >= PART and statement[3]:
            parts.append(current)
            current, size = [], 0
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
        if out in program.value_of:
            leaves.append(f"out[{k}] = {c_literal(program.value_of[out])};")
        elif type(out) is Var:
            leaves.append(f"out[{k}] = in[{program.index[out]}];")
        else:
            after.setdefault(out, []).append(f"out[{k}]")
    return after, leaves


_SIGNATURE = "const double *restrict in, double *restrict out"


def functions(program: CCode, name: str, units: int = 1) -> tuple[list[list[str]], int]:
    """(the C functions computing the program at a point, by source file: the first file's
    ends with ``NAME_at``, each other file holds a run of parts, of about equal cost; the
    number of workspace slots ``NAME_at`` takes, 0 for none). With one file the parts are
    static; across files they are external, hidden from other modules (``SYMDIFF_PART``)."""
    after, leaves = _outputs(program)
    parts = _parts(program.statements)
    if len(parts) == 1:
        body = program.lines(parts[0], {}, after) + leaves
        return [[f"static void {name}_at({_SIGNATURE})\n{{\n"
                 + "".join(f"    {line}\n" for line in body) + "}\n"]], 0
    slot_of, slots = _workspace(program, parts)
    targets = {**after, **{node: after.get(node, []) + [f"w[{slot}]"]
                           for node, slot in slot_of.items()}}
    units = max(1, min(units, len(parts)))
    linkage = "static SYMDIFF_NOINLINE" if units == 1 else "SYMDIFF_PART"
    code = []
    for index, part in enumerate(parts):
        body = program.lines(part, {}, targets, slot_of)
        if index == len(parts) - 1:
            body += leaves
        code.append(f"{linkage} void {_part(name, index)}\n{{\n"
                    + "".join(f"    {line}\n" for line in body) + "}\n")
    in_order = "".join(f"    {name}_part{i}(in, out, w);\n" for i in range(len(parts)))
    at = f"static void {name}_at({_SIGNATURE}, double *restrict w)\n{{\n{in_order}}}\n"
    if units == 1:
        return [[*code, at]], max(slots, 1)
    declared = "".join(f"{linkage} void {_part(name, i)};\n" for i in range(len(parts)))
    files = [[declared, at]]
    costs = [text.count(";") + CALL_COST * calls(part) for part, text in zip(parts, code)]
    share, spent, start = sum(costs) / units, 0.0, 0
    for index, part_cost in enumerate(costs):
        spent += part_cost
        if spent >= share * len(files) or index == len(parts) - 1:
            files.append(code[start:index + 1])
            start = index + 1
    return files, max(slots, 1)


def _part(name: str, index: int) -> str:
    return f"{name}_part{index}({_SIGNATURE}, double *restrict w)"


def cost(statements) -> int:
    """About how long a compiler takes over ``statements``: one per statement and
    ``CALL_COST`` more per function called (gcc 12 at -O1 takes about five times as long
    over ``t = sin(u)`` as over ``t = u * v``)."""
    return len(statements) + CALL_COST * calls(statements)


def calls(statements) -> int:
    """The function calls in ``statements`` (a piece ``name(``)."""
    return sum(type(p) is str and p.endswith("(") and p != "(" for _, _, pieces, _ in statements
               for p in pieces)


def _space(size: int, name: str, failed: str) -> tuple[str, str]:
    """(the lines declaring ``space``, size doubles on the stack or malloc'd; the line
    freeing it)."""
    if size <= STACK_DOUBLES:
        return f"    double space[{size}];\n", ""
    return (f"    double *space = (double *)malloc({size} * sizeof(double));\n"
            f"    if (space == NULL) {{\n        {name}_failed({failed});\n"
            "        return;\n    }\n", "    free(space);\n")


def _entries(name: str, inputs: int, results: int, slots: int) -> str:
    """The public functions: one point (``NAME_at`` on ``in`` and ``out``); n points from
    one (variables, n) block (``NAME_points``) or from a row per variable (``NAME_rows``).
    The point functions take ``BLOCK`` points at a time, gathered into ``x`` (a point's
    variables side by side), computed into ``y`` and scattered into ``out``: rows are read
    and written a run of points at a time, not one number per row per point."""
    w = ", w" if slots else ""
    failed = (f"static void {name}_failed(long n, double *out, long out_stride)\n{{\n"
              f"    long p;\n    int k;\n    for (k = 0; k < {results}; ++k)\n"
              "        for (p = 0; p < n; ++p)\n            out[k * out_stride + p] = NAN;\n}\n")
    space, free = _space(slots, name, "1, out, 1")
    scalar = (f"void {name}(const double *in, double *out)\n{{\n"
              + (space + "    double *w = space;\n" if slots else "")
              + f"    {name}_at(in, out{w});\n{free}}}\n")
    size = BLOCK * (inputs + results) + slots + 1
    space, free = _space(size, name, "n, out, out_stride")

    def over_points(signature: str, read: str) -> str:
        loop = (f"    double *x = space, *y = space + {BLOCK * inputs}"
                f"{w and f', *w = y + {BLOCK * results}'};\n    long p0, p, m;\n    int j;\n"
                f"    for (p0 = 0; p0 < n; p0 += {BLOCK}) {{\n"
                f"        m = n - p0 < {BLOCK} ? n - p0 : {BLOCK};\n")
        if inputs:
            loop += (f"        for (j = 0; j < {inputs}; ++j)\n"
                     "            for (p = 0; p < m; ++p)\n"
                     f"                x[p * {inputs} + j] = {read};\n")
        loop += (f"        for (p = 0; p < m; ++p)\n"
                 f"            {name}_at(x + p * {inputs}, y + p * {results}{w});\n")
        if results:
            loop += (f"        for (j = 0; j < {results}; ++j)\n"
                     "            for (p = 0; p < m; ++p)\n"
                     f"                out[j * out_stride + p0 + p] = y[p * {results} + j];\n")
        return f"{signature}\n{{\n{space}{loop}    }}\n{free}}}\n"

    points = over_points(_POINTS.format(name=name), "in[j * in_stride + p0 + p]")
    rows = over_points(_ROWS.format(name=name), "in[j][(p0 + p) * in_step[j]]")
    needs_failed = slots > STACK_DOUBLES or size > STACK_DOUBLES
    return "\n".join([*([failed] if needs_failed else []), scalar, points, rows])


_POINTS = ("void {name}_points(long n, const double *in, long in_stride, double *out, "
           "long out_stride)")
_ROWS = ("void {name}_rows(long n, const double *const *in, const long *in_step, "
         "double *out, long out_stride)")


def prototypes(name: str) -> str:
    return (f"void {name}(const double *in, double *out);\n"
            f"{_POINTS.format(name=name)};\n{_ROWS.format(name=name)};\n")


def program_of(exprs, vars) -> CCode:
    with collector_paused:
        return CCode(exprs, vars)


def sources(program: CCode, name: str, units: int = 1) -> list[str]:
    """The C source files of ``program`` as functions ``name``, ``name_points`` and
    ``name_rows``: one, or a main file with them and ``units`` files of parts (compiled
    side by side, then linked together)."""
    name = check_c_name(name)
    with collector_paused:
        files, slots = functions(program, name, units)
    inputs, results = len(program.vars), len(program.outputs)
    heap = BLOCK * (inputs + results) + slots + 1 > STACK_DOUBLES
    includes = "#include <math.h>\n" + ("#include <stdlib.h>\n" if heap else "")
    comment = f"/* {name}: generated by symdiff {__version__}; {_arguments(program)} */\n"
    macros = [] if slots == 0 else [NOINLINE] if len(files) == 1 else [HIDDEN]
    main = [comment + includes, *macros, *program.helpers(), *files[0],
            _entries(name, inputs, results, slots)]
    rest = [[f"/* {name}, part {i} of {len(files) - 1}: generated by symdiff {__version__} */\n"
             "#include <math.h>\n", *macros, *program.helpers(), *file]
            for i, file in enumerate(files[1:], 1)]
    return ["\n".join(pieces) for pieces in [main, *rest]]


def generate(exprs, vars, name: str) -> tuple[CCode, str]:
    """(program, the .c source) of ``exprs`` as C functions ``name``, ``name_points`` and
    ``name_rows``, in one file."""
    program = program_of(exprs, vars)
    return program, sources(program, name)[0]


def _arguments(program: CCode) -> str:
    """Which entry of ``in`` is which variable, in a comment's safe characters."""
    shown = ", ".join(f"in[{j}] {shown_name(v)}" for j, v in enumerate(program.vars[:8]))
    more = f", ... in[{len(program.vars) - 1}]" if len(program.vars) > 8 else ""
    return f"{shown or 'no variables'}{more}; {len(program.outputs)} results in out"


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
    ``out[k*out_stride + p]``. ``void name_rows(long n, const double *const *in, const long
    *in_step, double *out, long out_stride)``: the same from a row per variable, variable j
    of point p at ``in[j][p*in_step[j]]`` (a step of 0 gives every point one value).
    Outside the domain a result is NaN or ±inf, with no error."""
    program, source = generate(exprs, vars, name)
    guard = f"SYMDIFF_{name.upper()}_H"
    variables = [f"in[{j}] {shown_name(v)}" for j, v in enumerate(program.vars)]
    rows = ["   " + ", ".join(variables[i:i + 6]) for i in range(0, len(variables), 6)]
    header = "\n".join([
        f"/* {name}: generated by symdiff {__version__} (to_c_source); C99, "
        "needs <math.h> (-lm).",
        f"   {name}(in, out): one point. The arguments, in this order:",
        *(rows or ["   (none)"]),
        f"   The {len(program.outputs)} results: out[k], laid out as {_results(program)}.",
        f"   {name}_points(n, in, in_stride, out, out_stride): n points; variable j of point",
        "   p is in[j*in_stride + p], result k is out[k*out_stride + p].",
        f"   {name}_rows(n, in, in_step, out, out_stride): the same from a row per variable;",
        "   variable j of point p is in[j][p*in_step[j]] (step 0: one value for all points).",
        "   Inputs and out must not overlap. Outside the domain a result is NaN or +-inf",
        "   (IEEE), with no error. */",
        f"#ifndef {guard}", f"#define {guard}", "#ifdef __cplusplus", 'extern "C" {',
        "#endif", prototypes(name).rstrip("\n"), "#ifdef __cplusplus", "}", "#endif",
        f"#endif /* {guard} */", ""])
    return header, source
