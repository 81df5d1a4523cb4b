"""The scheduled deployments, built from `reporting.toml`, and serving them in one process.

The same four deployments are declared in `prefect.yaml` for a Prefect server with work
pools; `tests/test_automation.py` keeps the two in step.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import serve
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron, Interval

from flows.intake_check import intake_check
from flows.reminders import reminders
from flows.scrutiny_report import scrutiny_report
from reporting.settings import load_settings

QUARTERLY, SIX_MONTHLY, INTAKE, REMINDERS = (
    "quarterly-report", "six-monthly-report", "intake-check", "reminders")


def deployments(config: Path) -> list[RunnerDeployment]:
    """Give the four deployments, with the schedules and time zone in `config`."""
    config = Path(config).resolve()
    schedule = load_settings(config).schedule
    zone = schedule.timezone
    common = {"config": str(config)}
    # Module paths, not file paths: the runs import the installed `flows` package, so
    # `reporting serve` works from any folder.
    module = {"entrypoint_type": EntrypointType.MODULE_PATH}
    return [
        scrutiny_report.to_deployment(
            QUARTERLY, schedules=[Cron(schedule.quarterly_cron, timezone=zone)],
            parameters={"cadence": "quarterly", **common}, tags=["report"],
            description="The quarterly scrutiny report on the last quarter that ended.",
            **module),
        scrutiny_report.to_deployment(
            SIX_MONTHLY, schedules=[Cron(schedule.six_monthly_cron, timezone=zone)],
            parameters={"cadence": "six-monthly", **common}, tags=["report"],
            description="The six-monthly scrutiny report on the last half-year that ended.",
            **module),
        intake_check.to_deployment(
            INTAKE, schedules=[Interval(timedelta(minutes=schedule.intake_check_minutes),
                                        anchor_date=datetime(2022, 4, 1, tzinfo=ZoneInfo(zone)),
                                        timezone=zone)],
            parameters=common, tags=["intake"],
            description="Reads dropped returns and refreshes the chase list while a period "
                        "is open for returns.",
            **module),
        reminders.to_deployment(
            REMINDERS, schedules=[Cron(schedule.reminders_cron, timezone=zone)],
            parameters=common, tags=["chasing"],
            description="Reminds service leads whose return is missing, before and after "
                        "the deadline.",
            **module),
    ]


def serve_deployments(config: Path) -> None:
    """Serve the deployments against the Prefect API in the environment until stopped."""
    # Schedules stay active when this process stops: a run missed while it was down is
    # picked up, late, when it starts again.
    serve(*deployments(config), pause_on_shutdown=False)
