"""Plan dates that read as a day but are very likely mistyped: said for a person, never changed.

A plan's officer types its dates by hand, and "31/03/2202" or "30/06/1926" read as real days.
No check can know what was meant, so a date is only listed, with what to check, when:

- its year is far from the plan's: more than FAR_YEARS from the year the plan starts in
  (`[plan] starts`) and from the middle of the plan's dates (when it has three or more);
- it falls before the plan starts;
- it is a milestone's, and after its action's own due date.

A date counted from the plan's start ("Year 2") is the plan's own reckoning and is not judged
for its year. The rule is used by `reporting.plan.workbook`, so `reporting plan check` and
`reporting plan import` (which reads back what it wrote) list the same dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median

from reporting.cells import year_no_plan_means
from reporting.period import Period
from reporting.wording import long_date

# How many years a date may be from the plan's start, or from the middle of its dates.
FAR_YEARS = 5


@dataclass(frozen=True)
class DatedCell:
    """One date of a plan workbook: where it is, whose it is, the day and its words."""

    sheet: str
    row: int
    column: str  # "C (Due date)"
    action: str  # the action's reference, as written
    milestone: str  # the milestone's words; "" for the action's own due date
    day: date
    written: str  # the cell as written ("31/03/2202", "Autumn 2025")
    counted: bool = False  # counted from the plan's start ("Year 2"): not judged for its year

    @property
    def what(self) -> str:
        if self.milestone:
            words = self.milestone if len(self.milestone) <= 60 else self.milestone[:57] + "..."
            return f"milestone '{words}' of action {self.action}"
        return f"action {self.action}"


@dataclass(frozen=True)
class MistypedDate:
    """A date to check: the cell, why it looks mistyped, and what to check."""

    cell: DatedCell
    why: str
    check: str

    @property
    def message(self) -> str:
        return f"{self.cell.what} is due '{self.cell.written}', {self.why}"

    def __str__(self) -> str:
        return f"sheet '{self.cell.sheet}', row {self.cell.row}, column {self.cell.column}: " \
               f"{self.message}; {self.check}"


_KEPT = "the date is kept as written until it is changed in the plan workbook"


def _far(cell: DatedCell, starts: Period | None, middle: float | None) -> str:
    """Say how a date's year is far from the plan's, or "" when it is not."""
    if cell.counted:
        return ""
    year = cell.day.year
    anchors = [a for a in ((starts.start.year if starts else None), middle) if a is not None]
    if not anchors or any(abs(year - a) <= FAR_YEARS for a in anchors):
        return ""
    said = [f"the plan starts in {starts.label}"] if starts else []
    said += [f"its dates are around {round(middle)}"] if middle is not None else []
    return f"the year {year} is far from the plan's ({' and '.join(said)})"


def not_a_date(words: str, fix: str) -> str:
    """Give what to do with words that are not a date: `fix`, unless they read as a day in a
    year no plan means ("31/03/2202"), when it is to check that year."""
    year = year_no_plan_means(words)
    return fix if year is None else (f"it reads as a day in {year}, a year no plan means: "
                                     "check the year and write the date meant")


def mistyped_dates(cells: Sequence[DatedCell], starts: Period | None = None
                   ) -> list[MistypedDate]:
    """Give the dates among `cells` that are very likely mistyped, each with what to check, in
    the cells' order. `starts` is the plan's first period, when known."""
    years = [c.day.year for c in cells if not c.counted]
    middle = median(years) if len(years) >= 3 else None
    due = {c.action: c for c in cells if not c.milestone}
    found = []
    for cell in cells:
        far = _far(cell, starts, middle)
        own = due.get(cell.action) if cell.milestone else None
        if far:
            found.append(MistypedDate(cell, far, f"check the year; {_KEPT}"))
        elif starts is not None and cell.day < starts.start and not cell.counted:
            found.append(MistypedDate(
                cell, f"before the plan starts ({starts.label}, from {long_date(starts.start)})",
                f"check the year, or whether it is done already; {_KEPT}"))
        elif own is not None and cell.day > own.day:
            found.append(MistypedDate(
                cell, f"after the action's own due date, '{own.written}' ({long_date(own.day)})",
                f"check which of the two is meant (sheet '{own.sheet}', row {own.row}); {_KEPT}"))
    return found


__all__ = ["FAR_YEARS", "DatedCell", "MistypedDate", "mistyped_dates", "not_a_date"]
