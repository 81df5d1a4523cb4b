"""The mail server's password (issue 21): from a Prefect Secret block named in the settings,
or the environment variable they name; unset or empty, nothing is sent and the run says
which setting to mend, in one line, never a login with an empty password."""

from __future__ import annotations

from datetime import date

import pytest

from reporting.automation.chase import Chase
from reporting.automation.mail import Outgoing, SentRecord, deliver, reminder
from reporting.period import Period
from reporting.settings import EmailSettings

Q2 = Period.parse("2022/23 Q2")
CHASE = Chase("Housing", "Housing Options Manager", "housing@example.gov.uk", ("1.b",),
              date(2022, 10, 14), 3)
LOGIN = ("scrutiny", "s3cret")


def _email(port: int, **values) -> EmailSettings:
    return EmailSettings(**{"enabled": True, "host": "127.0.0.1", "port": port,
                            "sender": "performance@example.gov.uk", "timeout_seconds": 5,
                            "username": LOGIN[0], "password_env": "TEST_SMTP_PASSWORD",
                            **values})


@pytest.mark.parametrize("value, state", [(None, "not set"), ("", "empty")])
def test_an_unset_or_empty_password_variable_sends_nothing_and_names_the_setting(
        smtp_server, tmp_path, monkeypatch, value, state):
    port, inbox = smtp_server(login=LOGIN)
    if value is None:
        monkeypatch.delenv("TEST_SMTP_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("TEST_SMTP_PASSWORD", value)
    record = SentRecord(tmp_path / "email-sent.json")
    messages = [reminder(CHASE, Q2, "before"), Outgoing("k2", "x@example.gov.uk", "S", "B")]
    result = deliver(_email(port), messages, record)
    assert inbox.messages == [] and result.sent == []
    assert [o for o, _ in result.failed] == messages
    why = result.failed[0][1]
    assert why == (f"not sent: [email] password_env names the environment variable "
                   f"TEST_SMTP_PASSWORD, which is {state}: set it to the mail server's "
                   "password for 'scrutiny' (no mail is sent without it)")
    assert "\n" not in why
    assert set(record.read()["failed"]) == {m.key for m in messages}  # recorded, not sending
    assert record.read()["sending"] == {}


def test_an_empty_password_env_setting_is_refused_naming_it(smtp_server, tmp_path):
    port, inbox = smtp_server(login=LOGIN)
    result = deliver(_email(port, password_env=""), [reminder(CHASE, Q2, "before")],
                     SentRecord(tmp_path / "s.json"))
    assert inbox.messages == [] and "[email] password_env is empty" in result.failed[0][1]


def test_a_message_already_sent_stays_sent_when_the_password_is_missing(
        smtp_server, tmp_path, monkeypatch):
    port, inbox = smtp_server(login=LOGIN)
    record = SentRecord(tmp_path / "email-sent.json")
    message = reminder(CHASE, Q2, "before")
    monkeypatch.setenv("TEST_SMTP_PASSWORD", LOGIN[1])
    assert deliver(_email(port), [message], record).sent == [message]
    monkeypatch.delenv("TEST_SMTP_PASSWORD")
    again = deliver(_email(port), [message], record)
    assert again.already_sent == [message] and again.failed == [] and again.ok
    assert len(inbox.messages) == 1


def test_no_login_needs_no_password(smtp_server, tmp_path, monkeypatch):
    port, inbox = smtp_server()
    monkeypatch.delenv("TEST_SMTP_PASSWORD", raising=False)
    assert deliver(_email(port, username=""), [reminder(CHASE, Q2, "before")],
                   SentRecord(tmp_path / "s.json")).ok
    assert len(inbox.messages) == 1


@pytest.mark.flow
def test_the_password_comes_from_the_prefect_secret_the_settings_name(
        prefect_harness, smtp_server, tmp_path, monkeypatch):
    from prefect.blocks.system import Secret

    from flows.delivery import send_mail

    port, inbox = smtp_server(login=LOGIN)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "the-wrong-one")  # the Secret wins
    Secret(value=LOGIN[1]).save("test-smtp-password", overwrite=True)
    message = reminder(CHASE, Q2, "before")
    sent = send_mail(_email(port, password_secret="test-smtp-password"), [message],
                     tmp_path / "sent.json")
    assert sent.sent == [message] and len(inbox.messages) == 1

    other = Outgoing("k2", "x@example.gov.uk", "S", "B")
    missing = send_mail(_email(port, password_secret="no-such-block"), [other],
                        tmp_path / "sent.json")  # refused at once, not retried
    assert missing.sent == [] and len(inbox.messages) == 1
    assert missing.failed[0][1].startswith(
        "not sent: [email] password_secret names the Prefect Secret block 'no-such-block', "
        "which could not be read")
    Secret(value="").save("test-smtp-empty", overwrite=True)
    empty = send_mail(_email(port, password_secret="test-smtp-empty"), [other],
                      tmp_path / "sent.json")
    assert "'test-smtp-empty', which is empty" in empty.failed[0][1]
