"""`reporting plan import|check|template|rollover`: getting a council's own plan in, and
the next year's plan out of it.

Quick commands: none of them imports Prefect.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reporting.wording import plural, shown_name


def register(commands: argparse._SubParsersAction) -> None:
    plan = commands.add_parser("plan", help="import, check or start a plan workbook")
    steps = plan.add_subparsers(dest="plan_command", required=True)

    make = steps.add_parser(
        "import", help="read a plan as the council publishes it (a Word table, an Excel sheet "
                       "or a CSV) and write the plan workbook")
    make.add_argument("file", type=Path, metavar="FILE")
    make.add_argument("--out", type=Path, metavar="PATH",
                      help="the workbook to write (default: <FILE's name>.plan.xlsx here)")
    make.add_argument("--force", action="store_true", help="overwrite --out if it is there")
    make.add_argument("--column", action="append", default=[], metavar="HEADING=FIELD",
                      help="read the column headed HEADING as the plan column FIELD (Milestones, "
                           "By when, Target/Outcome ...); repeatable")
    make.add_argument("--starts", metavar="PERIOD",
                      help="the plan's first quarter (\"2022/23 Q1\"), which 'Year 1' counts "
                           "from; written into the workbook ([plan] starts, if set, must agree)")
    make.set_defaults(handler=import_command)

    check = steps.add_parser(
        "check", help="list every problem in a plan workbook with its sheet, row and what to do")
    check.add_argument("file", type=Path, nargs="?", metavar="FILE",
                       help="default: the plan workbook in the settings' inputs/plan/")
    check.add_argument("--inputs", type=Path, help="folder holding plan/")
    check.set_defaults(handler=check_command)

    template = steps.add_parser(
        "template", help="write a blank plan workbook with an Instructions sheet")
    template.add_argument("--out", type=Path, default=Path("plan-template.xlsx"),
                          metavar="PATH", help="default: plan-template.xlsx here")
    template.add_argument("--force", action="store_true", help="overwrite --out if it is there")
    template.set_defaults(handler=template_command)

    rollover = steps.add_parser(
        "rollover", help="write next year's plan workbook from this one and its latest "
                         "returns: complete actions closed, the rest carried forward")
    rollover.add_argument("--to", required=True, metavar="YEAR",
                          help="the financial year the new plan is for, such as 2023/24")
    rollover.add_argument("--out", type=Path, metavar="PATH",
                          help="the workbook to write (default: plan-<YEAR>.xlsx here, such as "
                               "plan-2023-24.xlsx; never under inputs/)")
    rollover.add_argument("--inputs", type=Path, help="folder holding plan/ and returns/")
    rollover.add_argument("--force", action="store_true", help="overwrite --out if it is there")
    rollover.set_defaults(handler=rollover_command)


def import_command(args: argparse.Namespace) -> int:
    from reporting.intake.plan_import import import_plan
    from reporting.plan.importing import chosen_columns, plan_starts
    from reporting.settings import READ_NOW, load_settings

    # Importing needs nothing of the council's settings, so a reporting.toml still being
    # filled in does not stop it.
    settings = load_settings(args.config, complete=False) if args.config is not None else None
    starts = plan_starts(args.starts, settings.starts if settings else None)
    report = import_plan(args.file, args.out, force=args.force,
                         settings=settings.intake if settings else READ_NOW,
                         columns=chosen_columns(args.column), starts=starts)
    print(f"Wrote {shown_name(str(report.out))}: {plural(report.themes, 'theme')}, "
          f"{plural(report.actions, 'action')}, {plural(report.milestones, 'milestone')}.")
    print("Columns read:")
    for heading, column in report.columns:
        print(f"  {heading!r} -> {column}")
    if report.decisions:
        print(f"\nFor a person to decide ({len(report.decisions)}): change the workbook where "
              "the import read it wrongly, then run `reporting plan check` on it.")
        for decision in report.decisions:
            print(f"  {decision}")
    else:
        print("\nNothing needs a decision.")
    if report.dates_to_check:
        print(f"\nDates to check ({len(report.dates_to_check)}): each reads as a day but is "
              "very likely mistyped; none was changed.")
        for line in report.dates_to_check:
            print(f"  {line}")
    return 0


def check_command(args: argparse.Namespace) -> int:
    from cli.common import fail
    from reporting.plan import (
        find_plan,
        missing_lines,
        read_plan_workbook,
        undefined_line,
        unled_line,
    )

    path = args.file
    settings = None
    if path is None:
        from reporting.settings import load_settings

        # Before its committees are named: the plan needs only where it is.
        settings = load_settings(args.config, complete=False)
        inputs = args.inputs or settings.inputs
        path = find_plan(Path(inputs) / "plan")
    if not path.exists():
        return fail(f"no such file: {path}")
    if settings is None and args.config is not None:
        from reporting.settings import load_settings

        settings = load_settings(args.config, complete=False)
    default = settings.default_cadence if settings else None
    plan, problems = read_plan_workbook(path, *([default] if default else []),
                                        starts=settings.starts if settings else None)
    blocking = [p for p in problems if p.blocking]
    print(f"{shown_name(str(path))}:")
    if plan is not None:
        milestones = sum(len(a.milestones) for a in plan.actions)
        print(f"  {plural(len(plan.priorities), 'theme')}, {plural(len(plan.actions), 'action')}, "
              f"{plural(milestones, 'milestone')}")
    for problem in blocking:
        print(f"  must fix: {problem}")
    for problem in problems:
        if not problem.blocking:
            print(f"  {'date to check' if problem.mistyped else 'to look at'}: {problem}")
    # One line for each kind of gap, never one per action (issue 20).
    for line in (undefined_line(plan), *missing_lines(plan), unled_line(plan)) if plan else ():
        if line:
            print(f"  to look at: {line}")
    if blocking:
        print(f"{len(blocking)} problem{'s' if len(blocking) != 1 else ''} must be fixed "
              "before the plan can be used.")
        return 1
    print("The plan can be used.")
    return 0


def template_command(args: argparse.Namespace) -> int:
    from io import BytesIO

    from cli.common import fail
    from reporting.plan.form import blank_plan
    from reporting.publish import write_atomic

    if args.out.exists() and not args.force:
        return fail(f"{args.out} is already there; pass --force to overwrite it, or --out "
                    "to write elsewhere")
    data = BytesIO()
    blank_plan().save(data)
    write_atomic(args.out, data.getvalue())
    print(f"Wrote {shown_name(str(args.out))}: fill in the Actions sheet (the Instructions "
          f"sheet says how), then run `reporting plan check {shown_name(str(args.out))}`.")
    return 0



def rollover_command(args: argparse.Namespace) -> int:
    from reporting.pipeline import read_year_end
    from reporting.plan.rollover import check_out, default_out, rollover_start, write_rollover
    from reporting.settings import load_settings

    # Before anything is read: a --to or --out that cannot be used is said at once.
    starts = rollover_start(args.to)
    settings = load_settings(args.config, complete=False)
    inputs = Path(args.inputs or settings.inputs)
    out = args.out or default_out(starts)
    check_out(out, args.force, inputs)
    year_end = read_year_end(settings, inputs)
    report = write_rollover(year_end.plan, year_end.progress, year_end.period, starts, out)
    print(f"Read {shown_name(str(year_end.plan.source))} and the returns for "
          f"{report.period.label}, the latest period with a returns folder.")
    print(f"Wrote {shown_name(str(report.out))}: the {starts.financial_year} plan, starting "
          f"{starts.label}: {len(report.carried)} actions carried forward, "
          f"{len(report.closed)} closed as complete"
          + (f" ({', '.join(report.closed)})" if report.closed else "") + ".")
    print(f"\nEach decision ({len(report.decisions)}):")
    for decision in report.decisions:
        print(f"  {decision}")
    settled = [f"[plan] starts = \"{starts.label}\" (it says {settings.starts.label})"
               ] if settings.starts is not None and settings.starts != starts else []
    settled += [f"[plan] title (it says \"{settings.plan_title}\")"] if (
        report.carried_from in settings.plan_title) else []
    if settled:
        print(f"\nWhen it goes into inputs/plan/, set in the settings: {'; '.join(settled)}.")
    print(f"\nThen run `reporting plan check {shown_name(str(report.out))}`.")
    return 0
