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
from prefect.events.schemas.deployment_triggers import DeploymentTriggerTypes
from prefect.schedules import Cron, Interval
from pydantic import TypeAdapter

from flows.intake_check import intake_check
from flows.notify import notify_policy_officer
from flows.reminders import reminders
from flows.scrutiny_report import scrutiny_report
from reporting.automation import deployments as planned
from reporting.installation import InstalledPlan
from reporting.settings import load_settings

FLOWS = {"scrutiny-report": scrutiny_report, "intake-check": intake_check,
         "reminders": reminders, "notify-policy-officer": notify_policy_officer}
_TRIGGERS = TypeAdapter(list[DeploymentTriggerTypes])


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
        return Cron(schedule.cron, timezone=schedule.timezone, day_or=schedule.day_or)
    zone = ZoneInfo(schedule.timezone)
    return Interval(timedelta(seconds=schedule.interval_seconds), timezone=schedule.timezone,
                    anchor_date=datetime.fromisoformat(planned.INTERVAL_ANCHOR)
                    .replace(tzinfo=zone))


def _deployment(deployment: planned.Deployment, versions: dict[str, str],
                parameters: dict) -> RunnerDeployment:
    return FLOWS[deployment.flow].to_deployment(
        deployment.name,
        schedules=[_schedule(deployment.schedule)] if deployment.schedule else None,
        parameters=parameters, tags=list(deployment.tags),
        description=deployment.description, version=versions[deployment.flow],
        # Prefect makes each trigger an automation owned by the deployment, its id filled in.
        triggers=_TRIGGERS.validate_python(list(deployment.triggers)) or None,
        # The runs import the installed `flows` package by module path.
        entrypoint_type=EntrypointType.MODULE_PATH)


def deployments(plans: Path | list[InstalledPlan]) -> list[RunnerDeployment]:
    """Give every plan's deployments and the installation's notify deployment; a settings
    file alone is a single-plan installation."""
    if isinstance(plans, (str, Path)):
        plans = [InstalledPlan(None, Path(plans))]
    made, versions = [], parameter_versions()
    for plan in plans:
        config = Path(plan.settings).resolve()
        for deployment in planned.deployments_of(plan, load_settings(config)):
            # The settings file by its full path, so `reporting serve` works from any folder.
            made.append(_deployment(deployment, versions,
                                    {**deployment.parameters, "config": str(config)}))
    notify = planned.notify_deployment()
    made.append(_deployment(notify, versions, dict(notify.parameters)))
    return made


def serve_deployments(plans: Path | list[InstalledPlan]) -> None:
    """Serve the deployments against the Prefect API in the environment until stopped."""
    # Schedules stay active when this process stops: a run missed while it was down is
    # picked up, late, when it starts again.
    serve(*deployments(plans), pause_on_shutdown=False)
