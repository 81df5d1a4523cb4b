"""Write the bundled master action plan workbook from the council's published plan.

Source: Harborough District Council, Health & Wellbeing Action Plan 2022/23 (the PDF
extraction in shared/seeds). The extraction glued 2.c and 2.d into one row, spilled
"health" into the next row and split priority headings across cells; the transcription
below is the clean version. The council's own wording (and spelling) is kept; only
extraction artefacts ("Co- ordinators") are mended. Milestones that list several
deliverables are split into one milestone each. "By when: 2022/23" is 31 March 2023.

Run: python scripts/build_plan_workbook.py [OUTPUT.xlsx]
The policy team edits the workbook itself from then on; this script is kept so the
transcription can be reviewed line by line against the source.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reporting.cadence import Cadence, cadence_from_wording  # noqa: E402
from reporting.plan import PLAN_COLUMNS  # noqa: E402

OUTPUT = ROOT / "inputs" / "plan" / "health-and-wellbeing-action-plan-2022-23.xlsx"
DEFAULT_CADENCE = Cadence.QUARTERLY
YEAR_END = date(2023, 3, 31)

PRIORITIES = {
    1: "Housing for all",
    2: "Community Infrastructure",
    3: "Skills, Jobs & Income",
    4: "Stronger Communities",
    5: "Mental Health",
    6: "Physical Activity",
}

# (ID, objective, what we will do, who will deliver (as written), lead service area,
#  partners, milestones, target/outcome)
ACTIONS = [
    ("1.a", "Promote high design standards for new housing",
     "Review policy as part of Local Plan refresh",
     "Planning Policy, Registered Providers", "Planning Policy", "Registered Providers",
     ["Refresh of local plan"],
     "Achieve high design standards for new homes"),
    ("1.b", "Improve living accommodation within the district",
     "Private sector inspections work to minimise empty properties",
     "Regulatory Services", "Regulatory Services", "",
     ["Monitor the implementation of the HMO inspection programme",
      "Cross service working on problematic empty properties"],
     "Protect the most vulnerable from the activities of poor landlords. "
     "Minimise the impact of empty homes on local communities"),
    ("1.c", "Support vulnerable adults and older people to remain independent in there homes",
     "Support the Lightbulb project",
     "Regulatory Services", "Regulatory Services", "",
     ["Monitor implementation of the Lightbulb work programme"],
     "Keeping vulnerable people independent in their homes, helping to avoid unnecessary "
     "hospital admissions or GP visits and facilitating timely discharges through the "
     "on-going delivery of the Lightbulb project."),
    ("1.d", "Provide energy efficiency advice and measures",
     "Provide energy efficiency advice and measures",
     "Regulatory Services, district and county partners", "Regulatory Services",
     "District and county partners",
     ["Support delivery of Warm Homes Project",
      "Collective Energy Switching",
      "Prepare for additional opportunities for housing retrofit subject to external "
      "funding availability"],
     "Reduced energy consumption in the District. More households can access cheaper "
     "electricity tariffs. Reduced emissions of greenhouse gasses. Increase the take up of "
     "renewable energy across the district"),
    ("1.e", "Build services and pathways to housing for vulnerable groups",
     "Work with district and borough councils and partners to develop housing protocols "
     "for vulnerable groups",
     "Housing, Chief Housing Officers Group, Registered Providers", "Housing",
     "Chief Housing Officers Group, Registered Providers",
     [f"Protocols and pathways in place for {group}" for group in (
         "Rough Sleepers", "Care Leavers", "16/17 Homeless", "Prisoners", "Mental Health",
         "Veterans")],
     "Vulnerable groups are supported to access safe and affordable housing"),
    ("2.a", "Secure and invest in community infrastructure through the s106 process",
     "Ensure policy and procedures are in place to secure s106 funding and direct to local "
     "projects",
     "Planning Policy, Health & Wellbeing", "Planning Policy", "Health & Wellbeing",
     ["Annual Infrastructure Funding Statement"],
     "Ensure the necessary infrastructure is provided to meet the needs of future "
     "development."),
    ("2.b", "Support the preparation of Neighbourhood Plans and local health and wellbeing "
     "objectives",
     "Support the preparation of Neighbourhood Plans and local health and wellbeing "
     "objectives",
     "Planning Policy, Health & Wellbeing, parish and town councils, community and "
     "voluntary groups", "Planning Policy",
     "Health & Wellbeing, parish and town councils, community and voluntary groups",
     ["The number of Neighbourhood Plans that have been 'made'"],
     "Bringing community together to promote community cohesion and civic pride"),
    ("2.c", "Work in partnership to ensure green spaces are accessible",
     "Establish and sustain links with partners such as Green Spaces, Rights of Way and "
     "Countryside Access to develop innovative, sustainable programmes in the natural "
     "environment that target those recognised as having low levels of physical activity.",
     "Health & Wellbeing, Environmental Services, Parish Councils, Town councils",
     "Health & Wellbeing", "Environmental Services, Parish Councils, Town councils",
     ["6monthly updates on Physical Activity Commissioning Plan"],
     "Residents are able to access local green spaces"),
    ("2.d", "Work in partnership to improve access to canals and waterways",
     "Develop Blue Social Prescribing and physical activity sessions developed around the "
     "canals and waterways to improve mental health",
     "Health & Wellbeing, Canals & Rivers Trust", "Health & Wellbeing",
     "Canals & Rivers Trust",
     ["6monthly updates on Physical Activity Commissioning Plan"],
     "Residents are supported to access local waterways and canals"),
    ("3.a", "Develop training opportunities that contribute towards health and wellbeing",
     "Identify, develop and review training opportunities for instructors, casual staff, "
     "coaches and volunteers to ensure that they have the necessary knowledge and "
     "qualifications to meet requirements of both national and local physical activity "
     "guidelines.",
     "Health & Wellbeing, Economic Development, local businesses", "Health & Wellbeing",
     "Economic Development, local businesses",
     ["6monthly updates on Physical Activity Commissioning Plan"],
     "Increase the number of training opportunities"),
    ("3.b", "Local employment average salary levels are sufficient to allow residents to "
     "live and work locally",
     "Promote investment and job growth",
     "Economic Development, local businesses", "Economic Development", "Local businesses",
     ["Quarterly updates"],
     "Average salary levels are sufficient to allow residents to live and work locally"),
    ("3.c", "Ensure advice and support for vulnerable residents to manage debts and access "
     "full benefit entitlement/ maximise income",
     "Commission free advice and support for residents to access to help manage debts and "
     "maximise income",
     "Community Partnerships, voluntary and community groups", "Community Partnerships",
     "Voluntary and community groups",
     ["Quarterly updates", "Annual Scrutiny"],
     "Number of clients supported. Increased income"),
    ("4.a", "Enable funding and support for the voluntary and community sector to support "
     "health and wellbeing outcomes",
     "Grow the Harborough Lotto as an income souce for local groups that support health "
     "and wellbeing",
     "Community Partnerships, Community and Voluntary sector organisations",
     "Community Partnerships", "Community and Voluntary sector organisations",
     ["Annual increase in the number of groups registered as good causes with the "
      "Harborough Lotto"],
     "Increase the amount of funding generated by the Harborough Lotto"),
    ("4.b", "Work in partnership with specialist charities that can help tackle health "
     "inequalities",
     "Work with Travelling Forward project as part of the Multi-agency approach to engaging "
     "the Traveller community",
     "Community Partnerships, Local Area Co-ordinators (LCC), CCG/ICS",
     "Community Partnerships", "Local Area Co-ordinators (LCC), CCG/ICS",
     ["Regular updates on work to engage Traveller Community via the Community Safety "
      "Partnership"],
     "Increase initiatives that improve health outcomes and tackle health inequalities"),
    ("4.c", "Increase awareness of the rapidly ageing population and health related "
     "conditions e.g. dementia",
     "Work with LOROS to develop Market Harborough as the first Compassionate Town / "
     "District in Leicestershire",
     "Community Partnerships, LOROS, Local Area Co-ordinators (LCC)",
     "Community Partnerships", "LOROS, Local Area Co-ordinators (LCC)",
     ["Annual update"],
     "Number of organisations engaged in Compassionate Town / District"),
    ("5.a", "Develop awareness of mental health in the workplace",
     "Provide Mental Health First Aid (MHFA) training for Council Officers",
     "Human Resources", "Human Resources", "",
     ["Annual update on number of staff trained"],
     "Increase the awareness of mental health and how to help"),
    ("5.b", "Work with Early Help services to support young people to improve mental health",
     "Support local services and schools as required through coordinating the local Think "
     "Family Partnership",
     "Health & Wellbeing, Early Help Services, LCC, CCG/ICS", "Health & Wellbeing",
     "Early Help Services, LCC, CCG/ICS",
     ["Quarterly Meetings"],
     ""),
    ("5.c", "Work with health services to promote the central access point",
     "Promote 24hr Mental Health Central Access Point - 0808 800 3302 for anyone needing "
     "mental health support",
     "Communications, Community Partnerships, Leicestershire Partnership Trust, ICS",
     "Communications", "Community Partnerships, Leicestershire Partnership Trust, ICS",
     ["Quarterly updates"],
     "Increase the number of residents accessing support from the Central Access Point"),
    ("5.d", "Support the local delivery of crisis cafes in Market Harborough and Lutterworth",
     "Host crisis cafes at TSB and Lutterworth Sports Centre",
     "Community Partnerships, Leicestershire Partnership Trust", "Community Partnerships",
     "Leicestershire Partnership Trust",
     ["Quarterly updates"],
     "Increase the number of residents accessing support from Crisis Cafes"),
    ("6.a", "Support partners to deliver and commission physical activity sessions for "
     "children and young people",
     "Work with the School Sports Partnership Activity Network",
     "Health & Wellbeing, SSPAN", "Health & Wellbeing", "SSPAN",
     ["6monthly updates on Physical Activity Commissioning Plan"],
     "Increase physical activity of children & young people - particluarly females, SEN"),
    ("6.b", "Develop pathways into physical activity accessible for everyone in the district",
     "Develop the Physical Activity pathway - receiving referrals from First Contact Plus",
     "Health & Wellbeing Team, town and parish councils, community and voluntary groups, "
     "Leisure provider", "Health & Wellbeing",
     "Town and parish councils, community and voluntary groups, Leisure provider",
     ["6monthly updates on Physical Activity Commissioning Plan"],
     "Increase in physical activity in the following groups: People with a disability; "
     "Inactive Adults; Females; Those in more deprived areas; Rural places with limited "
     "services"),
    ("6.c", "Develop place led physical activity opportunities - particularly for hard to "
     "reach groups",
     "Supervise a team of coaches / instructors / motivators / casual staff and volunteers "
     "to deliver a range of physical activity opportunities in (district) and monitor and "
     "evaluate their success",
     "Health & Wellbeing Team, town and parish councils, community and voluntary groups, "
     "Leisure provider", "Health & Wellbeing",
     "Town and parish councils, community and voluntary groups, Leisure provider",
     [],
     "Increase in physical activity in the following groups: People with a disability; "
     "Inactive Adults; Females; Those in more deprived areas; Rural places with limited "
     "services"),
    ("6.d", "Increase the health and wellbeing offer at Leisure Centres and increase "
     "participation - particularly for hard-to-reach groups",
     "",
     "Everyone Active, Health & Wellbeing Team", "Health & Wellbeing", "Everyone Active",
     [],
     "Increase in physical activity in the following groups: Children & Young People; "
     "People with a disability; Inactive Adults; Females; Those in more deprived areas; "
     "Rural places with limited services"),
    ("6.e", "Promote wellbeing at work",
     "Promote the Wellbeing@Work Package to local businesses and schools, and for the "
     "workforce needs assessment to be undertaken by businesses/schools to identify health "
     "& wellbeing priorities and embed an action plan for their workforce.",
     "Health & Wellbeing, Economic Development", "Health & Wellbeing",
     "Economic Development",
     ["6monthly updates on Physical Activity Commissioning Plan"],
     "Increase the business takeup of Wellbeing@Work"),
    ("6.f", "Improve air quality in both the Kibworths and Lutterworth",
     "Work with other agencies to work towards delivering the outcomes of the Air Quality "
     "Action Plan and to improve the local air quality within the District.",
     "Regulatory Services", "Regulatory Services", "",
     ["By continuing to monitor Air Quality throughout the district and reviewing the "
      "results",
      "Meeting our legal obligations to implement the AQMA action plans in both the "
      "Kibworths and Lutterworth",
      "Submitting the ASR on time",
      "Taking the necessary reports to Cabinet"],
     "Air quality monitoring"),
]

_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_WIDTHS = {"Action ID": 10, "Priority": 9, "By when": 10, "Due date": 12, "Cadence": 13,
           "Title": 40, "Milestone": 90}


def _sheet(workbook: Workbook, name: str, rows: list[list[object]]) -> None:
    ws = workbook.create_sheet(name)
    header = list(PLAN_COLUMNS[name])
    ws.append(header)
    for row in rows:
        ws.append(row)
    for index, title in enumerate(header, start=1):
        cell = ws.cell(row=1, column=index)
        cell.fill, cell.font = _HEADER_FILL, _HEADER_FONT
        ws.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(title, 36)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    ws.freeze_panes = "B2"


def build(output: Path = OUTPUT) -> Path:
    """Write the plan workbook to `output` and give its path."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, "Priorities", [[n, t] for n, t in PRIORITIES.items()])
    action_rows, milestone_rows = [], []
    for (action_id, objective, what, who, lead, partners, milestones, target) in ACTIONS:
        cadence = cadence_from_wording(milestones) or DEFAULT_CADENCE
        action_rows.append([action_id, int(action_id.split(".")[0]), objective, what,
                            "2022/23", YEAR_END, who, lead, partners, target, cadence.value])
        milestone_rows.extend([action_id, m] for m in milestones)
    _sheet(workbook, "Actions", action_rows)
    _sheet(workbook, "Milestones", milestone_rows)
    output.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(output)
    return output


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT))
