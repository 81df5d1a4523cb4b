"""The time a run stands for (`run_time`), whether it is a deployment's
(`on_a_deployment`), and runs named as a performance team looks for
them in the Prefect UI, not Prefect's random two words: "Corporate Plan 2024-28:
six-monthly, 2022/23 Q2", "Corporate Plan 2024-28: intake check, 15 Oct 2022". Each name is
given to its flow as `flow_run_name`.
"""

from __future__ import annotations

from datetime import datetime
from functools import wraps
from zoneinfo import ZoneInfo

from prefect.context import FlowRunContext
from prefect.runtime import flow_run

from reporting.automation.run_period import choose_period, report_cron
from reporting.cadence import Paper
from reporting.installation import settings_path
from reporting.period import Period
from reporting.settings import Settings, load_settings


def _settings() -> Settings | None:
    parameters = flow_run.parameters
    try:
        return load_settings(settings_path(parameters.get("plan"), parameters.get("config")))
    except Exception:  # a broken settings file: the run itself reports why, with the file
        return None


def run_time(at: datetime | None, zone: ZoneInfo | None) -> datetime:
    """Give the time a run stands for: `at` (in `zone` when it has none), else its scheduled
    time, else now."""
    if at is not None:
        return at if at.tzinfo else at.replace(tzinfo=zone)
    return flow_run.scheduled_start_time or datetime.now(zone)


def on_a_deployment() -> bool:
    """Tell whether this run is a deployment's (scheduled, or a Quick or custom run from the
    UI or API), with nobody at a terminal, rather than a person's `reporting run`."""
    context = FlowRunContext.get()
    return bool(context and context.flow_run and context.flow_run.deployment_id)


def _when(settings: Settings | None) -> datetime:
    """The time the run stands for, in its plan's time zone where the settings read."""
    zone = settings.schedule.zone if settings else None
    when = run_time(flow_run.parameters.get("at"), zone)
    return when.astimezone(zone) if zone and when.tzinfo else when


def _period() -> str | None:
    """The period the run was given, as people write it."""
    period = flow_run.parameters.get("period")
    return period.label if isinstance(period, Period) else period


def _named(fallback: str):
    """A run's name never fails the run: with parameters Prefect refused (the run fails
    saying why), the name is `fallback`."""
    def decorate(name):
        @wraps(name)
        def safely() -> str:
            try:
                return name()
            except Exception:  # noqa: BLE001
                return fallback
        return safely
    return decorate


@_named("Scrutiny report")
def report_run_name() -> str:
    """A report run by its plan, paper and period; a scheduled run by the period its
    scheduled time reports on."""
    settings = _settings()
    given = flow_run.parameters.get("cadence", Paper.QUARTERLY.value)  # the paper, by name
    period = _period()
    if not period and settings:  # chosen as the run will choose it
        schedule, paper = settings.schedule, Paper(given)
        period = choose_period(paper, settings.inputs / "returns", _when(settings),
                               schedule.zone, report_cron(schedule, paper)).period.label
    title = settings.plan_title if settings else "Scrutiny report"
    return f"{title}: {given}, {period or 'scheduled period'}"


def _dated(what: str) -> str:
    settings = _settings()
    title = settings.plan_title if settings else "Scrutiny reporting"
    return f"{title}: {what}, {_period() or f'{_when(settings):%d %b %Y}'}"


@_named("Intake check")
def intake_run_name() -> str:
    return _dated("intake check")


@_named("Reminders")
def reminders_run_name() -> str:
    return _dated("reminders")
