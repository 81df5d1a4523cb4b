"""The project's Prefect flows. Importing the package gives this process the project's
Prefect client settings (`give_run_environment`): it runs before Prefect is imported for
any run started from Python, so the settings reach Prefect's client."""

import os

from reporting.automation.run_environment import RUN_ENVIRONMENT


def give_run_environment() -> None:
    """Set the project's Prefect client settings in this process's environment, unless it
    sets them already (and so in the processes it starts)."""
    for name, value in RUN_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


give_run_environment()
