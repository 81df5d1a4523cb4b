"""`import_plan`: a council's published plan read in the guarded child, then made our workbook.

The import's steps are the plan's own (`reporting.plan.importing`). What is here is the one
thing they cannot do from the plan's row: have the file's tables read in the child process
that reads returns (`reporting.intake.isolated`), so a file built to hurt a native reader
stops the child, not the command. A published file is untrusted: it is checked with the same
bounds as a return, and the source file is never changed.
"""

from __future__ import annotations

import re
from pathlib import Path

from reporting.intake.isolated import IsolatedReader
from reporting.period import Period
from reporting.plan.importing import ImportReport, check_source, default_out, import_tables
from reporting.plan.importing.decision import RESAVE
from reporting.plan.importing.tables import Table, read_tables
from reporting.plan.model import PlanError
from reporting.settings import READ_NOW, IntakeSettings
from reporting.sheets.bounds import Unreadable

_GUARDED = ("reader stop", "seconds to read", "needed more")  # what only the child says


def _refused(source: Path, why: Unreadable) -> PlanError:
    """Give the PlanError for a file the reader refused, worded for a plan: a plan is
    imported, not sent, and the bounds are worded for returns."""
    message = re.sub(r"\breturn\b", "plan", why.message)
    fix = why.fix.replace("send it again", "import it again")
    fix = RESAVE if re.search(r"\breturn\b|\bsend\b", fix) else fix
    how = "could not be read safely" if any(w in message for w in _GUARDED) \
        else "cannot be imported"
    return PlanError(f"{source.name} {how}: {message}; {fix}")


def _read(source: Path, settings: IntakeSettings) -> list[Table]:
    """Give the source's tables, read in the guarded child process."""
    with IsolatedReader(settings) as reader:
        tables = reader.read(source, read_tables, "plan")
    if isinstance(tables, Unreadable):
        raise _refused(source, tables)
    return tables


def import_plan(source: Path, out: Path | None = None, *, force: bool = False,
                settings: IntakeSettings = READ_NOW, columns: dict[str, str] | None = None,
                starts: Period | None = None) -> ImportReport:
    """Read a published plan (Word, Excel or CSV) and write it as our plan workbook.

    `out` defaults to "<source name>.plan.xlsx" in the current folder, and is never
    written over without `force`. `columns` ({heading: plan column}) maps headings the
    import does not know; `starts` is the plan's first period ("Year 1" counts from it).
    The source is only read. Raises PlanError, naming the file and what to do, when it
    cannot be imported.
    """
    source = Path(source)
    out = Path(out) if out is not None else default_out(source)
    check_source(source, out, force)
    return import_tables(_read(source, settings), source, out, columns, starts)
