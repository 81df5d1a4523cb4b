"""Clearance: a paper is cleared, role by role, before it is published and mailed to members.

With `[clearance]` required, a run publishes drafts (every page marked "Draft: not for
publication") in `outputs/<period>/<paper>/draft/` beside `clearance.json` (see
`reporting.layout`), the record of
that draft: what it was made from (its fingerprint: the inputs read and the paper's model),
the roles that clear it, in order, how many days it may wait (`[clearance] expires_days`
when it was made), and each decision (role, name, time, comments, the documents' sha256).
When every role has cleared, the same paper is published without the mark and mailed, once.
A clearance is for the exact draft: a draft made from other inputs starts again from the
first role, "changes needed" ends the round, and a draft that waits past its days expires:
it can no longer be cleared, and the next run makes a new one.

This module decides; the flow (a form in Prefect's UI) and `reporting clear` (the command
line) only ask and record.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from reporting.errors import ReportingError
from reporting.layout import DATA_QUALITY_NAMES, OutputLayout
from reporting.publish import write_atomic
from reporting.settings import Settings
from reporting.wording import markdown_text, plural, possessive, without_controls

DRAFT_MARK = "Draft: not for publication"

CLEARED = "cleared"
CHANGES_NEEDED = "changes needed"


class ClearanceError(ReportingError):
    """A sign-off that cannot be taken: no draft, the wrong role, a draft already decided."""


def model_fingerprint(inputs_fingerprint: str, model: object) -> str:
    """Give the fingerprint of the exact draft: the inputs read and every word of its model.

    Not the documents' bytes: the draft mark and the documents' timestamps make those differ
    between the draft and the paper published from it.
    """
    words = repr(model).encode("utf-8", "surrogateescape")
    return hashlib.sha256(inputs_fingerprint.encode("ascii") + b"\0" + words).hexdigest()


@dataclass(frozen=True)
class Decision:
    """One role's sign-off of a draft. The name stays in this record, never in the paper."""

    role: str
    outcome: str  # CLEARED or CHANGES_NEEDED
    by: str
    at: str  # ISO time
    comments: str = ""
    documents: dict[str, str] = field(default_factory=dict)  # file name -> sha256 cleared


@dataclass(frozen=True)
class Draft:
    """The record of one draft paper and its clearance so far."""

    period: str  # "2022/23 Q2"
    cadence: str  # the paper, "quarterly" (the record's JSON key, as `reporting clear --cadence`)
    fingerprint: str
    made: str  # ISO time the draft was made
    roles: tuple[str, ...]
    documents: dict[str, str] = field(default_factory=dict)  # file name -> sha256
    decisions: tuple[Decision, ...] = ()
    flow_run: str = ""  # the suspended deployment run waiting on it, if any
    api: str = ""  # the Prefect API that run is on
    # Earlier drafts of this paper sent back ("changes needed"), oldest first: what they
    # were asked to change stays with the draft that answers it.
    sent_back: tuple[Decision, ...] = ()
    # [clearance] expires_days when the draft was made: its suspend's timeout was set from
    # it, so a later edit of the settings does not move it. 0 in a record from before it was
    # kept: the settings' value counts.
    expires_days: int = 0

    @property
    def changes_needed(self) -> Decision | None:
        return next((d for d in self.decisions if d.outcome == CHANGES_NEEDED), None)

    @property
    def cleared_by(self) -> tuple[str, ...]:
        return tuple(d.role for d in self.decisions if d.outcome == CLEARED)

    @property
    def next_role(self) -> str | None:
        """The role whose sign-off the draft waits for; None when decided either way."""
        if self.changes_needed:
            return None
        return next((r for r in self.roles if r not in self.cleared_by), None)

    @property
    def cleared(self) -> bool:
        return not self.changes_needed and self.next_role is None

    @property
    def state(self) -> str:
        if self.changes_needed:
            return CHANGES_NEEDED
        return CLEARED if self.cleared else f"waiting for the {self.next_role}"

    def days_to_wait(self, days: int) -> int:
        """The days the draft may wait: its own record's, else `days` (the settings')."""
        return self.expires_days or days

    def expires(self, days: int) -> datetime:
        """Give when the draft stops waiting: its days after it was made (`days_to_wait`)."""
        return datetime.fromisoformat(self.made) + timedelta(days=self.days_to_wait(days))

    def expired(self, now: datetime, days: int) -> bool:
        """True when the draft still waits for a role and its time to wait is over."""
        return self.next_role is not None and now >= self.expires(days)

    def expiry_words(self, days: int) -> str:
        """Give what an expired draft says: "The quarterly paper for 2022/23 Q2 waited 14
        days for the Head of Service's clearance and expired; nothing was published or
        sent"."""
        return expired_words(f"{self.cadence} paper", self.period, self.days_to_wait(days),
                             self.next_role)

    def since(self) -> str:
        """When the draft began waiting for its next role (the last sign-off, else made)."""
        return self.decisions[-1].at if self.decisions else self.made


def expired_words(paper: str, period: str | None, days: int | None, role: str | None) -> str:
    """Give the sentence, without its full stop, telling that `paper` waited `days` for
    `role`'s clearance (None: not known) and expired: every reader of an expiry is told so
    in these words (the run's failure, the policy officer's notice, `reporting clear`)."""
    whose = f"the {possessive(role)} clearance" if role else "clearance"
    waited = plural(days, "day") if days else "its [clearance] expires_days"
    return (f"The {paper} for {period or 'its period'} waited {waited} for {whose} and "
            "expired; nothing was published or sent")


def refuse_expired(draft: Draft, now: datetime, days: int, again: str) -> None:
    """Raise ClearanceError, in one line, if `draft` expired before it was cleared: it can
    no longer be cleared, and `again` (the command that runs the report) makes a new one."""
    if draft.expired(now, days):
        when = draft.expires(days).strftime("%d %B %Y %H:%M").lstrip("0")
        raise ClearanceError(f"{draft.expiry_words(days)}. Expired on {when}, it can no "
                             "longer be cleared; run it again to make a new draft, cleared "
                             f"from the first role: {again}")


def read_draft(path: Path) -> Draft | None:
    """Give the draft recorded at `path`, or None when there is none."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        decisions = tuple(Decision(**d) for d in data.pop("decisions", ()))
        sent_back = tuple(Decision(**d) for d in data.pop("sent_back", ()))
        return Draft(**{**data, "roles": tuple(data["roles"]), "decisions": decisions,
                        "sent_back": sent_back})
    except (ValueError, TypeError, KeyError) as error:
        raise ClearanceError(f"{path}: the clearance record cannot be read ({error}); make a "
                             "new draft with `reporting run`") from error


def write_draft(path: Path, draft: Draft) -> Draft:
    write_atomic(Path(path), json.dumps(asdict(draft), indent=2).encode("utf-8"))
    return draft


def start_draft(previous: Draft | None, *, period: str, cadence: str, fingerprint: str,
                roles: tuple[str, ...], documents: dict[str, str], now: datetime,
                expires_days: int) -> Draft:
    """Give the record of the draft just made, which may wait `expires_days` days.

    The sign-offs of the draft before it stand only if it is the exact same draft, with the
    same roles, no role asked for changes and it has not expired; any other draft is
    cleared again from the first role (and waits its days from now).
    """
    if (previous is not None and previous.fingerprint == fingerprint
            and previous.roles == tuple(roles) and not previous.changes_needed
            and not previous.expired(now, expires_days)):
        return replace(previous, documents=documents)
    sent_back = () if previous is None else previous.sent_back + tuple(
        d for d in previous.decisions if d.outcome == CHANGES_NEEDED)
    return Draft(period=period, cadence=cadence, fingerprint=fingerprint,
                 made=now.isoformat(timespec="seconds"), roles=tuple(roles),
                 documents=documents, sent_back=sent_back, expires_days=expires_days)


def _role_named(draft: Draft, role: str) -> str:
    wanted = " ".join(role.split()).casefold()
    for known in draft.roles:
        if known.casefold() == wanted:
            return known
    raise ClearanceError(f"'{role}' is not a role that clears this paper; the roles, in "
                         f"order, are: {', '.join(draft.roles)} ([clearance] roles)")


def decide(draft: Draft, role: str, by: str, now: datetime, *, changes: str = "",
           comments: str = "") -> Draft:
    """Give `draft` with `role`'s sign-off: cleared, or changes needed when `changes` says what.

    Roles clear in order: a role that is not the next is refused, saying whose turn it is.
    """
    role = _role_named(draft, role)
    if draft.changes_needed:
        raise ClearanceError(
            f"the {draft.changes_needed.role} asked for changes to this draft: make a new "
            "draft with `reporting run` once the returns are fixed, and it is cleared again "
            "from the first role")
    if draft.cleared:
        raise ClearanceError(f"this draft is already cleared by every role "
                             f"({', '.join(draft.roles)})")
    if role in draft.cleared_by:
        mine = next(d for d in draft.decisions if d.role == role)
        raise ClearanceError(f"the {role} cleared this draft already ({mine.at}): it waits "
                             f"for the {draft.next_role} now")
    if role != draft.next_role:
        raise ClearanceError(f"the draft waits for the {draft.next_role} first; roles clear "
                             f"in order: {', '.join(draft.roles)}")
    by = " ".join(by.split())
    if not by:
        raise ClearanceError("say who signs off (--by NAME): the name stays in the record, "
                             "never in the paper")
    changes = changes.strip()
    decision = Decision(role=role, outcome=CHANGES_NEEDED if changes else CLEARED, by=by,
                        at=now.isoformat(timespec="seconds"),
                        comments=changes or comments.strip(), documents=dict(draft.documents))
    return replace(draft, decisions=(*draft.decisions, decision))


def uncleared_note(settings: Settings) -> str:
    """Give what a run mailing its papers uncleared says, once: why, and, for an
    installation with no `[clearance]` table (one from before clearance), that it is there
    to be had."""
    if settings.clearance.given:
        return "Papers go to members uncleared: [clearance] required is false."
    return ("Papers go to members uncleared: the settings have no [clearance] table. "
            "Clearance is available: with [clearance] roles = [\"Head of Service\", ...] in "
            "reporting.toml, each paper is published as a draft and mailed to members only "
            "once every role has cleared it (docs/operations.md, Clearance).")


def clearance_line(draft: Draft) -> str:
    """The paper's clearance line: the roles that cleared it, never their names."""
    return "Cleared by: " + ", ".join(draft.cleared_by) if draft.cleared_by else ""


def _code(path: object) -> str:
    """`path` as a Markdown code span (a path is copied, not read as prose)."""
    return "`" + " ".join(without_controls(str(path)).replace("`", "").split()) + "`"


def form_description(draft: Draft, role: str, folder: Path, documents: dict[str, str],
                     exceptions: list[str], findings: list) -> str:
    """Give the sign-off form's description, as Markdown with every word from a return,
    the plan or a person escaped: whose turn it is and what each answer does, the drafts
    by path (Prefect serves no files), the delivery exceptions and the data-quality
    findings counted by kind, so the approver can decide from the run page.

    `documents`: file name by kind ("PDF": "scrutiny-report-....pdf"), in `folder`.
    """
    text = markdown_text
    lines = [f"## Clearance: {text(draft.period)} {text(draft.cadence)} paper", "",
             f"Waiting for the **{text(role)}**; the roles clear in order: "
             f"{text(', '.join(draft.roles))}.", "",
             "**cleared** passes the draft on; the last role's clearance publishes it without "
             "the mark and mails it to members. **changes needed** (say what in Comments) "
             "publishes and sends nothing.", ""]
    for earlier in (*draft.sent_back[-1:], *draft.decisions):
        what = ("sent the last draft back" if earlier in draft.sent_back
                else earlier.outcome)
        when = datetime.fromisoformat(earlier.at).strftime("%d %b %Y %H:%M").lstrip("0")
        lines.append(f"- The {text(earlier.role)} {text(what)} ({text(earlier.by)}, "
                     f"{text(when)})" + (f": {text(earlier.comments)}"
                                         if earlier.comments else ""))
    lines += ["", "### The drafts", "", f"In {_code(folder)}:", ""]
    lines += [f"- {text(kind)}: {_code(name)}" for kind, name in documents.items()]
    lines += ["", f"### Delivery exceptions ({len(exceptions)})", ""]
    lines += [f"- {text(line)}" for line in exceptions] or ["None."]
    problems = [f for f in findings if f.data_quality]
    lines += ["", f"### Data quality ({len(problems)} findings)", ""]
    counts = Counter((f.severity, f.code.name) for f in problems)
    lines += [f"- {count} {text(code.replace('_', ' ').lower())} ({severity.word})"
              for (severity, code), count in sorted(counts.items())] or ["None."]
    if problems:
        lines += ["", f"Each with its file and cell in {_code(DATA_QUALITY_NAMES[0])}, "
                      "beside the drafts."]
    return "\n".join(lines)


def drafts_under(layout: OutputLayout) -> Iterator[tuple[Path, Draft]]:
    """Every draft recorded under the outputs folder, oldest period first."""
    for path in layout.clearance_records():
        draft = read_draft(path)
        if draft is not None:
            yield path, draft
