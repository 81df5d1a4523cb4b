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
from datetime import datetime
from typing import TYPE_CHECKING

from reporting.cadence import Cadence, cadences_covered
from reporting.report import front_matter
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
    kinds_of,
)
from reporting.report.front_matter import FrontSheet
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
from reporting.report.tables import (
    COLUMNS,
    LEAD_LINE,
    STATUS_BADGE,
    TRAVEL_BADGE,
    Column,
    Table,
    make_table,
    table_columns,
)
from reporting.report.travel import (
    TRAVEL_ORDER,
    PreviousPeriod,
    Travel,
    as_previous_period,
    direction,
    travel_meanings,
)
from reporting.report.words import (
    CUT_NOTE,
    NO_NEXT_STEPS,
    NO_PARTNERS,
    NO_TARGET,
    NO_UPDATE,
    WORDS,
)
from reporting.settings import Settings
from reporting.status import NO_STATUS, STATUS_ORDER, Status
from reporting.wording import and_list, cut_words, long_date, plural

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
        table = make_table("actions", tuple(column for column, _ in cells), rows)
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
    alternative_options: tuple[str, ...] = ()  # paragraphs
    consultation: tuple[str, ...] = ()  # paragraphs
    statutory_comments: tuple[tuple[str, str], ...] = ()  # (officer, words)
    # "Draft: not for publication" on every page of a draft awaiting clearance, else "".
    draft_mark: str = ""

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
                             style="intro"), *shown("exceptions"))),
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
                  tuple(Subsection(s.heading, (TableBlock(s.table),)) for s in self.sections),
                  appendix=True),
            Draft("status_key", "status key", (*shown("status_key"), *shown("travel_key")),
                  appendix=True),
            Draft("glossary", "glossary of abbreviations", shown("glossary"), appendix=True),
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
            "front": make_table("front", table_columns("front", "item", "detail"),
                                self.front.rows()),
            "by_priority": make_table(
                "by_priority",
                (Column(WORDS["priority"], "priority"),
                 *(Column(status.value, "count", number=True) for status in self.status_columns),
                 Column(WORDS["total"], "total", number=True)),
                [(row.heading, *self._shown(row.counts), row.total) for row in self.by_priority],
                footer=[(WORDS["total"], *self._shown([line.count for line in self.overall]),
                         self.total_actions)]),
            "exceptions": make_table(
                "exceptions",
                table_columns("exceptions", "action-id", "problem", "message", "by-when"),
                [(f"{e.action_id} {e.action}{LEAD_LINE}{e.lead}", e.problem,
                  e.being_done, e.by_when)
                 for e in self.exceptions]),
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
            _action_entry(p, kinds_of(found.get(p.action.id, ())),
                          before, limit, due_before)
            for p in merged.progress if p.action.priority == priority.key
        )
        if entries:
            sections.append(PrioritySection(priority.heading, entries, quarters, forecasts,
                                            travel=before is not None))
    return tuple(sections)


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
             section: str, found: Mapping[str, Sequence[FlagLike]]) -> tuple[str, ...]:
    """Give the paragraphs that lead the summary: exceptions, statuses, travel, forecasts,
    returns."""
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
    elif actions:  # a plan's first period: said once, not on every action
        summary.append(f"No returns came in for {merged.period.previous().label}, so this "
                       "report shows no direction of travel.")
    forecasts = [a.forecast for a in actions if a.forecast is not None]
    if forecasts:
        forecast_counts = {s: forecasts.count(s) for s in STATUS_ORDER}
        summary.append(
            f"Returns forecast a year-end status for {plural(len(forecasts), 'action')}: "
            f"{status_phrase(forecast_counts)}.")
    summary.append(f"{_received(returns)} of {plural(len(returns), 'service area')} sent a "
                   "usable return.")
    return tuple(summary)


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
             *model.alternative_options, *model.consultation,
             *(f"{heading} {words}" for heading, words in
               (*model.implications, *model.statutory_comments)),
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
    limit = settings.intake.text_bounds
    found = delivery_findings(merged, flags)
    sections = _sections(plan, merged, found, before, limit)
    by_priority = summarise_priorities(sections)
    returns = _returns(merged)
    exceptions_intro, exceptions = exception_lines(
        merged, found, limit, front_matter.meeting_body(settings.committee_for(cadence).name))
    model = ReportModel(
        title=title,
        running_title=f"{settings.council}: {settings.plan_title}, {period.label} "
                      f"{cadence.value} report",
        cadence=cadence.value,
        period_label=period.label,
        front=front_matter.front_sheet(settings, title, period, covered, cadence),
        purpose=front_matter.purpose(settings, covered, cadence),
        recommendation="",  # these two name a section by its number: see below
        reasons=front_matter.reasons(settings, cadence),
        background=front_matter.background(settings, plan, merged, any(s.quarters for s in sections)),
        implications=settings.implications,
        alternative_options=front_matter.alternative_options(settings, cadence),
        statutory_comments=front_matter.statutory_comments(settings),
        background_papers=front_matter.background_papers(settings, period, cadence),
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
        model,
        recommendation=front_matter.recommendation(settings, merged, covered, exceptions,
                                                   section),
        summary=_summary(merged, sections, returns, before, exceptions, section, found),
        consultation=front_matter.consultation(settings, period,
                                               model.section_number("returns")))
    return _with_glossary(model, glossary)
