"""What every subcommand shares: failing in one line, and Prefect's environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def fail(message: str) -> int:
    """Print `message` as one line on stderr and give the exit status for failure."""
    print(f"reporting: {message}", file=sys.stderr)
    return 2


def prefect_environment(project: Path) -> None:
    """Keep Prefect's state inside the project and give its local API time to start.

    Call before importing Prefect; settings already in the environment win.
    """
    os.environ.setdefault("PREFECT_HOME", str(project / ".prefect"))
    # The ephemeral API takes about 15 s to start on a 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
