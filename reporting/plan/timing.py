"""When a plan says an action is due, in the words plans use beyond dates: "Ongoing",
"Year 1", "Years 1-3".

An ongoing action has no due date: it reports every period and is never overdue, and the
paper shows "Ongoing". "Year 1" is the financial year that holds the plan's start (`[plan]
starts`, or the Plan sheet's Starts, a period such as "2022/23 Q1"); "Year 2" the one after.
Without a start a relative year gives no date, and a person is told: it is never guessed.
"""

from __future__ import annotations

import re
from datetime import date

from reporting.period import Period, PeriodError

_ONGOING = re.compile(r"(?:on-?going|continuous(?:ly)?|throughout(?: the plan)?|"
                      r"every (?:year|quarter)|annually|all years)\W*", re.I)
_NUMBERS = {w: n for n, w in enumerate("one two three four five six seven eight nine ten"
                                       .split(), start=1)}
_RELATIVE = re.compile(r"(?:by |in |end of )?(?:the )?years?\s*(?P<first>\d{1,2}|"
                       + "|".join(_NUMBERS) + r")(?:\s*(?:-|–|to|and|&)\s*(?:year\s*)?"
                       r"(?P<last>\d{1,2}|" + "|".join(_NUMBERS) + r"))?\b", re.I)


def is_ongoing(words: str) -> bool:
    """Tell whether a By when says the action goes on with no end ("Ongoing")."""
    return bool(_ONGOING.fullmatch(words.strip()))


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBERS[text.lower()]


def relative_year(words: str) -> int | None:
    """Give the plan year a By when names ("Year 1" is 1, "Years 1-3" 3, "year 1 (2022 to
    23)" 1), or None when it names none."""
    match = _RELATIVE.match(words.strip())
    if not match:
        return None
    return _number(match["last"] or match["first"])


def plan_year_end(starts: Period, year: int) -> date:
    """Give the last day of plan year `year`: Year 1 is the financial year holding `starts`."""
    return date(starts.year + year, 3, 31)


def plan_start(text: str) -> Period | None:
    """Give the period a plan's start names ("2022/23 Q1"); None for none; raises
    PeriodError for words that are not a period."""
    return Period.of_plan(text, 1)  # a financial year starts in its Q1


__all__ = ["PeriodError", "is_ongoing", "plan_start", "plan_year_end", "relative_year"]
