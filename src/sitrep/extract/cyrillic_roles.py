"""Actor roles in Ukrainian and Russian sentences, which have no dependency parse.

English roles come from the parse (``actors.assign_roles``). For ``uk`` and ``ru`` sitrep reads them
from what a reader of those languages uses instead: the word before an actor's name ("удар по позиціях
ЗСУ": a target; "обстріл росіян": the owner of the shelling), the case ending of its last word (an
instrumental after a noun is a passive agent: "захоплення міста російськими військами") and, failing
both, its place before or after the event's trigger word. The cue words are data, in
``lang/<code>/actors.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from sitrep.errors import ConfigError
from sitrep.extract.lang import resource
from sitrep.models import Actor

LANGUAGES = ("uk", "ru")
# Kinds that are rarely the ones acting; they are actor1 only when named as an agent by a cue.
PASSIVE_KINDS = frozenset({"civilians"})


@dataclass(frozen=True)
class RoleCues:
    target_words: frozenset[str]
    attack_stems: tuple[str, ...]
    not_agent_before: frozenset[str]
    instrumental_endings: tuple[str, ...]
    repelling: tuple[str, ...]
    passive_repelling: tuple[str, ...]
    interception: tuple[str, ...]
    own_default: str = "UA"
    infinitive_endings: tuple[str, ...] = ()
    downed_weapons: tuple[str, ...] = ()


@lru_cache(maxsize=None)
def cues(language: str) -> RoleCues:
    path = resource("actors.yaml", language)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return RoleCues(target_words=frozenset(raw.get("target_words") or ()),
                        attack_stems=tuple(raw.get("attack_stems") or ()),
                        not_agent_before=frozenset(raw.get("not_agent_before") or ()),
                        instrumental_endings=tuple(raw.get("instrumental_endings") or ()),
                        repelling=tuple(raw.get("repelling") or ()),
                        passive_repelling=tuple(raw.get("passive_repelling") or ()),
                        interception=tuple(raw.get("interception") or ()),
                        own_default=raw.get("own_default") or "UA",
                        infinitive_endings=tuple(raw.get("infinitive_endings") or ()),
                        downed_weapons=tuple(raw.get("downed_weapons") or ()))
    except (OSError, yaml.YAMLError, TypeError) as error:
        raise ConfigError(f"{path}: cannot read the actor role cues ({error})") from error


def reads_roles(doc) -> bool:
    """Whether this module, not the parse, gives the roles of ``doc``'s actors."""
    return doc.lang_ in LANGUAGES and not doc.has_annotation("DEP")


def roles(sentence, actors: list[Actor], spans: list, trigger_index: int | None,
          trigger_last: int | None = None) -> tuple[Actor | None, Actor | None]:
    """(actor1, actor2) of a Ukrainian or Russian sentence as ACLED codes them: for a repelled attack,
    actor1 is the attacker and actor2 who repelled it. ``spans`` are the actors' token spans (None
    where a mention was not found); ``trigger_index`` and ``trigger_last`` index the trigger's first and
    last tokens in the sentence's doc."""
    lex = cues(sentence.doc.lang_)
    words = [token.lower_ for token in sentence]
    intercepting = bool(lex.interception) and any(word.startswith(lex.interception) for word in words) and \
        any(word.startswith(lex.downed_weapons) for word in words)
    last = trigger_last if trigger_last is not None else trigger_index
    readings = [(actor, span, "instrument" if intercepting and _air_defence(actor) else
                 _role(sentence, span, trigger_index, last, lex, intercepting))
                for actor, span in zip(actors, spans) if span is not None]
    interceptor = _nearest(readings, {"instrument"}, trigger_index, exclude=None) if intercepting else None
    if interceptor is not None and _air_defence(interceptor):
        # "Силами ПВО отражена атака беспилотника": the air defence downed the drones, whatever the verb.
        return interceptor, _nearest(readings, {"target", "owner"}, trigger_index, exclude=interceptor)
    if lex.passive_repelling and any(word.startswith(lex.passive_repelling) for word in words):
        # "Противник штурмував наші позиції, усі атаки відбито": the one named acting attacked.
        attacker = _nearest(readings, {"agent", "subject", "owner"}, trigger_index, exclude=None)
        return attacker, _nearest(readings, {"instrument"}, trigger_index, exclude=attacker)
    repelled_at = [token.i for token in sentence if lex.repelling and token.lower_.startswith(lex.repelling)]
    told_first = trigger_index is not None and all(index > last for index in repelled_at) and \
        any(role in ("subject", "agent") and span.start < trigger_index for _, span, role in readings)
    if repelled_at and not told_first:
        # "Наші захисники відбили 12 атак окупантів": the attacks' owner failed; the subject repelled.
        attacker = _nearest(readings, {"owner", "target"}, trigger_index, exclude=None)
        return attacker, _nearest(readings, {"agent", "subject", "instrument"}, trigger_index, exclude=attacker)
    # The attack told before its repelling ("ворог намагався просунутися ..., де наші захисники відбили всі
    # атаки"): the trigger's doer attacked. Then a passive's agent ("разгромлены российскими войсками"),
    # then the subject of a verb ("российские войска завершили разгром батальона ВСУ"), then whoever
    # stands before the trigger or owns the attack.
    doer = _nearest(readings, {"instrument"}, trigger_index, exclude=None) or \
        _nearest(readings, {"subject"}, trigger_index, exclude=None) or \
        _nearest(readings, {"agent", "owner"}, trigger_index, exclude=None)
    return doer, _nearest(readings, {"target"}, trigger_index, exclude=doer)


def _role(sentence, span, trigger_index: int | None, trigger_last: int | None, lex: RoleCues,
          intercepting: bool) -> str:
    """"target", "owner" (of an attack or weapon named before it), "instrument" (an instrumental
    agent), "subject" (before a finite verb) or, by position around the trigger, "agent" or "target"."""
    before = _word_before(sentence, span)
    word = before.lower_ if before is not None else ""
    if word in lex.target_words:
        return "target"
    if word.startswith(lex.attack_stems) and not _verb_like(before, lex):  # a noun: "штурм росіян", not "штурмував наші"
        # "обстріл росіян", "дрон ЗСУ": the owner acted, unless its weapons were what was shot down.
        return "target" if intercepting else "owner"
    # "російськими військами", "силами ППО": the last word, or the first (an abbreviation after it does not decline)
    instrumental = any(token.lower_.endswith(lex.instrumental_endings) and len(token) > 4
                       for token in (span[0], span[-1]))
    if instrumental and word not in lex.not_agent_before and (before is None or before.is_alpha):
        return "instrument"  # "захоплення Покровська російськими військами", "Силами ППО знищено ..."
    following = sentence.doc[span.end] if span.end < sentence.end else None
    if intercepting and following is not None and following.lower_.startswith(lex.attack_stems):
        return "target"  # "семь украинских беспилотников уничтожены": the downed weapons' owner
    if following is not None and following.lower_.startswith(lex.attack_stems) and not _verb_like(following, lex):
        return "owner"  # "у нефтебазы упали два украинских дрона": whose drones struck, after the verb too
    if following is not None and following.lower_ in lex.target_words:
        return "target"  # "штурмував наші позиції": whose positions were attacked
    if following is not None and _verb_like(following, lex):
        # "бої за Торське: противник намагається прорватися": the subject of its own verb; before the
        # trigger the subject of the event's ("российские войска завершили разгром батальона ВСУ"), after it
        # maybe of another clause's ("окупував Очеретине, наші підрозділи закріпилися")
        return "subject" if trigger_index is None or span.start < trigger_index else "agent"
    if trigger_last is not None and span.start > trigger_last:
        return "target"
    if intercepting and trigger_index is not None and span.start >= trigger_index:
        return "target"  # "сбито восемь украинских беспилотников": inside the trigger, the downed weapons' owner
    if trigger_index is not None and any(_verb_like(token, lex) for token in sentence.doc[trigger_index:span.start]):
        return "target"  # inside the trigger after its verb: "вибили звідти росіян"
    return "agent"  # before the trigger, or inside a trigger phrase that holds its subject ("Гарнизон ВСУ оставил")


def _verb_like(token, lex: RoleCues) -> bool:
    """A finite verb: its lemma is an infinitive and not the word itself ("штурмував" -> "штурмувати";
    "обстрела" -> "обстрел" is a noun)."""
    lemma = token.lemma_.lower()
    return token.is_alpha and bool(lex.infinitive_endings) and lemma != token.lower_ and \
        lemma.endswith(lex.infinitive_endings)


def _air_defence(actor: Actor) -> bool:
    """Air defence is who intercepts, wherever it stands in the sentence ("уничтожены ПВО над ...")."""
    return (actor.id or "").endswith("air_defence")


def _word_before(sentence, span):
    """The word before the actor's name in its sentence (punctuation skipped), or None."""
    index = span.start - 1
    while index >= sentence.start and sentence.doc[index].is_punct:
        index -= 1
    return sentence.doc[index] if index >= sentence.start else None


def _nearest(readings: list, wanted: set[str], trigger_index: int | None, exclude: Actor | None) -> Actor | None:
    found = [(abs(span.start - trigger_index) if trigger_index is not None else 0, span.start, actor)
             for actor, span, role in readings
             if role in wanted and actor is not exclude
             and not (role != "instrument" and {"agent", "subject"} & wanted and actor.kind in PASSIVE_KINDS)]
    return min(found, key=lambda item: item[:2])[2] if found else None
