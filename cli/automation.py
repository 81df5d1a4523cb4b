"""`reporting serve` runs the schedules; `reporting schedule` shows what they will do next."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from cli.common import fail
from reporting.cadence import Paper
from reporting.errors import ReportingError
from reporting.installation import (
    PLAN_NAME_RULE,
    PLANS_FOLDER,
    InstalledPlan,
    installed_plans,
    misnamed_plans,
)
from reporting.publish import write_atomic
from reporting.settings import DEFAULT_CONFIG_NAME, Settings, load_settings


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser(
        "serve", help="run the scheduled reports, intake checks and reminders until stopped")
    serve.add_argument("--port", type=int, default=4200,
                       help="port of the local Prefect server started when PREFECT_API_URL "
                            "is not set (default: 4200)")
    serve.set_defaults(handler=serve_command)
    schedule = commands.add_parser(
        "schedule", help="show the next scheduled runs and the period each reports on")
    schedule.add_argument("--from", dest="start", metavar="WHEN",
                          help="look ahead from this date or time (default: now)")
    schedule.add_argument("--count", type=int, default=4, help="runs to show for each report")
    schedule.set_defaults(handler=schedule_command)
    prefect_yaml = commands.add_parser(
        "prefect-yaml", help="write prefect.yaml, every plan's deployments for a Prefect "
                             "server with work pools, from the plans' settings")
    prefect_yaml.add_argument("--out", type=Path, default=Path("prefect.yaml"),
                              help="file to write (default: prefect.yaml in this folder)")
    prefect_yaml.add_argument("--check", action="store_true",
                              help="write nothing; fail if the file is not what would be "
                                   "written")
    prefect_yaml.set_defaults(handler=prefect_yaml_command)


def plans_asked_for(args: argparse.Namespace
                    ) -> tuple[list[tuple[InstalledPlan, Settings]], list[str]]:
    """The plan named by --plan or --config, else every plan of the installation here that
    can be read. One plan's broken settings or folder name is said in a line on stderr and
    that plan left out, so one council's typo never stops every other council's papers.
    Gives (each plan with its settings, why each one left out was)."""
    if getattr(args, "plan", None) or args.config is not None:
        # A plan asked for by name or file fails in its own one line.
        plan = InstalledPlan(getattr(args, "plan", None), args.config)
        return [(plan, load_settings(plan.settings))], []
    readable, left_out = [], []
    for plan in installed_plans(Path(".")):
        try:
            readable.append((plan, load_settings(plan.settings)))
        except ReportingError as error:
            left_out.append(str(error).splitlines()[0])
    left_out += [f"{folder}: {PLAN_NAME_RULE}; rename the folder"
                 for folder in misnamed_plans(Path("."))]
    for why in left_out:
        print(f"reporting: left out {why}", file=sys.stderr, flush=True)
    if not readable:
        raise ReportingError(f"no plan here to read: no {DEFAULT_CONFIG_NAME} here, and no "
                             f"readable {PLANS_FOLDER}/*/{DEFAULT_CONFIG_NAME}; run the command "
                             "in an installation folder, or give --config")
    return readable, left_out


def _deployments_differ(current: str, wanted: str) -> list[str]:
    """Say, deployment by deployment, how prefect.yaml's text differs from what is wanted."""
    import yaml

    def by_name(text: str) -> dict:
        return {d.get("name"): d for d in (yaml.safe_load(text) or {}).get("deployments") or []}

    try:
        have, want = by_name(current), by_name(wanted)
    except (yaml.YAMLError, AttributeError):
        return ["it is not the YAML `reporting prefect-yaml` writes"]
    said = [f"{name}: missing" for name in want if name not in have]
    said += [f"{name}: not in any plan's settings" for name in have if name not in want]
    for name in (n for n in want if n in have and want[n] != have[n]):
        keys = [k for k in want[name] if want[name][k] != have[name].get(k)]
        verb = "differs" if keys == ["version"] or keys == ["description"] else "differ"
        why = " (its flow's parameters changed)" if "version" in keys else ""
        said.append(f"{name}: its {', '.join(keys)} {verb}{why}")
    return said or ["its comments or layout differ"]


def prefect_yaml_command(args: argparse.Namespace) -> int:
    from reporting.automation.prefect_yaml import prefect_yaml

    if getattr(args, "plan", None) or args.config is not None:
        return fail("prefect.yaml holds the deployments of every plan of the installation: "
                    "run `reporting prefect-yaml` in its folder without --plan or --config")
    plans, left_out = plans_asked_for(args)
    if left_out:
        return fail(f"{args.out} not written: {len(left_out)} plan(s) could not be read "
                    "(above); mend them, or move them out of plans/, and run it again")
    from flows.deployments import parameter_versions  # Prefect's schemas of the flows

    text = prefect_yaml([plan for plan, _ in plans], parameter_versions())
    if args.check:
        if not args.out.is_file():
            return fail(f"{args.out} does not exist: run `reporting prefect-yaml` to write it")
        current = args.out.read_text(encoding="utf-8")
        if current != text:
            for line in _deployments_differ(current, text):
                print(f"  {line}", file=sys.stderr)
            return fail(f"{args.out} is not in step with the plans' settings and the flows' "
                        "parameters (above): run `reporting prefect-yaml` to write it again, "
                        "then deploy it")
        print(f"{args.out} is in step with the plans' settings and the flows' parameters")
        return 0
    write_atomic(args.out, text.encode("utf-8"))
    print(f"Wrote {args.out}: the deployments of {len(plans)} plan(s); deploy them with "
          "`prefect deploy --all`")
    return 0


def serve_command(args: argparse.Namespace) -> int:
    from reporting.automation.deployments import NOTIFY, deployments_of

    readable, _ = plans_asked_for(args)  # the others are named on stderr; serve the rest
    print("Deployments to serve:")
    for plan, settings in readable:
        names = [d.name for d in deployments_of(plan, settings)]
        print(f"  {plan.name or plan.settings}: {', '.join(names)}")
    print(f"  every plan: {NOTIFY} (mails [email] policy_officer of a failed, crashed or "
          "stuck run)")
    from flows.launch import serve_plans  # here: the other commands do without it
    from flows.local_server import ServerError

    try:
        serve_plans([plan for plan, _ in readable], port=args.port,
                    say=lambda line: print(line, flush=True))
    except ServerError as error:
        return fail(str(error))
    return 0


def _start(text: str | None, zone) -> datetime:
    if not text:
        return datetime.now(zone)
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=zone)


def schedule_command(args: argparse.Namespace) -> int:
    """Every plan's schedule in turn (a single plan's alone when there is one, or when named)."""
    plans, left_out = plans_asked_for(args)
    for number, (plan, settings) in enumerate(plans):
        if plan.name or len(plans) > 1:
            print(f"{'' if number == 0 else chr(10)}== {plan.name or plan.settings}: "
                  f"{settings.plan_title} ==")
        try:
            start = _start(args.start, settings.schedule.zone)
        except ValueError:
            return fail(f"{args.start!r} is not a date or time: write it as 2023-01-15 or "
                        "2023-01-15T07:00")
        _print_schedule(settings.schedule, start, args.count, settings.ends)
    sys.stdout.flush()
    return 1 if left_out else 0


def _print_schedule(schedule, start: datetime, count: int, plan_ends=None) -> None:
    from reporting.automation.schedule import (
        period_open_for_returns,
        planned_reminders,
        planned_report_runs,
        returns_deadline,
    )

    zone = schedule.zone
    days, nation = schedule.returns_deadline_working_days, schedule.bank_holidays

    def when(moment: datetime) -> str:
        return f"{moment:%a %d %b %Y %H:%M %Z}"

    print(f"Scheduled runs after {when(start)} (times in {schedule.timezone})")
    for paper, cron_text in ((Paper.QUARTERLY, schedule.quarterly_cron),
                             (Paper.SIX_MONTHLY, schedule.six_monthly_cron)):
        print(f"\n{paper.label} report  [{cron_text}]")
        for run in planned_report_runs(paper, schedule.cron(cron_text), zone, start,
                                       count, days, nation, plan_ends):
            note = f"  ({run.note})" if run.note else ""
            print(f"  {when(run.when)}  reports on {run.period.description}{note}")
    print(f"\nIntake check  [every {schedule.intake_check_minutes} minutes while a period "
          "is open for returns]")
    open_now = period_open_for_returns(start, zone, days, schedule.cron(schedule.quarterly_cron),
                                       nation)
    if open_now:
        deadline = returns_deadline(open_now, days, nation)
        print(f"  open now for {open_now.label} returns (deadline {deadline:%a %d %b %Y})")
    else:
        print("  no period is open for returns now")
    print(f"\nReminders  [checked {schedule.reminders_cron}; "
          f"{schedule.reminder_working_days_before} working days before the deadline, "
          "and the working day after it]")
    for due in planned_reminders(start, zone, count, days,
                                 schedule.reminder_working_days_before, nation):
        kind = "before" if due.kind == "before" else "after "
        print(f"  {due.day:%a %d %b %Y}  {kind} the {due.period.label} deadline "
              f"({due.deadline:%a %d %b %Y})")
