"""Email over SMTP: reminders to service leads, published papers to the committee.

Off unless `[email] enabled = true`. Every message has a key saying what it is (which
reminder, which papers, to whom); once a message is sent its key is written to the
period's sent record, so a retry or a re-run never sends it twice. A server that refuses
or is down is recorded as a failure and left for the caller to retry.
"""

from __future__ import annotations

import json
import mimetypes
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Callable

from reporting.automation.chase import Chase
from reporting.automation.lock import RunLock, acquire
from reporting.period import Period
from reporting.publish import write_atomic
from reporting.settings import EmailSettings


@dataclass(frozen=True)
class Outgoing:
    """One message to one recipient; `key` names it for the sent record."""

    key: str
    to: str
    subject: str
    body: str
    attachments: tuple[Path, ...] = ()


@dataclass
class Delivery:
    """What happened to a batch of messages."""

    sent: list[Outgoing] = field(default_factory=list)
    already_sent: list[Outgoing] = field(default_factory=list)
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)
    disabled: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed


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


def papers(period: Period, cadence: str, title: str, committee: str,
           recipients: tuple[str, ...], documents: tuple[Path, ...]) -> list[Outgoing]:
    """Give one message per committee recipient carrying the published papers."""
    body = (
        f"Dear Member,\n\nPlease find attached the {title} for {period.description}, "
        f"for the {committee}.\n\n"
        + "".join(f"  {Path(d).name}\n" for d in documents)
        + "\nPolicy and Performance\n"
    )
    return [
        Outgoing(f"papers/{period.path}/{cadence}/{to}", to,
                 f"{title}: {period.label} ({cadence})", body, tuple(documents))
        for to in recipients
    ]


def build_message(sender: str, outgoing: Outgoing) -> EmailMessage:
    """Give the email for `outgoing`, with its attachments."""
    message = EmailMessage()
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
    return message


def send_message(settings: EmailSettings, message: EmailMessage) -> None:
    """Send `message` through the configured server (STARTTLS and login when set)."""
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, os.environ.get(settings.password_env, ""))
        smtp.send_message(message)


class SentRecord:
    """What has been sent for a period (a JSON file in its outputs), keyed by message key."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def read(self) -> dict:
        if not self.path.exists():
            return {"sent": {}, "failed": {}}
        data = json.loads(self.path.read_text(encoding="utf-8"))
        data.setdefault("sent", {})
        data.setdefault("failed", {})
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

    # mark_sent and mark_failed are called while holding the record (see `hold`).
    def mark_sent(self, outgoing: Outgoing) -> None:
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")

        def change(data: dict) -> None:
            data["sent"][outgoing.key] = {"to": outgoing.to, "subject": outgoing.subject,
                                          "at": stamp}
            data["failed"].pop(outgoing.key, None)

        self._update(change)

    def mark_failed(self, outgoing: Outgoing, error: str) -> None:
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")

        def change(data: dict) -> None:
            failure = data["failed"].get(outgoing.key, {"attempts": 0})
            data["failed"][outgoing.key] = {"to": outgoing.to, "subject": outgoing.subject,
                                            "error": error, "at": stamp,
                                            "attempts": failure["attempts"] + 1}

        self._update(change)


def deliver(settings: EmailSettings, messages: list[Outgoing], record: SentRecord,
            send: Callable[[EmailSettings, EmailMessage], None] = send_message) -> Delivery:
    """Send each message not yet in `record`, recording each success and failure.

    Nothing is sent when email is off (the result says so). A failure does not stop the
    other messages going.
    """
    result = Delivery(disabled=not settings.enabled)
    if not settings.enabled:
        return result
    for outgoing in messages:
        with record.hold():
            if record.was_sent(outgoing.key):
                result.already_sent.append(outgoing)
                continue
            try:
                send(settings, build_message(settings.sender, outgoing))
            except (OSError, smtplib.SMTPException) as error:
                reason = f"{type(error).__name__}: {error}"
                record.mark_failed(outgoing, reason)
                result.failed.append((outgoing, reason))
                continue
            record.mark_sent(outgoing)
            result.sent.append(outgoing)
    return result
