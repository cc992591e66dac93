"""Topics: each paper's broad topic, and the topic each tag is shown under.

A paper's topic is the vocabulary topic its known phrases add up to most
(title and proposal mentions weigh most, see ``scores``), so the main topic
is present even when no specific tag fits. A known phrase met only inside a
longer known one counts for that one's topic, not its own ("pruning" in
"data pruning" is data selection, not model compression).

A paper whose phrases name no topic, or only weakly, backs off to its words:
a word that the vocabulary's names of one topic hold, and hardly another's,
tells that topic ("explanations" tells interpretability, "rank" matrix
methods). A tag the vocabulary knows belongs under its own topic; a derived
tag under the topic most of its papers have.
"""

from __future__ import annotations

from collections import Counter

from generator.tags.candidates import TOKEN, UNTELLING_WORDS, pieces, word_key
from generator.tags.scores import GENERIC_MODIFIERS, GENERIC_TOPIC_WEIGHT, GENERIC_WORDS
from generator.tags.vocabulary import Lexicon
from generator.textlayer import PROSE_WORDS, STOP_WORDS

WEAK_TOPIC = 1.4
"""A topic scoring below this (one body mention) is weak: words count too."""
TELLING_SHARE = 0.6
"""A word tells a topic when this share of the entries holding it are the topic's."""
WORD_WEIGHT = 0.5
"""A telling word weighs this much of a known phrase in the same place."""
MIN_WORD_SCORE = 1.0
"""Words alone give a topic only when they are said at least this strongly."""
SILENT_WORDS = frozenset(map(word_key, STOP_WORDS | PROSE_WORDS | GENERIC_WORDS | GENERIC_MODIFIERS | UNTELLING_WORDS))
"""Words too common or too broad to tell a topic."""


def phrase_topic_scores(scores: dict[str, float], lexicon: Lexicon) -> dict[str, float]:
    """Topic -> the summed scores of the paper's known phrases under it
    (phrases the vocabulary calls generic count less)."""
    found: dict[str, float] = {}
    for key, score in scores.items():
        entry = lexicon.entries.get(key)
        if entry and entry.topic:
            weight = GENERIC_TOPIC_WEIGHT if key in lexicon.banned else 1.0
            found[entry.topic] = found.get(entry.topic, 0.0) + weight * score
    return found


def telling_words(lexicon: Lexicon) -> dict[str, str]:
    """Word key -> the topic it tells: the topic of at least TELLING_SHARE of
    the entries whose names hold the word. Words the vocabulary calls generic
    ("statistics", "optimization") tell none."""
    silent = SILENT_WORDS | {key for key in lexicon.banned if " " not in key}
    holders: dict[str, set[str]] = {}
    for alias, key in lexicon.aliases.items():
        entry = lexicon.entries.get(key)
        if entry and entry.topic and key not in lexicon.banned:
            for word in alias.split():
                if len(word) > 2 and word not in silent:
                    holders.setdefault(word, set()).add(key)
    found = {}
    for word, keys in sorted(holders.items()):
        topic, count = min(Counter(lexicon.entries[key].topic for key in keys).items(),
                           key=lambda item: (-item[1], item[0]))
        if count >= TELLING_SHARE * len(keys):
            found[word] = topic
    return found


def word_topic_scores(title: str, abstract: str, telling: dict[str, str]) -> dict[str, float]:
    """Topic -> the telling words' scores: each word's best mention (by
    where it is said, see ``candidates.pieces``), times WORD_WEIGHT."""
    best: dict[str, float] = {}
    for piece in pieces(title, abstract):
        for token in TOKEN.findall(piece.text):
            for word in word_key(token).split() if token[0].isalpha() else ():
                if word in telling and piece.weight > best.get(word, 0.0):
                    best[word] = piece.weight
    found: dict[str, float] = {}
    for word, weight in best.items():
        found[telling[word]] = found.get(telling[word], 0.0) + WORD_WEIGHT * weight
    return found


def _top(topic_scores: dict[str, float], lexicon: Lexicon) -> str | None:
    """The topic with the highest score (ties: the vocabulary's order)."""
    if not topic_scores:
        return None
    order = {topic: index for index, topic in enumerate(lexicon.topics)}
    return min(topic_scores, key=lambda topic: (-topic_scores[topic], order.get(topic, len(order)), topic))


def paper_topics(scores: tuple[dict[str, float], ...], texts: list[tuple[str, str, str]],
                 lexicon: Lexicon) -> list[str | None]:
    """Each paper's topic: from its known phrases, and where they name none
    or only weakly, from its telling words as well."""
    words: dict[str, str] | None = None
    found = []
    for paper_scores, (_, title, abstract) in zip(scores, texts):
        by_phrase = phrase_topic_scores(paper_scores, lexicon)
        if max(by_phrase.values(), default=0.0) < WEAK_TOPIC:
            words = words if words is not None else telling_words(lexicon)
            by_word = word_topic_scores(title, abstract, words)
            if max(by_word.values(), default=0.0) >= MIN_WORD_SCORE:
                by_phrase = {topic: by_phrase.get(topic, 0.0) + by_word.get(topic, 0.0)
                             for topic in by_phrase.keys() | by_word.keys()}
        found.append(_top(by_phrase, lexicon))
    return found


def tag_topics(chosen: list[list[str]], topics: list[str | None], lexicon: Lexicon) -> dict[str, str]:
    """Tag key -> its topic's name, for every tag that has one."""
    votes: dict[str, Counter] = {}
    for keys, topic in zip(chosen, topics):
        for key in keys:
            if topic:
                votes.setdefault(key, Counter())[topic] += 1
    found = {}
    for key in {key for keys in chosen for key in keys}:
        entry = lexicon.entries.get(key)
        if entry and entry.topic:
            found[key] = entry.topic
        elif key in votes:
            found[key] = min(votes[key].items(), key=lambda item: (-item[1], item[0]))[0]
    return found


def fill_topics(topics: list[str | None], chosen: list[list[str]], of_tag: dict[str, str]) -> list[str | None]:
    """A paper with no known phrase takes the topic of its first tag that has one."""
    return [topic or next((of_tag[key] for key in keys if key in of_tag), None)
            for topic, keys in zip(topics, chosen)]
