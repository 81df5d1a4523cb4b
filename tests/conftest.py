"""Shared fixtures: small plans and returns built in memory, and the bundled inputs."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import warnings
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Prefect's state stays inside the project, never in the user's home.
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Rendered documents are cached in Prefect's result store; a fresh store each session lets a
# test see its own first render (and leaves the project's cache alone).
_RESULTS = tempfile.mkdtemp(prefix="prefect-results-")
atexit.register(shutil.rmtree, _RESULTS, True)
os.environ.setdefault("PREFECT_RESULTS_LOCAL_STORAGE_PATH", _RESULTS)
sys.path.insert(0, str(Path(__file__).parent))

from reporting.cadence import Cadence, Paper  # noqa: E402
from reporting.intake.returns import Return, ReturnRow  # noqa: E402
from reporting.plan import Action, Milestone, Plan, Priority  # noqa: E402
from reporting.status import parse_status  # noqa: E402

BUNDLED_INPUTS = ROOT / "inputs"
BUNDLED_PLAN = BUNDLED_INPUTS / "plan" / "health-and-wellbeing-action-plan-2022-23.xlsx"


def make_action(action_id: str = "1.a", **values) -> Action:
    fields = dict(
        id=action_id,
        priority=action_id.split(".")[0],
        objective=f"Objective {action_id}",
        what_we_will_do=f"Do {action_id}",
        by_when="2022/23",
        due_date=date(2023, 3, 31),
        who_will_deliver="Regulatory Services, partners",
        leads=("Regulatory Services",),
        partners="Partners",
        target=f"Target {action_id}",
        cadence=Cadence.QUARTERLY,
        milestones=(f"Milestone {action_id}",),
    )
    fields.update(values)
    if "lead_service_area" in fields:  # one lead named as the plan sheet would
        lead = fields.pop("lead_service_area")
        fields["leads"] = (lead,) if lead else ()
    fields["milestones"] = tuple(m if isinstance(m, Milestone) else Milestone(m)
                                 for m in fields["milestones"])
    return Action(**fields)


def make_plan(*actions: Action) -> Plan:
    numbers = sorted({a.priority for a in actions}, key=lambda k: (len(k), k))
    return Plan(
        priorities=tuple(Priority(n, f"Priority title {n}") for n in numbers),
        actions=tuple(actions),
        source=Path("plan.xlsx"),
    )


def make_row(action_id: str = "1.a", status: str = "On track",
             update: str = "Going well.", row: int = 8, **values) -> ReturnRow:
    fields = dict(
        action_id=action_id,
        raw_action_id=action_id,
        milestone="",
        status=parse_status(status),
        status_text=status,
        progress_update=update,
        revised_date=None,
        reason_for_revised_date="",
        date_achieved=None,
        evidence="",
        next_steps="",
        cells={c: f"Return!{letter}{row}" for c, letter in (
            ("Action ID", "A"), ("Status", "D"), ("Progress update", "E"),
            ("Revised date", "F"))},
    )
    fields.update(values)
    return ReturnRow(**fields)


def make_return(service: str = "Regulatory Services", *rows: ReturnRow, **values) -> Return:
    fields = dict(path=Path(f"{service.lower().replace(' ', '-')}.xlsx"),
                  service_area=service, approved_by="A. Manager", sheet="Return",
                  rows=tuple(rows))
    fields.update(values)
    return Return(**fields)


@pytest.fixture(scope="session")
def bundled_plan():
    from reporting.plan import load_plan

    return load_plan(BUNDLED_PLAN)


@pytest.fixture(scope="session")
def prefect_harness():
    """Start Prefect's test API once per session (it takes about 20 s here)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping what it receives; `refuse` answers every recipient 550."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.messages = []
        self.raw = []  # the bytes as they came over the wire

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.7.1 Relaying refused"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.raw.append(envelope.content)
        self.messages.append((tuple(envelope.rcpt_tos),
                              message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """Start SMTP servers on 127.0.0.1 for a test: `start(refuse=False, login=None)` gives
    (port, inbox); `login` is a (user, password) the server insists on."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    controllers = []

    def start(refuse: bool = False, login: tuple[str, str] | None = None, port: int = 0):
        inbox = Inbox(refuse)
        options = {}
        if login:
            def check(server, session, envelope, mechanism, data):
                ok = (data.login.decode(), data.password.decode()) == login
                return AuthResult(success=ok)
            # Plain-text AUTH is fine on 127.0.0.1 in a test; aiosmtpd warns about it anyway.
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            options = dict(authenticator=check, auth_required=True, auth_require_tls=False)
        controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port(),
                                **options)
        controller.start()
        controllers.append(controller)
        return controller.port, inbox

    yield start
    for controller in controllers:
        controller.stop()


def raise_flags(merged, previous=None, intake=None):
    """Give the findings one report presents on `merged` (the checks, without the pipeline)."""
    from reporting.checks import check_returns, report_findings

    return report_findings(merged, check_returns(merged.updates, previous, intake))


def make_settings(**values):
    """Give Settings for a test council (the library has no council's defaults)."""
    from reporting.settings import Settings

    fields = dict(council="Testshire District Council", committee="Scrutiny Committee",
                  plan_title="Test Action Plan")
    fields.update(values)
    return Settings(**fields)


def prepare(plan, returns, paper=Paper.QUARTERLY, period="2022/23 Q2", previous=(),
            settings=None, produced=None):
    """Give the PreparedReport the pipeline makes of a small plan and its returns."""
    from datetime import datetime

    from reporting.period import Period
    from reporting.pipeline import PeriodInputs, prepare_report

    period = Period.parse(period) if isinstance(period, str) else period
    inputs = PeriodInputs(period, plan, tuple(returns), tuple(previous), Path("."))
    return prepare_report(settings or make_settings(), inputs, paper,
                          produced or datetime(2022, 11, 1, 9, 30).astimezone())


def settings_file(folder: Path, port: int | None = None, cleared_first: bool = False) -> Path:
    """Write a reporting.toml for a test: the bundled one, with email on when `port` is given
    (and papers mailed uncleared, unless `cleared_first`)."""
    text = (BUNDLED_INPUTS.parent / "reporting.toml").read_text()
    if port is not None:
        changes = {
            "# required = true": "required = true" if cleared_first else "required = false",
            "enabled = false": "enabled = true",
            'host = "localhost"': 'host = "127.0.0.1"\nretry_delays_seconds = [0.2, 0.2]\n'
                                  "timeout_seconds = 5",
            "port = 25": f"port = {port}",
            'committee = ["scrutiny-members@harborough.gov.uk"]':
                'committee = ["member.one@example.gov.uk", "member.two@example.gov.uk"]',
        }
        for old, new in changes.items():
            assert text.count(old) == 1, f"reporting.toml no longer says {old!r}"
            text = text.replace(old, new)
    path = folder / "reporting.toml"
    path.write_text(text)
    return path
