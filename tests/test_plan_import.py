"""`import_plan`: a council's published plan (Word, Excel, CSV) becomes our plan workbook.

The Word test rebuilds Harborough's own published table (`seed_plan_docx`) and checks the
import gives what the bundled workbook, made from it by hand, says: references, priorities,
words, due dates and milestones. The others build small plans as councils write them.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import date

import pytest
import seed_plan_docx
from conftest import BUNDLED_PLAN
from docx import Document
from openpyxl import Workbook

from reporting.cells import date_is_loose, natural_key, parse_date, read_date
from reporting.intake.plan_import import import_plan
from reporting.plan.importing import Decision
from reporting.plan.importing.headings import theme_of
from reporting.plan.importing.phrases import bodies_in, dated_milestone, milestone_lines
from reporting.plan import PlanError, load_plan
from reporting.settings import READ_NOW, IntakeSettings


def import_csv_plan(tmp_path, text: str):
    """Import a plan written as the CSV `text` (plan.csv) into plan.xlsx; give the report."""
    source = tmp_path / "plan.csv"
    source.write_text(text, encoding="utf-8")
    return import_plan(source, tmp_path / "plan.xlsx")


def messages(report, *words: str) -> list[Decision]:
    """The report's Decisions whose message holds every one of `words`."""
    return [d for d in report.decisions if all(w in d.message for w in words)]


# ---------------------------------------------------------------- the seed, in Word


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed")
    source = seed_plan_docx.build(folder / "health-and-wellbeing.docx")
    before = source.read_bytes()
    report = import_plan(source, folder / "plan.xlsx")
    assert source.read_bytes() == before
    return report, load_plan(report.out), load_plan(BUNDLED_PLAN)


def test_the_seed_gives_the_bundled_plans_references_and_priorities(seed):
    report, imported, bundled = seed
    assert [a.id for a in imported.actions] == [a.id for a in bundled.actions]
    assert imported.priorities == bundled.priorities
    assert (report.themes, report.actions) == (len(bundled.priorities), len(bundled.actions))
    assert [a.priority for a in imported.actions] == [a.priority for a in bundled.actions]


def test_the_seed_gives_the_bundled_plans_words_dates_and_milestones(seed):
    report, imported, bundled = seed
    for ours, theirs in zip(imported.actions, bundled.actions, strict=True):
        assert (ours.objective, ours.what_we_will_do, ours.target) == \
            (theirs.objective, theirs.what_we_will_do, theirs.target), ours.id
        assert (ours.by_when, ours.due_date) == (theirs.by_when, theirs.due_date), ours.id
        assert [m.text for m in ours.milestones] == [m.text for m in theirs.milestones], ours.id
    assert report.milestones == sum(len(a.milestones) for a in bundled.actions)


def test_the_seeds_columns_are_all_mapped_and_the_letterhead_row_is_passed_over(seed):
    report, _, _ = seed
    assert [heading for heading, _ in report.columns] == list(seed_plan_docx.HEADINGS)
    assert dict(report.columns)["Who will deliver this?"] == "Who will deliver"
    assert not messages(report, "Harborough District Council")
    assert not messages(report, "not imported")


def test_several_bodies_make_the_first_the_lead_and_a_decision(seed):
    report, imported, _ = seed
    several = 0
    for action in imported.actions:
        text = seed_plan_docx.WHO_WILL_DELIVER[action.id]
        bodies = bodies_in(text)
        assert action.who_will_deliver == text.strip()
        assert action.leads == (bodies[0],)
        found = messages(report, f"for {action.id} names", f"'{bodies[0]}' taken as the lead")
        assert len(found) == (len(bodies) > 1), action.id
        if len(bodies) > 1:
            several += 1
            assert found[0].where.startswith("table 1, row ")
            assert all(b in action.partners for b in bodies[1:])
    assert several  # the seed has actions delivered by several bodies


def test_the_seeds_loose_dates_are_one_decision_naming_the_actions(seed):
    report, imported, _ = seed
    [loose] = messages(report, "'2022/23' read as 31 March 2023")
    assert all(a.id in loose.message for a in imported.actions)


# ---------------------------------------------------------------- pieces


def test_bodies_are_split_only_where_they_clearly_separate():
    assert bodies_in("Health & Wellbeing\nCanals & Rivers Trust") == [
        "Health & Wellbeing", "Canals & Rivers Trust"]
    assert bodies_in("Planning Policy, parish and town councils.") == [
        "Planning Policy", "parish and town councils"]
    assert bodies_in("Community and Voluntary sector organisations") == [
        "Community and Voluntary sector organisations"]
    # " and " may be inside one body's name ("Angus Health and Social Care Partnership"):
    # never split there; a slash with spaces separates two, CCG/ICS is one.
    assert bodies_in("Housing Services and Planning Policy; CCG/ICS") == [
        "Housing Services and Planning Policy", "CCG/ICS"]
    assert bodies_in("Angus Health and Social Care Partnership") == [
        "Angus Health and Social Care Partnership"]
    assert bodies_in("Environmental Services / Housing") == ["Environmental Services", "Housing"]
    assert bodies_in("Children, Families and Justice") == ["Children, Families and Justice"]
    assert bodies_in("Human Resources, Digital Enablement and IT") == [
        "Human Resources, Digital Enablement and IT"]
    assert bodies_in("Regulatory Services, district and county partners") == [
        "Regulatory Services", "district and county partners"]
    assert bodies_in("") == []


def test_milestones_split_on_lines_and_bullets_never_commas_and_keep_their_dates():
    assert milestone_lines("• Survey, then plant\n- Report\n* Review ▪ Close") == [
        "Survey, then plant", "Report", "Review", "Close"]
    # The whole line stays the milestone, as the plan wrote it; the date is read from it.
    assert dated_milestone("Consultation closes (Autumn 2025)") == (
        "Consultation closes (Autumn 2025)", "Autumn 2025")
    assert dated_milestone("Sept 2025: launch") == ("Sept 2025: launch", "Sept 2025")
    assert dated_milestone("Report to Cabinet - by March 2026") == (
        "Report to Cabinet - by March 2026", "by March 2026")
    assert dated_milestone("Develop the pathway - receiving referrals") == (
        "Develop the pathway - receiving referrals", "")
    # A day in a year no plan means is the milestone's date still, to be listed, not lost;
    # a year alone in brackets that no plan means is not a date.
    assert dated_milestone("Survey (30/06/1925)") == ("Survey (30/06/1925)", "30/06/1925")
    assert dated_milestone("Barlby Road (1925 homes)")[1] == ""


def test_a_span_in_brackets_is_the_milestones_date_and_no_number_or_dash_joins_it():
    # "Planting season 1 (Nov 2026 - Mar 2027)": the span is the date, read as its end;
    # the season's number before the bracket is not its day.
    assert dated_milestone("Planting season 1 (Nov 2026 - Mar 2027)")[1] == \
        "Nov 2026 - Mar 2027"
    assert parse_date("Nov 2026 - Mar 2027") == date(2027, 3, 31)
    assert parse_date("Autumn 2026 – Spring 2027") == date(2027, 5, 31)
    assert parse_date("Mar 2027 - Nov 2026") is None  # a span that ends before it starts
    assert parse_date("2025 - 2026") == date(2026, 3, 31)  # still a financial year
    assert date_is_loose("Nov 2026 - Mar 2027") and date_is_loose("1/11/2026 - 31/03/2027")
    assert read_date("Nov 2026 - Mar 2027").how == "the end of the span"
    assert dated_milestone("Stage 1 (Mar 2027)")[1] == "Mar 2027"
    assert dated_milestone("Draft habitat map - Q3 2026/27")[1] == "Q3 2026/27"
    assert dated_milestone("Draft habitat map – Q3 2026/27 –")[1] == "Q3 2026/27"
    assert dated_milestone("Roll out district-wide - 31/03/2027")[1] == "31/03/2027"


def test_an_imported_span_keeps_its_words_and_is_due_at_its_end(tmp_path):
    report = import_csv_plan(tmp_path, (
        "Ref,Action,Milestones,By when,Lead\n"
        '5.1,Plant trees,"Planting season 1 (Nov 2026 - Mar 2027)\n'
        'Draft habitat map - Q3 2026/27",2027/28,Parks\n'))
    plan = load_plan(report.out)
    planting, habitat = plan.action("5.1").milestones
    assert (planting.due_date, planting.due) == (date(2027, 3, 31), "Nov 2026 - Mar 2027")
    assert (habitat.due_date, habitat.due) == (date(2026, 12, 31), "Q3 2026/27")
    assert not messages(report, "is not a date")


def test_a_milestone_dated_in_a_year_no_plan_means_is_listed_with_its_words(tmp_path):
    report = import_csv_plan(tmp_path, (
        "Ref,Action,Milestones,By when,Lead\n"
        "1.1,Plant trees,Survey (30/06/1925),31/03/2026,Parks\n"))
    [said] = messages(report, "Survey (30/06/1925)", "'30/06/1925', which is not a date")
    assert "a year no plan means" in said.message
    [milestone] = load_plan(report.out).actions[0].milestones
    assert milestone.text == "Survey (30/06/1925)" and milestone.due_date is None
    assert milestone.due_text == "30/06/1925"


def test_headings_give_a_key_and_a_title():
    assert (theme_of("Priority 2 - Community Infrastructure").key,
            theme_of("Priority 2 - Community Infrastructure").title) == (
        "2", "Community Infrastructure")
    assert theme_of("Priority 3: Skills, Jobs & Income").title == "Skills, Jobs & Income"
    assert (theme_of("Theme: Greener").key, theme_of("Theme: Greener").title) == ("Greener", "")
    assert theme_of("Greener").key == "Greener"


# ---------------------------------------------------------------- Excel, one row a milestone


THEMED = [
    # Theme, Ref, Action, Milestone, Due
    ("Greener", 2, "Plant trees", "Survey sites", "Autumn 2025"),
    ("Greener", 2, "Plant trees", "Plant 500 trees", "by March 2026"),
    ("Greener", 16, "Cut emissions", "Publish the plan", date(2026, 3, 31)),
    ("Fairer", 24, "Build homes", "Start on site", "2026/27"),
    ("Fairer", 1.1, "Open an advice hub", "Open the hub", "Sept 2025"),
    ("Fairer", "1.10", "Claim benefits", "Run a campaign", "Winter 2025"),
    ("Fairer", 3.2, "Count what works", "Publish results", "March 2027"),
]


def themed_workbook(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    sheet.append(("Theme", "Ref", "Action", "Milestone", "Due"))
    for row in THEMED:
        sheet.append(row)
    sheet.cell(len(THEMED) + 1, 2).number_format = "0.00"  # 3.2 is shown as 3.20
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def themed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("themed")
    report = import_plan(themed_workbook(folder / "plan.xlsx"), folder / "out.xlsx")
    return report, load_plan(report.out)


def test_a_themed_sheet_keeps_its_references_as_shown_and_sorted_naturally(themed):
    report, plan = themed
    assert [p.key for p in plan.priorities] == ["Greener", "Fairer"]
    ids = [a.id for a in plan.actions]
    assert {"1.1", "1.10", "3.20"} <= set(ids)
    greener = [a.id for a in plan.actions if a.priority == "Greener"]
    fairer = [a.id for a in plan.actions if a.priority == "Fairer"]
    assert greener == sorted(greener, key=natural_key) == ["2", "16"]
    assert fairer == sorted(fairer, key=natural_key)
    assert dict(report.columns) == {"Theme": "Priority", "Ref": "Action ID",
                                    "Action": "Objective", "Milestone": "Milestones",
                                    "Due": "By when"}


def test_one_row_a_milestone_gives_each_milestone_its_own_date(themed):
    report, plan = themed
    trees = plan.action("2")
    assert [(m.text, m.due_date) for m in trees.milestones] == [
        ("Survey sites", parse_date("Autumn 2025")),
        ("Plant 500 trees", parse_date("by March 2026"))]
    assert trees.milestones[0].due == "Autumn 2025"  # the plan's own words are kept
    assert trees.due_date == parse_date("by March 2026")  # the action: its latest
    assert messages(report, "'2' has 2 dates")
    assert plan.action("16").due_date == date(2026, 3, 31)


def test_a_sheet_with_no_lead_column_and_loose_dates_says_so(themed):
    report, plan = themed
    assert all(a.leads == () for a in plan.actions)
    [unled] = messages(report, "the plan names no leads, and none was made up")
    assert unled.where == "plan.xlsx" and "unled_actions" in unled.message
    assert not messages(report, "has no lead")  # never one line per action
    for words in ("'Autumn 2025'", "'2026/27'", "'Winter 2025'"):
        assert messages(report, words, "read as"), words


# ---------------------------------------------------------------- Word, as councils vary


def word_plan(path, rows, headings=("Ref", "Action", "Lead", "Milestones", "Target date")):
    document = Document()
    table = document.add_table(rows=0, cols=len(headings))
    for texts in (headings, *rows):
        cells = table.add_row().cells
        if isinstance(texts, str):
            cells[0].text = texts  # a heading in the first cell only
            continue
        for cell, text in zip(cells, texts):
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    document.save(str(path))
    return path


def test_a_heading_every_table_repeats_is_said_once_and_measure_of_success_is_the_target(
        tmp_path):
    document = Document()
    for theme, ref in (("Greener", "G1"), ("Fairer", "F1")):
        document.add_heading(theme, level=2)
        table = document.add_table(rows=0, cols=5)
        for texts in (("Ref", "Action", "Lead", "Measure of success", "Notes"),
                      (ref, f"Action {ref}", "Parks", f"Target {ref}", "a note")):
            for cell, text in zip(table.add_row().cells, texts):
                cell.text = text
    document.save(str(tmp_path / "plan.docx"))
    report = import_plan(tmp_path / "plan.docx", tmp_path / "out.xlsx")
    assert len(messages(report, "column 'Notes' was not imported")) == 1
    assert not messages(report, "Measure of success")
    assert [a.target for a in load_plan(report.out).actions] == ["Target G1", "Target F1"]


def test_word_headings_bullets_and_missing_references_are_read_and_said(tmp_path):
    source = word_plan(tmp_path / "plan.docx", [
        "Theme: Greener",
        ("G1", "Plant trees", "Parks", "• Survey sites (Autumn 2025)\n• Sept 2026: plant",
         "March 2027"),
        ("", "Clean the rivers, with partners across the county.", "", "Sample", "2026"),
        ("G1", "Something else", "Parks", "", "2026"),
        ("", "Pr", "iority 2 - Fa", "irer", ""),  # a heading broken over cells
        ("2.1", "Open an advice hub", "Housing and Planning Policy", "Open", "TBC"),
        ("", "", "", "", "", "£5,000"),
    ], headings=("Ref", "Action", "Lead", "Milestones", "Target date", "Budget"))
    report = import_plan(source, tmp_path / "out.xlsx")
    plan = load_plan(report.out)
    assert [(p.key, p.title) for p in plan.priorities] == [("Greener", ""), ("2", "Fairer")]
    trees = plan.action("G1")
    assert (trees.objective, trees.leads) == ("Plant trees", ("Parks",))
    assert [(m.text, m.due_date) for m in trees.milestones] == [
        ("Survey sites (Autumn 2025)", parse_date("Autumn 2025")),
        ("Sept 2026: plant", parse_date("Sept 2026"))]
    [given] = messages(report, "no reference: it was given")
    invented = given.message.split("'")[1]
    assert plan.action(invented).objective.startswith("Clean the rivers")
    assert given.where == "table 1, row 4"
    assert messages(report, f"action '{invented}' has no lead")
    assert messages(report, "repeats the reference of table 1, row 3", "not imported")
    assert messages(report, "column 'Budget' was not imported")
    assert [d.where for d in messages(report, "'£5,000'", "not imported")] == ["table 1, row 8"]
    assert messages(report, "'TBC' is not a date")
    assert plan.action("2.1").due_date is None
    assert plan.action("2.1").leads == ("Housing and Planning Policy",)


# ---------------------------------------------------------------- CSV


def test_a_windows_csv_is_read_with_its_own_characters(tmp_path):
    source = tmp_path / "plan.csv"
    source.write_bytes("Ref,Objective,Lead,By when\r\n1,Café support – for all,Housing,"
                       "31/03/2026\r\n".encode("cp1252"))
    report = import_plan(source, tmp_path / "out.xlsx")
    [action] = load_plan(report.out).actions
    assert action.objective == "Café support – for all"
    assert (action.id, action.leads, action.due_date) == ("1", ("Housing",), date(2026, 3, 31))
    assert messages(report, "named after the file")
    assert report.decisions[0].where == "row 2"


# ---------------------------------------------------------------- refusing


def test_an_existing_workbook_is_replaced_only_with_force(tmp_path):
    source = themed_workbook(tmp_path / "plan.xlsx")
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"the policy officer's own edits")
    with pytest.raises(PlanError, match="--force"):
        import_plan(source, out)
    assert out.read_bytes() == b"the policy officer's own edits"
    assert import_plan(source, out, force=True).actions == 6
    assert load_plan(out).action("1.10")


def test_the_default_out_is_beside_the_current_folder(tmp_path, monkeypatch):
    source = themed_workbook(tmp_path / "council plan.xlsx")
    monkeypatch.chdir(tmp_path)
    assert import_plan(source).out == tmp_path / "council plan.plan.xlsx"


def garbage_docx(path):
    path.write_bytes(b"\x00\x01not a zip at all" * 100)
    return path


def no_table_docx(path):
    document = Document()
    document.add_paragraph("Our plan is on the website.")
    document.save(str(path))
    return path


def bomb_docx(path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * 3_000_000 + "</w:document>")
    path.write_bytes(buffer.getvalue())
    return path


def text_file(path):
    path.write_text("1.a Promote design standards\n")
    return path


@pytest.mark.parametrize(("make", "name", "says"), [
    (text_file, "plan.txt", "'.txt' file cannot be imported"),
    (no_table_docx, "plan.docx", "no table has a header row"),
    (garbage_docx, "plan.docx", "not a Word document"),
    (bomb_docx, "plan.docx", "expands to more than"),
])
def test_what_cannot_be_imported_is_refused_and_left_as_it_was(tmp_path, make, name, says):
    source = make(tmp_path / name)
    before = source.read_bytes()
    small = IntakeSettings(settle_seconds=0, max_file_mb=0.2)  # expands to at most 2 MB
    with pytest.raises(PlanError, match=says) as refused:
        import_plan(source, tmp_path / "out.xlsx", settings=small)
    assert str(refused.value).startswith(name)
    assert source.read_bytes() == before
    assert not (tmp_path / "out.xlsx").exists()


ABORT = """
import os
from reporting.intake import isolated
from reporting.plan.importing import tables

def read(path, settings):
    os.abort()  # as a native library might

tables.read_tables = read
isolated.serve()
"""


def test_a_file_that_kills_the_reader_is_refused_as_unsafe(tmp_path, monkeypatch):
    import reporting.intake.isolated as isolated

    monkeypatch.setattr(isolated, "CHILD", [sys.executable, "-c", ABORT])
    source = themed_workbook(tmp_path / "plan.xlsx")
    with pytest.raises(PlanError, match="could not be read safely") as refused:
        import_plan(source, tmp_path / "out.xlsx", settings=READ_NOW)
    assert "plan.xlsx" in str(refused.value) and "import" in str(refused.value)
    assert not (tmp_path / "out.xlsx").exists()


def test_a_lead_officer_column_and_a_service_column_are_both_kept(tmp_path):
    source = word_plan(tmp_path / "plan.docx", [
        ("E2.1", "Install solar PV on council buildings", "Head of Property",
         "Property Services", "March 2027"),
        ("E2.2", "Decarbonise the leisure centre", "Climate Officer",
         "Climate Change; Leisure Services", "2027/28"),
    ], headings=("Ref", "Action", "Lead Officer", "Service", "Timescale"))
    report = import_plan(source, tmp_path / "out.xlsx")
    plan = load_plan(report.out)
    solar, heat = plan.action("E2.1"), plan.action("E2.2")
    assert solar.leads == ("Property Services",)
    assert solar.who_will_deliver == "Head of Property"
    assert heat.leads == ("Climate Change", "Leisure Services")
    assert messages(report, "names 2 services: each is a lead")
    assert not messages(report, "has no lead")
    assert ("'Service'", "Lead service area") in [(repr(h).replace('"', "'"), c)
                                                  for h, c in report.columns]


# ---------------------------------------------------------------- dates very likely mistyped


def mistyped_plan(path):
    """A plan whose officer mistyped four dates: a year far out (2062 for 2026), a milestone
    after its action's due date, one before the plan starts; and one date that is right."""
    path.write_text(
        "Ref,Action,Lead,Milestones,By when\n"
        '1.1,Improve the parks,Parks,"Survey the parks (June 2025)\n'
        'Plant trees (March 2027)",31/03/2026\n'
        "1.2,Repair the roads,Highways,,31/03/2062\n"
        "1.3,More bins,Waste,,31/12/2025\n"
        "1.4,Close the old depot,Waste,,31/12/2021\n"
        "1.5,Open the hub,Housing,,Year 2\n", encoding="utf-8")
    return path


def test_dates_very_likely_mistyped_are_listed_with_their_cell_and_kept(tmp_path):
    from reporting.plan.importing import plan_starts

    report = import_plan(mistyped_plan(tmp_path / "plan.csv"), tmp_path / "plan.xlsx",
                         starts=plan_starts("2024/25 Q1"))
    lines = [str(d) for d in report.dates_to_check]
    assert len(lines) == 3, lines
    after, far, before = lines  # in the plan's order
    assert far.startswith("plan workbook, sheet 'Actions', row 3, column F (Due date): "
                          "action 1.2 is due '31/03/2062', the year 2062 is far from the "
                          "plan's (the plan starts in 2024/25 Q1 and its dates are around 2026)")
    assert after.startswith("plan workbook, sheet 'Milestones', row 3, column C (Due date): "
                            "milestone 'Plant trees (March 2027)' of action 1.1 is due "
                            "'March 2027', after the action's own due date, '31/03/2026'")
    assert "action 1.4 is due '31/12/2021', before the plan starts (2024/25 Q1" in before
    assert all("kept as written" in line for line in lines)
    # none was changed: each is in the workbook as the plan wrote it
    plan = load_plan(report.out)
    assert plan.action("1.2").due_date == date(2062, 3, 31)
    assert plan.action("1.4").due_date == date(2021, 12, 31)
    assert plan.action("1.1").milestones[1].due_date == date(2027, 3, 31)
    assert not [d for d in report.decisions if "far from" in str(d)]  # said once, apart


def test_plan_check_lists_the_same_dates_to_check(tmp_path, capsys):
    from cli.main import main

    import_plan(mistyped_plan(tmp_path / "plan.csv"), tmp_path / "plan.xlsx")
    assert main(["plan", "check", str(tmp_path / "plan.xlsx")]) == 0
    out = capsys.readouterr().out
    listed = [line for line in out.splitlines() if line.startswith("  date to check: ")]
    # No start given (not in the settings, none on the Plan start sheet): what is judged is
    # the year far from the plan's other dates and the milestone after its action's date.
    assert [line.split(": ", 2)[1] for line in listed] == [
        "sheet 'Milestones', row 3, column C (Due date)",
        "sheet 'Actions', row 3, column F (Due date)"]
    assert "the year 2062 is far from the plan's (its dates are around 2026)" in listed[1]


def test_what_makes_a_date_look_mistyped():
    from reporting.period import Period
    from reporting.plan.mistyped import DatedCell, mistyped_dates

    def cell(day, milestone="", action="1", counted=False):
        return DatedCell("Actions", 2, "F (Due date)", action, milestone, day,
                         day.strftime("%d/%m/%Y"), counted)

    starts = Period.parse("2022/23 Q1")
    within = [cell(date(2023, 3, 31)), cell(date(2027, 3, 31), action="2"),
              cell(date(2022, 9, 30), "Survey", action="1")]
    assert mistyped_dates(within, starts) == []
    # Two dates and no start: neither is the plan's, so neither is judged far.
    assert mistyped_dates([cell(date(2025, 3, 31)), cell(date(2052, 3, 31), action="2")]) == []
    # With a start, the far one is.
    [far] = mistyped_dates([cell(date(2025, 3, 31)), cell(date(2052, 3, 31), action="2")],
                           starts)
    assert far.cell.day.year == 2052
    # A year counted from the plan's start ("Year 9") is the plan's own: not judged far.
    assert mistyped_dates([cell(date(2031, 3, 31), counted=True)], starts) == []
    # A milestone after its action's due date, and one before the plan starts.
    found = mistyped_dates([cell(date(2023, 3, 31)), cell(date(2023, 6, 30), "Open"),
                            cell(date(2021, 6, 30), "Plan", action="1")], starts)
    assert [(d.cell.milestone, d.why.split(" (")[0].split(",")[0]) for d in found] == [
        ("Open", "after the action's own due date"), ("Plan", "before the plan starts")]


def test_a_day_in_a_year_no_plan_means_is_not_a_date_and_says_check_the_year(tmp_path):
    report = import_csv_plan(tmp_path, (
        "Ref,Action,Lead,Milestones,By when\n"
        "1,Repair the roads,Highways,Survey,31/03/2202\n"
        "2,More bins,Waste,,whenever\n"))
    [action] = messages(report, "'31/03/2202' is not a date")
    assert "it reads as a day in 2202, a year no plan means: check the year" in action.message
    [words] = messages(report, "'whenever' is not a date")
    assert "year no plan means" not in words.message
    plan = load_plan(report.out)
    assert plan.action("1").due_date is None and plan.action("1").by_when == "31/03/2202"


def test_plan_check_says_to_check_the_year_of_a_milestone_no_plan_means(tmp_path, capsys):
    from cli.main import main
    from openpyxl import load_workbook

    import_plan(mistyped_plan(tmp_path / "plan.csv"), tmp_path / "plan.xlsx")
    workbook = load_workbook(tmp_path / "plan.xlsx")
    workbook["Milestones"]["C2"] = "30/06/1925"
    workbook.save(tmp_path / "plan.xlsx")
    # Kept as the plan's words and listed for a person (issue 20): the plan can still be used.
    assert main(["plan", "check", str(tmp_path / "plan.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "to look at: sheet 'Milestones', row 2, column C (Due date): '30/06/1925' is not a " \
           "date; it reads as a day in 1925, a year no plan means: check the year" in out


# ---------------------------------------------------------------- a plan of actions and dates only


def test_a_plan_with_no_references_and_no_leads_says_each_once(tmp_path):
    report = import_csv_plan(tmp_path, (
        "Action,By when\nImprove the parks,March 2025\nRepair the roads,"
        "31/03/2026\nNew library hours,Ongoing\n"))
    [given] = messages(report, "the plan gives no references")
    assert given.where == "plan.csv"
    ids = [a.id for a in load_plan(report.out).actions]
    assert len(ids) == 3 and f"{ids[0]} to {ids[-1]} were given" in given.message
    assert "add a Reference column to the plan" in given.message
    assert not messages(report, "the action has no reference")
    [unled] = messages(report, "names no leads")
    assert "the paper will say so" in unled.message and "(its" not in unled.message
    assert not messages(report, "has no lead")


def test_plan_check_says_what_a_plan_of_actions_and_dates_lacks_once_per_kind(tmp_path,
                                                                            capsys):
    from cli.main import main

    report = import_csv_plan(tmp_path, (
        "Action,By when,Target\nImprove the parks,March 2025,\nRepair the "
        "roads,TBC,\nNew library hours,Ongoing,Open 6 days\n"))
    assert main(["plan", "check", str(report.out)]) == 0
    looks = [line for line in capsys.readouterr().out.splitlines()
             if "to look at" in line and "'TBC' is not a date" not in line]
    repair = load_plan(report.out).actions[1].id
    assert looks[0] == f"  to look at: 1 action ({repair}) has no milestone, no due date and " \
                       "no target: progress cannot be judged until the plan defines one"
    assert looks[1:4] == ["  to look at: no action has a milestone",
                          f"  to look at: 2 actions ({load_plan(report.out).actions[0].id}, "
                          f"{repair}) have no target",
                          f"  to look at: 1 action ({repair}) has no due date"]
    assert "names no lead service for any action" in looks[4] and len(looks) == 5


def test_empty_reference_and_lead_columns_are_named_in_the_one_line(tmp_path):
    report = import_csv_plan(tmp_path, (
        "Ref,Action,Lead,By when\n,Improve the parks,,March 2025\n,"
        "Repair the roads,,31/03/2026\n"))
    [given] = messages(report, "the plan gives no references (its 'Ref' column is empty)")
    assert "fill in its 'Ref' column" in given.message
    assert messages(report, "the plan names no leads (its 'Lead' column is empty)")
    assert not messages(report, "has no lead")


def test_one_missing_reference_or_lead_is_still_said_for_its_row(tmp_path):
    report = import_csv_plan(tmp_path, (
        "Ref,Action,Lead,By when\n1,Improve the parks,Parks,March 2025\n,"
        "Repair the roads,,31/03/2026\n"))
    [given] = messages(report, "the action has no reference: it was given")
    assert given.where == "row 3"
    assert messages(report, "has no lead")
    assert not messages(report, "the plan gives no references")
    assert not messages(report, "the plan names no leads")
