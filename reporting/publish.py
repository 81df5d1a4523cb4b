"""Publishing a run: whole files only, the record of what it read, every input archived by
hash, and a manifest.

Every file appears whole or not at all: it is written under a temporary name in the same
folder and renamed into place, so a reader (or a run that dies half-way) never sees a
half-written document, and the previous version stays readable until the new one is ready.

A run's read of its inputs is one record (`InputsRead`): every file it came to, what it was
read as, what became of it (read, or left settling, refused, unreadable) and the sha256 of
the bytes read. The archive, the manifest and the cache key of the documents all come from
that record, so none of them can see a file the read did not, or miss one it did.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path

from reporting import CODE, TEMPLATES

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` whole or not at all; give `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_together(files: dict[Path, bytes]) -> list[Path]:
    """Write every file, all or none: each goes to a temporary name beside its place first,
    and only when all are whole are they renamed into place; give the paths.

    A full disk or a refused folder leaves every earlier version as it was.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:80]}.",
                                                 suffix=".tmp")
            staged.append((temporary, path))
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o644)
    except BaseException:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)
    return [path for _, path in staged]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _source_files(folder: Path, pattern: str) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob(pattern) if p.is_file()
                  and not p.name.startswith((".", "~")) and "__pycache__" not in p.parts)


def source_fingerprint(code: Path = CODE, templates: Path = TEMPLATES) -> str:
    """Give the hex sha256 of the `reporting` package's source and the templates on disk."""
    digest = hashlib.sha256()
    for group, root, pattern in (("code", code, "*.py"), ("templates", templates, "*")):
        for path in _source_files(Path(root), pattern):
            digest.update(b"\0".join((group.encode(), os.fsencode(path.relative_to(root)),
                                      sha256_of(path).encode())) + b"\n")
    return digest.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """Give the fingerprint of the code this process runs: its source and templates as they
    were when first asked (a run asks at its start; once a process).

    A child process a run starts (the Word file's) compares its own and refuses to render
    with other code, so a `git pull` during a run cannot mix two versions in one set of
    papers, and the run's cache key names the code it ran.
    """
    return source_fingerprint()


def safe_cell(value: object) -> str:
    """Give `value` as text a spreadsheet will show, never run: a leading = + - @ is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def shown_path(path: Path | str) -> str:
    """Give a path as text any file can hold: a byte of a name that was not UTF-8 (a lone
    surrogate from os.listdir) is shown as its escape, b"Comunicaci\\xf3n.xlsx" as
    "Comunicaci\\xf3n.xlsx"."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


class Outcome(str, Enum):
    """What the read of a run's inputs made of one file it came to."""

    READ = "read"
    SETTLING = "settling"  # changed moments before the run: left for the next one
    REFUSED = "refused"  # not parsed at all: a link, a folder, not a spreadsheet, too big
    UNREADABLE = "unreadable"  # opened, and could not be used


@dataclass(frozen=True)
class InputFile:
    """One file the read of a run's inputs came to, and what became of it.

    `content` is the bytes as read (none when the file was not read), and is what the
    archive keeps: the file may have changed since.
    """

    kind: str  # what it was read as: "plan", "return", "previous return", ...
    path: Path
    outcome: Outcome = Outcome.READ
    why: str = ""  # for a file not used: what was wrong
    content: bytes = field(default=b"", repr=False, compare=False)
    sha256: str = ""  # of `content`; "" when nothing was read

    def __post_init__(self) -> None:
        if self.content and not self.sha256:
            object.__setattr__(self, "sha256", hashlib.sha256(self.content).hexdigest())

    def relative(self, root: Path | None = None) -> Path:
        """Give the file's path relative to `root` when it is under it, else whole."""
        path = Path(self.path)
        return path.relative_to(root) if root and path.is_relative_to(root) else path

    def shown(self, root: Path | None = None) -> str:
        """Give the file's path (relative to `root`) as text any file can hold."""
        return shown_path(self.relative(root))


@dataclass(frozen=True)
class InputsRead:
    """The record of one read of a run's inputs: every file it came to, in the order read."""

    files: tuple[InputFile, ...] = ()

    def __add__(self, other: InputsRead) -> InputsRead:
        return InputsRead(self.files + other.files)

    @property
    def archived(self) -> tuple[InputFile, ...]:
        """The files whose bytes were read (the ones the archive keeps)."""
        return tuple(f for f in self.files if f.content)

    @property
    def skipped(self) -> tuple[InputFile, ...]:
        """The files the read came to and did not use: settling, refused or unreadable."""
        return tuple(f for f in self.files if f.outcome is not Outcome.READ)

    def fingerprint_lines(self, root: Path | None = None) -> list[bytes]:
        """Give one line per file, whatever its name: its kind, path (relative to `root`),
        outcome and the sha256 of its bytes (for a file refused unread, why), which is what
        a key of the documents made from this read must hold. A settling file's line holds
        no time, so a re-run while it still settles gives the same line."""
        lines = []
        for item in self.files:
            said = item.sha256 or ("" if item.outcome is Outcome.SETTLING else item.why)
            parts = (item.kind, str(item.relative(root)), item.outcome.value, said)
            lines.append(b"\0".join(p.encode("utf-8", "surrogateescape") for p in parts) + b"\n")
        return lines


@dataclass(frozen=True)
class ArchivedInput:
    path: str
    sha256: str
    bytes: int
    archived_as: str
    kind: str = ""


def _archive_suffix(path: Path) -> str:
    return re.sub(r"[^a-z0-9.]", "", path.suffix.lower())[:10]


def archive_inputs(inputs: InputsRead, archive: Path,
                   root: Path | None = None) -> list[ArchivedInput]:
    """Copy the bytes of each file the read used into `archive` under their sha256 (once)
    and give what was archived.

    The bytes are those read, not the file as it is now (it may have changed since). The
    originals are never moved or changed.
    """
    archived = []
    for item in inputs.archived:
        target = Path(archive) / f"{item.sha256}{_archive_suffix(Path(item.path))}"
        if not target.exists():
            write_atomic(target, item.content)
        # Named relative to the outputs folder, so the record survives the folder moving.
        stored = target.relative_to(Path(archive).parent)
        archived.append(ArchivedInput(item.shown(root), item.sha256, len(item.content),
                                      str(stored), item.kind))
    return archived


def _skipped_entry(item: InputFile, root: Path | None) -> dict[str, str]:
    return {"path": item.shown(root), "kind": item.kind, "outcome": item.outcome.value,
            "why": shown_path(item.why)}


def read_manifest(path: Path) -> dict | None:
    """Give a published paper's manifest (`publish_run` writes it), or None when there is
    none or it cannot be read as one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def publish_run(
    folder: Path,
    documents: dict[str, bytes],
    inputs: list[ArchivedInput],
    counts: dict[str, object],
    started: datetime,
    extra: dict[str, object] | None = None,
    alongside: dict[Path, bytes] | None = None,
    skipped: tuple[InputFile, ...] = (),
    root: Path | None = None,
) -> Path:
    """Write each document into `folder`, with the files `alongside` (the receipts), all or
    none; then `manifest.json` naming them all, with the inputs read (`inputs`) and those the
    read came to and did not use (`skipped`, named relative to `root`); give its path.

    The manifest is written last, so one that exists always describes complete documents.
    """
    folder = Path(folder)
    write_together({**{folder / name: data for name, data in documents.items()},
                    **(alongside or {})})
    outputs = [{"file": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
               for name, data in documents.items()]
    manifest = {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now().astimezone().isoformat(timespec="seconds"),
        "inputs": [vars(i) for i in inputs],
        "skipped": [_skipped_entry(i, root) for i in skipped],
        "outputs": outputs,
        "counts": counts,
        **(extra or {}),
    }
    return write_atomic(folder / "manifest.json",
                        json.dumps(manifest, indent=2, default=str).encode("utf-8"))

