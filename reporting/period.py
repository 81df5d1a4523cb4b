"""Reporting periods in the UK council financial year (April to March).

Q1 = April-June, Q2 = July-September, Q3 = October-December, Q4 = January-March;
H1 = Q1+Q2, H2 = Q3+Q4. A period has one text form for people ("2022/23 Q2") and one
for paths ("2022-23-Q2").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from reporting.errors import ReportingError

_MONTH_NAMES = list(calendar.month_name)

# Accepts "2022/23 Q2", "2022/23-Q2", "2022-23-Q2", "2022/2023 Q2", "2022-23 H1".
PERIOD_PATTERN = re.compile(
    r"^\s*(?P<start>\d{4})\s*[/-]\s*(?P<end>\d{2}|\d{4})\s*[\s_-]?\s*(?P<kind>[QqHh])(?P<n>\d)\s*$"
)

# A financial year alone: "2022/23", "2022/2023".
_FINANCIAL_YEAR = re.compile(r"\d{4}\s*/\s*\d{2,4}")


class PeriodError(ReportingError, ValueError):
    """A period string that is not in one of the accepted forms."""


@dataclass(frozen=True, order=True)
class Period:
    """A quarter (Q1-Q4) or a half (H1, H2) of the financial year starting in April of `year`."""

    year: int
    kind: str  # "Q" or "H"
    number: int

    def __post_init__(self) -> None:
        if self.kind not in ("Q", "H"):
            raise PeriodError(f"period kind must be Q or H, not {self.kind!r}")
        top = 4 if self.kind == "Q" else 2
        if not 1 <= self.number <= top:
            raise PeriodError(f"{self.kind}{self.number} is not a period: use Q1-Q4 or H1-H2")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Give the period named by `2022/23 Q2`, `2022/23-Q2` or `2022-23-Q2`."""
        match = PERIOD_PATTERN.match(str(text))
        if not match:
            raise PeriodError(
                f"{text!r} is not a period: write it as 2022/23 Q2 (or 2022-23-Q2)"
            )
        start = int(match["start"])
        end = match["end"]
        expected_end = start + 1
        if int(end) != (expected_end if len(end) == 4 else expected_end % 100):
            raise PeriodError(
                f"{text!r} is not a financial year: {start} is followed by {expected_end}"
            )
        return cls(start, match["kind"].upper(), int(match["n"]))

    @classmethod
    def of_plan(cls, text: str, year_quarter: int = 1) -> Period | None:
        """Give the quarter a plan's start or end names ("2022/23 Q2"), where a financial
        year alone ("2022/23") is its `year_quarter` (Q1 for a start, Q4 for an end); None
        for no words. Raises PeriodError for words that are not a period."""
        text = (text or "").strip()
        if not text:
            return None
        if _FINANCIAL_YEAR.fullmatch(text):
            text = f"{text} Q{year_quarter}"
        return cls.parse(text)

    @classmethod
    def quarter_containing(cls, day: date) -> Period:
        """Give the quarter that `day` falls in."""
        year = day.year if day.month >= 4 else day.year - 1
        quarter = (day.month - 4) % 12 // 3 + 1
        return cls(year, "Q", quarter)

    @classmethod
    def last_ended_before(cls, day: date) -> Period:
        """Give the last quarter that ended before `day`: the one a scheduled run reports on."""
        return cls.quarter_containing(day).previous()

    @property
    def financial_year(self) -> str:
        """The year as people write it: 2022/23."""
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        """The canonical text form: 2022/23 Q2."""
        return f"{self.financial_year} {self.kind}{self.number}"

    @property
    def path(self) -> str:
        """The canonical path form: 2022-23-Q2."""
        return f"{self.year}-{(self.year + 1) % 100:02d}-{self.kind}{self.number}"

    @property
    def months(self) -> int:
        return 3 if self.kind == "Q" else 6

    @property
    def start(self) -> date:
        """The first day of the period."""
        month_index = (self.number - 1) * self.months  # months after April
        year = self.year + (3 + month_index) // 12
        month = (3 + month_index) % 12 + 1
        return date(year, month, 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        month_index = self.number * self.months - 1
        year = self.year + (3 + month_index) // 12
        month = (3 + month_index) % 12 + 1
        return date(year, month, calendar.monthrange(year, month)[1])

    @property
    def description(self) -> str:
        """The label with its months: 2022/23 Q2 (July to September 2022)."""
        first, last = self.start, self.end
        if first.year == last.year:
            span = f"{_MONTH_NAMES[first.month]} to {_MONTH_NAMES[last.month]} {last.year}"
        else:
            span = (
                f"{_MONTH_NAMES[first.month]} {first.year} to "
                f"{_MONTH_NAMES[last.month]} {last.year}"
            )
        return f"{self.label} ({span})"

    def previous(self) -> Period:
        """Give the period of the same kind just before this one."""
        if self.number > 1:
            return Period(self.year, self.kind, self.number - 1)
        return Period(self.year - 1, self.kind, 4 if self.kind == "Q" else 2)

    def following(self) -> Period:
        """Give the period of the same kind just after this one."""
        if self.number < (4 if self.kind == "Q" else 2):
            return Period(self.year, self.kind, self.number + 1)
        return Period(self.year + 1, self.kind, 1)

    def half(self) -> Period:
        """Give the half-year a quarter belongs to (a half gives itself)."""
        if self.kind == "H":
            return self
        return Period(self.year, "H", 1 if self.number <= 2 else 2)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label
