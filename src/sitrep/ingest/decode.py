"""Bytes to text: the one place that guesses an input's encoding.

Reports reach us as UTF-8 most of the time, but Windows tools still write UTF-16, and older Ukrainian
and Russian sites and archives use cp1251 or KOI8-U. The order of the guesses:

1. a UTF-16 byte-order mark (LE or BE) is trusted;
2. UTF-16 without a mark is recognised by NUL bytes in every other position, never in the others;
3. anything that looks binary is refused (known file signatures, control characters);
4. strict UTF-8 (a UTF-8 mark is dropped), which almost never decodes a legacy-encoded file by accident;
5. the encoding the file declares (an HTML ``<meta charset>`` or XML declaration), if it decodes;
6. the legacy single-byte encodings we meet (cp1251, KOI8-U, cp1252, Latin-1), each scored for how
   plausible its result reads; charset-normalizer is asked only when none of them reads well.

Last, NUL characters left in the text are counted: a few are dropped, many refuse the input as binary.

charset-normalizer alone is not enough here: on a short cp1251 line it answers cp1251 correctly, but it
reads Latin-1 "café Zürich" as cp1006 and short KOI8-R as Shift-JIS, so our own candidates come first.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

from sitrep.errors import InputError

# How much of the input the checks and the encoding scorer look at: enough for a verdict, cheap on 500 MB.
SAMPLE_BYTES = 64 * 1024
# A text file with a few stray NUL bytes (a bad copy, a padded tail) is still text: they are dropped.
# More than this many is a binary file or a wrong encoding, and guessing would make garbage.
MAX_STRAY_NULS = 8
# Control characters other than tab, newline, carriage return, form feed and escape: real text has
# none, random bytes about 10 %. Above 2 % of the sample the input is refused as binary.
MAX_CONTROL_RATIO = 0.02
# UTF-16 without a byte-order mark: the high bytes of real text come from one or two script blocks (0x00
# for ASCII, 0x04 for Cyrillic, 0x20 for typographic punctuation), so the two commonest high bytes make up
# nearly all of them, and ASCII spaces put NULs there. Random bytes spread over all 256 values.
MIN_UTF16_HIGH_BYTE_SHARE = 0.9
# A legacy decoding whose implausibility score (see `_implausibility`) is at most this reads well.
PLAUSIBLE_SCORE = 0.3

LEGACY_ENCODINGS = ("cp1251", "koi8_u", "cp1252", "latin_1")

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document; extract its text first"),
    (b"PK\x03\x04", "a ZIP archive or an Office document; unpack it first"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; unpack it first"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
# Vertical tab (\x0b) counts as text: Word writes it for a manual line break.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0b\r\x0c\x1b\x00")
_WORD = re.compile(r"\w+")
# Punctuation that legacy encodings carry and real text uses; other non-ASCII symbols suggest a misreading.
_TEXT_SYMBOLS = set("“”„‘’‚«»–—…№•€°§©®™×±")


def decode_bytes(data: bytes, source: str, declared_encoding: str | None = None) -> str:
    """Decode an input's bytes to text, or raise `InputError` naming why it is not text.

    Stray NUL bytes: up to `MAX_STRAY_NULS` of them are dropped silently (they carry nothing and would
    break the parsers downstream); more than that and the input is refused as binary, because a file
    with many NULs is either binary or in an encoding we would only garble.
    """
    if not data:
        raise InputError(source, "empty file")
    text = _decode_utf16(data, source)
    if text is None:
        _refuse_binary(data, source)
        text = _decode_8bit(data.removeprefix(codecs.BOM_UTF8), declared_encoding)
    return _without_stray_nuls(text, source)


def _decode_utf16(data: bytes, source: str) -> str | None:
    with_bom = _decode_with_bom(data, source)
    return with_bom if with_bom is not None else _decode_utf16_without_bom(data)


def _decode_8bit(data: bytes, declared_encoding: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _decode_declared(data, declared_encoding)
    return declared if declared is not None else _decode_legacy(data)


def _without_stray_nuls(text: str, source: str) -> str:
    nuls = text.count("\x00")
    if nuls > MAX_STRAY_NULS:
        raise InputError(source, f"binary content, not text (found {nuls:,} NUL bytes)")
    return text.replace("\x00", "") if nuls else text


def _decode_with_bom(data: bytes, source: str) -> str | None:
    if not data.startswith(_UTF16_BOMS):
        return None
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as error:
        raise InputError(
            source, f"starts with a UTF-16 byte-order mark but is not valid UTF-16 (bad bytes at offset {error.start})"
        ) from None


def _decode_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text whose mark was lost: NULs only among the high bytes, which come from few values."""
    sample = data[:SAMPLE_BYTES]
    if len(data) % 2 or len(sample) < 4:
        return None
    for high, low, encoding in ((sample[1::2], sample[0::2], "utf-16-le"), (sample[0::2], sample[1::2], "utf-16-be")):
        if 0 in low or 0 not in high or _top_two_share(high) < MIN_UTF16_HIGH_BYTE_SHARE:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            return None
        return text if not _has_controls(text[:SAMPLE_BYTES]) else None
    return None


def _top_two_share(high_bytes: bytes) -> float:
    counts = sorted((high_bytes.count(value) for value in set(high_bytes)), reverse=True)
    return sum(counts[:2]) / len(high_bytes)


def _has_controls(text: str) -> bool:
    return any(ord(char) < 32 and char not in "\t\n\x0b\r\x0c\x1b" for char in text)


def _refuse_binary(data: bytes, source: str) -> None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(source, f"binary content, not text ({kind})")
    sample = data[:SAMPLE_BYTES]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > MAX_CONTROL_RATIO * len(sample):
        share = 100 * controls / len(sample)
        raise InputError(source, f"binary content, not text ({share:.0f}% control characters)")


def _decode_declared(data: bytes, declared_encoding: str | None) -> str | None:
    if not declared_encoding:
        return None
    try:
        return data.decode(declared_encoding)
    except (LookupError, ValueError):  # ValueError: a codec that fails as a whole ("undefined", "punycode")
        return None


def _decode_legacy(data: bytes) -> str:
    """Pick the legacy encoding whose reading of a sample is most plausible, then decode all of it."""
    sample = data[:SAMPLE_BYTES]
    scored = []
    for encoding in LEGACY_ENCODINGS:
        try:
            scored.append((_implausibility(sample.decode(encoding)), encoding))
        except UnicodeDecodeError:
            continue
    # min() keeps the first of equal scores, so the order of LEGACY_ENCODINGS breaks ties.
    score, encoding = min(scored, key=lambda pair: pair[0])
    if score > PLAUSIBLE_SCORE:
        guess = _charset_normalizer_guess(sample)
        if guess is not None and _implausibility(sample.decode(guess, errors="replace")) < score:
            encoding = guess
    return data.decode(encoding, errors="replace")


def _charset_normalizer_guess(sample: bytes) -> str | None:
    match = charset_normalizer.from_bytes(sample).best()
    return match.encoding if match is not None else None


def _implausibility(text: str) -> float:
    """How wrong a decoding looks, from 0 (reads like text) up to about 2.

    Two signs of a misreading: words that are odd (Latin and Cyrillic letters mixed, a capital after a
    lower-case letter, a Latin word made mostly of accented letters, stray symbols), as a share of the
    words with any non-ASCII character; and Cyrillic text that is mostly capitals, which is what
    cp1251 read as KOI8 (or the reverse) gives, since the two swap the cases. All-capitals Cyrillic text
    is therefore misread; headlines are short and rarely alone in a file.
    """
    words = [word for word in _WORD.findall(text) if not word.isascii()]
    odd_words = sum(1 for word in words if _is_odd_word(word))
    odd_symbols = sum(1 for char in text if _is_odd_symbol(char))
    odd_share = (odd_words + odd_symbols) / max(1, len(words))
    cyrillic = [char for char in text if _is_cyrillic(char)]
    capitals_share = sum(1 for char in cyrillic if char.isupper()) / len(cyrillic) if cyrillic else 0.0
    return min(odd_share, 1.0) + capitals_share


def _is_odd_word(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    cyrillic = sum(1 for char in letters if _is_cyrillic(char))
    if 0 < cyrillic < len(letters):
        return True
    if any(before.islower() and after.isupper() for before, after in zip(letters, letters[1:])):
        return True
    accented = sum(1 for char in letters if not char.isascii())
    return cyrillic == 0 and accented * 2 > len(letters)


def _is_odd_symbol(char: str) -> bool:
    if char.isascii() or char in _TEXT_SYMBOLS or char.isspace():
        return False
    return unicodedata.category(char)[0] not in "LM"


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"
