"""Reading the phrases inside a plan's cells: who delivers, the milestones, their dates.

"Housing Services and Planning Policy" names two bodies, "parish and town councils" one; a
Milestones cell holds one milestone a line or a bullet; "Consultation closes (Autumn 2025)"
carries its own date.
"""

from __future__ import annotations

import re

from reporting.cells import parse_date, year_no_plan_means

_BULLETS = re.compile(r"[•▪●◦■]")
_LINE_BULLET = re.compile(r"^\s*[-*–]\s*(?=\S)")


def _title_case(text: str) -> bool:
    return all(word[:1].isupper() or word in ("and", "&", "of", "for", "the")
               for word in text.split())


def bodies_in(text: str) -> list[str]:
    """Give the bodies a "Who will deliver" cell names, in order.

    Split on commas, semicolons and new lines; on " and " only between two names of two
    words or more each ("Housing Services and Planning Policy"), never inside a body's own
    name ("parish and town councils", "Health & Wellbeing", "Canals & Rivers Trust").
    """
    found = []
    for line in re.split(r"\s*(?:[;\n]|\s/\s)\s*", text):
        parts = [p.strip(" .,;") for p in line.split(",") if p.strip(" .,;")]
        # "Children, Families and Justice" and "Human Resources, Digital Enablement and IT"
        # are one directorate's name, not several bodies: every word capitalised, the last
        # part joined by "and" ("Regulatory Services, district and county partners" is two).
        if len(parts) > 1 and " and " in parts[-1] and all(
                _title_case(p) for p in parts):
            parts = [", ".join(parts)]
        found.extend(parts)
    return list(dict.fromkeys(found))


def milestone_lines(text: str) -> list[str]:
    """Give a Milestones cell's milestones: one a line, or one a bullet (never on commas)."""
    lines = []
    for line in text.split("\n"):
        for part in _BULLETS.split(line):
            part = _LINE_BULLET.sub("", part).strip()
            if part:
                lines.append(part)
    return lines


# A word that may hold a date's part: "27", "May", "2025/26", "Q3", "end", "by".
_TOKEN = re.compile(r"[^\s()\[\],;]+")
_LONGEST_DATE = 8  # words: "no later than 31 March 2026", "by 1 Nov 2026 - 31 Mar 2027"
_DASH = re.compile(r"[-–—]+")
_BRACKET = re.compile(r"[()\[\]]")
_YEAR = re.compile(r"\d{4}")
# The words a date is written in; any other word ends it ("homes officer in post Q3 2025/26"
# holds one, Q3 2025/26, not five).
_DATE_WORD = re.compile(
    r"[\d/.\-–—]+(?:st|nd|rd|th)?|by|before|due|end|of|the|no|later|than|completed?|fy"
    r"|q[1-4]|quarter|h[12]|half|spring|summer|autumn|fall|winter"
    r"|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?", re.I)


def date_in_words(line: str) -> str:
    """Give the words in a milestone that name its date ("by Autumn 2025", "June 2026" in
    "Barlby Road - June 2026 (83 homes)", "27 May 2025" in "expected to go live 27 May
    2025"), or "" when none does: the longest run of words read as a date, the last of
    equals. A year alone ("a 2025 review") is a date only in brackets or after a dash.

    A span ("Nov 2026 - Mar 2027") is kept whole; no run crosses a bracket ("Planting
    season 1 (Nov 2026 - Mar 2027)" is not dated "1 (Nov 2026"), nor starts or ends on a
    dash ("Draft habitat map - Q3 2026/27" is dated "Q3 2026/27")."""
    tokens = [(m.start(), m.end(), m.group().strip(".:")) for m in _TOKEN.finditer(line)]
    best = (0, -1, "")
    for i in range(len(tokens)):
        if _DASH.fullmatch(tokens[i][2]):
            continue
        for j in range(i + 1, min(i + _LONGEST_DATE, len(tokens)) + 1):
            if not _DATE_WORD.fullmatch(tokens[j - 1][2] or "-") or _BRACKET.search(
                    line[tokens[i][1]:tokens[j - 1][0]]):
                break
            if _DASH.fullmatch(tokens[j - 1][2]):
                continue
            words = " ".join(t for _, _, t in tokens[i:j])
            # A day in a year no plan means ("30/06/1925") is still the milestone's date,
            # kept as words and listed for a person; a year alone is not.
            if not words or parse_date(words) is None and (
                    _YEAR.fullmatch(words) or year_no_plan_means(words) is None):
                continue
            if _YEAR.fullmatch(words) and not re.search(
                    r"[(\[]\s*$|\s[-–—]\s*$", line[:tokens[i][0]]):
                continue
            if (j - i, i) >= best[:2]:
                best = (j - i, i, line[tokens[i][0]:tokens[j - 1][1]].strip(".:"))
    return best[2]


def dated_milestone(line: str) -> tuple[str, str]:
    """Give (milestone, its date's words) for "Consultation closes (Autumn 2025)" or
    "Launch by Autumn 2025": the whole line stays the milestone, as the plan wrote it;
    ("the line", "") when its words name no date."""
    line = line.strip()
    return line, date_in_words(line)
