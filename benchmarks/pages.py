"""Whether a large paper stays within the committee's page cap (issue 19: 150 pages).

Generates the seeded 1,000-action plan (60 service areas, as `make bench` does), makes its
six-monthly 2022/23 Q4 paper with the library's pipeline functions and counts the PDF's
pages. Above 250 actions Appendix A gives the plan's promise for the delivery exceptions
only and cuts each update short (reporting/report/appendix.py); this is where that is
measured, not in a timed test.

Run: make bench PAGES=1          (this alone; writes results/<date>-pages.md, exits 1 over the cap)
     python -m benchmarks.pages [--actions 1000 --services 60 --seed 6 --keep]
`make bench` checks the same cap on its own 1,000-action paper.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import PAPER, PERIOD_LABEL, SEED, generate  # noqa: E402

PAGE_CAP = 150  # pages of the 1,000-action paper (issue 19)
CAPPED_ACTIONS = 1000
RESULTS = ROOT / "benchmarks" / "results"


def count_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def measure_pages(folder: Path, actions: int = CAPPED_ACTIONS, services: int = 60,
                  seed: int = SEED) -> dict:
    """Generate the plan in `folder`, make its paper and give what it holds: pages, actions,
    exceptions, the rows that give the plan's promise and the updates cut short."""
    from reporting.cadence import Paper
    from reporting.period import Period
    from reporting.pipeline import prepare_report, read_period
    from reporting.render.html import render_html, render_pdf
    from reporting.report.words import SHORT_CUT_NOTE
    from reporting.settings import READ_NOW, load_settings

    generate(folder, actions, services, seed)
    settings = load_settings(folder / "reporting.toml")
    read = read_period(settings, Period.parse(PERIOD_LABEL), folder, READ_NOW)
    report = prepare_report(settings, read, Paper(PAPER), datetime.now().astimezone())
    model = report.model
    clock = time.perf_counter()
    pdf = render_pdf(render_html(model))
    rows = [a for s in model.sections for a in s.actions]
    cut = SHORT_CUT_NOTE.split("{")[0]
    return {
        "actions": len(rows),
        "exceptions": len(model.exceptions),
        "promised": sum(a.shows_promise for a in rows),
        "cut_updates": sum(f"[{cut}" in a.progress_update for a in rows),
        "pages": count_pages(pdf),
        "render_s": round(time.perf_counter() - clock, 1),
    }


def verdict(pages: int | None, actions: int = CAPPED_ACTIONS) -> str:
    """The machine-readable line: `pages=147 cap=150 actions=1000 ok=yes`."""
    ok = "yes" if pages is not None and pages <= PAGE_CAP else "no"
    return f"pages={pages} cap={PAGE_CAP} actions={actions} ok={ok}"


def report_lines(result: dict) -> list[str]:
    return [f"The {result['actions']:,}-action six-monthly paper ({PERIOD_LABEL}) runs to "
            f"{result['pages']} A4 pages against a cap of {PAGE_CAP}: Appendix A gives the "
            f"plan's promise in {result['promised']} rows ({result['exceptions']} actions "
            f"have a delivery exception) and cuts {result['cut_updates']} updates; the PDF "
            f"took {result['render_s']} s.",
            "", verdict(result["pages"], result["actions"])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=CAPPED_ACTIONS)
    parser.add_argument("--services", type=int, default=60)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", type=Path, help="results file (default results/<date>-pages.md)")
    parser.add_argument("--keep", action="store_true", help="keep the generated plan and returns")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="scrutiny-pages-"))
    try:
        result = measure_pages(work / "inputs", args.actions, args.services, args.seed)
    finally:
        if args.keep:
            print(f"inputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    lines = report_lines(result)
    output = args.output or RESULTS / f"{datetime.now():%Y-%m-%d}-pages.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join([f"# Page cap {datetime.now():%Y-%m-%d}", "",
                                 "Written by `make bench PAGES=1` (benchmarks/pages.py), seed "
                                 f"{args.seed}.", "", *lines, ""]), encoding="utf-8")
    print("\n".join(lines))
    return 0 if result["pages"] <= PAGE_CAP else 1


if __name__ == "__main__":
    sys.exit(main())
