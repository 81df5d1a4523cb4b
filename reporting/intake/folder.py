"""A period's returns folder: which entries are returns, and reading them all safely."""

from __future__ import annotations

import time
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


# With no settling time (a person running a report now), a file changed this recently is
# looked at again after RECHECK_SECONDS, and left for the next run if it grew meanwhile: a
# copy still arriving, whatever its type.
RECENT_SECONDS = 10.0
RECHECK_SECONDS = 2.0


def _pause(seconds: float) -> None:
    time.sleep(seconds)


def _size_and_time(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def still_growing(paths: list[Path], now: float | None = None) -> set[Path]:
    """Give those of `paths` changed in the last RECENT_SECONDS that grow (or change) within
    RECHECK_SECONDS more; waits only when one of them is that recent."""
    recent = {p: _size_and_time(p) for p in paths if seconds_since_modified(p, now) < RECENT_SECONDS}
    if not recent:
        return set()
    _pause(RECHECK_SECONDS)
    return {p for p, before in recent.items() if _size_and_time(p) != before}


def read_returns(folder: Path, settings: IntakeSettings = READ_NOW,
                 now: float | None = None, isolated: bool = True,
                 reader: IsolatedReader | None = None) -> list[Return]:
    """Give a Return for every candidate file in `folder`, in file name order.

    Lock, hidden and temporary files are passed over without a word. A file modified in
    the last `settings.settle_seconds` is not read (it may still be copying) but is listed
    as a settling Return, so the receipt and the report say so; with no settling time, a
    file changed in the last few seconds that grows over the next two is left the same way
    (`still_growing`). An absent folder gives none.
    The files are read in a child process (`isolated`), so one that crashes the reader is
    refused and the rest are still read (by `reader`, when the caller has one running).
    """
    folder = Path(folder)
    found: dict[Path, Return] = {}
    to_read = []
    candidates = candidate_files(folder)
    for path in candidates[settings.max_files:]:
        found[path] = unusable_return(path, Unreadable(
            f"the folder holds {len(candidates):,} files, more than the "
            f"{settings.max_files:,} a run reads ([intake] max_files), so this one was not read",
            "take out the files that are not this period's returns"))
    for path in candidates[:settings.max_files]:
        refused = refusal(path)
        if refused:
            found[path] = unusable_return(path, refused)
            continue
        age = seconds_since_modified(path, now)
        if settings.settle_seconds and age < settings.settle_seconds:
            found[path] = settling_return(path, age)
        else:
            to_read.append(path)
    if not settings.settle_seconds:
        growing = still_growing(to_read, now)
        found.update((path, settling_return(path, 0, growing=True)) for path in growing)
        to_read = [path for path in to_read if path not in growing]
    if isolated and to_read:
        read = read_isolated(to_read, settings, unusable_return, reader)
    else:
        read = [read_return(path, settings) for path in to_read]
    found.update(zip(to_read, read))
    return [found[path] for path in sorted(found)]
