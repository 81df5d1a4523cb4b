"""Email against a real SMTP server on 127.0.0.1: sent once, refusals and outages recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import free_port

from reporting.automation.chase import Chase
from reporting.automation.mail import Outgoing, SentRecord, deliver, papers, reminder
from reporting.period import Period
from reporting.settings import EmailSettings

Q2 = Period.parse("2022/23 Q2")
CHASE = Chase("Housing", "Housing Options Manager", "housing@example.gov.uk", ("1.b", "2.a"),
              date(2022, 10, 14), 3)


def _email(port: int, **values) -> EmailSettings:
    return EmailSettings(**{"enabled": True, "host": "127.0.0.1", "port": port,
                            "sender": "performance@example.gov.uk", "timeout_seconds": 5,
                            **values})


def test_a_reminder_reaches_the_service_lead_once(smtp_server, tmp_path):
    port, inbox = smtp_server()
    record = SentRecord(tmp_path / "email-sent.json")
    message = reminder(CHASE, Q2, "before")
    first = deliver(_email(port), [message], record)
    again = deliver(_email(port), [message], record)
    assert first.ok and [m.to for m in first.sent] == ["housing@example.gov.uk"]
    assert again.sent == [] and again.already_sent == [message]
    assert len(inbox.messages) == 1
    (to, mail), = inbox.messages
    assert to == ("housing@example.gov.uk",)
    assert mail["Subject"] == "Reminder: Housing return for 2022/23 Q2 due 14 October"
    body = mail.get_body().get_content()
    assert "Dear Housing Options Manager" in body and "1.b, 2.a" in body
    assert "Friday 14 October 2022" in body
    assert record.read()["sent"][message.key]["to"] == "housing@example.gov.uk"


def test_papers_go_to_each_member_with_the_pdf_and_word_file(smtp_server, tmp_path):
    port, inbox = smtp_server()
    pdf, docx = tmp_path / "report.pdf", tmp_path / "report.docx"
    pdf.write_bytes(b"%PDF-1.7 pretend")
    docx.write_bytes(b"PK pretend")
    messages = papers(Q2, "quarterly", "Action Plan monitoring report", "Scrutiny Commission",
                      ("a@example.gov.uk", "b@example.gov.uk"), (pdf, docx))
    result = deliver(_email(port), messages, SentRecord(tmp_path / "sent.json"))
    assert result.ok and len(inbox.messages) == 2
    _, mail = inbox.messages[0]
    attached = {p.get_filename(): (p.get_content_type(), p.get_content())
                for p in mail.iter_attachments()}
    assert attached["report.pdf"] == ("application/pdf", b"%PDF-1.7 pretend")
    assert attached["report.docx"][0].endswith("wordprocessingml.document")


def test_a_server_that_refuses_is_recorded_and_a_later_retry_sends_once(smtp_server, tmp_path):
    port, refusing = smtp_server(refuse=True)
    record = SentRecord(tmp_path / "email-sent.json")
    message = reminder(CHASE, Q2, "after")
    refused = deliver(_email(port), [message], record)
    assert not refused.ok and "Relaying refused" in refused.failed[0][1]
    assert record.read()["failed"][message.key]["attempts"] == 1
    assert refusing.messages == []
    port, inbox = smtp_server()
    assert deliver(_email(port), [message], record).ok
    assert deliver(_email(port), [message], record).already_sent == [message]
    assert len(inbox.messages) == 1
    assert message.key not in record.read()["failed"]


def test_a_server_that_is_down_does_not_stop_the_other_messages(tmp_path):
    down = free_port()  # nothing listens here
    messages = [reminder(CHASE, Q2, "before"),
                Outgoing("k2", "x@example.gov.uk", "Subject", "Body")]
    result = deliver(_email(down), messages, SentRecord(tmp_path / "sent.json"))
    assert len(result.failed) == 2 and "Connection refused" in result.failed[0][1]


def test_login_uses_the_password_from_the_environment(smtp_server, tmp_path, monkeypatch):
    port, inbox = smtp_server(login=("scrutiny", "s3cret"))
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cret")
    settings = _email(port, username="scrutiny", password_env="TEST_SMTP_PASSWORD")
    result = deliver(settings, [reminder(CHASE, Q2, "before")], SentRecord(tmp_path / "s.json"))
    assert result.ok and len(inbox.messages) == 1


def test_nothing_is_sent_while_email_is_off(tmp_path):
    result = deliver(EmailSettings(), [reminder(CHASE, Q2, "before")],
                     SentRecord(tmp_path / "sent.json"))
    assert result.disabled and result.sent == [] and result.failed == []
    assert not Path(tmp_path / "sent.json").exists()


def test_no_reminder_without_an_email_address():
    assert reminder(Chase("Leisure", "", "", ("3.a",), date(2022, 10, 14), 0), Q2,
                    "before") is None


def test_a_message_another_process_is_sending_is_not_sent_again(smtp_server, tmp_path):
    import threading

    port, inbox = smtp_server()
    record = SentRecord(tmp_path / "email-sent.json")
    message = reminder(CHASE, Q2, "before")
    sending, finish = threading.Event(), threading.Event()

    def slow_send(settings, mail):
        sending.set()
        finish.wait(10)
        from reporting.automation.mail import send_message
        send_message(settings, mail)

    first = threading.Thread(target=deliver, args=(_email(port), [message], record, slow_send))
    first.start()
    assert sending.wait(10)
    results = []
    second = threading.Thread(target=lambda: results.append(
        deliver(_email(port), [message], SentRecord(record.path))))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waits while the first is sending
    finish.set()
    first.join(10)
    second.join(10)
    assert results[0].already_sent == [message] and len(inbox.messages) == 1
