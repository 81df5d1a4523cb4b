"""Any council's plan as it publishes it (issue 20): the two plans in tests/fixtures, in shapes
no other test was built on, imported, reported on, and read back from the real papers."""

from __future__ import annotations

import html
import io
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import make_return, make_row, make_settings, prepare
from openpyxl import load_workbook

from reporting.cadence import Paper
from reporting.intake.plan_import import import_plan
from reporting.intake.templates import template_workbook, templated_actions
from reporting.period import Period
from reporting.pipeline import render_documents
from reporting.plan import PlanError, load_plan, read_plan_workbook
from reporting.plan.importing import chosen_columns, plan_starts
from reporting.plan.importing.phrases import dated_milestone

FIXTURES = Path(__file__).parent / "fixtures"
Q2 = Period.parse("2022/23 Q2")


def said(report, *words: str) -> list[str]:
    return [str(d) for d in report.decisions if all(w in str(d) for w in words)]


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    out = tmp_path_factory.mktemp("council") / "plan.xlsx"
    report = import_plan(FIXTURES / "council-plan.docx", out)
    return report, load_plan(out)


@pytest.fixture(scope="module")
def homelessness(tmp_path_factory):
    out = tmp_path_factory.mktemp("homelessness") / "plan.xlsx"
    report = import_plan(FIXTURES / "homelessness-strategy.xlsx", out, starts=Q2)
    return report, load_plan(out, starts=Q2)


def test_a_word_plan_keeps_its_themes_from_the_headings_above_its_tables(council):
    report, plan = council
    assert [p.heading for p in plan.priorities] == ["Greener", "Homes", "Thriving"]
    assert [(a.priority, a.id) for a in plan.actions] == [
        ("Greener", "16"), ("Greener", "17"), ("Homes", "3"), ("Homes", "GB1"),
        ("Thriving", "a")]
    assert said(report, "every table's heading ends 'Our Deliverables'")
    assert not said(report, "no reference: it was given")  # none was invented


def test_the_reference_at_the_start_of_the_action_is_its_reference_and_the_rest_its_title(
        council):
    _, plan = council
    assert plan.action("16").title == ("Better engagement with local businesses on reaching "
                                       "net zero")
    assert plan.action("3").title == "Affordable homes on council land"  # "Action 3:"
    assert plan.action("GB1").title == "Bring empty homes back into use"  # "GB1 -"
    assert plan.action("a").title == "A new town centre market"  # "(a)"


def test_each_bullet_is_a_milestone_kept_whole_with_the_date_its_words_carry(council):
    report, plan = council
    assert [(m.text, m.due_date) for m in plan.action("3").milestones] == [
        ("Barlby Road - June 2026 (83 homes)", date(2026, 6, 30)),
        ("Station Yard - end of 2026 (40 homes)", date(2026, 12, 31))]
    assert [(m.text, m.due_date, m.due) for m in plan.action("17").milestones] == [
        ("Food caddies delivered to every home by March 2026", date(2026, 3, 31), "March 2026"),
        ("Weekly food waste round expected to go live 27 May 2025", date(2025, 5, 27),
         "27 May 2025")]
    greener = plan.action("16").milestones
    assert [m.due for m in greener] == ["Autumn 2025", "July 2025", ""]
    assert report.milestones == 10
    assert dict(report.columns)["What we will do and when"] == "Milestones"
    assert dict(report.columns)["What residents will see"] == "Target/Outcome"
    assert plan.action("GB1").target == "Fewer empty homes"


def test_words_that_hold_no_date_are_not_given_one():
    assert dated_milestone("Publish a green business guide")[1] == ""
    assert dated_milestone("A 2025 review of 3 parks")[1] == ""
    assert dated_milestone("Empty homes officer in post (Q3 2025/26)")[1] == "Q3 2025/26"


def test_an_unknown_column_is_named_with_the_option_that_maps_it(tmp_path):
    source = tmp_path / "plan.csv"
    source.write_text("Ref,Action,Delivery timetable\n"
                      "1,Open the hub,March 2026\n2,Train staff,Ongoing\n", encoding="utf-8")
    report = import_plan(source, tmp_path / "first.xlsx")
    [line] = said(report, "column 'Delivery timetable' was not imported")
    assert '--column "Delivery timetable=FIELD"' in line and "By when" in line
    # A header the import knows only through --column is found by it.
    source.write_text("Ref,Commitment,Delivery timetable\n"
                      "1,Open the hub,March 2026\n2,Train staff,Ongoing\n", encoding="utf-8")
    with pytest.raises(PlanError, match="no table has a header row"):
        import_plan(source, tmp_path / "none.xlsx")
    report = import_plan(source, tmp_path / "second.xlsx", columns=chosen_columns(
        ["Delivery timetable=By when", "Commitment=Objective"]))
    plan = load_plan(report.out)
    assert (plan.action("1").title, plan.action("1").due_date) == ("Open the hub",
                                                                    date(2026, 3, 31))
    assert plan.action("2").ongoing and plan.action("2").due == "Ongoing"
    with pytest.raises(PlanError, match="FIELD one of the plan's columns"):
        chosen_columns(["Delivery timetable=When-ish"])


def test_relative_years_need_the_plans_start_and_are_never_guessed(tmp_path):
    report = import_plan(FIXTURES / "homelessness-strategy.xlsx", tmp_path / "plan.xlsx")
    assert said(report, "'Year 1'", "--starts")
    plan, problems = read_plan_workbook(report.out)
    assert plan.action("3.2").due_date is None and plan.action("3.2").due == "Year 1"
    assert any("[plan] starts" in p.fix for p in problems)
    # The settings' start wins; the two naming different periods is an error.
    assert plan_starts("2022/23 Q2", None) == Q2 and plan_starts(None, Q2) == Q2
    with pytest.raises(PlanError, match="is not \\[plan\\] starts"):
        plan_starts("2022/23 Q1", Q2)
    _, problems = read_plan_workbook(
        import_plan(FIXTURES / "homelessness-strategy.xlsx", tmp_path / "q1.xlsx",
                    starts=Period.parse("2022/23 Q1")).out, starts=Q2)
    assert any(p.blocking and "2022/23 Q1 here" in p.message for p in problems)


def test_a_strategy_with_ongoing_and_relative_years_and_no_leads_is_a_whole_plan(homelessness):
    report, plan = homelessness
    assert [p.heading for p in plan.priorities] == [
        "Priority 1: Preventing homelessness", "Priority 2: Ending rough sleeping",
        "Cross-cutting theme: Working with partners"]
    assert plan.starts == Q2
    assert (plan.action("3.2").due_date, plan.action("3.2").due) == (date(2023, 3, 31),
                                                                       "Year 1")
    assert plan.action("7.1").ongoing and plan.action("7.1").due_date is None
    assert all(not a.leads for a in plan.actions)  # none made up
    assert said(report, "'Year 3' read as the financial year 2024/25")


def test_an_unled_plan_goes_to_every_service_or_one_template_and_shows_the_target(homelessness):
    _, plan = homelessness
    assert list(templated_actions(plan, Q2)) == [""]  # no service known: one for any
    both = templated_actions(plan, Q2, services=("Housing Options", "Community Safety"))
    assert {k: len(v) for k, v in both.items()} == {"Housing Options": 7, "Community Safety": 7}
    named = templated_actions(plan, Q2, unled="Housing Options",
                              services=("Housing Options", "Community Safety"))
    assert list(named) == ["Housing Options"]
    ws = load_workbook(io.BytesIO(template_workbook("", list(plan.actions), Q2)))["Return"]
    header = [c.value for c in ws[8]]
    target = header.index("Target/Outcome") + 1
    row = {ws.cell(r, 1).value: r for r in range(9, ws.max_row + 1)}
    assert ws.cell(row["3.1"], target).value == "Fewer households becoming homeless"
    assert ws.cell(row["3.1"], target).protection.locked
    assert ws.cell(row["3.1"], header.index("Due date") + 1).value == "Ongoing"
    assert not ws["B1"].protection.locked  # the service fills in its own name


def _report(plan, paper=Paper.SIX_MONTHLY):
    rows = [make_row("3.1", "On track", row=9), make_row("7.1", "On track", row=10),
            make_row("3.2", "At risk", row=11, update="Landlord line delayed.")]
    return prepare(plan, [make_return("Housing Options", *rows)], paper=paper,
                   settings=make_settings(plan_starts="2022/23 Q2"))


def test_one_finding_for_an_unled_plan_and_none_for_actions_with_a_date_or_target(
        homelessness):
    _, plan = homelessness
    findings = [f for f in _report(plan).findings if f.code == "MILESTONE_UNDEFINED"]
    assert len(findings) == 1 and "names no lead service for any action" in findings[0].message
    assert not [f for f in _report(plan).findings if f.code == "OVERDUE"
                and f.action_id in ("3.1", "7.1", "P2.1")]


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_the_papers_print_the_councils_words_and_no_invented_lead_or_date(homelessness,
                                                                         tmp_path):
    from docx import Document

    _, plan = homelessness
    documents = render_documents(_report(plan).model)
    pdf = " ".join(_pdf_text(documents["pdf"], tmp_path).split())
    word = Document(io.BytesIO(documents["docx"]))
    docx = " ".join(" ".join(c.text for row in t.rows for c in row.cells) for t in word.tables)
    docx = " ".join((docx + " " + " ".join(p.text for p in word.paragraphs)).split())
    for text in (pdf, docx):
        assert "Priority 1: Preventing homelessness" in text
        assert "Cross-cutting theme: Working with partners" in text
        assert "Year 1" in text and "Ongoing" in text
        assert "31 March 2023" not in text  # "Year 1" is never printed as a day
        assert "none named in the plan" in text
        assert "Fewer households becoming homeless" in text  # the target, in Appendix A
        # The plan began in Q2: its first six-monthly paper does not miss a Q1.
        assert "no returns for 2022/23 Q1" not in text
        assert "The plan began in 2022/23 Q2" in text


def test_a_milestone_whose_words_give_its_date_is_not_dated_twice_and_unled_returns_are_said(
        council, tmp_path):
    _, plan = council
    rows = [make_row("17", "Off track", row=9,
                     milestone="Weekly food waste round expected to go live 27 May 2025")]
    report = prepare(plan, [make_return("Environment", *rows)], period="2025/26 Q2",
                     settings=make_settings())
    from reporting.render.html import render_html

    text = " ".join(html.unescape(render_html(report.model)).split())
    assert "expected to go live 27 May 2025: Off track" in text
    assert "(due 27 May 2025)" not in text
    assert ("The plan names no lead service for these actions, so no one service's return "
            "was due; 1 usable return came in (Environment) for 2025/26 Q2.") in text
