"""The notify flow: mail `[email] policy_officer` when a run fails, crashes or stays Running.

Run by the automation in deploy/automations/notify-failed-runs.yaml, which gives it the
run's id. It reads that run from Prefect's API, finds the run's plan the way the run did
(its own `plan` and `config` parameters, so one notify deployment serves every plan of an
installation), and sends the library's `run_notice` once through the sent record (for a
run whose clearance expired, with the role and days its draft's record gives). The
automation never matches this flow's own runs, and a run of it that is given one of its
own runs tells nobody, so a failing notice never starts another.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from uuid import UUID

from prefect import flow, get_run_logger
from prefect.client.orchestration import get_client
from prefect.utilities.urls import url_for

from flows.artifact_keys import artifact_key, plan_key
from flows.delivery import raise_if_not_delivered, send_with_retries
from reporting.automation.run_notice import (
    FailedRun,
    notice_record,
    run_notice,
    with_clearance,
    with_mailing,
)
from reporting.automation.run_period import choose_period, report_cron
from reporting.cadence import Paper
from reporting.installation import settings_path
from reporting.period import Period
from reporting.settings import Settings, load_settings

NOTIFY_FLOW = "notify-policy-officer"


def _run_id(flow_run: str) -> UUID:
    """The id in "prefect.flow-run.<id>" (an event's resource, as the automation gives it)
    or the id alone."""
    return UUID(flow_run.strip().removeprefix("prefect.flow-run."))


def _period_label(parameters: dict, flow_name: str, settings: Settings,
                  scheduled: datetime | None) -> str | None:
    """The period the run was given, or the one its scheduled time reported on."""
    given = parameters.get("period")
    try:
        if given:
            return Period.parse(str(given)).label
        if flow_name == "scrutiny-report" and scheduled is not None:
            paper = Paper(parameters.get("cadence") or Paper.QUARTERLY.value)
            zone = settings.schedule.zone
            inputs = parameters.get("inputs") or settings.inputs
            chosen = choose_period(paper, Path(inputs) / "returns",
                                   scheduled.astimezone(zone), zone,
                                   report_cron(settings.schedule, paper))
            return chosen.period.label if chosen.period else None
    except (ValueError, OSError):  # a period it refused: its own failure says so
        return str(given) if given else None
    return None


def read_failed_run(flow_run: str) -> tuple[FailedRun, dict, datetime | None]:
    """Give the run as Prefect's API has it, its parameters and its scheduled time."""
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(_run_id(flow_run))
        flow_name = client.read_flow(run.flow_id).name
        deployment = (client.read_deployment(run.deployment_id).name
                      if run.deployment_id else None)
    parameters = dict(run.parameters or {})
    state = run.state
    failed = FailedRun(
        id=str(run.id), name=run.name, flow=flow_name,
        state_type=state.type.value if state else "UNKNOWN",
        state_name=state.name if state else "Unknown",
        message=(state.message or "") if state else "", deployment=deployment,
        started=run.start_time, cadence=parameters.get("cadence"),
        plan=parameters.get("plan"), link=url_for("flow-run", obj_id=run.id))
    return failed, parameters, run.expected_start_time


@flow(name=NOTIFY_FLOW, flow_run_name="notice of run {flow_run}", log_prints=True)
def notify_policy_officer(flow_run: str) -> list[str]:
    """Mail [email] policy_officer that a run failed, crashed or is stuck; give whom it told.

    Args:
        flow_run: The run to tell of: its id, or "prefect.flow-run.<id>" as the
            automation gives it.
    """
    logger = get_run_logger()
    run, parameters, scheduled = read_failed_run(flow_run)
    if run.flow == NOTIFY_FLOW:  # never a notice of a notice: that could go round for ever
        logger.warning("Run %r is a notice run itself: nobody is told of it.", run.name)
        return []
    settings = load_settings(settings_path(parameters.get("plan"), parameters.get("config")))
    run = replace(run, period=_period_label(parameters, run.flow, settings, scheduled))
    outputs = parameters.get("outputs") or settings.outputs
    run = with_clearance(run, outputs, settings.clearance.expires_days)
    run = with_mailing(run, outputs)
    message = run_notice(run, settings.email.policy_officer, datetime.now().astimezone())
    if message is None:
        logger.info("Run %r is %s now: nobody is told.", run.name, run.state_name)
        return []
    if not settings.email.policy_officer:
        logger.warning("Run %r %s, and nobody was told: [email] policy_officer is not set "
                       "in %s.", run.name, run.state_name.lower(), settings.source)
        return []
    if not settings.email.enabled:
        logger.warning("Run %r %s, and nobody was told: email is off ([email] enabled = "
                       "false in %s).", run.name, run.state_name.lower(), settings.source)
        return []
    what = f"notice of run {run.name}"
    delivery = send_with_retries(settings.email, [message], notice_record(outputs), what,
                                 artifact_key("run-notice", plan_key(run.plan, settings),
                                              run.id), run.plan)
    for sent in delivery.already_sent:
        logger.info("%s was told of run %r (%s) before: not again.", sent.to, run.name,
                    run.state_name)
    raise_if_not_delivered([(what, delivery)])
    return [m.to for m in delivery.sent]
