"""Synthetic corpora of any size, made from the bundled dumps' real papers.

Each synthetic paper copies a real one and perturbs it: a fifth of the
abstract's words are swapped for words from another random paper, the
sentences are rotated, and the title gets a distinct suffix. Copies are
therefore not identical and keep realistic word statistics, so TF-IDF,
tags and related-paper search do realistic work.
"""

from __future__ import annotations

import random
from pathlib import Path

from generator.parse import Entry, read_dump

ROOT = Path(__file__).resolve().parent.parent
SWAP_FRACTION = 0.2
PAPERS_PER_DUMP = 1000


def bundled_entries() -> list[Entry]:
    entries = {}
    for file in sorted((ROOT / "dumps").glob("*.txt")):
        for entry in read_dump(file).entries:
            entries.setdefault(entry.title, entry)
    return list(entries.values())


def _perturb(entry: Entry, donor: Entry, number: int, rng: random.Random) -> tuple[str, str]:
    words = entry.abstract.split()
    donor_words = donor.abstract.split()
    for index in rng.sample(range(len(words)), int(len(words) * SWAP_FRACTION)):
        words[index] = rng.choice(donor_words)
    sentences = " ".join(words).split(". ")
    shift = rng.randrange(len(sentences))
    abstract = ". ".join(sentences[shift:] + sentences[:shift])
    return f"{entry.title} (variant {number})", abstract


def synthetic_papers(count: int, seed: int = 0) -> list[tuple[str, str]]:
    """``count`` (title, abstract) pairs; the first 689 are the real papers."""
    rng = random.Random(seed)
    real = bundled_entries()
    papers = [(entry.title, entry.abstract) for entry in real[:count]]
    for number in range(len(papers), count):
        papers.append(_perturb(real[number % len(real)], rng.choice(real), number, rng))
    return papers


def write_synthetic_dumps(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """Write ``count`` synthetic papers as dumps of 1000 papers each."""
    folder.mkdir(parents=True, exist_ok=True)
    papers = synthetic_papers(count, seed)
    files = []
    for start in range(0, count, PAPERS_PER_DUMP):
        file = folder / f"{start // PAPERS_PER_DUMP:05d}_synthetic.txt"
        lines = [line for pair in papers[start : start + PAPERS_PER_DUMP] for line in pair]
        file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(file)
    return files
