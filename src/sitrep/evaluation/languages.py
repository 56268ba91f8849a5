"""Claims measured on Ukrainian and Russian text: the gold sets of ``tests/gold/uk_ru/`` (issue #15).

Three sets, each scored on its own:
- ``uk`` and ``ru-team``: the team's own sentences (``team.jsonl``, text in the file). Each sentence is run as a
  small document of its own, with the file's publication day and channel name as the document's outlet, and
  the whole sentence is the gold span.
- ``ru-telegram``: real sentences of real Russian Telegram posts (``telegram_ru.jsonl``), standoff: post id,
  character offsets into the post's ``text`` and labels. The posts stay in ``../shared`` and are read at run
  time; each post that holds a gold sentence is run whole, as the JSON Lines reader would make it, and the
  claims are scored at the annotated offsets.

The counting rules are those of ``sitrep.evaluation.realtext`` (claims to sentences by overlap, events paired by
agreement, place right on the same GeoNames id or within 10 km, source name, kind and side over all gold
sentences, non-asserted system events on a sentence without gold events excused). Conventions, splits and
counts: ``tests/gold/uk_ru/README.md``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import InputError
from sitrep.evaluation import realtext
from sitrep.evaluation.jsonlines import read_records
from sitrep.evaluation.realtext import GoldSentence, RealReport, label_problems, report_dict, score_report

DEFAULT_TEAM = Path("tests/gold/uk_ru/team.jsonl")
DEFAULT_TELEGRAM = Path("tests/gold/uk_ru/telegram_ru.jsonl")
DEFAULT_POSTS = Path("../shared/data/corpora/telegram-ru-2024/posts.jsonl.gz")
SPLITS = ("dev", "test")
SETS = ("uk", "ru-team", "ru-telegram")
LANGUAGES = ("uk", "ru")
TELEGRAM_FIELDS = {"doc", "start", "end", "split", "events", "source"}
# A gold span starts where a sentence may start and ends where one may end (see ``sentence_aligned``).
_SENTENCE_END = re.compile(r"[.!?…»\"*)_]$")
_INNER_BOUNDARY = re.compile(r"[.!?…]\s+[А-ЯЁІЇЄҐA-Z]")  # a full stop then a capital: two sentences
_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
_SENTENCE_BEFORE = re.compile(r"(?:^|[.!?…»\"*)_:]|\n)\s*$")


# ------------------------------------------------------------------ the gold sets

@dataclass(frozen=True)
class TeamSentence:
    id: str
    language: str
    split: str
    text: str
    published: str
    outlet: str
    events: tuple[dict, ...]
    source: dict
    line: int = 0

    def gold(self) -> GoldSentence:
        """The sentence as a gold span over its whole one-sentence document."""
        return GoldSentence(doc=self.id, start=0, end=len(self.text), split=self.split, events=self.events,
                            source=self.source, line=self.line)


def read_team(path: Path | str = DEFAULT_TEAM) -> list[TeamSentence]:
    """The team's sentences; a line that is not a JSON object with the fields is an InputError."""
    return read_records(path, _team_sentence, "team sentence", "pass --team PATH")


def _team_sentence(record: dict, line: int) -> TeamSentence:
    return TeamSentence(id=str(record["id"]), language=str(record["language"]), split=str(record["split"]),
                        text=str(record["text"]), published=str(record["published"]), outlet=str(record["outlet"]),
                        events=tuple(record["events"]), source=dict(record["source"]), line=line)


def read_telegram(path: Path | str = DEFAULT_TELEGRAM) -> list[GoldSentence]:
    """The standoff annotations of real posts (the ISW gold set's format)."""
    return read_records(path, _telegram_sentence, "gold sentence", "pass --telegram PATH")


def _telegram_sentence(record: dict, line: int) -> GoldSentence:
    extra = set(record) - TELEGRAM_FIELDS
    if extra:  # the posts' words must never be stored here
        raise ValueError(f"fields {sorted(extra)} are not allowed in a standoff annotation")
    return GoldSentence(doc=str(record["doc"]), start=int(record["start"]), end=int(record["end"]),
                        split=str(record["split"]), events=tuple(record["events"]), source=dict(record["source"]),
                        line=line)


def read_posts(path: Path | str = DEFAULT_POSTS, ids: Iterable[str] | None = None) -> dict[str, dict]:
    """The corpus posts by id (only ``ids`` when given); the file may be gzipped."""
    path = Path(path)
    wanted = set(ids) if ids is not None else None
    opener = gzip.open if path.suffix == ".gz" else open
    posts: dict[str, dict] = {}
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    if wanted is None or record.get("id") in wanted:
                        posts[record["id"]] = record
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, EOFError) as error:
        raise InputError(str(path), f"cannot read the Telegram posts ({error}); pass --posts PATH") from None
    return posts


def telegram_split(doc: str) -> str:
    """The fixed split of a post: test when the message number (after the last hyphen) is divisible by 3."""
    return "test" if int(doc.rsplit("-", 1)[1]) % 3 == 0 else "dev"


def team_split(line: int) -> str:
    """The fixed split of a team sentence: every third line of the file (1-based) is test."""
    return "test" if line % 3 == 0 else "dev"


def sentence_aligned(text: str, start: int, end: int) -> bool:
    """Whether [start, end) can be a whole sentence: it starts the text, a line, or follows a sentence end
    (punctuation, a closing quote or Markdown mark), it ends with one or at a line end, and no full stop
    followed by a capital lies inside it."""
    if not 0 <= start < end <= len(text) or text[start:end] != text[start:end].strip() or "\n" in text[start:end]:
        return False
    if _INNER_BOUNDARY.search(text[start:end]):
        return False
    ends = bool(_SENTENCE_END.search(text[start:end])) or bool(_LINE_END.match(text, end))
    return ends and bool(_SENTENCE_BEFORE.search(text[:start]))


def check_team(items: list[TeamSentence]) -> list[str]:
    """Every problem of the team file, one line each (empty: all good)."""
    problems, seen = [], set()
    for item in items:
        where = f"line {item.line} ({item.id})"
        if item.id in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(item.id)
        if item.language not in LANGUAGES:
            problems.append(f"{where}: language {item.language!r} is not one of {LANGUAGES}")
        if item.split != team_split(item.line):
            problems.append(f"{where}: split {item.split!r}, the rule says {team_split(item.line)!r}")
        if not item.text.strip() or not item.outlet.strip():
            problems.append(f"{where}: empty text or outlet")
        try:
            dt.date.fromisoformat(item.published)
        except ValueError:
            problems.append(f"{where}: published {item.published!r} is not a date")
        problems.extend(f"{where}: {message}" for message in label_problems(item.gold()))
    return problems


def check_telegram(gold: list[GoldSentence], posts: dict[str, dict]) -> list[str]:
    """Every problem of the standoff annotations against the posts, one line each (empty: all good)."""
    problems: list[str] = []
    for item in gold:
        where = f"line {item.line} ({item.doc} {item.start}-{item.end})"
        if item.split != telegram_split(item.doc):
            problems.append(f"{where}: split {item.split!r}, the rule says {telegram_split(item.doc)!r}")
        post = posts.get(item.doc)
        if post is None:
            problems.append(f"{where}: no such post in the corpus")
        elif not sentence_aligned(post["text"], item.start, item.end):
            problems.append(f"{where}: the span is not one whole sentence of the post ({len(post['text'])} chars)")
        problems.extend(f"{where}: {message}" for message in label_problems(item))
    spans = sorted((item.doc, item.start, item.end) for item in gold)
    for before, after in zip(spans, spans[1:]):
        if before[0] == after[0] and after[1] < before[2]:
            problems.append(f"{after[0]}: sentences {before[1]}-{before[2]} and {after[1]}-{after[2]} overlap")
    return problems


# ------------------------------------------------------------------ running the pipeline

def team_document(item: TeamSentence, path: Path | str = DEFAULT_TEAM):
    """The Document of one team sentence: a channel post published on the file's day."""
    from sitrep.ingest.document import make_document

    return make_document(item.text, f"{Path(path).name}#id={item.id}",
                         published=dt.date.fromisoformat(item.published), outlet=item.outlet, channel="telegram")


def evaluate_team(pipeline, items: list[TeamSentence], path: Path | str = DEFAULT_TEAM, name: str = "",
                  progress: Callable[[str], None] | None = None) -> RealReport:
    """Score ``items`` (one language's sentences of one split), each run as its own document."""
    report = RealReport(gold_path=str(path), reports_path=str(path), split=name, reports=len(items))
    documents = (team_document(item, path) for item in items)
    for item, extraction in zip(items, pipeline.pipe(documents), strict=True):
        score_report(report, [item.gold()], item.text, extraction)
        if progress is not None:
            progress(item.id)
    return report


def evaluate_telegram(pipeline, gold: list[GoldSentence], posts: dict[str, dict],
                      posts_path: Path | str = DEFAULT_POSTS, gold_path: Path | str = DEFAULT_TELEGRAM,
                      progress: Callable[[str], None] | None = None) -> RealReport:
    """Score the annotated sentences of real posts; each post is run whole, as the JSON Lines reader reads it."""
    by_doc: dict[str, list[GoldSentence]] = {}
    for item in gold:
        by_doc.setdefault(item.doc, []).append(item)
    missing = sorted(set(by_doc) - set(posts))
    if missing:
        raise InputError(str(posts_path), f"posts missing from the corpus: {', '.join(missing[:5])}")
    report = RealReport(gold_path=str(gold_path), reports_path=str(posts_path), split="", reports=len(by_doc))
    ids = sorted(by_doc)
    documents = (realtext.report_document(posts[doc], posts_path) for doc in ids)
    for doc, extraction in zip(ids, pipeline.pipe(documents), strict=True):
        score_report(report, sorted(by_doc[doc], key=lambda item: item.start), posts[doc]["text"], extraction)
        if progress is not None:
            progress(doc)
    return report


def evaluate_languages(pipeline, split: str = "test", team_path: Path | str = DEFAULT_TEAM,
                       telegram_path: Path | str = DEFAULT_TELEGRAM, posts_path: Path | str = DEFAULT_POSTS,
                       limit: int | None = None,
                       progress: Callable[[str], None] | None = None) -> dict[str, RealReport]:
    """The three sets' reports for ``split`` (``limit``: only the first N items of each set, for a quick look)."""
    if split not in SPLITS:
        raise ValueError(f"split {split!r} is not one of {SPLITS}")
    team = [item for item in read_team(team_path) if item.split == split]
    telegram = [item for item in read_telegram(telegram_path) if item.split == split]
    if limit is not None:
        telegram = telegram[:limit]
    posts = read_posts(posts_path, {item.doc for item in telegram})
    reports: dict[str, RealReport] = {}
    for name, language in (("uk", "uk"), ("ru-team", "ru")):
        items = [item for item in team if item.language == language][:limit]
        reports[name] = evaluate_team(pipeline, items, team_path, name, progress)
        reports[name].split = split
    reports["ru-telegram"] = evaluate_telegram(pipeline, telegram, posts, posts_path, telegram_path, progress)
    reports["ru-telegram"].split = split
    return reports


def texts_of(team_path: Path | str = DEFAULT_TEAM, posts: dict[str, dict] | None = None) -> dict[str, str]:
    """Document texts by id, for showing mistakes: the team sentences, and the given posts."""
    texts = {item.id: item.text for item in read_team(team_path)}
    texts.update({doc: record["text"] for doc, record in (posts or {}).items()})
    return texts


def languages_dict(reports: dict[str, RealReport], mistakes: int = 0,
                   texts: dict[str, str] | None = None) -> dict[str, Any]:
    """The figures of every set as JSON-ready data (``realtext.report_dict`` per set)."""
    return {name: report_dict(report, mistakes=mistakes, texts=texts) for name, report in reports.items()}
