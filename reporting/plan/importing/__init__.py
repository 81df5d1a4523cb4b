"""The plan import: a council's published plan (Word, Excel or CSV) made into our plan workbook.

Councils publish their plans as Word tables (each priority a heading row across the table),
Excel sheets or CSV files. The import keeps the council's own words and references as
written, in steps, one a module:

1. `tables`: the file's tables as rows of the texts they show, read through the bounded
   reader (`reporting.sheets`) in the guarded child process;
2. `headings` and `phrases`: what a row is (column headings, theme headings, references)
   and what its cells say (who delivers, the milestones and their dates);
3. `gather`: the rows gathered into themes and actions, table by table;
4. `rows`: those as the workbook's rows (leads, due dates, milestones, themes);
5. `written`: the workbook written and read back as a run will.

Where the file leaves something to judgement (an action with no reference, a lead picked
out of several bodies, a date read from "2022/23", a column that was not imported) the
import says so as a Decision for a person to look at: it never guesses in silence.
`reporting.intake.plan_import.import_plan` runs the steps, the first in the guarded child.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reporting.plan.importing.decision import RESAVE, Decision
from reporting.plan.importing.gather import gather
from reporting.plan.importing.rows import plan_rows
from reporting.plan.importing.tables import Table
from reporting.plan.importing.written import read_back, workbook_bytes
from reporting.plan.model import PlanError
from reporting.publish import write_atomic

SUFFIXES = (".docx", ".xlsx", ".xlsm", ".ods", ".xls", ".csv")


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote, how it read the columns, and what a person must decide."""

    out: Path
    themes: int
    actions: int
    milestones: int
    columns: tuple[tuple[str, str], ...]  # (heading in the source, plan column it became)
    decisions: tuple[Decision, ...]


def default_out(source: Path) -> Path:
    """Give where an import writes when not told: "<source name>.plan.xlsx" here."""
    return Path.cwd() / f"{Path(source).stem}.plan.xlsx"


def check_source(source: Path, out: Path, force: bool) -> None:
    """Raise PlanError, saying what to do, unless `source` can be imported into `out`."""
    if source.suffix.lower() not in SUFFIXES:
        raise PlanError(f"{source.name}: a '{source.suffix or 'no extension'}' file cannot be "
                        f"imported (.docx, .xlsx, .xlsm, .ods, .xls and .csv can); {RESAVE}")
    if not source.is_file():
        raise PlanError(f"{source}: there is no such file; give the path of the plan to import")
    if out.exists() and out.resolve() == source.resolve():
        raise PlanError(f"{source.name}: the plan workbook cannot be written over the file "
                        "it is read from; give another --out")
    if out.exists() and not force:
        raise PlanError(f"{out} is already there; pass --force to replace it, or give "
                        "another --out")


def import_tables(tables: list[Table], source: Path, out: Path) -> ImportReport:
    """Make the tables read from `source` into the plan workbook at `out`; give the report.

    Raises PlanError when no action can be read, or the workbook does not read back.
    """
    found = gather(tables, source)
    rows = plan_rows(found)
    if not rows.actions:
        raise PlanError(f"{source.name}: the table's header row was found, but no action "
                        f"under it could be read; {RESAVE}, one action a row")
    decisions = list(found.decisions)
    data = workbook_bytes(rows, source, decisions)
    decisions += read_back(data, source, decisions)
    write_atomic(out, data)
    return ImportReport(out=out, themes=len(rows.priorities), actions=len(rows.actions),
                        milestones=len(rows.milestones), columns=tuple(found.columns),
                        decisions=tuple(decisions))


__all__ = ["SUFFIXES", "Decision", "ImportReport", "Table", "check_source", "default_out",
           "import_tables"]
