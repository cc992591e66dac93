"""tags.lock: the record of published tags, which keeps them stable.

The generator writes it beside mkdocs.yml and you commit it with your
dumps. It holds one sorted line per paper (its slug, a hash of its text and
its tags), the fingerprint of the vocabulary that made them, and the tags
that were retired, each with the tags its papers went to. A paper whose
text and vocabulary are unchanged keeps its tags; a retired tag keeps its
page, pointing on. Pure text in, text out: the CLI does the file I/O.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from generator.errors import GeneratorError

HEADER = ("# tags.lock: the tags this site has published, written by the generator.\n"
          "# Commit it with your dumps: papers keep their tags, retired tags keep their pages.\n")
RETIRED_TARGETS = 3
SEPARATOR = "; "


class LockError(GeneratorError):
    """A tags.lock file that cannot be read."""


@dataclass(frozen=True)
class TagLock:
    fingerprint: str = ""
    """The vocabulary and rules the papers' tags were made with."""
    papers: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    """Slug -> (hash of its text, its tags)."""
    retired: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Retired tag -> the tags its papers went to."""


def text_hash(title: str, abstract: str) -> str:
    return hashlib.sha256(f"{title}\n{abstract}".encode("utf-8")).hexdigest()[:12]


def format_lock(lock: TagLock) -> str:
    lines = [f"vocabulary\t{lock.fingerprint}"]
    lines += [f"paper\t{slug}\t{digest}\t{SEPARATOR.join(tags)}"
              for slug, (digest, tags) in sorted(lock.papers.items())]
    lines += [f"retired\t{tag}\t{SEPARATOR.join(targets)}" for tag, targets in sorted(lock.retired.items())]
    return HEADER + "\n".join(lines) + "\n"


def parse_lock(text: str, source: str) -> TagLock:
    """Read a tags.lock; a line that cannot be read names its place.

    >>> parse_lock("vocabulary\\tab\\npaper\\tp\\t12\\tx; y\\nretired\\tz\\tx\\n", "tags.lock").papers
    {'p': ('12', ('x', 'y'))}
    """
    fingerprint, papers, retired = "", {}, {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] == "vocabulary" and len(fields) == 2:
            fingerprint = fields[1]
        elif fields[0] == "paper" and len(fields) == 4:
            papers[fields[1]] = (fields[2], _names(fields[3]))
        elif fields[0] == "retired" and len(fields) == 3:
            retired[fields[1]] = _names(fields[2])
        else:
            raise LockError(f"{source}:{number}: error: not a tags.lock line: {line[:60]!r} "
                            "(delete the file to re-derive all tags)")
    return TagLock(fingerprint, papers, retired)


def _names(field_text: str) -> tuple[str, ...]:
    return tuple(name for name in field_text.split(SEPARATOR) if name)


def updated_lock(old: TagLock, fingerprint: str, hashes: dict[str, str],
                 tags: dict[str, tuple[str, ...]]) -> TagLock:
    """The lock after this run: every paper's tags now, and the tags that
    were published but are no more, each pointing to the tags its papers
    have now (the commonest first)."""
    live = {tag for paper_tags in tags.values() for tag in paper_tags}
    retired = {tag: targets for tag, targets in old.retired.items() if tag not in live}
    went: dict[str, Counter] = {}
    for slug, (_, old_tags) in sorted(old.papers.items()):
        for tag in old_tags:
            if tag not in live:
                went.setdefault(tag, Counter()).update(tags.get(slug, ()))
    for tag, counts in went.items():
        retired[tag] = tuple(name for name, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
                             [:RETIRED_TARGETS])
    return TagLock(fingerprint, {slug: (hashes[slug], tags[slug]) for slug in tags}, retired)
