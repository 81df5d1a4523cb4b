"""Small pieces of wording every document, receipt and flag shares."""

from __future__ import annotations

from datetime import date


def long_date(day: date | None) -> str:
    """Give a date as UK papers write it ("31 March 2023"), or "" for none."""
    return f"{day.day} {day:%B %Y}" if day else ""


def plural(n: int, one: str, many: str | None = None) -> str:
    """Give a count with its noun: "1 action", "3 actions" ("exceptions were" as `many`)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
