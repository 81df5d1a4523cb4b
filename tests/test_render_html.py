"""The HTML and PDF view: every word of the model reaches the page, and officers' text
stays text (escaped, never fetched)."""

from __future__ import annotations

import dataclasses
import io
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))

from sample_model import sample_model  # noqa: E402

from reporting.render import html as html_view  # noqa: E402
from reporting.render.html import TEMPLATES, render_html, render_pdf  # noqa: E402
from reporting.report.words import WORDS  # noqa: E402

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
        + [e.problem for e in model.exceptions]
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


@pytest.mark.slow
def test_hostile_update_is_literal_text_in_the_pdf(pdf_text):
    # Spaces aside (a long line may wrap anywhere in a table cell), the markup is text.
    flat = "".join(pdf_text.split())
    assert "<b>bold</b>&<script>alert(1)</script>" in flat
    assert '<imgsrc="http://example.com/x.png">' in flat


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_every_action_status_code_and_heading_is_in_the_pdf(model, pdf_text):
    missing = [word for word in _expected_words(model) if word not in pdf_text]
    assert not missing


def test_sections_come_in_reading_order(model, html):
    assert [key for key, _heading in model.contents] == [
        "purpose", "recommendation", "reasons", "alternative_options", "background",
        "summary", "exceptions", "returns", "consultation", "implications",
        "statutory_officers", "background_papers", "actions", "status_key", "glossary"]
    assert [heading for _key, heading in model.contents][6:] == [
        "7. Delivery exceptions", "8. Returns received and missing", "9. Consultation",
        "10. Implications", "11. Comments of the statutory officers",
        "12. Background papers", "Appendix A: progress on each action",
        "Appendix B: status and direction of travel keys", "Appendix C: glossary of abbreviations"]
    positions = [html.index(f">{heading}</h2>") for _key, heading in model.contents]
    assert positions == sorted(positions)


def _row(html: str, action_id: str) -> str:
    return html.split(f'<th scope="row" class="action-id">{action_id}</th>', 1)[1].split(
        "</tr>", 1)[0]


def test_an_action_shows_its_status_as_a_word_in_its_row(html):
    row = _row(html, "1.b")
    assert "status-off-track" in row and "</span> Off track</span>" in row


def test_an_action_with_nothing_reported_says_so_in_words(html):
    assert "No update received." in _row(html, "6.c")


def test_only_a_long_row_may_break_across_pages(model):
    """A row whose update is long is marked "long" (report.css lets it break across pages);
    every other row is kept whole."""
    section = model.sections[0]
    long = dataclasses.replace(section.actions[0], progress_update="word " * 200)
    html = render_html(dataclasses.replace(model, sections=(
        dataclasses.replace(section, actions=(long, *section.actions[1:])),
        *model.sections[1:])))
    marked = re.findall(r'<tr id="[^"]+" class="long"><th scope="row" class="action-id">([^<]+)</th>',
                        html)
    assert marked == [long.id]
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    assert "tr { break-inside: avoid; }" in css
    assert "table.actions tr.long, table.exceptions tr.long { break-inside: auto; }" in css


def test_a_report_with_no_exceptions_says_so(model):
    html = render_html(dataclasses.replace(model, exceptions=()))
    assert WORDS["no_exceptions"] in html
    assert 'class="exceptions"' not in html



# --- the model gives each action's fields and each table's rows; the page lays them out ---


class _Read(HTMLParser):
    """Read what a screen reader reads of each table's cells.

    Text inside aria-hidden elements (the symbols and arrows beside status words) is left out.
    """

    _VOID = {"col", "img", "br", "meta", "link", "input", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []  # {"class", "caption", "rows": [(section, [(tag, text)])]}
        self._open: list[tuple[str, dict]] = []
        self._text: list[str] | None = None
        self._part = ""

    def _hidden(self) -> bool:
        return any(attrs.get("aria-hidden") == "true" for _tag, attrs in self._open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in self._VOID:
            self._open.append((tag, attrs))
        if tag == "table":
            self.tables.append({"class": attrs.get("class"), "caption": "", "rows": []})
        elif tag in ("thead", "tbody", "tfoot"):
            self._part = tag
        elif tag == "tr":
            self.tables[-1]["rows"].append((self._part, []))
        elif tag in ("th", "td", "caption"):
            self._text = []

    def handle_endtag(self, tag):
        if tag not in self._VOID:
            while self._open and self._open.pop()[0] != tag:
                pass
        if self._text is None or tag not in ("th", "td", "caption"):
            return
        text = re.sub(r"[ \t]+", " ", "".join(self._text)).strip()
        text = re.sub(r" ?\n ?", "\n", text).strip("\n")
        self._text = None
        if tag == "caption":
            self.tables[-1]["caption"] = text
        else:
            self.tables[-1]["rows"][-1][1].append((tag, text))

    def handle_data(self, data):
        if self._text is not None and not self._hidden():
            self._text.append(data.replace("\n", " "))


@pytest.fixture(scope="module")
def read(html) -> _Read:
    reader = _Read()
    reader.feed(html)
    return reader


def test_the_html_follows_the_models_tables_not_its_own(model):
    """A priority whose model gives its actions in another order is shown in that order."""
    first = model.sections[0]
    changed = dataclasses.replace(model, sections=(
        dataclasses.replace(first, actions=tuple(reversed(first.actions))),))
    reader = _Read()
    reader.feed(render_html(changed))
    [actions] = [t for t in reader.tables if t["class"].startswith("actions")]
    # The priority's row, then its actions.
    assert [cells[0][1] for _part, cells in actions["rows"][1:]] == [
        first.heading, *(a.id for a in reversed(first.actions))]


def test_the_models_tables_are_the_html_tables_cell_by_cell(model, read):
    tables = list(model.tables_in_order)
    assert [t["caption"] for t in read.tables] == [t.caption for t in tables]
    for found, table in zip(read.tables, tables):
        rows = found["rows"]
        assert rows[0] == ("thead", [("th", heading) for heading in table.headings]), table.key
        # Each group of rows (a priority's) is led by a row naming it, across the table.
        expected = [row for group, indexes in table.grouped()
                    for row in ([("tbody", (group.heading,))] if group else [])
                    + [("tbody", table.rows[i]) for i in indexes]]
        expected += [("tfoot", row) for row in table.footer]
        # A line break inside a cell (the action's lead) reads as a space.
        assert [(part, [text for _tag, text in cells]) for part, cells in rows[1:]] == [
            (part, [" ".join(str(cell).split()) for cell in row]) for part, row in expected
        ], table.key
        # The first cell heads its row, except in the exceptions table.
        first_tags = {cells[0][0] for _part, cells in rows[1:] if len(cells) > 1}
        assert first_tags == ({"th"} if table.row_headers else {"td"}), table.key


def test_a_table_with_nothing_to_list_is_left_out(model):
    bare = dataclasses.replace(model, exceptions=(), travel_key=(), glossary=())
    assert list(bare.tables) == ["front", "by_priority", "returns", "status_key"]
    assert list(model.tables) == ["front", "by_priority", "returns", "status_key",
                                  "travel_key", "glossary"]
    by_priority = model.tables["by_priority"]
    # The totals row counts each status over every priority, then all the actions.
    assert by_priority.footer == (("Total", *(str(c.count) for c in model.overall),
                                   str(model.total_actions)),)
    assert by_priority.caption_shown
    exceptions = [t for t in model.tables_in_order if t.key == "exceptions"]
    assert exceptions and not any(t.caption_shown for t in exceptions)

def test_the_stylesheet_is_inlined(html):
    assert "<style>" in html and "@page" in html
    assert "<link" not in html


# --- a real, accessible PDF --------------------------------------------------------------


@pytest.mark.slow
def test_the_pdf_is_a_real_multi_page_pdf_with_a_title(model, pdf):
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 1
    assert reader.metadata.title == model.title


def test_the_report_and_appendix_a_each_begin_a_page_of_the_pdf(model):
    """A committee-paper review (M2): Appendix A began mid-page in the six-monthly paper, so
    the foot of the page cut its first row, and the next page began with the row's rest
    under empty Ref and Action cells. The sections the model starts on a new page do (a
    paper with no exceptions: its report ends mid-page)."""
    from dataclasses import replace

    model = replace(model, exceptions=())
    reader = PdfReader(io.BytesIO(render_pdf(render_html(model))))
    starts = [s for s in model.outline if s.page_break]
    assert [s.key for s in starts] == ["purpose", "actions"]
    for section in starts:
        (page,) = [number for number, text in enumerate(reader.pages)
                   if section.heading in re.sub(r"\s+", " ", text.extract_text())
                   and number > 0]  # the first page lists it in the contents
        before = re.sub(r"\s+", " ", reader.pages[page].extract_text())
        head = before.split(section.heading)[0]
        # Nothing of the section before on its page: at most the running title over it.
        assert len(head.replace(model.running_title, "").strip()) < 20, (section.heading, head)


@pytest.mark.slow
def test_the_pdf_is_tagged_and_in_british_english(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog


@pytest.mark.slow
def test_pages_carry_the_running_title_and_page_numbers(model, pdf):
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    second = re.sub(r"\s+", " ", reader.pages[1].extract_text())
    assert model.running_title in second
    assert f"Page 2 of {total}" in second


def test_each_actions_lead_is_set_apart_under_it(model, html):
    import html as entities

    for action in (a for s in model.sections for a in s.actions):
        assert (f'<span class="lead-line">Lead: {entities.escape(action.lead, quote=True)}'
                '</span>') in html
    assert ".lead-line { color: #505a5f; }" in html


# --- finding one's way in a large paper (issue 19) ---------------------------------------


def test_anchor_names_are_html_ids_and_word_bookmark_names_for_any_reference():
    from reporting.report.outline import anchor

    references = ["1.a", "1.10", "16", "1_a", "1 a", "1.A", "HW1.a", "1.ä", "ü", "Ünter 1",
                  "x" * 60, "x" * 60 + "y", "", "1/a", "<1>"]
    names = [anchor("action", reference) for reference in references]
    # A Word bookmark: a letter first, then letters, digits and "_", at most 40 characters.
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", name) for name in names), names
    # No two references share one, even where Word does not tell capitals apart.
    assert len({name.lower() for name in names}) == len(references)
    assert anchor("action", "1.a") == "action_1_a" and anchor("action", "16") == "action_16"
    assert anchor("action", "1.a") == anchor("action", "1.a")  # the same every run


def _ids_and_links(html: str) -> tuple[set[str], list[tuple[str, str]]]:
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    links = re.findall(r'<a href="#([^"]+)">([^<]*)</a>', html)
    return ids, links


def test_each_exceptions_reference_links_to_its_actions_row_in_appendix_a(model, html):
    from reporting.report.model import action_anchor

    ids, links = _ids_and_links(html)
    assert all(target in ids for target, _text in links), "a link to nothing"
    # Each action's row in Appendix A is an anchor...
    for action in (a for s in model.sections for a in s.actions):
        assert re.search(rf'<tr id="{action_anchor(action.id)}"[^>]*><th scope="row" '
                         rf'class="action-id">{re.escape(action.id)}</th>', html)
    # ...and an exception's reference links to it, where its action has a row (1.e has none).
    exceptions = html[html.index('id="exceptions"'):html.index('id="returns"')]
    assert _ids_and_links(exceptions)[1] == [(action_anchor("1.b"), "1.b"),
                                             (action_anchor("6.c"), "6.c")]
    assert "1.e Build services" in exceptions


def test_exceptions_are_grouped_under_appendix_as_priorities_each_in_the_contents(model, html):
    section = next(s for s in model.outline if s.key == "exceptions")
    # One table, its rows in a group per priority, each led by a row naming it: not a
    # heading and a header row for each priority.
    [table] = [b.table for b in section.blocks if b.kind == "table"]
    groups = table.groups
    # Appendix A's headings, in its order; an exception on an action in no priority last.
    assert [g.heading for g in groups] == [*(s.heading for s in model.sections), "Other actions"]
    rows = [[table.rows[i][0].split(" ")[0] for i in indexes] for _g, indexes in table.grouped()]
    assert rows == [["1.b"], ["6.c"], ["1.e"]]
    exceptions = html[html.index('id="exceptions"'):html.index('id="returns"')]
    assert exceptions.count("<table") == 1 and exceptions.count("<tbody>") == 3
    assert "<h3" not in exceptions
    assert ('<tr class="group"><th scope="rowgroup" colspan="4" id="exceptions_1">'
            'Priority 1: Housing for all</th></tr>') in exceptions
    # The contents list each priority under section 7 and under Appendix A, linked.
    lines = [(line.level, line.heading) for line in model.contents_lines]
    exceptions_at = lines.index((1, model.headings["exceptions"]))
    assert lines[exceptions_at + 1:exceptions_at + 4] == [(2, g.heading) for g in groups]
    appendix_at = lines.index((1, model.headings["actions"]))
    assert lines[appendix_at + 1:appendix_at + 3] == [(2, s.heading) for s in model.sections]
    contents = html[html.index('<nav class="contents"'):html.index("</nav>")]
    ids, links = _ids_and_links(html)
    assert [text for _target, text in _ids_and_links(contents)[1]] == [
        line.heading for line in model.contents_lines]
    assert all(target in ids for target, _text in _ids_and_links(contents)[1])
    # The HTML contents give no page numbers: the PDF's come from the stylesheet, for print.
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    assert re.search(r"@media print \{[^@]*\.contents a::after \{ content: leader\(\"\.\"\) "
                     r"\" \" target-counter\(attr\(href\), page\); \}", css)


def test_the_pdf_links_each_exception_to_its_row_and_gives_each_prioritys_page(pdf):
    from reporting.report.model import action_anchor

    reader = PdfReader(io.BytesIO(pdf))
    destinations = reader.named_destinations
    page_of = {name: reader.get_destination_page_number(d) for name, d in destinations.items()}
    links = {}
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or ():
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                links.setdefault(str(annotation["/Dest"]), number)
    # 1.b's reference in section 7 jumps to its row in Appendix A, further on.
    target = action_anchor("1.b")
    assert target in links and target in page_of and page_of[target] > links[target]
    assert page_of[target] == next(i for i, p in enumerate(reader.pages)
                                   if "Inspections paused." in p.extract_text())
    # The printed contents give each priority's page, under section 7 and Appendix A.
    front = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    for name in ("exceptions_1", "actions_1", "actions_2"):
        assert links.get(name) == 0, name
    appendix_page = page_of["actions_2"] + 1
    assert re.search(rf"Priority 6: Physical Activity\W*{appendix_page}\b", front), front


def test_the_totals_row_is_printed_once_at_the_tables_end_not_on_every_page(model):
    from reporting.report.by_priority import summarise_priorities
    from reporting.report.model import PrioritySection

    # Sixty priorities: the table of actions by priority runs over more than one page.
    sections = tuple(PrioritySection(f"Priority {n}: Theme {n}", model.sections[n % 2].actions)
                     for n in range(1, 61))
    many = dataclasses.replace(model, sections=sections,
                               by_priority=summarise_priorities(sections))
    html = render_html(many)
    # Still the table's footer (<tfoot>) for a screen reader...
    table = html[html.index('<table class="by-priority'):]
    table = table[:table.index("</table>")]
    assert table.count("<tfoot>") == 1 and table.index("<tfoot>") > table.index("</tbody>")
    reader = PdfReader(io.BytesIO(render_pdf(html)))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    [footer] = many.tables["by_priority"].footer
    total = " ".join(footer)
    # A priority's row in the table gives its counts after its heading (Appendix A's
    # heading over its actions gives "Ref").
    row = {n: re.compile(rf"Priority {n}: Theme {n} \d") for n in (1, 60)}
    first, last = (next(i for i, text in enumerate(pages) if row[n].search(text)) for n in (1, 60))
    assert last > first, "the table fitted one page: the test shows nothing"
    # ...printed once, after the last priority, not at the foot of every page.
    assert [i for i, text in enumerate(pages) if total in text] == [last]
    assert row[60].search(pages[last]).start() < pages[last].index(total)


def test_every_data_cell_carries_its_columns_heading_for_a_phone(model, html):
    """On a phone a wide table's rows stack, each cell led by its column's heading."""
    for table in model.tables_in_order:
        key = table.key.replace("_", "-")
        if key == "front":
            continue
        start = html.index(f'<table class="{key}')
        drawn = html[start:html.index("</table>", start)]
        body = drawn[drawn.index("<tbody>"):]
        labels = re.findall(r'<td data-label="([^"]*)"', body)
        cells_per_row = len(table.columns) - (1 if table.row_headers else 0)
        assert labels == [c.heading for c in table.columns[-cells_per_row:]] * (
            len(table.rows) + len(table.footer)), table.key
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    phone = css[css.index("@media screen and (max-width: 40em)"):]
    assert 'content: attr(data-label) ": " / "";' in phone
    assert "overflow-x" not in css and "table-scroll" not in html


def test_a_council_s_longer_references_keep_clear_of_the_action_s_words():
    from conftest import make_action, make_plan, make_return, make_row, prepare

    plan = make_plan(*(make_action(f"EC6.{i}", priority="6",
                                   objective="Support local businesses to cut carbon")
                       for i in range(1, 4)))
    report = prepare(plan, [make_return("Regulatory Services", make_row("EC6.1", "On track"))])
    html = render_html(report.model)
    assert "long-refs" in html
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(html))).pages)
    assert "EC6.1" in text
    # Laid over the next column, a reference reads as one word with the action's.
    assert not re.search(r"EC6\.\d[A-Za-z]", text)


# --- the plan's own word for its groups (issue 20) --------------------------------------


def themed_report():
    """The paper of a plan whose groups are themes ([plan] grouping = "theme")."""
    from conftest import make_action, make_plan, make_return, make_row, make_settings, prepare

    from reporting.plan import Priority

    plan = dataclasses.replace(make_plan(make_action("1.a"), make_action("2.a")),
                               priorities=(Priority("1", "Greener"), Priority("2", "Fairer")))
    returns = [make_return("Regulatory Services", make_row("1.a", "At risk"),
                           make_row("2.a", "On track"))]
    return prepare(plan, returns, settings=make_settings(plan_grouping="theme")).model


def test_a_plan_grouped_by_theme_is_headed_by_theme_in_the_html():
    model = themed_report()
    page = render_html(model)
    by_group = model.tables["by_priority"]
    assert by_group.caption == "Actions by theme and status"
    assert by_group.columns[0].heading == "Theme"
    assert "Actions by theme and status" in page and ">Theme<" in page
    assert "Theme 1: Greener" in page and "Theme 2: Fairer" in page
    assert "grouped by theme" in page and "under 2 themes" in page
    # The words a reader sees, not the class names or the style sheet's comments.
    shown = re.sub(r"<[^>]*>", " ", re.sub(r"<style.*?</style>", "", page, flags=re.S))
    assert not re.search(r"priorit", shown, flags=re.I), \
        re.findall(r".{0,40}priorit.{0,40}", shown, flags=re.I)
