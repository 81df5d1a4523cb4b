"""Settings in council terms (issue 20): a broken file is said in plain words and nothing
false follows; a new installation's plan is checked before its committees are named; one
committee takes both papers unless the council names two; no council's name in help."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from cli import main as cli
from reporting.cadence import Paper
from reporting.errors import ReportingError
from reporting.installation import settings_text
from reporting.plan.form import blank_plan
from reporting.settings import ConfigError, load_settings, toml_problem

ROOT = Path(__file__).resolve().parents[1]


def _new_installation(tmp_path, monkeypatch, *committees: str) -> Path:
    folder = tmp_path / "anytown"
    args = ["init", str(folder)] + [a for c in committees for a in ("--committee", c)]
    assert cli.main(args) == 0
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("command", [["plan", "check"], ["run"],
                                     ["templates", "--period", "2022/23 Q3"],
                                     ["check", "x.csv"]])
def test_a_name_copied_from_the_glossary_example_is_said_in_plain_words_and_nothing_after(
        tmp_path, monkeypatch, capsys, command):
    folder = _new_installation(tmp_path, monkeypatch)
    settings = folder / "reporting.toml"
    lines = settings.read_text().splitlines()
    settings.write_text("\n".join(lines + ['B&B = "Bed and breakfast"']) + "\n")
    (folder / "x.csv").write_text("Action ID,Status,Progress update\n1,On track,Fine\n")
    capsys.readouterr()
    assert cli.main(command) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"reporting: reporting.toml: line {len(lines) + 1}: a name with '&' or a space must be "
        "in quotes: \"B&B\" = \"Bed and breakfast\""]


@pytest.mark.parametrize("line, said", [
    ('ASB team = "x"', "line 2: a name with a space must be in quotes: \"ASB team\" = \"x\""),
    ("sender = performance@anytown.gov.uk",
     "line 2: the words after 'sender =' must be in quotes: sender = "
     "\"performance@anytown.gov.uk\""),
    ("name =", "line 2: 'name =' needs a value after it, such as name = \"...\""),
    ("ASB", "line 2: 'ASB' needs an '=' and a value, such as ASB = \"...\""),
    ('name = "Anytown', "line 2: a text is not closed"),
    ("[glossary]", "line 2: the table [glossary] is written twice: put its settings under the "
                   "first [glossary] and delete this one"),
])
def test_each_kind_of_broken_line_is_said_in_plain_words(line, said):
    text = f"[glossary]\n{line}\n"
    with pytest.raises(tomllib.TOMLDecodeError) as error:
        tomllib.loads(text)
    assert toml_problem(text, error.value).startswith(said)


def test_plan_check_works_in_a_new_installation_before_its_committees_are_named(
        tmp_path, monkeypatch, capsys):
    folder = _new_installation(tmp_path, monkeypatch)
    shutil.copy(next((ROOT / "inputs" / "plan").glob("*.xlsx")), folder / "inputs" / "plan")
    capsys.readouterr()
    assert cli.main(["plan", "check"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.rstrip().endswith("The plan can be used.")
    # A run still needs them, and says which.
    with pytest.raises(ConfigError, match=r"\[council\] name is required"):
        load_settings(folder / "reporting.toml")


def _filled(text: str) -> str:
    return text.replace('name = ""', 'name = "Anytown District Council"', 1) \
        .replace('title = ""', 'title = "Council Plan"', 1)


def test_init_writes_one_committee_that_takes_both_papers(tmp_path, monkeypatch):
    folder = _new_installation(tmp_path, monkeypatch, "Overview and Scrutiny Committee")
    path = folder / "reporting.toml"
    text = path.read_text()
    assert "\n[committees." not in text and "\n# [committees.quarterly]" in text
    path.write_text(_filled(text))
    settings = load_settings(path)
    assert {settings.committee_for(c).name for c in (Paper.QUARTERLY, Paper.SIX_MONTHLY)} \
        == {"Overview and Scrutiny Committee"}


def test_init_writes_two_committees_when_the_council_names_two(tmp_path, monkeypatch):
    folder = _new_installation(tmp_path, monkeypatch, "Cabinet", 'Scrutiny "Panel"')
    path = folder / "reporting.toml"
    path.write_text(_filled(path.read_text()))
    settings = load_settings(path)
    assert settings.committee_for(Paper.QUARTERLY).name == "Cabinet"
    assert settings.committee_for(Paper.SIX_MONTHLY).name == 'Scrutiny "Panel"'
    with pytest.raises(ReportingError, match="name one committee"):
        settings_text(("A", "B", "C"))


def test_a_new_installation_s_file_shows_the_settings_a_second_council_needs(tmp_path,
                                                                             monkeypatch):
    """A second council found its word for the groups, the plan's start and where unled
    actions go only in the docs: the file `init` writes shows each, and, uncommented, they
    take effect (as does clearance, with its table there, once mail is on)."""
    folder = _new_installation(tmp_path, monkeypatch, "Environment Committee")
    path = folder / "reporting.toml"
    text = _filled(path.read_text())
    for key in ("starts", "ends", "grouping", "grouping_plural", "unled_actions", "roles"):
        assert f"# {key} = " in text, key
    path.write_text(text.replace('# grouping = "theme"', 'grouping = "theme"')
                    .replace('# starts = "2024/25 Q1"', 'starts = "2024/25 Q1"')
                    .replace("[email]\nenabled = false", "[email]\nenabled = true"))
    settings = load_settings(path)
    assert settings.grouping.many == "themes" and str(settings.starts) == "2024/25 Q1"
    assert settings.clearance_required


def _help_texts(parser) -> list[str]:
    import argparse

    texts = [parser.format_help()]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                texts += _help_texts(sub)
    return texts


def test_no_council_s_name_is_in_the_help_the_settings_or_the_plan_template():
    from openpyxl import Workbook  # noqa: F401 (the template is a workbook)

    workbook = blank_plan()
    template = " ".join(str(c.value) for ws in workbook.worksheets for row in ws.iter_rows()
                        for c in row if c.value)
    words = " ".join([*_help_texts(cli._parser()), settings_text(), template]).lower()
    assert "instructions" in " ".join(ws.title.lower() for ws in workbook.worksheets)
    for name in ("harborough", "leicestershire", "greener harborough"):
        assert name not in words
