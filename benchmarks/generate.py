"""Write a synthetic plan workbook and a quarter's returns for the benchmark, from a seeded RNG.

The same (actions, services, seed) always gives the same files, so two benchmark runs read
identical inputs. The shape follows the bundled Harborough plan and returns, scaled up:

- the plan workbook is what `scripts/build_plan_workbook.py` writes (sheets `Priorities`,
  `Actions`, `Milestones`, columns `reporting.plan.PLAN_COLUMNS`); an action ID is a
  priority number and one letter, so a priority holds at most 26 actions (25 are used);
- each service area's return is what `scripts/build_bundled_returns.py` writes (a workbook
  with a `Return` sheet and header fields above the table, or a CSV), with what a real
  quarter brings: missing returns, unreadable ones, a missing column, blank statuses and
  updates, RAG words, slipped dates with and without a reason, unreadable dates, rows for
  actions not in the plan, repeated rows, per-milestone rows, long pasted updates, and
  characters that must be escaped (`&`, `<`, quotes, `=` at the start of a cell).

The returns are for 2022/23 Q4 unless `period` names another quarter (`generate(...,
period="2022/23-Q2")`): the returns folder, each workbook's Period cell, the actions' due
dates and the settings' meeting date then follow that quarter.

Run: python -m benchmarks.generate FOLDER --actions 1000 --services 60 [--seed 6]
     [--period 2022/23-Q2]
"""

from __future__ import annotations

import argparse
import csv
import random
import string
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reporting.intake.returns import RETURN_COLUMNS  # noqa: E402
from reporting.period import Period  # noqa: E402
from reporting.plan import PLAN_COLUMNS  # noqa: E402

# The paper the benchmark asks for: six-monthly at Q4 covers quarterly, six-monthly and
# annual actions, so every action in the plan is in the report.
PERIOD_LABEL = "2022/23 Q4"
PERIOD_PATH = "2022-23-Q4"
PAPER = "six-monthly"
PERIOD_END = date(2023, 3, 31)

# The sizes of the issue: (actions, service areas).
SIZES = ((25, 9), (250, 30), (1000, 60), (5000, 200))
SEED = 6

# Shares, per return or per row, taken from what the bundled quarter and officers' habits show.
SHARE_NO_RETURN = 0.04  # a service area sends nothing
SHARE_UNREADABLE = 0.02  # a file that is not a spreadsheet at all
SHARE_NO_STATUS_COLUMN = 0.02  # a workbook whose header lost the Status column
SHARE_CSV = 0.10  # sent as CSV instead of the workbook
SHARE_ROW_MISSING = 0.04  # an action the return has no row for
SHARE_BLANK_UPDATE = 0.03
SHARE_BLANK_STATUS = 0.02
SHARE_BAD_STATUS = 0.01  # "TBC", "see notes"
SHARE_RAG_WORD = 0.12  # Green/Amber/Red instead of the word
SHARE_REVISED = 0.05  # a revised date (70% of them with a reason)
SHARE_BAD_DATE = 0.01  # "end of March" in a date column
SHARE_UNKNOWN_ROW = 0.01  # an action ID that is not in the plan
SHARE_DUPLICATE_ROW = 0.01
SHARE_PER_MILESTONE = 0.3  # an action with milestones reported one row per milestone
SHARE_LONG_UPDATE = 0.03  # pasted from a committee report: 160-320 words
SHARE_NO_MILESTONE = 0.05
SHARE_NO_TARGET = 0.03
SHARE_NO_WHAT = 0.02

# A realistic quarter: about 15% of actions are delivery exceptions (off track, at risk,
# overdue, slipped or not reported), not half of them.
STATUSES = (("On track", 0.63), ("Complete", 0.14), ("At risk", 0.07), ("Off track", 0.03),
            ("Not started", 0.13))
RAG = {"On track": "Green", "Complete": "Blue", "At risk": "Amber", "Off track": "Red",
       "Not started": "Grey"}
CADENCES = (("Quarterly", 0.6), ("Six-monthly", 0.25), ("Annual", 0.15))

_SERVICES = (
    "Planning Policy", "Regulatory Services", "Housing", "Health & Wellbeing",
    "Economic Development", "Community Partnerships", "Communications", "Human Resources",
    "Environmental Health", "Waste & Recycling", "Parks & Open Spaces", "Leisure",
    "Revenues & Benefits", "Customer Services", "Building Control", "Licensing",
    "Community Safety", "Democratic Services", "Finance", "ICT", "Legal Services",
    "Property & Assets", "Climate Change", "Transport", "Tourism", "Elections",
    "Emergency Planning", "Procurement", "Strategic Housing", "Regeneration",
)
_PLACES = (
    "Harborough", "Blaby", "Charnwood", "Hinckley & Bosworth", "Melton",
    "North West Leicestershire", "Oadby & Wigston", "Rutland", "Lutterworth",
    "Market Harborough", "Kibworth", "Broughton Astley",
)
_PARTNERS = (
    "Leicestershire County Council", "ICS", "Registered Providers", "Citizens Advice",
    "Everyone Active", "LOROS", "Voluntary Action Leicestershire", "Police", "Fire and Rescue",
    "Town and parish councils", "Local businesses", "Canal & River Trust", "SSPAN",
    "Leicestershire Partnership Trust", "DEFRA", "Job Centre Plus",
)
_WORDS = (
    "residents council partners district programme delivery review scheme funding support "
    "officers community housing health wellbeing services strategy project referrals "
    "sessions consultation plan policy report cabinet members schools businesses training "
    "volunteers monitoring outcomes quarter target survey grant contract provider tenants "
    "inspections visits homes families children young people older adults disability "
    "access advice income energy retrofit air quality sites results campaign awareness "
    "events venues network pathway commissioning evaluation procurement budget savings "
    "timetable working group meeting board agreed drafted submitted launched completed "
    "extended postponed delayed approved published received handled promoted attended "
    "delivered prioritised improved reduced increased continued"
).split()
_NOISE = ("&", "<", ">", "\"", "'", "£", "–", "’", "%")
_BAD_STATUSES = ("TBC", "see notes", "Green?", "n/a", "In progress-ish")
_BAD_DATES = ("end of March", "spring 2023", "31/13/2023", "tbc", "next year")
_REASONS = (
    "Awaiting the revised National Planning Policy Framework before consulting",
    "Funding bid unsuccessful; waiting for the next round",
    "Staff vacancy in the team since the summer",
    "Partner organisation restructuring",
    "Contractor unable to start until the spring",
)


def _words(rng: random.Random, low: int, high: int, noise: float = 0.02) -> str:
    """Give a plausible run of sentences between `low` and `high` words long."""
    count = rng.randint(low, high)
    out, sentence = [], []
    for i in range(count):
        word = rng.choice(_WORDS)
        if rng.random() < noise:
            word = rng.choice(_NOISE) + word
        if rng.random() < 0.06:
            word = str(rng.randint(2, 400))
        sentence.append(word)
        if len(sentence) >= rng.randint(9, 22) or i == count - 1:
            text = " ".join(sentence)
            out.append(text[0].upper() + text[1:] + ".")
            sentence = []
    return " ".join(out)


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([w for w, _ in weighted], weights=[p for _, p in weighted])[0]


def service_areas(count: int) -> list[str]:
    """Give `count` distinct service area names (the bundled nine first, then by place)."""
    names = list(_SERVICES[:count])
    for place in _PLACES:
        for service in _SERVICES:
            if len(names) >= count:
                return names
            names.append(f"{place} {service}")
    if len(names) < count:
        raise ValueError(f"at most {len(names)} service areas can be generated")
    return names


def _file_stem(service: str) -> str:
    return service.lower().replace("&", "and").replace(" ", "-")


@dataclass
class PlannedAction:
    id: str
    priority: int
    lead: str
    milestones: list[str]
    due: date


@dataclass
class Generated:
    """What was written, and what the generator put in on purpose (for the results note)."""

    folder: Path
    actions: int
    services: int
    plan: Path
    returns: list[Path] = field(default_factory=list)
    no_return: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    rows: int = 0
    period: Period = Period.parse(PERIOD_PATH)

    @property
    def returns_folder(self) -> Path:
        return self.folder / "returns" / self.period.path


def _priorities(actions: int) -> list[int]:
    """Give the number of actions in each priority (at most 25, so IDs stay one letter)."""
    if actions <= 25 * 6:
        count = 6
    else:
        count = -(-actions // 25)
    base, extra = divmod(actions, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def write_plan(path: Path, actions: int, services: list[str], rng: random.Random,
               period_end: date = PERIOD_END) -> list[PlannedAction]:
    """Write the plan workbook and give the actions it holds."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = {name: workbook.create_sheet(name) for name in PLAN_COLUMNS}
    for name, ws in sheets.items():
        ws.append(list(PLAN_COLUMNS[name]))
    planned = []
    # Service areas lead unequal numbers of actions (a few lead many), but each leads one.
    weights = [1.0 / (1 + i % 7) for i in range(len(services))]
    order = services + rng.choices(services, weights=weights, k=max(0, actions - len(services)))
    rng.shuffle(order)
    n = 0
    for number, size in enumerate(_priorities(actions), start=1):
        sheets["Priorities"].append([number, _words(rng, 2, 5, noise=0).rstrip(".")])
        for letter in string.ascii_lowercase[:size]:
            action_id = f"{number}.{letter}"
            lead = order[n]
            n += 1
            partners = ", ".join(rng.sample(_PARTNERS, rng.randint(0, 3)))
            # A plan over several years: a few actions fall due by the report's period end.
            due = period_end + timedelta(days=rng.randint(-60, 1100))
            milestones = [] if rng.random() < SHARE_NO_MILESTONE else [
                _words(rng, 4, 12, noise=0).rstrip(".") for _ in range(rng.randint(1, 3))]
            cadence = _pick(rng, CADENCES)
            sheets["Actions"].append([
                action_id, number,
                _words(rng, 5, 15, noise=0).rstrip("."),
                "" if rng.random() < SHARE_NO_WHAT else _words(rng, 8, 30),
                due.strftime("%B %Y"), due, f"{lead}, {partners}" if partners else lead,
                lead, partners,
                "" if rng.random() < SHARE_NO_TARGET else _words(rng, 5, 20),
                cadence,
            ])
            for milestone in milestones:
                sheets["Milestones"].append([action_id, milestone])
            planned.append(PlannedAction(action_id, number, lead, milestones, due))
    for ws in (sheets["Actions"],):
        for row in ws.iter_rows(min_row=2, min_col=6, max_col=6):
            row[0].number_format = "DD/MM/YYYY"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return planned


def _status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < SHARE_BLANK_STATUS:
        return ""
    if roll < SHARE_BLANK_STATUS + SHARE_BAD_STATUS:
        return rng.choice(_BAD_STATUSES)
    word = _pick(rng, STATUSES)
    return RAG[word] if rng.random() < SHARE_RAG_WORD else word


def _update(rng: random.Random) -> str:
    roll = rng.random()
    if roll < SHARE_BLANK_UPDATE:
        return ""
    if roll < SHARE_BLANK_UPDATE + SHARE_LONG_UPDATE:
        text = _words(rng, 160, 320)
        return text.replace(". ", ".\n", 2)  # pasted paragraphs keep their line breaks
    text = _words(rng, 12, 70)
    return ("=" + text) if rng.random() < 0.003 else text


def _rows_for(action: PlannedAction, rng: random.Random) -> list[list[object]]:
    """Give the return rows (RETURN_COLUMNS order) an officer writes for one action."""
    if rng.random() < SHARE_ROW_MISSING:
        return []
    per_milestone = len(action.milestones) > 1 and rng.random() < SHARE_PER_MILESTONE
    milestones = action.milestones if per_milestone else [""]
    rows = []
    for milestone in milestones:
        status = _status(rng)
        revised: object = None
        reason = ""
        if rng.random() < SHARE_REVISED:
            revised = action.due + timedelta(days=rng.randint(30, 365))
            reason = rng.choice(_REASONS) if rng.random() < 0.7 else ""
        if rng.random() < SHARE_BAD_DATE:
            revised = rng.choice(_BAD_DATES)
        achieved = (action.due - timedelta(days=rng.randint(0, 90))
                    if status in ("Complete", "Blue") and rng.random() < 0.8 else None)
        rows.append([
            action.id.upper() if rng.random() < 0.05 else action.id,
            "", milestone, status, _update(rng), revised, reason, achieved,
            _words(rng, 3, 12, noise=0) if rng.random() < 0.3 else "",
            _words(rng, 4, 18),
        ])
    if rng.random() < SHARE_DUPLICATE_ROW:
        rows.append(list(rows[0]))
    return rows


def _cell(value: object) -> object:
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else value


def write_returns(folder: Path, planned: list[PlannedAction], services: list[str],
                  rng: random.Random, generated: Generated) -> None:
    """Write one return per service area (or none, or a broken one) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    by_service: dict[str, list[PlannedAction]] = {s: [] for s in services}
    for action in planned:
        by_service[action.lead].append(action)
    max_priority = max(a.priority for a in planned)
    for service in services:
        stem = _file_stem(service)
        roll = rng.random()
        if roll < SHARE_NO_RETURN:
            generated.no_return.append(service)
            continue
        if roll < SHARE_NO_RETURN + SHARE_UNREADABLE:
            path = folder / f"{stem}.xlsx"
            path.write_bytes(b"PK\x03\x04 not really a workbook " + bytes(rng.randbytes(2000)))
            generated.unreadable.append(service)
            generated.returns.append(path)
            continue
        rows = [row for action in by_service[service] for row in _rows_for(action, rng)]
        if rng.random() < SHARE_UNKNOWN_ROW * max(1, len(rows)) / 5:
            rows.append([f"{max_priority + 1}.{rng.choice('abc')}", "", "", "On track",
                         _words(rng, 10, 40), None, "", None, "", ""])
        generated.rows += len(rows)
        columns = list(RETURN_COLUMNS)
        if roll < SHARE_NO_RETURN + SHARE_UNREADABLE + SHARE_NO_STATUS_COLUMN:
            columns[columns.index("Status")] = "RAG"
        if rng.random() < SHARE_CSV:
            path = folder / f"{stem}.csv"
            with path.open("w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                writer.writerows([_cell(v) for v in row] for row in rows)
        else:
            path = folder / f"{stem}.xlsx"
            workbook = Workbook()
            ws = workbook.active
            ws.title = "Return"
            completed = generated.period.end + timedelta(days=rng.randint(3, 20))
            for label, value in (("Service area", service), ("Period", generated.period.label),
                                 ("Completed by", f"{_words(rng, 2, 2, 0)[:-1]}, Officer"),
                                 ("Approved by", f"{_words(rng, 2, 2, 0)[:-1]}, Manager"),
                                 ("Date completed", completed)):
                ws.append([label, value])
            ws.append([])
            ws.append(columns)
            for row in rows:
                ws.append(row)
            for cells in ws.iter_rows(min_row=7, min_col=6, max_col=8):
                for cell in cells:
                    if isinstance(cell.value, date):
                        cell.number_format = "DD/MM/YYYY"
            ws["B5"].number_format = "DD/MM/YYYY"
            workbook.save(path)
        generated.returns.append(path)


_SETTINGS = """\
# Settings for a benchmark run (written by benchmarks/generate.py).
[council]
name = "Benchmark District Council"
committee = "Scrutiny Commission"
report_author = "Policy and Performance Officer"
author_contact = "performance@example.gov.uk"
lead_member = "Portfolio Holder"

[plan]
title = "Corporate Plan 2022/23 ({actions} actions)"
default_cadence = "quarterly"

[paths]
inputs = "."
outputs = "outputs"

[meetings]
"{period}" = {meeting}
"""

# The committee meets this long after the quarter ends (2023-06-12 for 2022/23 Q4).
MEETING_AFTER_PERIOD_END = timedelta(days=73)


def generate(folder: Path, actions: int, services: int, seed: int = SEED,
             period: str = PERIOD_PATH) -> Generated:
    """Write `folder`/plan/plan.xlsx, `folder`/returns/<period>/ and `folder`/reporting.toml,
    with the returns of the quarter `period` (default 2022/23 Q4)."""
    folder = Path(folder)
    quarter = Period.parse(period)
    if quarter.kind != "Q":
        raise ValueError(f"returns are for a quarter, not {quarter.label}")
    rng = random.Random(f"{seed}-{actions}-{services}")
    names = service_areas(services)
    plan_path = folder / "plan" / f"corporate-plan-{actions}.xlsx"
    planned = write_plan(plan_path, actions, names, rng, quarter.end)
    generated = Generated(folder, actions, services, plan_path, period=quarter)
    write_returns(generated.returns_folder, planned, names, rng, generated)
    (folder / "reporting.toml").write_text(_SETTINGS.format(
        actions=actions, period=quarter.path,
        meeting=(quarter.end + MEETING_AFTER_PERIOD_END).isoformat()), encoding="utf-8")
    return generated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--actions", type=int, default=1000)
    parser.add_argument("--services", type=int, default=60)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--period", default=PERIOD_PATH, help="the quarter of the returns")
    args = parser.parse_args(argv)
    g = generate(args.folder, args.actions, args.services, args.seed, args.period)
    print(f"{g.plan}: {g.actions} actions; {len(g.returns)} return files "
          f"({len(g.unreadable)} unreadable), {len(g.no_return)} service areas sent none, "
          f"{g.rows} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
