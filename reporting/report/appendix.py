"""Appendix A: every covered action, a row under its priority, with what the plan promised
beside what the return says.

The promise (what we will do, the target, each milestone with its date and status) is what
"On track" is judged against. A large paper cannot give it for every action and stay
within 150 pages: above `FULL_PROMISE_UP_TO` covered actions only the delivery exceptions
carry it, and the appendix says where the whole plan is published.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reporting.cadence import Cadence, Paper, cadences_covered
from reporting.report.exceptions import (
    NEW_DATE_GIVEN_AS,
    FlagLike,
    kinds_of,
    new_date_words,
    unread_milestone_date,
)
from reporting.report.tables import COLUMNS, LEAD_LINE, STATUS_BADGE, TRAVEL_BADGE, Column, \
    Table, make_table
from reporting.report.travel import PreviousPeriod, Travel, direction
from reporting.services import service_key
from reporting.report.words import (
    CUT_NOTE,
    NO_LEAD,
    NO_NEXT_STEPS,
    NO_PARTNERS,
    NO_TARGET,
    NO_UPDATE,
    PLAN_CUT_NOTE,
    SHORT_CUT_NOTE,
    WORDS,
)
from reporting.status import Status, worse_of
from reporting.wording import PRIORITY, Grouping, TextBounds, cut_words, long_date, plural, \
    same_words

if TYPE_CHECKING:  # the model's readers (the Word child) need neither pandas nor the plan
    from reporting.merge import Merged, Progress
    from reporting.plan import Plan


# Up to this many covered actions every row gives the plan's promise; above it only the
# delivery exceptions do (issue 19: the 150-page cap wins over a complete appendix).
FULL_PROMISE_UP_TO = 250


# In a paper above FULL_PROMISE_UP_TO actions each row's update is cut here (and the
# appendix says where the whole update is): 1,000 actions' updates at the 150 words an
# officer may write would run to 200 pages alone.
LARGE_PAPER_UPDATE_WORDS = 50


# A plan's "what we will do", target or milestone is cut here in a row: the plan itself
# keeps the whole text, and a paragraph pasted into a plan cell would make a row a page.
PROMISE_WORDS = 40


# A six-monthly row gives the first quarter's update where the status moved between the
# quarters or the action is a delivery exception (where a reader weighs the change), and
# the words differ, cut here: the second quarter's is the news, the first's is what it is
# read against. On every row whose words differ the bundled paper ran to 10 pages, not 9.
EARLIER_UPDATE_WORDS = 40
EARLIER_CUT_NOTE = "cut"
EARLIER_LABEL = "{quarter} update:"


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
    # What the plan promised, where the row gives it (a large paper gives it for the
    # exceptions only): what we will do, under the action ("We will: ..."; none where the
    # action's own words say it), then the target, when the action is due and each
    # milestone with its date and status, leading the update ("Target: ...", "Due: Spring
    # 2027", "Milestone: Launch: Complete (due ...)").
    promise: tuple[str, ...] = ()
    target_line: str = ""
    due_line: str = ""
    milestone_lines: tuple[str, ...] = ()
    earlier_status: str = ""  # the status word last quarter ("" when not compared)
    # The new date the return gave, with its reason ("New date: 31 January 2024 (reason:
    # ...)"), also for an action the plan gives no due date; "" when none was given.
    new_date_line: str = ""
    # A six-monthly row's first quarter's update where it says other words than the
    # second's: "Q1 update: ..." ("" where they agree, either is silent, or not six-monthly).
    earlier_update: str = ""

    @property
    def shows_promise(self) -> bool:
        return bool(self.target_line or self.due_line or self.milestone_lines)

    @property
    def action_and_lead(self) -> str:
        """The action and what we will do, then its lead service on a line of its own:
        "…\nWe will: …\nLead: Housing"."""
        return "\n".join((self.objective, *self.promise)) + f"{LEAD_LINE}{self.lead}"

    @property
    def promise_and_update(self) -> str:
        """The update, led by the target and the milestones where the row gives them: what
        the status is judged against, beside it."""
        measures = [line for line in (self.target_line, self.due_line, *self.milestone_lines)
                    if line]
        new_date = (f"\n{self.new_date_line}" if self.new_date_line.endswith(".")
                    else f"\n{self.new_date_line}.") if self.new_date_line else ""
        if not measures:
            return self.progress_update + new_date
        # One paragraph (each part ends a sentence), then the officer's words on their own.
        said = " ".join(m if m.endswith((".", "!", "?", ":")) else f"{m}." for m in measures)
        return "\n".join((said, f"{WORDS['update']} {self.progress_update}")) + new_date

    @property
    def promise_update_and_forecast(self) -> str:
        """As `promise_and_update`, ending with the year-end forecast where the return gave
        one (for a table without a forecast column)."""
        if self.forecast is None:
            return self.promise_and_update
        return f"{self.promise_and_update}\n{WORDS['forecast']} {self.forecast.value}."

    def message(self, forecast: bool) -> str:
        """The row's last cell: the promise and the update (and the forecast, `forecast`
        for a table without its column), then the first quarter's update where it differs."""
        said = self.promise_update_and_forecast if forecast else self.promise_and_update
        return f"{said}\n{self.earlier_update}" if self.earlier_update else said

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
class PrioritySection:
    heading: str
    actions: tuple[ActionEntry, ...]
    # A six-monthly paper shows each quarter of its half: ("Q1", "Q2"); else ().
    quarters: tuple[str, ...] = ()
    # False: few returns gave a forecast, so a forecast is a line of its update, not a
    # column of "Not given" taking the update's width.
    forecasts: bool = True
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
        # The lead and the promise are lines in the action's and the update's cells, not
        # columns of their own: the width goes to the words, which make an appendix long.
        cells = [(Column(COLUMNS["actions"][0], "action-id"), lambda a: a.id),
                 (Column(COLUMNS["actions"][1], "objective"), lambda a: a.action_and_lead),
                 *status_columns, *forecast, *travel,
                 (Column(COLUMNS["actions"][5], "message"),
                  lambda a: a.message(forecast=not self.forecasts))]
        rows = [tuple(value(a) for _, value in cells) for a in self.actions]
        table = make_table("actions", tuple(column for column, _ in cells), rows)
        return replace(table, caption=self.heading)


def promise_for_all(covered: int) -> bool:
    """Tell whether every row of a paper covering `covered` actions gives the plan's promise."""
    return covered <= FULL_PROMISE_UP_TO


def appendix_intro(covered: int, promised: int, published_at: str) -> tuple[str, ...]:
    """Give the paragraph that leads Appendix A where it leaves the promise to the plan
    (none when every row gives it)."""
    if promise_for_all(covered):
        return ()
    where = (f"at {published_at}" if published_at.startswith(("http://", "https://", "www."))
             else f"on {published_at}")
    return (f"This paper covers {covered:,} actions. To keep it to a length members "
            f"can read, this appendix gives what the plan promised (what we will do, the "
            f"target and each milestone) only for the {plural(promised, 'action')} with a "
            f"delivery exception, and cuts each update at {LARGE_PAPER_UPDATE_WORDS} words. "
            f"The whole plan is published {where}; every return, with its updates in full, "
            f"is archived with this paper.",)


# --- the builder ------------------------------------------------------------------------


def _plan_words(text: str) -> str:
    return cut_words(text, PROMISE_WORDS, PLAN_CUT_NOTE.format(limit=PROMISE_WORDS))


def _when(milestone) -> str:
    """When a milestone is due as the plan says it ("Year 2", "Ongoing", "Autumn 2025",
    "31 March 2026"), or "undated" where it says nothing."""
    return milestone.due or WORDS["no_milestone_date"]


def _with_when(milestone, status: str = "") -> str:
    """A milestone's words, its status where given, then when it is due in brackets, unless
    its own words already say so ("Launch by Autumn 2025")."""
    said = _plan_words(milestone.text) + (f": {status}" if status else "")
    if milestone.due and _words(milestone.due) in _words(milestone.text):
        return said
    return f"{said} ({_when(milestone)})"


def _dated_line(m) -> str:
    """One milestone of a plan that dates its milestones: "Launch: Complete (due Autumn
    2025)", "Report to Cabinet: Not reported (no date set)"."""
    unread = unread_milestone_date(m)
    if unread:  # the officer's words for a new date that read as no date
        when = f"due {m.milestone.due}, " if m.milestone.due else ""
        when += NEW_DATE_GIVEN_AS.format(words=unread)
    elif not m.milestone.due_date:
        if not m.revised_date:
            return _with_when(m.milestone, m.status.value)
        when = (f"due {m.milestone.due}, now {long_date(m.revised_date)}" if m.milestone.due
                else f"now due {long_date(m.revised_date)}")
    else:
        moved = bool(m.revised_date) and m.revised_date != m.milestone.due_date
        when = f"due {m.milestone.due}" + (f", now {long_date(m.revised_date)}" if moved
                                           else "")
        if not moved and _words(m.milestone.due) in _words(m.milestone.text):
            # "Launch by Autumn 2025": the plan's words already say when it is due.
            return f"{_plan_words(m.milestone.text)}: {m.status.value}"
    return f"{_plan_words(m.milestone.text)}: {m.status.value} ({when})"


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def _undated_lines(progress: Progress) -> tuple[str, ...]:
    """Each milestone of an action whose plan dates none, with the status the return gave
    it: the rows that name it, else (one milestone, reported as the action) the action's.

    Several milestones reported together in one row have no status each: the heading says
    so, and the action's status stands beside them.
    """
    milestones = progress.action.milestones
    named = {_words(r.milestone) for r in progress.rows if r.milestone}
    together = len(milestones) > 1 and bool(progress.rows) and not named

    def status(milestone) -> str:
        mine = [r for r in progress.rows if _words(r.milestone) == _words(milestone.text)]
        if mine:
            given = [r.status for r in mine if r.status is not None]
            return (worse_of(given) if given else Status.NOT_GIVEN if any(
                r.progress_update for r in mine) else Status.NO_UPDATE).value
        if not progress.rows or named:  # nothing came in, or the return left this one out
            return Status.NO_UPDATE.value
        return progress.status.value  # the action's one milestone, reported as the action

    if len(milestones) == 1:
        return (f"{WORDS['milestone']} {_with_when(milestones[0], status(milestones[0]))}",)
    # Where the plan gives any of them words for when ("Year 2", "Ongoing"), each says its
    # own; where it gives none, the heading says they are undated, once.
    worded = any(m.due for m in milestones)
    statuses = {status(m) for m in milestones}
    if together or len(statuses) == 1:  # one status for all: said once, before them
        when = "_when" if worded else ""
        heading = WORDS[f"milestones_together{when}"] if together else \
            WORDS[f"milestones_each{when}"].format(status=statuses.pop())
        named = (_with_when(m) if worded else _plan_words(m.text) for m in milestones)
        return (f"{heading} {'; '.join(named)}",)
    if worded:
        return (f"{WORDS['milestones']} "
                + "; ".join(_with_when(m, status(m)) for m in milestones),)
    return (f"{WORDS['milestones_undated']} "
            + "; ".join(f"{_plan_words(m.text)}: {status(m)}" for m in milestones),)


def _milestone_lines(progress: Progress) -> tuple[str, ...]:
    """The row's milestone lines: each with its date and status, headed "Milestones:" where
    there are several; one line when the plan sets none."""
    if progress.milestones:  # the plan dates them: the merge gave each its own progress
        lines = tuple(_dated_line(m) for m in progress.milestones)
        return (f"{WORDS['milestone']} {lines[0]}",) if len(lines) == 1 else (
            WORDS["milestones"], *lines)
    if progress.action.milestones:
        return _undated_lines(progress)
    return (WORDS["no_milestone"],)


def _said_in(text: str, action) -> bool:
    """Tell whether every word of `text` is in the action's own words (said once, not twice)."""
    return set(_words(text).split()) <= set(_words(action.title).split())


def _when_line(action) -> str:
    """When the plan says the action is due, beside what its status is judged against: in
    its own words where it has them ("Due: Ongoing", "Due: Spring 2027", "Due: 2027/28"),
    else the day ("Due: 31 March 2027"); "" where the plan gives neither."""
    return f"{WORDS['due']} {action.due}" if action.due_date or action.by_when else ""


def _promise(action) -> tuple[str, ...]:
    """What we will do, as a line under the action (none where the action says it)."""
    if not action.what_we_will_do or _said_in(action.what_we_will_do, action):
        return ()
    return (f"{WORDS['we_will']} {_plan_words(action.what_we_will_do)}",)


def _target_line(action) -> str:
    """The target, or that the plan sets none ("" where the action's own words say it)."""
    if not action.target:
        return WORDS["no_target_line"]
    return "" if _said_in(action.target, action) else \
        f"{WORDS['target']} {_plan_words(action.target)}"


def _travel(previous: PreviousPeriod, action_id: str, now: Status) -> tuple[Travel, str]:
    """Give the direction of travel of one action, and what it is measured from."""
    before = previous.statuses.get(action_id)
    travel = direction(before, now)
    if before is None:
        return travel, f"no status in {previous.label}"
    return travel, f"was {before.value} in {previous.label}"


def _update(text: str, limit: TextBounds, large: bool) -> str:
    """The update as the row shows it: cut at `limit` words, or in a large paper at
    LARGE_PAPER_UPDATE_WORDS, with a short note (the appendix's introduction says where the
    rest is)."""
    if not large:
        return cut_words(text, limit, CUT_NOTE.format(limit=limit)) or NO_UPDATE
    short = replace(limit, words=min(limit.words, LARGE_PAPER_UPDATE_WORDS))
    return cut_words(text, short, SHORT_CUT_NOTE.format(limit=short)) or NO_UPDATE


def _new_date_line(progress: Progress, limit: TextBounds) -> str:
    """The new date the return gave, with its reason: "New date: 31 January 2024 (reason:
    ...)", "New date given as 'when the contractor returns'"; "" when none was given."""
    said = new_date_words(progress, limit)
    if not said:
        return ""
    return f"New date: {said}" if progress.revised_date else said[0].upper() + said[1:]


def _earlier_update(progress: Progress, before: PreviousPeriod, quarter: str,
                    exception: bool) -> str:
    """The first quarter's update on a six-monthly row whose status moved since, or which
    is a delivery exception (`exception`), where the first quarter gave words and the second
    gave none or others:
    "Q1 update: ..." cut at EARLIER_UPDATE_WORDS; else "". The lead service's words, as the
    merge takes (any service's where the plan names no lead)."""
    now = progress.progress_update
    if not exception and before.statuses.get(progress.action.key) is progress.status:
        return ""
    key = progress.action.key
    leads = [service_key(lead) for lead in progress.action.leads]
    said = [before.updates[(lead, key)] for lead in leads if (lead, key) in before.updates] \
        if leads else [words for (_, action), words in before.updates.items() if action == key]
    earlier = "\n".join(said)
    # With nothing this quarter the first quarter's words still show the half year's work.
    if not earlier or (now and same_words(earlier, now)):
        return ""
    words = " ".join(earlier.split())
    cut = cut_words(words, EARLIER_UPDATE_WORDS, EARLIER_CUT_NOTE)
    return f"{EARLIER_LABEL.format(quarter=quarter)} {cut}"


def _action_entry(progress: Progress, kinds: Sequence[str], before: PreviousPeriod | None,
                  limit: TextBounds, due_before: frozenset[Cadence] = frozenset(),
                  promised: bool = True, large: bool = False,
                  earlier_quarter: str = "") -> ActionEntry:
    """Give one action's entry; `due_before` are the cadences last quarter's returns covered
    (an action of another cadence was not due to report then); `promised`: the row gives
    the plan's promise; `large`: the paper is above FULL_PROMISE_UP_TO actions;
    `earlier_quarter` ("Q1"): a six-monthly row, which may give that quarter's update
    (`_earlier_update`; not in a large paper, which keeps to the latest)."""
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
        objective="\n".join(w for w in (action.title, action.carried_words) if w),  # never blank
        what_we_will_do=action.what_we_will_do,
        lead=action.lead_service_area or NO_LEAD,
        partners=action.partners or NO_PARTNERS,
        cadence=action.cadence.label,
        due_date=action.due,
        revised_date=long_date(progress.revised_date),
        milestones=tuple(m.text for m in action.milestones),
        milestone_lines=_milestone_lines(progress) if promised else (),
        promise=_promise(action) if promised else (),
        target_line=_target_line(action) if promised else "",
        due_line=_when_line(action) if promised else "",
        target=action.target or NO_TARGET,
        status=progress.status,
        progress_update=_update(progress.progress_update, limit, large),
        next_steps=cut_words(progress.next_steps, limit,
                             CUT_NOTE.format(limit=limit)) or NO_NEXT_STEPS,
        flags=tuple(kinds),
        forecast=progress.forecast,
        new_date_line=_new_date_line(progress, limit),
        earlier_update=_earlier_update(progress, before, earlier_quarter, bool(kinds))
        if earlier_quarter and before is not None and not large else "",
        **travel,
    )


def appendix_sections(plan: Plan, merged: Merged, found: Mapping[str, Sequence[FlagLike]],
                      before: PreviousPeriod | None, limit: TextBounds,
                      grouping: Grouping = PRIORITY) -> tuple[PrioritySection, ...]:
    """Give each priority with covered actions, in plan order, and its actions' entries;
    above FULL_PROMISE_UP_TO actions only the exceptions' rows give the plan's promise."""
    sections = []
    now = merged.period
    # The six-monthly paper shows both quarters of its half, when the first one reported.
    quarters = (f"{now.previous().kind}{now.previous().number}", f"{now.kind}{now.number}") \
        if merged.paper is Paper.SIX_MONTHLY and before is not None else ()
    due_before = frozenset(cadences_covered(Paper.QUARTERLY, now.previous())) \
        if quarters else frozenset()
    # The forecast is a column where at least half the actions have one.
    forecasts = 2 * sum(p.forecast is not None for p in merged.progress) >= len(merged.progress)
    every_row = promise_for_all(len(merged.progress))
    for priority in plan.priorities:
        entries = tuple(
            _action_entry(p, kinds_of(found.get(p.action.id, ())), before, limit, due_before,
                          promised=every_row or bool(found.get(p.action.id)),
                          large=not every_row, earlier_quarter=quarters[0] if quarters else "")
            for p in merged.progress if p.action.priority == priority.key
        )
        if entries:
            sections.append(PrioritySection(priority.headed(grouping.heading), entries, quarters, forecasts,
                                            travel=before is not None))
    return tuple(sections)
