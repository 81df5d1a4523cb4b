"""The cache key of a report's documents: a hash of the content of everything that shapes them.

A re-run whose inputs are unchanged gets the documents rendered the first time back from
Prefect's result store instead of rendering again. The key is the content (sha256) of the
plan, the period's returns (and the previous period's, which a report may compare with),
the templates, the settings file and the `reporting` package's own source, with the
period and cadence: never file times, so copying or touching a file changes nothing, and
a changed word in any of them renders afresh.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import reporting
from reporting.publish import sha256_of
from reporting.render.html import TEMPLATES

CODE = Path(reporting.__file__).resolve().parent


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob(pattern)
                  if p.is_file() and not p.name.startswith((".", "~")) and "__pycache__" not in p.parts)


def inputs_fingerprint(period_path: str, previous_path: str, cadence: str, inputs: Path,
                       config: Path | None, templates: Path = TEMPLATES, code: Path = CODE) -> str:
    """Give the hex sha256 naming the documents these inputs produce."""
    digest = hashlib.sha256(f"{period_path}\0{cadence}\0".encode())
    groups = {
        "plan": _files(inputs / "plan"),
        "returns": _files(inputs / "returns" / period_path),
        "previous": _files(inputs / "returns" / previous_path),
        "templates": _files(templates),
        "config": [config] if config and config.is_file() else [],
        "code": _files(code, "*.py"),
    }
    for group, paths in groups.items():
        root = {"plan": inputs, "returns": inputs, "previous": inputs, "templates": templates,
                "code": code}.get(group)
        for path in paths:
            name = path.relative_to(root) if root else path.name
            digest.update(f"{group}\0{name}\0{sha256_of(path)}\n".encode())
    return digest.hexdigest()
