"""The year-end rollover (issue 20): next year's plan workbook from this year's plan and its
latest returns, every decision said; and the next year's papers say what was carried."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import ROOT, make_action, make_plan, make_return, make_row, make_settings, prepare
from openpyxl import load_workbook

from cli.main import main
from reporting.intake.plan_import import import_plan
from reporting.period import Period
from reporting.pipeline import read_year_end
from reporting.plan import PlanError, read_plan_workbook
from reporting.plan.rollover import roll_over, rollover_start, write_rollover
from reporting.render.html import render_html

FIXTURES = Path(__file__).parent / "fixtures"
NEXT = Period.parse("2023/24 Q1")


def _set(path: Path, reference: str, milestone: str | None, **cells) -> None:
    """Write `cells` ({heading: value}) into the row of a return for `reference` (and the
    milestone its words start with)."""
    workbook = load_workbook(path)
    sheet = workbook["Return"]
    rows = list(sheet.iter_rows())
    header = next(r for r in rows if r[0].value == "Action ID")
    column = {c.value: c.column for c in header}
    row = next(r for r in rows if r[0].value == reference and (
        milestone is None or str(r[column["Milestone"] - 1].value or "").startswith(milestone)))
    for heading, value in cells.items():
        sheet.cell(row[0].row, column[heading], value)
    workbook.save(path)


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """The bundled installation, its Q2 returns saying 1.c is complete and 1.b's first
    milestone achieved."""
    root = tmp_path_factory.mktemp("installation")
    shutil.copytree(ROOT / "inputs", root / "inputs")
    shutil.copy(ROOT / "reporting.toml", root / "reporting.toml")
    regulatory = root / "inputs" / "returns" / "2022-23-Q2" / "regulatory-services.xlsx"
    _set(regulatory, "1.c", None, Status="Complete")
    _set(regulatory, "1.b", "Monitor the implementation", Status="Complete",
         **{"Date achieved": datetime(2022, 9, 15)})
    return root


def _run(installation, capsys, *options) -> tuple[int, str, str]:
    code = main(["--config", str(installation / "reporting.toml"), "plan", "rollover",
                 *options])
    said = capsys.readouterr()
    return code, said.out, said.err


def test_the_bundled_plan_rolls_over_to_a_workbook_plan_check_reads(installation, tmp_path,
                                                                    capsys):
    out = tmp_path / "plan-2023-24.xlsx"
    before = _digest(installation / "inputs")
    code, said, _ = _run(installation, capsys, "--to", "2023/24", "--out", str(out))
    assert code == 0
    plan, problems = read_plan_workbook(out)
    assert plan is not None and not [p for p in problems if p.blocking]
    assert plan.starts == NEXT  # the new year's Q1, on the Plan start sheet
    # Complete: closed, not in the new plan, and said.
    assert plan.action("1.c") is None
    assert "action 1.c: closed: Complete in 2022/23 Q2" in said
    assert "1 closed as complete (1.c)" in said
    # Carried: references and words kept, the officer's revised date as the due date.
    carried = plan.action("1.a")
    assert carried.id == "1.a" and carried.carried_forward_from == "2022/23"
    assert carried.due_date == date(2023, 9, 30)
    assert carried.status_carried_forward == "At risk in 2022/23 Q2"
    assert "action 1.a: carried forward, At risk in 2022/23 Q2; due 30 September 2023" in said
    # Achieved milestones are dropped, and said; the others kept.
    assert [m.text for m in plan.action("1.b").milestones] == [
        "Cross service working on problematic empty properties"]
    assert "milestone 'Monitor the implementation" in said and "achieved: dropped" in said
    # The plan's own date, already past when the new year begins, is said.
    assert ("action 1.d: carried forward, At risk in 2022/23 Q2; due 31 March 2023, before "
            "2023/24 begins: set a new date") in said
    assert "returns for 2022/23 Q2, the latest period with a returns folder" in said
    assert said.rstrip().endswith(f"run `reporting plan check {out}`.")
    assert len(plan.actions) == 24
    assert _digest(installation / "inputs") == before  # nothing under inputs/ changed


def test_an_action_no_return_reported_is_carried_forward_for_a_person_to_check(
        installation, tmp_path, capsys):
    out = tmp_path / "new.xlsx"
    _, said, _ = _run(installation, capsys, "--to", "2023/24", "--out", str(out))
    assert "action 1.e: carried forward, not reported in 2022/23 Q2: check it" in said
    # An annual action was not due to report at Q2: said so, not blamed.
    assert ("action 2.a: carried forward, not reported in 2022/23 Q2 (as annual, it was not "
            "due to report then): check it") in said
    plan, _ = read_plan_workbook(out)
    assert plan.action("1.e").status_carried_forward == "Not reported in 2022/23 Q2"
    assert len(plan.action("1.e").milestones) == 6


@pytest.mark.parametrize(("year", "words"), [
    ("2023", "--to '2023' is not a financial year: write it as 2023/24"),
    ("2023/25", "--to '2023/25' is not a financial year: 2023 is followed by 2024 (2023/24)"),
    ("2022/23", "--to 2022/23 is not after the plan's year, 2022/23: give the year the new "
                "plan starts, such as 2023/24"),
])
def test_a_to_that_is_not_the_next_financial_year_is_refused_in_one_line(
        installation, tmp_path, capsys, year, words):
    out = tmp_path / "new.xlsx"
    code, said, err = _run(installation, capsys, "--to", year, "--out", str(out))
    assert code == 2 and err == f"reporting: {words}\n" and said == ""
    assert not out.exists()


def test_it_never_writes_under_inputs_nor_over_a_file_without_force(installation, tmp_path,
                                                                    capsys):
    inside = installation / "inputs" / "plan" / "next.xlsx"
    code, _, err = _run(installation, capsys, "--to", "2023/24", "--out", str(inside))
    assert code == 2 and "under the inputs folder" in err and not inside.exists()
    there = tmp_path / "there.xlsx"
    there.write_bytes(b"kept")
    code, _, err = _run(installation, capsys, "--to", "2023/24", "--out", str(there))
    assert code == 2 and "pass --force" in err and there.read_bytes() == b"kept"
    code, _, _ = _run(installation, capsys, "--to", "2023/24", "--out", str(there), "--force")
    assert code == 0 and read_plan_workbook(there)[0] is not None


def test_the_default_out_is_the_new_years_plan_here(installation, tmp_path, capsys,
                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, said, _ = _run(installation, capsys, "--to", "2023/24")
    assert code == 0 and (tmp_path / "plan-2023-24.xlsx").is_file()
    # The settings' title still names the old year: said.
    assert '[plan] title (it says "Health & Wellbeing Action Plan 2022/23")' in said


def test_a_year_is_a_financial_year():
    assert rollover_start("2023/24") == rollover_start(" 2023/2024 ") == NEXT
    with pytest.raises(PlanError, match="not a financial year"):
        rollover_start("2023/24 Q1")


def test_with_no_returns_every_action_is_carried_and_checked(tmp_path):
    plan = make_plan(make_action("1.a", by_when="Ongoing", due_date=None),
                     make_action("1.b", due_date=date(2024, 6, 30), by_when=""))
    data, report = roll_over(plan, {}, Period.parse("2022/23 Q4"), NEXT)
    assert report.carried == ("1.a", "1.b") and report.closed == ()
    lines = [str(d) for d in report.decisions]
    assert lines == ["action 1.a: carried forward, not reported in 2022/23 Q4: check it",
                     "action 1.b: carried forward, not reported in 2022/23 Q4: check it"]
    out = write_rollover(plan, {}, Period.parse("2022/23 Q4"), NEXT, tmp_path / "p.xlsx").out
    new, _ = read_plan_workbook(out)
    assert new.action("1.a").ongoing and new.action("1.b").due_date == date(2024, 6, 30)


def test_a_carried_forward_action_is_marked_so_in_appendix_a():
    plan = make_plan(make_action("1.a", carried_forward_from="2022/23"), make_action("1.b"))
    report = prepare(plan, [make_return("Regulatory Services", make_row("1.a"),
                                        make_row("1.b", row=9))])
    cells = {row[0]: row[1] for s in report.model.sections for row in s.table.rows}
    assert cells["1.a"].startswith("Objective 1.a\nCarried forward from 2022/23\n")
    assert "Carried forward" not in cells["1.b"]
    page = render_html(report.model)
    assert page.count("Carried forward from 2022/23") == 1


def test_the_word_council_plan_imported_then_rolled_over(tmp_path):
    inputs = tmp_path / "inputs"
    import_plan(FIXTURES / "council-plan.docx", inputs / "plan" / "council-plan.xlsx")
    folder = inputs / "returns" / "2025-26-Q4"
    folder.mkdir(parents=True)
    (folder / "any-service.csv").write_text(
        "Action ID,Milestone,Status,Progress update,Revised date\n"
        "3,,Complete,Both sites handed over.,\n"
        "16,Launch a business climate network by Autumn 2025,Complete,Launched.,\n"
        "16,Hold two net zero events for traders (July 2025),On track,One held.,\n"
        "17,,At risk,Caddies arrive late.,31/07/2026\n", encoding="utf-8")
    year_end = read_year_end(make_settings(inputs=inputs), inputs)
    assert year_end.period == Period.parse("2025/26 Q4")
    out = tmp_path / "plan-2026-27.xlsx"
    report = write_rollover(year_end.plan, year_end.progress, year_end.period,
                            rollover_start("2026/27"), out)
    lines = {d.where: d.message for d in report.decisions}
    plan, problems = read_plan_workbook(out)
    assert plan is not None and not [p for p in problems if p.blocking]
    assert report.closed == ("3",) and plan.action("3") is None
    # The council's themes, references and milestone words are kept.
    assert [(a.priority, a.id) for a in plan.actions] == [
        ("Greener", "16"), ("Greener", "17"), ("Homes", "GB1"), ("Thriving", "a")]
    assert [(m.text, m.due) for m in plan.action("16").milestones] == [
        ("Hold two net zero events for traders (July 2025)", "July 2025"),
        ("Publish a green business guide", "")]
    assert "milestone 'Launch a business climate network by Autumn 2025' achieved" in \
        lines["action 16"]
    assert ("milestone 'Hold two net zero events for traders (July 2025)' due 31 July 2025, "
            "before 2026/27 begins: set a new date") in lines["action 16"]
    assert plan.action("17").due_date == date(2026, 7, 31)
    assert lines["action GB1"].startswith("carried forward, not reported in 2025/26 Q4")
    assert plan.action("a").milestones[0].due == "Spring 2026"
    assert {a.carried_forward_from for a in plan.actions} == {"2025/26"}
