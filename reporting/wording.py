"""Small pieces of wording every document, receipt and flag shares."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


def long_date(day: date | None) -> str:
    """Give a date as UK papers write it ("31 March 2023"), or "" for none."""
    return f"{day.day} {day:%B %Y}" if day else ""


def plural(n: int, one: str, many: str | None = None) -> str:
    """Give a count with its noun: "1 action", "3 actions" ("exceptions were" as `many`)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def and_list(parts: list[str] | tuple[str, ...], conjunction: str = "and") -> str:
    """Join words as a sentence lists them: "a", "a and b", "a, b and c" ("" for none);
    "a, b or c" with the `conjunction` "or"."""
    *most, last = parts or [""]
    return f"{', '.join(most)} {conjunction} {last}" if most else last


def possessive(name: str) -> str:
    """Give a name as owning something: "Housing's", "Regulatory Services'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def plural_of(noun: str) -> str:
    """Give a noun's plural by the common English rule: "theme" -> "themes", "priority" ->
    "priorities" (a consonant and y: ies), "box" -> "boxes"; a council's own plural is a
    setting, not guessed harder here."""
    if re.search(r"[^aeiou]y$", noun, flags=re.I):
        return noun[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", noun, flags=re.I):
        return noun + "es"
    return noun + "s"


@dataclass(frozen=True)
class Grouping:
    """What a plan calls the groups its actions sit under ("priority", "theme", "outcome",
    "ambition"), as `[plan] grouping` and `grouping_plural` say: lower case as written, and
    capitalised where a heading or a sentence starts with it."""

    one: str = "priority"
    many: str = "priorities"

    @classmethod
    def named(cls, one: str, many: str = "") -> "Grouping":
        """Give the grouping called `one`, its plural `many` or else `plural_of(one)`."""
        one = one.strip() or cls.one
        return cls(one, many.strip() or plural_of(one))

    @property
    def heading(self) -> str:
        """The word as a column or a heading starts with it: "Priority", "Theme"."""
        return self.one[:1].upper() + self.one[1:]

    @property
    def headings(self) -> str:
        return self.many[:1].upper() + self.many[1:]

    def fill(self, text: str) -> str:
        """Give `text` with {grouping}, {groupings}, {Grouping} and {Groupings} in its words."""
        return (text.replace("{grouping}", self.one).replace("{groupings}", self.many)
                .replace("{Grouping}", self.heading).replace("{Groupings}", self.headings))


# The grouping a plan has when its settings name none.
PRIORITY = Grouping()


# Characters an officer cannot see, or that act on the screen instead of showing: C0 and C1
# controls (NUL, BEL, ESC and the rest, but not tab or line break), DEL, and Unicode's
# format characters (zero-width spaces and joiners, soft hyphens, byte-order marks,
# right-to-left marks, overrides and isolates, tag characters). Every one of Unicode's Cc
# and Cf characters is here (`tests/test_round_three.py` holds the list to unicodedata).
_INVISIBLE = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f"
    "\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
_INVISIBLE_CHARS = re.compile(f"[{_INVISIBLE}]")
# Line ends as Excel, old Macs and Unicode write them; each is one line break.
_LINE_ENDS = re.compile("\r\n?|[\u2028\u2029\x85]")

# A file name that is not UTF-8 (b"Comunicaci\xf3n.xlsx", as a Windows share or an old zip
# can leave it) comes from os.listdir with each stray byte as a lone surrogate, which no
# page, receipt or file can hold: shown instead as the byte it was ("Comunicaci\xf3n.xlsx").
_SURROGATES = re.compile("[\ud800-\udfff]")


def _shown_byte(match: re.Match) -> str:
    code = ord(match[0])
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def without_controls(text: str) -> str:
    """Give an officer's text as it can safely go anywhere (terminal, receipt, paper, CSV):
    without control or invisible characters (ESC, BEL, NUL, zero-width spaces, right-to-left
    overrides), with every line end a plain line break, and any byte of a name that was not
    UTF-8 shown as its escape (\\xf3).

    Every cell of a return and of a published plan is read through this (`cells.cell_text`),
    so nothing downstream meets such a character.
    """
    text = _LINE_ENDS.sub("\n", text)
    return _SURROGATES.sub(_shown_byte, _INVISIBLE_CHARS.sub("", text))


def _shown_char(match: re.Match) -> str:
    char = match[0]
    if char == "\\":
        return "\\\\"
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 \
        else f"\\U{code:08x}"


_NAME_ESCAPES = re.compile(f"[\\\\\t\n\r\u2028\u2029\x85{_INVISIBLE}\ud800-\udfff]")


def shown_name(name: str) -> str:
    """Give a file's name as people are shown it: every invisible or control character, line
    break or byte that was not UTF-8 shown as its escape ("hous\\u200eing.xlsx",
    "a\\nb.csv", "Comunicaci\\xf3n.xlsx"), and a backslash doubled.

    Two names that differ give different words, so no two files share a receipt, and a
    name cannot pass for another on a screen.
    """
    return _NAME_ESCAPES.sub(_shown_char, name)


# An update is bounded before it reaches a page in characters and lines as well as words:
# a 31,900-character string with no space counts one word, and 30,000 line breaks none.
LONG_UPDATE_CHARS = 2000
LONG_UPDATE_LINES = 25


@dataclass(frozen=True)
class TextBounds:
    """How much of an officer's text a paper shows: `words`, `chars` and `lines` at most
    (`[intake] long_update_words`, `long_update_chars`, `long_update_lines`)."""

    words: int = 150
    chars: int = LONG_UPDATE_CHARS
    lines: int = LONG_UPDATE_LINES

    def __str__(self) -> str:
        # Shown as its word limit, as a paper's note names it ("cut at 150 words").
        return str(self.words)

    def over(self, text: str) -> str:
        """Say how `text` runs past the bounds ("31,900 characters", "2 lines and 160
        words"), or "" when it is within them."""
        text = text.strip()
        lines = len(text.splitlines())
        sizes = [(len(text), self.chars, "character"), (lines, self.lines, "line"),
                 (len(text.split()), self.words, "word")]
        return and_list([f"{n:,} {unit}s" for n, limit, unit in sizes if n > limit])


def bounded(text: str, bounds: TextBounds) -> tuple[str, str]:
    """Give the start of `text` that keeps within `bounds`, and what cut it ("" when whole):
    "cut at 150 words", "cut at 2000 characters", "cut at 25 lines".

    The officer's own line breaks are kept in the part shown, and a cut by characters
    falls at a space where there is one near.
    """
    text = text.strip()
    cut = ""
    lines = text.splitlines()
    if len(lines) > bounds.lines:
        text, cut = "\n".join(lines[:bounds.lines]).rstrip(), f"cut at {bounds.lines} lines"
    if len(text.split()) > bounds.words:
        kept, count = [], 0
        for line in text.splitlines():
            line_words = line.split()
            if count + len(line_words) > bounds.words:
                kept.append(" ".join(line_words[:bounds.words - count]))
                break
            kept.append(line)
            count += len(line_words)
        text, cut = "\n".join(kept).rstrip(), f"cut at {bounds.words} words"
    if len(text) > bounds.chars:
        start = text[:bounds.chars]
        space = start.rfind(" ", bounds.chars * 3 // 4)
        text = (start[:space] if space > 0 else start).rstrip()
        cut = f"cut at {bounds.chars} characters"
    return text, cut


def cut_words(text: str, limit: int | TextBounds, note: str) -> str:
    """Give `text` cut to `limit` (a word limit, or TextBounds), ending "... [`note`]", or
    whole when shorter.

    A committee paper shows the start of an over-long update; where the rest is kept is
    said in the note. A word limit alone still bounds characters and lines at the default
    bounds, so no caller can send a page an unbounded string; when the cut is by characters
    or lines, the note's "cut at N words" says which instead.
    """
    bounds = limit if isinstance(limit, TextBounds) else TextBounds(words=limit)
    kept, cut = bounded(text, bounds)
    if not cut:
        return text
    return f"{kept} ... [{re.sub(r'^cut at [0-9,]+ words', cut, note)}]"


# Every ASCII punctuation character may be backslash-escaped in Markdown (CommonMark 2.4),
# and each escaped one is shown as itself: no link, image, HTML tag, emphasis, table cell
# end, heading or autolinked URL ("https\\://") can then be made of the text.
_MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def markdown_text(text: object) -> str:
    """Give `text` as Markdown that shows exactly it, on one line, and never as markup: the
    one escaping of officer and plan text for the Prefect UI (artifacts, forms, tables)."""
    flat = " ".join(without_controls(str(text)).split())
    return _MARKDOWN_PUNCTUATION.sub(lambda m: "\\" + m[0], flat)


def markdown_rows(rows: list[dict[str, object]]) -> list[dict[str, str]]:
    """Give a table's rows with every value as `markdown_text` (a Prefect table artifact's
    cells are shown as Markdown)."""
    return [{key: markdown_text(value) for key, value in row.items()} for row in rows]


def same_words(a: str, b: str) -> bool:
    """Tell whether two updates say the same words (ignoring case, spacing and punctuation)."""
    def norm(t: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", t.lower()).split())
    return bool(norm(a)) and norm(a) == norm(b)
