from datetime import date

import pytest

from reporting.period import Period, PeriodError


@pytest.mark.parametrize("text", ["2022/23 Q2", "2022/23-Q2", "2022-23-Q2", " 2022/23  q2 "])
def test_accepted_spellings_name_the_same_period(text):
    assert Period.parse(text) == Period(2022, "Q", 2)


def test_text_and_path_forms():
    q2 = Period.parse("2022/23 Q2")
    assert q2.label == "2022/23 Q2"
    assert q2.path == "2022-23-Q2"
    assert q2.description == "2022/23 Q2 (July to September 2022)"


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2022/23 Q1", date(2022, 4, 1), date(2022, 6, 30)),
        ("2022/23 Q3", date(2022, 10, 1), date(2022, 12, 31)),
        ("2022/23 Q4", date(2023, 1, 1), date(2023, 3, 31)),
        ("2023/24 Q4", date(2024, 1, 1), date(2024, 3, 31)),
        ("2022/23 H1", date(2022, 4, 1), date(2022, 9, 30)),
        ("2022/23 H2", date(2022, 10, 1), date(2023, 3, 31)),
    ],
)
def test_periods_follow_the_financial_year(text, start, end):
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)


def test_q4_spans_the_calendar_year_end_in_its_description():
    assert Period.parse("2022/23 Q4").description == "2022/23 Q4 (January to March 2023)"
    assert Period.parse("2022/23 H2").description == (
        "2022/23 H2 (October 2022 to March 2023)")


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2022, 10, 15), "2022/23 Q2"),
        (date(2022, 7, 1), "2022/23 Q1"),
        (date(2022, 6, 30), "2021/22 Q4"),  # Q1 has not ended yet
        (date(2023, 1, 15), "2022/23 Q3"),
        (date(2023, 4, 15), "2022/23 Q4"),  # across the financial year end
        (date(2023, 1, 1), "2022/23 Q3"),  # across the calendar year end
        (date(2022, 4, 1), "2021/22 Q4"),
    ],
)
def test_a_scheduled_run_reports_on_the_last_quarter_that_ended(day, expected):
    assert Period.last_ended_before(day).label == expected


def test_previous_crosses_the_year_end():
    assert Period.parse("2023/24 Q1").previous() == Period.parse("2022/23 Q4")
    assert Period.parse("2023/24 H1").previous() == Period.parse("2022/23 H2")


def test_quarters_belong_to_halves():
    assert Period.parse("2022/23 Q2").half() == Period.parse("2022/23 H1")
    assert Period.parse("2022/23 Q3").half() == Period.parse("2022/23 H2")


@pytest.mark.parametrize("text", ["2022/24 Q1", "2022/23 Q5", "Q2", "2022/23", "H3 2022/23"])
def test_nonsense_is_refused_with_a_message(text):
    with pytest.raises(PeriodError, match="2022|period|Q1"):
        Period.parse(text)
