"""The pipeline is wired once, in `reporting.pipeline`: the flow, the command line, the tests
and the benchmark call it instead of putting its steps together again."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The steps only `reporting/pipeline.py` puts together.
STEPS = {"decide_fates", "check_returns", "report_findings", "build_report_model",
         "build_receipts", "archive_inputs", "publish_run"}
# Unit tests of one step may call that step; this is the one helper that does.
ALLOWED = {("tests/conftest.py", "raise_flags")}
OUTSIDE = ("flows", "cli", "benchmarks", "tests", "scripts")


def _calls(node: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Call)]


def _name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def wiring(root: Path) -> list[str]:
    """Give "file:line calls step in function" for each call of a step outside the library."""
    found = set()
    for folder in OUTSIDE:
        for path in sorted((root / folder).rglob("*.py")):
            name = str(path.relative_to(root))
            tree = ast.parse(path.read_text(encoding="utf-8"))
            functions = [n for n in ast.walk(tree)
                         if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
            inside = {id(c) for f in functions for c in _calls(f)}
            places = [(f.name, c) for f in functions for c in _calls(f)]
            places += [("<module>", c) for c in _calls(tree) if id(c) not in inside]
            for owner, call in places:
                if _name(call) in STEPS and (name, owner) not in ALLOWED:
                    found.add(f"{name}:{call.lineno} calls {_name(call)} in {owner}")
    return sorted(found)


def test_nothing_outside_the_library_wires_the_pipeline_itself():
    assert wiring(ROOT) == []


def test_the_check_finds_a_test_that_wires_the_pipeline(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(
        "def test_it():\n    model = build_report_model(s, plan, merged, flags, now)\n")
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "m.py").write_text(
        "import reporting.merge as m\n\ndef run():\n    return m.decide_fates(p, r, q)\n")
    assert wiring(tmp_path) == [
        "benchmarks/m.py:4 calls decide_fates in run",
        "tests/test_x.py:2 calls build_report_model in test_it",
    ]


@pytest.mark.parametrize("module", ["flows/scrutiny_report.py", "benchmarks/measure.py",
                                    "cli/intake.py", "flows/intake_check.py"])
def test_the_flow_the_benchmark_and_the_commands_call_the_pipeline(module):
    assert "pipeline" in (ROOT / module).read_text(encoding="utf-8")
