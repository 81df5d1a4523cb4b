"""A generated 120-action six-monthly paper: every unreported action is an exception, and the
summary's counts add up to the recommendation's number (issue 19)."""

from __future__ import annotations

import re

import pytest
from conftest import prepare

from benchmarks.generate import generate
from reporting.cadence import Paper
from reporting.intake.folder import read_returns
from reporting.plan import find_plan, load_plan
from reporting.status import Status
from reporting.wording import possessive

NUMBER = re.compile(r"(\d+) ([a-z][a-z ]*?)(?=,| and |\.$)")


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan-120")
    generated = generate(folder, actions=120, services=12)
    # One return damaged in transit: it arrived, and cannot be read.
    damaged = next(p for p in generated.returns if p.suffix == ".xlsx")
    damaged.write_bytes(b"PK\x03\x04 not the rest of a workbook")
    plan = load_plan(find_plan(folder / "plan"))
    returns = read_returns(generated.returns_folder)
    return generated, prepare(plan, returns, Paper.SIX_MONTHLY, "2022/23 Q4")


def test_every_action_appendix_a_shows_unreported_is_a_delivery_exception(paper):
    _, report = paper
    model = report.model
    unreported = {a.id for s in model.sections for a in s.actions
                  if a.status in (Status.NO_UPDATE, Status.NOT_GIVEN)}
    listed = {e.action_id for e in model.exceptions}
    assert unreported, "the generated plan should leave some actions unreported"
    assert unreported <= listed, sorted(unreported - listed)


def test_the_summary_counts_add_up_to_the_recommendations_number(paper):
    _, report = paper
    model = report.model
    sentence = next(s for s in model.summary if "most serious problem" in s)
    # A part's own breakdown, in brackets, is within its count, not added to it.
    parts = NUMBER.findall(re.sub(r" \([^)]*\)", "", sentence.split(":", 1)[1]))
    assert len(parts) >= 3, sentence  # off track, at risk, not reported at least
    said = int(re.search(r"considers the (\d+) actions? with delivery exceptions",
                         model.recommendation).group(1))
    assert sum(int(n) for n, _ in parts) == said == len(model.exceptions)
    assert sentence.startswith(f"Of the {said} delivery exceptions")


def test_a_return_that_could_not_be_read_is_never_said_to_be_missing(paper):
    _, report = paper
    model = report.model
    unread = [r.service_area for r in model.returns if r.received == "Could not be read"]
    assert len(unread) == 1, [(r.service_area, r.received) for r in model.returns]
    words = " ".join(f"{e.problem} {e.being_done}" for e in model.exceptions)
    assert f"{unread[0]} sent no return" not in words
    assert f"{possessive(unread[0])} return could not be read" in words
