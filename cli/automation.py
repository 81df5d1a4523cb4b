"""`reporting serve` runs the schedules; `reporting schedule` shows what they will do next."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from datetime import datetime
from pathlib import Path

from cli.common import fail, prefect_environment
from reporting.automation.deployments import deployments_of
from reporting.automation.prefect_yaml import prefect_yaml
from reporting.automation.schedule import (
    Cron,
    period_open_for_returns,
    planned_reminders,
    planned_report_runs,
    returns_deadline,
)
from reporting.cadence import Cadence
from reporting.errors import ReportingError
from reporting.installation import PLANS_FOLDER, InstalledPlan, installed_plans
from reporting.publish import write_atomic
from reporting.settings import DEFAULT_CONFIG_NAME, load_settings


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


def plans_asked_for(args: argparse.Namespace) -> list[InstalledPlan]:
    """The plan named by --plan or --config, else every plan of the installation here."""
    if getattr(args, "plan", None):
        return [InstalledPlan(args.plan, args.config)]
    if args.config is not None:
        return [InstalledPlan(None, args.config)]
    plans = installed_plans(Path("."))
    if not plans:
        raise ReportingError(f"no {DEFAULT_CONFIG_NAME} here and no {PLANS_FOLDER}/*/"
                             f"{DEFAULT_CONFIG_NAME}: run the command in an installation "
                             "folder, or give --config")
    return plans


def prefect_yaml_command(args: argparse.Namespace) -> int:
    plans = plans_asked_for(args)
    text = prefect_yaml(plans)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else None
        if current != text:
            return fail(f"{args.out} is not in step with the plans' settings: run "
                        "`reporting prefect-yaml` to write it again")
        print(f"{args.out} is in step with the plans' settings")
        return 0
    write_atomic(args.out, text.encode("utf-8"))
    print(f"Wrote {args.out}: the deployments of {len(plans)} plan(s); deploy them with "
          "`prefect deploy --all`")
    return 0


def _stop_on_sigterm(signum, frame) -> None:
    # Until the deployments are served (they handle SIGTERM themselves), leave through
    # the `with` blocks so the local server is stopped too.
    raise SystemExit(128 + signum)


def serve_command(args: argparse.Namespace) -> int:
    plans = plans_asked_for(args)
    print("Deployments to serve:")
    for plan in plans:  # a broken settings file fails in one line now, not in a run
        names = [d.name for d in deployments_of(plan, load_settings(plan.settings))]
        print(f"  {plan.name or plan.settings}: {', '.join(names)}")
    prefect_environment(Path(plans[0].settings).resolve().parent
                        if plans[0].name is None else Path(".").resolve())
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    if os.environ.get("PREFECT_API_URL"):
        print(f"Serving against the Prefect server at {os.environ['PREFECT_API_URL']}")
        from flows.deployments import serve_deployments

        serve_deployments(plans)
        return 0
    from flows.local_server import LocalPrefectServer, ServerError

    server = LocalPrefectServer(Path(os.environ["PREFECT_HOME"]), port=args.port, tied=True)
    print(f"Starting a local Prefect server (SQLite in {server.home}, log {server.log}) ...",
          flush=True)
    try:
        with server as api_url:
            os.environ["PREFECT_API_URL"] = api_url
            print(f"Prefect UI: {api_url.removesuffix('/api')}", flush=True)
            from flows.deployments import serve_deployments

            serve_deployments(plans)
    except ServerError as error:
        return fail(str(error))
    except KeyboardInterrupt:
        pass
    print("Stopped the schedules and the local Prefect server.")
    return 0


def _start(text: str | None, zone) -> datetime:
    if not text:
        return datetime.now(zone)
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=zone)


def schedule_command(args: argparse.Namespace) -> int:
    """Every plan's schedule in turn (a single plan's alone when there is one, or when named)."""
    plans = plans_asked_for(args)
    for number, plan in enumerate(plans):
        settings = load_settings(plan.settings)
        if plan.name:
            print(f"{'' if number == 0 else chr(10)}== {plan.name}: {settings.plan_title} ==")
        try:
            _print_schedule(settings.schedule, args.start, args.count)
        except ValueError:
            return fail(f"{args.start!r} is not a date or time: write it as 2023-01-15 or "
                        "2023-01-15T07:00")
    sys.stdout.flush()
    return 0


def _print_schedule(schedule, start_text: str | None, count: int) -> None:
    zone = schedule.zone
    start = _start(start_text, zone)
    days, nation = schedule.returns_deadline_working_days, schedule.bank_holidays

    def when(moment: datetime) -> str:
        return f"{moment:%a %d %b %Y %H:%M %Z}"

    print(f"Scheduled runs after {when(start)} (times in {schedule.timezone})")
    for cadence, cron_text in ((Cadence.QUARTERLY, schedule.quarterly_cron),
                               (Cadence.SIX_MONTHLY, schedule.six_monthly_cron)):
        print(f"\n{cadence.label} report  [{cron_text}]")
        for run in planned_report_runs(cadence, Cron.parse(cron_text), zone, start,
                                       count, days, nation):
            note = f"  ({run.note})" if run.note else ""
            print(f"  {when(run.when)}  reports on {run.period.description}{note}")
    print(f"\nIntake check  [every {schedule.intake_check_minutes} minutes while a period "
          "is open for returns]")
    open_now = period_open_for_returns(start, zone, days, Cron.parse(schedule.quarterly_cron),
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
