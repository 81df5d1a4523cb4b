"""The pipeline: a period's plan and returns in; findings, receipts, the ReportModel and the
documents out. The flow, the command line, the tests and the benchmark all call these
functions, so the report is made one way wherever it is made.

    inputs = read_period(settings, period)                     # plan, returns, last period's,
                                                               # and the record of that read
    report = prepare_report(settings, inputs, paper, now)      # merge, checks, receipts, model
    documents = render_documents(report.model)                 # HTML, PDF, Word
    paths = publish_report(OutputLayout(...), inputs, report, documents, now)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Callable

from reporting.automation.clearance import Draft, read_draft, start_draft, write_draft
from reporting.cadence import Paper, papers_on, period_covered
from reporting.checks import Finding, check_returns, report_findings
from reporting.checks.returns import withdrawn_returns
from reporting.intake.folder import input_file, read_returns, seconds_to_settle
from reporting.errors import ReportingError
from reporting.intake.returns import Note, Return, latest_period_with_returns
from reporting.layout import (
    DATA_QUALITY_NAMES,
    DOCUMENT_KINDS,
    FLAGS_NAME,
    OutputLayout,
)
from reporting.merge import (
    Merged,
    PeriodUpdates,
    Progress,
    decide_fates,
    digest_last_period,
    merge,
    progress_of,
)
from reporting.period import Period
from reporting.plan import Plan, find_plan, load_plan
from reporting.publish import (
    InputFile,
    InputsRead,
    archive_inputs,
    publish_run,
    read_manifest,
    sha256_of,
)
from reporting.render.flags import data_quality_csv, data_quality_html, flags_csv
from reporting.render.receipts import receipt_files, remove_withdrawn, withdrawn
from reporting.report.front_matter import publication_date, standard_statutory_words
from reporting.report.model import ReportModel, build_report_model
from reporting.report.receipts import PaperContent, Receipt, build_receipts
from reporting.report.travel import previous_period
from reporting.settings import IntakeSettings, Settings
from reporting.wording import long_date, shown_name


class Reading:
    """One read of a run's inputs, keeping the record of every file it comes to.

    Every file `read_period` uses is taken through one (its bytes by `bytes_of`, returns
    read in the reading child by `returns`), so the record, and the archive, the manifest
    and the cache key made from it, hold every input, of whatever kind, and nothing else.
    """

    def __init__(self) -> None:
        self._files: list[InputFile] = []

    def bytes_of(self, kind: str, path: Path) -> bytes:
        """Give the bytes of the file at `path`, read as `kind` ("plan", ...), and record them."""
        data = Path(path).read_bytes()
        self._files.append(InputFile(kind, Path(path), content=data))
        return data

    def returns(self, kind: str, returns: list[Return]) -> tuple[Return, ...]:
        """Record what became of each of `returns` (read, settling, refused, unreadable) and
        give them back."""
        self._files.extend(input_file(ret, kind) for ret in returns)
        return tuple(returns)

    @property
    def record(self) -> InputsRead:
        return InputsRead(tuple(self._files))


@dataclass(frozen=True)
class PeriodInputs:
    """What a period's report is made from: the plan, the returns and last period's returns,
    with the record of the read that gave them (`read`: every file, its bytes' sha256, and
    what was skipped and why), from which the archive, the manifest and the cache key come.
    """

    period: Period
    plan: Plan
    returns: tuple[Return, ...]
    previous_returns: tuple[Return, ...]
    inputs: Path  # the folder holding plan/ and returns/
    # Inputs made by hand (in a test) record the plan's file, if it has one, and their
    # returns as they were read.
    read: InputsRead | None = None

    def __post_init__(self) -> None:
        if self.read is None:
            reading = Reading()
            if self.plan.source and Path(self.plan.source).is_file():
                reading.bytes_of("plan", self.plan.source)
            reading.returns("return", list(self.returns))
            reading.returns("previous return", list(self.previous_returns))
            object.__setattr__(self, "read", reading.record)


@dataclass(frozen=True)
class PeriodCheck:
    """The period's returns judged: each row's fate, the findings and a receipt per file."""

    updates: PeriodUpdates
    findings: tuple[Finding, ...]
    receipts: tuple[Receipt, ...]
    papers: tuple[PaperContent, ...] = ()  # each paper of the period, as it presents it


@dataclass(frozen=True)
class PreparedReport:
    """One paper, decided and worded, ready to render."""

    paper: Paper
    check: PeriodCheck
    merged: Merged
    findings: tuple[Finding, ...]  # what this report presents, most severe first
    model: ReportModel
    late: str = ""  # said when the paper is made after its publication date


def returns_folder(inputs: Path, period: Period) -> Path:
    return Path(inputs) / "returns" / period.path


def read_plan(settings: Settings, inputs: Path | None = None,
              reading: Reading | None = None) -> Plan:
    """Give the plan in `inputs/plan` (default: the settings' inputs folder), its bytes
    recorded in `reading` when given."""
    path = find_plan(Path(inputs or settings.inputs) / "plan")
    if reading is not None:
        reading.bytes_of("plan", path)
    return load_plan(path, settings.default_cadence, settings.starts)


def known_services(settings: Settings, plan: Plan | None) -> tuple[str, ...]:
    """Give the service areas a run knows: the plan's leads and `[contacts]`."""
    return (*(plan.service_areas if plan else ()), *(c.service_area for c in settings.contacts))


def read_period(settings: Settings, period: Period, inputs: Path | None = None,
                intake: IntakeSettings | None = None) -> PeriodInputs:
    """Read the plan, the period's returns and last period's returns, with the record of
    every file read (a new kind of input is read through the same `Reading`).

    `intake` overrides the settings' `[intake]` (a person running a report now passes
    `settle_seconds=0`); last period's returns are long settled and read at once.
    """
    inputs = Path(inputs or settings.inputs)
    intake = intake or settings.intake
    reading = Reading()
    plan = read_plan(settings, inputs, reading)
    services = known_services(settings, plan)
    returns = reading.returns("return", read_returns(returns_folder(inputs, period), intake,
                                                     services=services))
    previous = reading.returns("previous return", read_returns(
        returns_folder(inputs, period.previous()), replace(intake, settle_seconds=0),
        services=services))
    return PeriodInputs(period, plan, returns, previous, inputs, reading.record)


# A run with nobody to run it again waits at most this long, once, for returns left settling.
MOST_SETTLING_WAIT_SECONDS = 300.0


@dataclass(frozen=True)
class SettledRead:
    """A period read by a run that waited once for its returns left settling
    (`read_period_settled`): what it waited for, how long, and what is still changing."""

    inputs: PeriodInputs
    waited_seconds: float = 0.0
    waited_for: tuple[Path, ...] = ()
    still_settling: tuple[Path, ...] = ()

    @property
    def note(self) -> str:
        """Say what the wait came to ("" when nothing was waited for)."""
        if not self.waited_for:
            return ""
        names = ", ".join(shown_name(p.name) for p in self.waited_for)
        said = (f"Waited {self.waited_seconds:.0f} s for {names} in "
                f"{self.waited_for[0].parent}, changed just before the run looked (it may "
                "have been being saved), and read the folder again")
        if not self.still_settling:
            return f"{said}: it was read."
        still = ", ".join(shown_name(p.name) for p in self.still_settling)
        return (f"{said}: {still} was still changing, so it is not read this run but left for "
                "the next one (its receipt says so); if it stays unread, check that whoever "
                "saves it has closed it.")


def read_period_settled(settings: Settings, period: Period, inputs: Path | None = None,
                        intake: IntakeSettings | None = None,
                        sleep: Callable[[float], None] = time.sleep) -> SettledRead:
    """Give the period read as `read_period` reads it, read once more after a wait when it
    left a return settling, so a scheduled run does not miss a return being saved as it starts.

    The wait (`sleep`) is until every settling return would have settled, and at most
    min(`[intake] settle_seconds`, MOST_SETTLING_WAIT_SECONDS); it happens once: a return
    still changing after it is left for the next run, as any settling return is.
    """
    intake = intake or settings.intake
    first = read_period(settings, period, inputs, intake)
    settling = [r for r in first.returns if r.settling]
    wait = min(seconds_to_settle(settling, intake.settle_seconds), intake.settle_seconds,
               MOST_SETTLING_WAIT_SECONDS)
    if wait <= 0:
        return SettledRead(first)
    sleep(wait)
    again = read_period(settings, period, inputs, intake)
    return SettledRead(again, wait, tuple(r.path for r in settling),
                       tuple(r.path for r in again.returns if r.settling))


def check_period(plan: Plan | None, returns: list[Return] | tuple[Return, ...],
                 previous_returns: list[Return] | tuple[Return, ...], period: Period,
                 intake: IntakeSettings) -> PeriodCheck:
    """Judge the period's returns once: every row's fate, every finding, every receipt.

    With no plan (a file checked on its own), the checks that need the plan are skipped and
    each receipt says so.
    """
    updates = _updates(plan, returns, previous_returns, period)
    findings = check_returns(updates, intake=intake)
    # Each paper is decided here, once, so that a receipt names the exceptions each paper
    # will show, whichever paper a run makes.
    papers = tuple(_content(plan, updates, findings, paper, intake.long_update_words)
                   for paper in papers_on(period)) if plan is not None else ()
    return PeriodCheck(updates, tuple(findings),
                       tuple(build_receipts(updates, findings, papers)), papers)


def _updates(plan: Plan | None, returns: list[Return] | tuple[Return, ...],
             previous_returns: list[Return] | tuple[Return, ...], period: Period
             ) -> PeriodUpdates:
    """Give the period's returns with every row's fate decided, as every report decides it."""
    # Last period is digested once: the fates, STALE_UPDATE and travel all read this one.
    last = digest_last_period(plan, list(previous_returns), period.previous())
    return decide_fates(plan, list(returns), period, last)


@dataclass(frozen=True)
class YearEnd:
    """Where the latest returns leave each action of the plan, for the year-end rollover."""

    period: Period  # the latest period with a returns folder
    plan: Plan
    progress: dict[str, Progress]  # every action's, whatever its cadence, by action key


def read_year_end(settings: Settings, inputs: Path | None = None) -> YearEnd:
    """Read the plan and its latest period's returns (the last period with a folder under
    inputs/returns); give each action's progress there, its rows' fates decided as a run
    decides them. Raises ReportingError when no period has a returns folder."""
    inputs = Path(inputs or settings.inputs)
    period = latest_period_with_returns(inputs / "returns")
    if period is None:
        raise ReportingError(f"no period has a returns folder under {inputs / 'returns'}, so "
                             "there is nothing to say which actions are complete")
    read = read_period(settings, period, inputs, replace(settings.intake, settle_seconds=0))
    updates = _updates(read.plan, read.returns, read.previous_returns, period)
    return YearEnd(period, read.plan,
                   {p.action.key: p for p in progress_of(read.plan, updates)})


def _content(plan: Plan, updates: PeriodUpdates, findings: list[Finding] | tuple[Finding, ...],
             paper: Paper, long_update_words: int) -> PaperContent:
    """Give one paper of the period: its merge and the findings it presents."""
    merged = merge(plan, updates, paper, updates.period)
    return PaperContent(paper, merged, tuple(report_findings(merged, list(findings),
                                                             long_update_words)))


def prepare_report(settings: Settings, inputs: PeriodInputs, paper: Paper,
                   produced: datetime, check: PeriodCheck | None = None) -> PreparedReport:
    """Give the `paper` on the inputs' period: merged, checked and worded.

    `check` is the period's check when it is already made (both papers of a period share it).
    """
    check = check or check_period(inputs.plan, inputs.returns, inputs.previous_returns,
                                  inputs.period, settings.intake)
    content = next((c for c in check.papers if c.paper is paper), None) or _content(
        inputs.plan, check.updates, check.findings, paper, settings.intake.long_update_words)
    merged, findings = content.merged, content.findings
    # With no returns last period (a plan's first period) there is nothing to compare with.
    last = check.updates.last_period
    before = previous_period(last) if inputs.previous_returns and last else None
    model = build_report_model(settings, inputs.plan, merged, findings, produced,
                               previous=before, glossary=settings.glossary)
    published = publication_date(settings, inputs.period, paper)
    late = (f"This paper is late: it was due to be published on {long_date(published)}, and "
            f"was made on {long_date(produced.date())}."
            if published and produced.date() > published else "")
    # Told to the policy officer only: the committee's paper already has its words.
    statutory = standard_statutory_words(settings)
    return PreparedReport(paper, check, merged,
                          tuple(findings) + ((statutory,) if statutory else ()), model, late)


def render_documents(model: ReportModel) -> dict[str, bytes]:
    """Give the report's documents: {"html": ..., "pdf": ..., "docx": ...} as bytes."""
    # Imported here: WeasyPrint and python-docx take a second to load, which `reporting
    # check` (an officer waiting for a receipt) should not pay.
    from reporting.render.alongside import WordAlongside
    from reporting.render.html import render_html, render_pdf

    # The Word file renders in a child process while the PDF is typeset here: one per core.
    word = WordAlongside(model)
    html = render_html(model)
    pdf = render_pdf(html)
    return {"html": html.encode("utf-8"), "pdf": pdf, "docx": word.result()}


def publish_report(layout: OutputLayout, inputs: PeriodInputs, report: PreparedReport,
                   documents: dict[str, bytes], started: datetime,
                   extra: dict | None = None, draft: bool = False) -> dict[str, Path]:
    """Write the receipts, archive the inputs, then publish the documents, flags.csv and the
    manifest; give the path of each ("pdf", "docx", "html", "flags", "manifest").

    A `draft` (documents marked as such, waiting for clearance) goes in the paper's draft
    folder, leaving the published paper, if any, as it was; receipts go out either way.
    """
    period, paper = inputs.period, report.paper
    folder = layout.draft(period, paper) if draft else layout.papers(period, paper)
    archived = archive_inputs(inputs.read, layout.archive, inputs.inputs)
    # The receipts are published with the papers, in one step: both or neither.
    receipts = receipt_files(_as_published(layout, period, paper, report.check.receipts,
                                           archived), layout.receipts(period))
    # A file gone from the folder loses its receipt and is listed in the data-quality note.
    gone, stale = withdrawn(list(report.check.receipts), layout.receipts(period))
    findings = list(report.findings) + withdrawn_returns(gone)
    stem = layout.document_stem(period, paper)
    files = {f"{stem}.{kind}": documents[kind] for kind in DOCUMENT_KINDS}
    files[FLAGS_NAME] = flags_csv(findings)
    # The policy officer's data-quality note: what the committee paper leaves out.
    html_name, csv_name = DATA_QUALITY_NAMES
    files[html_name] = data_quality_html(findings, report.model.title, report.late)
    files[csv_name] = data_quality_csv(findings)
    counts = {"actions": len(report.merged.progress), "returns": len(inputs.returns),
              "flags": len(report.findings)}
    manifest = publish_run(
        folder, files, archived, counts, started,
        extra={"period": period.label, "cadence": paper.value,
               "receipts": [str(p.relative_to(layout.root)) for p in receipts],
               **(extra or {})},
        alongside=receipts, skipped=inputs.read.skipped, root=inputs.inputs)
    remove_withdrawn(layout.receipts(period), gone, stale)
    paths = {kind: layout.document(period, paper, kind, draft) for kind in DOCUMENT_KINDS}
    return {**paths, "flags": folder / FLAGS_NAME, "manifest": manifest}


def _as_published(layout: OutputLayout, period: Period, paper: Paper,
                  receipts: tuple[Receipt, ...], archived: list) -> list[Receipt]:
    """Give `receipts`, each with a note for another of the period's papers already published
    from another copy of its file, or before it came in: the receipt says what this copy
    would give that paper, which shows the earlier one until it is run again."""
    ours = {shown_name(Path(a.path).name): a.sha256 for a in archived if a.kind == "return"}
    said: dict[str, list[str]] = {}
    for other in papers_on(period):
        if other is paper:
            continue
        manifest = read_manifest(layout.manifest(period, other))
        try:
            published = datetime.fromisoformat(manifest["finished"])
        except (ValueError, KeyError, TypeError):  # None: not published, or unreadable
            continue  # nothing to compare with
        theirs = {shown_name(Path(e.get("path", "")).name): e.get("sha256")
                  for e in manifest.get("inputs", []) if e.get("kind") == "return"}
        label = period_covered(other, period).label
        for name, sha in ours.items():
            if theirs.get(name) != sha:
                copy = "an earlier copy of this file" if name in theirs else \
                    "before this file came in"
                said.setdefault(name, []).append(
                    f"the {other.value} report for {label} was published on "
                    f"{long_date(published.date())} from {copy}: it shows your actions as "
                    f"that gave them until it is run again; what this copy would give it is "
                    f"above")
    return [replace(r, notes=r.notes + tuple(Note(r.file, "", m) for m in said.get(r.file, ())))
            for r in receipts]


def record_draft(layout: OutputLayout, settings: Settings, report: PreparedReport,
                 period: Period, fingerprint: str, now: datetime) -> Draft:
    """Record the draft just published (its documents' sha256, read back from the files) and
    give it, with the sign-offs that still stand for this exact draft."""
    path = layout.clearance_record(period, report.paper)
    documents = {p.name: sha256_of(p) for p in (
        layout.document(period, report.paper, kind, draft=True) for kind in DOCUMENT_KINDS)}
    draft = start_draft(read_draft(path), period=period.label, cadence=report.paper.value,
                        fingerprint=fingerprint, roles=settings.clearance.roles,
                        documents=documents, now=now,
                        expires_days=settings.clearance.expires_days)
    return write_draft(path, draft)
