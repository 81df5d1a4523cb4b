"""Clearance in Prefect: a deployment run suspends with a form for the next role, and
`reporting clear` resumes it with the same decision.

Prefect reruns a resumed flow from the top and replays each suspend's saved input by its
key; the key is the role plus the draft's fingerprint, so a changed draft can never replay
an earlier sign-off. What the decisions mean is decided in `reporting.automation.clearance`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Literal
from uuid import UUID

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.client.schemas import FlowRun, OrchestrationResult
from prefect.context import FlowRunContext
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput
from pydantic import Field

from flows.run_names import on_a_deployment
from reporting import pipeline
from reporting.automation.clearance import (
    CHANGES_NEEDED,
    CLEARED,
    DRAFT_MARK,
    Decision,
    Draft,
    decide,
    form_description,
    model_fingerprint,
    read_draft,
    write_draft,
)
from reporting.errors import ReportingError
from reporting.layout import DOCUMENT_KINDS, OutputLayout
from reporting.settings import Settings


DOCUMENT_WORDS = {"pdf": "PDF", "docx": "Word", "html": "Web page (HTML)"}


class ClearanceForm(RunInput):
    """The sign-off form shown on the suspended run's page in Prefect's UI, for the role its
    description names."""

    # No default: a Submit pressed without choosing clears nothing.
    decision: Literal["cleared", "changes needed"] = Field(
        description="Cleared for publication, or changes needed first.")
    by: str = Field(description="Who signs off: kept in the clearance record, never in "
                                "the paper.")
    comments: str = Field("", description="Comments; with changes needed, what must change.")


def decision_of(answer: ClearanceForm, role: str, now: datetime) -> dict:
    """The form's answer for `role` as the arguments of `clearance.decide`."""
    changes = answer.comments if answer.decision == CHANGES_NEEDED else ""
    if answer.decision == CHANGES_NEEDED and not changes.strip():
        changes = "Changes needed (no comments given)."
    return {"role": role, "by": answer.by, "now": now, "changes": changes,
            "comments": "" if changes else answer.comments}


class RunGoingOn(ReportingError):
    """The deployment run a draft names is going on already (resumed, by its page's form or
    another `reporting clear`): it must not be resumed, nor the paper sent, a second time."""


def _unreachable(api: str, error: BaseException) -> ReportingError:
    return ReportingError(
        f"the Prefect API at {api or 'PREFECT_API_URL'} cannot be reached "
        f"({type(error).__name__}: {error}), so nothing was recorded: start the server "
        "(`reporting serve` in the installation folder, or `systemctl start "
        "scrutiny-prefect-server` where it is installed as a service) and try again, or "
        "answer the form on the run's page")


@contextmanager
def _on_its_api(draft: Draft) -> Iterator[None]:
    """Talk to the Prefect API the run of `draft` is on, whatever this process's settings
    say (a command-line process has no API of its own, and Prefect reads its settings
    once, so the environment is no use); an API that cannot be asked raises ReportingError
    naming it and how to start it."""
    import httpx
    from prefect.exceptions import PrefectException
    from prefect.settings import PREFECT_API_URL, temporary_settings

    where = temporary_settings(updates={PREFECT_API_URL: draft.api}) if draft.api \
        else nullcontext()
    with where:
        api = PREFECT_API_URL.value() or ""
        try:
            yield
        except ReportingError:
            raise
        except (httpx.TransportError, OSError) as error:
            raise _unreachable(api, error) from error
        except (PrefectException, httpx.HTTPError, RuntimeError, ValueError) as error:
            raise ReportingError(
                f"the Prefect API at {api or 'PREFECT_API_URL'} could not tell or resume the "
                f"run {draft.flow_run} ({type(error).__name__}: {error}), so nothing was "
                "recorded: try again, or answer the form on the run's page") from error


def _read_run(draft: Draft) -> FlowRun | None:
    """The run `draft` waits on, as the Prefect API has it now (None: it is gone)."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            return client.read_flow_run(UUID(draft.flow_run))
        except ObjectNotFound:
            return None


def _ask_to_resume(draft: Draft, answer: dict) -> OrchestrationResult | None:
    """Ask the Prefect API to resume the run `draft` waits on with the form's `answer`
    (None: the run is gone)."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            return client.resume_flow_run(UUID(draft.flow_run), run_input=answer)
        except ObjectNotFound:
            return None


def going_on(run: FlowRun) -> bool:
    """Whether `run` is under way: resumed (Scheduled as "Resuming", Pending, Running) or
    being cancelled; neither waiting for a sign-off nor ended."""
    return run.state is not None and not run.state.is_paused() and not run.state.is_final()


def _going_on_words(draft: Draft, run: FlowRun) -> str:
    from prefect.utilities.urls import url_for

    page = url_for(run) or f"the run's page in the Prefect UI ({draft.api})"
    return (f"the run {run.name} ({run.id}) of the {draft.period} {draft.cadence} paper is "
            f"{run.state.name} already, not waiting for a sign-off: it was resumed (the form "
            "on its page, or another `reporting clear`) and goes on with that answer, so "
            "nothing was recorded or sent here; wait for it to end or to wait for the next "
            "role, then see who clears next with `reporting clear --status` (its page: "
            f"{page})")


def waits(draft: Draft) -> bool:
    """Whether the deployment run `draft` names still waits for a sign-off (False: it ended,
    was cancelled or is gone, and the sign-off is the command line's to take). Raises
    RunGoingOn, in one line naming the run, its state and what to do, when it is going on,
    and ReportingError when its API cannot be asked."""
    with _on_its_api(draft):
        run = _unless_going_on(draft)
        return run is not None and run.state is not None and run.state.is_paused()


def _unless_going_on(draft: Draft) -> FlowRun | None:
    """The run `draft` waits on, as it is now (None: gone); RunGoingOn when it goes on."""
    run = _read_run(draft)
    if run is not None and going_on(run):
        raise RunGoingOn(_going_on_words(draft, run))
    return run


def resume_with(draft: Draft, decision: Decision) -> bool:
    """Resume the deployment run suspended on `draft` with `decision`, through the Prefect
    API that run is on; give False when that run no longer waits (it ended, was cancelled
    or is gone). Raises RunGoingOn when it is going on already (resumed by someone else,
    even a moment before: the server resumes a run once), and ReportingError, saying what
    to do, when the API cannot be asked.
    """
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.responses import SetStateStatus

    answer = {"by": decision.by, "comments": decision.comments,
              "decision": CLEARED if decision.outcome == CLEARED else CHANGES_NEEDED}
    with _on_its_api(draft):
        if not waits(draft):
            return False
        result = _ask_to_resume(draft, answer)
        if result is None:
            return False
        if result.status == SetStateStatus.ACCEPT:
            return True
        if result.status == SetStateStatus.ABORT:  # no longer paused: resumed, or ended
            _unless_going_on(draft)
            return False
        if result.state is not None and result.state.type == StateType.FAILED:
            return False  # its time to wait was over
        reason = getattr(result.details, "reason", "") or result.status.value
        raise ReportingError(f"the suspended run {draft.flow_run} on {draft.api or 'Prefect'} "
                             f"refused to resume ({reason}), so nothing was recorded; answer "
                             "the form on the run's page instead")


def pause_key(draft: Draft, role: str, fingerprint: str) -> str:
    """The key a role's suspend is saved and replayed under: the role (its place in the
    order and its name) and the draft's fingerprint, in the lowercase letters, digits and
    dashes Prefect allows in a run input's key."""
    name = "-".join(re.findall(r"[a-z0-9]+", role.casefold())) or "role"
    return f"{draft.roles.index(role) + 1}-{name}-{fingerprint}"


class ClearanceExpired(ReportingError):
    """A draft waited longer than `[clearance] expires_days`: the run ends Failed."""


def _cancel_older(flow_run_id: str) -> None:
    """Cancel the run still suspended on an earlier draft of the same paper (one that has
    ended is left as it ended)."""
    from prefect.client.orchestration import get_client
    from prefect.states import Cancelled

    try:
        with get_client(sync_client=True) as client:
            older = client.read_flow_run(UUID(flow_run_id))
            if older.state is None or not older.state.is_paused():
                return
            client.set_flow_run_state(UUID(flow_run_id), Cancelled(
                message="A new draft of this paper was made; it is cleared afresh"), force=True)
    except Exception as error:  # noqa: BLE001  (an old run left suspended harms nothing)
        get_run_logger().warning("Could not cancel the run %s waiting on the earlier draft: "
                                 "%s", flow_run_id, error)
    else:
        get_run_logger().info("Cancelled the run %s, suspended on an earlier draft of this "
                              "paper", flow_run_id)


def clear_before_publishing(settings: Settings, layout: OutputLayout,
                            inputs: pipeline.PeriodInputs, report: pipeline.PreparedReport,
                            inputs_fingerprint: str, started: datetime,
                            render: Callable[..., dict[str, bytes]],
                            publish: Callable[..., dict[str, Path]]
                            ) -> tuple[Draft, dict[str, Path]]:
    """Publish the report as a draft and see it cleared, role by role; give the draft's
    record and paths. When every role has cleared this exact draft (`Draft.cleared`), the
    caller publishes it without the mark and mails it; otherwise nothing more is done.

    In a deployment run each role is asked by a form in Prefect's UI: the run suspends and
    Prefect reruns it from the top when the form is filled in, replaying each answer by its
    key (the role and the draft's fingerprint). Elsewhere (`reporting run`) the run ends
    with the draft, saying who clears it next with `reporting clear`.
    """
    logger = get_run_logger()
    period, paper = inputs.period, report.paper
    fingerprint = model_fingerprint(inputs_fingerprint, report.model)
    marked = replace(report, model=replace(report.model, draft_mark=DRAFT_MARK))
    documents = render(marked.model, f"{inputs_fingerprint}-draft")
    paths = publish(layout, inputs, marked, documents, started,
                    {"inputs_fingerprint": inputs_fingerprint, "draft": True}, draft=True)
    record = layout.clearance_record(period, paper)
    before = read_draft(record)
    run = FlowRunContext.get().flow_run
    if before is not None and before.flow_run == str(run.id) \
            and before.fingerprint == fingerprint:
        draft = before  # this run again, resumed: its record stands, whoever wrote it
    else:
        draft = pipeline.record_draft(layout, settings, report, period, fingerprint,
                                      datetime.now().astimezone())
        if before is not None and before.flow_run and before.flow_run != str(run.id):
            _cancel_older(before.flow_run)
        if before is not None and before.changes_needed:
            asked = before.changes_needed
            logger.warning("The last draft was sent back by the %s (%s): %s. This new draft "
                           "is cleared again from the first role.", asked.role, asked.at,
                           asked.comments)
        elif before is not None and before.decisions and before.fingerprint != fingerprint:
            logger.warning("The inputs or the program changed since the draft the %s cleared "
                           "was made (a late or corrected return, or an upgrade): this new "
                           "draft is cleared again from the first role.",
                           ", ".join(before.cleared_by))
    where = paths["pdf"].parent
    while not (draft.cleared or draft.changes_needed):
        expires = draft.expires(settings.clearance.expires_days)
        left = (expires - datetime.now().astimezone()).total_seconds()
        if left <= 0:
            raise ClearanceExpired(
                f"{draft.expiry_words(settings.clearance.expires_days)} ([clearance] "
                f"expires_days, from the draft made {draft.made}). Run the report again "
                "to make a new draft")
        role = draft.next_role
        description = form_description(
            draft, role, where, {DOCUMENT_WORDS[kind]: paths[kind].name for kind in DOCUMENT_KINDS},
            [f"{e.action_id} {e.action}: {e.problem}" for e in report.model.exceptions],
            list(report.findings))
        create_markdown_artifact(
            key=f"clearance-{period.path.lower()}-{paper.value}", markdown=description,
            description=f"Draft waiting for the {role}: {period.label} {paper.value}")
        if not on_a_deployment():
            logger.warning(
                "Draft published in %s, waiting for the %s; nothing goes to members until "
                "every role has cleared it: reporting clear --period \"%s\" --cadence %s "
                "--as \"%s\"", where, role, period.label, paper.value, role)
            return draft, paths
        from prefect.settings import PREFECT_API_URL

        draft = write_draft(record, replace(draft, flow_run=str(run.id),
                                            api=PREFECT_API_URL.value() or ""))
        form = ClearanceForm.with_initial_data(description=description)
        logger.info("Draft published in %s; waiting for the %s to clear it (the form on this "
                    "run's page, or `reporting clear`)", where, role)
        answer = suspend_flow_run(wait_for_input=form, key=pause_key(draft, role, fingerprint),
                                  timeout=int(left))
        draft = write_draft(record, decide(draft, **decision_of(
            answer, role, datetime.now().astimezone())))
        logger.info("%s: %s by %s", draft.decisions[-1].role, draft.decisions[-1].outcome,
                    draft.decisions[-1].by)
    if draft.changes_needed:
        logger.warning("The %s asked for changes: %s. Nothing was published or sent; the "
                       "next run makes a new draft and asks again from the first role.",
                       draft.changes_needed.role, draft.changes_needed.comments)
    return draft, paths
