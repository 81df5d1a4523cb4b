"""The plan workbook's format in words: what each sheet and column holds.

One description serves the blank template's Instructions sheet, `reporting plan check` and
`docs/plan-format.md` (a test keeps the document and this module in step).
"""

from __future__ import annotations

from reporting.plan.workbook import PLAN_COLUMNS, REQUIRED_COLUMNS, plan_workbook

SHEETS: dict[str, str] = {
    "Priorities": "Optional. One row per priority or theme, in the order the paper shows them. "
                  "Without this sheet the themes are the Actions sheet's Priority values, in "
                  "the order they first appear.",
    "Actions": "Required. One row per action.",
    "Milestones": "Optional. One row per milestone, so an action can have several or none.",
    "Plan start": "Optional. One row: when the plan starts. `[plan] starts` in reporting.toml "
                  "gives the same; where both are given they must agree.",
}

COLUMNS: dict[tuple[str, str], str] = {
    ("Priorities", "Priority"): "The priority's number (1, 2) or the theme's name (Greener "
                                "Places). The Actions sheet names it the same way.",
    ("Priorities", "Title"): "The priority's title. A numbered priority is headed "
                             "'Priority 1: Title'; a named theme by its name alone.",
    ("Actions", "Action ID"): "The council's own reference, kept as written: 1.a, 16, 1.10, "
                              "G1. Each action needs its own. Returns match it forgivingly "
                              "(1b, 1 . B and Action 1.b are 1.b), but 1.1 and 1.10 stay apart. "
                              "Actions are sorted naturally (2 before 16).",
    ("Actions", "Priority"): "The priority or theme the action belongs to, as the Priorities "
                             "sheet names it.",
    ("Actions", "Objective"): "What the action is for. An action needs this or 'What we will "
                              "do'.",
    ("Actions", "What we will do"): "What the council will do.",
    ("Actions", "By when"): "When it is due, in the plan's own words (2022/23, Autumn 2025, by "
                            "March 2026, Ongoing, Year 1). The paper shows these words where "
                            "they name a span. Ongoing: reported every period, never overdue. "
                            "Year 1: the financial year the plan starts in (Plan start).",
    ("Actions", "Due date"): "The date it is due (31/03/2026). Blank: read from 'By when', a "
                             "span meaning its last day (Autumn 2025 is 30 November 2025, "
                             "2025/26 is 31 March 2026). No date at all is allowed and is "
                             "flagged to the policy officer.",
    ("Actions", "Who will deliver"): "Everyone who delivers it, as the plan says.",
    ("Actions", "Lead service area"): "The service whose return reports on the action, spelt "
                                      "as on its returns. Several: one per line or separated "
                                      "by semicolons (each gets the action in its return "
                                      "template). None: any service's return may report it, "
                                      "its template goes to every service (or the one "
                                      "[plan] unled_actions names), the paper says the plan "
                                      "names none, and the policy officer is told once.",
    ("Actions", "Partners"): "Partners outside the lead service.",
    ("Actions", "Target/Outcome"): "What success looks like.",
    ("Actions", "Cadence"): "quarterly, six-monthly or annual: how often the action reports. "
                            "Blank: from the milestones' wording ('Quarterly updates', 'Annual "
                            "update'), else the settings' default.",
    ("Actions", "Carried forward from"): "Written by `reporting plan rollover`: the year of the "
                                         "plan the action was carried forward from (2022/23). "
                                         "Appendix A of the papers says so under the action.",
    ("Actions", "Status when carried forward"): "Written by `reporting plan rollover`: the "
                                                "action's latest status then, and the period "
                                                "it was reported in (At risk in 2022/23 Q2). "
                                                "For the policy officer; the papers do not "
                                                "show it.",
    ("Milestones", "Action ID"): "The reference of the action the milestone belongs to.",
    ("Milestones", "Milestone"): "The milestone, one per row. Each is its own row in the "
                                 "return templates.",
    ("Milestones", "Due date"): "Optional: the milestone's own due date (a date or a span "
                                "such as Autumn 2025), or the plan's words for when (Ongoing, "
                                "Year 2), which the paper shows as written.",
    ("Milestones", "Lead service area"): "Optional: the service that reports this milestone, "
                                         "when it is not the action's lead.",
    ("Plan start", "Starts"): "The plan's first quarter (2022/23 Q1; a financial year, 2022/23, "
                              "is its Q1). 'Year 1' in By when is the financial year holding "
                              "it, 'Year 2' the next; periods before it are not reported on.",
}


def column_lines() -> list[tuple[str, str, bool, str]]:
    """Give (sheet, column, required, what it holds) for every column, in workbook order."""
    return [(sheet, column, column in REQUIRED_COLUMNS[sheet], COLUMNS[(sheet, column)])
            for sheet, columns in PLAN_COLUMNS.items() for column in columns]


def _required(sheet: str, required: bool, form: str) -> str:
    if not required:
        return ""
    return form.format("required" if sheet == "Actions" else "required on this sheet")


def instructions() -> list[str]:
    """The Instructions sheet of a blank plan workbook, line by line."""
    lines = ["How to fill in this plan workbook",
             "Fill in the Actions sheet (and Priorities and Milestones if you use them), then "
             "run `reporting plan check` on the file. It lists every problem with its sheet, "
             "row and what to do. Put the workbook in inputs/plan/ when it checks clean.",
             "Or import the plan as the council publishes it: `reporting plan import FILE` "
             "reads a Word table, an Excel sheet or a CSV and writes this workbook.", ""]
    for sheet, about in SHEETS.items():
        lines.append(f"{sheet} sheet: {about}")
        for name, column, required, what in column_lines():
            if name == sheet:
                lines.append(f"    {column}{_required(sheet, required, ' ({})')}: {what}")
        lines.append("")
    return lines


def blank_plan():
    """A blank plan workbook: an Instructions sheet and the three sheets' header rows."""
    return plan_workbook([], [], [], instructions())


def format_markdown() -> str:
    """The plan format as `docs/plan-format.md` gives it, column by column."""
    out = []
    for sheet, about in SHEETS.items():
        out += [f"## {sheet}", "", about, "", "| column | required | what it holds |",
                "| --- | --- | --- |"]
        out += [f"| {column} | {_required(sheet, required, '{}') or 'no'} | {what} |"
                for name, column, required, what in column_lines() if name == sheet]
        out.append("")
    return "\n".join(out)
