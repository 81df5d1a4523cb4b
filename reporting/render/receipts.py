"""Receipts laid out: each return's receipt as a page, and the files a run writes of them.

`reporting.report.receipts` decides what a receipt says (and gives it as plain text, for
`reporting check` and email); this module lays it out as HTML (`templates/receipt.html.j2`)
and writes `outputs/<period>/receipts/<file name>.txt` and `.html`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reporting.layout import safe_name
from reporting.publish import write_atomic
from reporting.render.pages import render_page
from reporting.report.receipts import PLAN_SKIPPED, Receipt, receipt_text


def receipt_html(receipt: Receipt, produced: datetime | None = None) -> str:
    """Give the receipt as a self-contained HTML page (every value escaped, nothing fetched)."""
    produced = produced or datetime.now()
    return render_page("receipt.html.j2", receipt=receipt, plan_skipped=PLAN_SKIPPED,
                       produced=produced.strftime("%d/%m/%Y %H:%M"))


def receipt_files(receipts: list[Receipt], folder: Path) -> dict[Path, bytes]:
    """Give each receipt's `<file name>.txt` and `.html` in `folder`, with their bytes.

    `folder` is the period's receipts folder (`outputs/<period>/receipts`); a name too long
    or strange for a file system is made safe (`reporting.layout.safe_name`).
    """
    files = {}
    for receipt in receipts:
        name = safe_name(receipt.file)
        files[Path(folder) / f"{name}.txt"] = receipt_text(receipt).encode("utf-8")
        files[Path(folder) / f"{name}.html"] = receipt_html(receipt).encode("utf-8")
    return files


def write_receipts(receipts: list[Receipt], folder: Path) -> list[Path]:
    """Write each receipt's text and HTML into `folder`; give the paths written."""
    return [write_atomic(path, data) for path, data in receipt_files(receipts, folder).items()]
