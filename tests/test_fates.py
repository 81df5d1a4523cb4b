"""A row's fate is decided once a period: its receipt says what every report of the period does.

For the bundled returns, the hostile corpus and a generated plan full of careless returns,
each report is made afresh by the pipeline and held against the receipts.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from bad_returns import corpus_inputs
from conftest import BUNDLED_INPUTS, make_action, make_plan, make_return, make_row

from reporting.cadence import REPORT_CADENCES, CadenceError, cadences_covered
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
    for cadence in REPORT_CADENCES:
        try:
            cadences_covered(cadence, inputs.period)
        except CadenceError:
            continue
        # Each report made afresh, not from the receipts' own check.
        yield cadence, prepare_report(SETTINGS, inputs, cadence, NOW)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rows_fate_on_its_receipt_is_its_fate_in_every_report(case, tmp_path):
    inputs = CASES[case](tmp_path)
    receipts = check_period(inputs.plan, inputs.returns, inputs.previous_returns,
                            inputs.period, SETTINGS.intake).receipts
    file_of = {id(row): ret.file for ret in inputs.returns for row in ret.rows}
    lines = {(r.file, line.where): line for r in receipts for line in r.rows}
    assert lines, "the case has rows to judge"
    checked = 0
    for cadence, report in _reports(inputs):
        covered = report.merged.covered_ids
        used = {(file_of[id(row)], row.where("Action ID"))
                for p in report.merged.progress for row in p.rows}
        raised = {(f.code, f.file, f.cell) for f in report.findings}
        # Every row the report used is a row its receipt says was used.
        assert all(lines[key].used for key in used), (cadence, used)
        for (file, where), line in lines.items():
            if line.used and line.action_id in covered:
                assert (file, where) in used, (cadence, file, line)
            elif line.used:
                assert (file, where) not in used
                _, _, left_out = line.fate.partition(", so not in ")
                assert f"the {cadence.value} report" in left_out, (cadence, line)
            else:
                assert (file, where) not in used, (cadence, file, line)
                if line.code == "SUPERSEDED_RETURN":
                    assert any(c == line.code and f == file for c, f, _ in raised)
                elif line.code == "UNKNOWN_ACTION" or line.action_id in covered:
                    assert (line.code, file, where) in raised, (cadence, file, line)
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
