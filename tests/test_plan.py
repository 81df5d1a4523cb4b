from datetime import date

import pytest
from conftest import BUNDLED_PLAN
from openpyxl import load_workbook

from reporting.cadence import (PAPERS, Cadence, CadenceError, Paper, cadence_from_wording,
                               cadences_covered, papers_on)
from reporting.period import Period
from reporting.plan import PlanError, find_plan, load_plan, read_plan_workbook

ALL_IDS = (
    ["1.a", "1.b", "1.c", "1.d", "1.e", "2.a", "2.b", "2.c", "2.d", "3.a", "3.b", "3.c",
     "4.a", "4.b", "4.c", "5.a", "5.b", "5.c", "5.d", "6.a", "6.b", "6.c", "6.d", "6.e", "6.f"]
)


def test_the_bundled_plan_has_six_priorities_and_25_actions(bundled_plan):
    assert [p.key for p in bundled_plan.priorities] == ["1", "2", "3", "4", "5", "6"]
    assert bundled_plan.priorities[0].heading == "Priority 1: Housing for all"
    assert bundled_plan.priority("3").title == "Skills, Jobs & Income"
    assert [a.id for a in bundled_plan.actions] == ALL_IDS


def test_2c_and_2d_are_separate_and_clean(bundled_plan):
    c, d = bundled_plan.action("2.c"), bundled_plan.action("2.d")
    assert c.objective == "Work in partnership to ensure green spaces are accessible"
    assert d.objective == "Work in partnership to improve access to canals and waterways"
    assert d.what_we_will_do.endswith("to improve mental health")
    assert d.partners == "Canals & Rivers Trust"


def test_every_action_is_due_at_the_end_of_2022_23(bundled_plan):
    assert {a.due_date for a in bundled_plan.actions} == {date(2023, 3, 31)}
    assert {a.by_when for a in bundled_plan.actions} == {"2022/23"}


def test_milestones_listing_several_deliverables_are_split(bundled_plan):
    assert len(bundled_plan.action("1.b").milestones) == 2
    assert bundled_plan.action("1.d").milestones[1].text == "Collective Energy Switching"
    assert len(bundled_plan.action("1.e").milestones) == 6
    assert bundled_plan.action("1.e").milestones[-1].text.endswith("Veterans")


def test_cadence_comes_from_the_milestone_wording(bundled_plan):
    cadence = {a.id: a.cadence for a in bundled_plan.actions}
    assert cadence["3.b"] is Cadence.QUARTERLY
    assert cadence["2.c"] is Cadence.SIX_MONTHLY
    assert cadence["4.c"] is Cadence.ANNUAL
    assert cadence["2.a"] is Cadence.ANNUAL
    assert cadence["1.a"] is Cadence.QUARTERLY  # wording names none: the default


def test_lead_service_area_is_the_first_council_service_named(bundled_plan):
    lead = {a.id: a.lead_service_area for a in bundled_plan.actions}
    assert lead["1.e"] == "Housing"
    assert lead["5.c"] == "Communications"
    assert lead["6.d"] == "Health & Wellbeing"  # Everyone Active is the leisure provider
    assert lead["2.a"] == "Planning Policy"


def test_actions_the_plan_leaves_undefined(bundled_plan):
    undefined = {a.id: a.gaps for a in bundled_plan.actions if a.gaps}
    assert set(undefined) == {"5.b", "6.c", "6.d"}
    assert undefined["5.b"] == ("a target",)
    assert undefined["6.d"] == ("a milestone",)  # its objective says what it is


@pytest.mark.parametrize(
    "wording, expected",
    [(["Quarterly updates"], Cadence.QUARTERLY), (["6monthly updates on X"], Cadence.SIX_MONTHLY),
     (["Six-monthly review"], Cadence.SIX_MONTHLY), (["Annual update"], Cadence.ANNUAL),
     (["Refresh of local plan"], None), ([], None)],
)
def test_cadence_wording(wording, expected):
    assert cadence_from_wording(wording) is expected


def test_a_paper_is_quarterly_or_six_monthly_and_never_an_actions_cadence():
    # The words are the ones in paths, sent-record keys, manifests and `--cadence`.
    assert [p.value for p in PAPERS] == ["quarterly", "six-monthly"]
    assert Paper.parse("6-monthly") is Paper.SIX_MONTHLY and Paper.parse("Quarterly") is \
        Paper.QUARTERLY
    with pytest.raises(CadenceError, match="'annual' is not a paper"):
        Paper.parse("annual")
    # How often an action reports is not a paper: given as one, it is refused, not read.
    with pytest.raises(ValueError, match="no six-monthly paper"):
        cadences_covered(Cadence.SIX_MONTHLY, Period.parse("2022/23 Q2"))
    assert cadences_covered(Paper.SIX_MONTHLY, Period.parse("2022/23 Q4")) == frozenset(Cadence)


@pytest.mark.parametrize("period, made", [
    ("2022/23 Q1", (Paper.QUARTERLY,)), ("2022/23 Q2", (Paper.QUARTERLY, Paper.SIX_MONTHLY)),
    ("2022/23 Q3", (Paper.QUARTERLY,)), ("2022/23 Q4", (Paper.QUARTERLY, Paper.SIX_MONTHLY)),
])
def test_the_six_monthly_paper_is_made_at_q2_and_q4_only(period, made):
    assert papers_on(Period.parse(period)) == made


def test_blank_cadence_cell_falls_back_to_wording_then_default(tmp_path):
    def blank_cadence(workbook):
        for row in range(2, 27):
            workbook["Actions"].cell(row=row, column=11).value = None

    path = _edited_plan(tmp_path, blank_cadence)
    plan = load_plan(path, default_cadence=Cadence.ANNUAL)
    assert plan.action("3.b").cadence is Cadence.QUARTERLY
    assert plan.action("1.a").cadence is Cadence.ANNUAL


def _edited_plan(tmp_path, edit):
    workbook = load_workbook(BUNDLED_PLAN)
    edit(workbook)
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    return path


def test_a_missing_required_column_names_the_sheet_and_row(tmp_path):
    path = _edited_plan(tmp_path, lambda wb: wb["Actions"].delete_cols(2))  # Priority
    with pytest.raises(PlanError, match=r"sheet 'Actions', row 1: there is no 'Priority' column"):
        load_plan(path)


def test_optional_columns_may_be_left_out(tmp_path):
    plan = load_plan(_edited_plan(tmp_path, lambda wb: wb["Actions"].delete_cols(4, 8)))
    assert len(plan.actions) == 25 and plan.action("1.a").leads == ()
    assert plan.action("1.a").objective == "Promote high design standards for new housing"
    assert plan.action("1.a").due_date is None and plan.action("1.a").due == "no date set"


def test_a_duplicate_id_names_both_rows(tmp_path):
    path = _edited_plan(tmp_path, lambda wb: wb["Actions"].cell(row=4, column=1, value="1.b"))
    with pytest.raises(PlanError, match=r"sheet 'Actions', row 4, column A \(Action ID\): "
                                        r"'1.b' is the same reference as '1.b' on row 3"):
        load_plan(path)


def test_an_unreadable_date_names_the_cell_and_leaves_the_action_undated(tmp_path):
    def soon(wb):
        wb["Actions"].cell(row=7, column=5).value = None  # By when
        wb["Actions"].cell(row=7, column=6, value="soon")
    path = _edited_plan(tmp_path, soon)
    plan, problems = read_plan_workbook(path)
    assert [str(p) for p in problems] == [
        "sheet 'Actions', row 7, column F (Due date): 'soon' is not a date; write a date "
        "(31/03/2026) or a span people use ('March 2026', 'Autumn 2025', '2025/26', "
        "'Ongoing'); the plan's words are shown until then"]
    assert plan.actions[5].due_date is None and "a due date" in plan.actions[5].gaps


def test_a_text_date_in_uk_order_is_read(tmp_path):
    path = _edited_plan(tmp_path, lambda wb: wb["Actions"].cell(row=7, column=6,
                                                                value="30/09/2022"))
    assert load_plan(path).actions[5].due_date == date(2022, 9, 30)


def test_the_plan_folder_must_hold_one_workbook(tmp_path):
    with pytest.raises(PlanError, match="exactly one plan workbook"):
        find_plan(tmp_path)
    (tmp_path / "~$plan.xlsx").write_bytes(b"lock")
    (tmp_path / "plan.xlsx").write_bytes(b"")
    assert find_plan(tmp_path).name == "plan.xlsx"


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(PlanError, match="cannot be opened as an Excel workbook"):
        load_plan(path)


def _meant(plan, reference):
    meaning = plan.meant_by(reference)
    return [a.id for a in meaning.actions], meaning.how, meaning.together


def test_a_reference_with_something_round_it_means_the_one_action_it_names():
    from conftest import make_action, make_plan

    plan = make_plan(*(make_action(i) for i in ("1.c", "1.d", "6.b", "6.d", "16")))
    assert _meant(plan, "6.b;") == (["6.b"], "the ';' after it left out", False)
    assert _meant(plan, "(6.d)") == (["6.d"], "the brackets round it left out", False)
    assert _meant(plan, "'6.d'") == (["6.d"], "the quotes round it left out", False)
    # Words after it, its title or anything else, are left aside, longest reading first.
    assert _meant(plan, "6.b (Physical activity pathway)") == (
        ["6.b"], "the reference it starts with", False)
    assert _meant(plan, "6 . b Physical activity") == (["6.b"], "the reference it starts with", False)
    assert _meant(plan, "16 Housing") == (["16"], "the reference it starts with", False)
    # What names nothing with its extras left out names nothing.
    assert _meant(plan, "6.z;") == ([], "", False)
    assert _meant(plan, "(7)") == ([], "", False)


def test_a_reference_naming_two_actions_names_both_never_one():
    from conftest import make_action, make_plan

    plan = make_plan(*(make_action(i) for i in ("1.c", "1.d", "1.e")))
    for typed in ("1.c/1.d", "1.c, 1.d", "1.c & 1.d", "1.c and 1.d", "(1.c; 1.d)"):
        assert _meant(plan, typed) == (["1.c", "1.d"], "", True), typed
    # One part naming nothing: not a list of actions, and not read as its first part.
    assert _meant(plan, "1.c/9.z") == ([], "", False)
    # A comma read as a dot still comes first: "1,c" is 1.c, not a list.
    assert _meant(plan, "1,c") == (["1.c"], "the plan's only action it can mean", False)
