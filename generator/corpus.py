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
from typing import Mapping

from generator.errors import Diagnostic, GeneratorError
from generator.parse import Dump, Entry
from generator.signature import signature, similar, text_hash
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
    abstract_from: tuple[str, ...] = ()
    """The dumps whose listing had exactly the abstract shown."""

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
    warnings: tuple[Diagnostic, ...] = ()
    """Papers kept apart although their titles match."""

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


@dataclass(frozen=True)
class _Listing:
    dump: Dump
    entry: Entry
    signature: bytes


def _clusters(listings: list[_Listing]) -> list[list[_Listing]]:
    """The listings of one title key grouped by abstract: a listing joins the
    first group holding a similar abstract (a re-listing, a small edit)."""
    groups: list[list[_Listing]] = []
    for listing in listings:
        group = next((g for g in groups if any(similar(listing.signature, other.signature)
                                               for other in g)), None)
        if group is None:
            groups.append([listing])
        else:
            group.append(listing)
    return groups


def _merge(slug: str, key: str, listings: list[_Listing]) -> Paper:
    """One paper from all its listings: the first title, the longest abstract."""
    sources = {}
    for listing in listings:
        entry = listing.entry
        sources.setdefault(listing.dump.name, Source(listing.dump.name, entry.date, entry.line))
    abstract = max((listing.entry.abstract for listing in listings), key=len)
    shown_in = {listing.dump.name for listing in listings if listing.entry.abstract == abstract}
    authors = next((listing.entry.authors for listing in listings if listing.entry.authors), ())
    return Paper(
        slug=slug,
        key=key,
        title=listings[0].entry.title,
        abstract=abstract,
        sources=tuple(sources.values()),
        authors=authors,
        abstract_from=tuple(name for name in sources if name in shown_in),
    )


def _disambiguation_prefix(key: str) -> str:
    """The title's slug, cut at a word so that a hash still fits after it."""
    base = slug_for(key)
    limit = MAX_SLUG_LENGTH - HASH_LENGTH - 1
    if len(base) <= limit:
        return base
    cut = base[:limit].rstrip("-")
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


def disambiguated_slug(key: str, abstract: str) -> str:
    """The slug of a second paper with the same title key: its own abstract's
    hash after the title's slug, so it depends on that paper alone."""
    return f"{_disambiguation_prefix(key)}-{text_hash(abstract)[:HASH_LENGTH]}"


def _slugs(key: str, groups: list[list[_Listing]], published: Mapping[str, bytes],
           others: set[str]) -> list[str]:
    """A slug per group. A published paper keeps its slug: the group whose
    abstract is like a published one under this title takes that URL; the
    rest take the plain slug in dump order while it is free, then disambiguated ones."""
    base, prefix = slug_for(key), _disambiguation_prefix(key)
    # A long title's own slug ends in a hash too: never take another title's.
    candidates = [slug for slug in published if slug == base or (
        slug.startswith(prefix + "-") and len(slug) == len(prefix) + 1 + HASH_LENGTH
        and slug not in others)]
    slugs: list[str | None] = [None] * len(groups)
    for slug in candidates:
        matches = [index for index, group in enumerate(groups) if slugs[index] is None and any(
            similar(published[slug], listing.signature) for listing in group)]
        if matches:
            slugs[matches[0]] = slug
    taken = set(slugs)
    for index, group in enumerate(groups):
        if slugs[index] is None:
            longest = max((listing.entry.abstract for listing in group), key=len)
            # A published abstract replaced by unrelated text keeps the URL, so
            # that the plan reports it as such (and refuses it).
            slugs[index] = base if base not in taken else disambiguated_slug(key, longest)
            taken.add(slugs[index])
    return slugs


def _split_warning(papers: list[Paper], groups: list[list[_Listing]]) -> Diagnostic:
    """Papers that share a title key: where the second one is listed, and where each went."""
    listing = groups[1][0]
    return Diagnostic(
        listing.dump.path, listing.entry.line,
        f"same title as papers/{papers[0].slug}/ ({papers[0].first_dump}) but an unrelated "
        "abstract: kept as another paper at " + ", ".join(f"papers/{p.slug}/" for p in papers[1:]))


def build_corpus(dumps: list[Dump], published: Mapping[str, bytes] | None = None) -> Corpus:
    """Merge the dumps' entries, in the order of the dumps' file names.

    ``published`` maps each published slug to its abstract's signature
    (the manifest), so that a published paper keeps its URL."""
    published = published or {}
    ordered = sorted(dumps, key=lambda dump: dump.name)
    by_key: dict[str, list[_Listing]] = defaultdict(list)
    for dump in ordered:
        for entry in dump.entries:
            by_key[title_key(entry.title) or entry.title].append(
                _Listing(dump, entry, signature(entry.abstract)))
    papers, warnings = [], []
    plain = {slug_for(key) for key in by_key}
    for key, listings in by_key.items():
        groups = _clusters(listings)
        slugs = _slugs(key, groups, published, plain)
        merged = [_merge(slug, key, group) for slug, group in zip(slugs, groups)]
        if len(merged) > 1:
            warnings.append(_split_warning(merged, groups))
        papers += merged
    papers.sort(key=lambda paper: paper.slug)
    check_unique_slugs(papers)
    summaries = tuple(
        DumpSummary(dump.name, dump.date, len(dump.entries)) for dump in ordered
    )
    return Corpus(tuple(papers), summaries, tuple(warnings))


def check_unique_slugs(papers: list[Paper]) -> None:
    # Sorted by slug, so a clash sits next to its twin. Only a hash
    # collision can cause one; refuse rather than move a published URL.
    for before, after in zip(papers, papers[1:]):
        if before.slug == after.slug:
            raise GeneratorError(
                f"papers {before.title!r} and {after.title!r} both map to "
                f"papers/{before.slug}/; rename one title in its dump"
            )
