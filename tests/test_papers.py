"""What the committee reads and what the policy officer reads are kept apart (issue 10)."""

from __future__ import annotations

import dataclasses

from conftest import make_action, make_plan, make_return, make_row, prepare

from reporting.checks.codes import CODES, Reader
from reporting.render.flags import data_quality_csv, data_quality_html
from reporting.status import Status


def _careless_quarter():
    plan = make_plan(make_action("1.a"), make_action("1.b"),
                     make_action("1.c", target="", milestones=(), due_date=None, by_when=""),
                     make_action("1.d", lead_service_area="Housing"))
    forecast = dataclasses.replace(make_row("1.b", "At risk", update="Funding late.",
                                            next_steps="Bid again in May."),
                                   forecast_status=Status.OFF_TRACK)
    ret = make_return("Regulatory Services", make_row("1.a", "Purple", update="=HYPERLINK(1)"),
                      forecast, make_row("9.z", row=12), approved_by="")
    return prepare(plan, [ret])


def test_the_paper_holds_delivery_exceptions_in_words_and_no_code_or_cell():
    from reporting.render.html import render_html

    report = _careless_quarter()
    model_text = render_html(report.model)
    for finding in report.findings:
        assert finding.code not in model_text
    assert "Return!" not in model_text and "regulatory-services.xlsx" not in model_text
    lines = {e.action_id: e for e in report.model.exceptions}
    # Every action not reported is an exception, whatever form the gap takes (issue 19).
    assert set(lines) == {"1.a", "1.b", "1.c", "1.d"}
    # An update came in without a status: said so, as its status is in the appendix, not
    # "not reported", which the key keeps for nothing received (committee-paper review H1).
    assert lines["1.a"].problem == ("Status not given: the return gives the status 'Purple', "
                                    "which is not one this report uses")
    assert lines["1.c"].problem == "Not reported: Regulatory Services' return has no row for it"
    assert lines["1.b"].problem == "At risk; forecast off track at the year end. Why: Funding late."
    assert lines["1.b"].being_done == "Bid again in May."
    assert lines["1.d"].problem == "Not reported: Housing sent no return"
    # Delivery known to be at risk comes before what was not reported at all.
    assert report.model.summary[0] == ("Of the 4 delivery exceptions, each action counted once "
                                       "under its most serious problem: 1 at risk, 2 not "
                                       "reported and 1 status not given.")
    assert report.model.summary[1].startswith("Needing attention: 1.b ")


def test_the_data_quality_note_holds_everything_else_with_its_file_and_cell():
    report = _careless_quarter()
    findings = list(report.findings)
    data = [f for f in findings if f.data_quality]
    assert {f.code for f in data} >= {"MISSING_STATUS", "UNKNOWN_ACTION", "UNAPPROVED_RETURN",
                                      "MILESTONE_UNDEFINED"}
    html = data_quality_html(findings, "<Plan> & title").decode()
    assert "&lt;Plan&gt; &amp; title" in html and "<main>" in html
    for f in data:
        assert f.code in html
    committee_only = {c for c in CODES.values() if Reader.DATA_QUALITY not in c.readers}
    assert committee_only >= {"OFF_TRACK", "NO_RETURN"}
    assert not any(code in html for code in committee_only)
    csv = data_quality_csv(findings).decode("utf-8-sig")
    assert "Return!D8" in csv and "'=HYPERLINK" not in csv  # the update is not quoted here
    assert all(not line.startswith("=") for line in csv.splitlines())
    [plan_gap] = [f for f in data if f.code == "MILESTONE_UNDEFINED"]
    assert plan_gap.officer.startswith("1 action (1.c) has no milestone, no due date and no "
                                       "target") and plan_gap.fix


def test_the_status_key_explains_the_other_words_the_status_columns_print():
    from reporting.cadence import Cadence, Paper

    def key(paper, *actions, rows):
        q1 = make_return("Regulatory Services", make_row("1.a", "On track"))
        report = prepare(make_plan(*actions), [make_return("Regulatory Services", *rows)],
                         paper=paper, previous=[q1])
        return [word for word, _ in report.model.status_key]

    statuses = [s.value for s in Status if s in set(Status)]
    # A quarterly paper where every row gave a forecast prints neither word.
    forecast = dataclasses.replace(make_row("1.a", "On track"), forecast_status=Status.AT_RISK)
    plain = key(Paper.QUARTERLY, make_action("1.a"), rows=[forecast])
    assert "Not due" not in plain and "Not given" not in plain
    # A six-monthly paper with a six-monthly action (not due in Q1) and a row with no
    # forecast explains both, after the statuses.
    both = key(Paper.SIX_MONTHLY, make_action("1.a"),
               make_action("1.b", cadence=Cadence.SIX_MONTHLY),
               rows=[forecast, make_row("1.b", "On track")])
    assert both[-2:] == ["Not due", "Not given"]
    assert set(both[:-2]) <= set(statuses)


def test_the_returns_table_puts_missing_returns_first_and_says_when_no_date_was_given():
    plan = make_plan(make_action("1.a"), make_action("1.b", lead_service_area="Housing"),
                     make_action("1.c", lead_service_area="Leisure"))
    undated = make_return("Regulatory Services", make_row("1.a", "On track"), date_completed=None)
    from datetime import date

    leisure = make_return("Leisure", make_row("1.c", "On track"),
                          date_completed=date(2022, 10, 7))
    returns = prepare(plan, [undated, leisure]).model.returns
    assert [(r.service_area, r.received) for r in returns] == [
        ("Housing", "Missing"), ("Regulatory Services", "Received"), ("Leisure", "Received")]
    assert returns[1].date_completed == "Not stated"
    assert returns[2].date_completed == "7 October 2022"


def test_an_exception_gives_the_officers_reason_beside_the_problem_and_their_next_steps():
    from datetime import date

    plan = make_plan(make_action("1.a"), make_action("1.b"))
    slipped = make_row("1.a", "At risk", revised_date=date(2023, 9, 30),
                       reason_for_revised_date="Waiting for the NPPF",
                       next_steps="Report the new timetable in December.")
    reason_only = make_row("1.b", "At risk", revised_date=date(2023, 6, 30),
                           reason_for_revised_date="Contractor went bust")
    lines = {e.action_id: e for e in prepare(plan, [make_return("Regulatory Services", slipped,
                                                                reason_only)]).model.exceptions}
    assert lines["1.a"].problem.endswith(". Why: Going well.")
    assert lines["1.a"].being_done == "Report the new timetable in December."
    # The reason for a new date goes with the date, and is not said twice.
    assert lines["1.a"].by_when == "30 September 2023 (reason: Waiting for the NPPF)"
    assert "NPPF" not in lines["1.a"].problem + lines["1.a"].being_done
    assert lines["1.b"].by_when == "30 June 2023 (reason: Contractor went bust)"
    # The update is the why; with no next steps, the paper says so, never "Not stated".
    assert lines["1.b"].being_done == "No next steps given beyond the progress update."


def test_exceptions_come_under_their_priority_most_serious_first_each_linked_to_its_row():
    plan = make_plan(make_action("1.a"), make_action("1.b"), make_action("2.a"),
                     make_action("2.b"), make_action("2.c"), make_action("3.a"))
    ret = make_return("Regulatory Services", make_row("1.a", "At risk"),
                      make_row("1.b", "Off track"), make_row("2.a", "On track"),
                      make_row("2.b", "At risk"), make_row("2.c", "Off track"))
    model = prepare(plan, [ret]).model  # 3.a: no row, so not reported
    section = next(s for s in model.outline if s.key == "exceptions")
    [table] = [b.table for b in section.blocks if b.kind == "table"]
    # The priorities in the plan's order, with Appendix A's headings; under each, the most
    # serious first (off track before at risk), as the whole list comes.
    assert [g.heading for g in table.groups] == [s.heading for s in model.sections] == [
        "Priority 1: Priority title 1", "Priority 2: Priority title 2",
        "Priority 3: Priority title 3"]
    refs = [[table.rows[i][0].split(" ")[0] for i in rows] for _group, rows in table.grouped()]
    assert refs == [["1.b", "1.a"], ["2.c", "2.b"], ["3.a"]]
    order = [e.action_id for e in model.exceptions]
    assert all(order.index(a) < order.index(b) for group in refs for a, b in zip(group, group[1:]))
    # Each reference links to an anchor that is its own action's row in Appendix A.
    [appendix] = [b.table for s in model.outline if s.key == "actions" for b in s.blocks
                  if b.kind == "table"]
    rows = dict(zip(appendix.anchors, (row[0] for row in appendix.rows)))
    for row, link in zip(table.rows, table.links):
        assert row[0].startswith(f"{link.text} ") and rows[link.anchor] == link.text
    assert len(set(rows)) == 6


def test_the_title_names_the_period_the_paper_covers_and_never_doubles_a_colon():
    from conftest import make_settings

    from reporting.cadence import Paper

    plan = make_plan(make_action("1.a"))
    returns = [make_return("Regulatory Services", make_row("1.a"))]
    six = prepare(plan, returns, Paper.SIX_MONTHLY).model
    assert six.title == "Test Action Plan: six-monthly progress report, 2022/23 H1"
    assert six.running_title.endswith("Test Action Plan, 2022/23 H1 six-monthly report")
    own_colon = prepare(plan, returns, settings=make_settings(
        plan_title="Climate Action Plan: Delivery Plan 2026-2028")).model
    assert own_colon.title == ("Climate Action Plan: Delivery Plan 2026-2028 \u2013 quarterly "
                               "progress report, 2022/23 Q2")


def test_standard_words_under_the_statutory_officers_titles_are_told_to_the_policy_officer():
    """A reader's review: the paper printed standard words under the Section 151 and
    Monitoring Officers' titles, neither was asked, and nothing told the policy officer."""
    from conftest import make_settings

    from reporting.render.html import render_html

    plan = make_plan(make_action("1.a"))
    returns = [make_return("Regulatory Services", make_row("1.a"))]
    report = prepare(plan, returns)
    [told] = [f for f in report.findings if f.code == "STATUTORY_WORDS"]
    assert "Chief Finance Officer (Section 151 Officer) and Monitoring Officer" in told.message
    assert CODES["STATUTORY_WORDS"].readers == frozenset({Reader.DATA_QUALITY})
    assert "STATUTORY_WORDS" not in render_html(report.model)
    assert b"Ask them before the paper is published" in data_quality_csv(list(report.findings))
    # One set: only the other is said; both set: nothing to tell.
    one = prepare(plan, returns, settings=make_settings(finance_comments="No comments."))
    [told] = [f for f in one.findings if f.code == "STATUTORY_WORDS"]
    assert "Monitoring Officer standard words" in told.message and "Section 151" not in \
        told.message
    both = prepare(plan, returns, settings=make_settings(finance_comments="No comments.",
                                                         monitoring_comments="None."))
    assert not [f for f in both.findings if f.code == "STATUTORY_WORDS"]
