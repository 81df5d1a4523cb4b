"""The HTML and PDF view of a ReportModel.

The template decides what the report looks like and `report.css` lays it out on A4 pages
(CSS Paged Media); this module only fills the template and hands the HTML to WeasyPrint.
Text from returns is untrusted: Jinja autoescapes it, and while the PDF is drawn nothing
is fetched except files inside the templates folder. The chart is inline SVG drawn from the
model's numbers (`chart.py`), and `pdf_tags.py` mends WeasyPrint's PDF/UA tagging.
"""

from __future__ import annotations

import mimetypes
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pydyf
import weasyprint
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reporting import TEMPLATES
from reporting.render.chart import chart_svg
from reporting.render.pdf_tags import mend_structure, record_sources
from reporting.report.model import ReportModel
from reporting.report.tables import LEAD_LINE, STATUS_BADGE, TRAVEL_BADGE
from reporting.report.travel import Travel
from reporting.report.words import WORDS
from reporting.status import Status

_TEMPLATE = "report.html.j2"
_STYLESHEET = "report.css"


def _environment(templates: Path) -> Environment:
    # "report.html.j2" ends in ".j2", so "j2" must be listed for autoescape to apply.
    return Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "j2"),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(model: ReportModel, templates: Path = TEMPLATES) -> str:
    """Give the report as one self-contained HTML page (the stylesheet is inlined)."""
    css = (templates / _STYLESHEET).read_text(encoding="utf-8")
    template = _environment(templates).get_template(_TEMPLATE)
    return template.render(
        model=model,
        headings=model.headings,
        words=WORDS,
        # The model gives statuses and directions of travel as words: badges draw them.
        badges={"status": STATUS_BADGE, "travel": TRAVEL_BADGE},
        statuses={status.value: status for status in Status},
        travels={travel.value: travel for travel in Travel},
        lead_line=LEAD_LINE,
        css=Markup(css),
        # Drawn from the model's numbers and cleaned of all but shapes (see chart.py).
        chart_svg=Markup(chart_svg(model.chart)) if model.chart else "",
    )


class TemplatesOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves files inside one folder and refuses the rest.

    Officers' text must never make the renderer reach the network or read other files, so
    every scheme but file: is refused, and so is any file outside `folder`. A refusal is a
    ValueError, which WeasyPrint logs as a warning and draws the page without the resource.

    WeasyPrint 68 replaced fetcher functions with this class (and reads attributes such as
    `_fail_on_errors` from it), so a plain function no longer works as `url_fetcher`.
    """

    def __init__(self, folder: Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self._folder = Path(folder).resolve()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file":
            raise ValueError(f"Refused to fetch {url!r}: only template files may be read")
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"Refused to fetch {url!r}: remote file URL")
        path = Path(url2pathname(parts.path)).resolve()  # resolve() undoes any "../"
        if not path.is_relative_to(self._folder) or not path.is_file():
            raise ValueError(f"Refused to fetch {url!r}: not a file in {self._folder}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )


@contextmanager
def _page_references_remembered():
    """Remember pydyf's list of page references while a PDF is written.

    `pydyf.PDF.page_references` builds a tuple of every page each time it is read, and
    WeasyPrint's tagger reads it once per tagged element, so tagging cost grows with the
    square of the pages (the benchmark: 71 s -> 49 s at 250 actions). The list is kept
    until a page is added, so what is read is always what pydyf would have built.
    """
    built = pydyf.PDF.page_references

    def remembered(pdf):
        count = len(pdf.pages["Kids"])
        memo = pdf.__dict__.get("_reporting_page_references")
        if memo is None or memo[0] != count:
            memo = (count, built.fget(pdf))
            pdf.__dict__["_reporting_page_references"] = memo
        return memo[1]

    with _PAGE_REFERENCES_LOCK:
        pydyf.PDF.page_references = property(remembered)
        try:
            yield
        finally:
            pydyf.PDF.page_references = built


_PAGE_REFERENCES_LOCK = threading.Lock()


def render_pdf(html: str, templates: Path = TEMPLATES) -> bytes:
    """Give the PDF of `html` (tagged, PDF/UA-1), drawn without fetching anything external."""
    document = weasyprint.HTML(
        string=html,
        base_url=str(templates),
        url_fetcher=TemplatesOnlyFetcher(templates),
    )
    # Title, language and author come from <title>, <html lang> and <meta> in the HTML.
    finisher = mend_structure if record_sources() else None
    with _page_references_remembered():
        return document.write_pdf(pdf_variant="pdf/ua-1", finisher=finisher)
