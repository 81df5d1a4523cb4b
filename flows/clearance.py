"""Clearance in Prefect: a deployment run suspends with a form for the next role, and
`reporting clear` resumes it with the same decision.

Prefect reruns a resumed flow from the top and replays each suspend's saved input by its
key; the key is the role plus the draft's fingerprint, so a changed draft can never replay
an earlier sign-off. What the decisions mean is decided in `reporting.automation.clearance`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Literal
from uuid import UUID

from prefect import get_run_logger
from prefect.context import FlowRunContext
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput
from pydantic import Field

from reporting import pipeline
from reporting.automation.clearance import (
    CHANGES_NEEDED,
    CLEARED,
    DRAFT_MARK,
    Decision,
    Draft,
    decide,
    model_fingerprint,
    read_draft,
    write_draft,
)
from reporting.errors import ReportingError
from reporting.layout import DATA_QUALITY_NAMES, OutputLayout
from reporting.settings import Settings
from reporting.wording import markdown_text


class ClearanceForm(RunInput):
    """The sign-off form shown on the suspended run's page in Prefect's UI, for the role its
    description names."""

    decision: Literal["cleared", "changes needed"] = Field(
        "cleared", description="Cleared for publication, or changes needed first.")
    by: str = Field(description="Who signs off: kept in the clearance record, never in "
                                "the paper.")
    comments: str = Field("", description="Comments; with changes needed, what must change.")


def form_description(draft: Draft, role: str, documents: dict[str, str],
                     exceptions: list[str], data_quality: str) -> str:
    """The form's description: the drafts by path (Prefect serves no files), the delivery
    exceptions and the data-quality summary, so the approver can decide from the run page."""
    lines = [f"## Clearance: {markdown_text(draft.period)} {markdown_text(draft.cadence)} paper",
             "", f"Waiting for the **{markdown_text(role)}** (roles, in order: "
                 f"{markdown_text(', '.join(draft.roles))}).", "", "### The drafts", ""]
    lines += [f"- {kind.upper()}: `{path.replace('`', '')}`" for kind, path in documents.items()]
    lines += ["", f"### Delivery exceptions ({len(exceptions)})", ""]
    lines += [f"- {markdown_text(line)}" for line in exceptions] or ["None."]
    lines += ["", "### Data quality", "", markdown_text(data_quality)]
    return "\n".join(lines)


def decision_of(answer: ClearanceForm, role: str, now: datetime) -> dict:
    """The form's answer for `role` as the arguments of `clearance.decide`."""
    changes = answer.comments if answer.decision == CHANGES_NEEDED else ""
    if answer.decision == CHANGES_NEEDED and not changes.strip():
        changes = "Changes needed (no comments given)."
    return {"role": role, "by": answer.by, "now": now, "changes": changes,
            "comments": "" if changes else answer.comments}


@contextmanager
def _api(url: str):
    before = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = before


def resume_with(draft: Draft, decision: Decision) -> None:
    """Resume the deployment run suspended on `draft` with `decision`, through the Prefect
    API the run is on; raise ReportingError, saying what to do, when it cannot be."""
    from prefect.exceptions import PrefectException
    from prefect.flow_runs import resume_flow_run

    answer = {"by": decision.by, "comments": decision.comments,
              "decision": CLEARED if decision.outcome == CLEARED else CHANGES_NEEDED}
    try:
        with _api(draft.api):
            resume_flow_run(UUID(draft.flow_run), run_input=answer)
    except (PrefectException, RuntimeError, OSError, ValueError) as error:
        raise ReportingError(
            f"the sign-off is recorded, but the suspended run {draft.flow_run} on "
            f"{draft.api} could not be resumed ({error}); resume it in Prefect's UI with the "
            "same answer, or run `reporting run` for the period") from error


class ClearanceExpired(ReportingError):
    """A draft waited longer than `[clearance] expires_days`: the run ends Failed."""


def _cancel_older(draft: Draft, flow_run_id: str) -> None:
    """Cancel the suspended run that waited on an earlier draft of the same paper."""
    from prefect.client.orchestration import get_client
    from prefect.states import Cancelled

    try:
        with get_client(sync_client=True) as client:
            client.set_flow_run_state(UUID(flow_run_id), Cancelled(
                message="A new draft of this paper was made; it is cleared afresh"), force=True)
    except Exception as error:  # noqa: BLE001  (an old run left suspended harms nothing)
        get_run_logger().warning("Could not cancel the run %s waiting on the earlier draft: "
                                 "%s", flow_run_id, error)


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
    period, cadence = inputs.period, report.cadence
    fingerprint = model_fingerprint(inputs_fingerprint, report.model)
    marked = replace(report, model=replace(report.model, draft_mark=DRAFT_MARK))
    documents = render(marked.model, f"{inputs_fingerprint}-draft")
    paths = publish(layout, inputs, marked, documents, started,
                    {"inputs_fingerprint": inputs_fingerprint, "draft": True}, draft=True)
    record = layout.clearance_record(period, cadence)
    before = read_draft(record)
    draft = pipeline.record_draft(layout, settings, report, period, fingerprint,
                                  datetime.now().astimezone())
    run = FlowRunContext.get().flow_run
    if before is not None and before.flow_run and before.flow_run != str(run.id) \
            and before.fingerprint != draft.fingerprint:
        _cancel_older(before, before.flow_run)
    where = f"{paths['pdf'].parent}"
    while not (draft.cleared or draft.changes_needed):
        expires = draft.expires(settings.clearance.expires_days)
        left = (expires - datetime.now().astimezone()).total_seconds()
        if left <= 0:
            raise ClearanceExpired(
                f"the draft of the {period.label} {cadence.value} paper made {draft.made} "
                f"waited more than {settings.clearance.expires_days} days ([clearance] "
                f"expires_days) for the {draft.next_role}: nothing was published or sent; "
                "run the report again for a new draft")
        if run.deployment_id is None:
            logger.warning(
                "Draft published in %s, waiting for the %s; nothing goes to members until "
                "every role has cleared it: reporting clear --period \"%s\" --cadence %s "
                "--as \"%s\"", where, draft.next_role, period.label, cadence.value,
                draft.next_role)
            return draft, paths
        from prefect.settings import PREFECT_API_URL

        draft = write_draft(record, replace(draft, flow_run=str(run.id),
                                            api=PREFECT_API_URL.value() or ""))
        role = draft.next_role
        exceptions = [f"{e.action_id} {e.action}: {e.problem}" for e in report.model.exceptions]
        problems = sum(1 for f in report.findings if f.data_quality)
        form = ClearanceForm.with_initial_data(
            description=form_description(
                draft, role, {k: str(v) for k, v in paths.items() if k in ("pdf", "docx", "html")},
                exceptions, f"{problems} data-quality findings, listed in "
                            f"{Path(where) / DATA_QUALITY_NAMES[0]}"))
        logger.info("Draft published in %s; waiting for the %s to clear it (the form on this "
                    "run's page, or `reporting clear`)", where, role)
        answer = suspend_flow_run(wait_for_input=form, key=f"{role}-{fingerprint}",
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
