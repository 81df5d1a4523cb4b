"""The settings of one installation, read once from `reporting.toml` into one Settings object.

Who the report is from and for, and where the plan is published ([council], [plan]), where
files live ([paths]), when the committee meets ([meetings], [committees.<paper>]), how
returns are read ([intake]), when runs happen ([schedule]), how mail is sent ([email]), whom
to chase ([contacts]), what the paper says of implications and background papers
([implications], [publication]) and the abbreviations the plan uses ([glossary]).

The dataclasses below are the file's one schema: each setting is a field, declared once with
its type, its default and any rule (`_setting`), and the loader walks those fields. A table
or key no field declares is refused, with the nearest one it may have meant; so is a value
of the wrong kind. Each error is a ConfigError of one line naming the file and the setting.
No council's details are defaults here: a council's name, committee and plan title must be
in its own file.

Plain dataclasses rather than pydantic models: `reporting check` reads these settings and
must start in under 0.3 s, and importing pydantic would take about 0.1 s of that.
"""

# No `from __future__ import annotations`: the loader reads each field's type as declared
# (dataclasses.Field.type); that import would make them strings, which typing would have to
# evaluate on each command's first load (about 5 ms).

import difflib
import re
import tomllib
from contextvars import ContextVar
from dataclasses import MISSING, Field, dataclass, field, fields, is_dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Callable, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reporting.cadence import PAPERS, Cadence, CadenceError, Paper
from reporting.cron import Cron
from reporting.errors import ReportingError
from reporting.period import Period, PeriodError
from reporting.services import service_key
from reporting.wording import LONG_UPDATE_CHARS, LONG_UPDATE_LINES, Grouping, TextBounds
from reporting.working_days import NATIONS

DEFAULT_CONFIG_NAME = "reporting.toml"


class ConfigError(ReportingError, ValueError):
    """A settings file that cannot be used: which file, which setting, what to write."""


# ---------------------------------------------------------------------------------------
# Rules a setting may carry beside its type: each returns what is wanted, or "" when the
# value will do.


def _a_cron(text: str) -> str:
    try:
        Cron.parse(text)
    except ValueError as error:
        wanted = 'a cron string of five fields, such as "0 7 15 1,4,7,10 *"'
        if len(text.split()) == 5:  # say which field is wrong
            wanted += f" ({str(error).partition(': ')[2]})"
        return wanted
    return ""


def _a_time_zone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        return "a known time zone such as \"Europe/London\""
    return ""


def _some_words(text: str) -> str:
    return "" if text else "a web address or words such as \"the council's website\""


def _a_plan_quarter(which: str, example: str) -> Callable[[str], str]:
    """A setting's rule: "" or the plan's `which` ("first", "last") quarter, read as
    `Period.of_plan` reads it ([plan] starts, [plan] ends)."""
    def check(text: str) -> str:
        try:
            Period.of_plan(text)
        except PeriodError:
            return f"the plan's {which} quarter, such as \"{example}\""
        return ""
    return check


def _a_grouping(text: str) -> str:
    """A setting's rule: a word or two for the plan's groups ("theme", "outcome area")."""
    if re.fullmatch(r"[^\W\d_]+(?:[ '-][^\W\d_]+){0,3}", text):
        return ""
    return "a word or two the plan calls its groups, such as \"theme\" or \"outcome area\""


def _a_plural(text: str) -> str:
    return _a_grouping(text) if text else ""


def _some_service(text: str) -> str:
    return "" if text.strip() else "\"every-service\" or a service area's name"


def _a_nation(text: str) -> str:
    return "" if text in NATIONS else " or ".join(f'"{n}"' for n in NATIONS)


# An address as the mail server takes it: printable ASCII with no spaces or specials before
# the @, a host name of dotted labels after it. Display names ("A <a@b>") are not taken: a
# setting holds the address alone.
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")  # a one-label host ("localhost") too


def address_problem(address: str) -> str:
    """Give what is wrong with an email address, or "" when a mail server would take it.

    The one check of an address: settings are read through it, and the mail code checks
    each recipient with it again before building a message.
    """
    if not isinstance(address, str) or not address:
        return "an email address such as \"name@council.gov.uk\" (it is empty)"
    if any(ord(c) < 32 or ord(c) == 127 for c in address):
        return ("an email address on one line, with no control characters "
                "(it holds a line break, tab or other control character)")
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return "an email address such as \"name@council.gov.uk\" (it has no name before an @)"
    if (not _LOCAL_PART.fullmatch(local) or local.startswith(".") or local.endswith(".")
            or ".." in local or len(local) > 64):
        return ("an email address such as \"name@council.gov.uk\" (the part before the @ "
                "holds a space or a character an address cannot)")
    if not _DOMAIN.fullmatch(domain) or len(domain) > 253:
        return ("an email address such as \"name@council.gov.uk\" (the part after the @ is "
                "not a domain)")
    return ""


def _an_address(text: str) -> str:
    """A setting's rule: "" (no address: the setting is unset) or an address."""
    return address_problem(text) if text else ""


def _setting(default: Any = MISSING, *, factory: Any = MISSING, **rules: Any) -> Any:
    """Declare a field a setting, with its default and its rules, which the loader reads:

    - on Settings, where in the file it is: `table` (the field is that whole table) or
      `within` (it is `key`, default the field's name, of that table);
    - what its value must be: `minimum`, `check(text)` (gives what is wanted, or ""),
      `wanted` (a list's description), `read(raw, at, rules)` where its type does not say;
    - `example` for the error when a setting with no default is missing, and
      `required(data)` when it is needed in some files only;
    - `absent`: a table's value when the file has no such table at all (which an empty
      table is not);
    - `same_as`: not read from its own table but copied from the Settings field of that
      name (the returns deadline, set under [schedule]); `from_key`: the name its table has
      in its parent table ([contacts] "Housing").
    """
    return field(default=default, default_factory=factory, metadata={"setting": rules})


@dataclass(frozen=True)
class IntakeSettings:
    """How returns are read: `[intake]` (and the returns deadline from `[schedule]`)."""

    settle_seconds: float = _setting(60.0)
    max_file_mb: float = _setting(20.0, minimum=0.001)
    max_rows: int = _setting(5000, minimum=1)
    # A returns folder holding more files than this has the rest refused, each saying why.
    max_files: int = _setting(500, minimum=1)
    long_update_words: int = _setting(150, minimum=1)
    # An update, next steps or reason is also cut at this many characters and lines before
    # it is laid out (a pasted link has no space; a cell can hold 30,000 line breaks).
    long_update_chars: int = _setting(LONG_UPDATE_CHARS, minimum=100)
    long_update_lines: int = _setting(LONG_UPDATE_LINES, minimum=1)
    max_columns: int = _setting(100, minimum=10)
    max_merged_ranges: int = _setting(1000)
    max_field_chars: int = _setting(32767, minimum=100)  # as many as Excel holds in a cell
    # The reading child process stops a file past this.
    reader_memory_mb: int = _setting(2048, minimum=256)
    returns_deadline_working_days: int = _setting(10, same_as="schedule")
    # The nation whose bank holidays are skipped.
    bank_holidays: str = _setting("england-and-wales", same_as="schedule")

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def text_bounds(self) -> TextBounds:
        """How much of an officer's text the papers show (`wording.cut_words` takes it)."""
        return TextBounds(self.long_update_words, self.long_update_chars,
                          self.long_update_lines)

    @property
    def max_unzipped_bytes(self) -> int:
        # Spreadsheet XML compresses about ten to one; a return needs far less than this.
        return 10 * self.max_bytes


# What a caller that passes no settings gets: the limits, but every file is read now.
READ_NOW = IntakeSettings(settle_seconds=0)


@dataclass(frozen=True)
class ScheduleSettings:
    """When the scheduled runs happen and when returns are due."""

    timezone: str = _setting("Europe/London", check=_a_time_zone)
    # The first Tuesday on or after the 19th, after the returns deadline (the 18th at the
    # latest, with Easter) and never a weekend or bank holiday.
    quarterly_cron: str = _setting("0 7 19-25 1,4,7,10 TUE", check=_a_cron)
    six_monthly_cron: str = _setting("0 7 19-25 4,10 TUE", check=_a_cron)
    # As Prefect's `day_or`: false runs a cron that names both a day of the month and a day
    # of the week on a day matching both (cron's own rule, true, takes a day matching either).
    day_or: bool = _setting(False)
    intake_check_minutes: int = _setting(15, minimum=1)
    # Reminders are decided each working morning; this cron says when that check runs.
    reminders_cron: str = _setting("0 8 * * 1-5", check=_a_cron)
    returns_deadline_working_days: int = _setting(10)
    reminder_working_days_before: int = _setting(3)
    # Or "scotland", "northern-ireland".
    bank_holidays: str = _setting("england-and-wales", check=_a_nation)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def cron(self, text: str) -> Cron:
        """Give one of these settings' cron strings as Prefect's schedule reads it."""
        return Cron.parse(text, day_or=self.day_or)


@dataclass(frozen=True)
class EmailSettings:
    """How mail is sent; `enabled` is False unless the council turns it on."""

    enabled: bool = _setting(False)
    host: str = _setting("localhost")
    port: int = _setting(25, minimum=1)
    starttls: bool = _setting(False)
    username: str = _setting("")
    # The login's password (with `username` set): from the Prefect Secret block named by
    # `password_secret` when given (read by the flows), else from the environment variable
    # named by `password_env`. Unset or empty, nothing is sent, and the run says which.
    password_env: str = _setting("REPORTING_SMTP_PASSWORD")
    password_secret: str = _setting("")
    sender: str = _setting("performance@example.gov.uk", check=_an_address)
    committee: tuple[str, ...] = _setting((), wanted="a list of email addresses",
                                          check=_an_address)
    # Told of each message whose outcome is unknown (recorded as sending, never as sent or
    # failed): it is never sent again, so a person must find out whether it arrived.
    policy_officer: str = _setting("", check=_an_address)
    # Nothing is sent while true (a run says so); a Prefect Variable `reporting_mail_stopped`
    # does the same for runs against a server.
    stopped: bool = _setting(False)
    timeout_seconds: float = _setting(30.0, minimum=1)
    # A send that fails is tried again after each of these waits (the back-off).
    retry_delays_seconds: tuple[float, ...] = _setting(
        (60.0, 300.0, 900.0), wanted="a list of seconds such as [60, 300]")


@dataclass(frozen=True)
class Contact:
    """Who is chased for a service area's return."""

    service_area: str = _setting(from_key=True)
    officer: str = _setting("")
    email: str = _setting("", check=_an_address)


@dataclass(frozen=True)
class Committee:
    """The meeting a paper goes to ([committees.quarterly], [committees.six-monthly])."""

    name: str = _setting(example="Cabinet")
    # Period path -> meeting date.
    meetings: dict[str, date] = _setting(factory=dict)
    report_of: str = _setting("")  # the officer or director the report is "of"
    portfolio_holder: str = _setting("")


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


def _without_own_committees(data: dict) -> bool:
    """Whether [council] committee is needed: some paper has no [committees.<paper>]."""
    own = data.get("committees", {})
    return not isinstance(own, dict) or not all(p.value in own for p in PAPERS)


def _implications(raw: object, at: "_At", rule: dict) -> tuple[tuple[str, str], ...]:
    """Each implication's heading and words: the standard five first, then the council's own."""
    found = dict((heading, NO_IMPLICATIONS) for heading in IMPLICATIONS.values())
    values, at = _table(raw, at), at.inner()
    for key, value in values.items():
        words = _text(value, at.of(key), {})
        if not words:
            raise at.of(key).wrong("the words the paper gives (or leave the key out)", words)
        found[IMPLICATIONS.get(key.lower(), key.replace("_", " ").capitalize())] = words
    return tuple(found.items())


def _flag_or_unset(raw: object, at: "_At", rule: dict) -> bool:
    """Read true or false for a setting whose default is None (left out: decided elsewhere)."""
    return _flag(raw, at, rule)  # _flag is defined with the other readers, below


def _roles(raw: object, at: "_At", rule: dict) -> tuple[str, ...]:
    roles = _texts(raw, at, rule)
    if not roles:
        raise at.wrong(rule["wanted"], raw)
    return tuple(dict.fromkeys(roles))


@dataclass(frozen=True)
class ClearanceSettings:
    """Who clears a paper before it is published and mailed to members ([clearance])."""

    # None (the key left out): required exactly when [email] enabled is true.
    required: bool | None = _setting(None, read=_flag_or_unset)
    roles: tuple[str, ...] = _setting(
        ("Head of Service",), read=_roles, wanted='a list of roles in order, such as ["Head of Service", '
                                     '"Portfolio Holder"]')
    expires_days: int = _setting(14, minimum=1)  # a draft waiting longer ends its run
    # The paper's front sheet says who cleared it ("Cleared by: Head of Service").
    show_in_paper: bool = _setting(False)
    given: bool = True  # not a setting: False when the file has no [clearance] table


# No [clearance] table (an installation from before clearance): papers go uncleared.
NO_CLEARANCE_TABLE = ClearanceSettings(required=False, given=False)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything a run needs to know that is not in the plan or the returns."""

    council: str = _setting(within="council", key="name", example="Anytown District Council")
    # Needed only where a paper has no [committees.<paper>] of its own.
    committee: str = _setting(within="council", example="Overview and Scrutiny Committee",
                              required=_without_own_committees)
    plan_title: str = _setting(within="plan", key="title", example="Corporate Plan 2024-2028")
    report_author: str = _setting("", within="council")
    author_contact: str = _setting("", within="council")
    lead_member: str = _setting("", within="council")
    wards_affected: str = _setting("All wards", within="council")
    key_decision: str = _setting("No", within="council")
    exempt: str = _setting("No", within="council")
    default_cadence: Cadence = _setting(Cadence.QUARTERLY, within="plan")
    # The plan's first period ("2022/23 Q1"): "Year 1" in a By when is its financial year,
    # and periods before it are not reported on. "" when the plan does not say.
    plan_starts: str = _setting("", within="plan", key="starts",
                                check=_a_plan_quarter("first", "2022/23 Q1"))
    # The plan's last period ("2023/24 Q4"; a financial year alone is its Q4): a scheduled
    # run on a period after it is marked, for the plan to be rolled over first. "" when the
    # plan does not say.
    plan_ends: str = _setting("", within="plan", key="ends",
                              check=_a_plan_quarter("last", "2023/24 Q4"))
    # What the plan calls the groups its actions are under ("priority", "theme", "outcome",
    # "ambition"): the paper's headings, columns and sentences name them so.
    plan_grouping: str = _setting("priority", within="plan", key="grouping", check=_a_grouping)
    # Its plural; "" (the default) is the grouping and "s", or "ies" for a "y" after a
    # consonant ("priorities").
    plan_grouping_plural: str = _setting("", within="plan", key="grouping_plural",
                                         check=_a_plural)
    # Where an action with no lead goes: "every-service" (each service's return template)
    # or one service area's name.
    unled_actions: str = _setting("every-service", within="plan", check=_some_service)
    # Where the whole plan is published, for a paper too large to give every action's
    # promise in Appendix A: a web address, or words that follow "published on".
    plan_published_at: str = _setting("the council's website", within="plan",
                                      key="published_at", check=_some_words)
    inputs: Path = _setting(Path("inputs"), within="paths")
    outputs: Path = _setting(Path("outputs"), within="paths")
    meetings: dict[str, date] = _setting(factory=dict, table="meetings")
    glossary: dict[str, str] = _setting(factory=dict, table="glossary")
    intake: IntakeSettings = _setting(IntakeSettings(), table="intake")
    schedule: ScheduleSettings = _setting(ScheduleSettings(), table="schedule")
    email: EmailSettings = _setting(EmailSettings(), table="email")
    clearance: ClearanceSettings = _setting(NO_CLEARANCE_TABLE, table="clearance",
                                            absent=NO_CLEARANCE_TABLE)
    contacts: tuple[Contact, ...] = _setting((), table="contacts")
    # A paper is published this many working days before its meeting ([publication]).
    clear_working_days: int = _setting(5, within="publication")
    # Each paper's committee ([committees.<paper>]); a paper without one goes to
    # [council] committee, on the [meetings] dates.
    committees: dict[Paper, Committee] = _setting(factory=dict, table="committees")
    # (heading, words) for each implication, in the paper's order ([implications]).
    implications: tuple[tuple[str, str], ...] = _setting(
        tuple((heading, NO_IMPLICATIONS) for heading in IMPLICATIONS.values()),
        table="implications", read=_implications)
    background_papers: tuple[str, ...] = _setting(
        (), within="publication", wanted="a list of titles in quotes")
    # Days the council adds to those a paper's clear days leave out (its own closure
    # between Christmas and New Year, a day of mourning), besides weekends, bank holidays
    # and the Christmas and Easter breaks.
    closed_days: tuple[date, ...] = _setting((), within="publication")
    # The report's own sections; each reads in standard words for a report to note when
    # the council gives none ([report], [statutory_officers]).
    alternative_options: str = _setting("", within="report")
    consultation: str = _setting("", within="report")
    finance_comments: str = _setting("", within="statutory_officers", key="finance")
    monitoring_comments: str = _setting("", within="statutory_officers", key="monitoring")
    source: Path | None = None  # the settings file these came from

    @property
    def starts(self) -> Period | None:
        """The plan's first period, `[plan] starts` ("2022/23" is its Q1), or None."""
        return Period.of_plan(self.plan_starts, 1)

    @property
    def ends(self) -> Period | None:
        """The plan's last period, `[plan] ends` ("2023/24" is its Q4), or None."""
        return Period.of_plan(self.plan_ends, 4)

    @property
    def grouping(self) -> Grouping:
        """What the plan calls its groups, singular and plural ([plan] grouping and
        grouping_plural)."""
        return Grouping.named(self.plan_grouping, self.plan_grouping_plural)

    @property
    def clearance_required(self) -> bool:
        """Whether papers wait for clearance: `[clearance] required`, else `[email] enabled`."""
        required = self.clearance.required
        return self.email.enabled if required is None else required

    def committee_for(self, paper: Paper) -> Committee:
        """Give the committee that receives `paper`."""
        found = self.committees.get(paper)
        if found is not None:
            return found
        return Committee(self.committee, self.meetings, self.report_author, self.lead_member)

    def meeting_date(self, period: Period, paper: Paper | None = None) -> date | None:
        """Give the meeting that receives the report on `period` (the paper's committee's,
        when it is given), if one is set."""
        meetings = self.committee_for(paper).meetings if paper else self.meetings
        return meetings.get(period.path)

    def contact_for(self, service_area: str) -> Contact | None:
        """Give the contact for `service_area`, matching spellings ("Health and Wellbeing")."""
        key = service_key(service_area)
        return next((c for c in self.contacts if service_key(c.service_area) == key), None)


# ---------------------------------------------------------------------------------------
# Reading the file: the loader walks the fields declared above.


@dataclass(frozen=True)
class _At:
    """Where a value is in the file (the file, the table, the key), to name in an error."""

    path: Path
    base: Path  # the file's folder, which relative paths are taken from
    table: str = ""  # "" for the top of the file, whose keys are tables
    key: str | None = None

    def of(self, key: str) -> "_At":
        return replace(self, key=key)

    def inner(self) -> "_At":
        """The table this key holds ([committees] quarterly -> [committees.quarterly])."""
        if self.key is None:
            return self
        key = self.key if re.fullmatch(r"[A-Za-z0-9_-]+", self.key) else f'"{self.key}"'
        return replace(self, table=f"{self.table}.{key}" if self.table else key, key=None)

    @property
    def name(self) -> str:
        if not self.table:
            return f"[{self.key}]"
        return f"[{self.table}]" + (f" {self.key}" if self.key is not None else "")

    def error(self, says: str) -> ConfigError:
        return ConfigError(f"{self.path}: {self.name} {says}")

    def wrong(self, wanted: str, value: object) -> ConfigError:
        return self.error(f"must be {wanted}, not {value!r}")


def _suggest(name: str, known) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _table(raw: object, at: _At) -> dict:
    if not isinstance(raw, dict):
        raise at.inner().error("must be a table of settings")
    return raw


def _no_strays(values: dict, known, at: _At) -> None:
    """Refuse a key the schema does not declare: a mistyped one would be ignored."""
    for key in values:
        if key not in known:
            raise at.of(key).error(f"is not a setting{_suggest(key, known)}; "
                                   f"[{at.table}] holds {', '.join(sorted(known))}")


# Any number a setting holds is below this: a larger one (1e308, inf) is no limit a reader can
# use (inf megabytes cannot be counted in bytes), so it is refused when the settings are read.
_LARGEST = 1e12


def _at_least(value: object, rule: dict) -> bool:
    """Tell whether a setting's value is a number from the rule's minimum up to `_LARGEST`
    (which leaves out inf and nan)."""
    return not isinstance(value, bool) and isinstance(value, (int, float)) \
        and rule.get("minimum", 0) <= value < _LARGEST


def _text(raw: object, at: _At, rule: dict) -> str:
    if not isinstance(raw, str):
        raise at.wrong("text in quotes", raw)
    text = raw.strip()
    if "check" in rule and (wanted := rule["check"](text)):
        raise at.wrong(wanted, text)
    return text


def _whole(raw: object, at: _At, rule: dict) -> int:
    if not isinstance(raw, int) or not _at_least(raw, rule):
        raise at.wrong(f"a whole number of at least {rule.get('minimum', 0)} and below "
                       f"{_LARGEST:,.0f}", raw)
    return raw


def _number(raw: object, at: _At, rule: dict) -> float:
    if not _at_least(raw, rule):
        raise at.wrong(f"a number of at least {rule.get('minimum', 0):g} and below "
                       f"{_LARGEST:,.0f}", raw)
    return float(raw)


def _flag(raw: object, at: _At, rule: dict) -> bool:
    if not isinstance(raw, bool):
        raise at.wrong("true or false", raw)
    return raw


def _folder(raw: object, at: _At, rule: dict) -> Path:
    return at.base / _text(raw, at, rule)


def _cadence(raw: object, at: _At, rule: dict) -> Cadence:
    try:
        return Cadence.parse(_text(raw, at, rule))
    except CadenceError as error:
        raise ConfigError(f"{at.path}: {at.name}: {error}") from error


def _texts(raw: object, at: _At, rule: dict) -> tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise at.wrong(rule.get("wanted", "a list of text in quotes"), raw)
    found = tuple(x.strip() for x in items if x.strip())
    for number, item in enumerate(found, 1):
        if "check" in rule and (wanted := rule["check"](item)):
            raise at.error(f"item {number} must be {wanted}, not {item!r}")
    return found


def _numbers(raw: object, at: _At, rule: dict) -> tuple[float, ...]:
    if not isinstance(raw, list) or not all(_at_least(x, {}) for x in raw):
        raise at.wrong(rule.get("wanted", "a list of numbers"), raw)
    return tuple(float(x) for x in raw)


def _dates(raw: object, at: _At, rule: dict) -> tuple[date, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, date) for x in raw):
        raise at.wrong("a list of dates such as [2022-12-29, 2022-12-30]", raw)
    return tuple(sorted(set(raw)))


def _meetings(raw: object, at: _At, rule: dict) -> dict[str, date]:
    """Read a table of period = meeting date ([meetings], [committees.<paper>] meetings)."""
    at = at.inner()
    if not isinstance(raw, dict):
        raise at.error("must be a table of period = date")
    meetings = {}
    for key, value in raw.items():
        if not isinstance(value, date):
            raise at.of(key).wrong("a date such as 2022-11-14", value)
        try:
            meetings[Period.parse(key).path] = value
        except PeriodError as error:
            raise at.of(repr(key)).error("is not a period: write it as \"2022-23-Q2\"") \
                from error
    return meetings


def _words(raw: object, at: _At, rule: dict) -> dict[str, str]:
    """Read a table whose keys are the council's own, each given words ([glossary])."""
    return {key: _text(value, at.inner().of(key), {}) for key, value in _table(raw, at).items()}


# How a value of each declared type is read (a dataclass is a table of its own settings).
_READERS: dict[object, Callable[[object, _At, dict], object]] = {
    str: _text, int: _whole, float: _number, bool: _flag, Path: _folder, Cadence: _cadence,
    tuple[str, ...]: _texts, tuple[float, ...]: _numbers, dict[str, date]: _meetings,
    tuple[date, ...]: _dates,
    dict[str, str]: _words,
}


def _rule(f: Field) -> dict:
    return f.metadata.get("setting", {})


def _is_declared(f: Field) -> bool:
    return "setting" in f.metadata and not _rule(f).keys() & {"same_as", "from_key"}


@cache
def _declared(cls: type) -> dict[str, tuple[Field, object]]:
    """The settings one table of `cls` holds: its key in the file -> (field, type)."""
    return {_rule(f).get("key", f.name): (f, f.type) for f in fields(cls) if _is_declared(f)}


@cache
def _tables() -> dict[str, dict[str, tuple[Field, object]]]:
    """The tables of the file and what each holds: a Settings field that is the whole
    table (under the key ""), or the Settings fields read from keys of the table."""
    tables: dict[str, dict[str, tuple[Field, object]]] = {}
    for f in fields(Settings):
        rule = _rule(f)
        if "table" in rule:
            tables[rule["table"]] = {"": (f, f.type)}
        elif "within" in rule:
            tables.setdefault(rule["within"], {})[rule.get("key", f.name)] = (f, f.type)
    return tables


def _read_keys(declared: dict[str, tuple[Field, object]], values: dict, at: _At,
               data: dict) -> dict[str, object]:
    """Give each declared setting's value from `values`, one table of the file, by field."""
    _no_strays(values, declared, at)
    found: dict[str, object] = {}
    for key, (f, hint) in declared.items():
        rule = _rule(f)
        if key in values:
            found[f.name] = _read(hint, values[key], at.of(key), rule)
        elif hint is Path and f.default is not MISSING:
            found[f.name] = at.base / f.default  # relative to the file, given or not
        if f.default is MISSING and f.default_factory is MISSING and not found.get(f.name):
            if not _PARTIAL.get() and (rule["required"](data) if "required" in rule else True):
                raise at.of(key).error(
                    f"is required, for example {key} = \"{rule['example']}\"")
            found[f.name] = hint()  # needed in some files only: empty in this one
    return found


def _read_table(cls: type, raw: object, at: _At, data: dict, name: str | None = None):
    """Give `cls` made from one table of the file (`name`: the table's key in its parent)."""
    found = _read_keys(_declared(cls), _table(raw, at), at.inner(), data)
    found.update({f.name: name for f in fields(cls) if _rule(f).get("from_key")})
    return cls(**found)


def _named(kind: type, raw: object, at: _At, data: dict, known=None) -> dict[str, object]:
    """Read a table of tables of one kind, named by the council ([contacts] "Housing" =
    { officer = ... }) or, given `known`, by the program ([committees.quarterly])."""
    values, at = _table(raw, at), at.inner()
    if known is not None:
        _no_strays(values, known, at)
    found = {}
    for key, value in values.items():
        if known is None and not isinstance(value, dict):
            shape = ", ".join(f'{k} = "..."' for k in _declared(kind))
            raise at.of(repr(key)).error(f"must be {{ {shape} }}")
        found[key] = _read_table(kind, value, at.of(key), data, key)
    return found


def _layout(hint: object) -> tuple[str, type | None]:
    """How a table holding a value of type `hint` is laid out: one kind's "settings", tables
    of one kind "named" by the council or "by paper", or keys the council names ("own")."""
    origin, args = get_origin(hint), get_args(hint)
    if is_dataclass(hint):
        return "settings", hint  # type: ignore[return-value]
    if origin is tuple and args and is_dataclass(args[0]):
        return "named", args[0]
    if origin is dict and args[0] is Paper and is_dataclass(args[1]):
        return "by paper", args[1]
    return "own", None


def _read(hint: object, raw: object, at: _At, rule: dict) -> object:
    """Give the value `raw` read as the declared type `hint`."""
    reader = rule.get("read") or _READERS.get(hint)
    if reader is not None:
        return reader(raw, at, rule)
    layout, kind = _layout(hint)
    if layout == "settings":
        return _read_table(kind, raw, at, {})
    if layout == "named":
        return tuple(_named(kind, raw, at, {}).values())
    if layout == "by paper":
        known = [paper.value for paper in PAPERS]
        return {Paper.parse(k): v for k, v in _named(kind, raw, at, {}, known).items()}
    raise TypeError(f"{at.name}: no reader for a setting of type {hint}")


def _read_settings(data: dict, path: Path) -> Settings:
    """Give the Settings in `data`, each table read as the Settings fields declare it."""
    top = _At(path, path.resolve().parent)
    for table in data:
        if table not in _tables():
            raise top.of(table).error(f"is not a settings table{_suggest(table, _tables())}; "
                                      f"the tables are {', '.join(_tables())}")
    found: dict[str, object] = {}
    for table, declared in _tables().items():
        raw, at = data.get(table, {}), top.of(table)
        if "" in declared:  # one field is the whole table
            f, hint = declared[""]
            absent = table not in data and "absent" in _rule(f)
            found[f.name] = _rule(f)["absent"] if absent else _read(hint, raw, at, _rule(f))
        else:
            found.update(_read_keys(declared, _table(raw, at), at.inner(), data))
    for name, value in found.items():  # a setting read in one table and used in another
        if is_dataclass(value):
            found[name] = replace(value, **{f.name: getattr(found[_rule(f)["same_as"]], f.name)
                                            for f in fields(value) if "same_as" in _rule(f)})
    return _in_order(Settings(**found, source=path.resolve()), top)


def _in_order(settings: Settings, top: _At) -> Settings:
    """Give `settings`, refusing a plan that ends before it starts."""
    starts, ends = settings.starts, settings.ends
    if starts and ends and ends.end < starts.start:
        raise top.of("plan").inner().of("ends").error(
            f"is {ends.label}, before the plan starts ([plan] starts, {starts.label}): give "
            "the plan's last quarter, on or after its first")
    return settings


def declared_settings() -> dict[str, tuple[str, ...]]:
    """Give each table of the file and the settings the schema declares in it (none for a
    table whose keys are the council's own, such as [glossary])."""
    declared: dict[str, tuple[str, ...]] = {}
    for table, holds in _tables().items():
        if "" not in holds:
            declared[table] = tuple(holds)
            continue
        layout, kind = _layout(holds[""][1])
        if layout == "by paper":
            declared.update((f"{table}.{paper.value}", tuple(_declared(kind)))
                            for paper in PAPERS)
            continue
        declared[table] = tuple(_declared(kind)) if layout == "settings" else ()
        if layout == "named":  # [contacts] "Housing" = { officer = ..., email = ... }
            declared[f"{table}.<name>"] = tuple(_declared(kind))
    return declared


def load_settings(path: Path | str | None = None, complete: bool = True) -> Settings:
    """Give the Settings in `path` (default `reporting.toml` in the working folder).

    `complete=False`: for what a command needs before the council's details are filled in
    (`reporting plan check` in a new installation), a required setting left out is empty.

    Relative paths in the file are taken from the file's own folder. A missing file, a file
    that is not TOML, a table or setting the schema does not declare, a missing required
    setting or a value of the wrong kind raises ConfigError naming the file and the setting.
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
        raise ConfigError(f"{path}: {toml_problem(text, error)}") from None
    if complete:
        return _read_settings(data, path)
    token = _PARTIAL.set(True)
    try:
        return _read_settings(data, path)
    finally:
        _PARTIAL.reset(token)


# Set while a file is read for what a command needs of it before the council's details
# are filled in (`complete=False`): a required setting left out is read as empty.
_PARTIAL: ContextVar[bool] = ContextVar("partial_settings", default=False)


def _toml_line(text: str, error: tomllib.TOMLDecodeError) -> tuple[int, str, str]:
    """Give the line number, the line and tomllib's own words for where the file broke."""
    said = str(error)
    match = re.search(r"\(at line (\d+), column \d+\)$", said)
    words = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)$", "", said)
    number = int(match[1]) if match else len(text.splitlines())
    lines = text.splitlines()
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    return number, line, words


def toml_problem(text: str, error: tomllib.TOMLDecodeError) -> str:
    """Say in plain words what is wrong at the line where `text` stops being TOML: "line
    83: a name with '&' or a space must be in quotes: "B&B" = ..."."""
    number, line, words = _toml_line(text, error)
    at = f"line {number}"
    stripped = line.split("#", 1)[0].strip()
    key, equals, value = stripped.partition("=")
    key, value = key.strip(), value.strip()
    if key and not key.startswith(("[", '"', "'")) and not re.fullmatch(r"[A-Za-z0-9_.-]+", key):
        odd = next((c for c in key if not re.fullmatch(r"[A-Za-z0-9_.-]", c)), " ")
        odd = "a space" if odd.isspace() else f"'{odd}' or a space"
        shown = f'"{key}" = {value or "..."}' if equals else f'"{key}" = ...'
        return f"{at}: a name with {odd} must be in quotes: {shown}"
    if key and equals and not value:
        return f"{at}: '{key} =' needs a value after it, such as {key} = \"...\""
    if key and equals and value and "Invalid value" in words:
        return (f"{at}: the words after '{key} =' must be in quotes: "
                f'{key} = "{value.strip(chr(34) + chr(39))}"')
    if key and not equals and not stripped.startswith("["):
        return f"{at}: '{stripped}' needs an '=' and a value, such as {key} = \"...\""
    if "Unterminated string" in words or "Illegal character" in words:
        return (f"{at}: a text is not closed, or holds a character TOML refuses: write it "
                "in double quotes on one line, such as name = \"Anytown District Council\"")
    twice = re.search(r"Cannot declare \((.*)\) twice", words)
    if twice:
        table = ".".join(part.strip(" '\"") for part in twice[1].split(",") if part.strip())
        return (f"{at}: the table [{table}] is written twice: put its settings under the "
                f"first [{table}] and delete this one")
    if "Cannot overwrite a value" in words:
        return f"{at}: '{key or stripped}' is set twice: keep one of them"
    if "date" in words.lower():
        return f"{at}: a date is written year-month-day, such as 2025-11-03"
    return f"{at}: this line is not a setting TOML can read ({words[:1].lower()}{words[1:]})"
