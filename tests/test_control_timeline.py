"""sitrep.control: the per-settlement timeline's memory, its contested state, lone partisan claims
and dated ranges (docs/control.md). Signals are built by hand; the place is invented."""

from __future__ import annotations

import datetime as dt

from sitrep import control
from sitrep.models import ControlSignal, EventDate, EventPlace, Source

PLACE = EventPlace(name="Marinka", geonameid=1, admin1="Donetsk", lat=47.94, lon=37.50, precision=1)
ANALYST = Source(name="an analyst", kind="analyst", side="third-party")
RU_BLOGGER = Source(name="a Russian blogger", kind="milblogger", side="RU")
DAY = dt.date(2022, 5, 1)


def signal(effect: str, state: str, day: dt.date, *, actor: str = "unknown", source: Source = ANALYST,
           until: dt.date | None = None, number: int = 0) -> ControlSignal:
    return ControlSignal(claim_id=f"c{number}", document_id="d", start=number, end=number + 1, text="words",
                         effect=effect, actor_side=actor, state=state, place=0, source=source,
                         date=EventDate(start=day, end=until or day, precision="day"))


def state(signals: list[ControlSignal], on: dt.date) -> str:
    return control.state_on(PLACE, signals, on).state


def test_a_capture_persists_until_contrary_evidence():
    captured = [signal("captured", "RU", DAY, actor="RU")]
    assert state(captured, DAY) == "RU"
    assert state(captured, DAY + dt.timedelta(days=20)) == "RU"  # no decay to unknown after a few days
    day = control.state_on(PLACE, captured, DAY + dt.timedelta(days=20))
    assert day.confidence < control.state_on(PLACE, captured, DAY).confidence  # but less sure
    # a withdrawal reported later overrides it
    later = captured + [signal("withdrew", "UA", DAY + dt.timedelta(days=25), actor="RU", number=1)]
    assert state(later, DAY + dt.timedelta(days=25)) == "UA"
    # and with no evidence for many months the place is unknown again
    assert state(captured, DAY + dt.timedelta(days=200)) == "unknown"


def test_an_advance_into_the_place_makes_it_contested_then_decays_back_to_the_holder():
    signals = [signal("holding", "UA", DAY, actor="UA"),
               signal("advancing", "contested", DAY + dt.timedelta(days=10), actor="RU", number=1),
               signal("contested", "contested", DAY + dt.timedelta(days=8), number=2)]
    assert state(signals, DAY + dt.timedelta(days=10)) == "contested"
    assert state(signals, DAY + dt.timedelta(days=16)) == "UA"


def test_a_contest_said_by_one_voice_leaves_the_holder():
    # one report of an advance into the place is a claim about a moment: a second voice within
    # contest_recent_days makes it a contest
    one = [signal("holding", "UA", DAY, actor="UA"),
           signal("advancing", "contested", DAY + dt.timedelta(days=10), actor="RU", number=1)]
    assert state(one, DAY + dt.timedelta(days=10)) == "UA"
    stale = one + [signal("contested", "contested", DAY + dt.timedelta(days=2), number=2)]
    assert state(stale, DAY + dt.timedelta(days=10)) == "UA"  # the second voice is too old
    two = one + [signal("advancing", "contested", DAY + dt.timedelta(days=9), actor="RU", number=3)]
    assert state(two, DAY + dt.timedelta(days=10)) == "contested"


def test_the_side_answered_needs_enough_evidence_of_its_own():
    # an old capture keeps the place known; a faint recent claim for the other side outweighs it
    # in the recent weights but is not enough evidence by itself: unknown, not that side
    old = signal("captured", "RU", DAY, actor="RU")
    faint = signal("captured", "UA", DAY + dt.timedelta(days=30), actor="UA",
                   source=Source(name="a voice", kind="unknown", side="UA"), number=1)
    assert control.state_on(PLACE, [old, faint], DAY + dt.timedelta(days=30)).scores["UA"] > \
        control.state_on(PLACE, [old, faint], DAY + dt.timedelta(days=30)).scores["RU"]
    assert state([old, faint], DAY + dt.timedelta(days=30)) == "unknown"
    assert state([old], DAY + dt.timedelta(days=30)) == "RU"


def test_fighting_reported_in_a_place_names_no_holder_by_itself():
    # "fighting in X" says where the front is; maps keep a place under assault with its holder
    held = [signal("holding", "UA", DAY, actor="UA"),
            signal("contested", "contested", DAY + dt.timedelta(days=10), number=1)]
    assert state(held, DAY + dt.timedelta(days=10)) == "UA"
    alone = [signal("contested", "contested", DAY)]
    assert state(alone, DAY) == "unknown"
    assert state(alone, DAY + dt.timedelta(days=10)) == "unknown"


def test_contested_needs_both_sides_and_a_recent_fight():
    # a capture (1.0) against a hold (0.7): RU has 0.59 of the sides' evidence, below decisive_share
    balanced = [signal("captured", "RU", DAY, actor="RU"), signal("holding", "UA", DAY, actor="UA", number=1)]
    assert state(balanced, DAY) == "unknown"
    fought = balanced + [signal("contested", "contested", DAY, number=2),
                         signal("contested", "contested", DAY, number=3)]  # two voices
    assert state(fought, DAY) == "contested"
    assert state(fought, DAY + dt.timedelta(days=10)) == "unknown"  # the fight is no longer recent


def test_memory_keeps_a_state_for_weeks():
    captured = [signal("captured", "RU", DAY, actor="RU")]
    assert state(captured, DAY + dt.timedelta(days=60)) == "RU"  # 1.0 halved once: above min_evidence
    assert state(captured, DAY + dt.timedelta(days=150)) == "unknown"


def test_an_advance_towards_a_place_counts_for_the_other_side():
    towards = [signal("advancing", "UA", DAY, actor="RU"), signal("advancing", "UA", DAY, actor="RU", number=1)]
    assert state(towards, DAY) == "UA"
    assert control.effect_key(towards[0]) == "advancing_near"


def test_one_partisan_claim_alone_does_not_decide():
    lone = [signal("captured", "RU", DAY, actor="RU", source=RU_BLOGGER)]
    assert control.interest(lone[0]) == "own_success"
    assert state(lone, DAY) == "unknown"
    second = lone + [signal("captured", "RU", DAY, actor="RU", number=1)]  # a third party agrees
    assert state(second, DAY) == "RU"


def test_a_range_counts_from_its_last_day():
    ranged = [signal("captured", "RU", DAY, actor="RU", until=DAY + dt.timedelta(days=6))]
    assert state(ranged, DAY + dt.timedelta(days=3)) == "unknown"
    assert state(ranged, DAY + dt.timedelta(days=6)) == "RU"


def test_interest_follows_the_actor_and_the_effect():
    assert control.interest(signal("withdrew", "UA", DAY, actor="RU", source=RU_BLOGGER)) == "admission"
    assert control.interest(signal("failed_attack", "UA", DAY, actor="RU", source=RU_BLOGGER)) == "admission"
    assert control.interest(signal("advancing", "UA", DAY, actor="RU", source=RU_BLOGGER)) == "own_success"
    assert control.interest(signal("captured", "UA", DAY, actor="UA", source=RU_BLOGGER)) == "admission"
