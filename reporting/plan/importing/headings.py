"""Recognising what a published plan's rows are: column headings, theme headings, references.

A council heads its columns in its own words ("No.", "What we will do", "Who will deliver
this?"); the import's table of them is `COLUMNS`, matched as a return's are
(`reporting.sheets.headings`). A row across the table ("Priority 2 - Community
Infrastructure") starts a theme; "1.a", "16" and "G1" are action references.
"""

from __future__ import annotations

import re

from reporting.plan.importing.tables import Table
from reporting.plan.model import Priority
from reporting.sheets.headings import ACTION_ID_HEADINGS, Headings, find_header, heading_key

# The plan workbook's columns, with the headings councils publish over them.
COLUMNS = Headings({
    "Action ID": ACTION_ID_HEADINGS,
    "Objective": ("Objective", "Action", "Action title", "Objectives"),
    "What we will do": ("What we will do", "Activity", "Actions", "Description",
                        "Activities", "Action description", "Key action", "Key actions",
                        "What we will deliver", "What we will do by when"),
    "By when": ("By when", "Due", "Due date", "Date", "Deadline", "Timescale",
                "Timescales", "Target date", "When", "Timing", "Timings", "Timeframe",
                "Timeframes", "Time frame", "Target timescale"),
    # Who delivers it, in the plan's words (people, posts or bodies); a column that names
    # the service is read as the lead service area, so a plan with a "Lead officer" and a
    # "Service" column keeps both.
    "Who will deliver": ("Who will deliver this?", "Who will deliver", "Who", "Lead",
                         "Lead officer", "Responsible officer", "Owner", "Responsible",
                         "Lead(s)", "Delivered by", "Lead officers", "Responsible person"),
    "Lead service area": ("Lead service area", "Lead service", "Service", "Service area",
                          "Responsible service", "Responsible service area", "Lead services",
                          "Lead department", "Directorate", "Lead service(s)",
                          "Responsible team", "Lead team", "Department", "Team"),
    "Milestones": ("Milestones", "Milestone", "Key milestones", "Key milestone",
                   "Milestone(s)", "Key deliverables", "Deliverables", "Deliverable",
                   # a column of what will be done with its dates is read one a line
                   "What we will do and when", "What we will deliver and when",
                   "What we will do and by when"),
    "Target/Outcome": ("Target/Outcome", "Target", "Outcome", "Targets", "Outcomes",
                       "Success measure", "Success measures", "What residents will see",
                       "Measure", "Measures", "Target / Outcome", "Measure of success",
                       "Measures of success", "Success criteria", "Performance measure",
                       "Performance measures", "Performance indicator", "KPI", "KPIs"),
    "Partners": ("Partners", "Key partners"),
    "Priority": ("Priority", "Theme", "Ambition", "Outcome area", "Priorities", "Themes"),
})

_REFERENCE = re.compile(r"[A-Za-z]{0,4}\s?\d+(?:\s?[.\-/_]?\s?[A-Za-z0-9]{1,4}){0,4}[.)]?")
_WORD = r"(?:strategic\s+)?(?:priority|theme|ambition|outcome\s+area|objective|aim)"
HEADING_WORD = re.compile(_WORD + r"\b", re.I)
_SEPARATOR = r"\s*[.):\-–—]*\s*"
# "Priority one", "Theme Three": a priority numbered in words is numbered.
_NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    ("one two three four five six seven eight nine ten eleven twelve").split(), start=1)}
_THEME_PATTERNS = (
    re.compile(_WORD + r"\s*(?P<key>\d+[a-z]?|" + "|".join(_NUMBER_WORDS) + r")\b"
               + _SEPARATOR + r"(?P<title>.*)", re.I | re.S),
    re.compile(r"(?P<key>\d+)\s*[.):\-–—]\s*(?P<title>\D.*)", re.S),
    re.compile(_WORD + r"\s*[:\-–—]\s*(?P<name>.+)", re.I | re.S),
)


# What `--column "HEADING=FIELD"` may name: the plan workbook's columns as
# docs/plan-format.md lists them, each read into the import's column for it.
FIELDS = {"Action ID": "Action ID", "Priority": "Priority", "Objective": "Objective",
          "What we will do": "What we will do", "By when": "By when", "Due date": "By when",
          "Who will deliver": "Who will deliver", "Lead service area": "Lead service area",
          "Partners": "Partners", "Target/Outcome": "Target/Outcome",
          "Milestones": "Milestones", "Milestone": "Milestones"}
FIELD_NAMES = {**{heading_key(f): c for f, c in FIELDS.items()},
               heading_key("Target"): "Target/Outcome", heading_key("Outcome"): "Target/Outcome",
               heading_key("Theme"): "Priority"}


def field_named(name: str) -> str | None:
    """Give the import's column that a --column FIELD names ("Due date" is "By when")."""
    return FIELD_NAMES.get(heading_key(name))


def header_columns(row: tuple[str, ...],
                   chosen: dict[str, str] | None = None) -> dict[int, str]:
    """Give {column index: plan column} for a header row's recognised headings; `chosen`
    ({heading key: column}, from --column) maps the headings it names, before any other."""
    chosen = chosen or {}
    found = plan_headings(chosen).columns(tuple("" if heading_key(t) in chosen else t
                                                for t in row))
    for i, text in enumerate(row):
        column = chosen.get(heading_key(text))
        if column:
            found = {k: v for k, v in found.items() if v != column}
            found[i] = column
    return dict(sorted(found.items()))


def plan_headings(chosen: dict[str, str] | None = None) -> Headings:
    """Give the plan's column headings with those `--column` maps ({heading key: column})."""
    if not chosen:
        return COLUMNS
    return Headings({column: tuple(a for a in words if heading_key(a) not in chosen)
                     + tuple(k for k, c in chosen.items() if c == column)
                     for column, words in COLUMNS.aliases.items()})


def is_header(row: tuple[str, ...], headings: Headings = COLUMNS) -> bool:
    """Tell whether a row names two or more of the plan's columns."""
    return len(headings.named(row)) >= 2


def find_plan_header(rows: tuple[tuple[str, ...], ...],
                     headings: Headings = COLUMNS) -> int | None:
    """Give the index of a table's header row (in its first HEADER_SEARCH_ROWS), or None."""
    return find_header(rows, headings, lambda names: len(names) >= 2)


# A reference written at the start of an action's words: "16. ", "2.3 ", "Action 3: ",
# "GB1 - ", "(a) ". A number needs its full stop, bracket, colon or dash ("3 new parks" and
# "2025 review" are words); a year is never a reference.
_LEADING_REFERENCE = re.compile(
    r"(?:action|ref(?:erence)?|no)\.?\s*(?P<a>[A-Za-z]{0,4}\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?)"
    r"\s*[.:)\-–—]?\s+"
    r"|(?P<b>\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?)(?:[.:)]|\s[-–—])\s+"
    r"|(?P<c>\d{1,3}(?:\.\d{1,3}){1,3}[a-z]?)\s+(?=\S)"
    r"|(?P<d>[A-Z]{1,4}\d{1,3}(?:\.\d{1,3}){0,2}[a-z]?)\s*(?:[.:)]|\s[-–—]|[-–—])\s*"
    r"|\((?P<e>[a-z]{1,2}|\d{1,3}|[ivx]{1,5})\)\s*",
    re.I)


def leading_reference(text: str) -> tuple[str, str]:
    """Give (reference, the rest) for an action's words that start with its reference
    ("16. Better engagement ..." is ("16", "Better engagement ...")); ("", text) when they
    do not start with one."""
    match = _LEADING_REFERENCE.match(text)
    if not match:
        return "", text
    reference = next(g for g in match.groups() if g)
    rest = text[match.end():].strip()
    first = r"[A-Z\"'‘“(]" if match["c"] else r"[A-Za-z\"'‘“(]"
    if not rest or not re.match(first, rest):
        return "", text  # "1.5 million homes": a number, not a reference
    return reference, rest


def looks_like_reference(text: str) -> bool:
    """Tell whether `text` reads as an action reference ("1.a", "16", "G1", "2.3.1")."""
    return bool(text) and len(text) <= 16 and bool(_REFERENCE.fullmatch(text.strip())) \
        and not HEADING_WORD.match(text)


def theme_of(text: str) -> Priority:
    """Give the theme a heading names: "Priority 2 - Community Infrastructure" is key "2"
    and title "Community Infrastructure"; "Theme: Greener" and "Greener" are key "Greener"."""
    text = re.sub(r"\s+", " ", text).strip()
    for pattern in _THEME_PATTERNS:
        match = pattern.fullmatch(text)
        if match and "key" in pattern.groupindex:
            key = _NUMBER_WORDS.get(match["key"].lower(), match["key"])
            return Priority(key, match["title"].strip(" .:-–—"))
        if match and match["name"].strip(" .:-–—"):
            return Priority(match["name"].strip(" .:-–—"))
    return Priority(text.strip(" .:"))


def is_theme_heading(text: str) -> bool:
    """Tell whether `text` is written as a heading: "Priority 2 - ...", "Theme: Greener"."""
    text = re.sub(r"\s+", " ", text).strip()
    return any(p.fullmatch(text) for p in (_THEME_PATTERNS[0], _THEME_PATTERNS[2]))


def join_pieces(pieces: list[str]) -> str:
    """Join a heading broken over cells: "Pr" + "iority 2" is "Priority 2", not "Pr iority 2"."""
    joined = ""
    for piece in pieces:
        last = joined.split()[-1] if joined.split() else ""
        glue = joined and last[-1:].isalpha() and len(last) <= 3 and piece[:1].islower()
        joined += piece if glue or not joined else " " + piece
    return joined


# The columns whose words alone, long or ending in a full stop, make an action, not a heading.
_ACTION_WORDS = ("Objective", "What we will do", "Target/Outcome")


def row_heading(table: Table, r: int, cells: dict[str, str], mapping: dict[int, str],
                after_action: bool) -> str | None:
    """Give the theme heading row `r` holds ("Priority 2 - Community Infrastructure"), or
    None for a row of an action.

    `cells` are the row's texts by plan column, `mapping` the header's {index: column};
    `after_action` says an action has been read already (a lone milestone is then its).
    """
    row = table.rows[r]
    filled = [(i, t) for i, t in enumerate(row) if t]
    reference = cells.get("Action ID", "")
    if reference and looks_like_reference(reference):
        return None
    if len(filled) == 1:
        i, text = filled[0]
        column = mapping.get(i)
        if table.width(r, i) >= 2 or is_theme_heading(text):
            return text  # one cell merged across the table, or a heading's words
        if column is None:
            return None  # a note in a column that is not imported
        if column == "Milestones" and after_action:
            return None  # another milestone of the action above
        if column in _ACTION_WORDS and not HEADING_WORD.match(text) and (
                len(text.split()) > 8 or text.rstrip().endswith(".")):
            return None  # an action with no reference
        return text
    joined = join_pieces([t for _, t in filled])
    if not reference and is_theme_heading(joined):
        return joined
    return None
