"""The Word file is the editable twin of the PDF: the same sections, in the same order, with
the same words. Text is read back from both files and compared section by section."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

sys.path.insert(0, str(Path(__file__).parent))
from sample_model import sample_model  # noqa: E402

from reporting.render.html import render_html, render_pdf  # noqa: E402
from reporting.render.word import render_docx  # noqa: E402
from reporting.report.model import ReportModel  # noqa: E402
from reporting.report.tables import COLUMNS  # noqa: E402


def _letters(text: str) -> str:
    """Give only the letters and digits of `text`.

    Spacing, line breaks, hyphens added by the PDF's hyphenation, punctuation after a label
    and the symbols beside status words differ between a laid-out PDF and a Word file
    without the words differing; letters and digits, in order, are the words.
    """
    return re.sub(r"[\W_]+", "", text)


def _pdf_text(pdf: bytes) -> str:
    """Give the PDF's text in the order of its structure tree: what a screen reader reads.

    Content-stream order is not reading order (WeasyPrint draws the floated labels of a
    page before their values), so each marked-content sequence's text is collected by its
    MCID and then read out in the order the tags give. Running titles and page numbers are
    not in the tree, so they drop out.
    """
    reader = PdfReader(io.BytesIO(pdf))
    page_of = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    marked: list[dict[int, str]] = []
    for page in reader.pages:
        stack: list[int | None] = []
        found: dict[int, list[str]] = {}

        def before(operator, operands, cm, tm):
            if operator == b"BDC":
                props = operands[1] if len(operands) > 1 else None
                stack.append(props.get("/MCID") if isinstance(props, DictionaryObject) else None)
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(chunk, cm, tm, font, size):
            if stack and stack[-1] is not None:
                found.setdefault(stack[-1], []).append(chunk)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        marked.append({mcid: "".join(chunks) for mcid, chunks in found.items()})

    out: list[str] = []

    def walk(element, page: int) -> None:
        element = element.get_object() if isinstance(element, IndirectObject) else element
        if isinstance(element, int):
            out.append(marked[page].get(element, ""))
            return
        if not isinstance(element, DictionaryObject):
            return
        if "/Pg" in element:
            page = page_of[element.raw_get("/Pg").idnum]
        if element.get("/Type") == "/MCR":
            out.append(marked[page].get(element["/MCID"], ""))
            return
        kids = element.get("/K")
        kids = kids.get_object() if kids is not None else []
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            walk(kid, page)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], 0)
    return _letters("\n".join(out))


def _docx_text(document: DocxDocument) -> str:
    """Give the body's text in reading order: paragraphs, and tables row by row."""
    parts = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            parts.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            for cell in child.iter(qn("w:tc")):
                parts.append("".join(t.text or "" for t in cell.iter(qn("w:t"))))
    return _letters("\n".join(parts))


def _sections(text: str, model: ReportModel, contents_page_numbers: bool) -> dict[str, str]:
    """Split `text` at each section heading, after the front sheet's contents list."""
    headings = [_letters(heading) for _key, heading in model.contents]
    # In the PDF each entry (a section, or a priority under it) is followed by its page
    # number; the last one by the first section.
    contents = _letters("Contents") + "".join(
        re.escape(_letters(line.heading)) + (r"\d+" if contents_page_numbers else "")
        for line in model.contents_lines
    ) + f"(?={re.escape(headings[0])})"
    found = re.search(contents, text)
    assert found, "the contents list is missing or out of order"
    sections = {"front sheet": text[: found.start()]}
    position = found.end()
    starts = []
    for heading in headings:
        start = text.index(heading, position)
        starts.append(start)
        position = start + len(heading)
    for key_heading, start, end in zip(model.contents, starts, [*starts[1:], len(text)]):
        sections[key_heading[1]] = text[start:end]
    return sections


def _without_repeated_headers(text: str, model: ReportModel) -> str:
    """Drop the header row a table repeats at the top of each page it runs on to.

    WeasyPrint draws (and so tags) the repeated row as content; Word repeats it on screen
    only. Only a second and later copy of a whole header row is dropped. The header rows
    are the model's (an appendix without a forecast column has a shorter one).
    """
    for header in {*COLUMNS.values(), *(t.headings for t in model.tables_in_order)}:
        row = _letters("".join(header))
        first = text.find(row)
        if first >= 0:
            cut = first + len(row)
            text = text[:cut] + text[cut:].replace(row, "")
    return text


@pytest.fixture(scope="module")
def model() -> ReportModel:
    return sample_model(hostile="<b>bold</b> & <script>alert(1)</script>")


@pytest.fixture(scope="module")
def bundled_model() -> ReportModel:
    """The bundled 2022/23 Q2 quarterly report, compared with Q1, with the glossary."""
    from datetime import datetime

    from reporting.cadence import Paper
    from reporting.period import Period
    from reporting.pipeline import prepare_report, read_period
    from reporting.settings import READ_NOW, load_settings

    settings = load_settings(Path(__file__).resolve().parents[1] / "reporting.toml")
    read = read_period(settings, Period.parse("2022/23 Q2"), intake=READ_NOW)
    return prepare_report(settings, read, Paper.QUARTERLY, datetime(2022, 10, 20, 9, 30)).model


def _compare(model: ReportModel) -> None:
    pdf_text = _pdf_text(render_pdf(render_html(model)))
    word_text = _docx_text(docx.Document(io.BytesIO(render_docx(model))))
    in_pdf = _sections(pdf_text, model, contents_page_numbers=True)
    for section, text in in_pdf.items():
        in_pdf[section] = _without_repeated_headers(text, model)
    in_word = _sections(word_text, model, contents_page_numbers=False)
    # Each priority's table has the same header row: compare with one copy of it on each
    # side, whatever a page break repeated in the PDF.
    for section, text in in_word.items():
        in_word[section] = _without_repeated_headers(text, model)
    assert list(in_pdf) == list(in_word)
    for section in in_pdf:
        assert in_pdf[section] == in_word[section], section


def test_pdf_and_word_say_the_same_section_by_section(model):
    _compare(model)


def test_sections_are_found_in_both_in_the_same_order(model):
    pdf_text = _pdf_text(render_pdf(render_html(model)))
    sections = _sections(pdf_text, model, contents_page_numbers=True)
    assert list(sections)[1:] == [heading for _key, heading in model.contents]
    assert all(sections.values())


def test_the_bundled_report_says_the_same_in_both(bundled_model):
    _compare(bundled_model)
