"""The notice of a failed, crashed or stuck run (issue 21): what the policy officer reads,
and the automation that runs the notify deployment, as Prefect reads it."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import ROOT

from reporting.automation.run_notice import FailedRun, run_notice

SPEC = ROOT / "deploy" / "automations" / "notify-failed-runs.yaml"
LONDON = ZoneInfo("Europe/London")
STARTED = datetime(2022, 10, 15, 7, 0, tzinfo=LONDON)
RUN = FailedRun(
    id="0b9f6c1e-0000-4000-8000-000000000001",
    name="Corporate Plan 2024-28: quarterly, 2022/23 Q2", flow="scrutiny-report",
    state_type="FAILED", state_name="Failed",
    message="Email not delivered. papers: not reached: member.one@example.gov.uk (550)",
    deployment="corporate-quarterly-report", started=STARTED, period="2022/23 Q2",
    cadence="quarterly", plan="corporate",
    link="http://127.0.0.1:4200/runs/flow-run/0b9f6c1e-0000-4000-8000-000000000001")


def test_a_failed_report_run_tells_which_report_period_state_why_and_what_to_do():
    notice = run_notice(RUN, "policy@example.gov.uk", STARTED + timedelta(minutes=5))
    assert notice.to == "policy@example.gov.uk"
    assert notice.key == f"run-failed/{RUN.id}/failed"
    assert notice.subject == "Run failed: Corporate Plan 2024-28: quarterly, 2022/23 Q2"
    body = notice.body
    for words in ("quarterly scrutiny report (deployment corporate-quarterly-report)",
                  "Plan: corporate", "Period: 2022/23 Q2", "State: Failed, started 15 October 2022 07:00",
                  "Prefect says: Email not delivered. papers: not reached: member.one@example.gov.uk",
                  f"Read the run's logs: {RUN.link}",
                  'reporting run --plan corporate --period "2022/23 Q2" --cadence quarterly',
                  "nobody is mailed twice"):
        assert words in body, words


def test_a_crashed_run_and_a_stuck_one_are_told_in_their_own_words():
    crashed = FailedRun(**{**RUN.__dict__, "state_type": "CRASHED", "state_name": "Crashed",
                           "flow": "intake-check", "deployment": "corporate-intake-check",
                           "message": "No heartbeat for 90 s", "cadence": None})
    notice = run_notice(crashed, "policy@example.gov.uk", STARTED)
    assert notice.subject.startswith("Run crashed: ") and notice.key.endswith("/crashed")
    assert "Its process stopped" in notice.body and "intake check" in notice.body
    assert "reporting run" not in notice.body  # an intake check is run again from the UI
    # Crashed by a stop of the service: said so, not put down to memory (an operator's check).
    for said in ("reporting serve was stopped (SIGTERM) while this run was in progress",
                 "Execution was aborted by a termination signal.",
                 "Process for flow run 'x' exited with status code: -15"):
        stopped = run_notice(FailedRun(**{**crashed.__dict__, "message": said}),
                             "policy@example.gov.uk", STARTED).body
        assert "Its process was stopped with the service" in stopped, said
        assert "memory" not in stopped
    killed = run_notice(FailedRun(**{**crashed.__dict__, "message": "exited with status code: "
                                     "-9"}), "policy@example.gov.uk", STARTED).body
    assert "or it ran out of memory" in killed  # kill -9, or the out-of-memory killer
    stuck = FailedRun(**{**RUN.__dict__, "state_type": "RUNNING", "state_name": "Running",
                         "message": "", "period": None, "plan": None, "link": None})
    notice = run_notice(stuck, "policy@example.gov.uk", STARTED + timedelta(hours=4, minutes=30))
    assert notice.subject.startswith("Run is still running: ")
    assert "is still running, 4.5 hours after it started" in notice.body and notice.key.endswith("/running")
    assert "cancel it from its page in the UI" in notice.body
    assert "Prefect says: (no message)" in notice.body
    assert "the one its schedule names (see the run's name)" in notice.body
    assert "in the Prefect UI, Runs, the run named above" in notice.body
    assert "reporting run --period" in notice.body and "--plan" not in notice.body


@pytest.mark.parametrize("state", ["COMPLETED", "PAUSED", "SCHEDULED"])
def test_a_run_that_ended_well_or_waits_for_clearance_is_not_told(state):
    ended = FailedRun(**{**RUN.__dict__, "state_type": state, "state_name": state.title()})
    assert run_notice(ended, "policy@example.gov.uk", STARTED) is None


def test_a_cancelled_run_is_told_with_who_may_have_stopped_it():
    """A run cancelled because reporting serve was stopped (Ctrl-C, systemd) is told of."""
    cancelled = FailedRun(**{**RUN.__dict__, "state_type": "CANCELLED",
                             "state_name": "Cancelled", "message": "Runner is shutting down."})
    notice = run_notice(cancelled, "policy@example.gov.uk", STARTED)
    assert notice.subject.startswith("Run was cancelled: ")
    assert notice.key.endswith("/cancelled")
    assert "reporting serve (or the worker running it) was stopped" in notice.body
    assert "Prefect says: Runner is shutting down." in notice.body
    assert "mailing had begun" not in notice.body  # the record names nobody


def test_a_run_stopped_while_mailing_says_who_was_sent_and_whose_outcome_is_unknown(tmp_path):
    from reporting.automation.mail import Outgoing, SentRecord
    from reporting.automation.run_notice import with_mailing
    from reporting.layout import OutputLayout
    from reporting.period import Period

    period = Period.parse("2022/23 Q2")
    record = SentRecord(OutputLayout(tmp_path).sent_record(period))

    def paper(to: str, cadence: str = "quarterly") -> Outgoing:
        return Outgoing(f"papers/{period.path}/{cadence}/{to}", to, "Papers", "Dear Member")

    record.mark_sending(paper("one@example.gov.uk"))
    record.mark_sent(paper("one@example.gov.uk"))
    record.mark_sending(paper("two@example.gov.uk"))  # the crash came here
    record.mark_sending(paper("six@example.gov.uk", "six-monthly"))  # another paper's
    record.mark_sent(paper("six@example.gov.uk", "six-monthly"))
    crashed = with_mailing(FailedRun(**{**RUN.__dict__, "state_type": "CRASHED",
                                        "state_name": "Crashed"}), tmp_path)
    assert crashed.mailed == ("one@example.gov.uk",)
    assert crashed.in_flight == ("two@example.gov.uk",)
    body = run_notice(crashed, "policy@example.gov.uk", STARTED).body
    assert "mailing had begun: 1 member was sent them (one@example.gov.uk)" in body
    assert ("The message to two@example.gov.uk was being sent when the run ended, and "
            "nobody knows whether it went: it is never sent again") in body
    # The way to settle it is the documented one (an operator's review, L1).
    assert ("Ask whether it arrived, then say so with `reporting mail`, which lists it with "
            "its key and both commands (--not-received prints the run that sends it, once). "
            "Settle it first: until then a run of the paper sends the rest and ends Failed") \
        in body
    assert "six@example.gov.uk" not in body
    # Another flow's run, or a run with no period, is left as it was.
    assert with_mailing(FailedRun(**{**crashed.__dict__, "flow": "reminders", "mailed": (),
                                     "in_flight": ()}), tmp_path).mailed == ()


def test_a_run_stopped_after_publishing_and_before_mailing_says_the_papers_went_to_no_one(
        tmp_path):
    """A second operator review (H1): the quarterly run, published and waiting for the sent
    record the six-monthly held, was stopped; its notice said only "nothing was published
    half-made. Run it again"."""
    import json

    from reporting.automation.mail import Outgoing, SentRecord
    from reporting.automation.run_notice import with_mailing
    from reporting.cadence import Paper
    from reporting.layout import OutputLayout
    from reporting.period import Period

    period = Period.parse("2022/23 Q2")
    layout = OutputLayout(tmp_path)
    manifest = layout.manifest(period, Paper.QUARTERLY)
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps({"mailing_due": ["one@example.gov.uk",
                                                    "two@example.gov.uk"]}))
    SentRecord(layout.sent_record(period)).mark_sending(  # the six-monthly's, in flight
        Outgoing(f"papers/{period.path}/six-monthly/one@example.gov.uk",
                 "one@example.gov.uk", "Papers", "Dear Member"))
    crashed = with_mailing(FailedRun(**{**RUN.__dict__, "state_type": "CRASHED",
                                        "state_name": "Crashed"}), tmp_path)
    assert (crashed.mailed, crashed.in_flight) == ((), ())
    assert crashed.unmailed == ("one@example.gov.uk", "two@example.gov.uk")
    body = run_notice(crashed, "policy@example.gov.uk", STARTED).body
    assert "The papers had been published, and no member had been sent them yet." in body
    assert ("Not sent to 2 members (one@example.gov.uk, two@example.gov.uk): `reporting "
            "mail` lists them too.") in body
    assert "Running it again sends the papers only to the members not yet sent them." in body
    # Stopped while the mail server was refusing: the notice says whom, and why.
    record = SentRecord(layout.sent_record(period))
    for to in ("one@example.gov.uk", "two@example.gov.uk"):
        record.mark_failed(Outgoing(f"papers/{period.path}/quarterly/{to}", to, "Papers",
                                    "Dear Member"), "451 4.3.0 try again later")
    refused = with_mailing(FailedRun(**{**RUN.__dict__, "state_type": "CRASHED",
                                        "state_name": "Crashed"}), tmp_path)
    assert refused.unmailed == () and len(refused.refused) == 2
    body = run_notice(refused, "policy@example.gov.uk", STARTED).body
    assert "mailing had begun: 0 members were sent them." in body
    assert ("Not reached, the message failing: one@example.gov.uk (451 4.3.0 try again "
            "later); two@example.gov.uk (451 4.3.0 try again later). A run made again tries "
            "them again, once each.") in body
    # A paper published with email off (no member due) says nothing of mailing.
    layout.sent_record(period).unlink()
    manifest.write_text(json.dumps({"period": period.label}))
    quiet = with_mailing(FailedRun(**{**RUN.__dict__, "state_type": "CRASHED",
                                      "state_name": "Crashed"}), tmp_path)
    assert "The papers had been published" not in run_notice(quiet, "policy@example.gov.uk",
                                                              STARTED).body


def _automations():
    from prefect.events.schemas.automations import AutomationCore
    from prefect.events.schemas.deployment_triggers import DeploymentTriggerTypes
    from pydantic import TypeAdapter

    deployment_id = uuid4()
    made = []
    for spec in yaml.safe_load(SPEC.read_text())["triggers"]:
        trigger = TypeAdapter(DeploymentTriggerTypes).validate_python(spec)
        trigger.set_deployment_id(deployment_id)
        made.append(AutomationCore.model_validate(trigger.as_automation().model_dump()))
    return deployment_id, made


def test_the_automations_run_the_notify_deployment_on_failed_crashed_cancelled_and_stuck_runs():
    from prefect.events.schemas.automations import Posture

    from flows.notify import NOTIFY_FLOW
    from reporting.automation.deployments import FLOWS, notify_deployment

    deployment_id, (failed, stuck) = _automations()
    for automation in (failed, stuck):
        (action,) = automation.actions
        assert action.type == "run-deployment" and action.deployment_id == deployment_id
        assert action.parameters == {"flow_run": "{{ labels['prefect.resource.id'] }}"}
        assert automation.trigger.for_each == {"prefect.resource.id"}
        # Only the project's other flows: never a notice run, so a failing one starts none.
        related = automation.trigger.match_related
        assert related["prefect.resource.role"] == ["flow"]
        assert set(related["prefect.resource.name"]) == set(FLOWS) - {NOTIFY_FLOW}
    assert failed.trigger.posture is Posture.Reactive
    assert failed.trigger.expect == {"prefect.flow-run.Failed", "prefect.flow-run.Crashed",
                                     "prefect.flow-run.Cancelled"}
    assert stuck.trigger.posture is Posture.Proactive
    assert stuck.trigger.after == {"prefect.flow-run.Running"}
    assert stuck.trigger.within == timedelta(hours=4)
    # A run suspended or paused for clearance ends the wait: it is not stuck.
    assert {"prefect.flow-run.Suspended", "prefect.flow-run.Paused",
            "prefect.flow-run.Completed"} <= stuck.trigger.expect
    # They are the notify deployment's, so serving or deploying it fills in its id.
    notify = notify_deployment()
    assert notify.flow == NOTIFY_FLOW and notify.schedule is None
    assert list(notify.triggers) == yaml.safe_load(SPEC.read_text())["triggers"]


def test_prefect_yaml_and_serve_both_deploy_the_notify_deployment_with_its_triggers():
    from flows.deployments import deployments, parameter_versions
    from reporting.automation.deployments import NOTIFY
    from reporting.automation.prefect_yaml import prefect_yaml
    from reporting.installation import installed_plans

    plans = installed_plans(ROOT)
    declared = {d["name"]: d for d in yaml.safe_load(
        prefect_yaml(plans, parameter_versions()))["deployments"]}
    served = {d.name: d for d in deployments(plans)}
    triggers = yaml.safe_load(SPEC.read_text())["triggers"]
    assert declared[NOTIFY]["triggers"] == triggers and declared[NOTIFY]["schedules"] == []
    assert declared[NOTIFY]["entrypoint"] == "flows.notify.notify_policy_officer"
    assert [t.name for t in served[NOTIFY].triggers] == [t["name"] for t in triggers]
    assert served[NOTIFY].schedules == [] and served[NOTIFY].parameters == {}
    # One for the installation, however many plans: the run it is given names its plan.
    assert sum(1 for name in served if "notify" in name) == 1


def test_a_scheduled_report_run_is_told_with_the_period_its_schedule_reported_on():
    from flows.notify import _period_label
    from reporting.settings import load_settings

    settings = load_settings(ROOT / "reporting.toml")
    october = datetime(2022, 10, 25, 7, 0, tzinfo=LONDON)  # the schedule's October run
    assert _period_label({"cadence": "quarterly"}, "scrutiny-report", settings,
                         october) == "2022/23 Q2"
    assert _period_label({"period": "2022-23-Q3"}, "scrutiny-report", settings,
                         october) == "2022/23 Q3"
    assert _period_label({}, "reminders", settings, october) is None  # its name has the date
