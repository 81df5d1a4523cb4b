"""The paper's outline: its sections in reading order, each a list of blocks.

Every renderer walks the outline and draws each kind of block one way (a paragraph, a
table, its rows perhaps in groups under a priority, the chart, a list, a sub-section); none of them knows which sections a
paper has or in what order. Numbers come from a section's place in the list, never from
its title: sections 1, 2, 3 ..., appendices A, B, C, and in the numbered sections every
paragraph its own number (1.1, 1.2 ...) for members to cite, the same in every document.

Where a reader can jump is decided here too: every anchor (a section's, a priority's, an
action's row) is named by `anchor`, and the contents are `contents_lines` of the outline.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from string import ascii_uppercase
from typing import Any, ClassVar, Union


@dataclass(frozen=True)
class Paragraph:
    text: str
    label: str = ""  # a bold lead-in, such as "Financial."
    style: str = ""  # "recommendation", "intro": how the documents set it apart
    number: str = ""  # "5.2", given by `number_sections`
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class TableBlock:
    table: Any  # a reporting.report.tables.Table
    kind: ClassVar[str] = "table"


@dataclass(frozen=True)
class ChartBlock:
    chart: Any  # a reporting.report.model.StatusChart
    kind: ClassVar[str] = "chart"


@dataclass(frozen=True)
class Items:
    """A bulleted list (the background papers)."""

    items: tuple[str, ...]
    kind: ClassVar[str] = "items"


@dataclass(frozen=True)
class Subsection:
    """A heading one level down and what follows it (the delivery exceptions and Appendix A
    group their rows by priority in one table instead: `Table.groups`)."""

    heading: str
    blocks: tuple[Block, ...]
    anchor: str = ""  # where the contents link to it, "" when they do not list it
    kind: ClassVar[str] = "subsection"


Block = Union[Paragraph, TableBlock, ChartBlock, Items, Subsection]


@dataclass(frozen=True)
class Draft:
    """A section before numbering: its key (its anchor in the HTML), title and blocks."""

    key: str
    title: str
    blocks: tuple[Block, ...]
    appendix: bool = False
    page_break: bool = False  # the PDF and the Word file start it on a new page


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    number: str  # "1" ... for a section, "A" ... for an appendix
    appendix: bool
    blocks: tuple[Block, ...]
    page_break: bool = False

    @property
    def heading(self) -> str:
        """The heading as printed: "6. Delivery exceptions", "Appendix A: status key"."""
        if self.appendix:
            return f"Appendix {self.number}: {self.title}"
        return f"{self.number}. {self.title}"

    @property
    def anchor(self) -> str:
        return self.key.replace("_", "-")


@dataclass(frozen=True)
class ContentsLine:
    """One line of the contents: a section (level 1) or a priority under it (level 2)."""

    anchor: str
    heading: str
    level: int


# A Word bookmark name is at most 40 characters, letters, digits and "_", starting with a
# letter, and Word does not tell capitals apart; an HTML id may hold all of those.
_BOOKMARK_LENGTH = 40
# References that keep their own spelling in an anchor ("1.a" -> "action_1_a"): any other
# (capitals, spaces, other letters, a "_" of their own) gets a digest, so no two collide.
_PLAIN_REFERENCE = re.compile(r"[0-9a-z]+(?:\.[0-9a-z]+)*")


def anchor(kind: str, name: str) -> str:
    """Give the anchor of `name` (an action's reference, a priority's number) among the
    `kind` ("action"): an HTML id and a Word bookmark name alike, whatever the text.

    "1.a" gives "action_1_a"; a name with capitals, spaces or non-ASCII letters ("HW 1",
    "1.ä") is spelled out as far as it can be and ends in a digest of its own text.
    """
    slug = re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_")
    plain = f"{kind}_{slug}"
    if _PLAIN_REFERENCE.fullmatch(name) and len(plain) <= _BOOKMARK_LENGTH:
        return plain
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"{plain[:_BOOKMARK_LENGTH - len(digest) - 1].rstrip('_')}_{digest}"


def contents_lines(sections: Iterable[Section]) -> tuple[ContentsLine, ...]:
    """Give the contents: each section, and under it each sub-section or group of a table's
    rows it gives an anchor (a priority of the delivery exceptions and of Appendix A)."""
    lines = []
    for section in sections:
        lines.append(ContentsLine(section.anchor, section.heading, 1))
        for block in section.blocks:
            if isinstance(block, Subsection) and block.anchor:
                lines.append(ContentsLine(block.anchor, block.heading, 2))
            elif isinstance(block, TableBlock):
                lines += [ContentsLine(group.anchor, group.heading, 2)
                          for group in block.table.groups if group.anchor]
    return tuple(lines)


def paragraphs(texts: Iterable[str], style: str = "") -> tuple[Paragraph, ...]:
    return tuple(Paragraph(text, style=style) for text in texts)


def _numbered(blocks: Sequence[Block], section: str) -> tuple[Block, ...]:
    count = 0
    numbered = []
    for block in blocks:
        if isinstance(block, Paragraph):
            count += 1
            block = replace(block, number=f"{section}.{count}")
        numbered.append(block)
    return tuple(numbered)


def number_sections(drafts: Iterable[Draft]) -> tuple[Section, ...]:
    """Give the sections numbered in order, leaving out any with nothing in it.

    Sections take 1, 2, 3 ... and their paragraphs 1.1, 1.2 ...; appendices take A, B, C
    and their paragraphs no numbers.
    """
    sections = []
    numbers = iter(range(1, 1000))
    letters = iter(ascii_uppercase)
    for draft in drafts:
        if not draft.blocks:
            continue
        if draft.appendix:
            number, blocks = next(letters), draft.blocks
        else:
            number = str(next(numbers))
            blocks = _numbered(draft.blocks, number)
        sections.append(Section(draft.key, draft.title, number, draft.appendix, blocks,
                                draft.page_break))
    return tuple(sections)
