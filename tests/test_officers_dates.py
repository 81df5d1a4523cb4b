"""No date an officer writes is dropped (issue 20): each date cell of a return gives a day
the receipt states (with how loose words were read, and what to write), or a finding that
names the cell and keeps the words; a new date and its reason reach the paper."""

from __future__ import annotations

import csv
import io
import random
import subprocess
from datetime import date

import docx
import pytest
from conftest import make_action, make_plan, prepare

from reporting.cells import read_date
from reporting.checks import codes
from reporting.intake.returns import read_return
from reporting.period import Period
from reporting.pipeline import check_period, render_documents
from reporting.report.receipts import receipt_text
from reporting.settings import READ_NOW
from reporting.wording import long_date

Q2 = Period.parse("2023/24 Q2")
HEADER = ["Action ID", "Status", "Progress update", "Revised date", "Reason for revised date",
          "Date achieved"]


def _csv_return(folder, rows, completed="11/10/2023", period="2023/24 Q2",
                name="housing.csv"):
    """Write a CSV return with its header fields above the table; give it as read."""
    out = io.StringIO()
    writer = csv.writer(out)
    for label, value in (("Service area", "Housing"), ("Period", period),
                         ("Approved by", "B. Manager"), ("Date completed", completed)):
        writer.writerow([label, value])
    writer.writerow([])
    writer.writerow(HEADER)
    writer.writerows(rows)
    path = folder / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return read_return(path)


def _folder(tmp_path):
    folder = tmp_path / Q2.path
    folder.mkdir(exist_ok=True)
    return folder


def _plan(*ids, **values):
    return make_plan(*(make_action(i, lead_service_area="Housing", **values) for i in ids))


def _check(plan, returns):
    return check_period(plan, returns, (), Q2, READ_NOW)


# --- reading ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, day", [
    ("31/01/2024", date(2024, 1, 31)), ("31/01/24", date(2024, 1, 31)),
    ("2024-01-31", date(2024, 1, 31)), ("31st January 2024", date(2024, 1, 31)),
    ("by 31 Jan 2024", date(2024, 1, 31))])
def test_one_clear_day_is_read_without_a_word(text, day):
    reading = read_date(text)
    assert (reading.day, reading.loose, reading.stated) == (day, False, "")


def test_jan_24_is_read_as_the_month_s_end_and_the_officer_told_what_to_write_if_not():
    reading = read_date("Jan 24")
    assert reading.day == date(2024, 1, 31)
    assert reading.stated == ("'Jan 24' was read as 31 January 2024 (the end of the month): "
                              "if you meant 24 January 2024, write 24/01/2024; else write "
                              "31/01/2024")


def test_a_day_without_its_year_takes_the_period_s_year_and_says_so():
    completed = read_date("wk ending 13th Oct", around=Q2.end)
    assert completed.day == date(2023, 10, 13)
    assert "the year taken from the period" in completed.stated
    assert "write 13/10/2023" in completed.stated
    # A new date is ahead: "end of March" in a Q2 return is next March, not last.
    assert read_date("end of March", around=Q2.start, future=True).day == date(2024, 3, 31)
    assert read_date("13th Oct").day is None  # no period to take a year from


@pytest.mark.parametrize("text", ["TBC", "ongoing", "when the IT system is in", "n/a", "??",
                                  "31/02/2024", "next year"])
def test_words_with_no_reading_give_no_day(text):
    assert read_date(text, around=Q2.end).day is None


# --- the receipt and the findings -------------------------------------------------------


def test_a_loose_revised_date_is_stated_on_the_receipt_with_its_reason(tmp_path):
    ret = _csv_return(_folder(tmp_path), [["3.2", "On track", "Procuring.", "Jan 24",
                                           "new IT system", ""]])
    [receipt] = _check(_plan("3.2", due_date=None, by_when=""), [ret]).receipts
    text = receipt_text(receipt)
    assert ("line 7, column D: the revised date 'Jan 24' was read as 31 January 2024 (the end "
            "of the month): if you meant 24 January 2024, write 24/01/2024; else write "
            "31/01/2024.") in text
    assert "3.2: Used; new date 31 January 2024 (reason: new IT system)." in text


def test_a_date_completed_read_loosely_is_stated_and_one_with_no_reading_is_flagged(tmp_path):
    folder = _folder(tmp_path)
    loose = _csv_return(folder, [["3.2", "On track", "Fine.", "", "", ""]],
                        completed="wk ending 13th Oct")
    assert loose.date_completed == date(2023, 10, 13)
    [receipt] = _check(_plan("3.2"), [loose]).receipts
    text = receipt_text(receipt)
    assert "Date completed: 13 October 2023" in text
    assert "line 4, column B: the Date completed 'wk ending 13th Oct' was read as 13 October " \
           "2023 (the year taken from the period): write 13/10/2023" in text

    vague = _csv_return(folder, [["3.2", "On track", "Fine.", "", "", ""]],
                        completed="sometime last week", name="housing-2.csv")
    check = _check(_plan("3.2"), [vague])
    [finding] = [f for f in check.findings if f.code == codes.UNREADABLE_DATE]
    assert (finding.cell, finding.file) == ("line 4, column B", "housing-2.csv")
    assert "'sometime last week'" in finding.message and finding.data_quality
    assert "Date completed: 'sometime last week' (not a date)" in receipt_text(check.receipts[0])


def test_a_period_read_from_a_date_is_stated(tmp_path):
    ret = _csv_return(_folder(tmp_path), [["3.2", "On track", "Fine.", "", "", ""]],
                      period="Sept 2023")
    [receipt] = _check(_plan("3.2"), [ret]).receipts
    assert "the Period 'Sept 2023' was read as 2023/24 Q2: write 2023/24 Q2" in \
        receipt_text(receipt)


# A seeded generator of the texts officers put in date cells: days, months and years in
# every order and spelling, words around them, spans, and words that are no date at all.
_MONTHS = ["Jan", "January", "feb", "Sept", "SEPT", "October", "Oct", "march", "Dec"]
_FILLERS = ["", "by ", "wk ending ", "w/c ", "approx. ", "end of ", "mid ", "early ", "late ",
            "Due: ", "revised to ", "c. "]
_WORDS = ["TBC", "ongoing", "asap", "n/a", "when funding agreed", "next year", "Q3", "H2",
          "-", "?", "see update", "Autumn", "spring 2024", "Q3 2023/24", "2024/25", "2025",
          "FY 2023/24", "week 42", "31/02/2024", "00/00/0000", "🙂", "１２/０１/２０２４",
          # A day with no year (issue 22's review): never read as month and year.
          "Dec 31st", "Nov 30", "Oct 11th", "Feb 29th", "March 23rd", "31st Dec", "Oct 11",
          "by Dec 31st", "Jan 45", "31/12/2035", "11/10/2011"]


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)

    def day() -> str:
        return str(rng.randint(0, 32)) + rng.choice(["", "", "st", "th", "nd"])

    def year() -> str:
        return rng.choice(["2023", "2024", "23", "24", "1899", "2101", ""])

    def sep() -> str:
        return rng.choice(["/", ".", "-", " ", ", ", ""])

    shapes = [
        lambda: f"{day()}{sep()}{rng.randint(0, 13)}{sep()}{year()}",
        lambda: f"{day()} {rng.choice(_MONTHS)} {year()}",
        lambda: f"{rng.choice(_MONTHS)} {year() or day()}",
        lambda: f"{rng.choice(_MONTHS)} {day()}",
        lambda: rng.choice(_WORDS),
        lambda: f"{year()}-{rng.randint(0, 13):02d}-{rng.randint(0, 32):02d}",
        lambda: "".join(rng.choice("0123456789/-. abcQH") for _ in range(rng.randint(1, 12))),
        lambda: f"{day()}/{rng.randint(1, 12)}/{year()} subject to {rng.choice(_WORDS)}",
    ]
    return [(rng.choice(_FILLERS) + rng.choice(shapes)()).strip() or "?"
            for _ in range(count)]


def _said_or_flagged(text: str, day: date | None, cell: str, receipt: str, findings) -> None:
    """The cell's words gave a day the receipt states, or a finding names the cell."""
    flagged = [f for f in findings if f.code == codes.UNREADABLE_DATE and f.cell == cell]
    if day is None:
        assert flagged, f"{text!r} in {cell}: no date read and no finding"
        assert text in flagged[0].message and text in receipt, text  # the words are kept
        return
    assert long_date(day) in receipt, f"{text!r} read as {day}: not on the receipt"
    if flagged:  # only words that may mean another day, which would change the papers
        [finding] = flagged
        assert f"'{text}'" in finding.officer and "may mean" in finding.officer, text
        assert long_date(day) in finding.officer and f"write {day:%d/%m/%Y} or " in finding.fix
        return
    reading = read_date(text)  # loose words: how they were read is said, with the cell
    if reading.day is None or reading.loose:
        assert any(line.startswith(f"- {cell}: ") and text in line
                   and long_date(day) in line and "write " in line
                   for line in receipt.splitlines()), f"{text!r} read as {day}: not stated"


def test_every_text_in_a_revised_or_achieved_date_gives_a_stated_date_or_a_finding(tmp_path):
    texts = _texts(seed=20, count=300)
    ids = [f"1.{i}" for i in range(1, len(texts) + 1)]
    rows = [[ref, "On track", "Going well.", text, "a reason", texts[-1 - i]]
            for i, (ref, text) in enumerate(zip(ids, texts))]
    ret = _csv_return(_folder(tmp_path), rows)
    check = _check(_plan(*ids), [ret])
    text = receipt_text(check.receipts[0])
    by_line = {line.split(": ", 1)[0][2:]: line for line in text.splitlines()
               if line.startswith("- line ")}
    for i, row in enumerate(ret.rows):
        line = 7 + i
        for column, typed, day in (("D", row.revised_date_text, row.revised_date),
                                   ("F", row.date_achieved_text, row.date_achieved)):
            receipt = "\n".join((by_line.get(f"line {line}", ""), text))
            _said_or_flagged(typed, day, f"line {line}, column {column}", receipt,
                             check.findings)
    assert len(ret.rows) == len(texts)


def test_every_text_in_date_completed_gives_a_stated_date_or_a_finding(tmp_path):
    folder = _folder(tmp_path)
    for n, typed in enumerate(_texts(seed=13, count=60)):
        ret = _csv_return(folder, [["1.a", "On track", "Fine.", "", "", ""]], completed=typed,
                          name=f"housing-{n}.csv")
        check = _check(_plan("1.a"), [ret])
        receipt = receipt_text(check.receipts[0])
        _said_or_flagged(ret.date_completed_text, ret.date_completed, "line 4, column B",
                         receipt, check.findings)


# --- the paper --------------------------------------------------------------------------


def _squeezed(text: str) -> str:
    return "".join(text.replace("’", "'").replace("\u2010", "").split())


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_new_date_and_its_reason_reach_both_documents_also_without_a_due_date(tmp_path):
    """3.2 has no due date: its new date and reason are in the appendix; 3.3's new date, in
    words that read as no date, is in the paper as the officer wrote them."""
    folder = _folder(tmp_path)
    plan = _plan("3.2", "3.3", due_date=None, by_when="")
    ret = _csv_return(folder, [
        ["3.2", "On track", "Procuring the system.", "Jan 24", "new IT system", ""],
        ["3.3", "At risk", "Waiting on the contractor.", "when the contractor returns",
         "contractor ill", ""]], completed="wk ending 13th Oct")
    report = prepare(plan, [ret], period=Q2)
    documents = render_documents(report.model)
    pdf = subprocess.run(["pdftotext", "-", "-"], input=documents["pdf"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    for text in (_docx_text(documents["docx"]), pdf):
        text = _squeezed(text)  # a narrow PDF column breaks words ("reas on", "pro- gress")
        assert _squeezed("New date: 31 January 2024 (reason: new IT system).") in text
        assert _squeezed("New date given as 'when the contractor returns' (reason: contractor "
                         "ill).") in text
        assert _squeezed("Housing Received 13 October 2023") in text  # not "Not stated"


def test_a_date_achieved_later_than_the_return_could_be_written_is_a_problem():
    """A hostile officer's review (L4): 6.e Complete, achieved 24 January 2023, in a Q2
    2022/23 return was accepted without a word."""
    from conftest import make_return, make_row

    plan = make_plan(make_action("1.a"))

    def late(achieved, completed=None):
        row = make_row("1.a", "Complete", "Done.", date_achieved=achieved,
                       date_achieved_text=f"{achieved:%d/%m/%Y}")
        ret = make_return("Regulatory Services", row, date_completed=completed)
        return [f for f in prepare(plan, [ret]).findings if f.code == codes.LATE_DATE_ACHIEVED]

    assert late(date(2022, 12, 31)) == []  # within the quarter after: a return sent late
    (found,) = late(date(2023, 1, 24))
    assert "24 January 2023, is after 2022/23 Q3 ended, on 31 December 2022" in found.officer
    assert found.file is not None and found.fix.startswith("write the day it was done")
    (after,) = late(date(2022, 10, 20), completed=date(2022, 10, 14))
    assert "after the return was completed on 14 October 2022" in after.officer
    assert late(date(2022, 10, 14), completed=date(2022, 10, 14)) == []
