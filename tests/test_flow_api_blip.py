"""An API blip while publishing: the Prefect API answers 500 for a few seconds (its
database restarting) as a run publishes its papers; the run is retried through it, ends
Completed and mails each member once (issue 21).

The run goes in its own process, as a worker's would, against the API through a small
fault proxy, with no client retry codes in its environment: the project must set them.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

import pytest
from test_flow import _docx_text, _pdf_text, _settings_file, inputs  # noqa: F401 (a fixture)

pytestmark = pytest.mark.flow

BLIP_SECONDS = 4

# The run, in a process of its own; it says when it reaches publishing and waits (at most
# 20 s) until the API has started failing, so the blip falls on publishing every time.
BLIPPED_RUN = """
import json, pathlib, sys, time
import reporting.pipeline as pipeline

publishing, failing = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
real_publish = pipeline.publish_report

def publish_report(*args, **kwargs):
    publishing.write_text("publishing")
    deadline = time.monotonic() + 20
    while not failing.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return real_publish(*args, **kwargs)

pipeline.publish_report = publish_report
from flows.scrutiny_report import scrutiny_report

state = scrutiny_report(period="2022/23 Q2", cadence="quarterly", inputs=sys.argv[3],
                        outputs=sys.argv[4], config=sys.argv[5], return_state=True)
print(json.dumps({"flow_run_id": str(state.state_details.flow_run_id),
                  "state": state.type.value,
                  "result": state.result(raise_on_failure=False)}, default=str))
"""


class FaultProxy:
    """A TCP proxy on 127.0.0.1 in front of `upstream` (host, port). While `failing`, it
    answers every request with HTTP 500 and closes the connection, having first dropped
    every connection kept alive, so the client has to come back through the failure."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.failing = threading.Event()
        self.served_500 = 0
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def fail_for(self, seconds: float) -> threading.Thread:
        """Fail from now for `seconds`; give the thread that ends the failure."""
        self.failing.set()
        with self._lock:
            kept_alive, self._open = self._open, set()
        for connection in kept_alive:
            _close(connection)

        def recover() -> None:
            time.sleep(seconds)
            self.failing.clear()

        thread = threading.Thread(target=recover, daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        self._listener.close()
        with self._lock:
            for connection in self._open:
                _close(connection)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        if self.failing.is_set():
            self._answer_500(client)
            return
        try:
            server = socket.create_connection(self.upstream)
        except OSError:
            _close(client)
            return
        with self._lock:
            self._open.update((client, server))
        threading.Thread(target=_pipe, args=(server, client), daemon=True).start()
        _pipe(client, server)

    def _answer_500(self, client: socket.socket) -> None:
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = client.recv(65536)
                if not chunk:
                    return
                request += chunk
            head, _, body = request.partition(b"\r\n\r\n")
            length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            while len(body) < length:  # read it all, so closing sends FIN, not RST
                chunk = client.recv(65536)
                if not chunk:
                    break
                body += chunk
            text = b'{"detail": "Internal Server Error"}'
            client.sendall(b"HTTP/1.1 500 Internal Server Error\r\n"
                           b"Content-Type: application/json\r\n"
                           b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                           % (len(text), text))
            with self._lock:
                self.served_500 += 1
        except OSError:
            pass
        finally:
            _close(client)


def _pipe(source: socket.socket, target: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            target.sendall(chunk)
    except OSError:
        pass
    finally:
        _close(source)
        _close(target)


def _close(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    connection.close()


def test_an_api_blip_while_publishing_ends_completed_with_each_member_mailed_once(
        prefect_harness, inputs, tmp_path, smtp_server):  # noqa: F811
    from docx import Document
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    api = PREFECT_API_URL.value()
    where = urlsplit(api)
    proxy = FaultProxy((where.hostname, where.port))
    port, inbox = smtp_server()
    config = _settings_file(tmp_path, port)
    config.write_text(config.read_text() + "# an API blip\n")  # its own render cache key
    outputs = tmp_path / "outputs"
    publishing, failing = tmp_path / "publishing", tmp_path / "failing"
    # No retry codes given by hand: the project's own must reach the run.
    environment = {key: value for key, value in os.environ.items()
                   if key != "PREFECT_CLIENT_RETRY_EXTRA_CODES"}
    environment["PREFECT_API_URL"] = f"http://127.0.0.1:{proxy.port}{where.path}"
    child = subprocess.Popen(
        [sys.executable, "-c", BLIPPED_RUN, str(publishing), str(failing), str(inputs),
         str(outputs), str(config)],
        env=environment, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while not publishing.exists():
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the run never reached publishing"
            time.sleep(0.05)
        recovered = proxy.fail_for(BLIP_SECONDS)
        failing.write_text("failing")
        out, err = child.communicate(timeout=120)
        recovered.join()
    finally:
        if child.poll() is None:
            child.kill()
        proxy.close()
    assert child.returncode == 0, err[-4000:]
    # The API really failed under the run: it was asked, answered 500, and asked again.
    assert proxy.served_500 >= 1
    said = json.loads(out.strip().splitlines()[-1])
    assert said["state"] == "COMPLETED", said
    with get_client(sync_client=True) as client:  # the real API, not the proxy
        ran = client.read_flow_run(said["flow_run_id"])
    assert ran.state.is_completed(), ran.state
    # The papers are there, whole, and read back.
    folder = outputs / "2022-23-Q2" / "quarterly"
    pdf, docx = (folder / f"scrutiny-report-2022-23-Q2-quarterly.{kind}" for kind in ("pdf", "docx"))
    assert "2022/23 Q2 (July to September 2022)" in _pdf_text(pdf)
    assert "Harborough District Council" in _docx_text(docx)
    assert Document(str(docx)).tables
    # Each member was mailed once, and the record says so.
    assert sorted(to for (to,), _ in inbox.messages) == [
        "member.one@example.gov.uk", "member.two@example.gov.uk"]
    record = json.loads((outputs / "2022-23-Q2" / "email-sent.json").read_text())
    assert sorted(record["sent"]) == [
        f"papers/2022-23-Q2/quarterly/member.{n}@example.gov.uk" for n in ("one", "two")]
    assert record["failed"] == {} and not record.get("sending")
    assert said["result"]["pdf"] == str(pdf)
