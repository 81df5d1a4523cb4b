"""Sending mail from a flow: retried with back-off, never twice, and never failing the run.

The messages and the sent record come from `reporting.automation.mail`; this module only says how the
sending is run. A send that still fails after its retries is logged as an error and shown
as an artifact; the documents are already published by then.
"""

from __future__ import annotations

from pathlib import Path

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from reporting.automation.mail import Delivery, Outgoing, SentRecord, deliver
from reporting.settings import EmailSettings
from reporting.wording import markdown_text


class DeliveryFailed(RuntimeError):
    """Some messages could not be sent (the successful ones are recorded)."""


@task(cache_policy=NO_CACHE)
def send_mail(email: EmailSettings, messages: list[Outgoing], record: Path) -> Delivery:
    """Send what has not been sent yet; raise (so Prefect retries) when anything failed."""
    delivery = deliver(email, messages, SentRecord(record))
    logger = get_run_logger()
    for outgoing in delivery.sent:
        logger.info("Sent %r to %s", outgoing.subject, outgoing.to)
    for outgoing in delivery.already_sent:
        logger.info("Already sent %r to %s; not sending it again", outgoing.subject, outgoing.to)
    if delivery.failed:
        raise DeliveryFailed("; ".join(f"{o.to}: {reason}" for o, reason in delivery.failed))
    return delivery


def send_with_retries(email: EmailSettings, messages: list[Outgoing], record: Path,
                      what: str, key: str) -> bool:
    """Send `messages` with the configured back-off; give whether all of them are sent."""
    logger = get_run_logger()
    if not email.enabled:
        logger.info("Email is off ([email] enabled = false): %s not sent (%d messages)",
                    what, len(messages))
        return False
    if not messages:
        return True
    delays = list(email.retry_delays_seconds)
    attempt = send_mail.with_options(name=f"send {what}", retries=len(delays),
                                     retry_delay_seconds=delays or 0)
    state = attempt(email, messages, record, return_state=True)
    if state.is_completed():
        return True
    failed = SentRecord(record).read()["failed"]
    rows = ["| " + " | ".join(markdown_text(v[name]) for name in ("to", "subject", "attempts", "error"))
            + " |"
            for k, v in sorted(failed.items()) if any(k == m.key for m in messages)]
    logger.error("Could not send the %s after %d attempts; see %s", what, len(delays) + 1, record)
    create_markdown_artifact(
        key=key,
        markdown="\n".join([f"# Not sent: {markdown_text(what)}", "",
                            "| To | Subject | Attempts | Error |", "| --- | --- | --- | --- |",
                            *rows, "", f"Sent record: {markdown_text(record)}"]),
        description=f"Email failures: {what}",
    )
    return False
