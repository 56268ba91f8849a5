"""``sitrep eval control``: control answers on real reporting, scored against a day-by-day truth.

The method is written down in docs/eval-control.md. In short:

- **Questions**: for each stored report published inside the window, each settlement it names
  (a place resolved to a GeoNames id) that the truth covers. One question per (day, settlement):
  two reports of one day naming the same village ask once. At most ``limit`` questions are kept,
  chosen by a seeded hash of (day, geonameid), so the choice is deterministic and a question stays
  chosen when other questions come or go.
- **Answer**: what ``sitrep control GEONAMEID --on DAY`` says from the store (signals dated on or
  before the day, within the timeline's horizon). ``unknown`` is not an answer.
- **Tolerance**: the truth's states on the days DAY-3 .. DAY+3 form the question's *window*. A UA or
  RU answer is right when that side holds the place on some day of the window; ``contested`` is right
  when the window holds a change of hands or a truth ``unknown`` (DeepState's grey zone). So near a
  change both neighbouring states and ``contested`` are right; a UA or RU answer for a place that is
  grey all week long is wrong.
- **Baseline**: the truth's own first state (the map of 2022-04-03) as the answer to every
  question; a first state of ``unknown`` answers ``contested``. It answers every question.

Measurement only: nothing here feeds back into the rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from bisect import bisect_right
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from sitrep import control
from sitrep.errors import NotFound
from sitrep.store import Store

SIDES = ("UA", "RU")
TOLERANCE_DAYS = 3
WINDOW_START = dt.date(2022, 4, 3)
WINDOW_END = dt.date(2022, 7, 31)
QUESTIONS = 400


# --- truth -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TruthPlace:
    geonameid: int
    name: str
    admin1: str | None
    changed: bool
    days: tuple[dt.date, ...]  # the first day, then each day the state changed
    states: tuple[str, ...]  # UA, RU or unknown, from that day on

    def state_on(self, day: dt.date) -> str:
        """The state on ``day``; before the first entry, the first state."""
        index = bisect_right(self.days, day) - 1
        return self.states[max(index, 0)]

    def window(self, day: dt.date, tolerance: int = TOLERANCE_DAYS) -> frozenset[str]:
        """Every state the place was in on some day within ``tolerance`` days of ``day``."""
        low, high = day - dt.timedelta(days=tolerance), day + dt.timedelta(days=tolerance)
        found = {self.state_on(low)}
        found.update(state for when, state in zip(self.days, self.states, strict=True) if low < when <= high)
        return frozenset(found)

    @property
    def first(self) -> str:
        return self.states[0]


def read_truth(path: Path) -> dict[int, TruthPlace]:
    """The truth file: one JSON object per line with geonameid, name, admin1, changed and states."""
    found: dict[int, TruthPlace] = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                entries = sorted((dt.date.fromisoformat(day), state) for day, state in item["states"])
                if not entries or any(state not in ("UA", "RU", "unknown") for _, state in entries):
                    raise ValueError("states must be a non-empty list of [day, UA|RU|unknown]")
                place = TruthPlace(geonameid=int(item["geonameid"]), name=item["name"], admin1=item.get("admin1"),
                                   changed=bool(item.get("changed", len({s for _, s in entries}) > 1)),
                                   days=tuple(day for day, _ in entries), states=tuple(s for _, s in entries))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: {error}") from error
            found[place.geonameid] = place
    return found


# --- judging ---------------------------------------------------------------------------------------

def judge(answer: str, window: frozenset[str]) -> bool | None:
    """Whether an answer is right against the truth's window of states; None for ``unknown``
    (no answer). See the module docstring for the rule."""
    if answer in SIDES:
        return answer in window
    if answer == "contested":
        return len(window) > 1 or "unknown" in window
    return None


def judge_strict(answer: str, truth: str) -> bool | None:
    """The same without tolerance: the truth on the day itself, ``contested`` matching ``unknown``."""
    if answer == "unknown":
        return None
    return answer == ("contested" if truth == "unknown" else truth)


def baseline_answer(place: TruthPlace) -> str:
    """The map of the first truth day, as an answer."""
    return "contested" if place.first == "unknown" else place.first


# --- questions -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Question:
    day: dt.date
    geonameid: int
    name: str
    report: str  # the first report of the day naming the place (its source id or document id)


def candidate_questions(store: Store, truth: dict[int, TruthPlace], since: dt.date = WINDOW_START,
                        until: dt.date = WINDOW_END) -> tuple[list[Question], int]:
    """Every (day, settlement) that a stored report published in [since, until] names and the truth
    covers, and how many reports were in the window."""
    from sqlalchemy import select

    from sitrep.store.schema import documents, places

    query = (select(documents.c.id, documents.c.source, documents.c.published, places.c.geonameid)
             .join(places, places.c.document_id == documents.c.id)
             .where(documents.c.published >= since, documents.c.published <= until,
                    places.c.geonameid.is_not(None))
             .order_by(documents.c.published, documents.c.source, documents.c.id, places.c.idx))
    found: dict[tuple[dt.date, int], Question] = {}
    with store.reading() as connection:
        reports = {row.id for row in connection.execute(
            select(documents.c.id).where(documents.c.published >= since, documents.c.published <= until))}
        for row in connection.execute(query):
            if row.geonameid in truth and (row.published, row.geonameid) not in found:
                report = row.source.rpartition("#id=")[2] if "#id=" in row.source else row.id
                found[(row.published, row.geonameid)] = Question(row.published, row.geonameid,
                                                                 truth[row.geonameid].name, report)
    return list(found.values()), len(reports)


def sample(questions: list[Question], limit: int | None, seed: int = 0) -> list[Question]:
    """At most ``limit`` questions: those with the smallest seeded hash of (day, geonameid), in
    day order. Stable: adding or losing a question elsewhere does not change whether one is chosen."""
    def rank(question: Question) -> str:
        return hashlib.sha256(f"{seed}|{question.day}|{question.geonameid}".encode()).hexdigest()

    chosen = sorted(questions, key=rank)[:limit] if limit is not None and limit < len(questions) else questions
    return sorted(chosen, key=lambda question: (question.day, question.name, question.geonameid))


# --- answers and scores ----------------------------------------------------------------------------

@dataclass
class Answer:
    day: dt.date
    geonameid: int
    name: str
    report: str
    changed: bool
    answer: str
    confidence: float
    truth: str  # on the day
    window: list[str]  # within the tolerance
    correct: bool | None
    strict: bool | None
    baseline: str
    baseline_correct: bool
    evidence: str  # none (no signal ever), out_of_reach (none dated in the horizon by then), weak, enough
    later: bool = False  # some evidence comes from a report published after the day (a date range reaching back)
    claims: list[dict[str, Any]] = field(default_factory=list)


def ask(store: Store, question: Question, place: TruthPlace, tolerance: int = TOLERANCE_DAYS,
        published: dict[str, dt.date | None] | None = None) -> Answer:
    """sitrep's answer to one question, judged. With ``published`` (document id -> day), the answer
    notes whether any of its evidence comes from a report published after the question's day."""
    try:
        days = [day for day in control.timeline(store, str(question.geonameid), question.day)
                if day.place.geonameid == question.geonameid]
    except NotFound:
        days = []
    result = days[0] if days else None
    state = result.state if result else "unknown"
    if result is None:
        evidence = "none"
    elif not result.evidence:
        evidence = "out_of_reach"
    else:
        evidence = "weak" if state == "unknown" else "enough"
    window = place.window(question.day, tolerance)
    base = baseline_answer(place)
    published = published or {}
    claims = [{"claim_id": item.claim_id, "state": item.state, "effect": item.effect, "words": item.words,
               "date": str(item.date.end), "published": str(published.get(item.document_id)),
               "weight": item.weight, "supports": item.supports}
              for item in (result.evidence if result else [])]
    later = any((published.get(item.document_id) or question.day) > question.day
                for item in (result.evidence if result else []))
    return Answer(day=question.day, geonameid=question.geonameid, name=question.name, report=question.report,
                  changed=place.changed, answer=state, confidence=result.confidence if result else 0.0,
                  truth=place.state_on(question.day), window=sorted(window), correct=judge(state, window),
                  strict=judge_strict(state, place.state_on(question.day)), baseline=base,
                  baseline_correct=bool(judge(base, window)), evidence=evidence, later=later, claims=claims)


@dataclass
class Rate:
    right: int = 0
    total: int = 0

    def add(self, right: bool) -> None:
        self.right += bool(right)
        self.total += 1

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None


@dataclass
class ControlEvalReport:
    since: dt.date
    until: dt.date
    tolerance: int
    seed: int
    reports: int = 0
    candidates: int = 0
    questions: int = 0
    answered: int = 0
    no_evidence: int = 0  # no control signal at all, ever, for the question's place
    later: int = 0  # answered with some evidence from a report published after the question's day
    evidence: dict[str, int] = field(default_factory=dict)
    accuracy: Rate = field(default_factory=Rate)  # sitrep, on answered questions
    strict: Rate = field(default_factory=Rate)  # sitrep, answered, no tolerance
    sides: Rate = field(default_factory=Rate)  # sitrep, answered UA or RU (not contested)
    sides_changed: Rate = field(default_factory=Rate)  # the same, places that changed hands
    baseline_sides: Rate = field(default_factory=Rate)  # the baseline on the questions sitrep answered UA or RU
    baseline_sides_changed: Rate = field(default_factory=Rate)
    changed: Rate = field(default_factory=Rate)  # answered, places that changed hands in the truth
    unchanged: Rate = field(default_factory=Rate)
    changed_questions: int = 0
    baseline_all: Rate = field(default_factory=Rate)
    baseline_answered: Rate = field(default_factory=Rate)
    baseline_changed_all: Rate = field(default_factory=Rate)
    baseline_changed_answered: Rate = field(default_factory=Rate)
    by_answer: dict[str, Rate] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # answer -> truth on the day -> count
    answers: list[Answer] = field(default_factory=list)

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.questions if self.questions else None

    @property
    def misses(self) -> list[Answer]:
        return [answer for answer in self.answers if answer.correct is False]


def score(answers: list[Answer], report: ControlEvalReport) -> ControlEvalReport:
    """Fill ``report``'s counts from judged answers."""
    confusion: dict[str, Counter] = {}
    for answer in answers:
        report.answers.append(answer)
        report.questions += 1
        report.changed_questions += answer.changed
        report.no_evidence += answer.evidence == "none"
        report.evidence[answer.evidence] = report.evidence.get(answer.evidence, 0) + 1
        report.baseline_all.add(answer.baseline_correct)
        if answer.changed:
            report.baseline_changed_all.add(answer.baseline_correct)
        confusion.setdefault(answer.answer, Counter())[answer.truth] += 1
        if answer.correct is None:
            continue
        report.answered += 1
        report.later += answer.later
        report.accuracy.add(answer.correct)
        report.strict.add(bool(answer.strict))
        report.by_answer.setdefault(answer.answer, Rate()).add(answer.correct)
        if answer.answer in SIDES:
            report.sides.add(answer.correct)
            report.baseline_sides.add(answer.baseline_correct)
            if answer.changed:
                report.sides_changed.add(answer.correct)
                report.baseline_sides_changed.add(answer.baseline_correct)
        report.baseline_answered.add(answer.baseline_correct)
        (report.changed if answer.changed else report.unchanged).add(answer.correct)
        if answer.changed:
            report.baseline_changed_answered.add(answer.baseline_correct)
    report.confusion = {key: dict(sorted(value.items())) for key, value in sorted(confusion.items())}
    return report


def evaluate(store: Store, truth: dict[int, TruthPlace], limit: int | None = QUESTIONS, seed: int = 0,
             since: dt.date = WINDOW_START, until: dt.date = WINDOW_END, tolerance: int = TOLERANCE_DAYS,
             progress: Callable[[], None] | None = None) -> ControlEvalReport:
    """Ask the sampled questions of the store's reports and score the answers against ``truth``."""
    candidates, reports = candidate_questions(store, truth, since, until)
    chosen = sample(candidates, limit, seed)
    report = ControlEvalReport(since=since, until=until, tolerance=tolerance, seed=seed, reports=reports,
                               candidates=len(candidates))
    published = _published(store)
    answers = []
    for question in chosen:
        answers.append(ask(store, question, truth[question.geonameid], tolerance, published))
        if progress:
            progress()
    return score(answers, report)


def _published(store: Store) -> dict[str, dt.date | None]:
    from sqlalchemy import select

    from sitrep.store.schema import documents

    with store.reading() as connection:
        return {row.id: row.published for row in connection.execute(select(documents.c.id, documents.c.published))}


def build_store(reports: list[str], store: Store, settings, input_format: str | None = "jsonl",
                pipeline_factory=None):
    """Ingest the reports (documents already stored are skipped) and cluster: the ordinary ingest
    path, nothing special for the evaluation."""
    from sitrep import corroborate, service

    if pipeline_factory is None:
        from sitrep.pipeline import Pipeline

        def pipeline_factory():
            return Pipeline(settings)

    outcome = service.ingest(reports, store, pipeline_factory, settings, input_format)
    corroborate.update(store)
    return outcome


# --- output ----------------------------------------------------------------------------------------

def _rate(rate: Rate) -> dict[str, Any]:
    return {"value": None if rate.value is None else round(rate.value, 4), "right": rate.right, "n": rate.total}


def report_dict(report: ControlEvalReport, misses: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        "window": [str(report.since), str(report.until)], "tolerance_days": report.tolerance, "seed": report.seed,
        "reports": report.reports, "candidate_questions": report.candidates, "questions": report.questions,
        "changed_questions": report.changed_questions, "answered": report.answered,
        "answered_share": None if report.answered_share is None else round(report.answered_share, 4),
        "no_evidence": report.no_evidence, "answered_with_later_evidence": report.later,
        "evidence": dict(sorted(report.evidence.items())),
        "sitrep": {"accuracy_answered": _rate(report.accuracy), "strict_answered": _rate(report.strict),
                   "sides_answered": _rate(report.sides), "sides_changed": _rate(report.sides_changed),
                   "changed_answered": _rate(report.changed), "unchanged_answered": _rate(report.unchanged),
                   "by_answer": {key: _rate(value) for key, value in sorted(report.by_answer.items())}},
        "baseline": {"accuracy_all": _rate(report.baseline_all), "accuracy_answered": _rate(report.baseline_answered),
                     "changed_all": _rate(report.baseline_changed_all),
                     "changed_answered": _rate(report.baseline_changed_answered),
                     "sides_answered": _rate(report.baseline_sides),
                     "sides_changed": _rate(report.baseline_sides_changed)},
        "confusion": report.confusion,
    }
    if misses:
        data["misses"] = [_answer_dict(answer) for answer in report.misses[:misses]]
    return data


def _answer_dict(answer: Answer) -> dict[str, Any]:
    data = asdict(answer)
    data["day"] = str(answer.day)
    return data
