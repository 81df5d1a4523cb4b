"""`reporting clear`: sign off a draft paper from the command line, or list those waiting.

The same sign-off as the form in Prefect's UI: a draft made by `reporting run` is cleared
here, and a deployment run suspended for clearance is resumed with the same decision. When
the last role clears, the paper is published without the draft mark and mailed, through the
same run (and sent record) as every other paper.
"""

from __future__ import annotations

import argparse
import getpass
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from cli.common import fail
from reporting.cadence import PAPERS, Paper
from reporting.errors import ReportingError
from reporting.layout import OutputLayout
from reporting.period import Period
from reporting.settings import load_settings
from reporting.wording import shown_name


def register(commands: argparse._SubParsersAction) -> None:
    clear = commands.add_parser(
        "clear", help="clear a draft paper for publication (or ask for changes), role by role")
    clear.add_argument("--status", action="store_true",
                       help="list each draft waiting, for whom and since when")
    clear.add_argument("--period", help="the draft's period, e.g. 2022/23 Q2")
    clear.add_argument("--cadence", choices=[p.value for p in PAPERS],
                       default=Paper.QUARTERLY.value,
                       help="which paper: quarterly (the default) or six-monthly")
    clear.add_argument("--as", dest="role", metavar="ROLE",
                       help="the role signing off, as [clearance] roles names it")
    clear.add_argument("--by", metavar="NAME",
                       help="who signs off (kept in the record, never in the paper; default: "
                            "your login name)")
    clear.add_argument("--changes", metavar="TEXT",
                       help="ask for changes instead of clearing: what must change")
    clear.add_argument("--comments", metavar="TEXT", default="",
                       help="comments kept with a clearance")
    clear.add_argument("--inputs", type=Path, help="folder holding plan/ and returns/")
    clear.add_argument("--outputs", type=Path, help="folder the papers are written under")
    clear.set_defaults(handler=clear_command)


def _again(period: str, paper: str, plan: str | None) -> str:
    """The command that runs the report again, making a new draft."""
    plan_words = f" --plan {plan}" if plan else ""
    return f'reporting run{plan_words} --period "{period}" --cadence {paper}'


def _status(layout: OutputLayout, expires_days: int, plan: str | None) -> int:
    from reporting.automation.clearance import drafts_under

    found = list(drafts_under(layout))
    if not found:
        print(f"No draft is waiting for clearance under {layout.root}.")
        return 0
    now = datetime.now().astimezone()
    for path, draft in found:
        if draft.expired(now, expires_days):
            print(f"{draft.period} {draft.cadence}: expired, since "
                  f"{draft.expires(expires_days).isoformat(timespec='seconds')}, for the "
                  f"{draft.next_role} ({path.parent})")
            print(f"  {draft.expiry_words(expires_days)}; a new draft: "
                  f"{_again(draft.period, draft.cadence, plan)}")
            continue
        print(f"{draft.period} {draft.cadence}: {draft.state}, since {draft.since()} "
              f"({path.parent})")
        if draft.changes_needed:
            print(f"  changes asked by the {draft.changes_needed.role}: "
                  f"{draft.changes_needed.comments}")
    return 0


def clear_command(args: argparse.Namespace) -> int:
    from reporting.automation.clearance import (
        ClearanceError,
        clearance_line,
        decide,
        read_draft,
        refuse_expired,
        write_draft,
    )

    settings = load_settings(args.config)
    layout = OutputLayout(Path(args.outputs or settings.outputs))
    plan = getattr(args, "plan", None)
    if args.status:
        return _status(layout, settings.clearance.expires_days, plan)
    if not args.period or not args.role:
        return fail("give --period and --as ROLE to sign off a draft, or --status to list them")
    if args.changes is not None and not args.changes.strip():
        # An empty "$REASON" must never read as cleared: the role meant to send it back.
        return fail("--changes is empty: say what must change (nothing was recorded; to "
                    "clear the draft, leave --changes out)")
    period, paper = Period.parse(args.period), Paper(args.cadence)
    record = layout.clearance_record(period, paper)
    draft = read_draft(record)
    if draft is None:
        return fail(f"no draft of the {period.label} {paper.value} paper is waiting "
                    f"(no {record}); make one with `reporting run --period \"{period.label}\" "
                    f"--cadence {paper.value}`")
    before = draft
    now = datetime.now().astimezone()
    try:
        refuse_expired(draft, now, settings.clearance.expires_days,
                       _again(period.label, paper.value, plan))
        draft = decide(draft, args.role, args.by or getpass.getuser(),
                       now, changes=args.changes or "",
                       comments=args.comments)
    except ClearanceError as error:
        return fail(str(error))
    decision = draft.decisions[-1]
    if draft.flow_run:
        from flows.clearance import resume_with, waits

        try:  # a run resumed already (its page's form, a second click) is never resumed again
            waits(draft)
        except ReportingError as error:
            return fail(str(error))
    write_draft(record, draft)  # before the run resumes, so that its rerun finds it
    if draft.flow_run:  # a deployment run waits on this draft: it resumes with the decision
        try:
            resumed = resume_with(draft, decision)
        except ReportingError as error:
            if read_draft(record) == draft:  # not the run's own record, written since
                write_draft(record, before)  # not taken: the run still waits for this role
            return fail(str(error))
        if resumed:
            print(f"{decision.role}: {decision.outcome}; the suspended run {draft.flow_run} "
                  "goes on with it")
            return 0
        print(f"The run {draft.flow_run} no longer waits on this draft (it ended or was "
              "cancelled): the sign-off is taken here.")
        draft = write_draft(record, replace(draft, flow_run="", api=""))
    if draft.changes_needed:
        print(f"{decision.role}: changes needed, recorded with the draft. Nothing is "
              "published or sent; once the returns are fixed, `reporting run` makes a new "
              "draft and clearance starts again from the first role.")
        return 0
    if not draft.cleared:
        print(f"{decision.role}: cleared. The draft now waits for the {draft.next_role}: "
              f"reporting clear --period \"{period.label}\" --cadence {paper.value} "
              f"--as \"{draft.next_role}\"")
        return 0
    print(f"{clearance_line(draft)}. Publishing the paper without the draft mark:")
    return _publish(args, settings, period, paper, layout)


def _publish(args, settings, period: Period, paper: Paper, layout: OutputLayout) -> int:
    """Run the report once more: it finds this exact draft cleared and publishes and mails it,
    or, if the inputs changed since, makes a new draft to clear instead."""
    from flows.launch import run_report
    from flows.local_server import ServerError
    from reporting.automation.clearance import read_draft

    try:
        paths = run_report(settings, period, paper, Path(args.inputs or settings.inputs),
                           layout.root, plan=getattr(args, "plan", None), settle_seconds=0)
    except ServerError as error:
        return fail(str(error))
    draft = read_draft(layout.clearance_record(period, paper))
    if draft is not None and not draft.cleared:
        return fail(f"the inputs changed since the draft was cleared: nothing was published; "
                    f"a new draft waits for the {draft.next_role} ({paths['pdf']})")
    for kind in ("pdf", "docx", "html", "manifest"):
        print(f"  {kind:9} {shown_name(str(paths[kind]))}")
    return 0
