"""The Word file rendered alongside the PDF, in a child process: one per core.

WeasyPrint and python-docx are both mostly Python, so two threads would take turns; a
child process (a fresh interpreter running this module, given the pickled model on its
stdin and giving the .docx bytes on its stdout) renders the Word file while the parent
typesets the PDF. If the child cannot start or fails, the Word file is rendered in the
parent instead: the papers are the same either way, only slower.

The child is a fresh interpreter, so it imports the code on disk now: if that is not the
code the parent runs (a `git pull` during the run), it refuses to render, and the parent
renders the Word file with its own code, so one set of papers is made by one version.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

from reporting.publish import code_fingerprint
from reporting.report.model import ReportModel

CHILD = [sys.executable, "-m", "reporting.render.alongside"]
# The parent's code_fingerprint, which the child's must equal.
CODE_VARIABLE = "REPORTING_CODE_FINGERPRINT"
OTHER_CODE = 3  # the child's exit status when it refuses


class WordAlongside:
    """Start rendering `model` as Word in a child; `result()` gives the bytes."""

    def __init__(self, model: ReportModel, command: list[str] | None = None) -> None:
        self.model = model
        self.child: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None
        self._output = b""
        self.child_status: int | None = None  # how the child ended (OTHER_CODE: refused)
        env = {**os.environ, CODE_VARIABLE: code_fingerprint(),
               "PYTHONPATH": os.pathsep.join(
                   p for p in (str(Path(__file__).resolve().parents[2]),
                               os.environ.get("PYTHONPATH", "")) if p)}
        try:
            # Its errors are not kept: a child that fails is replaced by rendering here,
            # where any error is raised with its traceback.
            self.child = subprocess.Popen(command or CHILD, stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                          env=env)
            # The chart is drawn here, where matplotlib is loaded anyway for the PDF's, so
            # the child imports neither it nor numpy: about 100 MB less at the run's peak.
            picture = None
            if model.chart is not None:
                from reporting.render.chart import chart_png

                picture = chart_png(model.chart)
            self.child.stdin.write(pickle.dumps((model, picture),
                                                protocol=pickle.HIGHEST_PROTOCOL))
            self.child.stdin.close()
            # Take its output as it comes, so the child ends (and gives back its memory) as
            # soon as it is done, instead of waiting on a full pipe until the PDF is.
            self._reader = threading.Thread(target=self._collect, args=(self.child.stdout,),
                                            daemon=True)
            self._reader.start()
        except OSError:  # it could not start, or stopped before it had the model
            if self.child is not None:  # keep how it ended (OTHER_CODE: it refused at once)
                try:
                    self.child_status = self.child.wait(1)
                except subprocess.TimeoutExpired:
                    pass
            self._stop()

    def _collect(self, stream) -> None:
        try:
            self._output = stream.read()
        except (OSError, ValueError):  # closed when the child was stopped
            self._output = b""

    def _stop(self) -> None:
        if self.child is not None:
            if self.child.poll() is None:
                self.child.kill()
            # Kept, killed or not: a child that refused other code (OTHER_CODE) may have
            # ended before it was sent the model.
            self.child_status = self.child.wait(5)
        self.child = None

    def result(self) -> bytes:
        """Give the .docx bytes: the child's, or (if it failed) rendered here."""
        if self.child is not None:
            self._reader.join()
            data = self._output
            self.child.stdout.close()
            self.child_status = self.child.wait()
            if self.child_status == 0 and data.startswith(b"PK"):
                return data
            self._stop()
        from reporting.render.word import render_docx

        return render_docx(self.model)


def serve() -> None:
    """The child: read a pickled (ReportModel, chart PNG or None) on stdin, write the .docx
    bytes to stdout."""
    expected = os.environ.get(CODE_VARIABLE)
    if expected and expected != code_fingerprint():
        sys.exit(OTHER_CODE)  # the code changed on disk since the run started
    from reporting.render.word import render_docx

    model, picture = pickle.loads(sys.stdin.buffer.read())  # noqa: S301  (our own parent)
    sys.stdout.buffer.write(render_docx(model, picture))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    serve()
