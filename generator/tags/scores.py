"""Step 3: scores. Each paper's candidate tags, each with a salience score.

A candidate is a vocabulary entry one of whose aliases the paper uses, or a
*derived* phrase: two words or more that the vocabulary does not know but
that several papers share and that reads like a topic name. A paper's
score for a candidate grows with the weight of the pieces it appears in
(title, proposal sentence, body, asides; see ``candidates``): the best
mention counts fully, further ones a little. A phrase inside a longer known
phrase of the same run ("reinforcement learning" in "offline reinforcement
learning") still counts for the paper's topic, but only the longer one can
be its tag.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, TypeVar

from generator.tags.candidates import (
    JOINER, Acronyms, Memo, Reader, bridged_names, corpus_acronyms, own_acronyms, run_phrases, run_words,
    soft_words, vocabulary_readings,
)
from generator.tags.vocabulary import Lexicon

MORE_MENTIONS = 0.4
"""What each further mention adds, as a share of its weight."""
MAX_EXTRA = 1.5
"""Further mentions add at most this much."""
GENERIC_TOPIC_WEIGHT = 0.3
"""A topic named only by a generic word ("optimization") counts less for it."""
MIN_DERIVED_WORDS = 2
MAX_DERIVED_WORDS = 4
MIN_HEAD_SHARE = 0.3
"""A derived phrase ends its run at least this often: a head, no modifier."""
MIN_WHOLE_SHARE = 0.2
"""... and starts it this often: a whole name, no fragment of a longer one."""

# Words too broad for a derived tag to end with or consist of.
GENERIC_WORDS = frozenset("""
    ability accuracy adaptation algorithm amount analysis application approach
    approximation architecture aspect basis behavior behaviour benchmark capability
    capacity case challenge choice class combination complexity component computation
    condition consideration construction contribution cost data dataset decision degree
    description design detail development difference difficulty dimension direction domain
    effect effectiveness efficiency environment error estimate estimation evaluation example
    experiment extension factor family feature field form formulation foundation framework
    function gain generalization distribution embedding variance bound generation goal group guarantee idea implementation
    importance improvement information input instance issue kind layer learning level
    limitation loss manner mechanism method methodology metric model modeling modelling
    module network notion number objective observation operation order output overview
    paradigm parameter part performance perspective pipeline point policy power practice
    prediction principle problem procedure process property quality quantity question rate
    regime representation requirement research result risk role sample scenario scheme
    score selection sense set setting signal size solution space stage step strategy
    structure study system task technique term theory time tool training type understanding
    unit use value variable variant variety version view way weight work
""".split())
GENERIC_MODIFIERS = frozenset("""
    deep large neural new different various novel standard simple complex high low
    key main good better best small modern existing current proposed additional
    artificial traditional classical conventional general common original typical
    multiple single efficient effective robust powerful recent specific certain
    learned learning trained training test testing given final overall important
    underlying corresponding resulting respective same similar whole entire
    model lower upper
""".split())


@dataclass(frozen=True)
class Candidates:
    """Every paper's candidate tags with their scores, papers by slug."""

    slugs: tuple[str, ...]
    scores: tuple[dict[str, float], ...]
    """Per paper: candidate key -> score (known keys are canonical)."""
    spare: tuple[dict[str, float], ...]
    """Per paper: shared title phrases that are no candidates, for a paper
    that has too few candidates to reach two tags."""
    derived: frozenset[str]
    """The keys that are derived phrases, not vocabulary entries."""


def _score(best: float, total: float) -> float:
    return round(best + min(MORE_MENTIONS * (total - best), MAX_EXTRA), 6)


def _reads_like_a_topic(key: str) -> bool:
    words = key.split()
    return (words[-1] not in GENERIC_WORDS and words[0] not in GENERIC_MODIFIERS
            and not all(word in GENERIC_WORDS or word in GENERIC_MODIFIERS for word in words))


def _title_phrases(runs: list[str], aliases: dict[str, str], soft: frozenset[str]) -> set[str]:
    """The phrases of title runs that might be derived tags: only these are
    looked for in abstracts (a derived tag is in a title, see ``_eligible``)."""
    found = set()
    for run in map(run_words, runs):
        for key, start, count in run_phrases(run):
            if (MIN_DERIVED_WORDS <= count <= MAX_DERIVED_WORDS and key not in found and key not in aliases
                    and JOINER not in run[start:start + count]
                    and not any(word in soft for word in run[start:start + count])):
                found.add(key)
    return found


def _prefixes(keys: Iterable[str]) -> set[str]:
    """Every phrase that begins one of ``keys`` and is shorter, word by word."""
    found = set()
    for key in keys:
        words = key.split(" ")
        found.update(" ".join(words[:stop]) for stop in range(1, len(words)))
    return found


class _RunReader:
    """A run's known and derived phrases. A run is walked from each word
    only while the phrase so far begins some alias or title phrase, so most
    walks stop after a word or two."""

    def __init__(self, lexicon: Lexicon, titled: set[str]):
        self.aliases = lexicon.aliases
        self.titled = titled
        self.prefixes = _prefixes(lexicon.aliases) | _prefixes(titled)

    def __call__(self, run: str) -> tuple[list, list] | tuple[()]:
        """A run's (known, derived) phrases; () for the many runs with
        none, which ``filter`` then skips at no cost."""
        known, derived = self._phrases(run_words(run))
        return (known, derived) if known or derived else ()

    def _phrases(self, run: tuple[str, ...]) -> tuple[list, list]:
        known, derived = [], []
        aliases, titled, prefixes, length = self.aliases, self.titled, self.prefixes, len(run)
        for start in range(length):
            key, stop = run[start], start + 1
            while True:
                canonical = aliases.get(key)
                if canonical is not None:
                    known.append((canonical, start, stop))
                elif key in titled:
                    derived.append((key, start == 0, stop == length))
                if stop == length or key not in prefixes:
                    break
                key, stop = f"{key} {run[stop]}", stop + 1
        if len(known) < 2:
            return [(canonical, start, stop, False) for canonical, start, stop in known], derived
        # A known phrase inside a longer one naming the same entry counts
        # once; inside one naming another entry it is marked inner.
        kept = []
        for canonical, start, stop in known:
            inner = False
            for other, o_start, o_stop in known:
                if o_start <= start and stop <= o_stop and (o_start != start or o_stop != stop):
                    if other == canonical:
                        break
                    inner = True
            else:
                kept.append((canonical, start, stop, inner))
        return kept, derived


Result = TypeVar("Result")


def collector_paused(build: Callable[..., Result]) -> Callable[..., Result]:
    """Run ``build`` with Python's cycle collector paused. Building tables
    of millions of small objects makes the collector scan them all again and
    again as they grow (a quarter of the time at 20,000 papers); what is
    built here holds no reference cycles, so there is nothing for it to find."""

    @functools.wraps(build)
    def paused(*args, **kwargs) -> Result:
        if not gc.isenabled():
            return build(*args, **kwargs)
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            gc.enable()

    return paused


PARALLEL_FROM = 5000
"""Corpora of this many papers are tagged by one process per core (at most
MAX_WORKERS) where papers are read and scored one by one: that is most of
tagging's time, and each paper is read alone."""
MAX_WORKERS = 4

_FORKED: Callable[[int], object] | None = None
"""The per-paper work a forked process inherits (no copy is sent to it)."""


def _forked_slice(bounds: tuple[int, int]) -> list:
    return [_FORKED(index) for index in range(*bounds)]


def forked_map(work: Callable[[int], Result], count: int) -> list[Result]:
    """``work`` of each paper index, in order; by forked processes when the
    corpus is large and the platform forks. They inherit ``work`` and all
    it refers to, so it may be any closure; only its results are sent back."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if count < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [work(index) for index in range(count)]
    global _FORKED
    step = -(-count // (4 * workers))  # a few slices each, so that no process waits long for the last
    _FORKED = work
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_forked_slice, [(start, min(start + step, count)) for start in range(0, count, step)])
    finally:
        _FORKED = None
    return [result for part in parts for result in part]


RUNS_APART, PIECES_APART = "\x00", "\x01"
"""Join a paper's runs and pieces: one string per paper is sent back from a
forked process far quicker than the many small lists it stands for."""

PackedPaper = tuple[str, tuple[tuple[float, bool], ...]]
"""A paper read: its runs as one string, and its pieces' (weight, in title)
(scoring needs no piece's text)."""


def _read_packed(reader: Reader, text: tuple[str, str, str], own: dict[str, str],
                 shared: dict[str, str]) -> PackedPaper:
    _, title, abstract = text
    paper = reader.read(title, abstract, Acronyms(own, shared, f"{title} {abstract}".lower()))
    return (PIECES_APART.join(RUNS_APART.join(runs) for _, runs in paper),
            tuple((piece.weight, piece.in_title) for piece, _ in paper))


def _pieces(paper: PackedPaper) -> Iterable[tuple[float, bool, list[str]]]:
    """A packed paper's pieces: (weight, in title, runs)."""
    runs, kinds = paper
    return ((weight, in_title, piece_runs.split(RUNS_APART) if piece_runs else [])
            for (weight, in_title), piece_runs in zip(kinds, runs.split(PIECES_APART)))


@dataclass(frozen=True)
class _Mentions:
    """One paper's mentions: its known candidates' scores, and per derived
    phrase [best weight, total weight, mentions, mentions ending a run,
    mentions starting one]."""

    known: dict[str, float]
    derived: dict[str, list]
    in_title: frozenset[str]


def _paper_mentions(paper: PackedPaper, phrases_of: Memo) -> _Mentions:
    known: dict[str, list[float]] = {}
    derived: dict[str, list] = {}
    in_title = set()
    for weight, piece_in_title, runs in _pieces(paper):
        for found_known, found_derived in filter(None, map(phrases_of.__getitem__, runs)):
            for canonical, _, _, is_inner in found_known:
                if not is_inner:
                    _mention(known, canonical, weight)
            for key, starts, ends in found_derived:
                found = derived.get(key)
                if found is None:
                    derived[key] = [weight, weight, 1, int(ends), int(starts)]
                else:
                    found[0] = max(found[0], weight)
                    found[1] += weight
                    found[2] += 1
                    found[3] += ends
                    found[4] += starts
                if piece_in_title:
                    in_title.add(key)
    # Known phrases met inside longer ones are left to those: only their
    # mentions of their own count.
    return _Mentions({key: _score(*mentions) for key, mentions in known.items()}, derived, frozenset(in_title))


def score_papers(texts: list[tuple[str, str, str]], lexicon: Lexicon) -> Candidates:
    """Score every paper's candidates. ``texts`` holds (slug, plain title,
    plain abstract), sorted by slug."""
    names = lexicon.names  # found once, before the workers fork
    own = forked_map(lambda index: vocabulary_readings(own_acronyms(*texts[index][1:]), lexicon.acronyms, names),
                     len(texts))
    shared = {**corpus_acronyms(own), **lexicon.acronyms}
    soft = soft_words(lexicon.aliases)
    # A paper's own acronyms are among the corpus's.
    reader = Reader(soft, frozenset(shared), bridged_names(lexicon.aliases, soft))
    read = forked_map(lambda index: _read_packed(reader, texts[index], own[index], shared), len(texts))
    titled = _title_phrases([run for paper in read for _, in_title, runs in _pieces(paper) if in_title
                             for run in runs], lexicon.aliases, soft)
    phrases_of = Memo(_RunReader(lexicon, titled))  # each distinct run read once
    mentions = forked_map(lambda index: _paper_mentions(read[index], phrases_of), len(texts))
    df: Counter = Counter()
    places: dict[str, list[int]] = {}
    title_df: Counter = Counter()
    for paper in mentions:
        df.update(paper.derived.keys())
        title_df.update(paper.in_title)
        for key, (_, _, count, ends, starts) in paper.derived.items():
            place = places.get(key)
            if place is None:
                places[key] = [count, ends, starts]
            else:
                place[0] += count
                place[1] += ends
                place[2] += starts
    eligible = _eligible(df, title_df, places, lexicon, len(texts))
    scores = tuple(
        {**{key: _score(best, total) for key, (best, total, *_) in paper.derived.items() if key in eligible},
         **paper.known}
        for paper in mentions
    )
    spare = tuple(
        {key: _score(best, total) for key, (best, total, *_) in paper.derived.items()
         if key not in eligible and df[key] >= 2 and key not in lexicon.banned and _reads_like_a_topic(key)
         and places[key][1] >= MIN_HEAD_SHARE * places[key][0]}
        if sum(score >= 1.0 for score in paper_scores.values()) < 2 else {}
        for paper, paper_scores in zip(mentions, scores)
    )
    return Candidates(tuple(slug for slug, _, _ in texts), scores, spare,
                      frozenset(eligible) | {key for found in spare for key in found})


def _mention(mentions: dict[str, list[float]], key: str, weight: float) -> None:
    found = mentions.get(key)
    if found is None:
        mentions[key] = [weight, weight]
    else:
        found[0] = max(found[0], weight)
        found[1] += weight


def _eligible(df: Counter, title_df: Counter, places: dict[str, list[int]],
              lexicon: Lexicon, count: int) -> set[str]:
    """Derived phrases that may be tags: in two titles, or in one and on
    three papers; reading like a topic name; mostly a whole name of their runs."""
    return {
        key for key, papers in df.items()
        if papers >= 2 and (title_df[key] >= 2 or (title_df[key] and papers >= 3))
        and key not in lexicon.banned and _reads_like_a_topic(key)
        and places[key][1] >= MIN_HEAD_SHARE * places[key][0]
        and places[key][2] >= MIN_WHOLE_SHARE * places[key][0]
    }
