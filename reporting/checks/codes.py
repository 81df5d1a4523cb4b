"""Every finding code, declared once: its severity, who reads it, and its words for each.

A check raises a code from here; the receipts, flags.csv, the data-quality note, the
committee paper and the README's flag table take everything else about it from this
declaration. Adding a finding means declaring it here and raising it in one check.

Who reads a finding:
- the officer who sent the return reads it on their receipt (a finding with a file);
- the policy officer reads every finding in flags.csv, and the data-quality note lists
  those that are not about delivery;
- the committee reads the delivery findings, as exceptions in the paper, in words and never
  by code. Each delivery code names its kind of exception (`ExceptionKind`); the kinds are
  declared in the order of seriousness the paper follows.
"""

from __future__ import annotations

from enum import Enum, IntEnum


class Severity(IntEnum):
    """How urgently the finding needs attention; lower sorts first."""

    HIGH = 1
    MEDIUM = 2
    LOW = 3

    @property
    def word(self) -> str:
        return self.name.capitalize()


class Reader(Enum):
    """Who reads a finding, besides flags.csv, which lists every finding."""

    OFFICER = "officer"  # the receipt of the file the finding is about
    DATA_QUALITY = "policy officer"  # the data-quality note
    COMMITTEE = "committee"  # the paper's delivery exceptions


class ExceptionKind(Enum):
    """A kind of delivery exception, as the committee reads it; most serious first.

    An action with several is counted once, under the most serious.
    """

    OFF_TRACK = "off track"
    OVERDUE = "overdue"
    AT_RISK = "at risk"
    NOT_REPORTED = "not reported"
    NO_STATUS = "status not given"  # an update came in, with no status the report can read
    DATE_SLIPPED = "date slipped"
    FORECAST_WORSE = "forecast to end worse"

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)


class Code(str):
    """A finding code ("OFF_TRACK"): a string, carrying its declaration.

    It compares, hashes, prints and pickles as its name, so flags.csv, JSON and a cached
    result hold the plain code; everything else about it is read from here.
    """

    severity: Severity
    readers: frozenset[Reader]
    when: str  # when it is raised, as the README's flag table says
    exception: ExceptionKind | None  # the committee's kind of exception; None: not delivery

    def __new__(cls, name: str, severity: Severity, when: str,
                exception: ExceptionKind | None = None,
                readers: frozenset[Reader] = frozenset({Reader.OFFICER, Reader.DATA_QUALITY}),
                ) -> Code:
        code = super().__new__(cls, name)
        code.severity = severity
        code.when = when
        code.exception = exception
        code.readers = readers | ({Reader.COMMITTEE} if exception else frozenset())
        return code

    def __reduce__(self):
        return (code_named, (str(self),))

    @property
    def name(self) -> str:
        return str(self)

    @property
    def delivery(self) -> bool:
        """Whether the committee may read it: a finding of this code is a delivery exception
        where it gives the paper's words (MISSING_UPDATE does for an action with no row,
        not for a row with an empty update)."""
        return self.exception is not None


K = ExceptionKind  # short names for the declarations below
H, M, L = Severity.HIGH, Severity.MEDIUM, Severity.LOW
COMMITTEE_ONLY = frozenset()  # a delivery finding: flags.csv and the paper
DATA_ONLY = frozenset({Reader.DATA_QUALITY})  # about the plan: no officer's file

# The declarations, in the order flags.csv and the README list them.
NO_RETURN = Code(
    "NO_RETURN", H, "a service area leading covered actions sent no usable return (the paper "
    "says whether none came or the one that came could not be read)", K.NOT_REPORTED,
    COMMITTEE_ONLY)
UNREADABLE_RETURN = Code(
    "UNREADABLE_RETURN", H, "a file in the returns folder could not be used at all")
MISSING_UPDATE = Code(
    "MISSING_UPDATE", M, "a covered action with no row (not reported, in the paper too), or "
    "an empty progress update; for actions with no lead named, one line when no service's "
    "return reports on them", K.NOT_REPORTED)
MISSING_STATUS = Code(
    "MISSING_STATUS", M, "a row with no recognisable status: an action none of whose rows "
    "gives one is an exception, its status not given (in the paper too); a row with an update but no status, beside "
    "rows of the action that give one, is told to the officer, naming its Status cell; an "
    "action with no lead named is not reported, in one line, only when no service's row "
    "gives it a status",
    K.NO_STATUS)
MILESTONE_UNDEFINED = Code(
    "MILESTONE_UNDEFINED", M, "the plan gives actions no milestone, no due date and no "
    "target, or names no lead service for them: one line for the plan each", readers=DATA_ONLY)
OFF_TRACK = Code("OFF_TRACK", H, "a row's status is Off track", K.OFF_TRACK, COMMITTEE_ONLY)
AT_RISK = Code("AT_RISK", M, "a row's status is At risk", K.AT_RISK, COMMITTEE_ONLY)
OVERDUE = Code(
    "OVERDUE", H, "the due (or revised) date of an action, or of a milestone the plan dates, "
    "passed by the period's end and it is not complete", K.OVERDUE, COMMITTEE_ONLY)
DATE_SLIPPED = Code(
    "DATE_SLIPPED", M, "a revised date later than the plan's, for an action or a dated "
    "milestone, with the reason if given", K.DATE_SLIPPED, COMMITTEE_ONLY)
FORECAST_WORSE = Code(
    "FORECAST_WORSE", M, "the year-end forecast is worse than the status now",
    K.FORECAST_WORSE, COMMITTEE_ONLY)
UNKNOWN_ACTION = Code("UNKNOWN_ACTION", L, "a row naming no action in the plan")
NOT_LEAD_SERVICE = Code(
    "NOT_LEAD_SERVICE", M, "a row for an action another service leads: not used, and told to "
    "both services (an action with no lead named takes any service's row, labelled; a row "
    "left blank, as the template gave it, is no row sent and raises nothing)")
DUPLICATE_UPDATE = Code(
    "DUPLICATE_UPDATE", L, "two rows for the same action (and milestone): one giving a status "
    "is used before one giving none, a visible row before one hidden in Excel, then the worse "
    "status; the officer is told which row was used and why")
MILESTONE_ELSEWHERE = Code(
    "MILESTONE_ELSEWHERE", M, "a row whose milestone is another action's, none of its own: a "
    "mistyped reference (1.10 typed into a number cell reads 1.1); not used")
UNREADABLE_DATE = Code(
    "UNREADABLE_DATE", L, "a revised date, date achieved or `Date completed` whose words give "
    "no date at all: the officer's words are kept (a revised date's are in the paper); words "
    "read loosely (\"Jan 24\", \"wk ending 13th Oct\") are not flagged, the receipt says how "
    "they were read and what to write, unless a revised date's words may mean two days, one "
    "making its action or milestone slipped or overdue in the papers and the other not "
    "(\"Jan 24\": January 2024 or 24 January): then flagged, naming both days to write")
LATE_DATE_ACHIEVED = Code(
    "LATE_DATE_ACHIEVED", L, "a date achieved later than the return could have been "
    "written: after its `Date completed`, or, with none given, after the end of the quarter "
    "that follows its period (\"24/01/2024\" in a 2022/23 Q2 return); the date is kept, and "
    "the officer asked for the day it was done")
UNREADABLE_FORECAST = Code(
    "UNREADABLE_FORECAST", L, "a forecast year-end status that is not a status")
WRONG_PERIOD = Code(
    "WRONG_PERIOD", M, "the return's Period field disagrees with the folder it is in")
UNAPPROVED_RETURN = Code("UNAPPROVED_RETURN", M, "no one is named under `Approved by`")
SUPERSEDED_RETURN = Code(
    "SUPERSEDED_RETURN", L, "two files from one service: the one for this period (by its "
    "`Period`), then the newest (by `Date completed`, then a name that is not a copy's, then "
    "file time) is used")
SERVICE_NAME_MISMATCH = Code(
    "SERVICE_NAME_MISMATCH", H, "a file whose name names one service area and whose `Service "
    "area` cell another: it never replaces the other service's own return (whose name and "
    "cell agree), and is used for it only when no such return came; told to both services")
TIED_RETURNS = Code(
    "TIED_RETURNS", M, "two returns from one service with the same `Date completed`: the one "
    "whose name is not a copy's (\"Copy of\", \"(1)\", \"- Copy\", \"~$\"), then the later "
    "file time, is used; said on both receipts")
OLD_RETURN = Code(
    "OLD_RETURN", H, "a file whose updates nearly all repeat last period's return: last "
    "period's, left in this period's folder; not used")
STALE_UPDATE = Code("STALE_UPDATE", L, "the same words as last period")
LONG_UPDATE = Code(
    "LONG_UPDATE", L, "an update or next steps over `long_update_words` (150 unless set) "
    "words, `long_update_chars` (2000) characters or `long_update_lines` (25) lines: the paper "
    "shows it cut there")
WITHDRAWN_RETURN = Code(
    "WITHDRAWN_RETURN", L, "a file an earlier run gave a receipt is no longer in the returns "
    "folder: its receipt is removed", readers=DATA_ONLY)
STATUS_MISMATCH = Code(
    "STATUS_MISMATCH", M, "On track or Complete while the update says the work is delayed, "
    "paused or behind")
STATUTORY_WORDS = Code(
    "STATUTORY_WORDS", L, "`[statutory_officers]` gives no comments of the Section 151 "
    "Officer or the Monitoring Officer: the paper prints standard words for a report to note "
    "under their titles; ask them, and set `finance` or `monitoring`", readers=DATA_ONLY)

CODES: dict[str, Code] = {
    str(value): value for value in list(globals().values()) if isinstance(value, Code)}
DELIVERY_CODES = frozenset(code for code in CODES.values() if code.delivery)


def code_named(name: str) -> Code:
    """Give the declared code called `name`; a name not declared is a programming error."""
    try:
        return CODES[name]
    except KeyError:
        raise ValueError(f"{name!r} is not a finding code declared in reporting.checks.codes")\
            from None
