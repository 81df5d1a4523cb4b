"""The Word view of a ReportModel: an editable twin of the HTML/PDF report.

It lays out what the model says, in the model's words and order, and works nothing out
itself. Accessibility for committee papers is built in: real heading styles, en-GB
language, Arial 11pt and up, tables with repeating header rows, alternative-text captions
and rows that do not split, status colours with enough contrast and always with the word.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from reporting.report import outline
from reporting.report.by_priority import StatusChart
from reporting.report.model import ReportModel
from reporting.report.tables import LEAD_LINE, STATUS_BADGE, TRAVEL_BADGE, Column, Link, Table
from reporting.report.travel import Travel
from reporting.report.words import WORDS
from reporting.status import Status

FONT = "Arial"
LANGUAGE = "en-GB"
BODY_SIZE = Pt(11)
HEADING_COLOUR = RGBColor(0x1F, 0x38, 0x64)  # dark navy, 12:1 on white
QUIET_COLOUR = RGBColor(0x59, 0x59, 0x59)  # dark grey, 7:1 on white
HEADER_FILL = "D9D9D9"  # table header rows: black text on light grey
LINK_COLOUR = RGBColor(0x1D, 0x70, 0xB8)  # the PDF's link blue, 5.2:1 on white

# Colour for a status word in a table. Each is at least 4.5:1 on white and the
# word is always printed, so colour never carries the meaning alone.
STATUS_COLOURS: dict[Status, RGBColor] = {
    Status.OFF_TRACK: RGBColor(0xC0, 0x00, 0x00),
    Status.AT_RISK: RGBColor(0x8A, 0x4B, 0x00),
    Status.NO_UPDATE: RGBColor(0x59, 0x59, 0x59),
    Status.NOT_GIVEN: RGBColor(0x59, 0x59, 0x59),
    Status.NOT_STARTED: RGBColor(0x59, 0x59, 0x59),
    Status.ON_TRACK: RGBColor(0x00, 0x61, 0x00),
    Status.COMPLETE: RGBColor(0x1F, 0x4E, 0x79),
}

# The model gives statuses and directions of travel as their words; these find their colour
# and arrow.
_STATUSES = {status.value: status for status in Status}
_TRAVELS = {travel.value: travel for travel in Travel}

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
    # The cover carries no running header (its own title is the first thing read), but is
    # numbered like every other page.
    section.different_first_page_header_footer = True
    for footer in (section.footer.paragraphs[0], section.first_page_footer.paragraphs[0]):
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


def _mark_draft(doc: DocxDocument, mark: str) -> None:
    """Mark every page, the cover's too, and the file's properties: a draft awaiting
    clearance must never pass for the published paper."""
    section = doc.sections[0]
    for header in (section.header, section.first_page_header):
        run = header.paragraphs[0].insert_paragraph_before().add_run(_text(mark))
        run.bold = True
    props = doc.core_properties
    props.title = _text(f"{mark}: {props.title}")
    props.content_status = "Draft"
    props.keywords = "Draft"
    props.comments = _text(mark)


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


def _set_cell_margins(table: DocxTable, side_twips: int) -> None:
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


def _mark_total_row(table: DocxTable) -> None:
    """Mark the last row as the table's total row (Word's "Total Row" table style option),
    as <tfoot> marks it in the HTML."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(look)
    look.set(qn("w:lastRow"), "1")
    if look.get(qn("w:val")):  # the legacy bit mask says the same: 0x0040 is the last row
        look.set(qn("w:val"), f"{int(look.get(qn('w:val')), 16) | 0x0040:04X}")


def _bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """Make `paragraph`'s text (its runs so far) the bookmark `name`, which internal
    hyperlinks jump to."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    properties = paragraph._p.pPr
    if properties is not None:
        properties.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def _add_link(paragraph: Paragraph, link: Link):
    """Add `link.text` to `paragraph` as an internal hyperlink to the bookmark `link.anchor`;
    give its run (python-docx has no API for an internal hyperlink)."""
    run = paragraph.add_run(_text(link.text))
    run.font.color.rgb = LINK_COLOUR
    run.font.underline = True
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("w:anchor"), link.anchor)
    hyperlink.set(qn("w:history"), "1")
    run._r.addprevious(hyperlink)
    hyperlink.append(run._r)
    return run


def _describe_table(table: DocxTable, caption: str, description: str) -> None:
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


# Column widths of each table in cm (every page is portrait: 17 cm between the margins).
_WIDTHS: dict[str, tuple[float, ...]] = {
    "front": (5.0, 12.0),
    "exceptions": (5.2, 4.0, 5.5, 2.3),
    "returns": (4.1, 2.0, 3.1, 2.4, 2.4, 3.0),
    "status_key": (3.5, 13.5),
    "travel_key": (4.5, 12.5),
    "glossary": (3.0, 14.0),
}
# The actions table's columns vary (a six-monthly paper's quarters, a forecast column only
# when a return gave one): widths by column, shared out over the 17 cm.
_ACTION_WIDTHS = {"action-id": 1.1, "objective": 4.1, "earlier": 2.0,
                  "status": 2.0, "forecast": 2.0, "travel": 2.2, "message": 5.9}
# The wide tables' type size in points, as in the PDF: the exceptions and the appendix,
# which hold every action of a large plan, at 9; the others a point smaller than the text.
_SMALL_TABLES = {"exceptions": 9, "actions": 9, "returns": 10, "by_priority": 10,
                 "status_key": 10, "travel_key": 10, "glossary": 10}

# Cell margins left and right in twips, where not the usual 85: narrow for the by-priority
# table, so a bold "Complete" (1.61 cm at 10pt) fits its count column whole.
_SIDE_MARGINS = {"by_priority": 45}


def _widths(table: Table) -> tuple[float, ...]:
    """Give the width of each column of `table`, in cm."""
    if table.key in _WIDTHS:
        return _WIDTHS[table.key]
    if table.key == "actions":
        widths = [_ACTION_WIDTHS[column.name] for column in table.columns]
        return tuple(w * 17.0 / sum(widths) for w in widths)
    # A row heading, then counts sharing 12 cm, then a total (the by-priority table).
    counts = max(len(table.columns) - 2, 1)
    return (3.2, *[12.6 / counts] * counts, 1.2)


def _cell_text(column: Column, value: str) -> str:
    """Give a body cell's text: a direction of travel keeps its arrow, as beside an action."""
    if column.badge == TRAVEL_BADGE and value in _TRAVELS:
        return f"{_TRAVELS[value].arrow} {value}"
    return value


def _add_table(doc: DocxDocument, table: Table, bookmarks: list[str]) -> DocxTable:
    """Add `table` gridded, with a bold, shaded header row that repeats on every page.

    Its caption and description are its alternative text; a shown caption is printed above
    it too. Footer rows (the totals) follow the body once, the last marked as the total row.
    A short table is kept on one page; a long one at least keeps its header with its first
    row. A row's anchor is a bookmark on its first cell (`bookmarks`: the names so far, which
    give each its number), and a row's link a hyperlink at the start of its first cell.
    """
    if table.caption_shown:
        _caption(doc, table.caption)
    widths_cm = _widths(table)
    body = [[_cell_text(column, value) for column, value in zip(table.columns, row)]
            for row in table.rows] + [list(row) for row in table.footer]
    grid = doc.add_table(rows=1 + len(body), cols=len(table.columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    _set_cell_margins(grid, _SIDE_MARGINS.get(table.key, 85))
    keep_rows_with_next = len(body) if len(body) <= _SHORT_TABLE_ROWS else 1
    for column, width in zip(grid.columns, widths_cm):
        column.width = Cm(width)

    for row_index, (row, values) in enumerate(zip(grid.rows, [table.headings, *body])):
        is_header = row_index == 0
        _keep_row_whole(row, header=is_header)
        for cell, value, width, column in zip(row.cells, values, widths_cm, table.columns):
            cell.width = Cm(width)
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.keep_with_next = row_index < keep_rows_with_next
            text, lead = _text(value), ""
            if not is_header and LEAD_LINE in text:
                text, lead = text.rsplit(LEAD_LINE, 1)
            first_of_body_row = column is table.columns[0] and 0 < row_index <= len(table.rows)
            link = table.link_of(row_index - 1) if first_of_body_row else None
            if link is not None and text.startswith(link.text):
                linked = _add_link(paragraph, link)
                if table.key in _SMALL_TABLES:
                    linked.font.size = Pt(_SMALL_TABLES[table.key])
                text = text[len(link.text):]
            run = paragraph.add_run(text)
            if lead:  # the lead service under an action, set apart in grey as in the PDF
                lead_run = paragraph.add_run(f"{LEAD_LINE}{lead}")
                lead_run.font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)
            if table.key in _SMALL_TABLES:
                for each in paragraph.runs:
                    each.font.size = Pt(_SMALL_TABLES[table.key])
            if first_of_body_row and table.anchor_of(row_index - 1):
                bookmarks.append(table.anchor_of(row_index - 1))
                _bookmark(paragraph, bookmarks[-1], len(bookmarks))
            if is_header:
                run.bold = True
                _shade(cell, HEADER_FILL)
            elif column.badge == STATUS_BADGE and value in _STATUSES:
                # The word is always there; its colour only repeats it.
                run.bold = True
                run.font.color.rgb = STATUS_COLOURS[_STATUSES[value]]

    if table.footer:
        _mark_total_row(grid)
    _describe_table(grid, _text(table.caption), _text(table.description))
    return grid


def _add_chart(doc: DocxDocument, chart: StatusChart, picture: bytes | None) -> None:
    """Add the chart as a picture whose alternative text states every number, then its caption.

    `picture` is the chart already drawn as PNG, else it is drawn here (matplotlib is
    imported only then: the Word child is given the picture and stays small)."""
    if picture is None:
        from reporting.render.chart import chart_png

        picture = chart_png(chart)
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    shape = paragraph.add_run().add_picture(io.BytesIO(picture), width=Cm(12.5))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", _text(chart.alt_text))
    doc_pr.set("title", _text(chart.caption))
    _caption(doc, chart.caption, keep_with_next=False)


def _front_sheet(doc: DocxDocument, model: ReportModel) -> None:
    doc.add_paragraph(_text(model.front.council), style="Title")
    doc.add_heading(_text(model.title), level=1)
    _add_table(doc, model.tables["front"], [])
    contents = doc.add_paragraph()
    contents.paragraph_format.space_before = Pt(18)
    contents.add_run(WORDS["contents"]).bold = True
    _table_of_contents(doc, model.contents_lines)


def _field_char(kind: str) -> OxmlElement:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


# The settings that follow w:updateFields in WordprocessingML's schema (CT_Settings).
_AFTER_UPDATE = frozenset({
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator"})


# The contents list the sections (Heading 2) and the priorities under them (Heading 3).
_CONTENTS_LEVELS = (2, 3)


def _table_of_contents(doc: DocxDocument, lines) -> None:
    """A TOC field over the section headings and the priorities under them, which Word
    fills in with page numbers when the file is opened; until then (and in readers that do
    not update fields) it shows the headings themselves, a priority indented under its
    section."""
    first_level, last_level = _CONTENTS_LEVELS
    paragraphs = [doc.add_paragraph() for _ in lines]
    first = paragraphs[0]._p
    first.append(_field_char("begin"))
    instruction = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f' TOC \\o "{first_level}-{last_level}" \\h \\z \\u '
    instruction.append(text)
    first.append(instruction)
    first.append(_field_char("separate"))
    for paragraph, line in zip(paragraphs, lines):
        paragraph.add_run(_text(line.heading))
        if line.level > 1:
            paragraph.paragraph_format.left_indent = Cm(0.6 * (line.level - 1))
    paragraphs[-1]._p.append(_field_char("end"))
    # Ask Word to update the fields (the contents' page numbers) as it opens the file.
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # Word reads settings in the schema's order: updateFields comes before these.
    later = next((child for child in settings if child.tag.rsplit("}", 1)[-1] in _AFTER_UPDATE),
                 None)
    if later is None:
        settings.append(update)
    else:
        later.addprevious(update)


def _paragraph(doc: DocxDocument, block: outline.Paragraph) -> None:
    paragraph = doc.add_paragraph()
    if block.number:
        paragraph.add_run(f"{block.number}\t")
        # The number hangs in the margin's first 1.1 cm, the text aligned after it.
        paragraph.paragraph_format.left_indent = Cm(1.1)
        paragraph.paragraph_format.first_line_indent = Cm(-1.1)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(1.1))
    if block.label:
        paragraph.add_run(_text(block.label) + " ").bold = True
    paragraph.add_run(_text(block.text))
    if block.style == "intro":
        # The intro stays with its table, so a table that moves to the next page takes its
        # heading with it instead of leaving it alone at the foot of a page.
        paragraph.paragraph_format.keep_with_next = True


def _blocks(doc: DocxDocument, blocks, chart_picture: bytes | None, level: int,
            bookmarks: list[str]) -> None:
    """Draw each block of a section in order, each kind one way (`bookmarks`: the rows'
    bookmarks so far)."""
    after_table = False
    for block in blocks:
        if block.kind == "paragraph":
            _paragraph(doc, block)
        elif block.kind == "table":
            if after_table:
                doc.add_paragraph()  # two tables with nothing between them would merge
            _add_table(doc, block.table, bookmarks)
        elif block.kind == "chart":
            _add_chart(doc, block.chart, chart_picture)
        elif block.kind == "items":
            for item in block.items:
                doc.add_paragraph(_text(item), style="List Bullet")
        elif block.kind == "subsection":
            doc.add_heading(_text(block.heading), level=level + 1)
            _blocks(doc, block.blocks, chart_picture, level + 1, bookmarks)
        after_table = block.kind == "table"


def _sections(doc: DocxDocument, model: ReportModel, chart_picture: bytes | None) -> None:
    """Draw the paper's sections in the model's order."""
    bookmarks: list[str] = []
    for section in model.outline:
        heading = doc.add_heading(_text(section.heading), level=2)
        heading.paragraph_format.page_break_before = section.page_break
        _blocks(doc, section.blocks, chart_picture, 2, bookmarks)


def render_docx(model: ReportModel, chart_picture: bytes | None = None) -> bytes:
    """Give the report as the bytes of a Word document, laid out from `model` alone
    (`chart_picture`: its chart already drawn as PNG, if it was).

    Every page is A4 portrait; the wide tables are set small enough to fit it (_WIDTHS).
    """
    doc = Document()
    _set_styles(doc)
    _set_page(doc, model.running_title)
    _set_properties(doc, model)
    if model.draft_mark:
        _mark_draft(doc, model.draft_mark)

    _front_sheet(doc, model)
    _sections(doc, model, chart_picture)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
