"""The Word view of a ReportModel: an editable twin of the HTML/PDF report.

It lays out what the model says, in the model's words and order, and works nothing out
itself. Accessibility for committee papers is built in: real heading styles, en-GB
language, Arial 11pt and up, tables with repeating header rows, alternative-text captions
and rows that do not split, status colours with enough contrast and always with the word.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from reporting.report.model import COLUMNS, LABELS, WORDS, ActionEntry, ReportModel, StatusChart
from reporting.render.chart import chart_png
from reporting.status import Status

FONT = "Arial"
LANGUAGE = "en-GB"
BODY_SIZE = Pt(11)
HEADING_COLOUR = RGBColor(0x1F, 0x38, 0x64)  # dark navy, 12:1 on white
QUIET_COLOUR = RGBColor(0x59, 0x59, 0x59)  # dark grey, 7:1 on white
HEADER_FILL = "D9D9D9"  # table header rows: black text on light grey

# Colour for the status word beside each action. Each is at least 4.5:1 on white and the
# word is always printed, so colour never carries the meaning alone.
STATUS_COLOURS: dict[Status, RGBColor] = {
    Status.OFF_TRACK: RGBColor(0xC0, 0x00, 0x00),
    Status.AT_RISK: RGBColor(0x8A, 0x4B, 0x00),
    Status.NO_UPDATE: RGBColor(0x59, 0x59, 0x59),
    Status.NOT_STARTED: RGBColor(0x59, 0x59, 0x59),
    Status.ON_TRACK: RGBColor(0x00, 0x61, 0x00),
    Status.COMPLETE: RGBColor(0x1F, 0x4E, 0x79),
}

# (style name, size, space before) for the styles this document uses as headings.
_HEADING_STYLES = (
    ("Title", Pt(14), Pt(0)),
    ("Heading 1", Pt(20), Pt(12)),
    ("Heading 2", Pt(16), Pt(18)),
    ("Heading 3", Pt(14), Pt(16)),
    ("Heading 4", Pt(12), Pt(14)),
)

# Tables up to this many body rows are kept whole on one page (a landscape page holds
# about eight rows of the wide tables).
_SHORT_TABLE_ROWS = 8

# A4 portrait content width is 21 - 2 x 2 = 17 cm; landscape is 29.7 - 2 x 2 = 25.7 cm.
_MARGIN = Cm(2)

# Characters XML 1.0 cannot hold. Officers paste text from Word and Excel, which can carry
# vertical tabs or form feeds (line breaks there) and stray control characters; python-docx
# would refuse the whole document over one of them.
_LINE_BREAK_CONTROLS = re.compile(r"[\x0b\x0c]")
_INVALID_XML = re.compile(r"[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _text(value: object) -> str:
    """Give `value` as text that Word can hold, line-break controls kept as line breaks."""
    return _INVALID_XML.sub("", _LINE_BREAK_CONTROLS.sub("\n", str(value)))


def _set_fonts(rpr) -> None:
    """Point an rPr at Arial for every script, dropping theme fonts that would override it."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _set_styles(doc: DocxDocument) -> None:
    """Make Arial, en-GB, 11pt, left-aligned text the document default, with dark headings."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    for attr in ("w:val", "w:eastAsia"):
        lang.set(qn(attr), LANGUAGE)
    # The template names theme fonts (Calibri, Cambria) in the defaults and in many styles.
    for fonts in styles.iter(qn("w:rFonts")):
        _set_fonts(fonts.getparent())

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    normal_rpr = normal.element.get_or_add_rPr()
    _set_fonts(normal_rpr)
    normal_lang = OxmlElement("w:lang")
    normal_lang.set(qn("w:val"), LANGUAGE)
    normal_lang.set(qn("w:eastAsia"), LANGUAGE)
    normal_rpr.append(normal_lang)

    for name, size, before in _HEADING_STYLES:
        style = doc.styles[name]
        style.hidden = False  # Heading 4 is hidden in the default template
        style.font.size = size
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = HEADING_COLOUR
        style.paragraph_format.space_before = before
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    # The template underlines the title with a pale blue rule; the plain title reads better.
    title_ppr = doc.styles["Title"].element.pPr
    if title_ppr is not None and title_ppr.find(qn("w:pBdr")) is not None:
        title_ppr.remove(title_ppr.find(qn("w:pBdr")))

    for name in ("Header", "Footer"):
        doc.styles[name].font.color.rgb = QUIET_COLOUR

    # Captions: the template's are 9pt blue italics; ours are body-sized, bold and dark.
    caption = doc.styles["Caption"]
    caption.font.size = BODY_SIZE
    caption.font.bold = True
    caption.font.italic = False
    caption.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    caption.paragraph_format.space_after = Pt(4)


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """Append a simple field (PAGE, NUMPAGES) whose value Word fills in when it lays out pages."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"  # shown until the field is updated
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _set_page(doc: DocxDocument, running_title: str) -> None:
    """A4 portrait, 2 cm margins, the running title above and "Page X of Y" below."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, _MARGIN)
    section.header_distance = section.footer_distance = Cm(1)

    section.header.paragraphs[0].text = _text(running_title)
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    _add_field(footer, "PAGE")
    footer.add_run(" of ")
    _add_field(footer, "NUMPAGES")


def _turn_page(doc: DocxDocument, orientation: WD_ORIENT) -> None:
    """Start a new A4 section on a new page in `orientation`; the header and footer carry on."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    short, long_ = Cm(21), Cm(29.7)
    section.orientation = orientation
    if orientation == WD_ORIENT.LANDSCAPE:
        section.page_width, section.page_height = long_, short
    else:
        section.page_width, section.page_height = short, long_


def _set_properties(doc: DocxDocument, model: ReportModel) -> None:
    props = doc.core_properties
    props.title = _text(model.title)
    props.subject = _text(f"{model.front.committee}: {model.front.period}")
    props.author = _text(model.front.report_author)
    props.last_modified_by = _text(model.front.report_author)
    props.language = LANGUAGE
    props.keywords = ""
    props.comments = ""
    # The blank template carries 2013 creation dates; no date is better than a wrong one,
    # and the model holds no machine-readable date to put there instead.
    for tag in ("dcterms:created", "dcterms:modified"):
        for stale in props._element.findall(qn(tag)):
            props._element.remove(stale)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _keep_row_whole(row, header: bool) -> None:
    # trPr schema order: ..., cantSplit, trHeight, tblHeader, ...
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _set_cell_margins(table: Table, side_twips: int) -> None:
    """Give every cell a little room above and below, and `side_twips` left and right."""
    margins = OxmlElement("w:tblCellMar")
    for side, width in (("top", 40), ("left", side_twips), ("bottom", 40), ("right", side_twips)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(width))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    # tblPr schema order: ..., tblLayout, tblCellMar, tblLook, tblCaption, tblDescription
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        table._tbl.tblPr.append(margins)


def _describe_table(table: Table, caption: str, description: str) -> None:
    """Give the table alternative text; caption and description must come last in tblPr."""
    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        tbl_pr.append(element)


def _caption(doc: DocxDocument, text: str, keep_with_next: bool = True) -> Paragraph:
    """Add a visible caption (the HTML's <caption> or <figcaption>)."""
    paragraph = doc.add_paragraph(_text(text), style="Caption")
    paragraph.paragraph_format.keep_with_next = keep_with_next
    return paragraph


def _add_table(
    doc: DocxDocument,
    model: ReportModel,
    key: str,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths_cm: Sequence[float],
    side_twips: int = 85,
    shown_caption: bool = False,
) -> Table:
    """Add a gridded table with a bold, shaded header row that repeats on every page.

    Its caption and description come from `model.tables[key]`; with `shown_caption` the
    caption is printed above it too. A short table is kept on one page; a long one at least
    keeps its header with its first row.
    """
    caption, description = model.tables[key]
    if shown_caption:
        _caption(doc, caption)
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _set_cell_margins(table, side_twips)
    keep_rows_with_next = len(rows) if len(rows) <= _SHORT_TABLE_ROWS else 1
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)

    for row_index, (row, values) in enumerate(zip(table.rows, [header, *rows])):
        is_header = row_index == 0
        _keep_row_whole(row, header=is_header)
        for cell, value, width in zip(row.cells, values, widths_cm):
            cell.width = Cm(width)
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.keep_with_next = row_index < keep_rows_with_next
            run = paragraph.add_run(_text(value))
            if is_header:
                run.bold = True
                _shade(cell, HEADER_FILL)

    _describe_table(table, _text(caption), _text(description))
    return table


def _add_chart(doc: DocxDocument, chart: StatusChart) -> None:
    """Add the chart as a picture whose alternative text states every number, then its caption."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    shape = paragraph.add_run().add_picture(io.BytesIO(chart_png(chart)), width=Cm(16))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", _text(chart.alt_text))
    doc_pr.set("title", _text(chart.caption))
    _caption(doc, chart.caption, keep_with_next=False)


def _labelled(
    doc: DocxDocument, label: str, text: str, colour: RGBColor | None = None
) -> Paragraph:
    """Add a paragraph with a bold label and its text, e.g. "Lead: Regulatory Services"."""
    paragraph = doc.add_paragraph()
    paragraph.add_run(label).bold = True
    if not text:
        return paragraph
    run = paragraph.add_run(_text(text))
    if colour is not None:
        run.font.color.rgb = colour
        run.bold = True
    return paragraph


def _front_sheet(doc: DocxDocument, model: ReportModel) -> None:
    doc.add_paragraph(_text(model.front.council), style="Title")
    doc.add_heading(_text(model.title), level=1)
    _add_table(doc, model, "front", COLUMNS["front"], model.front.rows(), (5.0, 12.0))
    contents = doc.add_paragraph()
    contents.paragraph_format.space_before = Pt(18)
    contents.add_run(WORDS["contents"]).bold = True
    for _key, heading in model.contents:
        doc.add_paragraph(_text(heading))


def _purpose_and_recommendation(doc: DocxDocument, model: ReportModel) -> None:
    heading = doc.add_heading(model.headings["purpose"], level=2)
    heading.paragraph_format.page_break_before = True  # the front sheet stands alone
    for text in model.purpose:
        doc.add_paragraph(_text(text))
    doc.add_heading(model.headings["recommendation"], level=2)
    doc.add_paragraph(_text(model.recommendation))


def _summary(doc: DocxDocument, model: ReportModel) -> None:
    doc.add_heading(model.headings["summary"], level=2)
    for text in model.summary:
        doc.add_paragraph(_text(text))
    _add_table(
        doc,
        model,
        "overall",
        COLUMNS["overall"],
        [*((line.status.value, line.count) for line in model.overall),
         (WORDS["total"], model.total_actions)],
        (6.0, 4.5),
        shown_caption=True,
    )
    doc.add_paragraph()  # two tables with nothing between them would merge into one
    status_words = [status.value for status in model.status_columns]
    # Narrow cell margins so a bold "Complete" fits its column at 11pt.
    count_width = 12.0 / max(len(status_words), 1)
    _add_table(
        doc,
        model,
        "by_priority",
        (WORDS["priority"], *status_words, WORDS["total"]),
        [(p.heading, *p.counts, p.total) for p in model.by_priority],
        (3.7, *[count_width] * len(status_words), 1.3),
        side_twips=57,
        shown_caption=True,
    )
    if model.chart is not None:
        _add_chart(doc, model.chart)


def _exceptions(doc: DocxDocument, model: ReportModel) -> None:
    doc.add_heading(model.headings["exceptions"], level=2)
    # The intro stays with the table, so a table that moves to the next page takes its
    # heading with it instead of leaving it alone at the foot of a page.
    doc.add_paragraph(_text(model.exceptions_intro)).paragraph_format.keep_with_next = True
    if not model.exceptions:
        doc.add_paragraph(WORDS["no_exceptions"])
        return
    _add_table(
        doc,
        model,
        "exceptions",
        COLUMNS["exceptions"],
        [(e.severity, e.code, e.action_id, e.service_area, e.message, e.source)
         for e in model.exceptions],
        (2.2, 5.4, 1.9, 3.6, 7.8, 4.8),
    )


def _returns(doc: DocxDocument, model: ReportModel) -> None:
    doc.add_heading(model.headings["returns"], level=2)
    doc.add_paragraph(_text(model.returns_intro)).paragraph_format.keep_with_next = True
    if not model.returns:
        return
    _add_table(
        doc,
        model,
        "returns",
        COLUMNS["returns"],
        [(r.service_area, r.received, r.file, r.completed_by, r.approved_by, r.date_completed,
          r.actions_covered, r.actions_updated, r.outstanding) for r in model.returns],
        (3.3, 2.2, 4.7, 3.0, 3.0, 2.8, 2.0, 2.0, 2.7),
    )


def _action(doc: DocxDocument, action: ActionEntry) -> None:
    doc.add_heading(_text(f"{action.id} {action.objective}"), level=4)

    def field(key: str, text: str, colour: RGBColor | None = None) -> Paragraph:
        return _labelled(doc, f"{LABELS[key]}: ", text, colour)

    field("status", action.status.value, STATUS_COLOURS.get(action.status))
    if action.forecast is not None:
        field("forecast", action.forecast.value, STATUS_COLOURS.get(action.forecast))
    if action.travel is not None:
        travel = field("travel", "")
        travel.add_run(_text(f"{action.travel.arrow} {action.travel.value}")).bold = True
        if action.travel_detail:
            travel.add_run(_text(f" ({action.travel_detail})"))
    field("what_we_will_do", action.what_we_will_do)
    field("lead", action.lead)
    field("partners", action.partners)
    field("cadence", action.cadence)
    field("due_date", action.due_date)
    if action.revised_date:
        field("revised_date", action.revised_date)
    if action.milestones:
        field("milestones", "").paragraph_format.keep_with_next = True
        for milestone in action.milestones:
            doc.add_paragraph(_text(milestone), style="List Bullet")
    else:
        field("milestones", WORDS["no_milestone"])
    field("target", action.target)
    field("progress_update", action.progress_update)
    field("next_steps", action.next_steps)
    field("flags", action.flags_text)


def _actions(doc: DocxDocument, model: ReportModel) -> None:
    doc.add_heading(model.headings["actions"], level=2)
    for section in model.sections:
        doc.add_heading(_text(section.heading), level=3)
        for action in section.actions:
            _action(doc, action)


def _appendices(doc: DocxDocument, model: ReportModel) -> None:
    heading = doc.add_heading(model.headings["status_key"], level=2)
    heading.paragraph_format.page_break_before = True  # each appendix starts a page
    _add_table(doc, model, "status_key", COLUMNS["status_key"], model.status_key,
               (3.5, 13.5), shown_caption=True)
    if model.travel_key:
        doc.add_paragraph()  # two tables with nothing between them would merge into one
        _add_table(
            doc, model, "travel_key", COLUMNS["travel_key"],
            [(f"{line.travel.arrow} {line.travel.value}", line.meaning)
             for line in model.travel_key],
            (4.5, 12.5), shown_caption=True)
    if model.glossary:
        heading = doc.add_heading(model.headings["glossary"], level=2)
        heading.paragraph_format.page_break_before = True
        _add_table(doc, model, "glossary", COLUMNS["glossary"], model.glossary, (3.0, 14.0))


def render_docx(model: ReportModel) -> bytes:
    """Give the report as the bytes of a Word document, laid out from `model` alone.

    Exceptions and returns sit on landscape pages so their wide tables stay readable at
    11pt; everything else is A4 portrait.
    """
    doc = Document()
    _set_styles(doc)
    _set_page(doc, model.running_title)
    _set_properties(doc, model)

    _front_sheet(doc, model)
    _purpose_and_recommendation(doc, model)
    _summary(doc, model)
    _turn_page(doc, WD_ORIENT.LANDSCAPE)
    _exceptions(doc, model)
    _returns(doc, model)
    _turn_page(doc, WD_ORIENT.PORTRAIT)
    _actions(doc, model)
    _appendices(doc, model)
    generated = doc.add_paragraph()
    generated.paragraph_format.space_before = Pt(18)
    generated.add_run(_text(model.generated)).font.color.rgb = QUIET_COLOUR

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
