"""Receipts: for every return file read, what was accepted and what the officer should fix.

One receipt per file, as plain text (for `reporting check` and email) and as a small HTML
page (`outputs/<period>/receipts/<file name>.txt` and `.html`). Everything in a receipt
that came from the file is escaped; the page loads nothing from anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path

from reporting.report.merge import choose_returns
from reporting.services import service_key
from reporting.publish import write_atomic
from reporting.intake.returns import Note, Problem, Return, stale_problems
from reporting.wording import long_date, plural


@dataclass(frozen=True)
class Receipt:
    """What one receipt says, already decided; `text` and `html` only lay it out."""

    file: str
    outcome: str  # "Accepted", "Accepted with problems", "Not used", "Not read yet", "Superseded"
    summary: str
    details: tuple[tuple[str, str], ...]  # (label, value) from the return's header
    problems: tuple[Problem, ...]
    notes: tuple[Note, ...]
    usable: bool


def build_receipt(ret: Return, superseded_by: Return | None = None,
                  previous: list[Return] | None = None) -> Receipt:
    """Give the Receipt for one return (`superseded_by` the newer file used in its place)."""
    problems = list(ret.problems)
    if ret.usable and previous:
        problems += stale_problems(ret, previous)
    if ret.settling:
        outcome = "Not read yet"
        summary = "This file was still changing when the run started, so it was not read this run."
    elif not ret.usable:
        outcome = "Not used"
        summary = "This file cannot be used at all, so the report treats it as not received."
    else:
        ids = ret.action_ids
        accepted = (f"{plural(len(ret.rows), 'row')} on {plural(len(ids), 'action')}"
                    + (f" ({', '.join(ids)})" if ids else ""))
        if superseded_by is not None:
            outcome = "Superseded"
            summary = (f"Read {accepted}, but {superseded_by.file} from the same service area "
                       "is newer and is the one used; this file is kept on record.")
        else:
            outcome = "Accepted with problems" if problems else "Accepted"
            summary = f"Accepted {accepted}."
    details = tuple((label, value) for label, value in (
        ("Service area", ret.service_area), ("Period", ret.period_text),
        ("Completed by", ret.completed_by), ("Approved by", ret.approved_by),
        ("Date completed", long_date(ret.date_completed)), ("Sheet", ret.sheet),
    ) if value)
    return Receipt(ret.file, outcome, summary, details, tuple(problems), ret.notes, ret.usable)


def receipt_text(receipt: Receipt) -> str:
    """Give the receipt as plain text."""
    lines = [f"Receipt for {receipt.file}", f"Outcome: {receipt.outcome}", receipt.summary, ""]
    lines += [f"{label}: {value}" for label, value in receipt.details]
    if receipt.problems:
        lines += ["", f"Problems ({len(receipt.problems)}):"]
        for p in receipt.problems:
            where = p.where or "whole file"
            code = f" [{p.code}]" if p.code else ""
            lines.append(f"- {where}: {p.message}.{code}")
            if p.fix:
                lines.append(f"  What to do: {p.fix[0].upper()}{p.fix[1:]}.")
    else:
        lines += ["", "Problems: none."]
    if receipt.notes:
        lines += ["", "Notes:"]
        lines += [f"- {n.where + ': ' if n.where else ''}{n.message}." for n in receipt.notes]
    return "\n".join(lines) + "\n"


_STYLE = """body{font-family:Arial,Helvetica,sans-serif;max-width:52em;margin:2em auto;color:#111}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .5em;text-align:left;
vertical-align:top}.outcome{font-weight:bold}"""


def receipt_html(receipt: Receipt) -> str:
    """Give the receipt as a self-contained HTML page (every value escaped, nothing fetched)."""
    e = escape
    parts = [
        "<!DOCTYPE html>", '<html lang="en-GB"><head><meta charset="utf-8">',
        # Even if something slipped through escaping, the page may load and run nothing.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        f"<title>Receipt for {e(receipt.file)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Receipt for {e(receipt.file)}</h1>",
        f"<p class=\"outcome\">Outcome: {e(receipt.outcome)}</p><p>{e(receipt.summary)}</p>",
    ]
    if receipt.details:
        parts.append("<table>" + "".join(
            f"<tr><th scope=\"row\">{e(k)}</th><td>{e(v)}</td></tr>" for k, v in receipt.details)
            + "</table>")
    if receipt.problems:
        parts.append(f"<h2>Problems ({len(receipt.problems)})</h2><table><tr><th>Where</th>"
                     "<th>What is wrong</th><th>What to do</th><th>Report flag</th></tr>")
        for p in receipt.problems:
            parts.append(f"<tr><td>{e(p.where or 'whole file')}</td><td>{e(p.message)}</td>"
                         f"<td>{e(p.fix)}</td><td>{e(p.code)}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<h2>Problems</h2><p>None.</p>")
    if receipt.notes:
        parts.append("<h2>Notes</h2><ul>" + "".join(
            f"<li>{e(n.where + ': ' if n.where else '')}{e(n.message)}</li>"
            for n in receipt.notes) + "</ul>")
    parts.append(f"<p><small>Produced {e(datetime.now().strftime('%d/%m/%Y %H:%M'))}"
                 "</small></p></body></html>")
    return "\n".join(parts) + "\n"


def build_receipts(returns: list[Return], previous: list[Return] | None = None) -> list[Receipt]:
    """Give a Receipt for each return, saying which superseded which."""
    chosen = choose_returns(list(returns))
    receipts = []
    for ret in returns:
        used = chosen.get(service_key(ret.service_area))
        newer = used if ret.usable and used is not None and used is not ret else None
        receipts.append(build_receipt(ret, newer, previous))
    return receipts


def write_receipts(returns: list[Return], folder: Path,
                   previous: list[Return] | None = None) -> list[Path]:
    """Write `<file name>.txt` and `.html` into `folder` for each return; give the paths written.

    `folder` is the period's receipts folder (`outputs/<period>/receipts`); `previous` is
    last period's returns, for saying which updates repeat it.
    """
    written = []
    for receipt in build_receipts(returns, previous):
        name = Path(receipt.file).name  # a file name from a folder listing, never a path
        written.append(write_atomic(Path(folder) / f"{name}.txt",
                                    receipt_text(receipt).encode("utf-8")))
        written.append(write_atomic(Path(folder) / f"{name}.html",
                                    receipt_html(receipt).encode("utf-8")))
    return written
