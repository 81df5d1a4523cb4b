"""The `reporting` command: parses arguments and hands them to one subcommand.

Each subcommand lives in `reporting/commands/`. Prefect is imported only by the commands
that run a flow, so quick commands (such as checking a return) stay quick.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli import automation, intake, run
from cli.common import fail
from reporting.config import DEFAULT_CONFIG_NAME, ConfigError
from reporting.period import PeriodError
from reporting.automation.lock import RunInProgress
from reporting.plan import PlanError

COMMANDS = (run, intake, automation)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reporting", description="Action plan monitoring and scrutiny reports."
    )
    parser.add_argument("--config", type=Path, default=Path(DEFAULT_CONFIG_NAME),
                        help="settings file (default: reporting.toml)")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except (PlanError, PeriodError, ConfigError, RunInProgress, ValueError) as error:
        return fail(str(error).splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
