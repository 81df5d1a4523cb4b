"""`reporting check FILE...` and `reporting templates`: quick, and without Prefect."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from bad_returns import FOLDER, workbook_bytes, write
from conftest import BUNDLED_INPUTS, ROOT

from cli import intake


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="reporting")
    parser.add_argument("--config", type=Path, default=ROOT / "reporting.toml")
    intake.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_check_prints_the_receipt_and_exits_0_for_a_usable_file(tmp_path, capsys):
    rows = [["1.b", "", "", "Green", "Inspections on plan."]]  # Regulatory Services leads 1.b
    path = write(tmp_path / "regulatory-services.xlsx", workbook_bytes(rows=rows))
    assert _run(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Receipt for regulatory-services.xlsx\nOutcome: Accepted\n")


def test_check_finds_the_plan_and_refuses_a_row_for_another_services_action(tmp_path, capsys):
    # In the bundled plan Planning Policy leads 1.a and Regulatory Services 1.b.
    path = write(tmp_path / "regulatory-services.xlsx", workbook_bytes())
    assert _run(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "- Return!A8: 1.a: Not used: 1.a is led by Planning Policy." in out
    assert "- Return!A9: 1.b: Used." in out
    assert "[NOT_LEAD_SERVICE]" in out


def test_check_exits_1_when_a_file_cannot_be_used(tmp_path, capsys):
    good = write(tmp_path / "regulatory-services.xlsx", workbook_bytes())
    bad = write(tmp_path / "housing.xlsx", b"")
    assert _run(["check", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "Outcome: Not used" in out and "empty (0 bytes)" in out


def test_templates_writes_one_workbook_per_service_area(tmp_path, capsys):
    assert _run(["templates", "--period", "2022/23 Q3", "--inputs", str(BUNDLED_INPUTS),
                 "--outputs", str(tmp_path)]) == 0
    written = sorted((tmp_path / "2022-23-Q3" / "templates").glob("*.xlsx"))
    out = capsys.readouterr().out
    assert written and all(str(p) in out for p in written)
    assert (tmp_path / "2022-23-Q3" / "templates" / "Regulatory Services.xlsx") in written


def test_check_is_quick_and_never_imports_prefect():
    path = BUNDLED_INPUTS / "returns" / FOLDER / "regulatory-services.xlsx"
    code = (
        "import argparse, sys\n"
        "from pathlib import Path\n"
        "from cli import intake\n"
        "parser = argparse.ArgumentParser()\n"
        "parser.add_argument('--config', type=Path, default=Path('reporting.toml'))\n"
        "intake.register(parser.add_subparsers(dest='command'))\n"
        f"args = parser.parse_args(['check', {str(path)!r}])\n"
        "status = args.handler(args)\n"
        "assert 'prefect' not in sys.modules, 'prefect was imported'\n"
        "sys.exit(status)\n"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert time.perf_counter() - started < 2  # well under 1 s on its own; the margin is for CI


def test_check_compares_with_last_periods_return_when_there_is_one(tmp_path, capsys):
    same = [["1.b", "", "", "Green", "Nothing new to say."]]
    for folder in ("2022-23-Q1", FOLDER):
        (tmp_path / folder).mkdir()
    write(tmp_path / "2022-23-Q1" / "regulatory-services.xlsx", workbook_bytes(rows=same))
    path = write(tmp_path / FOLDER / "regulatory-services.xlsx", workbook_bytes(rows=same))
    assert _run(["check", str(path)]) == 0
    assert "[STALE_UPDATE]" in capsys.readouterr().out
