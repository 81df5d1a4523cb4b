"""`reporting mail`: settle a message whose outcome is unknown, or list those to settle,
and the members a paper's run stopped before mailing.

A message recorded as sending with no outcome (the run stopped, or the sent record could
not be written, between handing it to the server and recording it) is never sent again by
itself: the policy officer asks its recipient whether it arrived and says so here. Said
not received, it is sent once by the run this prints; said received, it is recorded as
sent. The sent record's lock is held while it is changed, so a run in flight is not
undone.
"""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from cli.common import fail
from reporting.automation.mail import (
    UNKNOWN,
    SentRecord,
    mail_command,
    not_yet_sent,
    recorded,
    resend_words,
    run_command,
)
from reporting.layout import OutputLayout
from reporting.period import Period
from reporting.settings import load_settings


# The exit status of a listing with something in it: 0 means nothing waits, 2 an error.
WAITING = 1


def register(commands: argparse._SubParsersAction) -> None:
    mail = commands.add_parser(
        "mail", help="list messages of unknown or failed outcome, or say whether one arrived "
                     "(a listing exits 1 while anything waits)")
    said = mail.add_mutually_exclusive_group()
    said.add_argument("--not-received", metavar="KEY",
                      help="the message KEY never arrived: prints the run that sends it "
                           "(once)")
    said.add_argument("--received", metavar="KEY",
                      help="the message KEY arrived (or was sent by hand): never sent again")
    mail.add_argument("--period", help="only this period's messages, e.g. 2022/23 Q2")
    mail.add_argument("--by", metavar="NAME",
                      help="who says so (kept in the sent record; default: your login name)")
    mail.add_argument("--outputs", type=Path, help="folder the papers are written under")
    mail.set_defaults(handler=mail_command_line)


def _list(records: list[Path], never: list[tuple[Period, str, str]], plan: str | None,
          where: Path) -> int:
    found = [item for path in records for item in SentRecord(path).unsettled()]
    if not found and not never:
        print(f"No message of unknown or failed outcome, and no member a paper's run stopped "
              f"before mailing, under {where}.")
        return 0
    for item in found:
        print(f"{item.state}: {item.key}")
        print(f"  to {item.to}: {item.subject}, {item.since} ({item.why}; {item.record})")
        if item.state == UNKNOWN:
            print(f"  arrived:      {mail_command(plan, '--received', item.key)}")
            print(f"  not arrived:  {mail_command(plan, '--not-received', item.key)}")
        else:
            print(f"  to send it again: {resend_words(item.key, plan, _api_url())}")
            print(f"  sent by hand:     {mail_command(plan, '--received', item.key)}")
    for period, paper, to in never:
        print(f"never sent: the {paper.value} paper for {period.label} to {to} (published for "
              "members; its run stopped, or mail was stopped, before it came to them)")
        print("  run it again to send it, once, to those not sent it (the published paper "
              f"is reused): {run_command(plan, period, paper)}")
    return WAITING  # a check (`reporting mail || alert`) can tell something waits


def mail_command_line(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    layout = OutputLayout(Path(args.outputs or settings.outputs))
    period = Period.parse(args.period) if args.period else None
    records = layout.sent_records(period)
    plan = getattr(args, "plan", None)
    key = args.not_received or args.received
    if key is None:
        return _list(records, not_yet_sent(layout, settings.email.committee, period), plan,
                     layout.sent_record(period) if period else layout.root)
    holding = [path for path in records if key in _keys(path)]
    if not holding:
        return fail(f"no message {key} is recorded under {layout.root}"
                    + (f" for {period.label}" if period else "")
                    + f"; `{mail_command(plan)}` lists those of unknown or failed outcome")
    if len(holding) > 1:
        return fail(f"{key} is in {len(holding)} sent records ("
                    + ", ".join(str(path) for path in holding) + "): give --period")
    record = SentRecord(holding[0])
    by = args.by or getpass.getuser()
    if args.received:
        print(f"{key}: {record.mark_received(key, by)} ({record.path})")
    else:
        print(f"{key}: {record.mark_not_received(key, by)} ({record.path})")
        print(f"  {resend_words(key, plan, _api_url())}")
    return 0


def _api_url() -> str | None:
    """The Prefect server this shell talks to, when it is set (else serve's own is meant)."""
    return os.environ.get("PREFECT_API_URL") or None


def _keys(path: Path) -> set[str]:
    return recorded(SentRecord(path).read())
