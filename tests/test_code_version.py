"""One version of the code a run (issue 21): a `git pull` during a run changes neither its
papers nor its cache key."""

from __future__ import annotations

import io
import shutil

import docx
from sample_model import sample_model

import reporting.publish as publish
import reporting.render.alongside as alongside
from reporting import CODE, TEMPLATES


def _texts(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_a_word_child_with_other_code_on_disk_refuses_and_the_run_renders_it_itself(
        monkeypatch):
    model = sample_model("An update")
    same = alongside.WordAlongside(model)
    made = same.result()
    assert same.child_status == 0
    # The parent runs code that is no longer on disk (pulled since it started).
    monkeypatch.setattr(alongside, "code_fingerprint", lambda: "0" * 64)
    other = alongside.WordAlongside(model)
    assert _texts(other.result()) == _texts(made)
    assert other.child_status == alongside.OTHER_CODE


def test_the_runs_code_is_taken_once_at_its_start(monkeypatch):
    publish.code_fingerprint.cache_clear()
    versions = iter(["first", "pulled"])
    monkeypatch.setattr(publish, "source_fingerprint", lambda: next(versions))
    try:
        assert publish.code_fingerprint() == "first"
        assert publish.code_fingerprint() == "first"  # after a pull, still the run's own
    finally:
        publish.code_fingerprint.cache_clear()


def test_the_source_fingerprint_changes_with_a_word_of_code_or_template(tmp_path):
    code, templates = tmp_path / "reporting", tmp_path / "templates"
    shutil.copytree(CODE, code, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(TEMPLATES, templates)
    first = publish.source_fingerprint(code, templates)
    assert publish.source_fingerprint(code, templates) == first
    (code / "wording.py").write_text((code / "wording.py").read_text() + "\n# a change\n")
    second = publish.source_fingerprint(code, templates)
    (templates / "report.css").write_bytes((templates / "report.css").read_bytes() + b" ")
    assert len({first, second, publish.source_fingerprint(code, templates)}) == 3
