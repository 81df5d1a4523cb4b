"""The scheduled deployments of an installation, said once, without Prefect.

Each plan has four: its quarterly and six-monthly reports, the intake check and the
reminders, with the schedules and time zone of its `[schedule]` settings. `reporting serve`
serves them (`flows/deployments.py`) and `reporting prefect-yaml` writes them into
`prefect.yaml` for a Prefect server with work pools; both are built from this list, so
they cannot drift.

A plan of several (plans/NAME/) has its deployments named after it ("corporate-quarterly-
report"), takes its name as the `plan` parameter and is tagged "plan:corporate"; the plan of
a single-plan installation keeps the plain names ("quarterly-report").

An installation has one more, whatever its plans: the notify deployment, with no schedule,
run by its own triggers (deploy/automations/notify-failed-runs.yaml) when a run of the other
flows fails, crashes or is stuck. One serves every plan because the run it is given names
its plan itself (its `plan` or `config` parameter), as the run found its settings; one per
plan would need as many automations, each told apart by a tag the plan at the top of a
single-plan installation does not carry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reporting.installation import InstalledPlan
from reporting.settings import Settings

QUARTERLY, SIX_MONTHLY, INTAKE, REMINDERS = (
    "quarterly-report", "six-monthly-report", "intake-check", "reminders")
NOTIFY = "notify-policy-officer"
# The notify deployment's triggers, said once for `reporting serve` and prefect.yaml.
AUTOMATIONS = Path(__file__).resolve().parents[2] / "deploy" / "automations"
NOTIFY_TRIGGERS = AUTOMATIONS / "notify-failed-runs.yaml"
# The server's automation marking Crashed a run whose heartbeats stopped.
CRASH_AUTOMATION = AUTOMATIONS / "crash-unresponsive-runs.yaml"

# The flows, by their Prefect names and module paths: a worker imports the installed
# `flows` package, so the installation folder need not hold the code.
FLOWS = {
    "scrutiny-report": "flows.scrutiny_report.scrutiny_report",
    "intake-check": "flows.intake_check.intake_check",
    "reminders": "flows.reminders.reminders",
    "notify-policy-officer": "flows.notify.notify_policy_officer",
}
# The intake check's interval is counted from here, in the schedule's time zone.
INTERVAL_ANCHOR = "2022-04-01T00:00:00"


@dataclass(frozen=True)
class Schedule:
    """A cron string or an interval in seconds, in a time zone."""

    timezone: str
    cron: str | None = None
    interval_seconds: int | None = None
    day_or: bool = True  # Prefect's: false, a cron's two day fields must both match


@dataclass(frozen=True)
class Deployment:
    name: str
    flow: str  # the flow's Prefect name, a key of FLOWS
    description: str
    tags: tuple[str, ...]
    schedule: Schedule | None  # None: run only when asked (the notify deployment)
    # What the run is given; `plan` for a plan of several, `config` (relative to the
    # installation) for the plan at the top.
    parameters: dict = field(default_factory=dict)
    # Automations that run it, in the form prefect.yaml's `triggers:` takes.
    triggers: tuple[dict, ...] = ()

    @property
    def entrypoint(self) -> str:
        return FLOWS[self.flow]


def deployments_of(plan: InstalledPlan, settings: Settings) -> list[Deployment]:
    """The four deployments of one plan."""
    schedule = settings.schedule
    zone = schedule.timezone
    prefix = f"{plan.name}-" if plan.name else ""
    which = {"plan": plan.name} if plan.name else {"config": plan.settings.name}
    tags = plan.tags

    def on(cron: str) -> Schedule:
        return Schedule(zone, cron=cron, day_or=schedule.day_or)

    return [
        Deployment(
            prefix + QUARTERLY, "scrutiny-report",
            "The quarterly scrutiny report on the last quarter that ended.",
            ("report", *tags), on(schedule.quarterly_cron),
            {**which, "cadence": "quarterly"}),
        Deployment(
            prefix + SIX_MONTHLY, "scrutiny-report",
            "The six-monthly scrutiny report on the last half-year that ended.",
            ("report", *tags), on(schedule.six_monthly_cron),
            {**which, "cadence": "six-monthly"}),
        Deployment(
            prefix + INTAKE, "intake-check",
            "Reads dropped returns and refreshes the chase list while a period is open "
            "for returns.",
            ("intake", *tags),
            Schedule(zone, interval_seconds=schedule.intake_check_minutes * 60), which),
        Deployment(
            prefix + REMINDERS, "reminders",
            "Reminds service leads whose return is missing, before and after the deadline.",
            ("chasing", *tags), on(schedule.reminders_cron), which),
    ]


def crash_automation() -> dict:
    """The automation deploy/automations/crash-unresponsive-runs.yaml declares."""
    return yaml.safe_load(CRASH_AUTOMATION.read_text(encoding="utf-8"))


def notify_triggers() -> tuple[dict, ...]:
    """The notify deployment's triggers, as deploy/automations/notify-failed-runs.yaml says."""
    return tuple(yaml.safe_load(NOTIFY_TRIGGERS.read_text(encoding="utf-8"))["triggers"])


def notify_deployment() -> Deployment:
    """The installation's one notify deployment: unscheduled, run by its triggers."""
    return Deployment(
        NOTIFY, "notify-policy-officer",
        "Mails [email] policy_officer that a run failed, crashed or is stuck (run by its "
        "automations, given the run's id).",
        ("notify",), None, {}, notify_triggers())
