"""Round five of what an officer's file can still do to intake (issue 22, the hostile
review's F2, F5 and F8): a CSV line read shifted, junk files pushing out real returns, and
how a return's owner is named."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import replace
from pathlib import Path

from conftest import BUNDLED_INPUTS, make_action, make_plan, make_return, make_row

from reporting.intake.folder import read_returns
from reporting.intake.returns import read_return
from reporting.period import Period
from reporting.pipeline import check_period
from reporting.report.receipts import receipt_text
from reporting.settings import READ_NOW, load_settings

Q2 = Period.parse("2022/23 Q2")
PLAN = make_plan(make_action("5.b", leads=("Communications",)),
                 make_action("5.c", leads=("Communications",)),
                 make_action("1.b", leads=("Regulatory Services",)))


def _settled(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    then = time.time() - 3600
    os.utime(path, (then, then))
    return path


def _receipts(*returns):
    checked = check_period(PLAN, list(returns), [], Q2, READ_NOW)
    return checked, {r.file: receipt_text(r) for r in checked.receipts}


# ---------------------------------------------------------------------------------------
# F2. A CSV line with more cells than its header is never read shifted

SHIFTED = ("Action ID,Status,Progress update,Revised date,Reason for revised date\n"
           "5.c,Off track,Contractor went bust, so the launch is delayed,30/06/2023,"
           "new contractor\n"
           "5.b,On track,Campaign ran.\n")


def test_a_csv_line_wider_than_its_header_is_not_read_and_quoted_whole(tmp_path):
    ret = read_return(_settled(tmp_path / "2022-23-Q2" / "communications.csv", SHIFTED))

    assert [r.action_id for r in ret.rows] == ["5.b"]  # the shifted line never reaches a paper
    [note] = [n for n in ret.notes if n.where == "line 2"]
    assert "6 cells but the header row (line 1) names only 5 columns" in note.message
    assert "beyond the header: 'new contractor'" in note.message
    assert "'Contractor went bust' | 'so the launch is delayed' | '30/06/2023'" in note.message
    assert "a comma that is not inside quotes" in note.message
    assert "save the return from Excel as CSV" in note.message

    checked, receipts = _receipts(ret)
    text = receipts["communications.csv"]
    assert "new contractor" in text and "line 2: this line has 6 cells" in text
    shown = [p.progress_update for paper in checked.papers for p in paper.merged.progress]
    assert "Contractor went bust" not in shown
    assert not any("so the launch is delayed" in (f.message + f.officer)
                   for f in checked.findings)


def test_an_action_whose_only_line_was_not_read_is_said_to_be_so_not_to_have_no_row(tmp_path):
    ret = read_return(_settled(tmp_path / "2022-23-Q2" / "communications.csv", SHIFTED))
    assert ret.unread_lines == (("5.c", "line 2"),)

    checked, receipts = _receipts(ret)
    [missing] = {f for paper in checked.papers for f in paper.findings if f.action_id == "5.c"}
    assert missing.code.name == "MISSING_UPDATE" and missing.cell == "line 2"
    assert missing.paper == "not reported: Communications' return's row for it could not be read"
    text = receipts["communications.csv"]
    assert "line 2: the row for 5.c could not be read (see the note on line 2)" in text
    assert "Its row for 5.c could not be read (see Notes)" in text
    assert "no row for 5.c" not in text
    # An action with no line at all is still said to have none.
    other = read_return(_settled(tmp_path / "2022-23-Q2" / "communications.csv",
                                 "Action ID,Status,Progress update\n5.b,On track,Ran.\n"))
    _, receipts = _receipts(other)
    assert "no row for 5.c" in receipts["communications.csv"]


def test_a_semicolon_csv_with_a_stray_semicolon_names_the_semicolon(tmp_path):
    ret = read_return(_settled(
        tmp_path / "2022-23-Q2" / "communications.csv",
        "Action ID;Status;Progress update;Revised date\n"
        '5.c;At risk;Delayed, waiting; for "supplier";31.03.2023\n'))

    assert ret.rows == ()
    [note] = ret.notes
    assert note.where == "line 2" and "beyond the header: '31.03.2023'" in note.message
    assert "a semicolon that is not inside quotes" in note.message


def test_a_quoted_comma_and_a_short_line_are_read_as_before(tmp_path):
    ret = read_return(_settled(
        tmp_path / "2022-23-Q2" / "communications.csv",
        "Action ID,Status,Progress update,Revised date\n"
        '5.c,Off track,"Contractor went bust, so delayed",30/06/2023\n'
        "5.b,On track,Campaign ran.\n"))

    assert [r.progress_update for r in ret.rows] == ["Contractor went bust, so delayed",
                                                     "Campaign ran."]
    assert not ret.notes


# ---------------------------------------------------------------------------------------
# F5. Junk files never push out a return named for a service


def _junk(folder: Path, count: int) -> None:
    for n in range(count):
        _settled(folder / f"0000-junk-{n}.csv", "Action ID,Status,Progress update\n9.z,On track,x\n")


def test_past_max_files_the_files_named_for_a_service_are_read_first(tmp_path):
    folder = tmp_path / "2022-23-Q2"
    _junk(folder, 8)
    _settled(folder / "communications.csv", "Action ID,Status,Progress update\n5.c,On track,Ran.\n")
    _settled(folder / "regulatory-services.csv",
             "Action ID,Status,Progress update\n1.b,On track,Done.\n")
    intake = replace(READ_NOW, max_files=5)

    returns = read_returns(folder, intake, isolated=False,
                           services=("Communications", "Regulatory Services"))
    by_name = {r.file: r for r in returns}
    assert len(returns) == 10
    assert by_name["communications.csv"].usable and by_name["regulatory-services.csv"].usable
    refused = [r for r in returns if not r.usable]
    assert len(refused) == 5 and all(r.file.startswith("0000-junk-") for r in refused)
    assert refused[0].problems[0].message == (
        "the folder holds 10 files, more than the 5 a run reads ([intake] max_files); files "
        "named for a service area of the plan were read first, and this one was left out")

    # Without services known, the limit is still applied in name order, and said.
    blind = read_returns(folder, intake, isolated=False)
    assert not {r.file: r for r in blind}["regulatory-services.csv"].usable


def test_junk_named_to_start_like_a_service_still_yields_to_the_services_own_file(tmp_path):
    folder = tmp_path / "2022-23-Q2"
    for n in range(6):
        _settled(folder / f"communications-{n:02d}-junk.csv",
                 "Action ID,Status,Progress update\n9.z,On track,x\n")
    _settled(folder / "regulatory-services.csv",
             "Action ID,Status,Progress update\n1.b,On track,Done.\n")

    returns = read_returns(folder, replace(READ_NOW, max_files=3), isolated=False,
                           services=("Communications", "Regulatory Services"))
    assert {r.file: r for r in returns}["regulatory-services.csv"].usable
    assert [r.usable for r in returns].count(True) == 3


def test_a_run_over_max_files_still_reads_every_bundled_return(tmp_path):
    from reporting.pipeline import read_period

    shutil.copytree(BUNDLED_INPUTS / "plan", tmp_path / "plan")
    folder = tmp_path / "returns" / "2022-23-Q2"
    shutil.copytree(BUNDLED_INPUTS / "returns" / "2022-23-Q2", folder)
    for path in folder.iterdir():
        os.utime(path, (time.time() - 3600,) * 2)
    _junk(folder, 12)
    settings = load_settings(BUNDLED_INPUTS.parent / "reporting.toml")

    read = read_period(settings, Q2, tmp_path, replace(READ_NOW, max_files=10))
    real = [r for r in read.returns if not r.file.startswith("0000-junk-")]
    assert len(real) == 6 and all(r.usable for r in real)
    assert sum(not r.usable for r in read.returns) == 8


# ---------------------------------------------------------------------------------------
# F8. A return's owner is named as English does it, and a name's reading is said


def test_findings_say_communications_return_not_communicationss():
    own = make_return("Communications", make_row("5.c", "On track", "Ran."),
                      path=Path("communications.xlsx"))
    other = make_return("Regulatory Services", make_row("5.b", "On track", "Not ours."),
                        path=Path("regulatory-services.xlsx"))
    checked, receipts = _receipts(own, other)

    findings = [*checked.findings, *(f for paper in checked.papers for f in paper.findings)]
    words = " ".join(f.message + " " + f.paper for f in findings)
    assert "only Communications' return reports on 5.b" in words
    assert "Regulatory Services' return has no row for 1.b" in words
    assert "s's return" not in words


def test_a_file_name_that_only_starts_with_a_service_says_what_it_was_taken_as(tmp_path):
    from reporting.intake.folder import name_notes

    path = _settled(tmp_path / "2022-23-Q2" / "communications-tab.csv",
                    "Action ID,Status,Progress update\n5.c,On track,Ran.\n")
    [ret] = read_returns(path.parent, READ_NOW, isolated=False,
                         services=("Communications", "Regulatory Services"))
    assert ret.service_area == "Communications Tab"
    [note] = ret.notes
    assert "the service area 'Communications Tab', which is not a service area of the " \
           "plan; it was taken as Communications' return" in note.message

    _, receipts = _receipts(ret)
    assert "taken as Communications' return" in receipts["communications-tab.csv"]

    exact = read_return(_settled(tmp_path / "2022-23-Q2" / "communications.csv",
                                 "Action ID,Status,Progress update\n5.c,On track,Ran.\n"))
    assert name_notes(exact, ("Communications",)) is exact
    unknown = read_return(_settled(tmp_path / "2022-23-Q2" / "parks.csv",
                                   "Action ID,Status,Progress update\n5.c,On track,Ran.\n"))
    assert name_notes(unknown, ("Communications",)) is unknown


def test_a_header_line_split_by_an_unquoted_comma_is_read_whole_and_said(tmp_path):
    # A hostile review: "Period,2022/23, Q2" was read as 2022/23 (then Q4, WRONG_PERIOD) and
    # "Service area,Health, Wellbeing" as "Health".
    ret = read_return(_settled(tmp_path / "2022-23-Q2" / "communications.csv",
                               "Service area,Health, Wellbeing\nPeriod,2022/23, Q2\n"
                               "Approved by,Smith, Head of Service\n" + SHIFTED.split("\n", 1)[0]
                               + "\n5.b,On track,Campaign ran.\n"))
    assert ret.service_area == "Health, Wellbeing"
    assert str(ret.period) == "2022/23 Q2" and ret.approved_by == "Smith, Head of Service"
    [note] = [n for n in ret.notes if n.where == "line 2"]
    assert "split at a comma not inside quotes" in note.message
    assert "read together as '2022/23, Q2'" in note.message


def test_a_csv_line_shifted_by_a_comma_but_no_wider_is_not_read_as_shifted(tmp_path):
    # A hostile review: "Work with Early Help, schools" in the Action cell pushed every cell
    # one to the right, the trailing empty cells taking up the slack: the Status came out
    # blank and "Off track" was read as the progress update.
    text = ("Action ID,Action,Milestone,Status,Progress update,Next steps\n"
            "5.c,Work with Early Help, schools,,Off track,Early help behind schedule,\n"
            "5.b,Campaign,,On track,Campaign ran.,\n")
    ret = read_return(_settled(tmp_path / "2022-23-Q2" / "communications.csv", text))
    assert [r.action_id for r in ret.rows] == ["5.b"]
    [note] = [n for n in ret.notes if n.where == "line 2"]
    assert "Status cell is empty but 'Off track' is 1 cell to its right" in note.message
    assert "a comma that is not inside quotes" in note.message
    assert ret.unread_lines == (("5.c", "line 2"),)
    _, receipts = _receipts(ret)
    assert "the row for 5.c could not be read (see the note on line 2)" in \
        receipts["communications.csv"]
    # A line whose Status is simply left blank is read as before.
    blank = read_return(_settled(tmp_path / "2022-23-Q2" / "communications.csv",
                                 "Action ID,Action,Status,Progress update,Next steps\n"
                                 "5.c,Work,,Delayed by staff absence,Recruit\n"))
    assert [r.action_id for r in blank.rows] == ["5.c"] and blank.unread_lines == ()


# A hostile review (M4): a Period giving the financial year alone ("2022/23") was read as
# the year's last quarter, so a Q2 return was told it said 2022/23 Q4 and to write Q4.
_TABLE = "Action ID,Status,Progress update\n5.b,On track,Campaign ran.\n"


def _year_only(tmp_path, said: str, completed: str = "", name: str = "communications.csv"):
    lines = f"Period,{said}\n" + (f"Date completed,{completed}\n" if completed else "")
    return read_return(_settled(tmp_path / "2022-23-Q2" / name, lines + _TABLE))


def test_a_period_naming_only_this_financial_year_is_the_period_sent_for_not_q4(tmp_path):
    ret = _year_only(tmp_path, "2022/23")
    assert ret.period == Q2
    checked, receipts = _receipts(ret)
    assert not [f for f in checked.findings if f.code == "WRONG_PERIOD"]
    text = receipts["communications.csv"]
    assert "the Period '2022/23' was read as 2022/23 Q2, the period it was sent for, as it " \
           "names only the financial year: write 2022/23 Q2" in text
    assert "Q4" not in text


def test_a_period_naming_only_another_financial_year_is_told_as_written(tmp_path):
    ret = _year_only(tmp_path, "2021/22")
    checked, receipts = _receipts(ret)
    [wrong] = [f for f in checked.findings if f.code == "WRONG_PERIOD"]
    assert wrong.officer == "the Period says 2021/22, but the return was sent for 2022/23 Q2"
    assert "Q4" not in receipts["communications.csv"]


def test_a_return_naming_only_this_financial_year_counts_as_this_period_s(tmp_path):
    # Read as Q4, the newer return lost to an older one for being "for another period".
    older = _year_only(tmp_path, "2022/23 Q2", "03/10/2022", name="communications-old.csv")
    newer = _year_only(tmp_path, "2022/23", "10/10/2022")
    checked, _ = _receipts(older, newer)
    assert checked.updates.return_for("Communications") is newer
