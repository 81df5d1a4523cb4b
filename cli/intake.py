"""`reporting check` and `reporting templates`: the returns intake from the command line.

`check` never imports Prefect and reads only the files it is given, so it answers at once.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "check", help="read return files and print their receipts (exit 1 if one is unusable)")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    check.add_argument("--inputs", type=Path,
                       help="folder holding plan/ (default: the settings' inputs folder)")
    check.set_defaults(handler=check_command)

    templates = commands.add_parser(
        "templates", help="write a pre-filled return template per service area for a period")
    templates.add_argument("--period", required=True, help="e.g. 2022/23 Q3")
    templates.add_argument("--inputs", type=Path, help="folder holding plan/ and returns/")
    templates.add_argument("--outputs", type=Path, help="folder the templates are written under")
    templates.set_defaults(handler=templates_command)

    init = commands.add_parser(
        "init", help="make a new installation: folders and a settings file to fill in")
    init.add_argument("folder", type=Path, nargs="?", default=Path("."), metavar="DIR")
    init.add_argument("--committee", action="append", default=[], metavar="NAME",
                      help="the committee that receives both papers; given twice, the first "
                           "receives the quarterly paper and the second the six-monthly")
    init.set_defaults(handler=init_command)


def init_command(args: argparse.Namespace) -> int:
    from reporting.installation import init_installation
    from reporting.wording import shown_name

    made, kept = init_installation(args.folder, args.committee)
    for path in made:
        print(f"  made  {shown_name(str(path))}")
    for path in kept:
        print(f"  kept  {shown_name(str(path))} (already there, not changed)")
    settings = args.folder / "reporting.toml"
    committee = "" if args.committee else ", committee"
    print(f"\nNext: fill in the council's name{committee} and plan title in "
          f"{shown_name(str(settings))}, put "
          f"the plan workbook in {shown_name(str(args.folder / 'inputs' / 'plan'))} "
          "(`reporting plan import` "
          "reads the plan as the council publishes it), then run "
          "`reporting templates --period ...` for the officers' returns.")
    return 0


def check_command(args: argparse.Namespace) -> int:
    # Imported here, and only these: `check` answers while the officer waits, so it loads
    # neither Prefect, pandas nor Jinja (it prints the receipts as text).
    from cli.common import fail
    from reporting.intake.files import refusal
    from reporting.intake.folder import name_notes, unusable_return
    from reporting.intake.isolated import IsolatedReader, read_isolated
    from reporting.settings import DEFAULT_CONFIG_NAME, READ_NOW, load_settings
    from reporting.wording import shown_name

    # A name that is not there is said, and the others are still checked.
    missing = [f for f in args.files if not f.exists() and not f.is_symlink()]
    for f in missing:
        fail(f"no such file: {shown_name(str(f))}")
    files = [f for f in args.files if f not in missing]
    if not files:
        return 2
    # The plan is found through the settings, as `reporting run` finds it; with no settings
    # file at all (and none named), each file is checked on its own.
    settings = None if args.config is None and not Path(DEFAULT_CONFIG_NAME).exists() \
        else load_settings(args.config)
    intake = replace(settings.intake if settings else READ_NOW,
                     settle_seconds=0)  # a person checking a file means it now
    # One reading child for the files and last period's, as a run has. This command is one
    # thread, so the child is forked (ready at once), and started before the plan is read.
    with IsolatedReader(intake, fork=True) as reader:
        reader.start()
        from reporting.pipeline import check_period, known_services, read_plan
        from reporting.report.receipts import receipt_text

        plan = read_plan(settings, args.inputs) if settings else None
        # A link or a folder is refused as a run refuses it, never followed.
        refused = {f: why for f in files if (why := refusal(f))}
        read = iter(read_isolated([f for f in files if f not in refused], intake,
                                  unusable_return, reader))
        services = known_services(settings, plan) if settings else ()
        returns = [unusable_return(f, refused[f]) if f in refused
                   else name_notes(next(read), services) for f in files]
        receipts = []
        for folder, period, group in _by_period(returns):
            previous = _previous_returns(folder, period, intake, reader)
            receipts += check_period(plan, group, previous, period, intake).receipts
    for n, receipt in enumerate(receipts):
        if n:
            print()
        print(receipt_text(receipt), end="")
    return 0 if all(r.usable for r in returns) and not missing else 1


def _by_period(returns: list) -> list[tuple[Path, object, list]]:
    """Group returns by folder, each with the period it is for: the folder's, else its own."""
    from datetime import date

    from reporting.period import Period, PeriodError

    groups: dict[Path, list] = {}
    for ret in returns:
        groups.setdefault(ret.path.resolve().parent, []).append(ret)
    found = []
    for folder, group in groups.items():
        try:
            period = Period.parse(folder.name)
        except PeriodError:
            stated = next((r.period for r in group if r.period is not None), None)
            period = stated or Period.quarter_containing(date.today()).previous()
        found.append((folder, period, group))
    return found


def _previous_returns(folder: Path, period, intake, reader) -> list:
    """Give last period's returns when the files sit in a period folder (for STALE_UPDATE),
    read by the command's reading child."""
    from reporting.intake.folder import read_returns

    if folder.name != period.path:
        return []
    return read_returns(folder.parent / period.previous().path, intake, reader=reader)


def templates_command(args: argparse.Namespace) -> int:
    from reporting.intake.templates import write_templates
    from reporting.layout import OutputLayout
    from reporting.period import Period
    from reporting.pipeline import read_plan
    from reporting.settings import load_settings
    from reporting.wording import shown_name

    settings = load_settings(args.config)
    inputs = args.inputs or settings.inputs
    period = Period.parse(args.period)
    plan = read_plan(settings, inputs)
    layout = OutputLayout(args.outputs or settings.outputs)
    paths = write_templates(plan, period, layout.templates(period), inputs / "returns",
                            settings.intake, settings.unled_actions,
                            tuple(c.service_area for c in settings.contacts))
    print(f"Return templates for {period.description}:")
    for path in paths:
        print(f"  {shown_name(str(path))}")
    return 0
