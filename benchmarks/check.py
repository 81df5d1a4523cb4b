"""What `reporting check FILE` costs the officer waiting for it (issue 18: under 0.3 s).

Run in fresh processes, as an officer runs it, from the project folder (so the settings
and the bundled plan are found, and last period's returns are read beside the file):

- the command's wall and CPU seconds (its own and its reading child's), median of 10;
- which of the heavy libraries it imported (it should import none but what it reads with);
- where its start goes: `python -X importtime`, the cumulative milliseconds of the first
  import of each named module, median of 3 (importtime's own cost inflates these);
- the reading child alone, started and asked for one return: forked from a parent that
  has the reader imported (what `check` does) against a fresh interpreter (what a run does).

Run: make bench CHECK=1                  (this alone; writes results/<date>-check.md)
     python -m benchmarks.check [FILE] [--reps 10]
`make bench` runs it too, as a section of its results.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_S = 0.3
BUNDLED_RETURN = ROOT / "inputs" / "returns" / "2022-23-Q2" / "regulatory-services.xlsx"
# Libraries `check` has no use for, and the ones it reads with (openpyxl for the plan).
HEAVY = ("prefect", "pandas", "numpy", "matplotlib", "jinja2", "weasyprint", "docx",
         "openpyxl", "python_calamine", "yaml", "holidays")
# Modules whose first import is reported with all it pulls in (milliseconds).
NAMED = ("cli.automation", "cli.run", "reporting.installation", "reporting.settings",
         "holidays", "reporting.pipeline", "reporting.plan", "openpyxl", "numpy",
         "reporting.merge", "reporting.checks", "reporting.report.model",
         "reporting.intake.returns", "pandas", "jinja2", "prefect")
_PROBE = ("import sys\nfrom cli.main import main\n"
          "try:\n    main(['check', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
          f"print('HEAVY', *sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))")


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
    return env


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def time_command(command: list[str], reps: int) -> dict:
    """Run `command` `reps` times; give median wall and CPU seconds (with its children)."""
    walls, cpus, status = [], [], None
    for _ in range(reps):
        cpu, started = _children_cpu(), time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=_environment(), capture_output=True)
        walls.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - cpu)
        status = done.returncode
    return {"median_s": statistics.median(walls), "best_s": min(walls),
            "cpu_s": statistics.median(cpus), "exit_status": status, "reps": reps}


def imported(return_file: Path) -> list[str]:
    """Give which of HEAVY `reporting check FILE` had imported when it ended."""
    done = subprocess.run([sys.executable, "-c", _PROBE, str(return_file)], cwd=ROOT,
                          env=_environment(), capture_output=True, text=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("HEAVY")), "HEAVY ?")
    return line.split()[1:]


def import_costs(return_file: Path, reps: int = 3) -> dict[str, float]:
    """Give the cumulative ms of the first import of each NAMED module, median of `reps`."""
    runs: list[dict[str, int]] = []
    for _ in range(reps):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "cli.main", "check",
                               str(return_file)], cwd=ROOT, env=_environment(),
                              capture_output=True, text=True)
        found = {}
        for line in done.stderr.splitlines():
            if line.startswith("import time:") and "|" in line:
                _, cumulative, name = line[len("import time:"):].split("|")
                if name.strip() in NAMED and cumulative.strip().isdigit():
                    found[name.strip()] = int(cumulative)
        runs.append(found)
    return {name: statistics.median(r.get(name, 0) for r in runs) / 1000 for name in NAMED
            if any(name in r for r in runs)}


def reading_child(return_file: Path, reps: int) -> dict[str, dict]:
    """Time a reading child from its start to its answer for one return, median of `reps`:
    forked (as `check` has it), and a fresh interpreter with and without `-S`."""
    from reporting.intake import isolated
    from reporting.intake.isolated import IsolatedReader
    from reporting.settings import READ_NOW

    fresh = isolated.CHILD
    # -S leaves site-packages off the path: the child is given the folders this one uses.
    folders = os.pathsep.join([fresh[-1], *(p for p in sys.path if p and os.path.isdir(p))])
    no_site = [sys.executable, "-I", "-S", "-c",
               f"import sys; sys.path[:0] = sys.argv[1].split({os.pathsep!r}); "
               "from reporting.intake.isolated import serve; serve()", folders]
    ways = {"forked (check)": {"fork": True},
            "fresh interpreter, -I (a run)": {"command": fresh},
            "fresh interpreter, -I -S": {"command": no_site}}
    results = {}
    for name, how in ways.items():
        walls, cpus = [], []
        for _ in range(reps):
            cpu, started = _children_cpu(), time.perf_counter()
            with IsolatedReader(READ_NOW, **how) as reader:
                answer = reader.read(return_file)
            walls.append(time.perf_counter() - started)
            cpus.append(_children_cpu() - cpu)
        results[name] = {"median_s": statistics.median(walls),
                         "cpu_s": statistics.median(cpus),
                         "ok": getattr(answer, "usable", False)}
    return results


def measure_check(return_file: Path = BUNDLED_RETURN, reps: int = 10) -> dict:
    """Everything this module measures about `reporting check return_file`."""
    command = [sys.executable, "-m", "cli.main", "check", str(return_file)]
    return {"file": Path(return_file).name, **time_command(command, reps),
            "python_s": time_command([sys.executable, "-c", "pass"], reps)["median_s"],
            "imported": imported(return_file), "imports_ms": import_costs(return_file),
            "child": reading_child(return_file, reps),
            "load": os.getloadavg()[0], "cpus": os.cpu_count()}


def report_lines(check: dict) -> list[str]:
    """Give the markdown section for the results file."""
    met = "met" if check["median_s"] < TARGET_S else "not met"
    lines = [
        f"{check['file']} (from the project folder: settings, the bundled plan and last "
        f"period's returns read too): median {check['median_s']:.2f} s wall, best "
        f"{check['best_s']:.2f} s, {check['cpu_s']:.2f} s CPU with its reading child, of "
        f"{check['reps']} fresh processes (exit status {check['exit_status']}); "
        f"`python -c pass` {check['python_s']:.3f} s. Target under {TARGET_S} s on an idle "
        f"machine: {met}, at load average {check['load']:.1f} on {check['cpus']} cores.",
        "",
        "Imported of " + ", ".join(HEAVY) + ": "
        + (", ".join(check["imported"]) or "none") + ".",
        "",
        "Where the start goes (`python -X importtime`, the first import of each with all it "
        "pulls in, ms, median of 3; nested ones are inside the ones above them):",
        "",
        "| module | ms |", "|---|---|",
        *(f"| {name} | {ms:.0f} |" for name, ms in check["imports_ms"].items()),
        "",
        "The reading child, from its start to its answer for this return (median of "
        f"{check['reps']}):",
        "",
        "| child | wall s | CPU s | read the return |", "|---|---|---|---|",
        *(f"| {name} | {c['median_s']:.3f} | {c['cpu_s']:.3f} | {'yes' if c['ok'] else 'no'} |"
          for name, c in check["child"].items()),
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time `reporting check FILE`.")
    parser.add_argument("file", nargs="?", type=Path, default=BUNDLED_RETURN)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--output", type=Path, help="results file (default "
                        "results/<date>-check.md)")
    args = parser.parse_args(argv)
    check = measure_check(args.file.resolve(), args.reps)
    lines = [f"# `reporting check` {datetime.now():%Y-%m-%d %H:%M}", "",
             "Written by `make bench CHECK=1` (benchmarks/check.py).", "", *report_lines(check),
             "", f"check_median_s={check['median_s']:.3f} cpu_s={check['cpu_s']:.3f} "
             f"load={check['load']:.1f}", ""]
    output = args.output or ROOT / "benchmarks" / "results" / f"{datetime.now():%Y-%m-%d}-check.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"results written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
