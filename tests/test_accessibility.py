"""Read the structure of the documents back: tagged PDF/UA, accessible Word, standalone HTML."""

from __future__ import annotations

import dataclasses
import io
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import docx
import pikepdf
import pytest
import weasyprint
from docx.oxml.ns import qn

sys.path.insert(0, str(Path(__file__).parent))
from sample_model import sample_model  # noqa: E402

from reporting.render.html import (  # noqa: E402
    TEMPLATES,
    TemplatesOnlyFetcher,
    render_html,
    render_pdf,
)
from reporting.render.word import render_docx  # noqa: E402
from reporting.report.exceptions import ExceptionLine  # noqa: E402
from reporting.report.model import ReportModel  # noqa: E402
from reporting.status import Status  # noqa: E402


@pytest.fixture(scope="module")
def model() -> ReportModel:
    """The sample model with enough exceptions that their table runs over a page break."""
    base = sample_model()
    many = tuple(
        ExceptionLine("MISSING_UPDATE", "Medium", f"2.{letter}", "Housing",
                      f"Housing's return has no row for 2.{letter}: the update is needed "
                      "before the Committee meets.", "housing.xlsx")
        for letter in "abcdefghijklmnopqrstuvwxyz"
    )
    return dataclasses.replace(base, exceptions=base.exceptions + many)


@pytest.fixture(scope="module")
def html(model) -> str:
    return render_html(model)


@pytest.fixture(scope="module")
def pdf(html):
    return pikepdf.open(io.BytesIO(render_pdf(html)))


def _elements(pdf: pikepdf.Pdf):
    """Yield every structure element, depth first, in reading order."""
    def walk(node):
        if isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
            yield node
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        if isinstance(kids, pikepdf.Array):
            for kid in kids:
                yield from walk(kid)
        elif isinstance(kids, pikepdf.Dictionary):
            yield from walk(kids)
    yield from walk(pdf.Root.StructTreeRoot)


def _tags(pdf: pikepdf.Pdf, tag: str) -> list:
    return [e for e in _elements(pdf) if e.S == tag]


# --- PDF ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_pdf_is_tagged_titled_and_in_british_english(pdf, model):
    assert "/StructTreeRoot" in pdf.Root
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == "en-GB"
    assert str(pdf.docinfo.Title) == model.title
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    with pdf.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"


@pytest.mark.slow
def test_the_pdf_has_bookmarks_from_its_headings(pdf, model):
    with pdf.open_outline() as outline:
        titles = []

        def walk(items):
            for item in items:
                titles.append(item.title)
                walk(item.children)

        walk(outline.root)
    for _key, heading in model.contents:
        assert heading in titles
    assert all(section.heading in titles for section in model.sections)


@pytest.mark.slow
def test_headings_are_tagged_h1_to_h4_in_order(pdf):
    levels = [int(str(e.S)[2]) for e in _elements(pdf) if re.fullmatch(r"/H\d", str(e.S))]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))


@pytest.mark.slow
def test_table_header_cells_are_th_with_a_scope(pdf, html):
    headers = _tags(pdf, "/TH")
    assert len(headers) >= html.count("<th ")
    scopes = {str(th.A.Scope) for th in headers}
    assert scopes == {"/Column", "/Row"}
    assert all("/Scope" in th.A for th in headers)


@pytest.mark.slow
def test_a_table_broken_across_pages_is_tagged_as_one_table(pdf, html):
    assert len(_tags(pdf, "/Table")) == html.count("<table")
    pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
    spans = [{pages[row.Pg.objgen] for row in _elements_under(table) if row.S == "/TR"}
             for table in _tags(pdf, "/Table")]
    assert any(len(pages_of_table) > 1 for pages_of_table in spans), "no table ran over a page"
    # One body per body of the HTML (a priority's rows in the exceptions and Appendix A are
    # one), the report's main part once (not once per page).
    bodies = [table.count("<tbody") for table in html.split("<table")[1:]]
    assert [len([k for k in table.K if k.S == "/TBody"]) for table in _tags(pdf, "/Table")] \
        == bodies and max(bodies) > 1
    assert len(_tags(pdf, "/Part")) == 1


def _elements_under(element):
    for kid in element.get("/K", []):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield kid
            yield from _elements_under(kid)


@pytest.mark.slow
def test_the_chart_is_a_figure_whose_alt_text_states_the_numbers(pdf, model):
    figures = _tags(pdf, "/Figure")
    assert [str(f.Alt) for f in figures] == [model.chart.alt_text]
    assert "Priority 1: Housing for all: 1 off track and 1 on track (2 actions)." \
        in model.chart.alt_text


@pytest.mark.slow
def test_weasyprint_alone_still_has_the_gaps_we_mend(html):
    """If this fails, WeasyPrint has closed a gap and `pdf_tags` may be retired."""
    raw = pikepdf.open(io.BytesIO(weasyprint.HTML(
        string=html, base_url=str(TEMPLATES), url_fetcher=TemplatesOnlyFetcher(TEMPLATES),
    ).write_pdf(pdf_variant="pdf/ua-1")))
    assert not any("/Scope" in th.A for th in _tags(raw, "/TH"))
    assert len(_tags(raw, "/Table")) > html.count("<table")


# --- Word --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def document(model):
    return docx.Document(io.BytesIO(render_docx(model)))


def test_word_headings_step_down_one_level_at_a_time(document):
    levels = [int(p.style.name.removeprefix("Heading ")) for p in document.paragraphs
              if p.style.name.startswith("Heading ")]
    assert levels[0] == 1 and set(levels) == {1, 2}
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    # A priority is a row naming it over its actions, at the outline level of a heading
    # under its section (Heading 3), so Word's contents list it.
    levels = [e.get(qn("w:val")) for e in document.element.body.iter(qn("w:outlineLvl"))]
    assert levels and set(levels) == {"2"}


def test_word_core_properties(document, model):
    props = document.core_properties
    assert props.title == model.title
    assert props.subject and props.author == model.front.report_author
    assert props.language == "en-GB"


def test_word_tables_repeat_headers_and_carry_captions(document, model):
    captions = []
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        caption = table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
        description = table._tbl.tblPr.find(qn("w:tblDescription")).get(qn("w:val"))
        assert caption and description
        captions.append(caption)
    assert captions == [table.caption for table in model.tables_in_order]
    shown = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    for key in ("by_priority", "travel_key"):
        assert model.tables[key].caption in shown
    # The status key's caption would repeat its section's heading: alternative text only.
    assert model.tables["status_key"].caption not in shown
    assert model.chart.caption in shown


def test_word_chart_picture_has_alt_text_stating_the_numbers(document, model):
    pictures = document.inline_shapes
    assert len(pictures) == 1
    doc_pr = pictures[0]._inline.docPr
    assert doc_pr.get("descr") == model.chart.alt_text
    assert doc_pr.get("title") == model.chart.caption


def test_word_shows_forecast_and_direction_of_travel_as_words(document, model):
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "At risk" in cells  # a forecast, as a word
    assert "\u2193 Worse" in cells and "\u2013 Not compared" in cells  # the arrow repeats the word


# --- HTML --------------------------------------------------------------------------------


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def scanned(html) -> list[tuple[str, dict]]:
    scan = _Scan()
    scan.feed(html)
    return scan.tags


def test_html_is_standalone_and_navigable(scanned, html):
    assert ("html", {"lang": "en-GB"}) in scanned
    body = [i for i, (tag, _) in enumerate(scanned) if tag == "body"][0]
    first_link = next(attrs for tag, attrs in scanned[body:] if tag == "a")
    assert first_link == {"class": "skip-link", "href": "#main"}
    assert ("main", {"id": "main"}) in scanned
    landmarks = {tag for tag, _ in scanned}
    assert {"header", "nav", "main"} <= landmarks
    assert "<script" not in html and "<link" not in html and "<iframe" not in html
    for tag, attrs in scanned:
        for name in ("src", "href", "xlink:href"):
            assert attrs.get(name, "#").startswith("#"), (tag, attrs)


def test_every_html_header_cell_has_a_scope_and_every_table_a_caption(scanned, html):
    headers = [attrs for tag, attrs in scanned if tag == "th"]
    assert headers and all(attrs.get("scope") in ("col", "row", "rowgroup") for attrs in headers)
    # A priority's row heads its own body of rows (WCAG's technique H63), nowhere else.
    assert all(attrs.get("scope") != "rowgroup" or attrs.get("colspan") for attrs in headers)
    assert html.count("<table") == html.count("<caption")


def test_html_chart_is_an_image_with_a_title_and_no_live_content(scanned, model, html):
    svg = next(attrs for tag, attrs in scanned if tag == "svg")
    assert svg["role"] == "img" and svg["aria-labelledby"] == "status-chart-title"
    assert '<title id="status-chart-title">' in html
    chart = html[html.index("<svg"): html.index("</svg>")]
    assert not re.search(r"<(style|script|foreignObject|image|a)\b", chart)
    assert not re.search(r"\son\w+=", chart)
    assert "url(http" not in chart


def test_every_status_and_direction_is_a_word_not_only_a_colour(html, model):
    for action in (a for s in model.sections for a in s.actions):
        row = html.split(f'<th scope="row" class="action-id">{action.id}</th>', 1)[1]
        row = row.split("</tr>", 1)[0]
        assert f"</span> {action.status.value}</span>" in row
        if action.travel:
            assert f"</span> {action.travel.value}</span>" in row
    assert '<span class="arrow" aria-hidden="true">' in html


def _contrast(foreground: str, background: str) -> float:
    def luminance(hex_rgb: str) -> float:
        def channel(c: int) -> float:
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (int(hex_rgb[i:i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_stylesheet_colours_contrast_and_body_text_size():
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    for background, colour in re.findall(
            r"background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6})", css):
        assert _contrast(colour, background) >= 4.5, (colour, background)
    for colour in re.findall(r"(?<![-\w])color: (#[0-9a-f]{6})", css):  # text, not borders
        assert _contrast(colour, "#ffffff") >= 4.5 or colour == "#ffffff", colour
    html_rule = css[css.index("html {"): css.index("}", css.index("html {"))]
    assert "font-size: 11pt" in html_rule and "sans-serif" in html_rule
    assert "text-align: left" in html_rule
    assert "text-align: justify" not in css


def test_every_status_has_a_distinct_pattern_in_the_chart():
    from reporting.render.chart import _LOOK

    assert set(_LOOK) == set(Status)
    looks = [(fill, hatch) for fill, hatch, _ink in _LOOK.values()]
    assert len(set(looks)) == len(looks)
