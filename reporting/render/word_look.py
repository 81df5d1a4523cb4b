"""How the Word paper looks, shared by its document and its tables: the font, language,
sizes and colours, the page margin, and text made safe for Word's XML."""

from __future__ import annotations

import re

from docx.shared import Cm, Pt, RGBColor

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

# A4 portrait content width is 21 - 2 x 2 = 17 cm; landscape is 29.7 - 2 x 2 = 25.7 cm.
MARGIN = Cm(2)

# The contents list the sections (Heading 2) and the priorities under them (Heading 3);
# a priority's row in a table is bookmarked at the second.
CONTENTS_LEVELS = (2, 3)

# Characters XML 1.0 cannot hold. Officers paste text from Word and Excel, which can carry
# vertical tabs or form feeds (line breaks there) and stray control characters; python-docx
# would refuse the whole document over one of them.
_LINE_BREAK_CONTROLS = re.compile(r"[\x0b\x0c]")
_INVALID_XML = re.compile(r"[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")



def word_text(value: object) -> str:
    """Give `value` as text that Word can hold, line-break controls kept as line breaks."""
    return _INVALID_XML.sub("", _LINE_BREAK_CONTROLS.sub("\n", str(value)))
