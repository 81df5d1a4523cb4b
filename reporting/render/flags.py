"""flags.csv and the flags table: every finding of a report, with its file and cell.

For the policy officer who chases the data problems; the committee reads the same findings
in the paper, worded for it.
"""

from __future__ import annotations

import csv
import io

from reporting.checks import Finding
from reporting.publish import safe_cell

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


def flags_csv(findings: list[Finding]) -> bytes:
    """Give the findings as CSV bytes (UTF-8 with BOM so Excel reads it), formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FLAG_COLUMNS)
    for row in flag_rows(findings):
        writer.writerow(safe_cell(row[c]) for c in FLAG_COLUMNS)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
