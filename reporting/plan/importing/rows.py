"""Turning the gathered actions into the plan workbook's rows: actions, milestones, themes.

An action's lead is the first body its "Who will deliver" names (the rest become partners);
its Due date is read from its By when ("2025/26" is its last day, and a person is told); a
milestone keeps a span's words ("Autumn 2025") for the workbook to read. Each judgement is
added to the gathering's decisions, in the order a person reads the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reporting.cells import date_is_loose, parse_date
from reporting.plan.importing.gather import DraftAction, Gathered
from reporting.plan.importing.phrases import bodies_in
from reporting.period import Period
from reporting.plan.mistyped import not_a_date
from reporting.plan.model import Priority
from reporting.plan.timing import is_ongoing, plan_year_end, relative_year
from reporting.wording import long_date

# Loosely read dates: (words, "By when" or "milestone") -> [(reference, where)] using them.
Loose = dict[tuple[str, str], list[tuple[str, str]]]


@dataclass(frozen=True)
class PlanRows:
    """The plan workbook's rows: its themes, and a dict per action and per milestone."""

    priorities: list[Priority]
    actions: list[dict]
    milestones: list[dict]


def _lead(action: DraftAction, found: Gathered, some_led: bool
          ) -> tuple[str, list[str], list[str]]:
    """Give an action's "Who will deliver" words, its lead service areas and the partners
    they name, saying when several are named or, with a lead column, none.

    A column naming the service ("Service", "Lead service") gives the leads, every service
    it names (each reports the action in its return); without one, the first body "Who
    will deliver" names is the lead and the rest its partners. An action with no lead is
    said on its own only where `some_led` (else the plan's one line says it)."""
    who = action.cells.get("Who will deliver", "")
    service = action.cells.get("Lead service area", "")
    if service:
        leads = bodies_in(service)
        if len(leads) > 1:
            found.decide(action.where, f"'{found.heading_of('Lead service area')}' for "
                         f"{action.reference} names {len(leads)} services: each is a lead and "
                         "has the action in its return template (" +
                         ", ".join(f"'{b}'" for b in leads) + ")")
        return who or service, leads, []
    bodies = bodies_in(who)
    if len(bodies) > 1:
        found.decide(action.where, f"'{found.heading_of('Who will deliver')}' for "
                     f"{action.reference} names {len(bodies)} bodies: '{bodies[0]}' taken as "
                     "the lead, " + ", ".join(f"'{b}'" for b in bodies[1:]) + " as partners")
    elif some_led and not bodies:
        found.decide(action.where, f"action '{action.reference}' has no lead: any service's "
                     "return may report it; add one in the Actions sheet")
    return who, bodies[:1], bodies[1:]


def _due_of(action: DraftAction, found: Gathered, loose: Loose) -> tuple[str, date | None]:
    """Give the action's By when words and Due date; one By when a row (one row per
    milestone) makes each row's date its milestone's, and the action's the latest."""
    words = list(dict.fromkeys(w for w, _ in action.by_whens))
    if not words:
        return "", None
    by_when, where = action.by_whens[0]
    if len(words) == 1 and is_ongoing(by_when):
        loose.setdefault((by_when, "ongoing"), []).append((action.reference, where))
        return by_when, None
    if len(words) == 1 and relative_year(by_when) is not None:
        loose.setdefault((by_when, "year"), []).append((action.reference, where))
        return by_when, None  # the workbook counts it from the plan's start
    if len(words) > 1:
        dated = [(parse_date(w), w) for w in words if parse_date(w)]
        if dated:
            by_when = max(dated)[1]
            found.decide(action.where, f"action '{action.reference}' has {len(words)} "
                         f"dates, one a row; each row's date was given to its milestones "
                         f"and the action's By when is the latest, '{by_when}'")
    day = parse_date(by_when)
    if day is None:
        found.decide(where, f"'{by_when}' is not a date, so action '{action.reference}' "
                     "has no Due date; " + not_a_date(by_when, "write one in the Actions "
                                                      "sheet (31/03/2026 or a span such as "
                                                      "'Autumn 2025')"))
    elif date_is_loose(by_when):
        loose.setdefault((by_when, "By when"), []).append((action.reference, where))
    return by_when, day


def _action_row(action: DraftAction, found: Gathered, loose: Loose, some_led: bool
                ) -> dict | None:
    """Give the Actions sheet's row for an action, or None for one with no words."""
    cells = action.cells
    if not (cells.get("Objective") or cells.get("What we will do")):
        found.decide(action.where, f"action '{action.reference}' has no objective and no "
                     "'what we will do', so it was not imported; add its words in the "
                     "Actions sheet if it is an action")
        return None
    who, leads, named = _lead(action, found, some_led)
    partners = ", ".join(p for p in [cells.get("Partners", "")] + named if p)
    by_when, due = _due_of(action, found, loose)
    return {"Action ID": action.reference, "Priority": action.theme,
            "Objective": cells.get("Objective", ""),
            "What we will do": cells.get("What we will do", ""),
            "By when": by_when, "Due date": due, "Who will deliver": who,
            "Lead service area": "; ".join(leads), "Partners": partners,
            "Target/Outcome": cells.get("Target/Outcome", "")}


def _milestone_rows(action: DraftAction, found: Gathered, loose: Loose) -> list[dict]:
    """Give the Milestones sheet's rows for an action, each with its own date if it has one."""
    rows = []
    several = len({w for w, _ in action.by_whens}) > 1
    for text, when, row_when in action.milestones:
        words = when or (row_when if several else "")
        day = parse_date(words) if words else None
        if words and day is None and not is_ongoing(words):
            found.decide(action.where, f"milestone '{text}' of action '{action.reference}' "
                         f"is due '{words}', which is not a date; the words are kept, and "
                         "the paper shows them"
                         + (f"; {fix}" if (fix := not_a_date(words, "")) else ""))
        elif day and date_is_loose(words):
            loose.setdefault((words, "milestone"), []).append((action.reference, action.where))
        rows.append({"Action ID": action.reference, "Milestone": text,
                     # A span keeps its words ("Autumn 2025"), as do words that are no
                     # date ("Year 2", "Ongoing"); the workbook reads them.
                     "Due date": (words if date_is_loose(words) else day) if day else
                     words or None})
    return rows


def _say_years(loose: Loose, found: Gathered, starts: Period | None) -> None:
    """Say how "Ongoing" and "Year 1" were read, once each, or that the plan's start is
    needed to read "Year 1"."""
    years = {w: u for (w, kind), u in loose.items() if kind == "year"}
    for (words, kind), uses in loose.items():
        if kind != "ongoing":
            continue
        references = ", ".join(dict.fromkeys(r for r, _ in uses))
        found.decide(uses[0][1], f"By when '{words}' for {references}: no due date, reported "
                     "every period and never overdue; the paper shows 'Ongoing'")
    if years and starts is None:
        said = ", ".join(f"'{w}'" for w in years)
        found.decide(found.source.name, f"{said} is not a date until the plan's start is "
                     "given: 'Year 1' is the financial year the plan starts in. Import again "
                     "with --starts \"2022/23 Q1\" (the plan's first quarter), or set [plan] "
                     "starts in reporting.toml; until then these actions have no due date")
        return
    for words, uses in years.items():
        references = ", ".join(dict.fromkeys(r for r, _ in uses))
        end = plan_year_end(starts, relative_year(words))
        found.decide(uses[0][1], f"By when '{words}' read as the financial year "
                     f"{end.year - 1}/{end.year % 100:02d} (to {long_date(end)}), the plan "
                     f"starting in {starts.label}, for {references}; the paper shows "
                     f"'{words}'")


def _say_loose(loose: Loose, found: Gathered) -> None:
    """Say once for each loosely written date which day it was read as, and where."""
    for (words, kind), uses in loose.items():
        if kind in ("ongoing", "year"):
            continue
        references = ", ".join(dict.fromkeys(r for r, _ in uses))
        whose = "action" if len({r for r, _ in uses}) == 1 else "actions"
        what = "By when" if kind == "By when" else "the milestone date"
        found.decide(uses[0][1], f"{what} '{words}' read as {long_date(parse_date(words))} "
                     f"(the last day it names) for {whose} {references}")


def _priorities(found: Gathered, actions: list[dict]) -> list[Priority]:
    """Give the themes that have actions, saying which headings had none."""
    used = {a["Priority"] for a in actions}
    for key, where in found.theme_rows.items():
        if key not in used:
            found.decide(where, f"the heading '{found.themes[key].heading}' has no actions "
                         "under it, so it was not imported as a theme")
    return [p for k, p in found.themes.items() if k in used]


def plan_rows(found: Gathered, starts: Period | None = None) -> PlanRows:
    """Give the workbook's rows for what was gathered; what was judged is added to
    `found.decisions`. `starts` is the plan's first period, which "Year 1" counts from."""
    some_led = any(bodies_in(a.cells.get("Lead service area") or
                             a.cells.get("Who will deliver", "")) for a in found.actions)
    if found.actions and not some_led:
        column = "" if not found.lead_column else (
            f" (its '{found.heading_of('Lead service area')}' column is empty)"
            if "Lead service area" in dict(found.columns).values() else
            f" (its '{found.heading_of('Who will deliver')}' column is empty)")
        found.decide(found.source.name, f"the plan names no leads{column}, and none was made "
                     "up: the paper will say so; every service's return template has the "
                     "actions ([plan] unled_actions may name one service instead)")
    actions, milestones, loose = [], [], {}
    for action in found.actions:
        row = _action_row(action, found, loose, some_led)
        if row is not None:
            actions.append(row)
            milestones.extend(_milestone_rows(action, found, loose))
    _say_years(loose, found, starts)
    _say_loose(loose, found)
    return PlanRows(_priorities(found, actions), actions, milestones)
