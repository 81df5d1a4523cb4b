"""Return templates: one pre-filled workbook per service area, sent out before each period's returns.

The plan's text is filled in and locked (grey); last period's status and update sit beside
each row for reference; only the input columns can be typed in (the sheet is protected
without a password, so nobody is locked out). A returned template reads back cleanly with
`reporting.intake.returns.read_return`.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from reporting.cadence import Cadence, Paper, cadences_covered
from reporting.cells import example_day
from reporting.intake.files import column_letter
from reporting.intake.folder import read_returns
from reporting.intake.returns import STATUS_WORDS, Return, choose_returns
from reporting.period import Period
from reporting.plan import Action, Milestone, Plan
from reporting.publish import write_atomic
from reporting.services import service_key
from reporting.settings import READ_NOW, IntakeSettings
from reporting.status import NO_STATUS, Status
from reporting.wording import long_date
from reporting.working_days import returns_deadline

# (heading, width, officer types here)
TEMPLATE_COLUMNS = (
    ("Action ID", 10, False),
    ("Action", 45, False),
    ("Milestone", 40, False),
    ("Due date", 16, False),  # "Spring 2027 (by 31 May 2027)" wraps in two lines
    # What success looks like, as the plan says: the status is judged against it.
    ("Target/Outcome", 30, False),
    ("Last period's status", 14, False),
    ("Last period's update", 45, False),
    ("Status", 14, True),
    ("Progress update", 60, True),
    # Beside the status and update, so the reason is written with them; read by the report
    # for the committee's "The problem" (left empty where the action is on track).
    ("Why is it at risk or off track?", 40, True),
    ("Revised date", 13, True),
    ("Reason for revised date", 30, True),
    ("Date achieved", 13, True),
    ("Evidence", 30, True),
    ("Next steps", 40, True),
)
DATE_COLUMNS = ("Revised date", "Date achieved")
_GREY = PatternFill("solid", fgColor="D9D9D9")
_INPUT = PatternFill("solid", fgColor="FFFFFF")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_UNLOCKED = Protection(locked=False)
HEADER_ROW = 8


def template_cadences(period: Period) -> frozenset[Cadence]:
    """Give the action cadences any paper on `period` covers (so one template serves all)."""
    if period.kind == "H" or period.number in (2, 4):
        return cadences_covered(Paper.SIX_MONTHLY, period)
    return cadences_covered(Paper.QUARTERLY, period)


EVERY_SERVICE = "every-service"  # `[plan] unled_actions`: an unled action in every template


def templated_actions(plan: Plan, period: Period, unled: str = EVERY_SERVICE,
                      services: tuple[str, ...] = ()) -> dict[str, list[Action]]:
    """Give the covered actions of `period` by service area, in plan order.

    An action with several leads is in each lead's template. One with none goes where
    `unled` (`[plan] unled_actions`) says: a service area's name, or every service's
    template (the plan's services and `services`, those the council lists or that sent
    returns); with no service known at all, in one template for any service, under "".
    """
    cadences = template_cadences(period)
    known = {service_key(s): s for s in (*plan.service_areas, *services) if s}
    if unled != EVERY_SERVICE:
        unled_to: tuple[str, ...] = (known.get(service_key(unled), unled),)
    else:
        unled_to = tuple(known.values()) or ("",)
    found: dict[str, list[Action]] = {}
    for action in plan.actions:
        if action.cadence in cadences:
            for lead in action.reporters or unled_to:
                found.setdefault(lead, []).append(action)
    return found


def _put(ws, row: int, column: int, value: object, *, locked: bool = True):
    """Write a value that a spreadsheet shows and never runs, even if it starts with '='."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        if value.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if locked:
        cell.fill = _GREY
    else:
        cell.protection = _UNLOCKED
        cell.fill = _INPUT
    return cell


def _previous_rows(previous: Return | None) -> dict[tuple[str, str], tuple[str, str]]:
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for row in previous.rows if previous else ():
        value = (row.status.value if row.status else row.status_text, row.progress_update)
        found.setdefault((row.action_id, row.milestone.lower()), value)
        found.setdefault((row.action_id, ""), value)
    return found


def _due(action: Action, milestone: Milestone | None) -> date | str | None:
    """Give the Due date cell as the paper says it: a day the plan set, else the plan's
    words with the day they are read as beside them ("Spring 2027 (by 31 May 2027)"), or
    words alone that give no day ("Ongoing", "TBC"); a milestone the plan dates in no way
    is due when its action is."""
    due = milestone if milestone and (milestone.due_date or milestone.due_text) else action
    if due.due_date is None:
        return (due.due_text if isinstance(due, Milestone) else due.by_when) or None
    return f"{due.due} (by {long_date(due.due_date)})" if due.due_loose else due.due_date


def template_workbook(service_area: str, actions: list[Action], period: Period,
                      previous: Return | None = None,
                      settings: IntakeSettings = READ_NOW) -> bytes:
    """Give the .xlsx bytes of the pre-filled return template for one service area."""
    deadline = returns_deadline(period, settings.returns_deadline_working_days,
                                settings.bank_holidays)
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Return"
    # A template for any service (a plan that names no services) leaves its name to fill in.
    header = (("Service area", service_area or None, bool(service_area)),
              ("Period", period.label, True),
              ("Completed by", None, False), ("Approved by", None, False),
              ("Date completed", None, False))
    for r, (label, value, locked) in enumerate(header, start=1):
        _put(ws, r, 1, label).font = Font(bold=True)
        _put(ws, r, 2, value, locked=locked)
    _put(ws, 6, 1, "Return by").font = Font(bold=True)
    _put(ws, 6, 2, f"{deadline.day} {deadline:%B %Y}")
    for c, (heading, width, _) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = _put(ws, HEADER_ROW, c, heading)
        cell.font = Font(bold=True)
        ws.column_dimensions[column_letter(c - 1)].width = width
    earlier = _previous_rows(previous)
    r = HEADER_ROW
    for action in actions:
        for milestone in action.milestones_for(service_area) or (None,):
            r += 1
            text = milestone.text if milestone else ""
            last_status, last_update = earlier.get(
                (action.key, text.lower()), earlier.get((action.key, ""), ("", "")))
            plan_values = {
                "Action ID": action.id,
                "Action": action.what_we_will_do or action.objective,
                "Milestone": text,
                "Due date": _due(action, milestone),
                "Target/Outcome": action.target,
                "Last period's status": last_status,
                "Last period's update": last_update,
            }
            for c, (heading, _, editable) in enumerate(TEMPLATE_COLUMNS, start=1):
                cell = _put(ws, r, c, plan_values.get(heading), locked=not editable)
                if heading in DATE_COLUMNS + ("Due date",):
                    cell.number_format = "DD/MM/YYYY"
    last = max(r, HEADER_ROW + 1)
    columns = {h: column_letter(i) for i, (h, _, _) in enumerate(TEMPLATE_COLUMNS)}
    status_list = DataValidation(
        type="list", formula1='"' + ",".join(STATUS_WORDS) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle="Status",
        error="Choose a status from the list: " + ", ".join(STATUS_WORDS) + ".")
    status_list.add(f"{columns['Status']}{HEADER_ROW + 1}:{columns['Status']}{last}")
    dates = DataValidation(
        type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
        allow_blank=True, showErrorMessage=True, errorTitle="Date",
        error=f"Enter a date such as {example_day(period)}.", showInputMessage=True,
        promptTitle="Date", prompt=f"A day, written such as {example_day(period)}")
    for heading in DATE_COLUMNS:
        dates.add(f"{columns[heading]}{HEADER_ROW + 1}:{columns[heading]}{last}")
    dates.add("B5")
    ws["B5"].number_format = "DD/MM/YYYY"
    ws.add_data_validation(status_list)
    ws.add_data_validation(dates)
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    # No password: protection stops accidents, and nobody is ever locked out.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _instructions(workbook.create_sheet("Instructions"), service_area, period, deadline)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(ws, service_area: str, period: Period, deadline: date) -> None:
    lines = [
        (f"{service_area or 'Any service'}: return for {period.description}", True),
        (f"Please return this workbook by {deadline.day} {deadline:%B %Y} "
         f"({deadline:%A}).", True),
        ("", False),
        ("On the Return sheet, fill in Completed by, Approved by and Date completed, then "
         "one row per action or milestone: Status (choose from the list), Progress update, "
         "and where they apply Why is it at risk or off track?, Revised date (with the "
         "reason), Date achieved, Evidence and Next steps.", False),
        ("For an action at risk or off track, say why in a sentence or two, and what is being "
         "done under Next steps: the committee reads both beside the action.", False),
        ("The grey cells are the plan's own words and last period's return, for reference; "
         "they cannot be changed here.", False),
        ("Keep each progress update short (150 words or fewer): it goes into the committee "
         "papers as written.", False),
        (f"Dates: write them day first, such as {example_day(period)}.", False),
        ("", False),
        ("What each status means", True),
    ]
    for r, (text, bold) in enumerate(lines, start=1):
        cell = _put(ws, r, 1, text)
        cell.fill = PatternFill()
        cell.font = Font(bold=bold)
    r = len(lines)
    for status in Status:
        if status in NO_STATUS:
            continue
        r += 1
        _put(ws, r, 1, status.value).font = Font(bold=True)
        _put(ws, r, 2, status.meaning)
        ws.cell(row=r, column=1).fill = PatternFill()
        ws.cell(row=r, column=2).fill = PatternFill()
    ws.column_dimensions["A"].width = 100
    ws.column_dimensions["B"].width = 80


def template_file_name(service_area: str) -> str:
    """Give a safe file name for a service area's template ("Health & Wellbeing.xlsx")."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", service_area).strip(" .") or "Service area"
    return f"{name}.xlsx"


def write_templates(plan: Plan, period: Period, folder: Path, returns_root: Path,
                    settings: IntakeSettings = READ_NOW, unled: str = EVERY_SERVICE,
                    services: tuple[str, ...] = ()) -> list[Path]:
    """Write a template per service area into `folder` (`outputs/<period>/templates/`); give the paths.

    `returns_root` is `inputs/returns`: last period's returns are read from its folder for
    the reference columns (only read, never changed). An action with no lead goes as
    `unled` says (`templated_actions`); the services that sent last period's returns are
    known services too.
    """
    previous = choose_returns(read_returns(Path(returns_root) / period.previous().path))
    sent = tuple(r.service_area for r in previous.values() if r.service_area)
    written = []
    for service_area, actions in templated_actions(plan, period, unled,
                                                   (*services, *sent)).items():
        data = template_workbook(service_area, actions, period,
                                 previous.get(service_key(service_area)), settings)
        written.append(write_atomic(folder / template_file_name(service_area), data))
    return written
