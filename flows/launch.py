"""What the `reporting` command starts, as plain functions: one report run, or every plan's
schedules served, each against a Prefect API (`flows.local_server.prefect_api`).

The command line parses and prints; Prefect is imported here, never in `cli/`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flows.local_server import prefect_api
from reporting.cadence import Paper
from reporting.installation import InstalledPlan
from reporting.period import Period
from reporting.settings import Settings


def run_report(settings: Settings, period: Period, paper: Paper, inputs: Path,
               outputs: Path, plan: str | None = None,
               settle_seconds: float | None = None) -> dict[str, str]:
    """Run the scrutiny report flow once, now; give the paths it wrote, by kind.

    Raises ServerError when no local Prefect server could be started for it.
    """
    flows = {}

    def import_the_flow() -> None:  # while the local server boots
        from flows.scrutiny_report import scrutiny_report

        flows["report"] = scrutiny_report

    with prefect_api(settings.source.parent, while_it_starts=import_the_flow):
        from prefect import tags

        # A plan of several is tagged as its scheduled runs are, to be found in the UI.
        with tags(*InstalledPlan(plan, settings.source).tags):
            return flows["report"](
                period=period.label, cadence=paper.value, inputs=inputs, outputs=outputs,
                config=settings.source, plan=plan, settle_seconds=settle_seconds)


def serve_plans(plans: list[InstalledPlan], port: int = 4200,
                say: Callable[[str], None] = print) -> None:
    """Serve the plans' deployments until Ctrl-C or SIGTERM, against the configured Prefect
    API, else a local server on `port` started here and stopped after the deployments.

    Raises ServerError when the local server could not be started.
    """
    first = plans[0]
    project = Path(first.settings).resolve().parent if first.name is None else Path(".").resolve()
    deployments, server = {}, None

    def import_the_flows() -> None:  # while the local server boots
        from flows.deployments import serve_deployments

        deployments["serve"] = serve_deployments

    try:
        with prefect_api(project, port=port, while_it_starts=import_the_flows,
                         say=say) as server:
            from prefect.settings import PREFECT_API_URL

            if server is None:
                say(f"Serving against the Prefect server at {PREFECT_API_URL.value()}")
            else:
                say(f"Prefect UI: {server.api_url.removesuffix('/api')}")
            deployments["serve"](plans, server_pid=server.process.pid if server else None,
                                 say=say)
    except KeyboardInterrupt:  # Ctrl-C while the server was starting
        pass
    if server is not None:
        say("Stopped the schedules and the local Prefect server.")
