"""How tagging reads text, pinned on awkward inputs: the fast paths (cue
patterns grouped by first letter, verbs looked for only after a subject,
text tokenized per distinct chunk, runs written as text, the cycle collector
paused) must read exactly as the plain ones did. The expected values are
what the tagger gave before those paths existed."""

from __future__ import annotations

import gc
import random
import re

import pytest

from generator.corpus import Paper
from generator.tags import candidates, tag_papers
from generator.tags.candidates import ASIDE_CUE, Acronyms, Reader, one_of, pieces, run_words


@pytest.mark.parametrize("title, abstract, expected", [
    (  # a parenthesis across a sentence end is no aside; "eg." ends a sentence; no subject reaches past one
        "Graph bandits via sampling",
        "Prior methods (see Smith et al. A. Jones) fail. We consider X eg. Y. Then unlike Z, we propose W; "
        "it works. Here, a concept from RL is used (RL). Our work. Propose nothing.",
        [("Graph bandits", 3.0), (" via sampling", 2.0), ("Prior methods (see Smith et al. A. ", 0.6),
         ("Jones) fail. ", 1.0), ("We consider X ", 1.5), ("eg. ", 0.25), ("Y. ", 1.0), ("Then ", 2.0),
         ("unlike Z", 0.25), (", we propose W; it works. ", 2.0), ("Here, ", 1.0),
         ("a concept from RL is used (RL", 0.25), (")", 0.25), (". ", 1.0), ("Our work. ", 1.0),
         ("Propose nothing.", 1.0)],
    ),
    (  # a cue inside a word is no cue, and the one it holds ("than") is not read again
        "T",
        "Recent approaches outperform others. This paper. Introduces a model (such as A) rather than B: done. "
        "Existing methods. Xrather than Y, such as opposed to Z.",
        [("T", 3.0), ("Recent approaches ", 0.6), ("outperform others. ", 0.25), ("This paper. ", 1.0),
         ("Introduces a model ", 1.0), ("(such as A)", 0.25), (" ", 1.0), ("rather than B", 0.25),
         (": done. ", 1.0), ("Existing methods. ", 0.6), ("Xrather than Y, ", 1.0),
         ("such as opposed to Z.", 0.25)],
    ),
])
def test_salience_cues_read_awkward_sentences_as_before(title, abstract, expected):
    assert [(piece.text, piece.weight) for piece in pieces(title, abstract)] == expected


SIGNAL_TEST_WORDS = (
    # aside cues, and words holding one
    "such as", "e.g.", "eg.", "for example", "for instance", "including", "in contrast to", "unlike",
    "compared to", "compared with", "rather than", "instead of", "as opposed to", "outperforms",
    "outperforming", "surpassed", "beat", "beats", "than", "inspired by", "borrowed from", "a concept from",
    "drawing on", "analogous to", "akin to", "similar to", "versus", "vs.", "xsuch as", "Xrather than",
    "nonesuch", "thank", "2than", "(e.g.", "than,", "(such as",
    # subjects and verbs, and words holding one
    "we", "We", "this paper", "this work", "this article", "here", "our work", "our paper", "well", "thistle",
    "ours", "awe", "propose", "proposal", "our proposed", "the proposed", "introduces", "present", "developed",
    "design", "devise", "put forward", "forward", "formulate", "study", "students", "investigate", "consider",
    "address", "tackle", "focus", "explore", "analyse", "analyze", "examine", "revisit",
    # prior work
    "existing methods", "previous approaches", "prior work", "conventional techniques", "traditional algorithms",
    "current studies", "recent literature", "preexisting works", "recently", "however", "Existing",
    # the rest
    "X", "model", "graph bandits", "(", ")", "(RL)", "RL", "GNNs", ",", ";", ":", ".", "!", "which", "and we",
    "İstanbul",  # lowercase longer than the letter
)


def test_sentences_read_by_their_words_signals_read_as_searched_in_full(monkeypatch):
    """The cue, subject, verb and prior-work searches skipped for a sentence
    whose words hold none of theirs would have found nothing, and a sentence
    read from its chunks reads as its pieces do."""
    rng = random.Random(11)
    texts = [("T", "".join(rng.choice(SIGNAL_TEST_WORDS) + rng.choice(["", " ", " ", "  ", ". ", "\t"])
                           for _ in range(rng.randrange(4, 40)))) for _ in range(3000)]
    texts.append(("T", "We study RL. (RL)"))  # a definition alone is a sentence
    acronyms = Acronyms({"RL": "reinforcement learning"}, {})
    read = [Reader().read(title, abstract, acronyms) for title, abstract in texts]
    assert [[runs for _, runs in paper] for paper in read] == [
        Reader().runs([piece.text for piece, _ in paper], acronyms) for paper in read]
    monkeypatch.setattr(candidates.Reader, "signals", lambda self, chunks: candidates.MAY_HOLD_ANYTHING)
    assert [Reader().read(title, abstract, acronyms) for title, abstract in texts] == read


def test_runs_read_chunk_by_chunk_are_the_runs_of_the_whole_text():
    acronyms = Acronyms({"RL": "reinforcement learning"}, {"GNN": "graph neural network"},
                        "graph neural networks with rl")
    texts = ["Of the mixture-of-experts of", "deep RL-based GNNs, (RL) and GNN(s) of of",
             "state-of-the-art  offline\tRL agents of 3 kinds"]
    found = Reader().runs(texts, acronyms)
    assert [[words for run in runs if (words := run_words(run))] for runs in found] == [
        [("mixture of expert",)],
        [("deep", "rl based", "graph neural network"), ("graph neural network",)],
        [("state of the art", "offline", "reinforcement learning", "agent"), ("kind",)],
    ]


def test_a_paper_reads_acronyms_its_own_way_from_the_shared_chunks():
    reader = Reader()
    own = reader.runs(["RL agents"], Acronyms({"RL": "robust learning"}, {}))
    shared = reader.runs(["RL agents"], Acronyms({}, {"RL": "reinforcement learning"}, "reinforcement"))
    unknown = reader.runs(["RL agents"], Acronyms({}, {}))
    assert (own, shared, unknown) == ([["|robust learning|agent"]], [["|reinforcement learning|agent"]],
                                      [["|rl|agent"]])


def test_alternatives_grouped_by_first_letter_match_as_listed_in_order():
    alternatives = ("such as", "surpass[a-z]*", "su", "than", "th", r"e\.g\.", r"eg\.", "beats?", "b")
    grouped, listed = re.compile(one_of(*alternatives) + r"\s?"), re.compile(f"(?:{'|'.join(alternatives)})\\s?")
    rng = random.Random(7)
    words = "such as surpassing su than th e.g. eg. beat beats b x".split()
    for _ in range(200):
        text = "".join(rng.choice(words) + rng.choice(["", " ", "  "]) for _ in range(12))
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in listed.finditer(text)]
    assert ASIDE_CUE.pattern.startswith("(?:s(?:uch (?:[a-z-]+ )?as|")


@pytest.mark.parametrize("enabled", [True, False])
def test_tagging_leaves_the_cycle_collector_as_it_found_it(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        tag_papers((Paper("a", "graph bandits", "Graph bandits", "We study graph bandits.", ()),))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
