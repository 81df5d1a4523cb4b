"""Flags: the exceptions a report leads with, each with a code, a severity and where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from reporting.intake.files import IntakeSettings
from reporting.report.merge import Merged, Progress, choose_returns
from reporting.services import service_key
from reporting.intake.returns import Return, parse_period, same_words, status_mismatch, words_in
from reporting.status import Status
from reporting.wording import long_date


class Severity(IntEnum):
    """How urgently the committee should look; lower sorts first."""

    HIGH = 1
    MEDIUM = 2
    LOW = 3

    @property
    def word(self) -> str:
        return self.name.capitalize()


@dataclass(frozen=True)
class Flag:
    code: str
    severity: Severity
    action_id: str  # "" when the flag is about a whole return
    service_area: str
    message: str
    source: str  # file and cell, or the plan

    def sort_key(self) -> tuple:
        return (self.severity, _action_order(self.action_id), self.code, self.service_area)


def _action_order(action_id: str) -> tuple:
    if not action_id:
        return (0, "")
    number, _, letter = action_id.partition(".")
    return (int(number) if number.isdigit() else 999, letter)


def _plan_source(action_id: str) -> str:
    # The plan workbook's file name and hash are in the manifest; the reader needs the row.
    return f"Plan, Actions sheet, {action_id}"


def _row_source(progress: Progress, column: str) -> str:
    row = progress.rows[0]
    return f"{progress.return_file}, {row.where(column)}"


def _plan_flags(merged: Merged) -> list[Flag]:
    flags = []
    for p in merged.progress:
        gaps = p.action.gaps
        if gaps:
            flags.append(Flag(
                "MILESTONE_UNDEFINED", Severity.MEDIUM, p.action.id, p.action.lead_service_area,
                f"The plan leaves {p.action.id} without {' or '.join(gaps)}: progress cannot "
                "be judged until the plan defines it.",
                _plan_source(p.action.id)))
    return flags


def _return_flags(merged: Merged) -> list[Flag]:
    flags = []
    for ret in merged.returns:
        if ret.settling:
            flags.append(Flag(
                "UNREADABLE_RETURN", Severity.HIGH, "", _service_name(merged, ret),
                f"The return {ret.file} was not read this run: it changed moments before "
                "the run and may still have been copying; it will be read on the next run.",
                str(ret.path)))
        elif not ret.usable:
            reason = "; ".join(p.text for p in ret.problems if p.fatal)
            flags.append(Flag(
                "UNREADABLE_RETURN", Severity.HIGH, "", _service_name(merged, ret),
                f"The return {ret.file} could not be used: {reason}.",
                str(ret.path)))
    folder = f"inputs/returns/{merged.period.path}"
    for service in merged.service_areas:
        if merged.return_for(service) is None:
            outstanding = [p.action.id for p in merged.progress
                           if p.action.lead_service_area == service]
            flags.append(Flag(
                "NO_RETURN", Severity.HIGH, "", service,
                f"{service} sent no usable return for {merged.period.label}; "
                f"no update on {', '.join(outstanding)}.",
                folder))
    for ret, row in merged.unknown_rows:
        shown = row.raw_action_id or "(blank)"
        flags.append(Flag(
            "UNKNOWN_ACTION", Severity.LOW, row.raw_action_id, ret.service_area,
            f"{ret.file} has a row for action '{shown}', which is not in the plan; "
            "its update was not used.",
            f"{ret.file}, {row.where('Action ID')}"))
    for ret, row, first in merged.duplicate_rows:
        flags.append(Flag(
            "DUPLICATE_UPDATE", Severity.LOW, row.action_id, ret.service_area,
            f"{ret.file} has two rows for {row.action_id}"
            + (f" ({row.milestone})" if row.milestone else "")
            + f"; the first ({first.where('Action ID')}) was used.",
            f"{ret.file}, {row.where('Action ID')}"))
    return flags


def _progress_flags(merged: Merged) -> list[Flag]:
    flags = []
    end = merged.period.end
    for p in merged.progress:
        a = p.action
        service = a.lead_service_area
        returned = merged.return_for(service) is not None
        if not p.rows:
            if returned:
                flags.append(Flag(
                    "MISSING_UPDATE", Severity.MEDIUM, a.id, service,
                    f"{service}'s return has no row for {a.id}.",
                    merged.return_for(service).file))
            # Without any return, NO_RETURN already names this action.
            continue
        if not p.progress_update:
            flags.append(Flag(
                "MISSING_UPDATE", Severity.MEDIUM, a.id, service,
                f"The row for {a.id} has no progress update.",
                _row_source(p, "Progress update")))
        if not any(r.status for r in p.rows):
            typed = next((r.status_text for r in p.rows if r.status_text), "")
            flags.append(Flag(
                "MISSING_STATUS", Severity.MEDIUM, a.id, service,
                (f"The status '{typed}' for {a.id} is not one the report recognises."
                 if typed else f"The row for {a.id} gives no status."),
                _row_source(p, "Status")))
        if p.status is Status.OFF_TRACK:
            flags.append(Flag(
                "OFF_TRACK", Severity.HIGH, a.id, service,
                f"{a.id} is off track: {p.progress_update or 'no explanation given.'}",
                _row_source(p, "Status")))
        elif p.status is Status.AT_RISK:
            flags.append(Flag(
                "AT_RISK", Severity.MEDIUM, a.id, service,
                f"{a.id} is at risk: {p.progress_update or 'no explanation given.'}",
                _row_source(p, "Status")))
        if p.revised_date and p.revised_date > a.due_date:
            reason = p.reason_for_revised_date or "no reason given"
            flags.append(Flag(
                "DATE_SLIPPED", Severity.MEDIUM, a.id, service,
                f"{a.id} has slipped from {long_date(a.due_date)} to {long_date(p.revised_date)}: {reason}.",
                _row_source(p, "Revised date")))
    for p in merged.progress:
        due = p.revised_date or p.action.due_date
        if due <= end and p.status is not Status.COMPLETE:
            source = (_row_source(p, "Revised date") if p.revised_date
                      else _plan_source(p.action.id))
            flags.append(Flag(
                "OVERDUE", Severity.HIGH, p.action.id, p.action.lead_service_area,
                f"{p.action.id} was due by {long_date(due)} and is not complete "
                f"(status: {p.status.value}).",
                source))
    return flags


def _service_name(merged: Merged, ret: Return) -> str:
    """Give the plan's spelling of a return's service area ("Health & Wellbeing")."""
    key = service_key(ret.service_area)
    return next((s for s in merged.service_areas if service_key(s) == key), ret.service_area)


def _field_source(ret: Return, name: str) -> str:
    cell = ret.field_cells.get(name, "")
    return f"{ret.file}, {cell}" if cell else ret.file


def _intake_flags(merged: Merged) -> list[Flag]:
    """Flags about the returns as documents: period, approval, which file was used."""
    flags = []
    chosen = list(merged.received.values())
    for ret in chosen:
        said = parse_period(ret.period_text)
        wrong = ret.period_text and (said is None or (
            said != merged.period and not (said.kind == "H" and said == merged.period.half())))
        if wrong:
            flags.append(Flag(
                "WRONG_PERIOD", Severity.MEDIUM, "", _service_name(merged, ret),
                f"{ret.file} says its period is '{ret.period_text}', but it was sent for "
                f"{merged.period.label}; its updates were used: check they are this period's.",
                _field_source(ret, "Period")))
        if not ret.approved_by:
            flags.append(Flag(
                "UNAPPROVED_RETURN", Severity.MEDIUM, "", _service_name(merged, ret),
                f"{ret.file} does not say who approved it.",
                _field_source(ret, "Approved by")))
    used = {id(r) for r in chosen}
    for ret in merged.returns:
        if ret.usable and id(ret) not in used:
            newer = merged.received.get(service_key(ret.service_area))
            when = f", completed {long_date(newer.date_completed)}" if newer and newer.date_completed else ""
            flags.append(Flag(
                "SUPERSEDED_RETURN", Severity.LOW, "", _service_name(merged, ret),
                f"{ret.service_area} sent more than one return: {newer.file if newer else '?'}"
                f" (the newest{when}) was used; {ret.file} was superseded and is kept on record.",
                str(ret.path)))
    return flags


def _wording_flags(merged: Merged, previous: list[Return] | None,
                   intake: IntakeSettings) -> list[Flag]:
    """Flags about what the updates say: too long, the same as last time, at odds with the status."""
    flags = []
    before = _previous_updates(previous or [])
    for p in merged.progress:
        a = p.action
        for row in p.rows:
            source = f"{p.return_file}, {row.where('Progress update')}"
            count = words_in(row.progress_update)
            if count > intake.long_update_words:
                flags.append(Flag(
                    "LONG_UPDATE", Severity.LOW, a.id, a.lead_service_area,
                    f"The update on {a.id} is {count} words; committee papers need it in "
                    f"{intake.long_update_words} or fewer.", source))
            word = status_mismatch(row.status, row.progress_update)
            if word:
                flags.append(Flag(
                    "STATUS_MISMATCH", Severity.MEDIUM, a.id, a.lead_service_area,
                    f"{a.id} is reported {row.status.value}, but its update says '{word}': "
                    "check the status.", f"{p.return_file}, {row.where('Status')}"))
            key = (service_key(a.lead_service_area), a.id)
            old = before.get(key + (row.milestone.lower(),), before.get(key, ""))
            if same_words(row.progress_update, old):
                flags.append(Flag(
                    "STALE_UPDATE", Severity.LOW, a.id, a.lead_service_area,
                    f"The update on {a.id} is word for word the same as last period's.",
                    source))
    return flags


def _previous_updates(previous: list[Return]) -> dict[tuple, str]:
    found: dict[tuple, str] = {}
    for ret in choose_returns(previous).values():
        service = service_key(ret.service_area)
        for row in ret.rows:
            found.setdefault((service, row.action_id, row.milestone.lower()), row.progress_update)
            found.setdefault((service, row.action_id), row.progress_update)
    return found


def raise_flags(merged: Merged, previous: list[Return] | None = None,
                intake: IntakeSettings | None = None) -> list[Flag]:
    """Give every flag the merged period raises, most severe first.

    `previous` is last period's returns (for STALE_UPDATE); `intake` holds the word limit
    for LONG_UPDATE (default 150).
    """
    flags = (_plan_flags(merged) + _return_flags(merged) + _intake_flags(merged)
             + _progress_flags(merged) + _wording_flags(merged, previous, intake or IntakeSettings()))
    return sorted(flags, key=Flag.sort_key)
