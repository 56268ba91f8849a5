"""``sitrep eval control``: the scoring rules (tolerance, answered share, baseline, sampling) on an
invented truth, then on a tiny store built from three invented reports, then the command end to end.
Nothing here depends on the ISW corpus or on its results."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sitrep.evaluation import control_eval as ce

D = dt.date.fromisoformat

# Invented reports (not real reporting): three days, five settlements, one of them twice.
REPORTS = [
    {"id": "fx-0610", "published": "2022-06-10", "title": "Front update, June 10", "outlet": "Test Wire",
     "text": "Ukrainian forces repelled a Russian assault on Bakhmut on June 10.\n\n"
             "Russian troops shelled Kramatorsk overnight.\n"},
    {"id": "fx-0620", "published": "2022-06-20", "title": "Front update, June 20", "outlet": "Test Wire",
     "text": "Russian forces captured Popasna on June 20.\n\n"
             "Ukrainian forces repelled a Russian attack on Siversk on June 20.\n"},
    {"id": "fx-0622", "published": "2022-06-22", "title": "Front update, June 22", "outlet": "Test Wire",
     "text": "Russian forces took control of Lysychansk on June 22.\n\nRussian troops shelled Kramatorsk again.\n"},
]
BAKHMUT, KRAMATORSK, POPASNA, SIVERSK, LYSYCHANSK, TORETSK = 713174, 704508, 696566, 694403, 702972, 709354
# An invented truth: Popasna changes hands two days after the report about it (inside the tolerance),
# Lysychansk ten days before (so the first-day baseline is wrong), Siversk is Russian all along (so
# the report's "Ukrainian forces repelled" makes a wrong UA answer), Toretsk is never named.
TRUTH = [
    {"geonameid": BAKHMUT, "name": "Bakhmut", "admin1": "05", "changed": False, "states": [["2022-04-03", "UA"]]},
    {"geonameid": KRAMATORSK, "name": "Kramatorsk", "admin1": "05", "changed": False,
     "states": [["2022-04-03", "UA"]]},
    {"geonameid": POPASNA, "name": "Popasna", "admin1": "23", "changed": True,
     "states": [["2022-04-03", "UA"], ["2022-06-22", "RU"]]},
    {"geonameid": SIVERSK, "name": "Siversk", "admin1": "05", "changed": False, "states": [["2022-04-03", "RU"]]},
    {"geonameid": LYSYCHANSK, "name": "Lysychansk", "admin1": "23", "changed": True,
     "states": [["2022-04-03", "UA"], ["2022-06-12", "RU"]]},
    {"geonameid": TORETSK, "name": "Toretsk", "admin1": "05", "changed": False, "states": [["2022-04-03", "UA"]]},
]


def _write(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def _place(states: list[tuple[str, str]], changed: bool = True) -> ce.TruthPlace:
    return ce.TruthPlace(geonameid=1, name="X", admin1=None, changed=changed,
                         days=tuple(D(day) for day, _ in states), states=tuple(state for _, state in states))


# --- the rules, with no store ----------------------------------------------------------------------

def test_state_on_and_window_around_a_change():
    place = _place([("2022-04-03", "UA"), ("2022-06-22", "RU")])
    assert place.state_on(D("2022-06-21")) == "UA" and place.state_on(D("2022-06-22")) == "RU"
    assert place.state_on(D("2022-04-01")) == "UA"  # before the first entry: the first state
    assert place.window(D("2022-06-18")) == {"UA"}
    assert place.window(D("2022-06-19")) == {"UA", "RU"}  # the change is 3 days later
    assert place.window(D("2022-06-24")) == {"UA", "RU"}  # UA was 3 days earlier
    assert place.window(D("2022-06-25")) == {"RU"}  # the last UA day is 4 days back
    assert place.window(D("2022-06-20"), tolerance=0) == {"UA"}


def test_judge_sides_contested_and_unknown():
    assert ce.judge("RU", frozenset({"RU"})) is True
    assert ce.judge("UA", frozenset({"RU"})) is False
    assert ce.judge("UA", frozenset({"UA", "RU"})) is True  # near a change either side is right
    assert ce.judge("contested", frozenset({"UA", "RU"})) is True
    assert ce.judge("contested", frozenset({"UA"})) is False  # a stable place is not contested
    assert ce.judge("contested", frozenset({"unknown"})) is True  # DeepState's grey zone
    assert ce.judge("UA", frozenset({"unknown"})) is False
    assert ce.judge("UA", frozenset({"unknown", "UA"})) is True
    assert ce.judge("unknown", frozenset({"UA"})) is None  # not an answer
    assert ce.judge_strict("contested", "unknown") is True and ce.judge_strict("RU", "UA") is False


def test_baseline_is_the_first_state_and_grey_answers_contested():
    assert ce.baseline_answer(_place([("2022-04-03", "RU"), ("2022-05-01", "UA")])) == "RU"
    assert ce.baseline_answer(_place([("2022-04-03", "unknown"), ("2022-05-01", "UA")])) == "contested"


def _answer(answer: str, place: ce.TruthPlace, day: str, evidence: str = "enough") -> ce.Answer:
    window = place.window(D(day))
    return ce.Answer(day=D(day), geonameid=place.geonameid, name=place.name, report="r", changed=place.changed,
                     answer=answer, confidence=0.5, truth=place.state_on(D(day)), window=sorted(window),
                     correct=ce.judge(answer, window), strict=ce.judge_strict(answer, place.state_on(D(day))),
                     baseline=ce.baseline_answer(place), baseline_correct=bool(ce.judge(ce.baseline_answer(place),
                                                                                        window)),
                     evidence=evidence)


def test_score_counts_answered_share_accuracy_and_baseline():
    moved = _place([("2022-04-03", "UA"), ("2022-06-22", "RU")])
    still = _place([("2022-04-03", "RU")], changed=False)
    answers = [
        _answer("RU", moved, "2022-06-20"),  # right by tolerance, wrong strictly; baseline UA right too
        _answer("RU", moved, "2022-07-01"),  # right; baseline UA wrong
        _answer("contested", moved, "2022-07-10"),  # wrong: the change is long past
        _answer("unknown", moved, "2022-07-10", evidence="none"),  # not answered
        _answer("UA", still, "2022-06-01"),  # wrong; baseline right
        _answer("unknown", still, "2022-06-02", evidence="weak"),
    ]
    answers[1].later = True  # some of its evidence was published after its day
    report = ce.score(answers, ce.ControlEvalReport(since=D("2022-04-03"), until=D("2022-07-31"), tolerance=3,
                                                    seed=0))
    assert (report.questions, report.answered, report.answered_share) == (6, 4, 4 / 6)
    assert (report.accuracy.right, report.accuracy.total) == (2, 4)
    assert (report.strict.right, report.strict.total) == (1, 4)
    assert (report.changed.right, report.changed.total) == (2, 3)
    assert (report.unchanged.right, report.unchanged.total) == (0, 1)
    assert (report.baseline_all.right, report.baseline_all.total) == (3, 6)  # 06-20, still x2
    assert (report.baseline_answered.right, report.baseline_answered.total) == (2, 4)
    assert (report.baseline_changed_all.right, report.baseline_changed_all.total) == (1, 4)
    assert (report.baseline_changed_answered.right, report.baseline_changed_answered.total) == (1, 3)
    assert report.later == 1
    assert report.no_evidence == 1 and report.evidence == {"enough": 4, "none": 1, "weak": 1}
    assert report.by_answer["contested"].total == 1 and report.by_answer["contested"].right == 0
    assert (report.sides.right, report.sides.total) == (2, 3)
    assert (report.sides_changed.right, report.sides_changed.total) == (2, 2)
    assert (report.baseline_sides.right, report.baseline_sides.total) == (2, 3)
    assert (report.baseline_sides_changed.right, report.baseline_sides_changed.total) == (1, 2)
    assert [miss.answer for miss in report.misses] == ["contested", "UA"]
    assert report.confusion["RU"] == {"RU": 1, "UA": 1}


def test_sample_is_deterministic_bounded_and_stable():
    questions = [ce.Question(D("2022-05-01") + dt.timedelta(days=index % 20), 1000 + index, f"P{index}", "r")
                 for index in range(50)]
    chosen = ce.sample(questions, 10, seed=0)
    assert len(chosen) == 10 and chosen == ce.sample(list(reversed(questions)), 10, seed=0)
    assert chosen == sorted(chosen, key=lambda question: (question.day, question.name, question.geonameid))
    assert ce.sample(questions, 10, seed=1) != chosen
    dropped = next(question for question in questions if question not in chosen)
    assert ce.sample([question for question in questions if question != dropped], 10, seed=0) == chosen
    in_order = sorted(questions, key=lambda question: (question.day, question.name, question.geonameid))
    assert ce.sample(questions, None) == in_order and ce.sample(questions, 500) == in_order


def test_read_truth_rejects_a_bad_state(tmp_path):
    good = ce.read_truth(_write(tmp_path / "truth.jsonl", TRUTH))
    assert good[POPASNA].states == ("UA", "RU") and good[POPASNA].changed
    with pytest.raises(ValueError, match=r"bad.jsonl:1: states"):
        ce.read_truth(_write(tmp_path / "bad.jsonl", [{"geonameid": 1, "name": "X", "states": [["2022-04-03",
                                                                                                 "grey"]]}]))


# --- a tiny store from invented reports ------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny(ua_pipeline, tmp_path_factory):
    from sitrep.store import Store

    folder = tmp_path_factory.mktemp("eval-control")
    reports = _write(folder / "reports.jsonl", REPORTS)
    truth = ce.read_truth(_write(folder / "truth.jsonl", TRUTH))
    with Store.memory() as store:
        ce.build_store([str(reports)], store, ua_pipeline.settings, pipeline_factory=lambda: ua_pipeline)
        yield store, truth


def test_questions_are_the_named_truth_places_of_each_day(tiny):
    store, truth = tiny
    questions, reports = ce.candidate_questions(store, truth)
    assert reports == 3
    assert {(str(question.day), question.geonameid) for question in questions} == {
        ("2022-06-10", BAKHMUT), ("2022-06-10", KRAMATORSK), ("2022-06-20", POPASNA), ("2022-06-20", SIVERSK),
        ("2022-06-22", LYSYCHANSK), ("2022-06-22", KRAMATORSK)}
    assert ce.candidate_questions(store, truth, since=D("2022-06-21"))[1] == 1


def test_scores_on_the_tiny_store(tiny):
    store, truth = tiny
    report = ce.evaluate(store, truth, limit=None)
    answers = {(answer.name, str(answer.day)): answer for answer in report.answers}
    assert answers[("Bakhmut", "2022-06-10")].answer == "UA"
    assert answers[("Popasna", "2022-06-20")].answer == "RU"
    assert answers[("Lysychansk", "2022-06-22")].answer == "RU"
    assert answers[("Siversk", "2022-06-20")].answer == "UA"
    assert answers[("Kramatorsk", "2022-06-22")].evidence == "none"
    assert (report.questions, report.answered, report.no_evidence) == (6, 4, 2)
    assert (report.accuracy.right, report.accuracy.total) == (3, 4)  # Siversk is the miss
    assert (report.strict.right, report.strict.total) == (2, 4)  # Popasna is right only by tolerance
    assert (report.changed.right, report.changed.total) == (2, 2)
    assert (report.baseline_all.right, report.baseline_all.total) == (5, 6)  # Lysychansk is its miss
    assert (report.baseline_changed_all.right, report.baseline_changed_all.total) == (1, 2)
    [miss] = report.misses
    assert miss.name == "Siversk" and miss.truth == "RU"
    assert miss.claims and all(":" in item["claim_id"] for item in miss.claims)
    # Without tolerance the Popasna answer two days before the change is wrong.
    strict = ce.evaluate(store, truth, limit=None, tolerance=0)
    assert (strict.accuracy.right, strict.accuracy.total) == (2, 4)
    # The cap keeps a deterministic subset.
    assert [(a.name, a.day) for a in ce.evaluate(store, truth, limit=3).answers] == \
        [(a.name, a.day) for a in ce.evaluate(store, truth, limit=3).answers]
    assert ce.evaluate(store, truth, limit=3).questions == 3


def test_command_end_to_end(ua_pipeline, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import sitrep.pipeline
    import sitrep.settings
    from sitrep.cli import app

    monkeypatch.setattr(sitrep.settings, "get_settings", lambda: ua_pipeline.settings)
    monkeypatch.setattr(sitrep.pipeline, "Pipeline", lambda settings: ua_pipeline)
    reports, truth = _write(tmp_path / "reports.jsonl", REPORTS), _write(tmp_path / "truth.jsonl", TRUTH)
    runner = CliRunner()
    arguments = ["eval", "control", str(reports), "--truth", str(truth), "--db", str(tmp_path / "eval.db"),
                 "--format", "json", "--misses", "5"]
    first = runner.invoke(app, arguments)
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["questions"] == 6 and data["answered"] == 4 and data["no_evidence"] == 2
    assert data["sitrep"]["accuracy_answered"] == {"value": 0.75, "right": 3, "n": 4}
    assert data["baseline"]["accuracy_all"]["right"] == 5
    assert [miss["name"] for miss in data["misses"]] == ["Siversk"] and data["answered_with_later_evidence"] == 0
    assert data["misses"][0]["claims"][0]["published"] == "2022-06-20"
    again = runner.invoke(app, arguments)  # reusing --db: nothing new to ingest, the same figures
    assert again.exit_code == 0 and json.loads(again.stdout) == data
    table = runner.invoke(app, arguments[:-4] + ["--misses", "1"])
    assert table.exit_code == 0 and "answered (not unknown): 4/6" in table.stdout and "Siversk" in table.stdout
    bad = runner.invoke(app, ["eval", "control", str(reports), "--truth", str(tmp_path / "missing.jsonl")])
    assert bad.exit_code == 2
