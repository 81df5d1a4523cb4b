"""`reporting run`: produce the scrutiny report for a period."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path

from cli.common import fail
from reporting.automation.run_period import choose_period, other_papers_due
from reporting.cadence import PAPERS, Paper, period_covered
from reporting.layout import OutputLayout
from reporting.period import Period
from reporting.settings import load_settings
from reporting.wording import shown_name


def register(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("run", help="produce the scrutiny report for a period")
    run.add_argument("--period", help="e.g. 2022/23 Q2 (default: the latest with a returns "
                                      "folder, if it has ended and its returns are in)")
    run.add_argument("--cadence", choices=[p.value for p in PAPERS],
                     default=Paper.QUARTERLY.value,
                     help="which paper: quarterly (the default) or six-monthly; at Q2 and "
                          "Q4 the six-monthly paper is due too, a run of its own")
    run.add_argument("--inputs", type=Path, help="folder holding plan/ and returns/")
    run.add_argument("--outputs", type=Path, help="folder the documents are written under")
    run.add_argument("--settle-seconds", type=float, default=0,
                     help="leave returns modified this recently for the next run (default 0: "
                          "a person running the report now means now; scheduled runs use "
                          "[intake] settle_seconds)")
    run.set_defaults(handler=run_command)


def run_command(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    inputs = args.inputs or settings.inputs
    paper = Paper(args.cadence)
    if args.period:
        period = Period.parse(args.period)
    else:
        zone = settings.schedule.zone
        choice = choose_period(paper, inputs / "returns", datetime.now(zone), zone)
        if not choice.ok:
            return fail(f"no report run: {choice}; give --period to choose one")
        period = choice.period
    outputs = Path(args.outputs or settings.outputs)
    outputs.mkdir(parents=True, exist_ok=True)  # a folder that cannot be made fails now, in a line
    from flows.launch import run_report  # here: the other commands do without it
    from flows.local_server import ServerError

    try:
        paths = run_report(settings, period, paper, inputs, outputs,
                           plan=getattr(args, "plan", None), settle_seconds=args.settle_seconds)
    except ServerError as error:
        return fail(str(error))
    if "no_paper" in paths:
        return fail(f"no {paper.value} paper for {period.label}: {paths['no_paper']} "
                    f"(the chase list is {shown_name(str(paths['chase_list']))})")
    print(f"{period_covered(paper, period).description}, {paper.value} report:")
    for kind in ("pdf", "docx", "html", "flags", "manifest"):
        print(f"  {kind:9} {shown_name(str(paths[kind]))}")
    # A file still arriving is left for the next run: a person running it now is told.
    skipped = json.loads(Path(paths["manifest"]).read_text("utf-8")).get("skipped", [])
    for item in skipped:
        if item.get("outcome") == "settling":
            print("  not read, still changing (read on the next run): "
                  f"{shown_name(str(item['path']))}")
    for line in other_papers_due(OutputLayout(outputs), period, paper,
                                 getattr(args, "plan", None)):
        print(line)
    return 0
