"""Round four of what a careless or hostile officer's file can still do to a run (issue 22,
round three's review): each case is a file, a cell or a setting that once did it."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import make_action, make_plan, make_return, make_row

from reporting.period import Period
from reporting.pipeline import check_period
from reporting.report.receipts import receipt_text
from reporting.settings import READ_NOW

Q2 = Period.parse("2022/23 Q2")
PLAN = make_plan(make_action("1.a", leads=("Planning Policy",)),
                 make_action("5.c", leads=("Communications",)))


def _check(*returns):
    checked = check_period(PLAN, list(returns), [], Q2, READ_NOW)
    receipts = {r.file: receipt_text(r) for r in checked.receipts}
    return checked, receipts


def _return(path: Path, service: str, *rows, completed: date, age: float = 3600, **values):
    path.write_bytes(b"")
    then = time.time() - age
    os.utime(path, (then, then))
    return make_return(service, *rows, path=path, date_completed=completed,
                       field_cells={"Service area": "Return!B1",
                                    "Date completed": "Return!B5"}, **values)


# ---------------------------------------------------------------------------------------
# 1. A return never replaces another service's return


def test_a_file_named_for_one_service_never_replaces_anothers_own_return(tmp_path):
    own = _return(tmp_path / "planning-policy.xlsx", "Planning Policy",
                  make_row("1.a", "At risk", "Consultation delayed."),
                  completed=date(2022, 10, 5))
    hostile = _return(tmp_path / "communications.xlsx", "Planning Policy",
                      make_row("1.a", "Complete", "All done, says Communications."),
                      completed=date(2022, 10, 9), age=60)
    checked, receipts = _check(own, hostile)

    assert checked.updates.return_for("Planning Policy") is own
    progress = {p.action.id: p for paper in checked.papers for p in paper.merged.progress}
    assert progress["1.a"].progress_update == "Consultation delayed."
    found = [f for f in checked.findings if f.code == "SERVICE_NAME_MISMATCH"]
    assert len(found) == 1 and found[0].severity.word == "High" and found[0].data_quality
    assert found[0].file == "communications.xlsx" and found[0].cell == "Return!B1"

    mine = receipts["communications.xlsx"]
    assert "Outcome: Not used" in mine and "Problems: none" not in mine
    assert "[SERVICE_NAME_MISMATCH]" in mine and "planning-policy.xlsx" in mine
    theirs = receipts["planning-policy.xlsx"]
    assert "[SERVICE_NAME_MISMATCH]" in theirs and "communications.xlsx" in theirs
    assert "your own return, this file, is the one used" in theirs
    assert not any(f.code == "SUPERSEDED_RETURN" for f in checked.findings)


def test_a_misnamed_file_with_no_rival_is_used_for_its_cell_and_flagged(tmp_path):
    alone = _return(tmp_path / "communications.xlsx", "Planning Policy",
                    make_row("1.a", "On track"), completed=date(2022, 10, 9))
    checked, receipts = _check(alone)
    assert checked.updates.return_for("Planning Policy") is alone
    text = receipts["communications.xlsx"]
    assert "Outcome: Accepted with problems" in text and "[SERVICE_NAME_MISMATCH]" in text
    assert "used as Planning Policy's" in text


@pytest.mark.parametrize("name", ["planning.xlsx", "2022-23-Q2 planning-policy.xlsx",
                                  "q2-return.xlsx", "Copy of planning-policy.xlsx"])
def test_a_name_agreeing_with_the_cell_or_naming_no_service_is_not_flagged(tmp_path, name):
    ret = _return(tmp_path / name, "Planning Policy", make_row("1.a"),
                  completed=date(2022, 10, 9))
    checked, _ = _check(ret)
    assert not any(f.code == "SERVICE_NAME_MISMATCH" for f in checked.findings)


# ---------------------------------------------------------------------------------------
# 4. An old copy never wins a tie on file time; a tie is said on both receipts


@pytest.mark.parametrize("copy", ["Copy of planning-policy.xlsx", "planning-policy (1).xlsx",
                                  "planning-policy - Copy.xlsx"])
def test_two_returns_with_one_date_completed_prefer_the_name_that_is_not_a_copy(tmp_path, copy):
    real = _return(tmp_path / "planning-policy.xlsx", "Planning Policy",
                   make_row("1.a", "At risk", "Consultation delayed."),
                   completed=date(2022, 10, 5), age=7200)
    draft = _return(tmp_path / copy, "Planning Policy",
                    make_row("1.a", "Complete", "Draft words."),
                    completed=date(2022, 10, 5), age=60)  # saved later
    checked, receipts = _check(real, draft)
    assert checked.updates.return_for("Planning Policy") is real
    tied = [f for f in checked.findings if f.code == "TIED_RETURNS"]
    assert {f.file for f in tied} == {"planning-policy.xlsx", copy}
    assert all(f.data_quality for f in tied)
    for name in ("planning-policy.xlsx", copy):
        assert "Problems: none" not in receipts[name] and "[TIED_RETURNS]" in receipts[name]
        assert "its name is not a copy's" in receipts[name]
    assert "Outcome: Accepted with problems" in receipts["planning-policy.xlsx"]
    assert "later Date completed" in receipts[copy]


def test_a_later_date_completed_still_wins_and_is_no_tie(tmp_path):
    old = _return(tmp_path / "planning-policy.xlsx", "Planning Policy", make_row("1.a"),
                  completed=date(2022, 10, 1))
    new = _return(tmp_path / "Copy of planning-policy.xlsx", "Planning Policy",
                  make_row("1.a"), completed=date(2022, 10, 5))
    checked, _ = _check(old, new)
    assert checked.updates.return_for("Planning Policy") is new
    assert not any(f.code == "TIED_RETURNS" for f in checked.findings)


# ---------------------------------------------------------------------------------------
# 3. A number no reader can use is refused when the settings are read


@pytest.mark.parametrize("value", ["inf", "+inf", "-inf", "nan", "1e308"])
@pytest.mark.parametrize("setting", ["max_file_mb", "settle_seconds"])
def test_a_setting_that_is_no_finite_number_is_refused_in_one_line(tmp_path, setting, value):
    from test_settings import MINIMAL

    from reporting.settings import ConfigError, load_settings

    (tmp_path / "reporting.toml").write_text(f"{MINIMAL}[intake]\n{setting} = {value}\n")
    with pytest.raises(ConfigError, match=rf"\[intake\] {setting} must be a number") as caught:
        load_settings(tmp_path / "reporting.toml")
    assert "\n" not in str(caught.value)


def test_a_large_but_usable_limit_is_still_read(tmp_path):
    from test_settings import MINIMAL

    from reporting.settings import load_settings

    (tmp_path / "reporting.toml").write_text(f"{MINIMAL}[intake]\nmax_file_mb = 1e6\n")
    assert load_settings(tmp_path / "reporting.toml").intake.max_bytes == 10 ** 6 * 1024 ** 2


# ---------------------------------------------------------------------------------------
# 7. Every name the command prints is shown escaped; check goes on past a missing file

HOSTILE_NAME = "x\x1b[2K\rALL RETURNS READ OK\x1b[8m.xlsx"


def test_run_prints_a_settling_files_name_escaped(tmp_path, monkeypatch, capsys):
    import json

    import flows.launch
    from cli import main as cli
    from test_settings import MINIMAL

    (tmp_path / "reporting.toml").write_text(MINIMAL)
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"skipped": [
        {"outcome": "settling", "path": str(tmp_path / HOSTILE_NAME)}]}))
    paths = {kind: tmp_path / f"paper\x1b[2J.{kind}" for kind in ("pdf", "docx", "html", "flags")}
    monkeypatch.setattr(flows.launch, "run_report",
                        lambda *args, **kwargs: {**paths, "manifest": manifest})
    assert cli.main(["--config", str(tmp_path / "reporting.toml"), "run",
                     "--period", "2022/23 Q2", "--outputs", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out
    assert "x\\x1b[2K\\x0dALL RETURNS READ OK\\x1b[8m.xlsx" in out


def test_check_says_each_missing_file_checks_the_others_and_exits_1(tmp_path, capsys):
    from bad_returns import workbook_bytes, write
    from test_intake_command import _run

    path = write(tmp_path / "regulatory-services.xlsx", workbook_bytes())
    gone = [tmp_path / "gone.xlsx", tmp_path / HOSTILE_NAME]
    assert _run(["check", str(gone[0]), str(path), str(gone[1])]) == 1
    captured = capsys.readouterr()
    assert "Receipt for regulatory-services.xlsx" in captured.out
    assert f"no such file: {gone[0]}" in captured.err
    assert "\x1b" not in captured.err and "ALL RETURNS READ OK\\x1b[8m.xlsx" in captured.err
    assert _run(["check", str(gone[0])]) == 2


# ---------------------------------------------------------------------------------------
# 8. Look-alike letters in an Action ID


def _csv(path: Path, *rows: str, head: str = "Action ID,Status,Progress update\n",
         service: str = "Communications", end: str = "\n", encoding: str = "utf-8") -> Path:
    text = (f"Service area,{service}\nPeriod,2022/23 Q2\nCompleted by,A. Officer\n"
            f"Approved by,B. Head\nDate completed,05/10/2022\n\n{head}" + "\n".join(rows) + end)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    then = time.time() - 3600
    os.utime(path, (then, then))
    return path


def test_a_cyrillic_look_alike_in_an_action_id_is_read_as_latin_and_said(tmp_path):
    from reporting.intake.returns import read_return

    ret = read_return(_csv(tmp_path / "2022-23-Q2" / "communications.csv",
                           "5.\u0441,On track,Campaign ran.", "5.\u0436,On track,Other."))
    checked, receipts = _check(ret)
    fates = {f.row.raw_action_id: f.fate.name for f in checked.updates.fates}
    assert fates == {"5.\u0441": "USED", "5.\u0436": "UNKNOWN_ACTION"}
    text = receipts["communications.csv"]
    assert "'\u0441', a Cyrillic letter" in text and "read as 5.c: retype it" in text
    assert "its '\u0436' is a Cyrillic letter: retype it in Latin letters" in text


# ---------------------------------------------------------------------------------------
# 2. A visible column beats a hidden one with the same heading


def _hidden_status(tmp_path: Path, hide: str = "D") -> Path:
    from bad_returns import workbook_bytes, write

    def build(ws):
        ws["L7"] = "Status"
        ws["L8"] = "Off track" if hide == "D" else "At risk"
        ws.column_dimensions[hide].hidden = True

    rows = [["5.c", "", "", "On track", "Campaign ran."]]
    fields = (("Service area", "Communications"), ("Period", "2022/23 Q2"),
              ("Completed by", "A. Officer"), ("Approved by", "B. Head"),
              ("Date completed", date(2022, 10, 5)))
    (tmp_path / "2022-23-Q2").mkdir()
    return write(tmp_path / "2022-23-Q2" / "communications.xlsx",
                 workbook_bytes(rows=rows, fields=fields, build=build))


def test_a_visible_column_is_read_before_a_hidden_one_of_the_same_heading(tmp_path):
    from reporting.intake.returns import read_return

    ret = read_return(_hidden_status(tmp_path))
    assert ret.rows[0].status_text == "Off track"
    assert ret.rows[0].cells["Status"] == "Return!L8"
    said = " ".join(n.message for n in ret.notes)
    assert "'Status' is hidden in Excel and was not read" in said
    assert "not one the report reads" not in said


def test_with_the_second_column_hidden_the_first_is_read_and_the_hidden_one_said(tmp_path):
    from reporting.intake.returns import read_return

    ret = read_return(_hidden_status(tmp_path, hide="L"))
    assert ret.rows[0].status_text == "On track"
    assert any("hidden in Excel and was not read" in n.message and n.where == "Return!L7"
               for n in ret.notes)


# ---------------------------------------------------------------------------------------
# 5. A damaged CSV is never taken as it stands

HEAD = "Action ID,Status,Progress update,Next steps\n"


def test_a_csv_cut_off_mid_line_has_its_last_line_refused_and_said(tmp_path):
    from reporting.intake.returns import read_return

    ret = read_return(_csv(tmp_path / "2022-23-Q2" / "communications.csv",
                           "5.c,On track,Campaign ran.,More", "5.b,Off tr", head=HEAD, end=""))
    assert [r.action_id for r in ret.rows] == ["5.c"]
    assert any(n.where == "line 9" and "cut off" in n.message and "not read" in n.message
               for n in ret.notes)
    whole = read_return(_csv(tmp_path / "whole" / "communications.csv",
                             "5.c,On track,Campaign ran.,More", "5.b,Off track", head=HEAD))
    assert [r.action_id for r in whole.rows] == ["5.c", "5.b"]  # ends in a line break


def test_a_quote_never_closed_refuses_the_file_naming_its_line(tmp_path):
    from reporting.intake.returns import read_return

    ret = read_return(_csv(tmp_path / "2022-23-Q2" / "communications.csv",
                           '5.c,On track,"Campaign ran.', "5.b,Off track,Behind", head=HEAD))
    assert not ret.usable
    assert "line 8 opens a quote" in ret.problems[0].message
    quoted = read_return(_csv(tmp_path / "ok" / "communications.csv",
                              '5.c,On track,"Ran, and\nwell."', "5.b,Off track,Behind",
                              head=HEAD))
    assert quoted.usable and quoted.rows[0].progress_update == "Ran, and\nwell."


def test_one_bad_byte_in_a_utf8_csv_keeps_the_rest_utf8_and_names_the_cell(tmp_path):
    from reporting.intake.returns import read_return

    path = _csv(tmp_path / "2022-23-Q2" / "communications.csv",
                "5.c,On track,Café opened.", "5.b,Off track,Behind", head=HEAD)
    path.write_bytes(path.read_bytes().replace(b"Behind", b"Beh\xffind"))
    ret = read_return(path)
    assert ret.rows[0].progress_update == "Café opened."
    assert ret.rows[1].progress_update == "Beh\ufffdind"
    assert any(n.where == "line 9, column C" and "not UTF-8" in n.message for n in ret.notes)
    cp1252 = _csv(tmp_path / "cp" / "communications.csv", "5.c,On track,Café opened.",
                  head=HEAD, encoding="cp1252")
    assert read_return(cp1252).rows[0].progress_update == "Café opened."


# ---------------------------------------------------------------------------------------
# 6. An error cell of an .xls or .ods is named, as an .xlsx's is

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("kind, second", [("xls", "#VALUE!"), ("ods", "Err:502")])
def test_an_error_cell_in_an_xls_or_ods_is_named_not_called_empty(tmp_path, kind, second):
    import shutil

    from reporting.intake.returns import read_return

    (tmp_path / "2022-23-Q2").mkdir()
    path = tmp_path / "2022-23-Q2" / f"communications.{kind}"
    shutil.copy(FIXTURES / f"communications-errors.{kind}", path)  # 5.c: =1/0, a bad lookup
    os.utime(path, (time.time() - 3600,) * 2)
    checked, receipts = _check(read_return(path))
    text = receipts[f"communications.{kind}"]
    assert "the Status cell holds the error #DIV/0!, not a status" in text
    assert f"the Progress update cell for 5.c holds the error {second}, not an update" in text
    assert "the row for 5.c gives no status" not in text and "has no progress update" not in text


def test_a_damaged_xls_or_ods_gives_no_error_cells_rather_than_failing():
    from reporting.sheets.errors import ods_errors, xls_errors

    data = (FIXTURES / "communications-errors.xls").read_bytes()
    assert xls_errors(data[:600]) == {} and xls_errors(b"not a workbook") == {}
    assert ods_errors(b"PK\x03\x04 cut") == {}


# ---------------------------------------------------------------------------------------
# 9. Smaller: Strict Open XML, NUL bytes, UTF-16 with no byte order mark


def test_a_strict_open_xml_workbook_is_named_as_such(tmp_path):
    import io
    import zipfile

    from bad_returns import workbook_bytes, write

    from reporting.intake.returns import read_return

    source, out = zipfile.ZipFile(io.BytesIO(workbook_bytes())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info).replace(
                b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                b"http://purl.oclc.org/ooxml/spreadsheetml/main"))
    ret = read_return(write(tmp_path / "regulatory-services.xlsx", out.getvalue()))
    assert "Strict Open XML" in ret.problems[0].message
    assert "Excel Workbook (*.xlsx)" in ret.problems[0].fix


def test_a_csv_in_utf16_without_a_byte_order_mark_is_read(tmp_path):
    from reporting.intake.returns import read_return

    for encoding in ("utf-16-le", "utf-16-be"):
        ret = read_return(_csv(tmp_path / encoding / "communications.csv",
                               "5.c,On track,Café opened.", encoding=encoding))
        assert ret.usable and ret.rows[0].progress_update == "Café opened."


def test_a_csv_with_a_nul_byte_is_refused_as_damaged_text_not_as_no_spreadsheet(tmp_path):
    from reporting.intake.returns import read_return

    path = _csv(tmp_path / "communications.csv", "5.c,On track,Ran.")
    path.write_bytes(path.read_bytes().replace(b"Ran", b"R\x00n"))
    problem = read_return(path).problems[0]
    assert "holds a NUL byte" in problem.message and "not a spreadsheet" not in problem.message
    assert "CSV UTF-8" in problem.fix


def test_a_header_only_csv_names_the_plans_service_not_the_files_words(tmp_path):
    from reporting.intake.returns import read_return

    path = tmp_path / "2022-23-Q2" / "communications-header-only.csv"
    path.parent.mkdir()
    path.write_text("Action ID,Status,Progress update\n")
    _, receipts = _check(read_return(path))
    text = receipts["communications-header-only.csv"]
    assert "which Communications leads" in text and "Header Only leads" not in text


def test_a_30000_character_completed_by_is_cut_on_the_receipt_and_said(tmp_path):
    from reporting.intake.returns import read_return

    path = _csv(tmp_path / "2022-23-Q2" / "communications.csv", "5.c,On track,Ran.")
    path.write_text(path.read_text().replace("A. Officer", "Beth " * 6000))
    ret = read_return(path)
    assert len(ret.completed_by) <= 210
    _, receipts = _check(ret)
    text = receipts["communications.csv"]
    assert len(text) < 3000
    assert "the Completed by field is 29,999 characters long" in text  # stripped
