"""Appendix A gives what the plan promised beside what the return says; a large paper gives
it for the exceptions only and says where the whole plan is (issue 19)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import (
    BUNDLED_INPUTS,
    make_action,
    make_plan,
    make_return,
    make_row,
    make_settings,
    prepare,
)

from reporting.intake.folder import read_returns
from reporting.plan import Milestone
from reporting.report.appendix import FULL_PROMISE_UP_TO, LARGE_PAPER_UPDATE_WORDS
from reporting.report.tables import LEAD_LINE
from reporting.settings import ConfigError, load_settings


def _rows(model) -> dict[str, dict[str, str]]:
    """Each Appendix A row as printed, by reference: {column heading: cell}."""
    return {row[0]: dict(zip(s.table.headings, row, strict=True))
            for s in model.sections for row in s.table.rows}


@pytest.fixture(scope="module")
def quarterly(bundled_plan):
    returns = read_returns(BUNDLED_INPUTS / "returns" / "2022-23-Q2")
    return prepare(bundled_plan, returns).model


def test_each_row_of_the_bundled_paper_shows_what_the_plan_promised(quarterly):
    rows = _rows(quarterly)
    row = rows["1.a"]
    assert row["Action and lead"] == ("Promote high design standards for new housing\n"
                                      "We will: Review policy as part of Local Plan refresh"
                                      f"{LEAD_LINE}Planning Policy")
    # The target and the undated milestone lead the update, with the milestone's status.
    update = row["Target, milestones and update"]
    assert update.startswith("Target: Achieve high design standards for new homes. "
                             "Due: 2022/23. Milestone: Refresh of local plan: At risk "
                             "(undated).\nUpdate: ")
    assert all(a.shows_promise for s in quarterly.sections for a in s.actions)
    # A target in the action's own words (3.b) is not said twice.
    assert rows["3.b"]["Target, milestones and update"].startswith(
        "Due: 2022/23. Milestone: Quarterly updates")
    assert not quarterly.appendix_intro  # a paper this size leaves nothing to the plan


def test_milestones_say_their_status_once_when_all_share_it(quarterly):
    rows = _rows(quarterly)
    # 1.e's service sent no return: each of its six milestones is not reported.
    assert "Milestones (undated), each Not reported: Protocols and pathways in place for " \
           "Rough Sleepers; " in rows["1.e"]["Target, milestones and update"]
    # 1.b's return gave each of its two milestones a row, both on track.
    assert "Milestones (undated), each On track: Monitor the implementation of the HMO " \
           "inspection programme; Cross service working" in rows["1.b"][
               "Target, milestones and update"]
    # 1.d's return reported its three milestones in one row: no status is made up for each.
    assert "Milestones (undated), reported together: Support delivery of Warm Homes " \
           "Project; Collective Energy Switching" in rows["1.d"]["Target, milestones and update"]


def test_a_milestone_the_return_leaves_out_is_not_reported():
    action = make_action("1.a", milestones=("Survey", "Report to Cabinet"))
    model = prepare(make_plan(action), [make_return(
        "Regulatory Services", make_row("1.a", "At risk", "Survey late.", milestone="Survey"))]).model
    assert "Milestones (undated): Survey: At risk; Report to Cabinet: Not reported." in \
        _rows(model)["1.a"]["Target, milestones and update"]


def test_a_dated_milestone_gives_its_date_and_the_what_we_will_do_said_by_the_action_is_not_repeated():
    from datetime import date

    action = make_action("1.a", objective="Open the market", what_we_will_do="Open the market",
                         target="", milestones=(Milestone("Stalls built", date(2022, 12, 31)),))
    model = prepare(make_plan(action), [make_return(
        "Regulatory Services", make_row("1.a", "On track", "Building.", milestone="Stalls built"))]
                    ).model
    row = _rows(model)["1.a"]
    assert row["Action and lead"] == f"Open the market{LEAD_LINE}Regulatory Services"
    assert row["Target, milestones and update"].startswith(
        "Target: none set in the plan. Due: 31 March 2023. Milestone: Stalls built: On "
        "track (due 31 December 2022).\nUpdate: Building.")


@pytest.mark.parametrize("by_when, day, loose, due", [
    ("2027/28", date(2028, 3, 31), True, "Due: 2027/28."),
    ("Autumn 2026", date(2026, 11, 30), True, "Due: Autumn 2026."),
    ("by Spring 2027", date(2027, 5, 31), True, "Due: Spring 2027."),
    ("31/03/2027", date(2027, 3, 31), False, "Due: 31 March 2027."),
    ("Ongoing", None, False, "Due: Ongoing."),
    ("TBC", None, False, "Due: TBC."),
])
def test_every_action_with_a_due_date_or_words_shows_when_it_is_due_in_the_plans_words(
        by_when, day, loose, due):
    action = make_action("1.a", by_when=by_when, due_date=day, due_loose=loose)
    model = prepare(make_plan(action), [make_return(
        "Regulatory Services", make_row("1.a", "On track", "Going well."))]).model
    cell = _rows(model)["1.a"]["Target, milestones and update"]
    assert cell.startswith(f"Target: Target 1.a. {due} Milestone: ")
    assert cell.count("Due:") == 1


def test_an_action_the_plan_gives_no_due_date_nor_words_shows_no_due_line():
    action = make_action("1.a", by_when="", due_date=None)
    model = prepare(make_plan(action), [make_return(
        "Regulatory Services", make_row("1.a", "On track", "Going well."))]).model
    assert "Due:" not in str(_rows(model)["1.a"])


def _large(actions: int, settings=None):
    """A plan of `actions` actions: every one reported on track except 1.1 (off track) and
    1.2 (no row), with one update long enough to be cut in a large paper."""
    plan = make_plan(*(make_action(f"1.{n}") for n in range(1, actions + 1)))
    long = " ".join(["word"] * (LARGE_PAPER_UPDATE_WORDS + 20))
    rows = [make_row("1.1", "Off track", "Stalled."), make_row("1.3", "On track", long)]
    rows += [make_row(f"1.{n}", "On track") for n in range(4, actions + 1)]
    return prepare(plan, [make_return("Regulatory Services", *rows)],
                   settings=settings).model


def test_above_250_actions_only_the_exceptions_carry_the_promise():
    model = _large(FULL_PROMISE_UP_TO + 1)
    entries = {a.id: a for s in model.sections for a in s.actions}
    exceptions = {e.action_id for e in model.exceptions}
    assert {"1.1", "1.2"} <= exceptions
    assert {i for i, a in entries.items() if a.shows_promise} == exceptions
    plain = entries["1.4"]
    assert plain.action_and_lead == f"Objective 1.4{LEAD_LINE}Regulatory Services"
    assert plain.promise_and_update == "Going well."
    assert "Target: Target 1.1." in entries["1.1"].promise_and_update
    # Updates are cut shorter, and the appendix says where the rest of it all is.
    assert entries["1.3"].progress_update.endswith(
        f"... [cut at {LARGE_PAPER_UPDATE_WORDS} words]")
    intro, = model.appendix_intro
    assert f"covers {FULL_PROMISE_UP_TO + 1} actions" in intro
    assert f"only for the {len(exceptions)} actions with a delivery exception" in intro
    assert "The whole plan is published on the council's website" in intro
    actions = next(s for s in model.outline if s.key == "actions")
    assert actions.blocks[0].text == intro


def test_at_250_actions_every_row_carries_the_promise_and_updates_are_whole():
    model = _large(FULL_PROMISE_UP_TO)
    entries = [a for s in model.sections for a in s.actions]
    assert all(a.shows_promise for a in entries)
    assert not model.appendix_intro
    assert "[cut" not in next(a for a in entries if a.id == "1.3").progress_update


def test_a_large_paper_names_where_the_council_publishes_its_plan():
    settings = make_settings(plan_published_at="https://www.anytown.gov.uk/plan")
    intro, = _large(FULL_PROMISE_UP_TO + 1, settings).appendix_intro
    assert "published at https://www.anytown.gov.uk/plan;" in intro


MINIMAL = '[council]\nname = "Anytown District Council"\ncommittee = "Scrutiny Panel"\n' \
          '[plan]\ntitle = "Council Plan 2024-28"\n'


def test_where_the_plan_is_published_is_a_setting_of_the_plan(tmp_path: Path):
    path = tmp_path / "reporting.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_settings(path).plan_published_at == "the council's website"
    path.write_text(MINIMAL + 'published_at = "the Council Plan page of our website"\n',
                    encoding="utf-8")
    assert load_settings(path).plan_published_at == "the Council Plan page of our website"
    path.write_text(MINIMAL + 'published_at = ""\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[plan\] published_at must be a web address"):
        load_settings(path)


# --- a milestone's own words for when (issue 20) ----------------------------------------


def _promise_cell(*milestones, rows=()):
    action = make_action("1.a", milestones=milestones)
    model = prepare(make_plan(action), [make_return("Regulatory Services", *rows)]).model
    return _rows(model)["1.a"]["Target, milestones and update"]


def test_a_milestone_with_date_words_but_no_day_shows_the_words_not_undated():
    cell = _promise_cell(Milestone("Review the scheme", due_text="Year 2"),
                         rows=[make_row("1.a", "On track", "Going well.")])
    assert "Milestone: Review the scheme: On track (Year 2)." in cell
    assert "undated" not in cell


def test_milestones_each_show_their_own_words_and_a_truly_undated_one_stays_undated():
    cell = _promise_cell(Milestone("Hold drop-in sessions", due_text="Ongoing"),
                         Milestone("Open the hub", due_text="Autumn term"),
                         Milestone("Report to Cabinet"),
                         rows=[make_row("1.a", "At risk", "Late.", milestone="Open the hub"),
                               make_row("1.a", "On track", "Fine.",
                                        milestone="Hold drop-in sessions")])
    assert ("Milestones: Hold drop-in sessions: On track (Ongoing); Open the hub: At risk "
            "(Autumn term); Report to Cabinet: Not reported (undated)") in cell
    assert "Milestones (undated)" not in cell


def test_milestones_sharing_a_status_keep_their_words_and_words_already_said_are_not_repeated():
    cell = _promise_cell(Milestone("Consult residents in Year 1", due_text="Year 1"),
                         Milestone("Adopt the policy", due_text="Year 3"))
    assert ("Milestones, each Not reported: Consult residents in Year 1; Adopt the policy "
            "(Year 3)") in cell


def test_an_undated_milestone_beside_a_dated_one_shows_its_words():
    from datetime import date

    cell = _promise_cell(Milestone("Stalls built", date(2022, 12, 31)),
                         Milestone("Market open", due_text="Ongoing"),
                         Milestone("Evaluate"),
                         rows=[make_row("1.a", "On track", "Building.", milestone="Stalls built")])
    assert "Market open: Not reported (Ongoing)" in cell
    assert "Evaluate: Not reported (undated)" in cell


def test_the_plan_workbook_keeps_a_milestone_s_date_words_and_the_paper_shows_them(tmp_path):
    from openpyxl import load_workbook

    from conftest import BUNDLED_PLAN
    from reporting.plan import read_plan_workbook

    workbook = load_workbook(BUNDLED_PLAN)
    sheet = workbook["Milestones"]
    sheet.cell(row=1, column=3, value="Due date")
    sheet.cell(row=2, column=3, value="Year 2")  # 1.a: no [plan] starts, so no day
    sheet.cell(row=3, column=3, value="Ongoing")  # 1.b's first milestone
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    plan, problems = read_plan_workbook(path)
    assert plan is not None, [str(p) for p in problems]
    assert [(m.due_date, m.due) for m in plan.action("1.a").milestones[:1]] == [(None, "Year 2")]
    assert plan.action("1.b").milestones[0].due == "Ongoing"
    # "Year 2" with no start is for a person to look at; "Ongoing" is a plan's word for when.
    said = [str(p) for p in problems if "Milestones" in str(p)]
    assert len(said) == 1 and "'Year 2'" in said[0] and "[plan] starts" in said[0], said
    model = prepare(plan, []).model
    assert "(Year 2)" in _rows(model)["1.a"]["Target, milestones and update"]
    assert "(Ongoing)" in _rows(model)["1.b"]["Target, milestones and update"]
