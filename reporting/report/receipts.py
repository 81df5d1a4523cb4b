"""Receipts: for every return file read, what was accepted and what the officer should fix.

One receipt per file, decided here and given as plain text (for `reporting check` and
email); `reporting.render.receipts` lays the same Receipt out as a small HTML page and
writes both (`outputs/<period>/receipts/<file name>.txt` and `.html`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reporting.cadence import REPORT_CADENCES, CadenceError, cadences_covered
from reporting.checks import Finding, codes
from reporting.checks.returns import why_not_used
from reporting.intake.returns import Note, Return
from reporting.merge import Fate, PeriodUpdates, RowFate
from reporting.wording import long_date, plural


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


def _coverage(updates: PeriodUpdates, action_id: str) -> str:
    """Say which of the period's reports leave an action out ("" when every one covers it)."""
    action = next((a for a in updates.plan.actions if a.id == action_id), None) \
        if updates.plan else None
    if action is None:
        return ""
    left_out = []
    for report in REPORT_CADENCES:
        try:
            if action.cadence not in cadences_covered(report, updates.period):
                left_out.append(report.value)
        except CadenceError:  # no six-monthly report this quarter
            continue
    if not left_out:
        return ""
    article = "an" if action.cadence.value[0] in "aeiou" else "a"
    reports = " or ".join(f"the {name} report" for name in left_out)
    return f"; {article} {action.cadence.value} action, so not in {reports} for {updates.period.label}"


def _row_line(updates: PeriodUpdates, fate: RowFate) -> RowLine:
    row = fate.row
    # Why a row was not used is worded once, by the checks, for its finding and for here.
    text = ("Used" + _coverage(updates, row.action_id)) if fate.used else \
        f"Not used: {why_not_used(updates, fate)}"
    # The reference as the plan writes it ("GB1"), not the key it was matched by ("gb.1").
    action = updates.plan.action(row.action_id) if updates.plan and row.action_id else None
    return RowLine(row.where("Action ID"), row.raw_action_id or "(blank)",
                   action.id if action else row.action_id, fate.used, text, fate.fate.value)


def build_receipt(ret: Return, updates: PeriodUpdates, findings: list[Finding]) -> Receipt:
    """Give the Receipt for one return: what became of each row, and the findings on it.

    `findings` are the period's findings from `reporting.checks.check_returns`; the
    receipt shows those about this file, and judges nothing itself.
    """
    mine = [f for f in findings if f.file == ret.file]
    mine += [replace(f, file=ret.file, cell="", officer=f.copy_words,
                     fix="nothing, if your own row is right") for f in findings
             if f.copy_to and f.copy_to == ret.file]
    fates = updates.fates_of(ret)
    superseded = any(f.fate is Fate.SUPERSEDED for f in fates) or any(
        f.code == codes.SUPERSEDED_RETURN for f in mine)
    problems = tuple(f for f in mine if f.code != codes.SUPERSEDED_RETURN)
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
            (plan.action(i).id if plan and plan.action(i) else i) for i in ret.action_ids))
        read = (f"{plural(len(ret.rows), 'row')} on {plural(len(ids), 'action')}"
                + (f" ({', '.join(ids)})" if ids else ""))
        used = sum(f.used for f in fates)
        if superseded:
            newer = updates.return_for(ret.service_area)
            outcome = "Superseded"
            summary = (f"Read {read}, but {newer.file if newer else 'a newer file'} from the "
                       "same service area is newer and is the one used; this file is kept on "
                       "record.")
        else:
            outcome = "Accepted with problems" if problems else "Accepted"
            summary = f"Accepted {read}." if used == len(fates) else \
                f"Read {read}; {used} of {plural(len(fates), 'row')} used (see Rows)."
    details = tuple((label, value) for label, value in (
        ("Service area", ret.service_area), ("Period", ret.period_text),
        ("Completed by", ret.completed_by), ("Approved by", ret.approved_by),
        ("Date completed", long_date(ret.date_completed)), ("Sheet", ret.sheet),
    ) if value)
    return Receipt(ret.file, outcome, summary, details, problems, ret.notes, ret.usable,
                   tuple(_row_line(updates, f) for f in fates),
                   plan_checked=updates.plan is not None)


def receipt_text(receipt: Receipt) -> str:
    """Give the receipt as plain text."""
    lines = [f"Receipt for {receipt.file}", f"Outcome: {receipt.outcome}", receipt.summary, ""]
    lines += [f"{label}: {value}" for label, value in receipt.details]
    if not receipt.plan_checked:
        lines += ["", PLAN_SKIPPED]
    if receipt.rows:
        lines += ["", "Rows:"]
        lines += [f"- {r.where}: {r.action}: {r.fate}." for r in receipt.rows]
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


def build_receipts(updates: PeriodUpdates, findings: list[Finding]) -> list[Receipt]:
    """Give a Receipt for each return of the period, in file order."""
    # Each receipt is given its own file's findings, so a folder of many files costs
    # time in proportion to them, not to their square.
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        for file in dict.fromkeys((f.file, f.copy_to)):
            if file:
                by_file.setdefault(file, []).append(f)
    return [build_receipt(ret, updates, by_file.get(ret.file, [])) for ret in updates.returns]
