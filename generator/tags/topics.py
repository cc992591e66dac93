"""Topics: each paper's broad topic, and the topic each tag is shown under.

A paper's topic is the vocabulary topic its known phrases add up to most
(title and proposal mentions weigh most, see ``scores``), so the main topic
is present even when no specific tag fits. A tag the vocabulary knows
belongs under its own topic; a derived tag under the topic most of its
papers have.
"""

from __future__ import annotations

from collections import Counter

from generator.tags.vocabulary import Lexicon


def paper_topic(topic_scores: dict[str, float], lexicon: Lexicon) -> str | None:
    """The topic with the highest score (ties: the vocabulary's order)."""
    if not topic_scores:
        return None
    order = {topic: index for index, topic in enumerate(lexicon.topics)}
    return min(topic_scores, key=lambda topic: (-topic_scores[topic], order.get(topic, len(order)), topic))


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
