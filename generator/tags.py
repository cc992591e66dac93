"""Topic tags: the key phrases of the corpus itself, their variants merged.

Nothing here knows a field: tags come from the words of the papers, so a
dump about a new field yields that field's tags. The word lists below are
of English and of academic prose only. The steps:

1. **Acronyms are learnt from the corpus.** "reinforcement learning (RL)"
   teaches that RL and RLs stand for reinforcement learning, so every RL
   counts as that phrase. A paper's own definitions win over the corpus's.
2. **Candidate phrases** are runs of one to four content words: no stop
   words, generic words of academic prose ("propose", "results"), numbers or
   punctuation, though one inner "of" may join them ("mixture of experts").
   A phrase's *key* folds case, hyphens and plurals, so "Diffusion Models"
   and "diffusion-model" are one phrase; spellings with and without a break
   ("pre-training", "pretraining") are joined too.
3. **Eligible phrases** are on at least two papers and at most MAX_SHARE of
   them. Where phrases sit in their runs tells heads from modifiers
   ("low-rank") and whole phrases from fragments ("series forecasting"),
   with no part-of-speech tagger.
4. **Scores** are TF-IDF over phrases: title phrases count more, and phrases
   that papers put in their titles are preferred to phrases only abstracts
   use (the corpus's own sign of a topic name, cf. "keyphraseness").
5. **Each paper** takes its best phrases, skipping one nested in a tag it
   already has. A tag that only one paper took goes to the other paper that
   scores the phrase best, or is given up, until every tag has two papers.
   A tag is shown in the corpus's commonest form of it.

The user's vocabulary (tags.yml, read by the CLI) renames, merges and bans
tags, and adds a tag to every paper where a phrase appears.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Callable, Iterable, Iterator, NamedTuple

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from generator.corpus import Paper
from generator.errors import GeneratorError
from generator.text import to_plain

MIN_TAGS = 2
MAX_TAGS = 6
MAX_SHARE = 0.15
"""No tag may be on more than this share of all papers."""
MAX_WORDS = 4
TITLE_WEIGHT = 3.0
KEEP_RATIO = 0.45
"""A paper's tags beyond the second score at least this share of its best."""
FALLBACK_WEIGHT = 0.01
JOINER = "of"
MIN_END_SHARE = 0.2
"""A word that ends fewer of its runs than this is a modifier, no head."""
VERB_ALONE_SHARE = 0.25

# Words of academic prose that say nothing of a topic: a phrase breaks at
# them. Field words never belong here; the tags must come from the corpus.
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
BREAK_WORDS = (ENGLISH_STOP_WORDS | PROSE_WORDS | {"et", "al", "ie", "eg", "vs"}) - {JOINER}
# Words too broad to be a tag alone ("learning", "model", "estimation"), yet
# fine in one ("reinforcement learning", "diffusion model").
GENERIC_WORDS = frozenset("""
    ability accuracy activation adaptation algorithm amount analysis application
    approach approximation architecture basis benchmark capability capacity case
    challenge choice class combination complexity computation condition
    consideration construction contribution convergence data dataset decision
    degree density description development difference difficulty dimension
    dimensionality direction distance distribution divergence domain dynamics
    effect effectiveness efficiency environment equation error estimation
    evaluation example experiment extraction factor family feature field form
    foundation framework function generalization generation goal group idea
    implementation importance improvement influence information initialization
    input instance instruction interaction intervention issue kind learning lens
    level loss lot magnitude manner mapping matching maximization mechanism
    method metric metrics minimization model modeling modelling moment
    motivation network notion number objective observation operation optimality
    order output overview paper parameter part perspective perturbation piece
    pipeline policy population position prediction preference presentation
    probability problem process property quality quantity range rate recognition
    recommendation reconstruction reduction representation research result
    review role sample scenario selection sensitivity set setting similarity
    size solution space step strategy structure survey synthesis system task
    technique term theory time tool training treatment type value variance
    variant variety way work
""".split())
# Words that make a phrase about a kind of work rather than a topic when
# they end it: "diffusion approaches" is "diffusion".
WEAK_ENDINGS = frozenset("""
    algorithm approach challenge framework issue lens method number overview
    paradigm perspective pipeline problem run scheme setting stage strategy task
    technique tool view
""".split())
NOUNS_IN_LY = ("aly", "ily", "bly", "ply", "oly")
NOUN_ENDINGS = (
    "tion", "sion", "ing", "ment", "ness", "ity", "ance", "ence", "ism", "sis",
    "ics", "ogy", "graphy", "ship", "ty", "cy",
)
# The few plurals the rules of ``singular`` get wrong.
IRREGULAR_PLURALS = {
    "analyses": "analysis", "hypotheses": "hypothesis", "matrices": "matrix",
    "indices": "index", "vertices": "vertex", "criteria": "criterion",
    "phenomena": "phenomenon", "series": "series", "species": "species", "lens": "lens",
}

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# A clause: text between punctuation that no phrase may cross.
PUNCTUATION = r"[.,;:!?()\[\]{}\"“”/|=+<>*]"
CLAUSE = re.compile(PUNCTUATION.replace("[", "[^", 1) + "+")
TOKEN = re.compile(f"{WORD.pattern}|{PUNCTUATION}")
ACRONYM = re.compile(r"[A-Z][A-Za-z-]*[A-Z][A-Za-z-]*")
DEFINITION = re.compile(r"\(\s*([A-Z][A-Za-z-]{1,11}?)\s*\)")
DEFINITION_WORDS = 10


class VocabularyError(GeneratorError):
    """A tag vocabulary file that cannot be used."""


@dataclass(frozen=True)
class Vocabulary:
    """The user's changes to the derived tags, as tags.yml states them."""

    rename: dict[str, str] = field(default_factory=dict)
    """Tag (or any variant of it) -> the name to show instead; ``merge:``
    entries arrive here too, one per merged tag."""
    ban: tuple[str, ...] = ()
    add: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Tag -> phrases whose appearance in a paper gives it that tag."""


VOCABULARY_SECTIONS = {
    "rename": "a mapping of tag: new name",
    "merge": "a mapping of name: [tags to merge under it]",
    "ban": "a list of tags",
    "add": "a mapping of tag: [phrases that give it]",
}


def _names(value: object) -> list[str] | None:
    """A list of non-empty strings (one string counts as a list of one)."""
    items = [value] if isinstance(value, str) else value
    if isinstance(items, list) and items and all(isinstance(i, str) and i.strip() for i in items):
        return [item.strip() for item in items]
    return None


def _pairs(value: object) -> list[tuple[str, list[str]]] | None:
    if not isinstance(value, dict):
        return None
    pairs = [(key, _names(item)) for key, item in value.items()]
    if all(isinstance(key, str) and key.strip() and names for key, names in pairs):
        return [(key.strip(), names) for key, names in pairs]
    return None


def parse_vocabulary(data: object, source: str) -> Vocabulary:
    """Check the parsed tags.yml (``source`` names it in errors), reporting
    every problem at once.

    >>> parse_vocabulary({"merge": {"LLMs": ["language models"]}, "ban": "paper"}, "tags.yml")
    Vocabulary(rename={'language models': 'LLMs'}, ban=('paper',), add={})
    >>> parse_vocabulary({"ban": {"x": 1}, "colour": []}, "tags.yml")
    Traceback (most recent call last):
    ...
    generator.tags.VocabularyError: tags.yml: error: unknown section 'colour' (known: rename, merge, ban, add)
    tags.yml: error: 'ban' must be a list of tags, got {'x': 1}
    """
    if data is None:
        return Vocabulary()
    if not isinstance(data, dict):
        raise VocabularyError(f"{source}: error: expected sections rename, merge, ban or add; "
                              f"got {type(data).__name__}")
    errors = [f"{source}: error: unknown section {name!r} "
              f"(known: {', '.join(VOCABULARY_SECTIONS)})"
              for name in data if name not in VOCABULARY_SECTIONS]
    parsed = {}
    for name, value in data.items():
        if name in VOCABULARY_SECTIONS and value is not None:
            parsed[name] = _names(value) if name == "ban" else _pairs(value)
            if parsed[name] is None or (name == "rename" and any(len(n) > 1 for _, n in parsed[name])):
                errors.append(
                    f"{source}: error: {name!r} must be {VOCABULARY_SECTIONS[name]}, got {value!r}"
                )
    if errors:
        raise VocabularyError("\n".join(errors))
    rename = {old: new[0] for old, new in parsed.get("rename") or []}
    rename.update((old, name) for name, olds in parsed.get("merge") or [] for old in olds)
    return Vocabulary(
        rename=rename,
        ban=tuple(parsed.get("ban") or ()),
        add={tag: tuple(phrases) for tag, phrases in parsed.get("add") or []},
    )


# --- words and phrases --------------------------------------------------


def singular(word: str) -> str:
    """The singular of a lowercase English noun, by rule.

    >>> [singular(w) for w in ("policies", "processes", "biases", "bias", "gans", "dynamics")]
    ['policy', 'process', 'bias', 'bias', 'gan', 'dynamics']
    """
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "as", "ics")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "uses", "ases")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


@lru_cache(maxsize=None)
def word_key(word: str) -> tuple[str, ...]:
    """The folded parts of one word: case, hyphens and plurals dropped.

    >>> word_key("Model-Based")
    ('model', 'based')
    """
    parts = re.split(r"[-'’]", word.lower().replace("isation", "ization"))
    return tuple(singular(part) for part in parts if part)


def _is_break(word: str) -> bool:
    """Must a phrase break at this word? At stop words, prose words,
    numbers and adverbs ("closely", though not "anomaly" or "family")."""
    lower = word.lower()
    return (
        lower in BREAK_WORDS
        or any(char.isdigit() for char in word)
        or len(lower) < 2
        or (lower.endswith("ly") and not lower.endswith(NOUNS_IN_LY))
        or all(part in BREAK_WORDS for part in re.split(r"[-'’]", lower) if part)
    )


# --- acronyms -----------------------------------------------------------


def _spells(letters: str, words: list[str]) -> bool:
    """Do ``words`` spell ``letters``, each word giving its initial and
    maybe more of its letters in order, inner stop words giving none?"""
    if not words:
        return not letters
    if not letters:
        return False
    word, rest = words[0], words[1:]
    if word in ENGLISH_STOP_WORDS and _spells(letters, rest) and rest:
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
    letters = _acronym_singular(acronym).replace("-", "").lower()
    words = [part for word in WORD.findall(before)[-DEFINITION_WORDS:]
             for part in re.split(r"[-'’]", word) if part]
    lowered = [word.lower() for word in words]
    for count in range(1, min(len(words), len(letters) + 2) + 1):
        span = lowered[-count:]
        if span[0] not in ENGLISH_STOP_WORDS and _spells(letters, span):
            return tuple(words[-count:])
    return None


def _acronym_singular(acronym: str) -> str:
    return acronym[:-1] if acronym.endswith("s") and acronym[-2:-1].isupper() else acronym


def _definitions(text: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    for match in DEFINITION.finditer(text):
        acronym = match[1]
        if not ACRONYM.fullmatch(acronym):
            continue
        clause = CLAUSE.findall(text[max(0, match.start() - 200) : match.start()])
        expansion = acronym_expansion(acronym, clause[-1] if clause else "")
        if expansion and len(expansion) > 1:
            yield _acronym_singular(acronym), expansion


def acronym_definitions(text: str) -> dict[str, tuple[str, ...]]:
    """The acronyms ``text`` defines -> the key words of their expansions.

    >>> acronym_definitions("Large Language Models (LLMs) and the MoE.")
    {'LLM': ('large', 'language', 'model')}
    """
    return {
        acronym: tuple(part for word in expansion for part in word_key(word))
        for acronym, expansion in _definitions(text)
    }


def corpus_acronyms(definitions: Iterable[dict[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    """Each acronym -> its commonest expansion over the papers' definitions
    (ties: the alphabetically first)."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for defined in definitions:
        for acronym, expansion in defined.items():
            seen[acronym][expansion] += 1
    return {
        acronym: min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
        for acronym, counts in sorted(seen.items())
    }


# --- candidate phrases --------------------------------------------------


class _Unit(NamedTuple):
    """One word of a clause: its key words and how the text wrote it."""

    keys: tuple[str, ...]
    surface: str | None
    """Lowercase; None for an acronym standing for its expansion."""
    alone: bool
    """May this word be a candidate by itself?"""
    ends: bool
    """May a phrase of several words end with this one?"""
    joins: bool = False
    key: str = ""
    """The key words joined by spaces."""


def _new_unit(keys: tuple[str, ...], surface: str | None, alone: bool, ends: bool) -> _Unit:
    return _Unit(keys, surface, alone, ends, False, " ".join(keys))


def _topic_word(key: str, surface: str) -> bool:
    """Can this word be a tag on its own? Only a noun can, and with no
    tagger at hand English endings tell nouns ("pruning", "quantization",
    "robustness") from adjectives and verbs ("adaptive", "gives"), but
    acronyms ("GPT") count too."""
    if key in GENERIC_WORDS:
        return False
    return key.endswith(NOUN_ENDINGS) or bool(ACRONYM.fullmatch(surface))


def _ends(keys: tuple[str, ...]) -> bool:
    """May a phrase end with these words? Not with a stop word, a weak
    ending, or a past participle ("functions defined")."""
    last = keys[-1]
    return not (
        last in WEAK_ENDINGS or last in ENGLISH_STOP_WORDS
        or (last.endswith("ed") and not last.endswith("eed") and len(last) > 4)
    )


def _word_unit(word: str) -> _Unit | None:
    if _is_break(word):
        return None
    keys = word_key(word)
    ends = _ends(keys)
    return _new_unit(keys, word.lower(), ends and keys[-1] not in GENERIC_WORDS, ends)


JOINER_UNIT = _Unit((JOINER,), JOINER, False, False, True, JOINER)
BREAK = -1


def _read(word: str, parts: list[str], acronyms: dict) -> Iterator[_Unit | None]:
    """The units of one word: None where a phrase must break."""
    expansions = [acronyms.get(_acronym_singular(part)) for part in parts]
    if any(expansions):
        # "LLM-based": the expansion, then each other part on its own.
        for part, expansion in zip(parts, expansions):
            ends = expansion and _ends(expansion)
            yield _new_unit(expansion, None, ends, ends) if expansion else _word_unit(part)
    elif word.lower() == JOINER:
        yield JOINER_UNIT
    else:
        yield _word_unit(re.sub(r"['’]s$", "", word))


class _Memo(dict):
    """A dict that makes a missing value with ``make`` on first use."""

    def __init__(self, make: Callable) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


class _Reader:
    """Reads text cut at whitespace, knowing the corpus's acronyms: each
    distinct piece ("models,", "(LLMs)") once, each word form once.

    ``units_of`` gives a piece's units by their number in ``units`` (BREAK
    where a phrase must break), ``keys_of`` its words' folded keys ("|" for
    punctuation), in which the vocabulary's phrases are looked for.
    """

    def __init__(self, acronyms: dict[str, tuple[str, ...]], parent: _Reader | None = None):
        self.acronyms = acronyms
        self.parent = parent
        # A paper's own reader numbers units as the corpus's does.
        self.units: dict[_Unit, int] = parent.units if parent else {}
        self.word_units = _Memo(self._word_units)
        self.units_of = _Memo(lambda piece: tuple(chain.from_iterable(
            map(self.word_units.__getitem__, TOKEN.findall(piece)))))
        self.keys_of = _Memo(lambda piece: " ".join(
            phrase_key(token, self.acronyms) or "|" for token in TOKEN.findall(piece)))

    def with_own(self, own: dict[str, tuple[str, ...]]) -> _Reader:
        """This reader with a paper's own acronym definitions winning."""
        differing = {a: e for a, e in own.items() if self.acronyms.get(a) != e}
        return _Reader({**self.acronyms, **differing}, self) if differing else self

    def _word_units(self, word: str) -> tuple[int, ...]:
        parts = word.split("-")
        if self.parent and all(self.acronyms.get(acronym) == self.parent.acronyms.get(acronym)
                               for acronym in map(_acronym_singular, parts)):
            return self.parent.word_units[word]
        return tuple(BREAK if unit is None else self.units.setdefault(unit, len(self.units))
                     for unit in _read(word, parts, self.acronyms))


# Where a phrase sits in its run: whether it ends it (or an "of" follows),
# starts it (or follows an "of"), or both.
ENDS_RUN, STARTS_RUN = 1, 2
WHOLE_RUN = ENDS_RUN | STARTS_RUN


@dataclass(frozen=True)
class _Occurrences:
    """Every candidate phrase in a stream of units, as parallel arrays, and
    its grams: distinct sequences of units, each its parent (all units but
    the last, -1 for none) and its last unit."""

    starts: np.ndarray
    grams: np.ndarray
    places: np.ndarray
    """ENDS_RUN and STARTS_RUN, as it sits in its run."""
    parents: np.ndarray
    lasts: np.ndarray

    def joined(self, grams: np.ndarray, words: list[str | None]) -> np.ndarray:
        """Each of ``grams`` as the ``words`` of its units (by number)
        joined by spaces, or None if one of them is None."""
        known = np.array([word is not None for word in words], dtype=bool)
        words = np.array([word or "" for word in words], dtype=object)
        current = grams
        joined, valid = words[self.lasts[current]], known[self.lasts[current]]
        current = self.parents[current]
        while (current >= 0).any():
            more = np.flatnonzero(current >= 0)
            units = self.lasts[current[more]]
            joined[more] = words[units] + " " + joined[more]
            valid[more] &= known[units]
            current[more] = self.parents[current[more]]
        joined[~valid] = None
        return joined


def _occurrences(stream: np.ndarray, units: list[_Unit]) -> _Occurrences:
    """The candidate phrases of ``stream``, unit numbers with BREAK after
    each run: one to MAX_WORDS key words, first no "of", last a word that
    may end a phrase (or, alone, be one); one "of" may join them, unless
    the first word is generic ("number of layers" names no topic).

    The corpus is one stream, read one window length at a time; the grams
    of each length are numbered from those one shorter.
    """
    # A row per unit, and a last one for BREAK (-1): too long for any phrase.
    table = np.array([(len(u.keys), u.joins, u.ends, u.alone, u.keys[0] in GENERIC_WORDS)
                      for u in units] + [(MAX_WORDS + 1, 0, 0, 0, 0)], dtype=np.int64)
    size, (joins, ends, alone, generic) = table[:, 0], table[:, 1:].T.astype(bool)
    length, count = len(stream), len(units)
    padded = np.concatenate([stream, np.full(MAX_WORDS, BREAK)])
    edge = (padded == BREAK) | joins[padded]  # a run ends before it, starts after it
    first = stream
    start_places = np.where(np.concatenate([[True], edge[: length - 1]]), STARTS_RUN, 0)
    alive = (first != BREAK) & ~joins[first]  # windows that may still grow
    words, joined = size[first], np.zeros(length, bool)
    gram, parents, lasts = first, [np.full(count, -1)], [np.arange(count)]
    starts, grams, places, offset = [], [], [], 0
    for length_in_units in range(1, MAX_WORDS + 1):
        last = padded[length_in_units - 1 : length_in_units - 1 + length]
        if length_in_units == 1:
            is_phrase = alive & alone[last]
        else:
            words = words + size[last]
            alive &= (words <= MAX_WORDS) & ~(joined & joins[last])
            joined |= joins[last]
            distinct, inverse = np.unique(gram[alive] * count + last[alive], return_inverse=True)
            parents.append(distinct // count + offset)
            lasts.append(distinct % count)
            offset += len(lasts[-2])
            gram = np.full(length, -1)
            gram[alive] = inverse
            is_phrase = alive & ends[last] & ~(joined & generic[first])
        found = np.flatnonzero(is_phrase)
        starts.append(found)
        grams.append(gram[found] + offset)
        ends_here = edge[length_in_units : length_in_units + length][found]
        places.append(start_places[found] | np.where(ends_here, ENDS_RUN, 0))
    return _Occurrences(np.concatenate(starts), np.concatenate(grams), np.concatenate(places),
                        np.concatenate(parents), np.concatenate(lasts))


@dataclass(frozen=True)
class _Places:
    """Phrase key -> how often it occurs, ends its run, starts it, and is
    the whole run."""

    occurs: Counter
    ends_run: Counter
    starts_run: Counter
    whole_run: Counter

    def head(self, key: str) -> bool:
        """Does ``key`` end its runs often enough to name a thing? Modifiers
        ("low-rank", "pre-trained") and fragments seldom do."""
        return self.ends_run[key] >= MIN_END_SHARE * self.occurs[key]

    def whole(self, key: str) -> bool:
        """Does ``key`` start and end its runs often enough to be a whole
        phrase, and not a piece of a longer one ("variable models" is
        mostly in "latent variable models")?"""
        return self.head(key) and self.starts_run[key] >= MIN_END_SHARE * self.occurs[key]

    def verb_like(self, word: str) -> bool:
        """Is this -ing word mostly a verb ("by optimizing the loss") rather
        than a noun ("network pruning")? Verbs stand alone between stop words."""
        return " " not in word and word.endswith("ing") and (
            self.whole_run[word] >= VERB_ALONE_SHARE * self.occurs[word] > 0
        )


# --- the corpus's phrases -------------------------------------------------


@dataclass
class _Found:
    """Every paper's candidate phrases as papers x phrases matrices, where
    each occurred, and how words were written."""

    keys: list[str]
    """Column -> phrase key."""
    titles: csr_matrix
    """1 where a paper's title has the phrase."""
    abstracts: csr_matrix
    """How often a paper's abstract has it."""
    capitalized: Counter
    """Capitalized word form -> how many abstracts use it mid-sentence."""
    folded: list[str]
    """Each paper's words as keys, clauses apart, if asked for: the
    vocabulary's phrases are looked for there."""
    occurrences: _Occurrences
    columns: np.ndarray
    """Each occurrence's column, as first found (``remap`` moves none)."""
    units: list[_Unit]
    index: dict[str, int]
    """Phrase key -> column."""

    def counts(self, per_column: np.ndarray) -> Counter:
        """A count per column as key -> count, zeros left out."""
        columns = np.flatnonzero(per_column)
        return Counter(dict(zip(map(self.keys.__getitem__, columns), per_column[columns].tolist())))

    def document_frequency(self) -> tuple[np.ndarray, np.ndarray]:
        """How many papers have each column, and how many in their titles."""
        size = len(self.keys)
        return (np.bincount((self.titles + self.abstracts).indices, minlength=size),
                np.bincount(self.titles.indices, minlength=size))

    def remap(self, mapping: dict[str, str]) -> None:
        """Count each key of ``mapping`` as the key it maps to."""
        for key in mapping.values():
            self.index.setdefault(key, len(self.keys))
            if len(self.index) > len(self.keys):
                self.keys.append(key)
        size = len(self.keys)
        target = np.arange(size)
        for old, new in mapping.items():
            if old in self.index:
                target[self.index[old]] = self.index[new]
        merge = csr_matrix((np.ones(size, np.int64), (np.arange(size), target)), shape=(size, size))
        papers = self.titles.shape[0]
        self.titles.resize(papers, size)
        self.abstracts.resize(papers, size)
        self.titles = (self.titles @ merge).minimum(1).tocsr()
        self.abstracts = (self.abstracts @ merge).tocsr()

    def places(self, keys: Iterable[str]) -> _Places:
        """Where in their runs ``keys`` occur, over the whole corpus."""
        places = self.occurrences.places
        counts = [np.bincount(self.columns, weights=weights, minlength=len(self.index))
                  for weights in (None, places & ENDS_RUN > 0, places & STARTS_RUN > 0,
                                places == WHOLE_RUN)]
        columns = [self.index[key] for key in keys]
        return _Places(*(Counter(dict(zip(keys, count[columns].astype(int).tolist())))
                         for count in counts))

    def surfaces(self, keys: set[str]) -> dict[str, Counter]:
        """How often the text wrote each of ``keys`` in each form."""
        grams = self.occurrences.grams
        wanted = np.isin(self.columns, [self.index[key] for key in keys if key in self.index])
        distinct, counts = np.unique(grams[wanted], return_counts=True)
        keys = self.occurrences.joined(distinct, [unit.key for unit in self.units])
        written = self.occurrences.joined(distinct, [unit.surface for unit in self.units])
        forms: dict[str, Counter] = defaultdict(Counter)
        for key, surface, count in zip(keys.tolist(), written.tolist(), counts.tolist()):
            if surface is not None:
                forms[key][surface] += count
        return forms


def _find_phrases(texts: list[tuple[str, str]], acronyms: dict, local: list[dict],
                  fold: bool) -> _Found:
    """The candidate phrases of each paper's title and abstract; a paper's
    own acronym definitions win over the corpus's. A phrase's place says if
    it ends its run (1), starts it (2) or both (3); an acronym standing for
    part of a phrase leaves it no written form.

    >>> found = _find_phrases([("Deep RL for the Mixture-of-Experts", "")],
    ...                       {"RL": ("reinforcement", "learning")}, [{}], fold=False)
    >>> places = found.places(sorted(found.keys))
    >>> [(key, places.ends_run[key] + 2 * places.starts_run[key]) for key in sorted(found.keys)]
    [('deep', 2), ('deep reinforcement learning', 3), ('mixture of expert', 3), \
('reinforcement learning', 1)]
    >>> dict(found.surfaces(set(found.keys)))
    {'deep': Counter({'deep': 1}), 'mixture of expert': Counter({'mixture-of-experts': 1})}
    """
    reader = _Reader(acronyms)
    read: list[tuple[int, ...]] = []  # the units of each piece of text, BREAK after each text
    lengths, folded, capitalized = [], [], Counter()
    for (title, abstract), own in zip(texts, local):
        paper_reader = reader.with_own(own)
        pieces = title.split(), abstract.split()
        for words in pieces:
            read.extend(map(paper_reader.units_of.__getitem__, words))
            read.append((BREAK,))
            lengths.append(len(words) + 1)
        if fold:
            folded.append(" ".join(filter(None, map(paper_reader.keys_of.__getitem__,
                                                    [*pieces[0], ".", *pieces[1]]))))
        capitalized.update(set(CAPITALIZED_MID_SENTENCE.findall(abstract)))
    units = list(reader.units)
    sizes = np.fromiter(map(len, read), np.int64, len(read))
    stream = np.fromiter(chain.from_iterable(read), np.int64, sizes.sum())
    # Each unit's text (a paper's title is text 2 * paper, its abstract the next).
    texts_of = np.repeat(np.arange(len(lengths)), np.add.reduceat(sizes, np.cumsum([0] + lengths[:-1])))
    # One BREAK says as much as many in a row, in half the stream.
    kept = np.concatenate([[True], (stream[1:] != BREAK) | (stream[:-1] != BREAK)])
    stream, texts_of = stream[kept], texts_of[kept]
    occurrences = _occurrences(stream, units)
    grams, columns = np.unique(occurrences.grams, return_inverse=True)
    gram_keys = occurrences.joined(grams, [unit.key for unit in units])
    index: dict[str, int] = {}
    columns = np.array([index.setdefault(key, len(index)) for key in gram_keys.tolist()])[columns]
    keys = list(index)
    papers, in_title = np.divmod(texts_of[occurrences.starts], 2)
    in_title = in_title == 0
    shape = (len(texts), len(keys))

    def matrix(chosen: np.ndarray) -> csr_matrix:
        ones = np.ones(np.count_nonzero(chosen), np.int64)
        return csr_matrix((ones, (papers[chosen], columns[chosen])), shape=shape)

    return _Found(keys, matrix(in_title).minimum(1).tocsr(), matrix(~in_title), capitalized,
                  folded, occurrences, columns, units, index)


def generic_head_aliases(df: Counter, is_head: Callable[[str], bool]) -> dict[str, str]:
    """Count a topic's rarer generic-headed forms as the topic: "time series
    models" as "time series". Only that way round: "Gaussian mixture" is
    not always a "Gaussian mixture model". ``is_head`` says if a phrase can
    end a noun phrase ("low-rank" cannot).

    >>> generic_head_aliases(Counter({"time series": 9, "time series model": 3}), bool)
    {'time series model': 'time series'}
    """
    return {
        key: head
        for key in sorted(df)
        for head, _, last in [key.rpartition(" ")]
        if last in GENERIC_WORDS and 2 * df[key] < df.get(head, 0) and is_head(head)
    }


def spelling_aliases(df: Counter) -> dict[str, str]:
    """Join the spellings of one phrase with and without a break between two
    of its words ("pre-training", "pretraining"; "data set", "dataset"):
    each counts as the form more papers use.

    >>> spelling_aliases(Counter({"pre training": 3, "pretraining": 5, "data set": 2}))
    {'pre training': 'pretraining'}
    """
    aliases = {}
    for key in sorted(df):
        words = key.split(" ")
        for index in range(len(words) - 1):
            joined = " ".join(words[:index] + [words[index] + words[index + 1]] + words[index + 2 :])
            if joined in df:
                rare, common = sorted((key, joined), key=lambda form: (-df[form], form))[::-1]
                aliases[rare] = common
    return aliases


def _composed(first: dict[str, str], then: dict[str, str]) -> dict[str, str]:
    """One mapping doing ``first``, then ``then``."""
    return {key: then.get(first.get(key, key), first.get(key, key))
            for key in first.keys() | then.keys()}


def fragments(df: Counter, share: float = 0.7) -> set[str]:
    """Phrases that mostly occur inside one longer phrase, like "carlo
    tree" inside "monte carlo tree": parts, not topics.

    >>> sorted(fragments(Counter({"carlo tree": 3, "monte carlo tree": 3, "tree": 9})))
    ['carlo tree']
    """
    inside: Counter = Counter()
    for key, count in df.items():
        words = key.split(" ")
        for part in (" ".join(words[1:]), " ".join(words[:-1])):
            if part in df and count > inside[part]:
                inside[part] = count
    return {key for key, count in inside.items() if count >= share * df[key]}


# --- choosing each paper's tags --------------------------------------------


@dataclass(frozen=True)
class _Ranking:
    """Every paper's candidate tags with their scores, as parallel arrays
    sorted by paper, best score first (ties: by key)."""

    keys: list[str]
    index: dict[str, int]
    papers: np.ndarray
    columns: np.ndarray
    scores: np.ndarray
    by_key: np.ndarray
    """The order of the same by key, then best score, then paper."""
    key_columns: np.ndarray
    """``columns`` in that order."""
    bounds: list[int]
    """Where each paper's candidates start in ``papers``, and the end."""

    def of(self, paper: int) -> Iterator[tuple[float, str]]:
        """One paper's candidate tags, best first, with their scores."""
        start, stop = self.bounds[paper], self.bounds[paper + 1]
        return zip(self.scores[start:stop].tolist(),
                   map(self.keys.__getitem__, self.columns[start:stop].tolist()))

    def users(self, key: str) -> list[int]:
        """The papers with ``key`` among their candidates, best score first
        (ties: the first paper)."""
        column = self.index.get(key, -1)
        start, stop = np.searchsorted(self.key_columns, [column, column + 1])
        return self.papers[self.by_key[start:stop]].tolist()


def _ranked(found: _Found, df: np.ndarray, title_df: np.ndarray,
            tiers: tuple[set[str], set[str]]) -> _Ranking:
    """Each paper's candidate tags, scored: the preferred ones, then the
    fallbacks, which only serve to reach MIN_TAGS."""
    preferred, fallback = tiers
    tier = np.zeros(len(found.keys))
    tier[[found.index[key] for key in fallback]] = FALLBACK_WEIGHT
    tier[[found.index[key] for key in preferred]] = 1.0
    both = (found.titles + found.abstracts).tocsr()
    both.sum_duplicates()  # sorted: paper, then column
    papers = np.repeat(np.arange(both.shape[0]), np.diff(both.indptr))
    candidate = tier[both.indices] > 0
    papers, columns = papers[candidate], both.indices[candidate]
    in_title = np.asarray(found.titles[papers, columns]).ravel()
    abstract = np.asarray(found.abstracts[papers, columns]).ravel()
    kept = ~_covered(found, papers, columns, in_title, abstract, tier == 1.0)
    papers, columns, in_title, abstract = papers[kept], columns[kept], in_title[kept], abstract[kept]
    weight = TITLE_WEIGHT * in_title + np.log1p(abstract)
    idf = np.log((1 + found.titles.shape[0]) / (1 + df[columns])) + 1
    keyness = 0.5 + title_df[columns] / df[columns]
    scores = np.round(weight * idf * keyness * tier[columns], 9)
    rank = np.zeros(len(found.keys), np.int64)  # ties go to the first key in order
    rank[sorted(np.flatnonzero(tier).tolist(), key=found.keys.__getitem__)] = np.arange(
        np.count_nonzero(tier))
    order = np.lexsort((rank[columns], -scores, papers))
    papers, columns, scores = papers[order], columns[order], scores[order]
    by_key = np.lexsort((papers, -scores, columns))
    bounds = np.searchsorted(papers, np.arange(found.titles.shape[0] + 1)).tolist()
    return _Ranking(found.keys, found.index, papers, columns, scores, by_key, columns[by_key], bounds)


def _covered(found: _Found, papers: np.ndarray, columns: np.ndarray, in_title: np.ndarray,
             abstract: np.ndarray, preferred: np.ndarray) -> np.ndarray:
    """Which of the papers' candidates (sorted by paper, then column) are
    preferred keys a paper only uses inside a longer preferred one, as
    "language models" inside "large language models": the longer one is
    what the paper is about."""
    size = len(found.keys)
    codes = papers * size + columns
    covered = np.zeros(len(codes), bool)
    for part_of in (lambda words: words[1:], lambda words: words[:-1]):
        parts = np.full(size, -1)
        for column in np.flatnonzero(preferred).tolist():
            part = found.index.get(" ".join(part_of(found.keys[column].split(" "))), -1)
            parts[column] = part if part >= 0 and preferred[part] else -1
        whole = np.flatnonzero(preferred[columns] & (parts[columns] >= 0))
        wanted = papers[whole] * size + parts[columns[whole]]
        at = np.minimum(np.searchsorted(codes, wanted), len(codes) - 1)
        has = (codes[at] == wanted) & (abstract[at] <= abstract[whole]) & (in_title[at] <= in_title[whole])
        covered[at[has]] = True
    return covered


def _nested(key: str, chosen: list[str]) -> bool:
    padded = f" {key} "
    return any(padded in f" {other} " or f" {other} " in padded for other in chosen)


def _choose(scores: Iterable[tuple[float, str]], chosen: list[str], given_up: set[str]) -> list[str]:
    """Add a paper's best phrases to ``chosen`` (its forced tags), down to a
    share of its best score, keeping between MIN_TAGS and MAX_TAGS."""
    chosen = list(chosen)
    best = None
    for score, key in scores:
        if len(chosen) >= MAX_TAGS:
            break
        if key in given_up or _nested(key, chosen):
            continue
        best = best or score
        if len(chosen) >= MIN_TAGS and score < KEEP_RATIO * best:
            break
        chosen.append(key)
    return chosen


def _settle(ranking: _Ranking, forced: list[list[str]],
            rounds: int = 20) -> list[list[str]]:
    """Choose each paper's tags, then settle tags that only one paper took:
    the other paper that scores the phrase best takes it too, or, if none
    has room, the phrase is given up and its paper takes its next best."""
    given_up: set[str] = set()
    protected = {key for own in forced for key in own}
    chosen = [_choose(ranking.of(index), own, given_up) for index, own in enumerate(forced)]
    for _ in range(rounds):
        owners = defaultdict(list)
        for index, tags in enumerate(chosen):
            for key in tags:
                owners[key].append(index)
        lonely = sorted(key for key, papers in owners.items()
                        if len(papers) == 1 and key not in protected)
        if not lonely:
            break
        for key in lonely:
            owner = owners[key][0]
            adopter = next(
                (index for index in ranking.users(key)
                 if index != owner and len(chosen[index]) < MAX_TAGS
                 and not _nested(key, chosen[index])),
                None,
            )
            if adopter is not None:
                chosen[adopter].append(key)
            else:
                given_up.add(key)
                chosen[owner].remove(key)
                chosen[owner] = _choose(ranking.of(owner), chosen[owner], given_up)
    return chosen


# --- names, the vocabulary, and the whole ----------------------------------


# The capital comes first so that the scan fails fast on all other letters.
CAPITALIZED_MID_SENTENCE = re.compile(r"[A-Z](?<=[\w,;)] [A-Z])[\w'’-]*")


def word_cases(capitalized: Counter, df: Counter) -> dict[str, str]:
    """Words that most papers using them capitalize mid-sentence (names like
    Gaussian, acronyms like GPT) -> that form; all other words are lowercase.
    ``capitalized`` counts the abstracts using each capitalized form
    mid-sentence, ``df`` the papers using each word at all (generic words,
    which are not counted, stay lowercase). Two abstracts at least must
    agree, so one paper's habit decides nothing.

    >>> word_cases(Counter({"Gaussian": 5, "Diffusion": 2, "Valuation": 1}),
    ...            Counter({"gaussian": 6, "diffusion": 9, "valuation": 1}))
    {'gaussian': 'Gaussian'}
    """
    best: dict[str, tuple[int, str]] = {}
    for form, count in sorted(capitalized.items()):
        lower = form.lower()
        users = df.get(" ".join(word_key(lower)), 0)
        if count >= 2 and 2 * count > users > 0 and count > best.get(lower, (0, ""))[0]:
            best[lower] = (count, form)
    return {lower: form for lower, (_, form) in best.items()}


def _display_name(key: str, surfaces: dict[str, Counter], cases: dict[str, str]) -> str:
    forms = surfaces.get(key)
    surface = min(forms.items(), key=lambda item: (-item[1], item[0]))[0] if forms else key
    return " ".join(cases.get(word, word) for word in surface.split())


def phrase_key(text: str, acronyms: dict[str, tuple[str, ...]]) -> str:
    """The key of a phrase as a user writes it: "LLMs" is "large language model".

    >>> phrase_key("Model-Based RL", {"RL": ("reinforcement", "learning")})
    'model based reinforcement learning'
    """
    return " ".join(
        key
        for word in WORD.findall(text)
        for part in word.split("-")
        for key in (acronyms.get(_acronym_singular(part)) or word_key(part))
    )


@dataclass(frozen=True)
class _UserTags:
    """The vocabulary turned into keys of this corpus."""

    renames: dict[str, str]
    banned: set[str]
    rules: dict[str, list[str]]
    """Tag key -> keys of the phrases that give it."""
    names: dict[str, str]
    """Tag key -> the name the user wrote."""

    @classmethod
    def of(cls, vocabulary: Vocabulary, acronyms: dict, aliases: dict[str, str]) -> _UserTags:
        """The keys of the vocabulary's tags, read as the corpus's phrases
        are: same acronyms, same merged spellings."""

        def key(tag: str) -> str:
            folded = phrase_key(tag, acronyms)
            return aliases.get(folded, folded)

        names = {key(new): new for new in vocabulary.rename.values()}
        names.update((key(tag), tag) for tag in vocabulary.add)
        renames = {key(old): key(new) for old, new in vocabulary.rename.items()}
        return cls(
            {old: new for old, new in renames.items() if old != new},
            {key(tag) for tag in vocabulary.ban},
            {key(tag): [phrase_key(phrase, acronyms) for phrase in phrases]
             for tag, phrases in vocabulary.add.items()},
            names,
        )

    def forced(self, folded: str) -> list[str]:
        padded = f" {folded} "
        return [tag for tag, found in self.rules.items()
                if any(f" {phrase} " in padded for phrase in found)]


def _eligible(df: Counter, title_df: Counter, count: int, user: _UserTags,
              places: _Places, cases: dict[str, str]) -> tuple[set[str], set[str]]:
    """Phrases that may be tags, preferred ones and fallbacks.

    Every tag is on two papers at least and on at most MAX_SHARE of them,
    and is not banned. A name from the vocabulary is preferred as it is;
    any other tag ends like a noun phrase, and a preferred one also is a
    whole phrase, not part of a longer one ("series forecasting"); is in a
    title, where papers name their topics, or else on three papers or said
    twice by each paper on average; and a lone word is in two titles, a
    noun by its ending or an acronym (see ``_topic_word``), and no verb
    ("optimizing"). Other lone words ("entropy") are fallbacks only.
    """
    max_df = max(2, int(MAX_SHARE * count))
    shared = {key: n for key, n in df.items() if 2 <= n <= max_df and key not in user.banned}
    parts = fragments(Counter(shared))
    fallback = {key for key in shared if places.head(key) and not places.verb_like(key)}
    named = {key for key in user.names if key in shared}  # the user's word is final
    preferred = named | {
        key for key in fallback
        if key not in parts and places.whole(key)
        and (title_df[key] or shared[key] >= 3 or places.occurs[key] >= 2 * shared[key])
        and (" " in key or (title_df[key] >= 2 and _topic_word(key, cases.get(key, key))))
    }
    return preferred, fallback - preferred


def derive_tags(papers: tuple[Paper, ...],
                vocabulary: Vocabulary = Vocabulary()) -> dict[str, tuple[str, ...]]:
    """Each paper's slug -> its topic tags, best first. The same papers in
    any order give the same tags."""
    papers = tuple(sorted(papers, key=lambda paper: paper.slug))
    texts = [(to_plain(paper.title), to_plain(paper.abstract)) for paper in papers]
    local = [acronym_definitions(f"{title}. {abstract}") for title, abstract in texts]
    acronyms = corpus_acronyms(local)
    found = _find_phrases(texts, acronyms, local, fold=bool(vocabulary.add))
    if not found.keys:
        return {paper.slug: () for paper in papers}  # no paper has a phrase at all
    df = found.counts(found.document_frequency()[0])
    shared = Counter({key: n for key, n in df.items() if n >= 2})
    places = found.places(list(shared))
    aliases = _composed(spelling_aliases(shared), generic_head_aliases(shared, places.head))
    found.remap(aliases)
    user = _UserTags.of(vocabulary, acronyms, aliases)
    found.remap(user.renames)
    df_array, title_df_array = found.document_frequency()
    df, title_df = found.counts(df_array), found.counts(title_df_array)
    cases = word_cases(found.capitalized, df)
    tiers = _eligible(df, title_df, len(papers), user, places, cases)
    forced = [user.forced(folded) for folded in found.folded] if user.rules else [[] for _ in papers]
    chosen = _settle(_ranked(found, df_array, title_df_array, tiers), forced)
    used = {key for tags in chosen for key in tags}
    surfaces = found.surfaces(used)
    names = {key: user.names.get(key) or _display_name(key, surfaces, cases) for key in used}
    return {paper.slug: tuple(names[key] for key in tags) for paper, tags in zip(papers, chosen)}
