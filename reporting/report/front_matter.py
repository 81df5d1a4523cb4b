"""The paper's opening: its front sheet and the sections before the progress itself
(purpose, recommendation, reasons, background) and its background papers, worded from the
settings and the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from reporting.cadence import Cadence, Paper, cadences_covered
from reporting.checks import codes
from reporting.checks.finding import Finding
from reporting.period import Period
from reporting.settings import Settings
from reporting.wording import and_list, long_date, plural
from reporting.working_days import latest_publication_day

if TYPE_CHECKING:
    from reporting.merge import Merged
    from reporting.plan import Plan
    from reporting.report.exceptions import ExceptionLine


@dataclass(frozen=True)
class FrontSheet:
    """The front sheet: who the paper is for, from whom, and when."""

    council: str
    committee: str
    meeting_date: str  # "14 November 2022" or "To be confirmed"
    report_title: str
    period: str  # "2022/23 Q2 (July to September 2022)"
    report_author: str  # whom the report is of (an officer's role, never a name)
    author_contact: str
    lead_member: str  # the portfolio holder
    date_of_report: str
    # The council's words for these are settings; a paper made without them reads as these.
    wards_affected: str = Settings.wards_affected
    key_decision: str = Settings.key_decision
    exempt: str = Settings.exempt
    # The roles that cleared the paper, where [clearance] show_in_paper asks ("" otherwise).
    cleared_by: str = ""

    def rows(self) -> tuple[tuple[str, str], ...]:
        """The front sheet as (label, value) rows, in reading order."""
        return (
            ("Meeting", self.committee),
            ("Date of meeting", self.meeting_date),
            ("Date of publication", self.date_of_report),
            ("Report of", self.report_author or "Not stated"),
            # A council run by committees has no portfolio holders: "none" leaves the row out.
            *((("Portfolio holder", self.lead_member or "Not stated"),)
              if self.lead_member.strip().lower() != "none" else ()),
            ("Title", self.report_title),
            ("Period covered", self.period),
            ("Wards affected", self.wards_affected),
            ("Key decision", self.key_decision),
            ("Exempt information", self.exempt),
            ("Contact", self.author_contact or "Not stated"),
            *((("Cleared by", self.cleared_by),) if self.cleared_by else ()),
        )


def publication_date(settings: Settings, period: Period,
                     paper: Paper | None = None) -> date | None:
    """Give the day the paper is published, or None while the meeting date is not set: the
    latest day that leaves `[publication] clear_working_days` whole working days before the
    meeting, neither day counted (s100B, Local Government Act 1972), stepping over
    weekends, the nation's bank holidays, the Christmas and Easter breaks and the council's
    own `closed_days`."""
    meeting = settings.meeting_date(period, paper)
    if meeting is None:
        return None
    return latest_publication_day(meeting, settings.clear_working_days,
                                  settings.schedule.bank_holidays, settings.closed_days)


def front_sheet(settings: Settings, title: str, period: Period, covered: Period,
                 paper: Paper) -> FrontSheet:
    committee = settings.committee_for(paper)
    meeting = settings.meeting_date(period, paper)
    published = publication_date(settings, period, paper)
    return FrontSheet(
        council=settings.council,
        committee=committee.name,
        meeting_date=long_date(meeting) if meeting else "To be confirmed",
        report_title=title,
        period=covered.description,
        report_author=committee.report_of,
        author_contact=settings.author_contact,
        lead_member=committee.portfolio_holder,
        # The paper's date is its publication date, never the day the program ran.
        date_of_report=long_date(published) if published else "To be confirmed",
        wards_affected=settings.wards_affected,
        key_decision=settings.key_decision,
        exempt=settings.exempt,
    )


def _not_covered(plan: Plan, merged: Merged) -> str:
    """Say which of the plan's actions this report leaves out, and when they report."""
    covered = merged.covered_ids
    left = [a for a in plan.actions if a.id not in covered]
    if not left:
        return ""
    by_cadence: dict[Cadence, list[str]] = {}
    for action in left:
        by_cadence.setdefault(action.cadence, []).append(action.id)
    when = {Cadence.ANNUAL: "in the six-monthly report at the year end (Q4)",
            Cadence.SIX_MONTHLY: "in the six-monthly reports (Q2 and Q4)",
            Cadence.QUARTERLY: "in the quarterly reports"}
    parts = [f"the {plural(len(ids), c.value + ' action')} ({', '.join(ids)}), which "
             f"{'reports' if len(ids) == 1 else 'report'} {when[c]}"
             for c, ids in by_cadence.items()]
    return (f"The plan has {plural(len(plan.actions), 'action')}; this report leaves out "
            + "; and ".join(parts) + ".")


def _covered_phrase(cadences: frozenset[Cadence]) -> str:
    words = [c.value for c in (Cadence.QUARTERLY, Cadence.SIX_MONTHLY, Cadence.ANNUAL)
             if c in cadences]
    return and_list(words)


# Bodies a paper names without "the": "Cabinet notes", not "the Cabinet notes".
_NO_ARTICLE = ("cabinet", "council", "executive")


def meeting_body(name: str) -> str:
    """Give a committee's name as a sentence uses it: "Cabinet", "the Scrutiny Commission"."""
    if not name or name.lower().startswith(_NO_ARTICLE) or name.lower().startswith("the "):
        return name or "the Committee"
    return f"the {name}"


def _scrutiny(name: str) -> bool:
    return any(word in name.lower() for word in ("scrutiny", "overview", "select", "audit"))


def purpose(settings: Settings, covered: Period, paper: Paper) -> tuple[str, ...]:
    body = meeting_body(settings.committee_for(paper).name)
    return (f"To report progress on the {settings.plan_title} for {covered.description}, "
            f"leading with the actions whose delivery needs {body}'s attention.",)


def reasons(settings: Settings, paper: Paper) -> tuple[str, ...]:
    name = settings.committee_for(paper).name
    body = meeting_body(name)
    role = ("holds the services that lead each action to account" if _scrutiny(name) else
            "can direct resources where they are needed")
    return (f"{body[0].upper()}{body[1:]} monitors the delivery of the {settings.plan_title}. "
            f"Noting progress, and asking for more where delivery is at risk, means it {role}.",)


def background(settings: Settings, plan: Plan, merged: Merged,
                quarters: bool) -> tuple[str, ...]:
    paper, period = merged.paper, merged.period
    themes = plural(len(plan.priorities), settings.grouping.one, settings.grouping.many)
    left_out = _not_covered(plan, merged)
    halves = (" It shows each action's status in each quarter of the half year."
              if quarters else "")
    return (
        f"The {settings.plan_title} sets out {plural(len(plan.actions), 'action')} under "
        f"{themes}. Each quarter every service area that leads an action sends a return "
        "giving the action's status, a progress update and any revised date; the returns "
        "are checked against the plan, and this paper is prepared directly from them.",
        f"This {paper.value} report covers the "
        f"{_covered_phrase(cadences_covered(paper, period))} actions of the plan: "
        f"{plural(len(merged.progress), 'action')} in all.{halves}",
    ) + ((left_out,) if left_out else ())


def background_papers(settings: Settings, period: Period, paper: Paper) -> tuple[str, ...]:
    if settings.background_papers:
        return settings.background_papers
    holder = re.sub(r"^the\s+", "", settings.committee_for(paper).report_of, flags=re.I)
    return (settings.plan_title,
            f"The service areas' returns for {period.label}, held by the "
            f"{holder or 'policy team'}")


def recommendation(settings: Settings, merged: Merged, covered: Period,
                    exceptions: tuple[ExceptionLine, ...], section: str) -> str:
    name = settings.committee_for(merged.paper).name
    considered = (f"considers the {plural(len(exceptions), 'action')} with delivery "
                  f"exceptions set out in section {section}, " if exceptions else "")
    asks = ("identifies any action it wishes to scrutinise further" if _scrutiny(name) else
            "identifies any action on which it wants a further report from the lead service")
    return (
        f"That {meeting_body(name)} notes the progress made on the {settings.plan_title} in "
        f"{covered.description}, {considered}and {asks}."
    )


def alternative_options(settings: Settings, paper: Paper) -> tuple[str, ...]:
    """The alternative options considered: the council's words, else those of a report to
    note."""
    if settings.alternative_options:
        return (settings.alternative_options,)
    body = meeting_body(settings.committee_for(paper).name)
    return (f"None. This report asks {body} to note progress and makes no decision, so "
            "there are no alternative options to consider. Not reporting progress would "
            f"leave {body} unable to monitor the delivery of the {settings.plan_title}.",)


def consultation(settings: Settings, period: Period, returns_section: str) -> tuple[str, ...]:
    """Who was consulted: the council's words, else the returns this report rests on."""
    if settings.consultation:
        return (settings.consultation,)
    return (f"Each service area leading an action in the plan was asked for its return for "
            f"{period.label}; section {returns_section} shows which were received. As a "
            "report for noting, it needed no wider consultation.",)


# Who the statutory officers are, as a report names them.
FINANCE_OFFICER = "Chief Finance Officer (Section 151 Officer)"
MONITORING_OFFICER = "Monitoring Officer"


def standard_statutory_words(settings: Settings) -> Finding | None:
    """STATUTORY_WORDS when the paper gives a statutory officer standard words, not their
    own (`[statutory_officers]` unset): the policy officer is told in the data-quality note,
    before the paper goes out under the officers' titles."""
    standard = [officer for officer, own in ((FINANCE_OFFICER, settings.finance_comments),
                                             (MONITORING_OFFICER, settings.monitoring_comments))
                if not own]
    if not standard:
        return None
    where = settings.source.name if settings.source else "reporting.toml"
    return Finding(codes.STATUTORY_WORDS, "", "", (
        f"The paper gives the {and_list(standard)} standard words for a report to note, not "
        f"comments of their own: [statutory_officers] in {where} sets none. Ask "
        f"{'them' if len(standard) > 1 else 'the officer'} before the paper is published, "
        "and set finance or monitoring."), file=where, cell="[statutory_officers]")


def statutory_comments(settings: Settings) -> tuple[tuple[str, str], ...]:
    """The statutory officers' comments, (officer, words): the council's words, else the
    standard words for a report to note, which ask them to confirm nothing."""
    return (
        (FINANCE_OFFICER, settings.finance_comments or
         "This report is for noting. It asks for no spending and no change to the budget; "
         "any financial implications are set out in the implications section."),
        (MONITORING_OFFICER, settings.monitoring_comments or
         "This report is for noting and makes no decision, so it raises no legal matters "
         "beyond those set out in the implications section."),
    )
