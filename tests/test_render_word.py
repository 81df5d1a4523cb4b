"""The Word report, read back from its bytes: the model's words, in order, accessibly laid out."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Cm

sys.path.insert(0, str(Path(__file__).parent))
from sample_model import sample_model  # noqa: E402

from reporting.render.word import render_docx  # noqa: E402
from reporting.report.model import ReportModel, action_anchor  # noqa: E402
from reporting.report.words import WORDS  # noqa: E402
from reporting.status import Status  # noqa: E402

HOSTILE = "<b>bold</b> & <script>alert(1)</script>"


@pytest.fixture(scope="module")
def model() -> ReportModel:
    return sample_model(HOSTILE)


@pytest.fixture(scope="module")
def docx_bytes(model: ReportModel) -> bytes:
    return render_docx(model)


@pytest.fixture(scope="module")
def document(docx_bytes: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(docx_bytes))


def _paragraph_texts(document: DocxDocument) -> list[str]:
    return [p.text for p in document.paragraphs]


def _cell_texts(document: DocxDocument) -> list[str]:
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def _all_text(document: DocxDocument) -> str:
    return "\n".join(_paragraph_texts(document) + _cell_texts(document))


def _headings(document: DocxDocument) -> list[tuple[int, str]]:
    return [
        (int(p.style.name.removeprefix("Heading ")), p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading")
    ]


def _contrast_on_white(hex_rgb: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_rgb[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_render_docx_gives_a_word_file_that_reads_back_as_the_report(
    docx_bytes: bytes, model: ReportModel
) -> None:
    assert isinstance(docx_bytes, bytes)
    document = docx.Document(io.BytesIO(docx_bytes))  # the bytes alone, not the fixture
    texts = _paragraph_texts(document)
    assert texts[:2] == [model.front.council, model.title]
    # The front sheet's table comes between the title and the contents list.
    lines = model.contents_lines
    assert texts[2:3 + len(lines)] == ["Contents", *(line.heading for line in lines)]
    assert [h for _level, h in _headings(document)][:2] == [model.title, model.headings["purpose"]]
    # Each paragraph of a numbered section carries its number, for members to cite.
    assert f"1.1\t{model.purpose[0]}" in texts and f"2.1\t{model.recommendation}" in texts
    assert len(document.tables) == len(model.tables_in_order)
    assert document.tables[0].rows[1].cells[1].text == model.front.committee
    first = model.sections[0].actions[0]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert first.action_and_lead in cells and first.progress_update in cells
    assert texts[-1] == model.headings["glossary"]  # its table ends the document


def test_every_action_status_flag_and_heading_is_in_the_document(
    document: DocxDocument, model: ReportModel
) -> None:
    text = _all_text(document)
    actions = [a for section in model.sections for a in section.actions]
    for action in actions:
        assert action.id in text
        assert action.status.value in text
    for status in Status:
        assert status.value in text
    for line in model.exceptions:
        assert line.problem in text and line.being_done in text
    for _key, heading in model.contents:
        assert heading in text
    for _label, value in model.front.rows():
        assert value in text
    assert model.front.council in text


def test_sections_come_in_the_order_of_the_report(document: DocxDocument,
                                                  model: ReportModel) -> None:
    h2 = [text for level, text in _headings(document) if level == 2]
    assert h2 == [
        model.headings[key]
        for key in ("purpose", "recommendation", "reasons", "alternative_options",
                    "background", "summary", "exceptions", "returns", "consultation",
                    "implications", "statutory_officers", "background_papers", "actions",
                    "status_key", "glossary")
    ]


def test_a_report_without_a_glossary_has_no_glossary_appendix(model: ReportModel) -> None:
    document = docx.Document(io.BytesIO(render_docx(dataclasses.replace(model, glossary=()))))
    h2 = [text for level, text in _headings(document) if level == 2]
    assert not any("glossary" in heading for heading in h2)
    assert not any("glossary of abbreviations" in text for text in _paragraph_texts(document))


def test_front_sheet_has_council_title_and_details_before_a_page_break(
    document: DocxDocument, model: ReportModel
) -> None:
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[0].text == model.front.council
    assert paragraphs[1].style.name == "Heading 1"
    assert paragraphs[1].text == model.title
    front = document.tables[0]
    assert [(row.cells[0].text, row.cells[1].text) for row in front.rows[1:]] == list(
        model.front.rows()
    )
    purpose = next(p for p in paragraphs
                   if p.text == model.headings["purpose"] and p.style.name == "Heading 2")
    assert purpose.paragraph_format.page_break_before
    appendix = next(p for p in paragraphs if p.text.startswith("Appendix A:")
                    and p.style.name == "Heading 2")
    assert appendix.paragraph_format.page_break_before  # as the PDF starts it


def test_heading_levels_go_down_one_at_a_time(document: DocxDocument) -> None:
    levels = [level for level, _text in _headings(document)]
    assert levels[0] == 1
    for previous, level in zip(levels, levels[1:]):
        assert level <= previous + 1, levels


def test_each_action_is_one_row_of_its_prioritys_table(
    document: DocxDocument, model: ReportModel
) -> None:
    rows = {row.cells[0].text: [c.text for c in row.cells]
            for table in document.tables for row in table.rows[1:]}
    for action in (a for s in model.sections for a in s.actions):
        assert rows[action.id][:3] == [action.id, f"{action.objective}\nLead: {action.lead}",
                                       action.status.value]
    # An action with nothing reported says so in words.
    assert "No update received." in rows["6.c"]


def test_status_is_written_as_a_word_in_a_dark_enough_colour(
    document: DocxDocument, model: ReportModel
) -> None:
    actions = [a for s in model.sections for a in s.actions]
    appendix = [i for i, table in enumerate(model.tables_in_order) if table.key == "actions"]
    # Each priority's row (one cell across the table) is left out: it holds no status.
    status_cells = [row.cells[2] for i in appendix for row in document.tables[i].rows[1:]
                    if len({id(c._tc) for c in row.cells}) > 1]
    assert [c.text for c in status_cells] == [a.status.value for a in actions]
    for cell in status_cells:
        for run in cell.paragraphs[0].runs:
            if run.font.color is not None and run.font.color.rgb is not None:
                assert _contrast_on_white(str(run.font.color.rgb)) >= 4.5


def test_every_table_repeats_its_header_row_and_has_alternative_text(
    document: DocxDocument, model: ReportModel
) -> None:
    # front sheet, summary by priority, the exceptions (grouped by priority), returns,
    # Appendix A (grouped by priority), status key, travel key, glossary
    assert len(document.tables) == 8
    for table in document.tables:
        tbl_pr = table._tbl.tblPr
        for tag in ("w:tblCaption", "w:tblDescription"):
            element = tbl_pr.find(qn(tag))
            assert element is not None and element.get(qn("w:val")).strip()
        # Caption and description must be the last children of tblPr to be schema-valid.
        assert [child.tag for child in tbl_pr][-2:] == [qn("w:tblCaption"), qn("w:tblDescription")]
        assert table.style.name == "Table Grid"
        rows = table.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        for cell in rows[0].cells:
            assert all(run.bold for run in cell.paragraphs[0].runs)
        for row in rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        for row in rows[1:]:
            assert row._tr.trPr.find(qn("w:tblHeader")) is None


def test_table_headers_use_the_report_words(document: DocxDocument, model: ReportModel) -> None:
    headers = [[cell.text for cell in table.rows[0].cells] for table in document.tables]
    assert ["Priority", *[s.value for s in model.status_columns], "Total"] in headers
    assert ["Action and lead", "The problem", "What is being done", "By when"] in headers
    # No officer's name and no file: a committee paper is published.
    assert ["Service area", "Return", "Date completed", "Actions covered", "Actions updated",
            "Outstanding"] in headers
    assert ["Status", "Meaning"] in headers


def test_core_properties_describe_the_report(document: DocxDocument, model: ReportModel) -> None:
    props = document.core_properties
    assert props.title == model.title
    assert props.subject == f"{model.front.committee}: {model.front.period}"
    assert props.author == model.front.report_author
    assert props.language == "en-GB"


def test_default_language_is_british_english_and_text_is_arial_11pt(
    document: DocxDocument,
) -> None:
    styles = document.styles.element
    default_rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert default_rpr.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    normal = document.styles["Normal"]
    assert normal.element.rPr.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    assert normal.font.name == "Arial"
    assert normal.font.size.pt >= 11
    # No theme font left anywhere to override Arial.
    assert "asciiTheme" not in styles.xml


def test_hostile_text_is_kept_as_literal_text(document: DocxDocument) -> None:
    texts = _all_text(document)
    assert "Inspections paused. " + HOSTILE in texts
    assert "Next: " + HOSTILE in _cell_texts(document)


def test_header_has_running_title_and_footer_numbers_pages(
    document: DocxDocument, model: ReportModel
) -> None:
    section = document.sections[0]
    assert model.running_title in section.header.paragraphs[0].text
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml.replace("NUMPAGES", "")
    assert "NUMPAGES" in footer_xml
    assert "Page " in section.footer.paragraphs[0].text
    for later in document.sections[1:]:
        assert later.header.is_linked_to_previous and later.footer.is_linked_to_previous


def test_pages_are_a4_with_2cm_margins(document: DocxDocument) -> None:
    for section in document.sections:
        assert {round(section.page_width.cm, 1), round(section.page_height.cm, 1)} == {21.0, 29.7}
        for margin in (section.top_margin, section.bottom_margin, section.left_margin,
                       section.right_margin):
            assert abs(margin - Cm(2)) < Cm(0.05)


def test_no_exceptions_are_reported_in_words_not_an_empty_table(model: ReportModel) -> None:
    quiet = dataclasses.replace(model, exceptions=())
    document = docx.Document(io.BytesIO(render_docx(quiet)))
    assert f"7.1\t{WORDS['no_exceptions']}" in _paragraph_texts(document)
    assert len(document.tables) == 7


def test_control_characters_pasted_into_an_update_do_not_break_the_document(
    model: ReportModel,
) -> None:
    first = model.sections[0]
    messy = dataclasses.replace(first.actions[0], progress_update="Line one\x0bline two\x01.")
    broken = dataclasses.replace(model, sections=(dataclasses.replace(first, actions=(messy,)),))
    document = docx.Document(io.BytesIO(render_docx(broken)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Line one\nline two." in cells



# --- the model gives each action's fields and each table's rows; Word lays them out ------


def test_every_table_is_the_models_table_row_by_row(
    document: DocxDocument, model: ReportModel
) -> None:
    arrows = {"Improved": "\u2191", "No change": "\u2192", "Worse": "\u2193",
              "Not compared": "\u2013"}
    tables = list(model.tables_in_order)
    assert len(document.tables) == len(tables)
    for grid, table in zip(document.tables, tables):
        rows = [[cell.text for cell in row.cells] for row in grid.rows]
        body = [[f"{arrows[value]} {value}" if column.badge == "travel" and value in arrows
                 else value
                 for column, value in zip(table.columns, row)] for row in table.rows]
        # Each group of rows (a priority's) is led by one cell across the table naming it.
        grouped = [row for group, indexes in table.grouped()
                   for row in ([[group.heading] * len(table.columns)] if group else [])
                   + [body[i] for i in indexes]]
        assert rows == [list(table.headings), *grouped, *map(list, table.footer)], table.key
        caption = grid._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
        assert caption == table.caption


@pytest.mark.slow
def test_libreoffice_converts_it_to_pdf(docx_bytes: bytes, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "report.docx"
    source.write_bytes(docx_bytes)
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "report.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"
    try:
        from pypdf import PdfReader
    except ImportError:
        return
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    # The PAGE and NUMPAGES fields were laid out, not left as placeholders.
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_contents_is_a_toc_field_word_fills_in_and_the_cover_has_no_running_header(
    document: DocxDocument, model: ReportModel
) -> None:
    body = document.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith("TOC") for i in instructions)
    kinds = [c.get(qn("w:fldCharType")) for c in body.iter(qn("w:fldChar"))]
    assert kinds[:2] == ["begin", "separate"] and "end" in kinds
    # The contents take the sections (Heading 2) and the priorities under them (Heading 3).
    [toc] = [i for i in instructions if i.strip().startswith("TOC")]
    assert '\\o "2-3"' in toc
    # Until Word updates it, the field shows every heading of the contents, a priority
    # indented under its section.
    texts = _paragraph_texts(document)
    start = texts.index(WORDS["contents"]) + 1
    lines = model.contents_lines
    assert texts[start:start + len(lines)] == [line.heading for line in lines]
    indents = [p.paragraph_format.left_indent for p in document.paragraphs[start:start + len(lines)]]
    assert [bool(indent) for indent in indents] == [line.level == 2 for line in lines]
    assert {line.level for line in lines} == {1, 2}
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    assert section.header.paragraphs[0].text == model.running_title
    first_footer = section.first_page_footer._element
    assert [t.get(qn("w:instr")).strip() for t in first_footer.iter(qn("w:fldSimple"))] == [
        "PAGE", "NUMPAGES"]


def test_word_renders_in_a_child_alongside_the_pdf_and_falls_back_here(model: ReportModel):
    import sys

    from reporting.render.alongside import WordAlongside

    expected = _paragraph_texts(docx.Document(io.BytesIO(render_docx(model))))
    made = WordAlongside(model).result()
    assert _paragraph_texts(docx.Document(io.BytesIO(made))) == expected
    # A child that dies (or cannot start) costs time, never the Word file.
    crashed = WordAlongside(model, command=[sys.executable, "-c", "import os; os.abort()"])
    assert _paragraph_texts(docx.Document(io.BytesIO(crashed.result()))) == expected
    missing = WordAlongside(model, command=["/nonexistent/python"])
    assert _paragraph_texts(docx.Document(io.BytesIO(missing.result()))) == expected


def test_each_actions_lead_is_a_grey_line_under_it(document: DocxDocument,
                                                    model: ReportModel) -> None:
    leads = [run for table in document.tables for row in table.rows[1:] for cell in row.cells
             for run in cell.paragraphs[0].runs if run.text.startswith("\nLead: ")]
    actions = [a for s in model.sections for a in s.actions]
    assert [run.text for run in leads][-len(actions):] == [f"\nLead: {a.lead}" for a in actions]
    assert {str(run.font.color.rgb) for run in leads} == {"505A5F"}
    assert _contrast_on_white("505A5F") >= 4.5


def _bookmarks(document: DocxDocument) -> dict[str, str]:
    """Give each bookmark's name and the text of the paragraph it marks."""
    return {start.get(qn("w:name")): "".join(t.text for t in start.getparent().iter(qn("w:t")))
            for start in document.element.body.iter(qn("w:bookmarkStart"))}


def test_each_exceptions_reference_links_to_its_actions_bookmarked_row(
        document: DocxDocument, model: ReportModel) -> None:
    marks = _bookmarks(document)
    # Every action's row in Appendix A is a bookmark on its reference, and every bookmark
    # opens and closes around it.
    # Each priority's row is a bookmark too, where the contents link to it.
    actions = [a for s in model.sections for a in s.actions]
    groups = {g.anchor: g.heading for t in model.tables_in_order for g in t.groups}
    assert {name: text for name, text in marks.items()} == {
        **{action_anchor(a.id): a.id for a in actions}, **groups}
    assert {line.anchor for line in model.contents_lines if line.level == 2} == set(groups)
    body = document.element.body
    starts = [b.get(qn("w:id")) for b in body.iter(qn("w:bookmarkStart"))]
    assert sorted(starts) == sorted(b.get(qn("w:id")) for b in body.iter(qn("w:bookmarkEnd")))
    assert len(set(starts)) == len(starts)
    # An exception's reference is an internal hyperlink to its action's bookmark; 1.e has
    # no row in this model's Appendix A, so it links nowhere.
    links = [(h.get(qn("w:anchor")), "".join(t.text for t in h.iter(qn("w:t"))))
             for h in body.iter(qn("w:hyperlink"))]
    assert links == [(action_anchor("1.b"), "1.b"), (action_anchor("6.c"), "6.c")]
    assert all(anchor in marks for anchor, _text in links)
    cells = _cell_texts(document)
    assert any(text.startswith("1.b Improve living accommodation") for text in cells)


def test_the_totals_are_the_last_row_once_and_marked_as_the_total_row(
        document: DocxDocument, model: ReportModel) -> None:
    index = list(model.tables_in_order).index(model.tables["by_priority"])
    table = document.tables[index]
    assert [c.text for c in table.rows[-1].cells] == list(model.tables["by_priority"].footer[0])
    assert sum(row.cells[0].text == "Total" for row in table.rows) == 1
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    assert look.get(qn("w:lastRow")) == "1" and int(look.get(qn("w:val")), 16) & 0x0040
    # A table with no totals has no total row.
    returns = document.tables[list(model.tables_in_order).index(model.tables["returns"])]
    assert returns._tbl.tblPr.find(qn("w:tblLook")).get(qn("w:lastRow")) == "0"


def test_a_plan_grouped_by_theme_is_headed_by_theme_in_the_word_paper() -> None:
    """[plan] grouping = "theme": Word's table, column, group rows and contents say theme."""
    from test_render_html import themed_report

    document = docx.Document(io.BytesIO(render_docx(themed_report())))
    text = _all_text(document)
    assert "Actions by theme and status" in text
    assert "Theme" in [table.rows[0].cells[0].text for table in document.tables]
    assert "Theme 1: Greener" in _cell_texts(document)
    assert "riorit" not in text.lower()


def test_the_same_paper_made_again_is_the_same_bytes(model: ReportModel, docx_bytes: bytes,
                                                      monkeypatch) -> None:
    """An operator's review: a paper made again unchanged (a setting changed, Prefect's
    storage cleared) differed only in its zip entries' times, so the sent record took it for
    a changed paper and told the policy officer that members held an earlier version."""
    import time
    import zipfile

    later = time.time() + 3600  # saved an hour later, as a re-run would be
    monkeypatch.setattr(time, "localtime", lambda *_: time.struct_time(
        time.gmtime(later)))
    again = render_docx(model)
    assert again == docx_bytes
    with zipfile.ZipFile(io.BytesIO(again)) as parts:
        assert {info.date_time for info in parts.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert parts.testzip() is None
    assert docx.Document(io.BytesIO(again)).paragraphs  # still opens
