"""A period is read once: one record of the files the read used (and skipped, and why)
drives the archive, the manifest and the cache key; last period is digested once."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from conftest import (
    BUNDLED_INPUTS,
    ROOT,
    make_action,
    make_plan,
    make_return,
    make_row,
    make_settings,
)

from flows.caching import inputs_fingerprint
from reporting import pipeline
from reporting.cadence import Paper
from reporting.layout import OutputLayout
from reporting.merge import LastPeriod, LastSaid
from reporting.period import Period
from reporting.publish import InputsRead, Outcome
from reporting.render.html import TEMPLATES
from reporting.report.travel import previous_period
from reporting.services import service_key
from reporting.settings import IntakeSettings, load_settings
from reporting.status import Status

Q1, Q2 = Period.parse("2022/23 Q1"), Period.parse("2022/23 Q2")
READ_NOW = IntakeSettings(settle_seconds=0)
SETTLING = IntakeSettings(settle_seconds=600)
NOT_UTF8 = b"Comunicaci\xf3n.xlsx"


@pytest.fixture
def installation(tmp_path):
    """A copy of the bundled inputs, templates and settings, and a key of the documents."""
    shutil.copytree(BUNDLED_INPUTS, tmp_path / "inputs")
    long_ago = time.time() - 86400
    for path in (tmp_path / "inputs").rglob("*"):
        os.utime(path, (long_ago, long_ago))  # long settled, whenever the copy was made
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    config = tmp_path / "reporting.toml"
    config.write_text((ROOT / "reporting.toml").read_text())
    settings = load_settings(config)

    def read(period=Q2, intake=READ_NOW) -> pipeline.PeriodInputs:
        return pipeline.read_period(settings, period, intake=intake)

    def key(inputs=None, paper=Paper.QUARTERLY) -> str:
        return inputs_fingerprint(inputs or read(), paper, config, tmp_path / "templates")

    return tmp_path, settings, read, key


def test_the_cache_key_follows_the_bytes_read_not_file_times(installation):
    root, settings, read, key = installation
    inputs = root / "inputs"
    first = key()
    a_return = inputs / "returns" / "2022-23-Q2" / "health-and-wellbeing.csv"
    os.utime(a_return, (0, 0))  # touched, or copied with new times: the same documents
    (inputs / "returns" / "2022-23-Q2" / "~$housing.xlsx").write_bytes(b"lock")  # Excel's
    (inputs / "returns" / "2022-23-Q3").mkdir()  # a folder the read does not come to
    (inputs / "returns" / "2022-23-Q3" / "housing.csv").write_text("Action ID,Status\n")
    assert key() == first
    assert key(paper=Paper.SIX_MONTHLY) != first
    assert key(read(Period.parse("2022/23 Q3"))) != first
    changes = [
        (a_return, a_return.read_bytes() + b"\n"),
        (inputs / "returns" / "2022-23-Q1" / "housing.xlsx", b"last quarter changed"),
        (root / "templates" / "report.css",
         (root / "templates" / "report.css").read_bytes() + b"/* */"),
        (root / "reporting.toml",
         (root / "reporting.toml").read_bytes() + b"# a new meeting date\n"),
    ]
    seen = {first}
    for path, data in changes:
        path.write_bytes(data)
        seen.add(key())
    assert len(seen) == len(changes) + 1


def test_a_return_left_settling_and_the_same_return_read_give_different_keys(installation):
    root, _, read, key = installation
    fresh = root / "inputs" / "returns" / "2022-23-Q2" / "planning-policy.xlsx"
    os.utime(fresh)  # just copied in: a run with a settle time leaves it for the next
    settling = read(intake=SETTLING)
    [left] = [f for f in settling.read.files if f.path == fresh]
    assert left.outcome is Outcome.SETTLING and left.sha256 == ""
    read_now = read(intake=READ_NOW)
    assert key(settling) != key(read_now)
    # Left settling twice (the reason holds a time, the key does not): the same key.
    time.sleep(1.1)
    assert key(read(intake=SETTLING)) == key(settling)


def _saved_seconds_ago(path: Path, seconds: float) -> None:
    when = time.time() - seconds
    os.utime(path, (when, when))


def test_a_return_saved_as_an_unattended_run_starts_is_waited_for_once_and_read(installation):
    root, settings, _, _ = installation
    fresh = root / "inputs" / "returns" / "2022-23-Q2" / "planning-policy.xlsx"
    _saved_seconds_ago(fresh, 40)  # settles 20 s after the run looks, with settle_seconds 60
    slept = []

    def sleep(seconds: float) -> None:  # time passes: the file is that much older
        slept.append(seconds)
        saved = fresh.stat().st_mtime - seconds
        os.utime(fresh, (saved, saved))

    read = pipeline.read_period_settled(settings, Q2, intake=IntakeSettings(settle_seconds=60),
                                        sleep=sleep)
    # Never longer than it takes to settle (the clock moves on while the folder is read).
    assert len(slept) == 1 and 0 < slept[0] <= 21
    assert read.waited_for == (fresh,) and read.still_settling == ()
    [ret] = [r for r in read.inputs.returns if r.path == fresh]
    assert ret.usable and not ret.settling
    assert "planning-policy.xlsx" in read.note and "it was read" in read.note


def test_a_return_still_changing_after_the_wait_is_left_for_the_next_run(installation):
    root, settings, _, _ = installation
    fresh = root / "inputs" / "returns" / "2022-23-Q2" / "planning-policy.xlsx"
    os.utime(fresh)  # just changed, and changed again while the run waits
    slept = []
    read = pipeline.read_period_settled(settings, Q2, intake=SETTLING,
                                        sleep=lambda s: (slept.append(s), os.utime(fresh)))
    # At most min(settle_seconds, 300 s): a 600 s settle time waits 300 s, once.
    assert slept == [pipeline.MOST_SETTLING_WAIT_SECONDS] == [300]
    assert read.still_settling == (fresh,)
    [ret] = [r for r in read.inputs.returns if r.path == fresh]
    assert ret.settling and not ret.usable
    assert "was still changing" in read.note and "left for the next one" in read.note
    # A short settle time waits no longer than it.
    slept.clear()
    pipeline.read_period_settled(settings, Q2, intake=IntakeSettings(settle_seconds=30),
                                 sleep=lambda s: (slept.append(s), os.utime(fresh)))
    assert len(slept) == 1 and 0 < slept[0] <= 30


def test_a_folder_with_nothing_settling_is_read_once_without_waiting(installation, monkeypatch):
    _, settings, _, _ = installation
    reads = []
    real = pipeline.read_period
    monkeypatch.setattr(pipeline, "read_period", lambda *a, **k: reads.append(a) or real(*a, **k))
    read = pipeline.read_period_settled(settings, Q2, intake=SETTLING,
                                        sleep=lambda s: pytest.fail("waited for nothing"))
    assert len(reads) == 1 and read.note == "" and read.waited_seconds == 0
    assert all(not r.settling for r in read.inputs.returns)


def test_every_file_the_read_opens_is_in_its_record(installation):
    # Whatever reads a new kind of input, it goes through the record or this fails.
    root, _, read, _ = installation
    inputs_folder = (root / "inputs").resolve()
    opened: list[Path] = []
    watching = [True]

    def hook(event: str, args: tuple) -> None:
        if watching[0] and event == "open" and isinstance(args[0], (str, bytes)):
            path = Path(os.fsdecode(args[0])).resolve()
            if path.is_relative_to(inputs_folder) and not path.is_dir():
                opened.append(path)

    sys.addaudithook(hook)  # hooks cannot be removed: this one stops watching at the end
    try:
        inputs = read()
    finally:
        watching[0] = False
    recorded = {Path(f.path).resolve() for f in inputs.read.files}
    assert opened, "the plan at least is opened here"
    assert set(opened) <= recorded
    assert {f.kind for f in inputs.read.files} == {"plan", "return", "previous return"}


def test_a_new_kind_of_input_read_through_the_record_changes_the_key(installation):
    root, _, read, key = installation
    comments = root / "inputs" / "comments.txt"
    comments.write_text("The committee asked for the leisure centre figures.")
    before = read()

    def read_comments(reading: pipeline.Reading) -> str:  # a new input's reader
        return reading.bytes_of("committee comments", comments).decode()

    reading = pipeline.Reading()
    read_comments(reading)
    with_comments = replace(before, read=before.read + reading.record)
    assert key(with_comments) != key(before)
    comments.write_text("The committee asked for the pool figures.")
    reading = pipeline.Reading()
    read_comments(reading)
    assert key(replace(before, read=before.read + reading.record)) != key(with_comments)


def test_a_name_that_is_not_utf8_is_hashed_archived_and_published(installation):
    root, settings, read, key = installation
    folder = root / "inputs" / "returns" / "2022-23-Q2"
    original = (folder / "communications.xlsx").read_bytes()
    os.rename(folder / "communications.xlsx", os.fsencode(folder) + b"/" + NOT_UTF8)
    inputs = read()
    name = os.fsdecode(NOT_UTF8)
    [entry] = [f for f in inputs.read.files if f.path.name == name]
    assert entry.outcome is Outcome.READ and entry.content == original
    assert len(key(inputs)) == 64
    started = datetime.now().astimezone()
    report = pipeline.prepare_report(settings, inputs, Paper.QUARTERLY, started)
    documents = {"html": b"<html></html>", "pdf": b"%PDF-1.7", "docx": b"PK"}
    layout = OutputLayout(root / "outputs")
    paths = pipeline.publish_report(layout, inputs, report, documents, started)
    manifest = json.loads(paths["manifest"].read_text(encoding="utf-8"))
    [archived] = [i for i in manifest["inputs"] if "Comunicaci" in i["path"]]
    assert archived["path"] == "returns/2022-23-Q2/Comunicaci\\xf3n.xlsx"
    assert (layout.root / archived["archived_as"]).read_bytes() == original
    assert any("Comunicaci" in r for r in manifest["receipts"])
    for receipt in manifest["receipts"]:
        assert (layout.root / receipt).is_file()
    assert "Comunicaci\\xf3n.xlsx" in paths["flags"].read_text(encoding="utf-8") or \
        "Comunicaci\\xf3n.xlsx" in (layout.root / next(
            r for r in manifest["receipts"] if "Comunicaci" in r)).read_text(encoding="utf-8")


def test_the_manifest_says_what_was_skipped_and_why(installation):
    root, settings, read, _ = installation
    folder = root / "inputs" / "returns" / "2022-23-Q2"
    (folder / "housing.pdf").write_bytes(b"%PDF-1.7 not a return")
    os.utime(folder / "housing.pdf", (0, 0))  # long there
    os.utime(folder / "planning-policy.xlsx")  # just copied in
    inputs = read(intake=SETTLING)
    started = datetime.now().astimezone()
    report = pipeline.prepare_report(settings, inputs, Paper.QUARTERLY, started)
    paths = pipeline.publish_report(OutputLayout(root / "outputs"), inputs, report,
                                    {"html": b"", "pdf": b"", "docx": b""}, started)
    skipped = json.loads(paths["manifest"].read_text())["skipped"]
    assert [(s["path"], s["kind"], s["outcome"]) for s in skipped] == [
        ("returns/2022-23-Q2/housing.pdf", "return", "refused"),
        ("returns/2022-23-Q2/planning-policy.xlsx", "return", "settling")]
    assert "PDF" in skipped[0]["why"] and "copying" in skipped[1]["why"]


def test_the_record_holds_each_file_once_with_its_outcome():
    plan = make_plan(make_action("1.a"))
    good = make_return("Regulatory Services", make_row("1.a"), content=b"bytes")
    refused = make_return("Housing", path=Path("housing.pdf"))
    refused = replace(refused, problems=(*refused.problems, _fatal("housing.pdf")))
    inputs = pipeline.PeriodInputs(Q2, plan, (good, refused), (), Path("."))
    assert [(f.kind, f.outcome) for f in inputs.read.files] == [
        ("return", Outcome.READ), ("return", Outcome.REFUSED)]
    assert inputs.read.archived == inputs.read.files[:1]
    assert isinstance(inputs.read + InputsRead(), InputsRead)


def _fatal(name: str):
    from reporting.intake.returns import Problem

    return Problem(name, "", "this is a PDF, not a spreadsheet", fatal=True)


# -- last period, digested once ----------------------------------------------------------

PLAN = make_plan(make_action("1.a"), make_action("1.b"))


def _last(*said: tuple[str, Status, str]) -> LastPeriod:
    service = service_key("Regulatory Services")
    return LastPeriod(Q1, tuple(LastSaid(service, action, "", status, words)
                                for action, status, words in said))


def _prepared(now, previous, monkeypatch=None, digest=None):
    if digest is not None:  # the pipeline's one digest, made by hand with no returns behind it
        monkeypatch.setattr(pipeline, "digest_last_period", lambda *args: digest)
    inputs = pipeline.PeriodInputs(Q2, PLAN, (now,), tuple(previous), Path("."))
    return pipeline.prepare_report(make_settings(), inputs, Paper.QUARTERLY,
                                   datetime(2022, 11, 1, 9, 30).astimezone())


def test_the_stale_update_check_and_travel_read_the_one_digest(monkeypatch):
    # What the checks and the direction of travel say can only come from the digest: the
    # return given as last period's says something else.
    last = _last(("1.a", Status.AT_RISK, "Work continues."),
                 ("1.b", Status.ON_TRACK, "Survey sent out."))
    elsewhere = make_return("Regulatory Services", make_row("1.a", "Complete", update="Other."))
    now = make_return("Regulatory Services", make_row("1.a", "On track", update="work continues"),
                      make_row("1.b", "Off track", update="Survey results in.", row=9))
    report = _prepared(now, [elsewhere], monkeypatch, last)
    assert report.check.updates.last_period is last
    assert [f.action_id for f in report.check.findings if f.code == "STALE_UPDATE"] == ["1.a"]
    travel = {a.id: a.travel.value for s in report.model.sections for a in s.actions}
    assert travel == {"1.a": "Improved", "1.b": "Worse"}
    assert dict(previous_period(last).statuses) == {"1.a": Status.AT_RISK,
                                                    "1.b": Status.ON_TRACK}


def test_a_return_repeating_the_digest_is_last_periods(monkeypatch):
    last = _last(("1.a", Status.ON_TRACK, "Work continues."),
                 ("1.b", Status.ON_TRACK, "Survey sent out."))
    copy = make_return("Regulatory Services", make_row("1.a", update="Work continues."),
                       make_row("1.b", update="Survey sent out.", row=9))
    assert {f.fate.value for f in _prepared(copy, [copy]).check.updates.fates} == {"OLD_RETURN"}
    assert {f.fate.value for f in _prepared(copy, []).check.updates.fates} == {""}
    other = _last(("1.a", Status.ON_TRACK, "Something else."))
    assert {f.fate.value for f in _prepared(copy, [copy], monkeypatch, other).check.updates
            .fates} == {""}
    assert {f.fate.value for f in _prepared(copy, [], monkeypatch, last).check.updates
            .fates} == {"OLD_RETURN"}


def test_the_pipeline_digests_last_period_once(monkeypatch):
    import reporting.checks.returns as checks
    import reporting.merge as merge

    calls = []
    real = merge.digest_last_period

    def counted(*args):
        calls.append(args)
        return real(*args)

    for module in (pipeline, checks, merge):
        monkeypatch.setattr(module, "digest_last_period", counted)
    last = make_return("Regulatory Services", make_row("1.a", "At risk", update="Same."))
    now = make_return("Regulatory Services", make_row("1.a", "On track", update="Same."),
                      make_row("1.b", update="New.", row=9))
    report = _prepared(now, [last])
    assert len(calls) == 1
    assert "STALE_UPDATE" in {f.code for f in report.check.findings}
    assert report.check.updates.last_period == real(PLAN, [last], Q1)
