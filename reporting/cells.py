"""What officers type in cells: dates, periods, action IDs and statuses, read by one set of rules.

Returns and the plan both read their cells here, so "March 2023", "Q4 2022/23" and
"31/03/23" mean the same date wherever they are typed. Every reader gives None (or "") for
what it cannot read; whether that matters is for `reporting.checks` to say.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from reporting.period import Period, PeriodError
from reporting.status import Status, parse_status
from reporting.wording import long_date, without_controls


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


# Letters from other scripts that look like Latin ones in a reference (a Cyrillic "с" in
# "5.с" looks like 5.c): NFKC folds the full-width forms, but not these.
_LOOK_ALIKES = str.maketrans(
    "асеорхуікмнвтјѕԁһАСЕОРХУІКМНВТЈЅаοαρτνιкΑΒΕΗΙΚΜΝΟΡΤΧΥΖ",
    "aceopxyikmhbtjsdhACEOPXYIKMHBTJSaoaptvikABEHIKMNOPTXYZ")


def foreign_letters(text: str) -> list[tuple[str, str]]:
    """Give each letter of `text` that is not a Latin one, with its script ("с" ->
    "Cyrillic"): in an action reference they are look-alikes an officer cannot see."""
    found = []
    for char in dict.fromkeys(text):
        if char.isalpha() and not char.isascii():
            name = unicodedata.name(char, "")
            if not name.startswith("LATIN"):
                found.append((char, name.split(" ")[0].capitalize() if name else "unknown"))
    return found


def fold_look_alikes(text: str) -> str:
    """Give `text` with full-width forms and the common look-alike letters of other scripts
    read as the Latin letters they look like ("5.с" with a Cyrillic с -> "5.c")."""
    return unicodedata.normalize("NFKC", text).translate(_LOOK_ALIKES)


def normalise_action_id(text: object) -> str:
    """Give the key an action reference is matched by, or "" for an empty cell.

    References are the council's own text ("1.a", "16", "G1", "2.3.1"); the key forgives
    what officers vary when they retype one: case, a leading "Action" or "Ref", spaces and
    the separator between a number and a letter, any dash or dot ("1b", "1 . B", "1‐b" and
    "1.b" are one action), while "1.1" and "1.10" stay apart.
    """
    raw = re.sub(r"^\s*(action|ref|reference|no)\b\.?:?\s*(?=\S)", "",
                 fold_look_alikes(cell_text(text)), flags=re.I).lower()
    raw = re.sub(r"[\s.\-_\u2010-\u2015\u2212]+", ".", raw)  # any dash: "3‐a", "3–a", "3−a"
    raw = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", ".", raw)
    return raw.strip(".")


def comma_readings(text: str) -> tuple[str, ...]:
    """Give what an action reference typed with a comma may mean, the comma read as a dot
    first ("B4,3": B4.3, as a keypad or a locale with a decimal comma types it; then B43, a
    slip; then B4 and 3, a list); () for one without a comma. Which of them the plan holds
    is for the plan to say (`Plan.meant_by`)."""
    text = cell_text(text)
    if "," not in text:
        return ()
    parts = [part.strip() for part in text.split(",") if part.strip()]
    return tuple(dict.fromkeys((text.replace(",", "."), text.replace(",", ""), *parts)))


# Brackets and quotes an officer may put round a reference, and the punctuation a list or
# a sentence leaves after one ("(6.d)", "'6.b'", "6.b;", "6.b:").
_PAIRS = {"(": ")", "[": "]", "{": "}", "<": ">", '"': '"', "'": "'", "\u2018": "\u2019",
          "\u201c": "\u201d", "\u00ab": "\u00bb"}
_QUOTES = "\"'\u2018\u2019\u201c\u201d\u00ab\u00bb"
_AFTER = ";:,.!?*#|/\\-_\u2013\u2014"
# Between references one row names together ("1.c/1.d", "1.c & 1.d", "1.c and 1.d").
_LIST = re.compile(r"\s*(?:[/&+;,\n]|\band\b)\s*", re.I)


def _trimmed(text: str) -> str:
    """Give `text` with the brackets and quotes round it and the punctuation after it left out."""
    before = None
    while text != before:
        before = text
        text = text.strip().strip(_QUOTES).rstrip(_AFTER).strip()
        if len(text) > 1 and _PAIRS.get(text[0]) == text[-1]:
            text = text[1:-1]
    return text


def _left_out(text: str, kept: str) -> str:
    """Say what reading `text` as `kept` left out ("the brackets round it")."""
    start = text.find(kept)
    before, after = text[:start].strip(), text[start + len(kept):].strip()
    if before and after and _PAIRS.get(before[-1]) == after[0]:
        return "the brackets round it left out" if before[-1] in "([{<" \
            else "the quotes round it left out"
    said = [f"the '{before}' before it" if before else "", f"the '{after}' after it" if after else ""]
    return f"{' and '.join(filter(None, said))} left out"


def trimmed_readings(text: object) -> tuple[tuple[str, str], ...]:
    """Give what an action reference with something round it may mean, each with how it was
    read: first with the brackets, quotes and punctuation round it left out ("(6.d)",
    "6.b;": 6.d, 6.b), then the reference it starts with, before a bracket or words ("6.b
    (Physical activity pathway)": 6.b), longest first; () for one with nothing round it.
    Which of them the plan holds is for the plan to say (`Plan.meant_by`)."""
    text = cell_text(text)
    found: dict[str, str] = {}
    core = _trimmed(text)
    if core and core != text:
        found[core] = _left_out(text, core)
    words = re.split(r"[(\[{<:]", core, maxsplit=1)[0].split()
    for count in range(len(words), 0, -1):
        head = _trimmed(" ".join(words[:count]))
        if head and head not in (text, core):
            found.setdefault(head, "the reference it starts with")
    return tuple(found.items())


def listed_references(text: object) -> tuple[str, ...]:
    """Give the references a cell names together ("1.c/1.d", "1.c, 1.d", "1.c and 1.d":
    1.c and 1.d), or () for one naming no more than one."""
    parts = [_trimmed(part) for part in _LIST.split(_trimmed(cell_text(text)))]
    parts = [part for part in parts if part]
    return tuple(parts) if len(parts) > 1 else ()


def example_day(period: Period) -> str:
    """Give the day an example for officers writes, as they should write it: the last day of
    the period they report on ("30/09/2022" for 2022/23 Q2), never a fixed day or today."""
    return f"{period.end:%d/%m/%Y}"


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


def named_period(value: object) -> Period | None:
    """Give the period a cell names in words ("Q2 2022/23"), not through a date, or None."""
    return _named_period(cell_text(value))


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
# A month and a day written with its ordinal ("Dec 31st", "31st Dec"): a day, with no year.
_DAY_WITHOUT_YEAR = re.compile(r"[a-z]+[ \-,]*\d{1,2}(st|nd|rd|th)|\d{1,2}(st|nd|rd|th)[ \-]*[a-z]+")


def parse_date(value: object) -> date | None:
    """Give the date in a cell: a real Excel date or day-first text, always UK order.

    Understands 31/03/2023, 31/03/23, 31.3.2023, 31-03-2023, 2023-03-31, 31 March 2023,
    31st Mar 2023, March 2023 (the end of the month), end of March 2023, Mar-23 and
    Q4 2022/23 (the end of the quarter). A date before 1990 or after 2100 ("01/01/0001")
    is not one a council plan means, and gives None.
    """
    day = _read_date(value)
    return day if day is not None and _EARLIEST <= day.year <= _LATEST else None


def year_no_plan_means(value: object) -> int | None:
    """Give the year of a cell that reads as a day but which parse_date refuses for its year
    ("31/03/2202" gives 2202: very likely mistyped), or None."""
    day = _read_date(value) if not isinstance(value, (int, float)) else None
    return day.year if day is not None and not _EARLIEST <= day.year <= _LATEST else None


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
    return _day_in(text) or _end_of_span(text)


# "Nov 2026 - Mar 2027": a span between two dates, with a dash spaced on both sides.
_SPAN = re.compile(r"(.+?)\s+[-–—]\s+(.+)")


def _end_of_span(text: str) -> date | None:
    """Give the end of a span of two dates ("Nov 2026 - Mar 2027" gives 31 March 2027),
    None when either side is no date or the span ends before it starts."""
    match = _SPAN.fullmatch(text)
    if not match:
        return None
    start, end = _day_in(match[1]), _day_in(match[2])
    return end if start is not None and end is not None and start <= end else None


def _day_in(text: str) -> date | None:
    text = re.sub(r"^(by|before|due|due by|no later than|completed? by)\b:? *", "", text)
    text = re.sub(r"^(the )?end of (the )?", "", text)
    if _DAY_WITHOUT_YEAR.fullmatch(text):
        return None  # "Dec 31st" is a day with no year, never December 2031
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
    year = _financial_year(text)
    if year is not None:
        return date(year + 1, 3, 31)  # a financial year ends on 31 March
    match = re.fullmatch(r"(\d{4})", text)
    if match:
        return date(int(match[1]), 12, 31)
    return None


def _financial_year(text: str) -> int | None:
    # "2022/23", "FY 2022/2023" (lower case, spaces squeezed): the year it starts in.
    match = re.fullmatch(r"(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{4}|\d{2})", text)
    if match and (int(match[2]) % 100) == (int(match[1]) + 1) % 100:
        return int(match[1])
    return None


def financial_year_named(value: object) -> int | None:
    """Give the year a financial year named alone starts in ("2022/23", "FY 2022/23" give
    2022), else None: such words name a year, never one of its quarters."""
    return _financial_year(re.sub(r"\s+", " ", cell_text(value).lower()).strip(" .,"))


_EXACT = re.compile(r"\b\d{1,2}(st|nd|rd|th)?[/.\- ]+(\d{1,2}|[a-z]+)[/.\- ,]+(\d{4}|\d{2})"
                    r"|\d{4}-\d{1,2}-\d{1,2}", re.I)


def date_is_loose(value: object) -> bool:
    """Tell whether a date cell names a span ("March 2026", "Autumn 2025", "1/11/2026 -
    31/3/2027"), not a day."""
    if isinstance(value, (date, datetime, int, float)) and not isinstance(value, bool):
        return False
    text = cell_text(value)
    if parse_date(value) is None:
        return False
    words = re.sub(r"\s+", " ", text.lower()).strip(" .,")
    return not _EXACT.search(text) or _day_in(words) is None


@dataclass(frozen=True)
class DateReading:
    """What a date cell of a return says: the words typed, the day read from them (None
    when they give no day), and, for words that are not one clear day, how they were read.

    A loose reading is always stated to the officer with the exact form to write instead
    (`stated`); only words with no reading at all are left for the checks to flag.
    """

    text: str  # what the officer typed, as they see it ("" for an empty cell)
    day: date | None
    how: str = ""  # "" for one clear day; else how it was read ("the end of the month")
    meant: date | None = None  # another day the words may mean ("Jan 24": 24 January)

    @property
    def loose(self) -> bool:
        return self.day is not None and bool(self.how)

    @property
    def stated(self) -> str:
        """Say how loose words were read and what to write instead: "'Jan 24' was read as
        31 January 2024 (the end of the month): if you meant 24 January 2024, write
        24/01/2024; else write 31/01/2024" ("" for one clear day, or no day at all)."""
        if not self.loose:
            return ""
        said = f"'{self.text}' was read as {long_date(self.day)} ({self.how})"
        write = f"write {self.day:%d/%m/%Y}"
        if self.meant:
            return (f"{said}: if you meant {long_date(self.meant)}, write "
                    f"{self.meant:%d/%m/%Y}; else {write}")
        if self.how.endswith("check the year"):
            return f"{said}: if that is not the day meant, write the day with its year, as " \
                   f"{self.day:%d/%m/%Y} is written"
        return f"{said}: {write} to give the day itself"


# Words officers put around a date that change nothing of the day they mean.
_FILLER = re.compile(
    r"^(?:(?:by|before|due|due by|no later than|completed?|completed? by|achieved|"
    r"achieved on|on|w/e|we|wk ending|week ending|w/ending|revised to|now|new date|"
    r"expected|expected by|estimated|approx|approximately|around|about|circa|c|target|"
    r"on or before|the)\b[.:]? *)+")
_PART_OF_MONTH = {"early": 10, "mid": 15, "middle of": 15, "late": 0}


def _without_filler(text: str, ordinals: bool = False) -> str:
    text = re.sub(r"\s+", " ", text.lower()).strip(" .,;:-")
    text = _FILLER.sub("", text)
    if ordinals:
        return text.strip(" .,;:-")
    return re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text).strip(" .,;:-")


def _in_year(month: int, day: int | None, around: date, future: bool) -> date | None:
    """Give the day (`day` None: the month's end) in the year that puts it nearest to
    `around`, or (`future`) first on or after it."""
    options = []
    for year in (around.year - 1, around.year, around.year + 1):
        try:
            options.append(date(year, month, day) if day else _end_of_month(year, month))
        except ValueError:
            continue
    if future:
        return min((d for d in options if d >= around), default=None)
    return min(options, key=lambda d: (abs((d - around).days), -d.toordinal()), default=None)


def _yearless(text: str, around: date | None, future: bool) -> tuple[date, str] | None:
    """Read a day or month written without its year ("13 Oct", "31/3", "end of March")."""
    if around is None:
        return None
    text = re.sub(r"^(the )?end of (the )?", "", text)
    match = re.fullmatch(r"(\d{1,2})[ \-/.]?([a-z]+)|([a-z]+) (\d{1,2})", text)
    if match:
        name, number = (match[2], match[1]) if match[1] else (match[3], match[4])
        if name in _MONTHS:
            day = _in_year(_MONTHS[name], int(number), around, future)
            return (day, "the year taken from the period") if day else None
    match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})", text)
    if match and 1 <= int(match[2]) <= 12:
        day = _in_year(int(match[2]), int(match[1]), around, future)
        return (day, "the year taken from the period") if day else None
    if text in _MONTHS:
        day = _in_year(_MONTHS[text], None, around, future)
        return (day, "the end of the month, the year taken from the period") if day else None
    return None


def _part_of_month(text: str) -> tuple[date, str] | None:
    """Read "mid March 2024", "early Jan 24", "late 2024" (a part of a month or year)."""
    match = re.fullmatch(r"(early|mid|middle of|late)[ \-]*(.+)", text)
    if not match:
        return None
    whole = parse_date(match[2])
    if whole is None:
        return None
    if re.fullmatch(r"\d{4}", match[2].strip()):  # "late 2024": the year's end
        return whole, "the end of the year"
    if _PART_OF_MONTH[match[1]]:
        return whole.replace(day=_PART_OF_MONTH[match[1]]), f"'{match[1]}' as the " \
            f"{_PART_OF_MONTH[match[1]]}th of the month"
    return whole, "the end of the month"


_DAY_INSIDE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b"
                         r"|\b\d{4}-\d{1,2}-\d{1,2}\b"
                         r"|\b\d{1,2}(?:st|nd|rd|th)? [a-z]{3,9},? \d{4}\b", re.I)


def _how_loose(text: str, day: date, around: date | None = None,
               future: bool = False) -> tuple[str, date | None]:
    """Say how words read by `parse_date` as a span were read, and any other day meant: for
    "Jan 24", the 24th of January, in the year a day written without its year takes from
    the period (`around`, `future`: as `read_date`), else in the year read."""
    words = _without_filler(text)
    if _day_in(words) is None and _end_of_span(words):
        return "the end of the span", None
    if re.search(r"\b(q|quarter|h|half)\s*[1-4]\b", words):
        return "the end of the quarter", None
    if re.fullmatch(r"(spring|summer|autumn|fall|winter).*", words):
        return "the end of the season", None
    if re.fullmatch(r"(fy\s*)?\d{4}\s*[/-]\s*\d{2,4}", words):
        return "the end of the financial year", None
    if re.fullmatch(r"\d{4}", words):
        return "the end of the year", None
    # "Jan 24": a two-digit year that could be a day of the month.
    match = re.fullmatch(r"(?:(?:the )?end of (?:the )?)?([a-z]+)[ \-,]*(\d{2})", words)
    meant = None
    if match and not words.startswith(("end", "the end")) and 1 <= int(match[2]) <= 31:
        if around is not None:
            meant = _in_year(day.month, int(match[2]), around, future)
        else:
            try:
                meant = date(day.year, day.month, int(match[2]))
            except ValueError:
                meant = None
    return "the end of the month", meant


# How far from the period a day may fall before its year is questioned: a day something was
# done (Date completed, date achieved) within a year of the period; a new date within ten.
_DAYS_NEAR, _YEARS_AHEAD = 366, 10


def far_from_period(day: date, around: date, future: bool = False) -> str:
    """Say how far `day` is from the period `around` is in ("11 years before the period")
    when that is further than a date of its kind can sensibly be, else ""."""
    years = day.year - around.year
    if future:
        far = abs(years) > _YEARS_AHEAD
    else:
        far = abs((day - around).days) > _DAYS_NEAR
    if not far:
        return ""
    gap = max(abs(years), 1)
    return f"{gap} year{'s' if gap > 1 else ''} {'after' if day > around else 'before'} the period"


def _sensible_year(year: int, around: date) -> bool:
    # A two-digit number after a month is a year only near the period: "Jan 24" in a
    # 2023/24 return is January 2024, but "Nov 30" in a 2022/23 one is 30 November. Near
    # is reckoned from the period's financial year, never from the column: a revised date
    # and a date achieved of one return read the same words the same way.
    financial_year = Period.quarter_containing(around).year
    return financial_year - 1 <= year <= financial_year + 3


def _day_with_no_year(bare: str, around: date | None, future: bool) -> DateReading | None:
    """Read "Dec 31st", "Nov 30" (where 2030 is no year for the return): a day, no year."""
    if around is None:
        return None
    words = _without_filler(bare)
    match = re.fullmatch(r"([a-z]+)[ \-,]*(\d{1,2})|(\d{1,2})[ \-]*([a-z]+)", words)
    if not match:
        return None
    name, number = (match[1], match[2]) if match[1] else (match[4], match[3])
    if name not in _MONTHS:
        return None
    ordinal = bool(_DAY_WITHOUT_YEAR.fullmatch(_without_filler(bare, ordinals=True)))
    if not ordinal and (match[3] or len(number) != 2
                        or _sensible_year(2000 + int(number), around)):
        return None  # "Jan 24" keeps its reading as January 2024, stated
    day = _in_year(_MONTHS[name], int(number), around, future)
    if day is None:
        return DateReading(bare, None)  # "Feb 29th" near no leap year: no day at all
    how = "the year taken from the period" + (
        "" if ordinal else f"; {number} is taken as the day, 20{number} being too far from "
                           "the period to be its year")
    return DateReading(bare, day, how)


def read_date(value: object, around: date | None = None, future: bool = False) -> DateReading:
    """Give what a date cell says: the day, and how it was read where the words are not
    one clear day; given `around`, a day too far from the period to be sensible is read
    but stated, so its year is checked (`far_from_period`).

    One clear day is a real Excel date or a day written out whole (31/03/2023, 31/03/23,
    2023-03-31, 31 March 2023, "by 31 Mar 2023"). Spans ("March 2024", "Jan 24", "Q3
    2023/24", "Autumn 2025"), a day inside other words ("31/01/2024 subject to funding"),
    parts of a month ("mid March 2024") and, given `around` (a day of the period the cell
    is about), a day or month without its year ("wk ending 13th Oct", "end of March") are
    read loosely and say how. `future`: a year left out is the first that puts the day on
    or after `around` (a new date), else the nearest (a day something was done).
    """
    reading = _reading(value, around, future)
    far = far_from_period(reading.day, around, future) if reading.day and around else ""
    if far:
        how = f"{reading.how}; {far}" if reading.how else far
        return DateReading(reading.text, reading.day, f"{how}: check the year", reading.meant)
    return reading


def _reading(value: object, around: date | None, future: bool) -> DateReading:
    text = cell_text(value)
    if value is None or text == "":
        return DateReading("", None)
    if isinstance(value, str):
        yearless = _day_with_no_year(text, around, future)
        if yearless is not None:
            return yearless
    if isinstance(value, (datetime, date)):
        return DateReading(text, parse_date(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        day = parse_date(value)
        return DateReading(text, day, "a number Excel counts days by" if day else "")
    day = parse_date(value)
    if day is not None:
        if _EXACT.fullmatch(_without_filler(text)) or _EXACT.fullmatch(
                re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip().lower())):
            return DateReading(text, day)
        how, meant = _how_loose(text, day, around, future)
        return DateReading(text, day, how, meant)
    words = _without_filler(text)
    ordinal = _DAY_WITHOUT_YEAR.fullmatch(_without_filler(text, ordinals=True))
    day = None if ordinal else parse_date(words)
    if day is not None:
        if _EXACT.fullmatch(words):
            return DateReading(text, day, "the words around the date left out")
        how, meant = _how_loose(words, day, around, future)
        return DateReading(text, day, how, meant)
    for reading in (_part_of_month(words), _yearless(words, around, future)):
        if reading:
            return DateReading(text, *reading)
    inside = _DAY_INSIDE.search(text)
    if inside and parse_date(inside[0]):
        return DateReading(text, parse_date(inside[0]), "the day in the words, the rest "
                                                       "left out")
    return DateReading(text, None)


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
