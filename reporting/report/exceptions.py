"""The delivery exceptions: each covered action the committee should look at, and why.

The checks decide what is an exception and word it for the committee (a finding's `paper`);
here those findings are gathered by action, most serious first, with the officer's own
words on what is being done and by when.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from reporting.report.words import CUT_NOTE, WORDS
from reporting.wording import cut_words, long_date, plural

if TYPE_CHECKING:
    from reporting.merge import Merged


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
    problem: str  # "Off track; overdue (due by 31 March 2023)"
    being_done: str  # the officer's next steps, or the reason for a new date
    by_when: str  # the revised date, else the plan's due date
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


def exception_lines(merged: Merged, found: dict[str, list[FlagLike]], limit: int,
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
            by_when=long_date(p.revised_date) if p.revised_date else p.action.due,
            kinds="; ".join(kinds_of(flags)))))
    ordered = tuple(line for _, line in sorted(lines, key=lambda pair: pair[0]))
    intro = (f"{plural(len(ordered), 'action needs', 'actions need')} {body}'s "
             "attention: off track, at risk, overdue, slipped, forecast to end worse or not "
             "reported. The most serious come first." if ordered else WORDS["no_exceptions"])
    return intro, ordered
