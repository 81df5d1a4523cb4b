"""What a council publishes as HTML passes axe-core in a real browser, and reads on a phone.

The public sector accessibility regulations cover every paper a council publishes, so the
officers' receipts, the policy officer's data-quality note and the HTML committee paper are
each loaded in headless Chromium and checked by axe-core against WCAG 2.2 A/AA and axe's
best-practice rules; the paper is also opened 390 px wide, where it must not scroll sideways.

Chromium is Debian's `chromium` and axe-core is npm's, both installed by
`bash scripts/ensure-system-packages.sh --test` (`make test` runs it). Chromium is driven
over the DevTools protocol on a pipe (`--remote-debugging-pipe`: no port, no websocket and
no Python package), started once for the whole module.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

import pytest
from bad_returns import FOLDER, corpus_inputs
from conftest import BUNDLED_INPUTS, ROOT

from reporting.cadence import Paper
from reporting.period import Period
from reporting.pipeline import check_period, prepare_report, read_period
from reporting.render.flags import data_quality_html
from reporting.render.html import render_html
from reporting.render.receipts import receipt_html
from reporting.settings import READ_NOW, load_settings

AXE = ROOT / ".cache" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
INSTALL = "run `bash scripts/ensure-system-packages.sh --test` (make test does)"
PHONE = (390, 844)  # an iPhone 12 to 15, in CSS pixels
TIMEOUT = 60  # seconds any one call to the browser may take

RUN_AXE = ("axe.run(document, {runOnly: {type: 'tag', values: " + json.dumps(TAGS) + "}, "
           "resultTypes: ['violations']}).then(r => JSON.stringify(r.violations))")
# The page's width and its window's, the scrolling boxes, and what sticks out of the window
# unclipped by any box (the outermost such elements, named as a person would find them).
WIDTHS = r"""(() => {
  const root = document.documentElement, client = root.clientWidth;
  const clipped = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    return false;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const right = el.getBoundingClientRect().right;
    if (right <= client + 0.5 || clipped(el)) continue;
    if (!culprits.some(c => c.el.contains(el))) culprits.push({el, right});
  }
  const name = ({el, right}) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')
    + ' to ' + Math.round(right) + ' px: "' + el.textContent.replace(/\s+/g, ' ').trim().slice(0, 60) + '"';
  // A table's cell a reader cannot see whole: past either edge of the window, or in a box
  // that clips it (a table scrolling in a box of its own).
  const hidden = [...document.querySelectorAll('main :is(tbody, tfoot) > tr > :is(td, th)')]
    .filter(cell => { const r = cell.getBoundingClientRect();
                      return r.left < -0.5 || r.right > client + 0.5 || clipped(cell); });
  return {scroll: root.scrollWidth, client,
          boxes: document.querySelectorAll('.table-scroll').length,
          hidden: hidden.length,
          culprits: culprits.slice(0, 10).map(name)};
})()"""

# The words in the tables that a line break cuts in two (a word with a hyphen or a slash of
# its own may break there, so such words are not counted).
BROKEN_WORDS = r"""(() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest('td, th') || !node.parentElement.checkVisibility()) continue;
    for (const match of node.data.matchAll(/[^\s\-\/\u2010-\u2014]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return broken;
})()"""


def _axe_version() -> str:
    package = AXE.parent / "package.json"
    return json.loads(package.read_text())["version"] if package.is_file() else "(missing)"


AXE_VERSION = _axe_version()


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    return None


# In CI the checks must run: a missing browser fails them loudly rather than skipping.
pytestmark = pytest.mark.skipif(
    _chromium() is None and not os.environ.get("CI"),
    reason=f"Chromium is not installed ({INSTALL} to check the published HTML with axe-core)")


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (fd 3 in, fd 4 out)."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="axe-chromium-")
        # What Chromium says goes to a file (a pipe nobody reads could fill and stop it).
        self._log = open(Path(self.profile) / "chromium.log", "wb")  # noqa: SIM115
        to_browser, self._write = os.pipe()
        self._read, from_browser = os.pipe()
        # Chromium's ends are moved above 9 so that they are never 3 or 4 themselves...
        moved = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_browser, from_browser)]
        os.close(to_browser)
        os.close(from_browser)
        to_browser, from_browser = moved
        # ...and bash puts them on the descriptors Chromium reads (3) and writes (4).
        self.process = subprocess.Popen(
            ["bash", "-c", f'exec "$@" 3<&{to_browser} 4>&{from_browser} '
                           f'{to_browser}<&- {from_browser}>&-', "bash", executable,
             "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--disable-background-networking", "--disable-sync", "--mute-audio",
             f"--window-size={PHONE[0]},{PHONE[1]}", f"--user-data-dir={self.profile}",
             "about:blank"],
            pass_fds=(to_browser, from_browser), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self._log)
        os.close(to_browser)
        os.close(from_browser)
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict] = []

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except Exception:  # noqa: BLE001 - it is going anyway
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._read, self._write):
            try:
                os.close(fd)
            except OSError:
                pass
        self._log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                said = (Path(self.profile) / "chromium.log").read_text(errors="replace")
                raise RuntimeError(f"Chromium closed its pipe; it said: {said[-2000:]}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = TIMEOUT) -> dict:
        self._next_id += 1
        call = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            call["sessionId"] = session
        os.write(self._write, json.dumps(call).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            message = self._message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self._events.append(message)

    def wait_for(self, method: str, session: str, timeout: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self._events.pop(i)
            self._events.append(self._message(deadline))

    def open(self, path: Path, width: int, height: int) -> Tab:
        """Open `path` in a new tab `width` CSS pixels wide; give the tab once loaded."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        tab = Tab(self, target, session)
        tab.send("Page.enable")
        # The pages forbid every script (Content-Security-Policy); axe is the test's own.
        tab.send("Page.setBypassCSP", {"enabled": True})
        tab.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        tab.send("Page.navigate", {"url": path.as_uri()})
        self.wait_for("Page.loadEventFired", session)
        return tab


class Tab:
    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self.browser, self.target, self.session = browser, target, session

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression: str):
        """Give the value of a JavaScript expression (a promise is awaited)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    assert executable, f"Chromium is not installed: {INSTALL}"
    browser = Browser(executable)
    browser.send("Browser.getVersion")
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.is_file(), f"axe-core is not installed at {AXE.relative_to(ROOT)}: {INSTALL}"
    return AXE.read_text(encoding="utf-8")


def _violations(browser: Browser, axe_source: str, path: Path, html: str, width: int,
                height: int) -> list[dict]:
    """Give axe's violations on one page, opened from a file `width` px wide."""
    path.write_text(html, encoding="utf-8")
    tab = browser.open(path, width, height)
    try:
        tab.evaluate(axe_source)
        found = tab.evaluate(RUN_AXE)
    finally:
        tab.close()
    return json.loads(found)


def _describe(page: str, violations: list[dict]) -> list[str]:
    """One line per element failing a rule: the page, the rule, the element and why."""
    return [f"{page}: [{v['id']}] {v['help']} ({v['impact']}) at "
            f"{' '.join(map(str, node['target']))}: "
            + " ".join(node["html"].split())[:200]
            for v in violations for node in v["nodes"]]


# --- The pages ---------------------------------------------------------------------------

SETTINGS = load_settings(BUNDLED_INPUTS.parent / "reporting.toml")
PRODUCED = datetime(2022, 11, 1, 9, 30).astimezone()
LATE = "This paper is late: it was due to be published on 1 November 2022."


@pytest.fixture(scope="module")
def bundled():
    """The bundled plan and returns for 2022/23 Q2, as `make report` reads them."""
    inputs = read_period(SETTINGS, Period.parse("2022/23 Q2"), BUNDLED_INPUTS, READ_NOW)
    return prepare_report(SETTINGS, inputs, Paper.QUARTERLY, PRODUCED)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile corpus: every problem a receipt can list, from every kind of file."""
    inputs = corpus_inputs(tmp_path_factory.mktemp("hostile"))
    return prepare_report(SETTINGS, inputs, Paper.QUARTERLY, PRODUCED)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pages")


def _check(browser, axe_source, folder, pages: dict[str, str], width=1280, height=900):
    failures = []
    for i, (page, html) in enumerate(pages.items()):
        failures += _describe(page, _violations(browser, axe_source, folder / f"{i}.html",
                                                html, width, height))
    assert not failures, (f"axe-core {AXE_VERSION} found, at {width} px wide:\n"
                          + "\n".join(failures))


def test_every_receipt_passes_axe(browser, axe_source, folder, bundled, hostile):
    receipts = {f"{label} receipt for {r.file}": receipt_html(r)
                for label, report in (("bundled", bundled), ("hostile", hostile))
                for r in report.check.receipts}
    # A file checked on its own, with no plan (`reporting check`), says so on its receipt.
    alone = check_period(None, hostile.check.updates.returns[:1], (),
                         Period.parse(FOLDER), READ_NOW).receipts[0]
    receipts[f"receipt for {alone.file} checked with no plan"] = receipt_html(alone)
    assert len(receipts) > 10
    _check(browser, axe_source, folder, receipts)


def test_the_data_quality_note_passes_axe(browser, axe_source, folder, bundled, hostile):
    notes = {
        "bundled data-quality note": data_quality_html(
            list(bundled.findings), bundled.model.title).decode(),
        "hostile data-quality note, late": data_quality_html(
            list(hostile.findings), hostile.model.title, LATE).decode(),
        "data-quality note with no findings": data_quality_html([], "A plan").decode(),
    }
    _check(browser, axe_source, folder, notes)


@pytest.fixture(scope="module")
def papers(bundled, hostile) -> dict[str, str]:
    return {"bundled committee paper": render_html(bundled.model),
            "hostile committee paper": render_html(hostile.model)}


def test_the_committee_paper_passes_axe(browser, axe_source, folder, papers):
    _check(browser, axe_source, folder, papers)


def test_the_committee_paper_passes_axe_on_a_phone(browser, axe_source, folder, papers):
    _check(browser, axe_source, folder, papers, *PHONE)


def _on_a_phone(browser, folder: Path, pages: dict[str, str], stem: str):
    """Open each page 390 px wide; give (page, widths found, words broken across lines) and,
    for each page wider than the screen, what makes it so."""
    measured, wide = [], []
    for i, (page, html) in enumerate(pages.items()):
        path = folder / f"{stem}-{i}.html"
        path.write_text(html, encoding="utf-8")
        tab = browser.open(path, *PHONE)
        try:
            found, broken = tab.evaluate(WIDTHS), tab.evaluate(BROKEN_WORDS)
        finally:
            tab.close()
        measured.append((page, found, broken))
        if found["scroll"] > found["client"]:
            wide.append(f"{page}: the page is {found['scroll']} px wide in a "
                        f"{found['client']} px window; too wide: {'; '.join(found['culprits'])}")
    return measured, wide


def test_the_committee_paper_does_not_scroll_sideways_on_a_phone(browser, folder, papers):
    """Every cell of every table is on a phone's screen (a wide table's rows stack as label
    and value); nothing scrolls sideways, neither the page nor a box of its own."""
    measured, wide = _on_a_phone(browser, folder, papers, "phone")
    for page, found, broken in measured:
        assert not found["boxes"], f"{page}: a table scrolls in a box of its own (.table-scroll)"
        assert not found["hidden"], f"{page}: {found['hidden']} table cells are off screen"
        if broken:
            wide.append(f"{page}: {len(broken)} words in tables are broken across lines, "
                        f"such as {', '.join(sorted(set(broken))[:10])}")
    assert not wide, "\n".join(wide)


def test_receipts_and_the_data_quality_note_do_not_scroll_sideways_on_a_phone(
        browser, folder, bundled, hostile):
    """An officer opens a receipt on a phone: only a table's own box scrolls sideways."""
    pages = {f"receipt for {r.file}": receipt_html(r)
             for r in (*bundled.check.receipts, *hostile.check.receipts)}
    pages["bundled data-quality note"] = data_quality_html(
        list(bundled.findings), bundled.model.title).decode()
    _, wide = _on_a_phone(browser, folder, pages, "phone-officer")
    assert not wide, "\n".join(wide)
