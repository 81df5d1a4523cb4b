"""Small pieces of wording every document, receipt and flag shares."""

from __future__ import annotations

import re
from datetime import date


def long_date(day: date | None) -> str:
    """Give a date as UK papers write it ("31 March 2023"), or "" for none."""
    return f"{day.day} {day:%B %Y}" if day else ""


def plural(n: int, one: str, many: str | None = None) -> str:
    """Give a count with its noun: "1 action", "3 actions" ("exceptions were" as `many`)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def and_list(parts: list[str] | tuple[str, ...]) -> str:
    """Join words as a sentence lists them: "a", "a and b", "a, b and c" ("" for none)."""
    *most, last = parts or [""]
    return f"{', '.join(most)} and {last}" if most else last


def possessive(name: str) -> str:
    """Give a name as owning something: "Housing's", "Regulatory Services'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


# Characters that reorder or hide text (right-to-left overrides and isolates): a return's
# words are shown as typed, never turned round in a paper or a file name.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


# A file name that is not UTF-8 (b"Comunicaci\xf3n.xlsx", as a Windows share or an old zip
# can leave it) comes from os.listdir with each stray byte as a lone surrogate, which no
# page, receipt or file can hold: shown instead as the byte it was ("Comunicaci\xf3n.xlsx").
_SURROGATES = re.compile("[\ud800-\udfff]")


def _shown_byte(match: re.Match) -> str:
    code = ord(match[0])
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def without_controls(text: str) -> str:
    """Give `text` without the characters that reorder it (U+202E and its kin), and with
    any byte of a name that was not UTF-8 shown as its escape (\\xf3)."""
    return _SURROGATES.sub(_shown_byte, _BIDI_CONTROLS.sub("", text))


def cut_words(text: str, limit: int, note: str) -> str:
    """Give `text` cut after `limit` words, ending "... [`note`]", or whole when shorter.

    A committee paper shows the start of an over-long update; where the rest is kept is
    said in the note.
    """
    words = text.split()
    if len(words) <= limit:
        return text
    # Keep the officer's own line breaks in the part shown.
    kept, count = [], 0
    for line in text.splitlines():
        line_words = line.split()
        if count + len(line_words) > limit:
            kept.append(" ".join(line_words[:limit - count]))
            break
        kept.append(line)
        count += len(line_words)
    return "\n".join(kept).rstrip() + f" ... [{note}]"


def same_words(a: str, b: str) -> bool:
    """Tell whether two updates say the same words (ignoring case, spacing and punctuation)."""
    def norm(t: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", t.lower()).split())
    return bool(norm(a)) and norm(a) == norm(b)
