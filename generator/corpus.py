"""Merge the entries of all dumps into papers with stable ids and URLs.

A paper's identity is its *title key*: the title's reading text, ASCII-folded,
case-folded, with punctuation and spacing dropped. Entries whose titles share a
key (``$f$-Divergence`` / ``f-Divergence``, case, punctuation, spacing) are one
paper.

A paper's slug is a pure function of its key and of nothing else: not of
input order, nor of the other papers. That is what keeps a published URL
fixed forever without a registry to commit: a later dump can only bring a
paper with the same slug by bringing the same key, which is the same paper.
Keys too long for a bounded slug, or with characters a slug cannot hold,
get a hash of the whole key appended instead.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from generator.errors import GeneratorError
from generator.parse import Dump, Entry
from generator.text import to_plain

MAX_SLUG_LENGTH = 96  # + ".md" stays under 100 bytes, a portable file name
HASH_LENGTH = 8
WORD = re.compile(r"[^\W_]+")
# Slugs a paper cannot have as they are: file names Windows refuses whatever
# their extension, and "index", the name of the papers/ list page itself.
RESERVED_SLUGS = frozenset(
    ["con", "prn", "aux", "nul", "index"]
    + [f"com{n}" for n in range(10)]
    + [f"lpt{n}" for n in range(10)]
)


@dataclass(frozen=True)
class Source:
    """One dump a paper was listed in."""

    dump: str
    date: str | None
    line: int


@dataclass(frozen=True)
class Paper:
    """A merged paper. ``title`` and ``abstract`` are raw dump text."""

    slug: str
    key: str
    title: str
    abstract: str
    sources: tuple[Source, ...]
    authors: tuple[str, ...] = ()
    """Author names, when the dump's layout carries them."""

    @property
    def first_dump(self) -> str:
        return self.sources[0].dump


@dataclass(frozen=True)
class DumpSummary:
    name: str
    date: str | None
    entries: int


@dataclass(frozen=True)
class Corpus:
    """All papers sorted by slug, and the dumps they came from in order."""

    papers: tuple[Paper, ...]
    dumps: tuple[DumpSummary, ...]

    @property
    def duplicates_merged(self) -> int:
        return sum(dump.entries for dump in self.dumps) - len(self.papers)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def title_key(title: str) -> str:
    """The identity of a title: its words, folded.

    >>> title_key("$f$-Divergence  Minimization, REVISITED!")
    'f divergence minimization revisited'
    """
    return " ".join(WORD.findall(_fold(to_plain(title))))


def slug_for(key: str) -> str:
    """A readable, bounded, portable slug that depends on ``key`` alone.

    >>> slug_for("value gradient weighted model based rl")
    'value-gradient-weighted-model-based-rl'
    """
    ascii_words = re.findall(r"[a-z0-9]+", key)
    readable = "-".join(ascii_words)
    if (
        readable
        and readable == key.replace(" ", "-")
        and len(readable) <= MAX_SLUG_LENGTH
        and readable not in RESERVED_SLUGS
    ):
        return readable
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:HASH_LENGTH]
    prefix = readable[: MAX_SLUG_LENGTH - HASH_LENGTH - 1].rstrip("-")
    if "-" in prefix and len(readable) > len(prefix):
        prefix = prefix.rsplit("-", 1)[0]  # do not end on half a word
    return f"{prefix}-{digest}" if prefix else f"paper-{digest}"


def _merge(key: str, entries: list[tuple[Dump, Entry]]) -> Paper:
    """One paper from all its entries: the first title, the longest abstract."""
    sources = {}
    for dump, entry in entries:
        sources.setdefault(dump.name, Source(dump.name, entry.date, entry.line))
    abstract = max((entry.abstract for _, entry in entries), key=len)
    return Paper(
        slug=slug_for(key),
        key=key,
        title=entries[0][1].title,
        abstract=abstract,
        sources=tuple(sources.values()),
    )


def build_corpus(dumps: list[Dump]) -> Corpus:
    """Merge the dumps' entries, in the order of the dumps' file names."""
    ordered = sorted(dumps, key=lambda dump: dump.name)
    by_key: dict[str, list[tuple[Dump, Entry]]] = defaultdict(list)
    for dump in ordered:
        for entry in dump.entries:
            by_key[title_key(entry.title) or entry.title].append((dump, entry))
    papers = sorted((_merge(key, entries) for key, entries in by_key.items()),
                    key=lambda paper: paper.slug)
    check_unique_slugs(papers)
    summaries = tuple(
        DumpSummary(dump.name, dump.date, len(dump.entries)) for dump in ordered
    )
    return Corpus(tuple(papers), summaries)


def check_unique_slugs(papers: list[Paper]) -> None:
    # Sorted by slug, so a clash sits next to its twin. Only a hash
    # collision can cause one; refuse rather than move a published URL.
    for before, after in zip(papers, papers[1:]):
        if before.slug == after.slug:
            raise GeneratorError(
                f"papers {before.title!r} and {after.title!r} both map to "
                f"papers/{before.slug}/; rename one title in its dump"
            )
