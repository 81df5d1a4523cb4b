"""A receipt for every file: what was accepted, and each problem with its cell and what to do."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from bad_returns import FOLDER, workbook_bytes, write
from conftest import make_action, make_plan, make_return, make_row

from reporting.cadence import Cadence, Paper
from reporting.intake.returns import read_return
from reporting.period import Period
from reporting.pipeline import check_period
from reporting.render.receipts import receipt_html, write_receipts
from reporting.report.receipts import receipt_text
from reporting.settings import READ_NOW

PLAN = make_plan(make_action("1.a"), make_action("1.b"))
Q2 = Period.parse("2022/23 Q2")


def _receipts(returns, previous=(), plan=PLAN):
    """Give the receipts the period's check makes of `returns`."""
    return list(check_period(plan, returns, previous, Q2, READ_NOW).receipts)


def build_receipt(ret, previous=(), plan=PLAN):
    [receipt] = _receipts([ret], previous, plan)
    return receipt

HOSTILE = '<script>alert("x")</script><img src="http://evil.example/x.png"> {{ 7*7 }} =HYPERLINK("x")'


def _read_file(tmp_path, data: bytes | str, name: str = "regulatory-services.xlsx"):
    """Read the return `data` sent as `name` in the period's returns folder."""
    folder = tmp_path / FOLDER
    folder.mkdir(exist_ok=True)
    return read_return(write(folder / name, data.encode() if isinstance(data, str) else data))


def _read(tmp_path, rows, **values):
    return _read_file(tmp_path, workbook_bytes(rows=rows, **values))


def test_a_receipt_names_each_problem_with_its_cell_and_what_to_do(tmp_path):
    ret = _read(tmp_path, [["1.a", "", "", "Purple", "Going well.", "next year", "", None, "", ""],
                           ["1.b", "", "", "On track", "Postponed to May.", None, "", None, "", ""]])
    text = receipt_text(build_receipt(ret))
    assert "Outcome: Accepted with problems" in text
    assert "Accepted 2 rows on 2 actions (1.a, 1.b)." in text
    assert "- Return!D8: 'Purple' is not a status. [MISSING_STATUS]" in text
    assert "  What to do: Use one of Complete, On track, At risk, Off track, Not started." in text
    assert "- Return!F8: the revised date 'next year' is not a date, so the paper gives the new date in these words. [UNREADABLE_DATE]" in text
    assert "- Return!D9: the status is On track but the update says 'Postponed'. [STATUS_MISMATCH]" \
        in text


def test_a_wrong_period_and_a_missing_approval_are_in_the_receipt(tmp_path):
    fields = (("Service area", "Regulatory Services"), ("Period", "2022/23 Q1"),
              ("Approved by", ""), ("Date completed", date(2022, 10, 1)))
    text = receipt_text(build_receipt(_read(tmp_path, [["1.a", "", "", "Green", "Fine."]],
                                            fields=fields)))
    assert "Return!B2: the Period says 2022/23 Q1, but the return was sent for 2022/23 Q2. " \
           "[WRONG_PERIOD]" in text
    assert "Return!B3: no one is named as having approved the return. [UNAPPROVED_RETURN]" in text


def test_a_long_or_stale_update_is_in_the_receipt(tmp_path):
    ret = _read(tmp_path, [["1.a", "", "", "Green", "word " * 160], ["1.b", "", "", "Green", "Same."]])
    last = make_return("Regulatory Services", make_row("1.b", update="Same."))
    text = receipt_text(build_receipt(ret, previous=[last]))
    assert "Return!E8: the update on 1.a is 160 words long. [LONG_UPDATE]" in text
    assert "Return!E9: the update on 1.b is word for word the same as last period's. " \
           "[STALE_UPDATE]" in text


def test_a_superseded_return_says_which_file_was_used(tmp_path):
    older = make_return("Regulatory Services", make_row("1.a"), path=tmp_path / "a.xlsx",
                        date_completed=date(2022, 10, 1))
    newer = make_return("Regulatory Services", make_row("1.a"), make_row("1.b", row=9),
                        path=tmp_path / "b.xlsx", date_completed=date(2022, 10, 9))
    first, second = _receipts([older, newer])
    assert first.outcome == "Superseded" and "b.xlsx from the same service area is newer" \
        in first.summary
    assert second.outcome == "Accepted"
    # The older file speaks for nothing: 1.b is left out of it, but the newer one has it.
    assert first.left_out == () and second.left_out == ()
    assert all(not paper.covered for paper in first.papers)


class _Page(HTMLParser):
    """What a browser would make of a page: its elements with their attributes, its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data):
        self.text.append(data)


def inert(html: str, *hostile: str) -> None:
    """Fail unless each hostile text is on the page as text, and nothing on it can run:
    no script element, no event handler, no javascript: address, nothing fetched."""
    page = _Page(html)
    tags = [tag for tag, _ in page.elements]
    assert "script" not in tags and "img" not in tags and "a" not in tags, tags
    for tag, attrs in page.elements:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in value.lower(), (tag, name, value)
            assert name not in ("src", "href"), (tag, name, value)
    text = "".join(page.text)
    for words in hostile:
        assert words in text


def test_text_from_a_return_is_never_markup_in_the_html_receipt(tmp_path):
    ret = _read(tmp_path, [["1.a", "", "", HOSTILE, HOSTILE]],
                fields=(("Service area", HOSTILE), ("Approved by", "x")))
    html = receipt_html(build_receipt(ret))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=" in html
    inert(html, HOSTILE)
    assert "{{ 7*7 }}" in html  # never evaluated as a template
    assert "default-src 'none'" in html  # and the page may fetch nothing at all


# A link an officer pasted (or an attacker typed) into a cell: shown, never followed or run.
SCRIPTED = ('<a href="javascript:alert(1)" onclick="alert(2)">javascript:alert(3)</a>'
            "<script>alert(4)</script>")


def test_script_and_javascript_links_in_a_return_cell_come_out_inert(tmp_path):
    ret = _read(tmp_path, [["1.a", "", "", "Green", SCRIPTED, None, SCRIPTED],
                           ["javascript:alert(5)", "", "", "Green", "Fine."]],
                fields=(("Service area", "Regulatory Services"), ("Approved by", SCRIPTED)))
    receipt = build_receipt(ret)
    assert SCRIPTED in receipt_text(receipt)  # the officer sees what they typed
    html = receipt_html(receipt)
    inert(html, SCRIPTED, "javascript:alert(5)")
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html


def test_the_inertness_check_fails_on_a_live_script_or_link():
    for live in ("<p><script>alert(1)</script></p>", '<p><a href="javascript:x">x</a></p>',
                 '<p onclick="x">x</p>'):
        try:
            inert(live)
        except AssertionError:
            continue
        raise AssertionError(f"{live} passed as inert")


def test_receipts_are_written_whole_as_text_and_html(tmp_path):
    ret = _read(tmp_path, [["1.a", "", "", "Green", "Fine."]])
    folder = tmp_path / "outputs" / FOLDER / "receipts"
    paths = write_receipts([build_receipt(ret)], folder)
    assert [p.name for p in paths] == ["regulatory-services.xlsx.txt",
                                       "regulatory-services.xlsx.html"]
    assert paths[0].read_text() == receipt_text(build_receipt(ret))
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)


def test_a_row_for_an_action_not_in_the_plan_is_not_accepted_silently(tmp_path):
    ret = _read(tmp_path, [["1.a", "", "", "Green", "Fine."], ["4.d", "", "", "Green", "Ok."]])
    receipt = build_receipt(ret)
    text = receipt_text(receipt)
    assert receipt.outcome == "Accepted with problems"
    assert "- Return!A9: 4.d: Not used: the action '4.d' is not in the plan." in text
    assert "[UNKNOWN_ACTION]" in text and "Problems: none" not in text


def test_a_receipt_says_which_report_leaves_an_action_out(tmp_path):
    plan = make_plan(make_action("1.a"), make_action("1.b", cadence=Cadence.SIX_MONTHLY))
    ret = _read(tmp_path, [["1.a", "", "", "Green", "Fine."], ["1.b", "", "", "Green", "Ok."]])
    text = receipt_text(build_receipt(ret, plan=plan))
    assert "- Return!A8: 1.a: Used." in text
    assert ("- Return!A9: 1.b: Used; a six-monthly action, so not in the quarterly report for "
            "2022/23 Q2.") in text


def test_a_receipt_says_which_report_leaves_out_an_action_whatever_its_reference(tmp_path):
    # The row's key ("gb.1") is not the plan's reference ("GB1"): it is matched as a key.
    plan = make_plan(make_action("1.a"), make_action("GB1", priority="G",
                                                     cadence=Cadence.SIX_MONTHLY))
    ret = _read(tmp_path, [["1.a", "", "", "Green", "Fine."], ["gb1", "", "", "Green", "Ok."]])
    text = receipt_text(build_receipt(ret, plan=plan))
    assert ("- Return!A9: gb1: Used; a six-monthly action, so not in the quarterly report for "
            "2022/23 Q2.") in text


def test_without_a_plan_the_receipt_says_the_plan_checks_were_skipped(tmp_path):
    text = receipt_text(build_receipt(_read(tmp_path, [["9.z", "", "", "Green", "Fine."]]),
                                      plan=None))
    assert "checked on its own" in text and "9.z: Used." in text


def test_a_row_for_another_services_action_is_told_to_both_and_never_used(tmp_path):
    lead = make_return("Regulatory Services", make_row("1.a", "At risk"), path=tmp_path / "a.xlsx")
    other = make_return("Communications", make_row("1.a", "Complete", row=14),
                        path=tmp_path / "z.xlsx")
    receipts = {r.file: r for r in _receipts([lead, other])}
    [line] = receipts["z.xlsx"].rows
    assert not line.used and line.fate == "Not used: 1.a is led by Regulatory Services"
    [sent] = [p for p in receipts["z.xlsx"].problems if p.code == "NOT_LEAD_SERVICE"]
    assert sent.cell == "Return!A14"
    [told] = [p for p in receipts["a.xlsx"].problems if p.code == "NOT_LEAD_SERVICE"]
    assert told.officer.startswith("Communications sent a row for your action 1.a (z.xlsx, "
                                   "Return!A14)")
    assert [line.used for line in receipts["a.xlsx"].rows] == [True]


def test_the_lead_services_row_is_the_one_reported_whatever_the_file_order(tmp_path):
    from conftest import prepare

    from reporting.status import Status

    lead = make_return("Regulatory Services", make_row("1.a", "At risk"), path=tmp_path / "z.xlsx")
    other = make_return("Communications", make_row("1.a", "Complete", row=14),
                        path=tmp_path / "a.xlsx")
    report = prepare(PLAN, [other, lead])
    [progress] = [p for p in report.merged.progress if p.action.id == "1.a"]
    assert progress.status is Status.AT_RISK and progress.return_file == "z.xlsx"
    assert {f.code for f in report.findings} >= {"AT_RISK", "NOT_LEAD_SERVICE"}


def test_an_action_with_no_lead_takes_every_services_row_labelled(tmp_path):
    from conftest import prepare

    plan = make_plan(make_action("1.a", lead_service_area=""))
    first = make_return("Housing", make_row("1.a", update="Homes found."), path=tmp_path / "a.xlsx")
    second = make_return("Communications", make_row("1.a", update="Campaign run."),
                         path=tmp_path / "b.xlsx")
    [progress] = prepare(plan, [first, second]).merged.progress
    assert progress.progress_update == "Housing: Homes found.\nCommunications: Campaign run."


def _blank(action_id: str, row: int = 8, **values):
    """A template's row for `action_id` left as it came: no status, no update, no date."""
    return make_row(action_id, status="", update="", row=row, **values)


def _one_unled_action_three_returns(tmp_path):
    """One action with no lead named, in three services' returns (every template has it):
    one reports it At risk with a reason, two leave the template's two rows blank."""
    plan = make_plan(make_action("1.a", leads=(), milestones=("Survey", "Scheme")),
                     make_action("1.b"))
    said = make_return("Climate Change", make_row("1.a", "At risk", update="Survey late.",
                                                  milestone="Survey",
                                                  status_reason="Contractor went bust."),
                       _blank("1.a", 9, milestone="Scheme"), path=tmp_path / "a.xlsx")
    blank = [make_return(service, _blank("1.a", 8, milestone="Survey"),
                         _blank("1.a", 9, milestone="Scheme"),
                         *([make_row("1.b", row=10)] if service == "Regulatory Services" else []),
                         path=tmp_path / name)
             for service, name in (("Car Parks", "b.xlsx"), ("Regulatory Services", "c.xlsx"))]
    return plan, [said, *blank]


def test_an_unled_action_reported_by_one_service_is_not_unreported_for_the_others(tmp_path):
    from conftest import prepare

    from reporting.status import Status

    plan, returns = _one_unled_action_three_returns(tmp_path)
    report = prepare(plan, returns)
    [line] = [e for e in report.model.exceptions if e.action_id == "1.a"]
    assert line.problem.startswith("At risk") and "Contractor went bust." in line.problem
    assert "not reported" not in line.problem.lower()
    [progress] = [p for p in report.merged.progress if p.action.id == "1.a"]
    assert progress.status is Status.AT_RISK and progress.return_file == "a.xlsx"
    # No receipt, and no line of the data-quality note, has a problem about 1.a.
    for receipt in _receipts(returns, plan=plan):
        assert [p.code for p in receipt.problems if p.action_id == "1.a"] == [], receipt.file
        assert "1.a" not in receipt_text(receipt).split("Problems")[1]
    assert not [f for f in report.findings if f.data_quality and "1.a" in (f.action_id, *f.actions)]
    # The blank rows were no one's report: the receipt says they were left blank.
    car_parks = next(r for r in _receipts(returns, plan=plan) if r.file == "b.xlsx")
    assert car_parks.outcome == "Accepted"
    assert [line.fate for line in car_parks.rows] == ["Not used: it is left blank, as the template gave it"] * 2


def test_an_unled_action_no_service_reports_is_one_finding_for_the_policy_officer(tmp_path):
    from conftest import prepare

    plan, returns = _one_unled_action_three_returns(tmp_path)
    returns[0] = make_return("Climate Change", _blank("1.a", milestone="Survey"),
                             path=tmp_path / "a.xlsx")
    report = prepare(plan, returns)
    [found] = [f for f in report.findings if "1.a" in (f.action_id, *f.actions)]
    assert found.code == "MISSING_UPDATE" and found.file == "Plan"
    assert found.paper == "not reported: no service's return reports on it"
    [line] = [e for e in report.model.exceptions if e.action_id == "1.a"]
    assert "not reported" in line.problem.lower()
    for receipt in _receipts(returns, plan=plan):
        assert [p.code for p in receipt.problems if p.action_id == "1.a"] == [], receipt.file


def test_an_unled_actions_status_and_update_come_from_whichever_services_give_them(tmp_path):
    from conftest import prepare

    plan = make_plan(make_action("1.a", leads=()))
    status = make_return("Climate Change", make_row("1.a", "At risk", update=""),
                         path=tmp_path / "a.xlsx")
    words = make_return("Car Parks", make_row("1.a", "", update="Signs ordered."),
                        path=tmp_path / "b.xlsx")
    report = prepare(plan, [status, words])
    [line] = [e for e in report.model.exceptions if e.action_id == "1.a"]
    assert line.problem.startswith("At risk") and "not reported" not in line.problem.lower()
    receipts = {r.file: r for r in _receipts([status, words], plan=plan)}
    # The update came from Car Parks: Climate Change is not told its row has none.
    assert receipts["a.xlsx"].problems == ()
    # Car Parks wrote an update with no status: told of its own row, not that 1.a is unreported.
    [told] = receipts["b.xlsx"].problems
    assert told.code == "MISSING_STATUS" and told.cell == "Return!D8" and told.paper == ""
    assert "taken from its other rows" in told.officer


def test_a_blank_template_row_for_another_services_action_is_not_a_row_sent(tmp_path):
    lead = make_return("Regulatory Services", make_row("1.a", "At risk"), path=tmp_path / "a.xlsx")
    other = make_return("Communications", _blank("1.a", 14), path=tmp_path / "z.xlsx")
    receipts = {r.file: r for r in _receipts([lead, other], plan=make_plan(make_action("1.a")))}
    assert "sent a row" not in receipt_text(receipts["a.xlsx"])
    assert receipts["a.xlsx"].problems == () and receipts["z.xlsx"].problems == ()
    [line] = receipts["z.xlsx"].rows
    assert not line.used and line.fate == "Not used: it is left blank, as the template gave it"


SIX_MONTHLY_PLAN = make_plan(make_action("1.a"), make_action("1.b"),
                             make_action("2.a", cadence=Cadence.SIX_MONTHLY),
                             make_action("3.a", lead_service_area="Housing"))


def test_a_receipt_names_each_papers_exceptions_and_why(tmp_path):
    slipped = make_row("1.a", "At risk", revised_date=date(2023, 9, 30),
                       reason_for_revised_date="Waiting for national policy")
    ret = make_return("Regulatory Services", slipped, make_row("1.b", row=9),
                      make_row("2.a", "Off track", row=10))
    [receipt] = _receipts([ret], plan=SIX_MONTHLY_PLAN)
    quarterly, six_monthly = receipt.papers
    assert quarterly.heading == "The quarterly report for 2022/23 Q2"
    assert six_monthly.heading == "The six-monthly report for 2022/23 H1"  # as its paper says
    assert [(e.action_id, e.kinds) for e in quarterly.exceptions] == [
        ("1.a", "at risk; date slipped")]
    # The six-monthly paper also covers the six-monthly action 2.a (in plan order here).
    assert [(e.action_id, e.kinds) for e in six_monthly.exceptions] == [
        ("1.a", "at risk; date slipped"), ("2.a", "off track")]
    text = receipt_text(receipt)
    assert ("- The quarterly report for 2022/23 Q2, 1 delivery exception:\n"
            "  - 1.a: at risk; date slipped from 31 March 2023 to 30 September 2023.") in text
    # The file has nothing to fix, but that is never said above an exception.
    assert "Problems: none." in text
    assert text.index("Problems: none.") > text.index("1.a: at risk")
    # Another service's action (3.a, not reported) is not this receipt's.
    assert "3.a" not in text


def test_a_receipt_agrees_with_the_papers_exceptions(tmp_path):
    from conftest import prepare

    returns = [make_return("Regulatory Services", make_row("1.a", "Off track"),
                           make_row("2.a", "At risk", row=9))]
    receipts = _receipts(returns, plan=SIX_MONTHLY_PLAN)
    for n, made in enumerate((Paper.QUARTERLY, Paper.SIX_MONTHLY)):
        paper = prepare(SIX_MONTHLY_PLAN, returns, made).model.exceptions
        on_receipts = {e.action_id for r in receipts for e in r.papers[n].exceptions}
        # 3.a is Housing's, which sent nothing: no receipt speaks for it.
        assert on_receipts == {e.action_id for e in paper} - {"3.a"}


def test_a_receipt_names_the_services_actions_its_return_left_out(tmp_path):
    ret = _read(tmp_path, [["1.a", "", "", "Green", "Fine."]])
    [receipt] = _receipts([ret], plan=SIX_MONTHLY_PLAN)
    assert receipt.left_out == ("1.b", "2.a")
    assert receipt.outcome == "Accepted with problems"
    assert "It has no row for 1.b and 2.a, which Regulatory Services leads: the papers show " \
           "them as not reported." in receipt.summary
    text = receipt_text(receipt)
    assert "- whole file: the return has no row for 2.a. [MISSING_UPDATE]" in text
    assert "  - 2.a: not reported: Regulatory Services' return has no row for it." in text
    html = receipt_html(receipt)
    assert "<h2>For the committee</h2>" in html and "1.b" in html


def test_an_unreadable_returns_receipt_says_its_actions_are_not_reported(tmp_path):
    ret = _read_file(tmp_path, b"PK\x03\x04 not a workbook")
    [receipt] = _receipts([ret], plan=PLAN)
    assert receipt.outcome == "Not used"
    [quarterly] = [p for p in receipt.papers if "quarterly" in p.heading]
    assert [e.action_id for e in quarterly.exceptions] == ["1.a", "1.b"]
    assert all(e.words.startswith("not reported") for e in quarterly.exceptions)


def test_a_quarter_with_no_six_monthly_report_names_one_paper():
    ret = make_return("Regulatory Services", make_row("1.a", "At risk"), make_row("1.b"))
    [receipt] = list(check_period(PLAN, [ret], (), Period.parse("2022/23 Q3"),
                                  READ_NOW).receipts)
    assert [p.heading for p in receipt.papers] == ["The quarterly report for 2022/23 Q3"]


COMMA_PLAN = make_plan(make_action("1.a"), make_action("B4.3", priority="B"),
                       make_action("C2.1", priority="C"))


def test_an_action_id_typed_with_a_comma_is_read_as_the_one_action_it_can_mean(tmp_path):
    ret = _read(tmp_path, [["1.a", "", "", "Green", "Fine."],
                           ["B4,3", "", "", "At risk", "Waiting on the contractor."]])
    check = check_period(COMMA_PLAN, [ret], [], Q2, READ_NOW)
    [receipt] = check.receipts
    text = receipt_text(receipt)
    assert "- Return!A9: B4,3: Used." in text
    assert ("- Return!A9: 'B4,3' read as B4.3, the plan's only action it can mean: next time "
            "write B4.3.") in text
    assert "Accepted 2 rows on 2 actions (1.a, B4.3)." in text
    assert not [f for f in check.findings if f.action_id == "B4.3"
                and f.code in ("UNKNOWN_ACTION", "MISSING_UPDATE")]
    [paper] = [p for p in check.papers if p.paper is Paper.QUARTERLY]
    [progress] = [p for p in paper.merged.progress if p.action.id == "B4.3"]
    assert progress.progress_update == "Waiting on the contractor."
    # The rows of C2.1 and 1.a are untouched: a reference the plan holds is never re-read.
    assert "'1.a' read as" not in text and "C2.1" in text


def test_an_action_id_with_a_comma_that_could_be_several_actions_is_refused_naming_them(tmp_path):
    plan = make_plan(make_action("1.a"), make_action("B4", priority="B"),
                     make_action("B4.3", priority="B"), make_action("B43", priority="B"))
    ret = _read(tmp_path, [["B4,3", "", "", "Green", "Fine."]])
    receipt = build_receipt(ret, plan=plan)
    text = receipt_text(receipt)
    [line] = receipt.rows
    assert not line.used and line.fate == "Not used: the action 'B4,3' could be B4.3, B43 or B4"
    [problem] = [p for p in receipt.problems if p.code == "UNKNOWN_ACTION"]
    assert problem.cell == "Return!A8"
    assert problem.fix == "write the one you mean (B4.3, B43 or B4) as the return template gives it"
    assert "'B4,3' read as" not in text


def test_an_action_id_with_a_comma_whose_dot_reading_names_nothing_is_not_in_the_plan(tmp_path):
    text = receipt_text(build_receipt(_read(tmp_path, [["1,a", "", "", "Green", "Fine."],
                                                       ["B4,4", "", "", "Green", "Ok."]]),
                                      plan=COMMA_PLAN))
    assert "- Return!A8: 1,a: Used." in text and "'1,a' read as 1.a" in text
    assert "- Return!A9: B4,4: Not used: the action 'B4,4' is not in the plan." in text


EXTRAS_PLAN = make_plan(make_action("1.a"), make_action("1.c"), make_action("1.d"),
                        make_action("6.b", priority="6"), make_action("6.d", priority="6"))


def test_an_action_id_with_a_little_extra_text_is_read_as_the_action_it_names(tmp_path):
    ret = _read(tmp_path, [["1.a", "", "", "Green", "Fine."], ["1.c", "", "", "Green", "Fine."],
                           ["1.d", "", "", "Green", "Fine."],
                           ["6.b (Physical activity pathway)", "", "", "Off track", "Delayed."],
                           ["(6.d)", "", "", "At risk", "Waiting."]])
    check = check_period(EXTRAS_PLAN, [ret], [], Q2, READ_NOW)
    text = receipt_text(check.receipts[0])
    assert "Accepted 5 rows on 5 actions (1.a, 1.c, 1.d, 6.b, 6.d)." in text
    assert ("- Return!A11: '6.b (Physical activity pathway)' read as 6.b, the reference it "
            "starts with: next time write 6.b.") in text
    assert "- Return!A12: '(6.d)' read as 6.d, the brackets round it left out: next time " \
           "write 6.d." in text
    assert not [f for f in check.findings if f.code in ("UNKNOWN_ACTION", "MISSING_UPDATE")]
    [paper] = [p for p in check.papers if p.paper is Paper.QUARTERLY]
    status = {p.action.id: p.status.value for p in paper.merged.progress}
    assert status["6.b"] == "Off track" and status["6.d"] == "At risk"


def test_an_action_id_with_a_semicolon_after_it_keeps_its_off_track(tmp_path):
    ret = _read_file(tmp_path, "Action ID,Status,Progress update\n1.a,On track,Fine.\n1.c,On "
                     "track,Fine.\n1.d,On track,Fine.\n6.d,On track,Fine.\n6.b;,Off track,"
                     "Behind.\n", "regulatory-services.csv")
    check = check_period(EXTRAS_PLAN, [ret], [], Q2, READ_NOW)
    text = receipt_text(check.receipts[0])
    assert "'6.b;' read as 6.b, the ';' after it left out: next time write 6.b." in text
    assert "no row for 6.b" not in text
    assert "  - 6.b: off track." in text
    assert [f.paper for p in check.papers for f in p.findings if f.action_id == "6.b"] == \
        ["off track"] * 2


def test_a_row_naming_two_actions_is_given_to_neither_and_the_paper_says_so(tmp_path):
    ret = _read(tmp_path, [["1.a", "", "", "Green", "Fine."], ["6.b", "", "", "Green", "Fine."],
                           ["6.d", "", "", "Green", "Fine."],
                           ["1.c/1.d", "", "", "Off track", "Both behind."]])
    check = check_period(EXTRAS_PLAN, [ret], [], Q2, READ_NOW)
    [receipt] = check.receipts
    text = receipt_text(receipt)
    [line] = [r for r in receipt.rows if not r.used]
    assert line.fate == "Not used: the action ID '1.c/1.d' names 1.c and 1.d in one row"
    [refused] = [p for p in receipt.problems if p.code == "UNKNOWN_ACTION"]
    assert refused.cell == "Return!A11"
    assert refused.fix == "give 1.c and 1.d each its own row, with its own status and update"
    missing = {p.action_id: p for p in receipt.problems if p.code == "MISSING_UPDATE"}
    assert missing["1.c"].officer == ("the return has no row of its own for 1.c: Return!A11 "
                                      "('1.c/1.d') names it with 1.d")
    assert missing["1.d"].fix == "give 1.d its own row, with its status and progress update"
    assert "No row could be used for 1.c and 1.d (see Problems)" in text
    assert "has no row for" not in text and "read as 1.c" not in text
    [paper] = [p for p in check.papers if p.paper is Paper.QUARTERLY]
    said = {f.action_id: f.paper for f in paper.findings if f.code == "MISSING_UPDATE"}
    assert said == {"1.c": "not reported: Regulatory Services' return has no row of its own "
                           "for it", "1.d": "not reported: Regulatory Services' return has no "
                                            "row of its own for it"}


def test_an_action_id_cell_holding_an_error_is_said_not_called_no_row(tmp_path):
    ret = _read_file(tmp_path, "Action ID,Status,Progress update\n1.a,On track,Fine.\n"
                     "#REF!,Off track,Behind.\n", "regulatory-services.csv")
    check = check_period(PLAN, [ret], [], Q2, READ_NOW)
    [receipt] = check.receipts
    [line] = [r for r in receipt.rows if not r.used]
    assert line.fate == "Not used: the Action ID cell holds the error #REF!, not an action ID"
    [missing] = [p for p in receipt.problems if p.code == "MISSING_UPDATE"]
    assert missing.action_id == "1.b" and missing.cell == line.where == "line 3, column A"
    assert missing.officer.startswith("the return has no row that could be matched to 1.b: the "
                                      "Action ID cell, ")
    assert missing.officer.endswith(", holds the error #REF!")
    assert "no row for 1.b" not in receipt_text(receipt)
    assert {f.paper for p in check.papers for f in p.findings if f.action_id == "1.b"} == {
        "not reported: Regulatory Services' return has no row that could be matched to it"}


def test_an_action_id_formula_with_no_saved_result_is_said_as_such(tmp_path):
    from test_round_three import _with_cells

    ret = _read_file(tmp_path, _with_cells(workbook_bytes(rows=[["1.a", "", "", "Green", "Fine."],
                                                                ["x", "", "", "Green", "Fine."]]),
                                           {"A9": '<c r="A9"><f>"1."&amp;"b"</f></c>'}))
    [receipt] = _receipts([ret])
    text = receipt_text(receipt)
    assert ("- Return!A9: (blank): Not used: the Action ID cell holds a formula with no saved "
            "result (=\"1.\"&\"b\"), not an action ID.") in text
    assert "the return has no row that could be matched to 1.b" in text
    assert "no row for 1.b" not in text and "'(blank)' is not in the plan" not in text


def test_last_periods_row_typed_with_a_comma_is_the_same_action_for_a_stale_update(tmp_path):
    ret = _read(tmp_path, [["B4.3", "", "", "Green", "Same words."]])
    last = make_return("Regulatory Services", make_row("b.4,3", raw_action_id="B4,3",
                                                       update="Same words."))
    text = receipt_text(build_receipt(ret, previous=[last], plan=COMMA_PLAN))
    assert "[STALE_UPDATE]" in text


MILESTONE_PLAN = make_plan(make_action("1.a", milestones=("Consult", "Adopt", "Review")),
                           make_action("1.b"))


def test_a_row_with_an_update_but_no_status_beside_rows_that_give_one_is_named(tmp_path):
    ret = _read(tmp_path, [["1.a", "", "Consult", "On track", "Consultation closed."],
                           ["1.a", "", "Adopt", "", "Draft with the lawyers."],
                           ["1.a", "", "Review", "", ""],  # says nothing: not a problem
                           ["1.b", "", "", "Green", "Fine."]])
    check = check_period(MILESTONE_PLAN, [ret], [], Q2, READ_NOW)
    [receipt] = check.receipts
    text = receipt_text(receipt)
    [missing] = [f for f in check.findings if f.code == "MISSING_STATUS"]
    assert missing.cell == "Return!D9"
    assert ("- Return!D9: the row for 1.a (milestone 'Adopt') has a progress update but no "
            "status, so 1.a's status was taken from its other rows only. [MISSING_STATUS]") in text
    assert ("  What to do: Write one of Complete, On track, At risk, Off track, Not started in "
            "Return!D9, this row's Status cell.") in text
    # 1.a is reported (On track, from its other row): the paper does not call it unreported.
    assert not missing.paper
    assert all(not p.exceptions for p in receipt.papers)


def test_a_row_with_a_status_that_is_not_one_beside_rows_that_give_one_is_named(tmp_path):
    ret = _read(tmp_path, [["1.a", "", "Consult", "At risk", "Late."],
                           ["1.a", "", "Adopt", "Purple", "Draft ready."],
                           ["1.b", "", "", "Green", "Fine."]])
    [missing] = [f for f in check_period(MILESTONE_PLAN, [ret], [], Q2, READ_NOW).findings
                 if f.code == "MISSING_STATUS"]
    assert missing.cell == "Return!D9" and missing.officer.startswith(
        "the status 'Purple' on the row for 1.a (milestone 'Adopt') is not a status")


def test_an_action_none_of_whose_rows_gives_a_status_is_told_once(tmp_path):
    ret = _read(tmp_path, [["1.a", "", "Consult", "", "Consultation closed."],
                           ["1.a", "", "Adopt", "", "Draft with the lawyers."],
                           ["1.b", "", "", "", "Fine."]])
    missing = [(f.action_id, f.cell, f.officer)
               for f in check_period(MILESTONE_PLAN, [ret], [], Q2, READ_NOW).findings
               if f.code == "MISSING_STATUS"]
    assert missing == [("1.a", "Return!D8", "none of the 2 rows for 1.a gives a status"),
                       ("1.b", "Return!D10", "the row for 1.b gives no status")]


def test_what_to_write_for_a_date_gives_a_day_of_the_period_or_after_it_as_the_example(
        tmp_path):
    fields = (("Service area", "Regulatory Services"), ("Period", "2022/23 Q2"),
              ("Approved by", "B. Manager"), ("Date completed", "sometime"))
    text = receipt_text(build_receipt(_read(
        tmp_path, [["1.a", "", "", "Green", "Fine.", "next year"]], fields=fields)))
    # A new date is still to come: the example is the next quarter's last day, not a day
    # already past (a hostile review, L3).
    assert "What to do: Write the day as day/month/year, such as 31/12/2022." in text
    assert "What to do: Write the day the return was completed as 30/09/2022" in text
    assert "31/03/2023" not in text
