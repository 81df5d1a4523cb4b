"""Build a Word version of Harborough's published health and wellbeing action plan table.

The council published its plan as a Word table: a row of headings, then each priority as a
row merged across the table ("Priority 1 - Housing for all") and each action as a row. Only
a PDF extraction of that table is kept (`../shared/seeds/000_74f83aadcf993b4d.txt`), so this
module rebuilds the Word table from it, to test `reporting plan import` on what the council
really publishes:

- the seven headings as the seed shows them, under a row of letterhead text
  ("Harborough District Council (HDC)") that the import must pass over;
- "By when" is "2022/23" and "Who will deliver this?" is the seed's own text, with a line
  break where the extraction ran two bodies together ("Planning Policy Health & Wellbeing");
- 2.c and 2.d, run together by the extraction, are two rows;
- the milestones one paragraph each, from the bundled plan workbook's Milestones sheet (the
  extraction lost their line breaks), and Objective, What we will do and Target/Outcome from
  its Actions sheet, so an import can be compared with the workbook made by hand.

Run `python tests/seed_plan_docx.py OUT.docx` to write the document.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_PLAN = ROOT / "inputs" / "plan" / "health-and-wellbeing-action-plan-2022-23.xlsx"

HEADINGS = ("No.", "Objective", "What we will do", "By when", "Who will deliver this?",
            "Milestones", "Target/Outcome")
LETTERHEAD = ("", "", "Harborough District Council (HDC)", "", "1", "", "")
BY_WHEN = "2022/23"

PRIORITIES = (
    ("1", "Housing for all"),
    ("2", "Community Infrastructure"),
    ("3", "Skills, Jobs & Income"),
    ("4", "Stronger Communities"),
    ("5", "Mental Health"),
    ("6", "Physical Activity"),
)

# "Who will deliver this?" as the seed shows it; "\n" where the extraction ran two bodies
# together without a comma (a line break in the council's table).
WHO_WILL_DELIVER = {
    "1.a": "Planning Policy, Registered Providers.",
    "1.b": "Regulatory Services",
    "1.c": "Regulatory Services",
    "1.d": "Regulatory Services, district and county partners.",
    "1.e": "Housing, Chief Housing Officers Group, Registered Providers",
    "2.a": "Planning Policy\nHealth & Wellbeing",
    "2.b": "Planning Policy, Health & Wellbeing, parish and town councils, community and "
           "voluntary groups.",
    "2.c": "Health & Wellbeing\nEnvironmental Services\nParish Councils , Town councils",
    "2.d": "Health & Wellbeing\nCanals & Rivers Trust",
    "3.a": "Health & Wellbeing\nEconomic Development, local businesses",
    "3.b": "Economic Development, local businesses",
    "3.c": "Community Partnerships , voluntary and community groups",
    "4.a": "Community Partnerships, Community and Voluntary sector organisations",
    "4.b": "Community Partnerships, Local Area Co-ordinators (LCC), CCG/ICS",
    "4.c": "Community Partnerships, LOROS, Local Area Co-ordinators (LCC)",
    "5.a": "Human Resources",
    "5.b": "Health & Wellbeing\nEarly Help Services, LCC, CCG/ICS",
    "5.c": "Communications\nCommunity Partnerships\nLeicestershire Partnership Trust, ICS",
    "5.d": "Community Partnerships\nLeicestershire Partnership Trust",
    "6.a": "Health & Wellbeing\nSSPAN",
    "6.b": "Health & Wellbeing Team , town and parish councils, community and voluntary "
           "groups, Leisure provider.",
    "6.c": "Health & Wellbeing Team , town and parish councils, community and voluntary "
           "groups, Leisure provider.",
    "6.d": "Everyone Active\nHealth & Wellbeing Team",
    "6.e": "Health & Wellbeing\nEconomic Development",
    "6.f": "Regulatory Services",
}


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def bundled_rows(path: Path = BUNDLED_PLAN) -> tuple[list[dict], dict[str, list[str]]]:
    """Give the bundled workbook's actions (column -> text) and milestones by reference."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook["Actions"].iter_rows(values_only=True)
        header = [_text(v) for v in next(rows)]
        actions = [dict(zip(header, (_text(v) for v in row))) for row in rows if any(row)]
        milestones: dict[str, list[str]] = {}
        rows = workbook["Milestones"].iter_rows(values_only=True)
        next(rows)
        for reference, text, *_ in rows:
            if reference:
                milestones.setdefault(_text(reference), []).append(_text(text))
    finally:
        workbook.close()
    return actions, milestones


def _fill(cell, text: str) -> None:
    """Write `text` into a cell, one paragraph a line."""
    lines = text.split("\n") if text else [""]
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def build(path: Path) -> Path:
    """Write the Word version of the seed's table to `path`; give `path`."""
    actions, milestones = bundled_rows()
    document = Document()
    document.add_heading("Health and Wellbeing Action Plan 2022/23", level=1)
    table = document.add_table(rows=0, cols=len(HEADINGS))
    table.style = "Table Grid"
    for texts in (LETTERHEAD, HEADINGS):
        row = table.add_row()
        for cell, text in zip(row.cells, texts):
            _fill(cell, text)
    for key, title in PRIORITIES:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])  # one cell across the table
        _fill(merged, f"Priority {key} - {title}")
        for action in (a for a in actions if a["Priority"] == key):
            reference = action["Action ID"]
            texts = (reference, action["Objective"], action["What we will do"], BY_WHEN,
                     WHO_WILL_DELIVER[reference], "\n".join(milestones.get(reference, ())),
                     action["Target/Outcome"])
            for cell, text in zip(table.add_row().cells, texts):
                _fill(cell, text)
    document.add_paragraph("Harborough District Council, Health and Wellbeing Action Plan.")
    path = Path(path)
    document.save(str(path))
    return path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python tests/seed_plan_docx.py OUT.docx", file=sys.stderr)
        return 2
    print(build(Path(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
