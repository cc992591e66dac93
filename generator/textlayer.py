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


# Words of academic prose that say nothing of a topic ("propose", "novel",
# "results"): key phrases break at them. Field words never belong here.
PROSE_WORDS = frozenset("""
    able achieve achieved achieves achieving across additionally address
    addressed addresses addressing advance advances aim aiming aims aligning
    allow allowed allowing allows alternative analyse analysed analyze analyzed
    analyzes applied applies apply applying arbitrary argue argues arise arises
    art attain attains balancing based baseline baselines benefit benefits
    better beyond broad by-product called can capable careful certain
    challenging characterize characterized claim claims combine combined
    combines common commonly comparable compare compared compares comparing
    competitive comprehensive computational conduct conducted confirm confirms
    consider considered considering consistently contain contains core crucial
    current currently demonstrate demonstrated demonstrates demonstrating derive
    derived describe described design designed designing despite develop
    developed developing different difficult directly discuss does doing drop-in
    easy effective effectively efficient efficiently empirical empirically
    enable enabled enables enabling end-to-end enhance enhanced enhances
    enhancing enjoy enjoys ensure ensures especially establish established
    evaluate evaluated even exhibit exhibits exist existing exists expensive
    experimental experimentally explain explains explore explored extensive
    extensively facilitate facilitates fail fails fast faster finally find finds
    first focus focused following formulate formulated fully fundamental
    furthermore general generally generate generates given good great greatly
    hard help helps high higher highly hold holds however idea ideas identify
    important improve improved improvement improvements improves improving
    including incorporate incorporates increasing increasingly inspired instead
    introduce introduced introduces introducing investigate investigated involve
    involves involving key known large-scale largely lead leading leads learn
    learned learns leverage leverages leveraging like limited long-standing main
    maintain maintains make makes making many match matches may method methods
    might modern moreover motivated much multiple naive namely natural
    near-optimal necessary need needed needs new non notably novel observe
    observed obtain obtained obtains off-the-shelf offer offers often only open
    outperform outperformed outperforming outperforms overall paper particular
    particularly perform performance performed performing performs pivotal
    plug-and-play popular possible potential powerful practical predict predicts
    present presented presents previous previously prior probing produce
    produces promising propose proposed proposes proposing provably prove proved
    proves provide provided provides providing real real-world recent recently
    recover recovers reduce reduced reduces reducing relatively relies rely
    remain remains remarkable remarkably require required requires requiring
    respectively restrictive result resulting results reveal reveals robustly
    scalable scale second seek seeks several shed shedding sheds show showing
    shown shows significant significantly similar simple simply simultaneously
    slow slower small so-called solve solves sota specific specifically standard
    state state-of-the-art still strong stronger studied studies study studying
    substantial substantially successful successfully suffer suffers sufficient
    suggest suggests superior surprisingly tackle tackles take takes theoretical
    theoretically thereby third though three thus tight tighter toward towards
    traditional trained two-fold twofold typically understand understanding
    unified unify unlike unreasonable use used useful uses using usually utilize
    utilizes utilizing validate validates various verifies verify versa
    versatile via vice vital well well-known well-understood whereas whole wide
    widely widespread without work works yield yields
""".split())


# --- acronyms ------------------------------------------------------------------

ACRONYM = re.compile(r"[A-Z][A-Za-z-]*[A-Z][A-Za-z-]*")
"""A word written with two capitals at least: "RL", "LLMs", "MoE", "ViT"."""
# "long form (ACR)": the acronym a paper defines after its long form.
DEFINITION = re.compile(r"\(\s*([A-Z][A-Za-z-]{1,11}?)\s*\)")
_DEFINITION_WORDS = 10
_WORD_PARTS = re.compile(r"[^\W_]+")
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”/|=+<>*]")
"""Where the clause before an acronym's parenthesis starts."""


def acronym_singular(acronym: str) -> str:
    """An acronym without its plural "s", which follows a capital.

    >>> acronym_singular("LLMs"), acronym_singular("MoE")
    ('LLM', 'MoE')
    """
    return acronym[:-1] if acronym.endswith("s") and acronym[-2:-1].isupper() else acronym


def _spells(letters: str, words: list[str]) -> bool:
    """Do ``words`` spell ``letters``, each word giving its initial and maybe
    more of its letters in order, inner stop words giving none?"""
    if not words:
        return not letters
    if not letters:
        return False
    word, rest = words[0], words[1:]
    if word in ENGLISH_STOP_WORDS and rest and _spells(letters, rest):
        return True
    if letters[0] != word[0]:
        return False
    position = 1
    for taken in range(1, len(letters) + 1):
        if _spells(letters[taken:], rest):
            return True
        if taken < len(letters):
            position = word.find(letters[taken], position) + 1
            if position == 0:
                return False
    return False


def acronym_expansion(acronym: str, before: str) -> tuple[str, ...] | None:
    """The words that ``before`` ends with and ``acronym`` abbreviates.

    >>> acronym_expansion("LLMs", "we study large language models")
    ('large', 'language', 'models')
    >>> acronym_expansion("ViT", "a vision transformer")
    ('vision', 'transformer')
    >>> acronym_expansion("RL", "with deep learning") is None
    True
    """
    letters = acronym_singular(acronym).replace("-", "").lower()
    words = _WORD_PARTS.findall(before)[-_DEFINITION_WORDS:]
    lowered = [word.lower() for word in words]
    for count in range(1, min(len(words), len(letters) + 2) + 1):
        span = lowered[-count:]
        if span[0] not in ENGLISH_STOP_WORDS and _spells(letters, span):
            return tuple(words[-count:])
    return None


def acronym_definitions(text: str) -> dict[str, tuple[str, ...]]:
    """The acronyms ``text`` defines as "long form (ACR)" -> the long form's
    words, the first definition of each winning.

    >>> acronym_definitions("Large Language Models (LLMs) beat the MoE (mixture).")
    {'LLM': ('Large', 'Language', 'Models')}
    """
    found: dict[str, tuple[str, ...]] = {}
    for match in DEFINITION.finditer(text):
        acronym = match[1]
        if ACRONYM.fullmatch(acronym):
            before = text[max(0, match.start() - 200):match.start()]
            clause = _CLAUSE_BREAK.split(before)[-1]
            expansion = acronym_expansion(acronym, clause)
            if expansion and len(expansion) > 1:
                found.setdefault(acronym_singular(acronym), expansion)
    return found
