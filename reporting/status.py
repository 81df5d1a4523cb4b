"""The status words an action can carry, and how officers' spellings map onto them."""

from __future__ import annotations

import re
from enum import Enum


class Status(str, Enum):
    """A progress status; the value is the word the committee reads."""

    COMPLETE = "Complete"
    ON_TRACK = "On track"
    AT_RISK = "At risk"
    OFF_TRACK = "Off track"
    NOT_STARTED = "Not started"
    NO_UPDATE = "Not reported"  # nothing came in for the action this period
    NOT_GIVEN = "Status not given"  # an update came in, with no status that can be read

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]

    @property
    def symbol(self) -> str:
        """A text symbol shown beside the word (never instead of it)."""
        return _SYMBOLS[self]

    @property
    def css_class(self) -> str:
        return "status-" + self.name.lower().replace("_", "-")


# Order in which statuses are listed in summaries: best news last would bury exceptions,
# so the worst come first.
STATUS_ORDER: tuple[Status, ...] = (
    Status.OFF_TRACK,
    Status.AT_RISK,
    Status.NO_UPDATE,
    Status.NOT_GIVEN,
    Status.NOT_STARTED,
    Status.ON_TRACK,
    Status.COMPLETE,
)

_MEANINGS = {
    Status.COMPLETE: "The action has been delivered.",
    Status.ON_TRACK: "Progressing as planned and expected to be delivered by the due date.",
    Status.AT_RISK: "Some slippage or a risk to delivery; the service is taking action.",
    Status.OFF_TRACK: "Significantly behind plan; will not be delivered by the due date without intervention.",
    Status.NOT_STARTED: "Work has not yet begun; not necessarily a concern if it is not yet due.",
    Status.NO_UPDATE: "Nothing was received for this action this period: no return, or no "
                      "row for it in the return.",
    Status.NOT_GIVEN: "An update was received, but without a status the report can read.",
}

# The statuses that say nothing about delivery: no update, or an update without a status.
NO_STATUS = frozenset({Status.NO_UPDATE, Status.NOT_GIVEN})

_SYMBOLS = {
    Status.COMPLETE: "\u2714",  # heavy check mark
    Status.ON_TRACK: "\u25cf",  # black circle
    Status.AT_RISK: "\u25b2",  # black up-pointing triangle
    Status.OFF_TRACK: "\u2716",  # heavy multiplication x
    Status.NOT_STARTED: "\u25cb",  # white circle
    Status.NO_UPDATE: "\u2013",  # en dash: nothing came in
    Status.NOT_GIVEN: "?",
}

# Keys are lower case with everything but letters removed.
_ALIASES: dict[str, Status] = {
    "complete": Status.COMPLETE,
    "completed": Status.COMPLETE,
    "done": Status.COMPLETE,
    "achieved": Status.COMPLETE,
    "blue": Status.COMPLETE,
    "ontrack": Status.ON_TRACK,
    "ontarget": Status.ON_TRACK,
    "green": Status.ON_TRACK,
    "g": Status.ON_TRACK,
    "atrisk": Status.AT_RISK,
    "amber": Status.AT_RISK,
    "a": Status.AT_RISK,
    "offtrack": Status.OFF_TRACK,
    "offtarget": Status.OFF_TRACK,
    "red": Status.OFF_TRACK,
    "r": Status.OFF_TRACK,
    "notstarted": Status.NOT_STARTED,
    "notyetstarted": Status.NOT_STARTED,
    "grey": Status.NOT_STARTED,
    "gray": Status.NOT_STARTED,
}

# The aliases that name a status by its RAG colour (or the colour's letter): read, and the
# officer told the paper's word for it (`named_by_colour`).
_COLOURS = frozenset({"blue", "green", "g", "amber", "a", "red", "r", "grey", "gray"})

# What officers write before a colour ("RAG: Amber", "RAG status - red", "Status: green").
_RAG_LABEL = re.compile(r"^(?:rag|status|rating)+")

# Worse statuses rank higher; used to take the worse of "Amber/Red".
_SEVERITY_RANK = {status: rank for rank, status in enumerate(reversed(STATUS_ORDER))}


def parse_status(text: object) -> Status | None:
    """Give the status an officer meant by `text`, or None when it is blank or unrecognised.

    A combined status such as "Amber/Red" gives the worse of the two.
    """
    if text is None:
        return None
    raw = str(text).strip()
    if not raw:
        return None
    key = _key(raw)
    if key in _ALIASES:
        return _ALIASES[key]
    if _RAG_LABEL.sub("", key) in _ALIASES:  # "RAG: amber"
        return _ALIASES[_RAG_LABEL.sub("", key)]
    parts = [re.sub(r"[^a-z]", "", part) for part in re.split(r"[/\\|,&]|\bto\b", raw.lower())]
    found = [_ALIASES[p] for p in parts if p in _ALIASES]
    if len(found) > 1 and len(found) == len([p for p in parts if p]):
        return worse_of(found)
    return None


def _key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def named_by_colour(text: object) -> bool:
    """Tell whether `text` gives one status by its RAG colour ("Amber", "RAG: red", "g"),
    not in the paper's words ("At risk"): the officer is told which word it was read as."""
    if text is None or parse_status(text) is None:
        return False
    key = _key(str(text))
    return key in _COLOURS or _RAG_LABEL.sub("", key) in _COLOURS


def worse_of(statuses: list[Status]) -> Status:
    """Give the most concerning of several statuses."""
    return max(statuses, key=lambda s: _SEVERITY_RANK[s])
