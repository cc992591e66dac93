"""Topic tags in two levels: a broad topic per paper, 2-5 specific tags.

The steps, one module each:

1. ``candidates``: each paper's text as weighed pieces (title and "we
   propose" sentence most, asides least) and runs of content words, read
   through the paper's own acronyms first.
2. ``vocabulary``: the shipped ML vocabulary (topics, tags, aliases,
   acronyms; ``vocabulary.yml``) with the user's ``tags.yml`` on top.
3. ``scores``: each paper's candidates (known entries and phrases several
   papers share) with salience scores; each paper's topic scores.
4. ``assign``: each paper's tags, settled so that every tag has two
   papers and none too many; ``topics``: the topic of papers and tags;
   ``lock``: published tags stay put across regenerations.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field

from generator.corpus import Paper
from generator.tags.assign import MAX_SHARE, MAX_TAGS, MIN_TAGS, assign_tags, borrow_from_neighbours, rank
from generator.tags.candidates import TOKEN, phrase_key, word_key
from generator.tags.lock import LockError, TagLock, format_lock, parse_lock, text_hash, updated_lock
from generator.tags.scores import collector_paused, score_papers
from generator.tags.topics import fill_topics, paper_topics, tag_topics
from generator.tags.vocabulary import Lexicon, Vocabulary, VocabularyError, lexicon, parse_vocabulary
from generator.text import to_plain
from generator.textlayer import ACRONYM

__all__ = [
    "MAX_SHARE", "MAX_TAGS", "MIN_TAGS", "Lexicon", "LockError", "TagLock", "Tagging", "Vocabulary",
    "VocabularyError", "format_lock", "parse_lock", "parse_vocabulary", "tag_papers",
]


@dataclass(frozen=True)
class Tagging:
    """What tagging says of a corpus."""

    tags: dict[str, tuple[str, ...]]
    """Paper slug -> its tags, best first."""
    topics: dict[str, str | None]
    """Paper slug -> its broad topic."""
    tag_topics: dict[str, str]
    """Tag -> the topic it is listed under."""
    lock: TagLock = field(default_factory=TagLock)
    """The record to write back to tags.lock."""


def _display_forms(surfaces: Counter) -> dict[str, str]:
    """Word key -> how abstracts write it: lowercase where they ever do,
    else their commonest form (Gaussian, GANs)."""
    best: dict[str, tuple[int, str]] = {}
    lowercase: set[str] = set()
    for written, count in surfaces.items():
        for token in TOKEN.findall(written):
            if token[0].isalpha():
                key = word_key(token)
                if token.islower():
                    lowercase.add(key)
                if count > best.get(key, (0, ""))[0] or (count == best[key][0] and token < best[key][1]):
                    best[key] = (count, token)
    return {key: token.lower() if key in lowercase and not ACRONYM.fullmatch(token) else token
            for key, (_, token) in best.items()}


def _derived_name(key: str, forms: dict[str, str]) -> str:
    """A derived phrase shown as the papers write its words: the longest
    written form first ("pre-training" over "pre training")."""
    words, shown, start = key.split(), [], 0
    while start < len(words):
        stop = next(stop for stop in range(len(words), start, -1)
                    if " ".join(words[start:stop]) in forms or stop == start + 1)
        part = " ".join(words[start:stop])
        shown.append(forms.get(part, part))
        start = stop
    return " ".join(shown)


@collector_paused
def tag_papers(papers: tuple[Paper, ...], vocabulary: Vocabulary = Vocabulary(),
               lock: TagLock = TagLock(), nearest: dict[str, tuple[str, ...]] | None = None) -> Tagging:
    """Tag every paper. ``nearest``: slug -> its nearest papers' slugs, most
    similar first (``analysis.nearest_papers``), which a paper short of
    tags borrows from. The same papers in any order, with the same lock and
    nearest papers, give the same tags."""
    papers = tuple(sorted(papers, key=lambda paper: paper.slug))
    known = lexicon(vocabulary)
    texts = [(paper.slug, to_plain(paper.title), to_plain(paper.abstract)) for paper in papers]
    candidates = score_papers(texts, known)
    hashes = {slug: text_hash(title, abstract) for slug, title, abstract in texts}

    def key_of(name: str) -> str:
        return known.canonical(phrase_key(name))

    published = {key_of(tag) for _, tags in lock.papers.values() for tag in tags}
    locked = {}
    if lock.fingerprint == known.fingerprint:
        locked = {index: [key_of(tag) for tag in lock.papers[slug][1]]
                  for index, (slug, _, _) in enumerate(texts)
                  if slug in lock.papers and lock.papers[slug][0] == hashes[slug]}
    ranked = [rank(scores, spare, candidates.derived, known.banned, known.forced, published)
              for scores, spare in zip(candidates.scores, candidates.spare)]
    topics = paper_topics(candidates.scores, texts, known)
    # A paper short of tags takes its topic, even one too broad to be a tag
    # otherwise ("optimization"), unless tags.yml bans it.
    topic_keys = [key if topic and (key := known.canonical(phrase_key(topic))) not in known.user_banned
                  else None for topic in topics]
    chosen = assign_tags(ranked, topic_keys, locked)
    if nearest:
        index_of = {slug: index for index, (slug, _, _) in enumerate(texts)}
        borrow_from_neighbours(chosen, [tuple(index_of[other] for other in nearest.get(slug, ()) if other in index_of)
                                        for slug, _, _ in texts], locked)
    of_tag = tag_topics(chosen, topics, known)
    topics = fill_topics(topics, chosen, of_tag)
    shown_derived = [abstract for (_, _, abstract), keys in zip(texts, chosen)
                     if any(key not in known.entries for key in keys)]
    forms = _display_forms(Counter(itertools.chain.from_iterable(map(str.split, shown_derived))))
    names = {key: known.entries[key].name if key in known.entries else _derived_name(key, forms)
             for keys in chosen for key in keys}
    tags = {slug: tuple(names[key] for key in keys) for (slug, _, _), keys in zip(texts, chosen)}
    return Tagging(
        tags,
        {slug: topic for (slug, _, _), topic in zip(texts, topics)},
        {names[key]: topic for key, topic in sorted(of_tag.items())},
        updated_lock(lock, known.fingerprint, hashes, tags),
    )

