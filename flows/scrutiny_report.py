"""The scrutiny report flow: plan and returns in, Word, PDF and HTML out.

The flow reads top to bottom as the story of one run; every decision is made by the
library's pipeline (`reporting.pipeline`), and this module only says how each step is run:
retries, the render cache, the run lock, logs and artifacts.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import Annotated

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from pydantic import Field

from flows.artifact_keys import artifact_key, plan_key
from flows.caching import inputs_fingerprint
from flows.clearance import clear_before_publishing
from flows.delivery import raise_if_not_delivered, send_with_retries
from flows.intake_check import refresh_chase_list
from flows.parameters import PaperName, PeriodParameter, PlanName
from flows.run_names import on_a_deployment, report_run_name, run_time
from reporting import pipeline
from reporting.automation.clearance import clearance_line, uncleared_note
from reporting.automation.lock import RunInProgress, acquire
from reporting.automation.mail import mailing_due, no_paper_notice, papers
from reporting.automation.run_period import choose_period, no_paper_reason, report_cron
from reporting.automation.schedule import local_date
from reporting.cadence import Paper
from reporting.installation import settings_path
from reporting.layout import OutputLayout
from reporting.period import Period
from reporting.render.flags import flag_rows
from reporting.report.summary import summary_markdown
from reporting.settings import Settings, load_settings
from reporting.wording import markdown_rows

# Steps pass plain in-memory objects; caching by content is configured where it is wanted.
step = task(cache_policy=NO_CACHE)

# A return may still be held open by Excel or a sync client: try again before giving up.
read_period = task(pipeline.read_period, cache_policy=NO_CACHE, retries=2,
                   retry_delay_seconds=[2, 5])
# A deployment's run has nobody to run it again: a return being saved as it starts is
# waited for once.
read_period_settled = task(pipeline.read_period_settled, cache_policy=NO_CACHE, retries=2,
                           retry_delay_seconds=[2, 5])
prepare_report = step(pipeline.prepare_report)
publish_report = step(pipeline.publish_report)


@step
def fingerprint_inputs(inputs: pipeline.PeriodInputs, paper: Paper, settings: Settings) -> str:
    return inputs_fingerprint(inputs, paper, settings.source)


def _by_fingerprint(context, parameters: dict) -> str:
    return f"scrutiny-documents-{parameters['fingerprint']}"


# Rendering is the slow step: its documents are kept in Prefect's result store under the
# inputs' fingerprint, so a re-run on unchanged inputs reuses them instead of rendering again.
@task(cache_key_fn=_by_fingerprint, persist_result=True)
def render_documents(model, fingerprint: str) -> dict[str, bytes]:
    return pipeline.render_documents(model)


@flow(name="scrutiny-report", log_prints=True, flow_run_name=report_run_name)
def scrutiny_report(
    period: PeriodParameter | None = None,
    cadence: PaperName = "quarterly",
    inputs: Path | None = None,
    outputs: Path | None = None,
    config: Path | None = None,
    plan: PlanName | None = None,
    wait_for_other_run_seconds: Annotated[float, Field(ge=0)] = 1800,
    settle_seconds: Annotated[float, Field(ge=0)] | None = None,
) -> dict[str, str]:
    """Produce the scrutiny report on `period`, the paper `cadence` names; give the paths written.

    Only one run per period and paper goes at a time: a second one waits for the first,
    then fails saying why. A period with no usable returns makes no paper and mails no
    member (the chase list is still written); a deployment's run mails the policy officer
    once to say so. A paper not delivered to every member ends the run
    Failed, naming who was not reached.

    Args:
        period: The quarter (or half) reported on, e.g. 2022/23 Q2 or 2022-23-Q2. Empty
            for the period the schedule's latest run (at or before this run's scheduled
            time) reports on; a Quick run takes that too.
        cadence: The paper: quarterly, or six-monthly (made at Q2 and Q4).
        inputs: The folder holding plan/ and returns/ (default: the settings' [paths]).
        outputs: The folder the documents are written under (default: the settings').
        config: The settings file (reporting.toml); wins over `plan`.
        plan: A plan of an installation with several: plans/NAME/reporting.toml in the
            working folder.
        wait_for_other_run_seconds: How long to wait for another run of the same report
            to finish before failing.
        settle_seconds: A return modified this recently may still be copying: a
            deployment's run waits for it once (at most this long, and 5 minutes), then
            leaves it for the next run, flagged, if it is still changing (default: the
            [intake] setting).
    """
    settings = load_settings(settings_path(plan, config))
    paper = Paper(cadence)
    inputs_dir = inputs or settings.inputs
    if period is None:
        period = _scheduled_period(settings, paper, inputs_dir)
    intake = settings.intake if settle_seconds is None else \
        replace(settings.intake, settle_seconds=settle_seconds)
    layout = OutputLayout(outputs or settings.outputs)
    what = f"the {period.label} {paper.value} report"
    lock = layout.lock(period, paper)
    try:
        held = acquire(lock, what)
    except RunInProgress as busy:
        get_run_logger().warning("%s; waiting up to %g s", busy, wait_for_other_run_seconds)
        held = acquire(lock, what, wait_for_other_run_seconds)
    key = plan_key(plan, settings)
    with held:
        paths = _report(settings, period, paper, inputs_dir, layout, intake, key)
    if "no_paper" in paths and on_a_deployment():  # a person at a terminal is told there
        _tell_no_paper(settings, period, paper, layout, str(paths["no_paper"]), key,
                       plan)
    if "no_paper" in paths or "draft" in paths:  # nothing for members: none, or not cleared
        return {kind: str(path) for kind, path in paths.items()}
    _deliver(settings, period, paper, layout, paths, key, plan)
    return {kind: str(path) for kind, path in paths.items()}


def _scheduled_period(settings: Settings, paper: Paper, inputs_dir: Path) -> Period:
    """The period a run given none reports on: its deployment's latest scheduled run's."""
    schedule = settings.schedule
    choice = choose_period(paper, Path(inputs_dir) / "returns", run_time(None, schedule.zone),
                           schedule.zone, report_cron(schedule, paper))
    get_run_logger().info("No period given: reporting on %s", choice)
    return choice.period


def _no_paper(settings: Settings, period: Period, paper: Paper, inputs_dir: Path,
              layout: OutputLayout, why: str, plan: str) -> dict[str, Path | str]:
    """Make no paper and mail no one on `period`, saying why; write its chase list."""
    get_run_logger().warning("No %s paper for %s, and nothing mailed to members: %s. The "
                             "chase list is written.", paper.value, period.label, why)
    today = local_date(datetime.now().astimezone(), settings.schedule.zone)
    refresh_chase_list(settings, period, today, inputs_dir, layout, plan)
    create_markdown_artifact(
        key=artifact_key("scrutiny-report", plan, period.path, paper.value),
        markdown=(f"# No paper: {period.label} {paper.value}\n\nNo paper was made and "
                  f"nothing was mailed to members: {why}.\n\nThe chase list is at "
                  f"`{layout.chase_list(period)}`.\n"),
        description=f"Scrutiny report, {period.label} {paper.value}: no paper")
    return {"no_paper": why, "chase_list": layout.chase_list(period)}


def _read(settings: Settings, period: Period, inputs_dir: Path, intake) -> pipeline.PeriodInputs:
    if not on_a_deployment():  # a person at a terminal runs it again, and is told
        return read_period(settings, period, inputs_dir, intake)
    read = read_period_settled(settings, period, inputs_dir, intake)
    if read.still_settling:
        get_run_logger().warning(read.note)
    elif read.note:
        get_run_logger().info(read.note)
    return read.inputs


def _report(settings: Settings, period: Period, paper: Paper, inputs_dir: Path,
            layout: OutputLayout, intake, plan: str) -> dict[str, Path | str]:
    started = datetime.now().astimezone()
    inputs = _read(settings, period, inputs_dir, intake)
    why = no_paper_reason(period, inputs.returns, Path(inputs_dir) / "returns",
                          local_date(started, settings.schedule.zone))
    if why:
        return _no_paper(settings, period, paper, inputs_dir, layout, why, plan)
    report = prepare_report(settings, inputs, paper, started)
    if report.late:
        get_run_logger().warning(report.late)
    fingerprint = fingerprint_inputs(inputs, paper, settings)
    cleared = {}
    if settings.clearance_required:
        draft, draft_paths = clear_before_publishing(
            settings, layout, inputs, report, fingerprint, started,
            render=lambda model, key: render_documents(model, key), publish=publish_report)
        if not draft.cleared:
            return {**draft_paths, "draft": draft.state}
        cleared = {"clearance": asdict(draft)}
        if settings.clearance.show_in_paper:  # the roles, never the names
            front = replace(report.model.front, cleared_by=", ".join(draft.cleared_by))
            report = replace(report, model=replace(report.model, front=front))
        get_run_logger().info("%s: publishing the paper cleared, without the draft mark",
                              clearance_line(draft))
    elif settings.email.enabled:
        get_run_logger().warning(uncleared_note(settings))
    rendered = render_documents(report.model, fingerprint, return_state=True)
    reused = rendered.name == "Cached"
    if reused:
        get_run_logger().info("The inputs are unchanged since an earlier run (fingerprint %s): "
                              "reusing its documents instead of rendering again.",
                              fingerprint[:12])
    paths = publish_report(layout, inputs, report, rendered.result(), started,
                           {"inputs_fingerprint": fingerprint, "documents_reused": reused,
                            **cleared, **mailing_due(settings.email)})
    _artifacts(period, paper, report, paths, reused, plan)
    return paths


def _artifacts(period: Period, paper: Paper, report: pipeline.PreparedReport,
               paths: dict[str, Path], reused: bool, plan: str) -> None:
    # The documents' paths are in the summary as text: a file:// link is one a browser
    # will not open from the UI's http page, and nothing serves outputs/ over http.
    summary = summary_markdown(report.model, {k: str(v) for k, v in paths.items()})
    if reused:
        summary += "\nThe inputs were unchanged since an earlier run: its documents were reused.\n"
    create_markdown_artifact(
        key=artifact_key("scrutiny-report", plan, period.path, paper.value),
        markdown=summary, description=f"Scrutiny report, {period.label} {paper.value}")
    create_table_artifact(key=artifact_key("flags", plan, period.path, paper.value),
                          table=markdown_rows(flag_rows(list(report.findings))),
                          description=f"Flags, {period.label} {paper.value}")


def _deliver(settings: Settings, period: Period, paper: Paper, layout: OutputLayout,
             paths: dict[str, Path], key: str, plan: str | None) -> None:
    messages = papers(period, paper, f"{settings.plan_title} monitoring report",
                      settings.committee_for(paper).name, settings.email.committee,
                      (paths["pdf"], paths["docx"]))
    what = f"{paper.value} papers for {period.label}"
    delivery = send_with_retries(settings.email, messages, layout.sent_record(period), what,
                                 artifact_key("delivery", key, period.path, paper.value),
                                 plan)
    raise_if_not_delivered([(what, delivery)])


def _tell_no_paper(settings: Settings, period: Period, paper: Paper, layout: OutputLayout,
                   why: str, plan: str, plan_name: str | None) -> None:
    """Mail `[email] policy_officer`, once for the period and paper, that no paper went to
    members; without one, warn that nobody was told. `plan` is the plan's key, `plan_name`
    the run's `plan` parameter."""
    officer = settings.email.policy_officer
    if not officer:
        get_run_logger().warning(
            "Nobody was told that no %s paper was made for %s: [email] policy_officer is "
            "not set in %s (set it, with [email] enabled = true, to have the policy officer "
            "mailed)", paper.value, period.label, settings.source or "the settings")
        return
    notice = no_paper_notice(officer, settings.plan_title, plan, period, paper, why,
                             layout.chase_list(period), plan_name)
    what = f"the notice of no {paper.value} paper for {period.label}"
    delivery = send_with_retries(settings.email, [notice], layout.sent_record(period), what,
                                 artifact_key("delivery", plan, period.path, paper.value))
    raise_if_not_delivered([(what, delivery)])
