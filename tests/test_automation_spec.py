"""The automation that marks a run Crashed once its heartbeats stop (issue 21), as Prefect
reads it: it parses, it marks Crashed, it leaves Suspended runs (clearance) alone."""

from __future__ import annotations

import os
from datetime import timedelta

import yaml
from conftest import ROOT

SPEC = ROOT / "deploy" / "automations" / "crash-unresponsive-runs.yaml"


def test_the_unresponsive_run_automation_is_one_prefect_reads_and_spares_suspended_runs():
    from prefect.client.schemas.objects import StateType
    from prefect.events.schemas.automations import AutomationCore, Posture

    automation = AutomationCore.model_validate(yaml.safe_load(SPEC.read_text()))
    trigger, (action,) = automation.trigger, automation.actions
    assert trigger.posture is Posture.Proactive
    assert trigger.after == {"prefect.flow-run.heartbeat"}
    assert {"prefect.flow-run.Suspended", "prefect.flow-run.Paused"} <= trigger.expect
    assert trigger.within == timedelta(seconds=90)  # three heartbeats of 30 s
    assert action.type == "change-flow-run-state" and action.state is StateType.CRASHED
    assert f"prefect automation create --from-file {SPEC.relative_to(ROOT)}" in SPEC.read_text()


def test_the_commands_set_the_heartbeat_the_automation_counts_on(monkeypatch, tmp_path):
    from flows.local_server import prefect_environment

    environment = {k: v for k, v in os.environ.items()
                   if k != "PREFECT_FLOWS_HEARTBEAT_FREQUENCY"}
    monkeypatch.setattr(os, "environ", environment)  # this process's own is left alone
    prefect_environment(tmp_path)
    assert environment["PREFECT_FLOWS_HEARTBEAT_FREQUENCY"] == "30"
    assert (ROOT / "deploy" / "systemd" / "env.example").read_text().count(
        "PREFECT_FLOWS_HEARTBEAT_FREQUENCY=30") == 1
