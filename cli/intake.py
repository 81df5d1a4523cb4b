"""`reporting check` and `reporting templates`: the returns intake from the command line.

`check` never imports Prefect and reads only the files it is given, so it answers at once.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "check", help="read return files and print their receipts (exit 1 if one is unusable)")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    check.set_defaults(handler=check_command)

    templates = commands.add_parser(
        "templates", help="write a pre-filled return template per service area for a period")
    templates.add_argument("--period", required=True, help="e.g. 2022/23 Q3")
    templates.add_argument("--inputs", type=Path, help="folder holding plan/ and returns/")
    templates.add_argument("--outputs", type=Path, help="folder the templates are written under")
    templates.set_defaults(handler=templates_command)


def check_command(args: argparse.Namespace) -> int:
    from reporting.intake.files import load_intake_settings
    from reporting.report.receipts import build_receipts, receipt_text
    from reporting.intake.returns import read_return

    settings = load_intake_settings(args.config)
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        from cli.common import fail

        return fail(f"no such file: {', '.join(missing)}")
    returns = [read_return(f, settings) for f in args.files]
    for n, receipt in enumerate(build_receipts(returns, _previous_period(args.files))):
        if n:
            print()
        print(receipt_text(receipt), end="")
    return 0 if all(r.usable for r in returns) else 1


def _previous_period(files: list[Path]) -> list:
    """Give last period's returns when the files sit in a period folder (for STALE_UPDATE)."""
    from reporting.period import Period, PeriodError
    from reporting.intake.returns import read_returns

    folders = {f.resolve().parent for f in files}
    previous = []
    for folder in folders:
        try:
            period = Period.parse(folder.name)
        except PeriodError:
            continue
        previous += read_returns(folder.parent / period.previous().path)
    return previous


def templates_command(args: argparse.Namespace) -> int:
    from reporting.config import load_settings
    from reporting.intake.files import load_intake_settings
    from reporting.period import Period
    from reporting.plan import find_plan, load_plan
    from reporting.intake.templates import write_templates

    settings = load_settings(args.config)
    inputs = args.inputs or settings.inputs
    period = Period.parse(args.period)
    plan = load_plan(find_plan(inputs / "plan"), settings.default_cadence)
    paths = write_templates(plan, period, args.outputs or settings.outputs, inputs / "returns",
                            load_intake_settings(args.config))
    print(f"Return templates for {period.description}:")
    for path in paths:
        print(f"  {path}")
    return 0
