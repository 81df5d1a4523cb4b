"""A day written without its year ("Dec 31st", "Nov 30") is never read as a month and a
year (issue 22's review of issue 20's dates): it takes the period's year, and the receipt
says so; a day too far from the period is stated for its year to be checked; and a Date
completed too far from the period never makes an older copy the return used."""

from __future__ import annotations

import os
from datetime import date

import pytest
from conftest import make_action, make_plan
from test_officers_dates import _csv_return as housing_return

from reporting.cells import far_from_period, parse_date, read_date
from reporting.checks import codes
from reporting.intake.returns import read_return
from reporting.period import Period
from reporting.plan import Milestone
from reporting.pipeline import check_period
from reporting.report.receipts import receipt_text
from reporting.settings import READ_NOW

Q2 = Period.parse("2022/23 Q2")


@pytest.mark.parametrize("text, day", [
    ("Dec 31st", date(2022, 12, 31)), ("31st Dec", date(2022, 12, 31)),
    ("by Dec 31st", date(2022, 12, 31)), ("Oct 11th", date(2022, 10, 11)),
    ("March 23rd", date(2023, 3, 23)), ("Nov 30", date(2022, 11, 30)),
    ("Oct 11", date(2022, 10, 11))])
def test_a_day_with_no_year_takes_the_period_s_year_and_says_so(text, day):
    reading = read_date(text, around=Q2.start, future=True)
    assert reading.day == day
    assert "the year taken from the period" in reading.stated
    assert f"write {day:%d/%m/%Y}" in reading.stated


def test_a_two_digit_number_that_cannot_be_the_year_is_said_to_be_the_day():
    stated = read_date("Nov 30", around=Q2.start, future=True).stated
    assert "30 is taken as the day, 2030 being too far from the period to be its year" in stated


def test_jan_24_near_the_period_keeps_issue_20_s_reading():
    reading = read_date("Jan 24", around=Period.parse("2023/24 Q2").start, future=True)
    assert reading.day == date(2024, 1, 31) and "if you meant 24 January" in reading.stated


@pytest.mark.parametrize("text", ["Dec 31st", "Oct 11th", "31st Dec", "by Nov 30th"])
def test_without_a_period_a_day_with_no_year_gives_no_day(text):
    assert parse_date(text) is None and read_date(text).day is None


@pytest.mark.parametrize("text", ["Feb 29th", "Feb 30", "Jan 45"])
def test_a_number_after_a_month_that_is_neither_a_day_nor_a_near_year_gives_no_day(text):
    # 2022/23 has no 29 February near it; 2030 and 2045 are no years for the return.
    assert read_date(text, around=Q2.start, future=True).day is None
    assert read_date(text, around=Q2.end).day is None


@pytest.mark.parametrize("text, future, far", [
    ("31/12/2035", True, "13 years after the period"),
    ("11/10/2011", False, "11 years before the period"),
    ("Dec 2040", True, "18 years after the period"),
    ("Dec 2031", False, "9 years after the period")])
def test_a_day_too_far_from_the_period_is_read_but_its_year_questioned(text, future, far):
    reading = read_date(text, around=Q2.start if future else Q2.end, future=future)
    assert reading.day is not None and reading.loose
    assert f"{far}: check the year" in reading.stated


def test_a_new_date_within_ten_years_and_a_day_done_within_a_year_are_not_questioned():
    assert far_from_period(date(2031, 12, 31), Q2.start, future=True) == ""
    assert far_from_period(date(2022, 10, 11), Q2.end) == ""
    assert far_from_period(date(2021, 6, 1), Q2.end) == "1 year before the period"


def _csv_return(folder, completed, rows=(("5.c", "At risk", "Launch slipped", "", "", ""),),
                name="housing.csv", age=0):
    """Write and read a Housing CSV return for 2022/23 Q2, `age` seconds old."""
    ret = housing_return(folder, rows, completed=completed, period=Q2.label, name=name)
    if age:
        os.utime(ret.path, (ret.path.stat().st_mtime - age,) * 2)
        ret = read_return(ret.path)
    return ret


def _folder(tmp_path):
    folder = tmp_path / Q2.path
    folder.mkdir(exist_ok=True)
    return folder


PLAN = make_plan(make_action("5.c", lead_service_area="Housing"))


def _check(*returns):
    check = check_period(PLAN, list(returns), (), Q2, READ_NOW)
    return check, {r.file: receipt_text(r) for r in check.receipts}


def test_a_revised_date_dec_31st_is_this_december_on_the_receipt(tmp_path):
    ret = _csv_return(_folder(tmp_path), "11/10/2022",
                      rows=[("5.c", "At risk", "Launch slipped", "Dec 31st", "supplier late", "")])
    assert ret.rows[0].revised_date == date(2022, 12, 31)
    check, receipts = _check(ret)
    text = receipts["housing.csv"]
    assert "the revised date 'Dec 31st' was read as 31 December 2022 (the year taken from " \
           "the period): write 31/12/2022" in text
    assert "2031" not in text
    assert not any(f.code == codes.UNREADABLE_DATE for f in check.findings)


def test_a_date_completed_oct_11th_beside_an_old_draft_makes_the_new_return_win(tmp_path):
    folder = _folder(tmp_path)
    draft = _csv_return(folder, "5/10/2022", name="housing-draft.csv", age=3600,
                        rows=[("5.c", "On track", "OLD draft: all going well.", "", "", "")])
    new = _csv_return(folder, "Oct 11th",
                      rows=[("5.c", "Off track", "NEW: campaign cancelled.", "", "", "")])
    assert new.date_completed == date(2022, 10, 11)
    check, receipts = _check(draft, new)
    assert check.updates.return_for("Housing") is new
    assert "Outcome: Superseded" in receipts["housing-draft.csv"]


def test_a_date_completed_years_from_the_period_does_not_count_and_both_are_told(tmp_path):
    folder = _folder(tmp_path)
    draft = _csv_return(folder, "5/10/2022", name="housing-draft.csv", age=3600)
    wrong = _csv_return(folder, "11/10/2032")  # ten years out: it cannot be newer for that
    check, receipts = _check(draft, wrong)
    assert check.updates.return_for("Housing") is draft
    [superseded] = [f for f in check.findings if f.code == codes.SUPERSEDED_RETURN]
    said = ("housing.csv's Date completed, 11 October 2032, is too far from "
            "2022/23 Q2 to be right, so it did not count")
    assert said in superseded.message
    text = receipts["housing.csv"]
    assert said in text and "Outcome: Superseded" in text
    assert "the Date completed '11/10/2032' was read as 11 October 2032 (10 years after the " \
           "period: check the year)" in text
    used = receipts["housing-draft.csv"]  # the file used is told why, too
    assert "Outcome: Accepted with problems" in used and said in used
    assert "housing.csv also came from Housing; this file was used" in used


def test_two_copies_whose_dates_both_do_not_count_are_tied_with_no_date_named(tmp_path):
    folder = _folder(tmp_path)
    one = _csv_return(folder, "11/10/2011", name="housing-draft.csv", age=3600)
    two = _csv_return(folder, "11/10/2035")
    check, _ = _check(one, two)
    [tied, *_] = [f for f in check.findings if f.code == codes.TIED_RETURNS]
    assert "no Date completed that counts" in tied.message
    assert "the same Date completed" not in tied.message


# --- one reading in one return (hostile review M2) --------------------------------------
# "Jan 24" in a 2022/23 return was January 2024 as a revised date but 24 January 2023 as a
# date achieved; and the slip it made went to the committee with only a note.


@pytest.mark.parametrize("period", ["2022/23 Q1", "2022/23 Q2", "2022/23 Q3", "2022/23 Q4",
                                    "2022/23 H2", "2023/24 Q2"])
@pytest.mark.parametrize("month", ["Jan", "Mar", "Sept", "Dec"])
def test_a_month_and_two_digits_are_read_one_way_whichever_column(period, month):
    around = Period.parse(period)
    for number in range(1, 32):
        text = f"{month} {number:02d}"
        revised = read_date(text, around=around.start, future=True)
        achieved = read_date(text, around=around.end)
        # The two digits are the year in both columns or the day in both.
        assert ("taken as the day" in revised.how) == ("taken as the day" in achieved.how), text
        if revised.day and "taken as the day" not in revised.how:
            assert revised.day == achieved.day, text


def test_jan_24_in_a_2022_23_return_is_january_2024_in_both_columns_and_says_the_other_day():
    revised = read_date("Jan 24", around=Q2.start, future=True)
    achieved = read_date("Jan 24", around=Q2.end)
    assert revised.day == achieved.day == date(2024, 1, 31)
    assert revised.meant == achieved.meant == date(2023, 1, 24)  # the day, in the period's year
    for reading in (revised, achieved):
        assert "if you meant 24 January 2023, write 24/01/2023; else write 31/01/2024" in \
            reading.stated


def _dated_return(folder, rows, period=Q2):
    """Write a Housing CSV return with a Milestone column; give it as read."""
    lines = [["Service area", "Housing"], ["Period", period.label],
             ["Approved by", "B. Manager"], ["Date completed", "11/10/2022"], [],
             ["Action ID", "Milestone", "Status", "Progress update", "Revised date",
              "Reason for revised date", "Date achieved"], *rows]
    path = folder / "housing.csv"
    path.write_text("\n".join(",".join(line) for line in lines) + "\n", encoding="utf-8")
    return read_return(path)


def _asked(check):
    return [f for f in check.findings if f.code == codes.UNREADABLE_DATE]


def test_a_revised_date_whose_other_reading_undoes_a_slip_is_a_problem_naming_both(tmp_path):
    # 2.d is due 31 March 2023: January 2024 is a slip, 24 January 2023 none.
    ret = _dated_return(_folder(tmp_path), [
        ["5.c", "", "On track", "Canal sessions held.", "Jan 24", "canal works", ""],
        ["6.e", "", "On track", "Package taken up.", "", "", "Jan 24"]])
    plan = make_plan(*(make_action(i, lead_service_area="Housing") for i in ("5.c", "6.e")))
    check = check_period(plan, [ret], (), Q2, READ_NOW)
    assert ret.rows[0].revised_date == ret.rows[1].date_achieved == date(2024, 1, 31)
    [asked] = _asked(check)
    assert (asked.file, asked.cell, asked.action_id) == ("housing.csv", "line 7, column E", "5.c")
    assert "'Jan 24'" in asked.officer and "31 January 2024 or 24 January 2023" in asked.officer
    assert "the papers show it as slipped" in asked.officer
    assert "neither slipped nor overdue" in asked.officer
    assert asked.fix == "write 31/01/2024 or 24/01/2023, whichever you meant"
    assert asked.data_quality and "'Jan 24'" in asked.message
    text = receipt_text(check.receipts[0])
    assert "Problems" in text and "line 7, column E: the revised date 'Jan 24' for 5.c may " \
           "mean 31 January 2024 or 24 January 2023" in text
    assert "Write 31/01/2024 or 24/01/2023, whichever you meant." in text
    # Told once, by the problem; the date achieved, which decides no exception, is a note.
    assert text.count("'Jan 24' was read as") == 1
    assert "line 8, column G: the date achieved 'Jan 24' was read as 31 January 2024" in text
    # The paper still reads it one way, as the receipt says.
    assert any(f.code == codes.DATE_SLIPPED and f.action_id == "5.c"
               for p in check.papers for f in p.findings)


def test_a_revised_date_whose_two_readings_leave_the_papers_alike_is_only_noted(tmp_path):
    # Due 31 December 2022: both January 2024 and 24 January 2023 are a slip.
    ret = _dated_return(_folder(tmp_path), [
        ["5.c", "", "On track", "Launch later.", "Jan 24", "supplier late", ""]])
    plan = make_plan(make_action("5.c", lead_service_area="Housing",
                                 due_date=date(2022, 12, 31)))
    check = check_period(plan, [ret], (), Q2, READ_NOW)
    assert not _asked(check)
    assert "the revised date 'Jan 24' was read as 31 January 2024" in \
        receipt_text(check.receipts[0])


def test_a_revised_date_whose_other_reading_makes_it_overdue_is_asked(tmp_path):
    # 2022/23 Q4 ends 31 March 2023: February 2024 is not yet due, 24 February 2023 is.
    q4 = Period.parse("2022/23 Q4")
    folder = tmp_path / q4.path
    folder.mkdir()
    ret = _dated_return(folder, [
        ["5.c", "", "At risk", "Waiting.", "Feb 24", "supplier late", ""]], period=q4)
    plan = make_plan(make_action("5.c", lead_service_area="Housing",
                                 due_date=date(2022, 12, 31)))
    check = check_period(plan, [ret], (), q4, READ_NOW)
    [asked] = _asked(check)
    assert "29 February 2024 or 24 February 2023" in asked.officer
    assert "the papers show it as slipped; read as 24 February 2023, they would show it as " \
           "slipped and overdue" in asked.officer


def test_a_dated_milestone_s_revised_date_is_asked_by_its_milestone(tmp_path):
    ret = _dated_return(_folder(tmp_path), [
        ["5.c", "Stalls built", "On track", "Stalls next year.", "Jan 24", "planning", ""]])
    plan = make_plan(make_action("5.c", lead_service_area="Housing", milestones=(
        Milestone("Stalls built", date(2023, 3, 31)),)))
    check = check_period(plan, [ret], (), Q2, READ_NOW)
    [asked] = _asked(check)
    assert "for 5.c milestone 'Stalls built' may mean" in asked.officer
    assert asked.cell == "line 7, column E"
