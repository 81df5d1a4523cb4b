"""Publishing a run: whole files only, every input archived by hash, and a manifest.

Every file appears whole or not at all: it is written under a temporary name in the same
folder and renamed into place, so a reader (or a run that dies half-way) never sees a
half-written document, and the previous version stays readable until the new one is ready.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

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


def safe_cell(value: object) -> str:
    """Give `value` as text a spreadsheet will show, never run: a leading = + - @ is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


@dataclass(frozen=True)
class ArchivedInput:
    path: str
    sha256: str
    bytes: int
    archived_as: str


def archive_inputs(inputs: list[Path | tuple[Path, bytes]], archive: Path,
                   root: Path | None = None) -> list[ArchivedInput]:
    """Copy each input into `archive` under its sha256 (once) and give what was archived.

    An input is a path, or a (path, bytes) pair holding the bytes as they were read, which
    are archived rather than the file as it is now (it may have changed since). The
    originals are only read, never moved or changed.
    """
    archived = []
    for item in inputs:
        path, data = (Path(item[0]), item[1]) if isinstance(item, tuple) else \
            (Path(item), Path(item).read_bytes())
        digest = hashlib.sha256(data).hexdigest()
        target = Path(archive) / f"{digest}{path.suffix.lower()[:10]}"
        if not target.exists():
            write_atomic(target, data)
        shown = path.relative_to(root) if root and path.is_relative_to(root) else path
        # Named relative to the outputs folder, so the record survives the folder moving.
        stored = target.relative_to(Path(archive).parent)
        archived.append(ArchivedInput(str(shown), digest, len(data), str(stored)))
    return archived


def publish_run(
    folder: Path,
    documents: dict[str, bytes],
    inputs: list[ArchivedInput],
    counts: dict[str, object],
    started: datetime,
    extra: dict[str, object] | None = None,
    alongside: dict[Path, bytes] | None = None,
) -> Path:
    """Write each document into `folder`, with the files `alongside` (the receipts), all or
    none; then `manifest.json` naming them all; give the manifest path.

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
        "outputs": outputs,
        "counts": counts,
        **(extra or {}),
    }
    return write_atomic(folder / "manifest.json",
                        json.dumps(manifest, indent=2, default=str).encode("utf-8"))

