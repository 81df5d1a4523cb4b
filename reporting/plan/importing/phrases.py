"""Reading the phrases inside a plan's cells: who delivers, the milestones, their dates.

"Housing Services and Planning Policy" names two bodies, "parish and town councils" one; a
Milestones cell holds one milestone a line or a bullet; "Consultation closes (Autumn 2025)"
carries its own date.
"""

from __future__ import annotations

import re

from reporting.cells import parse_date

_BULLETS = re.compile(r"[•▪●◦■]")
_LINE_BULLET = re.compile(r"^\s*[-*–]\s*(?=\S)")


def _title_case(text: str) -> bool:
    return all(word[:1].isupper() or word in ("and", "&", "of", "for", "the")
               for word in text.split())


def bodies_in(text: str) -> list[str]:
    """Give the bodies a "Who will deliver" cell names, in order.

    Split on commas, semicolons and new lines; on " and " only between two names of two
    words or more each ("Housing Services and Planning Policy"), never inside a body's own
    name ("parish and town councils", "Health & Wellbeing", "Canals & Rivers Trust").
    """
    found = []
    for line in re.split(r"\s*(?:[;\n]|\s/\s)\s*", text):
        parts = [p.strip(" .,;") for p in line.split(",") if p.strip(" .,;")]
        # "Children, Families and Justice" and "Human Resources, Digital Enablement and IT"
        # are one directorate's name, not several bodies: every word capitalised, the last
        # part joined by "and" ("Regulatory Services, district and county partners" is two).
        if len(parts) > 1 and " and " in parts[-1] and all(
                _title_case(p) for p in parts):
            parts = [", ".join(parts)]
        found.extend(parts)
    return list(dict.fromkeys(found))


def milestone_lines(text: str) -> list[str]:
    """Give a Milestones cell's milestones: one a line, or one a bullet (never on commas)."""
    lines = []
    for line in text.split("\n"):
        for part in _BULLETS.split(line):
            part = _LINE_BULLET.sub("", part).strip()
            if part:
                lines.append(part)
    return lines


_DATED = (
    re.compile(r"(?P<text>.+?)\s*[(\[](?P<date>[^()\[\]]+)[)\]]\s*[.;]?", re.S),
    re.compile(r"[(\[](?P<date>[^()\[\]]+)[)\]]\s*[-–—:]?\s*(?P<text>.+)", re.S),
    re.compile(r"(?P<text>.+?)\s*(?:\s[-–—]|:)\s*(?P<date>[^:–—]+?)[.;]?", re.S),
    re.compile(r"(?P<date>[^:–—(]+?)\s*(?::|\s[-–—])\s*(?P<text>.+)", re.S),
)


def dated_milestone(line: str) -> tuple[str, str]:
    """Give (milestone, its date's words) for "Consultation closes (Autumn 2025)" or
    "Sept 2025: launch"; ("the line", "") when it names no date at its start or end."""
    for pattern in _DATED:
        match = pattern.fullmatch(line.strip())
        if match and match["text"].strip() and parse_date(match["date"].strip()):
            return match["text"].strip(" -–—:"), match["date"].strip()
    return line, ""
