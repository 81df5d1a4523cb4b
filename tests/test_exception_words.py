"""Each delivery exception says why, what is being done and by when, in the officer's words."""

from __future__ import annotations

from datetime import date

from conftest import make_action, make_plan, make_return, make_row, make_settings, prepare

from reporting.report.words import NO_NEW_DATE, NO_UPDATE, NOT_STATED
from reporting.settings import IntakeSettings

PLAN = make_plan(make_action("1.a"), make_action("1.b"), make_action("1.c"))


def _lines(*rows, plan=PLAN, period="2022/23 Q2", **settings):
    report = prepare(plan, [make_return("Regulatory Services", *rows)], period=period,
                     settings=make_settings(**settings) if settings else None)
    return {e.action_id: e for e in report.model.exceptions}


def test_the_reason_column_gives_the_why_of_the_problem():
    lines = _lines(make_row("1.a", "Off track", update="The Lutterworth cafe is paused.",
                            status_reason="Two volunteers left and the venue closed.",
                            next_steps="Recruit volunteers."))
    assert lines["1.a"].problem == "Off track. Why: Two volunteers left and the venue closed."
    assert lines["1.a"].being_done == "Recruit volunteers."


def test_without_the_reason_column_the_update_is_the_why():
    lines = _lines(make_row("1.a", "At risk", update="The bid was unsuccessful.",
                            next_steps="Bid again in May."))
    assert lines["1.a"].problem == "At risk. Why: The bid was unsuccessful."
    assert lines["1.a"].being_done == "Bid again in May."


def test_from_the_update_the_why_is_the_sentence_that_gives_a_cause():
    lines = _lines(make_row("1.a", "At risk",
                            update="Warm Homes continues. The retrofit bid was unsuccessful, so "
                                   "work waits for the next round. Leaflets went out.",
                            next_steps="Bid again."))
    # The whole update is in the appendix: the paper quotes the sentence that says why.
    assert lines["1.a"].problem == ("At risk. Why: The retrofit bid was unsuccessful, so work "
                                    "waits for the next round.")


def test_with_no_next_steps_the_update_says_what_is_being_done():
    lines = _lines(
        make_row("1.a", "At risk", update="The bid failed. We will bid again in May."),
        make_row("1.b", "At risk", update="Paused.", status_reason="Staff off sick.",
                 row=9))
    # The sentence saying what is being done goes there; the rest says why.
    assert lines["1.a"].problem == "At risk. Why: The bid failed."
    assert lines["1.a"].being_done == "We will bid again in May."
    # With the reason column as the why, the update itself says what is being done.
    assert lines["1.b"].being_done == "Paused."
    for line in lines.values():
        assert line.being_done != NOT_STATED


def test_an_action_not_reported_says_no_update_came():
    lines = _lines(make_row("1.a", "On track"))
    assert lines["1.b"].being_done == NO_UPDATE
    assert "Why:" not in lines["1.b"].problem


def test_the_why_is_cut_at_the_word_limit():
    long_reason = " ".join(["word"] * 30)
    lines = _lines(make_row("1.a", "Off track", status_reason=long_reason),
                   intake=IntakeSettings(long_update_words=10))
    why = lines["1.a"].problem.split("Why: ", 1)[1]
    assert why.startswith(" ".join(["word"] * 10) + " ... [cut at 10 words")


def test_an_overdue_action_with_no_new_date_never_gives_the_date_missed():
    plan = make_plan(make_action("1.a", due_date=date(2022, 6, 30), by_when="June 2022"),
                     make_action("1.b", due_date=date(2022, 6, 30), by_when="June 2022"))
    lines = _lines(make_row("1.a", "At risk"),
                   # A new date already passed by the period's end is no new date either.
                   make_row("1.b", "At risk", revised_date=date(2022, 8, 31),
                            reason_for_revised_date="Supplier late", row=9), plan=plan)
    assert lines["1.a"].by_when == NO_NEW_DATE == "No new date given"
    assert lines["1.b"].by_when == NO_NEW_DATE
    assert "June 2022" not in lines["1.a"].by_when


def test_a_new_date_comes_with_its_reason_else_the_plans_date():
    lines = _lines(make_row("1.a", "At risk", revised_date=date(2023, 9, 30),
                            reason_for_revised_date="Awaiting national policy"),
                   make_row("1.b", "At risk", row=9))
    assert lines["1.a"].by_when == "30 September 2023 (reason: Awaiting national policy)"
    assert lines["1.b"].by_when == PLAN.action("1.b").due == "31 March 2023"


def _by_milestone(action_id, *milestones):
    """The exception line of an action the plan dates milestone by milestone, each reported
    on its own row: `milestones` are (milestone, due date, status, update)."""
    from reporting.plan.model import Milestone

    plan = make_plan(make_action(action_id, milestones=tuple(
        Milestone(text, due) for text, due, _, _ in milestones)))
    rows = [make_row(action_id, status, milestone=text, update=update, row=8 + i)
            for i, (text, _, status, update) in enumerate(milestones)]
    return _lines(*rows, plan=plan)[action_id]


def test_of_an_action_reported_milestone_by_milestone_the_why_is_the_milestone_in_trouble():
    line = _by_milestone(
        "2.2",
        ("Heat pump design", date(2022, 7, 31), "Complete",
         "Design signed off and planning consent granted."),
        ("Tender and contract", date(2023, 1, 31), "At risk",
         "Tender returned 18% over budget. We will re-scope and retender."),
        ("Tree strategy adopted", date(2023, 3, 31), "On track", "Planting season went well."))
    # Not the first row's words, which are of a milestone already done.
    assert line.problem == "At risk. Why: Tender returned 18% over budget."
    assert line.being_done == "We will re-scope and retender."


def test_an_overdue_milestone_s_own_row_says_why_the_action_is_late():
    line = _by_milestone(
        "5.2",
        ("Tree planting", date(2023, 3, 31), "On track", "2,000 trees planted at three sites."),
        ("Tree strategy adopted", date(2022, 8, 31), "On track",
         "The strategy waits for the consultation, delayed to November."))
    assert "overdue" in line.problem.lower()
    assert "Why: The strategy waits for the consultation" in line.problem
    assert "trees planted" not in line.problem


def test_a_milestone_s_new_date_that_reads_as_no_date_is_by_when_with_its_reason():
    """Council review finding 2: CC6.1's roll-out, due 31/03/2027, is given '31/06/2027'
    (no such day); the paper says the officer's words and why, not the plan's date."""
    from reporting.plan.model import Milestone

    pilot = Milestone("Pilot in 500 flats - Sept 2026", date(2026, 9, 30), "Sept 2026", True)
    roll_out = Milestone("Roll out district-wide - 31/03/2027", date(2027, 3, 31), "31/03/2027")
    plan = make_plan(make_action("6.1", by_when="31/03/2027", due_date=date(2027, 3, 31),
                                 milestones=(pilot, roll_out)))
    line = _lines(
        make_row("6.1", "Off track", "Caddies delivered late.", milestone=pilot.text,
                 revised_date=date(2026, 11, 30), reason_for_revised_date="Supplier delay"),
        make_row("6.1", "At risk", "Depends on pilot.", row=9, milestone=roll_out.text,
                 revised_date_text="31/06/2027", reason_for_revised_date="Knock-on from pilot"),
        plan=plan, period="2026/27 Q2")["6.1"]
    assert line.by_when == ("Roll out district-wide - 31/03/2027: new date given as "
                            "'31/06/2027' (reason: Knock-on from pilot)")
    # An overdue action's date already missed is never given; the officer's words are.
    overdue = _lines(
        make_row("6.1", "At risk", "Depends on pilot.", milestone=roll_out.text,
                 revised_date_text="31/06/2027", reason_for_revised_date="Knock-on from pilot"),
        plan=plan, period="2026/27 Q4")["6.1"]
    assert overdue.by_when == line.by_when
