"""The Word paper's tables and chart: header rows that repeat, rows that do not split,
status and travel words with their colour and symbol, captions and alternative text, links
and bookmarks from the exceptions to their actions' rows."""

from __future__ import annotations

import io

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from reporting.render.word_look import (
    CONTENTS_LEVELS,
    HEADER_FILL,
    LINK_COLOUR,
    STATUS_COLOURS,
    word_text,
)
from reporting.report.by_priority import StatusChart
from reporting.report.tables import (
    LEAD_LINE,
    STATUS_BADGE,
    TRAVEL_BADGE,
    Column,
    Link,
    RowGroup,
    Table,
)
from reporting.report.travel import Travel
from reporting.status import Status

# The model gives statuses and directions of travel as their words; these find their colour
# and arrow.
_STATUSES = {status.value: status for status in Status}
_TRAVELS = {travel.value: travel for travel in Travel}

# Tables up to this many body rows are kept whole on one page (a landscape page holds
# about eight rows of the wide tables).
_SHORT_TABLE_ROWS = 8


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
    run = paragraph.add_run(word_text(link.text))
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
    paragraph = doc.add_paragraph(word_text(text), style="Caption")
    paragraph.paragraph_format.keep_with_next = keep_with_next
    return paragraph


# Column widths of each table in cm (every page is portrait: 17 cm between the margins).
_WIDTHS: dict[str, tuple[float, ...]] = {
    "front": (5.0, 12.0),
    "exceptions": (4.4, 4.3, 5.6, 2.7),
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


def _group_row(row, group: RowGroup, bookmarks: list[str]) -> None:
    """Make `row` one cell across the table naming `group` (a priority), kept with the row
    after it; a bookmark where the contents link to it, and Heading 3's outline level, so
    that Word's contents list it as they list the priorities' headings."""
    cell = row.cells[0].merge(row.cells[-1])
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(2)
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run(word_text(group.heading))
    run.bold = True
    run.font.size = Pt(10.5)
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), str(CONTENTS_LEVELS[1] - 1))
    paragraph._p.get_or_add_pPr().append(level)
    if group.anchor:
        bookmarks.append(group.anchor)
        _bookmark(paragraph, group.anchor, len(bookmarks))


def add_table(doc: DocxDocument, table: Table, bookmarks: list[str]) -> DocxTable:
    """Add `table` gridded, with a bold, shaded header row that repeats on every page.

    Its caption and description are its alternative text; a shown caption is printed above
    it too. Each group of body rows (a priority's) is led by a row naming it. Footer rows
    (the totals) follow the body once, the last marked as the total row. A short table is
    kept on one page; a long one at least keeps its header with its first row. A row's
    anchor is a bookmark on its first cell (`bookmarks`: the names so far, which give each
    its number), and a row's link a hyperlink at the start of its first cell.
    """
    if table.caption_shown:
        _caption(doc, table.caption)
    widths_cm = _widths(table)
    # Each row of the grid: ("header", values), ("group", RowGroup), ("body", index, values)
    # or ("footer", values).
    lines: list[tuple] = [("header", table.headings)]
    for group, indexes in table.grouped():
        if group is not None:
            lines.append(("group", group))
        lines += [("body", i, [_cell_text(column, value)
                               for column, value in zip(table.columns, table.rows[i])])
                  for i in indexes]
    lines += [("footer", list(row)) for row in table.footer]
    grid = doc.add_table(rows=len(lines), cols=len(table.columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    _set_cell_margins(grid, _SIDE_MARGINS.get(table.key, 85))
    body_rows = len(lines) - 1
    keep_rows_with_next = body_rows if body_rows <= _SHORT_TABLE_ROWS else 1
    for column, width in zip(grid.columns, widths_cm):
        column.width = Cm(width)

    for row_index, (row, line) in enumerate(zip(grid.rows, lines)):
        is_header = line[0] == "header"
        _keep_row_whole(row, header=is_header)
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
        if line[0] == "group":
            _group_row(row, line[1], bookmarks)
            continue
        body_index = line[1] if line[0] == "body" else None
        values = line[-1]
        for cell, value, column in zip(row.cells, values, table.columns):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.keep_with_next = row_index < keep_rows_with_next
            text, lead = word_text(value), ""
            if not is_header and LEAD_LINE in text:
                text, lead = text.rsplit(LEAD_LINE, 1)
            first_of_body_row = column is table.columns[0] and body_index is not None
            link = table.link_of(body_index) if first_of_body_row else None
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
            if first_of_body_row and table.anchor_of(body_index):
                bookmarks.append(table.anchor_of(body_index))
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
    _describe_table(grid, word_text(table.caption), word_text(table.description))
    return grid


def add_chart(doc: DocxDocument, chart: StatusChart, picture: bytes | None) -> None:
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
    doc_pr.set("descr", word_text(chart.alt_text))
    doc_pr.set("title", word_text(chart.caption))
    _caption(doc, chart.caption, keep_with_next=False)


