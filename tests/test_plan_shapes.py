"""Plans shaped like real councils' plans, through the plan reader, templates, merge, checks
and the paper's model: free references, named themes, dated milestones, fuzzy dates, several
or no leads, a plan over two years."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
from conftest import ROOT, make_return, make_row
from openpyxl import load_workbook

from reporting.cadence import Paper
from reporting.intake.returns import read_return
from reporting.intake.templates import template_workbook, templated_actions
from reporting.period import Period
from reporting.pipeline import PeriodInputs, prepare_report
from reporting.plan import load_plan, read_plan_workbook, unled_line
from reporting.plan.form import blank_plan, format_markdown
from reporting.plan.workbook import plan_workbook
from reporting.settings import READ_NOW, load_settings
from reporting.status import Status

SETTINGS = load_settings(ROOT / "reporting.toml")
PRODUCED = datetime(2025, 10, 20, 9, 0).astimezone()

ACTIONS = [
    {"Action ID": "16", "Priority": "Greener", "Objective": "Plant 5,000 trees",
     "By when": "Spring 2026", "Lead service area": "Environment"},
    {"Action ID": "2", "Priority": "Greener", "Objective": "Cut the council's own emissions",
     "By when": "2026/27", "Lead service area": "Environment; Property Services"},
    {"Action ID": "1.10", "Priority": "Thriving places", "Objective": "Open the new market",
     "Due date": date(2026, 6, 30), "Lead service area": "Economic Development"},
    {"Action ID": "1.1", "Priority": "Thriving places", "Objective": "Adopt a town centre plan",
     "By when": "Autumn 2025"},
    {"Action ID": "24", "Priority": "Greener", "Objective": "Publish a climate strategy",
     "By when": "by March 2026", "Lead service area": "Environment"},
]
MILESTONES = [
    {"Action ID": "1.10", "Milestone": "Consultation closes", "Due date": "September 2025"},
    {"Action ID": "1.10", "Milestone": "Traders signed up", "Due date": "Summer 2025"},
    {"Action ID": "1.10", "Milestone": "Stalls built", "Due date": "Summer 2025"},
    {"Action ID": "1.10", "Milestone": "Market opens", "Due date": date(2026, 6, 30)},
    {"Action ID": "16", "Milestone": "Quarterly updates"},
]


@pytest.fixture(scope="module")
def plan_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "council-plan.xlsx"
    workbook = plan_workbook([], ACTIONS, MILESTONES)
    workbook.remove(workbook["Priorities"])  # themes come from the Actions sheet
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def plan(plan_path):
    return load_plan(plan_path)


def test_references_are_kept_as_written_and_sorted_naturally_within_named_themes(plan):
    assert [p.heading for p in plan.priorities] == ["Greener", "Thriving places"]
    assert [a.id for a in plan.actions] == ["2", "16", "24", "1.1", "1.10"]
    assert plan.action("1.10").objective == "Open the new market"
    assert plan.action("1.1").objective == "Adopt a town centre plan"


def test_fuzzy_due_dates_mean_their_last_day_and_keep_the_councils_words(plan):
    assert plan.action("1.1").due_date == date(2025, 11, 30)
    assert plan.action("1.1").due == "Autumn 2025"
    assert plan.action("2").due_date == date(2027, 3, 31)
    assert plan.action("24").due_date == date(2026, 3, 31)
    assert plan.action("1.10").due == "30 June 2026"
    consultation = plan.action("1.10").milestones[0]
    assert (consultation.due_date, consultation.due) == (date(2025, 9, 30), "September 2025")


def test_several_leads_each_get_the_action_and_none_is_flagged(plan, plan_path):
    assert plan.action("2").leads == ("Environment", "Property Services")
    assert plan.action("2").lead_service_area == "Environment and Property Services"
    by_service = templated_actions(plan, Period.parse("2025/26 Q2"))
    assert "2" in [a.id for a in by_service["Property Services"]]
    assert "2" in [a.id for a in by_service["Environment"]]
    # No lead: in every service's template ([plan] unled_actions = "every-service"), or in
    # the one service's it names; none made up for the action itself.
    assert all("1.1" in [a.id for a in actions] for actions in by_service.values())
    assert "" not in by_service and not plan.action("1.1").leads
    named = templated_actions(plan, Period.parse("2025/26 Q2"), unled="Environment")
    assert "1.1" in [a.id for a in named["Environment"]]
    assert "1.1" not in [a.id for a in named["Property Services"]]
    plan, problems = read_plan_workbook(plan_path)
    assert problems == []  # no lead is allowed: said once for the plan, not per action
    assert unled_line(plan).startswith("1 action (1.1) has no lead service area")


def test_a_template_has_a_row_per_milestone_with_the_milestones_own_date(plan):
    data = template_workbook("Economic Development", [plan.action("1.10")],
                             Period.parse("2025/26 Q2"), settings=READ_NOW)
    ws = load_workbook(BytesIO(data))["Return"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=9) if r[0].value]
    # The plan's words, as the paper shows them, with the day they are read as beside them.
    assert [(r[0], r[2], r[3]) for r in rows[:3]] == [
        ("1.10", "Consultation closes", "September 2025 (by 30 September 2025)"),
        ("1.10", "Traders signed up", "Summer 2025 (by 31 August 2025)"),
        ("1.10", "Stalls built", "Summer 2025 (by 31 August 2025)")]
    assert (rows[3][2], rows[3][3].date()) == ("Market opens", date(2026, 6, 30))


def _report(plan, *returns):
    inputs = PeriodInputs(Period.parse("2025/26 Q2"), plan, tuple(returns), (), ROOT)
    return prepare_report(SETTINGS, inputs, Paper.QUARTERLY, PRODUCED)


def test_each_dated_milestone_is_reported_flagged_and_shown_on_its_own(plan):
    report = _report(plan, make_return(
        "Economic Development",
        make_row("1.10", "Amber", "Consultation extended.", row=9,
                 milestone="Consultation closes", revised_date=date(2025, 12, 15),
                 reason_for_revised_date="More time asked for by traders"),
        make_row("1.10", "Complete", "All 40 signed.", row=10, milestone="Traders signed up"),
        make_row("1.10", "Complete", "Built.", row=11, milestone="Stalls built"),
        make_row("1.10", "On track", "On course.", row=12, milestone="Market opens")))
    slipped = [f for f in report.findings if f.code == "DATE_SLIPPED"]
    assert [f.message for f in slipped] == [
        "1.10 milestone 'Consultation closes' has slipped from September 2025 to "
        "15 December 2025: More time asked for by traders."]
    progress = next(p for p in report.merged.progress if p.action.id == "1.10")
    assert progress.revised_date is None  # the milestone's new date is not the action's
    assert [m.status for m in progress.milestones] == [
        Status.AT_RISK, Status.COMPLETE, Status.COMPLETE, Status.ON_TRACK]
    line = next(e for e in report.model.exceptions if e.action_id == "1.10")
    assert "milestone 'Consultation closes' slipped from September 2025 to 15 December 2025" \
        in line.problem
    entry = next(a for s in report.model.sections for a in s.actions if a.id == "1.10")
    assert entry.milestone_lines == (
        "Milestones:",
        "Consultation closes: At risk (due September 2025, now 15 December 2025)",
        "Traders signed up: Complete (due Summer 2025)",
        "Stalls built: Complete (due Summer 2025)",
        "Market opens: On track (due 30 June 2026)")
    assert entry.due_date == "30 June 2026"


def test_an_overdue_milestone_is_an_exception_though_its_action_is_not_due(plan):
    report = _report(plan, make_return(
        "Economic Development",
        make_row("1.10", "On track", "Going well.", row=9, milestone="Traders signed up")))
    overdue = [f.message for f in report.findings if f.code == "OVERDUE"]
    assert "1.10 milestone 'Stalls built' was due by Summer 2025 and is not complete " \
           f"(status: {Status.NO_UPDATE.value})." in overdue
    assert not any(m.startswith("1.10 was due") for m in overdue)


def test_a_fuzzy_due_date_is_shown_in_the_councils_words(plan):
    report = _report(plan, make_return("Anyone", make_row("1.1", "Red", "Stalled.", row=9)))
    line = next(e for e in report.model.exceptions if e.action_id == "1.1")
    assert line.by_when == "Autumn 2025"
    assert not [f for f in report.findings if f.code == "NOT_LEAD_SERVICE"]  # no lead: anyone


def test_rows_from_both_leads_are_used(plan):
    report = _report(
        plan, make_return("Environment", make_row("2", "Green", "Fleet ordered.", row=9)),
        make_return("Property Services", make_row("2", "Amber", "Boilers late.", row=9)))
    progress = next(p for p in report.merged.progress if p.action.id == "2")
    assert progress.status is Status.AT_RISK and len(progress.rows) == 2
    assert "Property Services: Boilers late." in progress.progress_update
    assert not [f for f in report.findings if f.code == "NOT_LEAD_SERVICE"]


def test_a_plan_over_two_years_is_not_overdue_in_its_first(plan):
    report = _report(plan)
    overdue = {f.action_id for f in report.findings if f.code == "OVERDUE"}
    assert "2" not in overdue and "24" not in overdue and "1.1" not in overdue


def test_a_return_retyping_a_reference_still_finds_the_action(plan, tmp_path):
    path = tmp_path / "environment.csv"
    path.write_text("Action ID,Status,Progress update\n Action 16 ,Green,Planted.\n"
                    "1.1,Amber,Slow.\n1.10,Green,Open.\n")
    ret = read_return(path)
    report = _report(plan, ret)
    assert next(p for p in report.merged.progress if p.action.id == "16").rows
    # 1.1 and 1.10 are two actions: 1.1 has no lead, 1.10 is Economic Development's
    assert [f.fate.value for f in report.check.updates.fates] == ["", "", "NOT_LEAD_SERVICE"]
    assert next(p for p in report.merged.progress if p.action.id == "1.1").progress_update \
        == "Slow."


def test_the_documented_format_is_the_one_the_code_reads():
    doc = (ROOT / "docs" / "plan-format.md").read_text()
    start = doc.index("<!-- generated from reporting/plan/form.py")
    end = doc.index("<!-- end of generated part -->")
    generated = doc[doc.index("\n", start) + 1:end].strip()
    assert generated == format_markdown().strip(), \
        "docs/plan-format.md is out of step with reporting/plan/form.py: paste format_markdown()"


def test_the_blank_template_has_instructions_and_needs_an_action(tmp_path):
    path = tmp_path / "plan-template.xlsx"
    blank_plan().save(path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Instructions", "Priorities", "Actions", "Milestones",
                                   "Plan start"]
    text = "\n".join(str(r[0].value) for r in workbook["Instructions"].iter_rows() if r[0].value)
    assert "Action ID (required)" in text and "reporting plan check" in text
    plan, problems = read_plan_workbook(path)
    assert plan is None and [str(p) for p in problems] == [
        "sheet 'Actions': the sheet has no actions; add one row per action under the header row"]


def test_a_milestone_of_another_action_means_a_mistyped_reference(plan, tmp_path):
    # "1.10" typed into a number cell reads as 1.1; the milestone says which it was.
    path = tmp_path / "economic-development.csv"
    path.write_text("Action ID,Milestone,Status,Progress update\n"
                    "1.1,Consultation closes,Green,Closed on time.\n")
    report = _report(plan, read_return(path))
    [fate] = report.check.updates.fates
    assert fate.fate.value == "MILESTONE_ELSEWHERE"
    [finding] = [f for f in report.findings if f.code == "MILESTONE_ELSEWHERE"]
    assert "'Consultation closes', is 1.10's" in finding.message
    assert not next(p for p in report.merged.progress if p.action.id == "1.1").rows
    [receipt] = report.check.receipts
    assert "Not used: its milestone, 'Consultation closes', is 1.10's, not 1.1's" in \
        [line.fate for line in receipt.rows]


def test_a_status_read_from_part_of_what_was_typed_is_told_to_the_officer(tmp_path):
    path = tmp_path / "housing.csv"
    path.write_text("Action ID,Status,Progress update\n1.1,amber-ish,Slow.\n")
    ret = read_return(path)
    assert ret.rows[0].status is Status.AT_RISK
    assert [n.message for n in ret.notes] == [
        "'amber-ish' was read as At risk; choose a status from the list next time"]


def test_where_the_plan_dates_any_milestone_each_is_listed_on_its_own():
    from conftest import make_action, make_plan

    from reporting.plan import Milestone

    action = make_action("1.a", milestones=(Milestone("Survey", date(2025, 8, 31), "", False),
                                             Milestone("Report to Cabinet")))
    inputs = PeriodInputs(Period.parse("2025/26 Q2"), make_plan(action), (make_return(
        "Regulatory Services", make_row("1.a", "Complete", "Done.", row=9, milestone="Survey"),
        make_row("1.a", "", "", row=10, milestone="Report to Cabinet")),), (), ROOT)
    report = prepare_report(SETTINGS, inputs, Paper.QUARTERLY, PRODUCED)
    entry = report.model.sections[0].actions[0]
    # The untouched row for the undated milestone is "Not reported", not "Status not given".
    assert entry.milestone_lines == ("Milestones:", "Survey: Complete (due 31 August 2025)",
                                     f"Report to Cabinet: {Status.NO_UPDATE.value} (undated)")
