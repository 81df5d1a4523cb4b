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


def test_an_installation_lists_its_top_plan_then_its_plans_by_name(tmp_path):
    from reporting.installation import installed_plans, settings_path

    _two_plans(tmp_path)
    (tmp_path / "plans" / "not a name").mkdir()
    (tmp_path / "plans" / "not a name" / "reporting.toml").write_text("")
    assert [p.name for p in installed_plans(tmp_path)] == ["climate", "health"]
    shutil.copy(ROOT / "reporting.toml", tmp_path / "reporting.toml")
    plans = installed_plans(tmp_path)
    assert [(p.name, p.tags) for p in plans] == [
        (None, ()), ("climate", ("plan:climate",)), ("health", ("plan:health",))]
    assert settings_path("health", None, tmp_path) == plans[2].settings
    assert settings_path("health", "other.toml", tmp_path).name == "other.toml"
    assert settings_path(None, None, tmp_path) is None


def test_schedule_shows_every_plan_or_the_one_named(tmp_path, monkeypatch, capsys):
    _two_plans(tmp_path)
    path = tmp_path / "plans" / "climate" / "reporting.toml"
    path.write_text(path.read_text().replace('six_monthly_cron = "0 7 19-25 4,10 TUE"',
                                             'six_monthly_cron = "0 9 20 5,11 *"'))
    monkeypatch.chdir(tmp_path)
    assert main(["schedule", "--from", "2022-09-01", "--count", "1"]) == 0
    out = capsys.readouterr().out
    climate, health = out.split("== health: The health plan ==")
    assert climate.startswith("== climate: The climate plan ==")
    assert "[0 9 20 5,11 *]" in climate and "[0 7 19-25 4,10 TUE]" in health
    assert main(["schedule", "--plan", "health", "--count", "1"]) == 0
    out = capsys.readouterr().out
    assert "== health" in out and "climate" not in out


def test_prefect_yaml_is_written_from_the_plans_and_checked(tmp_path, monkeypatch, capsys):
    import yaml

    _two_plans(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["prefect-yaml"]) == 0
    assert main(["prefect-yaml", "--check"]) == 0
    declared = yaml.safe_load((tmp_path / "prefect.yaml").read_text())
    assert declared["pull"] == [{"prefect.deployments.steps.set_working_directory": {
        "directory": "{{ $SCRUTINY_REPORTING_HOME }}"}}]
    assert str(tmp_path) not in (tmp_path / "prefect.yaml").read_text()
    by_name = {d["name"]: d for d in declared["deployments"]}
    assert sorted(by_name) == sorted(f"{plan}-{kind}" for plan in ("climate", "health") for kind in (
        "quarterly-report", "six-monthly-report", "intake-check", "reminders")) + [
        "notify-policy-officer"]  # one for the installation: the run it is given names its plan
    assert by_name["climate-six-monthly-report"]["parameters"] == {
        "plan": "climate", "cadence": "six-monthly"}
    assert by_name["health-reminders"]["tags"] == ["chasing", "plan:health"]
    # A settings change makes the file stale until it is written again.
    path = tmp_path / "plans" / "health" / "reporting.toml"
    path.write_text(path.read_text().replace('quarterly_cron = "0 7 19-25 1,4,7,10 TUE"',
                                             'quarterly_cron = "0 7 16 1,4,7,10 *"'))
    assert main(["prefect-yaml", "--check"]) == 2


def test_one_plan_that_cannot_be_read_is_named_and_the_others_go_on(tmp_path, monkeypatch,
                                                                    capsys):
    _two_plans(tmp_path)
    shutil.copytree(tmp_path / "plans" / "health", tmp_path / "plans" / "Rutland.Climate")
    (tmp_path / "plans" / "broken").mkdir()
    (tmp_path / "plans" / "broken" / "reporting.toml").write_text("[council]\nname = \n")
    (tmp_path / "plans" / "two words").mkdir()
    shutil.copy(tmp_path / "plans" / "health" / "reporting.toml", tmp_path / "plans" / "two words")
    climate = tmp_path / "plans" / "climate" / "reporting.toml"
    climate.write_text(climate.read_text().replace('quarterly_cron = "0 7 19-25 1,4,7,10 TUE"',
                                                   'quarterly_cron = "0 7 35 1,4,7,10 *"'))
    monkeypatch.chdir(tmp_path)
    assert main(["schedule", "--count", "1"]) == 1  # shown, but not all of them
    out, err = capsys.readouterr()
    assert [line for line in out.splitlines() if line.startswith("==")] == [
        "== Rutland.Climate: The health plan ==", "== health: The health plan =="]
    assert err.splitlines() == [
        "reporting: left out plans/broken/reporting.toml: line 2: 'name =' needs a value after "
            "it, such as name = \"...\"",
        "reporting: left out plans/climate/reporting.toml: [schedule] quarterly_cron must be "
        "a cron string of five fields, such as \"0 7 15 1,4,7,10 *\" ('35' is not a day of "
        "month (1-31)), not '0 7 35 1,4,7,10 *'",
        "reporting: left out plans/two words: a plan's folder name starts with a letter or "
        "digit and holds only letters, digits, '.', '-' and '_' (it names the plan's "
        "deployments); rename the folder"]
    # prefect.yaml is all the plans or nothing: a file missing a plan would be deployed.
    assert main(["prefect-yaml"]) == 2
    assert "prefect.yaml not written: 3 plan(s) could not be read" in capsys.readouterr().err
    assert not (tmp_path / "prefect.yaml").exists()
    assert main(["schedule", "--plan", "two words"]) == 2
    assert "plans/two words: a plan's folder name" in capsys.readouterr().err


def test_prefect_yaml_check_says_which_deployments_differ(tmp_path, monkeypatch, capsys):
    _two_plans(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["prefect-yaml", "--check"]) == 2
    assert "prefect.yaml does not exist" in capsys.readouterr().err
    assert main(["prefect-yaml", "--plan", "health"]) == 2  # it is every plan or none
    assert "without --plan or --config" in capsys.readouterr().err
    assert main(["prefect-yaml"]) == 0
    shutil.copytree(tmp_path / "plans" / "health", tmp_path / "plans" / "housing")
    health = tmp_path / "plans" / "health" / "reporting.toml"
    health.write_text(health.read_text().replace('timezone = "Europe/London"',
                                                 'timezone = "Europe/Dublin"'))
    shutil.rmtree(tmp_path / "plans" / "climate")
    assert main(["prefect-yaml", "--check"]) == 2
    err = capsys.readouterr().err
    for said in ("housing-quarterly-report: missing", "climate-reminders: not in any plan's "
                 "settings", "health-six-monthly-report: its schedules differ"):
        assert f"  {said}\n" in err
