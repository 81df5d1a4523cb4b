"""`prefect.yaml`, written from the plans' settings for a Prefect server with work pools.

`prefect deploy --all`, run in the installation folder, reads it. It declares the same
deployments `reporting serve` serves (both come from `reporting.automation.deployments`),
and says where a worker finds the installation through the SCRUTINY_REPORTING_HOME
environment variable, so no server's path is written into it.

Each deployment's `version` is given by the caller (`flows.deployments.parameter_versions`,
a hash of its flow's parameter schema): a change to what a flow takes shows as a change
to this file, `reporting prefect-yaml --check` fails until it is written again, and the
deployments are deployed again so that the server's form and validation follow.
"""

from __future__ import annotations

from collections.abc import Mapping

import yaml

from reporting.automation.deployments import (
    INTERVAL_ANCHOR,
    Deployment,
    deployments_of,
    notify_deployment,
)
from reporting.automation.run_environment import RUN_ENVIRONMENT
from reporting.installation import InstalledPlan
from reporting.settings import load_settings

WORK_POOL = "scrutiny"
HOME_VARIABLE = "SCRUTINY_REPORTING_HOME"

HEADER = f"""\
# Written by `reporting prefect-yaml` from the plans' settings: do not edit it by hand;
# change a plan's reporting.toml and run `reporting prefect-yaml` again (a test checks the
# bundled one is in step). For a Prefect server with work pools (see docs/operations.md):
#
#   export {HOME_VARIABLE}=/path/to/this/installation    # here and on every worker
#   prefect work-pool create {WORK_POOL} --type process
#   prefect deploy --all
#   prefect worker start --pool {WORK_POOL}
#
# Deploying also makes the notify deployment's automations (its `triggers`), which mail
# [email] policy_officer when a run fails, crashes or is stuck.
"""


def _schedule(deployment: Deployment) -> dict:
    schedule = deployment.schedule
    if schedule.cron:
        return {"cron": schedule.cron, "timezone": schedule.timezone, "day_or": schedule.day_or}
    return {"interval": schedule.interval_seconds, "anchor_date": INTERVAL_ANCHOR,
            "timezone": schedule.timezone}


def _declared(deployment: Deployment, versions: Mapping[str, str]) -> dict:
    declared = {
        "name": deployment.name,
        "version": versions[deployment.flow],
        "description": deployment.description,
        "entrypoint": deployment.entrypoint,
        "tags": list(deployment.tags),
        "parameters": dict(deployment.parameters),
        "schedules": [_schedule(deployment)] if deployment.schedule else [],
        # A worker's run imports Prefect before the flow: its client settings are given
        # in its environment, not left to whoever starts the worker.
        "work_pool": {"name": WORK_POOL, "work_queue_name": "default",
                      "job_variables": {"env": dict(RUN_ENVIRONMENT)}},
    }
    if deployment.triggers:  # `prefect deploy` makes each an automation running it
        declared["triggers"] = [dict(trigger) for trigger in deployment.triggers]
    return declared


def prefect_yaml(plans: list[InstalledPlan], versions: Mapping[str, str]) -> str:
    """Give the text of prefect.yaml declaring every plan's deployments and the
    installation's notify deployment, each with the version of its flow in `versions` (by
    the flow's Prefect name)."""
    declared = [_declared(deployment, versions) for plan in plans
                for deployment in deployments_of(plan, load_settings(plan.settings))]
    declared.append(_declared(notify_deployment(), versions))
    document = {
        "name": "scrutiny-reporting",
        "build": None,
        "push": None,
        # Each run starts in the installation folder, where the plans' settings are.
        "pull": [{"prefect.deployments.steps.set_working_directory": {
            "directory": "{{ $" + HOME_VARIABLE + " }}"}}],
        "deployments": declared,
    }
    return HEADER + "\n" + yaml.safe_dump(document, sort_keys=False, width=100,
                                          allow_unicode=True)
