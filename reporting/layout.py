"""Where a run's files go: the one description of the outputs folder.

    outputs/
      archive/<sha256>.<ext>              every input read, by content
      run-notices-sent.json               the policy officer's notices of failed runs
      <period>/                           e.g. 2022-23-Q2
        receipts/<file>.txt, .html        one receipt per return file
        receipts/withdrawn.json           files that had a receipt and left the folder
        chase-list.csv                    returns still to chase
        email-sent.json                   what was mailed, so nothing goes twice
        templates/<Service area>.xlsx     pre-filled returns for the period
        .<paper>.lock                     held while a paper is being made
        <paper>/                          quarterly or six-monthly
          scrutiny-report-<period>-<paper>.pdf, .docx, .html
          flags.csv, manifest.json
          draft/                          the paper waiting for clearance, marked "Draft"
            (the same files), clearance.json   who has cleared it, and what they cleared
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from reporting.cadence import Paper
from reporting.period import Period
from reporting.wording import without_controls

CHASE_LIST_NAME = "chase-list.csv"
SENT_RECORD_NAME = "email-sent.json"
NOTICE_RECORD_NAME = "run-notices-sent.json"
FLAGS_NAME = "flags.csv"
DATA_QUALITY_NAMES = ("data-quality.html", "data-quality.csv")
MANIFEST_NAME = "manifest.json"
WITHDRAWN_NAME = "withdrawn.json"
DRAFT_FOLDER = "draft"
CLEARANCE_NAME = "clearance.json"
DOCUMENT_KINDS = ("pdf", "docx", "html")
# File systems allow 255 bytes a name; a receipt adds ".html" to the return's own name.
MAX_NAME_BYTES = 200


def safe_name(name: str) -> str:
    """Give a file name safe to write: no path, control or reordering characters, and short
    enough for any file system. A name that had to be changed, or was too long, gains a hash
    of the whole, so two names never give one file ("a\\nb.csv" is not "a_b.csv")."""
    name = Path(name).name
    shown = without_controls(re.sub(r"[\x00-\x1f/\\]", "_", name)).strip() or "return"
    if shown == name and len(shown.encode("utf-8")) <= MAX_NAME_BYTES:
        return shown
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    start = shown.encode("utf-8")[:MAX_NAME_BYTES - 13].decode("utf-8", "ignore")
    return f"{start}-{digest}"


@dataclass(frozen=True)
class OutputLayout:
    """The folders and files under one outputs folder."""

    root: Path

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    def period(self, period: Period) -> Path:
        return self.root / period.path

    def papers(self, period: Period, paper: Paper) -> Path:
        return self.period(period) / paper.value

    def document_stem(self, period: Period, paper: Paper) -> str:
        """Give the file name (without suffix) of a report's documents."""
        return f"scrutiny-report-{period.path}-{paper.value}"

    def document(self, period: Period, paper: Paper, kind: str, draft: bool = False) -> Path:
        folder = self.draft(period, paper) if draft else self.papers(period, paper)
        return folder / f"{self.document_stem(period, paper)}.{kind}"

    def draft(self, period: Period, paper: Paper) -> Path:
        """The folder of the paper waiting for clearance."""
        return self.papers(period, paper) / DRAFT_FOLDER

    def clearance_record(self, period: Period, paper: Paper) -> Path:
        return self.draft(period, paper) / CLEARANCE_NAME

    def clearance_records(self) -> list[Path]:
        """Every draft's clearance record under the outputs folder, oldest period first."""
        return sorted(self.root.glob(f"*/*/{DRAFT_FOLDER}/{CLEARANCE_NAME}"))

    def flags(self, period: Period, paper: Paper) -> Path:
        return self.papers(period, paper) / FLAGS_NAME

    def manifest(self, period: Period, paper: Paper) -> Path:
        return self.papers(period, paper) / MANIFEST_NAME

    def receipts(self, period: Period) -> Path:
        return self.period(period) / "receipts"

    def receipt(self, period: Period, file: str, kind: str) -> Path:
        """The receipt (`kind` "txt" or "html") for the return file named `file`."""
        return self.receipts(period) / f"{safe_name(file)}.{kind}"

    def templates(self, period: Period) -> Path:
        return self.period(period) / "templates"

    def chase_list(self, period: Period) -> Path:
        return self.period(period) / CHASE_LIST_NAME

    def sent_record(self, period: Period) -> Path:
        return self.period(period) / SENT_RECORD_NAME

    def notice_record(self) -> Path:
        """The sent record of the notices of failed, crashed or stuck runs."""
        return self.root / NOTICE_RECORD_NAME

    def sent_records(self, period: Period | None = None) -> list[Path]:
        """The sent records there are: the period's, else every period's (oldest first) and
        the run notices'."""
        if period is not None:
            found = [self.sent_record(period)]
        else:
            found = sorted(self.root.glob(f"*/{SENT_RECORD_NAME}")) + [self.notice_record()]
        return [path for path in found if path.is_file()]

    def periods(self) -> list[Period]:
        """The periods with a sent record or a published paper here, oldest first."""
        found = {path.parent.name for path in self.root.glob(f"*/{SENT_RECORD_NAME}")}
        found |= {path.parent.parent.name for path in self.root.glob(f"*/*/{MANIFEST_NAME}")}
        periods = []
        for name in found:
            try:
                periods.append(Period.parse(name))
            except ValueError:
                continue  # a folder of someone else's: not a period
        return sorted(periods)

    def lock(self, period: Period, paper: Paper | str) -> Path:
        """The lock held while the `paper` on `period` is made (or "receipts")."""
        name = paper.value if isinstance(paper, Paper) else paper
        return self.period(period) / f".{name}.lock"
