"""Whether two abstracts are one paper's text: a re-listing or a small edit.

Similarity is the Jaccard index of the abstracts' sets of word pairs,
estimated by a MinHash signature small enough to commit one per published
paper (``published.tsv``), so a fresh clone with no pages can still tell an
edited abstract from another paper's text. Unrelated abstracts on the
bundled dumps share ~2 % of their word pairs; an abstract with one word in
ten changed, or cut to its first 60 %, keeps over 55 %.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

SIGNATURE_SIZE = 32  # minima kept; one byte each in the manifest
SIMILAR = 0.3  # estimated Jaccard index from which two abstracts are one text
_PRIME = (1 << 61) - 1
# Fixed, so signatures are the same on every machine and every run.
_RANDOM = np.random.default_rng(16)
_A = _RANDOM.integers(1, _PRIME, SIGNATURE_SIZE, dtype=np.uint64)
_B = _RANDOM.integers(0, _PRIME, SIGNATURE_SIZE, dtype=np.uint64)
_WORD = re.compile(r"\w+")
# Of 256 byte values, two unrelated minima match by chance this often.
_CHANCE = 1 / 256


def _shingles(text: str) -> set[str]:
    words = _WORD.findall(text.casefold())
    return {f"{a} {b}" for a, b in zip(words, words[1:])} or set(words) or {""}


def _hash(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")


def signature(text: str) -> bytes:
    """The lowest byte of each of SIGNATURE_SIZE MinHash minima of ``text``."""
    hashes = np.array([_hash(s) % _PRIME for s in _shingles(text)], dtype=np.uint64)
    # (a*x + b) mod p in exact 128-bit arithmetic is too slow in numpy; the
    # wrapping uint64 product is a fine universal hash for this purpose.
    mixed = hashes[None, :] * _A[:, None] + _B[:, None]
    return bytes((mixed.min(axis=1) & np.uint64(0xFF)).astype(np.uint8))


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard index of the two signatures' texts, from 0 to 1."""
    matches = sum(a == b for a, b in zip(first, second)) / SIGNATURE_SIZE
    return max(0.0, (matches - _CHANCE) / (1 - _CHANCE))


def similar(first: bytes, second: bytes) -> bool:
    return similarity(first, second) >= SIMILAR


def text_hash(text: str) -> str:
    """A short exact hash of an abstract: any change at all changes it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
