"""A finding: one thing the checks found, worded once for each reader.

The officer who sent a return reads `officer` and `fix` on the receipt; the policy officer
reads every finding, with its file and cell, in flags.csv; the committee reads `paper`
beside the action (delivery findings only). What kind of finding it is, how severe and who
reads it come from its code's declaration (`reporting.checks.codes`).
"""

from __future__ import annotations

from dataclasses import dataclass

from reporting.cells import natural_key
from reporting.checks.codes import DELIVERY_CODES, Code, Reader, Severity, code_named

__all__ = ["DELIVERY_CODES", "Finding", "Severity"]


@dataclass(frozen=True)
class Finding:
    code: Code  # a declared code (see reporting.checks.codes); a plain string is looked up
    action_id: str  # "" when the finding is about a whole return
    service_area: str
    message: str  # the words for the policy officer (flags.csv, the data-quality note)
    file: str = ""  # the return's file name ("Plan" for the plan), "" for none
    cell: str = ""  # "Return!D12", "line 5", "Actions sheet, 1.a"; "" for the whole file
    officer: str = ""  # what is wrong, in the words of the officer's receipt
    fix: str = ""  # what the officer should do
    # Another return whose receipt also shows the finding (the lead service's, when a row
    # about its action came from someone else), in the words for that officer.
    copy_to: str = ""
    copy_words: str = ""
    # A delivery finding's words for the committee, beside its action in the paper
    # ("overdue (due by 31 March 2023)"); "" for a finding the committee does not read.
    paper: str = ""
    # The actions a finding about a whole return leaves unreported (a return not sent, or
    # not readable): each is a delivery exception in the paper of a report covering it.
    actions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.code, Code):
            object.__setattr__(self, "code", code_named(self.code))
        if self.paper and not self.code.delivery:
            raise ValueError(f"{self.code} is not declared as read by the committee")

    @property
    def severity(self) -> Severity:
        return self.code.severity

    @property
    def delivery(self) -> bool:
        """Tell whether the committee reads it: a delivery exception in the paper."""
        return bool(self.paper)

    @property
    def data_quality(self) -> bool:
        """Tell whether the policy officer's data-quality note lists it."""
        return Reader.DATA_QUALITY in self.code.readers

    @property
    def source(self) -> str:
        """Where the finding came from: "planning-policy.xlsx, Return!F8"."""
        return ", ".join(part for part in (self.file, self.cell) if part)

    def sort_key(self) -> tuple:
        return (self.severity, _action_order(self.action_id), self.code, self.service_area)


def _action_order(action_id: str) -> tuple:
    return (0,) if not action_id else (1, *natural_key(action_id))
