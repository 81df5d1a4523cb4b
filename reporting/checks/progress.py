"""The checks on the actions a report covers: gaps in the plan, missing returns and updates,
and delivery (off track, at risk, slipped, overdue).

These depend on the report: a quarterly report does not chase an annual action.
"""

from __future__ import annotations

from collections.abc import Iterator

from reporting.checks import codes
from reporting.checks.finding import Finding
from reporting.intake.returns import Return
from reporting.merge import Fate, Merged, Progress, RowFate, any_service_reports
from reporting.plan import Plan, undefined_line, unled_line
from reporting.services import service_key
from reporting.status import NO_STATUS, Status, worse_of
from reporting.wording import and_list, cut_words, long_date, possessive


def _plan(action_id: str, **values) -> dict:
    # The plan workbook's file name and hash are in the manifest; the reader needs the row.
    return dict(file="Plan", cell=f"Actions sheet, {action_id}", **values)


def _row(p: Progress, column: str) -> dict:
    return dict(file=p.return_file, cell=p.rows[0].where(column))


def _plan_gaps(merged: Merged) -> Iterator[Finding]:
    """One finding for the plan's actions with nothing to judge progress by (no milestone,
    no due date, no target), and one for its actions with no lead: never one per action."""
    plan = Plan((), tuple(p.action for p in merged.progress))  # the actions this report covers
    undefined = [a.id for a in plan.actions if a.undefined]
    if undefined:
        yield Finding(
            codes.MILESTONE_UNDEFINED, "", "", f"The plan leaves {undefined_line(plan)}.",
            **_plan(", ".join(undefined), officer=undefined_line(plan),
                    fix="agree a milestone, due date or target with the lead service and add "
                        "it to the plan workbook"))
    if unled_line(plan):
        unled = [a.id for a in plan.actions if not a.leads]
        yield Finding(
            codes.MILESTONE_UNDEFINED, "", "", unled_line(plan)[0].upper() + unled_line(plan)[1:] + ".",
            **_plan(", ".join(unled), officer=unled_line(plan),
                    fix="add the lead service areas to the plan workbook if the council has "
                        "named them; otherwise nothing is needed"))


def unread_return(merged: Merged, service: str):
    """Give the file a service sent that could not be used (or was still copying), if any."""
    key = service_key(service)
    return next((r for r in merged.returns
                 if not r.usable and service_key(r.service_area) == key), None)


def _missing(merged: Merged) -> Iterator[Finding]:
    folder = f"returns/{merged.period.path}"  # within the inputs folder, wherever that is
    for service in merged.service_areas:
        if merged.return_for(service) is None:
            outstanding = tuple(p.action.id for p in merged.progress
                                if service in p.action.leads and not p.rows)
            unread = unread_return(merged, service)
            if unread is None:
                came = f"{service} sent no return"
            elif unread.settling:
                came = f"{possessive(service)} return was still arriving when the report was made"
            else:
                came = f"{possessive(service)} return could not be read"
            yield Finding(
                codes.NO_RETURN, "", service,
                f"{came} for {merged.period.label}; no update on {', '.join(outstanding)}.",
                file=unread.file if unread else folder, actions=outstanding,
                paper=f"not reported: {came}")
    for p in merged.progress:
        if p.rows:
            continue
        for lead in p.action.leads:
            ret = merged.return_for(lead)
            if ret is None:  # without any return, NO_RETURN already names this action
                continue
            unread = [where for key, where in ret.unread_lines if key == p.action.key]
            if unread:  # its line is there but could not be read (the note says why)
                lines = " and ".join(unread)
                yield Finding(
                    codes.MISSING_UPDATE, p.action.id, lead,
                    f"{possessive(lead)} return's row for {p.action.id} ({lines}) could not "
                    "be read.", file=ret.file, cell=unread[0],
                    officer=f"the row for {p.action.id} could not be read (see the note on "
                            f"{lines})",
                    fix="correct that line as its note says and send the return again",
                    paper=f"not reported: {possessive(lead)} return's row for it could not "
                          "be read")
                continue
            unmatched = _unmatched_rows(merged, ret, p.action.id)
            if unmatched:
                yield _unmatched_update(ret, lead, p.action.id, unmatched[0])
                continue
            yield Finding(
                codes.MISSING_UPDATE, p.action.id, lead,
                f"{possessive(lead)} return has no row for {p.action.id}.",
                file=ret.file, officer=f"the return has no row for {p.action.id}",
                fix=f"add a row for {p.action.id} with its status and progress update",
                paper=f"not reported: {possessive(lead)} return has no row for it")


def _unmatched_rows(merged: Merged, ret: Return, action_id: str) -> list[RowFate]:
    """Give the rows of `ret` not used that may have been `action_id`'s: one naming it with
    other actions ("1.c/1.d"), one that could be it or another ("B4,3"), one whose Action ID
    cell holds an error or a formula with no saved result."""
    return [f for f in merged.updates.fates_of(ret) if f.fate is Fate.UNKNOWN_ACTION
            and (action_id in f.meant or "Action ID" in f.row.unshown)]


def _unmatched_update(ret: Return, lead: str, action_id: str, fate: RowFate) -> Finding:
    """MISSING_UPDATE for an action the return has a row that may be about, but no row it
    could use: the paper says so, never that the return has no row for it."""
    row, where = fate.row, fate.row.where("Action ID")
    others = [m for m in fate.meant if m != action_id]
    if fate.together:
        said, paper = f"has no row of its own for {action_id}", "has no row of its own for it"
        why = f"{where} ('{row.raw_action_id}') names it with {and_list(others)}"
        fix = f"give {action_id} its own row, with its status and progress update"
    elif fate.meant:
        said, paper = f"has no row sure to be {action_id}'s", "has no row sure to be its"
        why = f"{where} ('{row.raw_action_id}') could be it or {and_list(others, 'or')}"
        fix = f"write {action_id} in {where} if the row is about it"
    else:
        said = f"has no row that could be matched to {action_id}"
        paper = "has no row that could be matched to it"
        why = f"the Action ID cell, {where}, holds {row.unshown['Action ID']}"
        fix = f"if that row is about {action_id}, type {action_id} into its Action ID cell"
    return Finding(codes.MISSING_UPDATE, action_id, lead,
                   f"{possessive(lead)} return {said}: {why}.", file=ret.file, cell=where,
                   officer=f"the return {said}: {why}", fix=fix,
                   paper=f"not reported: {possessive(lead)} return {paper}")


def _delivery(merged: Merged, limit: int) -> Iterator[Finding]:
    end = merged.period.end
    for p in merged.progress:
        a, service = p.action, p.action.lead_service_area
        said = cut_words(p.progress_update, limit, f"cut at {limit} words") \
            or "no explanation given."
        if p.rows and p.status is Status.OFF_TRACK:
            yield Finding(codes.OFF_TRACK, a.id, service, f"{a.id} is off track: {said}",
                          paper="off track", **_row(p, "Status"))
        elif p.rows and p.status is Status.AT_RISK:
            yield Finding(codes.AT_RISK, a.id, service, f"{a.id} is at risk: {said}",
                          paper="at risk", **_row(p, "Status"))
        if p.forecast and p.status not in NO_STATUS and p.forecast is not p.status \
                and worse_of([p.forecast, p.status]) is p.forecast:
            yield Finding(
                codes.FORECAST_WORSE, a.id, service,
                f"{a.id} is {p.status.value.lower()} now, but its return forecasts it "
                f"{p.forecast.value.lower()} at the year end.",
                paper=f"forecast {p.forecast.value.lower()} at the year end",
                **_row(p, "Forecast year-end status"))
        if p.slipped:
            reason = cut_words(p.reason_for_revised_date, limit, f"cut at {limit} words") \
                or "no reason given"
            yield Finding(
                codes.DATE_SLIPPED, a.id, service,
                f"{a.id} has slipped from {a.due} to "
                f"{long_date(p.revised_date)}: {reason}.",
                paper=f"date slipped from {a.due} to {long_date(p.revised_date)}",
                **_row(p, "Revised date"))
    for p in merged.progress:
        yield from _milestones(p, end, limit)
    for p in merged.progress:
        if p.overdue(end):
            where = _row(p, "Revised date") if p.revised_date else _plan(p.action.id)
            yield Finding(
                codes.OVERDUE, p.action.id, p.action.lead_service_area,
                f"{p.action.id} was due by {p.due_words} and is not complete "
                f"(status: {p.status.value}).", paper=f"overdue (due by {p.due_words})",
                **where)


def _milestones(p, end, limit: int) -> Iterator[Finding]:
    """A dated milestone slips and falls overdue on its own, named in the finding."""
    a = p.action
    for m in p.milestones:
        named = f"{a.id} milestone '{m.milestone.text}'"
        where = dict(file=m.return_file, cell=m.row.where("Revised date")) if m.row else \
            _plan(a.id)
        if m.slipped:
            reason = cut_words(m.reason_for_revised_date, limit, f"cut at {limit} words") \
                or "no reason given"
            yield Finding(
                codes.DATE_SLIPPED, a.id, m.milestone.lead or a.lead_service_area,
                f"{named} has slipped from {m.milestone.due} to "
                f"{long_date(m.revised_date)}: {reason}.",
                paper=f"milestone '{m.milestone.text}' slipped from {m.milestone.due} to "
                      f"{long_date(m.revised_date)}", **where)
        if m.overdue(end):
            yield Finding(
                codes.OVERDUE, a.id, m.milestone.lead or a.lead_service_area,
                f"{named} was due by {m.due_words} and is not complete "
                f"(status: {m.status.value}).",
                paper=f"milestone '{m.milestone.text}' overdue (due by {m.due_words})", **where)


# What the rows of an action no lead is named for leave unsaid, when no service's row says
# it: the code, and the words for the policy officer and the committee.
_UNREPORTED = {
    Status.NO_UPDATE: (codes.MISSING_UPDATE, "no service's return reports on {ids}",
                       "not reported: no service's return reports on it"),
    Status.NOT_GIVEN: (codes.MISSING_STATUS, "no service's return gives a status for {ids}",
                       "status not given: no service's return gives it a status"),
}


def _unreported_unled(merged: Merged) -> Iterator[Finding]:
    """One finding for the covered actions the plan names no lead for that no service's
    return reports on (none of their rows gives a status), and one for those whose rows
    give updates but no status: for the policy officer, never one per service's return
    (each return that wrote on the action is told of its own rows by the return checks)."""
    for status, (code, said, paper) in _UNREPORTED.items():
        ids = [p.action.id for p in merged.progress
               if any_service_reports(p.action) and p.status is status]
        if not ids:
            continue
        line = said.format(ids=and_list(ids)) + (
            ", for which the plan names no lead service" if len(ids) == 1 else
            ", for none of which the plan names a lead service")
        yield Finding(
            code, ids[0] if len(ids) == 1 else "", "", f"{line[0].upper()}{line[1:]}.",
            **_plan(", ".join(ids), officer=line,
                    fix="ask the service doing the work to report it next period, or add its "
                        "lead service to the plan workbook"),
            paper=paper, actions=tuple(ids))


def check_progress(merged: Merged, long_update_words: int = 150) -> list[Finding]:
    """Give every finding about the actions `merged` covers (an update quoted in one is cut
    at `long_update_words`)."""
    return [*_plan_gaps(merged), *_missing(merged), *_unreported_unled(merged),
            *_delivery(merged, long_update_words)]
