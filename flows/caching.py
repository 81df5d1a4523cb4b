"""The cache key of a report's documents: a hash of everything that shapes them.

A re-run whose inputs are unchanged gets the documents rendered the first time back from
Prefect's result store instead of rendering again. The key is made from the record of the
run's own read of its inputs (`PeriodInputs.read`: every file it came to, what became of
it and its bytes' sha256), so a return left settling in one run and read in the next gives
two keys, and a file the read did not use changes nothing. Then the templates, the settings
file and the `reporting` package's own source, with the period and cadence: never file
times, so copying or touching a file changes nothing, and a changed word in any of them
renders afresh. Any name, UTF-8 or not, is hashed as the bytes it is on disk.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import reporting
from reporting.pipeline import PeriodInputs
from reporting.publish import sha256_of
from reporting.render.html import TEMPLATES

CODE = Path(reporting.__file__).resolve().parent


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob(pattern)
                  if p.is_file() and not p.name.startswith((".", "~")) and "__pycache__" not in p.parts)


def _line(*parts: str) -> bytes:
    return b"\0".join(part.encode("utf-8", "surrogateescape") for part in parts) + b"\n"


def inputs_fingerprint(inputs: PeriodInputs, cadence: str, config: Path | None,
                       templates: Path = TEMPLATES, code: Path = CODE) -> str:
    """Give the hex sha256 naming the documents the `cadence` report on `inputs` produces."""
    digest = hashlib.sha256(_line(inputs.period.path, cadence))
    for line in inputs.read.fingerprint_lines(inputs.inputs):
        digest.update(b"read\0" + line)
    if config and Path(config).is_file():
        digest.update(_line("config", Path(config).name, sha256_of(config)))
    for group, root in (("templates", Path(templates)), ("code", Path(code))):
        for path in _files(root, "*.py" if group == "code" else "*"):
            digest.update(_line(group, str(path.relative_to(root)), sha256_of(path)))
    return digest.hexdigest()
