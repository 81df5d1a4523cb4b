"""The delivery exceptions: each covered action the committee should look at, and why.

The checks decide what is an exception and word it for the committee (a finding's `paper`);
here those findings are gathered by action, most serious first, with the officer's own
words on what is being done and by when.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from reporting.report.words import (
    CUT_NOTE,
    DATE_WITH_REASON,
    NO_LEAD,
    NO_NEW_DATE,
    NO_UPDATE,
    NOT_STATED,
    NOTHING_BEYOND_UPDATE,
    PROBLEM_WHY,
    WORDS,
)
from reporting.status import NO_STATUS, Status
from reporting.wording import PRIORITY, Grouping, cut_words, long_date, plural

if TYPE_CHECKING:
    from reporting.merge import Merged, MilestoneProgress, Progress


class FlagLike(Protocol):
    """What the model reads of a flag (the checks' Finding, or anything shaped like it)."""

    code: Any  # a declared code: `.exception` is its kind of delivery exception
    action_id: str  # "" when the flag is about a whole return
    paper: str  # the committee's words for it, "" when the committee does not read it
    actions: tuple[str, ...]  # the actions a whole-return flag leaves unreported


@dataclass(frozen=True)
class ExceptionLine:
    """One action with a delivery exception, as the committee reads it; most serious first."""

    action_id: str
    action: str  # the objective, as the plan words it
    lead: str  # the service area that leads it
    problem: str  # "Off track; overdue (due by 31 March 2023). Why: two volunteers left"
    being_done: str  # the officer's next steps, else what the update says is being done
    by_when: str  # the new date and its reason; "No new date given"; else the plan's date
    kinds: str = ""  # the kinds of exception, most serious first ("at risk; date slipped")


def delivery_findings(merged: Merged,
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


def kinds_of(found: Sequence[FlagLike]) -> tuple[str, ...]:
    """The kinds of exception on an action, in words, most serious first, each once."""
    return tuple(dict.fromkeys(flag.code.exception.value for flag in found))


# A sentence of an update that says what is being done, or will be ("will", "is being").
_DOING = re.compile(
    r"\b(will|shall|is being|are being|being (?:arranged|prepared|recruited|sought)|plans? to|"
    r"planning to|intends? to|aims? to|arranged|scheduled|working (?:with|on|to)|"
    r"next steps?|in hand|under way|underway|now being|to be (?:\w+ed))\b", re.IGNORECASE)


def _one_paragraph(text: str) -> str:
    """Give an officer's lines as one paragraph (a table cell of the paper is one)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(line if line[-1] in ".!?;:" else f"{line}." for line in lines) \
        if len(lines) > 1 else "".join(lines)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


# A sentence of an update that gives a cause ("because", "delayed", "not yet").
_CAUSE = re.compile(
    r"\b(because|due to|owing to|as a result|so that|delay(?:ed|s)?|behind|paused|postponed|"
    r"put back|slipped|unsuccessful|failed|not yet|cannot|can't|unable|awaiting|waiting|"
    r"short(?:age|fall)?|lack|left|vacan(?:t|cy)|pressure|risk|until)\b", re.IGNORECASE)


def _rows_in_trouble(p: Progress, end: date | None) -> tuple:
    """Give the rows whose words explain the action's exception: of an action reported in
    several rows (one per milestone), those at its worst status when that is off track or at
    risk, else those of its milestones overdue or slipped; all its rows otherwise. A reason
    given for a milestone that is done never stands for the one that is late."""
    if len(p.rows) < 2:
        return p.rows
    if p.status in (Status.OFF_TRACK, Status.AT_RISK):
        worst = tuple(r for r in p.rows if r.status is p.status)
        if worst:
            return worst
    late = tuple(m.row for m in p.milestones if m.row is not None
                 and ((end is not None and m.overdue(end)) or m.slipped))
    return late or p.rows


def officer_words(p: Progress, end: date | None = None) -> tuple[str, str]:
    """Give the officer's why and what is being done, in their own words ("" where unsaid).

    The why is the return's reason column, else the update's sentence that gives a cause
    (else its first): the update itself is in the appendix, so the paper quotes it only so
    far. What is being done is the next steps, else the update's sentences that say what is
    being done (the update whole when the reason column gave the why). Of an action reported
    milestone by milestone, only the rows in trouble are read (`_rows_in_trouble`; `end`,
    the period's last day, tells which milestones are overdue).
    """
    rows = _rows_in_trouble(p, end)
    if len(rows) == len(p.rows):
        reason, steps = _one_paragraph(p.status_reason), _one_paragraph(p.next_steps)
        update = _one_paragraph(p.progress_update)
    else:
        reason, steps, update = (_one_paragraph("\n".join(getattr(r, name) for r in rows
                                                           if getattr(r, name)))
                                 for name in ("status_reason", "next_steps", "progress_update"))
    doing = [s for s in _sentences(update) if _DOING.search(s)]
    if reason:
        return reason, steps or " ".join(doing) or update
    rest = [s for s in _sentences(update) if steps or s not in doing]
    why = next((s for s in rest if _CAUSE.search(s)), rest[0] if rest else "")
    return why, steps or " ".join(doing)


def _being_done(p: Progress, why: str, done: str) -> str:
    if done:
        return done
    if not p.rows:
        return NO_UPDATE
    return NOTHING_BEYOND_UPDATE if why and not p.status_reason else NOT_STATED


# A new date the officer wrote in words that give no date ("when the IT system is in").
NEW_DATE_GIVEN_AS = "new date given as '{words}'"


def unread_new_date(p: Progress) -> tuple[str, str]:
    """Give the words of a new date the return gave for the action that read as no date,
    and their reason (("", "") when none): the paper prints them rather than lose them."""
    dated = {" ".join(m.text.lower().split()) for m in p.action.milestones if m.due_date}
    for row in p.rows:
        if row.revised_date_text and row.revised_date is None \
                and " ".join(row.milestone.lower().split()) not in dated:
            return row.revised_date_text, row.reason_for_revised_date
    return "", ""


def unread_milestone_date(m: MilestoneProgress) -> str:
    """Give the words of a new date the return gave a dated milestone that read as no date
    ("31/06/2027"), "" when it gave none or one that was read."""
    return m.row.revised_date_text if m.row and m.revised_date is None else ""


def _with_reason(when: str, reason: str, limit) -> str:
    reason = cut_words(_one_paragraph(reason), limit, CUT_NOTE.format(limit=limit))
    return DATE_WITH_REASON.format(date=when, reason=reason) if reason else when


def new_date_words(p: Progress, limit) -> str:
    """The action's new date as the paper gives it, with its reason ("" for none): the
    date read, else the officer's words for it (`NEW_DATE_GIVEN_AS`)."""
    words, reason = unread_new_date(p)
    if not p.revised_date and not words:
        return ""
    if p.revised_date:
        reason = p.reason_for_revised_date
    when = long_date(p.revised_date) if p.revised_date else NEW_DATE_GIVEN_AS.format(
        words=words)
    return _with_reason(when, reason, limit)


def _milestones_unread(p: Progress, limit) -> list[str]:
    """Each dated milestone's new date in words that read as no date, with its reason:
    "Roll out - 31/03/2027: new date given as '31/06/2027' (reason: ...)"."""
    return [f"{m.milestone.text}: " + _with_reason(NEW_DATE_GIVEN_AS.format(words=words),
                                                   m.row.reason_for_revised_date, limit)
            for m in p.milestones if (words := unread_milestone_date(m))]


def _by_when(p: Progress, end: date, limit: int) -> str:
    """The new date with its reason, and each milestone's given in words that read as no
    date; for an overdue action, never the date already missed (but the words of a new
    date that read as no date, which is not known to be missed)."""
    unread, _ = unread_new_date(p)
    milestones = _milestones_unread(p, limit)
    missed = p.overdue(end) and not (unread and not p.revised_date)  # its date is past
    said = [w for w in (new_date_words(p, limit) if not missed else "", *milestones) if w]
    if not said:
        return NO_NEW_DATE if missed else p.action.due
    said = "; ".join(said)
    return said[0].upper() + said[1:]


def exception_lines(merged: Merged, found: dict[str, list[FlagLike]], limit: int,
                    body: str = "the Committee", grouping: Grouping = PRIORITY,
                    ) -> tuple[str, tuple[ExceptionLine, ...]]:
    """Give the delivery exceptions' introduction and one line per action, most serious first.

    Each line says the problem (its kinds, then the officer's why), what is being done and
    by when, in the officer's words where the return gives them, each cut at `limit` words.
    """
    lines = []
    cut = CUT_NOTE.format(limit=limit)
    for p in merged.progress:
        flags = found.get(p.action.id)
        if not flags:
            continue
        problem = "; ".join(dict.fromkeys(flag.paper for flag in flags))
        why, done = officer_words(p, merged.period.end)
        # An update with no status does not explain a problem: only a stated reason does.
        if p.status in NO_STATUS and not p.status_reason:
            why, done = "", done or why
        if why:
            problem = PROBLEM_WHY.format(problem=problem, why=cut_words(why, limit, cut))
        lines.append((flags[0].code.exception.rank, ExceptionLine(
            action_id=p.action.id, action=p.action.title, lead=p.action.lead_service_area or NO_LEAD,
            problem=problem[0].upper() + problem[1:],
            being_done=cut_words(_being_done(p, why, done), limit, cut),
            by_when=_by_when(p, merged.period.end, limit),
            kinds="; ".join(kinds_of(flags)))))
    ordered = tuple(line for _, line in sorted(lines, key=lambda pair: pair[0]))
    intro = (f"{plural(len(ordered), 'action needs', 'actions need')} {body}'s "
             "attention: off track, at risk, overdue, slipped, forecast to end worse, not "
             f"reported or with no status given. They are grouped by {grouping.one}, the most serious first within each."
             if ordered else WORDS["no_exceptions"])
    return intro, ordered
