"""Sending mail from a flow: retried with back-off, each message at most once, and never
silently not sent.

The messages and the sent record come from `reporting.automation.mail`; this module only
says how the sending is run: the SMTP retries (a task's retries, the only retries delivery
has), the switch that stops all mail (the Prefect Variable `reporting_mail_stopped`, or
`[email] stopped`), the SMTP password (from a Prefect Secret block, or the environment), the
log and the "Not sent" artifact. `raise_if_not_delivered` ends a
run Failed, naming the recipients not reached, once everything has been attempted.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.variables import Variable

from reporting.automation.mail import (
    CredentialsRefused,
    Delivery,
    Outgoing,
    SentRecord,
    deliver,
    smtp_sender,
)
from reporting.errors import ReportingError
from reporting.settings import EmailSettings
from reporting.wording import markdown_text

# Set it to true (`prefect variable set reporting_mail_stopped true`) to stop every send.
MAIL_STOPPED = "reporting_mail_stopped"
# How `mail_stopped` says the Variable could not be read: a failure, not an operator's choice.
_UNREADABLE = "could not be read"


class DeliveryFailed(ReportingError, RuntimeError):
    """Some messages are not known to have been sent and recorded (the rest are recorded);
    a ReportingError, so the command says it in one line."""

    def __init__(self, message: str, delivery: Delivery | None = None) -> None:
        super().__init__(message)
        self.delivery = delivery


def mail_stopped() -> str:
    """Say why all mail is stopped by the Prefect Variable ("" when it is not)."""
    try:
        value = Variable.get(MAIL_STOPPED, default=False)
    except Exception as error:  # noqa: BLE001 - an API that cannot say: do not send
        return f"the Prefect Variable {MAIL_STOPPED} {_UNREADABLE} ({error})"
    if isinstance(value, str):
        value = value.strip().lower() in ("true", "yes", "1", "on")
    return f"the Prefect Variable {MAIL_STOPPED} is true" if value is True else ""


def _retry_refusals(task, task_run, state) -> bool:
    """Retry only messages the server refused or could not take: never an unknown one."""
    try:
        state.result()
    except DeliveryFailed as failure:
        return bool(failure.delivery and failure.delivery.failed)
    except Exception:  # noqa: BLE001
        return False
    return False


def secret_password(email: EmailSettings) -> str | None:
    """Give the password in the Prefect Secret block `[email] password_secret` names (None
    when it names none: the environment's is used); raise CredentialsRefused, naming the
    setting, when the block cannot be read or is empty."""
    name = email.password_secret.strip()
    if not name:
        return None
    from prefect.blocks.system import Secret

    try:
        value = Secret.load(name).get()
    except Exception as error:  # noqa: BLE001 - no block, or no API: refuse, naming it
        raise CredentialsRefused(f"[email] password_secret names the Prefect Secret block "
                                 f"{name!r}, which could not be read ({type(error).__name__}: "
                                 f"{error}): create it (prefect block create secret) or fix "
                                 "the name") from None
    if not isinstance(value, str) or not value:
        raise CredentialsRefused(f"[email] password_secret names the Prefect Secret block "
                                 f"{name!r}, which is empty: no mail is sent without a password")
    return value


@task(cache_policy=NO_CACHE, retry_condition_fn=_retry_refusals)
def send_mail(email: EmailSettings, messages: list[Outgoing], record: Path,
              plan: str | None = None) -> Delivery:
    """Send what has not been sent yet; raise (so Prefect retries) when the server refused
    or could not take a message. A password that is not there is not retried: each message
    is recorded as failed, saying which setting to mend. `plan` is named in the commands
    a notice of unknown outcomes gives."""
    refused = ""
    try:
        # Read here, never passed as a parameter, so the password is in no task's inputs.
        send = smtp_sender(email, secret_password(email))
    except CredentialsRefused as error:
        send, refused = None, str(error)
    delivery = deliver(email, messages, SentRecord(record), send, refused, plan)
    logger = get_run_logger()
    for outgoing in delivery.sent:
        logger.info("Sent %r to %s", outgoing.subject, outgoing.to)
    for outgoing in delivery.already_sent:
        logger.info("Already sent %r to %s; not sending it again", outgoing.subject, outgoing.to)
    for outgoing, when in delivery.changed:
        logger.warning("%r was sent to %s on %s and has changed since; the corrected paper is "
                       "not sent again (the policy officer is told)", outgoing.subject,
                       outgoing.to, when)
    for outgoing in delivery.notices:
        logger.warning("Told the policy officer (%s): %s", outgoing.to, outgoing.subject)
    for line in delivery.problems():
        logger.error("%s", line)
    if delivery.failed and not refused:  # a retry cannot mend a missing password
        raise DeliveryFailed("; ".join(delivery.problems()), delivery)
    return delivery


def _not_sent_artifact(what: str, key: str, delivery: Delivery, record: Path) -> None:
    rows = ([("not reached", o, why) for o, why in delivery.failed]
            + [("outcome unknown (not sent again)", o, why) for o, why in delivery.unknown]
            + [("sent, not recorded", o, why) for o, why in delivery.unrecorded])
    create_markdown_artifact(
        key=key,
        markdown="\n".join([f"# Not sent: {markdown_text(what)}", "",
                            "| To | Subject | What happened | Why |", "| --- | --- | --- | --- |",
                            *(f"| {markdown_text(o.to)} | {markdown_text(o.subject)} | {kind} "
                              f"| {markdown_text(why)} |" for kind, o, why in rows),
                            "", f"Sent record: {markdown_text(record)}"]),
        description=f"Email not delivered: {what}",
    )


def send_with_retries(email: EmailSettings, messages: list[Outgoing], record: Path,
                      what: str, key: str, plan: str | None = None) -> Delivery:
    """Send `messages` with the configured back-off; give what became of them.

    Email off, or stopped, sends nothing and says so. Whatever is not known to be sent and
    recorded after the retries is logged and shown as a "Not sent" artifact; the caller
    ends the run Failed with `raise_if_not_delivered` after its other sends. `plan` (the
    installation's plan, or None) is named in the commands that settle an unknown outcome.
    """
    logger = get_run_logger()
    if not email.enabled:
        logger.info("Email is off ([email] enabled = false): %s not sent (%d messages)",
                    what, len(messages))
        return Delivery(disabled=True, withheld=list(messages))
    why_stopped = "[email] stopped = true" if email.stopped else mail_stopped()
    if why_stopped:
        logger.warning("Mail is stopped (%s): %s not sent (%d messages: %s)", why_stopped,
                       what, len(messages), ", ".join(m.to for m in messages) or "none")
        stopped = deliver(replace(email, stopped=True), messages, SentRecord(record))
        create_markdown_artifact(
            key=key, description=f"Email stopped: {what}",
            markdown="\n".join([f"# Not sent: {markdown_text(what)}", "",
                                f"Mail is stopped ({markdown_text(why_stopped)}).",
                                "Nothing was sent to:", "",
                                *(f"- {markdown_text(m.to)}: {markdown_text(m.subject)}"
                                  for m in messages)]))
        if _UNREADABLE in why_stopped:  # not an operator's choice: a failure
            stopped.failed = [(m, f"not sent: {why_stopped}") for m in messages]
        return stopped
    if not messages:
        return Delivery()
    delays = list(email.retry_delays_seconds)
    attempt = send_mail.with_options(name=f"send {what}", retries=len(delays),
                                     retry_delay_seconds=delays or 0)
    state = attempt(email, messages, record, plan, return_state=True)
    outcome = state.result(raise_on_failure=False)
    if isinstance(outcome, Delivery):
        delivery = outcome
    elif isinstance(outcome, DeliveryFailed) and outcome.delivery is not None:
        delivery = outcome.delivery
    else:  # the task itself broke: nothing is known of these messages beyond the record
        delivery = Delivery(failed=[(m, f"the send failed: {outcome}") for m in messages])
    if not delivery.ok:
        logger.error("The %s are not all delivered after %d attempts: %s; see %s", what,
                     len(delays) + 1, "; ".join(delivery.problems()), record)
        _not_sent_artifact(what, key, delivery, record)
    return delivery


def raise_if_not_delivered(deliveries: list[tuple[str, Delivery]]) -> None:
    """End the run Failed, naming each recipient not known to be reached, if any delivery
    of `(what, delivery)` is not whole."""
    problems = [f"{what}: {line}" for what, delivery in deliveries
                for line in delivery.problems()]
    if problems:
        raise DeliveryFailed("Email not delivered. " + "; ".join(problems))
