"""The cache key of a report's documents: a hash of everything that shapes them.

A re-run whose inputs are unchanged gets the documents rendered the first time back from
Prefect's result store instead of rendering again. The key is made from the record of the
run's own read of its inputs (`PeriodInputs.read`: every file it came to, what became of
it and its bytes' sha256), so a return left settling in one run and read in the next gives
two keys, and a file the read did not use changes nothing. Then the templates, the settings
file and the `reporting` package's own source, with the period and paper: never file
times, so copying or touching a file changes nothing, and a changed word in any of them
renders afresh. Any name, UTF-8 or not, is hashed as the bytes it is on disk.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from reporting import CODE, TEMPLATES
from reporting.cadence import Paper
from reporting.pipeline import PeriodInputs
from reporting.publish import code_fingerprint, sha256_of, source_fingerprint

# Taken as the flows are imported, with the code the run will run: a `git pull` later in
# the run changes neither its cache key nor (see reporting.render.alongside) its papers.
code_fingerprint()


def _line(*parts: str) -> bytes:
    return b"\0".join(part.encode("utf-8", "surrogateescape") for part in parts) + b"\n"


def inputs_fingerprint(inputs: PeriodInputs, paper: Paper, config: Path | None,
                       templates: Path | None = None, code: Path | None = None) -> str:
    """Give the hex sha256 naming the documents the `paper` on `inputs` produces.

    The code is the code this run runs (`code_fingerprint`, taken at its start), unless
    other `templates` or `code` folders are given.
    """
    digest = hashlib.sha256(_line(inputs.period.path, paper.value))
    for line in inputs.read.fingerprint_lines(inputs.inputs):
        digest.update(b"read\0" + line)
    if config and Path(config).is_file():
        digest.update(_line("config", Path(config).name, sha256_of(config)))
    code_is = (code_fingerprint() if templates is None and code is None else
               source_fingerprint(code or CODE, templates or TEMPLATES))
    digest.update(_line("code", code_is))
    return digest.hexdigest()
