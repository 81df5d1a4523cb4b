"""One measurement, run in a fresh Python process so its memory peak is its own.

`benchmarks/run.py` starts this module once per size and kind of measurement, and reads the
one line it prints last: `BENCH-JSON {...}`.

    python -m benchmarks.measure stages INPUTS OUTPUTS   # library stages, then the floor
    python -m benchmarks.measure flow INPUTS OUTPUTS     # the Prefect flow, as `reporting run`
    python -m benchmarks.measure noop-flow               # Prefect start-up with a no-op flow

Memory is the resident set (RSS), which counts WeasyPrint's and Pango's C allocations as
well as Python's (tracemalloc would see only Python's). Per stage, the kernel's high-water
mark is reset before the stage (`/proc/self/clear_refs` = 5) and read after it (`VmHWM`
in `/proc/self/status`), so each stage's figure is the peak RSS of the process during that
stage. Where /proc cannot be written, the figure is the process peak so far (ru_maxrss).
"""

from __future__ import annotations

import io
import json
import resource
import sys
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import PAPER, PERIOD_LABEL  # noqa: E402

_CLEAR_REFS = Path("/proc/self/clear_refs")
_STATUS = Path("/proc/self/status")


def _status_kb(field: str) -> int | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def rss_mb() -> float:
    kb = _status_kb("VmRSS")
    return round((kb or 0) / 1024, 1)


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark for this process; tell whether that worked."""
    try:
        _CLEAR_REFS.write_text("5")
        return True
    except OSError:
        return False


def peak_mb() -> float:
    """Give the process's peak RSS since the last reset (else since it started), in MB."""
    kb = _status_kb("VmHWM")
    if kb is None:
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kb / 1024, 1)


def process_peak_mb() -> float:
    """Give the peak RSS of the whole process life (ru_maxrss is never reset), in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Stages:
    """Times each stage and records its peak RSS."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, float]] = {}
        self.exact_peaks = reset_peak()

    @contextmanager
    def stage(self, name: str):
        reset_peak()
        start, cpu = time.perf_counter(), time.process_time()
        yield
        seconds = time.perf_counter() - start
        # CPU seconds beside wall seconds: on a shared 2-core machine the wall clock also
        # counts time spent waiting for a core; CPU time shows the work itself.
        self.rows[name] = {"s": round(seconds, 3), "cpu_s": round(time.process_time() - cpu, 3),
                           "peak_mb": peak_mb(), "rss_after_mb": rss_mb()}


def _emit(result: dict) -> None:
    print("BENCH-JSON " + json.dumps(result), flush=True)


# ---- the floor ----------------------------------------------------------------------------


def docx_floor(model) -> bytes:
    """Give the bytes of a Word document holding the same text as the report, built with
    python-docx alone: the headings, the paragraphs and every table of the model (each
    priority's actions among them) with a header row, but none of the renderer's styling.
    """
    from docx import Document

    doc = Document()
    doc.add_heading(model.title, level=0)
    for text in (*model.purpose, model.recommendation, *model.summary,
                 model.exceptions_intro, model.returns_intro):
        doc.add_paragraph(text)
    for table in model.tables_in_order:
        doc.add_heading(table.caption, level=3)
        grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
        grid.style = doc.styles["Table Grid"]
        for row, values in zip(grid.rows, [table.headings, *table.rows]):
            for cell, value in zip(row.cells, values):
                cell.text = str(value).replace("\x0b", " ")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def pdf_floor(html: str, variant: str | None) -> bytes:
    """Give WeasyPrint's PDF of `html` with nothing around it (the HTML is self-contained)."""
    import weasyprint

    options = {"pdf_variant": variant} if variant else {}
    return weasyprint.HTML(string=html).write_pdf(**options)


def plain_floor(model) -> bytes:
    """Give a PDF of the paper's words set as plain paragraphs: every paragraph, and each
    table row as one paragraph, on A4 at 11pt, with no tables, badges or tagging. What
    typesetting the same words costs at the least, and how many pages they need."""
    import html as escape

    import weasyprint

    from reporting.report.model import printed_text

    paragraphs = "".join(f"<p>{escape.escape(text)}</p>"
                         for text in printed_text(model).split("\n") if text.strip())
    page = ("<html><head><style>@page { size: A4; margin: 18mm 16mm 16mm 16mm }"
            "body { font: 11pt/1.4 'Liberation Sans', sans-serif } p { margin: 0 0 2mm }"
            "</style></head><body>" + paragraphs + "</body></html>")
    return weasyprint.HTML(string=page).write_pdf()


# ---- the library pipeline, stage by stage ------------------------------------------------


def stages(inputs: Path, outputs: Path, floor: bool = True, extras: bool = True) -> dict:
    """Run the library's pipeline functions one by one, then the floor; give timings."""
    clock = time.perf_counter()
    import weasyprint

    from reporting.cadence import Paper
    from reporting.layout import OutputLayout
    from reporting.period import Period
    from reporting.pipeline import (
        prepare_report,
        publish_report,
        read_period,
        render_documents,
    )
    from reporting.render.html import render_pdf
    from reporting.render.word import render_docx
    from reporting.settings import READ_NOW, load_settings

    imports_s = time.perf_counter() - clock
    # Font discovery happens on the first render in a process; do it once, on a scrap of
    # HTML, so neither the pipeline nor the floor (which runs second) is charged for it.
    clock = time.perf_counter()
    weasyprint.HTML(string="<p>warm</p>").write_pdf()
    warmup_s = time.perf_counter() - clock

    settings = load_settings(inputs / "reporting.toml")
    period, paper = Period.parse(PERIOD_LABEL), Paper(PAPER)
    produced = datetime.now().astimezone()
    s = Stages()
    with s.stage("read plan and returns"):
        read = read_period(settings, period, inputs, READ_NOW)
    with s.stage("merge, checks and model"):
        report = prepare_report(settings, read, paper, produced)
    with s.stage("render HTML, PDF and DOCX"):
        documents = render_documents(report.model)
    with s.stage("publish"):
        publish_report(OutputLayout(outputs), read, report, documents, produced)
    model, html = report.model, documents["html"].decode("utf-8")
    pdf, docx = documents["pdf"], documents["docx"]
    pipeline_peak = max(row["peak_mb"] for row in s.rows.values())
    result = {
        "imports_s": round(imports_s, 3),
        "warmup_s": round(warmup_s, 3),
        "stages": s.rows,
        "pipeline_s": round(sum(r["s"] for r in s.rows.values()), 3),
        "pipeline_cpu_s": round(sum(r["cpu_s"] for r in s.rows.values()), 3),
        "pipeline_peak_mb": pipeline_peak,
        "exact_stage_peaks": s.exact_peaks,
        "actions": len(report.merged.progress),
        "return_files": len(read.returns),
        "usable_returns": sum(r.usable for r in read.returns),
        "flags": len(report.findings),
        "html_kb": round(len(html) / 1024),
        "pdf_kb": round(len(pdf) / 1024),
        "pdf_pages": _pages(pdf),
        "docx_kb": round(len(docx) / 1024),
    }
    if floor:
        f = Stages()
        with f.stage("floor PDF"):
            pdf_floor(html, "pdf/ua-1")
        if extras:
            with f.stage("floor PDF untagged"):
                pdf_floor(html, None)
        with f.stage("floor DOCX"):
            docx_floor(model)
        with f.stage("floor plain paragraphs"):
            plain = plain_floor(model)
        result["plain_pages"] = _pages(plain)
        result["floor"] = f.rows
        result["floor_s"] = round(f.rows["floor PDF"]["s"] + f.rows["floor DOCX"]["s"], 3)
        result["floor_cpu_s"] = round(f.rows["floor PDF"]["cpu_s"] + f.rows["floor DOCX"]["cpu_s"], 3)
    if extras:
        # What the second core gives: the Word document built in a forked process while
        # this one draws the PDF (the model is already in memory, so fork copies it free).
        clock = time.perf_counter()
        pdf2, docx2 = pdf_and_docx_concurrently(model, html, render_pdf, render_docx)
        result["pdf_docx_concurrent_s"] = round(time.perf_counter() - clock, 3)
        result["pdf_docx_sequential_s"] = s.rows["render HTML, PDF and DOCX"]["s"]
        result["concurrent_same_docx"] = len(docx2) > 0 and len(pdf2) > 0
    return result


def _docx_child(connection, model, render_docx) -> None:
    connection.send_bytes(render_docx(model))
    connection.close()


def pdf_and_docx_concurrently(model, html, render_pdf, render_docx) -> tuple[bytes, bytes]:
    """Give (PDF, DOCX), the DOCX made in a forked child while this process makes the PDF."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_docx_child, args=(sender, model, render_docx))
    child.start()
    sender.close()
    pdf = render_pdf(html)
    docx = receiver.recv_bytes()
    child.join()
    return pdf, docx


def _pages(pdf: bytes) -> int | None:
    """Give the PDF's page count (pypdf, from the test extras), or None without it."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(io.BytesIO(pdf)).pages)


# ---- the flow ----------------------------------------------------------------------------


def flow(inputs: Path, outputs: Path, runs: int = 1) -> dict:
    """Run the scrutiny-report flow as `reporting run` does; give the wall time of each run."""
    clock = time.perf_counter()
    from flows.scrutiny_report import scrutiny_report

    import_s = time.perf_counter() - clock
    times, cpu_times = [], []
    for _ in range(runs):
        clock, cpu = time.perf_counter(), time.process_time()
        scrutiny_report(period=PERIOD_LABEL, cadence=PAPER, inputs=str(inputs),
                        outputs=str(outputs), config=str(inputs / "reporting.toml"),
                        settle_seconds=0)
        times.append(round(time.perf_counter() - clock, 3))
        cpu_times.append(round(time.process_time() - cpu, 3))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"import_s": round(import_s, 3), "runs_s": times, "runs_cpu_s": cpu_times,
            "children_cpu_s": round(children.ru_utime + children.ru_stime, 3),
            "peak_mb": process_peak_mb(),
            "children_peak_mb": round(children.ru_maxrss / 1024, 1)}


def noop_flow() -> dict:
    """Time importing Prefect, a first no-op flow run (which starts the ephemeral API when
    no PREFECT_API_URL is set) and a second one in the same process."""
    clock = time.perf_counter()
    from prefect import flow as prefect_flow

    import_s = time.perf_counter() - clock

    @prefect_flow(name="bench-noop")
    def noop() -> int:
        return 1

    clock = time.perf_counter()
    noop()
    first_s = time.perf_counter() - clock
    clock = time.perf_counter()
    noop()
    second_s = time.perf_counter() - clock
    return {"import_s": round(import_s, 3), "first_flow_s": round(first_s, 3),
            "second_flow_s": round(second_s, 3)}


def main(argv: list[str]) -> int:
    kind = argv[0]
    if kind == "stages":
        _emit(stages(Path(argv[1]), Path(argv[2]), floor="--no-floor" not in argv,
                     extras="--no-extras" not in argv))
    elif kind == "flow":
        runs = int(argv[3]) if len(argv) > 3 else 1
        _emit(flow(Path(argv[1]), Path(argv[2]), runs))
    elif kind == "noop-flow":
        _emit(noop_flow())
    else:
        raise SystemExit(f"unknown measurement {kind!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
