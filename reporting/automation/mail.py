"""Email over SMTP: reminders to service leads, published papers to the committee.

Off unless `[email] enabled = true`, and nothing goes while `[email] stopped = true`. Every
message has a key saying what it is (which reminder, which papers, to whom), and the
period's sent record holds what became of each key. Sending is the one step that cannot be
undone, so each message is sent at most once and never silently not sent:

- its intent ("sending", to, subject, time) is written to the record, durably, before the
  message is handed to the server, and its outcome (sent, or failed and why) after; a
  message whose intent cannot be written is not sent;
- a message recorded as sending with no outcome (a crash, or a failed write, between the
  two) is never sent again: it is reported as outcome unknown, to `[email] policy_officer`
  and in the result, for a person to find out whether it arrived and say so with
  `reporting mail --received KEY` or `--not-received KEY` (which names the run that
  sends it, once: for a paper, its period's `reporting run`);
- one bad message (a bad address, a refusal) is recorded as failed and the rest still go.
"""

from __future__ import annotations

import email.policy
import hashlib
import json
import mimetypes
import os
import shlex
import smtplib
import ssl
from dataclasses import dataclass, field, replace
from functools import partial
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Callable

from reporting.automation.chase import Chase
from reporting.automation.deployments import NOTIFY
from reporting.automation.lock import RunLock, acquire
from reporting.cadence import PAPERS, Paper, period_covered
from reporting.errors import ReportingError
from reporting.layout import OutputLayout
from reporting.period import Period
from reporting.publish import read_manifest, write_atomic
from reporting.settings import EmailSettings, address_problem


@dataclass(frozen=True)
class Outgoing:
    """One message to one recipient; `key` names it for the sent record."""

    key: str
    to: str
    subject: str
    body: str
    attachments: tuple[Path, ...] = ()
    # The sha256 of the attachments when the message was made (`files_digest`): papers() reads
    # the documents once for all recipients, not once a member.
    attached: str = ""


@dataclass
class Delivery:
    """What happened to a batch of messages.

    `failed`: not sent (refused, a bad address, the server down, the record not writable);
    `unknown`: perhaps sent, never to be sent again (recorded as sending with no outcome);
    `unrecorded`: accepted by the server, but the record of it could not be written.
    `withheld` are the messages not tried because email is off or stopped.
    """

    sent: list[Outgoing] = field(default_factory=list)
    already_sent: list[Outgoing] = field(default_factory=list)
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)
    unknown: list[tuple[Outgoing, str]] = field(default_factory=list)
    unrecorded: list[tuple[Outgoing, str]] = field(default_factory=list)
    notices: list[Outgoing] = field(default_factory=list)  # outcome-unknown notices sent
    # Sent before with other attachments (the paper changed since): (message, when sent).
    # Never sent again; the policy officer is told once for each version.
    changed: list[tuple[Outgoing, str]] = field(default_factory=list)
    withheld: list[Outgoing] = field(default_factory=list)
    disabled: bool = False
    stopped: bool = False

    @property
    def ok(self) -> bool:
        """Whether every message is known to have reached its server and been recorded."""
        return not (self.failed or self.unknown or self.unrecorded)

    @property
    def delivered(self) -> list[Outgoing]:
        """The messages known to be sent, now or by an earlier run."""
        return self.sent + self.already_sent + [o for o, _ in self.unrecorded]

    def problems(self) -> list[str]:
        """Give one line per message not known to be delivered and recorded, naming its
        recipient."""
        return ([f"not reached: {o.to} ({why})" for o, why in self.failed]
                + [f"outcome unknown, not sent again: {o.to} ({why})" for o, why in self.unknown]
                + [f"sent but not recorded: {o.to} ({why})" for o, why in self.unrecorded])

    def add(self, other: Delivery) -> None:
        """Take in what happened to another batch (the notices of this one)."""
        self.notices += other.sent
        self.failed += other.failed
        self.unknown += other.unknown
        self.unrecorded += other.unrecorded


class OutcomeUnknown(ReportingError):
    """The connection failed while the server held the message: it may have been accepted."""


def _fmt(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def reminder(chase: Chase, period: Period, kind: str) -> Outgoing | None:
    """Give the reminder to send a service lead about a missing return (None without an email)."""
    if not chase.email:
        return None
    when = ("is due by " if kind == "before" else "was due on ") + _fmt(chase.deadline)
    body = (
        f"Dear {chase.officer or chase.service_area + ' lead'},\n\n"
        f"The {chase.service_area} return for {period.description} {when}, and we have not "
        f"yet received it.\n\n"
        f"It should cover these actions: {', '.join(chase.actions)}.\n\n"
        "Please drop the completed return into the returns folder for the period. "
        "If it is already on its way, thank you, and please ignore this message.\n\n"
        "Policy and Performance\n"
    )
    subject = (f"Reminder: {chase.service_area} return for {period.label} "
               + ("due " + f"{chase.deadline:%d %B}" if kind == "before" else "is overdue"))
    key = f"reminder/{period.path}/{kind}/{chase.service_area}/{chase.email}"
    return Outgoing(key, chase.email, subject, body)


def paper_key(period: Period, paper: Paper, to: str) -> str:
    """The sent record's key of the `paper` for `period` mailed to `to`."""
    return f"papers/{period.path}/{paper.value}/{to}"


def paper_of(key: str) -> tuple[Period, Paper] | None:
    """Give the period and paper a sent record's key names (`paper_key` read back); None
    for another message's key, or one naming no period or paper it can read."""
    parts = key.split("/")
    if parts[0] != "papers" or len(parts) < 4:
        return None
    try:
        return Period.parse(parts[1]), Paper(parts[2])
    except ValueError:
        return None


def recorded(data: dict) -> set[str]:
    """Give every key a sent record's data has an entry for: sent, sending or failed."""
    return set(data["sent"]) | set(data["sending"]) | set(data["failed"])


# A paper published for members, with email on, names in its manifest the members it is
# due to be mailed to. It is written with the paper, in the one step that publishes it, and
# before the run waits for the sent record's lock (which another paper of the period, or
# the reminders, may hold while they send): a run stopped between publishing and its
# first message still leaves a paper `reporting mail` and the crash notice know is unsent.
MAILING_DUE = "mailing_due"


def mailing_due(email: EmailSettings) -> dict[str, list[str]]:
    """Give the manifest's entry for a paper published for members (none with email off)."""
    return {MAILING_DUE: list(email.committee)} if email.enabled and email.committee else {}


def due_to(manifest: Path) -> tuple[str, ...]:
    """Give the members a published paper's manifest says it is due to be mailed to."""
    # No paper published (or its manifest unreadable): nothing is due.
    due = (read_manifest(manifest) or {}).get(MAILING_DUE, [])
    return tuple(str(to) for to in due) if isinstance(due, list) else ()


def papers_due(layout: OutputLayout, period: Period) -> dict[Paper, tuple[str, ...]]:
    """Give, by paper ("quarterly", "six-monthly"), the members each of `period`'s
    published papers is due to be mailed to (papers published with email off are left out)."""
    return {paper: due for paper in PAPERS
            if (due := due_to(layout.manifest(period, paper)))}


def not_yet_sent(layout: OutputLayout, recipients: tuple[str, ...],
                 period: Period | None = None) -> list[tuple[Period, Paper, str]]:
    """Give (period, paper, member) for each of `recipients` a published paper was due to
    and the period's sent record has no entry for: `period`'s, else every period's."""
    periods = [period] if period is not None else layout.periods()
    return [found for each in periods
            for found in SentRecord(layout.sent_record(each)).never_sent(
                recipients, papers_due(layout, each))]


def papers(period: Period, paper: Paper, title: str, committee: str,
           recipients: tuple[str, ...], documents: tuple[Path, ...]) -> list[Outgoing]:
    """Give one message per committee recipient carrying the published papers."""
    body = (
        f"Dear Member,\n\nPlease find attached the {title} for {period.description}, "
        f"for the {committee}.\n\n"
        + "".join(f"  {Path(d).name}\n" for d in documents)
        + "\nPolicy and Performance\n"
    )
    attached = files_digest(tuple(documents))
    return [
        Outgoing(paper_key(period, paper, to), to,
                 f"{title}: {period.label} ({paper.value})", body, tuple(documents), attached)
        for to in recipients
    ]


# Some council gateways mangle a folded Subject (a long plan or council name), so headers are
# folded only past RFC 5322's limit of 998 characters a line. The body and attachments are
# encoded first under the default policy (76-character lines, as MIME asks); the message
# then takes this one, which only the headers' folding reads when it is written out.
UNFOLDED_HEADERS = email.policy.default.clone(max_line_length=998)


def build_message(sender: str, outgoing: Outgoing) -> EmailMessage:
    """Give the email for `outgoing`, with its attachments; its headers are written unfolded
    (`UNFOLDED_HEADERS`)."""
    message = EmailMessage(policy=email.policy.default)
    message["From"] = sender
    message["To"] = outgoing.to
    message["Subject"] = outgoing.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.partition("@")[2] or None)
    message.set_content(outgoing.body)
    for path in outgoing.attachments:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        main, _, sub = kind.partition("/")
        message.add_attachment(Path(path).read_bytes(), maintype=main, subtype=sub,
                               filename=Path(path).name)
    message.policy = UNFOLDED_HEADERS
    return message


class CredentialsRefused(ReportingError):
    """The mail server's password is not there (unset or empty): nothing is sent."""


def env_password(settings: EmailSettings) -> str:
    """Give the password in the environment variable `[email] password_env` names; raise
    CredentialsRefused, in one line naming the setting, when it is unset or empty."""
    name = settings.password_env.strip()
    if not name:
        raise CredentialsRefused("[email] password_env is empty, and [email] username is "
                                 f"{settings.username!r}: name the environment variable that "
                                 "holds the mail server's password (or give [email] "
                                 "password_secret)")
    if not os.environ.get(name):
        state = "empty" if name in os.environ else "not set"
        raise CredentialsRefused(f"[email] password_env names the environment variable "
                                 f"{name}, which is {state}: set it to the mail server's "
                                 f"password for {settings.username!r} (no mail is sent "
                                 "without it)")
    return os.environ[name]


def smtp_sender(settings: EmailSettings, password: str | None = None
                ) -> Callable[[EmailSettings, EmailMessage], None]:
    """Give the `send` that logs in with `password` (when `[email] username` is set; by
    default the one from the environment, `env_password`). Raises CredentialsRefused when
    the password is unset or empty: a login with an empty password is never tried."""
    if not settings.username:
        return send_message
    if password is None:
        password = env_password(settings)
    if not password:
        raise CredentialsRefused("the mail server's password for [email] username "
                                 f"{settings.username!r} is empty: no mail is sent without it")
    return partial(send_message, password=password)


def send_message(settings: EmailSettings, message: EmailMessage, password: str = "") -> None:
    """Send `message` through the configured server (STARTTLS, and a login with `password`
    when `[email] username` is set).

    A refusal, or a failure before the message is handed over, raises as smtplib does: the
    message was not sent. A connection lost while handing it over raises OutcomeUnknown.
    """
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
    try:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, password)
        try:
            smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException,
                smtplib.SMTPNotSupportedError):
            raise  # the server answered no: not sent
        except OSError as error:  # cut off mid-transfer: the server may have taken it
            raise OutcomeUnknown(f"{type(error).__name__} while handing the message to "
                                 f"the server: {error}") from error
    finally:
        try:
            smtp.quit()  # the message is the server's once it has answered; quit may fail
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


# The command that settles a message of unknown outcome (cli/mail.py).
MAIL_COMMAND = "reporting mail"
UNKNOWN, FAILED = "outcome unknown", "failed"


def reporting_command(command: str, plan: str | None, *words: str) -> str:
    """Give the `reporting COMMAND` line for `plan` (an installation's plan, or None), with
    `words` quoted for a shell: "reporting run --plan climate --period '2025/26 Q2'"."""
    return " ".join([f"reporting {command}", *(["--plan", shlex.quote(plan)] if plan else []),
                     *(shlex.quote(word) for word in words)])


def mail_command(plan: str | None, *words: str) -> str:
    """Give the `reporting mail` command line for `plan`, with `words` quoted for a shell."""
    return reporting_command(MAIL_COMMAND.removeprefix("reporting "), plan, *words)


def run_command(plan: str | None, period: Period, paper: Paper) -> str:
    """Give the `reporting run` that makes (or mails) the `paper` on `period`."""
    return reporting_command("run", plan, "--period", period.label, "--cadence", paper.value)


# The notify deployment as `prefect deployment run` names it: its flow's name, then its own.
NOTIFY_DEPLOYMENT = f"{NOTIFY}/{NOTIFY}"


# Where `reporting serve` puts its own Prefect server unless it is given --port.
LOCAL_API_URL = "http://127.0.0.1:4200/api"


def resend_words(key: str, plan: str | None, api_url: str | None = None) -> str:
    """Say what sends the message `key` once it is recorded as not received (or failed):
    a paper, its period's `reporting run` (no scheduled run reports on a past period);
    a reminder, the period's next reminders run; a run notice, its notify run made again
    on the Prefect server at `api_url` (None: serve's own, as it is unless given --port);
    another notice to the policy officer, nothing."""
    parts = key.split("/")
    if parts[0] == "papers":
        named = paper_of(key)
        if named is None:
            return "no run can tell which paper it is: send it by hand"
        return ("this sends it, once (no scheduled run reports on that period again): "
                + run_command(plan, *named))
    if parts[0] == "reminder":
        return "the next reminders run sends it, while the period's returns are chased"
    if parts[0] == "run-failed" and len(parts) >= 2:
        where = "" if api_url else " (port 4200 unless reporting serve was given --port)"
        return (f"this sends it, once, on the Prefect server{where}: PREFECT_API_URL="
                f"{shlex.quote(api_url or LOCAL_API_URL)} .venv/bin/prefect deployment run "
                f"{NOTIFY_DEPLOYMENT} --param flow_run={shlex.quote(parts[1])}")
    return "no run sends it again: its subject is in the record; tell the policy officer"


@dataclass(frozen=True)
class Unsettled:
    """A message of unknown outcome (`state` UNKNOWN) or one that failed, in `record`."""

    record: Path
    key: str
    state: str
    to: str
    subject: str
    since: str
    why: str


class NotUnsettled(ReportingError):
    """A message someone settles is sent already, or not in the record."""


class SentRecord:
    """What has become of each message for a period (a JSON file in its outputs), by key:
    `sending` (the intent, written before the message goes), `sent`, `failed`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def read(self) -> dict:
        if not self.path.exists():
            return {"sent": {}, "failed": {}, "sending": {}}
        data = json.loads(self.path.read_text(encoding="utf-8"))
        for part in ("sent", "failed", "sending"):
            data.setdefault(part, {})
        return data

    def was_sent(self, key: str) -> bool:
        return key in self.read()["sent"]

    def hold(self, wait_seconds: float = 300) -> RunLock:
        """Give the record's lock: hold it from checking a message to recording its fate.

        Reminders and two report runs may send for the same period at once; holding the
        lock across check, send and record is what makes "never twice" true between them.
        """
        return acquire(self.path.with_name(f".{self.path.name}.lock"), str(self.path),
                       wait_seconds)

    def _update(self, change: Callable[[dict], None]) -> None:
        data = self.read()
        change(data)
        write_atomic(self.path, json.dumps(data, indent=2, sort_keys=True).encode("utf-8"))

    # The marks are made while holding the record (see `hold`); each is on disk (fsync'd)
    # when it returns, and raises OSError when it is not.
    def mark_sending(self, outgoing: Outgoing) -> None:
        def change(data: dict) -> None:
            data["sending"][outgoing.key] = {"to": outgoing.to, "subject": outgoing.subject,
                                             "since": _now()}

        self._update(change)

    def mark_sent(self, outgoing: Outgoing) -> None:
        attached = attachments_digest(outgoing)

        def change(data: dict) -> None:
            data["sending"].pop(outgoing.key, None)
            data["sent"][outgoing.key] = {"to": outgoing.to, "subject": outgoing.subject,
                                          "at": _now(),
                                          **({"attachments": attached} if attached else {})}
            data["failed"].pop(outgoing.key, None)

        self._update(change)

    def mark_failed(self, outgoing: Outgoing, error: str) -> None:
        def change(data: dict) -> None:
            data["sending"].pop(outgoing.key, None)
            failure = data["failed"].get(outgoing.key, {"attempts": 0})
            data["failed"][outgoing.key] = {"to": outgoing.to, "subject": outgoing.subject,
                                            "error": error, "at": _now(),
                                            "attempts": failure["attempts"] + 1}

        self._update(change)

    # A person's word on a message whose outcome is unknown (or that failed), said with
    # `reporting mail`: each takes the record's lock itself, as a run would hold it.
    def unsettled(self) -> list[Unsettled]:
        """Give each message of unknown outcome, then each that failed, by key."""
        data = self.read()
        return ([Unsettled(self.path, key, UNKNOWN, entry.get("to", ""),
                           entry.get("subject", ""), entry.get("since", ""),
                           "recorded as sending, with no outcome")
                 for key, entry in sorted(data["sending"].items())]
                + [Unsettled(self.path, key, FAILED, entry.get("to", ""),
                             entry.get("subject", ""), entry.get("at", ""),
                             f"{entry.get('error', 'failed')} (attempts: "
                             f"{entry.get('attempts', 1)})")
                   for key, entry in sorted(data["failed"].items())])

    def never_sent(self, recipients: tuple[str, ...],
                   due: dict[Paper, tuple[str, ...]] | None = None
                   ) -> list[tuple[Period, Paper, str]]:
        """Give (period, paper, recipient) for each of `recipients` with no entry for a
        paper whose mailing was due or began: one `due` (by paper, the members its
        manifest named when it was published, for this record's period), or one another
        recipient has an entry for. The run stopped, or failed, before it came to them;
        a run of that paper sends it to them, once."""
        keys = recorded(self.read())
        wanted: dict[tuple[Period, Paper], set[str]] = {}
        for named in filter(None, map(paper_of, keys)):
            wanted.setdefault(named, set()).update(recipients)
        if due:
            period = Period.parse(self.path.parent.name)  # the record is in its period's folder
            for paper, members in due.items():
                wanted.setdefault((period, paper), set()).update(
                    to for to in members if to in recipients)
        return [(period, paper, to)
                for (period, paper), members in sorted(wanted.items())
                for to in recipients
                if to in members and paper_key(period, paper, to) not in keys]

    def _settle(self, key: str, received: bool, by: str) -> str:
        """Record `by`'s word that the message `key` was (or was not) received; give what
        the next run does with it. Raises NotUnsettled when the record has it as sent, or
        not at all."""
        with self.hold(wait_seconds=30):
            return self._settle_held(key, received, by)

    def _settle_held(self, key: str, received: bool, by: str) -> str:
        data = self.read()
        if key in data["sent"]:
            when = data["sent"][key].get("at", "")
            if received:
                return f"recorded as sent already ({when}): nothing to do"
            raise NotUnsettled(
                f"{self.path}: {key} is recorded as sent ({when}), not of unknown outcome, "
                "so it is not marked: a run sends it again only if its entry is removed "
                "from \"sent\"")
        entry = data["sending"].get(key) or data["failed"].get(key)
        if entry is None:
            raise NotUnsettled(f"{self.path}: no message {key} is recorded; "
                               f"`{MAIL_COMMAND}` lists those of unknown or failed outcome")
        said = f"{'received' if received else 'not received'}, said by {by} on {_now()}"
        head = {"to": entry.get("to", ""), "subject": entry.get("subject", "")}

        def change(data: dict) -> None:
            data["sending"].pop(key, None)
            if received:
                data["failed"].pop(key, None)
                data["sent"][key] = {**head, "at": entry.get("since", entry.get("at", "")),
                                     "settled": said}
            else:
                failure = data["failed"].get(key, {"attempts": 0})
                data["failed"][key] = {**head, "error": said, "at": _now(),
                                       "attempts": failure.get("attempts", 0)}

        self._update(change)
        return ("recorded as sent: no run sends it again" if received
                else "recorded as not received: the run below sends it, once")

    def mark_received(self, key: str, by: str) -> str:
        """Record that the message `key` arrived (or was sent by hand): never sent again."""
        return self._settle(key, True, by)

    def mark_not_received(self, key: str, by: str) -> str:
        """Record that the message `key` never arrived, so the run that sends it
        (`resend_words`) sends it, once."""
        return self._settle(key, False, by)


def files_digest(paths: tuple[Path, ...]) -> str:
    """Give the sha256 of files' names and bytes ("" with none, or when one cannot be read)."""
    if not paths:
        return ""
    digest = hashlib.sha256()
    try:
        for path in paths:
            digest.update(Path(path).name.encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    except OSError:
        return ""
    return digest.hexdigest()


def attachments_digest(outgoing: Outgoing) -> str:
    """Give the sha256 of the message's attachments: what a member holds, to tell a changed
    paper from the one sent (made once with the message where it could be)."""
    return outgoing.attached or files_digest(outgoing.attachments)


def changed_notice(policy_officer: str, changed: list[tuple[Outgoing, str]],
                   record: SentRecord) -> Outgoing:
    """Give the notice telling the policy officer that papers members were sent have been
    published again with other contents; its key names this version, so each is told once."""
    versions = sorted(f"{o.key}={attachments_digest(o)}" for o, _ in changed)
    digest = hashlib.sha256("\n".join(versions).encode("utf-8")).hexdigest()[:16]
    subjects = sorted({o.subject for o, _ in changed})
    names = sorted({Path(a).name for o, _ in changed for a in o.attachments})
    lines = "".join(f"  {o.to}, sent {when}\n" for o, when in changed)
    which = sorted({named for o, _ in changed if (named := paper_of(o.key))})
    said = "; ".join(f"the {paper.value} paper for {period.label}" for period, paper in which)
    body = (
        f"The papers \"{'; '.join(subjects)}\" have been published again and now differ from "
        "the ones members were sent (a return came in or was corrected, or a setting the "
        "paper shows was changed, after they went):\n\n"
        + "".join(f"  {name}\n" for name in names)
        + "\nThe corrected papers were not sent: each member is sent a paper once. These "
        f"members hold the earlier version:\n\n{lines}\n"
        "If the committee should have the corrected papers, send them as a supplementary or "
        "revised paper, saying what changed. To have a run send them to every member again, "
        f"remove their entries from \"sent\" in {record.path} and run the report again.\n\n"
        "Policy and Performance\n"
    )
    return Outgoing(f"changed-since-sent/{digest}", policy_officer,
                    f"Papers changed after sending, {said}: {len(changed)} member"
                    f"{'s' if len(changed) != 1 else ''} hold the earlier version", body)


def no_paper_notice(policy_officer: str, title: str, plan: str, period: Period, paper: Paper,
                    why: str, chase_list: Path, plan_name: str | None = None) -> Outgoing:
    """Give the notice telling the policy officer that no `paper` was made on `period`
    for members, and why; its key names the plan (`plan`, its key), period and paper, so it
    goes once. `plan_name` is the installation's plan the run was given (its `--plan`)."""
    again = run_command(plan_name, period, paper)
    covered = period_covered(paper, period)  # as the schedule and the paper say
    body = (
        f"No {paper.value} paper was made for the {title} on {covered.description}, because "
        f"{why}.\n\n"
        "Nothing was sent to committee members.\n\n"
        f"The chase list of the returns still to come is {chase_list}.\n\n"
        f"When the returns are in, run the {paper.value} report on {covered.label} again (a "
        f"run of its deployment with that period, or {again}); this notice is not sent again for "
        "it.\n\n"
        "Policy and Performance\n"
    )
    return Outgoing(f"no-paper/{plan}/{period.path}/{paper.value}", policy_officer,
                    f"{title}: no {paper.value} paper for {covered.label}", body)


def _unwritable(error: BaseException) -> str:
    return f"the sent record cannot be written ({type(error).__name__}: {error})"


def _send_one(settings: EmailSettings, outgoing: Outgoing, record: SentRecord,
              send: Callable[[EmailSettings, EmailMessage], None], result: Delivery,
              refused: str = "") -> None:
    """Send `outgoing` unless its key is in `record`, recording intent and outcome; the
    record is held by the caller. With `refused` (why nothing can be sent) it is recorded
    as failed for that reason instead."""
    try:
        data = record.read()
    except (OSError, ValueError) as error:
        result.failed.append((outgoing, f"not sent: the sent record cannot be read ({error})"))
        return
    if outgoing.key in data["sent"]:
        result.already_sent.append(outgoing)
        sent = data["sent"][outgoing.key]
        before, now = sent.get("attachments", ""), attachments_digest(outgoing)
        if before and now and before != now:
            result.changed.append((outgoing, str(sent.get("at", "earlier"))))
        return
    if outgoing.key in data["sending"]:
        since = data["sending"][outgoing.key].get("since", "an earlier run")
        result.unknown.append((outgoing, f"recorded as sending since {since}, with no outcome"))
        return

    def failed(reason: str) -> None:
        try:
            record.mark_failed(outgoing, reason)
        except OSError as error:  # still "sending" if that was written: reported, not resent
            reason += f"; {_unwritable(error)}"
        result.failed.append((outgoing, reason))

    if refused:
        return failed(f"not sent: {refused}")
    problem = address_problem(outgoing.to)
    if problem:
        return failed(f"not an address: it must be {problem}")
    try:
        message = build_message(settings.sender, outgoing)
    except (ValueError, TypeError, OSError) as error:  # a header it refuses, a lost attachment
        return failed(f"the message could not be made ({type(error).__name__}: {error})")
    try:
        record.mark_sending(outgoing)
    except OSError as error:
        result.failed.append((outgoing, f"not sent: {_unwritable(error)}"))
        return
    try:
        send(settings, message)
    except OutcomeUnknown as error:
        result.unknown.append((outgoing, str(error)))
        return
    except (OSError, smtplib.SMTPException) as error:
        return failed(f"{type(error).__name__}: {error}")
    try:
        record.mark_sent(outgoing)
    except OSError as error:
        result.unrecorded.append((outgoing, _unwritable(error)))
        return
    result.sent.append(outgoing)


def unknown_notice(policy_officer: str, unknown: list[tuple[Outgoing, str]],
                   record: SentRecord, plan: str | None = None) -> Outgoing:
    """Give the notice telling the policy officer of messages whose outcome is unknown, each
    with the commands that settle it (for `plan`, in an installation of several); its key
    names that set of messages, so each set is told once."""
    keys = sorted(o.key for o, _ in unknown)
    digest = hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()[:16]
    lines = "".join(
        f"  To {o.to}: {o.subject}\n    ({why})\n"
        f"    arrived:      {mail_command(plan, '--received', o.key)}\n"
        f"    not arrived:  {mail_command(plan, '--not-received', o.key)}\n"
        for o, why in unknown)
    body = (
        "These messages were handed, or about to be handed, to the mail server, but what "
        "became of them was not recorded (the run stopped, or the sent record could not be "
        "written, in between):\n\n"
        f"{lines}\n"
        "They will not be sent again until you say. Please check with each recipient "
        "whether it arrived, then, in the installation folder, run the command under it: "
        "\"arrived\" records it as sent; \"not arrived\" records that and prints the "
        "command that sends it, once (for a paper, its period's reporting run). Settle each "
        "before that paper's run is made again: until then a run sends the rest, ends "
        "Failed and tells you of it again. "
        f"`{mail_command(plan)}` lists every message still of unknown or failed outcome. "
        f"The sent record is {record.path}.\n\n"
        "Policy and Performance\n"
    )
    return Outgoing(f"outcome-unknown/{digest}", policy_officer,
                    f"Email outcome unknown: {len(unknown)} message"
                    f"{'s' if len(unknown) != 1 else ''} not confirmed", body)


def deliver(settings: EmailSettings, messages: list[Outgoing], record: SentRecord,
            send: Callable[[EmailSettings, EmailMessage], None] | None = None,
            refused: str = "", plan: str | None = None) -> Delivery:
    """Send each message not yet in `record`, at most once, recording intent and outcome.

    Nothing is sent when email is off or stopped (the result says so). A failure does not
    stop the other messages going. Messages whose outcome is unknown are not sent again;
    the policy officer, when set, is sent one notice of them. `send` is the SMTP send
    (default: `smtp_sender` with the password from the environment); with `refused`, or
    with no password to log in with, each message not yet sent is recorded as failed,
    saying why. `plan` (an installation's plan, or None) is named in the commands the
    notice of unknown outcomes gives.
    """
    result = Delivery(disabled=not settings.enabled, stopped=settings.stopped)
    if result.disabled or result.stopped:
        result.withheld = list(messages)
        return result
    if send is None and not refused:
        try:
            send = smtp_sender(settings)
        except CredentialsRefused as error:
            refused = str(error)
    for outgoing in messages:
        try:
            held = record.hold()
        except (OSError, ReportingError) as error:
            result.failed.append((outgoing, f"not sent: the sent record cannot be locked "
                                            f"({error})"))
            continue
        with held:
            _send_one(settings, outgoing, record, send, result, refused)
    notices = ([unknown_notice(settings.policy_officer, result.unknown, record, plan)]
               if result.unknown else []) + (
        [changed_notice(settings.policy_officer, result.changed, record)]
        if result.changed else [])
    if notices and settings.policy_officer:
        result.add(deliver(replace(settings, policy_officer=""), notices, record, send,
                           refused))
    return result
