"""A script-based language guess, good enough for metadata: English, Ukrainian or Russian.

Only English is processed downstream for now; the guess lets the pipeline skip or route the rest.
"""

from __future__ import annotations

# Letters that only one of the two languages writes: Ukrainian has і ї є ґ and uses an apostrophe
# where Russian writes ъ; Russian has ы э ё ъ, none of which Ukrainian uses.
UKRAINIAN_ONLY = frozenset("іїєґ")
RUSSIAN_ONLY = frozenset("ыэёъ")
# і alone is about 5 % of Ukrainian letters, so Ukrainian prose this long without і, ї or є is very
# unlikely (under 2 %); Cyrillic text this long with none of them is taken for Russian.
MIN_LETTERS_FOR_ABSENCE = 60
# Below this share of Latin or Cyrillic letters, the text is in some other script and we do not guess.
MIN_KNOWN_SCRIPT_SHARE = 0.5


def guess_language(text: str) -> str | None:
    """"en", "uk", "ru" or None (no letters, another script, or Cyrillic with no telling letter).

    Mostly Latin letters gives "en" (the reports we meet in Latin script are English). Cyrillic is told
    apart by the letters only one language has; when both kinds appear the commoner kind wins. When
    neither does, a long text is Russian (Ukrainian can hardly go on without і), a short line like
    "Бахмут" has no evidence either way, and the answer is None.
    """
    letters = [char.lower() for char in text if char.isalpha()]
    if not letters:
        return None
    latin = sum(1 for char in letters if char.isascii())
    cyrillic = sum(1 for char in letters if "\u0400" <= char <= "\u04ff")
    if latin + cyrillic < MIN_KNOWN_SCRIPT_SHARE * len(letters):
        return None
    if latin >= cyrillic:
        return "en"
    ukrainian = sum(1 for char in letters if char in UKRAINIAN_ONLY)
    russian = sum(1 for char in letters if char in RUSSIAN_ONLY)
    if ukrainian == russian == 0 and cyrillic >= MIN_LETTERS_FOR_ABSENCE:
        return "ru"
    if ukrainian == russian:
        return None
    return "uk" if ukrainian > russian else "ru"
