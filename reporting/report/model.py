"""The ReportModel: everything a committee member reads, already decided and worded.

Both documents (HTML/PDF and Word) are views of one ReportModel: they lay it out and never
work out a status, a count or a flag themselves. Every string here is final text. Each
table gives its header and rows (`ReportModel.tables_in_order`, every action a row of its
priority's table), so a renderer is one loop over each.

`build_report_model` puts the model together from a few builders, one per part of the paper:
front sheet, purpose and recommendation, sections of actions, summary, exceptions, returns
and glossary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from reporting.cadence import Cadence, cadences_covered
from reporting.period import Period
from reporting.report.outline import (
    ChartBlock,
    Draft,
    Items,
    Paragraph,
    Section,
    Subsection,
    TableBlock,
    number_sections,
    paragraphs,
)
from reporting.report.travel import (
    TRAVEL_ORDER,
    PreviousPeriod,
    Travel,
    as_previous_period,
    direction,
    travel_meanings,
)
from reporting.settings import Settings
from reporting.status import NO_STATUS, STATUS_ORDER, Status
from reporting.wording import cut_words, long_date, plural
from reporting.working_days import add_working_days

if TYPE_CHECKING:  # the model's readers (the Word child) need neither pandas nor the plan
    from reporting.merge import Merged
    from reporting.plan import Plan

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
                "Direction of travel", "Progress update"),
}

# Each table's caption and description (alternative text), shared by both documents. Where
# a table's section heading already names it, the caption is not shown on the page.
TABLES = {
    "front": ("Report details",
              "The committee, meeting date, title, period covered, lead member, author, "
              "contact and date of this report."),
    "by_priority": ("Actions by priority and status",
                    "For each priority, how many of its actions are at each status, and its "
                    "total; the last row gives the totals for all priorities."),
    "exceptions": ("Delivery exceptions",
                   "Each action off track, at risk, overdue, slipped, forecast to end worse or "
                   "not reported, most serious first: the action, its lead, the problem, what "
                   "is being done and by when."),
    "returns": ("Returns received and missing",
                "For each service area: whether its return was received and when it was "
                "completed, how many actions it covered and updated, and which actions are "
                "still outstanding."),
    "status_key": ("Status key", "What each status word in this report means."),
    "travel_key": ("Direction of travel key",
                   "What each direction of travel word in this report means."),
    "glossary": ("Abbreviations", "Each abbreviation used in this report and what it stands for."),
    "actions": ("Actions", "Each action of the priority: its reference, what it is and the "
                           "service that leads it, its status, the status forecast for the year end, "
                           "its direction of travel and the progress update."),
}

# The tables whose caption is printed above them; the others' section headings name them,
# so their caption is alternative text only.
_CAPTIONS_SHOWN = frozenset({"by_priority", "status_key", "travel_key"})

# Fixed phrases both documents use where the model has nothing to say.
WORDS = {
    "contents": "Contents",
    "total": "Total",
    "priority": "Priority",
    "no_exceptions": "No action is off track, at risk, overdue, slipped or unreported.",
    "no_milestone": "No milestone set in the plan.",
    "whole_return": "Whole return",
    "no_forecast": "Not given",
    "no_travel": "Not compared",
    # An earlier quarter's status where no return then gave one.
    "not_in_return": Status.NO_UPDATE.value,
    "not_stated": "Not stated",  # a return without its date of completion
    "unreadable": "Could not be read",  # a return came but could not be used
    "not_due": "Not due",  # the action was not due to report that quarter
    "skip_link": "Skip to main content",
}

# What a field of an action says when it is empty.
NO_TARGET = "No target set in the plan."
NO_UPDATE = "No update received."
NO_NEXT_STEPS = "No next steps given."
NO_PARTNERS = "None named"

# What a field or a table cell holding a status or a direction of travel is drawn as: a
# badge that always carries the word (colour, symbol and arrow only repeat it).
STATUS_BADGE = "status"
TRAVEL_BADGE = "travel"


class FlagLike(Protocol):
    """What the model reads of a flag (the checks' Finding, or anything shaped like it)."""

    code: Any  # a declared code: `.exception` is its kind of delivery exception
    action_id: str  # "" when the flag is about a whole return
    paper: str  # the committee's words for it, "" when the committee does not read it
    actions: tuple[str, ...]  # the actions a whole-return flag leaves unreported


@dataclass(frozen=True)
class Column:
    """One column of a table: its heading, and what its cells hold."""

    heading: str
    name: str  # what the cells hold, one lower-case word or two joined by "-" ("service-area")
    number: bool = False  # a count, aligned right
    badge: str = ""  # STATUS_BADGE or TRAVEL_BADGE when each body cell is such a word
    marks_row: bool = False  # a row is told apart by its cell here ("High" severity, "Missing")


@dataclass(frozen=True)
class Table:
    """One table as both documents show it: header, body rows and footer rows, all text."""

    key: str  # a key of TABLES
    caption: str
    description: str  # alternative text: what the table holds
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    footer: tuple[tuple[str, ...], ...] = ()  # totals, after the body
    row_headers: bool = True  # the first cell of each row names the row
    caption_shown: bool = False  # printed above the table, not only alternative text

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(column.heading for column in self.columns)


def _table(key: str, columns: tuple[Column, ...], rows, footer=(), row_headers=True) -> Table:
    caption, description = TABLES[key]
    return Table(
        key=key,
        caption=caption,
        description=description,
        columns=columns,
        rows=tuple(tuple(str(value) for value in row) for row in rows),
        footer=tuple(tuple(str(value) for value in row) for row in footer),
        row_headers=row_headers,
        caption_shown=key in _CAPTIONS_SHOWN,
    )


def _columns(key: str, *names: str, numbers: tuple[str, ...] = (), badge: str = "",
             marks_row: str = "") -> tuple[Column, ...]:
    """Give the Columns of table `key`: its COLUMNS headings with `names` (the first column
    is the `badge` one, if any)."""
    return tuple(
        Column(heading, name, number=name in numbers, badge=badge if i == 0 else "",
               marks_row=name == marks_row)
        for i, (heading, name) in enumerate(zip(COLUMNS[key], names, strict=True))
    )


@dataclass(frozen=True)
class FrontSheet:
    """The front sheet: who the paper is for, from whom, and when."""

    council: str
    committee: str
    meeting_date: str  # "14 November 2022" or "To be confirmed"
    report_title: str
    period: str  # "2022/23 Q2 (July to September 2022)"
    report_author: str  # whom the report is of (an officer's role, never a name)
    author_contact: str
    lead_member: str  # the portfolio holder
    date_of_report: str
    # The council's words for these are settings; a paper made without them reads as these.
    wards_affected: str = Settings.wards_affected
    key_decision: str = Settings.key_decision
    exempt: str = Settings.exempt

    def rows(self) -> tuple[tuple[str, str], ...]:
        """The front sheet as (label, value) rows, in reading order."""
        return (
            ("Meeting", self.committee),
            ("Date of meeting", self.meeting_date),
            ("Date of publication", self.date_of_report),
            ("Report of", self.report_author or "Not stated"),
            ("Portfolio holder", self.lead_member or "Not stated"),
            ("Title", self.report_title),
            ("Period covered", self.period),
            ("Wards affected", self.wards_affected),
            ("Key decision", self.key_decision),
            ("Exempt information", self.exempt),
            ("Contact", self.author_contact or "Not stated"),
        )


@dataclass(frozen=True)
class StatusCount:
    status: Status
    count: int


@dataclass(frozen=True)
class PrioritySummary:
    """Counts of covered actions by status for one priority (in STATUS_ORDER)."""

    heading: str
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class ExceptionLine:
    """One action with a delivery exception, as the committee reads it; most serious first."""

    action_id: str
    action: str  # the objective, as the plan words it
    lead: str  # the service area that leads it
    problem: str  # "Off track; overdue (due by 31 March 2023)"
    being_done: str  # the officer's next steps, or the reason for a new date
    by_when: str  # the revised date, else the plan's due date


@dataclass(frozen=True)
class ReturnLine:
    """Whether one service area's return came in, and what it gave (no officer's name: a
    committee paper is published)."""

    service_area: str
    received: str  # "Received", "Missing" or "Could not be read"
    date_completed: str
    actions_covered: int
    actions_updated: int
    outstanding: str  # action IDs with no usable update, "None" when all are in


@dataclass(frozen=True)
class ActionEntry:
    """One covered action with this period's progress."""

    id: str
    objective: str
    what_we_will_do: str
    lead: str
    partners: str
    cadence: str
    due_date: str
    revised_date: str  # "" when not revised
    milestones: tuple[str, ...]
    target: str
    status: Status
    progress_update: str
    next_steps: str
    flags: tuple[str, ...]  # the delivery exceptions on this action, in words ("off track")
    forecast: Status | None = None  # year-end status the return forecast, if it gave one
    travel: Travel | None = None  # None when the report is not compared with a period
    travel_detail: str = ""  # "was At risk in 2022/23 Q1"
    # Each milestone the plan dates on its own, with its status ("Launch: Complete (due ...)")
    milestone_lines: tuple[str, ...] = ()
    earlier_status: str = ""  # the status word last quarter ("" when not compared)

    @property
    def action_and_lead(self) -> str:
        """The action, then its lead service on a line of its own: "…\nLead: Housing"."""
        return f"{self.objective}{LEAD_LINE}{self.lead}"

    @property
    def update_with_milestones(self) -> str:
        """The update, led by the dated milestones' lines where the plan dates any."""
        if not self.milestone_lines:
            return self.progress_update
        return "\n".join(("Milestones:", *self.milestone_lines, "", self.progress_update))

    @property
    def status_word(self) -> str:
        return self.status.value

    @property
    def travel_text(self) -> str:
        """The direction of travel as read: "Improved (was At risk in 2022/23 Q1)"."""
        if self.travel is None:
            return ""
        return f"{self.travel.value} ({self.travel_detail})" if self.travel_detail else self.travel.value



@dataclass(frozen=True)
class ChartSeries:
    """One status in the chart: how many actions of each priority are at it."""

    status: Status
    counts: tuple[int, ...]  # in the order of `StatusChart.categories`


@dataclass(frozen=True)
class StatusChart:
    """A bar chart of statuses per priority, with alternative text that states every number."""

    caption: str
    alt_text: str
    axis_label: str
    categories: tuple[str, ...]  # priority headings, top to bottom
    series: tuple[ChartSeries, ...]  # statuses in `STATUS_ORDER`, zero-only ones left out


@dataclass(frozen=True)
class TravelKeyLine:
    travel: Travel
    meaning: str


@dataclass(frozen=True)
class PrioritySection:
    heading: str
    actions: tuple[ActionEntry, ...]
    # A six-monthly paper shows each quarter of its half: ("Q1", "Q2"); else ().
    quarters: tuple[str, ...] = ()
    forecasts: bool = True  # False: no return gave a forecast, so the column is left out
    travel: bool = True  # False: nothing to compare with (a plan's first period)

    @property
    def table(self) -> Table:
        """The priority's actions, one row each (no card per action: a paper stays short).

        A six-monthly paper gives each action's status in each quarter of the half, where a
        quarterly one gives its status and its direction of travel since last quarter.
        """
        if self.quarters:
            first, now = self.quarters
            status_columns = [
                (Column(f"{first} status", "earlier", badge=STATUS_BADGE),
                 lambda a: a.earlier_status or WORDS["not_in_return"]),
                (Column(f"{now} status", "status", badge=STATUS_BADGE), lambda a: a.status.value)]
        else:
            status_columns = [
                (Column(COLUMNS["actions"][2], "status", badge=STATUS_BADGE),
                 lambda a: a.status.value)]
        forecast = [(Column(COLUMNS["actions"][3], "forecast", badge=STATUS_BADGE),
                     lambda a: a.forecast.value if a.forecast else WORDS["no_forecast"])] \
            if self.forecasts else []
        travel = [] if self.quarters or not self.travel else [
            (Column(COLUMNS["actions"][4], "travel", badge=TRAVEL_BADGE),
             lambda a: a.travel.value if a.travel else WORDS["no_travel"])]
        # The lead is a line under the action, not a column of its own: the width goes to
        # the update, which is what makes a large plan's appendix long.
        cells = [(Column(COLUMNS["actions"][0], "action-id"), lambda a: a.id),
                 (Column(COLUMNS["actions"][1], "objective"), lambda a: a.action_and_lead),
                 *status_columns, *forecast, *travel,
                 (Column(COLUMNS["actions"][5], "message"), lambda a: a.update_with_milestones)]
        rows = [tuple(value(a) for _, value in cells) for a in self.actions]
        table = _table("actions", tuple(column for column, _ in cells), rows)
        return replace(table, caption=self.heading)


@dataclass(frozen=True)
class ReportModel:
    """Everything the report says, in reading order."""

    title: str  # "Health & Wellbeing Action Plan 2022/23: quarterly progress report"
    running_title: str  # short title for page headers
    cadence: str  # "quarterly" or "six-monthly"
    period_label: str  # "2022/23 Q2"
    front: FrontSheet
    purpose: tuple[str, ...]  # paragraphs
    recommendation: str
    reasons: tuple[str, ...]  # paragraphs: why the Committee is asked to do this
    background: tuple[str, ...]  # paragraphs: the plan, its monitoring, what this paper covers
    summary: tuple[str, ...]  # paragraphs that lead the summary
    status_columns: tuple[Status, ...]
    overall: tuple[StatusCount, ...]
    by_priority: tuple[PrioritySummary, ...]
    exceptions_intro: str
    exceptions: tuple[ExceptionLine, ...]
    returns_intro: str
    returns: tuple[ReturnLine, ...]
    sections: tuple[PrioritySection, ...]
    status_key: tuple[tuple[str, str], ...]  # (status word, meaning)
    chart: StatusChart | None = None
    travel_key: tuple[TravelKeyLine, ...] = ()  # empty when not compared with a period
    glossary: tuple[tuple[str, str], ...] = ()  # (abbreviation, meaning) used in the report
    implications: tuple[tuple[str, str], ...] = ()  # (heading, words), from the settings
    background_papers: tuple[str, ...] = ()

    @property
    def outline(self) -> tuple[Section, ...]:
        """The paper's sections in the order UK committee reports use, each with what it
        holds: the one list every renderer walks, and where every number comes from.

        A section with nothing to show (the glossary when it explains nothing) is left out.
        """
        tables = self.tables

        def table(key: str) -> tuple[TableBlock, ...]:
            return (TableBlock(tables[key]),) if key in tables else ()

        chart = (ChartBlock(self.chart),) if self.chart else ()
        return number_sections((
            Draft("purpose", "Purpose of the report", paragraphs(self.purpose),
                  page_break=True),
            Draft("recommendation", "Recommendation",
                  paragraphs([self.recommendation], "recommendation")),
            Draft("reasons", "Reasons for the recommendation", paragraphs(self.reasons)),
            Draft("background", "Background", paragraphs(self.background)),
            Draft("summary", "Summary of progress",
                  (*paragraphs(self.summary), *table("by_priority"), *chart)),
            Draft("exceptions", "Delivery exceptions",
                  (Paragraph(self.exceptions_intro if self.exceptions else WORDS["no_exceptions"],
                             style="intro"), *table("exceptions"))),
            Draft("returns", "Returns received and missing",
                  (Paragraph(self.returns_intro, style="intro"), *table("returns"))),
            Draft("implications", "Implications",
                  tuple(Paragraph(words, label=f"{heading}.")
                        for heading, words in self.implications)),
            Draft("background_papers", "Background papers",
                  (Items(self.background_papers),) if self.background_papers else ()),
            Draft("actions", "progress on each action",
                  tuple(Subsection(s.heading, (TableBlock(s.table),)) for s in self.sections),
                  appendix=True),
            Draft("status_key", "status key", (*table("status_key"), *table("travel_key")),
                  appendix=True),
            Draft("glossary", "glossary of abbreviations", table("glossary"), appendix=True),
        ))

    @property
    def headings(self) -> dict[str, str]:
        """Each section's heading as printed ("6. Delivery exceptions"), by key."""
        return {section.key: section.heading for section in self.outline}

    @property
    def contents(self) -> tuple[tuple[str, str], ...]:
        """The (key, heading) of each numbered section and appendix, in reading order."""
        return tuple((section.key, section.heading) for section in self.outline)

    def section_number(self, key: str) -> str:
        return next(section.number for section in self.outline if section.key == key)

    @property
    def tables(self) -> dict[str, Table]:
        """The tables the documents show, by key (of TABLES), in reading order.

        A table with nothing to list is left out: exceptions when none were raised (the
        documents say so in words), the travel key when the report is not compared with a
        period, the glossary when it explains nothing.
        """
        tables = {
            "front": _table("front", _columns("front", "item", "detail"), self.front.rows()),
            "by_priority": _table(
                "by_priority",
                (Column(WORDS["priority"], "priority"),
                 *(Column(status.value, "count", number=True) for status in self.status_columns),
                 Column(WORDS["total"], "total", number=True)),
                [(row.heading, *self._shown(row.counts), row.total) for row in self.by_priority],
                footer=[(WORDS["total"], *self._shown([line.count for line in self.overall]),
                         self.total_actions)]),
            "exceptions": _table(
                "exceptions",
                _columns("exceptions", "action-id", "problem", "message", "by-when"),
                [(f"{e.action_id} {e.action}{LEAD_LINE}{e.lead}", e.problem,
                  e.being_done, e.by_when)
                 for e in self.exceptions]),
            "returns": _table(
                "returns",
                _columns("returns", "service-area", "received", "date-completed", "covered",
                         "updated", "outstanding", numbers=("covered", "updated"),
                         marks_row="received"),
                [(r.service_area, r.received, r.date_completed, r.actions_covered,
                  r.actions_updated, r.outstanding)
                 for r in self.returns]),
            "status_key": _table(
                "status_key", _columns("status_key", "status-word", "meaning", badge=STATUS_BADGE),
                self.status_key),
            "travel_key": _table(
                "travel_key", _columns("travel_key", "travel-word", "meaning", badge=TRAVEL_BADGE),
                [(line.travel.value, line.meaning) for line in self.travel_key]),
            "glossary": _table("glossary", _columns("glossary", "term", "meaning"), self.glossary),
        }
        always = ("front", "by_priority", "status_key")
        return {key: table for key, table in tables.items() if table.rows or key in always}

    @property
    def tables_in_order(self) -> tuple[Table, ...]:
        """Every table both documents show, in reading order (each priority's actions after
        the returns, the appendices last)."""
        tables = self.tables
        before = [tables[k] for k in ("front", "by_priority", "exceptions", "returns")
                  if k in tables]
        after = [tables[k] for k in ("status_key", "travel_key", "glossary") if k in tables]
        return (*before, *(section.table for section in self.sections), *after)

    def _shown(self, counts) -> tuple:
        """The counts (in STATUS_ORDER) of the statuses the tables show."""
        return tuple(c for s, c in zip(STATUS_ORDER, counts, strict=True)
                     if s in self.status_columns)

    @property
    def total_actions(self) -> int:
        return sum(c.count for c in self.overall)


def _status_phrase(counts: dict[Status, int]) -> str:
    """Say the counts in words: "1 off track, 2 not reported and 9 on track"."""
    verbs = {
        Status.OFF_TRACK: "off track", Status.AT_RISK: "at risk",
        Status.NO_UPDATE: "not reported",
        Status.NOT_GIVEN: "with an update but no status given",
        Status.NOT_STARTED: "not started", Status.ON_TRACK: "on track",
        Status.COMPLETE: "complete",
    }
    parts = [f"{counts[s]} {verbs[s]}" for s in STATUS_ORDER if counts.get(s)]
    if not parts:
        return "none"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _covered_phrase(cadences: frozenset[Cadence]) -> str:
    words = [c.value for c in (Cadence.QUARTERLY, Cadence.SIX_MONTHLY, Cadence.ANNUAL)
             if c in cadences]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _travel(previous: PreviousPeriod, action_id: str, now: Status) -> tuple[Travel, str]:
    """Give the direction of travel of one action, and what it is measured from."""
    before = previous.statuses.get(action_id)
    travel = direction(before, now)
    if before is None:
        return travel, f"no status in {previous.label}"
    return travel, f"was {before.value} in {previous.label}"


def _travel_phrase(counts: dict[Travel, int]) -> str:
    words = {Travel.WORSE: "worse", Travel.NO_CHANGE: "unchanged",
             Travel.IMPROVED: "improved", Travel.NOT_COMPARED: "not compared (no status "
                                                                "in one of the two)"}
    parts = [f"{counts[t]} {words[t]}" for t in TRAVEL_ORDER if counts.get(t)]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# Up to this many priorities the chart draws a bar for each; with more, one A4 page cannot
# hold a bar per priority at a readable size (and the chart alone took seconds to typeset),
# so it draws one bar for all priorities together, the table above giving each priority.
CHART_MAX_PRIORITIES = 12


def status_chart(by_priority: tuple[PrioritySummary, ...], total: int) -> StatusChart:
    """Give the chart of statuses per priority, its alternative text stating every number.

    With more than CHART_MAX_PRIORITIES priorities, one bar gives all priorities together.
    """
    if len(by_priority) > CHART_MAX_PRIORITIES:
        counts = tuple(sum(row.counts[i] for row in by_priority)
                       for i in range(len(STATUS_ORDER)))
        together = f"All {len(by_priority)} priorities"
        return StatusChart(
            caption="Chart: actions by status, all priorities together (the same numbers as "
                    "the total row of the table above)",
            alt_text=(f"Bar chart of the {plural(total, 'action')} covered, one bar for all "
                      f"{len(by_priority)} priorities together, divided by status: "
                      f"{_status_phrase(dict(zip(STATUS_ORDER, counts)))}."),
            axis_label="Number of actions",
            categories=(together,),
            series=tuple(ChartSeries(status, (counts[i],))
                         for i, status in enumerate(STATUS_ORDER) if counts[i]),
        )
    lines = []
    for row in by_priority:
        counts = dict(zip(STATUS_ORDER, row.counts))
        lines.append(f"{row.heading}: {_status_phrase(counts)} "
                     f"({plural(row.total, 'action')}).")
    alt = (f"Bar chart of the {plural(total, 'action')} covered, one bar per priority, "
           "divided by status. " + " ".join(lines))
    return StatusChart(
        caption="Chart: actions by priority and status (the same numbers as the table above)",
        alt_text=alt,
        axis_label="Number of actions",
        categories=tuple(row.heading for row in by_priority),
        series=tuple(
            ChartSeries(status, tuple(row.counts[i] for row in by_priority))
            for i, status in enumerate(STATUS_ORDER)
            if any(row.counts[i] for row in by_priority)
        ),
    )


def _used_abbreviations(glossary: Mapping[str, str], text: str) -> tuple[tuple[str, str], ...]:
    """Give the glossary entries whose abbreviation appears in `text` (or in a used meaning).

    Abbreviations match case-sensitively as whole words, plurals ("GPs") included.
    """
    def used_in(words: str) -> set[str]:
        return {term for term in glossary
                if re.search(rf"(?<![\w]){re.escape(term)}(?:s|'s)?(?![\w])", words)}

    used = used_in(text)
    pending = list(used)
    while pending:  # "ASR" is explained in terms of "DEFRA", so DEFRA is explained too
        for term in used_in(glossary[pending.pop()]) - used:
            used.add(term)
            pending.append(term)
    return tuple((term, glossary[term]) for term in sorted(used, key=str.lower))


# Words in the appendix's status columns that are not statuses, explained in the key where
# the paper prints them.
_OTHER_KEY_WORDS = (
    (WORDS["not_due"], "The action does not report in that quarter: it reports six-monthly "
                       "or yearly."),
    (WORDS["no_forecast"], "The return gave no forecast for the year end."),
)


def _status_key(sections: Sequence[PrioritySection]) -> tuple[tuple[str, str], ...]:
    """Each status and what it means, then the other words the status columns print."""
    printed = {cell for section in sections for row in section.table.rows
               for column, cell in zip(section.table.columns, row) if column.badge}
    return (tuple((s.value, s.meaning) for s in STATUS_ORDER)
            + tuple(line for line in _OTHER_KEY_WORDS if line[0] in printed))


def summarise_priorities(sections) -> tuple[PrioritySummary, ...]:
    """Give each priority section's counts by status (in STATUS_ORDER) and its total.

    The counts are a crosstab of priority against status, every status a column even when
    no action is at it.
    """
    import pandas as pd

    actions = pd.DataFrame([(n, a.status) for n, s in enumerate(sections) for a in s.actions],
                           columns=["section", "status"])
    counts = pd.crosstab(actions["section"], actions["status"]).reindex(
        index=range(len(sections)), columns=list(STATUS_ORDER), fill_value=0)
    return tuple(
        PrioritySummary(s.heading, tuple(int(c) for c in counts.loc[n]), len(s.actions))
        for n, s in enumerate(sections)
    )


# --- the builders behind build_report_model ----------------------------------------------


def publication_date(settings: Settings, period: Period,
                     cadence: Cadence | None = None) -> date | None:
    """Give the day the paper is published: the meeting's date less the clear working days
    the council's rules require, or None while the meeting date is not set."""
    meeting = settings.meeting_date(period, cadence)
    if meeting is None:
        return None
    return add_working_days(meeting, -settings.clear_working_days,
                            settings.schedule.bank_holidays)


def _front_sheet(settings: Settings, title: str, period: Period, covered: Period,
                 cadence: Cadence) -> FrontSheet:
    committee = settings.committee_for(cadence)
    meeting = settings.meeting_date(period, cadence)
    published = publication_date(settings, period, cadence)
    return FrontSheet(
        council=settings.council,
        committee=committee.name,
        meeting_date=long_date(meeting) if meeting else "To be confirmed",
        report_title=title,
        period=covered.description,
        report_author=committee.report_of,
        author_contact=settings.author_contact,
        lead_member=committee.portfolio_holder,
        # The paper's date is its publication date, never the day the program ran.
        date_of_report=long_date(published) if published else "To be confirmed",
        wards_affected=settings.wards_affected,
        key_decision=settings.key_decision,
        exempt=settings.exempt,
    )


def _not_covered(plan: Plan, merged: Merged) -> str:
    """Say which of the plan's actions this report leaves out, and when they report."""
    covered = merged.covered_ids
    left = [a for a in plan.actions if a.id not in covered]
    if not left:
        return ""
    by_cadence: dict[Cadence, list[str]] = {}
    for action in left:
        by_cadence.setdefault(action.cadence, []).append(action.id)
    when = {Cadence.ANNUAL: "in the six-monthly report at the year end (Q4)",
            Cadence.SIX_MONTHLY: "in the six-monthly reports (Q2 and Q4)",
            Cadence.QUARTERLY: "in the quarterly reports"}
    parts = [f"the {plural(len(ids), c.value + ' action')} ({', '.join(ids)}), which "
             f"{'reports' if len(ids) == 1 else 'report'} {when[c]}"
             for c, ids in by_cadence.items()]
    return (f"The plan has {plural(len(plan.actions), 'action')}; this report leaves out "
            + "; and ".join(parts) + ".")


# Bodies a paper names without "the": "Cabinet notes", not "the Cabinet notes".
_NO_ARTICLE = ("cabinet", "council", "executive")


def meeting_body(name: str) -> str:
    """Give a committee's name as a sentence uses it: "Cabinet", "the Scrutiny Commission"."""
    if not name or name.lower().startswith(_NO_ARTICLE) or name.lower().startswith("the "):
        return name or "the Committee"
    return f"the {name}"


def _scrutiny(name: str) -> bool:
    return any(word in name.lower() for word in ("scrutiny", "overview", "select", "audit"))


def _purpose(settings: Settings, covered: Period, cadence: Cadence) -> tuple[str, ...]:
    body = meeting_body(settings.committee_for(cadence).name)
    return (f"To report progress on the {settings.plan_title} for {covered.description}, "
            f"leading with the actions whose delivery needs {body}'s attention.",)


def _reasons(settings: Settings, cadence: Cadence) -> tuple[str, ...]:
    name = settings.committee_for(cadence).name
    body = meeting_body(name)
    role = ("holds the services that lead each action to account" if _scrutiny(name) else
            "can direct resources to any action whose delivery is at risk")
    return (f"{body[0].upper()}{body[1:]} monitors the delivery of the {settings.plan_title}. "
            f"Noting progress, and asking for more where delivery is at risk, means it {role}.",)


def _background(settings: Settings, plan: Plan, merged: Merged,
                quarters: bool) -> tuple[str, ...]:
    cadence, period = merged.cadence, merged.period
    themes = plural(len(plan.priorities), "priority", "priorities")
    left_out = _not_covered(plan, merged)
    halves = (" It shows each action's status in each quarter of the half year."
              if quarters else "")
    return (
        f"The {settings.plan_title} sets out {plural(len(plan.actions), 'action')} under "
        f"{themes}. Each quarter every service area that leads an action sends a return "
        "giving the action's status, a progress update and any revised date; the returns "
        "are checked against the plan, and this paper is prepared directly from them.",
        f"This {cadence.value} report covers the "
        f"{_covered_phrase(cadences_covered(cadence, period))} actions of the plan: "
        f"{plural(len(merged.progress), 'action')} in all.{halves}",
    ) + ((left_out,) if left_out else ())


def _background_papers(settings: Settings, period: Period, cadence: Cadence) -> tuple[str, ...]:
    if settings.background_papers:
        return settings.background_papers
    holder = re.sub(r"^the\s+", "", settings.committee_for(cadence).report_of, flags=re.I)
    return (settings.plan_title,
            f"The service areas' returns for {period.label}, held by the "
            f"{holder or 'policy team'}")


def _recommendation(settings: Settings, merged: Merged, covered: Period,
                    exceptions: tuple[ExceptionLine, ...], section: str) -> str:
    name = settings.committee_for(merged.cadence).name
    considered = (f"considers the {plural(len(exceptions), 'action')} with delivery "
                  f"exceptions set out in section {section}, " if exceptions else "")
    asks = ("identifies any action it wishes to scrutinise further" if _scrutiny(name) else
            "agrees any further action needed where delivery is at risk")
    return (
        f"That {meeting_body(name)} notes the progress made on the {settings.plan_title} in "
        f"{covered.description}, {considered}and {asks}."
    )


def _delivery_findings(merged: Merged,
                       flags: Sequence[FlagLike]) -> dict[str, list[FlagLike]]:
    """Give each covered action's delivery findings (those the committee reads), most
    serious first.

    A finding about a whole return that never came, or could not be read, names the
    actions it leaves unreported (`actions`): it is an exception on each of them.
    """
    covered = merged.covered_ids
    found: dict[str, list[FlagLike]] = {}
    for flag in flags:
        if not flag.paper:
            continue
        for action_id in flag.actions or (flag.action_id,):
            if action_id in covered:
                found.setdefault(action_id, []).append(flag)
    return {a: sorted(f, key=lambda flag: flag.code.exception.rank) for a, f in found.items()}


def _kinds(found: Sequence[FlagLike]) -> tuple[str, ...]:
    """The kinds of exception on an action, in words, most serious first, each once."""
    return tuple(dict.fromkeys(flag.code.exception.value for flag in found))


# Said where an update is cut in the paper (LONG_UPDATE names it for the policy officer).
CUT_NOTE = "cut at {limit} words: the full update is in the return, archived with this paper"


def _milestone_line(m) -> str:
    """One dated milestone as its action's row shows it: "Launch: Complete (due Autumn 2025)"."""
    if not m.milestone.due_date:
        return f"{m.milestone.text}: {m.status.value}" + (
            f" (now due {long_date(m.revised_date)})" if m.revised_date else "")
    due = f"due {m.milestone.due}" + (f", now {long_date(m.revised_date)}" if m.revised_date
                                       and m.revised_date != m.milestone.due_date else "")
    return f"{m.milestone.text}: {m.status.value} ({due})"


def _action_entry(progress, kinds: Sequence[str], before: PreviousPeriod | None,
                  limit: int, due_before: frozenset[Cadence] = frozenset()) -> ActionEntry:
    """Give one action's entry; `due_before` are the cadences last quarter's returns covered
    (an action of another cadence was not due to report then)."""
    action = progress.action
    travel = {}
    if before is not None:
        direction_, detail = _travel(before, action.key, progress.status)
        earlier = before.statuses.get(action.key)
        word = earlier.value if earlier else (
            WORDS["not_in_return"] if action.cadence in due_before else WORDS["not_due"])
        travel = {"travel": direction_, "travel_detail": detail, "earlier_status": word}
    return ActionEntry(
        id=action.id,
        objective=action.title,  # the objective, else what we will do: never blank
        what_we_will_do=action.what_we_will_do,
        lead=action.lead_service_area,
        partners=action.partners or NO_PARTNERS,
        cadence=action.cadence.label,
        due_date=action.due,
        revised_date=long_date(progress.revised_date),
        milestones=tuple(m.text for m in action.milestones),
        milestone_lines=tuple(_milestone_line(m) for m in progress.milestones),
        target=action.target or NO_TARGET,
        status=progress.status,
        progress_update=cut_words(progress.progress_update, limit,
                                  CUT_NOTE.format(limit=limit)) or NO_UPDATE,
        next_steps=cut_words(progress.next_steps, limit,
                             CUT_NOTE.format(limit=limit)) or NO_NEXT_STEPS,
        flags=tuple(kinds),
        forecast=progress.forecast,
        **travel,
    )


def _sections(plan: Plan, merged: Merged, found: dict[str, list[FlagLike]],
              before: PreviousPeriod | None, limit: int) -> tuple[PrioritySection, ...]:
    """Give each priority with covered actions, in plan order, and its actions' entries."""
    sections = []
    now = merged.period
    # The six-monthly paper shows both quarters of its half, when the first one reported.
    quarters = (f"{now.previous().kind}{now.previous().number}", f"{now.kind}{now.number}") \
        if merged.cadence is Cadence.SIX_MONTHLY and before is not None else ()
    due_before = frozenset(cadences_covered(Cadence.QUARTERLY, now.previous())) \
        if quarters else frozenset()
    forecasts = any(p.forecast for p in merged.progress)
    for priority in plan.priorities:
        entries = tuple(
            _action_entry(p, _kinds(found.get(p.action.id, ())),
                          before, limit, due_before)
            for p in merged.progress if p.action.priority == priority.key
        )
        if entries:
            sections.append(PrioritySection(priority.heading, entries, quarters, forecasts,
                                            travel=before is not None))
    return tuple(sections)


def _summary(merged: Merged, sections: tuple[PrioritySection, ...], returns: tuple[ReturnLine, ...],
             before: PreviousPeriod | None, exceptions: tuple[ExceptionLine, ...],
             section: str) -> tuple[str, ...]:
    """Give the paragraphs that lead the summary: exceptions, statuses, travel, forecasts,
    returns."""
    counts = {s: sum(p.status is s for p in merged.progress) for s in STATUS_ORDER}
    summary = []
    if exceptions:  # the actions that need attention, by name, before any count
        named = "; ".join(f"{e.action_id} {e.action} ({e.problem[0].lower()}{e.problem[1:]})"
                          for e in exceptions[:8])
        more = (f"; and {len(exceptions) - 8} more in section {section}"
                if len(exceptions) > 8 else "")
        summary.append(f"Needing attention: {named}{more}.")
    summary.append(f"Of the {plural(len(merged.progress), 'action')} covered, "
                   f"{_status_phrase(counts)}.")
    actions = [a for s in sections for a in s.actions]
    if before is not None and actions:
        moved = {t: sum(a.travel is t for a in actions) for t in TRAVEL_ORDER}
        summary.append(f"Compared with {before.label}: {_travel_phrase(moved)}.")
    elif actions:  # a plan's first period: said once, not on every action
        summary.append(f"No returns came in for {merged.period.previous().label}, so this "
                       "report shows no direction of travel.")
    forecasts = [a.forecast for a in actions if a.forecast is not None]
    if forecasts:
        forecast_counts = {s: forecasts.count(s) for s in STATUS_ORDER}
        summary.append(
            f"Returns forecast a year-end status for {plural(len(forecasts), 'action')}: "
            f"{_status_phrase(forecast_counts)}.")
    summary.append(f"{_received(returns)} of {plural(len(returns), 'service area')} sent a "
                   "usable return.")
    return tuple(summary)


def _exceptions(merged: Merged, found: dict[str, list[FlagLike]], limit: int,
                body: str = "the Committee") -> tuple[str, tuple[ExceptionLine, ...]]:
    """Give the delivery exceptions' introduction and one line per action, most serious first."""
    lines = []
    for p in merged.progress:
        flags = found.get(p.action.id)
        if not flags:
            continue
        problem = "; ".join(dict.fromkeys(flag.paper for flag in flags))
        if p.next_steps and p.reason_for_revised_date:  # the why, where the return says it
            problem += f" (reason given: {p.reason_for_revised_date})"
        done = p.next_steps or p.reason_for_revised_date or (
            "No update was received." if not p.rows else "Not stated in the return.")
        lines.append((flags[0].code.exception.rank, ExceptionLine(
            action_id=p.action.id, action=p.action.title, lead=p.action.lead_service_area,
            problem=problem[0].upper() + problem[1:],
            being_done=cut_words(done, limit, CUT_NOTE.format(limit=limit)),
            by_when=long_date(p.revised_date) if p.revised_date else p.action.due)))
    ordered = tuple(line for _, line in sorted(lines, key=lambda pair: pair[0]))
    intro = (f"{plural(len(ordered), 'action needs', 'actions need')} {body}'s "
             "attention: off track, at risk, overdue, slipped, forecast to end worse or not "
             "reported. The most serious come first." if ordered else WORDS["no_exceptions"])
    return intro, ordered


def _returns(merged: Merged) -> tuple[ReturnLine, ...]:
    """Give each service area leading a covered action: its return, or that it is missing."""
    from reporting.checks.progress import unread_return  # the Word child needs no merge

    lines = []
    for service in merged.service_areas:
        ret = merged.return_for(service)
        owned = [p for p in merged.progress if service in p.action.leads]
        updated = [p for p in owned if p.rows and p.progress_update]
        outstanding = [p.action.id for p in owned if p not in updated]
        lines.append(ReturnLine(
            service_area=service,
            received="Received" if ret else (
                WORDS["unreadable"] if unread_return(merged, service) else "Missing"),
            date_completed=(long_date(ret.date_completed) if ret.date_completed
                            else WORDS["not_stated"]) if ret else "",
            actions_covered=len(owned),
            actions_updated=len(updated),
            outstanding=", ".join(outstanding) or "None",
        ))
    # The missing returns first, where a councillor looks; then the plan's order.
    return tuple(sorted(lines, key=lambda line: line.received == "Received"))


def _received(returns: tuple[ReturnLine, ...]) -> int:
    return sum(r.received == "Received" for r in returns)


def _with_glossary(model: ReportModel, glossary: Mapping[str, str] | None) -> ReportModel:
    """Give `model` with the glossary entries its words use (the model itself when none)."""
    if not glossary:
        return model
    return replace(model, glossary=_used_abbreviations(glossary, printed_text(model)))


def printed_text(model: ReportModel) -> str:
    """Give the words the documents print (not the model's unprinted plan fields)."""
    texts = [model.title, *model.purpose, model.recommendation, *model.reasons,
             *model.background, *model.summary, model.exceptions_intro, model.returns_intro,
             *(f"{heading} {words}" for heading, words in model.implications),
             *model.background_papers]
    for table in model.tables_in_order:
        texts += [cell for row in (*table.rows, *table.footer) for cell in row]
    return "\n".join(texts)


def build_report_model(
    settings: Settings,
    plan: Plan,
    merged: Merged,
    flags: Sequence[FlagLike],
    produced: datetime,
    previous: PreviousPeriod | Merged | Mapping[str, Status] | None = None,
    glossary: Mapping[str, str] | None = None,
) -> ReportModel:
    """Give the ReportModel for `merged` and its `flags`: every word both documents show.

    `flags` come most severe first, as the checks raise them; each is read only for its
    `code`, `severity` (its `.word`), `action_id`, `service_area`, `message` and `source`.
    `previous` (the previous period's statuses, see `reporting.report.travel.previous_period`)
    gives every action a direction of travel; `glossary` (abbreviation -> meaning) gives
    an appendix explaining the abbreviations the report uses.
    """
    before = as_previous_period(previous) if previous is not None else None
    period, cadence = merged.period, merged.cadence
    covered = period.half() if cadence is Cadence.SIX_MONTHLY else period
    title = f"{settings.plan_title}: {cadence.value} progress report, {period.label}"
    total = len(merged.progress)
    limit = settings.intake.long_update_words
    found = _delivery_findings(merged, flags)
    sections = _sections(plan, merged, found, before, limit)
    by_priority = summarise_priorities(sections)
    returns = _returns(merged)
    exceptions_intro, exceptions = _exceptions(
        merged, found, limit, meeting_body(settings.committee_for(cadence).name))
    model = ReportModel(
        title=title,
        running_title=f"{settings.council}: {settings.plan_title}, {period.label} "
                      f"{cadence.value} report",
        cadence=cadence.value,
        period_label=period.label,
        front=_front_sheet(settings, title, period, covered, cadence),
        purpose=_purpose(settings, covered, cadence),
        recommendation="",  # these two name a section by its number: see below
        reasons=_reasons(settings, cadence),
        background=_background(settings, plan, merged, any(s.quarters for s in sections)),
        implications=settings.implications,
        background_papers=_background_papers(settings, period, cadence),
        summary=(),
        # Every delivery status is a column; "Not reported" and "Status not given" only
        # where an action is at one.
        status_columns=tuple(s for s in STATUS_ORDER if s not in NO_STATUS or any(
            p.status is s for p in merged.progress)),
        overall=tuple(StatusCount(s, sum(p.status is s for p in merged.progress))
                      for s in STATUS_ORDER),
        by_priority=by_priority,
        exceptions_intro=exceptions_intro,
        exceptions=exceptions,
        returns_intro=(
            f"{_received(returns)} of {plural(len(returns), 'service area')} leading actions "
            f"in this report sent a usable return for {period.label}."
        ),
        returns=returns,
        sections=sections,
        status_key=_status_key(sections),
        chart=status_chart(by_priority, total) if total else None,
        # The six-monthly paper shows each quarter's status instead of a direction.
        travel_key=(tuple(TravelKeyLine(t, meaning) for t, meaning in travel_meanings(before.label))
                    if before is not None and not any(s.quarters for s in sections) else ()),
    )
    section = model.section_number("exceptions")
    model = replace(
        model, recommendation=_recommendation(settings, merged, covered, exceptions, section),
        summary=_summary(merged, sections, returns, before, exceptions, section))
    return _with_glossary(model, glossary)
