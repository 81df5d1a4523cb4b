"""What officers type in cells: dates, periods, action IDs and statuses, read by one set of rules.

Returns and the plan both read their cells here, so "March 2023", "Q4 2022/23" and
"31/03/23" mean the same date wherever they are typed. Every reader gives None (or "") for
what it cannot read; whether that matters is for `reporting.checks` to say.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from reporting.period import Period, PeriodError
from reporting.status import Status, parse_status
from reporting.wording import without_controls


def cell_text(value: object) -> str:
    """Give a cell's value as the text an officer sees (dates day first, 3.0 as 3)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return without_controls(str(value)).strip()


def normalise_action_id(text: object) -> str:
    """Give the key an action reference is matched by, or "" for an empty cell.

    References are the council's own text ("1.a", "16", "G1", "2.3.1"); the key forgives
    what officers vary when they retype one: case, a leading "Action" or "Ref", spaces and
    the separator between a number and a letter ("1b", "1 . B" and "1.b" are one action),
    while "1.1" and "1.10" stay apart.
    """
    raw = re.sub(r"^\s*(action|ref|reference|no)\b\.?:?\s*(?=\S)", "", cell_text(text),
                 flags=re.I).lower()
    raw = re.sub(r"[\s.\-_–]+", ".", raw)
    raw = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", ".", raw)
    return raw.strip(".")


def natural_key(reference: str) -> tuple:
    """Sort references as people count: 2 before 16, 1.9 before 1.10, 1.a before 1.b."""
    parts = re.split(r"(\d+)", normalise_action_id(reference) or reference.lower())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)


_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    # Two digits mean this century ("23" is 2023); four are taken as written ("0001" is 1).
    year = int(text)
    return year + 2000 if len(text) <= 2 else year




def parse_period(value: object) -> Period | None:
    """Give the period an officer meant ("2022/23 Q2", "Q2 2022/23", "Quarter 2 22/23"), or None.

    A date gives the quarter it falls in.
    """
    period = _named_period(cell_text(value))
    if period is not None:
        return period
    day = parse_date(value)
    return Period.quarter_containing(day) if day else None


def _named_period(text: str) -> Period | None:
    """Give the period `text` names with its financial year, or None (never via a date)."""
    if not text:
        return None
    try:
        return Period.parse(text)
    except PeriodError:
        pass
    lower = text.lower()
    kind = re.search(r"\b(q|quarter|h|half|half[\s-]*year)\s*([1-4])\b", lower)
    year = re.search(r"\b(\d{4}|\d{2})\s*[/-]\s*(\d{4}|\d{2})\b", lower)
    if kind and year:
        start = _year(year[1])
        letter = "H" if kind[1].startswith("h") else "Q"
        try:
            return Period(start, letter, int(kind[2]))
        except PeriodError:
            return None
    return None


def _excel_serial(number: float) -> date | None:
    # A date typed into a cell formatted as a number (44926 = 31/12/2022).
    if 32874 <= number <= 73051:  # 1990 to 2100
        return date(1899, 12, 30) + timedelta(days=int(number))
    return None


_EARLIEST, _LATEST = 1990, 2100  # years a plan or return date can fall in


def parse_date(value: object) -> date | None:
    """Give the date in a cell: a real Excel date or day-first text, always UK order.

    Understands 31/03/2023, 31/03/23, 31.3.2023, 31-03-2023, 2023-03-31, 31 March 2023,
    31st Mar 2023, March 2023 (the end of the month), end of March 2023, Mar-23 and
    Q4 2022/23 (the end of the quarter). A date before 1990 or after 2100 ("01/01/0001")
    is not one a council plan means, and gives None.
    """
    day = _read_date(value)
    return day if day is not None and _EARLIEST <= day.year <= _LATEST else None


def _read_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _excel_serial(float(value))
    text = re.sub(r"\s+", " ", cell_text(value).lower()).strip(" .,")
    if not text:
        return None
    text = re.sub(r"^(by|before|due|due by|no later than|completed? by)\b:? *", "", text)
    text = re.sub(r"^(the )?end of (the )?", "", text)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    try:
        match = re.fullmatch(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4}|\d{2})", text)
        if match:
            return date(_year(match[3]), int(match[2]), int(match[1]))
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = re.fullmatch(r"(\d{1,2})[ \-]([a-z]+)[ \-,]*(\d{4}|\d{2})", text)
        if match and match[2] in _MONTHS:
            return date(_year(match[3]), _MONTHS[match[2]], int(match[1]))
        match = re.fullmatch(r"([a-z]+)[ \-,]*(\d{4}|\d{2})", text)
        if match and match[1] in _MONTHS:
            return _end_of_month(_year(match[2]), _MONTHS[match[1]])
    except ValueError:  # 31/02/2023
        return None
    if re.search(r"\b(q|quarter|h|half)\s*[1-4]\b", text):
        period = _named_period(text)
        return period.end if period else None
    return _loose_date(text)


# A season ends on the last day of its last month; winter runs into the next year.
_SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}


def _loose_date(text: str) -> date | None:
    """Give the last day of a season, financial year or calendar year ("Autumn 2025")."""
    match = re.fullmatch(r"(spring|summer|autumn|fall|winter)[ ,]*(\d{4}|\d{2})"
                         r"(?:\s*[/-]\s*(\d{4}|\d{2}))?", text)
    if match:
        year, month = _year(match[2]), _SEASON_END[match[1]]
        # "Winter 2025" and "Winter 2025/26" both end in February 2026.
        return _end_of_month(year + 1 if month == 2 else year, month)
    match = re.fullmatch(r"(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{4}|\d{2})", text)
    if match and (int(match[2]) % 100) == (int(match[1]) + 1) % 100:
        return date(int(match[1]) + 1, 3, 31)  # a financial year ends on 31 March
    match = re.fullmatch(r"(\d{4})", text)
    if match:
        return date(int(match[1]), 12, 31)
    return None


_EXACT = re.compile(r"\d{1,2}(st|nd|rd|th)?[/.\- ]+(\d{1,2}|[a-z]+)[/.\- ,]+(\d{4}|\d{2})"
                    r"|\d{4}-\d{1,2}-\d{1,2}", re.I)


def date_is_loose(value: object) -> bool:
    """Tell whether a date cell names a span ("March 2026", "Autumn 2025"), not a day."""
    if isinstance(value, (date, datetime, int, float)) and not isinstance(value, bool):
        return False
    return parse_date(value) is not None and not _EXACT.search(cell_text(value))


def read_status(text: str) -> tuple[Status | None, bool]:
    """Give the status meant by `text`, and whether it named two statuses (the worse taken)."""
    status = parse_status(text)
    if status is not None:
        parts = [p for p in re.split(r"[/\\|,&]|\bto\b", text.lower()) if p.strip()]
        return status, len({parse_status(p) for p in parts} - {None}) > 1
    # "On track (Green)", "Green - on track": the parts agree on one status.
    parts = [p for p in re.split(r"[()\[\]\-–:]", text) if p.strip()]
    found = {parse_status(p) for p in parts} - {None}
    return (found.pop(), False) if len(found) == 1 else (None, False)
