"""A finding: one thing the checks found, worded once for each reader.

The officer who sent a return reads `officer` and `fix` on the receipt; the policy officer
reads every finding, with its file and cell, in flags.csv; the committee reads `message`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from reporting.cells import natural_key


class Severity(IntEnum):
    """How urgently the committee should look; lower sorts first."""

    HIGH = 1
    MEDIUM = 2
    LOW = 3

    @property
    def word(self) -> str:
        return self.name.capitalize()


# The findings about delivery, which the committee reads; every other finding is about the
# data (a return, a row, the plan) and goes to the policy officer's data-quality note.
DELIVERY_CODES = frozenset({"OFF_TRACK", "AT_RISK", "OVERDUE", "DATE_SLIPPED", "NO_RETURN",
                            "FORECAST_WORSE"})


@dataclass(frozen=True)
class Finding:
    code: str  # "OFF_TRACK", "MISSING_STATUS" ...: the flag the report raises
    severity: Severity
    action_id: str  # "" when the finding is about a whole return
    service_area: str
    message: str  # the words for the committee and flags.csv
    file: str = ""  # the return's file name ("Plan" for the plan), "" for none
    cell: str = ""  # "Return!D12", "line 5", "Actions sheet, 1.a"; "" for the whole file
    officer: str = ""  # what is wrong, in the words of the officer's receipt
    fix: str = ""  # what the officer should do
    # Another return whose receipt also shows the finding (the lead service's, when a row
    # about its action came from someone else), in the words for that officer.
    copy_to: str = ""
    copy_words: str = ""

    @property
    def delivery(self) -> bool:
        """Tell whether the finding is about delivery (for the committee), not the data."""
        return self.code in DELIVERY_CODES

    @property
    def source(self) -> str:
        """Where the finding came from: "planning-policy.xlsx, Return!F8"."""
        return ", ".join(part for part in (self.file, self.cell) if part)

    def sort_key(self) -> tuple:
        return (self.severity, _action_order(self.action_id), self.code, self.service_area)


def _action_order(action_id: str) -> tuple:
    return (0,) if not action_id else (1, *natural_key(action_id))
