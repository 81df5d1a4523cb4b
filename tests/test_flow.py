"""End to end: the flow on the bundled plan and returns, documents read back."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from conftest import BUNDLED_INPUTS
from reporting.cadence import Cadence
from reporting.flags import raise_flags
from reporting.merge import merge
from reporting.period import Period
from reporting.plan import find_plan, load_plan
from reporting.returns import read_returns

pytestmark = pytest.mark.flow


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    shutil.copytree(BUNDLED_INPUTS, folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def runs(prefect_harness, inputs, tmp_path_factory):
    """Run the quarterly and six-monthly Q2 reports once; give (inputs before, outputs, paths)."""
    from flows.scrutiny_report import scrutiny_report

    before = _hashes(inputs)
    outputs = tmp_path_factory.mktemp("outputs")
    paths = {
        cadence: scrutiny_report(period="2022/23 Q2", cadence=cadence, inputs=str(inputs),
                                 outputs=str(outputs))
        for cadence in ("quarterly", "six-monthly")
    }
    return before, outputs, paths


def _expected(inputs: Path, cadence: str):
    period = Period.parse("2022/23 Q2")
    plan = load_plan(find_plan(inputs / "plan"))
    merged = merge(plan, read_returns(inputs / "returns" / period.path), Cadence.parse(cadence),
                   period)
    return merged, raise_flags(merged)


@pytest.mark.parametrize("cadence, actions", [("quarterly", 15), ("six-monthly", 21)])
def test_pdf_and_docx_show_every_action_status_and_flag(runs, inputs, cadence, actions):
    _, outputs, paths = runs
    merged, flags = _expected(inputs, cadence)
    assert len(merged.progress) == actions
    folder = outputs / "2022-23-Q2" / cadence
    assert Path(paths[cadence]["pdf"]).parent == folder
    for text in (_pdf_text(Path(paths[cadence]["pdf"])), _docx_text(Path(paths[cadence]["docx"]))):
        flat = " ".join(text.split())
        for progress in merged.progress:
            # the action's own heading, with its status word in its block
            assert f"{progress.action.id} " in flat
            block = flat.split(f"{progress.action.id} {progress.action.objective}")[-1]
            assert progress.status.value in block[:3000], progress.action.id
        for flag in flags:
            assert flag.code in flat
        for code in ("NO_RETURN", "OFF_TRACK", "DATE_SLIPPED", "UNKNOWN_ACTION",
                     "MISSING_STATUS", "MILESTONE_UNDEFINED"):
            assert code in flat
        assert "That the Committee notes" in flat


def test_the_front_sheet_and_page_numbers(runs):
    _, _, paths = runs
    text = _pdf_text(Path(paths["quarterly"]["pdf"]))
    assert "Harborough District Council" in text
    assert "2022/23 Q2 (July to September 2022)" in text
    pages = text.count("\f")
    assert f"Page 1 of {pages}" in " ".join(text.split()) or f"Page 1 of {pages}" in text
    six = _pdf_text(Path(paths["six-monthly"]["pdf"]))
    assert "2022/23 H1 (April to September 2022)" in six


def test_flags_csv_and_manifest(runs, inputs):
    _, outputs, paths = runs
    merged, flags = _expected(inputs, "quarterly")
    with open(paths["quarterly"]["flags"], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["code", "severity", "action_id", "service_area", "message", "source"]
    assert [(r["code"], r["action_id"]) for r in rows] == [(f.code, f.action_id) for f in flags]
    manifest = json.loads(Path(paths["quarterly"]["manifest"]).read_text())
    read = {i["path"]: i["sha256"] for i in manifest["inputs"]}
    assert set(read) == {"plan/health-and-wellbeing-action-plan-2022-23.xlsx",
                         *(f"returns/2022-23-Q2/{p.name}"
                           for p in (inputs / "returns" / "2022-23-Q2").iterdir())}
    for name, digest in read.items():
        original = inputs / name
        assert hashlib.sha256(original.read_bytes()).hexdigest() == digest
        assert (outputs / "archive" / f"{digest}{original.suffix}").read_bytes() == \
            original.read_bytes()
    written = {o["file"] for o in manifest["outputs"]}
    assert written == {Path(p).name for k, p in paths["quarterly"].items() if k != "manifest"}
    assert manifest["counts"] == {"actions": 15, "returns": 6, "flags": len(flags)}
    assert manifest["started"] <= manifest["finished"]
    leftovers = [p for p in (outputs / "2022-23-Q2").rglob("*.tmp")]
    assert leftovers == []


def test_inputs_are_never_changed(runs, inputs):
    before, _, _ = runs
    assert _hashes(inputs) == before


def test_the_command_runs_the_flow_and_prints_the_paths(runs, inputs, tmp_path, capsys):
    from reporting.cli import main

    code = main(["run", "--period", "2022-23-Q1", "--inputs", str(inputs),
                 "--outputs", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    pdf = tmp_path / "2022-23-Q1" / "quarterly" / "scrutiny-report-2022-23-Q1-quarterly.pdf"
    assert str(pdf) in out and pdf.read_bytes().startswith(b"%PDF")


def test_the_command_fails_in_one_line_when_no_report_can_be_made(runs, tmp_path, capsys):
    from reporting.cli import main

    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "plan.xlsx").write_text("not a workbook")
    code = main(["run", "--period", "2022/23 Q2", "--inputs", str(tmp_path),
                 "--outputs", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code != 0
    assert len(err.splitlines()) == 1 and "cannot be opened as an Excel workbook" in err
