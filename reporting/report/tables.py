"""The paper's tables as every document shows them: columns, captions, alternative text.

Each table gives its header, body rows and footer rows, all text, so a renderer is one loop
over each. A row may carry an anchor (an action's row in Appendix A) and its first cell a
link to one (an exception's reference, to that row); the footer is the totals, shown once
at the table's end. The body may be in groups (a priority's actions), each led by a
full-width row naming it: one header for the whole table, not a heading and a header per
priority, which took a line or two of every page of a long paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from reporting.wording import PRIORITY, Grouping

# Where a cell gives an action's lead service on a line under it; the documents set that
# line apart (grey), the words being the same in each.
LEAD_LINE = "\nLead: "


# Column headings of each table, shared by both documents (`ReportModel.tables`).
COLUMNS = {
    "front": ("Item", "Detail"),
    "exceptions": ("Action and lead", "The problem", "What is being done", "By when"),
    "returns": ("Service area", "Return", "Date completed", "Actions covered",
                "Actions updated", "Outstanding"),
    "status_key": ("Status", "Meaning"),
    "travel_key": ("Direction of travel", "Meaning"),
    "glossary": ("Abbreviation", "Meaning"),
    "actions": ("Ref", "Action and lead", "Status", "Year-end forecast",
                "Direction of travel", "Target, milestones and update"),
}


# Each table's caption and description (alternative text), shared by both documents. Where
# a table's section heading already names it, the caption is not shown on the page.
# {grouping} and {groupings} are what the plan calls its groups (`Grouping.fill`).
TABLES = {
    "front": ("Report details",
              "The committee, meeting date, title, period covered, lead member, author, "
              "contact and date of this report."),
    "by_priority": ("Actions by {grouping} and status",
                    "For each {grouping}, how many of its actions are at each status, and its "
                    "total; the last row gives the totals for all {groupings}."),
    "exceptions": ("Delivery exceptions",
                   "Each action off track, at risk, overdue, slipped, forecast to end worse, "
                   "not reported or with no status given, under its {grouping}, most serious first within each: the "
                   "action, its lead, the problem, what is being done and by when."),
    "returns": ("Returns received and missing",
                "For each service area: whether its return was received and when it was "
                "completed, how many actions it covered and updated, and which actions are "
                "still outstanding."),
    "status_key": ("Status key", "What each status word in this report means."),
    "travel_key": ("Direction of travel key",
                   "What each direction of travel word in this report means."),
    "glossary": ("Abbreviations", "Each abbreviation used in this report and what it stands for."),
    "actions": ("Progress on each action",
                "Each action, under its {grouping}: its reference, what it is, what the plan "
                "says we will do and the service that leads it, its status, the status "
                "forecast for the year end, its direction of travel, and the plan's target "
                "and milestones with the progress update."),
}


# The tables whose caption is printed above them; the others' section headings name them,
# so their caption is alternative text only.
_CAPTIONS_SHOWN = frozenset({"by_priority", "travel_key"})


# What a field or a table cell holding a status or a direction of travel is drawn as: a
# badge that always carries the word (colour, symbol and arrow only repeat it).
STATUS_BADGE = "status"


TRAVEL_BADGE = "travel"


@dataclass(frozen=True)
class Column:
    """One column of a table: its heading, and what its cells hold."""

    heading: str
    name: str  # what the cells hold, one lower-case word or two joined by "-" ("service-area")
    number: bool = False  # a count, aligned right
    badge: str = ""  # STATUS_BADGE or TRAVEL_BADGE when each body cell is such a word
    marks_row: bool = False  # a row is told apart by its cell here ("High" severity, "Missing")


@dataclass(frozen=True)
class Link:
    """The start of a row's first cell (`text`, an action's reference) as a link to `anchor`."""

    text: str
    anchor: str


@dataclass(frozen=True)
class RowGroup:
    """A run of body rows led by a full-width row naming them ("Priority 1: Housing for all")."""

    heading: str
    start: int  # the first body row of the group
    anchor: str = ""  # where the contents link to it, "" when they do not list it


@dataclass(frozen=True)
class Table:
    """One table as both documents show it: header, body rows and footer rows, all text."""

    key: str  # a key of TABLES
    caption: str
    description: str  # alternative text: what the table holds
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    footer: tuple[tuple[str, ...], ...] = ()  # totals, once after the body (not on every page)
    row_headers: bool = True  # the first cell of each row names the row
    caption_shown: bool = False  # printed above the table, not only alternative text
    anchors: tuple[str, ...] = ()  # each body row's anchor ("" for none), or () for none at all
    links: tuple[Link | None, ...] = ()  # each body row's link from its first cell, or ()
    groups: tuple[RowGroup, ...] = ()  # in order, the first at row 0; () for one run of rows

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(column.heading for column in self.columns)

    @property
    def widest_row_name(self) -> int:
        """The characters in the longest first cell of a body row (a reference: "1.a",
        "EC6.1", "CN2030-12"), so a layout can make room for a council's references."""
        return max((len(row[0]) for row in self.rows if row), default=0)

    def anchor_of(self, row: int) -> str:
        """Give body row `row`'s anchor, "" when it has none."""
        return self.anchors[row] if row < len(self.anchors) else ""

    def link_of(self, row: int) -> Link | None:
        """Give the link from body row `row`'s first cell, None when it has none."""
        return self.links[row] if row < len(self.links) else None

    def grouped(self) -> tuple[tuple[RowGroup | None, range], ...]:
        """Give each group and the indexes of its body rows; (None, all rows) when the table
        has no groups."""
        if not self.groups:
            return ((None, range(len(self.rows))),)
        ends = [group.start for group in self.groups[1:]] + [len(self.rows)]
        return tuple((group, range(group.start, end)) for group, end in zip(self.groups, ends))


def grouped_table(key: str, columns: tuple[Column, ...],
                  groups: Sequence[tuple[str, str, Sequence[Sequence]]],
                  anchors: Sequence[str] = (), links: Sequence[Link | None] = (),
                  grouping: Grouping = PRIORITY) -> Table:
    """Give table `key` with a group of rows for each (heading, anchor, rows) of `groups`,
    in order; `anchors` and `links` are for the body rows, all groups' rows in order."""
    rows, starts = [], []
    for heading, group_anchor, group_rows in groups:
        starts.append(RowGroup(heading, len(rows), group_anchor))
        rows += group_rows
    return replace(make_table(key, columns, rows, grouping=grouping), groups=tuple(starts),
                   anchors=tuple(anchors), links=tuple(links))


def make_table(key: str, columns: tuple[Column, ...], rows, footer=(), row_headers=True,
               grouping: Grouping = PRIORITY) -> Table:
    """Give table `key` with its caption and description, in the plan's `grouping` words."""
    caption, description = TABLES[key]
    return Table(
        key=key,
        caption=grouping.fill(caption),
        description=grouping.fill(description),
        columns=columns,
        rows=tuple(tuple(str(value) for value in row) for row in rows),
        footer=tuple(tuple(str(value) for value in row) for row in footer),
        row_headers=row_headers,
        caption_shown=key in _CAPTIONS_SHOWN,
    )


def table_columns(key: str, *names: str, numbers: tuple[str, ...] = (), badge: str = "",
             marks_row: str = "") -> tuple[Column, ...]:
    """Give the Columns of table `key`: its COLUMNS headings with `names` (the first column
    is the `badge` one, if any)."""
    return tuple(
        Column(heading, name, number=name in numbers, badge=badge if i == 0 else "",
               marks_row=name == marks_row)
        for i, (heading, name) in enumerate(zip(COLUMNS[key], names, strict=True))
    )
