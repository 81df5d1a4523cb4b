"""A period's returns folder: which entries are returns, and reading them all safely."""

from __future__ import annotations

from pathlib import Path

from reporting.intake.files import (
    Unreadable,
    candidate_files,
    refusal,
    seconds_since_modified,
)
from reporting.intake.isolated import IsolatedReader, read_isolated
from reporting.intake.returns import Problem, Return, read_return, settling_return
from reporting.publish import InputFile, Outcome
from reporting.services import service_area_from_name
from reporting.settings import READ_NOW, IntakeSettings
from reporting.wording import shown_name


def unusable_return(path: Path, why: Unreadable) -> Return:
    """Give the Return for an entry that cannot be read at all, saying why and what to do."""
    return Return(path=path, service_area=service_area_from_name(path),
                  problems=(Problem(shown_name(path.name), "", why.message, fatal=True,
                                    fix=why.fix),))


def input_file(ret: Return, kind: str = "return") -> InputFile:
    """Give the record of what the read made of one return file: read (with its bytes),
    left settling, refused unread, or read and unreadable."""
    if ret.settling:
        outcome = Outcome.SETTLING
    elif ret.usable:
        outcome = Outcome.READ
    else:
        outcome = Outcome.UNREADABLE if ret.content else Outcome.REFUSED
    why = "; ".join(p.message for p in ret.problems if p.fatal)
    return InputFile(kind, ret.path, outcome, why, ret.content)


def read_returns(folder: Path, settings: IntakeSettings = READ_NOW,
                 now: float | None = None, isolated: bool = True,
                 reader: IsolatedReader | None = None) -> list[Return]:
    """Give a Return for every candidate file in `folder`, in file name order.

    Lock, hidden and temporary files are passed over without a word. A file modified in
    the last `settings.settle_seconds` is not read (it may still be copying) but is listed
    as a settling Return, so the receipt and the report say so. An absent folder gives none.
    The files are read in a child process (`isolated`), so one that crashes the reader is
    refused and the rest are still read (by `reader`, when the caller has one running).
    """
    folder = Path(folder)
    found: dict[Path, Return] = {}
    to_read = []
    for path in candidate_files(folder):
        refused = refusal(path)
        if refused:
            found[path] = unusable_return(path, refused)
            continue
        age = seconds_since_modified(path, now)
        if settings.settle_seconds and age < settings.settle_seconds:
            found[path] = settling_return(path, age)
        else:
            to_read.append(path)
    if isolated and to_read:
        read = read_isolated(to_read, settings, unusable_return, reader)
    else:
        read = [read_return(path, settings) for path in to_read]
    found.update(zip(to_read, read))
    return [found[path] for path in sorted(found)]
