"""Several plans in one installation: `--plan NAME` takes plans/NAME/reporting.toml."""

from __future__ import annotations

import shutil

from conftest import ROOT

from cli.main import main


def _two_plans(tmp_path):
    for name in ("health", "climate"):
        folder = tmp_path / "plans" / name
        shutil.copytree(ROOT / "inputs" / "plan", folder / "inputs" / "plan")
        text = (ROOT / "reporting.toml").read_text().replace(
            'title = "Health & Wellbeing Action Plan 2022/23"', f'title = "The {name} plan"')
        (folder / "reporting.toml").write_text(text)


def test_plan_names_the_settings_of_one_plan_of_several(tmp_path, monkeypatch, capsys):
    _two_plans(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["plan", "check", "--plan", "climate"]) == 0
    assert f"{tmp_path}/plans/climate/inputs/plan/" in capsys.readouterr().out
    assert main(["--plan", "health", "templates", "--period", "2022/23 Q3"]) == 0
    assert (tmp_path / "plans" / "health" / "outputs" / "2022-23-Q3" / "templates").is_dir()
    assert not (tmp_path / "plans" / "climate" / "outputs").exists()


def test_an_unknown_plan_names_the_plans_there(tmp_path, monkeypatch, capsys):
    _two_plans(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["plan", "check", "--plan", "housing"]) == 2
    assert capsys.readouterr().err.strip() == (
        "reporting: plans/housing/reporting.toml: no such plan; the plans here are "
        "climate, health")
    assert main(["plan", "check", "--plan", "health", "--config", "x.toml"]) == 2
