"""`reporting check FILE...` and `reporting templates`: quick, and without Prefect."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from bad_returns import FOLDER, workbook_bytes, write
from conftest import BUNDLED_INPUTS, ROOT
from test_hostile import ABORT_ON_BOOM

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
    # The bundled plan's other Regulatory Services actions are left out: the receipt says so.
    assert out.startswith("Receipt for regulatory-services.xlsx\nOutcome: Accepted with problems\n")
    assert "It has no row for 1.c, 1.d and 6.f, which Regulatory Services leads" in out


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


# What `reporting check` must never load: it answers while the officer waits (its time is
# measured in `make bench`, not here) and it uses none of them.
NEVER_IN_CHECK = ("prefect", "pandas", "jinja2", "matplotlib", "weasyprint", "docx")
BUNDLED_RETURN = BUNDLED_INPUTS / "returns" / FOLDER / "regulatory-services.xlsx"


def _check_in_a_fresh_process(path: Path, before: str = "") -> tuple[int, set[str], str]:
    """Run `reporting check path` in a new interpreter (after the code `before`); give its
    exit status, which of NEVER_IN_CHECK it had imported by the end, and its output."""
    code = (
        "import argparse, sys\n"
        "from pathlib import Path\n"
        f"{before}\n"
        "from cli import intake\n"
        "parser = argparse.ArgumentParser()\n"
        "parser.add_argument('--config', type=Path, default=Path('reporting.toml'))\n"
        "intake.register(parser.add_subparsers(dest='command'))\n"
        f"args = parser.parse_args(['check', {str(path)!r}])\n"
        "status = args.handler(args)\n"
        f"never = {NEVER_IN_CHECK!r}\n"
        "print('IMPORTED', *sorted({m.split('.')[0] for m in sys.modules} & set(never)))\n"
        "sys.exit(status)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""}, timeout=120)
    imported = next(line for line in done.stdout.splitlines() if line.startswith("IMPORTED"))
    return done.returncode, set(imported.split()[1:]), done.stdout + done.stderr


def test_check_never_imports_prefect_pandas_or_jinja():
    status, imported, output = _check_in_a_fresh_process(BUNDLED_RETURN)
    assert status == 0, output
    assert "Outcome: Accepted" in output
    assert imported == set(), f"reporting check imported {sorted(imported)}"


def test_the_import_check_sees_a_module_that_check_should_not_load():
    status, imported, output = _check_in_a_fresh_process(BUNDLED_RETURN, "import jinja2")
    assert status == 0, output
    assert imported == {"jinja2"}


def test_the_reading_child_imports_only_what_it_reads_with():
    from reporting.intake import isolated
    from reporting.settings import READ_NOW

    # The child as a run starts it, telling what it imports (-X importtime, on stderr).
    command = [isolated.CHILD[0], "-X", "importtime", *isolated.CHILD[1:]]
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    for frame in (READ_NOW, str(BUNDLED_RETURN), None):
        isolated._send(child.stdin, frame)
    ret = isolated._receive(child.stdout)
    _, stderr = child.communicate(timeout=120)
    assert ret.usable and ret.rows
    imported = {line.split("|")[-1].strip().split(".")[0]
                for line in stderr.decode().splitlines() if line.startswith("import time:")}
    assert {"reporting", "python_calamine"} <= imported
    assert not imported & {"pandas", "numpy", "openpyxl", "prefect", "jinja2", "cli", "flows"}


# The command's reading child is forked from it; a file that kills it is still only refused.
# The reader aborts on "boom" as in test_hostile, and the command runs instead of a child.
CHECK_WITH_ABORT_ON_BOOM = ABORT_ON_BOOM.replace("isolated.serve()\n", """
import argparse, sys
from pathlib import Path
from cli import intake

parser = argparse.ArgumentParser()
parser.add_argument("--config", type=Path, default=None)
intake.register(parser.add_subparsers(dest="command"))
args = parser.parse_args(["check", *sys.argv[1:]])
sys.exit(args.handler(args))
""")


def test_a_file_that_kills_the_reader_during_check_is_refused_and_the_others_are_read(
        tmp_path):
    rows = [["1.b", "", "", "Green", "Inspections on plan."]]
    first = write(tmp_path / "a-regulatory-services.xlsx", workbook_bytes(rows=rows))
    boom = write(tmp_path / "boom.xlsx", workbook_bytes(rows=rows))
    last = write(tmp_path / "z-regulatory-services.xlsx", workbook_bytes(rows=rows))
    # No settings file in the folder it runs in: each file is checked on its own.
    done = subprocess.run([sys.executable, "-c", CHECK_WITH_ABORT_ON_BOOM, str(first), str(boom),
                           str(last)], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""}, timeout=120)
    assert done.returncode == 1, done.stderr
    receipts = done.stdout.split("Receipt for ")[1:]
    assert [r.splitlines()[0] for r in receipts] == [first.name, boom.name, last.name]
    assert "Outcome: Not used" in receipts[1] and "made the spreadsheet reader stop" in receipts[1]
    # Both others were read (the older one is superseded by the newer, from one service).
    assert all("Sheet: Return" in r and "1.b" in r for r in (receipts[0], receipts[2]))
    assert "Outcome: Accepted" in receipts[2]


def test_check_compares_with_last_periods_return_when_there_is_one(tmp_path, capsys):
    same = [["1.b", "", "", "Green", "Nothing new to say."]]
    for folder in ("2022-23-Q1", FOLDER):
        (tmp_path / folder).mkdir()
    write(tmp_path / "2022-23-Q1" / "regulatory-services.xlsx", workbook_bytes(rows=same))
    path = write(tmp_path / FOLDER / "regulatory-services.xlsx", workbook_bytes(rows=same))
    assert _run(["check", str(path)]) == 0
    assert "[STALE_UPDATE]" in capsys.readouterr().out
