"""The benchmark: what a report costs as the plan grows, against the floor (issue 6).

For each size it generates a seeded plan and returns, then, each in a fresh process:
the library stages one by one (with the floor: WeasyPrint alone on the same HTML and
python-docx alone on the same text, in the same process), and the Prefect flow against a
server that is already running. Prefect's own start-up, `reporting check FILE`
(`benchmarks/check.py`) and a re-run with unchanged inputs are measured on their own
lines. Prints one table, writes `benchmarks/results/<date>.md`, and ends with one line per
size:

    size=1000 returns=60 pipeline_s=41.2 floor_s=35.0 ratio=1.18 peak_mb=640

Run: make bench            (all four sizes; several minutes)
     make bench QUICK=1    (25 and 250 actions only)
     make bench CHECK=1    (`reporting check` alone: benchmarks/check.py)
     make bench PAGES=1    (the 1,000-action paper's page count alone: benchmarks/pages.py)
     python -m benchmarks.run --sizes 1000 --no-startup
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.check import measure_check, report_lines as check_lines  # noqa: E402
from benchmarks.generate import SEED, SIZES, generate  # noqa: E402
from benchmarks.pages import CAPPED_ACTIONS, PAGE_CAP, verdict  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
STAGES = ("read plan and returns", "merge, checks and model", "render HTML, PDF and DOCX",
          "publish")
# Extras (untagged floor, PDF and Word at once) cost one more PDF each; skip them above this.
EXTRAS_UP_TO = 250

# Settings `reporting run` already applies (reporting/commands/common.py), then the ones
# the benchmark tries on top, to see which shrink the ephemeral API's start-up.
PREFECT_BASE = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}
_SERVICES = ("CANCELLATION_CLEANUP", "EVENT_PERSISTER", "EVENT_LOGGER", "FOREMAN",
             "LATE_RUNS", "SCHEDULER", "PAUSE_EXPIRATIONS", "REPOSSESSOR", "TRIGGERS")
PREFECT_VARIANTS = {
    "as `reporting run` sets it": {},
    "+ no block registration, no migration check": {
        "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false",
        "PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "false",
    },
    "+ background services off (task-run recorder kept)": {
        "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false",
        "PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "false",
        **{f"PREFECT_SERVER_SERVICES_{name}_ENABLED": "false" for name in _SERVICES},
    },
}


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ---- the machine --------------------------------------------------------------------------


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.lower().startswith(key.lower()):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:
        return "not installed"


def machine() -> dict[str, str]:
    """Describe the machine and the versions that decide the numbers."""
    mem_kb = _first("/proc/meminfo", "MemTotal").split()[0]
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpus (nproc)": str(os.cpu_count()),
        "cpu model": _first("/proc/cpuinfo", "model name"),
        "memory": f"{int(mem_kb) / 1024 / 1024:.1f} GiB" if mem_kb.isdigit() else mem_kb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        **{name: _version(name) for name in (
            "weasyprint", "pydyf", "python-docx", "openpyxl", "python-calamine", "pandas",
            "jinja2", "prefect")},
        "pango": _pango(),
        "git commit": _git_commit(),
    }


def _pango() -> str:
    try:
        from weasyprint.text.ffi import pango

        return pango.pango_version_string().decode() if hasattr(pango, "pango_version_string") \
            else str(pango.pango_version())
    except Exception:
        return "unknown"


def _git_commit() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except Exception:
        return "unknown"


# ---- running one measurement in a fresh process -------------------------------------------


def _environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
    env.update(PREFECT_BASE)
    # The benchmark's Prefect database sits beside the project's own, inside PREFECT_HOME,
    # so a benchmark never contends with a test run or a real report for the same file.
    database = Path(env["PREFECT_HOME"]) / "bench.db"
    env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = f"sqlite+aiosqlite:///{database}"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra or {})
    return env


TIMEOUT_S = 900


def measure(args: list[str], env: dict[str, str] | None = None) -> dict:
    """Run `benchmarks.measure` with `args` in a fresh process; give what it reported."""
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "benchmarks.measure", *args], cwd=ROOT,
                              env=env or _environment(), capture_output=True, text=True,
                              timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {TIMEOUT_S} s"}
    wall = time.perf_counter() - started
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("BENCH-JSON "):
            result = json.loads(line[len("BENCH-JSON "):])
            result["process_wall_s"] = round(wall, 3)
            return result
    tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
    return {"error": " | ".join(tail) or f"exit status {done.returncode}"}


# ---- Prefect ------------------------------------------------------------------------------


def prefect_startup(reps: int) -> list[dict]:
    """Time the ephemeral API's start-up (a no-op flow, no server) under each set of settings."""
    rows = []
    measure(["noop-flow"])  # a first start creates and migrates a new database: not typical
    for name, extra in PREFECT_VARIANTS.items():
        runs = [measure(["noop-flow"], _environment(extra)) for _ in range(reps)]
        good = [r for r in runs if "error" not in r]
        if not good:
            rows.append({"settings": name, "error": runs[0]["error"]})
            continue
        rows.append({
            "settings": name,
            "import_s": statistics.median(r["import_s"] for r in good),
            "first_flow_s": statistics.median(r["first_flow_s"] for r in good),
            "second_flow_s": statistics.median(r["second_flow_s"] for r in good),
            "process_s": statistics.median(r["process_wall_s"] for r in good),
            "reps": len(good),
        })
        _say(f"  prefect start-up, {name}: {rows[-1]['first_flow_s']:.1f} s first flow")
    return rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrefectServer:
    """A `prefect server start` process of our own, stopped by its process id at the end."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.process: subprocess.Popen | None = None
        self.start_s: float | None = None
        self.error = ""

    def start(self, timeout: float = 180) -> bool:
        env = _environment({"PREFECT_UI_ENABLED": "false", "PREFECT_SERVER_UI_ENABLED": "false"})
        log = open(Path(tempfile.gettempdir()) / f"bench-prefect-server-{self.port}.log", "w")
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
             "--port", str(self.port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                self.error = f"prefect server exited with status {self.process.returncode}; see {log.name}"
                return False
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        self.start_s = time.perf_counter() - started
                        return True
            except OSError:
                pass
            time.sleep(0.2)
        self.error = f"prefect server did not answer within {timeout:.0f} s"
        return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # The server runs in its own session; signal that group, which is ours alone.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


# ---- the run ------------------------------------------------------------------------------


def _fmt(value, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_fmt(v) if not isinstance(v, str) else v for v in row) + " |"
              for row in rows]
    return lines


def run(sizes: list[tuple[int, int]], *, seed: int, flow: bool, startup: bool,
        rerun_size: int | None, work: Path, quick: bool) -> tuple[list[str], list[str]]:
    """Run the benchmark; give (markdown lines for the results file, final machine lines)."""
    info = machine()
    _say("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    generated = {}
    for actions, services in sizes:
        started = time.perf_counter()
        generated[actions] = generate(work / f"inputs-{actions}", actions, services, seed)
        g = generated[actions]
        _say(f"generated {actions} actions, {services} service areas in "
             f"{time.perf_counter() - started:.1f} s: {len(g.returns)} files "
             f"({len(g.unreadable)} unreadable), {len(g.no_return)} sent none, {g.rows} rows")

    startup_rows = prefect_startup(1 if quick else 2) if startup else []
    server = PrefectServer() if flow else None
    if server is not None:
        if server.start():
            _say(f"prefect server on {server.url}, answered after {server.start_s:.1f} s")
        else:
            _say(f"no prefect server: {server.error}; flow runs skipped")
    flow_env = _environment({"PREFECT_API_URL": server.url}) if server and server.start_s else None

    results = {}
    try:
        for actions, services in sizes:
            inputs = generated[actions].folder
            _say(f"size {actions}: library stages and floor ...")
            extras = [] if actions <= EXTRAS_UP_TO else ["--no-extras"]
            lib = measure(["stages", str(inputs), str(work / f"out-lib-{actions}"), *extras])
            if "error" in lib:
                _say(f"  failed: {lib['error']}")
            flow_result = None
            if flow_env and "error" not in lib:
                _say(f"size {actions}: the flow, server already running ...")
                flow_result = measure(["flow", str(inputs), str(work / f"out-flow-{actions}")],
                                      flow_env)
                if "error" in flow_result:
                    _say(f"  flow failed: {flow_result['error']}")
                elif actions == rerun_size:
                    _say(f"size {actions}: re-run with unchanged inputs ...")
                    flow_result["rerun"] = measure(
                        ["flow", str(inputs), str(work / f"out-flow-{actions}")], flow_env)
            results[actions] = (services, lib, flow_result)
            _say("  " + _summary(actions, services, lib, flow_result))
        _say("reporting check, 10 fresh processes ...")
        check = measure_check()
    finally:
        if server:
            server.stop()

    final = [_final_line(a, *results[a]) for a, _ in sizes]
    if CAPPED_ACTIONS in results:  # the page cap, on the paper the stages already made
        final.append(verdict(results[CAPPED_ACTIONS][1].get("pdf_pages")))
    lines = _report(info, sizes, results, startup_rows, server, check, rerun_size, seed, quick)
    return lines + ["", "## Machine-readable lines", "", "```", *final, "```", ""], final


def _pipeline(lib: dict, flow_result: dict | None) -> tuple[float | None, str]:
    if flow_result and "error" not in flow_result:
        return flow_result["runs_s"][0], "flow"
    if "error" not in lib:
        return lib["pipeline_s"], "library"
    return None, "failed"


def _peak(lib: dict, flow_result: dict | None) -> float | None:
    if flow_result and "error" not in flow_result:
        return flow_result["peak_mb"]
    return lib.get("pipeline_peak_mb")


def _summary(actions, services, lib, flow_result) -> str:
    pipeline, via = _pipeline(lib, flow_result)
    floor = lib.get("floor_s")
    ratio = f"{pipeline / floor:.2f}" if pipeline and floor else "-"
    return (f"pipeline ({via}) {_fmt(pipeline)} s, library {_fmt(lib.get('pipeline_s'))} s, "
            f"floor {_fmt(floor)} s, ratio {ratio}, peak {_fmt(_peak(lib, flow_result), 0)} MB")


def _final_line(actions: int, services: int, lib: dict, flow_result: dict | None) -> str:
    pipeline, _ = _pipeline(lib, flow_result)
    floor = lib.get("floor_s")
    ratio = pipeline / floor if pipeline and floor else None
    peak = _peak(lib, flow_result)
    return (f"size={actions} returns={services} pipeline_s={_fmt(pipeline, 1)} "
            f"floor_s={_fmt(floor, 1)} ratio={_fmt(ratio)} peak_mb={_fmt(peak, 0)}")


def _report(info, sizes, results, startup_rows, server, check, rerun_size, seed, quick
            ) -> list[str]:
    lines = [f"# Benchmark {info['date'][:10]}{' (QUICK)' if quick else ''}", "",
             "Written by `make bench` (benchmarks/run.py). Seed "
             f"{seed}; report: six-monthly, 2022/23 Q4 (covers every action).", "",
             "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in info.items()]
    lines += [f"- load average when the run ended: {os.getloadavg()[0]:.1f} "
              f"(1 min), {os.getloadavg()[2]:.1f} (15 min); above {os.cpu_count()} the "
              "machine was shared and wall seconds include waiting for a core"]
    lines += ["", "## Inputs", ""]
    lines += _table(["actions", "service areas", "return files", "usable", "flags", "HTML KB",
                     "PDF pages", "PDF KB", "DOCX KB"],
                    [[a, s, lib.get("return_files"), lib.get("usable_returns"), lib.get("flags"),
                      lib.get("html_kb"), lib.get("pdf_pages"), lib.get("pdf_kb"),
                      lib.get("docx_kb")] for a, (s, lib, _) in results.items()])
    lines += ["", "## Library stages, fresh process per size: seconds (peak RSS MB during the stage)",
              ""]
    header = ["actions", *STAGES, "pipeline", "floor PDF", "floor DOCX", "floor", "ratio",
              "pipeline CPU s", "floor CPU s", "ratio CPU"]
    rows = []
    for a, (s, lib, _) in results.items():
        if "error" in lib:
            rows.append([a, f"failed: {lib['error'][:200]}"] + [""] * (len(header) - 2))
            continue
        st, fl = lib["stages"], lib.get("floor", {})
        cells = [f"{st[n]['s']:.2f} ({st[n]['peak_mb']:.0f})" if n in st else "-" for n in STAGES]
        floor_cells = [f"{fl[n]['s']:.2f} ({fl[n]['peak_mb']:.0f})" if n in fl else "-"
                       for n in ("floor PDF", "floor DOCX")]
        ratio = lib["pipeline_s"] / lib["floor_s"] if lib.get("floor_s") else None
        cpu_ratio = (lib["pipeline_cpu_s"] / lib["floor_cpu_s"]
                     if lib.get("floor_cpu_s") and lib.get("pipeline_cpu_s") else None)
        rows.append([a, *cells, f"{lib['pipeline_s']:.2f} ({lib['pipeline_peak_mb']:.0f})",
                     *floor_cells, lib.get("floor_s"), ratio, lib.get("pipeline_cpu_s"),
                     lib.get("floor_cpu_s"), cpu_ratio])
    lines += _table(header, rows)
    lines += ["", "Imports of the library, WeasyPrint and python-docx, and a first scrap render "
              "(font discovery), are outside the stages: "
              + ", ".join(f"{a}: {lib.get('imports_s', 0):.2f} s + {lib.get('warmup_s', 0):.2f} s"
                          for a, (_, lib, _) in results.items() if "error" not in lib) + "."]

    plain = [(a, lib) for a, (_, lib, _) in results.items()
             if "floor plain paragraphs" in lib.get("floor", {})]
    if plain:
        lines += ["", "## The paper against its words as plain paragraphs", "",
                  "The same words set as plain paragraphs (no tables, badges or tagging): the "
                  "least their typesetting can cost. The issue's target is the paper within "
                  "3x of it, and at most 150 pages for 1,000 actions.", ""]
        lines += _table(["actions", "paper PDF pages", "plain pages", "paper render s",
                         "plain s", "ratio"],
                        [[a, lib.get("pdf_pages"), lib.get("plain_pages"),
                          lib["stages"]["render HTML, PDF and DOCX"]["s"],
                          lib["floor"]["floor plain paragraphs"]["s"],
                          lib["stages"]["render HTML, PDF and DOCX"]["s"]
                          / lib["floor"]["floor plain paragraphs"]["s"]]
                         for a, lib in plain])

    extras = [(a, lib) for a, (_, lib, _) in results.items()
              if "pdf_docx_concurrent_s" in lib or "floor PDF untagged" in lib.get("floor", {})]
    if extras:
        lines += ["", "## What tagging costs, and what the second core gives", ""]
        lines += _table(["actions", "floor PDF tagged (pdf/ua-1) s", "floor PDF untagged s",
                         "PDF then DOCX s", "PDF and DOCX at once s"],
                        [[a, lib["floor"]["floor PDF"]["s"],
                          lib["floor"].get("floor PDF untagged", {}).get("s"),
                          lib.get("pdf_docx_sequential_s"), lib.get("pdf_docx_concurrent_s")]
                         for a, lib in extras])

    lines += ["", "## Whole pipeline through the flow, Prefect server already running", ""]
    if server is None:
        lines.append("Not run (--no-flow).")
    elif not server.start_s:
        lines.append(f"Not run: {server.error}.")
    else:
        lines.append(f"`prefect server start` answered /api/health after {server.start_s:.1f} s "
                     "(measured once, not part of any run).")
        lines.append("")
        frows = []
        for a, (s, lib, fr) in results.items():
            if not fr or "error" in fr:
                why = (f"failed: {fr['error'][:200]}" if fr
                       else "skipped: the library stages did not finish")
                frows.append([a, why, "", "", "", "", "", ""])
                continue
            floor = lib.get("floor_s")
            frows.append([a, fr["runs_s"][0], fr.get("runs_cpu_s", [None])[0], fr["import_s"],
                          fr["peak_mb"], fr.get("children_peak_mb"), floor,
                          fr["runs_s"][0] / floor if floor else None])
        lines += _table(["actions", "flow run s", "flow run CPU s", "import flow module s",
                         "peak RSS MB", "child processes' peak MB", "floor s",
                         "ratio flow / floor"], frows)

    lines += ["", "## Prefect start-up (ephemeral API, no server running)", ""]
    if startup_rows:
        lines += _table(["settings", "import prefect s", "first no-op flow s (starts the API)",
                         "second no-op flow s", "whole process s"],
                        [[r["settings"], r.get("import_s"), r.get("first_flow_s"),
                          r.get("second_flow_s"), r.get("process_s")] if "error" not in r
                         else [r["settings"], f"failed: {r['error'][:200]}", "", "", ""]
                         for r in startup_rows])
    else:
        lines.append("Not measured (--no-startup).")

    lines += ["", "## Page cap", ""]
    if CAPPED_ACTIONS in results and results[CAPPED_ACTIONS][1].get("pdf_pages"):
        pages = results[CAPPED_ACTIONS][1]["pdf_pages"]
        lines.append(f"The {CAPPED_ACTIONS:,}-action paper runs to {pages} pages against a cap "
                     f"of {PAGE_CAP} ({'within' if pages <= PAGE_CAP else 'OVER'} it).")
    else:
        lines.append(f"Not measured here (no {CAPPED_ACTIONS:,}-action size): "
                     "`make bench PAGES=1` measures it alone.")

    lines += ["", "## `reporting check FILE`", "", *check_lines(check)]

    lines += ["", "## Re-run with unchanged inputs", ""]
    rerun = next((fr.get("rerun") for a, (_, _, fr) in results.items()
                  if a == rerun_size and fr and "rerun" in fr), None)
    if rerun and "error" not in rerun:
        cold = results[rerun_size][2]["runs_s"][0]
        again = rerun["runs_s"][0]
        lines.append(f"{rerun_size} actions: cold run {cold:.1f} s, re-run in a new process "
                     f"{again:.1f} s ({again / cold:.2f} of the cold run; target at most 0.10).")
    else:
        lines.append("Not measured (needs the flow against a running server).")
    return lines


def main(argv: list[str] | None = None) -> int:
    global TIMEOUT_S
    parser = argparse.ArgumentParser(description="Benchmark the scrutiny report pipeline.")
    parser.add_argument("--quick", action="store_true", help="only the two smallest sizes")
    parser.add_argument("--sizes", help="actions to run, e.g. 25,1000 (service areas as in the issue)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-flow", action="store_true", help="skip the Prefect flow runs")
    parser.add_argument("--no-startup", action="store_true", help="skip Prefect start-up timing")
    parser.add_argument("--output", type=Path, help="results file (default results/<date>.md)")
    parser.add_argument("--timeout", type=int, default=TIMEOUT_S,
                        help="seconds one measurement process may take (default %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the generated inputs and outputs")
    args = parser.parse_args(argv)

    sizes = list(SIZES[:2] if args.quick else SIZES)
    if args.sizes:
        wanted = {int(n) for n in args.sizes.split(",")}
        sizes = [s for s in SIZES if s[0] in wanted]
    # The re-run is measured once, at 250 actions (or the largest size below that).
    rerun_size = max((a for a, _ in sizes if a <= 250), default=None)
    TIMEOUT_S = args.timeout
    work = Path(tempfile.mkdtemp(prefix="scrutiny-bench-"))
    try:
        lines, final = run(sizes, seed=args.seed, flow=not args.no_flow,
                           startup=not args.no_startup, rerun_size=rerun_size, work=work,
                           quick=args.quick)
    finally:
        if args.keep:
            _say(f"inputs and outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    output = args.output or RESULTS / f"{datetime.now():%Y-%m-%d}{'-quick' if args.quick else ''}.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines), encoding="utf-8")
    # The table, then the machine-readable lines last.
    print("\n".join(line for line in lines if not line.startswith("size=")
                    and line not in ("## Machine-readable lines", "```")).rstrip())
    print(f"\nresults written to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    print("\n".join(final))
    return 1 if any(line.endswith("ok=no") for line in final) else 0


if __name__ == "__main__":
    sys.exit(main())
