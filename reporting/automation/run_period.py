"""Which period a run given no period reports on, and whether a paper can be made on it.

The one choice of a run's period, for `reporting run` with no `--period` and for a flow
run with none (a scheduled run, or the UI's Quick run of a deployment). A paper goes to
committee members, so a period that has not ended, or whose returns are not in, is named
with the reason instead of being reported on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from reporting.automation.schedule import local_date, period_reported_on
from reporting.cadence import Paper, papers_on
from reporting.cron import Cron
from reporting.intake.files import candidate_files
from reporting.intake.returns import Return, for_period, latest_period_with_returns
from reporting.layout import OutputLayout
from reporting.period import Period
from reporting.settings import ScheduleSettings
from reporting.wording import long_date


@dataclass(frozen=True)
class PeriodChoice:
    """The period a run takes, how it was chosen, and why no paper can be made on it ("" when
    one can)."""

    period: Period | None
    chosen_as: str
    why_not: str = ""

    @property
    def ok(self) -> bool:
        return self.period is not None and not self.why_not

    def __str__(self) -> str:
        if self.period is None:
            return self.why_not
        said = f"{self.period.label} ({self.chosen_as})"
        return f"{said}: no paper, because {self.why_not}" if self.why_not else said


def _not_ended(period: Period, today: date) -> str:
    """Say that `period` has not ended by `today` ("" when it has)."""
    if period.end >= today:
        return f"{period.label} has not ended (it ends on {long_date(period.end)})"
    return ""


def _why_not(period: Period, returns_root: Path, today: date) -> str:
    """Say why no paper can be made on `period` on `today` yet ("" when one can)."""
    if not_ended := _not_ended(period, today):
        return not_ended
    folder = Path(returns_root) / period.path
    if not folder.is_dir():
        return f"it has no returns folder ({folder})"
    if not candidate_files(folder):
        return f"no returns are in {folder}"
    return ""


def report_cron(schedule: ScheduleSettings, paper: Paper) -> Cron:
    """Give the cron of the deployment making `paper`."""
    return schedule.cron(schedule.six_monthly_cron if paper is Paper.SIX_MONTHLY
                         else schedule.quarterly_cron)


def choose_period(paper: Paper, returns_root: Path, now: datetime, zone: ZoneInfo,
                  cron: Cron | None = None) -> PeriodChoice:
    """Give the period a run at `now` with no period given reports on, and whether it can.

    With the `cron` of the run's deployment (a scheduled or Quick run), the period its
    latest scheduled time at or before `now` reports on: a Quick run on 5 January takes the
    October run's quarter, not the one that ended days ago with its returns still to come.
    Without one (a person at a terminal), the latest period with a returns folder under
    `returns_root`. Either way, a period that has not ended, or has no returns folder, or
    no returns in it, is given with the reason no paper can be made.
    """
    today = local_date(now, zone)
    if cron is not None:
        fired = cron.last_run(now, zone)
        when = fired or now
        period = period_reported_on(paper, when, zone)
        chosen_as = (f"the period the {paper.value} schedule's run of "
                     f"{long_date(local_date(when, zone))} reports on")
    else:
        period = latest_period_with_returns(returns_root)
        if period is None:
            return PeriodChoice(None, "", f"no period folder under {returns_root}; "
                                          "give --period")
        chosen_as = f"the latest period with a folder under {returns_root}"
    return PeriodChoice(period, chosen_as, _why_not(period, returns_root, today))


def usable_returns(returns: tuple[Return, ...] | list[Return]) -> list[Return]:
    """Give the returns a paper can be made from: read whole, not left settling."""
    return [r for r in returns if r.usable and not r.settling]


def no_paper_reason(period: Period, returns: tuple[Return, ...] | list[Return],
                    returns_root: Path, today: date | None = None) -> str:
    """Say why no paper goes to members on `period` with these returns ("" when one can).

    None on a period that has not ended by `today`, whatever its folder holds (a mistyped
    --period or folder name); none when every usable return says in its Period that it is
    another period's (copies in the wrong folder); one return that says so is only flagged.
    """
    if today is not None and (not_ended := _not_ended(period, today)):
        return f"{not_ended}: a paper reports on a period that is over"
    folder = Path(returns_root) / period.path
    usable = usable_returns(returns)
    said = [r.period for r in usable]
    if usable and all(p is not None and not for_period(p, period) for p in said):
        others = ", ".join(sorted({p.label for p in said}))
        return (f"every return in {folder} says it is for another period ({others}), not "
                f"{period.label}: check the folder and the returns' Period")
    if usable:
        return ""
    if not folder.is_dir():
        return f"{period.label} has no returns folder ({folder})"
    if not returns:
        return f"no returns are in {folder}"
    return (f"none of the {len(returns)} files in {folder} could be used "
            "(see their receipts)")


def other_papers_due(layout: OutputLayout, period: Period, paper: Paper,
                     plan: str | None) -> list[str]:
    """Say, of each other paper of `period` not yet published under `layout`, that it is due,
    with the command that makes it (none once it is published: a run of it would send
    nothing new, and the receipts say when it shows an earlier copy of a return)."""
    from reporting.automation.mail import run_command  # here: `reporting check` needs no SMTP

    return [f"The {other.value} paper is due for {period.label} too: "
            f"{run_command(plan, period, other)}"
            for other in papers_on(period)
            if other is not paper and not layout.manifest(period, other).is_file()]
