"""Round three of what an officer's file can still do to a run (issue 22): each case is a
file, or a cell, that once broke a receipt, a paper or the screen."""

from __future__ import annotations

import csv
import io
import sys
import unicodedata
import zipfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from bad_returns import workbook_bytes, write
from conftest import make_action, make_plan, make_return, make_row, make_settings, prepare

from reporting.cadence import Paper
from reporting.cells import cell_text, normalise_action_id
from reporting.layout import OutputLayout
from reporting.period import Period
from reporting.pipeline import PeriodInputs, check_period, prepare_report, publish_report
from reporting.render.receipts import receipt_files, write_receipts
from reporting.settings import READ_NOW
from reporting.wording import bounded, cut_words, shown_name, without_controls

Q2 = Period.parse("2022/23 Q2")
PLAN = make_plan(make_action("1.a"), make_action("1.c"))


def _receipts(*names: str, folder: Path = Path(".")):
    returns = [make_return("Regulatory Services", make_row("1.a"), path=folder / name)
               for name in names]
    return list(check_period(PLAN, returns, [], Q2, READ_NOW).receipts)


# ---------------------------------------------------------------------------------------
# 1. Two names never share a receipt; a file gone loses its receipt


@pytest.mark.parametrize("one, other", [
    ("housing.xlsx", "hous\u200eing.xlsx"), ("a_b.csv", "a\nb.csv"),
    ("a_b.csv", "a\\b.csv"), ("housing.xlsx", "housing.xlsx\u202e"),
    ("Comunicaci\\xf3n.xlsx", "Comunicaci\udcf3n.xlsx"),
])
def test_two_names_never_share_a_receipt(tmp_path, one, other):
    receipts = _receipts(one, other)
    assert receipts[0].file != receipts[1].file  # told apart on the screen too
    files = receipt_files(receipts, tmp_path)
    assert len(files) == 4
    for path in files:  # and each one a file can be called
        assert "\n" not in path.name and "\u200e" not in path.name and "\\" not in path.name
        path.write_bytes(b"")


def test_a_name_with_invisible_marks_is_shown_with_them_escaped():
    assert shown_name("hous\u200eing.xlsx") == "hous\\u200eing.xlsx"
    assert shown_name("a\nb.csv") == "a\\nb.csv"
    assert shown_name("Comunicaci\udcf3n.xlsx") == "Comunicaci\\xf3n.xlsx"
    assert shown_name("Housing Q2 (final).xlsx") == "Housing Q2 (final).xlsx"


def test_a_file_gone_from_the_folder_loses_its_receipt_and_is_listed_as_withdrawn(tmp_path):
    folder = tmp_path / "receipts"
    write_receipts(_receipts("housing.xlsx", "hous\u200eing.xlsx"), folder)
    assert len(list(folder.glob("*.txt"))) == 2
    write_receipts(_receipts("housing.xlsx"), folder)
    assert [p.name for p in folder.glob("*.txt")] == ["housing.xlsx.txt"]
    assert len(list(folder.glob("*.html"))) == 1

    # A run's data-quality note and flags.csv name it, though the intake check removed it.
    source = tmp_path / "plan.txt"
    source.write_text("plan")
    ret = make_return("Regulatory Services", make_row("1.a"), path=write(
        tmp_path / "housing.xlsx", workbook_bytes()))
    inputs = PeriodInputs(Q2, replace(PLAN, source=source), (ret,), (), tmp_path)
    now = datetime.now().astimezone()
    settings = make_settings()
    layout = OutputLayout(tmp_path / "out")
    write_receipts(_receipts("housing.xlsx", "old-housing.xlsx"), layout.receipts(Q2))
    report = prepare_report(settings, inputs, Paper.QUARTERLY, now)
    documents = {"html": b"<html></html>", "pdf": b"%PDF-1.7", "docx": b"PK"}
    paths = publish_report(layout, inputs, report, documents, now)
    note = paths["flags"].with_name("data-quality.csv").read_text("utf-8-sig")
    [row] = [r for r in csv.DictReader(io.StringIO(note)) if r["code"] == "WITHDRAWN_RETURN"]
    assert row["file"] == "old-housing.xlsx"
    assert not layout.receipt(Q2, "old-housing.xlsx", "txt").exists()
    assert layout.receipt(Q2, "housing.xlsx", "txt").exists()
    # Put back, it is no longer withdrawn.
    write_receipts(_receipts("housing.xlsx", "old-housing.xlsx"), layout.receipts(Q2))
    assert (layout.receipts(Q2) / "withdrawn.json").read_text() == "[]"


def test_a_receipt_says_when_the_periods_other_paper_was_published_from_an_earlier_copy(
        tmp_path):
    """A hostile review: the quarterly paper went out saying 1.a was not reported; the
    officer fixed the return, the six-monthly run rewrote the receipt to say the quarterly
    report shows 1.a at risk, and nothing said that the published paper still does not."""
    source = tmp_path / "plan.txt"
    source.write_text("plan")
    plan = replace(PLAN, source=source)
    settings = make_settings()
    layout = OutputLayout(tmp_path / "out")
    documents = {"html": b"<html></html>", "pdf": b"%PDF-1.7", "docx": b"PK"}
    now = datetime.now().astimezone()

    def publish(status: str, paper: Paper) -> str:
        data = workbook_bytes(rows=(["1.a", "", "", status, "Inspections.", None, "", None,
                                     "", "More"],))
        path = write(tmp_path / "housing.xlsx", data)
        ret = make_return("Regulatory Services", make_row("1.a", status), path=path,
                          content=data)
        inputs = PeriodInputs(Q2, plan, (ret,), (), tmp_path)
        publish_report(layout, inputs, prepare_report(settings, inputs, paper, now),
                       documents, now)
        return layout.receipt(Q2, "housing.xlsx", "txt").read_text("utf-8")

    assert "was published on" not in publish("On track", Paper.QUARTERLY)
    again = publish("At risk", Paper.SIX_MONTHLY)
    assert (f"the quarterly report for 2022/23 Q2 was published on {now.day} "
            in again) and "from an earlier copy of this file" in again
    # The six-monthly paper, published from this copy, is not said to be out of date.
    assert "six-monthly report for 2022/23 H1 was published" not in again
    # Run again from the same copy, the quarterly paper says nothing of the six-monthly.
    assert "was published on" not in publish("At risk", Paper.QUARTERLY)


# ---------------------------------------------------------------------------------------
# 2. Officer text bounded in characters and lines as well as words, before layout


def _entry(report):
    [entry] = [a for s in report.model.sections for a in s.actions if a.id == "1.a"]
    return entry


def test_an_unbroken_string_is_cut_in_characters_and_the_receipt_says_so():
    token = "data:image/png;base64," + "A" * 31878
    report = prepare(PLAN, [make_return("Regulatory Services",
                                        make_row("1.a", "Red", update=token, next_steps=token))])
    entry = _entry(report)
    assert len(entry.progress_update) < 2200 and len(entry.next_steps) < 2200
    assert "cut at 2000 characters: the full update is in the return" in entry.progress_update
    [off] = [f for f in report.findings if f.code == "OFF_TRACK"]
    assert len(off.message) < 2200
    long = [f for f in report.check.findings if f.code == "LONG_UPDATE"]
    assert [f.cell for f in long] == ["Return!E8", "Return!A8"]  # (no Next steps cell: its row)
    assert "31,900 characters" in long[0].officer and "cut at 2000 characters" in long[0].fix
    assert report.merged.progress[0].progress_update == token  # the data keeps it whole


def test_thousands_of_line_breaks_are_cut_in_lines():
    update = "Started.\n" + "\n" * 30000 + "Finished."
    report = prepare(PLAN, [make_return("Regulatory Services", make_row("1.a", update=update))])
    assert _entry(report).progress_update.count("\n") <= 25
    [long] = [f for f in report.check.findings if f.code == "LONG_UPDATE"]
    assert "30,002 lines" in long.officer and "cut at 25 lines" in long.fix


def test_the_bounds_are_settings_and_one_function_applies_them(tmp_path):
    from reporting.settings import load_settings

    path = tmp_path / "reporting.toml"
    path.write_text('[council]\nname = "A"\ncommittee = "B"\n[plan]\ntitle = "C"\n'
                    "[intake]\nlong_update_chars = 300\nlong_update_lines = 4\n")
    bounds = load_settings(path).intake.text_bounds
    assert (bounds.words, bounds.chars, bounds.lines) == (150, 300, 4)
    kept, cut = bounded("z" * 1000, bounds)
    assert (len(kept), cut) == (300, "cut at 300 characters")
    assert bounded("a\nb\nc\nd\ne", bounds) == ("a\nb\nc\nd", "cut at 4 lines")
    assert bounded("short and sweet", bounds) == ("short and sweet", "")
    # A cut by characters falls at a space where there is one near.
    assert bounded("word " * 100, bounds)[0].endswith("word")
    # A caller giving only a word limit is still bounded in characters.
    assert len(cut_words("q" * 50000, 150, "cut at 150 words: see the return")) < 2100
    assert cut_words("q" * 50000, bounds, "cut at 150 words: see the return").endswith(
        "[cut at 300 characters: see the return]")
    # The bundled settings document both.
    bundled = (Path(__file__).parents[1] / "reporting.toml").read_text()
    assert "long_update_chars = " in bundled and "long_update_lines = " in bundled


# ---------------------------------------------------------------------------------------
# 3. Control and invisible characters removed at intake, wherever the text goes

HEADER = ("Action ID,Action,Milestone,Status,Progress update,Revised date,Reason for revised "
          "date,Date achieved,Evidence,Next steps,Forecast year-end status\n")
# What Excel writes for ESC, BEL and NUL in a cell (calamine gives them back as typed).
SPOOF = b"_x001B_[2J_x001B_[HOutcome: Accepted_x0007__x0000_ done\xe2\x80\x8b\xe2\x80\xae"


def _hostile_workbook(folder: Path) -> Path:
    """A return whose update clears the screen and rings, and whose first Action ID holds a
    zero-width space ("1.\u200bc")."""
    rows = [["1.ZWSc", "", "", "On track", "SPOOF", None, "", None, "", "next SPOOF"],
            ["1.a", "", "", "Off track", "Behind.", None, "", None, "", ""]]
    data = workbook_bytes(rows=rows)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info.filename).replace(b"ZWS", "\u200b".encode())
            dst.writestr(info, part.replace(b"SPOOF", SPOOF))
    return write(folder / "regulatory-services.xlsx", out.getvalue())


def test_every_cc_and_cf_character_is_taken_out_at_intake():
    every = [chr(c) for c in range(sys.maxunicode + 1)
             if unicodedata.category(chr(c)) in ("Cc", "Cf") and chr(c) not in "\t\n\r\x85"]
    assert without_controls("".join(every)) == ""
    assert cell_text("a\tb\nc\r\nd") == "a\tb\nc\nd"


def test_an_invisible_mark_in_an_action_id_is_dropped_before_matching(tmp_path):
    from reporting.intake.returns import read_return

    ret = read_return(_hostile_workbook(tmp_path))
    assert [(r.raw_action_id, r.action_id) for r in ret.rows] == [("1.c", "1.c"), ("1.a", "1.a")]
    assert ret.rows[0].progress_update == "[2J[HOutcome: Accepted done"
    assert normalise_action_id("1.\u200bc") == normalise_action_id("\u20661.c\u2069") == "1.c"
    receipt = check_period(PLAN, [ret], [], Q2, READ_NOW).receipts[0]
    assert "not in the plan" not in str(receipt)
    # Line ends as Excel, old Macs and Unicode write them are each one line break.
    csv_file = write(tmp_path / "housing.csv", (
        HEADER + '1.a,,,Off\u00adtrack,"one\r\ntwo\rthree\u2028four",,,,,,\n').encode("utf-8"))
    [row] = read_return(csv_file).rows
    assert (row.status_text, row.progress_update) == ("Offtrack", "one\ntwo\nthree\nfour")


def test_a_cells_escape_codes_never_reach_the_terminal_or_any_document(tmp_path, capsys):
    from cli import main as cli
    from reporting.intake.returns import read_return
    from reporting.render.flags import data_quality_csv, flags_csv
    from reporting.render.html import render_html
    from reporting.render.receipts import receipt_html
    from reporting.report.receipts import receipt_text

    path = _hostile_workbook(tmp_path)
    assert cli.main(["check", str(path)]) == 0
    printed = capsys.readouterr().out
    ret = read_return(path)
    report = prepare(PLAN, [ret])
    receipt = report.check.receipts[0]
    texts = {"terminal": printed, "receipt": receipt_text(receipt),
             "receipt page": receipt_html(receipt), "paper": render_html(report.model),
             "flags.csv": flags_csv(list(report.findings)).decode("utf-8"),
             "data-quality.csv": data_quality_csv(list(report.findings)).decode("utf-8")}
    for where, text in texts.items():
        bad = {c for c in text if unicodedata.category(c) in ("Cc", "Cf")} - set("\n\r\t\ufeff")
        assert not bad, (where, bad)
    assert "[2J[HOutcome: Accepted done" in texts["paper"]  # shown, never acted on


# ---------------------------------------------------------------------------------------
# 4. Markdown sent to Prefect is escaped: no officer text is live markup in the UI

LIVE = ("Behind. [click](javascript:alert(1)) ![x](http://127.0.0.1:9/pixel.png) "
        "<img src=x onerror=alert(1)> https://evil.example/a_b *loud* | cell\n# heading")


def _rendered(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(markdown)


def _live(html: str) -> list[str]:
    import re

    return re.findall(r"<(?:a|img|script|em|b)\b[^>]*>|<h1>heading", html)


def test_officer_text_is_shown_as_itself_in_markdown():
    from reporting.wording import markdown_text

    html = _rendered(markdown_text(LIVE))
    assert not _live(html)
    assert "[click](javascript:alert(1))" in html and "&lt;img src=x" in html


def test_the_runs_artifacts_hold_no_live_markup(monkeypatch, tmp_path):
    import flows.scrutiny_report as flow

    made = []
    monkeypatch.setattr(flow, "create_markdown_artifact", lambda **kw: made.append(kw))
    monkeypatch.setattr(flow, "create_table_artifact", lambda **kw: made.append(kw))
    report = prepare(PLAN, [make_return("Regulatory Services <b>", make_row(
        "1.a", "Red", update=LIVE), path=tmp_path / "[x](javascript:1).xlsx")])
    assert any(f.code == "OFF_TRACK" and "javascript:" in f.message for f in report.findings)
    paths = {kind: tmp_path / f"paper.{kind}" for kind in ("pdf", "docx", "html")}
    flow._artifacts(Q2, report.paper, report, paths, reused=False, plan="a-plan")
    summary, table = made[0]["markdown"], made[1]["table"]
    assert not _live(_rendered(summary))
    header = "| " + " | ".join(table[0]) + " |\n|" + " --- |" * len(table[0]) + "\n"
    rows = "".join("| " + " | ".join(row.values()) + " |\n" for row in table)
    html = _rendered(header + rows)
    assert not _live(html) and html.count("<tr>") == len(table) + 1  # no cell split open


# ---------------------------------------------------------------------------------------
# 5. The sheet read is the visible one holding the return; TSV; error cells named


def _two_sheets(first_hidden: bool = True, second_table: bool = True) -> bytes:
    from openpyxl import load_workbook

    old = workbook_bytes(rows=[["1.a", "", "", "On track", "Old words."]], sheet="Return")
    wb = load_workbook(io.BytesIO(old))
    new = wb.create_sheet("Return (2)")
    if second_table:
        for row in load_workbook(io.BytesIO(workbook_bytes(
                rows=[["1.a", "", "", "Off track", "New words."]])))["Return"].iter_rows(
                values_only=True):
            new.append(list(row))
    else:
        new.append(["Notes for the officer"])
    if first_hidden:
        wb["Return"].sheet_state = "hidden"
        wb.active = 1
    saved = io.BytesIO()
    wb.save(saved)
    return saved.getvalue()


def test_a_hidden_sheet_is_never_preferred_and_the_receipt_names_the_sheet_read(tmp_path):
    from reporting.intake.returns import read_return
    from reporting.report.receipts import receipt_text

    ret = read_return(write(tmp_path / "regulatory-services.xlsx", _two_sheets()))
    assert ret.sheet == "Return (2)"
    assert [r.status_text for r in ret.rows] == ["Off track"]
    assert ret.rows[0].cells["Status"] == "Return (2)!D8"
    text = receipt_text(check_period(PLAN, [ret], [], Q2, READ_NOW).receipts[0])
    assert "Sheet: Return (2)" in text
    assert ("the hidden sheet 'Return' also holds a table (its Period field says '2022/23 "
            "Q2'); it was not read, as a hidden sheet is read only when no visible one holds "
            "a table") in text


def test_both_visible_the_sheet_named_return_is_read_and_the_other_named(tmp_path):
    from reporting.intake.returns import read_return

    ret = read_return(write(tmp_path / "r.xlsx", _two_sheets(first_hidden=False)))
    assert ret.sheet == "Return" and [r.status_text for r in ret.rows] == ["On track"]
    assert [n.message for n in ret.notes if "sheet 'Return (2)' also holds a table" in n.message
            ] == ["the sheet 'Return (2)' also holds a table (its Period field says '2022/23 Q2');"
                  " it was not read"]
    # Its folder names no period, so neither sheet's Period can say it is the one.
    assert "the return was read from the sheet 'Return': it is the one named Return" in [
        n.message for n in ret.notes]


def test_a_table_only_on_a_hidden_sheet_is_read_and_said(tmp_path):
    from reporting.intake.returns import read_return

    ret = read_return(write(tmp_path / "r.xlsx", _two_sheets(second_table=False)))
    assert ret.usable and ret.sheet == "Return"
    assert any("read from the hidden sheet 'Return'" in n.message for n in ret.notes)


def _with_cells(data: bytes, cells: dict[str, str]) -> bytes:
    """Give the workbook with each cell ref replaced by the XML given, as Excel saves it."""
    import re

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                for ref, xml in cells.items():
                    body, n = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)'.encode(), xml.encode(),
                                      body, count=1)
                    assert n == 1, ref
            dst.writestr(info.filename, body)
    return out.getvalue()


def test_an_error_cell_or_an_uncomputed_formula_is_named_not_called_empty(tmp_path):
    from reporting.intake.returns import read_return

    data = _with_cells(workbook_bytes(), {
        "D8": '<c r="D8" t="e"><v>#REF!</v></c>',
        "D9": '<c r="D9"><f>VLOOKUP(A9,Lists!A:B,2,0)</f></c>',
        "E9": '<c r="E9" t="e"><f>A1/0</f><v>#N/A</v></c>',
        "J8": '<c r="J8" t="e"><v>#NAME?</v></c>'})
    ret = read_return(write(tmp_path / "regulatory-services.xlsx", data))
    assert ret.rows[0].unshown == {"Status": "the error #REF!", "Next steps": "the error #NAME?"}
    plan = make_plan(make_action("1.a"), make_action("1.b"))
    check = check_period(plan, [ret], [], Q2, READ_NOW)
    said = {(f.code, f.cell): f.officer for f in check.findings}
    assert said[("MISSING_STATUS", "Return!D8")] == "the Status cell holds the error #REF!, not a status"
    assert said[("MISSING_STATUS", "Return!D9")] == (
        "the Status cell holds a formula with no saved result (=VLOOKUP(A9,Lists!A:B,2,0)), "
        "not a status")
    assert said[("MISSING_UPDATE", "Return!E9")] == (
        "the Progress update cell for 1.b holds the error #N/A, not an update")
    assert any("Next steps cell holds the error #NAME?" in n.message for n in ret.notes)


def test_a_csv_saved_with_error_words_names_them_too(tmp_path):
    from reporting.intake.returns import read_return

    ret = read_return(write(tmp_path / "housing.csv", (HEADER + "1.a,,,#N/A,Done.\n").encode()))
    assert ret.rows[0].unshown == {"Status": "the error #N/A"} and ret.rows[0].status_text == ""


def test_a_tab_separated_file_is_read_and_a_refusal_names_the_delimiter(tmp_path):
    from reporting.intake.returns import read_return

    tsv = HEADER.replace(",", "\t") + "1.a\t\t\tOff track\tBehind, as planned.\n"
    for name in ("housing.csv", "housing.tsv"):
        ret = read_return(write(tmp_path / name, tsv.encode("utf-16")))
        assert [(r.action_id, r.status_text, r.progress_update) for r in ret.rows] == [
            ("1.a", "Off track", "Behind, as planned.")]
    ret = read_return(write(tmp_path / "notes.csv", b"a;b;c\nd;e;f\n"))
    assert "(read as cells separated by semicolons)" in ret.problems[0].message


# ---------------------------------------------------------------------------------------
# 6. A file still growing is left for the next run, whatever its type


def test_a_file_still_growing_is_left_for_the_next_run_whatever_its_type(tmp_path, monkeypatch):
    import reporting.intake.folder as folder

    csv_file = tmp_path / "housing.csv"
    csv_file.write_bytes((HEADER + "1.a,,,On track,Done.\n").encode())  # just now
    steady = tmp_path / "planning-policy.csv"
    steady.write_bytes((HEADER + "1.a,,,On track,Done.\n").encode())
    old = write(tmp_path / "regulatory-services.xlsx", workbook_bytes())  # long settled
    waits = []

    def copy_goes_on(seconds):
        waits.append(seconds)
        with csv_file.open("ab") as handle:
            handle.write(b"1.b,,,On track,More.\n")

    monkeypatch.setattr(folder, "_pause", copy_goes_on)
    returns = {r.path.name: r for r in folder.read_returns(tmp_path, READ_NOW, isolated=False)}
    assert waits == [2.0]  # one look again for the whole folder
    assert returns["housing.csv"].settling and "still growing" in str(returns["housing.csv"].problems[0])
    assert returns["planning-policy.csv"].usable and returns[old.name].usable


def test_a_settled_folder_costs_no_wait(tmp_path, monkeypatch):
    import reporting.intake.folder as folder

    write(tmp_path / "regulatory-services.xlsx", workbook_bytes())
    monkeypatch.setattr(folder, "_pause", lambda s: pytest.fail("waited for a settled file"))
    assert [r.usable for r in folder.read_returns(tmp_path, READ_NOW, isolated=False)] == [True]


# ---------------------------------------------------------------------------------------
# 7. [intake] max_files refuses the excess; a folder's checks are linear in its files


def test_past_max_files_the_rest_of_the_folder_is_refused_with_a_word(tmp_path):
    import os
    import time

    from reporting.intake.folder import read_returns

    then = time.time() - 3600
    for i in range(501):
        path = tmp_path / f"service-{i:03d}.xlsx"
        path.write_bytes(b"")
        os.utime(path, (then, then))
    returns = read_returns(tmp_path, READ_NOW, isolated=False)
    assert len(returns) == 501 and not any(r.usable for r in returns)
    assert all("empty" in r.problems[0].message for r in returns[:500])
    assert returns[500].problems[0].message == (
        "the folder holds 501 files, more than the 500 a run reads ([intake] max_files), so "
        "this one was not read")
    receipts = check_period(PLAN, returns, [], Q2, READ_NOW).receipts
    assert len(receipts) == 501 and "max_files" in str(receipts[-1].problems[0].officer)
