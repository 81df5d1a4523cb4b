"""How often an action is reported on (`Cadence`), the papers made (`Paper`), and which
actions each paper covers.

Two words, two things: an action's cadence is how often it reports (quarterly,
six-monthly or annual, a column of the plan); a paper is the report a run makes (the
quarterly or the six-monthly one).
"""

from __future__ import annotations

import re
from enum import Enum

from reporting.errors import ReportingError
from reporting.period import Period


class CadenceError(ReportingError, ValueError):
    """Text that names no cadence or no paper, or a paper not made in a period."""


class Cadence(str, Enum):
    """How often an action reports; the value is the word used in the plan and config."""

    QUARTERLY = "quarterly"
    SIX_MONTHLY = "six-monthly"
    ANNUAL = "annual"

    @classmethod
    def parse(cls, text: str) -> Cadence:
        """Give the cadence named by `text` ("Quarterly", "6-monthly", "six monthly", "Annual")."""
        key = re.sub(r"[^a-z0-9]", "", str(text).lower())
        for cadence, names in _NAMES.items():
            if key in names:
                return cadence
        raise CadenceError(f"{text!r} is not a cadence: use quarterly, six-monthly or annual")

    @property
    def label(self) -> str:
        return self.value.capitalize()


_NAMES = {
    Cadence.QUARTERLY: {"quarterly", "quarter", "q"},
    Cadence.SIX_MONTHLY: {"sixmonthly", "6monthly", "halfyearly", "biannual", "biannually"},
    Cadence.ANNUAL: {"annual", "annually", "yearly"},
}

_WORDING = (
    (re.compile(r"^\s*quarterly\b", re.I), Cadence.QUARTERLY),
    (re.compile(r"^\s*(6|six)[\s-]?monthly\b", re.I), Cadence.SIX_MONTHLY),
    (re.compile(r"^\s*annual(ly)?\b", re.I), Cadence.ANNUAL),
)


def cadence_from_wording(milestones: list[str] | tuple[str, ...]) -> Cadence | None:
    """Give the cadence a milestone's wording names ("Quarterly updates", "6monthly ...",
    "Annual update"), or None when no milestone names one."""
    for text in milestones:
        for pattern, cadence in _WORDING:
            if pattern.search(text or ""):
                return cadence
    return None


class Paper(str, Enum):
    """A paper a run makes; the value is the word used in paths, records, config and the CLI."""

    QUARTERLY = "quarterly"
    SIX_MONTHLY = "six-monthly"

    @classmethod
    def parse(cls, text: str) -> Paper:
        """Give the paper named by `text` ("Quarterly", "6-monthly", "six monthly")."""
        key = re.sub(r"[^a-z0-9]", "", str(text).lower())
        for paper in cls:
            if key in _NAMES[Cadence(paper.value)]:
                return paper
        raise CadenceError(f"{text!r} is not a paper: use quarterly or six-monthly")

    @property
    def label(self) -> str:
        return self.value.capitalize()


PAPERS = (Paper.QUARTERLY, Paper.SIX_MONTHLY)


def cadences_covered(paper: Paper, period: Period) -> frozenset[Cadence]:
    """Give the action cadences the `paper` on quarter `period` covers.

    The quarterly paper covers quarterly actions. The six-monthly paper, due only at
    Q2 and Q4, covers quarterly and six-monthly actions, and annual ones at Q4.
    """
    if paper is Paper.QUARTERLY:
        return frozenset({Cadence.QUARTERLY})
    if paper is Paper.SIX_MONTHLY:
        if period.kind == "Q" and period.number not in (2, 4):
            raise CadenceError(
                f"the six-monthly report is made at Q2 and Q4, not {period.label}"
            )
        covered = {Cadence.QUARTERLY, Cadence.SIX_MONTHLY}
        if period.number == 4 or (period.kind == "H" and period.number == 2):
            covered.add(Cadence.ANNUAL)
        return frozenset(covered)
    raise ValueError(f"there is no {paper.value} paper: use quarterly or six-monthly")


def papers_on(period: Period) -> tuple[Paper, ...]:
    """Give the papers made on `period`: the quarterly, and the six-monthly at Q2 and Q4."""
    made = []
    for paper in PAPERS:
        try:
            cadences_covered(paper, period)
        except CadenceError:  # no six-monthly paper this quarter
            continue
        made.append(paper)
    return tuple(made)


def period_covered(paper: Paper, period: Period) -> Period:
    """Give the period the `paper` made at `period` covers: the quarter, or for the
    six-monthly paper the half year the quarter ends (2022/23 Q2 gives 2022/23 H1)."""
    return period.half() if paper is Paper.SIX_MONTHLY else period
