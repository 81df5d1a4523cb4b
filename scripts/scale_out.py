"""Run Prefect's distributed set-up for real on this machine, and time it: `make scale-out`.

What docs/operations.md ("Scaling out") tells a council to do, done here step by step in a
temporary folder, so that the document and this script cannot drift apart:

  1. PostgreSQL: a cluster of its own, owned by the `postgres` user, listening on loopback
     only on a free port, with a `prefect` role and database (Debian's packages are
     installed by `scripts/ensure-system-packages.sh --scale-out`; no default cluster).
  2. A Prefect server on that database (its own PREFECT_HOME, a free port).
  3. The installation every worker uses (SCRUTINY_REPORTING_HOME): six plans under
     plans/<name>/ (the bundled one and five made by benchmarks/generate.py, of 25, 50,
     100, 250 and 250 actions), a result store shared by the workers
     (PREFECT_RESULTS_LOCAL_STORAGE_PATH) and `prefect.yaml` written by
     `reporting prefect-yaml`.
  4. A process work pool `scrutiny`, and the deployments (`prefect deploy --all`).
  5. The six-monthly 2022/23 Q2 report of every plan, run through one worker and then, with
     the plans' outputs and the result store cleared, through two (each `--limit 1`); each
     round's papers are checked (the PDF has pages, the Word file opens, the HTML is there,
     and each names its plan's title).

The last two lines it prints are the rounds, one worker then two:

    plans=6 workers=1 wall_s=<s> papers_ok=<n>
    plans=6 workers=2 wall_s=<s> papers_ok=<n>

wall_s runs from submitting the six runs to the last one finishing. It exits 0 only when
every plan's papers checked out in both rounds. Whatever happens (an error, Ctrl-C,
SIGTERM) it stops everything it started and removes its temporary folder (`--keep` keeps
the folder, with every log, for a look afterwards).

Run: .venv/bin/python scripts/scale_out.py [--keep] [--prefect-yaml FILE]
"""

from __future__ import annotations

import argparse
import glob
import html
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from flows.local_server import answers_health  # noqa: E402
from reporting.settings import load_settings  # noqa: E402

BIN = Path(sys.executable).parent  # the project's .venv/bin: prefect, reporting
PERIOD = "2022/23-Q2"
PERIOD_PATH = "2022-23-Q2"
PAPER = "six-monthly"
POOL = "scrutiny"
# The plans: name -> (actions, service areas, seed); None is the bundled plan.
PLANS: dict[str, tuple[int, int, int] | None] = {
    "harborough": None,
    "corporate-25": (25, 9, 6),
    "corporate-50": (50, 12, 6),
    "corporate-100": (100, 18, 6),
    "corporate-250": (250, 30, 6),
    "districts-250": (250, 30, 7),
}
# A worker asks the server for work this often (Prefect's default is 10 s); a run waiting
# in the queue costs at most this long.
WORKER_QUERY_SECONDS = "2"
ROUND_TIMEOUT_SECONDS = 1800
# Every process this script starts carries this variable (set to its temporary folder), so
# that none can be left behind unnoticed.
MARKER = "SCRUTINY_SCALE_OUT_RUN"
TMP_PREFIX = "scrutiny-scale-out-"


class StepFailed(RuntimeError):
    """A step of the set-up failed: its name, what went wrong and the tail of its log."""

    def __init__(self, step: str, message: str, log: Path | None = None) -> None:
        text = f"step '{step}' failed: {message}"
        if log is not None and log.exists():
            tail = log.read_text(errors="replace").splitlines()[-30:]
            text += f"\n--- last lines of {log} ---\n" + "\n".join(tail)
        super().__init__(text)


class Interrupted(BaseException):
    """SIGINT, SIGTERM or SIGHUP arrived: stop and clean up."""


def say(text: str) -> None:
    print(text, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(step: str, command: list[str], log: Path, **kwargs) -> None:
    """Run `command` to the end with its output appended to `log`; fail the step if it fails."""
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(command)}\n".encode())
        out.flush()
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, check=False, **kwargs)
    if done.returncode != 0:
        raise StepFailed(step, f"{command[0]} exited with status {done.returncode}", log)


# -- processes: started in their own process group, stopped with everything they started --

@dataclass
class Children:
    """The long-running processes this script started (PostgreSQL, the server, workers),
    newest last."""

    started: list[tuple[str, subprocess.Popen, Path]] = field(default_factory=list)

    def start(self, name: str, command: list[str], env: dict[str, str], log: Path,
              cwd: Path | None = None, user: str | None = None) -> subprocess.Popen:
        # Its own session (a signal to this script is not theirs; we stop them in order),
        # and stopped by the kernel if this script dies, even by kill -9: setpriv (from
        # util-linux) sets the parent-death signal, and the user if one is given, then runs
        # the command in its own place.
        setpriv = ["setpriv", "--pdeathsig", "TERM"]
        if user:
            setpriv += [f"--reuid={user}", f"--regid={user}", "--init-groups"]
        with log.open("ab") as out:
            process = subprocess.Popen([*setpriv, "--", *command],
                                       env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        self.started.append((name, process, log))
        return process

    def check_alive(self) -> None:
        for name, process, log in self.started:
            if process.poll() is not None:
                raise StepFailed(name, f"it exited with status {process.returncode}", log)

    def stop(self, name: str | None = None, timeout: float = 20) -> None:
        """Stop one child (by name), or all, newest first: SIGTERM to the group, then SIGKILL."""
        for entry in reversed(list(self.started)):
            child, process, _ = entry
            if name is not None and child != name:
                continue
            for signum in (signal.SIGTERM, signal.SIGKILL):
                if process.poll() is not None:
                    break
                try:
                    os.killpg(process.pid, signum)
                except ProcessLookupError:
                    break
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    continue
            _kill_group(process.pid)  # what the child started and left in its group
            self.started.remove(entry)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def leftovers(marker_value: str) -> list[int]:
    """Give the ids of processes still running with this run's marker in their environment."""
    needle = f"{MARKER}={marker_value}".encode()
    found = []
    for environ in glob.glob("/proc/[0-9]*/environ"):
        pid = int(environ.split("/")[2])
        if pid == os.getpid():
            continue
        try:
            if needle in Path(environ).read_bytes().split(b"\0"):
                found.append(pid)
        except OSError:
            pass
    return found


def remove_stale_folders() -> None:
    """Remove the temporary folder of an earlier run killed with -9 (its processes died with
    it, but it could not clean up): one whose script is gone and whose marker no running
    process carries."""
    for folder in Path(tempfile.gettempdir()).glob(f"{TMP_PREFIX}*"):
        try:
            owner = int((folder / "scale-out.pid").read_text())
            os.kill(owner, 0)
            continue  # that run is still going
        except (OSError, ValueError):
            pass
        if folder.is_dir() and not leftovers(str(folder)):
            say(f"removing {folder}, left by an earlier run that was killed")
            shutil.rmtree(folder, ignore_errors=True)


# -- step 1: PostgreSQL in a temporary folder ---------------------------------------------

@dataclass
class Postgres:
    """A cluster owned by `postgres`, on 127.0.0.1 only, in `folder`, its server run as one
    of `children` (so it dies with this script) and stopped with `pg_ctl stop`."""

    folder: Path
    children: Children
    port: int = field(default_factory=free_port)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    started: bool = False

    @property
    def bin(self) -> Path:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                       key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
        if not found:
            raise StepFailed("postgresql", "no /usr/lib/postgresql/*/bin/initdb: run "
                             "`bash scripts/ensure-system-packages.sh --scale-out` first")
        return Path(found[-1]).parent

    @property
    def log(self) -> Path:
        return self.folder / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://prefect:{self.password}@127.0.0.1:{self.port}/prefect"

    def _as_postgres(self, step: str, *command: str | Path) -> None:
        run(step, ["runuser", "-u", "postgres", "--", *map(str, command)], self.log,
            cwd=self.folder)

    def create(self) -> None:
        self.folder.mkdir()
        shutil.chown(self.folder, "postgres", "postgres")
        data, sockets = self.folder / "data", self.folder / "sockets"
        self._as_postgres("postgresql: initdb", self.bin / "initdb", "-D", data, "-U",
                          "postgres", "--auth-local=peer", "--auth-host=scram-sha-256",
                          "--encoding=UTF8", "--no-locale")
        self._as_postgres("postgresql: sockets folder", "mkdir", sockets)
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(f"\n# scripts/scale_out.py\nlisten_addresses = '127.0.0.1'\n"
                       f"port = {self.port}\nunix_socket_directories = '{sockets}'\n")
        self.children.start("postgresql", [str(self.bin / "postgres"), "-D", str(data)],
                            {**os.environ, "LC_ALL": "C"}, self.folder / "server.log",
                            cwd=self.folder, user="postgres")
        self.started = True
        self._wait_until_ready(sockets)
        psql = [self.bin / "psql", "-h", sockets, "-p", str(self.port), "-U", "postgres",
                "-v", "ON_ERROR_STOP=1", "-q", "-d", "postgres", "-c"]
        self._as_postgres("postgresql: create role", *psql,
                          f"CREATE ROLE prefect LOGIN PASSWORD '{self.password}'")
        self._as_postgres("postgresql: create database", *psql,
                          "CREATE DATABASE prefect OWNER prefect")

    def _wait_until_ready(self, sockets: Path) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            self.children.check_alive()
            ready = subprocess.run([str(self.bin / "pg_isready"), "-q", "-h", str(sockets),
                                    "-p", str(self.port)], check=False)
            if ready.returncode == 0:
                return
            time.sleep(0.3)
        raise StepFailed("postgresql: start", "not ready in 60 s", self.folder / "server.log")

    def stop(self) -> None:
        if self.started:
            try:
                self._as_postgres("postgresql: stop", self.bin / "pg_ctl", "-D",
                                  self.folder / "data", "-m", "fast", "-w", "stop")
            except StepFailed as failed:
                say(str(failed))
            self.started = False


# -- step 3: the installation the workers use ---------------------------------------------

def build_plans(project: Path) -> dict[str, str]:
    """Write plans/<name>/ (reporting.toml, inputs/, outputs/); give each plan's title."""
    titles = {}
    for name, size in PLANS.items():
        folder = project / "plans" / name
        if size is None:
            _copy_bundled(folder)
        else:
            _generate(folder, name, *size)
        (folder / "outputs").mkdir(exist_ok=True)
        titles[name] = load_settings(folder / "reporting.toml").plan_title
        _settle(folder / "inputs")
    return titles


def _copy_bundled(folder: Path) -> None:
    settings = load_settings(ROOT / "reporting.toml")
    folder.mkdir(parents=True)
    shutil.copytree(settings.inputs, folder / "inputs")
    text = (ROOT / "reporting.toml").read_text(encoding="utf-8")
    # The bundled settings already say inputs = "inputs", outputs = "outputs" (relative to
    # the file); check it, so a change there cannot quietly point a plan at another folder.
    if not re.search(r'(?m)^inputs = "inputs"$', text) or \
            not re.search(r'(?m)^outputs = "outputs"$', text):
        raise StepFailed("plans", "reporting.toml's [paths] are no longer inputs/ and "
                         "outputs/: update _copy_bundled in scripts/scale_out.py")
    (folder / "reporting.toml").write_text(text, encoding="utf-8")


def _generate(folder: Path, name: str, actions: int, services: int, seed: int) -> None:
    generate(folder / "inputs", actions, services, seed, period=PERIOD)
    written = folder / "inputs" / "reporting.toml"
    text = written.read_text(encoding="utf-8")
    text, paths = re.subn(r'(?m)^inputs = "\."$', 'inputs = "inputs"', text)
    text, titles = re.subn(r'(?m)^title = "(.*)\)"$', rf'title = "\1, {name})"', text)
    if paths != 1 or titles != 1:
        raise StepFailed("plans", f"benchmarks/generate.py's settings changed shape; "
                         f"update _generate in scripts/scale_out.py ({written})")
    (folder / "reporting.toml").write_text(text, encoding="utf-8")
    written.unlink()


def _settle(inputs: Path) -> None:
    """Date the returns an hour back: they came in long before the report runs (a file
    modified in the last [intake] settle_seconds is left for the next run)."""
    an_hour_ago = time.time() - 3600
    for path in (inputs / "returns").rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))


def clear_round(project: Path, store: Path) -> None:
    """Empty every plan's outputs and the result store, so the next round renders again."""
    for outputs in (project / "plans").glob("*/outputs"):
        shutil.rmtree(outputs)
        outputs.mkdir()
    shutil.rmtree(store, ignore_errors=True)
    store.mkdir(parents=True)


# -- step 5: the runs and their papers ----------------------------------------------------

@dataclass
class RunResult:
    plan: str
    state: str
    message: str
    seconds: float | None  # the flow run's own time, start to end


def run_round(plans: list[str], children: Children) -> tuple[float, dict[str, RunResult]]:
    """Submit the six-monthly report of every plan; wait for all; give (wall s, results)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        deployments = {plan: client.read_deployment_by_name(
            f"scrutiny-report/{plan}-six-monthly-report") for plan in plans}
        submitted = datetime.now(UTC)
        ids = {}
        for plan, deployment in deployments.items():
            ids[client.create_flow_run_from_deployment(
                deployment.id, parameters={"period": PERIOD}).id] = plan
        deadline = time.monotonic() + ROUND_TIMEOUT_SECONDS
        while True:
            runs = client.read_flow_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(ids))))
            if runs and len(runs) == len(ids) and all(r.state and r.state.is_final()
                                                      for r in runs):
                break
            if time.monotonic() > deadline:
                raise StepFailed("runs", f"not all finished in {ROUND_TIMEOUT_SECONDS} s: " +
                                 ", ".join(f"{ids[r.id]} {r.state_name}" for r in runs))
            children.check_alive()
            time.sleep(1)
    last_end = max(r.end_time or datetime.now(UTC) for r in runs)
    results = {}
    for r in runs:
        seconds = (r.end_time - r.start_time).total_seconds() \
            if r.start_time and r.end_time else None
        results[ids[r.id]] = RunResult(ids[r.id], r.state_name, (r.state.message or "")[:300],
                                       seconds)
    return (last_end - submitted).total_seconds(), results


def check_papers(folder: Path, title: str) -> list[str]:
    """Give what is wrong with a plan's six-monthly papers (nothing: they checked out)."""
    import docx
    from pypdf import PdfReader

    papers = folder / "outputs" / PERIOD_PATH / PAPER
    stem = f"scrutiny-report-{PERIOD_PATH}-{PAPER}"
    problems = []
    pdf, word, page = (papers / f"{stem}.{kind}" for kind in ("pdf", "docx", "html"))
    try:
        pages = PdfReader(pdf).pages
        front = " ".join(" ".join(sheet.extract_text().split()) for sheet in pages[:2])
        if not len(pages):
            problems.append(f"{pdf.name} has no pages")
        elif " ".join(title.split()) not in front:
            problems.append(f"{pdf.name}'s first pages do not name {title!r}")
    except Exception as error:  # noqa: BLE001 - any failure to read is the finding
        problems.append(f"{pdf.name} does not open: {error}")
    try:
        document = docx.Document(word)
        text = "\n".join([*(p.text for p in document.paragraphs),
                          *(c.text for t in document.tables for row in t.rows for c in row.cells)])
        if title not in text:
            problems.append(f"{word.name} does not name {title!r}")
    except Exception as error:  # noqa: BLE001
        problems.append(f"{word.name} does not open: {error}")
    if not page.is_file():
        problems.append(f"{page.name} is missing")
    elif title not in html.unescape(page.read_text(encoding="utf-8")):
        problems.append(f"{page.name} does not name {title!r}")
    return problems


# -- the whole run ------------------------------------------------------------------------

@dataclass
class Round:
    workers: int
    wall_s: float
    papers_ok: int
    results: dict[str, RunResult]

    @property
    def line(self) -> str:
        return (f"plans={len(PLANS)} workers={self.workers} wall_s={self.wall_s:.1f} "
                f"papers_ok={self.papers_ok}")


class ScaleOut:
    """The steps in order (`run`), and what they started, for `cleanup` to stop."""

    def __init__(self, tmp: Path, prefect_yaml: Path | None) -> None:
        self.tmp = tmp
        self.prefect_yaml = prefect_yaml
        self.project = tmp / "project"  # SCRUTINY_REPORTING_HOME: the same path everywhere
        self.store = self.project / ".prefect" / "storage"  # the shared result store
        self.logs = tmp / "logs"
        self.children = Children()
        self.postgres = Postgres(tmp / "postgresql", self.children)
        self.api_url = ""
        self.titles: dict[str, str] = {}

    def env(self, home: str, **extra: str) -> dict[str, str]:
        """The environment of a Prefect process: what docs/operations.md says to set."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        (self.tmp / "homes" / home).mkdir(parents=True, exist_ok=True)
        env.update({
            MARKER: str(self.tmp),
            "PREFECT_HOME": str(self.tmp / "homes" / home),
            "SCRUTINY_REPORTING_HOME": str(self.project),
            "PREFECT_RESULTS_LOCAL_STORAGE_PATH": str(self.store),
        })
        if self.api_url:
            env["PREFECT_API_URL"] = self.api_url
        env.update(extra)
        return env

    def run(self) -> list[Round]:
        self.logs.mkdir()
        say(f"== PostgreSQL: a cluster in {self.postgres.folder}")
        self.postgres.create()
        say(f"   listening on 127.0.0.1:{self.postgres.port}, database prefect")
        self.start_server()
        say("== the installation: six plans")
        self.titles = build_plans(self.project)
        self.store.mkdir(parents=True)
        for name, title in self.titles.items():
            say(f"   plans/{name}: {title}")
        self.deploy()
        rounds = []
        for workers in (1, 2):
            clear_round(self.project, self.store)
            rounds.append(self.round(workers))
        return rounds

    def start_server(self) -> None:
        port = free_port()
        say(f"== the Prefect server on PostgreSQL, port {port}")
        env = self.env("server", PREFECT_API_DATABASE_CONNECTION_URL=self.postgres.url,
                       PREFECT_SERVER_ANALYTICS_ENABLED="false",
                       # The rounds' runs are the only ones: no scheduled runs in between.
                       PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
                       PREFECT_UI_ENABLED="false")
        log = self.logs / "server.log"
        self.children.start("server", [str(BIN / "prefect"), "server", "start", "--host",
                                       "127.0.0.1", "--port", str(port)], env, log)
        url = f"http://127.0.0.1:{port}/api"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            self.children.check_alive()
            if answers_health(url):
                break
            time.sleep(0.5)
        else:
            raise StepFailed("server", "no answer from /api/health in 180 s", log)
        self.api_url = url
        os.environ.update(self.env("client"))  # this script's own client (the runs)
        say(f"   {url} answers")

    def deploy(self) -> None:
        log = self.logs / "deploy.log"
        env = self.env("deployer")
        say("== prefect.yaml, the work pool and the deployments")
        if self.prefect_yaml:
            shutil.copy(self.prefect_yaml, self.project / "prefect.yaml")
            say(f"   prefect.yaml copied from {self.prefect_yaml}")
        else:
            run("prefect.yaml", [str(BIN / "reporting"), "prefect-yaml"], log,
                cwd=self.project, env=env)
            say("   prefect.yaml written by `reporting prefect-yaml`")
        run("work pool", [str(BIN / "prefect"), "work-pool", "create", POOL, "--type",
                          "process"], log, cwd=self.project, env=env)
        run("deploy", [str(BIN / "prefect"), "--no-prompt", "deploy", "--all"], log,
            cwd=self.project, env=env)
        import yaml

        names = [d["name"] for d in
                 yaml.safe_load((self.project / "prefect.yaml").read_text())["deployments"]]
        say(f"   work pool '{POOL}'; {len(names)} deployments: {', '.join(names[:4])}, ...")

    def start_worker(self, number: int) -> None:
        name = f"worker-{number}"
        self.children.start(name, [str(BIN / "prefect"), "worker", "start", "--pool", POOL,
                                   "--name", name, "--limit", "1"],
                            self.env(name, PREFECT_WORKER_QUERY_SECONDS=WORKER_QUERY_SECONDS),
                            self.logs / f"{name}.log")

    def wait_for_workers(self, count: int, timeout: float = 120) -> None:
        """Wait until the pool has `count` workers online, so the clock starts with them."""
        from prefect.client.orchestration import get_client

        deadline = time.monotonic() + timeout
        with get_client(sync_client=True) as client:
            while time.monotonic() < deadline:
                self.children.check_alive()
                online = [w.name for w in client.read_workers_for_work_pool(POOL)
                          if str(getattr(w.status, "value", w.status)) == "ONLINE"]
                if len(online) >= count:
                    say(f"   online: {', '.join(sorted(online))}")
                    return
                time.sleep(0.5)
        raise StepFailed("workers", f"fewer than {count} online after {timeout:g} s",
                         self.logs / f"worker-{count}.log")

    def round(self, workers: int) -> Round:
        say(f"== round: {workers} worker{'s' if workers > 1 else ''}, the six-monthly "
            f"{PERIOD} report of {len(PLANS)} plans")
        for number in range(1, workers + 1):
            if not any(n == f"worker-{number}" for n, _, _ in self.children.started):
                self.start_worker(number)
        self.wait_for_workers(workers)
        wall, results = run_round(list(PLANS), self.children)
        ok = 0
        for plan, result in results.items():
            problems = [f"run {result.state}: {result.message}"] \
                if result.state != "Completed" else []
            problems = problems or check_papers(self.project / "plans" / plan,
                                                self.titles[plan])
            ok += not problems
            took = f"{result.seconds:.1f} s" if result.seconds is not None else "-"
            say(f"   {plan:<15} {result.state:<10} {took:>8}  "
                f"{'papers ok' if not problems else '; '.join(problems)}")
        done = Round(workers, wall, ok, results)
        busy = sum(r.seconds or 0 for r in results.values())
        say(f"   the runs themselves took {busy:.1f} s in all ({busy / len(results):.1f} s a "
            f"plan); from submitting to the last one done: {wall:.1f} s")
        say(f"   {done.line}")
        return done


def _interrupt(signum, frame) -> None:
    raise Interrupted(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (logs, plans, papers) afterwards")
    parser.add_argument("--prefect-yaml", type=Path,
                        help="deploy this prefect.yaml instead of `reporting prefect-yaml`'s")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        say("scale-out: run as root (it starts PostgreSQL as the postgres user)")
        return 2
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    remove_stale_folders()
    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX))
    (tmp / "scale-out.pid").write_text(str(os.getpid()))
    tmp.chmod(0o711)  # the postgres user reaches its own folder inside
    os.environ[MARKER] = str(tmp)  # inherited by everything started from here on
    started = time.monotonic()
    scale_out = ScaleOut(tmp, args.prefect_yaml.resolve() if args.prefect_yaml else None)
    rounds: list[Round] = []
    status = 1
    try:
        rounds = scale_out.run()
        status = 0 if all(r.papers_ok == len(PLANS) for r in rounds) else 1
    except StepFailed as failed:
        say(f"scale-out: {failed}")
    except Interrupted as signame:
        say(f"scale-out: stopped by {signame}")
        status = 130
    except Exception:  # noqa: BLE001 - a fault in this script: show it, then clean up
        say("scale-out: unexpected error\n" + traceback.format_exc())
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # clean up without being cut short
        cleanup(scale_out, tmp, args.keep)
    say(f"== done in {time.monotonic() - started:.0f} s")
    for done in rounds:
        say(done.line)
    return status


def cleanup(scale_out: ScaleOut, tmp: Path, keep: bool) -> None:
    """Stop the workers, the server and PostgreSQL; kill anything of this run left over."""
    say("== stopping the workers, the server and PostgreSQL")
    for name in ("worker-2", "worker-1", "server"):
        scale_out.children.stop(name)
    scale_out.postgres.stop()
    scale_out.children.stop()  # PostgreSQL's server has ended: this collects it
    left = leftovers(str(tmp))
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if left:
        say(f"   killed {len(left)} process(es) left over: {left}")
    deadline = time.monotonic() + 10
    while leftovers(str(tmp)) and time.monotonic() < deadline:
        time.sleep(0.2)
    still = leftovers(str(tmp))
    say(f"   processes of this run still running: {still or 'none'}")
    if keep:
        say(f"   kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
