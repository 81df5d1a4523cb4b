"""The scrutiny report flow: plan and returns in, Word, PDF and HTML out.

The flow only wires `reporting/` functions together and says how each step is run
(retries, logging, artifacts); every decision is made in the domain library.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.caching import inputs_fingerprint
from flows.delivery import send_with_retries

from reporting import plan as plan_module
from reporting.intake import returns as returns_module
from reporting.cadence import Cadence
from reporting.automation_settings import load_automation_settings
from reporting.config import DEFAULT_CONFIG_NAME, Settings, load_settings
from reporting.checks.flags import Flag, raise_flags
from reporting.intake.files import READ_NOW, IntakeSettings, load_intake_settings
from reporting.automation.lock import RunInProgress, acquire, lock_path
from reporting.automation.mail import SENT_RECORD_NAME, papers
from reporting.report.merge import Merged, merge
from reporting.report.model import ReportModel, build_report_model
from reporting.period import Period
from reporting.publish import FLAG_COLUMNS, archive_inputs, flags_csv, publish_run
from reporting.report.receipts import write_receipts
from reporting.render.html import render_html, render_pdf
from reporting.render.word import render_docx
from reporting.automation.schedule import period_reported_on
from reporting.report.summary import document_stem, summary_markdown
from reporting.report.travel import previous_period

# Steps pass plain in-memory objects; caching by content is configured where it is wanted.
step = task(cache_policy=NO_CACHE)


@step
def load_plan(folder: Path, settings: Settings) -> plan_module.Plan:
    return plan_module.load_plan(plan_module.find_plan(folder), settings.default_cadence)


# A return may still be held open by Excel or a sync client: try again before giving up.
@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 5])
def read_returns(folder: Path, intake: IntakeSettings = READ_NOW) -> list[returns_module.Return]:
    return returns_module.read_returns(folder, intake)


@step
def merge_and_flag(
    plan: plan_module.Plan, returns: list, cadence: Cadence, period: Period,
    previous: list, intake: IntakeSettings,
) -> tuple[Merged, list[Flag]]:
    merged = merge(plan, returns, cadence, period)
    return merged, raise_flags(merged, previous=previous, intake=intake)


@step
def write_return_receipts(returns: list, previous: list, folder: Path) -> list[Path]:
    return write_receipts(returns, folder, previous=previous)


@step
def build_model(settings: Settings, plan, merged, flags, produced: datetime,
                previous_returns: list, previous: Period) -> ReportModel:
    return build_report_model(settings, plan, merged, flags, produced,
                              previous=previous_period(previous_returns, previous),
                              glossary=settings.glossary)


def _by_fingerprint(context, parameters: dict) -> str:
    return f"scrutiny-documents-{parameters['fingerprint']}"


@step
def fingerprint_inputs(period: Period, cadence: Cadence, inputs: Path, config: Path) -> str:
    return inputs_fingerprint(period.path, period.previous().path, cadence.value, inputs, config)


# Rendering is the slow step: its documents are kept in Prefect's result store under the
# inputs' fingerprint, so a re-run on unchanged inputs reuses them instead of rendering again.
@task(cache_key_fn=_by_fingerprint, persist_result=True)
def render_documents(model: ReportModel, fingerprint: str) -> dict[str, bytes]:
    html = render_html(model)
    return {"html": html.encode("utf-8"), "pdf": render_pdf(html), "docx": render_docx(model)}


@step
def publish(folder: Path, stem: str, documents: dict[str, bytes], flags: list[Flag],
            inputs: list[Path], archive: Path, root: Path, counts: dict,
            started: datetime, period: Period, cadence: Cadence,
            extra: dict | None = None) -> dict[str, Path]:
    archived = archive_inputs(inputs, archive, root)
    files = {f"{stem}.{kind}": data for kind, data in documents.items()}
    files["flags.csv"] = flags_csv(flags)
    manifest = publish_run(folder, files, archived, counts, started,
                           extra={"period": period.label, "cadence": cadence.value,
                                  **(extra or {})})
    paths = {kind: folder / f"{stem}.{kind}" for kind in documents}
    paths["flags"] = folder / "flags.csv"
    paths["manifest"] = manifest
    return paths


def _artifacts(period: Period, cadence: Cadence, model: ReportModel, flags: list[Flag],
               paths: dict[str, Path], reused: bool) -> None:
    key = f"{period.path.lower()}-{cadence.value}"
    summary = summary_markdown(model, {k: str(v) for k, v in paths.items()})
    if reused:
        summary += "\nThe inputs were unchanged since an earlier run: its documents were reused.\n"
    create_markdown_artifact(key=f"scrutiny-report-{key}", markdown=summary,
                             description=f"Scrutiny report, {period.label} {cadence.value}")
    create_table_artifact(
        key=f"flags-{key}",
        table=[{c: str(getattr(f, c).word if c == "severity" else getattr(f, c))
                for c in FLAG_COLUMNS} for f in flags],
        description=f"Flags, {period.label} {cadence.value}",
    )
    for kind in ("pdf", "docx", "html"):
        create_link_artifact(key=f"{kind}-{key}", link=paths[kind].resolve().as_uri(),
                             link_text=paths[kind].name,
                             description=f"The {kind.upper()} of the {cadence.value} report")


def _deliver(period: Period, cadence: Cadence, config: Path, settings: Settings,
             paths: dict[str, Path], outputs_dir: Path) -> None:
    email = load_automation_settings(config).email
    messages = papers(period, cadence.value, f"{settings.plan_title} monitoring report",
                      settings.committee, email.committee, (paths["pdf"], paths["docx"]))
    send_with_retries(email, messages, outputs_dir / period.path / SENT_RECORD_NAME,
                      f"{cadence.value} papers for {period.label}",
                      f"delivery-{period.path.lower()}-{cadence.value}")


@flow(name="scrutiny-report", log_prints=True)
def scrutiny_report(
    period: str | None = None,
    cadence: str = "quarterly",
    inputs: str | None = None,
    outputs: str | None = None,
    config: str | None = None,
    wait_for_other_run_seconds: float = 1800,
    settle_seconds: float | None = None,
) -> dict[str, str]:
    """Produce the scrutiny report on `period` for the `cadence` and give the paths written.

    With no `period` (a scheduled run), the report is on the period the schedule says a run
    at its scheduled time reports on. Only one run per period and cadence goes at a time: a
    second one waits for the first, up to `wait_for_other_run_seconds`, then fails saying why.
    A return modified in the last `settle_seconds` (default: the `[intake]` setting) may
    still be copying: it is left for the next run and flagged.
    """
    config_path = Path(config) if config else Path(DEFAULT_CONFIG_NAME)
    settings = load_settings(config_path)
    the_cadence = Cadence.parse(cadence)
    if period:
        the_period = Period.parse(period)
    else:
        schedule = load_automation_settings(config_path).schedule
        when = flow_run.scheduled_start_time or datetime.now().astimezone()
        the_period = period_reported_on(the_cadence, when, schedule.zone)
    inputs_dir = Path(inputs) if inputs else settings.inputs
    outputs_dir = Path(outputs) if outputs else settings.outputs
    what = f"the {the_period.label} {the_cadence.value} report"
    lock = lock_path(outputs_dir, the_period.path, the_cadence.value)
    try:
        held = acquire(lock, what)
    except RunInProgress as busy:
        get_run_logger().warning("%s; waiting up to %g s", busy, wait_for_other_run_seconds)
        held = acquire(lock, what, wait_for_other_run_seconds)
    with held:
        paths = _report(the_period, the_cadence, inputs_dir, outputs_dir, config_path, settings,
                        settle_seconds)
    _deliver(the_period, the_cadence, config_path, settings, paths, outputs_dir)
    return {kind: str(path) for kind, path in paths.items()}


def _report(the_period: Period, the_cadence: Cadence, inputs_dir: Path, outputs_dir: Path,
            config_path: Path, settings: Settings,
            settle_seconds: float | None) -> dict[str, Path]:
    started = datetime.now().astimezone()
    returns_dir = inputs_dir / "returns" / the_period.path
    intake = load_intake_settings(config_path)
    if settle_seconds is not None:
        intake = replace(intake, settle_seconds=settle_seconds)
    before = the_period.previous()

    plan = load_plan(inputs_dir / "plan", settings)
    returns = read_returns(returns_dir, intake)
    previous_returns = read_returns(inputs_dir / "returns" / before.path)  # settled long ago
    merged, flags = merge_and_flag(plan, returns, the_cadence, the_period, previous_returns,
                                   intake)
    receipts = write_return_receipts(returns, previous_returns,
                                     outputs_dir / the_period.path / "receipts")
    model = build_model(settings, plan, merged, flags, started, previous_returns, before)
    fingerprint = fingerprint_inputs(the_period, the_cadence, inputs_dir, config_path)
    rendered = render_documents(model, fingerprint, return_state=True)
    documents = rendered.result()
    reused = rendered.name == "Cached"
    if reused:
        get_run_logger().info("The inputs are unchanged since an earlier run (fingerprint %s): "
                              "reusing its documents instead of rendering again.",
                              fingerprint[:12])
    paths = publish(
        outputs_dir / the_period.path / the_cadence.value,
        document_stem(the_period, the_cadence),
        documents,
        flags,
        [plan.source, *(r.path for r in returns), *(r.path for r in previous_returns)],
        outputs_dir / "archive",
        inputs_dir,
        {"actions": len(merged.progress), "returns": len(returns), "flags": len(flags)},
        started,
        the_period,
        the_cadence,
        {"inputs_fingerprint": fingerprint, "documents_reused": reused,
         "receipts": [str(p.relative_to(outputs_dir)) for p in receipts]},
    )
    _artifacts(the_period, the_cadence, model, flags, paths, reused)
    return paths
