"""Settings read from `reporting.toml`: who the report is from and where files live."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reporting.cadence import Cadence
from reporting.period import Period

DEFAULT_CONFIG_NAME = "reporting.toml"


class ConfigError(ValueError):
    """A settings file that cannot be used."""


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know that is not in the plan or the returns."""

    council: str = "Harborough District Council"
    committee: str = "Scrutiny Commission"
    report_author: str = "Policy and Performance Officer"
    author_contact: str = ""
    lead_member: str = ""
    plan_title: str = "Action Plan"
    default_cadence: Cadence = Cadence.QUARTERLY
    inputs: Path = Path("inputs")
    outputs: Path = Path("outputs")
    meetings: dict[str, date] = field(default_factory=dict)
    glossary: dict[str, str] = field(default_factory=dict)

    def meeting_date(self, period: Period) -> date | None:
        """Give the committee meeting that receives the report on `period`, if one is set."""
        return self.meetings.get(period.path)


def read_settings_file(path: Path | None = None) -> dict:
    """Give the tables of the settings file at `path` (default `reporting.toml`).

    A missing file gives no tables, so every caller falls back to its defaults; a file that
    is not valid TOML raises ConfigError naming it.
    """
    path = Path(path or DEFAULT_CONFIG_NAME)
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from error


def load_settings(path: Path | None = None) -> Settings:
    """Give the settings in `path` (default `reporting.toml` in the working folder).

    Relative paths in the file are taken from the file's own folder. A missing file gives
    the defaults, so a caller can always run.
    """
    path = Path(path or DEFAULT_CONFIG_NAME)
    if not path.exists():
        return Settings()
    data = read_settings_file(path)
    base = path.resolve().parent
    council = data.get("council", {})
    plan = data.get("plan", {})
    paths = data.get("paths", {})
    try:
        cadence = Cadence.parse(plan.get("default_cadence", "quarterly"))
    except ValueError as error:
        raise ConfigError(f"{path}: [plan] default_cadence: {error}") from error
    meetings = {}
    for key, value in data.get("meetings", {}).items():
        if not isinstance(value, date):
            raise ConfigError(f"{path}: [meetings] {key} must be a date such as 2022-11-14")
        meetings[Period.parse(key).path] = value
    return Settings(
        council=council.get("name", Settings.council),
        committee=council.get("committee", Settings.committee),
        report_author=council.get("report_author", Settings.report_author),
        author_contact=council.get("author_contact", ""),
        lead_member=council.get("lead_member", ""),
        plan_title=plan.get("title", Settings.plan_title),
        default_cadence=cadence,
        inputs=base / paths.get("inputs", "inputs"),
        outputs=base / paths.get("outputs", "outputs"),
        meetings=meetings,
        glossary={str(k): str(v) for k, v in data.get("glossary", {}).items()},
    )
