"""Round two of files built to hurt: each is a clear verdict for that file alone, and the run
goes on (issue 11)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from bad_returns import FOLDER, workbook_bytes, write
from conftest import (
    ROOT,
    make_action,
    make_plan,
    make_return,
    make_row,
    make_settings,
    prepare,
)
from openpyxl import load_workbook

from reporting.cadence import Paper
from reporting.cells import cell_text, parse_date
from reporting.intake.folder import read_returns
from reporting.intake.returns import read_return
from reporting.layout import MAX_NAME_BYTES, OutputLayout, safe_name
from reporting.period import Period
from reporting.pipeline import (
    PeriodInputs,
    check_period,
    prepare_report,
    publish_report,
)
from reporting.settings import READ_NOW, IntakeSettings

Q2 = Period.parse("2022/23 Q2")


def _edited(data: bytes, change) -> bytes:
    """Give the workbook `data` with each worksheet's XML passed through `change`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                part = change(part)
            dst.writestr(info, part)
    return out.getvalue()


def _far_value(data: bytes) -> bytes:
    """One value in the sheet's last cell, with the sheet's dimension left claiming A1:J12."""
    wb = load_workbook(io.BytesIO(data))
    wb["Return"]["XFD1048576"] = "x"
    saved = io.BytesIO()
    wb.save(saved)
    return _edited(saved.getvalue(),
                   lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:J12"/>',
                                      xml))


def test_a_value_in_the_last_cell_is_refused_not_a_crash(tmp_path):
    path = write(tmp_path / "communications.xlsx", _far_value(workbook_bytes()))
    # In a child process: were the guard to fail, the reader's abort must not take pytest.
    code = ("import sys; from reporting.intake.returns import read_return\n"
            f"ret = read_return({str(path)!r}); print(ret.usable, ret.problems[0].message)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.startswith("False the sheet holds a value in cell XFD1048576")


def test_a_merge_bomb_is_refused_at_once(tmp_path):
    wb = load_workbook(io.BytesIO(workbook_bytes()))
    for i in range(3000):
        wb["Return"].merge_cells(start_row=40 + i, start_column=12, end_row=40 + i, end_column=13)
    saved = io.BytesIO()
    wb.save(saved)
    ret = read_return(write(tmp_path / "housing.xlsx", saved.getvalue()))
    assert not ret.usable and "more than 1,000 merged cell ranges" in ret.problems[0].message


def test_a_csv_field_past_the_csv_modules_limit_is_a_verdict_not_a_traceback(tmp_path):
    path = tmp_path / "housing.csv"
    path.write_text("Action ID,Status,Progress update\n1.a,Green,\"" + "x" * 200_000 + "\"\n")
    ret = read_return(path)
    assert not ret.usable and "cannot be read as CSV" in ret.problems[0].message


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path):
    path = tmp_path / "housing.csv"
    path.write_text("Action ID,Status,Progress update\n1.a,Green," + "y" * 40_000 + "\n")
    ret = read_return(path)
    assert not ret.usable
    assert "line 2, column C holds 40,000 characters" in ret.problems[0].message


def test_a_utf16_csv_from_excel_is_read(tmp_path):
    path = tmp_path / "housing.csv"
    path.write_bytes("Action ID\tStatus\tProgress update\n".replace("\t", ",").encode("utf-16")
                     + "1.a,Amber,Café delayed\n".encode("utf-16")[2:])
    ret = read_return(path)
    assert ret.usable and ret.rows[0].progress_update == "Café delayed"


def test_links_and_folders_named_like_returns_are_refused_with_a_word(tmp_path):
    folder = tmp_path / FOLDER
    folder.mkdir()
    target = write(tmp_path / "elsewhere.xlsx", workbook_bytes())
    (folder / "housing.xlsx").symlink_to(target)
    (folder / "communications.xlsx").mkdir()
    (folder / "drafts").mkdir()  # any other folder is passed over
    found = {r.file: r for r in read_returns(folder)}
    assert set(found) == {"housing.xlsx", "communications.xlsx"}
    assert "links are not followed" in found["housing.xlsx"].problems[0].message
    assert "a folder, not a return file" in found["communications.xlsx"].problems[0].message


def test_a_file_that_changes_while_it_is_read_is_left_for_the_next_run(tmp_path, monkeypatch):
    import reporting.intake.returns as returns

    path = write(tmp_path / "housing.xlsx", workbook_bytes())
    real = returns._read_workbook

    def growing(data, settings, kind="xlsx"):
        read = real(data, settings, kind)
        with open(path, "ab") as handle:  # the copy goes on while the reader reads
            handle.write(b"more")
        return read

    monkeypatch.setattr(returns, "_read_workbook", growing)
    ret = read_return(path)
    assert ret.settling and "changed while it was being read" in ret.problems[0].message


def test_a_long_file_name_gets_its_receipt(tmp_path):
    name = "planning-policy-" + "very-long-" * 22 + ".xlsx"
    assert len(name.encode()) > MAX_NAME_BYTES
    ret = make_return("Planning Policy", make_row("1.a"), path=tmp_path / name)
    receipt = check_period(make_plan(make_action("1.a", lead_service_area="Planning Policy")),
                           [ret], [], Q2, READ_NOW).receipts[0]
    from reporting.render.receipts import write_receipts

    written = write_receipts([receipt], tmp_path / "receipts")
    assert all(len(p.name.encode()) <= MAX_NAME_BYTES + 5 for p in written)
    assert written[0].read_text().startswith(f"Receipt for {name}")


def test_right_to_left_overrides_never_reach_a_paper_or_a_file_name():
    assert cell_text("Done\u202egnirts") == "Donegnirts"
    # Not mistaken for a file without the override either (issue 22): it gains a hash.
    assert safe_name("housing\u202excod.xlsx").startswith("housingxcod.xlsx-")
    assert safe_name("../../etc/passwd") == "passwd"


@pytest.mark.parametrize("typed, meant", [("01/01/0001", None), ("31/03/23", "2023-03-31"),
                                          ("31/03/2023", "2023-03-31"), ("1/1/1900", None)])
def test_a_date_no_plan_means_is_not_a_date(typed, meant):
    day = parse_date(typed)
    assert (day.isoformat() if day else None) == meant


def test_an_update_too_long_for_the_paper_is_cut_there_and_kept_whole_elsewhere():
    update = "word " * 400
    report = prepare(make_plan(make_action("1.a")),
                     [make_return("Regulatory Services", make_row("1.a", "Red", update=update))])
    [entry] = [a for s in report.model.sections for a in s.actions]
    assert len(entry.progress_update.split()) < 170
    assert entry.progress_update.endswith("archived with this paper]")
    [off] = [f for f in report.findings if f.code == "OFF_TRACK"]
    assert len(off.message.split()) < 170
    assert "LONG_UPDATE" in {f.code for f in report.findings}
    assert report.merged.progress[0].progress_update == update  # the data keeps it whole


def test_a_stray_value_far_down_a_plan_sheet_costs_nothing(tmp_path):
    from conftest import BUNDLED_PLAN

    from reporting.plan import load_plan

    wb = load_workbook(BUNDLED_PLAN)
    wb["Actions"]["XFD1048576"] = "stray"
    wb.save(tmp_path / "plan.xlsx")
    started = datetime.now()
    assert len(load_plan(tmp_path / "plan.xlsx").actions) == 25
    assert (datetime.now() - started).total_seconds() < 10  # unbounded, it never finished


def test_receipts_and_papers_are_published_together_or_not_at_all(tmp_path, monkeypatch):
    import reporting.publish as publish

    plan = make_plan(make_action("1.a"))
    source = tmp_path / "plan.txt"
    source.write_text("plan")
    from dataclasses import replace

    ret = make_return("Regulatory Services", make_row("1.a"), path=write(
        tmp_path / "regulatory-services.xlsx", workbook_bytes()))
    inputs = PeriodInputs(Q2, replace(plan, source=source), (ret,), (), tmp_path)
    now = datetime.now().astimezone()
    report = prepare_report(make_settings(), inputs, Paper.QUARTERLY, now)
    documents = {"html": b"<html></html>", "pdf": b"%PDF-1.7 not drawn", "docx": b"PK"}
    layout = OutputLayout(tmp_path / "out")
    real_replace, calls = os.replace, []

    def full_disk(src, dst):
        calls.append(dst)
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(publish.os, "replace", full_disk)
    with pytest.raises(OSError):
        publish_report(layout, inputs, report, documents, now)
    monkeypatch.setattr(publish.os, "replace", real_replace)
    # Nothing landed: no receipt without its papers, and no temporary file left behind.
    assert not [p for p in (tmp_path / "out").rglob("*")
                if p.is_file() and "archive" not in p.parts]


def test_an_operating_error_is_one_line_naming_the_file(tmp_path, capsys, monkeypatch):
    from cli import main as cli

    def refused(args):
        raise PermissionError(13, "Permission denied", "/srv/outputs/2022-23-Q2")

    monkeypatch.setattr("cli.automation.schedule_command", refused)
    assert cli.main(["schedule"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "/srv/outputs/2022-23-Q2: Permission denied" in err


def test_the_intake_limits_are_settings(tmp_path):
    from reporting.settings import load_settings

    path = tmp_path / "reporting.toml"
    path.write_text('[council]\nname = "A"\ncommittee = "B"\n[plan]\ntitle = "C"\n'
                    "[intake]\nmax_columns = 40\nmax_merged_ranges = 10\n"
                    "max_field_chars = 500\n")
    intake = load_settings(path).intake
    assert (intake.max_columns, intake.max_merged_ranges, intake.max_field_chars) == (40, 10, 500)
    assert IntakeSettings().max_field_chars == 32767


ABORT_ON_BOOM = """
import os
import reporting.intake.returns as returns
from reporting.intake import isolated

real = returns.read_return

def read(path, settings):
    if "boom" in str(path):
        os.abort()  # as a native library might
    return real(path, settings)

returns.read_return = read
isolated.serve()
"""


def test_a_file_that_kills_the_reader_is_refused_and_the_rest_are_still_read(tmp_path):
    from reporting.intake.isolated import IsolatedReader

    paths = [write(tmp_path / name, workbook_bytes())
             for name in ("a.xlsx", "boom.xlsx", "c.xlsx")]
    with IsolatedReader(READ_NOW, command=[sys.executable, "-c", ABORT_ON_BOOM]) as reader:
        first, boom, last = (reader.read(p) for p in paths)
    assert not isinstance(first, Exception), first.message
    assert first.usable and last.usable and last.rows
    assert "made the spreadsheet reader stop" in boom.message


def test_the_run_reads_its_returns_in_one_child_process(tmp_path, monkeypatch):
    import reporting.intake.isolated as isolated

    started = []
    real = isolated.IsolatedReader._start
    monkeypatch.setattr(isolated.IsolatedReader, "_start",
                        lambda self: (started.append(1), real(self)))
    folder = tmp_path / FOLDER
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx", "c.csv"):
        write(folder / name, workbook_bytes()) if name.endswith("xlsx") else \
            (folder / name).write_text("Action ID,Status,Progress update\n1.a,Green,Fine\n")
    assert [r.usable for r in read_returns(folder)] == [True, True, True]
    assert started == [1]


TIED = """
import os, signal, subprocess, sys
from reporting.intake.isolated import die_with_parent
child = subprocess.Popen(["sleep", "300"], preexec_fn=die_with_parent)
print(child.pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_server_started_for_a_run_dies_with_it_even_on_kill_9():
    import time

    done = subprocess.run([sys.executable, "-c", TIED], cwd=ROOT, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == -9
    pid = int(done.stdout.split()[0])
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        with open(f"/proc/{pid}/stat") as stat:  # reaped by init, or a zombie: gone either way
            if stat.read().split()[2] == "Z":
                break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        pytest.fail("the child outlived its killed parent")


def test_last_quarters_return_left_under_another_name_is_never_used(tmp_path):
    folder = tmp_path / FOLDER
    folder.mkdir()
    header = "Action ID,Status,Progress update\n"
    current = folder / "health-and-wellbeing.csv"
    current.write_text("Period,2022/23 Q2\n" + header + "1.a,Amber,This quarter's words.\n")
    old = folder / "health-and-wellbeing-old.csv"
    old.write_text("Period,2022/23 Q1\n" + header + "1.a,Green,Last quarter's words.\n")
    os.utime(current, (1_000_000, 1_000_000))  # the old copy is the newer file on disk
    plan = make_plan(make_action("1.a", lead_service_area="Health & Wellbeing"))
    report = prepare(plan, read_returns(folder, READ_NOW))
    [progress] = report.merged.progress
    assert progress.progress_update == "This quarter's words."
    assert {(f.code, f.file) for f in report.findings} >= {
        ("SUPERSEDED_RETURN", "health-and-wellbeing-old.csv")}
    assert "Last quarter's words" not in repr(report.model)


def test_last_quarters_file_copied_in_under_any_name_is_taken_as_last_quarters(tmp_path):
    import shutil

    from conftest import BUNDLED_INPUTS

    from reporting.pipeline import read_period
    from reporting.settings import load_settings

    inputs = tmp_path / "inputs"
    shutil.copytree(BUNDLED_INPUTS, inputs)
    copy = inputs / "returns" / FOLDER / "health-and-wellbeing-final.csv"
    shutil.copy(inputs / "returns" / "2022-23-Q1" / "health-and-wellbeing.csv", copy)
    shutil.copy(inputs / "returns" / "2022-23-Q1" / "housing.xlsx",
                inputs / "returns" / FOLDER / "housing-q2.xlsx")
    for path in (inputs / "returns" / FOLDER).iterdir():
        os.utime(path, (1_000_000, 1_000_000))
    os.utime(copy, (2_000_000, 2_000_000))  # the copy is the newest file on disk
    settings = load_settings(ROOT / "reporting.toml")
    read = read_period(settings, Q2, inputs, READ_NOW)
    report = prepare_report(settings, read, Paper.QUARTERLY,
                            datetime(2022, 10, 20).astimezone())
    codes = {(f.code, f.file) for f in report.findings}
    assert ("OLD_RETURN", "health-and-wellbeing-final.csv") in codes
    assert ("OLD_RETURN", "housing-q2.xlsx") in codes
    assert ("NO_RETURN", "returns/2022-23-Q2") in codes  # Housing sent nothing of this period
    used = {p.return_file for p in report.merged.progress if p.rows}
    assert "health-and-wellbeing.csv" in used and not used & {"health-and-wellbeing-final.csv",
                                                              "housing-q2.xlsx"}
    services = {f.service_area for f in report.findings}
    assert "Health And Wellbeing Final" not in services  # named as the plan names it


def test_what_is_archived_is_what_was_read_and_nothing_a_link_points_to(tmp_path):
    folder = tmp_path / FOLDER
    folder.mkdir()
    secret = tmp_path / "secret.csv"
    secret.write_text("not for the archive")
    (folder / "regulatory-services-v2.csv").symlink_to(secret)
    (folder / "housing.xlsx").mkdir()
    (folder / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
    original = workbook_bytes()
    real = write(folder / "planning-policy.xlsx", original)
    returns = read_returns(folder, READ_NOW)
    plan = make_plan(make_action("1.a"))
    source = tmp_path / "plan.txt"
    source.write_text("plan")
    from dataclasses import replace

    inputs = PeriodInputs(Q2, replace(plan, source=source), tuple(returns), (), tmp_path)
    with open(real, "ab") as handle:  # changed after it was read, before it is archived
        handle.write(b"later")
    # The archive is given the plan's file and the bytes each return had when it was read;
    # a link, a folder and a broken link give nothing (and cannot stop the run), and the
    # record says each was refused.
    archived = inputs.read.archived
    assert archived[0].path == source and archived[0].content == b"plan"
    assert [(Path(f.path).name, f.content) for f in archived[1:]] == [
        ("planning-policy.xlsx", original)]
    assert sorted((Path(f.path).name, f.outcome.value) for f in inputs.read.skipped) == [
        ("gone.csv", "refused"), ("housing.xlsx", "refused"),
        ("regulatory-services-v2.csv", "refused")]
    assert real.read_bytes() != original  # the file itself has moved on


def test_returns_are_read_whatever_program_calls_the_library(tmp_path):
    # A script fed on stdin has no importable main module; the reader needs none.
    folder = tmp_path / FOLDER
    folder.mkdir()
    write(folder / "regulatory-services.xlsx", workbook_bytes())
    script = ("from reporting.intake.folder import read_returns\n"
              f"[ret] = read_returns({str(folder)!r})\n"
              "print(ret.usable, len(ret.rows))\n")
    done = subprocess.run([sys.executable, "-"], input=script, cwd=tmp_path, text=True,
                          capture_output=True, timeout=120)
    assert done.stdout.split() == ["True", "2"], done.stderr[-800:]
