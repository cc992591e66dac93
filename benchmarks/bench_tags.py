"""Tag quality and stability: python -m benchmarks.bench_tags --quality

Scores the tagger against the blind labels in benchmarks/data/tag_labels.yml
(216 bundled papers, labelled from title and abstract before any output was
seen: 48 ``tune``, 48 ``holdout`` and 60 ``fresh``, all since used for
tuning, and 60 ``fresh2``, labelled last and kept as the held-out set), per
split:

- precision: the share of assigned tags matching a label (main, acceptable,
  or a topic name); wrong: the share matching a ``wrong`` label; generic:
  the share matching the ``generic`` list;
- main topic: the share of papers whose main topic is present at some level
  (the paper's topic matches a label topic, or a tag matches a topic or
  main label); specific main: a tag matches a ``main`` label;
- topic: the share of papers whose topic matches a label topic.

Labels match after normalisation: case, hyphens, plurals and stems, and an
acronym matches a tag whose words' initials spell it ("MBRL"). The
``synonyms`` column also accepts a tag that the shipped vocabulary lists as
the same entry as a label ("test-time scaling" for "inference-time
scaling"): precision with the vocabulary's synonyms, to be read beside the
strict one. The ``back-off`` columns also accept a tag that is a label's
head, as the tagger backs a phrase only one paper uses off to its shared
head ("zero-shot learning" for "attribute-based zero-shot learning",
"quantization" for "LLM quantization"): precision, and the main topic at
some level. The strict columns are the measure; these say how much of the
gap is the labels' phrasing.

Corpus-wide: tags per paper, papers under 2 tags, one-word tags, the largest
tag's share; and stability: tags retired when a dump is added (3 dumps ->
4), removed (4 -> 3) and when a 41-paper dump arrives (648 -> 689 papers),
with and without the tags.lock of the first run.

``--quality`` works with an older tagger too (``derive_tags`` only, no
topics, no lock): run from another checkout with
``PYTHONPATH=/path/to/checkout python benchmarks/bench_tags.py --quality``.
"""

from __future__ import annotations

import argparse
import inspect
import random
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

import generator.tags as tagger
from generator.cli import read_vocabulary
from generator.corpus import build_corpus
from generator.parse import read_dump
from generator.textlayer import stem

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "benchmarks" / "data" / "tag_labels.yml"
NEW_DUMP_SIZE = 41
SEED = 41


def normal(phrase: str) -> str:
    """A phrase folded for matching: case, hyphens, plurals and stems."""
    return " ".join(stem(word) for word in re.findall(r"[^\W_]+", phrase.lower()))


def initials(phrase: str) -> str:
    return "".join(word[0] for word in re.findall(r"[^\W_]+", phrase.lower()))


def matches(tag: str, labels: list[str], known=None) -> bool:
    """Does a tag match a label? With ``known`` (a tagger lexicon), also when
    the vocabulary names both one entry."""
    folded = normal(tag)
    if known is not None and synonymous(tag, labels, known):
        return True
    for label in labels:
        if normal(label) == folded:
            return True
        bare = label[:-1] if label.endswith("s") and label[:-1].isupper() else label
        if bare.isupper() and len(bare) > 1 and initials(tag) == bare.lower():
            return True
    return False


def synonymous(tag: str, labels: list[str], known) -> bool:
    entry = known.canonical(tagger.phrase_key(tag))
    for label in labels:
        bare = label[:-1] if label.endswith("s") and label[:-1].isupper() else label
        if known.acronyms.get(bare) == entry or known.canonical(tagger.phrase_key(label)) == entry:
            return True
    return False


def heads(labels: list[str], generic: list[str], known=None) -> list[str]:
    """The heads a label backs off to, as the tagger backs a phrase only one
    paper uses off to its shared head ("attribute-based zero-shot learning"
    -> "zero-shot learning"): its word-final parts of two words or more, and
    of one word where the vocabulary knows it ("LLM quantization" ->
    "quantization"); never a generic one."""
    found = []
    for label in labels:
        words = label.split()
        for start in range(1, len(words)):
            head = " ".join(words[start:])
            one_known = (start == len(words) - 1 and known is not None
                         and known.canonical(tagger.phrase_key(head)) in known.entries)
            if (start < len(words) - 1 or one_known) and not matches(head, generic):
                found.append(head)
    return found


def read_papers(dumps: list[Path]):
    return build_corpus([read_dump(path) for path in dumps]).papers


def run_tagger(papers, lock=None):
    """(tags, topics, lock) with whatever API the tagger has, with the
    bundled tags.yml as the CLI reads it."""
    vocabulary = read_vocabulary(ROOT / "tags.yml")
    if hasattr(tagger, "tag_papers"):
        if "nearest" in inspect.signature(tagger.tag_papers).parameters:
            from generator.analysis import nearest_papers
            from generator.related import fit_model
            result = tagger.tag_papers(papers, vocabulary, lock or tagger.TagLock(),
                                       nearest_papers(papers, fit_model(papers)))
        else:
            result = tagger.tag_papers(papers, vocabulary, lock or tagger.TagLock())
        return result.tags, result.topics, result.lock
    return tagger.derive_tags(papers, vocabulary), {}, None


def quality(tags: dict, topics: dict, labels: dict, known=None) -> None:
    generic = labels["generic"]
    print(f"{'split':8} {'papers':>6} {'tags':>5} {'precision':>9} {'synonyms':>8} {'wrong':>6} {'generic':>7} "
          f"{'main':>6} {'specific main':>13} {'topic':>6} {'back-off: precision':>19} {'main':>6}")
    for split in sorted({paper["split"] for paper in labels["papers"]}, reverse=True):
        sample = [paper for paper in labels["papers"] if paper["split"] == split]
        assigned = good = alike = wrong = vague = main = specific = topical = good_head = main_head = 0
        for paper in sample:
            paper_tags = tags[paper["slug"]]
            topic = topics.get(paper["slug"])
            accepted = paper["main"] + paper["acceptable"] + paper["topic"]
            assigned += len(paper_tags)
            good += sum(matches(tag, accepted) for tag in paper_tags)
            alike += sum(matches(tag, accepted, known) for tag in paper_tags) if known else 0
            wrong += sum(matches(tag, paper["wrong"]) for tag in paper_tags)
            vague += sum(matches(tag, generic) for tag in paper_tags)
            topic_found = bool(topic) and matches(topic, paper["topic"])
            topical += topic_found
            specific += any(matches(tag, paper["main"]) for tag in paper_tags)
            main += topic_found or any(matches(tag, paper["main"] + paper["topic"]) for tag in paper_tags)
            backed_off = accepted + heads(paper["main"] + paper["acceptable"], generic, known)
            good_head += sum(matches(tag, backed_off) for tag in paper_tags)
            main_head += topic_found or any(matches(tag, paper["main"] + paper["topic"]
                                                    + heads(paper["main"], generic, known)) for tag in paper_tags)
        count = len(sample)
        synonyms = f"{alike / assigned:8.1%}" if known else f"{'-':>8}"
        print(f"{split:8} {count:6d} {assigned:5d} {good / assigned:9.1%} {synonyms} {wrong / assigned:6.1%} "
              f"{vague / assigned:7.1%} {main / count:6.1%} {specific / count:13.1%} {topical / count:6.1%} "
              f"{good_head / assigned:19.1%} {main_head / count:6.1%}")


def corpus_figures(tags: dict, topics: dict) -> None:
    use = Counter(tag for paper_tags in tags.values() for tag in paper_tags)
    per_paper = Counter(len(paper_tags) for paper_tags in tags.values())
    top, most = use.most_common(1)[0] if use else ("-", 0)
    print(f"\n{len(tags)} papers, {len(use)} distinct tags, {sum(use.values()) / len(tags):.2f} tags per paper "
          f"(counts: {dict(sorted(per_paper.items()))}); {sum(n < 2 for n in map(len, tags.values()))} papers "
          f"under 2 tags; {sum(' ' not in tag and '-' not in tag for tag in use)} one-word tags; "
          f"tags on 1 paper: {sum(n == 1 for n in use.values())}; largest: {top!r} on {most} ({most / len(tags):.1%})")
    if topics:
        print(f"{len(set(topics.values()) - {None})} topics used; papers without a topic: "
              f"{sum(topic is None for topic in topics.values())}")


def retired(before: dict, after: dict) -> list[str]:
    """Tags of the first run that the second run no longer has at all."""
    live = {tag for paper_tags in after.values() for tag in paper_tags}
    return sorted({tag for paper_tags in before.values() for tag in paper_tags} - live)


def stability(dumps: list[Path]) -> None:
    everything = read_papers(dumps)
    rng = random.Random(SEED)
    new = set(rng.sample(sorted(paper.slug for paper in everything), NEW_DUMP_SIZE))
    cases = [
        ("add the last dump (3 -> 4 dumps)", read_papers(dumps[:-1]), everything),
        ("remove the last dump (4 -> 3 dumps)", everything, read_papers(dumps[:-1])),
        (f"a {NEW_DUMP_SIZE}-paper dump arrives ({len(everything) - NEW_DUMP_SIZE} -> {len(everything)})",
         tuple(paper for paper in everything if paper.slug not in new), everything),
    ]
    print()
    for name, first, second in cases:
        tags, _, lock = run_tagger(first)
        fresh = retired(tags, run_tagger(second)[0])
        line = f"{name}: {len(fresh)} tags retired without tags.lock"
        if lock is not None:
            locked_tags, _, new_lock = run_tagger(second, lock)
            kept = retired(tags, locked_tags)
            redirected = sum(tag in new_lock.retired for tag in kept)
            changed = sum(locked_tags.get(slug) != paper_tags for slug, paper_tags in tags.items()
                          if slug in locked_tags)
            line += (f", {len(kept)} with it ({redirected} of them with a page pointing on; "
                     f"{changed} existing papers' tags changed)")
        print(line + (f": {', '.join(fresh[:12])}" if fresh else ""))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", action="store_true", help="score against the labels and measure stability")
    parser.add_argument("--labels", type=Path, default=LABELS)
    arguments = parser.parse_args(argv)
    if not arguments.quality:
        parser.print_help()
        return
    dumps = sorted((ROOT / "dumps").glob("*.txt"))
    labels = yaml.safe_load(arguments.labels.read_text(encoding="utf-8"))
    tags, topics, _ = run_tagger(read_papers(dumps))
    print(f"tagger: {tagger.__file__}\n")
    known = tagger.lexicon(read_vocabulary(ROOT / "tags.yml")) if hasattr(tagger, "lexicon") else None
    quality(tags, topics, labels, known)
    corpus_figures(tags, topics)
    stability(dumps)


if __name__ == "__main__":
    main(sys.argv[1:])
