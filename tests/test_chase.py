"""The chase list: who has not sent a return, what it covers, and how late it is."""

from __future__ import annotations

import csv
import io
from datetime import date

from conftest import make_action, make_plan, make_return, make_row, make_settings

from reporting.automation.chase import CHASE_COLUMNS, chase_csv, chase_list
from reporting.cadence import Cadence
from reporting.intake.returns import Problem
from reporting.period import Period
from reporting.settings import Contact

Q2 = Period.parse("2022/23 Q2")
Q3 = Period.parse("2022/23 Q3")
DEADLINE = date(2022, 10, 14)
SETTINGS = make_settings(contacts=(
    Contact("Housing", "Housing Options Manager", "housing@example.gov.uk"),
    Contact("Health & Wellbeing", "Team Leader", "hw@example.gov.uk"),
))


def _plan():
    return make_plan(
        make_action("1.a", lead_service_area="Regulatory Services"),
        make_action("1.b", lead_service_area="Housing"),
        make_action("2.a", lead_service_area="Housing", cadence=Cadence.SIX_MONTHLY),
        make_action("2.b", lead_service_area="Health and Wellbeing"),
        make_action("3.a", lead_service_area="Leisure", cadence=Cadence.ANNUAL),
    )


def _csv(chases) -> list[dict]:
    return list(csv.DictReader(io.StringIO(chase_csv(chases).decode("utf-8-sig"))))


def test_a_service_area_with_no_return_is_chased_for_every_action_it_leads():
    returns = [make_return("Regulatory Services", make_row("1.a"))]
    chases = chase_list(_plan(), returns, Q2, DEADLINE, date(2022, 10, 11), SETTINGS)
    assert [(c.service_area, c.actions) for c in chases] == [
        ("Housing", ("1.b", "2.a")),  # the six-monthly action too, at Q2
        ("Health and Wellbeing", ("2.b",)),
    ]
    housing, health = chases
    assert (housing.officer, housing.email) == ("Housing Options Manager", "housing@example.gov.uk")
    assert health.email == "hw@example.gov.uk"  # "and" and "&" are the same service area
    assert housing.days_to_deadline == 3 and housing.status == "due in 3 days"


def test_at_q3_only_quarterly_actions_are_chased():
    chases = chase_list(_plan(), [], Q3, date(2023, 1, 16), date(2023, 1, 17), SETTINGS)
    assert [(c.service_area, c.actions) for c in chases] == [
        ("Regulatory Services", ("1.a",)), ("Housing", ("1.b",)),
        ("Health and Wellbeing", ("2.b",))]
    assert chases[0].status == "1 day late" and chases[0].days_to_deadline == -1


def test_an_unreadable_return_does_not_count_as_received():
    broken = make_return("Housing", make_row("1.b"),
                         problems=(Problem("housing.xlsx", "", "not a workbook", fatal=True),))
    chases = chase_list(_plan(), [broken], Q3, DEADLINE, DEADLINE, SETTINGS)
    assert "Housing" in [c.service_area for c in chases]
    assert chases[0].status == "due today"


def test_nobody_is_chased_once_every_return_is_in():
    returns = [make_return(s, make_row(a)) for s, a in (
        ("Regulatory Services", "1.a"), ("Housing", "1.b"), ("Health & Wellbeing", "2.b"))]
    assert chase_list(_plan(), returns, Q2, DEADLINE, DEADLINE, SETTINGS) == []
    assert list(_csv([])) == []


def test_the_csv_says_when_no_contact_is_set_and_never_carries_a_formula():
    plan = make_plan(make_action("1.a", lead_service_area="=HYPERLINK(\"http://x\")"))
    rows = _csv(chase_list(plan, [], Q3, date(2023, 1, 16), date(2023, 1, 20), SETTINGS))
    assert list(rows[0]) == list(CHASE_COLUMNS)
    assert rows[0]["service_area"].startswith("'=")
    assert rows[0]["lead_officer"] == "(no contact in reporting.toml)"
    assert rows[0]["days_to_deadline"] == "-4" and rows[0]["status"] == "4 days late"
    assert rows[0]["deadline"] == "2023-01-16"
