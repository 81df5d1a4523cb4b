"""A new installation: the folders a council needs and a settings file to fill in.

Nothing of any council is written: the required settings are left empty, so the first
command run says which to fill in. In a folder that already holds some of it, only what is
missing is added; nothing is ever overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reporting.errors import ReportingError
from reporting.settings import DEFAULT_CONFIG_NAME

_SETTINGS = """\
# Settings for the scrutiny report. Paths are relative to this file.
# Fill in the settings marked "required"; every other one may stay as it is.

[council]
name = ""              # required, e.g. "Anytown District Council"
{council_committee}author_contact = ""    # e.g. "performance@anytown.gov.uk, 01234 567890" (a role, not a name)
wards_affected = "All wards"
key_decision = "No"
exempt = "No"          # or the paragraph of Schedule 12A that applies

[plan]
title = ""             # required, e.g. "Council Plan 2024-2028"
# Cadence for an action whose milestone wording names none.
default_cadence = "quarterly"
# The plan's first quarter ("Year 1" in By when is the financial year holding it; periods
# before it are not reported on) and its last (`reporting schedule` marks runs after it).
# starts = "2024/25 Q1"
# ends = "2027/28 Q4"
# What the plan calls its groups of actions, as the paper names them ("Theme 1: Greener");
# unset, "priority". grouping_plural only where adding "s" would be wrong.
# grouping = "theme"
# grouping_plural = "themes"
# An action the plan names no lead for: in "every-service"'s return template, or one
# service area's (its name).
# unled_actions = "every-service"

[paths]
inputs = "inputs"      # holds plan/ (the plan workbook) and returns/<period>/
outputs = "outputs"

{committees}
# The implications section of each paper. Each one left out reads "None arising directly
# from this report." Others may be added, e.g. data_protection = "...".
[implications]
# financial = ""
# legal = ""
# equality = ""
# risk = ""
# climate = ""

# A paper is published this many working days before its meeting.
[publication]
clear_working_days = 5
# background_papers = ["Council Plan 2024-2028 (Council, 22 July 2024)"]

[intake]
settle_seconds = 60    # a file changed this recently may still be copying: read it next run
max_file_mb = 20
max_rows = 5000
long_update_words = 150

[schedule]
timezone = "Europe/London"
quarterly_cron = "0 7 19-25 1,4,7,10 TUE"   # the first Tuesday on or after the 19th
six_monthly_cron = "0 7 19-25 4,10 TUE"
day_or = false   # as Prefect's: both day fields must match
intake_check_minutes = 15
returns_deadline_working_days = 10
reminder_working_days_before = 3
bank_holidays = "england-and-wales"   # or "scotland", "northern-ireland"

[email]
enabled = false
host = "localhost"
port = 25
sender = ""            # e.g. "performance@anytown.gov.uk"
committee = []         # the addresses the papers go to

# Sign-off before a paper is published or mailed: each role clears it with
# `reporting clear` (see docs/operations.md).
[clearance]
# required = true
# roles = ["Head of Service", "Portfolio Holder"]

# Lead officer and email for each service area's return, e.g.
# "Housing" = {{ officer = "Housing Manager", email = "housing@anytown.gov.uk" }}
[contacts]

# Abbreviations the plan uses, explained in the paper's glossary, e.g.
# ASB = "Anti-social behaviour"
[glossary]
"""

# One committee takes both papers: [council] committee, meeting on the [meetings] dates.
_ONE_COMMITTEE = """\
committee = {name}    # required: the committee that receives both papers, e.g. "Overview and Scrutiny Committee"
report_author = ""     # the officer or director the report is "of"
lead_member = ""       # e.g. "Portfolio Holder for Communities"; "none" (a committee system) leaves it out
"""
_ONE_COMMITTEE_MEETS = """\
# The committee's meeting dates, by the period each report covers, e.g.
# "2025-26-Q2" = 2025-11-03
[meetings]

# A council whose quarterly and six-monthly papers go to two committees names each one
# instead, and leaves [council] committee out (`reporting init --committee NAME --committee
# NAME` writes them so):
# [committees.quarterly]
# name = "Cabinet"
# meetings = {{ "2025-26-Q2" = 2025-11-03 }}
# [committees.six-monthly]
# name = "Overview and Scrutiny Committee"
# meetings = {{ "2025-26-Q2" = 2025-11-17 }}
"""
# Two committees, one a paper: the quarterly (a short performance update, often to
# Cabinet) and the six-monthly (the full one, often to Overview and Scrutiny).
_TWO_COMMITTEES = """\
# Who receives each paper: the quarterly paper, a short performance update, and the
# six-monthly paper, the full one.
[committees.quarterly]
name = {quarterly}
report_of = ""         # e.g. "Director of Corporate Services"
portfolio_holder = ""  # e.g. "Portfolio Holder for Communities"; "none" leaves the row out
# Meeting dates, by the period each report covers, e.g. "2025-26-Q2" = 2025-11-03
meetings = {{}}

[committees.six-monthly]
name = {six_monthly}
report_of = ""
portfolio_holder = ""
meetings = {{}}
"""


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def settings_text(committees: tuple[str, ...] | list[str] = ()) -> str:
    """Give a new installation's reporting.toml: one committee taking both papers ([council]
    committee, filled in when one is named), or, with two names, the quarterly paper's
    committee and the six-monthly paper's."""
    committees = tuple(committees)
    if len(committees) > 2:
        raise ReportingError("name one committee (it takes both papers) or two (the first "
                             "takes the quarterly paper, the second the six-monthly)")
    if len(committees) == 2:
        return _SETTINGS.format(council_committee="", committees=_TWO_COMMITTEES.format(
            quarterly=_quoted(committees[0]), six_monthly=_quoted(committees[1])))
    one = _ONE_COMMITTEE.format(name=_quoted(committees[0]) if committees else '""')
    return _SETTINGS.format(council_committee=one, committees=_ONE_COMMITTEE_MEETS.format())


SETTINGS_TEMPLATE = settings_text()

FOLDERS = ("inputs/plan", "inputs/returns", "outputs")


def init_installation(folder: Path, committees: tuple[str, ...] | list[str] = ()
                      ) -> tuple[list[Path], list[Path]]:
    """Make `folder` an installation; give (what was made, what was there and kept).

    `committees`: none or one (that committee takes both papers) or two (the quarterly
    paper's, then the six-monthly paper's); see `settings_text`.
    """
    text = settings_text(committees)
    folder = Path(folder)
    made, kept = [], []
    for name in FOLDERS:
        path = folder / name
        (kept if path.is_dir() else made).append(path)
        path.mkdir(parents=True, exist_ok=True)
    settings = folder / DEFAULT_CONFIG_NAME
    try:
        with settings.open("x", encoding="utf-8") as out:  # never over an existing file
            out.write(text)
        made.append(settings)
    except FileExistsError:
        kept.append(settings)
    return made, kept


# -- Several plans in one installation ---------------------------------------------------
#
# An installation serves one plan (a reporting.toml at its top) or several: plans/NAME/,
# each with its own reporting.toml, inputs and outputs. Both may be there at once.

PLANS_FOLDER = "plans"
PLAN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
PLAN_NAME_RULE = ("a plan's folder name starts with a letter or digit and holds only letters, "
                  "digits, '.', '-' and '_' (it names the plan's deployments)")


@dataclass(frozen=True)
class InstalledPlan:
    """One plan of an installation: its folder name (None for the plan whose settings are at
    the installation's top) and its settings file."""

    name: str | None
    settings: Path

    @property
    def tags(self) -> tuple[str, ...]:
        """The tags its runs carry in the Prefect UI: ("plan:corporate",), or none for the
        plan of a single-plan installation."""
        return (f"plan:{self.name}",) if self.name else ()


def plan_settings(name: str, project: Path = Path(".")) -> Path:
    """Give plans/NAME/reporting.toml; a name that is not there is a ReportingError naming
    the plans that are."""
    path = Path(project) / PLANS_FOLDER / name / DEFAULT_CONFIG_NAME
    if not PLAN_NAME.fullmatch(name):
        raise ReportingError(f"{Path(PLANS_FOLDER) / name}: {PLAN_NAME_RULE}; rename the folder")
    if not path.is_file():
        there = [plan.name for plan in installed_plans(project) if plan.name]
        raise ReportingError(
            f"{Path(PLANS_FOLDER) / name / DEFAULT_CONFIG_NAME}: no such plan; the plans "
            "here are " + (", ".join(there) if there else f"none (no {PLANS_FOLDER}/*/)"))
    return path


def installed_plans(project: Path = Path(".")) -> list[InstalledPlan]:
    """Every plan of the installation in `project`: the top one first, then plans/ by name.

    A folder under plans/ whose name could not name a deployment (a space, say) is left
    out; `misnamed_plans` gives those.
    """
    project = Path(project)
    found = []
    if (project / DEFAULT_CONFIG_NAME).is_file():
        found.append(InstalledPlan(None, project / DEFAULT_CONFIG_NAME))
    for settings in sorted((project / PLANS_FOLDER).glob(f"*/{DEFAULT_CONFIG_NAME}")):
        if PLAN_NAME.fullmatch(settings.parent.name):
            found.append(InstalledPlan(settings.parent.name, settings))
    return found


def misnamed_plans(project: Path = Path(".")) -> list[Path]:
    """The folders under plans/ with settings but a name no plan may have."""
    return [settings.parent for settings in
            sorted((Path(project) / PLANS_FOLDER).glob(f"*/{DEFAULT_CONFIG_NAME}"))
            if not PLAN_NAME.fullmatch(settings.parent.name)]


def settings_path(plan: str | None, config: str | Path | None,
                  project: Path = Path(".")) -> Path | None:
    """The settings file a run is given: `config` when given, else the named plan's, else
    None (the default, reporting.toml in the working folder)."""
    if config:
        return Path(config)
    return plan_settings(plan, project) if plan else None
