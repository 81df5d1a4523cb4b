"""Email against a real SMTP server on 127.0.0.1: sent once, refusals and outages recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import free_port

from reporting.automation.chase import Chase
from reporting.automation.mail import (
    Outgoing,
    SentRecord,
    deliver,
    no_paper_notice,
    papers,
    reminder,
)
from reporting.cadence import Paper
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
    messages = papers(Q2, Paper.QUARTERLY, "Action Plan monitoring report", "Scrutiny Commission",
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


# -- at most once, never silently not sent ------------------------------------------------

MEMBERS = ("one@example.gov.uk", "two@example.gov.uk", "three@example.gov.uk")


def _papers_to(members, tmp_path):
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.7 pretend")
    return papers(Q2, Paper.QUARTERLY, "Action Plan monitoring report", "Scrutiny Commission",
                  tuple(members), (pdf,))


def _failing_writes(monkeypatch, after: int) -> list[str]:
    """Make every write of the sent record after the first `after` fail, as a full disk
    would; give the list of writes tried."""
    import reporting.automation.mail as mail

    tried, real = [], mail.write_atomic

    def write(path, data):
        tried.append(path)
        if len(tried) > after:
            raise OSError(28, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(mail, "write_atomic", write)
    return tried


def test_the_intent_is_on_disk_before_the_server_has_the_message(smtp_server, tmp_path):
    from reporting.automation.mail import send_message

    port, inbox = smtp_server()
    record = SentRecord(tmp_path / "email-sent.json")
    seen = []

    def send(settings, mail):
        seen.append(SentRecord(record.path).read()["sending"])  # read afresh, from disk
        send_message(settings, mail)

    message = reminder(CHASE, Q2, "before")
    assert deliver(_email(port), [message], record, send).ok
    assert seen == [{message.key: {"to": message.to, "subject": message.subject,
                                   "since": seen[0][message.key]["since"]}}]
    assert record.read()["sending"] == {} and message.key in record.read()["sent"]


def test_a_record_that_cannot_be_written_mid_delivery_sends_no_one_twice(
        smtp_server, tmp_path, monkeypatch):
    port, inbox = smtp_server()
    record = SentRecord(tmp_path / "email-sent.json")
    messages = _papers_to(MEMBERS, tmp_path)
    # The first member's intent is written; from the record of its outcome on, no write works.
    _failing_writes(monkeypatch, after=1)
    first = deliver(_email(port), messages, record)
    assert [to for (to,), _ in inbox.messages] == ["one@example.gov.uk"]
    assert [o.to for o, _ in first.unrecorded] == ["one@example.gov.uk"]
    assert [o.to for o, _ in first.failed] == ["two@example.gov.uk", "three@example.gov.uk"]
    assert all("No space left on device" in why for _, why in first.failed)
    assert not first.ok
    # A retry (the disk still full, then free) never sends the first member's paper again.
    again = deliver(_email(port), messages, record)
    monkeypatch.undo()
    later = deliver(_email(port), messages, record)
    assert [o.to for o, _ in again.unknown] == [o.to for o, _ in later.unknown] == [
        "one@example.gov.uk"]
    assert sorted(to for (to,), _ in inbox.messages) == sorted(MEMBERS)
    assert [o.to for o in later.sent] == ["two@example.gov.uk", "three@example.gov.uk"]
    assert "one@example.gov.uk" in record.read()["sending"][messages[0].key]["to"]


def test_a_message_with_no_outcome_is_never_resent_and_the_policy_officer_is_told_once(
        smtp_server, tmp_path):
    port, inbox = smtp_server()
    record = SentRecord(tmp_path / "email-sent.json")
    message = reminder(CHASE, Q2, "after")
    with record.hold():  # a run that stopped between handing it over and recording it
        record.mark_sending(message)
    settings = _email(port, policy_officer="policy@example.gov.uk")
    first = deliver(settings, [message], record)
    second = deliver(settings, [message], record)
    assert [o for o, _ in first.unknown] == [o for o, _ in second.unknown] == [message]
    assert "with no outcome" in first.unknown[0][1]
    assert not first.ok and first.problems() == [
        f"outcome unknown, not sent again: housing@example.gov.uk ({first.unknown[0][1]})"]
    (to, notice), = inbox.messages  # the notice alone, once; not the reminder
    assert to == ("policy@example.gov.uk",) and [n.to for n in first.notices] == [to[0]]
    assert second.notices == []
    body = notice.get_body().get_content()
    assert "housing@example.gov.uk" in body and "will not be sent again" in body


def _mail(tmp_path, *words):
    from conftest import ROOT

    from cli.main import main

    return main(["mail", *words, "--config", str(ROOT / "reporting.toml"),
                 "--outputs", str(tmp_path)])


def test_the_notice_gives_the_command_that_has_the_next_run_send_it_once(
        smtp_server, tmp_path, capsys):
    import shlex

    port, inbox = smtp_server()
    record = SentRecord(tmp_path / Q2.path / "email-sent.json")
    message = reminder(CHASE, Q2, "after")
    with record.hold():  # a run that stopped between handing it over and recording it
        record.mark_sending(message)
    settings = _email(port, policy_officer="policy@example.gov.uk")
    deliver(settings, [message], record, plan="corporate")
    (_, notice), = inbox.messages
    body = notice.get_body().get_content().replace("\r\n", "\n")
    not_arrived = f"reporting mail --plan corporate --not-received {message.key}"
    assert f"    arrived:      reporting mail --plan corporate --received {message.key}\n" \
        in body
    assert f"    not arrived:  {not_arrived}\n" in body
    # The recipient never had it: the policy officer runs the command the notice gives.
    words = shlex.split(not_arrived)
    assert words[:4] == ["reporting", "mail", "--plan", "corporate"]  # its plan, named
    assert _mail(tmp_path, *words[4:], "--by", "P. Officer") == 0
    said = capsys.readouterr().out
    assert "recorded as not received: the run below sends it, once" in said
    assert "the next reminders run sends it" in said
    entry = record.read()["failed"][message.key]
    assert message.key not in record.read()["sending"]
    assert entry["error"].startswith("not received, said by P. Officer on ")
    again = deliver(settings, [message], record)
    assert again.ok and again.sent == [message]
    assert deliver(settings, [message], record).already_sent == [message]
    assert [to for (to,), _ in inbox.messages] == ["policy@example.gov.uk",
                                                    "housing@example.gov.uk"]


def _mail_listing(tmp_path, members: tuple[str, ...], capsys) -> str:
    """Give what `reporting mail` prints with `members` as the committee."""
    from conftest import ROOT

    from cli.main import main

    settings = tmp_path / "reporting.toml"
    settings.write_text((ROOT / "reporting.toml").read_text().replace(
        'committee = ["scrutiny-members@harborough.gov.uk"]',
        f"committee = {list(members)!r}".replace("'", '"')), encoding="utf-8")
    assert main(["mail", "--config", str(settings), "--outputs", str(tmp_path)]) == 1  # waits
    return capsys.readouterr().out


def test_reporting_mail_lists_the_members_a_papers_run_stopped_before_mailing(
        tmp_path, capsys):
    """An operator's review: the run stopped while one member's message was being sent; the
    other member has no entry at all, and `reporting mail` said all was settled."""
    members = ("scrutiny-members@harborough.gov.uk", "two@example.gov.uk")
    record = SentRecord(tmp_path / Q2.path / "email-sent.json")
    first, _ = _papers_to(members, tmp_path)
    with record.hold():
        record.mark_sent(first)
    assert record.never_sent(members) == [(Q2, "quarterly", "two@example.gov.uk")]
    assert record.never_sent(members[:1]) == []
    # Only the bundled settings' one member: nobody is missing.
    assert _mail(tmp_path, "--period", "2022/23 Q2") == 0
    assert "no member a paper's run stopped before mailing" in capsys.readouterr().out
    # A second member in the settings, never sent the paper whose mailing began.
    out = _mail_listing(tmp_path, members, capsys)
    assert "never sent: the quarterly paper for 2022/23 Q2 to two@example.gov.uk" in out
    assert "reporting run --period '2022/23 Q2' --cadence quarterly" in out


def _published(tmp_path, cadence: str, due: tuple[str, ...]) -> None:
    """Write the manifest of a paper published for members, as the report flow does."""
    import json

    from reporting.automation.mail import mailing_due
    from reporting.layout import OutputLayout

    manifest = OutputLayout(tmp_path).manifest(Q2, Paper(cadence))
    manifest.parent.mkdir(parents=True, exist_ok=True)
    entry = mailing_due(EmailSettings(enabled=True, committee=due))
    manifest.write_text(json.dumps({"period": Q2.label, "cadence": cadence, **entry}),
                        encoding="utf-8")


def test_a_paper_published_whose_run_stopped_before_its_first_message_is_listed_as_never_sent(
        tmp_path, capsys):
    """A second operator review (H1): the two papers of a Q2 mail against one sent record;
    the six-monthly held it mid-send when the service stopped, and the quarterly, published
    and waiting for the record, had no entry in it at all: `reporting mail` said all clear."""
    from reporting.automation.mail import not_yet_sent
    from reporting.layout import OutputLayout

    members = ("one@example.gov.uk", "two@example.gov.uk")
    layout = OutputLayout(tmp_path)
    # Published, and stopped before any record was written: no record exists at all.
    _published(tmp_path, "quarterly", members)
    assert not_yet_sent(layout, members) == [(Q2, "quarterly", to) for to in members]
    # The six-monthly's mailing began (one message of unknown outcome); the quarterly's not.
    record = SentRecord(layout.sent_record(Q2))
    six = papers(Q2, Paper.SIX_MONTHLY, "Action Plan monitoring report", "Scrutiny Commission",
                 members, ())
    with record.hold():
        record.mark_sending(six[0])
    assert not_yet_sent(layout, members, Q2) == [
        (Q2, "quarterly", "one@example.gov.uk"), (Q2, "quarterly", "two@example.gov.uk"),
        (Q2, "six-monthly", "two@example.gov.uk")]
    # A member no longer on the committee is not listed; one sent the paper is not either.
    first, _ = _papers_to(members, tmp_path)
    with record.hold():
        record.mark_sent(first)
    assert not_yet_sent(layout, members[1:]) == [
        (Q2, "quarterly", "two@example.gov.uk"), (Q2, "six-monthly", "two@example.gov.uk")]
    # A paper published with email off was never due to anyone.
    _published(tmp_path / "off", "six-monthly", ())
    assert not_yet_sent(OutputLayout(tmp_path / "off"), members) == []
    # `reporting mail` lists it, with the command that sends it.
    out = _mail_listing(tmp_path, members, capsys)
    assert "never sent: the quarterly paper for 2022/23 Q2 to two@example.gov.uk" in out
    assert "one@example.gov.uk" not in out.split("never sent", 1)[1]
    assert "reporting run --period '2022/23 Q2' --cadence quarterly" in out


def test_reporting_mail_lists_what_is_unsettled_and_records_what_the_officer_says(
        tmp_path, capsys):
    record = SentRecord(tmp_path / Q2.path / "email-sent.json")
    lost, refused, went = (reminder(CHASE, Q2, "before"),
                           *_papers_to(("two@example.gov.uk", "three@example.gov.uk"),
                                       tmp_path))
    with record.hold():
        record.mark_sending(lost)
        record.mark_failed(refused, "550 No such mailbox")
        record.mark_sent(went)
    assert _mail(tmp_path, "--period", "2022/23 Q2") == 1  # something waits: a check sees it
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"outcome unknown: {lost.key}"
    assert lines[1].startswith(f"  to housing@example.gov.uk: {lost.subject}, ")
    assert lines[2] == f"  arrived:      reporting mail --received {lost.key}"
    assert lines[3] == f"  not arrived:  reporting mail --not-received {lost.key}"
    assert lines[4] == f"failed: {refused.key}"
    assert "550 No such mailbox (attempts: 1)" in lines[5]
    # No scheduled run reports on a past period again: the listing gives the run that sends it.
    assert lines[6] == ("  to send it again: this sends it, once (no scheduled run reports on "
                        "that period again): reporting run --period '2022/23 Q2' --cadence "
                        "quarterly")
    assert went.key not in "\n".join(lines)  # sent: nothing to settle

    # The lost reminder did arrive: recorded as sent, never sent again.
    assert _mail(tmp_path, "--received", lost.key, "--by", "P. Officer") == 0
    assert "recorded as sent: no run sends it again" in capsys.readouterr().out
    sent = record.read()["sent"][lost.key]
    assert sent["settled"].startswith("received, said by P. Officer")
    assert deliver(_email(free_port()), [lost], record).already_sent == [lost]

    # A message sent is not marked unsent, and an unknown key is refused, both in one line.
    assert _mail(tmp_path, "--not-received", went.key) == 2
    (said,) = capsys.readouterr().err.splitlines()
    assert f"{went.key} is recorded as sent (" in said and "is not marked" in said
    assert _mail(tmp_path, "--received", "papers/no-such-key") == 2
    (said,) = capsys.readouterr().err.splitlines()
    assert said.startswith(f"reporting: no message papers/no-such-key is recorded under "
                           f"{tmp_path}; `reporting mail` lists")
    assert _mail(tmp_path) == 1  # every period's record: the refused paper is still listed
    assert capsys.readouterr().out.splitlines()[0] == f"failed: {refused.key}"


def test_a_connection_lost_while_the_server_holds_the_message_is_not_retried(tmp_path):
    from reporting.automation.mail import OutcomeUnknown

    record = SentRecord(tmp_path / "email-sent.json")
    message = reminder(CHASE, Q2, "before")

    def cut_off(settings, mail):
        raise OutcomeUnknown("SMTPServerDisconnected while handing the message to the server")

    first = deliver(_email(free_port()), [message], record, cut_off)
    again = deliver(_email(free_port()), [message], record, cut_off)
    assert "SMTPServerDisconnected" in first.unknown[0][1]
    assert "with no outcome" in again.unknown[0][1]  # not tried again
    assert message.key in record.read()["sending"] and record.read()["failed"] == {}


def test_a_bad_second_address_does_not_stop_the_third(smtp_server, tmp_path):
    port, inbox = smtp_server()
    record = SentRecord(tmp_path / "email-sent.json")
    members = ("one@example.gov.uk", "two@example\n.gov.uk", "three@example.gov.uk")
    result = deliver(_email(port), _papers_to(members, tmp_path), record)
    assert sorted(to for (to,), _ in inbox.messages) == [
        "one@example.gov.uk", "three@example.gov.uk"]
    (bad, why), = result.failed
    assert bad.to == members[1] and "line break" in why
    failed = record.read()["failed"]
    assert [v["to"] for v in failed.values()] == [members[1]] and record.read()["sending"] == {}


def test_a_server_refusing_one_recipient_does_not_stop_the_next(smtp_server, tmp_path):
    from conftest import Inbox

    port, inbox = smtp_server()

    class RefusesTwo(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("two@"):
                return "550 5.1.1 No such mailbox"
            return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    from aiosmtpd.controller import Controller

    handler = RefusesTwo()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        record = SentRecord(tmp_path / "email-sent.json")
        result = deliver(_email(controller.port), _papers_to(MEMBERS, tmp_path), record)
    finally:
        controller.stop()
    assert sorted(to for (to,), _ in handler.messages) == [
        "one@example.gov.uk", "three@example.gov.uk"]
    assert [o.to for o, _ in result.failed] == ["two@example.gov.uk"]
    assert "No such mailbox" in result.failed[0][1]
    assert record.read()["sending"] == {}


def test_nothing_is_sent_while_mail_is_stopped(smtp_server, tmp_path):
    port, inbox = smtp_server()
    messages = _papers_to(MEMBERS, tmp_path)
    result = deliver(_email(port, stopped=True), messages, SentRecord(tmp_path / "s.json"))
    assert result.stopped and result.withheld == messages and result.sent == []
    assert inbox.messages == [] and not (tmp_path / "s.json").exists()


def test_a_bad_address_in_the_settings_is_one_line_naming_the_setting(tmp_path):
    import pytest

    from reporting.settings import ConfigError, address_problem, load_settings

    assert address_problem("member.one@example.gov.uk") == ""
    for bad in ("member\n.two@example.gov.uk", "two example@x.gov.uk", "@x.gov.uk",
                "two@", "two@exa_mple.gov.uk", "two@x..gov.uk", "two@x.gov.uk\x00"):
        assert address_problem(bad), bad
    base = ('[council]\nname = "Anytown District Council"\ncommittee = "Scrutiny"\n'
            '[plan]\ntitle = "Corporate Plan"\n')
    cases = {
        '[email]\ncommittee = ["one@example.gov.uk", "two@example\\n.gov.uk"]\n':
            "[email] committee item 2 must be an email address on one line",
        '[email]\npolicy_officer = "policy officer@example.gov.uk"\n':
            "[email] policy_officer must be an email address",
        '[contacts]\n"Housing" = { officer = "H", email = "housing@" }\n':
            "[contacts.Housing] email must be an email address",
    }
    for text, said in cases.items():
        path = tmp_path / "reporting.toml"
        path.write_text(base + text)
        with pytest.raises(ConfigError) as refused:
            load_settings(path)
        message = str(refused.value)
        assert said in message and len(message.splitlines()) == 1, message
    path.write_text(base + '[email]\npolicy_officer = "policy@example.gov.uk"\nstopped = true\n')
    email = load_settings(path).email
    assert email.policy_officer == "policy@example.gov.uk" and email.stopped


def test_a_paper_changed_after_it_was_sent_is_not_sent_again_and_the_policy_officer_is_told_once(
        smtp_server, tmp_path):
    port, inbox = smtp_server()
    record = SentRecord(tmp_path / "email-sent.json")
    settings = _email(port, policy_officer="policy@example.gov.uk")
    members = ("a@example.gov.uk", "b@example.gov.uk")
    messages = _papers_to(members, tmp_path)
    pdf = tmp_path / "paper.pdf"

    def published(data: bytes):  # a run publishes its paper, then makes its messages
        pdf.write_bytes(data)
        return papers(Q2, Paper.QUARTERLY, "Action Plan monitoring report", "Scrutiny Commission",
                      members, (pdf,))

    first = deliver(settings, messages, record)
    assert first.ok and len(inbox.messages) == 2 and first.changed == []
    same = deliver(settings, messages, record)  # the same paper again: nothing at all
    assert same.changed == [] and same.notices == [] and len(inbox.messages) == 2
    messages = published(b"%PDF-1.7 corrected")  # a late return came in
    corrected = deliver(settings, messages, record)
    assert [o.to for o, _ in corrected.changed] == ["a@example.gov.uk", "b@example.gov.uk"]
    assert corrected.sent == [] and corrected.ok
    assert len(inbox.messages) == 3  # no member sent it twice; the policy officer told
    to, notice = inbox.messages[2]
    assert to == ("policy@example.gov.uk",)
    assert notice["Subject"] == ("Papers changed after sending, the quarterly paper for "
                                 "2022/23 Q2: 2 members hold the earlier version")
    body = notice.get_body().get_content()
    assert "paper.pdf" in body and "a@example.gov.uk, sent " in body
    assert "not sent" in body and str(record.path) in body
    again = deliver(settings, messages, record)  # the same corrected version: told once
    assert len(again.changed) == 2 and again.notices == [] and len(inbox.messages) == 3
    deliver(settings, published(b"%PDF-1.7 corrected twice"), record)  # told again
    assert len(inbox.messages) == 4


def _header_lines(raw: bytes, name: bytes) -> list[bytes]:
    """Give the header `name` as it was written: its first line and any folded after it."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    start = next(i for i, line in enumerate(head) if line.lower().startswith(name.lower() + b":"))
    end = start + 1
    while end < len(head) and head[end][:1] in (b" ", b"\t"):
        end += 1
    return head[start:end]


def test_a_long_subject_goes_on_one_line_and_reads_back_the_same(smtp_server, tmp_path):
    port, inbox = smtp_server()
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7 pretend")
    words = "Health and Wellbeing Action Plan of the Borough Council "
    subject = (words * 4)[:200]
    outgoing = Outgoing("long/one", "a@example.gov.uk", subject, "A body line.\n" * 3, (pdf,))
    plain = Outgoing("long/two", "a@example.gov.uk", "Plan – Härborough " + subject[:180],
                     "Body\n")
    result = deliver(_email(port), [outgoing, plain], SentRecord(tmp_path / "sent.json"))
    assert result.ok and len(inbox.raw) == 2 and len(subject) == 200
    for raw, (_, mail), sent in zip(inbox.raw, inbox.messages, (outgoing, plain)):
        lines = _header_lines(raw, b"Subject")
        assert len(lines) == 1, lines  # never folded: one header line
        assert len(lines[0]) <= 998
        assert mail["Subject"] == sent.subject
    # The body and attachments are still written in MIME's short lines.
    body = inbox.raw[0].split(b"\r\n\r\n", 1)[1]
    assert max(len(line) for line in body.splitlines()) <= 78
    _, first = inbox.messages[0]
    assert [p.get_content() for p in first.iter_attachments()] == [b"%PDF-1.7 pretend"]


def _no_paper(why: str = "2022/23 Q2 has no returns folder (inputs/returns/2022-23-Q2)",
              paper: Paper = Paper.SIX_MONTHLY, period: Period = Q2) -> Outgoing:
    return no_paper_notice("policy@example.gov.uk", "Health Action Plan", "health", period,
                           paper, why, Path("outputs/2022-23-Q2/chase-list.csv"))


def test_no_paper_tells_the_policy_officer_once_for_the_period_and_paper(smtp_server, tmp_path):
    port, inbox = smtp_server()
    record = SentRecord(tmp_path / "email-sent.json")
    first = deliver(_email(port), [_no_paper()], record)
    again = deliver(_email(port), [_no_paper("no returns are in inputs/returns/2022-23-Q2")],
                    record)
    other_paper = deliver(_email(port), [_no_paper(paper=Paper.QUARTERLY)], record)
    assert first.ok and again.sent == [] and len(again.already_sent) == 1
    assert other_paper.ok and len(other_paper.sent) == 1
    assert [to for (to,), _ in inbox.messages] == ["policy@example.gov.uk"] * 2
    _, mail = inbox.messages[0]
    # The half year the six-monthly paper covers, as the schedule and the paper name it.
    assert mail["Subject"] == "Health Action Plan: no six-monthly paper for 2022/23 H1"
    body = mail.get_body().get_content()
    assert "No six-monthly paper was made for the Health Action Plan on 2022/23 H1 (April to " \
           "September 2022), because 2022/23 Q2 has no returns folder " \
           "(inputs/returns/2022-23-Q2)." in body
    assert "Nothing was sent to committee members" in body
    assert "outputs/2022-23-Q2/chase-list.csv" in body
    assert "reporting run --period '2022/23 Q2' --cadence six-monthly" in body
    assert set(record.read()["sent"]) == {"no-paper/health/2022-23-Q2/six-monthly",
                                          "no-paper/health/2022-23-Q2/quarterly"}


def test_no_paper_notice_names_the_installations_plan_in_the_command_to_run_again():
    notice = no_paper_notice("policy@example.gov.uk", "Climate Plan", "climate", Q2,
                             Paper.QUARTERLY, "no returns are in", Path("chase-list.csv"),
                             plan_name="climate plan")
    assert "reporting run --plan 'climate plan' --period '2022/23 Q2' --cadence quarterly" \
        in notice.body
    assert "--plan" not in _no_paper().body


def test_no_paper_notice_is_held_back_while_mail_is_stopped(smtp_server, tmp_path):
    port, inbox = smtp_server()
    record = SentRecord(tmp_path / "email-sent.json")
    held = deliver(_email(port, stopped=True), [_no_paper()], record)
    assert held.stopped and len(held.withheld) == 1 and inbox.messages == []
    assert deliver(_email(port), [_no_paper()], record).ok and len(inbox.messages) == 1


def test_what_sends_a_message_again_is_said_for_each_kind_of_message():
    """A third operator review (M1): after --not-received on a paper, nothing said which run
    sends it, and no scheduled run would (they report on later periods)."""
    from reporting.automation.mail import resend_words

    paper = resend_words("papers/2022-23-Q2/six-monthly/two@example.gov.uk", "corporate")
    assert paper.endswith("reporting run --plan corporate --period '2022/23 Q2' --cadence "
                          "six-monthly")
    assert "reminders run" in resend_words(reminder(CHASE, Q2, "after").key, None)
    # A run notice's: on the Prefect server the shell names, else serve's own (an operator
    # re-check: the bare `prefect deployment run` went to a temporary server and failed).
    run = "0b9f6c1e-0000-4000-8000-000000000001"
    notice = resend_words(f"run-failed/{run}/crashed", None)
    assert notice.endswith("(port 4200 unless reporting serve was given --port): "
                           "PREFECT_API_URL=http://127.0.0.1:4200/api .venv/bin/prefect "
                           "deployment run notify-policy-officer/notify-policy-officer "
                           f"--param flow_run={run}")
    shared = resend_words(f"run-failed/{run}/crashed", None, "http://prefect.internal:4200/api")
    assert "PREFECT_API_URL=http://prefect.internal:4200/api .venv/bin/prefect" in shared
    assert "unless" not in shared
    assert resend_words("papers/not-a-period/quarterly/x@example.gov.uk", None).startswith(
        "no run can tell which paper")
    assert resend_words("changed-since-sent/abc", None).startswith("no run sends it again")
