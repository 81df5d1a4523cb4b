"""Merge the returns against the plan: each row's fate, then one Progress per covered action.

Two steps, both plain functions:

- `decide_fates` decides, once for the period, what becomes of every row of every return:
  used, or not used and why (its file was superseded, it names no action in the plan, it
  is a duplicate of a row preferred to it, `preferred_row`). Receipts, checks and every
  report of the period read the same decision, so a receipt can never say "accepted" about
  a row a paper ignored.
- `merge` joins the plan's actions a report covers with the rows used for them.

Last period's returns are boiled down once, by `digest_last_period`, into a `LastPeriod`
that rides on the period's decision: the fates (a file repeating last period's words is
last period's return), the STALE_UPDATE check and the direction of travel all read it.

Both are plain loops over the rows (no pandas: `reporting check` decides fates too, and
must not pay pandas' import for a few hundred rows); the join of actions and rows keeps
the plan's order, as a left join on the action ID would.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from functools import cached_property

from reporting.cadence import Paper, cadences_covered
from reporting.intake.returns import Return, ReturnRow, choose_returns, service_named_by
from reporting.period import Period
from reporting.plan import Action, Meaning, Milestone, Plan
from reporting.services import known_service, same_service, service_key
from reporting.status import Status, worse_of
from reporting.wording import long_date, same_words


class Fate(str, Enum):
    """What became of one row of a return; the value is the code of the finding it raises
    (`raises`: none for a row used, or left blank)."""

    USED = ""
    # A template's row the officer wrote nothing in, for an action the service is not named
    # to report (another service's, or one the plan names no lead for): no row was sent.
    BLANK = "BLANK"
    SUPERSEDED = "SUPERSEDED_RETURN"
    UNKNOWN_ACTION = "UNKNOWN_ACTION"
    NOT_LEAD = "NOT_LEAD_SERVICE"  # a row for an action another service leads
    OLD = "OLD_RETURN"  # the file repeats last period's return: it is last period's
    # The file's name names one service, its Service area cell another, and that other
    # service's own return (name and cell agreeing) is used: a file never replaces it.
    MISNAMED = "SERVICE_NAME_MISMATCH"
    DUPLICATE = "DUPLICATE_UPDATE"
    # The row's milestone is another action's, none of its own: its reference was mistyped
    # (1.10 typed into a number cell becomes 1.1), so it is not used for either.
    ELSEWHERE = "MILESTONE_ELSEWHERE"

    @property
    def raises(self) -> str:
        """The code of the finding a row of this fate raises, "" for none."""
        return "" if self in (Fate.USED, Fate.BLANK) else self.value


class Preferred(str, Enum):
    """Why, of two rows for the same action and milestone, one was used and not the other."""

    STATUS = "status"  # it gives a status the report reads; the other gives none
    VISIBLE = "visible"  # the other is hidden in Excel
    WORSE = "worse"  # its status is the worse: a duplicate never hides an exception
    FIRST = "first"  # nothing else between them: the first counts


@dataclass(frozen=True)
class RowFate:
    """One row of a return and what became of it."""

    ret: Return
    row: ReturnRow
    fate: Fate
    instead: ReturnRow | None = None  # for a duplicate: the row that was used instead
    instead_file: str = ""  # and the file it is in
    # The plan's references an Action ID naming none may mean (`Plan.meant_by`: "B4,3" for
    # B4.3): one, the row was read as that action's; several, it was not used.
    meant: tuple[str, ...] = ()
    read_how: str = ""  # how the one action meant was read ("the brackets round it left out")
    together: bool = False  # the ID names each action `meant` ("1.c/1.d"): not used
    preferred: Preferred | None = None  # for a duplicate: why `instead` was used

    @property
    def instead_place(self) -> str:
        """Where the row used instead of a duplicate is: "Return!A9" or "b.xlsx, Return!A9"."""
        where = self.instead.where("Action ID") if self.instead else ""
        return where if self.instead_file == self.ret.file else f"{self.instead_file}, {where}"

    @property
    def used(self) -> bool:
        return self.fate is Fate.USED


@dataclass(frozen=True)
class LastSaid:
    """What one row of last period's chosen return for a service said."""

    service: str  # service_key of the plan's name for the service area
    action_id: str
    milestone: str  # in lower case; "" for a row on the action as a whole
    status: Status | None
    update: str


@dataclass(frozen=True)
class LastPeriod:
    """Last period's returns boiled down: what each service's chosen return said, row by row.

    Made once a period by `digest_last_period`; every reader of last period reads this.
    """

    period: Period  # the period these returns were for
    said: tuple[LastSaid, ...] = ()  # in file and row order

    @cached_property
    def _first_words(self) -> dict[tuple[str, ...], str]:
        found: dict[tuple[str, ...], str] = {}
        for row in self.said:
            found.setdefault((row.service, row.action_id, row.milestone), row.update)
            found.setdefault((row.service, row.action_id), row.update)
        return found

    def update(self, service: str, action_id: str, milestone: str | None = None) -> str:
        """Give the words `service` gave last period on the action's `milestone` (any case),
        else on its first row for the action; "" when it said nothing."""
        words = self._first_words
        action = words.get((service, action_id), "")
        return action if milestone is None else \
            words.get((service, action_id, milestone.lower()), action)

    def updates_of(self, service: str) -> dict[str, str]:
        """Give {action ID: the words of `service`'s first row on it} from last period."""
        return {key[1]: words for key, words in self._first_words.items()
                if len(key) == 2 and key[0] == service}

    def statuses(self) -> dict[str, Status]:
        """Give each action's status last period: the worse of the statuses its rows gave,
        whichever service gave them (an action with none given is left out)."""
        found: dict[str, list[Status]] = {}
        for row in self.said:
            if row.status is not None and row.action_id:
                found.setdefault(row.action_id, []).append(row.status)
        return {key: worse_of(value) for key, value in found.items()}


def digest_last_period(plan: Plan | None, returns: list[Return] | tuple[Return, ...],
                       period: Period) -> LastPeriod:
    """Give last period's `returns` (for `period`) boiled down: one return per service (as
    the period chose them: its Period field, then the latest completed), each row's service,
    action, milestone, status and words."""
    service = lambda name: service_key(plan_service(plan, name))  # noqa: E731
    chosen = choose_returns(list(returns), period, service)
    return LastPeriod(period, tuple(
        LastSaid(key, row.action_id, row.milestone.lower(), row.status, row.progress_update)
        for key, ret in chosen.items() for row, _ in _as_planned(plan, ret)))


def _as_planned(plan: Plan | None, ret: Return) -> tuple[tuple[ReturnRow, Meaning], ...]:
    """Give each row of `ret` as the plan reads its Action ID, with what it may mean when it
    names no action itself (`Plan.meant_by`): a row whose ID means one action is that
    action's ("B4,3" is B4.3's, "(6.d)" 6.d's); one that may mean several, or names several
    together ("1.c/1.d"), is left as typed."""
    read = []
    for row in ret.rows:
        meant = Meaning() if plan is None or row.action_id in plan.keys else \
            plan.meant_by(row.raw_action_id)
        if len(meant.actions) == 1:
            row = replace(row, action_id=meant.actions[0].key)
        read.append((row, meant))
    return tuple(read)


@dataclass(frozen=True)
class PeriodUpdates:
    """Every return of a period, the one used for each service, and each row's fate."""

    period: Period
    plan: Plan | None  # None when returns are checked without a plan
    returns: tuple[Return, ...]  # every return read, usable or not
    received: dict[str, Return]  # service_key(service area) -> the usable return used for it
    fates: tuple[RowFate, ...]  # every row of every usable return, in file order
    last_period: LastPeriod | None = None  # last period's returns boiled down, if given

    def service_of(self, ret: Return) -> str:
        """Give the key of the plan's service area `ret` is from (as `received` is keyed)."""
        return service_key(plan_service(self.plan, ret.service_area))

    def return_for(self, service_area: str) -> Return | None:
        """Give the return used for `service_area`, or None when none usable came in."""
        return self.received.get(service_key(plan_service(self.plan, service_area)))

    def fates_of(self, ret: Return) -> tuple[RowFate, ...]:
        return tuple(f for f in self.fates if f.ret is ret)

    def used_rows(self) -> tuple[RowFate, ...]:
        return tuple(f for f in self.fates if f.used)


class _Dated:
    """The date rules an action and a dated milestone share: written once."""

    revised_date: date | None
    status: Status
    dated_by: ReturnRow | None  # the row whose revised date it takes, None when none gave one

    @property
    def slipped(self) -> bool:
        """Tell whether a return moved it past its planned date."""
        planned = self.planned.due_date
        return bool(self.revised_date and planned and self.revised_date > planned)

    @property
    def due(self) -> date | None:
        return self.revised_date or self.planned.due_date

    @property
    def due_words(self) -> str:
        """The date it is due, as the paper says it: a new date, else the plan's words."""
        return long_date(self.revised_date) if self.revised_date else self.planned.due

    def overdue(self, end: date) -> bool:
        """Tell whether it was due by `end` (a period's last day) and is not done."""
        return self.due is not None and self.due <= end and self.status is not Status.COMPLETE

    def read_otherwise(self):
        """Give it as it stands had its new date's words been read as the other day they may
        mean ("Jan 24": 24 January, not January 2024), None when they mean one day only."""
        other = self.dated_by.revised_date_meant if self.dated_by else None
        return replace(self, revised_date=other) if other else None


@dataclass(frozen=True)
class MilestoneProgress(_Dated):
    """Where one milestone with its own due date stands: its rows' worst status and new date."""

    milestone: Milestone
    status: Status  # NO_UPDATE when no row named it, NOT_GIVEN when none gave a status
    revised_date: date | None
    reason_for_revised_date: str
    row: ReturnRow | None  # the row with the latest revised date, else the first that named it
    return_file: str = ""

    @property
    def planned(self):
        """What the plan says of the milestone: its due date and the words for it."""
        return self.milestone

    @property
    def dated_by(self) -> ReturnRow | None:
        return self.row if self.revised_date else None


@dataclass(frozen=True)
class Progress(_Dated):
    """Where one covered action stands this period, and the rows that said so."""

    action: Action
    status: Status
    progress_update: str
    next_steps: str
    revised_date: date | None
    reason_for_revised_date: str
    rows: tuple[ReturnRow, ...]  # the rows used, in file order
    return_file: str  # "" when no row came in
    forecast: Status | None = None  # the year-end status the rows forecast (the worse)
    # Each milestone the plan dates on its own, in plan order (none when it dates none).
    milestones: tuple[MilestoneProgress, ...] = ()
    # Why the rows say it is at risk or off track (the return's optional column), "" if not said.
    status_reason: str = ""
    dated_by: ReturnRow | None = None  # the row whose revised date it takes

    @property
    def planned(self):
        """What the plan says of the action: its due date and the words for it."""
        return self.action


@dataclass(frozen=True)
class Merged:
    """The plan and the returns brought together for one paper."""

    period: Period
    paper: Paper
    progress: tuple[Progress, ...]
    updates: PeriodUpdates

    @property
    def returns(self) -> tuple[Return, ...]:
        return self.updates.returns

    @property
    def received(self) -> dict[str, Return]:
        return self.updates.received

    def return_for(self, service_area: str) -> Return | None:
        """Give the return used for `service_area`, or None when none usable came in."""
        return self.updates.return_for(service_area)

    @property
    def service_areas(self) -> tuple[str, ...]:
        """The service areas that own at least one covered action, in plan order."""
        return tuple(dict.fromkeys(lead for p in self.progress for lead in p.action.leads))

    @property
    def covered_ids(self) -> frozenset[str]:
        return frozenset(p.action.id for p in self.progress)


def covered_actions(plan: Plan, paper: Paper, period: Period) -> list[Action]:
    """Give the actions the `paper` on `period` covers, in plan order."""
    cadences = cadences_covered(paper, period)
    return [a for a in plan.actions if a.cadence in cadences]


def leads_of(action: Action) -> tuple[str, ...]:
    """Give the service areas whose rows count for `action` (none named: any service's)."""
    return action.reporters


def any_service_reports(action: Action) -> bool:
    """Tell whether any service's return may report on `action`: the plan names no lead for
    it, so its status and update come from whichever services' rows give them."""
    return not leads_of(action)


def _named(action: Action, service: str) -> bool:
    """Tell whether the plan names `service` to report on `action`."""
    return any(same_service(service, lead) for lead in leads_of(action))


def _first_fate(plan: Plan | None, ret: Return, row: ReturnRow, chosen: bool, old: bool,
                misnamed: bool = False) -> Fate:
    """Give a row's fate before repeats are looked for: its file's, else its action's."""
    if old:
        return Fate.OLD
    if misnamed:
        return Fate.MISNAMED
    if not chosen:
        return Fate.SUPERSEDED
    if plan is None:
        return Fate.USED
    if row.action_id not in plan.keys:
        return Fate.UNKNOWN_ACTION
    if milestone_owner(plan, row.action_id, row.milestone):
        return Fate.ELSEWHERE
    action = plan.action(row.action_id)
    if _named(action, ret.service_area):
        return Fate.USED  # the service's own row, blank or not: its report on its action
    if row.says_nothing:
        return Fate.BLANK
    return Fate.USED if any_service_reports(action) else Fate.NOT_LEAD


def milestone_owner(plan: Plan | None, reference: str, milestone: str) -> Action | None:
    """Give the other action whose milestone a row names, when it names none of its own
    action's: the sign of a mistyped reference. None when the milestone is its own (or is
    blank, or unknown to the plan)."""
    action = plan.action(reference) if plan and milestone else None
    if action is None:
        return None
    said = _words(milestone)
    if any(_words(m.text) == said for m in action.milestones):
        return None
    owners = [a for a in plan.actions if a is not action
              and any(_words(m.text) == said for m in a.milestones)]
    return owners[0] if len(owners) == 1 else None


def plan_service(plan: Plan | None, name: str) -> str:
    """Give the plan's name for a service area an officer or a file named ("Health and
    Wellbeing", "health-and-wellbeing-old.csv" -> "Health & Wellbeing"), else `name`."""
    if plan is None:
        return name
    return plan.service_by_key.get(service_key(name)) or \
        known_service(name, plan.service_areas) or name


def name_disagrees(plan: Plan | None, ret: Return) -> str:
    """Give the plan's service area a file's name names when its Service area cell names
    another ("communications.xlsx" saying "Planning Policy" -> "Communications"), else ""
    (the name names no service of the plan, or the same one, or the cell is empty)."""
    if plan is None or "Service area" not in ret.field_cells:
        return ""
    named = plan_service(plan, service_named_by(ret.path))
    if service_key(named) not in plan.service_by_key:
        return ""
    return "" if same_service(named, plan_service(plan, ret.service_area)) else named


# A file whose updates repeat last period's this much is last period's return, whatever its
# name and date say (a copy left in this period's folder).
_REPEATED_SHARE = 0.8


def _repeats_last_period(ret: Return, rows: tuple[ReturnRow, ...], before: dict[str, str],
                         period: Period) -> bool:
    """Tell whether `ret`, whose `rows` are as the plan reads them, is last period's return:
    its updates are, nearly all, last period's words for the same actions (one row repeated
    may be a true "no change", so a one-row return counts only when its Period field also
    names an earlier period)."""
    said = [row for row in rows if row.action_id and row.progress_update]
    repeated = [row for row in said if same_words(row.progress_update,
                                                   before.get(row.action_id, ""))]
    earlier = ret.period is not None and ret.period.end < period.start
    return bool(said) and (len(said) >= 2 or earlier) and \
        len(repeated) >= _REPEATED_SHARE * len(said)


def _rank(row: ReturnRow) -> tuple[bool, bool]:
    """How a row stands among its duplicates before their statuses are weighed: one giving
    a status before one giving none, then a visible one before one hidden in Excel (the
    reasons, in `_RANKED_BY`)."""
    return row.status is not None, not row.hidden


_RANKED_BY = (Preferred.STATUS, Preferred.VISIBLE)  # what each part of `_rank` stands for


def preferred_row(rows: list[ReturnRow]) -> ReturnRow:
    """Give the row used of several for the same action and milestone (in file order): one
    giving a status beats one giving none, a visible one beats a hidden one, and of those
    still tied the one with the worse status is used (a duplicate never hides an
    exception); the first of rows tied on all of these."""
    best = max(map(_rank, rows))
    tied = [row for row in rows if _rank(row) == best]
    statuses = [row.status for row in tied if row.status is not None]
    worst = worse_of(statuses) if statuses else None
    return next(row for row in tied if row.status is worst)


def why_preferred(used: ReturnRow, other: ReturnRow) -> Preferred:
    """Say why `preferred_row` chose `used` over `other`: the first way they differ."""
    for reason, mine, theirs in zip(_RANKED_BY, _rank(used), _rank(other)):
        if mine != theirs:
            return reason
    return Preferred.FIRST if used.status is other.status else Preferred.WORSE


def decide_fates(plan: Plan | None, returns: list[Return], period: Period,
                 last: LastPeriod | None = None) -> PeriodUpdates:
    """Give the period's returns with the fate of every row decided.

    One usable return counts per service area (the newest; the others are superseded); a
    file whose name names another service than its Service area cell never supersedes that
    service's own return, whose name and cell agree (`name_disagrees`). In it, a row naming
    no action in the plan is not used (an Action ID typed with a comma for a dot, "B4,3", is
    read as the one action it can mean, `Plan.meant_by`); nor is a row for an action another
    service leads (a service never speaks for another; an action with no lead named takes
    any service's row); of several rows from one service for the same action and
    milestone, one is used (`preferred_row`), the others are duplicates. A row the officer
    wrote nothing in (`says_nothing`), for an action the plan does not name the service to
    report, is no row sent: left blank, it is not used and raises nothing (the lead's own
    blank row is its report, and used). A file whose words nearly all repeat what its
    service said `last` period (`digest_last_period`) is last period's return, left in this
    period's folder: not used. With no plan, every row of a used return is taken as it
    stands.
    """
    returns = tuple(returns)
    service = lambda name: service_key(plan_service(plan, name))  # noqa: E731
    read = {id(r): _as_planned(plan, r) for r in returns if r.usable}
    old = {id(r) for r in returns
           if r.usable and last is not None
           and _repeats_last_period(r, tuple(row for row, _ in read[id(r)]),
                                    last.updates_of(service(r.service_area)), period)}
    doubtful = {id(r) for r in returns if r.usable and name_disagrees(plan, r)}
    chosen = choose_returns([r for r in returns if id(r) not in old], period, service,
                            lambda r: id(r) not in doubtful)
    used = {id(r) for r in chosen.values()}
    # A misnamed file that lost to its cell's service's own return is set aside as such.
    misnamed = {id(r) for r in returns if id(r) in doubtful and id(r) not in used
                and id(chosen.get(service(r.service_area))) not in doubtful}
    fates = [RowFate(ret, row, _first_fate(plan, ret, row, id(ret) in used, id(ret) in old,
                                           id(ret) in misnamed),
                     meant=tuple(a.id for a in meant.actions), read_how=meant.how,
                     together=meant.together)
             for ret in returns if ret.usable for row, meant in read[id(ret)]]
    return PeriodUpdates(period, plan, returns, chosen, _duplicates(fates, service), last)


def _duplicates(fates: list[RowFate], service) -> tuple[RowFate, ...]:
    """Give `fates` with one used row per service, action and milestone (`preferred_row`):
    with several leads (or none named) each service's row is kept, and labelled by service
    in the paper. The others are duplicates, naming the row used instead and why."""
    alike: dict[tuple[str, str, str], list[RowFate]] = {}
    for fate in fates:
        if fate.used:
            key = (fate.row.action_id, fate.row.milestone.lower(), service(fate.ret.service_area))
            alike.setdefault(key, []).append(fate)
    instead: dict[int, RowFate] = {}
    for group in alike.values():
        chosen = preferred_row([f.row for f in group])
        kept = next(f for f in group if f.row is chosen)
        instead.update((id(f), kept) for f in group if f is not kept)
    return tuple(
        replace(fate, fate=Fate.DUPLICATE, instead=kept.row, instead_file=kept.ret.file,
                preferred=why_preferred(kept.row, fate.row))
        if (kept := instead.get(id(fate))) else fate
        for fate in fates)


def _combine(action: Action, found: list[RowFate]) -> Progress:
    """Give an action's progress from its rows (one per action, or one per milestone)."""
    rows = [f.row for f in found]
    statuses = [r.status for r in rows if r.status is not None]
    # An update without a status is "Status not given"; a row left as the template gave it
    # (no status, no words) is no more a report than no row at all.
    status = worse_of(statuses) if statuses else (
        Status.NOT_GIVEN if any(r.progress_update for r in rows) else Status.NO_UPDATE)
    # Milestones not started beside others under way: the action is under way, not "Not
    # started" (a later milestone simply has not begun yet).
    if status is Status.NOT_STARTED and any(s in (Status.ON_TRACK, Status.COMPLETE)
                                            for s in statuses):
        status = Status.ON_TRACK
    # Rows from more than one service (several leads, or none named) say whose words they are.
    several = len({service_key(f.ret.service_area) for f in found}) > 1

    def label(f: RowFate, text: str) -> str:
        parts = [f.ret.service_area] if several else []
        parts += [f.row.milestone] if f.row.milestone and len(rows) > 1 else []
        return ": ".join([*parts, text])

    if len(rows) == 1:
        update, steps, why = rows[0].progress_update, rows[0].next_steps, rows[0].status_reason
    else:
        update = "\n".join(label(f, f.row.progress_update) for f in found
                           if f.row.progress_update)
        steps = "\n".join(label(f, f.row.next_steps) if several else f.row.next_steps
                          for f in found if f.row.next_steps)
        why = "\n".join(label(f, f.row.status_reason) for f in found if f.row.status_reason)
    dated = [m for m in action.milestones if m.due_date]
    # Where the plan dates any milestone, each is reported on its own (an undated one too,
    # so none of the action's milestones is missing from its list).
    milestones = tuple(_milestone(m, found) for m in action.milestones) if dated else ()
    # A new date on a dated milestone's row is that milestone's, not the action's.
    own = {_words(m.text) for m in dated}
    revised_rows = [r for r in rows if r.revised_date and _words(r.milestone) not in own]
    latest = max(revised_rows, key=lambda r: r.revised_date, default=None)
    return Progress(
        action=action,
        status=status,
        progress_update=update,
        next_steps=steps,
        revised_date=latest.revised_date if latest else None,
        reason_for_revised_date=latest.reason_for_revised_date if latest else "",
        rows=tuple(rows),
        return_file=", ".join(sorted({f.ret.file for f in found})),
        forecast=worse_of(forecasts) if (forecasts := [r.forecast_status for r in rows
                                                        if r.forecast_status]) else None,
        milestones=milestones,
        status_reason=why,
        dated_by=latest,
    )


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def _milestone(milestone: Milestone, found: list[RowFate]) -> MilestoneProgress:
    """Give one dated milestone's progress from the rows that name it."""
    mine = [f for f in found if _words(f.row.milestone) == _words(milestone.text)]
    statuses = [f.row.status for f in mine if f.row.status is not None]
    revised = [f for f in mine if f.row.revised_date]
    latest = max(revised, key=lambda f: f.row.revised_date, default=None)
    chosen = latest or (mine[0] if mine else None)
    return MilestoneProgress(
        milestone=milestone,
        status=worse_of(statuses) if statuses else (
            Status.NOT_GIVEN if any(f.row.progress_update for f in mine) else Status.NO_UPDATE),
        revised_date=latest.row.revised_date if latest else None,
        reason_for_revised_date=latest.row.reason_for_revised_date if latest else "",
        row=chosen.row if chosen else None,
        return_file=chosen.ret.file if chosen else "")


def merge(plan: Plan, returns: list[Return] | PeriodUpdates, paper: Paper,
          period: Period) -> Merged:
    """Give the Merged view of the returns against the actions `paper` covers on `period`.

    `returns` is the period's returns, or their PeriodUpdates when the fates are already
    decided (so every report of a period shares one decision).
    """
    updates = returns if isinstance(returns, PeriodUpdates) else \
        decide_fates(plan, returns, period)
    progress = progress_of(plan, updates, covered_actions(plan, paper, period))
    return Merged(period=period, paper=paper, progress=progress, updates=updates)


def progress_of(plan: Plan, updates: PeriodUpdates,
                actions: list[Action] | tuple[Action, ...] | None = None
                ) -> tuple[Progress, ...]:
    """Give the progress of `actions` (default: every action of the plan, whatever its
    cadence) from the period's used rows, in plan order."""
    rows: dict[str, list[RowFate]] = {}
    for fate in updates.used_rows():
        rows.setdefault(fate.row.action_id, []).append(fate)
    keys = dict.fromkeys(a.key for a in (plan.actions if actions is None else actions))
    return tuple(_combine(plan.action(key), rows.get(key, [])) for key in keys)
