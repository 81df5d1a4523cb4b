"""Receipts: for every return file read, what was accepted and what the officer should fix.

One receipt per file, decided here and given as plain text (for `reporting check` and
email); `reporting.render.receipts` lays the same Receipt out as a small HTML page and
writes both (`outputs/<period>/receipts/<file name>.txt` and `.html`).

Receipts are made per period, exceptions per paper: a receipt says, paper by paper, which
of its actions the committee will read as delivery exceptions, and why, from the same
findings the paper presents (`PaperContent`), and which of its service's actions it left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from reporting.cadence import Paper, cadences_covered, papers_on, period_covered
from reporting.checks import Finding, codes
from reporting.cells import example_day
from reporting.checks.returns import from_csv, service_name, why_not_used
from reporting.intake.returns import Note, Return
from reporting.merge import Fate, Merged, PeriodUpdates, RowFate
from reporting.report.exceptions import delivery_findings
from reporting.services import service_key
from reporting.status import named_by_colour
from reporting.wording import and_list, long_date, plural


@dataclass(frozen=True)
class PaperContent:
    """One paper of the period as it presents it: the merge and its findings."""

    paper: Paper
    merged: Merged
    findings: tuple[Finding, ...]  # what the paper presents (`reporting.checks.report_findings`)


@dataclass(frozen=True)
class PaperException:
    """One of the return's actions that a paper shows as a delivery exception."""

    action_id: str
    kinds: str  # "at risk; date slipped", most serious first
    words: str  # the paper's words for it: "at risk; date slipped from 2022/23 to ..."


@dataclass(frozen=True)
class PaperLine:
    """What one paper of the period shows of the return's actions."""

    heading: str  # "The quarterly report for 2022/23 Q2"
    covered: int  # how many of the return's actions the paper covers
    exceptions: tuple[PaperException, ...]

    @property
    def text(self) -> str:
        """The paper's line when it shows no exception of the return's."""
        if not self.covered:
            return f"{self.heading} covers none of this return's actions."
        return f"{self.heading}: none of this return's actions is a delivery exception."


@dataclass(frozen=True)
class RowLine:
    """What became of one row of the file, as the receipt states it."""

    where: str  # "Return!A8"
    action: str  # the action ID as typed
    action_id: str  # the plan's form of it ("1.b"), "" when it names none
    used: bool
    fate: str  # "Used", "Not used: the action '4.d' is not in the plan" ...
    code: str  # the finding a row not used raises ("" when used)


@dataclass(frozen=True)
class Receipt:
    """What one receipt says, already decided; the text and the page only lay it out."""

    file: str
    outcome: str  # "Accepted", "Accepted with problems", "Not used", "Not read yet", "Superseded"
    summary: str
    details: tuple[tuple[str, str], ...]  # (label, value) from the return's header
    problems: tuple[Finding, ...]
    notes: tuple[Note, ...]
    usable: bool
    rows: tuple[RowLine, ...] = ()
    plan_checked: bool = True  # False when the file was checked without the plan
    # Paper by paper, the return's actions the committee reads as delivery exceptions.
    papers: tuple[PaperLine, ...] = ()
    left_out: tuple[str, ...] = ()  # the service's actions the return has no row for


def _coverage(updates: PeriodUpdates, action_id: str) -> str:
    """Say which of the period's papers leave an action out ("" when every one covers it);
    `action_id` is the row's, the key it matched by ("gb.1" for GB1)."""
    action = updates.plan.action(action_id) if updates.plan and action_id else None
    if action is None:
        return ""
    left_out = [paper.value for paper in papers_on(updates.period)
                if action.cadence not in cadences_covered(paper, updates.period)]
    if not left_out:
        return ""
    article = "an" if action.cadence.value[0] in "aeiou" else "a"
    reports = " or ".join(f"the {name} report" for name in left_out)
    return f"; {article} {action.cadence.value} action, so not in {reports} for {updates.period.label}"


def _dates_read(row) -> str:
    """Say the dates a row gives as the report read them ("; new date 31 January 2024
    (reason: new IT system); achieved 3 May 2023"), the officer's words where they give no
    date: what the officer typed is never passed over in silence."""
    said = []
    for label, day, typed in (("new date", row.revised_date, row.revised_date_text),
                              ("achieved", row.date_achieved, row.date_achieved_text)):
        if day is not None:
            said.append(f"{label} {long_date(day)}")
        elif typed:
            said.append(f"{label} given as '{typed}' (not a date)")
        if label == "new date" and (day is not None or typed) and row.reason_for_revised_date:
            said[-1] += f" (reason: {row.reason_for_revised_date})"
    return "".join(f"; {part}" for part in said)


def _colour_notes(ret: Return, updates: PeriodUpdates) -> tuple[Note, ...]:
    """Say, once a row, a status given by its colour ("Amber") and the paper's word it was
    read as: the paper never shows the colour, so the officer learns the word it shows."""
    notes = []
    for row in (f.row for f in updates.fates_of(ret)):
        if row.combined_status or not named_by_colour(row.status_text):
            continue  # two statuses, or words read in part, the reading says itself
        action = updates.plan.action(row.action_id) if updates.plan and row.action_id else None
        ref = action.id if action else (row.raw_action_id or "(blank)")
        notes.append(Note(ret.file, row.where("Status"),
                          f"the status '{row.status_text}' on {ref} was read as "
                          f"{row.status.value}: next time write {row.status.value}, in words "
                          "rather than a colour"))
    return tuple(notes)


def _reading_notes(ret: Return, updates: PeriodUpdates) -> tuple[Note, ...]:
    """Say, once a row, an Action ID read as the one plan action it can mean, how it was
    read ("'B4,3' read as B4.3, the plan's only action it can mean", "'(6.d)' read as 6.d,
    the brackets round it left out"), and what to write instead."""
    return tuple(Note(ret.file, f.row.where("Action ID"),
                      f"'{f.row.raw_action_id}' read as {f.meant[0]}, {f.read_how}: next "
                      f"time write {f.meant[0]}")
                 for f in updates.fates_of(ret) if len(f.meant) == 1)


def _header_notes(ret: Return, updates: PeriodUpdates) -> tuple[Note, ...]:
    """Say once for the file that it gives no Period or no Date completed, what was taken
    instead and how to give it: a CSV file has no header block unless lines are added above
    its Action ID line, so it names neither unless the officer adds them."""
    period = updates.period.label
    missing = [name for name, given in (
        ("Period", ret.period_text),
        ("Date completed", ret.date_completed or ret.date_completed_text)) if not given]
    if not missing or not ret.usable or ret.settling:
        return ()
    example = {"Period": period, "Date completed": example_day(updates.period)}
    said = f"{' and '.join(missing)} not given"
    if "Period" in missing:
        said += f": the return was taken as {period}'s, the period it was sent for"
    if from_csv(ret):
        lines = " and ".join(f"'{name},{example[name]}'" for name in missing)
        how = (f"to give {'them' if len(missing) > 1 else 'it'}, add the "
               f"line{'s' if len(missing) > 1 else ''} {lines} above the Action ID line")
        if "Date completed" in missing:
            how += " (the day the return was completed, as day/month/year)"
        return (Note(ret.file, "", f"{said}; {how}"),)
    how = []
    for name in missing:
        where = ret.field_cells.get(name)
        what = period if name == "Period" else "the day the return was completed"
        how.append((f"write {what} in {where}" if where else
                    f"add '{name}' in column A above the table, with {what} beside it")
                   + ("" if name == "Period" else
                      f", as {example['Date completed']} (day/month/year)"))
    return (Note(ret.file, "", f"{said}; {'; '.join(how)}"),)


def _row_line(updates: PeriodUpdates, fate: RowFate) -> RowLine:
    row = fate.row
    # Why a row was not used is worded once, by the checks, for its finding and for here.
    text = ("Used" + _coverage(updates, row.action_id)) if fate.used else \
        f"Not used: {why_not_used(updates, fate)}"
    text += _dates_read(row)
    # The reference as the plan writes it ("GB1"), not the key it was matched by ("gb.1").
    action = updates.plan.action(row.action_id) if updates.plan and row.action_id else None
    return RowLine(row.where("Action ID"), row.raw_action_id or "(blank)",
                   action.id if action else row.action_id, fate.used, text, fate.fate.raises)


def _speaks_for(ret: Return, updates: PeriodUpdates) -> bool:
    """Tell whether the paper's words on its service's actions come from `ret`: it is the
    return used for its service, or no usable return of its service came (so its actions
    are not reported). A superseded file speaks for nothing: the newer one's receipt does."""
    used = updates.return_for(ret.service_area)
    return used is ret or used is None


def _paper_line(ret: Return, updates: PeriodUpdates, content: PaperContent) -> PaperLine:
    """Give what the paper of `content` shows of the actions `ret` speaks for: those its used
    rows are on, and those its service leads."""
    service = updates.service_of(ret)
    rows = {f.row.action_id for f in updates.fates_of(ret) if f.used}
    mine = [p.action.id for p in content.merged.progress if p.action.key in rows
            or any(service_key(lead) == service for lead in p.action.leads)] \
        if _speaks_for(ret, updates) else []
    found = delivery_findings(content.merged, content.findings)
    exceptions = tuple(
        PaperException(action_id, "; ".join(dict.fromkeys(
            f.code.exception.value for f in found[action_id])),
            "; ".join(dict.fromkeys(f.paper for f in found[action_id])))
        for action_id in mine if action_id in found)
    covered = period_covered(content.paper, updates.period)  # as the paper names it
    return PaperLine(f"The {content.paper.value} report for {covered.label}", len(mine),
                     exceptions)


def _left_out(ret: Return, papers: Sequence[PaperContent]) -> tuple[Finding, ...]:
    """Give, once an action, the findings that the return has no row for an action its
    service leads (each paper covering the action raises one)."""
    found: dict[str, Finding] = {}
    for content in papers:
        for f in content.findings:
            if f.code == codes.MISSING_UPDATE and f.paper and f.file == ret.file:
                found.setdefault(f.action_id, f)
    return tuple(found.values())


def build_receipt(ret: Return, updates: PeriodUpdates, findings: list[Finding],
                  papers: Sequence[PaperContent] = ()) -> Receipt:
    """Give the Receipt for one return: what became of each row, the findings on it and,
    paper by paper, which of its actions go to the committee as exceptions, and why.

    `findings` are the period's findings from `reporting.checks.check_returns`; `papers`
    are the period's papers as they present them. The receipt shows what is
    about this file, and judges nothing itself.
    """
    left_out = _left_out(ret, papers) if ret.usable else ()
    mine = [f for f in findings if f.file == ret.file] + list(left_out)
    mine += [replace(f, file=ret.file, cell="", officer=f.copy_words,
                     fix="nothing, if your own "
                         f"{'return' if f.code in _ABOUT_RETURNS else 'row'} is right")
             for f in findings
             if f.copy_to and f.copy_to == ret.file]
    fates = updates.fates_of(ret)
    # A copy of another file's SUPERSEDED_RETURN (a Date completed that did not count) is a
    # problem of this file, the one used, not its supersession.
    superseded = any(f.fate is Fate.SUPERSEDED for f in fates) or any(
        f.code == codes.SUPERSEDED_RETURN and f.copy_to != ret.file for f in mine)
    problems = tuple(f for f in mine
                     if f.code != codes.SUPERSEDED_RETURN or f.copy_to == ret.file)
    if ret.settling:
        outcome = "Not read yet"
        summary = "This file was still changing when the run started, so it was not read this run."
    elif not ret.usable:
        outcome = "Not used"
        summary = "This file cannot be used at all, so the report treats it as not received."
    else:
        # The references as the plan writes them ("GB1"), not the keys they matched by.
        plan = updates.plan
        ids = tuple(dict.fromkeys(
            (plan.action(r.action_id).id if plan and plan.action(r.action_id)
             else r.raw_action_id or r.action_id)
            for r in (f.row for f in fates) if r.action_id))
        read = (f"{plural(len(ret.rows), 'row')} on {plural(len(ids), 'action')}"
                + (f" ({', '.join(ids)})" if ids else ""))
        used = sum(f.used for f in fates)
        blank = sum(f.fate is Fate.BLANK for f in fates)
        if fates and all(f.fate is Fate.MISNAMED for f in fates):
            own = updates.return_for(ret.service_area)
            outcome = "Not used"
            summary = (f"Read {read}, but its name and its Service area cell name different "
                       f"services, and {own.file}, whose name and cell agree, is the one used "
                       f"for {service_name(updates, ret.service_area)}; no row of this file was "
                       "used (see Problems).")
        elif superseded:
            newer = updates.return_for(ret.service_area)
            outcome = "Superseded"
            summary = (f"Read {read}, but {newer.file if newer else 'a newer file'} from the "
                       "same service area is newer and is the one used; this file is kept on "
                       "record.")
        else:
            outcome = "Accepted with problems" if problems else "Accepted"
            left = f", {blank} left blank" if blank else ""
            summary = f"Accepted {read}." if used == len(fates) else \
                f"Read {read}; {used} of {plural(len(fates), 'row')} used{left} (see Rows)."
    details = tuple((label, value) for label, value in (
        ("Service area", ret.service_area), ("Period", ret.period_text),
        ("Completed by", ret.completed_by), ("Approved by", ret.approved_by),
        ("Date completed", long_date(ret.date_completed) or (
            f"'{ret.date_completed_text}' (not a date)" if ret.date_completed_text else "")),
        ("Sheet", ret.sheet),
    ) if value)
    absent = [f.action_id for f in left_out if not f.cell]
    unread_at = {where for _, where in ret.unread_lines}
    unread = [f.action_id for f in left_out if f.cell in unread_at]  # a line for it, not read
    # A row that may be its, not used: naming it with others, or an Action ID not read.
    unmatched = [f.action_id for f in left_out if f.cell and f.cell not in unread_at]
    if absent:
        summary += (f" It has no row for {and_list(absent)}, which "
                    f"{service_name(updates, ret.service_area)} leads: "
                    f"the papers show {'it' if len(absent) == 1 else 'them'} as not reported.")
    if unread:
        summary += (f" Its {'row' if len(unread) == 1 else 'rows'} for {and_list(unread)} "
                    f"could not be read (see Notes): the papers show "
                    f"{'it' if len(unread) == 1 else 'them'} as not reported.")
    if unmatched:
        summary += (f" No row could be used for {and_list(unmatched)} (see Problems): the "
                    f"papers show {'it' if len(unmatched) == 1 else 'them'} as not reported.")
    # A date the notes say was read loosely, and a problem says may mean another day that
    # changes the papers, is told once: by the problem, which names both days.
    dates_asked = {f.cell for f in problems if f.code == codes.UNREADABLE_DATE}
    notes = tuple(n for n in ret.notes if n.where not in dates_asked) + \
        _reading_notes(ret, updates) + _header_notes(ret, updates) + _colour_notes(ret, updates)
    return Receipt(ret.file, outcome, summary, details, problems, notes, ret.usable,
                   tuple(_row_line(updates, f) for f in fates),
                   plan_checked=updates.plan is not None,
                   papers=tuple(_paper_line(ret, updates, p) for p in papers),
                   left_out=tuple(f.action_id for f in left_out))


def receipt_text(receipt: Receipt) -> str:
    """Give the receipt as plain text."""
    lines = [f"Receipt for {receipt.file}", f"Outcome: {receipt.outcome}", receipt.summary, ""]
    lines += [f"{label}: {value}" for label, value in receipt.details]
    if not receipt.plan_checked:
        lines += ["", PLAN_SKIPPED]
    if receipt.rows:
        lines += ["", "Rows:"]
        lines += [f"- {r.where}: {r.action}: {r.fate}." for r in receipt.rows]
    if receipt.papers:
        lines += ["", "For the committee:"]
        for shown in receipt.papers:
            if not shown.exceptions:
                lines.append(f"- {shown.text}")
                continue
            lines.append(f"- {shown.heading}, "
                         f"{plural(len(shown.exceptions), 'delivery exception')}:")
            lines += [f"  - {e.action_id}: {e.words}." for e in shown.exceptions]
    if receipt.problems:
        lines += ["", f"Problems ({len(receipt.problems)}):"]
        for p in receipt.problems:
            where = p.cell or "whole file"
            code = f" [{p.code}]" if p.code else ""
            lines.append(f"- {where}: {p.officer}.{code}")
            if p.fix:
                lines.append(f"  What to do: {p.fix[0].upper()}{p.fix[1:]}.")
    else:
        lines += ["", "Problems: none."]
    if receipt.notes:
        lines += ["", "Notes:"]
        lines += [f"- {n.where + ': ' if n.where else ''}{n.message}." for n in receipt.notes]
    return "\n".join(lines) + "\n"


PLAN_SKIPPED = ("No settings file or plan was found, so this file was checked on its own: "
                "whether each action ID is in the plan, and which report covers it, was not "
                "checked.")


# Codes whose copy to another file is about that file's whole return, not one of its rows.
_ABOUT_RETURNS = (codes.SERVICE_NAME_MISMATCH, codes.SUPERSEDED_RETURN)


def build_receipts(updates: PeriodUpdates, findings: list[Finding],
                   papers: Sequence[PaperContent] = ()) -> list[Receipt]:
    """Give a Receipt for each return of the period, in file order; `papers` are the
    period's papers, each as it presents it."""
    # Each receipt is given its own file's findings, so a folder of many files costs
    # time in proportion to them, not to their square.
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        for file in dict.fromkeys((f.file, f.copy_to)):
            if file:
                by_file.setdefault(file, []).append(f)
    return [build_receipt(ret, updates, by_file.get(ret.file, []), papers)
            for ret in updates.returns]
