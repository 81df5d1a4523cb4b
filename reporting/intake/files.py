"""Files as they really arrive: which to read, which to leave for now, and which to refuse.

A returns folder holds more than returns: Office lock files, hidden and temporary files,
files still being copied, and now and then something that is not a spreadsheet at all.
This module decides which files are candidates. Checking a candidate before anything parses
it (its size, what kind of file it really is, how far a workbook expands and how many rows
it holds) is `reporting.sheets.bounds`, shared with the plan import; its names are given
here too, where the intake has always found them.

Nothing here writes, moves or deletes a file.
"""

from __future__ import annotations

import stat
import time
from pathlib import Path

from reporting.sheets.bounds import (
    Unreadable,
    WorkbookScan,
    cell_index,
    check_archive,
    check_workbook,
    choose_sheet,
    column_letter,
    identify,
)

__all__ = ["Unreadable", "WorkbookScan", "candidate_files", "cell_index", "check_archive",
           "check_workbook", "choose_sheet", "column_letter", "identify", "is_ignored",
           "refusal", "seconds_since_modified"]


# ---------------------------------------------------------------------------------------
# Which files in a folder are candidates


_TEMP_SUFFIXES = (".tmp", ".temp", ".crdownload", ".part", ".partial", ".download", ".bak", "~")
_SYSTEM_NAMES = {"thumbs.db", "desktop.ini", "icon\r"}


def is_ignored(path: Path) -> bool:
    """Tell whether `path` is a lock, hidden, temporary or system file (never mentioned)."""
    name = path.name
    lower = name.lower()
    if name.startswith(("~$", ".", "~")) or lower in _SYSTEM_NAMES:
        return True
    if lower.endswith(_TEMP_SUFFIXES):
        return True
    try:
        attributes = getattr(path.lstat(), "st_file_attributes", 0)
    except OSError:
        return True
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


def candidate_files(folder: Path) -> list[Path]:
    """Give what in `folder` should be read as a return, in name order: every entry but lock,
    hidden, temporary and system files. Folders and links are among them, so that each is
    refused with a word (see `refusal`) rather than passed over in silence."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not is_ignored(p)
                  and (p.is_symlink() or not p.is_dir() or p.suffix.lower() in _RETURN_LIKE))


# A folder named like a return ("housing.xlsx/") is refused with a word; any other folder
# (an "old" or "drafts" folder kept beside the returns) is passed over.
_RETURN_LIKE = (".xlsx", ".xlsm", ".xls", ".csv", ".tsv", ".ods")


def refusal(path: Path) -> Unreadable | None:
    """Say why an entry of the returns folder is not read as a file at all, or give None."""
    if path.is_symlink():
        return Unreadable("this is a link to another file, and links are not followed",
                          "put the return file itself in the folder")
    if path.is_dir():
        return Unreadable("this is a folder, not a return file",
                          "put the return file itself in the period's folder")
    if not path.is_file():
        return Unreadable("this is not an ordinary file", "put the return file in the folder")
    return None


def seconds_since_modified(path: Path, now: float | None = None) -> float:
    return (time.time() if now is None else now) - Path(path).stat().st_mtime
