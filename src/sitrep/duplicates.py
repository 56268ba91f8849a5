"""Near-duplicate text: reposts, verbatim copies and wire copies of one origin.

Two granularities, because copying happens at both:

- **Documents.** A Telegram repost or a newspaper running a wire story whole shares most of its
  text with the original. Each document gets a MinHash signature (datasketch) over word shingles,
  cut into LSH bands; the bands are stored, so a new document finds its near-duplicates with one
  indexed query (``sitrep.store.crossdoc.near_duplicates``) however large the store grows.
- **Sentences.** An article that pastes two paragraphs of a wire story into its own text is not a
  near-duplicate as a whole, but the pasted claims are. Within one event, claims whose shingle
  sets overlap enough are one origin (``same_text``); events are small, so the exact Jaccard
  index is affordable there and more accurate than an estimate.
"""

from __future__ import annotations

import hashlib
import re
import struct
from functools import lru_cache

from datasketch import MinHash

# Words, lower-cased, with punctuation and the "Forwarded from X" style prefixes of reposts left out
# by the shingling itself: a prefix adds only a few shingles to a long post.
_WORD = re.compile(r"\w+", re.UNICODE)

# Three-word shingles: short enough that a lightly edited copy keeps most of them, long enough that
# two independent reports on the same event ("Russian forces shelled Orikhiv") share few.
SHINGLE_WORDS = 3

# 128 permutations in 32 bands of 4 rows: two texts become LSH candidates with probability
# 1 - (1 - J^4)^32, i.e. 0.87 at Jaccard 0.5, 0.99 at 0.6 and 0.02 at 0.15 (S-curve of Leskovec
# et al., Mining of Massive Datasets, ch. 3). Candidates are then checked against
# DOCUMENT_THRESHOLD on their exact shingle Jaccard, so the bands only need good recall.
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS

# Estimated Jaccard of document shingles above which two documents are one origin. A wire story
# republished with a new headline and one added sentence stays above 0.7; two outlets' own reports
# of one event, sharing names and a quote, stay below 0.3 in our scenario and samples.
DOCUMENT_THRESHOLD = 0.5

# Jaccard of sentence shingles above which two claims are one origin (a sentence copied with a
# word or two changed). Independent sentences about the same event share a few phrases ("in the
# village of Robotyne") and stay well below.
SENTENCE_THRESHOLD = 0.5

# Texts with fewer words than this have too few shingles for an estimate to mean anything; they
# are compared by their exact normalised text only.
MIN_WORDS = 8

_SEED = 1


def words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def shingles(text: str) -> set[str]:
    tokens = words(text)
    if len(tokens) < SHINGLE_WORDS:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + SHINGLE_WORDS]) for i in range(len(tokens) - SHINGLE_WORDS + 1)}


def jaccard(first: set[str], second: set[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def same_text(first: str, second: str) -> bool:
    """Whether two sentences are copies of one text (exactly or lightly edited)."""
    return jaccard(_cached_shingles(first), _cached_shingles(second)) >= SENTENCE_THRESHOLD


@lru_cache(maxsize=4096)
def _cached_shingles(text: str) -> frozenset[str]:
    return frozenset(shingles(text))


class Fingerprint:
    """A document's MinHash signature and its LSH band keys."""

    def __init__(self, text: str):
        tokens = words(text)
        self.short = len(tokens) < MIN_WORDS
        self.minhash = MinHash(num_perm=NUM_PERM, seed=_SEED)
        if self.short:
            # One key for the whole text: only an exact copy (after normalisation) matches.
            self.minhash.update(" ".join(tokens).encode("utf-8"))
        else:
            self.minhash.update_batch([shingle.encode("utf-8") for shingle in shingles(text)])

    def bands(self) -> list[tuple[int, int]]:
        """(band number, 63-bit hash of the band's rows): what the store indexes."""
        values = self.minhash.hashvalues
        return [(band, _band_hash(values[band * ROWS:(band + 1) * ROWS])) for band in range(BANDS)]


def _band_hash(rows) -> int:
    digest = hashlib.blake2b(struct.pack(f"<{len(rows)}Q", *(int(value) for value in rows)), digest_size=8).digest()
    # Signed 64-bit databases: keep 63 bits so the value fits a BIGINT everywhere.
    return int.from_bytes(digest, "little") >> 1
