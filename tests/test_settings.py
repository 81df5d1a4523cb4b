"""One settings object, read once, with one error policy and no council's defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli import main as cli
from reporting.cadence import Paper
from reporting.settings import ConfigError, declared_settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = '[council]\nname = "Anytown District Council"\ncommittee = "Scrutiny Panel"\n' \
          '[plan]\ntitle = "Council Plan 2024-28"\n'


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "reporting.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_bundled_settings_hold_every_section_in_one_object():
    settings = load_settings(ROOT / "reporting.toml")
    assert settings.council == "Harborough District Council"
    assert settings.plan_title == "Health & Wellbeing Action Plan 2022/23"
    assert settings.intake.long_update_words == 150 and settings.intake.settle_seconds == 60
    assert settings.intake.returns_deadline_working_days == \
        settings.schedule.returns_deadline_working_days == 10
    assert settings.email.enabled is False
    assert settings.contact_for("Health and Wellbeing").officer.startswith("Health")
    assert settings.source == (ROOT / "reporting.toml").resolve()
    assert settings.inputs == ROOT / "inputs"


def test_a_minimal_file_for_another_council_carries_nothing_of_harborough(tmp_path):
    settings = load_settings(_write(tmp_path, MINIMAL))
    seen = repr(settings).lower()
    assert "harborough" not in seen
    assert settings.council == "Anytown District Council"
    assert settings.contacts == () and settings.meetings == {} and settings.glossary == {}


def test_a_missing_settings_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(ConfigError, match="absent.toml: no such settings file"):
        load_settings(tmp_path / "absent.toml")


@pytest.mark.parametrize("missing, setting", [
    ("name", "[council] name is required"),
    ("committee", "[council] committee is required"),
    ("title", "[plan] title is required"),
])
def test_a_missing_required_setting_is_named_and_not_filled_in(tmp_path, missing, setting):
    text = "\n".join(line for line in MINIMAL.splitlines()
                     if not line.startswith(f"{missing} ="))
    with pytest.raises(ConfigError, match=setting.replace("[", r"\[").replace("]", r"\]")):
        load_settings(_write(tmp_path, text))


@pytest.mark.parametrize("section, message", [
    ('[intake]\nmax_rows = "lots"', r"\[intake\] max_rows must be a whole number"),
    ('[intake]\nsettle_seconds = -5', r"\[intake\] settle_seconds must be a number"),
    ('[schedule]\nquarterly_cron = "0 7 15"', "five fields"),
    ('[schedule]\nquarterly_cron = "0 7 35 * *"',
     r"\[schedule\] quarterly_cron must be a cron string .*'35' is not a day of month"),
    ('[schedule]\ntimezone = "Europe/Londres"', "known time zone"),
    ('[schedule]\nreminder_working_days_before = "three"', "whole number"),
    ('[email]\nenabled = "yes"', r"\[email\] enabled must be true or false"),
    ('[email]\nport = "twenty-five"', r"\[email\] port must be a whole number"),
    ('[meetings]\n"2022-23-Q2" = "14 November"', r"\[meetings\] 2022-23-Q2 must be a date"),
    ('[plan]\ndefault_cadence = "fortnightly"', r"\[plan\] default_cadence"),
])
def test_a_wrong_setting_is_refused_naming_the_file_and_setting(tmp_path, section, message):
    # A table may appear once in TOML: put the wrong setting in place of the minimal one.
    table = section.split("\n")[0]
    base = MINIMAL.replace('[plan]\ntitle = "Council Plan 2024-28"\n', "") \
        if table == "[plan]" else MINIMAL
    text = base + section + ('\ntitle = "Council Plan"' if table == "[plan]" else "") + "\n"
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings(_write(tmp_path, text))
    assert str(tmp_path / "reporting.toml") in str(caught.value)


@pytest.mark.parametrize("typo, message", [
    ("[intak]\nmax_rows = 10", r"\[intak\] is not a settings table \(did you mean intake\?\)"),
    ("[intake]\nmax_row = 10", r"\[intake\] max_row is not a setting \(did you mean max_rows\?\)"),
])
def test_a_mistyped_table_or_setting_is_refused_not_ignored(tmp_path, typo, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(_write(tmp_path, MINIMAL + typo + "\n"))


def test_the_council_names_its_own_services_and_abbreviations(tmp_path):
    text = MINIMAL + '[contacts]\n"Waste & Recycling" = { officer = "A", email = "a@b" }\n' \
        '[glossary]\nSEND = "Special educational needs and disabilities"\n'
    settings = load_settings(_write(tmp_path, text))
    assert settings.contact_for("Waste and Recycling").officer == "A"
    assert "SEND" in settings.glossary


def test_settings_may_follow_the_subcommand(tmp_path, capsys):
    code = cli.main(["templates", "--period", "2022/23 Q3",
                     "--config", str(tmp_path / "nowhere.toml")])
    assert code == 2 and "nowhere.toml: no such settings file" in capsys.readouterr().err


def test_a_file_that_is_not_toml_is_an_error_naming_it(tmp_path):
    with pytest.raises(ConfigError, match="reporting.toml"):
        load_settings(_write(tmp_path, "[council\nname = "))


def test_the_command_line_says_a_settings_error_in_one_line(tmp_path, capsys):
    code = cli.main(["--config", str(tmp_path / "nowhere.toml"), "templates",
                     "--period", "2022/23 Q3"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "nowhere.toml: no such settings file" in err


def test_a_programming_error_keeps_its_traceback(monkeypatch):
    def broken(args):
        raise ValueError("a bug, not the user's mistake")

    monkeypatch.setattr("cli.automation.schedule_command", broken)
    with pytest.raises(ValueError, match="a bug"):
        cli.main(["schedule"])


def test_an_unnamed_report_author_reads_not_stated_on_the_front_sheet():
    from conftest import make_action, make_plan, prepare

    report = prepare(make_plan(make_action("1.a")), [])
    assert ("Report of", "Not stated") in report.model.front.rows()
    assert ("Portfolio holder", "Not stated") in report.model.front.rows()


def test_a_council_with_no_portfolio_holders_leaves_the_row_out():
    from dataclasses import replace

    from conftest import make_action, make_plan, make_settings, prepare

    settings = make_settings()
    settings = replace(settings, lead_member="None", committees={
        paper: replace(committee, portfolio_holder="none")
        for paper, committee in settings.committees.items()})
    rows = prepare(make_plan(make_action("1.a")), [], settings=settings).model.front.rows()
    assert "Portfolio holder" not in [label for label, _ in rows]
    assert ("Report of", "Not stated") in rows


def test_init_makes_an_installation_to_fill_in_and_overwrites_nothing(tmp_path, capsys):
    folder = tmp_path / "anytown"
    assert cli.main(["init", str(folder)]) == 0
    assert (folder / "inputs" / "plan").is_dir() and (folder / "inputs" / "returns").is_dir()
    text = (folder / "reporting.toml").read_text()
    assert "harborough" not in text.lower()
    with pytest.raises(ConfigError, match=r"\[council\] name is required"):
        load_settings(folder / "reporting.toml")
    # Filled in, it loads; run again, nothing that is there changes.
    filled = text.replace('name = ""', 'name = "Anytown District Council"', 1) \
        .replace('title = ""', 'title = "Council Plan"', 1)
    # The one committee that takes both papers is required too, and says so.
    (folder / "reporting.toml").write_text(filled)
    with pytest.raises(ConfigError, match=r"\[council\] committee is required"):
        load_settings(folder / "reporting.toml")
    filled = filled.replace('committee = ""', 'committee = "Scrutiny Panel"', 1)
    (folder / "reporting.toml").write_text(filled)
    settings = load_settings(folder / "reporting.toml")
    assert settings.council == "Anytown District Council"
    assert settings.committee_for(Paper.SIX_MONTHLY).name == "Scrutiny Panel"
    assert settings.committee_for(Paper.QUARTERLY).name == "Scrutiny Panel"
    assert settings.implications[0] == ("Financial", "None arising directly from this report.")
    capsys.readouterr()
    assert cli.main(["init", str(folder)]) == 0
    assert (folder / "reporting.toml").read_text() == filled
    assert "kept" in capsys.readouterr().out


def test_a_cron_out_of_range_is_refused_when_the_settings_are_read(tmp_path):
    import pytest

    from reporting.errors import ReportingError
    from reporting.settings import load_settings

    path = tmp_path / "reporting.toml"
    text = (ROOT / "reporting.toml").read_text()
    path.write_text(text.replace("[schedule]\n", '[schedule]\nreminders_cron = "0 8 * * 1-8"\n'))
    with pytest.raises(ReportingError, match=r"reminders_cron must be a cron string of five "
                       r"fields, such as .*\('1-8' is not a day of week \(0-7, or SUN-SAT\)\)"):
        load_settings(path)


# -- One declared schema: what the loader refuses and accepts comes from the dataclasses --

SCHEMA = declared_settings()


def _toml(tables: dict[str, dict[str, str]]) -> str:
    """Write `tables` (table -> key -> a TOML value as written) as a settings file."""
    return "".join(f"[{table}]\n" + "".join(f"{key} = {value}\n" for key, value in keys.items())
                   for table, keys in tables.items())


def _minimal_with(table: str, key: str, value: str) -> str:
    """The minimal settings, and `key = value` in `table` (a named table's required name too)."""
    tables = {"council": {"name": '"A"', "committee": '"C"'}, "plan": {"title": '"T"'}}
    table = table.replace("<name>", '"Housing"')
    tables.setdefault(table, {})
    if table.startswith("committees.") and key != "name":
        tables[table]["name"] = '"Cabinet"'
    tables[table][key] = value
    return _toml(tables)


def _every_key():
    return [(table, key) for table, keys in SCHEMA.items() for key in keys]


@pytest.mark.parametrize("table", [t for t, keys in SCHEMA.items() if keys])
def test_an_unknown_key_in_any_table_is_refused_naming_it_and_what_the_table_holds(
        tmp_path, table):
    path = _write(tmp_path, _minimal_with(table, "colour", '"blue"'))
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    named = table.replace("<name>", "Housing")
    assert str(caught.value).startswith(f"{path}: [{named}] colour is not a setting; ")
    assert ", ".join(sorted(SCHEMA[table])) in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("text, message", [
    ("[intak]\nmax_rows = 10", r"\[intak\] is not a settings table \(did you mean intake\?\)"),
    ("[committees.weekly]\nname = \"Cabinet\"",
     r"\[committees\] weekly is not a setting; \[committees\] holds quarterly, six-monthly"),
    ("[email]\nretry_delay_seconds = [60]",
     r"\[email\] retry_delay_seconds is not a setting \(did you mean retry_delays_seconds\?\)"),
    ('[contacts]\n"Waste & Recycling" = { officer = "A", phone = "01234" }',
     r'\[contacts\."Waste & Recycling"\] phone is not a setting; .* holds email, officer'),
    ("[contacts]\nHousing = \"housing@example.gov.uk\"",
     r"\[contacts\] 'Housing' must be \{ officer = \"...\", email = \"...\" \}"),
])
def test_an_unknown_table_committee_or_contact_setting_is_refused(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(_write(tmp_path, MINIMAL + text + "\n"))


@pytest.mark.parametrize("table, key", _every_key())
def test_a_value_of_the_wrong_kind_is_refused_naming_the_setting(tmp_path, table, key):
    # A list of lists is no kind of value any setting takes.
    path = _write(tmp_path, _minimal_with(table, key, "[[1]]"))
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    named = table.replace("<name>", "Housing")
    said = str(caught.value)
    assert said.startswith(f"{path}: [{named}") and key in said and "must be" in said, said
    assert "\n" not in said


@pytest.mark.parametrize("text, message", [
    ('[glossary]\nSEND = 3', r"\[glossary\] SEND must be text in quotes, not 3"),
    ('[implications]\nfinancial = ""', r"\[implications\] financial must be the words"),
    ('[publication]\nbackground_papers = [1]', r"background_papers must be a list of titles"),
    ('[email]\nretry_delays_seconds = [60, -1]', r"retry_delays_seconds must be a list of secon"),
    ('[intake]\nreturns_deadline_working_days = 5',
     r"\[intake\] returns_deadline_working_days is not a setting"),  # it is under [schedule]
])
def test_a_council_s_own_keys_and_lists_are_checked_too(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(_write(tmp_path, MINIMAL + text + "\n"))


def test_the_returns_deadline_is_set_once_under_schedule_and_read_by_the_intake(tmp_path):
    text = MINIMAL + "[schedule]\nreturns_deadline_working_days = 7\nbank_holidays = \"scotland\"\n"
    settings = load_settings(_write(tmp_path, text))
    assert settings.intake.returns_deadline_working_days == 7
    assert settings.intake.bank_holidays == "scotland"


def test_paths_are_taken_from_the_settings_file_s_folder_whether_given_or_not(tmp_path):
    settings = load_settings(_write(tmp_path, MINIMAL + '[paths]\noutputs = "papers"\n'))
    assert settings.inputs == tmp_path / "inputs" and settings.outputs == tmp_path / "papers"


def _uncommented(text: str) -> str:
    """`text` with each commented-out setting (`# key = value`) put back in."""
    return re.sub(r"(?m)^# ?([A-Za-z_]\w* *= *\S)", r"\1", text)


def test_every_setting_the_bundled_file_shows_is_accepted_also_those_commented_out(tmp_path):
    text = (ROOT / "reporting.toml").read_text()
    assert _uncommented(text) != text
    settings = load_settings(_write(tmp_path, _uncommented(text)))
    assert settings.committee == "Overview and Scrutiny Committee"
    assert settings.schedule.reminders_cron == "0 8 * * 1-5"
    assert settings.email.retry_delays_seconds == (60.0, 300.0, 900.0)


def test_every_setting_a_new_installation_s_file_shows_is_accepted(tmp_path):
    from reporting.installation import SETTINGS_TEMPLATE

    filled = SETTINGS_TEMPLATE.replace('name = ""', 'name = "Anytown"') \
        .replace('title = ""', 'title = "Council Plan"') \
        .replace('committee = ""', 'committee = "Scrutiny Panel"')
    settings = load_settings(_write(tmp_path, filled))
    assert settings.committee_for(Paper.QUARTERLY).name == "Scrutiny Panel"
    # Those it shows commented out are settings of their table too (or the council's own).
    for table, key in _settings_shown(SETTINGS_TEMPLATE):
        assert table in SCHEMA, f"the new installation's file shows [{table}]"
        assert not SCHEMA[table] or key in SCHEMA[table] + ("",), f"[{table}] {key}"


_HEADER = re.compile(r"#? *\[([\w.-]+)\]")
_SHOWN = re.compile(r'#? *("[^"]*"|[A-Za-z_]\w*) *= *\S')  # key = value, or "Key" = value


def _settings_shown(text: str) -> set[tuple[str, str]]:
    """Each (table, key) a settings file shows, set or commented out, and (table, "") for
    each table; the keys inside a table the council names are under "<table>.<name>".

    A block of comments directly above a table's header documents that table (unless it
    holds a commented-out header of its own); any other comment, the table it is in.
    """
    lines = text.splitlines()
    documents: dict[int, str] = {}  # line number -> the table a comment above it documents
    start = 0
    for number, line in enumerate(lines + [""]):
        if line.startswith("#"):
            continue
        block, start = range(start, number), number + 1
        if (header := _HEADER.fullmatch(line)) and not any(
                _HEADER.fullmatch(lines[n]) for n in block):
            documents.update(dict.fromkeys(block, header[1]))
    shown, table = set(), ""
    for number, line in enumerate(lines):
        if header := _HEADER.fullmatch(line):
            table = header[1]
            shown.add((table, ""))
        elif found := _SHOWN.match(line):
            where = documents.get(number, table)
            if found[1].startswith('"'):  # "Housing" = { officer = "...", email = "..." }
                shown.update((f"{where}.<name>", key)
                             for key in re.findall(r"[{,] *([A-Za-z_]\w*) *=", line))
            else:
                shown.add((where, found[1]))
    return shown


def test_the_bundled_settings_file_documents_every_setting_the_schema_declares():
    shown = _settings_shown((ROOT / "reporting.toml").read_text())
    missing = [f"[{table}] {key}" for table, keys in SCHEMA.items() for key in keys or ("",)
               if (table, key) not in shown]
    assert missing == [], f"reporting.toml does not show (set or commented out): {missing}"


# --- [plan] grouping: what the plan calls its groups (issue 20) ------------------------


@pytest.mark.parametrize("lines, one, many", [
    ("", "priority", "priorities"),
    ('grouping = "theme"', "theme", "themes"),
    ('grouping = "ambition"', "ambition", "ambitions"),
    ('grouping = "strategy"', "strategy", "strategies"),
    ('grouping = "outcome area"', "outcome area", "outcome areas"),
    ('grouping = "way"', "way", "ways"),  # a vowel before the y: just "s"
    ('grouping = "theme"\ngrouping_plural = "themata"', "theme", "themata"),
])
def test_the_plan_s_grouping_and_its_plural_are_read_the_setting_winning(tmp_path, lines, one,
                                                                         many):
    settings = load_settings(_write(tmp_path, MINIMAL + lines + "\n"))
    assert (settings.grouping.one, settings.grouping.many) == (one, many)
    assert settings.grouping.heading == one[0].upper() + one[1:]


@pytest.mark.parametrize("value", ['""', '"theme 1"', '"themes; outcomes"'])
def test_a_grouping_that_is_not_a_word_is_refused_naming_the_key(tmp_path, value):
    with pytest.raises(ConfigError, match=r"\[plan\] grouping must be a word or two") as caught:
        load_settings(_write(tmp_path, MINIMAL + f"grouping = {value}\n"))
    assert str(tmp_path / "reporting.toml") in str(caught.value)


# --- [plan] ends: the plan's last quarter (issue 20) --------------------------------------


@pytest.mark.parametrize("lines, starts, ends", [
    ("", None, None),
    ('starts = "2022/23"\nends = "2023/24"', "2022/23 Q1", "2023/24 Q4"),
    ('starts = "2022/23 Q2"\nends = "2024/25 Q2"', "2022/23 Q2", "2024/25 Q2"),
    ('ends = "2022/2023"', None, "2022/23 Q4"),
    ('starts = "2023/24 Q3"\nends = "2023/24 Q3"', "2023/24 Q3", "2023/24 Q3"),  # one quarter
])
def test_the_plan_s_start_and_end_are_read_the_same_way(tmp_path, lines, starts, ends):
    settings = load_settings(_write(tmp_path, MINIMAL + lines + "\n"))
    assert (getattr(settings.starts, "label", None), getattr(settings.ends, "label", None)) == \
        (starts, ends)


def test_a_plan_that_ends_before_it_starts_is_refused_in_one_line_naming_file_and_key(tmp_path):
    path = _write(tmp_path, MINIMAL + 'starts = "2023/24 Q1"\nends = "2022/23"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    said = str(caught.value)
    assert said.startswith(f"{path}: [plan] ends is 2022/23 Q4, before the plan starts")
    assert "2023/24 Q1" in said and "\n" not in said


def test_an_end_that_is_not_a_quarter_is_refused_naming_the_key(tmp_path):
    with pytest.raises(ConfigError, match=r"\[plan\] ends must be the plan's last quarter, "
                                          r"such as \"2023/24 Q4\", not 'next March'"):
        load_settings(_write(tmp_path, MINIMAL + 'ends = "next March"\n'))
