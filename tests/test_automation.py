"""Running unattended, without a Prefect server: settings, `reporting schedule`, the run lock,
the local server child process (with a stub in place of Prefect), and prefect.yaml."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT, free_port

from cli import main as cli
from reporting.automation.lock import RunInProgress, acquire
from reporting.settings import load_settings


def _main(argv: list[str]) -> int:
    return cli.main(argv)


# -- settings --------------------------------------------------------------------------

def test_the_bundled_settings_file_holds_the_schedules_email_and_contacts():
    settings = load_settings(ROOT / "reporting.toml")
    assert settings.schedule.quarterly_cron == "0 7 19-25 1,4,7,10 TUE"
    assert settings.schedule.six_monthly_cron == "0 7 19-25 4,10 TUE"
    assert settings.schedule.day_or is False
    assert str(settings.schedule.zone) == "Europe/London"
    assert settings.schedule.returns_deadline_working_days == 10
    assert settings.email.enabled is False
    assert settings.email.committee == ("scrutiny-members@harborough.gov.uk",)
    assert settings.contact_for("Health and Wellbeing").email == \
        "health.wellbeing@harborough.gov.uk"
    assert settings.contact_for("Leisure") is None


# -- reporting schedule ----------------------------------------------------------------

def test_schedule_prints_the_next_runs_and_the_period_each_reports_on(capsys):
    code = _main(["--config", str(ROOT / "reporting.toml"), "schedule", "--from",
                  "2022-12-01", "--count", "2"])
    out = capsys.readouterr().out
    assert code == 0
    # The first Tuesday on or after the 19th: after Easter 2023's deadline of 18 April.
    assert "Tue 24 Jan 2023 07:00 GMT  reports on 2022/23 Q3 (October to December 2022)" in out
    assert "Tue 25 Apr 2023 07:00 BST  reports on 2022/23 Q4 (January to March 2023)" in out
    assert "Tue 25 Apr 2023 07:00 BST  reports on 2022/23 H2 (October 2022 to March 2023)" in out
    assert "deadline day" not in out and "before the returns deadline" not in out
    assert "Wed 11 Jan 2023  before the 2022/23 Q3 deadline (Mon 16 Jan 2023)" in out
    assert "no period is open for returns now" in out


def test_schedule_shows_the_period_open_for_returns(capsys):
    _main(["--config", str(ROOT / "reporting.toml"), "schedule", "--from", "2022-10-03T09:00"])
    assert "open now for 2022/23 Q2 returns (deadline Fri 14 Oct 2022)" in capsys.readouterr().out


def test_schedule_refuses_a_date_it_cannot_read(capsys):
    assert _main(["schedule", "--from", "next tuesday"]) == 2
    assert "is not a date or time" in capsys.readouterr().err


def test_the_library_and_the_schedule_command_never_import_prefect():
    script = textwrap.dedent("""
        import pkgutil, sys, importlib, reporting
        for module in pkgutil.walk_packages(reporting.__path__, "reporting."):
            importlib.import_module(module.name)
        from cli import main as cli
        cli.main(["--config", "reporting.toml", "schedule", "--count", "1"])
        assert "prefect" not in sys.modules, "prefect was imported"
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr


# -- one run per period and paper ------------------------------------------------------

def test_a_second_run_is_told_who_holds_the_lock(tmp_path):
    path = tmp_path / "2022-23-Q2" / ".quarterly.lock"
    with acquire(path, "the 2022/23 Q2 quarterly report"):
        with pytest.raises(RunInProgress, match=rf"process {os.getpid()} on .*started"):
            acquire(path, "the 2022/23 Q2 quarterly report", wait_seconds=0.2, poll_seconds=0.05)
    acquire(path, "again").release()  # free once the first is done


def test_a_lock_is_freed_when_its_holder_is_killed(tmp_path):
    path = tmp_path / ".quarterly.lock"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from reporting.automation.lock import acquire
        lock = acquire({str(path)!r}, "test")
        print("held", flush=True)
        time.sleep(60)
    """)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunInProgress):
            acquire(path, "test")
        holder.kill()
        holder.wait()
        acquire(path, "test", wait_seconds=5).release()
    finally:
        holder.kill()


# -- the local Prefect server, with a stub in its place --------------------------------

STUB = textwrap.dedent("""
    # Stands in for `prefect server start`: healthy after a moment, with a child of its own.
    import http.server, subprocess, sys, time
    port, pids = int(sys.argv[1]), sys.argv[2]
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    open(pids, "w").write(f"{child.pid}")
    time.sleep(0.5)
    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/api/health" else 404)
            self.end_headers()
            self.wfile.write(b"true")
        def log_message(self, *args):
            pass
    http.server.HTTPServer(("127.0.0.1", port), Health).serve_forever()
""")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie left for its (dead) parent's reaper counts as gone
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[1].startswith("Z"))


def test_the_local_server_is_waited_for_and_stopped_with_its_children(tmp_path):
    from flows.local_server import LocalPrefectServer

    stub, pids, port = tmp_path / "stub.py", tmp_path / "pids", free_port()
    stub.write_text(STUB)
    server = LocalPrefectServer(tmp_path / "home", port=port, startup_timeout=20,
                                command=[sys.executable, str(stub), str(port), str(pids)])
    with server as url:
        assert url == f"http://127.0.0.1:{port}/api"
        assert server.process.poll() is None
        grandchild = int(pids.read_text())
        assert _alive(grandchild)
    assert server.process.returncode == -signal.SIGINT
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def test_a_server_that_exits_at_once_is_reported_with_its_log(tmp_path):
    from flows.local_server import LocalPrefectServer, ServerError

    server = LocalPrefectServer(tmp_path, port=free_port(), startup_timeout=20,
                                command=[sys.executable, "-c", "print('no database'); exit(3)"])
    with pytest.raises(ServerError, match="exited with status 3"):
        server.start()
    assert "no database" in server.log.read_text()


def test_a_port_in_use_is_refused_before_starting(tmp_path):
    import socket

    from flows.local_server import LocalPrefectServer, ServerError

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        server = LocalPrefectServer(tmp_path, port=busy.getsockname()[1])
        with pytest.raises(ServerError, match="in use"):
            server.start()
        assert server.process is None


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_stop_signal_leaves_a_run_through_its_local_server_which_is_stopped(
        tmp_path, monkeypatch, signum):
    """systemd's stop (SIGTERM) and a closed SSH session (SIGHUP) end the command cleanly."""
    import flows.local_server as local
    from prefect.settings import PREFECT_API_URL, temporary_settings

    stub, pids, port = tmp_path / "stub.py", tmp_path / "pids", free_port()
    stub.write_text(STUB)

    class StubServer(local.LocalPrefectServer):
        def __init__(self, home, port, tied):
            super().__init__(home, port=port, tied=tied, startup_timeout=20,
                             command=[sys.executable, str(stub), str(port), str(pids)])

    monkeypatch.setattr(local, "LocalPrefectServer", StubServer)
    monkeypatch.setattr(local, "free_port", lambda: port)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    before = signal.getsignal(signum)
    started = []
    with temporary_settings(restore_defaults={PREFECT_API_URL}):  # no server configured
        with pytest.raises(SystemExit) as stopped:
            with local.prefect_api(tmp_path, while_it_starts=lambda: started.append(1)) as server:
                assert started == [1]
                assert PREFECT_API_URL.value() == f"http://127.0.0.1:{port}/api"
                assert os.environ["PREFECT_API_URL"] == PREFECT_API_URL.value()  # for children
                os.kill(os.getpid(), signum)
                time.sleep(10)  # the handler raises SystemExit here
    assert stopped.value.code == 128 + signum
    assert server.process.returncode == -signal.SIGINT  # stopped on the way out
    assert "PREFECT_API_URL" not in os.environ
    assert signal.getsignal(signum) is before


def test_the_local_servers_ui_calls_the_api_on_the_servers_own_port(tmp_path, monkeypatch):
    from flows.local_server import LocalPrefectServer

    monkeypatch.setenv("PREFECT_API_URL", "http://elsewhere:4200/api")
    env = LocalPrefectServer(tmp_path, port=4322).environment()
    assert env["PREFECT_UI_API_URL"] == "http://127.0.0.1:4322/api"
    assert env["PREFECT_SERVER_API_PORT"] == "4322"
    assert "PREFECT_API_URL" not in env  # the server is not a client of another one


# -- prefect.yaml and the served deployments declare the same schedules ----------------

def test_the_bundled_prefect_yaml_is_the_one_its_settings_write():
    from flows.deployments import parameter_versions
    from reporting.automation.prefect_yaml import prefect_yaml
    from reporting.installation import installed_plans

    written = prefect_yaml(installed_plans(ROOT), parameter_versions())
    assert (ROOT / "prefect.yaml").read_text() == written, (
        "prefect.yaml is out of step with reporting.toml or the flows' parameters: run "
        "`reporting prefect-yaml`")


def test_a_workers_runs_get_the_projects_client_settings_from_prefect_yaml():
    """A worker's run imports Prefect before the flow, so importing `flows` is too late to
    set its retry codes: each deployment gives them in its run's environment (issue 21)."""
    import yaml

    from reporting.automation.run_environment import RUN_ENVIRONMENT

    assert RUN_ENVIRONMENT["PREFECT_CLIENT_RETRY_EXTRA_CODES"] == "500,504"
    declared = yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]
    for deployment in declared:
        assert deployment["work_pool"]["job_variables"]["env"] == RUN_ENVIRONMENT, \
            deployment["name"]
    # The systemd units' environment file says the same.
    example = (ROOT / "deploy" / "systemd" / "env.example").read_text().splitlines()
    for name, value in RUN_ENVIRONMENT.items():
        assert f"{name}={value}" in example, name


def test_a_change_to_a_flows_parameters_changes_its_version_in_prefect_yaml(monkeypatch):
    import yaml

    import flows.deployments as served
    from prefect import flow

    from reporting.automation.prefect_yaml import prefect_yaml
    from reporting.installation import installed_plans

    before = served.parameter_versions()
    assert len(set(before.values())) == len(served.FLOWS)  # each flow takes its own parameters

    @flow(name="reminders")
    def reminders(config: str | None = None, at: str | None = None) -> list[str]:
        return []  # the reminders as they were, every parameter a string

    monkeypatch.setitem(served.FLOWS, "reminders", reminders)
    after = served.parameter_versions()
    assert after["reminders"] != before["reminders"]
    assert {k: v for k, v in after.items() if k != "reminders"} == \
        {k: v for k, v in before.items() if k != "reminders"}
    declared = yaml.safe_load(prefect_yaml(installed_plans(ROOT), after))["deployments"]
    assert {d["name"]: d["version"] for d in declared}["reminders"] == after["reminders"]


def test_the_report_flows_form_offers_the_two_papers_and_refuses_a_bad_period():
    from prefect.exceptions import ParameterTypeError
    from prefect.utilities.schema_tools import validate

    from flows.scrutiny_report import scrutiny_report
    from reporting.cadence import PAPERS
    from reporting.period import Period

    schema = scrutiny_report.parameters.model_dump_for_openapi()
    fields = schema["properties"]
    assert fields["cadence"]["enum"] == [p.value for p in PAPERS]
    assert fields["cadence"]["default"] == "quarterly"
    assert "six-monthly (made at Q2 and Q4)" in fields["cadence"]["description"]
    assert "2022/23 Q2" in fields["period"]["description"]
    assert schema.get("required", []) == []  # a scheduled run gives none of them
    # Prefect reads the text into the library's own types, once, before the run starts.
    given = scrutiny_report.validate_parameters(
        {"period": "2022-23-Q2", "cadence": "six-monthly", "inputs": "inputs"})
    assert given["period"] == Period(2022, "Q", 2) and given["inputs"] == Path("inputs")
    assert scrutiny_report.validate_parameters({})["period"] is None  # the scheduled period
    for bad, why in (({"period": "2022/24 Q2"}, "not a financial year"),
                     ({"period": "Q2"}, "not a period"),
                     ({"period": "2022/23 Q5"}, "Q5 is not a period"),
                     ({"cadence": "annual"}, "'quarterly' or 'six-monthly'"),
                     ({"plan": "two words"}, "plan"),
                     ({"wait_for_other_run_seconds": -1}, "greater than or equal to 0")):
        with pytest.raises(ParameterTypeError, match=re.escape(why)):
            scrutiny_report.validate_parameters(bad)
    # The server, given the schema at deployment, refuses them too, from its JSON Schema.
    assert validate({"period": "2022/23 Q2", "cadence": "quarterly"}, schema,
                    raise_on_error=False) == []
    for bad in ({"period": "Q2"}, {"period": "2022/23 Q2 and Q3"}, {"cadence": "annual"}):
        assert validate(bad, schema, raise_on_error=False), bad


def _served_and_declared(plans):
    import yaml

    from flows.deployments import deployments, parameter_versions
    from reporting.automation.prefect_yaml import prefect_yaml

    declared = {d["name"]: d for d in yaml.safe_load(
        prefect_yaml(plans, parameter_versions()))["deployments"]}
    served = {d.name: d for d in deployments(plans)}
    return served, declared


def _assert_in_step(served, declared):
    import importlib

    assert set(declared) == set(served)
    for name, deployment in served.items():
        assert len(declared[name]["schedules"]) == len(deployment.schedules)
        if not deployment.schedules:  # the notify deployment: run by its automations
            assert [t["name"] for t in declared[name]["triggers"]] == \
                [t.name for t in deployment.triggers]
        for yaml_schedule, served_schedule in zip(declared[name]["schedules"],
                                                  deployment.schedules):
            schedule = served_schedule.schedule
            assert yaml_schedule["timezone"] == schedule.timezone
            if "cron" in yaml_schedule:
                assert yaml_schedule["cron"] == schedule.cron
            else:
                assert yaml_schedule["interval"] == schedule.interval.total_seconds()
                assert schedule.anchor_date.isoformat().startswith(yaml_schedule["anchor_date"])
        # Served runs get the settings file's full path; otherwise the parameters agree.
        params = {k: v for k, v in deployment.parameters.items() if k != "config"}
        assert {k: v for k, v in declared[name]["parameters"].items() if k != "config"} == params
        assert sorted(deployment.tags) == sorted(declared[name]["tags"])
        assert deployment.version == declared[name]["version"]
        assert deployment.entrypoint == declared[name]["entrypoint"]
        module, _, function = declared[name]["entrypoint"].rpartition(".")
        assert getattr(importlib.import_module(module), function).name == deployment.flow_name


def test_a_single_plan_installation_serves_the_four_deployments_prefect_yaml_declares():
    from reporting.installation import installed_plans

    served, declared = _served_and_declared(installed_plans(ROOT))
    assert set(served) == {"quarterly-report", "six-monthly-report", "intake-check", "reminders",
                           "notify-policy-officer"}
    _assert_in_step(served, declared)
    assert served["six-monthly-report"].parameters == {
        "config": str(ROOT / "reporting.toml"), "cadence": "six-monthly"}


def test_each_plan_of_several_is_served_as_prefect_yaml_declares_it(tmp_path):
    import shutil

    from reporting.installation import installed_plans

    for name, cron in (("corporate", "0 7 15 1,4,7,10 *"), ("climate", "30 6 20 2,5,8,11 *")):
        folder = tmp_path / "plans" / name
        folder.mkdir(parents=True)
        text = (ROOT / "reporting.toml").read_text()
        shutil.copy(ROOT / "reporting.toml", folder / "reporting.toml")
        (folder / "reporting.toml").write_text(
            text.replace('quarterly_cron = "0 7 19-25 1,4,7,10 TUE"', f'quarterly_cron = "{cron}"'))
    plans = installed_plans(tmp_path)
    served, declared = _served_and_declared(plans)
    _assert_in_step(served, declared)
    assert served["climate-quarterly-report"].schedules[0].schedule.cron == "30 6 20 2,5,8,11 *"
    assert served["corporate-quarterly-report"].schedules[0].schedule.cron == "0 7 15 1,4,7,10 *"
    for plan in ("corporate", "climate"):
        report = served[f"{plan}-six-monthly-report"]
        assert f"plan:{plan}" in report.tags
        assert report.parameters["plan"] == plan
        assert report.parameters["config"] == str(tmp_path / "plans" / plan / "reporting.toml")


def test_the_local_prefect_server_outlives_a_units_stop_until_it_is_stopped(tmp_path):
    """systemd's stop sends SIGTERM to every process of the unit at once, and a closed
    terminal SIGHUP: the local server must still answer, so that the run it serves can be
    recorded as ended, until the command that started it stops it (SIGINT)."""
    from flows.local_server import LocalPrefectServer, answers_health, free_port

    server = LocalPrefectServer(tmp_path / "home", port=free_port())
    with server as url:
        for signum in (signal.SIGTERM, signal.SIGHUP):
            os.killpg(server.process.pid, signum)
        time.sleep(2)
        assert server.process.poll() is None and answers_health(url)
    assert server.process.returncode == 0  # a clean stop on SIGINT
    assert not answers_health(url)


# -- a plan's end: [plan] ends (issue 20) ------------------------------------------------

def test_schedule_marks_each_run_on_a_period_after_the_plan_ends(tmp_path, capsys):
    text = (ROOT / "reporting.toml").read_text(encoding="utf-8")
    assert '# ends = "2023/24 Q4"' in text
    config = tmp_path / "reporting.toml"
    config.write_text(text.replace('# ends = "2023/24 Q4"', 'ends = "2022/23"'),
                      encoding="utf-8")
    assert _main(["--config", str(config), "schedule", "--from", "2022-12-01",
                  "--count", "3"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "reports on" in line]
    mark = "(after the plan ends (2022/23 Q4): roll the plan over first)"
    marked = {line.split("reports on ")[1].split(" (")[0]: mark in line for line in lines}
    assert marked == {"2022/23 Q3": False, "2022/23 Q4": False, "2023/24 Q1": True,
                      "2022/23 H2": False, "2023/24 H1": True, "2023/24 H2": True}, lines


def test_a_planned_run_is_marked_only_when_its_whole_period_is_after_the_plan():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from reporting.automation.schedule import planned_report_runs
    from reporting.cadence import Paper
    from reporting.cron import Cron
    from reporting.period import Period

    london = ZoneInfo("Europe/London")
    cron = Cron.parse("0 7 19-25 4,10 TUE", day_or=False)
    runs = planned_report_runs(Paper.SIX_MONTHLY, cron, london,
                               datetime(2023, 1, 1, tzinfo=london), 3, 10,
                               plan_ends=Period.parse("2023/24 Q1"))
    # H1 2023/24 holds the plan's last quarter: its paper is still the plan's.
    assert [(r.period.label, "roll the plan over" in r.note) for r in runs] == [
        ("2022/23 H2", False), ("2023/24 H1", False), ("2023/24 H2", True)]
    unbounded = planned_report_runs(Paper.SIX_MONTHLY, cron, london,
                                    datetime(2023, 1, 1, tzinfo=london), 3, 10)
    assert not any("plan" in r.note for r in unbounded)
