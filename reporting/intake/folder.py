"""A period's returns folder: which entries are returns, and reading them all safely."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from reporting.intake.files import (
    Unreadable,
    candidate_files,
    refusal,
    seconds_since_modified,
)
from reporting.intake.isolated import IsolatedReader, read_isolated
from reporting.intake.returns import (
    Note,
    Problem,
    Return,
    read_return,
    service_named_by,
    settling_return,
)
from reporting.publish import InputFile, Outcome
from reporting.services import known_service, service_area_from_name, service_key
from reporting.settings import READ_NOW, IntakeSettings
from reporting.wording import possessive, shown_name


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


def seconds_to_settle(returns: list[Return], settle_seconds: float,
                      now: float | None = None) -> float:
    """Give how long until each of `returns` left settling would be read: `settle_seconds`
    after its last change (0 when none is settling, or none can be looked at now)."""
    ages = []
    for ret in returns:
        if not ret.settling:
            continue
        try:
            ages.append(seconds_since_modified(ret.path, now))
        except OSError:  # gone since: nothing to wait for
            continue
    return max(0.0, settle_seconds - min(ages)) if ages else 0.0


def _named_first(paths: list[Path], services: tuple[str, ...]) -> list[Path]:
    """Give `paths` with the files named for one of `services` first ("communications.xlsx"),
    then those whose names start with one ("communications-tab.csv"), then the rest, each
    in name order: the order in which `[intake] max_files` admits them."""
    keys = {service_key(s) for s in services}

    def rank(path: Path) -> int:
        named = service_named_by(path)
        return 0 if service_key(named) in keys else 1 if known_service(named, services) else 2

    return sorted(paths, key=rank) if services else paths


def _over_limit(count: int, settings: IntakeSettings, services: bool) -> Unreadable:
    first = ("; files named for a service area of the plan were read first, and this one was "
             "left out" if services else ", so this one was not read")
    return Unreadable(
        f"the folder holds {count:,} files, more than the {settings.max_files:,} a run reads "
        f"([intake] max_files){first}",
        "take out the files that are not this period's returns")


def name_notes(ret: Return, services: tuple[str, ...]) -> Return:
    """Give `ret` with a note when its service area, taken from its file's name, is none of
    `services` but starts with one ("communications-tab.csv" is read as Communications'):
    the officer is told which service it was taken as, and why."""
    if not ret.usable or not services or \
            service_key(ret.service_area) != service_key(service_area_from_name(ret.path)):
        return ret
    taken = known_service(ret.service_area, services)
    if not taken or service_key(taken) == service_key(ret.service_area):
        return ret
    said = (f"the file's name gives the service area '{ret.service_area}', which is not a "
            f"service area of the plan; it was taken as {possessive(taken)} return, the "
            f"service area its name starts with: if it is, name the file for {taken} or "
            f"put {taken} in the Service area cell; if not, put the right service area there")
    return replace(ret, notes=(*ret.notes, Note(ret.file, "", said)))


def read_returns(folder: Path, settings: IntakeSettings = READ_NOW,
                 now: float | None = None, isolated: bool = True,
                 reader: IsolatedReader | None = None,
                 services: tuple[str, ...] = ()) -> list[Return]:
    """Give a Return for every candidate file in `folder`, in file name order.

    `services` are the service areas the run knows (the plan's leads, `[contacts]`): beyond
    `settings.max_files` files, those named for one are read first and the rest refused,
    each by name, so junk files never push out a real return; a file whose name only starts
    with one is read as that service's and said (`name_notes`).

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
    candidates = _named_first(candidate_files(folder), services)
    for path in candidates[settings.max_files:]:
        found[path] = unusable_return(path, _over_limit(len(candidates), settings,
                                                        bool(services)))
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
    found.update((path, name_notes(ret, services)) for path, ret in zip(to_read, read))
    return [found[path] for path in sorted(found)]
