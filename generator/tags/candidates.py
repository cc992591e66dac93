"""Step 1: candidate phrases, each weighed by where the paper says it.

A paper's text is cut into *pieces* with a salience weight, the way a
researcher reads an abstract: the title counts most, then the sentence where
the authors say what they propose; background and related-work sentences
count less, and mentions in example lists ("such as", "e.g."), parentheses
and contrast clauses ("unlike X", "outperforming Y") least. Each piece is
cut into *runs* of content words at stop words, prose words, numbers and
punctuation; the phrases of a run are its word sequences.

Words are read through the paper's acronyms first: its own definitions,
then the shared ones (the vocabulary's and the corpus's), which apply only
when the paper's own words agree with the expansion. A definition counts
once: the "(ACR)" after its long form is not read again.
"""

from __future__ import annotations

import functools
import operator
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, NamedTuple

from generator.textlayer import (
    ACRONYM, DEFINITION, PROSE_WORDS, STOP_WORDS, acronym_definitions, acronym_singular, stem,
)

TITLE = 3.0
TITLE_MEANS = 2.0
"""The title's means, after "via", "through" or "using": how, not what."""
PROPOSAL = 2.0
"""The sentence saying what the paper brings: "we propose / introduce ..."."""
STUDY = 1.5
"""A sentence saying what the paper studies: "we study / consider ..."."""
BODY = 1.0
BACKGROUND = 0.6
"""Sentences about prior or existing work."""
ASIDE = 0.25
"""Example lists, parentheses, contrast and borrowed-idea clauses."""

MAX_RUN_PHRASE = 6
"""The longest phrase read, in words."""
JOINER = "of"
"""The one stop word a phrase may hold ("mixture of experts")."""

BREAK_WORDS = (STOP_WORDS | PROSE_WORDS | {"et", "al", "ie", "eg", "vs", "wrt"}) - {JOINER}
IRREGULAR_PLURALS = {
    "analyses": "analysis", "hypotheses": "hypothesis", "matrices": "matrix",
    "indices": "index", "vertices": "vertex", "criteria": "criterion",
    "phenomena": "phenomenon", "series": "series", "species": "species", "lens": "lens",
}
TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|[.,;:!?()\[\]{}\"“”/|=+<>*]")
SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z(\"'“])")
ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "vs.", "cf.")
"""Full stops that end no sentence."""


def one_of(*alternatives: str) -> str:
    """A regex group matching any of ``alternatives`` (each starting with a
    letter), grouped by that letter: the engine then tries a few of them at
    each character, not all, ~2x faster. The matches are the same: two
    alternatives met at one place share their first letter, and those keep
    their order.

    >>> one_of("such as", "surpass", "than")
    '(?:s(?:uch as|urpass)|t(?:han))'
    """
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        if not alternative[:1].isalpha():
            raise ValueError(f"{alternative!r} does not start with a letter")
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "(?:" + "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items()) + ")"


# The cues are matched in lowercase text, case-sensitively, each verb or
# cue word found first and its context checked after: several times faster.
SUBJECTS = ("we", "this (?:paper|work|article)", "here", "our (?:work|paper)")
SUBJECT_START = re.compile(r"(?<![a-z])(?:" + "|".join(SUBJECTS) + ")")
"""Where a sentence's subject ("we", "this paper") may start."""
SUBJECT = re.compile(SUBJECT_START.pattern + "(?![a-z])")
# "our proposed X" / "the proposed X" name the method again, they propose nothing.
PROPOSAL_VERBS = ("propos", "introduc", "present", "develop", "design", "devis", "put forward", "formulat")
PROPOSAL_VERB = re.compile(r"(?<!our )(?<!the )" + one_of(*PROPOSAL_VERBS))
STUDY_VERBS = ("stud", "investigat", "consider", "address", "tackl", "focus", "explor", "analy[sz]", "examin",
               "revisit")
STUDY_VERB = re.compile(one_of(*STUDY_VERBS))
SUBJECT_REACH = 40
"""How far before its verb a sentence's subject ("we", "this paper") may be."""
BACKGROUND_START = re.compile(
    r"(?:however|although|while|unlike|recent(?:ly)?|traditional(?:ly)?|conventional(?:ly)?|"
    r"existing|previous(?:ly)?|prior|many|most|several|despite)(?![a-z])")
PRIOR_WORDS = ("existing", "previous", "prior", "conventional", "traditional", "current", "recent")
BACKGROUND_WORK = re.compile(
    one_of(*PRIOR_WORDS) + " "
    r"(?:[a-z-]+ )?(?:methods|approaches|works?|studies|techniques|algorithms|literature)(?![a-z])")
# An aside runs from its cue to the end of its clause. Each cue is listed
# with one of its words, as a pattern of a whole word's letters.
ASIDE_CUES = (
    ("such (?:[a-z-]+ )?as", "such"), (r"e\.g\.", "e"), (r"eg\.", "eg"), ("for example", "example"), ("examples? of", "examples?"),
    ("for instance", "instance"), ("including", "including"), ("in contrast to", "contrast"),
    ("unlike", "unlike"), ("compared (?:to|with)", "compared"), ("rather than", "than"),
    ("instead of", "instead"), ("as opposed to", "opposed"), ("outperform[a-z]*", "outperform[a-z]*"),
    ("surpass[a-z]*", "surpass[a-z]*"), ("beats?", "beats?"), ("than", "than"), ("inspired by", "inspired"),
    ("borrowed from", "borrowed"), ("a concept from", "concept"), ("drawing on", "drawing"),
    ("analogous to", "analogous"), ("akin to", "akin"), ("similar to", "similar"), ("versus", "versus"),
    (r"vs\.", "vs"),
)
ASIDE_CUE = re.compile(one_of(*(cue for cue, _ in ASIDE_CUES)) + r"\s")
ASIDE_END = re.compile(r"[;:)]|,\s+(?:we|and we|which|while|our|this|it|whereas)(?![a-z])")
PARENTHESES = re.compile(r"\([^()]*\)")
TITLE_MEANS_CUE = re.compile(r"\s(?:via|through|using|with)\s", re.I)


class Memo(dict):
    """A function's results by argument, kept as a dict: a repeated
    argument costs one lookup (``memo[argument]``), no call."""

    def __init__(self, function: Callable[[str], object]):
        super().__init__()
        self.function = function

    def __missing__(self, argument: str) -> object:
        found = self[argument] = self.function(argument)
        return found


# What a sentence may hold, told by its words: most sentences hold no aside
# cue, parenthesis, subject or prior-work phrase, and flags kept per
# distinct word tell so far quicker than searching the sentence for them.
MAY_HOLD_CUE, MAY_HOLD_PARENTHESES, MAY_HOLD_SUBJECT, MAY_HOLD_PROPOSAL, MAY_HOLD_STUDY, MAY_HOLD_PRIOR_WORK = (
    1, 2, 4, 8, 16, 32)
# A cue starts a word and its words are whole runs of letters; a subject
# starts a run of letters (one glued to its verb, "weproposal", counts); a
# verb's last word is inside one word.
CUE_WORD = re.compile(r"(?<![a-z])(?:" + "|".join(word for _, word in ASIDE_CUES) + r")(?![a-z])")
SUBJECT_WORD = re.compile(r"(?<![a-z])(?:" + "|".join(subject.split(" ")[0] for subject in SUBJECTS) + ")")
PROPOSAL_WORD = re.compile("|".join(verb.split(" ")[-1] for verb in PROPOSAL_VERBS))
STUDY_WORD = re.compile("|".join(verb.split(" ")[-1] for verb in STUDY_VERBS))


def _word_signals(word: str) -> int:
    """What a sentence holding ``word`` (lowercase, between spaces) may
    hold, as MAY_HOLD_ flags (a prior-work phrase's first word ends before
    a space)."""
    return ((MAY_HOLD_CUE if CUE_WORD.search(word) else 0)
            | (MAY_HOLD_PARENTHESES if "(" in word else 0)
            | (MAY_HOLD_SUBJECT if SUBJECT_WORD.search(word) else 0)
            | (MAY_HOLD_PROPOSAL if PROPOSAL_WORD.search(word) else 0)
            | (MAY_HOLD_STUDY if STUDY_WORD.search(word) else 0)
            | (MAY_HOLD_PRIOR_WORK if word.endswith(PRIOR_WORDS) else 0))


MAY_HOLD_ANYTHING = ~0
"""The flags of a sentence that is searched in full."""


class Piece(NamedTuple):  # a tuple: made twice as fast as a frozen dataclass, and there are many
    """A stretch of a paper's text read with one salience weight."""

    text: str
    weight: float
    in_title: bool = False


def _starts_word(text: str, at: int) -> bool:
    return at == 0 or not text[at - 1].isalpha()


def _said_by_authors(verbs: re.Pattern, lower: str, start: int, end: int) -> bool:
    """Does a sentence hold "we / this paper ... <verb>"?"""
    for verb in verbs.finditer(lower, start, end):
        if SUBJECT.search(lower, max(start, verb.start() - SUBJECT_REACH), verb.start()):
            return True
    return False


def _sentence_weight(lower: str, start: int, end: int, signals: int) -> float:
    # A sentence without a subject has no verbs worth looking for: most have none.
    if signals & MAY_HOLD_SUBJECT and SUBJECT_START.search(lower, start, end):
        if signals & MAY_HOLD_PROPOSAL and _said_by_authors(PROPOSAL_VERB, lower, start, end):
            return PROPOSAL
        if signals & MAY_HOLD_STUDY and _said_by_authors(STUDY_VERB, lower, start, end):
            return STUDY
    if BACKGROUND_START.match(lower, start) or (
            signals & MAY_HOLD_PRIOR_WORK and BACKGROUND_WORK.search(lower, start, end)):
        return BACKGROUND
    return BODY


def _asides(lower: str, start: int, end: int, signals: int) -> list[tuple[int, int]]:
    """Where a sentence's parentheses and aside clauses are."""
    spans = []
    if signals & MAY_HOLD_PARENTHESES:
        spans.extend(match.span() for match in PARENTHESES.finditer(lower, start, end))
    if signals & MAY_HOLD_CUE:
        for cue in ASIDE_CUE.finditer(lower, start, end):
            if _starts_word(lower, cue.start()):
                clause_end = ASIDE_END.search(lower, cue.end(), end)
                spans.append((cue.start(), clause_end.start() if clause_end else end))
    return sorted(spans)


def _sentence_pieces(text: str, lower: str, start: int, end: int, signals: int) -> list[Piece]:
    """A sentence as pieces: its asides weighed ASIDE, the rest by the sentence."""
    weight = _sentence_weight(lower, start, end, signals)
    found, position = [], start
    for aside_start, aside_end in _asides(lower, start, end, signals):
        if aside_start > position:
            found.append(Piece(text[position:aside_start], weight))
        if aside_end > max(aside_start, position):
            found.append(Piece(text[max(aside_start, position):aside_end], min(weight, ASIDE)))
        position = max(position, aside_end)
    if position < end:
        found.append(Piece(text[position:end], weight))
    return found


def _title_pieces(title: str) -> list[Piece]:
    """A title as pieces: what the paper does, then its means, if named."""
    what = TITLE_MEANS_CUE.split(title, 1)[0]
    found = [Piece(what, TITLE, True)]
    if len(what) < len(title):
        found.append(Piece(title[len(what):], TITLE_MEANS, True))
    return found


def _sentence_bounds(abstract: str) -> list[int]:
    """Where an abstract's sentences start, and its end."""
    return [0] + [match.end() for match in SENTENCE_END.finditer(abstract)
                  if not abstract.endswith(ABBREVIATIONS, 0, match.start() + 1)] + [len(abstract)]


def pieces(title: str, abstract: str) -> list[Piece]:
    """A paper's text as pieces, by salience (as ``Reader.read`` cuts it).

    >>> [(p.text, p.weight) for p in pieces("Bandits", "We propose X, unlike Y. Z (e.g. W) helps.")]
    [('Bandits', 3.0), ('We propose X, ', 2.0), ('unlike Y. ', 0.25), ('Z ', 1.0), \
('(e.g. W)', 0.25), (' helps.', 1.0)]
    """
    return [piece for piece, _ in Reader().read(title, abstract, Acronyms({}, {}))]


# --- words ------------------------------------------------------------------------


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


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """The folded form of one written word: case, hyphens, plurals and
    British "-isation" dropped; its parts joined by spaces.

    >>> word_key("Model-Based"), word_key("Optimisations"), word_key("GANs")
    ('model based', 'optimization', 'gan')
    """
    lower = re.sub(r"['’]s$", "", word.lower()).replace("isation", "ization")
    return " ".join(singular(part) for part in re.split(r"[-'’]", lower) if part)


def phrase_key(text: str) -> str:
    """The key of a phrase as written anywhere (vocabulary, tags.yml).

    >>> phrase_key("Mixture-of-Experts"), phrase_key("recommender systems")
    ('mixture of expert', 'recommender system')
    """
    return " ".join(word_key(token) for token in TOKEN.findall(text) if token[0].isalnum())


@lru_cache(maxsize=200_000)
def _is_break(token: str) -> bool:
    """Must a phrase break here? At punctuation, stop words, prose words,
    numbers and adverbs ("closely"; not "anomaly" or "family")."""
    lower = token.lower()
    if not token[0].isalpha() or any(char.isdigit() for char in token) or len(lower) < 2:
        return True
    if lower.endswith("ly") and not lower.endswith(("aly", "ily", "bly", "ply", "oly")):
        return True
    return all(part in BREAK_WORDS for part in re.split(r"[-'’]", lower) if part)


# --- acronyms ---------------------------------------------------------------------


UNTELLING_WORDS = frozenset("model learning network method system based data neural deep".split())
"""Words most papers say: they tell nothing of what an acronym means."""


@dataclass(frozen=True)
class Acronyms:
    """How a paper reads acronyms: its own definitions, then the shared ones
    its words agree with."""

    own: dict[str, str]
    """Acronym -> key of the long form the paper gives."""
    shared: dict[str, str]
    """Acronym -> key of the long form the vocabulary or the corpus gives."""
    text: str = ""
    """The paper's text, lowercase: the shared meaning must agree with it."""

    def key(self, token: str) -> str | None:
        acronym = acronym_singular(token)
        if acronym in self.own:
            return self.own[acronym]
        expansion = self.shared.get(acronym)
        # The shared meaning applies only where the paper's own words agree:
        # "GMM" is a Gaussian mixture model where "Gaussian" or "mixture" is said.
        if expansion and any(word in self.text for word in expansion.split()
                             if len(word) > 3 and word not in UNTELLING_WORDS):
            return expansion
        return None


def own_acronyms(title: str, abstract: str) -> dict[str, str]:
    """The acronyms a paper defines -> the keys of their long forms."""
    return {acronym: phrase_key(" ".join(words))
            for acronym, words in acronym_definitions(f"{title}. {abstract}").items()}


def _content_stems(key: str) -> frozenset[str]:
    return frozenset(stem(word) for word in key.split() if word not in STOP_WORDS)


def vocabulary_readings(own: dict[str, str], acronyms: dict[str, str],
                        names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """A paper's own definitions, where one says the vocabulary's meaning of
    its acronym in other words, read as the vocabulary's entry: PEFT as
    "parameter-efficient tuning" is parameter-efficient fine-tuning, RLHF
    "with human feedback" is "from human feedback". Other words mean
    another thing: SFT as "shortcut fine-tuning" stays the paper's own.
    Words agree when those of one form are all among the other's, two of
    them at least, either way: a qualified form reads as its entry too
    (RL as "robust reinforcement learning" is reinforcement learning, as
    the paper is). ``names``: entry -> its names' keys."""
    agreeing = dict(own)
    for acronym, long_form in own.items():
        entry = acronyms.get(acronym)
        if entry is None or long_form in names.get(entry, ()):
            continue
        said = _content_stems(long_form)
        if any(len(said & known) >= 2 and (said <= known or known <= said)
               for known in map(_content_stems, names.get(entry, ()))):
            agreeing[acronym] = entry
    return agreeing


def entry_names(aliases: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Entry -> the keys of all its names."""
    found: dict[str, list[str]] = {}
    for alias, entry in aliases.items():
        found.setdefault(entry, []).append(alias)
    return {entry: tuple(names) for entry, names in found.items()}


def corpus_acronyms(definitions: Iterable[dict[str, str]]) -> dict[str, str]:
    """Each acronym -> its commonest long form over the papers' definitions
    (ties: the alphabetically first)."""
    seen: dict[str, Counter] = {}
    for defined in definitions:
        for acronym, expansion in defined.items():
            seen.setdefault(acronym, Counter())[expansion] += 1
    return {acronym: min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
            for acronym, counts in sorted(seen.items())}


# --- runs and phrases ----------------------------------------------------------------


def _drop_definitions(text: str) -> str:
    """A definition counts once: drop the "(ACR)" after a long form."""
    if "(" not in text:
        return text
    return DEFINITION.sub(lambda match: " " if ACRONYM.fullmatch(match[1]) else match[0], text)


WORD_MARK = "|"
"""Begins each word of a run written as text: no key holds one."""
BREAK_MARK = "/"
"""Where a run written as text breaks."""
MARKED_ACRONYM = re.compile(r"\{([^{}]*)\}")
"""A token that may be an acronym, in run text until a paper reads it."""


def _run_text(key: str) -> str:
    """A word's key as run text ("" where a phrase breaks)."""
    return WORD_MARK + key if key else BREAK_MARK


def run_words(run: str) -> tuple[str, ...]:
    """The words (keys) of a run written as text, without a leading or
    trailing "of".

    >>> run_words("|of|deep|reinforcement learning|of")
    ('deep', 'reinforcement learning')
    """
    words = run.split(WORD_MARK)
    start, stop = 1, len(words)
    while start < stop and words[start] == JOINER:
        start += 1
    while stop > start and words[stop - 1] == JOINER:
        stop -= 1
    return tuple(words[start:stop])


class Reader:
    """Cuts text into runs of content words. ``soft_words`` are prose words
    that known names hold ("state space models", "method of moments"): they
    do not break a run, though no derived phrase may hold them.
    ``acronyms``, if given, are all the acronyms papers may read (their
    own and the shared ones, singular): a token that is none of them is
    read as a word at once, not by each paper."""

    def __init__(self, soft_words: frozenset[str] = frozenset(), acronyms: frozenset[str] | None = None,
                 bridged: Iterable[str] = ()):
        self.soft_words = soft_words
        self.acronyms = acronyms
        self.bridges = _Bridges(bridged)
        self.token_texts = Memo(self._token_text)
        # A chunk of text between spaces, as run text: most recur ("the", "learning,").
        self.chunk_texts = Memo(lambda chunk: "".join(map(self.token_texts.__getitem__, TOKEN.findall(chunk))))
        # Its flags are those of its lowercase form: the sentence's, where a letter's lowercase is no longer.
        self.chunk_signals = Memo(lambda chunk: _word_signals(chunk.lower()))

    def _token_text(self, token: str) -> str:
        """A token as run text; one that may be an acronym is marked, for
        each paper to read."""
        if ACRONYM.fullmatch(token):
            if self.acronyms is None or acronym_singular(token) in self.acronyms:
                return "{" + token + "}"
            return _run_text(_word_key_or_break(token))
        if token.lower() == JOINER:
            return _run_text(JOINER)
        if self.soft_words:
            key = word_key(token)
            if key in self.soft_words or self._soft_with_digits(key):
                return _run_text(key)
        return _run_text(_word_key_or_break(token))

    def _soft_with_digits(self, key: str) -> bool:
        """A hyphenated token whose parts with digits are all names' words
        ("text-to-3D")."""
        parts = key.split()
        with_digits = [part for part in parts if any(char.isdigit() for char in part)]
        return len(parts) > 1 and bool(with_digits) and all(part in self.soft_words for part in with_digits)

    def runs(self, texts: Iterable[str], acronyms: Acronyms) -> list[list[str]]:
        """The runs of content words of each of a paper's pieces of text,
        each run written as text (see ``run_words``): a run is looked up
        far more often than its words are read, and text is quicker to cut
        and to look up.

        >>> Reader().runs(["Deep RL for mixture-of-experts, in 2024.", "The number of the steps"],
        ...               Acronyms({"RL": "reinforcement learning"}, {}))
        [['|deep|reinforcement learning', '|mixture of expert'], ['|number|of', '|step']]
        """
        readings = _readings(acronyms)
        return [self._runs(_drop_definitions(text).split(), readings) for text in texts]

    def _runs(self, chunks: list[str], readings: Memo) -> list[str]:
        """The runs of the chunks of one piece of text (its parts between
        spaces: no token spans a space, so its tokens are theirs)."""
        written = "".join(map(self.chunk_texts.__getitem__, chunks))
        if "{" in written:
            written = MARKED_ACRONYM.sub(lambda marked: readings[marked[1]], written)
        return list(filter(None, written.split(BREAK_MARK)))

    def signals(self, chunks: list[str]) -> int:
        """The MAY_HOLD_ flags of a sentence's chunks."""
        return functools.reduce(operator.or_, map(self.chunk_signals.__getitem__, chunks), 0)

    def read(self, title: str, abstract: str, acronyms: Acronyms) -> list[tuple[Piece, list[str]]]:
        """A paper's text as pieces by salience, each with its runs. A
        sentence is split at spaces once: its chunks tell what it may hold
        (``signals``), and a sentence that is one piece, as most are, has
        its runs read from the same chunks."""
        readings = _readings(acronyms)
        found = [(piece, self._runs(_drop_definitions(piece.text).split(), readings))
                 for piece in _title_pieces(title)]
        lower = abstract.lower()
        told = len(lower) == len(abstract)
        if not told:  # a letter whose lowercase is longer: read as written, searched in full
            lower = abstract
        bounds = _sentence_bounds(abstract)
        every_chunk = title.split()
        for start, end in zip(bounds, bounds[1:]):
            chunks = abstract[start:end].split()
            every_chunk += chunks
            signals = self.signals(chunks) if told else MAY_HOLD_ANYTHING
            sentence = _sentence_pieces(abstract, lower, start, end, signals)
            if len(sentence) == 1 and not signals & MAY_HOLD_PARENTHESES:  # its text as a whole, no definition
                found.append((sentence[0], self._runs(chunks, readings)))
            else:
                found.extend((piece, self._runs(_drop_definitions(piece.text).split(), readings))
                             for piece in sentence)
        patterns = self.bridges.patterns(every_chunk, f"{title} {abstract}")
        for piece, runs in found if patterns else ():
            runs.extend(WORD_MARK + WORD_MARK.join(phrase_key(name).split())
                        for pattern in patterns for name in pattern.findall(piece.text))
        return found


def _readings(acronyms: Acronyms) -> Memo:
    """A token that may be an acronym -> its run text, as one paper reads it."""
    return Memo(lambda token: _run_text(acronyms.key(token) or _word_key_or_break(token)))


def _word_key_or_break(token: str) -> str:
    """A token's key as a word, "" where a phrase breaks."""
    return "" if _is_break(token) else word_key(token)


def bridged_names(names: Iterable[str], soft: frozenset[str]) -> list[str]:
    """The multi-word names (keys) that hold a word a phrase breaks at
    ("learning to rank", "irregularly sampled time series"): runs never
    hold them whole, so each paper's text is searched for them."""
    return sorted(name for name in names if " " in name
                  and any(word != JOINER and word not in soft and _is_break(word) for word in name.split()))


def _written_form(name: str) -> re.Pattern:
    """The ways papers write a name apart: any case, regular plural endings
    ("bandits with knapsacks"; not "matrices"), spaces between the words
    (hyphenated, "in-context learning", it is one run already)."""
    pattern = r"\s+".join(re.escape(word) + "(?:e?s)?" for word in name.split())
    return re.compile(r"(?<![\w-])" + pattern + r"(?![\w-])", re.I)


class _Bridges:
    """Finds the bridged names in texts. Searching every text for them all
    takes longer than reading it, so a name is searched for only in texts
    that hold each of its words between spaces; those are found by set
    operations on the text's chunks, each distinct chunk read once."""

    def __init__(self, names: Iterable[str]):
        self.names: dict[str, list[tuple[frozenset[str], str, re.Pattern]]] = {}
        """Trigger word -> the names it indexes: their words, a piece of
        text each must hold, their pattern."""
        for name in names:
            self.names.setdefault(_trigger(name), []).append(
                (frozenset(name.split()), _hint(name), _written_form(name)))
        self.words = {word for group in self.names.values() for words, _, _ in group for word in words}
        self.words_of: dict[str, tuple[str, ...]] = {}
        """Chunk -> the names' words it holds, for the chunks that hold some."""
        self.seen: set[str] = set()

    def patterns(self, chunks: list[str], text: str) -> list[re.Pattern]:
        """The patterns of the names a text holds, given its chunks."""
        if not self.names:
            return []
        chunks = set(chunks)
        for chunk in chunks - self.seen:
            words = tuple(key for token in TOKEN.findall(chunk.lower()) if token[0].isalnum()
                          for key in word_key(token).split() if key in self.words)
            if words:
                self.words_of[chunk] = words
            self.seen.add(chunk)
        held = {word for chunk in self.words_of.keys() & chunks for word in self.words_of[chunk]}
        found = [(hint, pattern) for trigger in sorted(held & self.names.keys())
                 for words, hint, pattern in self.names[trigger] if words <= held]
        spaced = " ".join(text.lower().split()) if found else ""  # hints hold one space
        return [pattern for hint, pattern in found if hint in spaced and pattern.search(text)]


def _hint(name: str) -> str:
    """A piece of lowercase text a bridged name always holds: its first
    breaking word and the start of the next ("to ran" in "learning to rank")."""
    words = name.split()
    at = next((index for index, word in enumerate(words) if word != JOINER and _is_break(word)), 0)
    return " ".join([words[at], words[at + 1][:3]]) if at + 1 < len(words) else words[at]


def _trigger(name: str) -> str:
    """The word a bridged name is indexed by: its longest that breaks no phrase."""
    words = name.split()
    return max([word for word in words if not _is_break(word)] or words, key=len)


def soft_words(names: Iterable[str]) -> frozenset[str]:
    """The prose words (no stop words) that some multi-word name's key
    holds, and the words with digits that any name holds ("3d vision",
    "word2vec"): elsewhere a digit breaks a phrase."""
    return frozenset(word for name in names for word in name.split()
                     if (" " in name and word in BREAK_WORDS and word not in STOP_WORDS)
                     or any(char.isdigit() for char in word))


@lru_cache(maxsize=500_000)
def run_phrases(run: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """Every phrase of a run: (key, first word, word count), at most
    MAX_RUN_PHRASE words, never starting or ending with "of".

    >>> run_phrases(("mixture", "of", "expert"))
    (('mixture', 0, 1), ('mixture of expert', 0, 3), ('expert', 2, 1))
    """
    found = []
    for start in range(len(run)):
        if run[start] == JOINER:
            continue
        for stop in range(start + 1, min(len(run), start + MAX_RUN_PHRASE) + 1):
            if run[stop - 1] != JOINER:
                found.append((" ".join(run[start:stop]), start, stop - start))
    return tuple(found)
