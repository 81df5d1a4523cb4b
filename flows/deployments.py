"""The scheduled deployments (`reporting.automation.deployments`) as Prefect's, and serving
them in one process. `prefect.yaml`, for a Prefect server with work pools, is written from
the same list by `reporting prefect-yaml`, with the same versions (`parameter_versions`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.events.schemas.deployment_triggers import DeploymentTriggerTypes
from prefect.schedules import Cron, Interval
from pydantic import TypeAdapter

from flows.intake_check import intake_check
from flows.notify import NOTIFY_FLOW, notify_policy_officer
from flows.stopping import StoppingRunner, notices_to_make_again, serve_until_stopped
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


def ensure_crash_automation() -> str:
    """Create on the Prefect server the automation that marks Crashed a run whose heartbeats
    stopped (deploy/automations/crash-unresponsive-runs.yaml), unless one of its name is
    there; give what was done, in words."""
    from prefect.client.orchestration import get_client
    from prefect.events.schemas.automations import AutomationCore

    automation = AutomationCore.model_validate(planned.crash_automation())
    with get_client(sync_client=True) as client:
        if client.read_automations_by_name(automation.name):
            return f"The server has the automation {automation.name!r}."
        client.create_automation(automation)
    return f"Created the automation {automation.name!r} on the server."


def serve_deployments(plans: Path | list[InstalledPlan], server_pid: int | None = None,
                      say: Callable[[str], None] = print) -> None:
    """Serve the deployments against the Prefect API in the environment until Ctrl-C,
    SIGTERM or SIGHUP; then end and record the runs in progress (`flows.stopping`).
    `server_pid` is the local server's process, left running for the caller to stop."""
    # Schedules stay active when this process stops: a run missed while it was down is
    # picked up, late, when it starts again.
    runner = StoppingRunner(pause_on_shutdown=False)
    made = deployments(plans)
    say(ensure_crash_automation())
    ids = [runner.add_deployment(deployment) for deployment in made]
    notify = next((i for d, i in zip(made, ids) if d.flow_name == NOTIFY_FLOW), None)
    again = notices_to_make_again(notify) if notify is not None else []
    if again:
        say(f"Made again {len(again)} notice run(s) that a stop ended before they told the "
            "policy officer (each sends its notice unless the record has it as sent, or as "
            "perhaps sent: then `reporting mail` lists it), of: " + ", ".join(str(run.parameters.get("flow_run"))
                                               for run in again) + ".")
    say("Serving. Ctrl-C (or SIGTERM) stops it: a run in progress is cancelled, and the "
        "policy officer told.")
    serve_until_stopped(runner, ids, notify, server_pid, say)
