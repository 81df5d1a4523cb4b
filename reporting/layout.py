"""Where a run's files go: the one description of the outputs folder.

    outputs/
      archive/<sha256>.<ext>              every input read, by content
      <period>/                           e.g. 2022-23-Q2
        receipts/<file>.txt, .html        one receipt per return file
        chase-list.csv                    returns still to chase
        email-sent.json                   what was mailed, so nothing goes twice
        templates/<Service area>.xlsx     pre-filled returns for the period
        .<cadence>.lock                   held while a report is being made
        <cadence>/                        quarterly or six-monthly
          scrutiny-report-<period>-<cadence>.pdf, .docx, .html
          flags.csv, manifest.json
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reporting.cadence import Cadence
from reporting.period import Period

CHASE_LIST_NAME = "chase-list.csv"
SENT_RECORD_NAME = "email-sent.json"
FLAGS_NAME = "flags.csv"
MANIFEST_NAME = "manifest.json"
DOCUMENT_KINDS = ("pdf", "docx", "html")


@dataclass(frozen=True)
class OutputLayout:
    """The folders and files under one outputs folder."""

    root: Path

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    def period(self, period: Period) -> Path:
        return self.root / period.path

    def papers(self, period: Period, cadence: Cadence) -> Path:
        return self.period(period) / cadence.value

    def document_stem(self, period: Period, cadence: Cadence) -> str:
        """Give the file name (without suffix) of a report's documents."""
        return f"scrutiny-report-{period.path}-{cadence.value}"

    def document(self, period: Period, cadence: Cadence, kind: str) -> Path:
        return self.papers(period, cadence) / f"{self.document_stem(period, cadence)}.{kind}"

    def flags(self, period: Period, cadence: Cadence) -> Path:
        return self.papers(period, cadence) / FLAGS_NAME

    def manifest(self, period: Period, cadence: Cadence) -> Path:
        return self.papers(period, cadence) / MANIFEST_NAME

    def receipts(self, period: Period) -> Path:
        return self.period(period) / "receipts"

    def templates(self, period: Period) -> Path:
        return self.period(period) / "templates"

    def chase_list(self, period: Period) -> Path:
        return self.period(period) / CHASE_LIST_NAME

    def sent_record(self, period: Period) -> Path:
        return self.period(period) / SENT_RECORD_NAME

    def lock(self, period: Period, cadence: Cadence | str) -> Path:
        """The lock held while the `cadence` report on `period` is made (or "receipts")."""
        name = cadence.value if isinstance(cadence, Cadence) else cadence
        return self.period(period) / f".{name}.lock"
