"""The report of ``bench_codegen.py``: its Markdown tables and the goals, read from the
results its children sent (kept apart from the measuring, which is the script's concern)."""
from __future__ import annotations

from codegen_tools import CHECK_RTOL, variables

NAMES = {"hand": "hand-written NumPy", "numpy": "symdiff numpy", "math": "symdiff math",
         "c": "symdiff c", "jax": "symdiff jax (jit)", "torch": "symdiff torch (eager)",
         "torch.compile": "symdiff torch (torch.compile)",
         "sympy": "SymPy lambdify (numpy, cse)", "casadi": "CasADi Function (SX)",
         "casadi_c": "CasADi generated C (gcc -O2)"}
TITLES = {"rosenbrock": "Rosenbrock gradient, n = {size:,} variables",
          "mlp": "MLP squared-loss gradient (3-h-1 tanh, fixed data), {vars} weights"}
GOAL_PER_POINT, GOAL_SCALAR, GOAL_COMPILE_S, GOAL_RSS = 1.5, 10.0, 10.0, 500 << 20


def fmt_time(seconds: float) -> str:
    for unit, scale in (("ns", 1e-9), ("µs", 1e-6), ("ms", 1e-3)):
        if seconds < 1000 * scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds:.3g} s"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:.2g}x" if ratio < 10 else f"{ratio:,.0f}x"      # 0.35x, 2.1x, 1,234x


def fmt_bytes(count: float) -> str:
    if count < 2**20:
        return f"{count / 2**10:,.0f} KB"
    return f"{count / 2**20:,.0f} MB" if count < 2**30 else f"{count / 2**30:.2f} GB"


def case_name(family: str, size: int) -> str:
    return f"Rosenbrock n = {size:,}" if family == "rosenbrock" else f"MLP, {variables('mlp', size)} weights"


def name(tool: str) -> str:
    return NAMES.get(tool, f"symdiff {tool}")


def failure(r: dict | None, why: str = "") -> str:
    """Why a result has no figures: not available, a time limit, an error."""
    if why:
        return f"not available ({why})"
    if not r:
        return "not run"
    if "missing" in r:                  # a tool left out of a quick run is not missing
        left = r["missing"].startswith("left out")
        return r["missing"] if left else f"not available ({r['missing']})"
    return r.get("error", "–")


def _ratio(r: dict, anchor: dict | None, key: str) -> str:
    if anchor and key in r and key in anchor:
        return fmt_ratio(r[key] / anchor[key])
    return "–"


def _checked(r: dict) -> str:
    errors = [r[k] for k in ("call_err", "batch_err") if k in r]
    if not errors:
        return "no reference" if "first_call_s" in r else "–"
    cells = [f"{e:.1e}" if e > 0 else "0" for e in errors]
    bad = any(not e <= CHECK_RTOL for e in errors)
    return " / ".join(cells) + (" **disagrees: not timed**" if bad else "")


def _timing(r: dict, key: str, hand: dict, anchor: dict, per_second: bool) -> list[str]:
    if key in r:
        cells = [fmt_time(r[key])] + ([f"{1 / r[key]:,.0f}"] if per_second else [])
        return cells + [_ratio(r, hand, key), _ratio(r, anchor, key)]
    width = 4 if per_second else 3
    if key == "batch_s" and r.get("why"):
        return [r["why"]] + ["–"] * (width - 1)
    if "error" in r and _stopped_in(r) == key:
        where = {"first_call_s": " in the first calls (compiling)", "call_s": " timing one "
                 "point", "batch_s": " timing the batch"}[_failed_phase(r)]
        return [r["error"] + where] + ["–"] * (width - 1)
    return ["–"] * width


def _failed_phase(r: dict) -> str:
    """The phase a stopped family measurement was in, from what it had sent."""
    return next(k for k in ("first_call_s", "call_s", "batch_s") if k not in r)


def _stopped_in(r: dict) -> str:
    """The column that shows a stopped measurement: one point's, unless that was timed."""
    return "batch_s" if _failed_phase(r) == "batch_s" else "call_s"


def _notes(r: dict) -> str:
    notes = [r["note"]] if r.get("note") else []
    first, best = r.get("first_batch_s"), r.get("batch_s")
    if first and best and first > 0.05 and first > 10 * best * r.get("count", 1):
        notes.append(f"first batch call {fmt_time(first)}")
    if r.get("first_call_s", 0) > 0.05 and r.get("call_s") and r["first_call_s"] > 10 * r["call_s"]:
        notes.append(f"first call {fmt_time(r['first_call_s'])}")
    return "; ".join(notes)


def family_table(family: str, size: int, count: int, row: dict, unavailable: dict) -> str:
    hand, anchor = row.get("hand") or {}, row.get("casadi_c") or {}
    nodes = (row.get("numpy") or {}).get("nodes")
    title = TITLES[family].format(size=size, vars=variables("mlp", size))
    lines = [f"### {title}; batches of {count:,} points", "",
             f"symdiff's gradient DAG: {nodes:,} nodes." if nodes else "", "",
             "| tool | setup | one point | / hand | / CasADi C | per point (batch) | points / s"
             " | / hand | / CasADi C | max rel. diff. (point / batch) | notes |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for tool, r in row.items():
        r = dict(r, count=count)
        if "setup_s" not in r:
            lines.append(f"| {name(tool)} | {failure(r)} |" + " – |" * 9)
            continue
        cells = [name(tool), fmt_time(r["setup_s"]),
                 *_timing(r, "call_s", hand, anchor, False),
                 *_timing(r, "batch_s", hand, anchor, True), _checked(r), _notes(r)]
        lines.append("| " + " | ".join(cells) + " |")
    for tool, why in unavailable.items():
        lines.append(f"| {name(tool)} | {failure({'missing': why})} |" + " – |" * 9)
    return "\n".join(lines)


def compile_table(results: list) -> str:
    lines = ["### Code generation and compilation against DAG size (gradients)", "",
             "| family | tool | DAG nodes | lambdify (generate + compile) | µs per node | "
             "again (cached) | first call | value |", "|---|---|---|---|---|---|---|---|"]
    for family, target, tool, r in results:
        nodes = f"{r['nodes']:,}" if "nodes" in r else f"~{target:,}"
        if "lambdify_s" not in r:
            lines.append(f"| {family} | {name(tool)} | {nodes} | {failure(r)} | – | – | – | – |")
            continue
        total = r["lambdify_s"]
        per = f"{total / r['nodes'] * 1e6:.1f}" if r.get("nodes") else "–"
        again = fmt_time(r["again_s"]) if "again_s" in r else "–"
        if r.get("again_compiled"):
            again += " (compiled again)"
        first = fmt_time(r["first_call_s"]) if "first_call_s" in r else r.get("error", "–")
        ok = ("ok" if r["ok"] else "WRONG") if "ok" in r else "–"
        lines.append(f"| {family} | {name(tool)} | {nodes} | {fmt_time(total)} | {per} | "
                     f"{again} | {first} | {ok} |")
    return "\n".join(lines)


def points_table(results: list, expr: str) -> str:
    lines = [f"### `python -m symdiff grad \"{expr}\" --points FILE > /dev/null`", "",
             "| rows | file | wall time | rows / s | peak RSS | exit | first 1,000 rows |",
             "|---|---|---|---|---|---|---|"]
    for rows, r in results:
        label = f"{rows:,}" if rows else "none (`--at x=0.5,y=2`)"
        if "rss" not in r:
            lines.append(f"| {label} | {failure(r)} | – | – | – | – | – |")
            continue
        rate = f"{rows / r['wall_s']:,.0f}" if rows else "–"
        exit_cell = str(r["exit"]) + (f" ({r['stderr']})" if r["exit"] else "")
        check = r.get("check_err")
        check = "–" if check is None else ("ok" if check <= CHECK_RTOL else f"≠ {check:.1e}")
        lines.append(f"| {label} | {fmt_bytes(r['bytes']) if rows else '–'} | "
                     f"{fmt_time(r['wall_s'])} | {rate} | {fmt_bytes(r['rss'])} | {exit_cell} | "
                     f"{check if rows else '–'} |")
    return "\n".join(lines)


COMPILE_GOAL = f"c: generate + compile a ~10^5-node gradient under {GOAL_COMPILE_S:g} s"


def goals_table(results: dict, unavailable: dict, quick: bool) -> str:
    lines = ["### Goals", "", "| goal | case | figures | met |", "|---|---|---|---|"]
    if quick:
        lines[1:1] = ["", "Quick run: judged at the quick sizes, not at the goals' own."]

    def add(goal, case, figures, met):
        lines.append(f"| {goal} | {case} | {figures} | "
                     f"{'–' if met is None else ('**met**' if met else '**not met**')} |")

    for (family, size, count), row in results["families"].items():
        case = case_name(family, size)
        c, cc, np_ = row.get("c") or {}, row.get("casadi_c") or {}, row.get("numpy") or {}
        c_why, cc_why = unavailable.get("c", ""), unavailable.get("casadi_c", "")
        if "batch_s" in c and "batch_s" in cc:
            ratio = c["batch_s"] / cc["batch_s"]
            add(f"c per point within {GOAL_PER_POINT}x of CasADi's C", case,
                f"{fmt_time(c['batch_s'])} vs {fmt_time(cc['batch_s'])}: {ratio:.3f}x",
                ratio <= GOAL_PER_POINT)
        else:
            add(f"c per point within {GOAL_PER_POINT}x of CasADi's C", case,
                f"c: {failure(c, c_why) if 'batch_s' not in c else 'ok'}; CasADi C: "
                f"{failure(cc, cc_why) if 'batch_s' not in cc else 'ok'}", None)
        if "call_s" in c and "call_s" in np_:
            speedup = np_["call_s"] / c["call_s"]
            add(f"c {GOAL_SCALAR:g}x faster than numpy backend, one point", case,
                f"{fmt_time(c['call_s'])} vs {fmt_time(np_['call_s'])}: {speedup:.0f}x faster",
                speedup >= GOAL_SCALAR)
        else:
            add(f"c {GOAL_SCALAR:g}x faster than numpy backend, one point", case,
                f"c: {failure(c, c_why) if 'call_s' not in c else 'ok'}; numpy: "
                f"{failure(np_) if 'call_s' not in np_ else 'ok'}", None)
    compiled = [(f, t, r) for f, t, tool, r in results["compile"] if tool == "c"]
    for family in dict.fromkeys(f for f, _, _ in compiled):
        target, r = max(((t, r) for f, t, r in compiled if f == family), key=lambda x: x[0])
        case = f"{family}, {r['nodes']:,} nodes" if "nodes" in r else f"{family}, ~{target:,}"
        if "lambdify_s" in r:
            add(COMPILE_GOAL, case,
                fmt_time(r["lambdify_s"]), r["lambdify_s"] < GOAL_COMPILE_S)
        else:                           # a time limit (seconds) past the goal fails it
            add(COMPILE_GOAL, case, failure(r),
                False if r.get("error", "").startswith(">") else None)
    if results["compile"] and not compiled:
        add(COMPILE_GOAL, "–",
            failure({}, unavailable.get("c", "")), None)
    if results["points"]:
        rows, r = results["points"][-1]
        if "rss" in r and r["exit"] == 0:
            add(f"`--points` peak RSS under {GOAL_RSS >> 20} MB", f"{rows:,} rows",
                f"{fmt_bytes(r['rss'])} in {fmt_time(r['wall_s'])}", r["rss"] < GOAL_RSS)
        else:
            add(f"`--points` peak RSS under {GOAL_RSS >> 20} MB", f"{rows:,} rows",
                failure(r) if "rss" not in r else f"exit {r['exit']}", None)
    return "\n".join(lines)


def report(results: dict, env: dict, unavailable: dict, plan: dict, total: float,
           quick: bool) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items())
    header = (
        f"## symdiff compiled-functions benchmark\n\nMachine: Python {env['python']} on "
        f"{env['platform']}; {env['cpu']}; {env['cpu_count']} CPUs; {env['gcc']}. Packages: "
        f"{versions} (symdiff commit {env['symdiff_commit']}).\n\n"
        + (f"**symdiff's code changed during the run** (at the end: commit "
           f"{env['symdiff_commit_at_end']}): rows may measure different code.\n\n"
           if "symdiff_commit_at_end" in env else "") +
        f"Times: wall time (`time.perf_counter`), best of up to {plan['repeats']} repetitions "
        "of a batch of calls sized by `timeit.Timer.autorange` (at least 0.2 s), one thread "
        "everywhere (BLAS, OpenMP, XLA, torch). *one point*: a call with the point's "
        "coordinates as Python floats, conversions inside the call; *per point (batch)*: one "
        "call on a batch divided by its size. **/ hand** and **/ CasADi C**: the tool's time "
        "over hand-written NumPy's and over CasADi's generated C's in the same run (0.5x: "
        "twice as fast). Values checked against symdiff's numpy backend before timing: "
        f"|a - b| <= {CHECK_RTOL:g} max(1, |b|)." + (" **Quick run: small sizes.**" if quick
                                                      else ""))
    sections = [header]
    for (family, size, count), row in results["families"].items():
        sections.append(family_table(family, size, count, row, unavailable))
    if results["compile"]:
        sections.append(compile_table(results["compile"]))
    if results["points"]:
        sections.append(points_table(results["points"], results["points_expr"]))
    sections.append(goals_table(results, unavailable, quick))
    sections.append(f"Total run time: {total:.0f} s.")
    return "\n\n".join(sections) + "\n"
