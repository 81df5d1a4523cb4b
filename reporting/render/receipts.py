"""Receipts laid out: each return's receipt as a page, and the files a run writes of them.

`reporting.report.receipts` decides what a receipt says (and gives it as plain text, for
`reporting check` and email); this module lays it out as HTML (`templates/receipt.html.j2`)
and writes `outputs/<period>/receipts/<file name>.txt` and `.html`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from reporting.layout import WITHDRAWN_NAME, safe_name
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
        text, html = _receipt_names(receipt)
        files[Path(folder) / text] = receipt_text(receipt).encode("utf-8")
        files[Path(folder) / html] = receipt_html(receipt).encode("utf-8")
    return files


def write_receipts(receipts: list[Receipt], folder: Path) -> list[Path]:
    """Write each receipt's text and HTML into `folder`, removing the receipts of files no
    longer there (recorded as withdrawn); give the paths written."""
    gone, stale = withdrawn(receipts, folder)
    written = [write_atomic(path, data) for path, data in receipt_files(receipts, folder).items()]
    remove_withdrawn(folder, gone, stale)
    return written


def _receipt_names(receipt: Receipt) -> tuple[str, str]:
    name = safe_name(receipt.file)
    return f"{name}.txt", f"{name}.html"


def _written_for(path: Path) -> str:
    """Give the file name an earlier receipt was written for (its first line says)."""
    try:
        first = path.read_text("utf-8", "replace").partition("\n")[0]
    except OSError:
        first = ""
    return first.removeprefix("Receipt for ") if first.startswith("Receipt for ") else path.stem


def withdrawn(receipts: list[Receipt], folder: Path) -> tuple[list[str], list[Path]]:
    """Give the files withdrawn from the period, and the receipt files in `folder` to remove.

    Withdrawn are the files an earlier run wrote a receipt for (or recorded as withdrawn in
    `withdrawn.json`) that are not among `receipts` now; a file put back is not.
    """
    folder = Path(folder)
    current = {name for receipt in receipts for name in _receipt_names(receipt)}
    stale = sorted(p for p in folder.glob("*") if p.suffix in (".txt", ".html")
                   and not p.name.startswith(".") and p.name not in current)
    names = set(_recorded(folder))
    names.update(_written_for(p) for p in stale if p.suffix == ".txt")
    names.difference_update(r.file for r in receipts)
    return sorted(names), stale


def _recorded(folder: Path) -> list[str]:
    try:
        return [str(n) for n in json.loads((folder / WITHDRAWN_NAME).read_text("utf-8"))]
    except (OSError, ValueError, TypeError):
        return []


def remove_withdrawn(folder: Path, names: list[str], stale: list[Path]) -> None:
    """Record `names` as withdrawn in `folder` and remove their old receipt files `stale`."""
    if names or (Path(folder) / WITHDRAWN_NAME).exists():
        write_atomic(Path(folder) / WITHDRAWN_NAME,
                     json.dumps(names, indent=1, ensure_ascii=False).encode("utf-8"))
    for path in stale:
        path.unlink(missing_ok=True)
