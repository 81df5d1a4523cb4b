"""The scheduled deployments (`reporting.automation.deployments`) as Prefect's, and serving
them in one process. `prefect.yaml`, for a Prefect server with work pools, is written from
the same list by `reporting prefect-yaml`, with the same versions (`parameter_versions`).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import serve
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron, Interval

from flows.intake_check import intake_check
from flows.reminders import reminders
from flows.scrutiny_report import scrutiny_report
from reporting.automation import deployments as planned
from reporting.installation import InstalledPlan
from reporting.settings import load_settings

FLOWS = {"scrutiny-report": scrutiny_report, "intake-check": intake_check,
         "reminders": reminders}


def parameter_versions() -> dict[str, str]:
    """Each flow's deployments' version, by the flow's name: a hash of the parameter schema
    Prefect builds from its signature and docstring (the UI form, and what the server
    validates a run's parameters against). A change to a flow's parameters changes it, so
    prefect.yaml changes with it and says that the deployments need deploying again."""
    versions = {}
    for name, flow in FLOWS.items():
        schema = json.dumps(flow.parameters.model_dump_for_openapi(), sort_keys=True)
        versions[name] = "parameters-" + hashlib.sha256(schema.encode()).hexdigest()[:12]
    return versions


def _schedule(schedule: planned.Schedule) -> Cron | Interval:
    if schedule.cron:
        return Cron(schedule.cron, timezone=schedule.timezone)
    zone = ZoneInfo(schedule.timezone)
    return Interval(timedelta(seconds=schedule.interval_seconds), timezone=schedule.timezone,
                    anchor_date=datetime.fromisoformat(planned.INTERVAL_ANCHOR)
                    .replace(tzinfo=zone))


def deployments(plans: Path | list[InstalledPlan]) -> list[RunnerDeployment]:
    """Give every plan's deployments; a settings file alone is a single-plan installation."""
    if isinstance(plans, (str, Path)):
        plans = [InstalledPlan(None, Path(plans))]
    made, versions = [], parameter_versions()
    for plan in plans:
        config = Path(plan.settings).resolve()
        for deployment in planned.deployments_of(plan, load_settings(config)):
            made.append(FLOWS[deployment.flow].to_deployment(
                deployment.name, schedules=[_schedule(deployment.schedule)],
                # The settings file by its full path, so `reporting serve` works from any
                # folder; the runs import the installed `flows` package by module path.
                parameters={**deployment.parameters, "config": str(config)},
                tags=list(deployment.tags), description=deployment.description,
                version=versions[deployment.flow],
                entrypoint_type=EntrypointType.MODULE_PATH))
    return made


def serve_deployments(plans: Path | list[InstalledPlan]) -> None:
    """Serve the deployments against the Prefect API in the environment until stopped."""
    # Schedules stay active when this process stops: a run missed while it was down is
    # picked up, late, when it starts again.
    serve(*deployments(plans), pause_on_shutdown=False)
