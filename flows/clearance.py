"""Clearance in Prefect: a deployment run suspends with a form for the next role, and
`reporting clear` resumes it with the same decision.

Prefect reruns a resumed flow from the top and replays each suspend's saved input by its
key; the key is the role plus the draft's fingerprint, so a changed draft can never replay
an earlier sign-off. What the decisions mean is decided in `reporting.automation.clearance`.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime
from typing import Literal
from uuid import UUID

from prefect.input import RunInput
from pydantic import Field

from reporting.automation.clearance import CHANGES_NEEDED, CLEARED, Decision, Draft
from reporting.errors import ReportingError


class ClearanceForm(RunInput):
    """The sign-off form shown on the suspended run's page in Prefect's UI."""

    role: str = Field(description="The role signing off, as [clearance] roles names it.")
    decision: Literal["cleared", "changes needed"] = Field(
        "cleared", description="Cleared for publication, or changes needed first.")
    by: str = Field(description="Who signs off: kept in the clearance record, never in "
                                "the paper.")
    comments: str = Field("", description="Comments; with changes needed, what must change.")


def _escaped(text: str) -> str:
    """Officer and plan text shown in the form's markdown, never live markup."""
    return "".join(f"\\{c}" if c in "\\`*_{}[]()<>#+-.!|~" else c for c in text)


def form_description(draft: Draft, role: str, documents: dict[str, str],
                     exceptions: list[str], data_quality: str) -> str:
    """The form's description: the drafts by path (Prefect serves no files), the delivery
    exceptions and the data-quality summary, so the approver can decide from the run page."""
    lines = [f"## Clearance: {_escaped(draft.period)} {_escaped(draft.cadence)} paper",
             "", f"Waiting for the **{_escaped(role)}** (roles, in order: "
                 f"{_escaped(', '.join(draft.roles))}).", "", "### The drafts", ""]
    lines += [f"- {kind.upper()}: `{path.replace('`', '')}`" for kind, path in documents.items()]
    lines += ["", f"### Delivery exceptions ({len(exceptions)})", ""]
    lines += [f"- {_escaped(line)}" for line in exceptions] or ["None."]
    lines += ["", "### Data quality", "", _escaped(data_quality)]
    return "\n".join(lines)


def decision_of(answer: ClearanceForm, now: datetime) -> dict:
    """The form's answer as the arguments of `reporting.automation.clearance.decide`."""
    changes = answer.comments if answer.decision == CHANGES_NEEDED else ""
    if answer.decision == CHANGES_NEEDED and not changes.strip():
        changes = "Changes needed (no comments given)."
    return {"role": answer.role, "by": answer.by, "now": now, "changes": changes,
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

    answer = {"role": decision.role, "by": decision.by, "comments": decision.comments,
              "decision": CLEARED if decision.outcome == CLEARED else CHANGES_NEEDED}
    try:
        with _api(draft.api):
            resume_flow_run(UUID(draft.flow_run), run_input=answer)
    except (PrefectException, RuntimeError, OSError, ValueError) as error:
        raise ReportingError(
            f"the sign-off is recorded, but the suspended run {draft.flow_run} on "
            f"{draft.api} could not be resumed ({error}); resume it in Prefect's UI with the "
            "same answer, or run `reporting run` for the period") from error
