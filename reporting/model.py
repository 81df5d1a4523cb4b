"""The ReportModel: everything a committee member reads, already decided and worded.

Both documents (HTML/PDF and Word) are views of one ReportModel: they lay it out and never
work out a status, a count or a flag themselves. Every string here is final text.
"""

from __future__ import annotations

from dataclasses import dataclass

from reporting.status import Status

# Section headings, in the order UK scrutiny papers use. Both renderers take them from here.
HEADINGS = {
    "purpose": "1. Purpose of the report",
    "recommendation": "2. Recommendation",
    "summary": "3. Summary of progress",
    "exceptions": "4. Exceptions requiring attention",
    "returns": "5. Returns received and missing",
    "actions": "6. Progress on each action",
    "status_key": "Appendix: status key",
}


@dataclass(frozen=True)
class FrontSheet:
    """The front sheet: who the paper is for, from whom, and when."""

    council: str
    committee: str
    meeting_date: str  # "14 November 2022" or "To be confirmed"
    report_title: str
    period: str  # "2022/23 Q2 (July to September 2022)"
    report_author: str
    author_contact: str
    lead_member: str
    date_of_report: str

    def rows(self) -> tuple[tuple[str, str], ...]:
        """The front sheet as (label, value) rows, in reading order."""
        return (
            ("Committee", self.committee),
            ("Date of meeting", self.meeting_date),
            ("Title", self.report_title),
            ("Period covered", self.period),
            ("Lead member", self.lead_member or "Not stated"),
            ("Report author", self.report_author),
            ("Contact", self.author_contact or "Not stated"),
            ("Date of report", self.date_of_report),
        )


@dataclass(frozen=True)
class StatusCount:
    status: Status
    count: int


@dataclass(frozen=True)
class PrioritySummary:
    """Counts of covered actions by status for one priority (order of `ReportModel.status_columns`)."""

    heading: str
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class ExceptionLine:
    """One flag as the committee reads it; most severe first."""

    code: str
    severity: str  # "High", "Medium", "Low"
    action_id: str  # "" when the flag is about a whole return
    service_area: str
    message: str
    source: str  # "Regulatory Services.xlsx, Return!D12" or "Plan, Actions row 7"


@dataclass(frozen=True)
class ReturnLine:
    """Whether one service area's return came in, and what it gave."""

    service_area: str
    received: str  # "Received" or "Missing"
    file: str
    completed_by: str
    approved_by: str
    date_completed: str
    actions_covered: int
    actions_updated: int
    outstanding: str  # action IDs with no usable update, "None" when all are in


@dataclass(frozen=True)
class ActionEntry:
    """One covered action with this period's progress."""

    id: str
    objective: str
    what_we_will_do: str
    lead: str
    partners: str
    cadence: str
    due_date: str
    revised_date: str  # "" when not revised
    milestones: tuple[str, ...]
    target: str
    status: Status
    progress_update: str
    next_steps: str
    flags: tuple[str, ...]  # flag codes raised on this action

    @property
    def status_word(self) -> str:
        return self.status.value


@dataclass(frozen=True)
class PrioritySection:
    heading: str
    actions: tuple[ActionEntry, ...]


@dataclass(frozen=True)
class ReportModel:
    """Everything the report says, in reading order."""

    title: str  # "Health & Wellbeing Action Plan 2022/23: quarterly progress report"
    running_title: str  # short title for page headers
    cadence: str  # "quarterly" or "six-monthly"
    period_label: str  # "2022/23 Q2"
    front: FrontSheet
    purpose: tuple[str, ...]  # paragraphs
    recommendation: str
    summary: tuple[str, ...]  # paragraphs that lead the summary
    status_columns: tuple[Status, ...]
    overall: tuple[StatusCount, ...]
    by_priority: tuple[PrioritySummary, ...]
    exceptions_intro: str
    exceptions: tuple[ExceptionLine, ...]
    returns_intro: str
    returns: tuple[ReturnLine, ...]
    sections: tuple[PrioritySection, ...]
    status_key: tuple[tuple[str, str], ...]  # (status word, meaning)
    generated: str  # "Produced 26 November 2026 10:04 from 7 returns"

    @property
    def headings(self) -> dict[str, str]:
        return HEADINGS

    @property
    def total_actions(self) -> int:
        return sum(c.count for c in self.overall)
