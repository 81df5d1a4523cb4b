"""The Word view of a ReportModel: an editable twin of the HTML/PDF report.

It lays out what the model says, in the model's words and order, and works nothing out
itself. Accessibility for committee papers is built in: real heading styles, en-GB
language, Arial 11pt and up, tables with repeating header rows, alternative-text captions
and rows that do not split, status colours with enough contrast and always with the word.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from reporting.render.word_look import (
    BODY_SIZE,
    CONTENTS_LEVELS,
    FONT,
    HEADING_COLOUR,
    LANGUAGE,
    MARGIN,
    QUIET_COLOUR,
    word_text,
)
from reporting.render.word_tables import add_chart, add_table
from reporting.report import outline
from reporting.report.model import ReportModel
from reporting.report.words import WORDS

# (style name, size, space before) for the styles this document uses as headings.
_HEADING_STYLES = (
    ("Title", Pt(14), Pt(0)),
    ("Heading 1", Pt(20), Pt(12)),
    ("Heading 2", Pt(16), Pt(18)),
    ("Heading 3", Pt(14), Pt(16)),
    ("Heading 4", Pt(12), Pt(14)),
)


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
        setattr(section, side, MARGIN)
    section.header_distance = section.footer_distance = Cm(1)

    section.header.paragraphs[0].text = word_text(running_title)
    # The cover carries no running header (its own title is the first thing read), but is
    # numbered like every other page.
    section.different_first_page_header_footer = True
    for footer in (section.footer.paragraphs[0], section.first_page_footer.paragraphs[0]):
        footer.add_run("Page ")
        _add_field(footer, "PAGE")
        footer.add_run(" of ")
        _add_field(footer, "NUMPAGES")



def _mark_draft(doc: DocxDocument, mark: str) -> None:
    """Mark every page, the cover's too, and the file's properties: a draft awaiting
    clearance must never pass for the published paper."""
    section = doc.sections[0]
    for header in (section.header, section.first_page_header):
        run = header.paragraphs[0].insert_paragraph_before().add_run(word_text(mark))
        run.bold = True
    props = doc.core_properties
    props.title = word_text(f"{mark}: {props.title}")
    props.content_status = "Draft"
    props.keywords = "Draft"
    props.comments = word_text(mark)


def _set_properties(doc: DocxDocument, model: ReportModel) -> None:
    props = doc.core_properties
    props.title = word_text(model.title)
    props.subject = word_text(f"{model.front.committee}: {model.front.period}")
    props.author = word_text(model.front.report_author)
    props.last_modified_by = word_text(model.front.report_author)
    props.language = LANGUAGE
    props.keywords = ""
    props.comments = ""
    # The blank template carries 2013 creation dates; no date is better than a wrong one,
    # and the model holds no machine-readable date to put there instead.
    for tag in ("dcterms:created", "dcterms:modified"):
        for stale in props._element.findall(qn(tag)):
            props._element.remove(stale)



def _front_sheet(doc: DocxDocument, model: ReportModel) -> None:
    doc.add_paragraph(word_text(model.front.council), style="Title")
    doc.add_heading(word_text(model.title), level=1)
    add_table(doc, model.tables["front"], [])
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


def _table_of_contents(doc: DocxDocument, lines) -> None:
    """A TOC field over the section headings and the priorities under them, which Word
    fills in with page numbers when the file is opened; until then (and in readers that do
    not update fields) it shows the headings themselves, a priority indented under its
    section."""
    first_level, last_level = CONTENTS_LEVELS
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
        paragraph.add_run(word_text(line.heading))
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
        paragraph.add_run(word_text(block.label) + " ").bold = True
    paragraph.add_run(word_text(block.text))
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
            add_table(doc, block.table, bookmarks)
        elif block.kind == "chart":
            add_chart(doc, block.chart, chart_picture)
        elif block.kind == "items":
            for item in block.items:
                doc.add_paragraph(word_text(item), style="List Bullet")
        elif block.kind == "subsection":
            doc.add_heading(word_text(block.heading), level=level + 1)
            _blocks(doc, block.blocks, chart_picture, level + 1, bookmarks)
        after_table = block.kind == "table"


def _sections(doc: DocxDocument, model: ReportModel, chart_picture: bytes | None) -> None:
    """Draw the paper's sections in the model's order."""
    bookmarks: list[str] = []
    for section in model.outline:
        heading = doc.add_heading(word_text(section.heading), level=2)
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
    return _with_fixed_times(buffer.getvalue())


# Every part of the Word file carries this time, not the moment it was saved: the same paper
# is the same bytes, so a paper made again unchanged is never taken for a changed one (the
# sent record compares the papers' sha256 with those mailed).
_PART_TIME = (1980, 1, 1, 0, 0, 0)


def _with_fixed_times(data: bytes) -> bytes:
    """Give the .docx `data` with each zip entry's time set to `_PART_TIME`, its bytes and
    order as they were."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_PART_TIME)
            fixed.compress_type, fixed.external_attr = info.compress_type, info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
