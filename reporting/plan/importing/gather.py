"""Gathering a published plan's rows into themes and actions, table by table.

Each table's header row says which column is which; below it a row is a theme heading, an
action, more of the action above (another milestone, another date) or words in columns that
are not imported. A Word plan may run over several tables, later ones with no header of their
own; a workbook's plan is its first sheet with a header row. What was judged goes into
`Gathered.decisions` for a person to look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reporting.cells import normalise_action_id
from reporting.plan.importing.decision import RESAVE, Decision
from reporting.plan.importing.headings import (
    COLUMNS,
    find_plan_header,
    header_columns,
    is_header,
    join_pieces,
    leading_reference,
    looks_like_reference,
    plan_headings,
    row_heading,
    theme_of,
)
from reporting.plan.importing.phrases import date_in_words, dated_milestone, milestone_lines
from reporting.plan.importing.tables import Table
from reporting.plan.model import PlanError, Priority
from reporting.sheets.headings import heading_key


@dataclass
class DraftAction:
    """An action as it is gathered from one row or several."""

    reference: str
    theme: str
    row: int
    where: str
    cells: dict[str, str]
    by_whens: list[tuple[str, str]] = field(default_factory=list)  # (words, where) per row
    # (text, the date its own words give, the By when of its row) for each milestone
    milestones: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return normalise_action_id(self.reference)


@dataclass
class Gathered:
    """What the tables' rows gave: themes and actions in order, and what a person must see."""

    source: Path
    themes: dict[str, Priority] = field(default_factory=dict)
    theme_rows: dict[str, str] = field(default_factory=dict)  # theme key -> its heading's row
    actions: list[DraftAction] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (source heading, column)
    decisions: list[Decision] = field(default_factory=list)
    invented: list[Decision] = field(default_factory=list)  # "it was given 'S.1'", each
    # The last header read has a Who will deliver or a Lead service area column.
    lead_column: bool = False

    def decide(self, where: str, message: str) -> None:
        self.decisions.append(Decision(where, message))

    def heading_of(self, column: str) -> str:
        """Give the source's heading for a plan column ("Lead officer"), or the column."""
        return next((h for h, c in self.columns if c == column), column)


def _header_decisions(table: Table, row: int, mapping: dict[int, str], recorded: set[str],
                      unknown: set[str]) -> tuple[list[tuple[str, str]], list[Decision]]:
    """Give a header row's (heading, column) pairs not yet recorded, and a Decision for each
    column not imported: an unknown heading (once for the file: each table of a Word plan
    repeats its header; `unknown` holds those said), a second heading for one column, none
    at all."""
    headings, where = table.rows[row], table.where(row)
    read, decisions = [], []
    for i, text in enumerate(headings):
        name = re.sub(r"\s+", " ", text).strip()
        if i in mapping:
            if name not in recorded:
                read.append((name, mapping[i]))
                recorded.add(name)
        elif name and COLUMNS.column(name):
            decisions.append(Decision(where, f"column '{name}' also reads as "
                                      f"'{COLUMNS.column(name)}', which an earlier column "
                                      "gave; it was not imported"))
        elif name:
            if name not in unknown:
                unknown.add(name)
                decisions.append(Decision(where, f"column '{name}' was not imported; to "
                                          f"import it, import again with --column "
                                          f"\"{name}=FIELD\", FIELD being "
                                          f"{_likely_field(table, row, i)}"))
        elif table.width(row, i) and any(i < len(r) and r[i] for r in table.rows[row + 1:]):
            decisions.append(Decision(where, f"column {i + 1} has no heading; it was not "
                                      "imported"))
    return read, decisions


def _likely_field(table: Table, row: int, i: int) -> str:
    """Name the plan columns a column not imported may be, likeliest first: a column whose
    cells hold dates is likely By when, one of several lines Milestones."""
    cells = [r[i] for r in table.rows[row + 1:] if i < len(r) and r[i]]
    dated = sum(bool(date_in_words(c)) for c in cells)
    lines = sum("\n" in c for c in cells)
    likely = ["Milestones"] if lines * 2 > len(cells) else ["By when"] if dated * 2 > len(
        cells) else []
    rest = [f for f in ("Target/Outcome", "What we will do", "Milestones", "By when",
                        "Who will deliver", "Lead service area", "Partners") if f not in likely]
    return "one of " + ", ".join(likely + rest)


def _invented(theme: str, taken) -> str:
    """Give a reference for an action that has none: the theme's initials and a number
    ("GC.1" under "Greener Communities") that no action in the file uses."""
    # A numbered theme's own "1.1" could be the council's: an invented one reads "P1.1".
    prefix = f"P{theme}" if theme.isdigit() else theme if re.fullmatch(
        r"[A-Za-z0-9]{1,4}", theme) else \
        "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", theme)).upper()[:4] or "A"
    number = 1
    while normalise_action_id(f"{prefix}.{number}") in taken:
        number += 1
    return f"{prefix}.{number}"


def _words_differ(action: DraftAction, cells: dict[str, str]) -> str | None:
    """Give the column in which a row repeating an action's reference has other words."""
    for column in ("Objective", "What we will do"):
        theirs, ours = action.cells.get(column, ""), cells.get(column, "")
        if ours and theirs and heading_key(ours) != heading_key(theirs):
            return column
    return None


_ACTION_COLUMNS = ("Objective", "What we will do", "Milestones", "Target/Outcome", "By when",
                   "Who will deliver", "Lead service area")
_NOT_MILESTONE = ("Objective", "What we will do", "Who will deliver", "Lead service area",
                  "Target/Outcome", "Partners")


class _Walk:
    """One pass down the tables: the header in force, the theme and the action being read."""

    def __init__(self, source: Path, reserved: frozenset[str],
                 chosen: dict[str, str] | None = None) -> None:
        self.found = Gathered(source)
        self.reserved = reserved  # the keys of every reference in the file
        self.chosen = chosen or {}  # --column: {heading key: plan column}
        self.headings = plan_headings(self.chosen)
        self.chosen_used: set[str] = set()
        self.said_leading = False
        self.unknown_headings: set[str] = set()  # headings said not to be imported
        self.pending: tuple[str, str] | None = None  # (heading above the table, its label)
        self.by_key: dict[str, DraftAction] = {}
        self.theme: str | None = None
        self.mapping: dict[int, str] | None = None
        self.mapped_width = 0

    def header(self, table: Table, row: int) -> None:
        self.mapping = header_columns(table.rows[row], self.chosen)
        self.chosen_used |= {heading_key(t) for t in table.rows[row]} & set(self.chosen)
        self.mapped_width = len(table.rows[row])
        read, decisions = _header_decisions(table, row, self.mapping,
                                            {heading for heading, _ in self.found.columns},
                                            self.unknown_headings)
        self.found.columns.extend(read)
        self.found.decisions.extend(decisions)
        self.found.lead_column = bool({"Who will deliver", "Lead service area"}
                                      & set(self.mapping.values()))
        if "Priority" in self.mapping.values():
            self.theme = None

    def row(self, table: Table, r: int) -> None:
        """Read one row under the header: a theme heading, an action or more of one."""
        row = table.rows[r]
        if not any(row) or is_header(row, self.headings):
            return
        where = table.where(r)
        cells = {column: row[i].strip() if i < len(row) else ""
                 for i, column in self.mapping.items()}
        heading = row_heading(table, r, cells, self.mapping, bool(self.found.actions))
        if heading is not None:
            self._start_theme(heading, where)
            return
        if not cells.get("Action ID"):
            self._reference_in_words(cells, where)
        if cells.get("Priority"):
            self._start_theme(cells["Priority"], where)
        reference = cells.get("Action ID", "")
        key = normalise_action_id(reference)
        current = self.found.actions[-1] if self.found.actions else None
        column = next((i for i, c in self.mapping.items() if c == "Action ID"), None)
        if reference and (r, column) in table.unshown:
            self.found.decide(where, f"reference '{reference}' is stored as a number, so it "
                              "may be shown differently in the file (1.10 is stored as 1.1); "
                              "check it")
        if current and reference and key == current.key:
            self._more_of(current, cells, where)
        elif current and not reference and cells.get("Milestones") and not any(
                cells.get(c) for c in _NOT_MILESTONE):
            self._more_of(current, cells, where)
        elif reference and key in self.by_key:
            first = self.by_key[key]
            self.found.decide(where, f"'{reference}' repeats the reference of {first.where} "
                              f"('{first.reference}'); the first was kept and this row was "
                              "not imported: give it its own reference if it is another action")
        elif reference or any(cells.get(c) for c in _ACTION_COLUMNS):
            self._new_action(reference, cells, where, r)
        else:
            self.found.decide(where, "the row has words only in columns that were not "
                              f"imported ('{join_pieces([t for t in row if t])[:60]}'); it "
                              "was not imported")

    def _reference_in_words(self, cells: dict[str, str], where: str) -> None:
        """Take a reference written at the start of the action's words ("16. Better ...")
        as its reference, and the rest as its words; say so once per table."""
        column = next((c for c in ("Objective", "What we will do") if cells.get(c)), None)
        if column is None:
            return
        reference, rest = leading_reference(cells[column])
        if reference:
            if not self.said_leading:
                self.found.decide(where, f"the references were read from the start of the "
                                  f"action's words ('{cells[column][:40]}' is action "
                                  f"'{reference}', titled '{rest[:40]}'), as there is no "
                                  "reference column; check them")
                self.said_leading = True
            cells["Action ID"], cells[column] = reference, rest

    def _start_theme(self, text: str, where: str) -> None:
        self.pending = None
        theme = theme_of(text)
        known = {k.lower(): k for k in self.found.themes}
        if theme.key.lower() in known:
            self.theme = known[theme.key.lower()]
            return
        self.found.themes[theme.key] = theme
        self.found.theme_rows[theme.key] = where
        self.theme = theme.key

    def _theme_for_action(self, where: str) -> str:
        if self.theme is None:
            theme = re.sub(r"\s+", " ", self.found.source.stem).strip() or "Plan"
            self.found.decide(where, "the actions from here have no priority or theme heading "
                              "above them; they were put under one theme named after the "
                              f"file, '{theme}': rename it, or add the themes in the "
                              "Priorities sheet")
            self.found.themes.setdefault(theme, Priority(theme))
            self.theme = theme
        return self.theme

    def _new_action(self, reference: str, cells: dict[str, str], where: str, r: int) -> None:
        if self.pending:
            self._start_theme(*self.pending)
        theme = self._theme_for_action(where)
        if not reference:
            reference = _invented(theme, set(self.by_key) | self.reserved)
            self.found.decide(where, f"the action has no reference: it was given "
                              f"'{reference}'; write the council's own reference in the "
                              "Actions sheet if it has one")
            self.found.invented.append(self.found.decisions[-1])
        action = DraftAction(reference, theme, r, where, cells)
        self.found.actions.append(action)
        self.by_key[action.key] = action
        self._more_of(action, cells, where, first=True)

    def _more_of(self, action: DraftAction, cells: dict[str, str], where: str,
                 first: bool = False) -> None:
        """Add a row's milestones (and its By when) to an action."""
        differs = None if first else _words_differ(action, cells)
        if differs:
            self.found.decide(where, f"'{cells.get('Action ID') or action.reference}' repeats "
                              f"the reference of {action.where} with a different "
                              f"{differs.lower()}; the first was kept and this row was not "
                              "imported: give it its own reference if it is another action")
            return
        if cells.get("By when"):
            action.by_whens.append((cells["By when"], where))
        for line in milestone_lines(cells.get("Milestones", "")):
            text, when = dated_milestone(line)
            action.milestones.append((text, when, cells.get("By when", "")))


def _common_tail(headings: list[str]) -> str:
    """Give the words every table heading ends with after a colon or dash (": Our
    Deliverables"), when there are two headings or more and each has words before them."""
    tails = {re.search(r"\s*(?::|\s[-–—])\s*[^:–—]+$", h) for h in headings}
    if len(headings) < 2 or None in tails:
        return ""
    texts = {m.group().strip(" :-–—").lower() for m in tails}
    return next(iter(tails)).group() if len(texts) == 1 else ""


def _table_themes(tables: list[Table], found: Gathered) -> dict[str, str]:
    """Give {table label: the theme its heading names}; words every heading shares (": Our
    Deliverables") are left out of the names, and a person is told."""
    headings = [t.heading for t in tables if t.heading]
    tail = _common_tail(headings)
    if tail:
        found.decide("", f"every table's heading ends '{tail.strip(' :-–—')}'; the themes "
                     "were named by the words before it")
    return {t.label: (t.heading[:-len(tail)] if tail else t.heading).strip()
            for t in tables if t.heading}


def _given(references: list[str]) -> str:
    """Give invented references in few words: "S.1 to S.4", "GC.1 to GC.3, H.1"."""
    runs: dict[str, list[str]] = {}
    for reference in references:
        runs.setdefault(reference.rpartition(".")[0], []).append(reference)
    return ", ".join(r[0] if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in runs.values())


def _say_no_references(found: Gathered) -> None:
    """Say in one line, instead of one per action, that the plan gives no references."""
    if not found.invented or len(found.invented) < len(found.actions):
        return
    given = _given([a.reference for a in found.actions])
    column = next((h for h, c in found.columns if c == "Action ID"), "")
    empty, how = (f" (its '{column}' column is empty)", f"fill in its '{column}' column") \
        if column else ("", "add a Reference column to the plan")
    at = found.decisions.index(found.invented[0])
    found.decisions[:] = [d for d in found.decisions if d not in found.invented]
    found.decisions.insert(at, Decision(found.source.name, (
        f"the plan gives no references{empty}: {given} were given, in the plan's order; to "
        f"keep the council's own, {how} and import it again, or write them in the Actions "
        "sheet's Action ID column")))
    found.invented.clear()


def gather(tables: list[Table], source: Path, columns: dict[str, str] | None = None) -> Gathered:
    """Give the themes and actions the tables' rows hold, with the decisions taken.

    Each Word table is read in order (one with no header row, as wide as the one before,
    as its continuation), a heading above it naming the theme of its actions; of a
    workbook, the first sheet with a header row. `columns` ({heading: plan column}, from
    --column) maps headings the import does not know. Raises
    PlanError when no table has a header row naming the plan's columns.
    """
    chosen = {heading_key(h): c for h, c in (columns or {}).items()}
    walk = _Walk(source, frozenset(normalise_action_id(r) for table in tables
                                   for row in table.rows for t in row
                                   for r in (t if looks_like_reference(t) else
                                             leading_reference(t)[0],) if r), chosen)
    themes = _table_themes(tables, walk.found)
    used = False
    sheets = bool(tables) and tables[0].label.startswith("sheet ")
    for table in tables:
        start = find_plan_header(table.rows, walk.headings)
        if sheets and (start is None or used):
            continue  # a workbook: the first sheet with a header row is the plan
        if start is not None:
            walk.header(table, start)
            used = True
        elif walk.mapping is not None and table.rows and \
                len(table.rows[0]) == walk.mapped_width:
            walk.found.decide(table.label, "the table has no header row; it was read with "
                              "the columns of the table before it, as a continuation")
            start = -1
        else:
            if table.rows and any(any(row) for row in table.rows):
                walk.found.decide(table.label or source.name,
                                  "not read: it has no header row naming the plan's columns")
            continue
        # The heading above a table names its actions' theme, unless its own rows do.
        walk.pending = (themes[table.label], table.label) if table.label in themes else None
        for r in range(start + 1, len(table.rows)):
            walk.row(table, r)
    if not used:
        raise PlanError(
            f"{source.name}: no table has a header row naming the plan's columns "
            "(such as No., Objective, What we will do, By when, Who will deliver this?, "
            f"Milestones); {RESAVE}, with those headings in its first row")
    for heading in (columns or {}):
        if heading_key(heading) not in walk.chosen_used:
            walk.found.decide("", f"--column '{heading}' names no column heading in the "
                              "file; it was not used")
    _say_no_references(walk.found)
    return walk.found
