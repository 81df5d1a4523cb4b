"""A small hand-built ReportModel for renderer tests (no plan or returns needed)."""

from __future__ import annotations

from reporting.cadence import Paper
from reporting.report.by_priority import StatusCount, status_chart, summarise_priorities
from reporting.report.exceptions import ExceptionLine
from reporting.report.front_matter import FrontSheet
from reporting.report.appendix import ActionEntry, PrioritySection
from reporting.report.model import ReportModel, ReturnLine, TravelKeyLine
from reporting.report.travel import Travel, travel_meanings
from reporting.report.words import NO_TARGET, NO_UPDATE
from reporting.status import STATUS_ORDER, Status


def _action(action_id: str, status: Status, update: str, **extra) -> ActionEntry:
    values = dict(
        id=action_id,
        objective=f"Objective of {action_id}",
        what_we_will_do=f"What we will do for {action_id}",
        lead="Regulatory Services",
        partners="District and county partners",
        cadence="Quarterly",
        due_date="31 March 2023",
        revised_date="",
        milestones=(f"First milestone of {action_id}", f"Second milestone of {action_id}"),
        target=f"Target of {action_id}",
        status=status,
        progress_update=update,
        next_steps="Report back next quarter.",
        flags=(),
        travel=Travel.NO_CHANGE,
        travel_detail="was On track in 2022/23 Q1",
    )
    values.update(extra)
    return ActionEntry(**values)


def sample_model(hostile: str = "<b>bold</b> & <script>alert(1)</script>") -> ReportModel:
    """Give a ReportModel with two priorities, every status, flags and a missing return.

    `hostile` is put into a progress update, as text typed by an officer, to show renderers
    escape it.
    """
    sections = (
        PrioritySection(
            "Priority 1: Housing for all",
            (
                _action("1.a", Status.ON_TRACK, "Local Plan review under way."),
                _action("1.b", Status.OFF_TRACK, "Inspections paused. " + hostile,
                        revised_date="30 September 2023", flags=("off track", "date slipped"),
                        forecast=Status.AT_RISK, travel=Travel.WORSE,
                        travel_detail="was At risk in 2022/23 Q1"),
            ),
        ),
        PrioritySection(
            "Priority 6: Physical Activity",
            (
                _action("6.c", Status.NO_UPDATE, NO_UPDATE, milestones=(), target=NO_TARGET,
                        flags=("not reported",), travel=Travel.NOT_COMPARED,
                        travel_detail="no status in 2022/23 Q1"),
                _action("6.f", Status.COMPLETE, "ASR submitted on time.",
                        forecast=Status.COMPLETE, travel=Travel.IMPROVED),
            ),
        ),
    )
    statuses = [a.status for s in sections for a in s.actions]
    overall = tuple(StatusCount(s, statuses.count(s)) for s in STATUS_ORDER)
    by_priority = summarise_priorities(sections)
    return ReportModel(
        title="Health & Wellbeing Action Plan 2022/23: quarterly progress report",
        running_title="Health & Wellbeing Action Plan: 2022/23 Q2 quarterly report",
        paper=Paper.QUARTERLY,
        period_label="2022/23 Q2",
        front=FrontSheet(
            council="Harborough District Council",
            committee="Scrutiny Commission",
            meeting_date="14 November 2022",
            report_title="Health & Wellbeing Action Plan 2022/23: quarterly progress report",
            period="2022/23 Q2 (July to September 2022)",
            report_author="Policy and Performance Officer",
            author_contact="performance@harborough.gov.uk",
            lead_member="Portfolio Holder for Health and Wellbeing",
            date_of_report="26 November 2026",
        ),
        purpose=("To report progress on the Health & Wellbeing Action Plan.",),
        recommendation="That the Committee notes the progress made and the exceptions.",
        reasons=("The Committee monitors the delivery of the plan.",),
        background=("The plan sets out 4 actions under 2 priorities.",),
        implications=(("Financial", "None arising directly from this report."),),
        alternative_options=("None. This report asks the Committee to note progress.",),
        consultation=("Each lead service area sent its return.",),
        statutory_comments=(("Monitoring Officer", "No legal matters arise."),),
        background_papers=("Health & Wellbeing Action Plan 2022/23",),
        summary=("4 actions are covered by this report.",),
        status_columns=STATUS_ORDER,
        overall=overall,
        by_priority=by_priority,
        exceptions_intro="3 actions need the Committee's attention, most serious first.",
        exceptions=(
            ExceptionLine("1.e", "Build services and pathways to housing", "Housing",
                          "Not reported: Housing sent no return", "No return was received.",
                          "31 March 2023"),
            ExceptionLine("1.b", "Improve living accommodation", "Regulatory Services",
                          "Off track", "Next: " + hostile, "30 June 2023"),
            ExceptionLine("6.c", "Develop place-led physical activity", "Health & Wellbeing",
                          "At risk", "Not stated in the return.", "31 March 2023"),
        ),
        returns_intro="2 of 3 service areas sent a return.",
        returns=(
            ReturnLine("Regulatory Services", "Received", "10 October 2022", 3, 3, "None"),
            ReturnLine("Health & Wellbeing", "Received", "12 October 2022", 1, 0, "6.c"),
            ReturnLine("Housing", "Missing", "", 1, 0, "1.e"),
        ),
        sections=sections,
        status_key=tuple((s.value, s.meaning) for s in STATUS_ORDER),
        chart=status_chart(by_priority, len(statuses)),
        travel_key=tuple(TravelKeyLine(t, m) for t, m in travel_meanings("2022/23 Q1")),
        glossary=(
            ("ASR", "Annual Status Report (on air quality, to DEFRA)"),
            ("DEFRA", "Department for Environment, Food and Rural Affairs"),
        ),
    )
