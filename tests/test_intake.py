"""Files as they really arrive: every bad file gets a receipt and a flag, and the run goes on."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

import pytest
from bad_returns import (
    FOLDER,
    IGNORED,
    UNREADABLE,
    build_corpus,
    workbook_bytes,
    write,
    zip_bomb,
)
from conftest import make_action, make_plan, make_settings, prepare

from reporting.cadence import Paper
from reporting.intake.files import is_ignored
from reporting.intake.folder import read_returns
from reporting.intake.returns import read_return
from reporting.period import Period
from reporting.render.receipts import write_receipts
from reporting.report.receipts import receipt_text
from reporting.services import service_area_from_name
from reporting.settings import IntakeSettings, load_settings
from reporting.working_days import add_working_days

Q2 = Period.parse("2022/23 Q2")
LIMITS = IntakeSettings(max_file_mb=1, max_rows=50, settle_seconds=60)


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("inputs")
    folder = root / "returns" / FOLDER
    paths = build_corpus(folder)
    before = _hashes(root)
    returns = read_returns(folder, LIMITS)
    services = sorted({r.service_area for r in returns} - {"Regulatory Services"})
    plan = make_plan(make_action("1.a"), make_action("1.b"),
                     *(make_action(f"{n}.a", lead_service_area=s)
                       for n, s in enumerate(services, start=2)))
    report = prepare(plan, returns, Paper.QUARTERLY, Q2, settings=make_settings(intake=LIMITS))
    check, merged, flags = report.check, report.merged, list(report.findings)
    receipts = {r.file: r for r in check.receipts}
    outputs = tmp_path_factory.mktemp("outputs")
    written = write_receipts(list(check.receipts), outputs / FOLDER / "receipts")
    return dict(root=root, folder=folder, paths=paths, before=before, returns=returns,
                plan=plan, merged=merged, check=check, flags=flags, receipts=receipts, outputs=outputs,
                written=written)


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_each_unusable_file_gets_a_receipt_and_an_unreadable_flag(corpus, case):
    name, reason = UNREADABLE[case]
    receipt = corpus["receipts"][name]
    text = receipt_text(receipt)
    assert receipt.outcome == "Not used" and reason in text
    assert "What to do:" in text
    [flag] = [f for f in corpus["flags"] if f.code == "UNREADABLE_RETURN" and name in f.message]
    assert reason in flag.message
    assert flag.service_area == service_area_from_name(Path(name))


def test_the_clean_return_is_accepted(corpus):
    receipt = corpus["receipts"]["regulatory-services.xlsx"]
    assert receipt.outcome == "Accepted" and receipt.problems == ()
    assert "Accepted 2 rows on 2 actions (1.a, 1.b)." in receipt_text(receipt)
    assert not [f for f in corpus["flags"] if f.service_area == "Regulatory Services"]


def test_lock_hidden_and_temporary_files_are_passed_over_in_silence(corpus):
    read = {r.file for r in corpus["returns"]}
    assert not read & set(IGNORED)
    assert not any(name in f.message for f in corpus["flags"] for name in IGNORED)
    assert not any(name in p.name for p in corpus["written"] for name in IGNORED)
    assert all(is_ignored(Path(name)) for name in IGNORED)


def test_a_file_still_copying_is_skipped_and_said_so(corpus):
    receipt = corpus["receipts"]["housing-options.xlsx"]
    assert receipt.outcome == "Not read yet"
    assert "may still be copying" in receipt_text(receipt)
    [flag] = [f for f in corpus["flags"] if "housing-options.xlsx" in f.message]
    assert flag.code == "UNREADABLE_RETURN" and "not read this run" in flag.message
    # Once it has settled it is read.
    later = read_returns(corpus["folder"], LIMITS, now=time.time() + 120)
    assert next(r for r in later if r.file == "housing-options.xlsx").usable


def test_every_file_read_has_a_text_and_an_html_receipt(corpus):
    names = {p.name for p in corpus["written"]}
    for ret in corpus["returns"]:
        assert {f"{ret.file}.txt", f"{ret.file}.html"} <= names
    folder = corpus["outputs"] / FOLDER / "receipts"
    assert not list(folder.glob("*.tmp")) and not list(folder.glob(".*"))


@pytest.mark.slow
def test_the_run_still_publishes(corpus, tmp_path):
    from reporting.layout import OutputLayout
    from reporting.pipeline import (
        PeriodInputs,
        prepare_report,
        publish_report,
        render_documents,
    )

    now = datetime.now().astimezone()
    source = tmp_path / "plan.txt"  # the plan is built in memory; the archive needs its bytes
    source.write_text(repr(corpus["plan"]))
    plan = dataclasses.replace(corpus["plan"], source=source)
    inputs = PeriodInputs(Q2, plan, tuple(corpus["returns"]), (), corpus["root"])
    report = prepare_report(make_settings(intake=LIMITS), inputs, Paper.QUARTERLY, now)
    paths = publish_report(OutputLayout(tmp_path / "out"), inputs, report,
                           render_documents(report.model), now)
    html = paths["html"].read_text(encoding="utf-8")
    # Unreadable files are for the policy officer (flags.csv, the data-quality note); the
    # committee paper holds no flag code.
    assert "UNREADABLE_RETURN" in paths["flags"].read_text()
    note = (paths["flags"].parent / "data-quality.html").read_text(encoding="utf-8")
    assert "UNREADABLE_RETURN" in note and "UNREADABLE_RETURN" not in html
    manifest = json.loads(paths["manifest"].read_text())
    # What was read is archived, as it was read: the plan and every return with bytes read
    # (a file refused before reading, too big or still copying, has none).
    read = [r for r in corpus["returns"] if r.content]
    assert len(manifest["inputs"]) == len(read) + 1
    assert {i["sha256"] for i in manifest["inputs"][1:]} == {
        hashlib.sha256(r.content).hexdigest() for r in read}
    assert len(manifest["receipts"]) == 2 * len(corpus["returns"])


def test_inputs_are_never_changed(corpus):
    # After reading, merging, flagging and writing receipts (the fixture), and reading again.
    read_returns(corpus["folder"], LIMITS)
    assert _hashes(corpus["root"]) == corpus["before"]


def test_a_zip_bomb_is_refused_without_expanding_it(tmp_path):
    # 40 MB of XML in a small zip: refused from the sizes its entries declare, so the read
    # never holds more than a fraction of it (a wall-time bound would fail under load).
    path = write(tmp_path / "bomb.xlsx", zip_bomb(40))
    tracemalloc.start()
    ret = read_return(path, IntakeSettings(max_file_mb=1))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not ret.usable and "expands to more than" in ret.problems[0].message
    assert peak < 5 * 1024 * 1024


def test_too_many_rows_is_refused_before_loading(tmp_path):
    from bad_returns import many_rows

    ret = read_return(write(tmp_path / "r.xlsx", many_rows(120)), IntakeSettings(max_rows=100))
    assert not ret.usable and "more than 100 rows" in ret.problems[0].message
    assert read_return(write(tmp_path / "s.xlsx", many_rows(90)),
                       IntakeSettings(max_rows=100)).usable


def test_the_intake_settings_come_from_reporting_toml(tmp_path):
    from conftest import ROOT

    settings = load_settings(ROOT / "reporting.toml").intake
    assert (settings.settle_seconds, settings.max_file_mb, settings.max_rows,
            settings.long_update_words, settings.returns_deadline_working_days) == (
        60, 20, 5000, 150, 10)
    (tmp_path / "r.toml").write_text('[council]\nname = "A"\ncommittee = "B"\n'
                                     '[plan]\ntitle = "C"\n[intake]\nmax_rows = 10\n')
    assert load_settings(tmp_path / "r.toml").intake.max_rows == 10


def test_working_days_skip_weekends():
    # 2022/23 Q2 ends on Friday 30 September 2022.
    assert str(add_working_days(Q2.end, 10)) == "2022-10-14"
    assert str(add_working_days(Q2.end, 1)) == "2022-10-03"


def test_a_return_in_the_folder_without_settings_is_read_at_once(tmp_path):
    folder = tmp_path / FOLDER
    folder.mkdir()
    (folder / "regulatory-services.xlsx").write_bytes(workbook_bytes())
    [ret] = read_returns(folder)
    assert ret.usable and not ret.settling


def test_text_from_a_return_is_never_markup_in_the_report_html(tmp_path):
    from reporting.render.html import render_html

    hostile = '<script>alert(1)</script><img src="http://evil.example/x.png"> {{ 7*7 }}'
    folder = tmp_path / FOLDER
    folder.mkdir()
    rows = [["1.a", "", "", "Red", hostile, None, "", None, "", hostile]]
    ret = read_return(write(folder / "regulatory-services.xlsx", workbook_bytes(rows=rows)))
    html = render_html(prepare(make_plan(make_action("1.a")), [ret]).model)
    assert "<script>alert(1)" not in html and '<img src="http://evil' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "{{ 7*7 }}" in html


def test_xml_is_parsed_safely(tmp_path):
    from bad_returns import with_entity_bomb
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML  # openpyxl (used for the plan and templates) parses with defusedxml
    ret = read_return(write(tmp_path / "r.xlsx", with_entity_bomb(workbook_bytes())))
    assert not ret.usable and "refuses to read" in ret.problems[0].message
