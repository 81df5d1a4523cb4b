"""The benchmark's generator writes a plan and returns the library can read, the same every time."""

from __future__ import annotations

import hashlib

from conftest import raise_flags

from benchmarks.generate import PAPER, PERIOD_LABEL, generate
from reporting.cadence import Paper
from reporting.intake.folder import read_returns
from reporting.merge import merge
from reporting.period import Period
from reporting.plan import find_plan, load_plan


def _digest(folder) -> str:
    # Workbooks carry their save time, so compare what the library reads, not the bytes.
    plan = load_plan(find_plan(folder / "plan"))
    returns = read_returns(folder / "returns" / "2022-23-Q4")
    text = repr([(a.id, a.objective, a.due_date, a.milestones) for a in plan.actions])
    text += repr([(r.file, [(row.action_id, row.status_text, row.progress_update)
                            for row in r.rows]) for r in returns])
    return hashlib.sha256(text.encode()).hexdigest()


def test_a_generated_plan_loads_with_every_action_and_service_area(tmp_path):
    generate(tmp_path, actions=60, services=9, seed=1)
    plan = load_plan(find_plan(tmp_path / "plan"))
    assert len(plan.actions) == 60
    assert len(plan.service_areas) == 9


def test_generated_returns_merge_and_raise_the_usual_flags(tmp_path):
    generated = generate(tmp_path, actions=1000, services=60, seed=6)
    plan = load_plan(find_plan(tmp_path / "plan"))
    returns = read_returns(generated.returns_folder)
    merged = merge(plan, returns, Paper(PAPER), Period.parse(PERIOD_LABEL))
    codes = {flag.code for flag in raise_flags(merged)}
    # The six-monthly report at Q4 covers every action in the plan.
    assert len(merged.progress) == 1000
    assert len(returns) + len(generated.no_return) == 60
    assert generated.no_return and generated.unreadable
    assert {"NO_RETURN", "UNREADABLE_RETURN", "OVERDUE", "MISSING_UPDATE", "MISSING_STATUS",
            "DATE_SLIPPED", "DUPLICATE_UPDATE"} <= codes
    assert sum(len(r.rows) for r in returns) > 1000


def test_the_same_seed_gives_the_same_inputs(tmp_path):
    generate(tmp_path / "one", actions=40, services=9, seed=3)
    generate(tmp_path / "two", actions=40, services=9, seed=3)
    assert _digest(tmp_path / "one") == _digest(tmp_path / "two")


def test_the_benchmarks_word_floor_holds_every_table_of_the_model():
    import io

    import docx
    from conftest import make_action, make_plan, make_return, make_row, prepare

    from benchmarks.measure import docx_floor

    model = prepare(make_plan(make_action("1.a"), make_action("1.b")),
                    [make_return("Regulatory Services", make_row("1.a", "Red"))]).model
    document = docx.Document(io.BytesIO(docx_floor(model)))
    assert len(document.tables) == len(model.tables_in_order)
