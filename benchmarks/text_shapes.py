"""What one officer's text costs the PDF, by its shape (issue 22).

A 31,900-character update with no space once took the PDF past 500 s, and 30,000 line
breaks made a 7-page paper 430 pages. This times the HTML and PDF of a one-action report
whose update has each shape, cut as the paper cuts it (`[intake] long_update_chars` and
`long_update_lines`) and, for comparison, with those bounds lifted: median of `--reps`
runs in this process, with the PDF's page count.

Run: make bench SHAPES=1   (or python -m benchmarks.text_shapes [--reps 3] [--no-uncut])
About a minute with the bounds; several more for the shapes set whole.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reporting.cadence import Cadence, Paper  # noqa: E402
from reporting.intake.returns import Return, ReturnRow  # noqa: E402
from reporting.period import Period  # noqa: E402
from reporting.pipeline import PeriodInputs, prepare_report  # noqa: E402
from reporting.plan import Action, Milestone, Plan, Priority  # noqa: E402
from reporting.render.html import render_html, render_pdf  # noqa: E402
from reporting.settings import IntakeSettings, Settings  # noqa: E402
from reporting.status import Status  # noqa: E402

SHAPES = {
    "150 words": "Inspections are on schedule and the team is fully staffed. " * 15,
    "2,000 chars, no space": "x" * 2000,
    "8,000 chars, no space": "x" * 8000,
    "31,900 chars, no space": "data:image/png;base64," + "A" * 31878,
    "30,000 line breaks": "a" + "\n" * 30000 + "b",
    "400 lines of 80 chars": ("y" * 80 + "\n") * 400,
}
# Too slow to set whole (over 500 s when reported): timed with the bounds only.
CUT_ONLY = {"31,900 chars, no space"}
Q2 = Period.parse("2022/23 Q2")


def _inputs(update: str) -> PeriodInputs:
    action = Action("1.a", "1", "Objective", "Do it", "2022/23", date(2023, 3, 31),
                    "Regulatory Services", ("Regulatory Services",), "Partners", "Target",
                    Cadence.QUARTERLY, (Milestone("Milestone"),))
    plan = Plan((Priority("1", "Priority"),), (action,))
    row = ReturnRow("1.a", "1.a", "", Status.OFF_TRACK, "Off track", update, None, "", None,
                    "", update, cells={"Action ID": "Return!A8", "Status": "Return!D8",
                                       "Progress update": "Return!E8"})
    ret = Return(Path("regulatory-services.xlsx"), "Regulatory Services",
                 approved_by="A. Manager", sheet="Return", rows=(row,))
    return PeriodInputs(Q2, plan, (ret,), (), ROOT)


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def measure(update: str, intake: IntakeSettings, reps: int) -> tuple[float, float, int]:
    """Give the median seconds of the HTML and of the PDF, and the PDF's pages."""
    settings = Settings(council="Benchmark District Council", committee="Scrutiny Committee",
                        plan_title="Benchmark Plan", intake=intake)
    html_s, pdf_s, pages = [], [], 0
    for _ in range(reps):
        started = time.perf_counter()
        report = prepare_report(settings, _inputs(update), Paper.QUARTERLY,
                                datetime(2022, 10, 20).astimezone())
        html = render_html(report.model)
        html_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        pdf = render_pdf(html)
        pdf_s.append(time.perf_counter() - started)
        pages = _pages(pdf)
    return statistics.median(html_s), statistics.median(pdf_s), pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-uncut", action="store_true",
                        help="skip the runs with the character and line bounds lifted")
    args = parser.parse_args(argv)
    bounds = {"cut": IntakeSettings()}
    if not args.no_uncut:
        bounds["uncut (words only)"] = IntakeSettings(long_update_chars=10**6,
                                                      long_update_lines=10**6)
    print("| shape | bounds | html_s | pdf_s | pages |\n| --- | --- | --- | --- | --- |")
    for name, update in SHAPES.items():
        for label, intake in bounds.items():
            if label != "cut" and name in CUT_ONLY:
                continue
            html_s, pdf_s, pages = measure(update, intake, args.reps)
            print(f"| {name} | {label} | {html_s:.2f} | {pdf_s:.2f} | {pages} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
