"""flags.csv and the flags table: every finding of a report, with its file and cell.

For the policy officer who chases the data problems; the committee reads the same findings
in the paper, worded for it.
"""

from __future__ import annotations

import csv
import io

from reporting.checks import Finding
from reporting.publish import safe_cell
from reporting.render.pages import render_page

FLAG_COLUMNS = ("code", "severity", "action_id", "service_area", "message", "source")
# No value in flags.csv runs past this; the archived return holds the whole of any text.
MAX_CHARS = 4000


def _bounded(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    return text[:MAX_CHARS] + " ... [cut: the full text is in the archived return]"


def flag_rows(findings: list[Finding]) -> list[dict[str, str]]:
    """Give each finding as a row of FLAG_COLUMNS, every value as text."""
    return [{"code": f.code, "severity": f.severity.word, "action_id": _bounded(f.action_id),
             "service_area": _bounded(f.service_area), "message": _bounded(f.message),
             "source": _bounded(f.source)}
            for f in findings]


def _csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    """Give `rows` as CSV bytes (UTF-8 with BOM so Excel reads it), formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(safe_cell(row[c]) for c in columns)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def flags_csv(findings: list[Finding]) -> bytes:
    """Give every finding as flags.csv."""
    return _csv(FLAG_COLUMNS, flag_rows(findings))


# The data-quality note: what the policy officer puts right before the next round, with the
# file and cell of each finding and what to do. The committee paper holds none of it.
DATA_QUALITY_COLUMNS = ("severity", "code", "service_area", "action_id", "file", "cell",
                        "what_is_wrong", "what_to_do")
_HEADINGS = ("Severity", "Flag", "Service area", "Action", "File", "Cell", "What is wrong",
             "What to do")


def data_quality_rows(findings: list[Finding]) -> list[dict[str, str]]:
    """Give each finding about the data (not delivery) as a row of DATA_QUALITY_COLUMNS."""
    return [{"severity": f.severity.word, "code": f.code, "service_area": f.service_area,
             "action_id": f.action_id, "file": f.file, "cell": f.cell,
             "what_is_wrong": _bounded(f.officer or f.message), "what_to_do": _bounded(f.fix)}
            for f in findings if f.data_quality]


def data_quality_csv(findings: list[Finding]) -> bytes:
    """Give the data-quality note as CSV."""
    return _csv(DATA_QUALITY_COLUMNS, data_quality_rows(findings))


def data_quality_html(findings: list[Finding], title: str, late: str = "") -> bytes:
    """Give the data-quality note as a self-contained, accessible HTML page for the policy
    officer (`templates/data-quality.html.j2`: every value escaped, nothing fetched); `late`
    leads it when the paper is late."""
    page = render_page("data-quality.html.j2", title=title, late=late,
                       rows=data_quality_rows(findings), columns=DATA_QUALITY_COLUMNS,
                       headings=_HEADINGS)
    return page.encode("utf-8")
