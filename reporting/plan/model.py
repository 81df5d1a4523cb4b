"""The action plan as the council writes it: themes, actions, milestones and their leads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from reporting.cadence import Cadence
from reporting.cells import (
    comma_readings,
    listed_references,
    normalise_action_id,
    trimmed_readings,
)
from reporting.errors import ReportingError
from reporting.period import Period
from reporting.plan.timing import is_ongoing
from reporting.services import service_key
from reporting.wording import long_date, plural


class PlanError(ReportingError, ValueError):
    """A plan workbook that cannot be used, with where and why."""


@dataclass(frozen=True)
class Priority:
    """A priority or theme: `key` is what the Actions sheet names it by ("1", "Greener")."""

    key: str
    title: str = ""

    @property
    def heading(self) -> str:
        return self.headed("Priority")

    def headed(self, word: str) -> str:
        """Give the heading the paper prints: "Theme 1: Greener" (`word` is what the plan
        calls its groups) for a numbered one, else its title or name alone."""
        if self.title and self.key.isdigit():
            return f"{word} {self.key}: {self.title}"
        return self.title or self.key


def due_words(day: date | None, words: str, loose: bool) -> str:
    """Give a due date as the paper shows it: the council's words for a span, else the day."""
    if day is None:
        return words or "no date set"
    # "by March 2026" reads as "March 2026" after "due by" or "slipped from".
    words = re.sub(r"^(by|before|due)\s+", "", words, flags=re.I)
    return words if loose and words else long_date(day)


@dataclass(frozen=True)
class Milestone:
    """A step towards an action, with its own due date and lead where the plan gives them."""

    text: str
    due_date: date | None = None
    due_text: str = ""
    due_loose: bool = False
    lead: str = ""

    @property
    def due(self) -> str:
        return due_words(self.due_date, self.due_text, self.due_loose) if (
            self.due_date or self.due_text) else ""


@dataclass(frozen=True)
class Action:
    """One action of the plan, as the policy team wrote it.

    `id` is the council's own reference, kept as written ("1.a", "16", "G1"); `key` is what
    a return's reference is matched by. `leads` may be empty (no lead named: any service
    may report) or hold several services (each gets the action in its template).
    """

    id: str
    priority: str
    objective: str
    what_we_will_do: str
    by_when: str
    due_date: date | None
    who_will_deliver: str
    leads: tuple[str, ...]
    partners: str
    target: str
    cadence: Cadence
    milestones: tuple[Milestone, ...] = ()
    due_loose: bool = False
    # Set when a year-end rollover brought the action from last year's plan: that plan's
    # year ("2022/23"), and its latest status then ("At risk in 2022/23 Q2").
    carried_forward_from: str = ""
    status_carried_forward: str = ""

    @property
    def key(self) -> str:
        return normalise_action_id(self.id)

    @property
    def lead_service_area(self) -> str:
        """The leads in words ("Housing", "Housing and Planning"), "" when none is named."""
        if len(self.leads) <= 1:
            return "".join(self.leads)
        return ", ".join(self.leads[:-1]) + " and " + self.leads[-1]

    @property
    def reporters(self) -> tuple[str, ...]:
        """The services whose returns report on the action: its leads, then milestones' leads."""
        return tuple(dict.fromkeys((*self.leads, *(m.lead for m in self.milestones if m.lead))))

    def milestones_for(self, service: str) -> tuple[Milestone, ...]:
        """The milestones `service` reports: those it leads and those with no lead of their own."""
        return tuple(m for m in self.milestones if not m.lead or service_key(m.lead) ==
                     service_key(service) or service_key(service) not in
                     {service_key(r) for r in self.reporters})

    @property
    def title(self) -> str:
        return self.objective or self.what_we_will_do

    @property
    def carried_words(self) -> str:
        """Say that the action came from last year's plan ("Carried forward from 2022/23"),
        "" when it did not."""
        return f"Carried forward from {self.carried_forward_from}" if (
            self.carried_forward_from) else ""

    @property
    def due(self) -> str:
        """The due date as the council put it ("Autumn 2025", "Ongoing", "Year 1"), or the
        day ("31 March 2023")."""
        return due_words(self.due_date, self.by_when, self.due_loose)

    @property
    def ongoing(self) -> bool:
        """Whether the plan says the action goes on ("Ongoing"): it is never overdue."""
        return self.due_date is None and is_ongoing(self.by_when)

    @property
    def undefined(self) -> bool:
        """Whether the plan gives nothing to judge progress by: no milestone, no due date
        (nor "Ongoing") and no target."""
        return not (self.milestones or self.target or self.due_date or self.ongoing)

    @property
    def gaps(self) -> tuple[str, ...]:
        """Name the parts of the action the plan leaves undefined."""
        missing = []
        if not (self.what_we_will_do or self.objective):
            missing.append("a 'what we will do'")
        if not self.milestones:
            missing.append("a milestone")
        if not self.target:
            missing.append("a target")
        if self.due_date is None and not self.ongoing:
            missing.append("a due date")
        if not self.leads:
            missing.append("a lead service area")
        return tuple(missing)


@dataclass(frozen=True)
class Meaning:
    """What an officer's action reference may mean (`Plan.meant_by`)."""

    actions: tuple[Action, ...] = ()  # one: the action meant; several: see `together`
    how: str = ""  # how a reference naming no action itself was read as its one action
    # The reference names each of `actions` in one row ("1.c/1.d"); else they are the
    # candidates it could be, one of them meant ("B4,3": B4.3 or B43).
    together: bool = False


@dataclass(frozen=True)
class Plan:
    priorities: tuple[Priority, ...]
    actions: tuple[Action, ...]
    source: Path | None = None
    starts: Period | None = None  # the plan's first period: "Year 1" is its financial year

    def action(self, reference: str) -> Action | None:
        """Give the action a reference names, as the council wrote it or as an officer retyped it."""
        return self._by_key.get(normalise_action_id(reference))

    def meant_by(self, reference: str) -> Meaning:
        """Give what an officer's reference may mean: the action it names; else, for one
        typed with a comma ("B4,3"), each action its readings name (`cells.comma_readings`)
        when the comma read as a dot names one (one found is the action meant; several, the
        candidates to choose from); else the actions a list names together ("1.c/1.d", each
        part an action: not one of them); else the one action it names with what is round it
        left out ("(6.d)", "6.b;", "6.b (Physical activity pathway)",
        `cells.trimmed_readings`); else none."""
        named = self.action(reference)
        if named is not None:
            return Meaning((named,))
        readings = [self.action(text) for text in comma_readings(reference)]
        if readings and readings[0] is not None:
            found = tuple({a.key: a for a in readings if a is not None}.values())
            return Meaning(found, "the plan's only action it can mean" if len(found) == 1 else "")
        listed = [self.action(text) for text in listed_references(reference)]
        if listed and None not in listed and len({a.key for a in listed}) > 1:
            return Meaning(tuple({a.key: a for a in listed}.values()), together=True)
        for text, how in trimmed_readings(reference):
            if (action := self.action(text)) is not None:
                return Meaning((action,), how)
        return Meaning()

    def priority(self, key: str) -> Priority:
        return next(p for p in self.priorities if p.key == key)

    # Looked up for every row of every return: worked out once per plan (a plan is frozen).
    @cached_property
    def _by_key(self) -> dict[str, Action]:
        return {a.key: a for a in self.actions}

    @cached_property
    def keys(self) -> frozenset[str]:
        return frozenset(self._by_key)

    @cached_property
    def service_areas(self) -> tuple[str, ...]:
        return tuple(sorted({lead for a in self.actions for lead in a.leads}))

    @cached_property
    def service_by_key(self) -> dict[str, str]:
        """The plan's service areas by `service_key` ("healthandwellbeing" -> its spelling)."""
        return {service_key(s): s for s in self.service_areas if s}


def _listed(references: list[str], most: int = 12) -> str:
    shown = ", ".join(references[:most])
    return shown + (f" and {len(references) - most} more" if len(references) > most else "")


def undefined_line(plan: Plan) -> str:
    """Say which actions the plan gives nothing to judge progress by (no milestone, no due
    date, no target), in one line for the plan; "" when none."""
    undefined = [a.id for a in plan.actions if a.undefined]
    if not undefined:
        return ""
    many = len(undefined) != 1
    return (f"{len(undefined)} action{'s' if many else ''} ({_listed(undefined)}) "
            f"{'have' if many else 'has'} no milestone, no due date and no target: progress "
            "cannot be judged until the plan defines one")


def missing_lines(plan: Plan) -> tuple[str, ...]:
    """Say, one line for each part the plan leaves out (a milestone, a target, a due date,
    a 'what we will do'), which actions lack it; never one line per action. Leads are
    `unled_line`'s."""
    lines = []
    for gap in ("a 'what we will do'", "a milestone", "a target", "a due date"):
        lacking = [a.id for a in plan.actions if gap in a.gaps]
        if len(lacking) == len(plan.actions) and len(lacking) > 1:
            lines.append(f"no action has {gap}")
        elif lacking:
            lines.append(f"{plural(len(lacking), 'action')} ({_listed(lacking)}) "
                         f"{'has' if len(lacking) == 1 else 'have'} no {gap.split(' ', 1)[1]}")
    return tuple(lines)


def unled_line(plan: Plan) -> str:
    """Say, in one line for the plan, which actions have no lead; "" when all have one."""
    unled = [a.id for a in plan.actions if not a.leads]
    if not unled:
        return ""
    if len(unled) == len(plan.actions):
        return ("the plan names no lead service for any action, and none was made up: the "
                "paper says the plan names none, any service's return may report each "
                "action, and its template goes as [plan] unled_actions says")
    many = len(unled) != 1
    return (f"{len(unled)} action{'s' if many else ''} ({_listed(unled)}) "
            f"{'have' if many else 'has'} no lead service area: any service's return may "
            f"report {'them' if many else 'it'}; name the lead in the plan workbook if the "
            "council has")


def plan_gap_lines(plan: Plan) -> tuple[str, ...]:
    """Give what the policy officer should know of what the plan leaves undefined, one line
    per kind for the whole plan (never one per action)."""
    return tuple(line for line in (undefined_line(plan), unled_line(plan)) if line)
