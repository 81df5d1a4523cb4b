"""The checks on a period's returns: each file as a document, and each row in it.

These findings do not depend on which report is being written: the receipt of a file shows
exactly these, and each report of the period shows those about the actions it covers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from reporting.cells import example_day, financial_year_named, foreign_letters
from reporting.checks import codes
from reporting.checks.codes import Code
from reporting.checks.finding import Finding
from reporting.checks.words import status_mismatch
from reporting.intake.returns import RANK_BY_CONTENT, STATUS_WORDS, Return, completed_counts, \
    for_period, is_copy_name, period_said, return_rank
from reporting.merge import (Fate, LastPeriod, PeriodUpdates, Preferred, RowFate,
                             any_service_reports, digest_last_period, milestone_owner,
                             name_disagrees, plan_service, progress_of)
from reporting.period import Period
from reporting.services import service_area_from_name
from reporting.settings import IntakeSettings
from reporting.wording import and_list, bounded, long_date, possessive, same_words

_STATUSES = ", ".join(STATUS_WORDS)


def service_name(updates: PeriodUpdates, name: str) -> str:
    """Give the plan's spelling of a service area ("Health & Wellbeing"), else `name`."""
    if updates.plan is None:
        return name
    return plan_service(updates.plan, name)


def from_csv(ret: Return) -> bool:
    """Tell whether a return is a CSV file: it has no sheet, and gives its header fields
    (Period, Approved by ...) only as lines above its Action ID line."""
    return ret.usable and not ret.sheet


def _file_finding(updates: PeriodUpdates, ret: Return, code: Code,
                  message: str, officer: str, fix: str, field: str = "") -> Finding:
    return Finding(code, "", service_name(updates, ret.service_area), message,
                   file=ret.file, cell=ret.field_cells.get(field, "") if field else "",
                   officer=officer, fix=fix)


def _documents(updates: PeriodUpdates) -> Iterator[Finding]:
    """Findings about the returns as documents: unreadable, period, approval, superseded."""
    period = updates.period
    for ret in updates.returns:
        if ret.settling:
            problem = ret.problems[0]
            yield _file_finding(
                updates, ret, codes.UNREADABLE_RETURN,
                f"The return {ret.file} was not read this run: it changed moments before the "
                "run and may still have been copying; it will be read on the next run.",
                problem.message, problem.fix)
        elif not ret.usable:
            fatal = [p for p in ret.problems if p.fatal]
            yield _file_finding(
                updates, ret, codes.UNREADABLE_RETURN,
                f"The return {ret.file} could not be used: "
                f"{'; '.join(p.text for p in fatal)}.",
                "; ".join(p.message for p in fatal), "; ".join(p.fix for p in fatal if p.fix))
    for ret in updates.received.values():
        said = period_said(ret.period_text, period)
        if said is None and ret.period_text:
            officer = f"the Period '{ret.period_text}' is not a period the report recognises"
            fix = f"write it as {period.label}"
        elif said is not None and not for_period(said, period):
            # A financial year alone is told as written: it names none of its quarters.
            shown = ret.period_text if financial_year_named(ret.period_text) else said.label
            officer = f"the Period says {shown}, but the return was sent for {period.label}"
            fix = f"check this is the {period.label} return and correct the Period"
        else:
            officer = ""
        if officer:
            yield _file_finding(
                updates, ret, codes.WRONG_PERIOD,
                f"{ret.file} says its period is '{ret.period_text}', but it was sent for "
                f"{period.label}; its updates were used: check they are this period's.",
                officer, fix, "Period")
        if not ret.approved_by:
            yield _file_finding(
                updates, ret, codes.UNAPPROVED_RETURN,
                f"{ret.file} does not say who approved it.",
                "no one is named as having approved the return",
                "ask your head of service to approve it and " + (
                    "add the line 'Approved by,<their name>' above the Action ID line"
                    if from_csv(ret) else "put their name in 'Approved by'"),
                "Approved by")
    for ret in updates.returns:
        if ret.usable and ret.date_completed_text and ret.date_completed is None:
            yield _file_finding(
                updates, ret, codes.UNREADABLE_DATE,
                f"{ret.file} gives its Date completed as '{ret.date_completed_text}', which "
                "is not a date the report can read.",
                f"the Date completed '{ret.date_completed_text}' is not a date",
                f"write the day the return was completed as {example_day(period)} "
                "(day/month/year)",
                "Date completed")
    used = {id(r) for r in updates.received.values()}
    old = {id(f.ret) for f in updates.fates if f.fate is Fate.OLD}
    for ret in updates.returns:
        if id(ret) in old:
            yield _file_finding(
                updates, ret, codes.OLD_RETURN,
                f"{ret.file} repeats {possessive(service_name(updates, ret.service_area))} return for "
                f"{period.previous().label} word for word, so it was taken as last period's "
                "return and not used.",
                f"{_repeats(updates)}, so it was taken as last period's and not used",
                f"send the {period.label} return, saying what has happened since the last one")
        elif any(f.fate is Fate.MISNAMED for f in updates.fates_of(ret)):
            yield _misnamed(updates, ret)
        elif ret.usable and id(ret) not in used:
            newer = updates.return_for(ret.service_area)
            when = f", completed {long_date(newer.date_completed)}" \
                if completed_counts(newer, period) else ""
            uncounted = _uncounted(period, ret, newer)
            finding = _file_finding(
                updates, ret, codes.SUPERSEDED_RETURN,
                f"{ret.service_area} sent more than one return: {newer.file} (the newest{when}) "
                f"was used; {ret.file} was superseded and is kept on record{uncounted}.",
                f"{_newer(updates, ret)}, so no row of this file was used",
                f"send one return per service area; if this file is the right one, save it "
                f"again with a later 'Date completed' than {newer.file}")
            # A Date completed that did not count is told to the file used as well.
            yield replace(finding, copy_to=newer.file, copy_words=(
                f"{ret.file} also came from {service_name(updates, ret.service_area)}; this "
                f"file was used{uncounted}")) if uncounted else finding


    for ret in updates.received.values():
        if name_disagrees(updates.plan, ret):
            yield _misnamed(updates, ret)
        yield from _tied(updates, ret, old)


def _misnamed(updates: PeriodUpdates, ret: Return) -> Finding:
    """SERVICE_NAME_MISMATCH for a file whose name names one service and whose Service area
    cell another: set aside for that service's own return, or used for want of one."""
    named = name_disagrees(updates.plan, ret)
    cell = service_name(updates, ret.service_area)
    own = updates.return_for(ret.service_area)
    where = ret.field_cells.get("Service area", "")
    said = (f"the file's name says it is {possessive(named)} return, but its Service area cell "
            f"({where}) says {cell}")
    fix = (f"if this is {possessive(named)} return, put {named} in the Service area cell and send it "
           f"again; if it is {possessive(cell)}, rename the file for {cell} and agree with them which "
           "return is right")
    if own is ret:
        return _file_finding(
            updates, ret, codes.SERVICE_NAME_MISMATCH,
            f"{ret.file} is named as {possessive(named)} return, but its Service area cell says {cell}; "
            f"no other return came from {cell}, so it was used as {possessive(cell)}, and {named} is "
            "shown as sending no return of its own: check whose return it is.",
            f"{said}; no other return came from {cell}, so it was used as {possessive(cell)} and "
            f"{named} is shown as sending no return", fix, "Service area")
    return Finding(
        codes.SERVICE_NAME_MISMATCH, "", cell,
        f"{ret.file} is named as {possessive(named)} return, but its Service area cell says {cell}; "
        f"{possessive(cell)} own return, {own.file}, was used and no row of {ret.file} was: check whose "
        "return it is.",
        file=ret.file, cell=where,
        officer=f"{said}; a file cannot replace a return whose own name and Service area "
                f"agree, so {possessive(cell)} own return, {own.file}, is used and no row of this "
                "file was used",
        fix=fix, copy_to=own.file,
        copy_words=f"{ret.file} (named for {named}) says in its Service area cell that it is "
                   f"{possessive(cell)} return; it was not used: your own return, this file, is the one "
                   "used")


def _uncounted(period: Period, *returns: Return) -> str:
    """Say which returns' Date completed was too far from the period to count ("" if none)."""
    said = [f"{r.file}'s Date completed, {long_date(r.date_completed)}, is too far from "
            f"{period.label} to be right, so it did not count"
            for r in returns if r is not None and r.date_completed
            and not completed_counts(r, period)]
    return f" ({'; '.join(said)}: check the dates)" if said else ""


def _tied(updates: PeriodUpdates, used: Return, old: set[int]) -> Iterator[Finding]:
    """TIED_RETURNS on each of a service's returns that only their names and file times tell
    apart (the same Date completed, both for this period): which was used, and why."""
    key = updates.service_of(used)

    def rank(ret: Return) -> tuple:
        return return_rank(ret, updates.period, not name_disagrees(updates.plan, ret))

    others = [r for r in updates.returns if r is not used and r.usable and id(r) not in old
              and updates.service_of(r) == key
              and rank(r)[:RANK_BY_CONTENT] == rank(used)[:RANK_BY_CONTENT]]
    if not others:
        return
    cell = service_name(updates, used.service_area)
    day = f"the same Date completed ({long_date(used.date_completed)})" \
        if completed_counts(used, updates.period) else "no Date completed that counts"
    why = ("its name is not a copy's" if not is_copy_name(used.path)
           and all(is_copy_name(r.path) for r in others) else "it was saved last")
    names = ", ".join(r.file for r in others)
    message = (f"{cell} sent {len(others) + 1} returns with {day}: {used.file} was used ({why}); "
               f"{names} {'was' if len(others) == 1 else 'were'} set aside: check which is "
               "right.")
    yield _file_finding(
        updates, used, codes.TIED_RETURNS, message,
        f"{names} also came from {cell} with {day}; this file was used, because {why}",
        f"if this file is the right return, ask for {names} to be taken out of the returns "
        "folder; if not, send the right one with a later Date completed", "Date completed")
    for ret in others:
        yield _file_finding(
            updates, ret, codes.TIED_RETURNS, message,
            f"{used.file} also came from {cell} with {day}; that one was used, because {why}, "
            "so no row of this file was used",
            f"if this file is the right one, save it again with a later Date completed than "
            f"{used.file}; if not, ask for it to be taken out of the returns folder",
            "Date completed")


def _reference(updates: PeriodUpdates, row) -> str:
    """Give a row's action reference as the plan writes it ("G1"), else as the officer typed it."""
    action = updates.plan.action(row.action_id) if updates.plan and row.action_id else None
    return action.id if action else (row.raw_action_id or row.action_id)


def _row_finding(updates: PeriodUpdates, fate: RowFate, code: Code, column: str,
                 message: str, officer: str, fix: str, paper: str = "") -> Finding:
    row = fate.row
    return Finding(code, _reference(updates, row),
                   service_name(updates, fate.ret.service_area), message,
                   file=fate.ret.file, cell=row.where(column), officer=officer, fix=fix,
                   paper=paper)


def why_not_used(updates: PeriodUpdates, fate: RowFate) -> str:
    """Say why a row was not used ("the action '4.d' is not in the plan"): the words the
    row's finding and the receipt's line for the row both give; "" for a row used."""
    row = fate.row
    ref = _reference(updates, row)
    if fate.fate is Fate.UNKNOWN_ACTION and fate.together:
        return f"the action ID '{row.raw_action_id}' names {and_list(fate.meant)} in one row"
    if fate.fate is Fate.UNKNOWN_ACTION and fate.meant:
        return f"the action '{row.raw_action_id}' could be {and_list(fate.meant, 'or')}"
    if fate.fate is Fate.UNKNOWN_ACTION and "Action ID" in row.unshown:
        return f"the Action ID cell holds {row.unshown['Action ID']}, not an action ID"
    if fate.fate is Fate.UNKNOWN_ACTION:
        foreign = ", ".join(f"'{char}' is a {script} letter"
                            for char, script in foreign_letters(row.raw_action_id))
        return f"the action '{row.raw_action_id or '(blank)'}' is not in the plan" + (
            f" (its {foreign}: retype it in Latin letters)" if foreign else "")
    if fate.fate is Fate.BLANK:
        return "it is left blank, as the template gave it"
    if fate.fate is Fate.NOT_LEAD:
        return f"{ref} is led by {updates.plan.action(row.action_id).lead_service_area}"
    if fate.fate is Fate.ELSEWHERE:
        other = milestone_owner(updates.plan, row.action_id, row.milestone).id
        return f"its milestone, '{row.milestone}', is {other}'s, not {ref}'s"
    if fate.fate is Fate.DUPLICATE:
        again = "a second" if fate.preferred is Preferred.FIRST else "another"
        return (f"it is {again} row for {_about(updates, row)}, and "
                f"{_used_instead(fate, 'this row')}")
    if fate.fate is Fate.OLD:
        return _repeats(updates)
    if fate.fate is Fate.SUPERSEDED:
        return _newer(updates, fate.ret)
    if fate.fate is Fate.MISNAMED:
        own = updates.return_for(fate.ret.service_area)
        return (f"the file's Service area cell names {service_name(updates, fate.ret.service_area)}, "
                f"whose own return, {own.file}, is the one used")
    return ""


def _about(updates: PeriodUpdates, row) -> str:
    """Name what a row is about: "1.c", "1.b (Second milestone)"."""
    return _reference(updates, row) + (f" ({row.milestone})" if row.milestone else "")


def _used_instead(fate: RowFate, this: str) -> str:
    """Say which row was used instead of a duplicate (`this`: "this row", "the row at
    Return!A10") and why (`merge.preferred_row`): "the first (Return!A8) counts"."""
    row, used = fate.row, fate.instead
    if fate.preferred is Preferred.FIRST:
        return f"the first ({fate.instead_place}) counts"
    if fate.preferred is Preferred.STATUS:
        why = f"it gives a status and {this} gives none"
    elif fate.preferred is Preferred.VISIBLE:
        why = f"{this} is hidden in Excel and that one is not"
    else:
        why = (f"its status, {used.status.value}, is worse than the {row.status.value} of "
               f"{this}, and a second row never hides the worse news")
    return f"the one at {fate.instead_place} is used, as {why}"


def _repeats(updates: PeriodUpdates) -> str:
    return (f"the file repeats last period's ({updates.period.previous().label}) return word "
            "for word")


def _newer(updates: PeriodUpdates, ret: Return) -> str:
    newer = updates.return_for(ret.service_area)
    return (f"{newer.file if newer else 'a newer file'} from the same service area is newer "
            f"and is the one used{_uncounted(updates.period, ret, newer)}")


def _unmatched(updates: PeriodUpdates, fate: RowFate) -> Finding:
    """UNKNOWN_ACTION for a row whose Action ID names several actions together ("1.c/1.d"),
    or whose cell holds an error or a formula with no saved result, rather than an ID."""
    row, file = fate.row, fate.ret.file
    if fate.together:
        message = (f"{file} has one row for '{row.raw_action_id}', which names "
                   f"{and_list(fate.meant)}; its update was not used for any of them.")
        fix = (f"give {and_list(fate.meant)} each its own row, with its own status and "
               "update")
    else:
        message = (f"{file} has a row whose Action ID cell holds {row.unshown['Action ID']}; "
                   "its update was not used.")
        fix = "type the action ID into the cell, rather than a formula"
    return _row_finding(updates, fate, codes.UNKNOWN_ACTION, "Action ID", message,
                        f"{why_not_used(updates, fate)}, so this row was not used", fix)


def _not_used(updates: PeriodUpdates) -> Iterator[Finding]:
    """Findings about rows that were read but not used."""
    for fate in updates.fates:
        row, file = fate.row, fate.ret.file
        ref = _reference(updates, row)
        if fate.fate is Fate.UNKNOWN_ACTION and (fate.together or "Action ID" in row.unshown):
            yield _unmatched(updates, fate)
        elif fate.fate is Fate.UNKNOWN_ACTION:
            shown = row.raw_action_id or "(blank)"
            meant = and_list(fate.meant, "or")
            yield _row_finding(
                updates, fate, codes.UNKNOWN_ACTION, "Action ID",
                f"{file} has a row for action '{shown}', which "
                f"{f'could be {meant}' if meant else 'is not in the plan'}; its update was "
                "not used.",
                f"{why_not_used(updates, fate)}, so this row was not used",
                f"write the one you mean ({meant}) as the return template gives it" if meant
                else "check the action ID against the return template")
        elif fate.fate is Fate.NOT_LEAD:
            action = updates.plan.action(row.action_id)
            lead = action.lead_service_area
            lead_return = next(filter(None, map(updates.return_for, action.leads)), None)
            sender = service_name(updates, fate.ret.service_area)
            yield Finding(
                codes.NOT_LEAD_SERVICE, ref, sender,
                f"{file} ({sender}) has a row for {ref}, which {lead} leads; it was "
                f"not used: only {possessive(lead)} return reports on {ref}.",
                file=file, cell=row.where("Action ID"),
                officer=f"{why_not_used(updates, fate)}, so this row was not used",
                fix=f"send anything {lead} should know to them, for their return, and take "
                    "the row out of yours",
                copy_to=lead_return.file if lead_return else "",
                copy_words=f"{sender} sent a row for your action {ref} "
                           f"({file}, {row.where('Action ID')}); it was not used, and your "
                           "own row is the one reported")
        elif fate.fate is Fate.ELSEWHERE:
            other = milestone_owner(updates.plan, row.action_id, row.milestone).id
            yield _row_finding(
                updates, fate, codes.MILESTONE_ELSEWHERE, "Action ID",
                f"{file} has a row for {ref} whose milestone, '{row.milestone}', is {other}'s; "
                "its update was not used for either action.",
                f"{why_not_used(updates, fate)}, so this row was not used",
                f"check the Action ID: if the row is about {other}, write {other} (typed into "
                "a number cell, 1.10 becomes 1.1: format the cell as text)")
        elif fate.fate is Fate.DUPLICATE:
            here = row.where("Action ID")
            yield _row_finding(
                updates, fate, codes.DUPLICATE_UPDATE, "Action ID",
                f"{file} has more than one row for {_about(updates, row)}; {here} was not "
                f"used: {_used_instead(fate, f'the row at {here}')}.",
                f"{why_not_used(updates, fate)}, so this row was not used",
                ("delete the hidden row (hiding a row does not take it out of the return), "
                 "or " if row.hidden else "") +
                "put everything about the action in one row, or name a different milestone")


def _by_action(fates: tuple[RowFate, ...]) -> dict[tuple[str, str], list[RowFate]]:
    grouped: dict[tuple[str, str], list[RowFate]] = {}
    for fate in fates:
        key = (fate.ret.file, fate.row.action_id or fate.row.raw_action_id)
        grouped.setdefault(key, []).append(fate)
    return grouped


def _any_service_reports(updates: PeriodUpdates, key: str) -> bool:
    action = updates.plan.action(key) if updates.plan and key else None
    return action is not None and any_service_reports(action)


def _rows_lack(name: str, count: int, verb: str, thing: str, no_thing: str) -> str:
    """Say an action's rows lack something: "the row for 1.a has no progress update",
    "none of the 6 rows for 1.e has a progress update"."""
    if count == 1:
        return f"the row for {name} {verb} {no_thing}"
    return f"none of the {count} rows for {name} {verb} {thing}"


def _last_period(updates: PeriodUpdates, previous: list[Return]) -> LastPeriod:
    """Give last period as the period's decision digested it (or `previous`, when a caller
    checks without one)."""
    if updates.last_period is not None and not previous:
        return updates.last_period
    return digest_last_period(updates.plan, previous, updates.period.previous())


def _unreadable_values(updates: PeriodUpdates, fate: RowFate) -> Iterator[Finding]:
    row = fate.row
    ref = _reference(updates, row)
    for column, typed, value in (("Revised date", row.revised_date_text, row.revised_date),
                                 ("Date achieved", row.date_achieved_text, row.date_achieved)):
        if typed and value is None:
            kept = "the paper gives the new date in these words" if column == "Revised date" \
                else "no date achieved was taken from it"
            yield _row_finding(
                updates, fate, codes.UNREADABLE_DATE, column,
                f"The {column.lower()} '{typed}' given for {ref} is not a date the "
                f"report can read: {kept}.",
                f"the {column.lower()} '{typed}' is not a date, so {kept}",
                # A new date is one still to come: its example is a day after the period.
                "write the day as day/month/year, such as " + example_day(
                    updates.period.following() if column == "Revised date" else updates.period))
    latest = fate.ret.date_completed or updates.period.following().end
    if row.date_achieved is not None and row.date_achieved > latest:
        when = (f"the return was completed on {long_date(latest)}" if fate.ret.date_completed
                else f"{updates.period.following().label} ended, on {long_date(latest)}")
        yield _row_finding(
            updates, fate, codes.LATE_DATE_ACHIEVED, "Date achieved",
            f"The date achieved given for {ref}, {long_date(row.date_achieved)}, is after "
            f"{when}: an action cannot be done after its return was written.",
            f"the date achieved, {long_date(row.date_achieved)}, is after {when}",
            "write the day it was done, as day/month/year (if it is not done yet, give its "
            "status and a revised date instead)")
    if row.forecast_text and row.forecast_status is None:
        yield _row_finding(
            updates, fate, codes.UNREADABLE_FORECAST, "Forecast year-end status",
            f"The forecast '{row.forecast_text}' given for {ref} is not a status, so "
            "it was not used.",
            f"'{row.forecast_text}' is not a status", f"use one of {_STATUSES}")


def _no_status(updates: PeriodUpdates, name: str, fates: list[RowFate],
               unreported: bool = True) -> Finding:
    """MISSING_STATUS for an action none of whose rows gives a status it can use, saying
    what was typed, or what the cell holds instead (an error, a formula), or that it is empty.
    The paper is told it is not reported when it is `unreported` by these rows alone."""
    typed = next((f.row.status_text for f in fates if f.row.status_text), "")
    first_typed = next((f for f in fates if f.row.status_text), fates[0])
    held = next((f for f in fates if "Status" in f.row.unshown), None)
    if held is not None and not typed:
        holds = held.row.unshown["Status"]
        return _row_finding(
            updates, held, codes.MISSING_STATUS, "Status",
            f"The Status cell for {name} holds {holds} instead of a status.",
            f"the Status cell holds {holds}, not a status",
            f"type one of {_STATUSES} into the cell, rather than a formula",
            paper="status not given: the Status cell holds no status" if unreported else "")
    said = _rows_lack(name, len(fates), "gives", "a status", "no status")
    return _row_finding(
        updates, first_typed, codes.MISSING_STATUS, "Status",
        f"The status '{typed}' for {name} is not one the report recognises." if typed
        else f"{said[0].upper()}{said[1:]}.",
        f"'{typed}' is not a status" if typed else said,
        f"use one of {_STATUSES}",
        paper="" if not unreported else
        f"status not given: the return gives the status '{typed}', which is not one this "
        "report uses" if typed else "status not given: the return gives no status")


def _row_without_status(updates: PeriodUpdates, name: str, fate: RowFate) -> Finding | None:
    """MISSING_STATUS for one row of an action whose other rows give a status: the row says
    something (an update, a status that is not one, a cell holding an error) but gives no
    status, so the action's status comes from its other rows only. The action is reported,
    so the paper is not told; None for a row that gives a status, or says nothing."""
    row = fate.row
    if row.status is not None or not (row.progress_update or row.status_text
                                      or "Status" in row.unshown):
        return None
    which = f"the row for {name}" + (f" (milestone '{row.milestone}')" if row.milestone else "")
    if row.status_text:
        lacks = f"the status '{row.status_text}' on {which} is not a status the report uses"
    elif "Status" in row.unshown:
        lacks = f"the Status cell of {which} holds {row.unshown['Status']}, not a status"
    else:
        lacks = f"{which} has a progress update but no status"
    taken = f"{possessive(name)} status was taken from its other rows only"
    return _row_finding(
        updates, fate, codes.MISSING_STATUS, "Status",
        f"{lacks[0].upper()}{lacks[1:]}; {taken}.", f"{lacks}, so {taken}",
        f"write one of {_STATUSES} in {row.where('Status')}, this row's Status cell")


def _used_rows(updates: PeriodUpdates, previous: list[Return],
               intake: IntakeSettings) -> Iterator[Finding]:
    """Findings about what the used rows say: status, update, dates, wording."""
    before = _last_period(updates, previous)
    grouped = _by_action(updates.used_rows())
    every_service: dict[str, list[RowFate]] = {}
    for (_, key), fates in grouped.items():
        every_service.setdefault(key, []).extend(fates)
    for (file, key), fates in grouped.items():
        name = _reference(updates, fates[0].row) if key else key
        first = fates[0]
        # An action the plan names no lead for takes its status and update from any
        # service's rows: one service's rows lack them only when every service's do, and
        # then the paper is told once, by the progress checks, not by each return.
        unled = _any_service_reports(updates, key)
        among = every_service[key] if unled else fates
        if name and not any(f.row.status for f in among):
            yield _no_status(updates, name, fates, unreported=not unled)
        elif name:  # the action has a status: a row beside it giving none is said on its own
            yield from filter(None, (_row_without_status(updates, name, f) for f in fates))
        if name and not any(f.row.progress_update for f in among):
            held = next((f for f in fates if "Progress update" in f.row.unshown), None)
            said = _rows_lack(name, len(fates), "has", "a progress update", "no progress update")
            if held is not None:
                said = (f"the Progress update cell for {name} holds "
                        f"{held.row.unshown['Progress update']}, not an update")
            yield _row_finding(
                updates, held or first, codes.MISSING_UPDATE, "Progress update",
                f"{said[0].upper()}{said[1:]}.", said,
                "say briefly what has happened this period" + (
                    ", typed into the cell rather than a formula" if held else ""))
    for fate in updates.used_rows():
        row, name = fate.row, _reference(updates, fate.row)
        yield from _unreadable_values(updates, fate)
        yield from _long_text(updates, fate, name, intake)
        word = status_mismatch(row.status, row.progress_update)
        if word:
            yield _row_finding(
                updates, fate, codes.STATUS_MISMATCH, "Status",
                f"{name} is reported {row.status.value}, but its update says '{word}': check "
                "the status.",
                f"the status is {row.status.value} but the update says '{word}'",
                "check the status; use At risk or Off track if the work is behind")
        old = before.update(updates.service_of(fate.ret), row.action_id, row.milestone)
        if row.action_id and same_words(row.progress_update, old):
            yield _row_finding(
                updates, fate, codes.STALE_UPDATE, "Progress update",
                f"The update on {name} is word for word the same as last period's.",
                f"the update on {name} is word for word the same as last period's",
                "say what has happened since the last return")


def _long_text(updates: PeriodUpdates, fate: RowFate, name: str,
               intake: IntakeSettings) -> Iterator[Finding]:
    """LONG_UPDATE for an update or next steps past the paper's bounds (words, characters,
    lines), saying what the paper cut it at."""
    bounds = intake.text_bounds
    for column, what, text in (("Progress update", "update", fate.row.progress_update),
                               ("Next steps", "next steps", fate.row.next_steps)):
        over = bounds.over(text)
        if not over:
            continue
        cut = bounded(text, bounds)[1]
        yield _row_finding(
            updates, fate, codes.LONG_UPDATE, column,
            f"The {what} on {name} is {over}; committee papers need it in "
            f"{bounds.words} words, {bounds.chars:,} characters and {bounds.lines} lines or "
            f"fewer, so the paper shows it {cut}.",
            f"the {what} on {name} is {over} long",
            f"shorten it to {bounds.words} words, {bounds.chars:,} characters and "
            f"{bounds.lines} lines or fewer: the paper shows it {cut}")


def _standing(dated, end) -> str:
    """Say how a new date leaves an action or milestone in the papers: "slipped",
    "overdue", "slipped and overdue" or "neither slipped nor overdue"."""
    said = [word for word, so in (("slipped", dated.slipped), ("overdue", dated.overdue(end)))
            if so]
    return " and ".join(said) or "neither slipped nor overdue"


def _two_readings(updates: PeriodUpdates) -> Iterator[Finding]:
    """UNREADABLE_DATE for a revised date whose words may mean two days ("Jan 24": January
    2024 or 24 January) of which one makes its action or milestone slipped or overdue in the
    papers and the other does not: the officer is asked which they meant, naming both."""
    if updates.plan is None:
        return
    end = updates.period.end
    fates = {id(f.row): f for f in updates.used_rows()}
    for p in progress_of(updates.plan, updates):
        for dated, named in ((p, p.action.id), *((m, f"{p.action.id} milestone "
                                                  f"'{m.milestone.text}'")
                                                 for m in p.milestones)):
            other = dated.read_otherwise()
            if other is None or _standing(dated, end) == _standing(other, end):
                continue
            row = dated.dated_by
            read, meant = dated.revised_date, other.revised_date
            said = (f"the revised date '{row.revised_date_text}' for {named} may mean "
                    f"{long_date(read)} or {long_date(meant)}: read as {long_date(read)}, "
                    f"the papers show it as {_standing(dated, end)}; read as "
                    f"{long_date(meant)}, they would show it as {_standing(other, end)}")
            yield _row_finding(
                updates, fates[id(row)], codes.UNREADABLE_DATE, "Revised date",
                f"{said[0].upper()}{said[1:]}: check which day the officer meant.", said,
                f"write {read:%d/%m/%Y} or {meant:%d/%m/%Y}, whichever you meant")


def check_returns(updates: PeriodUpdates, previous: list[Return] | None = None,
                  intake: IntakeSettings | None = None) -> list[Finding]:
    """Give every finding about the period's returns and their rows, in file order.

    `previous` is last period's returns (for STALE_UPDATE); `intake` holds the word limit
    for LONG_UPDATE.
    """
    intake = intake or IntakeSettings()
    return [*_documents(updates), *_not_used(updates),
            *_used_rows(updates, previous or [], intake), *_two_readings(updates)]


def withdrawn_returns(files: list[str]) -> list[Finding]:
    """Give a WITHDRAWN_RETURN for each file an earlier run gave a receipt that is no longer
    in the returns folder (its receipt is removed, so the policy officer is told here)."""
    return [Finding(codes.WITHDRAWN_RETURN, "", service_area_from_name(Path(name)),
                    f"{name} is no longer in the returns folder, so its receipt was removed.",
                    file=name, officer="this file is no longer in the returns folder",
                    fix="nothing, if it was taken out on purpose; otherwise put it back")
            for name in files]
