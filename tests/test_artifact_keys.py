"""Artifact keys carry their plan (issue 21), by Prefect's rule, and the documents are named by
their paths as text, not by file:// links a browser will not open from the UI."""

from __future__ import annotations

import re

import pytest
from conftest import make_action, make_plan, make_return, make_row, make_settings, prepare

from flows.artifact_keys import artifact_key, plan_key
from reporting.period import Period

KEY_RULE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # Prefect's: lowercase, digits, dashes
Q2 = Period.parse("2022/23 Q2")


@pytest.mark.parametrize("plan", ["corporate", "climate-2", "Climate", "climate_2", "a.b",
                                  "ÉCOLE", "__"])
def test_a_plans_key_keeps_prefect_s_rule(plan):
    key = artifact_key("chase-list", plan_key(plan, make_settings()), Q2.path)
    assert KEY_RULE.fullmatch(key), key
    assert key.startswith("chase-list-") and key.endswith("-2022-23-q2")


def test_two_plans_never_share_a_key_for_one_period():
    settings = make_settings()
    names = ["corporate", "climate", "climate-2", "climate_2", "Climate", "climate.2"]
    keys = {artifact_key("chase-list", plan_key(name, settings), Q2.path) for name in names}
    assert len(keys) == len(names)
    assert artifact_key("chase-list", plan_key("corporate", settings), Q2.path) == \
        "chase-list-corporate-2022-23-q2"


def test_a_single_plan_installation_is_keyed_by_its_plan_title():
    settings = make_settings()
    assert plan_key(None, settings) == re.sub(r"[^a-z0-9]+", "-",
                                              settings.plan_title.lower()).strip("-")
    assert KEY_RULE.fullmatch(artifact_key("flags", plan_key(None, settings), Q2.path,
                                           "six-monthly"))


def test_the_report_artifacts_carry_the_plan_and_show_the_documents_as_paths(
        monkeypatch, tmp_path):
    import flows.scrutiny_report as flow

    made = []
    monkeypatch.setattr(flow, "create_markdown_artifact", lambda **kw: made.append(kw))
    monkeypatch.setattr(flow, "create_table_artifact", lambda **kw: made.append(kw))
    plan = make_plan(make_action("1.a"))
    report = prepare(plan, [make_return("Regulatory Services", make_row("1.a", "Red"))])
    paths = {kind: tmp_path / f"paper.{kind}" for kind in ("pdf", "docx", "html")}
    flow._artifacts(Q2, report.paper, report, paths, reused=False, plan="climate")
    assert [a["key"] for a in made] == ["scrutiny-report-climate-2022-23-q2-quarterly",
                                        "flags-climate-2022-23-q2-quarterly"]
    summary = made[0]["markdown"]
    assert "file://" not in summary
    for path in paths.values():
        assert re.sub(r"\\(.)", r"\1", summary).count(str(path)) == 1  # the path, as text
