"""Which language each paragraph of a document is in, and the document's main language.

Posts mix languages (a Ukrainian channel quotes a Russian briefing; an English story quotes a Ukrainian
slogan), so the language is decided per paragraph and the document's language is the one most of its
letters are in. `lingua` decides among a small set of languages: the three sitrep reads (SUPPORTED) and a
few it meets but does not read, so that a German or Belarusian post is recognised as such instead of being
parsed as English. The detector is built once per process, in lingua's low-accuracy mode (trigram models
only): about 25 MB and a twentieth of a second to load, against about 250 MB and a second for the
high-accuracy mode; the difference is on texts of a few words, which fall back to the document's language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from sitrep.extract.lang import resource

# The languages whose paragraphs are parsed: English with the full model, Ukrainian and Russian with
# tokens, sentences and pymorphy3 lemmas (nlp.py). Belarusian is recognised but not read: pymorphy3 has
# no Belarusian dictionary and no lexicons exist for it (docs/decisions.md).
SUPPORTED = frozenset({"en", "uk", "ru"})
# ISO 639-1 codes of the languages the detector chooses among: the supported ones, the Cyrillic neighbour
# most often met in this war's reporting, and the Latin-script languages of the neighbouring and
# reporting countries. Every language added makes detection slower and short texts less certain.
DETECTED = ("en", "uk", "ru", "be", "de", "fr", "pl", "es")
LATIN = frozenset({"en", "de", "fr", "pl", "es"})
CYRILLIC = frozenset({"uk", "ru", "be"})
# The language of a text with letters, none of them in a script of DETECTED (Arabic, Hebrew, Chinese):
# ISO 639-2's "undetermined". It is unsupported.
UNDETERMINED = "und"

# Below this many letters a paragraph is a heading, a signature or a slogan ("Бахмут", "Слава Україні!"):
# trigram statistics are unreliable there, so it takes the document's language when it is written in that
# language's script, and the detector's best guess otherwise. 20 letters is about three words.
MIN_LETTERS = 20
# A Latin-script paragraph of an English document is taken for another language only when the detector
# gives that language at least this relative confidence. Lists of Ukrainian villages in English
# transliteration ("Robotyne, Verbove, Novoprokopivka, Mala Tokmachka") look German or Polish to trigrams,
# even at 0.9; so the paragraph must also hold SWITCH_LETTERS letters (about seven words), where the
# detector's errors on the team's English sample reports stopped.
SWITCH_CONFIDENCE = 0.9
SWITCH_LETTERS = 40
# Between Ukrainian, Russian and Belarusian, a lead below this margin is a tie; the letters only one of
# them writes then settle it, when they point one way.
TIE_MARGIN = 0.2

# Letters only one of the three languages writes. Ukrainian: ї є ґ (and і, shared with Belarusian);
# Russian: ы э ъ ё have no place in Ukrainian, and Russian has no і; Belarusian: ў.
_UKRAINIAN_ONLY = frozenset("їєґ")
_UKRAINIAN_OR_BELARUSIAN = frozenset("і")
_RUSSIAN_OR_BELARUSIAN = frozenset("ыэё")
_RUSSIAN_ONLY = frozenset("ъ")
_BELARUSIAN_ONLY = frozenset("ў")


@lru_cache(maxsize=1)
def detector():
    """The lingua detector over DETECTED, built once per process."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in DETECTED]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@lru_cache(maxsize=1)
def _english_markers() -> tuple[frozenset[str], float]:
    raw = yaml.safe_load(resource("language.yaml", "en").read_text("utf-8"))
    return frozenset(raw["markers"]), float(raw["marker_share"])


def english_share(text: str) -> float:
    """The share of the lower-case words of ``text`` that are English function words (lang/en/language.yaml).
    Capitalised words are left out: a list of 200 village names must not drown the sentence around it."""
    words = [word for word in _WORD.findall(text) if word[0].islower()]
    markers, _ = _english_markers()
    return sum(1 for word in words if word in markers) / len(words) if words else 0.0


def _stays_english(text: str, language: str | None = None) -> bool:
    """Whether a Latin-script text is kept English whatever the trigrams say: it has English function
    words, it is names only (a list of villages in transliteration: "Robotyne, Verbove, Mala Tokmachka"),
    or it lacks the function words of the language the detector names (lang/en/language.yaml)."""
    words = _WORD.findall(text)
    if not any(word[0].islower() for word in words):
        return True
    if english_share(text) >= _english_markers()[1]:
        return True
    markers, share = _foreign_markers()
    lowered = [word for word in words if word[0].islower()]
    found = markers.get(language or "", frozenset())
    return sum(1 for word in lowered if word in found) / len(lowered) < share


@lru_cache(maxsize=1)
def _foreign_markers() -> tuple[dict[str, frozenset[str]], float]:
    raw = yaml.safe_load(resource("language.yaml", "en").read_text("utf-8"))
    return ({language: frozenset(words) for language, words in (raw.get("foreign_markers") or {}).items()},
            float(raw.get("foreign_share", 0.1)))


@dataclass(frozen=True)
class Guess:
    """The detector's view of one text: its best language, how sure it is, how many letters it saw, and
    whether a Latin-script text is kept English (its function words, or names only)."""

    language: str | None
    confidence: float
    letters: int
    cyrillic: bool
    english_words: bool = False


def guess(text: str) -> Guess:
    """The most likely language of ``text`` among DETECTED, with the letters settling a Cyrillic tie."""
    letters = [char.lower() for char in text if char.isalpha()]
    cyrillic = sum(1 for char in letters if "\u0400" <= char <= "\u04ff")
    latin = sum(1 for char in letters if char.isascii())
    if not letters:
        return Guess(None, 0.0, 0, False)
    if cyrillic + latin < len(letters) / 2:
        return Guess(UNDETERMINED, 1.0, len(letters), False)
    values = detector().compute_language_confidence_values(text)
    ranked = [(value.language.iso_code_639_1.name.lower(), value.value) for value in values]
    if not ranked or ranked[0][1] <= 0.0:
        return Guess(None, 0.0, len(letters), cyrillic > latin)
    best, confidence = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best in CYRILLIC and confidence - runner_up < TIE_MARGIN:
        best = script_verdict(letters) or best
    return Guess(best, confidence, len(letters), cyrillic > latin, best in LATIN and _stays_english(text, best))


def script_verdict(letters: Sequence[str]) -> str | None:
    """Ukrainian, Russian or Belarusian from the letters only one of them writes; None when they point
    both ways or nowhere (a Russian text quoting "Кліщіївка")."""
    present = set(letters)
    if present & _BELARUSIAN_ONLY:
        return "be"
    ukrainian = bool(present & _UKRAINIAN_ONLY)
    russian = bool(present & _RUSSIAN_ONLY)
    i_letter, russian_vowels = bool(present & _UKRAINIAN_OR_BELARUSIAN), bool(present & _RUSSIAN_OR_BELARUSIAN)
    if ukrainian and not (russian or russian_vowels):
        return "uk"
    if (russian or russian_vowels) and not (ukrainian or i_letter):
        return "ru"
    if i_letter and not ukrainian and not russian and not russian_vowels:
        return "uk"
    return None


@dataclass(frozen=True)
class Languages:
    """A document's main language and the language of each of its paragraphs (in the order given)."""

    document: str | None
    paragraphs: tuple[str | None, ...]


def detect_languages(texts: Sequence[str], given: str | None = None) -> Languages:
    """The main language of a document made of the paragraphs ``texts``, and each paragraph's language.

    Steps: each paragraph of MIN_LETTERS or more gets the detector's language; the document's language
    is the one that holds most of those paragraphs' letters (else the detector's guess over the whole
    text, else ``given``, the reader's or the input's own, which is only a hint); a short paragraph, or a
    Latin-script paragraph the detector is not sure of, takes the document's language where it is written
    in that language's script; a short paragraph in the other script keeps the detector's guess.
    """
    guesses = [guess(text) for text in texts]
    letters: Counter[str] = Counter()
    for found in guesses:
        if found.language and found.letters >= MIN_LETTERS:
            letters[_leaning(found)] += found.letters
    main = letters.most_common(1)[0][0] if letters else None
    if main is None:
        whole = guess("\n".join(texts))
        main = (_leaning(whole) if whole.language else None) or _code(given)
    return Languages(main, tuple(_paragraph_language(found, main) for found in guesses))


def _leaning(found: Guess) -> str:
    """A guess's language, with a Latin-script guess counted as English unless it is sure: confident
    (SWITCH_CONFIDENCE), long enough (SWITCH_LETTERS) and without English function words."""
    if found.language in LATIN and (found.confidence < SWITCH_CONFIDENCE or found.letters < SWITCH_LETTERS
                                    or found.english_words):
        return "en"
    return found.language


def _paragraph_language(found: Guess, main: str | None) -> str | None:
    if found.language is None:
        return main
    if found.language == UNDETERMINED or main is None:
        return found.language
    same_script = found.cyrillic == (main in CYRILLIC)
    if same_script and found.letters < MIN_LETTERS:
        return main
    unsure = found.language in LATIN and found.language != "en" and _leaning(found) == "en"
    if unsure:
        return main if same_script else "en"
    return found.language


def _code(language: str | None) -> str | None:
    """A reader's or an input's language as a bare lower-case code: "uk-UA" is "uk"."""
    if not language or not language.strip():
        return None
    return language.strip().lower().replace("_", "-").split("-")[0][:16] or None


def is_supported(language: str | None) -> bool:
    """Whether paragraphs in ``language`` are parsed. None (a text without letters) is parsed as English,
    which finds nothing in it and costs nothing."""
    return language is None or language in SUPPORTED


@dataclass
class LanguageTally:
    """Documents (by their main language) and paragraphs (by their own) that a pipeline has seen."""

    documents: Counter[str] = field(default_factory=Counter)
    paragraphs: Counter[str] = field(default_factory=Counter)

    def add(self, languages: Languages) -> None:
        self.documents[languages.document or NO_LANGUAGE] += 1
        self.paragraphs.update(language or NO_LANGUAGE for language in languages.paragraphs)

    def add_tally(self, other: LanguageTally) -> None:
        self.documents.update(other.documents)
        self.paragraphs.update(other.paragraphs)

    def since(self, earlier: LanguageTally) -> LanguageTally:
        """What was added after ``earlier`` (a copy taken before a run)."""
        return LanguageTally(self.documents - earlier.documents, self.paragraphs - earlier.paragraphs)

    def copy(self) -> LanguageTally:
        return LanguageTally(Counter(self.documents), Counter(self.paragraphs))

    def unsupported_documents(self) -> dict[str, int]:
        return {language: count for language, count in self.documents.items() if not _read(language)}

    def unsupported_paragraphs(self) -> dict[str, int]:
        return {language: count for language, count in self.paragraphs.items() if not _read(language)}

    def unsupported_summary(self) -> str | None:
        """What was not read ("2 documents and 5 paragraphs in languages sitrep does not read (be 3, de 2)"),
        or None when everything was."""
        paragraphs = self.unsupported_paragraphs()
        if not paragraphs:
            return None
        documents = sum(self.unsupported_documents().values())
        by_language = ", ".join(f"{language} {count}" for language, count in sorted(paragraphs.items()))
        return (f"{documents} document{'' if documents == 1 else 's'} and {sum(paragraphs.values())} "
                f"paragraph{'' if sum(paragraphs.values()) == 1 else 's'} in languages sitrep does not read "
                f"({by_language})")


# How a tally names text without letters (an emoji line, a row of dashes); such text is read as English.
NO_LANGUAGE = "none"


def _read(language: str) -> bool:
    return language == NO_LANGUAGE or is_supported(language)
