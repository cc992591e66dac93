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

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, groupby
from typing import Callable, Iterable, Iterator, NamedTuple

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

Run = tuple[int, ...]
"""The units of a run of words, by their number in ``Phraser.units``."""


class _Cuts(dict):
    """A memo: run -> what ``cut`` makes of it, made on first use."""

    def __init__(self, cut: Callable[[Run], tuple]) -> None:
        super().__init__()
        self.cut = cut

    def __missing__(self, run: Run) -> tuple:
        value = self[run] = self.cut(run)
        return value


class Phraser:
    """Finds candidate phrases, knowing the corpus's acronyms.

    Speed comes from memory: each word form is read once, and each run of
    words (the text between punctuation and break words) is cut into
    phrases once, however often the corpus repeats it.
    """

    def __init__(self, acronyms: dict[str, tuple[str, ...]], parent: Phraser | None = None):
        self.acronyms = acronyms
        self.parent = parent
        self.words: dict[str, int] = {}
        # A paper's own phraser shares all it learns with the corpus's.
        self.spreads: list[tuple[int, ...]] = parent.spreads if parent else []
        self.units: list[_Unit] = parent.units if parent else []
        self.numbers: dict[_Unit, int] = parent.numbers if parent else {}
        self.cuts: _Cuts = parent.cuts if parent else _Cuts(self._cut_run)
        self.run_keys: _Cuts = parent.run_keys if parent else _Cuts(self._run_keys)
        self.run_counts: Counter = parent.run_counts if parent else Counter()

    def with_own(self, own: dict[str, tuple[str, ...]]) -> Phraser:
        """This phraser with a paper's own acronym definitions winning."""
        differing = {a: e for a, e in own.items() if self.acronyms.get(a) != e}
        return Phraser({**self.acronyms, **differing}, self) if differing else self

    def _word(self, word: str) -> int:
        """The code of one word: its unit's number, BREAK where a phrase
        must break, or for a word of several units ("LLM-based") a code
        below BREAK that ``_spread`` reads."""
        parts = word.split("-")
        if self.parent and all(self._inherited(part) for part in parts):
            code = self.parent.words.get(word)
            if code is None:
                code = self.parent._word(word)
        else:
            numbers = tuple(self._number(unit) for unit in self._read(word, parts))
            if len(numbers) == 1:
                code = numbers[0]
            else:
                code = BREAK - 1 - len(self.spreads)
                self.spreads.append(numbers)
        self.words[word] = code
        return code

    def _spread(self, codes: list[int]) -> list[int]:
        return [n for code in codes
                for n in (self.spreads[BREAK - 1 - code] if code < BREAK else (code,))]

    def _number(self, unit: _Unit | None) -> int:
        if unit is None:
            return BREAK
        number = self.numbers.get(unit)
        if number is None:
            number = self.numbers[unit] = len(self.units)
            self.units.append(unit)
        return number

    def _inherited(self, part: str) -> bool:
        acronym = _acronym_singular(part)
        return self.acronyms.get(acronym) == self.parent.acronyms.get(acronym)

    def _read(self, word: str, parts: list[str]) -> Iterator[_Unit | None]:
        expansions = [self.acronyms.get(_acronym_singular(part)) for part in parts]
        if any(expansions):
            # "LLM-based": the expansion, then each other part on its own.
            for part, expansion in zip(parts, expansions):
                ends = expansion and _ends(expansion)
                yield _new_unit(expansion, None, ends, ends) if expansion else _word_unit(part)
        elif word.lower() == JOINER:
            yield JOINER_UNIT
        else:
            yield _word_unit(re.sub(r"['’]s$", "", word))

    def runs(self, text: str) -> list[Run]:
        """The runs of words of ``text``, counted for ``places`` and ``surfaces``."""
        tokens = TOKEN.findall(text)
        codes = list(map(self.words.get, tokens))
        if None in codes:
            codes = [self._word(token) if code is None else code
                     for token, code in zip(tokens, codes)]
        if min(codes, default=0) < BREAK:
            codes = self._spread(codes)
        runs = [tuple(run) for words, run in groupby(codes, BREAK.__ne__) if words]
        self.run_counts.update(runs)
        return runs

    def phrases_of(self, run: Run) -> tuple[tuple[str, str | None, int], ...]:
        """The candidate phrases of a run as (key, surface, place): the
        surface is None when an acronym stood for part of it; the place says
        if the phrase ends the run (1), starts it (2) or both (3).

        >>> phraser = Phraser({"RL": ("reinforcement", "learning")})
        >>> [phraser.phrases_of(run) for run in phraser.runs("Deep RL for the Mixture-of-Experts")]
        [(('deep', 'deep', 2), ('deep reinforcement learning', None, 3), \
('reinforcement learning', None, 1)), (('mixture of expert', 'mixture-of-experts', 3),)]
        """
        return self.cuts[run]

    def keys(self, runs: list[Run]) -> Iterator[str]:
        """The keys of the candidate phrases of ``runs``."""
        return chain.from_iterable(map(self.run_keys.__getitem__, runs))

    def _cut_run(self, run: Run) -> tuple[tuple[str, str | None, int], ...]:
        return _cut([self.units[n] for n in run])

    def _run_keys(self, run: Run) -> tuple[str, ...]:
        return tuple([key for key, _, _ in self.cuts[run]])

    def places(self, keys: set[str]) -> _Places:
        """Where in their runs ``keys`` occur, over the whole corpus."""
        places = _Places(Counter(), Counter(), Counter(), Counter())
        for run, count in self.run_counts.items():
            for key, _, place in self.phrases_of(run):
                if key in keys:
                    places.occurs[key] += count
                    if place & ENDS_RUN:
                        places.ends_run[key] += count
                    if place & STARTS_RUN:
                        places.starts_run[key] += count
                    if place == WHOLE_RUN:
                        places.whole_run[key] += count
        return places

    def surfaces(self, keys: set[str]) -> dict[str, Counter]:
        """How often the text wrote each of ``keys`` in each form."""
        forms: dict[str, Counter] = defaultdict(Counter)
        for run, count in self.run_counts.items():
            for key, surface, _ in self.phrases_of(run):
                if surface and key in keys:
                    forms[key][surface] += count
        return forms


# Where a phrase sits in its run: whether it ends it (or an "of" follows),
# starts it (or follows an "of"), or both.
ENDS_RUN, STARTS_RUN = 1, 2
WHOLE_RUN = ENDS_RUN | STARTS_RUN


def _cut(run: list[_Unit]) -> tuple[tuple[str, str | None, int], ...]:
    """The candidate phrases of a run: each (key, surface, place)."""
    length = len(run)
    if length == 1:  # the commonest run, made quick
        unit = run[0]
        return ((unit.key, unit.surface, WHOLE_RUN),) if unit.alone else ()
    found = []
    ends = [ENDS_RUN if i + 1 == length or run[i + 1].joins else 0 for i in range(length)]
    for start, first in enumerate(run):
        if first.joins:
            continue
        starts = STARTS_RUN if start == 0 or run[start - 1].joins else 0
        if first.alone:
            found.append((first.key, first.surface, starts | ends[start]))
        key, surface, size, joined = first.key, first.surface, len(first.keys), False
        # "number of layers" names no topic: with an "of", the head must.
        generic_head = first.keys[0] in GENERIC_WORDS
        for end in range(start + 1, length):
            unit = run[end]
            size += len(unit.keys)
            if size > MAX_WORDS or (unit.joins and joined):
                break
            key = f"{key} {unit.key}"
            if surface is not None:
                surface = None if unit.surface is None else f"{surface} {unit.surface}"
            if unit.joins:
                joined = True
            elif unit.ends and not (joined and generic_head):
                found.append((key, surface, starts | ends[end]))
    return tuple(found)


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
    """Every paper's candidate phrases, by key, and how words were written."""

    titles: list[set[str]]
    abstracts: list[Counter]
    capitalized: Counter
    """Capitalized word form -> how many abstracts use it mid-sentence."""

    def document_frequency(self) -> tuple[Counter, Counter]:
        df, title_df = Counter(), Counter()
        for title, abstract in zip(self.titles, self.abstracts):
            df.update(title | abstract.keys())
            title_df.update(title)
        return df, title_df

    def remap(self, mapping: dict[str, str]) -> None:
        """Count each key of ``mapping`` as the key it maps to."""
        mapped = mapping.keys()  # a view: isdisjoint then walks the smaller side
        for index, title in enumerate(self.titles):
            if not mapped.isdisjoint(title):
                self.titles[index] = {mapping.get(key, key) for key in title}
        for index, abstract in enumerate(self.abstracts):
            if not mapped.isdisjoint(abstract.keys()):
                merged = Counter()
                for key, count in abstract.items():
                    merged[mapping.get(key, key)] += count
                self.abstracts[index] = merged


def _find_phrases(texts: list[tuple[str, str]], phraser: Phraser, local: list[dict]) -> _Found:
    found = _Found([], [], Counter())
    for (title, abstract), own in zip(texts, local):
        paper_phraser = phraser.with_own(own)
        found.titles.append(set(phraser.keys(paper_phraser.runs(title))))
        found.abstracts.append(Counter(phraser.keys(paper_phraser.runs(abstract))))
        found.capitalized.update(set(CAPITALIZED_MID_SENTENCE.findall(abstract)))
    return found


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


def _ranked(found: _Found, df: Counter, title_df: Counter,
            tiers: tuple[set[str], set[str]]) -> list[list[tuple[float, str]]]:
    """Each paper's candidate tags, best first, with their scores: the
    preferred ones, then the fallbacks, which only serve to reach MIN_TAGS."""
    count = len(found.titles)
    preferred, fallback = tiers
    candidates = preferred | fallback
    ranked = []
    for title, abstract in zip(found.titles, found.abstracts):
        scores = []
        keys = title | abstract.keys()
        for key in (keys & candidates) - _covered(keys & preferred, title, abstract):
            weight = TITLE_WEIGHT * (key in title) + math.log1p(abstract[key])
            idf = math.log((1 + count) / (1 + df[key])) + 1
            keyness = 0.5 + title_df[key] / df[key]
            tier = 1.0 if key in preferred else FALLBACK_WEIGHT
            scores.append((round(weight * idf * keyness * tier, 9), key))
        scores.sort(key=lambda item: (-item[0], item[1]))
        ranked.append(scores)
    return ranked


def _covered(keys: set[str], title: set[str], abstract: Counter) -> set[str]:
    """Of a paper's eligible ``keys``, those it only uses inside a longer
    one, as "language models" inside "large language models": the longer one
    is what the paper is about."""
    covered = set()
    for key in keys:
        words = key.split(" ")
        for part in (" ".join(words[1:]), " ".join(words[:-1])):
            if part in keys and abstract[part] <= abstract[key] and (part in title) <= (key in title):
                covered.add(part)
    return covered


def _nested(key: str, chosen: list[str]) -> bool:
    padded = f" {key} "
    return any(padded in f" {other} " or f" {other} " in padded for other in chosen)


def _choose(scores: list[tuple[float, str]], chosen: list[str], given_up: set[str]) -> list[str]:
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


def _settle(ranked: list[list[tuple[float, str]]], forced: list[list[str]],
            rounds: int = 20) -> list[list[str]]:
    """Choose each paper's tags, then settle tags that only one paper took:
    the other paper that scores the phrase best takes it too, or, if none
    has room, the phrase is given up and its paper takes its next best."""
    given_up: set[str] = set()
    protected = {key for own in forced for key in own}
    chosen = [_choose(scores, own, given_up) for scores, own in zip(ranked, forced)]
    users = defaultdict(list)  # key -> (-score, paper) of every paper that has it
    for index, scores in enumerate(ranked):
        for score, key in scores:
            users[key].append((-score, index))
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
                (index for _, index in sorted(users[key])
                 if index != owner and len(chosen[index]) < MAX_TAGS
                 and not _nested(key, chosen[index])),
                None,
            )
            if adopter is not None:
                chosen[adopter].append(key)
            else:
                given_up.add(key)
                chosen[owner].remove(key)
                chosen[owner] = _choose(ranked[owner], chosen[owner], given_up)
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


def _folded_text(title: str, abstract: str, acronyms: dict) -> str:
    """The words of a paper as keys, clauses apart, to find phrases in."""
    clauses = CLAUSE.findall(f"{title}. {abstract}")
    return " | ".join(phrase_key(clause, acronyms) for clause in clauses)


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
    phraser = Phraser(acronyms)
    found = _find_phrases(texts, phraser, local)
    df, _ = found.document_frequency()
    shared = Counter({key: n for key, n in df.items() if n >= 2})
    places = phraser.places(set(shared))
    aliases = _composed(spelling_aliases(shared), generic_head_aliases(shared, places.head))
    found.remap(aliases)
    user = _UserTags.of(vocabulary, acronyms, aliases)
    found.remap(user.renames)
    df, title_df = found.document_frequency()
    cases = word_cases(found.capitalized, df)
    tiers = _eligible(df, title_df, len(papers), user, places, cases)
    forced = [
        user.forced(_folded_text(title, abstract, {**acronyms, **own}))
        if user.rules else []
        for (title, abstract), own in zip(texts, local)
    ]
    chosen = _settle(_ranked(found, df, title_df, tiers), forced)
    used = {key for tags in chosen for key in tags}
    surfaces = phraser.surfaces(used)
    names = {key: user.names.get(key) or _display_name(key, surfaces, cases) for key in used}
    return {paper.slug: tuple(names[key] for key in tags) for paper, tags in zip(papers, chosen)}
