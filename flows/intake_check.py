"""The intake check: every few minutes while returns are being collected, read what has been
dropped into the period's returns folder and refresh the chase list.

A scheduled check between collection rounds does nothing and says so.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.artifact_keys import artifact_key, plan_key
from flows.parameters import PeriodParameter, PlanName
from flows.run_names import intake_run_name, run_time
from reporting import pipeline
from reporting.automation.chase import Chase, chase_csv, chase_list, chase_rows
from reporting.automation.schedule import local_date, period_open_for_returns
from reporting.installation import settings_path
from reporting.layout import OutputLayout
from reporting.period import Period
from reporting.publish import write_atomic
from reporting.render.receipts import write_receipts
from reporting.settings import Settings, load_settings
from reporting.wording import markdown_rows
from reporting.working_days import returns_deadline

read_period = task(pipeline.read_period, cache_policy=NO_CACHE, retries=2,
                   retry_delay_seconds=[2, 5])


@task(cache_policy=NO_CACHE)
def write_chase_list(path: Path, chases: list[Chase]) -> Path:
    return write_atomic(path, chase_csv(chases))


def refresh_chase_list(settings: Settings, period: Period, today: date, inputs: Path,
                       layout: OutputLayout, plan: str) -> list[Chase]:
    """Read the period's returns, write their receipts and the chase list; give the chase list.

    `plan` is the plan's part of the artifact's key (`flows.artifact_keys.plan_key`).
    """
    read = read_period(settings, period, inputs)
    check = pipeline.check_period(read.plan, read.returns, read.previous_returns, period,
                                  settings.intake)
    write_receipts(list(check.receipts), layout.receipts(period))
    deadline = returns_deadline(period, settings.schedule.returns_deadline_working_days,
                                settings.schedule.bank_holidays)
    chases = chase_list(read.plan, list(read.returns), period, deadline, today, settings)
    path = write_chase_list(layout.chase_list(period), chases)
    create_table_artifact(
        key=artifact_key("chase-list", plan, period.path),
        table=markdown_rows(chase_rows(chases)),
        description=f"Returns still missing for {period.label} on {today:%d %B %Y} "
                    f"(deadline {deadline:%d %B %Y})",
    )
    get_run_logger().info("%d returns read for %s; %d service areas to chase; wrote %s",
                          len(read.returns), period.label, len(chases), path)
    return chases


@flow(name="intake-check", log_prints=True, flow_run_name=intake_run_name)
def intake_check(
    period: PeriodParameter | None = None,
    inputs: Path | None = None,
    outputs: Path | None = None,
    config: Path | None = None,
    plan: PlanName | None = None,
    at: datetime | None = None,
) -> str | None:
    """Refresh the chase list of the period open for returns; give its path (None when none is open).

    Args:
        period: The period whose returns are checked, e.g. 2022/23 Q2. Empty for the
            period open for returns at the run's time (none between collection rounds).
        inputs: The folder holding plan/ and returns/ (default: the settings' [paths]).
        outputs: The folder the receipts and the chase list are written under (default:
            the settings').
        config: The settings file (reporting.toml); wins over `plan`.
        plan: A plan of an installation with several: plans/NAME/reporting.toml in the
            working folder.
        at: The date or time the run stands for (default: its scheduled time, else now);
            without a time zone, the plan's.
    """
    settings = load_settings(settings_path(plan, config))
    schedule = settings.schedule
    when = run_time(at, schedule.zone)
    if period is None:
        period = period_open_for_returns(
            when, schedule.zone, schedule.returns_deadline_working_days,
            schedule.cron(schedule.quarterly_cron), schedule.bank_holidays)
        if period is None:
            get_run_logger().info("No period is open for returns on %s: nothing to check.",
                                  f"{local_date(when, schedule.zone):%d %B %Y}")
            return None
    layout = OutputLayout(outputs or settings.outputs)
    refresh_chase_list(settings, period, local_date(when, schedule.zone),
                       inputs or settings.inputs, layout, plan_key(plan, settings))
    return str(layout.chase_list(period))

