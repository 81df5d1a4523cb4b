"""Each finding code is declared once (reporting/checks/codes.py); everything else reads the
declaration: the checks raise declared codes, the README's flag table is the registry's."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from reporting.checks import codes
from reporting.checks.codes import CODES, Code, ExceptionKind, Reader
from reporting.checks.finding import Finding
from reporting.merge import Fate

ROOT = Path(__file__).resolve().parent.parent


def _readme_table() -> dict[str, tuple[str, ...]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("| code | severity | read by | when |")
    rows = {}
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = tuple(cell.strip() for cell in line.strip("|").split("|"))
        rows[cells[0].strip("`")] = cells[1:]
    return rows


def _read_by(code: Code) -> str:
    words = [word for reader, word in ((Reader.OFFICER, "officer"),
                                       (Reader.DATA_QUALITY, "data-quality note"))
             if reader in code.readers]
    if code.exception:
        words.append(f"committee ({code.exception.value})")
    return ", ".join(words)


def test_the_readme_flag_table_is_the_registry():
    table = _readme_table()
    assert list(table) == list(CODES), "the README lists other codes, or in another order"
    for name, code in CODES.items():
        assert table[name] == (code.severity.word, _read_by(code), code.when), name


def test_each_constant_is_named_by_its_code():
    for attribute, value in vars(codes).items():
        if isinstance(value, Code):
            assert attribute == str(value)


def test_a_finding_takes_its_severity_and_readers_from_its_code():
    finding = Finding("OFF_TRACK", "1.a", "Housing", "1.a is off track", paper="off track")
    assert finding.code is codes.OFF_TRACK and finding.severity is codes.OFF_TRACK.severity
    assert finding.delivery and not finding.data_quality
    assert pickle.loads(pickle.dumps(finding)) == finding


def test_an_undeclared_code_or_committee_words_on_a_data_code_are_refused():
    with pytest.raises(ValueError, match="NO_SUCH_CODE"):
        Finding("NO_SUCH_CODE", "1.a", "Housing", "")
    with pytest.raises(ValueError, match="LONG_UPDATE"):
        Finding(codes.LONG_UPDATE, "1.a", "Housing", "", paper="too long")


def test_every_fate_of_a_row_not_used_is_a_declared_code():
    # A row used, or left blank (no row sent), raises nothing.
    for fate in Fate:
        assert (fate.raises in CODES) if fate not in (Fate.USED, Fate.BLANK) else \
            fate.raises == ""


def test_the_checks_raise_only_declared_codes_and_type_no_code_twice():
    """A code string typed outside the registry is the drift this registry ends."""
    names = "|".join(CODES)
    typed = re.compile(rf"""["']({names})["']""")
    for path in (ROOT / "reporting").rglob("*.py"):
        if path.name == "codes.py" or path.name == "merge.py":  # merge: Fate's values
            continue
        found = typed.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(ROOT)} types {found}: use reporting.checks.codes"


def test_every_kind_of_exception_has_a_code_and_the_kinds_run_most_serious_first():
    kinds = {code.exception for code in CODES.values() if code.exception}
    assert kinds == set(ExceptionKind)
    assert [k.rank for k in ExceptionKind] == list(range(len(ExceptionKind)))
    assert ExceptionKind.OFF_TRACK.rank < ExceptionKind.NOT_REPORTED.rank
