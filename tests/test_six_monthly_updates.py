"""A six-monthly paper covers two quarters: where the status moved, or the action is a
delivery exception, its row gives the first quarter's update too (issue 19, a reader's
review), after the second's and short."""

from __future__ import annotations

from conftest import make_action, make_plan, make_return, make_row, prepare

from reporting.cadence import Paper

PLAN = make_plan(make_action("1.a"), make_action("1.b"), make_action("1.c"),
                 make_action("1.d"), make_action("1.e"))
LONG = " ".join(f"word{n}" for n in range(60))
Q1 = [make_return("Regulatory Services",
                  make_row("1.a", "On track", "Survey started in June."),
                  make_row("1.b", "On track", "Ten inspections done.", row=9),
                  make_row("1.c", "At risk", "Waiting for the contractor.", row=10),
                  make_row("1.d", "On track", LONG, row=11),
                  make_row("1.e", "On track", "First draft written.", row=12)),
      # Another service's row on 1.e was not used in Q1: its words are not shown.
      make_return("Housing", make_row("1.e", "On track", "Housing's own note."))]
Q2 = [make_return("Regulatory Services",
                  make_row("1.a", "At risk", "Survey paused: the supplier went bust."),
                  make_row("1.b", "On track", "Twenty inspections done.", row=9),
                  make_row("1.c", "At risk", "Waiting for the contractor.", row=10),
                  make_row("1.d", "Off track", "Stopped.", row=11),
                  make_row("1.e", "Complete", "Published.", row=12))]


def _messages(cadence):
    report = prepare(PLAN, Q2, cadence, previous=Q1)
    return {a.id: a for s in report.model.sections for a in s.actions}, report


def test_a_six_monthly_row_whose_status_moved_gives_the_first_quarters_update_after():
    rows, report = _messages(Paper.SIX_MONTHLY)
    assert rows["1.a"].message(forecast=False).endswith(
        "Update: Survey paused: the supplier went bust.\nQ1 update: Survey started in June.")
    assert rows["1.e"].earlier_update == "Q1 update: First draft written."
    # In the table both documents are made from, in the update's cell.
    [table] = [s.table for s in report.model.sections]
    assert any("Q1 update: Survey started in June." in cell for row in table.rows for cell in row)


def test_the_first_quarters_update_is_cut_short_and_left_out_where_it_adds_nothing():
    rows, _ = _messages(Paper.SIX_MONTHLY)
    cut = rows["1.d"].earlier_update
    assert cut.startswith("Q1 update: word0 word1") and cut.endswith("word39 ... [cut]")
    assert rows["1.b"].earlier_update == ""  # on track in both quarters: no history needed
    assert rows["1.c"].earlier_update == ""  # an exception, but the same words both quarters


def test_a_quarterly_paper_gives_only_its_own_quarters_update():
    rows, _ = _messages(Paper.QUARTERLY)
    assert all(not a.earlier_update for a in rows.values())
    assert "Q1 update" not in rows["1.a"].message(forecast=False)


def test_a_six_monthly_row_with_no_second_quarter_return_still_gives_the_first_quarters_words():
    # A reader's review: Housing reported in Q1 and sent nothing in Q2; the half-year paper
    # said only "No update received", as if nothing had been done all half year.
    report = prepare(PLAN, [make_return("Regulatory Services",
                                        make_row("1.a", "On track", "Survey done."))],
                     Paper.SIX_MONTHLY, previous=Q1)
    rows = {a.id: a for s in report.model.sections for a in s.actions}
    assert rows["1.e"].earlier_update == "Q1 update: First draft written."
    assert "Q1 update: First draft written." in rows["1.e"].message(forecast=False)
