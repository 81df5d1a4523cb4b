"""The `reporting` command: parses arguments, calls one function, prints the result.

Prefect is imported only by the commands that run a flow, so quick commands stay quick.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from reporting.cadence import REPORT_CADENCES, Cadence
from reporting.config import DEFAULT_CONFIG_NAME, ConfigError, load_settings
from reporting.period import Period, PeriodError
from reporting.plan import PlanError
from reporting.returns import latest_period_with_returns


def prefect_environment(project: Path) -> None:
    """Keep Prefect's state inside the project and give its local API time to start."""
    os.environ.setdefault("PREFECT_HOME", str(project / ".prefect"))
    # The ephemeral API takes about 15 s to start on a 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reporting", description="Action plan monitoring and scrutiny reports."
    )
    parser.add_argument("--config", type=Path, default=Path(DEFAULT_CONFIG_NAME),
                        help="settings file (default: reporting.toml)")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="produce the scrutiny report for a period")
    run.add_argument("--period", help="e.g. 2022/23 Q2 (default: latest with a returns folder)")
    run.add_argument("--cadence", choices=[c.value for c in REPORT_CADENCES],
                     default=Cadence.QUARTERLY.value)
    run.add_argument("--inputs", type=Path, help="folder holding plan/ and returns/")
    run.add_argument("--outputs", type=Path, help="folder the documents are written under")
    return parser


def _fail(message: str) -> int:
    print(f"reporting: {message}", file=sys.stderr)
    return 2


def run_command(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    inputs = args.inputs or settings.inputs
    if args.period:
        period = Period.parse(args.period)
    else:
        period = latest_period_with_returns(inputs / "returns")
        if period is None:
            return _fail(f"no period folder under {inputs / 'returns'}; give --period")
    prefect_environment(args.config.resolve().parent)
    from flows.scrutiny_report import scrutiny_report

    paths = scrutiny_report(
        period=period.label,
        cadence=args.cadence,
        inputs=str(inputs),
        outputs=str(args.outputs or settings.outputs),
        config=str(args.config) if args.config.exists() else None,
    )
    print(f"{period.description}, {args.cadence} report:")
    for kind in ("pdf", "docx", "html", "flags", "manifest"):
        print(f"  {kind:9} {paths[kind]}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            return run_command(args)
    except (PlanError, PeriodError, ConfigError, ValueError) as error:
        return _fail(str(error).splitlines()[0])
    return _fail(f"unknown command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
