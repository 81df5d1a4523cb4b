"""The HTML and PDF view: every word of the model reaches the page, and officers' text
stays text (escaped, never fetched)."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))

from sample_model import sample_model  # noqa: E402

from reporting.report.model import HEADINGS  # noqa: E402
from reporting.render import html as html_view  # noqa: E402
from reporting.render.html import TEMPLATES, render_html, render_pdf  # noqa: E402

HOSTILE = '<b>bold</b> & <script>alert(1)</script> <img src="http://example.com/x.png">'


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def model():
    return sample_model(hostile=HOSTILE)


@pytest.fixture(scope="module")
def fetched() -> list[str]:
    """Every URL WeasyPrint asked for while the module's PDF was drawn."""
    return []


@pytest.fixture(scope="module")
def html(model) -> str:
    return render_html(model)


@pytest.fixture(scope="module")
def pdf(html, fetched) -> bytes:
    original = html_view.TemplatesOnlyFetcher.fetch

    def recording_fetch(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html_view.TemplatesOnlyFetcher, "fetch", recording_fetch)
        return render_pdf(html)


@pytest.fixture(scope="module")
def pdf_text(pdf) -> str:
    return _pdf_text(pdf)


def _expected_words(model) -> list[str]:
    actions = [a for s in model.sections for a in s.actions]
    return (
        [a.id for a in actions]
        + [a.status_word for a in actions]
        + [e.code for e in model.exceptions]
        + [heading for _key, heading in model.contents]
    )


# --- officers' text stays text ----------------------------------------------------------


def test_autoescape_is_on_for_the_html_j2_template():
    env = html_view._environment(TEMPLATES)
    assert env.get_template("report.html.j2").environment.autoescape("report.html.j2")


def test_hostile_update_is_escaped_in_the_html(html):
    body = html.split("</style>", 1)[1]
    assert "<script>" not in body
    assert "<img" not in body
    assert "<b>bold" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;img src=&#34;http://example.com/x.png&#34;&gt;" in body


def test_hostile_update_is_literal_text_in_the_pdf(pdf_text):
    assert "<b>bold</b> & <script>alert(1)</script>" in pdf_text
    assert '<img src="http://example.com/x.png">' in pdf_text


def test_an_image_in_an_update_is_never_fetched(pdf, fetched):
    assert not [url for url in fetched if "example.com" in url]


# --- the fetcher refuses everything outside the templates folder ------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/x.png",
        "ftp://example.com/x.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///etc/passwd",
        "file://example.com/share/report.css",
        (TEMPLATES / ".." / "pyproject.toml").as_uri(),
        TEMPLATES.as_uri() + "/%2e%2e/pyproject.toml",
        (TEMPLATES / "no-such-file.png").as_uri(),
    ],
)
def test_fetcher_refuses_anything_but_a_file_in_templates(url):
    fetcher = html_view.TemplatesOnlyFetcher(TEMPLATES)
    with pytest.raises(ValueError):
        fetcher(url)


def test_fetcher_serves_a_file_in_templates():
    fetcher = html_view.TemplatesOnlyFetcher(TEMPLATES)
    response = fetcher((TEMPLATES / "report.css").as_uri())
    try:
        assert b"@page" in response.read()
        assert response.content_type == "text/css"
    finally:
        response.close()


def test_an_external_image_in_the_template_is_refused_not_fetched(monkeypatch):
    refused: list[str] = []
    original = html_view.TemplatesOnlyFetcher.fetch

    def recording_fetch(self, url, headers=None):
        try:
            return original(self, url, headers)
        except ValueError:
            refused.append(url)
            raise

    monkeypatch.setattr(html_view.TemplatesOnlyFetcher, "fetch", recording_fetch)
    pdf = render_pdf(
        '<html lang="en-GB"><head><title>t</title></head>'
        '<body><p>Logo</p><img src="http://example.com/logo.png" alt="logo"></body></html>'
    )
    assert pdf.startswith(b"%PDF")
    assert refused == ["http://example.com/logo.png"]


# --- every word of the model is on the page ---------------------------------------------


def test_every_action_status_code_and_heading_is_in_the_html(model, html):
    text = html.replace("&amp;", "&")
    missing = [word for word in _expected_words(model) if word not in text]
    assert not missing


def test_every_action_status_code_and_heading_is_in_the_pdf(model, pdf_text):
    missing = [word for word in _expected_words(model) if word not in pdf_text]
    assert not missing


def test_sections_come_in_reading_order(model, html):
    assert [key for key, _heading in model.contents] == list(HEADINGS)
    positions = [html.index(f">{heading}</h2>") for heading in HEADINGS.values()]
    assert positions == sorted(positions)


def test_an_action_shows_its_status_as_a_word_and_its_revised_date(html):
    block = html.split('id="action-1.b"', 1)[1].split("</article>", 1)[0]
    assert "status-off-track" in block
    assert "Off track" in block
    assert "30 September 2023" in block
    assert "OFF_TRACK, DATE_SLIPPED" in block


def test_gaps_in_the_plan_and_returns_are_worded(html):
    block = html.split('id="action-6.c"', 1)[1].split("</article>", 1)[0]
    assert "No milestone set in the plan." in block
    assert "No update received." in block
    assert "Revised date" not in block


def test_a_report_with_no_exceptions_says_so(model):
    from dataclasses import replace

    html = render_html(replace(model, exceptions=()))
    assert "No exceptions were raised." in html
    assert 'class="exceptions"' not in html


def test_the_stylesheet_is_inlined(html):
    assert "<style>" in html and "@page" in html
    assert "<link" not in html


# --- a real, accessible PDF --------------------------------------------------------------


def test_the_pdf_is_a_real_multi_page_pdf_with_a_title(model, pdf):
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 1
    assert reader.metadata.title == model.title


def test_the_pdf_is_tagged_and_in_british_english(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog


def test_pages_carry_the_running_title_and_page_numbers(model, pdf):
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    second = re.sub(r"\s+", " ", reader.pages[1].extract_text())
    assert model.running_title in second
    assert f"Page 2 of {total}" in second
