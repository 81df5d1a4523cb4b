"""A receipt says how the report read what the officer wrote: a status given as a colour,
and a return that gives no Period or Date completed (issue 19, a reader's review)."""

from __future__ import annotations

import os
import time
from datetime import date

from bad_returns import FIELDS, FOLDER, workbook_bytes, write
from conftest import make_action, make_plan

from reporting.intake.returns import read_return
from reporting.period import Period
from reporting.pipeline import check_period
from reporting.report.receipts import receipt_text
from reporting.settings import READ_NOW
from reporting.status import Status, named_by_colour, parse_status

PLAN = make_plan(make_action("1.a"), make_action("1.b"), make_action("1.c"))
Q2 = Period.parse("2022/23 Q2")


def _receipt(ret):
    [receipt] = check_period(PLAN, [ret], [], Q2, READ_NOW).receipts
    return receipt


def _xlsx(tmp_path, rows, fields=FIELDS):
    folder = tmp_path / FOLDER
    folder.mkdir(exist_ok=True)
    return read_return(write(folder / "regulatory-services.xlsx",
                             workbook_bytes(rows=rows, fields=fields)))


def _csv(tmp_path, text):
    folder = tmp_path / FOLDER
    folder.mkdir(exist_ok=True)
    path = folder / "regulatory-services.csv"
    path.write_text(text, encoding="utf-8")
    then = time.time() - 3600
    os.utime(path, (then, then))
    return read_return(path)


def _notes(receipt):
    return [f"{n.where + ': ' if n.where else ''}{n.message}" for n in receipt.notes]


def test_a_status_given_as_a_colour_is_said_once_a_row_with_the_word_it_was_read_as(tmp_path):
    ret = _xlsx(tmp_path, [["1.a", "", "", "Amber", "Delayed."],
                           ["1.b", "", "", "RAG: red", "Stopped."],
                           ["1.c", "", "", "on track", "Fine."]])
    notes = _notes(_receipt(ret))
    assert notes == [
        "Return!D8: the status 'Amber' on 1.a was read as At risk: next time write At risk, "
        "in words rather than a colour",
        "Return!D9: the status 'RAG: red' on 1.b was read as Off track: next time write "
        "Off track, in words rather than a colour"]
    assert "- Return!D8: the status 'Amber' on 1.a was read as At risk" in \
        receipt_text(_receipt(ret))


def test_a_status_in_the_papers_words_or_two_colours_is_not_told_as_a_colour():
    for words in ("At risk", "on-track", "COMPLETE", "Amber/Red", "Completed", "Purple", ""):
        assert not named_by_colour(words), words
    for words, status in (("Green", Status.ON_TRACK), ("rag status - Amber", Status.AT_RISK),
                          ("r", Status.OFF_TRACK), ("Blue", Status.COMPLETE)):
        assert named_by_colour(words) and parse_status(words) is status, words
    assert parse_status("ragged") is None


def test_a_csv_return_is_told_once_what_it_does_not_give_and_how_to_give_it(tmp_path):
    ret = _csv(tmp_path, "Action ID,Status,Progress update\n1.a,On track,Fine.\n"
                         "1.b,On track,Fine.\n1.c,On track,Fine.\n")
    receipt = _receipt(ret)
    assert _notes(receipt) == [
        "Period and Date completed not given: the return was taken as 2022/23 Q2's, the "
        "period it was sent for; to give them, add the lines 'Period,2022/23 Q2' and "
        "'Date completed,30/09/2022' above the Action ID line (the day the return was "
        "completed, as day/month/year)"]
    [approval] = [p for p in receipt.problems if p.code == "UNAPPROVED_RETURN"]
    assert approval.fix == ("ask your head of service to approve it and add the line "
                            "'Approved by,<their name>' above the Action ID line")


def test_a_csv_return_that_gives_its_header_lines_is_read_and_not_told(tmp_path):
    ret = _csv(tmp_path, "Period,2022/23 Q2\nApproved by,B. Manager\nDate completed,11/10/2022\n"
                         "\nAction ID,Status,Progress update\n1.a,On track,Fine.\n"
                         "1.b,On track,Fine.\n1.c,On track,Fine.\n")
    assert (ret.period_text, ret.approved_by, ret.date_completed) == (
        "2022/23 Q2", "B. Manager", date(2022, 10, 11))
    receipt = _receipt(ret)
    assert _notes(receipt) == [] and receipt.outcome == "Accepted"


def test_a_workbook_with_an_empty_date_completed_is_told_which_cell_to_fill(tmp_path):
    fields = tuple((label, None if label == "Date completed" else value)
                   for label, value in FIELDS)
    rows = [[ref, "", "", "On track", "Fine."] for ref in ("1.a", "1.b", "1.c")]
    assert _notes(_receipt(_xlsx(tmp_path, rows, fields))) == [
        "Date completed not given; write the day the return was completed in Return!B5, "
        "as 30/09/2022 (day/month/year)"]  # the example is the period's last day
