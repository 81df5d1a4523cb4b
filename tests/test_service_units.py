"""The systemd units of deploy/systemd, as scripts/install-service.sh writes them (issue 21)."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNITS = ("scrutiny-prefect-server.service", "scrutiny-reporting.service",
         "scrutiny-worker@.service")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("units")
    subprocess.run(["sh", str(ROOT / "scripts" / "install-service.sh"), "--render",
                    str(folder), "--user", "council-reports", str(ROOT)], check=True)
    return folder


def _unit(folder: Path, name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read_string((folder / name).read_text())
    return unit


@pytest.mark.parametrize("name", UNITS)
def test_each_unit_runs_the_installation_as_its_service_user_and_stops_as_systemd_does(
        rendered, name):
    service = _unit(rendered, name)["Service"]
    assert service["User"] == service["Group"] == "council-reports"
    assert service["WorkingDirectory"] == str(ROOT)
    assert service["EnvironmentFile"] == "/etc/scrutiny-reporting/env"
    # systemd's default stop, said outright: SIGTERM to the whole group, then SIGKILL.
    assert service["KillMode"] == "control-group" and service["KillSignal"] == "SIGTERM"
    assert 0 < int(service["TimeoutStopSec"]) <= 90
    assert service["Restart"] == "on-failure"
    program = Path(service["ExecStart"].split()[0])
    assert program.parent == ROOT / ".venv" / "bin"
    assert os.access(program, os.X_OK), f"{program} is not installed"
    assert "@" not in (rendered / name).read_text().replace("%i", "").replace(
        "scrutiny-worker@", ""), "a placeholder was left in"


def test_the_schedules_start_after_the_server_and_the_environment_file_is_filled_in(rendered):
    unit = _unit(rendered, "scrutiny-reporting.service")["Unit"]
    assert "scrutiny-prefect-server.service" in unit["After"].split()
    assert "scrutiny-prefect-server.service" in unit["Wants"].split()  # one machine: start it
    env = dict(line.split("=", 1) for line in (rendered / "env").read_text().splitlines()
               if line and not line.startswith("#"))
    assert env["SCRUTINY_REPORTING_HOME"] == str(ROOT)
    assert env["PREFECT_API_URL"].endswith("/api")
    assert env["PREFECT_CLIENT_RETRY_EXTRA_CODES"] == "500,504"


def test_a_worker_is_ordered_after_the_server_but_never_starts_one(rendered):
    # Stopped before the server (the reverse of After=), so its run's end reaches the API;
    # a worker on another machine, whose API is elsewhere, pulls in no server of its own.
    unit = _unit(rendered, "scrutiny-worker@.service")["Unit"]
    assert "scrutiny-prefect-server.service" in unit["After"].split()
    for pulls in ("Wants", "Requires", "BindsTo", "Requisite"):
        assert "scrutiny-prefect-server.service" not in unit.get(pulls, "").split(), pulls
    # The server, likewise, is ordered after PostgreSQL without starting it.
    server = _unit(rendered, "scrutiny-prefect-server.service")["Unit"]
    assert "postgresql.service" in server["After"].split()
    assert "postgresql.service" not in server.get("Wants", "").split()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_units(rendered):
    named = [rendered / name for name in UNITS if "@." not in name]
    named.append(rendered / "scrutiny-worker@1.service")
    shutil.copy(rendered / "scrutiny-worker@.service", named[-1])
    done = subprocess.run(["systemd-analyze", "verify", *map(str, named)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_the_installer_refuses_to_install_without_root_or_with_an_odd_user(tmp_path):
    if os.geteuid() != 0:
        done = subprocess.run(["sh", str(ROOT / "scripts" / "install-service.sh"), str(ROOT)],
                              capture_output=True, text=True)
        assert done.returncode == 2 and "run as root" in done.stderr
    done = subprocess.run(["sh", str(ROOT / "scripts" / "install-service.sh"), "--render",
                           str(tmp_path), "--user", "a;b", str(ROOT)],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "plain user name" in done.stderr
