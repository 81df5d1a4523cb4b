"""The scrutiny report flow: plan and returns in, Word, PDF and HTML out.

The flow only wires `reporting/` functions together and says how each step is run
(retries, logging, artifacts); every decision is made in the domain library.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from reporting import plan as plan_module
from reporting import returns as returns_module
from reporting.cadence import Cadence
from reporting.config import Settings, load_settings
from reporting.flags import Flag, raise_flags
from reporting.merge import Merged, merge
from reporting.model import ReportModel, build_report_model
from reporting.period import Period
from reporting.publish import archive_inputs, flags_csv, publish_run
from reporting.render.html import render_html, render_pdf
from reporting.render.word import render_docx
from reporting.summary import document_stem, summary_markdown

# Steps pass plain in-memory objects; caching by content is configured where it is wanted.
step = task(cache_policy=NO_CACHE)


@step
def load_plan(folder: Path, settings: Settings) -> plan_module.Plan:
    return plan_module.load_plan(plan_module.find_plan(folder), settings.default_cadence)


# A return may still be held open by Excel or a sync client: try again before giving up.
@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 5])
def read_returns(folder: Path) -> list[returns_module.Return]:
    return returns_module.read_returns(folder)


@step
def merge_and_flag(
    plan: plan_module.Plan, returns: list, cadence: Cadence, period: Period
) -> tuple[Merged, list[Flag]]:
    merged = merge(plan, returns, cadence, period)
    return merged, raise_flags(merged)


@step
def build_model(settings, plan, merged, flags, produced: datetime) -> ReportModel:
    return build_report_model(settings, plan, merged, flags, produced)


@step
def render_documents(model: ReportModel) -> dict[str, bytes]:
    html = render_html(model)
    return {"html": html.encode("utf-8"), "pdf": render_pdf(html), "docx": render_docx(model)}


@step
def publish(folder: Path, stem: str, documents: dict[str, bytes], flags: list[Flag],
            inputs: list[Path], archive: Path, root: Path, counts: dict,
            started: datetime, period: Period, cadence: Cadence) -> dict[str, Path]:
    archived = archive_inputs(inputs, archive, root)
    files = {f"{stem}.{kind}": data for kind, data in documents.items()}
    files["flags.csv"] = flags_csv(flags)
    manifest = publish_run(folder, files, archived, counts, started,
                           extra={"period": period.label, "cadence": cadence.value})
    paths = {kind: folder / f"{stem}.{kind}" for kind in documents}
    paths["flags"] = folder / "flags.csv"
    paths["manifest"] = manifest
    return paths


@flow(name="scrutiny-report", log_prints=True)
def scrutiny_report(
    period: str,
    cadence: str = "quarterly",
    inputs: str | None = None,
    outputs: str | None = None,
    config: str | None = None,
) -> dict[str, str]:
    """Produce the scrutiny report on `period` for the `cadence` and give the paths written."""
    started = datetime.now().astimezone()
    settings = load_settings(Path(config) if config else None)
    the_period = Period.parse(period)
    the_cadence = Cadence.parse(cadence)
    inputs_dir = Path(inputs) if inputs else settings.inputs
    outputs_dir = Path(outputs) if outputs else settings.outputs
    returns_dir = inputs_dir / "returns" / the_period.path

    plan = load_plan(inputs_dir / "plan", settings)
    returns = read_returns(returns_dir)
    merged, flags = merge_and_flag(plan, returns, the_cadence, the_period)
    model = build_model(settings, plan, merged, flags, started)
    documents = render_documents(model)
    paths = publish(
        outputs_dir / the_period.path / the_cadence.value,
        document_stem(the_period, the_cadence),
        documents,
        flags,
        [plan.source, *(r.path for r in returns)],
        outputs_dir / "archive",
        inputs_dir,
        {"actions": len(merged.progress), "returns": len(returns), "flags": len(flags)},
        started,
        the_period,
        the_cadence,
    )
    create_markdown_artifact(
        key=f"scrutiny-report-{the_period.path.lower()}-{the_cadence.value}",
        markdown=summary_markdown(model, {k: str(v) for k, v in paths.items()}),
        description=f"Scrutiny report, {the_period.label} {the_cadence.value}",
    )
    return {kind: str(path) for kind, path in paths.items()}
