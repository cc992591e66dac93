"""Topics: each paper's broad topic, and the topic each tag is shown under.

A paper's topic is the vocabulary topic its known phrases add up to most
(title and proposal mentions weigh most, see ``scores``), so the main topic
is present even when no specific tag fits. A known phrase met only inside a
longer known one counts for that one's topic, not its own ("pruning" in
"data pruning" is data selection, not model compression).

A tool topic (the vocabulary's ``tool topics``: optimization, statistics,
...) yields to the field it serves when that one is nearly as strong. A
title's goal ("... for B") counts twice: B is the field the paper
serves, mostly ("Variance Reduction for Text-to-3D Score Distillation").

Words count too, a level broader: a word that the vocabulary's names of one
topic hold, and hardly another's, tells that topic ("explanations" tells
interpretability, "bandit" bandits), so a paper whose phrases name no topic,
or only weakly, still gets the one its words keep telling.

A tag the vocabulary knows belongs under its own topic; a derived tag under
the topic most of its papers have.
"""

from __future__ import annotations

import re
from collections import Counter

from generator.tags.candidates import BODY, TITLE, TITLE_MEANS, TOKEN, UNTELLING_WORDS, phrase_key, word_key
from generator.tags.scores import GENERIC_MODIFIERS, GENERIC_TOPIC_WEIGHT, GENERIC_WORDS, forked_map
from generator.tags.vocabulary import Lexicon
from generator.textlayer import PROSE_WORDS, STOP_WORDS

TELLING_SHARE = 0.6
"""A word tells a topic when this share of the entries holding it are the topic's."""
WORD_WEIGHT = 0.5
"""A telling word weighs this much of a known phrase in the same place."""
MIN_TOPIC_SCORE = 1.0
"""A topic needs at least a body mention of a known phrase, or two telling words."""
SILENT_WORDS = frozenset(map(word_key, STOP_WORDS | PROSE_WORDS | GENERIC_WORDS | GENERIC_MODIFIERS | UNTELLING_WORDS))
"""Words too common or too broad to tell a topic."""
GOAL_CUE = re.compile(r"\s(?:for|towards?)\s", re.I)
"""In "A for B" titles B is what the paper serves: its field, mostly."""
GOAL_WEIGHT = 1.0
"""A title's goal counts this much of a title mention again, for the topic only."""
SERVED_SHARE = 0.6
"""A tool topic ("optimization") yields to a field scoring this share of it."""


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


class TopicWords:
    """Reads the telling words of texts. A text is split at white space only,
    and each distinct piece read once: most pieces recur, so a text's
    pieces are looked up by set operations, which walk the text's few
    pieces, not all those seen."""

    def __init__(self, lexicon: Lexicon):
        self.telling = telling_words(lexicon)
        self.read: dict[str, tuple[str, ...]] = {}
        """Piece -> the telling words in it, for the pieces that hold some."""
        self.seen: set[str] = set()

    def words(self, text: str) -> set[str]:
        """The telling words' keys in a text."""
        pieces = text.lower().split()
        if not self.seen.issuperset(pieces):
            for piece in set(pieces) - self.seen:
                words = tuple(word for token in TOKEN.findall(piece) if token[0].isalpha()
                              for word in word_key(token).split() if word in self.telling)
                if words:
                    self.read[piece] = words
                self.seen.add(piece)
        return {word for piece in self.read.keys() & pieces for word in self.read[piece]}

    def scores(self, title: str, abstract: str) -> dict[str, float]:
        """Topic -> its telling words' weights: TITLE for a word in the
        title, BODY for one only in the abstract, times WORD_WEIGHT."""
        in_title = self.words(title)
        found: dict[str, float] = {}
        for word in in_title | self.words(abstract):
            topic = self.telling[word]
            found[topic] = found.get(topic, 0.0) + WORD_WEIGHT * (TITLE if word in in_title else BODY)
        return found


def _top(topic_scores: dict[str, float], order: dict[str, int], tools: frozenset[str]) -> str | None:
    """The topic with the highest score (ties: the vocabulary's order), if
    it scores MIN_TOPIC_SCORE; a tool topic yields to the best other topic
    scoring SERVED_SHARE of it."""
    if max(topic_scores.values(), default=0.0) < MIN_TOPIC_SCORE:
        return None

    def best(candidates):
        return min(candidates, key=lambda topic: (-topic_scores[topic], order.get(topic, len(order)), topic))

    top = best(topic_scores)
    if top in tools:
        floor = max(SERVED_SHARE * topic_scores[top], MIN_TOPIC_SCORE)
        served = [topic for topic, score in topic_scores.items() if topic not in tools and score >= floor]
        if served:
            return best(served)
    return top


def _goal_scores(title: str, paper_scores: dict[str, float], lexicon: Lexicon,
                 words: TopicWords) -> dict[str, float]:
    """Topic -> the weight of the known phrases and telling words after a
    title's "for" ("Variance Reduction for Text-to-3D Score Distillation":
    3D vision, not optimization)."""
    parts = GOAL_CUE.split(title, maxsplit=1)
    if len(parts) < 2 or not parts[0].strip():
        return {}
    goal = f" {phrase_key(parts[1])} "
    found: dict[str, float] = {}
    for key, score in paper_scores.items():
        entry = lexicon.entries.get(key) if score >= TITLE_MEANS else None  # a title phrase scores that
        if entry and entry.topic and any(f" {alias} " in goal for alias in lexicon.names.get(key, (key,))):
            found[entry.topic] = found.get(entry.topic, 0.0) + GOAL_WEIGHT * TITLE
    for word in words.words(parts[1]):
        topic = words.telling[word]
        found[topic] = found.get(topic, 0.0) + GOAL_WEIGHT * WORD_WEIGHT * TITLE
    return found


def paper_topics(scores: tuple[dict[str, float], ...], texts: list[tuple[str, str, str]],
                 lexicon: Lexicon) -> list[str | None]:
    """Each paper's topic: its known phrases' topics, plus what its words tell."""
    words = TopicWords(lexicon)
    order = {topic: index for index, topic in enumerate(lexicon.topics)}

    def topic_of(index: int) -> str | None:
        (_, title, abstract), paper_scores = texts[index], scores[index]
        by_phrase = phrase_topic_scores(paper_scores, lexicon)
        by_word = words.scores(title, abstract)
        by_goal = _goal_scores(title, paper_scores, lexicon, words)
        return _top({topic: by_phrase.get(topic, 0.0) + by_word.get(topic, 0.0) + by_goal.get(topic, 0.0)
                     for topic in by_phrase.keys() | by_word.keys() | by_goal.keys()}, order, lexicon.tool_topics)

    return forked_map(topic_of, len(texts))


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
