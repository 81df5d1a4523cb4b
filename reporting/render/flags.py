"""flags.csv and the flags table: every finding of a report, with its file and cell.

For the policy officer who chases the data problems; the committee reads the same findings
in the paper, worded for it.
"""

from __future__ import annotations

import csv
import io
from html import escape

from reporting.checks import Finding
from reporting.publish import safe_cell
from reporting.report.receipts import scrolling

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
    officer (every value escaped, nothing fetched); `late` leads it when the paper is late."""
    rows = data_quality_rows(findings)
    e = escape
    body = "".join(
        "<tr>" + "".join(f"<td>{e(row[c])}</td>" for c in DATA_QUALITY_COLUMNS) + "</tr>"
        for row in rows)
    table = scrolling("Findings", (
        f"<table><caption>{len(rows)} findings about the returns and the plan</caption>"
        "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in _HEADINGS)
        + f"</tr></thead><tbody>{body}</tbody></table>")) if rows \
        else "<p>No findings about the returns or the plan.</p>"
    page = (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        f"<title>Data-quality note: {e(title)}</title><style>{_STYLE}</style></head><body>"
        f"<main><h1>Data-quality note: {e(title)}</h1>"
        + (f'<p class="late">{e(late)}</p>' if late else "")
        + "<p>For the policy officer: what to put right in the returns and the plan. The "
          "committee paper shows only delivery exceptions; flags.csv lists every finding.</p>"
        + table + "</main></body></html>\n")
    return page.encode("utf-8")


_STYLE = ("body{font-family:Arial,Helvetica,sans-serif;margin:2em;color:#111}"
          ".table-scroll{overflow-x:auto}.table-scroll:focus{outline:3px solid #111}"
          "table{border-collapse:collapse}td,th{border:1px solid #666;padding:.3em .5em;"
          "text-align:left;vertical-align:top}.late{font-weight:bold}")
