"""What an update's words say: how long it is, whether it repeats itself, whether it admits delay."""

from __future__ import annotations

import re

from reporting.status import Status

_DELAY_WORDS = re.compile(
    r"\b(delay(?:ed|s)?|postpone(?:d|ment)?|behind|pause(?:d)?|on hold|not (?:yet )?started|"
    r"(?:has|have) not started|slipp(?:ed|ing))\b", re.I)
_NEGATION = re.compile(r"\b(no|not|without|never|avoid(?:ed)?|no longer)\s+(\w+\s+)?$", re.I)


def words_in(text: str) -> int:
    """Give the number of words in `text`."""
    return len(text.split())


def delay_words(text: str) -> str:
    """Give the first word in `text` saying work is delayed ("postponed"), or ""."""
    for match in _DELAY_WORDS.finditer(text or ""):
        before = text[max(0, match.start() - 25):match.start()]
        if match[1].lower().startswith("not") or not _NEGATION.search(before):
            return match[1]
    return ""


def status_mismatch(status: Status | None, update: str) -> str:
    """Give the delay word when a row says On track or Complete but its update says delayed."""
    if status in (Status.ON_TRACK, Status.COMPLETE):
        return delay_words(update)
    return ""


