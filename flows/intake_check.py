"""The intake check: every few minutes while returns are being collected, read what has been
dropped into the period's returns folder and refresh the chase list.

A scheduled check between collection rounds does nothing and says so.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.scrutiny_report import load_plan, read_returns
from reporting.automation_settings import AutomationSettings, load_automation_settings
from reporting.automation.chase import CHASE_LIST_NAME, Chase, chase_csv, chase_list, chase_rows
from reporting.config import DEFAULT_CONFIG_NAME, load_settings
from reporting.intake.files import load_intake_settings
from reporting.period import Period
from reporting.publish import write_atomic
from reporting.report.receipts import write_receipts
from reporting.automation.schedule import Cron, local_date, period_open_for_returns, returns_deadline


@task(cache_policy=NO_CACHE)
def write_chase_list(folder: Path, chases: list[Chase]) -> Path:
    return write_atomic(folder / CHASE_LIST_NAME, chase_csv(chases))


def refresh_chase_list(period: Period, today: date, inputs: Path, outputs: Path,
                       config: Path, automation: AutomationSettings) -> list[Chase]:
    """Read the period's returns, write its chase list and show it; give the chase list."""
    settings = load_settings(config)
    plan = load_plan(inputs / "plan", settings)
    returns = read_returns(inputs / "returns" / period.path, load_intake_settings(config))
    write_receipts(returns, outputs / period.path / "receipts",
                   previous=read_returns(inputs / "returns" / period.previous().path))
    deadline = returns_deadline(period, automation.schedule.returns_deadline_working_days)
    chases = chase_list(plan, returns, period, deadline, today, automation)
    path = write_chase_list(outputs / period.path, chases)
    create_table_artifact(
        key=f"chase-list-{period.path.lower()}",
        table=chase_rows(chases),
        description=f"Returns still missing for {period.label} on {today:%d %B %Y} "
                    f"(deadline {deadline:%d %B %Y})",
    )
    get_run_logger().info("%d returns read for %s; %d service areas to chase; wrote %s",
                          len(returns), period.label, len(chases), path)
    return chases


@flow(name="intake-check", log_prints=True)
def intake_check(
    period: str | None = None,
    inputs: str | None = None,
    outputs: str | None = None,
    config: str | None = None,
    at: str | None = None,
) -> str | None:
    """Refresh the chase list of the period open for returns; give its path (None when none is open).

    `at` (an ISO date or time) stands in for the run's scheduled time; `period` names the
    period outright.
    """
    config_path = Path(config) if config else Path(DEFAULT_CONFIG_NAME)
    settings = load_settings(config_path)
    automation = load_automation_settings(config_path)
    zone = automation.schedule.zone
    when = run_time(at, zone)
    if period:
        the_period = Period.parse(period)
    else:
        the_period = period_open_for_returns(
            when, zone, automation.schedule.returns_deadline_working_days,
            Cron.parse(automation.schedule.quarterly_cron))
        if the_period is None:
            get_run_logger().info("No period is open for returns on %s: nothing to check.",
                                  f"{local_date(when, zone):%d %B %Y}")
            return None
    outputs_dir = Path(outputs) if outputs else settings.outputs
    refresh_chase_list(the_period, local_date(when, zone),
                       Path(inputs) if inputs else settings.inputs, outputs_dir, config_path,
                       automation)
    return str(outputs_dir / the_period.path / CHASE_LIST_NAME)


def run_time(at: str | None, zone: ZoneInfo) -> datetime:
    """Give the time a run stands for: `at`, else its scheduled time, else now."""
    if at:
        when = datetime.fromisoformat(at)
        return when if when.tzinfo else when.replace(tzinfo=zone)
    return flow_run.scheduled_start_time or datetime.now(zone)
