"""`reporting plan check|template`: a plan's problems with their sheet and row, and a blank one."""

from __future__ import annotations

from conftest import BUNDLED_PLAN, ROOT
from openpyxl import load_workbook

from cli.main import main


def test_check_finds_the_settings_plan_and_says_it_can_be_used(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["plan", "check"]) == 0
    out = capsys.readouterr().out
    assert "6 themes, 25 actions, 35 milestones" in out
    assert "to look at: 1 action (5.b) has no target" in out
    assert "to look at: 2 actions (6.c, 6.d) have no milestone" in out
    assert out.rstrip().endswith("The plan can be used.")


def test_check_lists_every_problem_and_exits_1(tmp_path, capsys):
    workbook = load_workbook(BUNDLED_PLAN)
    actions = workbook["Actions"]
    actions["A4"] = "1.B"  # the same reference as 1.b on row 3, retyped
    actions["B9"] = "Priority 9"  # no such priority
    actions["F12"] = "whenever"  # not a date: the action is undated, not refused
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    assert main(["plan", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "must fix: sheet 'Actions', row 4, column A (Action ID): '1.B' is the same " \
           "reference as '1.b' on row 3" in out
    assert "must fix: sheet 'Actions', row 9, column B (Priority): 'Priority 9' is not a " \
           "priority on the Priorities sheet; use one of: 1, 2, 3, 4, 5, 6" in out
    assert "to look at: sheet 'Actions', row 12, column F (Due date): 'whenever' is not a " \
           "date (By when, '2022/23', is used)" in out
    # and the milestones of the two actions not read: 1.c (now 1.B) and row 9's
    assert "4 problems must be fixed before the plan can be used." in out


def test_template_writes_a_blank_plan_once(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["plan", "template"]) == 0
    assert load_workbook(tmp_path / "plan-template.xlsx")["Actions"]["A1"].value == "Action ID"
    before = (tmp_path / "plan-template.xlsx").read_bytes()
    assert main(["plan", "template"]) == 2
    assert "already there; pass --force" in capsys.readouterr().err
    assert (tmp_path / "plan-template.xlsx").read_bytes() == before
    assert main(["plan", "template", "--out", "mine.xlsx"]) == 0
    assert (tmp_path / "mine.xlsx").exists()
