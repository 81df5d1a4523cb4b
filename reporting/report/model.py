"""The ReportModel: everything a committee member reads, already decided and worded.

Both documents (HTML/PDF and Word) are views of one ReportModel: they lay it out and never
work out a status, a count or a flag themselves. Every string here is final text. Each
table gives its header and rows (`ReportModel.tables_in_order`, every action a row of
Appendix A under its priority), so a renderer is one loop over each.

`build_report_model` puts the model together from a few builders, one per part of the paper:
front sheet, purpose and recommendation, sections of actions (`reporting.report.appendix`), summary, exceptions, returns
and glossary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from reporting.cadence import Paper, period_covered
from reporting.period import Period
from reporting.report import front_matter
from reporting.report.appendix import PrioritySection, appendix_intro, appendix_sections
from reporting.report.by_priority import (
    PrioritySummary,
    StatusChart,
    StatusCount,
    status_chart,
    status_phrase,
    summarise_priorities,
)
from reporting.report.exceptions import (
    ExceptionLine,
    FlagLike,
    delivery_findings,
    exception_lines,
)
from reporting.report.front_matter import FrontSheet
from reporting.report.outline import (
    ChartBlock,
    ContentsLine,
    Draft,
    Items,
    Paragraph,
    Section,
    Subsection,
    TableBlock,
    anchor,
    contents_lines,
    number_sections,
    paragraphs,
)
from reporting.report.tables import (
    LEAD_LINE,
    STATUS_BADGE,
    TRAVEL_BADGE,
    Column,
    Link,
    Table,
    grouped_table,
    make_table,
    table_columns,
)
from reporting.report.travel import (
    TRAVEL_ORDER,
    PreviousPeriod,
    Travel,
    as_previous_period,
    travel_meanings,
)
from reporting.report.words import WORDS
from reporting.settings import Settings
from reporting.status import NO_STATUS, STATUS_ORDER, Status
from reporting.wording import PRIORITY, Grouping, and_list, long_date, plural

if TYPE_CHECKING:  # the model's readers (the Word child) need neither pandas nor the plan
    from reporting.merge import Merged
    from reporting.plan import Plan


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


def action_anchor(action_id: str) -> str:
    """Give the anchor of an action's row in Appendix A, which its exception links to."""
    return anchor("action", action_id)


# The heading over exceptions on actions that no priority of Appendix A holds (only a model
# built by hand has any).
_OTHER_ACTIONS = "Other actions"


@dataclass(frozen=True)
class TravelKeyLine:
    travel: Travel
    meaning: str


@dataclass(frozen=True)
class ReportModel:
    """Everything the report says, in reading order."""

    title: str  # "Health & Wellbeing Action Plan 2022/23: quarterly progress report, 2022/23 Q2"
    running_title: str  # short title for page headers
    paper: Paper  # the quarterly or the six-monthly paper
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
    alternative_options: tuple[str, ...] = ()  # paragraphs
    consultation: tuple[str, ...] = ()  # paragraphs
    statutory_comments: tuple[tuple[str, str], ...] = ()  # (officer, words)
    # "Draft: not for publication" on every page of a draft awaiting clearance, else "".
    draft_mark: str = ""
    # Leads Appendix A where a large paper leaves the plan's promise to the plan itself.
    appendix_intro: tuple[str, ...] = ()  # paragraphs
    # What the plan calls the groups of its actions ([plan] grouping): the by-priority
    # table's column and the captions name them so.
    grouping: Grouping = PRIORITY

    @property
    def outline(self) -> tuple[Section, ...]:
        """The paper's sections in the order UK committee reports use, each with what it
        holds: the one list every renderer walks, and where every number comes from.

        A section with nothing to show (the glossary when it explains nothing) is left out.
        """
        tables = self.tables

        def shown(key: str) -> tuple[TableBlock, ...]:
            return (TableBlock(tables[key]),) if key in tables else ()

        chart = (ChartBlock(self.chart),) if self.chart else ()
        return number_sections((
            Draft("purpose", "Purpose of the report", paragraphs(self.purpose),
                  page_break=True),
            Draft("recommendation", "Recommendation",
                  paragraphs([self.recommendation], "recommendation")),
            Draft("reasons", "Reasons for the recommendation", paragraphs(self.reasons)),
            Draft("alternative_options", "Alternative options considered",
                  paragraphs(self.alternative_options)),
            Draft("background", "Background", paragraphs(self.background)),
            Draft("summary", "Summary of progress",
                  (*paragraphs(self.summary), *shown("by_priority"), *chart)),
            Draft("exceptions", "Delivery exceptions",
                  (Paragraph(self.exceptions_intro if self.exceptions else WORDS["no_exceptions"],
                             style="intro"),
                   *((TableBlock(self._exceptions_table()),) if self.exceptions else ()))),
            Draft("returns", "Returns received and missing",
                  (Paragraph(self.returns_intro, style="intro"), *shown("returns"))),
            Draft("consultation", "Consultation", paragraphs(self.consultation)),
            Draft("implications", "Implications",
                  tuple(Paragraph(words, label=f"{heading}.")
                        for heading, words in self.implications)),
            Draft("statutory_officers", "Comments of the statutory officers",
                  tuple(Paragraph(words, label=f"{officer}.")
                        for officer, words in self.statutory_comments)),
            Draft("background_papers", "Background papers",
                  (Items(self.background_papers),) if self.background_papers else ()),
            Draft("actions", "progress on each action",
                  (*paragraphs(self.appendix_intro, "intro"),
                   *((TableBlock(self._actions_table()),) if self.sections else ())),
                  appendix=True, page_break=True),
            Draft("status_key", "status and direction of travel keys", (*shown("status_key"), *shown("travel_key")),
                  appendix=True),
            Draft("glossary", "glossary of abbreviations", shown("glossary"), appendix=True),
        ))

    def _actions_table(self) -> Table:
        """Give Appendix A: one table, each priority's actions a group of its rows, led by a
        row naming the priority (one header for all, not a heading and a header for each).

        Every priority's table has the same columns (the model decides them once for all).
        """
        tables = [s.table for s in self.sections]
        return grouped_table(
            "actions", tables[0].columns,
            [(s.heading, anchor("actions", str(n)), table.rows)
             for n, (s, table) in enumerate(zip(self.sections, tables), 1)],
            anchors=[action_anchor(a.id) for s in self.sections for a in s.actions],
            grouping=self.grouping)

    def _exceptions_table(self) -> Table:
        """Give the delivery exceptions as one table, grouped under their priorities in
        Appendix A's order and with its headings, the most serious first in each (as
        `exceptions` come). Each action's reference links to its row in Appendix A.
        """
        priority_of = {a.id: n for n, s in enumerate(self.sections, 1) for a in s.actions}
        headings = {n: s.heading for n, s in enumerate(self.sections, 1)}
        groups: dict[int, list[ExceptionLine]] = {}
        for line in self.exceptions:
            groups.setdefault(priority_of.get(line.action_id, 0), []).append(line)
        order = sorted(groups, key=lambda n: n or len(headings) + 1)
        lines = [e for n in order for e in groups[n]]
        return grouped_table(
            "exceptions", table_columns("exceptions", "action-id", "problem", "message", "by-when"),
            [(headings.get(n, _OTHER_ACTIONS), anchor("exceptions", str(n)),
              [(f"{e.action_id} {e.action}{LEAD_LINE}{e.lead}", e.problem, e.being_done,
                e.by_when) for e in groups[n]]) for n in order],
            links=[Link(e.action_id, action_anchor(e.action_id))
                   if e.action_id in priority_of else None for e in lines],
            grouping=self.grouping)

    @property
    def headings(self) -> dict[str, str]:
        """Each section's heading as printed ("6. Delivery exceptions"), by key."""
        return {section.key: section.heading for section in self.outline}

    @property
    def contents(self) -> tuple[tuple[str, str], ...]:
        """The (key, heading) of each numbered section and appendix, in reading order."""
        return tuple((section.key, section.heading) for section in self.outline)

    @property
    def contents_lines(self) -> tuple[ContentsLine, ...]:
        """The printed contents: each section, and each priority under the delivery
        exceptions and Appendix A, with its anchor."""
        return contents_lines(self.outline)

    def section_number(self, key: str) -> str:
        return next(section.number for section in self.outline if section.key == key)

    @property
    def tables(self) -> dict[str, Table]:
        """The tables the documents show, by key (of TABLES), in reading order.

        A table with nothing to list is left out: the travel key when the report is not
        compared with a period, the glossary when it explains nothing. The delivery
        exceptions and Appendix A, each one table grouped by priority, are in the outline.
        """
        tables = {
            "front": make_table("front", table_columns("front", "item", "detail"),
                                self.front.rows()),
            "by_priority": make_table(
                "by_priority",
                (Column(self.grouping.heading, "priority"),
                 *(Column(status.value, "count", number=True) for status in self.status_columns),
                 Column(WORDS["total"], "total", number=True)),
                [(row.heading, *self._shown(row.counts), row.total) for row in self.by_priority],
                footer=[(WORDS["total"], *self._shown([line.count for line in self.overall]),
                         self.total_actions)], grouping=self.grouping),
            "returns": make_table(
                "returns",
                table_columns("returns", "service-area", "received", "date-completed",
                              "covered", "updated", "outstanding",
                              numbers=("covered", "updated"), marks_row="received"),
                [(r.service_area, r.received, r.date_completed, r.actions_covered,
                  r.actions_updated, r.outstanding)
                 for r in self.returns]),
            "status_key": make_table(
                "status_key",
                table_columns("status_key", "status-word", "meaning", badge=STATUS_BADGE),
                self.status_key),
            "travel_key": make_table(
                "travel_key",
                table_columns("travel_key", "travel-word", "meaning", badge=TRAVEL_BADGE),
                [(line.travel.value, line.meaning) for line in self.travel_key]),
            "glossary": make_table("glossary", table_columns("glossary", "term", "meaning"),
                                   self.glossary),
        }
        always = ("front", "by_priority", "status_key")
        return {key: table for key, table in tables.items() if table.rows or key in always}

    @property
    def tables_in_order(self) -> tuple[Table, ...]:
        """Every table both documents show, in reading order: the front sheet's, then each
        table of the outline (a priority's exceptions, its actions in Appendix A)."""

        def within(blocks) -> list[Table]:
            found = []
            for block in blocks:
                if isinstance(block, TableBlock):
                    found.append(block.table)
                elif isinstance(block, Subsection):
                    found += within(block.blocks)
            return found

        return (self.tables["front"],
                *(table for section in self.outline for table in within(section.blocks)))

    def _shown(self, counts) -> tuple:
        """The counts (in STATUS_ORDER) of the statuses the tables show."""
        return tuple(c for s, c in zip(STATUS_ORDER, counts, strict=True)
                     if s in self.status_columns)

    @property
    def total_actions(self) -> int:
        return sum(c.count for c in self.overall)


def _travel_phrase(counts: dict[Travel, int]) -> str:
    words = {Travel.WORSE: "worse", Travel.NO_CHANGE: "unchanged",
             Travel.IMPROVED: "improved", Travel.NOT_COMPARED: "not compared (no status "
                                                                "in one of the two)"}
    return and_list([f"{counts[t]} {words[t]}" for t in TRAVEL_ORDER if counts.get(t)])


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


# --- the builders behind build_report_model ----------------------------------------------


def _exception_counts(exceptions: tuple[ExceptionLine, ...],
                      found: Mapping[str, Sequence[FlagLike]]) -> str:
    """Give the exceptions' count made up by kind, each action counted once under its most
    serious problem, so the parts add up to the number in the recommendation."""
    kinds = [found[e.action_id][0].code.exception for e in exceptions]
    parts = [f"{kinds.count(kind)} {kind.value}"
             for kind in sorted(set(kinds), key=lambda kind: kind.rank)]
    return (f"Of the {plural(len(exceptions), 'delivery exception')}, each action counted "
            f"once under its most serious problem: {and_list(parts)}.")


def _summary(merged: Merged, sections: tuple[PrioritySection, ...], returns: tuple[ReturnLine, ...],
             before: PreviousPeriod | None, exceptions: tuple[ExceptionLine, ...],
             section: str, found: Mapping[str, Sequence[FlagLike]],
             starts: Period | None = None) -> tuple[str, ...]:
    """Give the paragraphs that lead the summary: exceptions, statuses, travel, forecasts,
    returns. `starts` is the plan's first period: none before it is missing."""
    counts = {s: sum(p.status is s for p in merged.progress) for s in STATUS_ORDER}
    summary = []
    if exceptions:  # the actions that need attention, by name, before any count
        # The kinds, not the problem in full: the table gives the detail and the reasons.
        named = "; ".join(f"{e.action_id} {e.action} ({e.kinds or e.problem.lower()})"
                          for e in exceptions[:8])
        more = (f"; and {len(exceptions) - 8} more in section {section}"
                if len(exceptions) > 8 else "")
        summary.append(_exception_counts(exceptions, found))
        summary.append(f"Needing attention: {named}{more}.")
    summary.append(f"Of the {plural(len(merged.progress), 'action')} covered, "
                   f"{status_phrase(counts)}.")
    actions = [a for s in sections for a in s.actions]
    if before is not None and actions:
        moved = {t: sum(a.travel is t for a in actions) for t in TRAVEL_ORDER}
        summary.append(f"Compared with {before.label}: {_travel_phrase(moved)}.")
    elif actions and starts is not None and starts == merged.period:
        # The plan's first quarter: nothing came before it, and nothing is missing.
        half = (f", the {('first', 'second')[(starts.number - 1) % 2]} quarter of "
                f"{starts.financial_year} H{(starts.number + 1) // 2}, so this report covers "
                "that quarter alone" if merged.paper is Paper.SIX_MONTHLY else "")
        summary.append(f"The plan began in {starts.label}{half}; there is no earlier "
                       "quarter to show a direction of travel from.")
    elif actions:  # a plan's first period: said once, not on every action
        # Not "none came in": the quarter before may have been reported before this system.
        summary.append(f"This report has no returns for {merged.period.previous().label}, "
                       "the quarter before, to compare with, so it shows no direction of "
                       "travel.")
    forecasts = [a.forecast for a in actions if a.forecast is not None]
    if forecasts:
        forecast_counts = {s: forecasts.count(s) for s in STATUS_ORDER}
        summary.append(
            f"Returns forecast a year-end status for {plural(len(forecasts), 'action')}: "
            f"{status_phrase(forecast_counts)}.")
    summary.append(_unled_returns(merged) if not returns else
                   f"{_received(returns)} of {plural(len(returns), 'service area')} sent a "
                   "usable return.")
    return tuple(summary)


def _unled_returns(merged: Merged) -> str:
    """Say what came in for a report whose actions have no lead service (a plan that names
    none): no service's return was due, so none is counted as missing."""
    came = sorted({r.service_area for r in merged.returns if r.usable and r.service_area})
    sent = (f"{plural(len(came), 'usable return')} came in ({', '.join(came)})" if came
            else "no usable return came in")
    return (f"The plan names no lead service for these actions, so no one service's return "
            f"was due; {sent} for {merged.period.label}.")


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
                            else f"given as '{ret.date_completed_text}'"
                            if ret.date_completed_text else WORDS["not_stated"]) if ret else "",
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
             *model.alternative_options, *model.consultation,
             *(f"{heading} {words}" for heading, words in
               (*model.implications, *model.statutory_comments)),
             *model.background_papers, *model.appendix_intro]
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
    period, paper = merged.period, merged.paper
    covered = period_covered(paper, period)
    # The period the paper covers ("2022/23 H1" for a six-monthly one, as its front sheet
    # says), after the plan's title, which may have a colon of its own: then a dash.
    joint = " \u2013 " if ":" in settings.plan_title else ": "
    title = f"{settings.plan_title}{joint}{paper.value} progress report, {covered.label}"
    total = len(merged.progress)
    limit = settings.intake.text_bounds
    found = delivery_findings(merged, flags)
    grouping = settings.grouping
    sections = appendix_sections(plan, merged, found, before, limit, grouping)
    by_priority = summarise_priorities(sections)
    returns = _returns(merged)
    exceptions_intro, exceptions = exception_lines(
        merged, found, limit, front_matter.meeting_body(settings.committee_for(paper).name),
        grouping)
    model = ReportModel(
        title=title,
        running_title=f"{settings.council}: {settings.plan_title}, {covered.label} "
                      f"{paper.value} report",
        paper=paper,
        period_label=period.label,
        front=front_matter.front_sheet(settings, title, period, covered, paper),
        purpose=front_matter.purpose(settings, covered, paper),
        recommendation="",  # these two name a section by its number: see below
        reasons=front_matter.reasons(settings, paper),
        background=front_matter.background(settings, plan, merged, any(s.quarters for s in sections)),
        implications=settings.implications,
        alternative_options=front_matter.alternative_options(settings, paper),
        statutory_comments=front_matter.statutory_comments(settings),
        background_papers=front_matter.background_papers(settings, period, paper),
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
        returns_intro=_unled_returns(merged) if not returns else (
            f"{_received(returns)} of {plural(len(returns), 'service area')} leading actions "
            f"in this report sent a usable return for {period.label}."
        ),
        returns=returns,
        sections=sections,
        appendix_intro=appendix_intro(
            total, sum(a.shows_promise for s in sections for a in s.actions),
            settings.plan_published_at),
        status_key=_status_key(sections),
        chart=status_chart(by_priority, total, grouping) if total else None,
        grouping=grouping,
        # The six-monthly paper shows each quarter's status instead of a direction.
        travel_key=(tuple(TravelKeyLine(t, meaning) for t, meaning in travel_meanings(before.label))
                    if before is not None and not any(s.quarters for s in sections) else ()),
    )
    section = model.section_number("exceptions")
    model = replace(
        model,
        recommendation=front_matter.recommendation(settings, merged, covered, exceptions,
                                                   section),
        summary=_summary(merged, sections, returns, before, exceptions, section, found,
                         plan.starts),
        consultation=front_matter.consultation(settings, period,
                                               model.section_number("returns")))
    return _with_glossary(model, glossary)
