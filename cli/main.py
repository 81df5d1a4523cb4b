"""The `reporting` command: parses arguments and hands them to one subcommand.

Each subcommand lives in its own module of `cli/`. Prefect is never imported here: the
commands that run a flow call a plain function of `flows/` (`flows/launch.py`), imported
only when they run, so quick commands (such as checking a return) stay quick.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cli import automation, clear, intake, mail, plan, run
from cli.common import fail
from reporting.errors import ReportingError
from reporting.installation import plan_settings

COMMANDS = (run, clear, mail, intake, plan, automation)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reporting", description="Action plan monitoring and scrutiny reports."
    )
    settings_help = "settings file (default: reporting.toml in this folder)"
    plan_help = "the plan of an installation with several: plans/NAME/reporting.toml"
    parser.add_argument("--config", type=Path, default=None, help=settings_help)
    parser.add_argument("--plan", default=None, metavar="NAME", help=plan_help)
    commands = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(commands)
    # Officers put it either side of the subcommand; after it, it wins.
    for command in _leaves(commands):
        command.add_argument("--config", type=Path, default=argparse.SUPPRESS,
                             help=settings_help)
        command.add_argument("--plan", default=argparse.SUPPRESS, metavar="NAME",
                             help=plan_help)
    return parser


def _leaves(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """Every command that runs, nested ones ("plan check") included."""
    found = []
    for command in commands.choices.values():
        nested = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        found += _leaves(nested[0]) if nested else [command]
    return found


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.plan is not None:
            if args.config is not None:
                return fail("give --plan or --config, not both")
            args.config = plan_settings(args.plan)
        return args.handler(args)
    except ReportingError as error:
        # A problem with what the user gave, said in one line; any other error is a fault
        # in the program and keeps its traceback.
        return fail(str(error).splitlines()[0])
    except BrokenPipeError:  # the output piped into `head` or a pager that was closed
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:  # the machine's: a full disk, a folder that may not be written
        where = f"{error.filename}: " if error.filename else ""
        return fail(f"{where}{error.strerror or error}; nothing half-written was published "
                    "(the last complete papers stand)")


if __name__ == "__main__":
    sys.exit(main())
