"""The text layer shared by the analysis steps (related papers, tags, and the
browser's find-similar model): how paper text becomes words and stems.

One place decides what a word is, which words say nothing of a topic, and
how words are stemmed, so that related papers, tags and the exported model
agree. scikit-learn's English stop-word list is not used as it stands: it
holds words that end real topic names ("recommender system", "part",
"interest", "detail"), which then could never be found.
"""

from __future__ import annotations

import functools
import re

import Stemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# Words of sklearn's list that end or make up real topic names.
TOPIC_WORDS = frozenset(
    "system systems interest part top bottom side detail fill fire find found "
    "front back full move show call made name".split()
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS - TOPIC_WORDS)
"""English function words: they say nothing of any topic."""

# A word starts with a letter: years, counts and version numbers are not topics.
WORD = re.compile(r"\b[^\W\d_]\w+\b")
# The same pattern for ASCII-only text (most abstracts): same words, ~2x faster.
ASCII_WORD = re.compile(WORD.pattern, re.ASCII)
URL = re.compile(r"(?:https?://|www\.)\S*")

_STEMMER = Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """The lower-cased words of plain text, URLs left out.

    >>> words("Graph Neural Networks (see https://x.org) in 2024")
    ['graph', 'neural', 'networks', 'see', 'in']
    """
    text = text.lower()
    if "http" in text or "www." in text:
        text = URL.sub(" ", text)
    return (ASCII_WORD if text.isascii() else WORD).findall(text)


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball (Porter 2) English stem of a lower-case word.

    >>> stem("networks"), stem("systems"), stem("learning")
    ('network', 'system', 'learn')
    """
    return _STEMMER.stemWord(word)
