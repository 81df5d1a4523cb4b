"""A row's fate is decided once a period: its receipt says what every report of the period does.

For the bundled returns, the hostile corpus and a generated plan full of careless returns,
each report is made afresh by the pipeline and held against the receipts.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from bad_returns import corpus_inputs
from conftest import BUNDLED_INPUTS, make_action, make_plan, make_return, make_row, prepare

from reporting.cadence import papers_on
from reporting.period import Period
from reporting.pipeline import PeriodInputs, check_period, prepare_report
from reporting.settings import READ_NOW, load_settings

SETTINGS = load_settings(BUNDLED_INPUTS.parent / "reporting.toml")
NOW = datetime(2022, 10, 20, 9, 30).astimezone()


def _bundled(period: str) -> PeriodInputs:
    from reporting.pipeline import read_period

    return read_period(SETTINGS, Period.parse(period), BUNDLED_INPUTS, READ_NOW)


def _corpus(tmp_path) -> PeriodInputs:
    return corpus_inputs(tmp_path)


def _generated(tmp_path) -> PeriodInputs:
    from benchmarks.generate import PERIOD_LABEL, generate
    from reporting.pipeline import read_period

    generate(tmp_path, 60, 6)
    settings = load_settings(tmp_path / "reporting.toml")
    return read_period(settings, Period.parse(PERIOD_LABEL), tmp_path, READ_NOW)


def _careless(tmp_path) -> PeriodInputs:
    """Two files from one service, a repeated row, an unknown action, an annual action."""
    plan = make_plan(make_action("1.a"), make_action("1.b"),
                     make_action("2.a", cadence=make_action().cadence.ANNUAL))
    old = make_return("Regulatory Services", make_row("1.a", "Red"), path=tmp_path / "old.csv")
    new = make_return("Regulatory Services", make_row("1.a"), make_row("1.a", "Red", row=9),
                      make_row("7.z", row=10), make_row("2.a", row=11),
                      make_row("1.b", "Amber", row=12), path=tmp_path / "new.xlsx")
    old.path.write_text("x")
    new.path.write_text("x")
    import os
    os.utime(old.path, (1, 1))
    return PeriodInputs(Period.parse("2022/23 Q2"), plan, (old, new), (), tmp_path)


CASES = {
    "bundled Q1": lambda tmp_path: _bundled("2022/23 Q1"),
    "bundled Q2": lambda tmp_path: _bundled("2022/23 Q2"),
    "hostile corpus": _corpus,
    "generated plan": _generated,
    "careless returns": _careless,
}


def _reports(inputs: PeriodInputs):
    for paper in papers_on(inputs.period):
        # Each paper made afresh, not from the receipts' own check.
        yield paper, prepare_report(SETTINGS, inputs, paper, NOW)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rows_fate_on_its_receipt_is_its_fate_in_every_report(case, tmp_path):
    inputs = CASES[case](tmp_path)
    receipts = check_period(inputs.plan, inputs.returns, inputs.previous_returns,
                            inputs.period, SETTINGS.intake).receipts
    file_of = {id(row): ret.file for ret in inputs.returns for row in ret.rows}
    lines = {(r.file, line.where): line for r in receipts for line in r.rows}
    assert lines, "the case has rows to judge"
    checked = 0
    for paper, report in _reports(inputs):
        covered = report.merged.covered_ids
        used = {(file_of[id(row)], row.where("Action ID"))
                for p in report.merged.progress for row in p.rows}
        raised = {(f.code, f.file, f.cell) for f in report.findings}
        # Every row the report used is a row its receipt says was used.
        assert all(lines[key].used for key in used), (paper, used)
        for (file, where), line in lines.items():
            if line.used and line.action_id in covered:
                assert (file, where) in used, (paper, file, line)
            elif line.used:
                assert (file, where) not in used
                _, _, left_out = line.fate.partition(", so not in ")
                assert f"the {paper.value} report" in left_out, (paper, line)
            else:
                assert (file, where) not in used, (paper, file, line)
                if line.code == "SUPERSEDED_RETURN":
                    assert any(c == line.code and f == file for c, f, _ in raised)
                elif line.code == "UNKNOWN_ACTION" or line.action_id in covered:
                    assert (line.code, file, where) in raised, (paper, file, line)
            checked += 1
    assert checked >= len(lines)


def test_the_bundled_unknown_row_is_not_accepted_on_its_receipt():
    inputs = _bundled("2022/23 Q2")
    [receipt] = [r for r in check_period(inputs.plan, inputs.returns, inputs.previous_returns,
                                         inputs.period, SETTINGS.intake).receipts
                 if r.file == "community-partnerships.xlsx"]
    [line] = [line for line in receipt.rows if line.action == "4.d"]
    assert not line.used and line.code == "UNKNOWN_ACTION"
    assert receipt.outcome == "Accepted with problems"


# ---------------------------------------------------------------------------------------
# Of several rows for one action (and milestone), which is used (issue 22, H2 and H3): a row
# giving a status beats one giving none, a visible row beats a hidden one, then the worse.


def _two_rows(first, second):
    """A plan of one action and a return whose rows 8 and 9 are both for it."""
    plan = make_plan(make_action("1.a"))
    rows = (make_row("1.a", row=8, **first), make_row("1.a", row=9, **second))
    return plan, make_return("Regulatory Services", *rows)


# first row, second row, the row used, the words saying why the other was not
DUPLICATES = {
    "H2: a blank status before Off track": (
        dict(status="", update="Meeting held; notes to follow."),
        dict(status="Off track", update="Early help behind: no provider.",
             status_reason="No provider"),
        "Return!A9", "as it gives a status and this row gives none"),
    "H3: a hidden On track above a visible Off track": (
        dict(status="On track", update="OLD Q1 text kept hidden", hidden=True),
        dict(status="Off track", update="Early help behind: no provider.",
             status_reason="No provider"),
        "Return!A9", "as this row is hidden in Excel and that one is not"),
    "a visible row beats a hidden one, even a worse one": (
        dict(status="Off track", update="Last quarter's words.", hidden=True),
        dict(status="On track", update="Recovered this quarter."),
        "Return!A9", "as this row is hidden in Excel and that one is not"),
    "a status given beats a hidden row's none": (
        dict(status="", update="Meeting held."),
        dict(status="At risk", update="Hidden, with a status.", hidden=True),
        "Return!A9", "as it gives a status and this row gives none"),
    "of two visible statuses the worse": (
        dict(status="On track", update="Going well."),
        dict(status="Off track", update="Early help behind: no provider.",
             status_reason="No provider"),
        "Return!A9", "as its status, Off track, is worse than the On track of this row"),
    "the worse comes first": (
        dict(status="At risk", update="Behind.", status_reason="Staff off sick"),
        dict(status="Complete", update="Done."),
        "Return!A8", "as its status, At risk, is worse than the Complete of this row"),
    "nothing between them: the first": (
        dict(status="On track", update="Going well."),
        dict(status="On track", update="Going well, again."),
        "Return!A8", "the first (Return!A8) counts"),
}


@pytest.mark.parametrize("case", sorted(DUPLICATES))
def test_of_two_rows_for_one_action_the_one_used_and_why_is_on_the_receipt(case):
    first, second, used_at, why = DUPLICATES[case]
    plan, ret = _two_rows(first, second)
    checked = check_period(plan, [ret], [], Period.parse("2022/23 Q2"), SETTINGS.intake)
    [receipt] = checked.receipts
    lines = {line.where: line for line in receipt.rows}
    [other_at] = set(lines) - {used_at}
    assert lines[used_at].used and not lines[other_at].used
    assert why in lines[other_at].fate and used_at in lines[other_at].fate
    [duplicate] = [f for f in checked.findings if f.code == "DUPLICATE_UPDATE"]
    assert duplicate.cell == other_at and used_at in duplicate.message, duplicate.message
    assert why.replace("this row", f"the row at {other_at}") in duplicate.message
    # The paper reads the same row the receipt says was used.
    report = prepare(plan, [ret])
    [progress] = report.merged.progress
    assert [row.where() for row in progress.rows] == [used_at]


@pytest.mark.parametrize("case", ["H2: a blank status before Off track",
                                  "H3: a hidden On track above a visible Off track"])
def test_the_committee_sees_off_track_and_its_reason_whichever_row_comes_first(case):
    from reporting.render.html import render_html

    first, second, _, _ = DUPLICATES[case]
    plan, ret = _two_rows(first, second)
    report = prepare(plan, [ret])
    [progress] = report.merged.progress
    assert progress.status.value == "Off track" and progress.status_reason == "No provider"
    codes = {f.code for f in report.findings}
    assert "OFF_TRACK" in codes and "MISSING_STATUS" not in codes, codes
    [line] = report.model.exceptions
    assert line.action_id == "1.a" and line.problem.startswith("Off track")
    assert "No provider" in line.problem
    html = render_html(report.model)
    assert "No provider" in html and "OLD Q1 text" not in html and "Meeting held" not in html


def test_a_row_hidden_in_excel_is_read_as_hidden(tmp_path):
    """The intake marks a hidden row, so that a visible row for its action beats it."""
    from bad_returns import ROWS, workbook_bytes, write

    from reporting.intake.returns import read_return

    def hide(ws):
        ws.row_dimensions[8].hidden = True

    rows = (["1.c", "", "", "On track", "OLD Q1 text kept hidden"],
            ["1.c", "", "", "Off track", "Behind: no provider."], *ROWS)
    path = write(tmp_path / "regulatory-services.xlsx",
                 workbook_bytes(rows=rows, build=hide))
    ret = read_return(path)
    assert [(r.where(), r.hidden) for r in ret.rows] == [
        ("Return!A8", True), ("Return!A9", False), ("Return!A10", False), ("Return!A11", False)]
    assert any("row 8 is hidden in Excel" in n.message for n in ret.notes)
