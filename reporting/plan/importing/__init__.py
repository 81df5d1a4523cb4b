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
from reporting.period import Period
from reporting.plan.importing.gather import gather
from reporting.plan.importing.headings import FIELDS, field_named
from reporting.plan.importing.rows import plan_rows
from reporting.plan.importing.tables import Table
from reporting.plan.importing.written import read_back, workbook_bytes
from reporting.plan.model import PlanError
from reporting.plan.timing import PeriodError, plan_start
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
    # Dates that read as a day but are very likely mistyped, kept as written.
    dates_to_check: tuple[Decision, ...] = ()


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


def plan_starts(text: str | None, settled: Period | None = None) -> Period | None:
    """Give the plan's start from `plan import --starts` (`text`) and `[plan] starts`
    (`settled`): the settings' wins, and the two naming different periods is an error."""
    try:
        given = plan_start(text or "")
    except PeriodError:
        raise PlanError(f"--starts {text!r} is not a period: give the plan's first quarter, "
                        "such as \"2022/23 Q1\"") from None
    if given is not None and settled is not None and given != settled:
        raise PlanError(f"--starts {given.label} is not [plan] starts in the settings "
                        f"({settled.label}); give the same period, or leave --starts out")
    return settled or given


def chosen_columns(options: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Give {heading: plan column} for `--column "HEADING=FIELD"` options; raise PlanError
    for one that is not HEADING=FIELD or names no plan column."""
    chosen = {}
    for option in options:
        heading, equals, name = option.rpartition("=")
        column = field_named(name) if equals and heading.strip() else None
        if column is None:
            raise PlanError(f"--column {option!r}: write it as \"HEADING=FIELD\", FIELD one "
                            f"of the plan's columns: {', '.join(FIELDS)}")
        chosen[heading.strip()] = column
    return chosen


def import_tables(tables: list[Table], source: Path, out: Path,
                  columns: dict[str, str] | None = None,
                  starts: Period | None = None) -> ImportReport:
    """Make the tables read from `source` into the plan workbook at `out`; give the report.

    `columns` ({heading: plan column}, from `chosen_columns`) maps headings the import does
    not know; `starts` (the plan's first period) is what "Year 1" counts from, and is
    written into the workbook. Raises PlanError when no action can be read, or the workbook
    does not read back.
    """
    found = gather(tables, source, columns)
    rows = plan_rows(found, starts)
    if not rows.actions:
        raise PlanError(f"{source.name}: the table's header row was found, but no action "
                        f"under it could be read; {RESAVE}, one action a row")
    decisions = list(found.decisions)
    data = workbook_bytes(rows, source, decisions, starts)
    more, to_check = read_back(data, source, decisions, starts)
    write_atomic(out, data)
    return ImportReport(out=out, themes=len(rows.priorities), actions=len(rows.actions),
                        milestones=len(rows.milestones), columns=tuple(found.columns),
                        decisions=tuple(decisions + more), dates_to_check=tuple(to_check))


__all__ = ["SUFFIXES", "Decision", "ImportReport", "Table", "check_source", "chosen_columns",
           "default_out", "import_tables", "plan_starts"]
