"""Settings for running unattended, read from `reporting.toml`: [schedule], [email], [contacts].

Kept apart from `reporting.config.Settings` (who the report is from, where files live)
because only the schedules, the chasing and the delivery read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reporting.config import DEFAULT_CONFIG_NAME, ConfigError, read_settings_file
from reporting.services import service_key


@dataclass(frozen=True)
class ScheduleSettings:
    """When the scheduled runs happen and when returns are due."""

    timezone: str = "Europe/London"
    quarterly_cron: str = "0 7 15 1,4,7,10 *"
    six_monthly_cron: str = "0 7 15 4,10 *"
    intake_check_minutes: int = 15
    # Reminders are decided each working morning; this cron says when that check runs.
    reminders_cron: str = "0 8 * * 1-5"
    returns_deadline_working_days: int = 10
    reminder_working_days_before: int = 3

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class EmailSettings:
    """How mail is sent; `enabled` is False unless the council turns it on."""

    enabled: bool = False
    host: str = "localhost"
    port: int = 25
    starttls: bool = False
    username: str = ""
    password_env: str = "REPORTING_SMTP_PASSWORD"
    sender: str = "performance@example.gov.uk"
    committee: tuple[str, ...] = ()
    timeout_seconds: float = 30.0
    # A send that fails is tried again after each of these waits (the back-off).
    retry_delays_seconds: tuple[float, ...] = (60.0, 300.0, 900.0)


@dataclass(frozen=True)
class Contact:
    """Who is chased for a service area's return."""

    service_area: str
    officer: str
    email: str


@dataclass(frozen=True)
class AutomationSettings:
    schedule: ScheduleSettings = ScheduleSettings()
    email: EmailSettings = EmailSettings()
    contacts: tuple[Contact, ...] = ()
    source: Path | None = None  # the settings file, when there was one

    def contact_for(self, service_area: str) -> Contact | None:
        """Give the contact for `service_area`, matching spellings ("Health and Wellbeing")."""
        key = service_key(service_area)
        return next((c for c in self.contacts if service_key(c.service_area) == key), None)


def _cron(path: Path, name: str, value: object) -> str:
    text = str(value).strip()
    if len(text.split()) != 5:
        raise ConfigError(f"{path}: [schedule] {name} must be a cron string of five fields, "
                          f"such as \"0 7 15 1,4,7,10 *\", not {value!r}")
    return text


def _schedule(path: Path, data: dict) -> ScheduleSettings:
    defaults = ScheduleSettings()
    timezone = str(data.get("timezone", defaults.timezone))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"{path}: [schedule] timezone {timezone!r} is not a known time zone") \
            from error
    numbers = {}
    for name in ("intake_check_minutes", "returns_deadline_working_days",
                 "reminder_working_days_before"):
        value = data.get(name, getattr(defaults, name))
        if not isinstance(value, int) or value < (1 if name == "intake_check_minutes" else 0):
            raise ConfigError(f"{path}: [schedule] {name} must be a whole number, not {value!r}")
        numbers[name] = value
    return ScheduleSettings(
        timezone=timezone,
        quarterly_cron=_cron(path, "quarterly_cron",
                             data.get("quarterly_cron", defaults.quarterly_cron)),
        six_monthly_cron=_cron(path, "six_monthly_cron",
                               data.get("six_monthly_cron", defaults.six_monthly_cron)),
        reminders_cron=_cron(path, "reminders_cron",
                             data.get("reminders_cron", defaults.reminders_cron)),
        **numbers,
    )


def _email(path: Path, data: dict) -> EmailSettings:
    defaults = EmailSettings()
    committee = data.get("committee", [])
    if isinstance(committee, str):
        committee = [committee]
    delays = data.get("retry_delays_seconds", defaults.retry_delays_seconds)
    try:
        port = int(data.get("port", defaults.port))
        delays = tuple(float(d) for d in delays)
        timeout = float(data.get("timeout_seconds", defaults.timeout_seconds))
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{path}: [email] {error}") from error
    return EmailSettings(
        enabled=bool(data.get("enabled", False)),
        host=str(data.get("host", defaults.host)),
        port=port,
        starttls=bool(data.get("starttls", False)),
        username=str(data.get("username", "")),
        password_env=str(data.get("password_env", defaults.password_env)),
        sender=str(data.get("sender", defaults.sender)),
        committee=tuple(str(c) for c in committee),
        timeout_seconds=timeout,
        retry_delays_seconds=delays,
    )


def _contacts(path: Path, data: dict) -> tuple[Contact, ...]:
    contacts = []
    for service, value in data.items():
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: [contacts] {service!r} must be "
                              "{ officer = \"...\", email = \"...\" }")
        contacts.append(Contact(service, str(value.get("officer", "")),
                                str(value.get("email", ""))))
    return tuple(contacts)


def load_automation_settings(path: Path | None = None) -> AutomationSettings:
    """Give the [schedule], [email] and [contacts] settings in `path` (default `reporting.toml`).

    A missing file or section gives the defaults: email off, no contacts.
    """
    path = Path(path or DEFAULT_CONFIG_NAME)
    if not path.exists():
        return AutomationSettings()
    data = read_settings_file(path)
    return AutomationSettings(
        schedule=_schedule(path, data.get("schedule", {})),
        email=_email(path, data.get("email", {})),
        contacts=_contacts(path, data.get("contacts", {})),
        source=path.resolve(),
    )

