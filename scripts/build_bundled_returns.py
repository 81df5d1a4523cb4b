"""Write the bundled service-area returns for 2022/23 Q1 and Q2 under inputs/returns/.

The updates are invented but plausible, and carry what a real quarter has: in Q2 Housing
sends nothing, crisis cafes are off track, the Local Plan refresh has slipped (with a
reason), Community Partnerships reports on an action that is not in the plan (4.d),
Communications leaves a status blank, and Health & Wellbeing sends a CSV instead of the
workbook.

Run: python scripts/build_bundled_returns.py
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reporting.intake.returns import RETURN_COLUMNS  # noqa: E402
from reporting.period import Period  # noqa: E402

RETURNS = ROOT / "inputs" / "returns"

# service area -> (completed by, approved by, date completed, rows)
# row: (action ID, milestone, status, update, revised date, reason, date achieved, next steps)
Q1 = {
    "Planning Policy": ("Sam Patel, Planning Policy Officer", "Jo Reed, Planning Policy Manager",
                        date(2022, 7, 8), [
        ("1.a", "", "On track", "Consultation on the Local Plan review issues and options closed "
         "in June; design policies are being drafted with input from Registered Providers.",
         None, "", None, "Draft design policies to the Local Plan working group in September."),
        ("2.b", "", "Green", "Two Neighbourhood Plans (Lubenham and Great Bowden reviews) are "
         "at examination. Officers attended four parish meetings.", None, "", None,
         "Referendum arrangements for Lubenham."),
    ]),
    "Regulatory Services": ("Alex Morgan, Environmental Health Officer",
                            "Chris Dunn, Regulatory Services Manager", date(2022, 7, 12), [
        ("1.b", "Monitor the implementation of the HMO inspection programme", "On track",
         "14 of 40 planned HMO inspections completed; two improvement notices served.",
         None, "", None, "Continue the programme; target 20 more by September."),
        ("1.b", "Cross service working on problematic empty properties", "On track",
         "Empty homes working group met in May; 12 long-term empty properties prioritised.",
         None, "", None, "Owner contact letters for the 12 priority properties."),
        ("1.c", "", "On track", "Lightbulb handled 63 referrals this quarter, 21 from hospital "
         "discharge teams.", None, "", None, "Quarterly return to the Lightbulb board."),
        ("1.d", "", "On track", "Warm Homes Project referrals steady; Collective Energy "
         "Switching spring auction saved participants an average of £180.", None, "", None,
         "Promote the autumn auction."),
        ("6.f", "", "On track", "Diffusion tube monitoring continues at 34 sites. The ASR was "
         "submitted to DEFRA on 24 June.", None, "", date(2022, 6, 24),
         "Cabinet report on the AQMA action plans in the autumn."),
    ]),
    "Housing": ("Priya Shah, Housing Options Manager", "Lee Carter, Head of Community Services",
                date(2022, 7, 11), [
        ("1.e", "", "On track", "Protocols for Rough Sleepers and Care Leavers agreed with the "
         "Chief Housing Officers Group; 16/17 Homeless protocol in draft.", None, "", None,
         "Draft the Prisoners and Veterans protocols."),
    ]),
    "Health & Wellbeing": ("Kim Taylor, Health & Wellbeing Officer",
                           "Lee Carter, Head of Community Services", date(2022, 7, 13), [
        ("5.b", "", "On track", "Think Family Partnership met in April and June; 9 families "
         "supported through joint casework.", None, "", None, "Next meeting in September."),
        ("6.c", "", "On track", "Summer programme of 48 sessions planned across 11 parishes.",
         None, "", None, "Deliver the summer programme."),
        ("6.d", "", "Not started", "Waiting for Everyone Active's new health and wellbeing "
         "offer to be agreed.", None, "", None, "Meeting with Everyone Active in August."),
    ]),
    "Economic Development": ("Dan Hughes, Economic Development Officer",
                             "Jo Reed, Head of Planning and Regeneration", date(2022, 7, 7), [
        ("3.b", "", "On track", "Business support webinars reached 85 local firms; two inward "
         "investment enquiries are being handled.", None, "", None,
         "Launch the business grants scheme."),
    ]),
    "Community Partnerships": ("Ruth Ellis, Community Partnerships Officer",
                               "Lee Carter, Head of Community Services", date(2022, 7, 14), [
        ("3.c", "", "On track", "Citizens Advice supported 212 clients and secured £96,000 in "
         "additional income for residents.", None, "", None, "Quarterly contract review."),
        ("4.b", "", "On track", "Travelling Forward project attended two Community Safety "
         "Partnership meetings.", None, "", None, "Health outreach day at the Lutterworth site."),
        ("5.d", "", "On track", "Crisis cafes ran weekly at The Symington Building and "
         "Lutterworth Sports Centre; 74 attendances.", None, "", None,
         "Recruit two more volunteers."),
    ]),
    "Communications": ("Beth Lowe, Communications Officer", "Mark Evans, Communications Manager",
                       date(2022, 7, 6), [
        ("5.c", "", "On track", "Central Access Point promoted on social media (14 posts, "
         "21,000 impressions) and in the residents' magazine.", None, "", None,
         "Mental health awareness campaign in October."),
    ]),
}

Q2 = {
    "Planning Policy": ("Sam Patel, Planning Policy Officer", "Jo Reed, Planning Policy Manager",
                        date(2022, 10, 10), [
        ("1.a", "", "At risk", "Government's proposed changes to national planning policy mean "
         "the Local Plan review timetable has been put back; design policies are drafted but "
         "cannot go to consultation yet.", date(2023, 9, 30),
         "Awaiting the revised National Planning Policy Framework before consulting", None,
         "Report the revised timetable to Cabinet in December."),
        ("2.b", "", "On track", "Lubenham Neighbourhood Plan passed examination; referendum "
         "set for 17 November. Great Bowden review submitted.", None, "", None,
         "Hold the Lubenham referendum."),
    ]),
    "Regulatory Services": ("Alex Morgan, Environmental Health Officer",
                            "Chris Dunn, Regulatory Services Manager", date(2022, 10, 11), [
        ("1.b", "Monitor the implementation of the HMO inspection programme", "On track",
         "32 of 40 planned HMO inspections completed; one prosecution file in preparation.",
         None, "", None, "Complete the remaining 8 inspections by December."),
        ("1.b", "Cross service working on problematic empty properties", "On track",
         "Four of the 12 priority empty properties are back in use.", None, "", None,
         "Consider enforcement on two properties."),
        ("1.c", "", "On track", "Lightbulb handled 71 referrals this quarter; average time from "
         "referral to visit down to 9 days.", None, "", None, "Quarterly return to the board."),
        ("1.d", "", "Amber", "Warm Homes Project continues. The housing retrofit bid to the "
         "Sustainable Warmth fund was unsuccessful, so retrofit work depends on the next round.",
         None, "", None, "Prepare a bid for the next funding round."),
        ("6.f", "", "On track", "Monitoring continues at 34 sites; results for Lutterworth are "
         "below the objective for the second year.", None, "", None,
         "Cabinet report on the AQMA action plans in January."),
    ]),
    # Housing sent nothing for Q2.
    "Health & Wellbeing": ("Kim Taylor, Health & Wellbeing Officer",
                           "Lee Carter, Head of Community Services", date(2022, 10, 12), [
        ("2.c", "", "On track", "Health walks programme extended to Market Harborough's "
         "Welland Park and two country parks; 310 participants.", None, "", None,
         "Winter walks programme."),
        ("2.d", "", "On track", "Six blue social prescribing sessions held on the Grand Union "
         "Canal with the Canal & River Trust.", None, "", None, "Evaluate the pilot."),
        ("3.a", "", "On track", "Eleven instructors completed exercise referral qualifications.",
         None, "", None, "Volunteer coach training in November."),
        ("5.b", "", "On track", "Think Family Partnership met in September; schools mental "
         "health forum set up.", None, "", None, "Next meeting in December."),
        ("6.a", "", "On track", "SSPAN delivered after-school sessions in 14 schools, 40% of "
         "participants female.", None, "", None, "Girls active programme in the spring term."),
        ("6.b", "", "On track", "First Contact Plus referral route live; 52 referrals received.",
         None, "", None, "Review referral outcomes."),
        ("6.c", "", "On track", "Summer programme delivered 46 of 48 sessions; 1,150 "
         "attendances.", None, "", None, "Autumn programme in village halls."),
        ("6.d", "", "Not started", "Everyone Active has not yet confirmed its health and "
         "wellbeing offer; the contract meeting was postponed to October.", None, "", None,
         "Contract meeting with Everyone Active."),
        ("6.e", "", "On track", "Wellbeing@Work package taken up by 6 businesses and 2 schools.",
         None, "", None, "Promote at the business breakfast."),
    ]),
    "Economic Development": ("Dan Hughes, Economic Development Officer",
                             "Jo Reed, Head of Planning and Regeneration", date(2022, 10, 7), [
        ("3.b", "", "On track", "Business grants scheme launched; 19 applications received.",
         None, "", None, "Award the first grants."),
    ]),
    "Community Partnerships": ("Ruth Ellis, Community Partnerships Officer",
                               "Lee Carter, Head of Community Services", date(2022, 10, 13), [
        ("3.c", "", "On track", "Citizens Advice supported 247 clients (up 17%) as the cost of "
         "living rises; £104,000 additional income secured.", None, "", None,
         "Cost of living advice sessions in Lutterworth."),
        ("4.b", "", "On track", "Health outreach day held at the Lutterworth site with the "
         "ICS; 23 residents had health checks.", None, "", None, "Follow-up vaccination clinic."),
        ("5.d", "", "Red", "The Lutterworth crisis cafe has been paused since August because "
         "two volunteers left and the host venue is unavailable on Thursdays; the Market "
         "Harborough cafe continues.", None, "", None,
         "Recruit volunteers with Leicestershire Partnership Trust and find a new venue."),
        ("4.d", "", "On track", "Warm spaces network: 9 venues signed up for the winter.",
         None, "", None, "Publish the warm spaces map."),
    ]),
    "Communications": ("Beth Lowe, Communications Officer", "", date(2022, 10, 5), [
        ("5.c", "", "", "Central Access Point number added to the council website footer and "
         "to all cost of living leaflets.", None, "", None,
         "World Mental Health Day campaign on 10 October."),
    ]),
}

_CSV_SERVICES = {"Health & Wellbeing"}

# Forecast year-end statuses officers gave where the year end looks different from today.
FORECASTS = {
    ("2022/23 Q2", "1.a"): "Off track",
    ("2022/23 Q2", "1.d"): "At risk",
    ("2022/23 Q2", "5.d"): "At risk",
    ("2022/23 Q2", "6.d"): "At risk",
    ("2022/23 Q2", "6.f"): "Complete",
}


def _file_stem(service: str) -> str:
    return service.lower().replace("&", "and").replace(" ", "-")


def _row_values(row: tuple, period: Period) -> list[object]:
    action_id, milestone, status, update, revised, reason, achieved, steps = row
    forecast = FORECASTS.get((period.label, action_id), "")
    return [action_id, "", milestone, status, update, revised, reason, achieved, "", steps,
            forecast]


def _write_workbook(path: Path, period: Period, service: str, details: tuple) -> None:
    completed_by, approved_by, completed, rows = details
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Return"
    for label, value in (("Service area", service), ("Period", period.label),
                         ("Completed by", completed_by), ("Approved by", approved_by),
                         ("Date completed", completed)):
        ws.append([label, value])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append([])
    ws.append(list(RETURN_COLUMNS))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(_row_values(row, period))
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEFGHIJK", (16, 30, 30, 12, 70, 14, 40, 14, 20, 40, 16)):
        ws.column_dimensions[letter].width = width
    workbook.save(path)


def _write_csv(path: Path, period: Period, details: tuple) -> None:
    rows = details[3]
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(RETURN_COLUMNS)
        for row in rows:
            writer.writerow(
                v.strftime("%d/%m/%Y") if isinstance(v, date) else v for v in _row_values(row, period)
            )


def build(root: Path = RETURNS) -> list[Path]:
    """Write the bundled returns under `root` and give their paths."""
    written = []
    for period_text, returns in (("2022/23 Q1", Q1), ("2022/23 Q2", Q2)):
        period = Period.parse(period_text)
        folder = root / period.path
        folder.mkdir(parents=True, exist_ok=True)
        for service, details in returns.items():
            if service in _CSV_SERVICES:
                path = folder / f"{_file_stem(service)}.csv"
                _write_csv(path, period, details)
            else:
                path = folder / f"{_file_stem(service)}.xlsx"
                _write_workbook(path, period, service, details)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(ROOT))
