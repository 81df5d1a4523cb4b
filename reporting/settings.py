"""The settings of one installation, read once from `reporting.toml` into one Settings object.

Who the report is from and for ([council], [plan]), where files live ([paths]), when the
committee meets ([meetings]), how returns are read ([intake]), when runs happen
([schedule]), how mail is sent ([email]), whom to chase ([contacts]) and the abbreviations
the plan uses ([glossary]).

One error policy: a missing or broken file, a missing required setting or a value of the
wrong kind is a ConfigError naming the file and the setting. No council's details are
defaults here: a council's name, committee and plan title must be in its own file.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reporting.cadence import Cadence, CadenceError
from reporting.cron import Cron
from reporting.errors import ReportingError
from reporting.period import Period, PeriodError
from reporting.services import service_key
from reporting.working_days import NATIONS

DEFAULT_CONFIG_NAME = "reporting.toml"


class ConfigError(ReportingError, ValueError):
    """A settings file that cannot be used: which file, which setting, what to write."""


@dataclass(frozen=True)
class IntakeSettings:
    """How returns are read: `[intake]` (and the returns deadline from `[schedule]`)."""

    settle_seconds: float = 60
    max_file_mb: float = 20
    max_rows: int = 5000
    long_update_words: int = 150
    max_columns: int = 100
    max_merged_ranges: int = 1000
    max_field_chars: int = 32767  # as many as Excel holds in a cell
    reader_memory_mb: int = 2048  # the reading child process stops a file past this
    returns_deadline_working_days: int = 10
    bank_holidays: str = "england-and-wales"  # the nation whose bank holidays are skipped

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def max_unzipped_bytes(self) -> int:
        # Spreadsheet XML compresses about ten to one; a return needs far less than this.
        return 10 * self.max_bytes


# What a caller that passes no settings gets: the limits, but every file is read now.
READ_NOW = IntakeSettings(settle_seconds=0)


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
    bank_holidays: str = "england-and-wales"  # or "scotland", "northern-ireland"

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
class Committee:
    """The meeting a cadence's paper goes to ([committees.quarterly], [committees.six-monthly])."""

    name: str
    meetings: dict[str, date] = field(default_factory=dict)  # period path -> meeting date
    report_of: str = ""  # the officer or director the report is "of"
    portfolio_holder: str = ""


# The implications a UK committee report states, in order, and the wording when the council
# gives none ([implications] adds others, or words these differently).
IMPLICATIONS = {
    "financial": "Financial",
    "legal": "Legal",
    "equality": "Equality",
    "risk": "Risk management",
    "climate": "Climate change and the environment",
}
NO_IMPLICATIONS = "None arising directly from this report."


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything a run needs to know that is not in the plan or the returns."""

    council: str
    committee: str
    plan_title: str
    report_author: str = ""
    author_contact: str = ""
    lead_member: str = ""
    wards_affected: str = "All wards"
    key_decision: str = "No"
    exempt: str = "No"
    default_cadence: Cadence = Cadence.QUARTERLY
    inputs: Path = Path("inputs")
    outputs: Path = Path("outputs")
    meetings: dict[str, date] = field(default_factory=dict)
    glossary: dict[str, str] = field(default_factory=dict)
    intake: IntakeSettings = IntakeSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    email: EmailSettings = EmailSettings()
    contacts: tuple[Contact, ...] = ()
    # A paper is published this many working days before its meeting ([publication]).
    clear_working_days: int = 5
    # Each cadence's committee ([committees.<cadence>]); a cadence without one goes to
    # [council] committee, on the [meetings] dates.
    committees: dict[Cadence, Committee] = field(default_factory=dict)
    # (heading, words) for each implication, in the paper's order ([implications]).
    implications: tuple[tuple[str, str], ...] = tuple(
        (heading, NO_IMPLICATIONS) for heading in IMPLICATIONS.values())
    background_papers: tuple[str, ...] = ()  # [publication] background_papers
    source: Path | None = None  # the settings file these came from

    def committee_for(self, cadence: Cadence) -> Committee:
        """Give the committee that receives `cadence`'s paper."""
        found = self.committees.get(cadence)
        if found is not None:
            return found
        return Committee(self.committee, self.meetings, self.report_author, self.lead_member)

    def meeting_date(self, period: Period, cadence: Cadence | None = None) -> date | None:
        """Give the meeting that receives the report on `period` (the cadence's committee's,
        when it is given), if one is set."""
        meetings = self.committee_for(cadence).meetings if cadence else self.meetings
        return meetings.get(period.path)

    def contact_for(self, service_area: str) -> Contact | None:
        """Give the contact for `service_area`, matching spellings ("Health and Wellbeing")."""
        key = service_key(service_area)
        return next((c for c in self.contacts if service_key(c.service_area) == key), None)


# ---------------------------------------------------------------------------------------
# Reading the file


class _Table:
    """One table of the file, whose values are checked as they are taken."""

    def __init__(self, path: Path, data: dict, name: str) -> None:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: [{name}] must be a table of settings")
        self.path, self.name, self.values = path, name, value

    def error(self, key: str, wanted: str, value: object) -> ConfigError:
        return ConfigError(f"{self.path}: [{self.name}] {key} must be {wanted}, not {value!r}")

    def required_text(self, key: str, example: str) -> str:
        value = self.values.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{self.path}: [{self.name}] {key} is required, "
                              f"for example {key} = \"{example}\"")
        return value.strip()

    def text(self, key: str, default: str) -> str:
        value = self.values.get(key, default)
        if not isinstance(value, str):
            raise self.error(key, "text in quotes", value)
        return value.strip()

    def number(self, key: str, default: float, minimum: float = 0) -> float:
        value = self.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
            raise self.error(key, f"a number of at least {minimum:g}", value)
        return float(value)

    def whole(self, key: str, default: int, minimum: int = 0) -> int:
        value = self.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(key, f"a whole number of at least {minimum}", value)
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.values.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, "true or false", value)
        return value

    def cron(self, key: str, default: str) -> str:
        value = self.text(key, default)
        try:
            Cron.parse(value)
        except ValueError as error:
            wanted = 'a cron string of five fields, such as "0 7 15 1,4,7,10 *"'
            if len(value.split()) == 5:  # say which field is out of range
                wanted += f" ({str(error).partition(': ')[2]})"
            raise self.error(key, wanted, value) from None
        return value


# The settings each table may hold (None: the table's keys are the council's own, such as
# service areas in [contacts] or abbreviations in [glossary]).
KNOWN_SETTINGS: dict[str, frozenset[str] | None] = {
    "council": frozenset({"name", "committee", "report_author", "author_contact",
                          "lead_member", "wards_affected", "key_decision", "exempt"}),
    "plan": frozenset({"title", "default_cadence"}),
    "paths": frozenset({"inputs", "outputs"}),
    "meetings": None,
    "intake": frozenset({"settle_seconds", "max_file_mb", "max_rows", "long_update_words",
                         "max_columns", "max_merged_ranges", "max_field_chars",
                         "reader_memory_mb"}),
    "schedule": frozenset({"timezone", "quarterly_cron", "six_monthly_cron", "reminders_cron",
                           "intake_check_minutes", "returns_deadline_working_days",
                           "reminder_working_days_before", "bank_holidays"}),
    "email": frozenset({"enabled", "host", "port", "starttls", "username", "password_env",
                        "sender", "committee", "timeout_seconds", "retry_delays_seconds"}),
    "contacts": None,
    "glossary": None,
    "publication": frozenset({"clear_working_days", "background_papers"}),
    "committees": frozenset({c.value for c in Cadence if c is not Cadence.ANNUAL}),
    "implications": None,
}
_COMMITTEE_SETTINGS = frozenset({"name", "meetings", "report_of", "portfolio_holder"})


def _suggest(name: str, known) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _no_strays(path: Path, data: dict) -> None:
    """Refuse a table or setting the program does not know: a mistyped one would be ignored."""
    for table, value in data.items():
        if table not in KNOWN_SETTINGS:
            hint = _suggest(table, KNOWN_SETTINGS)
            raise ConfigError(f"{path}: [{table}] is not a settings table{hint}; the tables "
                              f"are {', '.join(KNOWN_SETTINGS)}")
        known = KNOWN_SETTINGS[table]
        if known is None or not isinstance(value, dict):
            continue
        for key in value:
            if key not in known:
                hint = _suggest(key, known)
                raise ConfigError(f"{path}: [{table}] {key} is not a setting{hint}; "
                                  f"[{table}] holds {', '.join(sorted(known))}")


def _council(path: Path, data: dict) -> dict:
    council, plan = _Table(path, data, "council"), _Table(path, data, "plan")
    try:
        cadence = Cadence.parse(plan.text("default_cadence", "quarterly"))
    except CadenceError as error:
        raise ConfigError(f"{path}: [plan] default_cadence: {error}") from error
    return dict(
        council=council.required_text("name", "Anytown District Council"),
        # Needed only where a cadence has no [committees.<cadence>] of its own.
        committee=council.required_text("committee", "Overview and Scrutiny Committee")
        if not all(c.value in data.get("committees", {}) for c in (Cadence.QUARTERLY,
                                                                   Cadence.SIX_MONTHLY))
        else council.text("committee", ""),
        report_author=council.text("report_author", Settings.report_author),
        author_contact=council.text("author_contact", ""),
        lead_member=council.text("lead_member", ""),
        wards_affected=council.text("wards_affected", Settings.wards_affected),
        key_decision=council.text("key_decision", Settings.key_decision),
        exempt=council.text("exempt", Settings.exempt),
        plan_title=plan.required_text("title", "Corporate Plan 2024-2028"),
        default_cadence=cadence,
    )


def _meetings(path: Path, values: object, name: str) -> dict[str, date]:
    """Read a table of period = meeting date ([meetings], [committees.<cadence>.meetings])."""
    meetings = {}
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: [{name}] must be a table of period = date")
    for key, value in values.items():
        if not isinstance(value, date):
            raise ConfigError(f"{path}: [{name}] {key} must be a date such as 2022-11-14, "
                              f"not {value!r}")
        try:
            meetings[Period.parse(key).path] = value
        except PeriodError as error:
            raise ConfigError(f"{path}: [{name}] {key!r} is not a period: write it as "
                              "\"2022-23-Q2\"") from error
    return meetings


def _committees(path: Path, data: dict) -> dict[Cadence, Committee]:
    committees = {}
    for cadence, values in _Table(path, data, "committees").values.items():
        name = f"committees.{cadence}"
        table = _Table(path, {name: values}, name)
        for key in table.values:
            if key not in _COMMITTEE_SETTINGS:
                raise ConfigError(f"{path}: [{name}] {key} is not a setting"
                                  f"{_suggest(key, _COMMITTEE_SETTINGS)}; [{name}] holds "
                                  f"{', '.join(sorted(_COMMITTEE_SETTINGS))}")
        committees[Cadence.parse(cadence)] = Committee(
            name=table.required_text("name", "Cabinet"),
            meetings=_meetings(path, table.values.get("meetings", {}), f"{name}.meetings"),
            report_of=table.text("report_of", ""),
            portfolio_holder=table.text("portfolio_holder", ""))
    return committees


def _implications(path: Path, data: dict) -> tuple[tuple[str, str], ...]:
    """Each implication's heading and words: the standard five first, then the council's own."""
    table = _Table(path, data, "implications")
    found = dict((heading, NO_IMPLICATIONS) for heading in IMPLICATIONS.values())
    for key in table.values:
        words = table.text(key, "")
        if not words:
            raise table.error(key, "the words the paper gives (or leave the key out)", words)
        found[IMPLICATIONS.get(key.lower(), key.replace("_", " ").capitalize())] = words
    return tuple(found.items())


def _papers(path: Path, data: dict) -> tuple[str, ...]:
    table = _Table(path, data, "publication")
    papers = table.values.get("background_papers", [])
    if not isinstance(papers, list) or not all(isinstance(p, str) for p in papers):
        raise table.error("background_papers", "a list of titles in quotes", papers)
    return tuple(p.strip() for p in papers if p.strip())


def _intake(path: Path, data: dict, schedule: ScheduleSettings) -> IntakeSettings:
    table, d = _Table(path, data, "intake"), IntakeSettings()
    return IntakeSettings(
        settle_seconds=table.number("settle_seconds", d.settle_seconds),
        max_file_mb=table.number("max_file_mb", d.max_file_mb, minimum=0.001),
        max_rows=table.whole("max_rows", d.max_rows, minimum=1),
        long_update_words=table.whole("long_update_words", d.long_update_words, minimum=1),
        max_columns=table.whole("max_columns", d.max_columns, minimum=10),
        max_merged_ranges=table.whole("max_merged_ranges", d.max_merged_ranges),
        max_field_chars=table.whole("max_field_chars", d.max_field_chars, minimum=100),
        reader_memory_mb=table.whole("reader_memory_mb", d.reader_memory_mb, minimum=256),
        returns_deadline_working_days=schedule.returns_deadline_working_days,
        bank_holidays=schedule.bank_holidays,
    )


def _schedule(path: Path, data: dict) -> ScheduleSettings:
    table, d = _Table(path, data, "schedule"), ScheduleSettings()
    timezone = table.text("timezone", d.timezone)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise table.error("timezone", "a known time zone such as \"Europe/London\"",
                          timezone) from error
    nation = table.text("bank_holidays", d.bank_holidays)
    if nation not in NATIONS:
        raise table.error("bank_holidays", " or ".join(f'"{n}"' for n in NATIONS), nation)
    return ScheduleSettings(
        timezone=timezone,
        bank_holidays=nation,
        quarterly_cron=table.cron("quarterly_cron", d.quarterly_cron),
        six_monthly_cron=table.cron("six_monthly_cron", d.six_monthly_cron),
        reminders_cron=table.cron("reminders_cron", d.reminders_cron),
        intake_check_minutes=table.whole("intake_check_minutes", d.intake_check_minutes, 1),
        returns_deadline_working_days=table.whole(
            "returns_deadline_working_days", d.returns_deadline_working_days),
        reminder_working_days_before=table.whole(
            "reminder_working_days_before", d.reminder_working_days_before),
    )


def _email(path: Path, data: dict) -> EmailSettings:
    table, d = _Table(path, data, "email"), EmailSettings()
    committee = table.values.get("committee", [])
    if isinstance(committee, str):
        committee = [committee]
    if not isinstance(committee, list) or not all(isinstance(c, str) for c in committee):
        raise table.error("committee", "a list of email addresses", committee)
    delays = table.values.get("retry_delays_seconds", list(d.retry_delays_seconds))
    if not isinstance(delays, list) or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and x >= 0 for x in delays):
        raise table.error("retry_delays_seconds", "a list of seconds such as [60, 300]", delays)
    return EmailSettings(
        enabled=table.flag("enabled", False),
        host=table.text("host", d.host),
        port=table.whole("port", d.port, minimum=1),
        starttls=table.flag("starttls", False),
        username=table.text("username", ""),
        password_env=table.text("password_env", d.password_env),
        sender=table.text("sender", d.sender),
        committee=tuple(committee),
        timeout_seconds=table.number("timeout_seconds", d.timeout_seconds, minimum=1),
        retry_delays_seconds=tuple(float(x) for x in delays),
    )


def _contacts(path: Path, data: dict) -> tuple[Contact, ...]:
    contacts = []
    for service, value in _Table(path, data, "contacts").values.items():
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: [contacts] {service!r} must be "
                              "{ officer = \"...\", email = \"...\" }")
        contacts.append(Contact(service, str(value.get("officer", "")),
                                str(value.get("email", ""))))
    return tuple(contacts)


def load_settings(path: Path | str | None = None) -> Settings:
    """Give the Settings in `path` (default `reporting.toml` in the working folder).

    Relative paths in the file are taken from the file's own folder. A missing file, a file
    that is not TOML, a missing required setting or a value of the wrong kind raises
    ConfigError naming the file and the setting.
    """
    path = Path(path or DEFAULT_CONFIG_NAME)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such settings file; give --config with the council's "
                          "reporting.toml") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: the settings file cannot be read ({error})") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from error
    _no_strays(path, data)
    base = path.resolve().parent
    paths = _Table(path, data, "paths")
    schedule = _schedule(path, data)
    return Settings(
        **_council(path, data),
        inputs=base / paths.text("inputs", "inputs"),
        outputs=base / paths.text("outputs", "outputs"),
        meetings=_meetings(path, data.get("meetings", {}), "meetings"),
        glossary={str(k): str(v) for k, v in _Table(path, data, "glossary").values.items()},
        intake=_intake(path, data, schedule),
        schedule=schedule,
        email=_email(path, data),
        contacts=_contacts(path, data),
        clear_working_days=_Table(path, data, "publication").whole(
            "clear_working_days", Settings.clear_working_days),
        committees=_committees(path, data),
        implications=_implications(path, data),
        background_papers=_papers(path, data),
        source=path.resolve(),
    )
