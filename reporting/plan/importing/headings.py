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
from reporting.sheets.headings import ACTION_ID_HEADINGS, Headings, find_header

# The plan workbook's columns, with the headings councils publish over them.
COLUMNS = Headings({
    "Action ID": ACTION_ID_HEADINGS,
    "Objective": ("Objective", "Action", "Action title", "Objectives"),
    "What we will do": ("What we will do", "Activity", "Actions", "Description",
                        "Activities", "Action description", "Key action", "Key actions",
                        "What we will deliver", "What we will do by when"),
    "By when": ("By when", "Due", "Due date", "Date", "Deadline", "Timescale",
                "Timescales", "Target date", "When"),
    "Who will deliver": ("Who will deliver this?", "Who will deliver", "Who", "Lead",
                         "Lead officer", "Responsible officer", "Owner", "Lead service",
                         "Service", "Lead service area", "Responsible", "Lead(s)",
                         "Responsible service", "Responsible service area", "Service area",
                         "Lead services", "Lead department", "Directorate", "Delivered by",
                         "Lead service(s)", "Responsible team", "Lead team"),
    "Milestones": ("Milestones", "Milestone", "Key milestones", "Key milestone",
                   "Milestone(s)", "Key deliverables", "Deliverables", "Deliverable"),
    "Target/Outcome": ("Target/Outcome", "Target", "Outcome", "Targets", "Outcomes",
                       "Success measure", "Success measures", "What residents will see",
                       "Measure", "Measures", "Target / Outcome"),
    "Partners": ("Partners", "Key partners"),
    "Priority": ("Priority", "Theme", "Ambition", "Outcome area", "Priorities", "Themes"),
})

_REFERENCE = re.compile(r"[A-Za-z]{0,4}\s?\d+(?:\s?[.\-/_]?\s?[A-Za-z0-9]{1,4}){0,4}[.)]?")
_WORD = r"(?:strategic\s+)?(?:priority|theme|ambition|outcome\s+area|objective|aim)"
HEADING_WORD = re.compile(_WORD + r"\b", re.I)
_SEPARATOR = r"\s*[.):\-–—]*\s*"
_THEME_PATTERNS = (
    re.compile(_WORD + r"\s*(?P<key>\d+[a-z]?)\b" + _SEPARATOR + r"(?P<title>.*)", re.I | re.S),
    re.compile(r"(?P<key>\d+)\s*[.):\-–—]\s*(?P<title>\D.*)", re.S),
    re.compile(_WORD + r"\s*[:\-–—]\s*(?P<name>.+)", re.I | re.S),
)


def header_columns(row: tuple[str, ...]) -> dict[int, str]:
    """Give {column index: plan column} for a header row's recognised headings."""
    return COLUMNS.columns(row)


def is_header(row: tuple[str, ...]) -> bool:
    """Tell whether a row names two or more of the plan's columns."""
    return len(COLUMNS.named(row)) >= 2


def find_plan_header(rows: tuple[tuple[str, ...], ...]) -> int | None:
    """Give the index of a table's header row (in its first HEADER_SEARCH_ROWS), or None."""
    return find_header(rows, COLUMNS, lambda names: len(names) >= 2)


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
            return Priority(match["key"], match["title"].strip(" .:-–—"))
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
