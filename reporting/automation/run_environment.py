"""The Prefect client settings every run of the project has, however it is started.

Said once here; `flows` applies them when it is imported (before Prefect is, for a run
started from Python or a test), `reporting run` and `reporting serve` set them for the runs
they start, and `prefect.yaml` gives them to each deployment's run on a worker (whose
engine imports Prefect before the flow). Settings already in the environment win.
"""

from __future__ import annotations

RUN_ENVIRONMENT: dict[str, str] = {
    # A server that answers 500 for a moment (its database restarting) is asked again, as
    # Prefect always does for 429, 502 and 503, so a published run is not left Running.
    "PREFECT_CLIENT_RETRY_EXTRA_CODES": "500,504",
    # Runs send a heartbeat every 30 s, so that a run whose process was killed outright
    # (SIGKILL after systemd's stop timeout) can be seen and marked Crashed.
    "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "30",
}
