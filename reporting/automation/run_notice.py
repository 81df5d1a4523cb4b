"""The notice the policy officer is mailed when a run fails, crashes or is stuck Running.

Prefect has no SMTP notification of its own, so an automation runs the project's notify
flow, which reads the run from Prefect's API into a `FailedRun` and mails `run_notice`
through `deliver()`. Its key names the run and the state it was told of, so each run is
told of each state at most once, however often the automation fires.

A run suspended for clearance whose `[clearance] expires_days` pass is failed by Prefect's
server (its pause-expiration service) with Prefect's own words, "The flow was paused and
never resumed."; the notice of it says, in the council's, which paper waited for whose
clearance and that nothing was published or sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from reporting.automation.clearance import ClearanceError, expired_words, read_draft
from reporting.automation.mail import (
    MAIL_COMMAND,
    Outgoing,
    SentRecord,
    due_to,
    paper_key,
    recorded,
)
from reporting.cadence import Paper
from reporting.layout import OutputLayout
from reporting.period import Period

# The state types a notice is sent for, and how the notice says them.
TOLD = {"FAILED": "failed", "CRASHED": "crashed", "CANCELLED": "was cancelled",
        "RUNNING": "is still running"}
_REPORT_FLOW = "scrutiny-report"
_WHAT = {"scrutiny-report": "scrutiny report", "intake-check": "intake check",
         "reminders": "reminders to service leads"}
# How a suspended (or paused) run's timeout ends it, in Prefect 3's words: its server's
# pause-expiration service fails it "The flow was paused and never resumed."; a resume
# that comes too late is refused and fails it "The flow was resuming and never resumed.";
# a blocking pause raises FlowPauseTimeout, "Flow run was paused and never resumed.". The
# report flow itself refuses to ask again for a draft whose time is over (ClearanceExpired).
# How Prefect, and serve's stop, say a run ended because its service was stopped.
# (a process ended by SIGTERM, SIGINT or SIGHUP exits "-15", "-2", "-1": kill -9 and the
# kernel's out-of-memory killer give -9, which is not told as a stop).
_STOPPED = re.compile(r"reporting serve was stopped|termination signal|\bSIG(TERM|INT|HUP)\b|"
                      r"status code:? -(15|2|1)\b", re.I)
_PAUSE_TIMED_OUT = re.compile(r"\bwas \w+ and never resumed\b|\bClearanceExpired\b")


@dataclass(frozen=True)
class FailedRun:
    """A flow run as Prefect's API gave it, in the words a notice needs."""

    id: str
    name: str
    flow: str  # the flow's Prefect name: scrutiny-report, intake-check, reminders
    state_type: str  # Prefect's StateType value: FAILED, CRASHED, RUNNING ...
    state_name: str  # the state as the UI shows it: Failed, Crashed, TimedOut, Running
    message: str = ""
    deployment: str | None = None
    started: datetime | None = None
    period: str | None = None  # as people write it, "2022/23 Q2"
    cadence: str | None = None
    plan: str | None = None
    link: str | None = None  # the run's page in the Prefect UI
    # A run whose clearance expired: the role its draft waited for (None: not known) and
    # the days it waited ([clearance] expires_days as its draft recorded them).
    waited_for: str | None = None
    waited_days: int | None = None
    # A report run that had begun to mail its papers: the members sent them, and those
    # recorded as being sent with no outcome (perhaps sent; never sent again).
    mailed: tuple[str, ...] = ()
    in_flight: tuple[str, ...] = ()
    # The members its published paper was due to that the sent record has no entry for.
    unmailed: tuple[str, ...] = ()
    # The members whose message failed (the server refused it, or could not be reached),
    # each with the error the record keeps.
    refused: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        """The sent record's key: this run, in this state."""
        return f"run-failed/{self.id}/{self.state_type.lower()}"

    @property
    def clearance_expired(self) -> bool:
        """True when the run failed because its wait for clearance timed out."""
        return self.state_type == "FAILED" and bool(_PAUSE_TIMED_OUT.search(self.message))


def with_clearance(run: FailedRun, outputs: Path, expires_days: int) -> FailedRun:
    """Give `run` with what its draft's record says it waited for, when its clearance
    expired: the next role and the draft's days (else `expires_days`, the settings').

    The record is this run's only while it names the run; a newer draft's (or none) tells
    the days from the settings and no role.
    """
    if not run.clearance_expired or run.flow != _REPORT_FLOW or not run.period:
        return run
    draft = None
    try:
        record = OutputLayout(Path(outputs)).clearance_record(
            Period.parse(run.period), Paper(run.cadence or Paper.QUARTERLY.value))
        draft = read_draft(record)
    except (ClearanceError, ValueError, OSError):
        pass  # the notice is still sent, with what Prefect says
    if draft is None or draft.flow_run != run.id:
        return replace(run, waited_days=expires_days)
    return replace(run, waited_for=draft.next_role,
                   waited_days=draft.days_to_wait(expires_days))


def with_mailing(run: FailedRun, outputs: Path) -> FailedRun:
    """Give `run` with what the period's sent record and its paper's manifest say of its
    mailing: the members sent it, those whose message was being sent when the run ended
    (outcome unknown), and those the published paper was due to with no entry at all (the
    run stopped before it came to them, perhaps waiting for the record another run held)."""
    if run.flow != _REPORT_FLOW or not run.period:
        return run
    try:
        period = Period.parse(run.period)
        paper = Paper(run.cadence or Paper.QUARTERLY.value)
        layout = OutputLayout(Path(outputs))
        record = SentRecord(layout.sent_record(period)).read()
    except (ValueError, OSError):
        return run  # the notice is still sent, with what Prefect says
    prefix = paper_key(period, paper, "")

    def members(part: str) -> tuple[str, ...]:
        return tuple(sorted(entry.get("to", key.removeprefix(prefix))
                            for key, entry in record[part].items() if key.startswith(prefix)))

    told = recorded(record)
    unmailed = tuple(to for to in due_to(layout.manifest(period, paper))
                     if paper_key(period, paper, to) not in told)
    refused = tuple(sorted((entry.get("to", key.removeprefix(prefix)), entry.get("error", ""))
                           for key, entry in record["failed"].items()
                           if key.startswith(prefix)))
    return replace(run, mailed=members("sent"), in_flight=members("sending"),
                   unmailed=unmailed, refused=refused)


def notice_record(outputs: Path) -> Path:
    """Give the sent record of run notices under a plan's outputs folder."""
    return OutputLayout(Path(outputs)).notice_record()


def _when(moment: datetime) -> str:
    return f"{moment:%d %B %Y %H:%M %Z}".strip()


def _running_for(run: FailedRun, now: datetime) -> str:
    if run.started is None:
        return ""
    hours = (now - run.started).total_seconds() / 3600
    return f", {hours:.1f} hours after it started"


def _rerun_command(run: FailedRun) -> str:
    """Give the command that makes the same report again (needs its period and paper)."""
    plan = f" --plan {run.plan}" if run.plan else ""
    period = f'"{run.period}"' if run.period else '"<the period in the run\'s name>"'
    return f"reporting run{plan} --period {period} --cadence {run.cadence or 'quarterly'}"


def _expired_words(run: FailedRun, what: str) -> str:
    """What a notice of an expired clearance says first, instead of the failure's words."""
    again = (f"the deployment's page in the UI, Run, with the same parameters; or, in the "
             f"installation folder, {_rerun_command(run)}")
    return (f"{expired_words(what, run.period, run.waited_days, run.waited_for)}. Run it "
            f"again ({again}) to make new drafts, cleared again from the first role.")


def _next_steps(run: FailedRun) -> list[str]:
    logs = (f"Read the run's logs: {run.link}" if run.link else
            "Read the run's logs: in the Prefect UI, Runs, the run named above")
    steps = [logs + " (the last lines say where it stopped)."]
    if run.state_type == "RUNNING":
        steps.append("If it is not waiting for something it should (another run of the "
                     "same paper holds its lock until it ends), cancel it from its page in "
                     "the UI, then run it again.")
    elif run.state_type in ("CRASHED", "CANCELLED"):
        why = ("Its process was stopped with the service (reporting serve, or the worker "
               "running it, was stopped or restarted)" if _STOPPED.search(run.message) else
               "Its process stopped (the service or the machine was stopped, or it ran out "
               "of memory)" if run.state_type == "CRASHED" else
               "It was stopped before it ended: someone cancelled it in the Prefect UI, or "
               "reporting serve (or the worker running it) was stopped")
        steps.append(why + ": nothing it was writing was published half-made. Run it again "
                     "once the cause is mended.")
    else:
        steps.append("Mend what Prefect's message and the logs name (a settings file, a "
                     "folder that cannot be written, the mail server), then run it again.")
    if run.flow == _REPORT_FLOW:
        steps.append("To run it again: the deployment's page in the UI, Run, with the "
                     "same parameters; or, in the installation folder:\n"
                     f"      {_rerun_command(run)}")
    else:
        steps.append("To run it again: the deployment's page in the UI, Run; or wait for "
                     "its next scheduled run.")
    if run.mailed or run.in_flight or run.unmailed or run.refused:
        steps.insert(1, _mailing_words(run))
    steps.append("A run made again sends only what has not been sent: nobody is mailed "
                 "twice.")
    return steps


def _mailing_words(run: FailedRun) -> str:
    """What a notice says of a report run whose papers were published for members."""
    if run.mailed or run.in_flight or run.refused:
        said = [f"The papers had been published and mailing had begun: {len(run.mailed)} "
                f"member{'s were' if len(run.mailed) != 1 else ' was'} sent them"
                + (f" ({', '.join(run.mailed)})" if run.mailed else "") + "."]
    else:
        said = ["The papers had been published, and no member had been sent them yet."]
    if run.in_flight:
        said.append(f"The message to {', '.join(run.in_flight)} was being sent when the run "
                    "ended, and nobody knows whether it went: it is never sent again by a "
                    "run until someone says. Ask whether it arrived, then say so with "
                    f"`{MAIL_COMMAND}`, which lists it with its key and both commands "
                    "(--not-received prints the run that sends it, once). Settle it "
                    "first: until then a run of the paper sends the rest and ends Failed, "
                    "telling you of it again.")
    if run.refused:
        said.append("Not reached, the message failing: " + "; ".join(
            f"{to} ({why or 'no reason recorded'})" for to, why in run.refused)
            + ". A run made again tries them again, once each.")
    if run.unmailed:
        said.append(f"Not sent to {len(run.unmailed)} member"
                    f"{'s' if len(run.unmailed) != 1 else ''} ({', '.join(run.unmailed)}): "
                    f"`{MAIL_COMMAND}` lists them too.")
    said.append("Running it again sends the papers only to the members not yet sent them.")
    return " ".join(said)


def run_notice(run: FailedRun, policy_officer: str, now: datetime) -> Outgoing | None:
    """Give the notice telling the policy officer of `run`, or None when its state is not one
    told of (it ended well, was cancelled, or waits for clearance)."""
    said = TOLD.get(run.state_type)
    if said is None:
        return None
    what = _WHAT.get(run.flow, run.flow)
    if run.cadence and run.flow == _REPORT_FLOW:
        what = f"{run.cadence} {what}"
    state = said + (_running_for(run, now) if run.state_type == "RUNNING" else "")
    facts = [("Run", run.name), ("What", what + (f" (deployment {run.deployment})"
                                                if run.deployment else " (run by hand)"))]
    if run.plan:
        facts.append(("Plan", run.plan))
    facts.append(("Period", run.period or "the one its schedule names (see the run's name)"))
    facts.append(("State", run.state_name + (f", started {_when(run.started)}"
                                             if run.started else "")))
    facts.append(("Prefect says", run.message.strip() or "(no message)"))
    if run.clearance_expired:
        page = (f"The run's page: {run.link}" if run.link
                else "The run: in the Prefect UI, Runs, the run named above")
        body = (_expired_words(run, what) + "\n\n"
                + "".join(f"  {label}: {value}\n" for label, value in facts)
                + f"\n{page}\n")
        subject = f"Clearance expired: {run.name}"
    else:
        body = (f"A run of the scrutiny reporting {state}.\n\n"
                + "".join(f"  {label}: {value}\n" for label, value in facts)
                + "\nWhat to do next:\n\n"
                + "".join(f"  - {step}\n" for step in _next_steps(run)))
        subject = f"Run {said}: {run.name}"
    body += "\nThis notice is sent once for this run in this state.\n\nPolicy and Performance\n"
    return Outgoing(run.key, policy_officer, subject, body)
