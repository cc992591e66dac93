"""related.lock: the record of published related lists, which keeps them stable.

Fitting the model on a corpus that grew moves every score a little (the idf
of each term, the LSA basis). Without a record, a new dump would rewrite most
pages for differences no reader could act on: 0.32 shown as 0.31, two
near-equal links swapping places, a fifth link traded for another as good.
So a paper keeps its published list while that list still holds:

- the model and its cuts are the same (the lock's fingerprint);
- every paper it links to is still there, each link scores, now, within
  ``DRIFT`` of its published score, and the words it shows as shared are
  still in both papers (so an edited abstract is checked, not trusted);
- no paper outside the list now scores more than ``MARGIN`` above the
  list's weakest link (a better paper, new or old, gets in).

Otherwise it gets the fresh list. The generator writes the file beside
mkdocs.yml and you commit it with your dumps, like tags.lock. Pure text in,
text out: the CLI does the file I/O.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np

from generator.corpus import Paper
from generator.errors import GeneratorError
from generator.related.links import SCORE_DECIMALS, Cuts, RelatedLink
from generator.related.model import Model

HEADER = ("# related.lock: the related papers this site has published, written by the generator.\n"
          "# Commit it with your dumps: a paper keeps its list while it still holds.\n")
KEY_LENGTH = 10
_LINK = re.compile(r"[0-9a-f]{%d}\|[0-9]+\.[0-9]+\|(?:weak|strong)\|[^|\t]*" % KEY_LENGTH)
DRIFT = 0.04
MARGIN = 0.03
"""Chosen on the bundled dumps plus a 41-paper one: the median score moves
0.01 and the 95th percentile 0.03; 0.04 / 0.03 keep 85% of the lists."""


class RelatedLockError(GeneratorError):
    """A related.lock file that cannot be read."""


@dataclass(frozen=True)
class RelatedLock:
    fingerprint: str = ""
    """The model settings and cuts the lists were made with."""
    lists: dict[str, tuple[RelatedLink, ...]] = field(default_factory=dict)
    """Slug -> its published related links."""


def fingerprint(model: Model, cuts: Cuts) -> str:
    # A change to the rules' numbers re-derives every list too.
    made_with = f"{model.settings!r} {cuts!r} decimals {SCORE_DECIMALS} drift {DRIFT} margin {MARGIN}"
    return hashlib.sha256(made_with.encode("utf-8")).hexdigest()[:16]


def stable_lists(
    papers: tuple[Paper, ...], fresh: dict[str, tuple[RelatedLink, ...]], model: Model | None,
    cuts: Cuts, old: RelatedLock,
) -> tuple[dict[str, tuple[RelatedLink, ...]], RelatedLock]:
    """Each paper's list (the published one where it still holds, else the
    fresh one, made by ``model`` with ``cuts``) and the lock that records them."""
    lists = dict(fresh)
    made_with = fingerprint(model, cuts) if model is not None else ""
    if model is not None and old.fingerprint == made_with:
        lists.update(_still_holding(papers, fresh, model, old))
    return lists, RelatedLock(made_with, lists)


def _still_holding(papers: tuple[Paper, ...], fresh: dict[str, tuple[RelatedLink, ...]], model: Model,
                   old: RelatedLock) -> dict[str, tuple[RelatedLink, ...]]:
    """The published lists that still hold (see the module's docstring)."""
    row = {paper.slug: index for index, paper in enumerate(papers)}
    present = sorted(slug for slug, links in old.lists.items()
                     if slug in row and all(link.slug in row for link in links))
    links = [(row[slug], row[link.slug], link) for slug in present for link in old.lists[slug]]
    now = _scores_now(model, links)
    sound = (np.abs(now - [link.similarity for *_, link in links]) <= DRIFT + 1e-9) & _terms_shared(model, links)
    kept, start = {}, 0
    for slug in present:
        published = old.lists[slug]
        end = start + len(published)
        if sound[start:end].all() and _no_better_paper(published, now[start:end], fresh[slug]):
            kept[slug] = published
        start = end
    return kept


def _scores_now(model: Model, links: list[tuple[int, int, RelatedLink]]) -> np.ndarray:
    if not links:
        return np.zeros(0)
    rows, others, _ = zip(*links)
    return np.round(model.scores(np.array(rows), np.array(others)), SCORE_DECIMALS)


def _terms_shared(model: Model, links: list[tuple[int, int, RelatedLink]]) -> np.ndarray:
    """Per link: are the words it shows still in both papers' text?"""
    shown = [(index, row, other, model.words.get(term, -1))
             for index, (row, other, link) in enumerate(links) for term in link.shared_terms]
    shared = np.ones(len(links), dtype=bool)
    if shown:
        index, rows, others, columns = (np.array(values) for values in zip(*shown))
        known = columns >= 0
        columns = np.where(known, columns, 0)
        in_both = (np.asarray(model.counts[rows, columns]).ravel() > 0) & (
            np.asarray(model.counts[others, columns]).ravel() > 0)
        np.logical_and.at(shared, index, known & in_both)
    return shared


def _no_better_paper(published: tuple[RelatedLink, ...], now: np.ndarray,
                     fresh: tuple[RelatedLink, ...]) -> bool:
    listed = {link.slug for link in published}
    weakest = now.min() if len(now) else float("-inf")
    return all(link.similarity <= weakest + MARGIN + 1e-9 for link in fresh if link.slug not in listed)


def format_lock(lock: RelatedLock) -> str:
    lines = [f"model\t{lock.fingerprint}"]
    lines += ["\t".join(["paper", slug, *map(_link_field, links)]) for slug, links in sorted(lock.lists.items())]
    return HEADER + "\n".join(lines) + "\n"


def paper_key(slug: str) -> str:
    """A linked paper's name in the file: a hash of its slug, a sixth of
    its length (slugs would make the file 62 MB at 100,000 papers)."""
    return hashlib.sha256(slug.encode("utf-8")).hexdigest()[:KEY_LENGTH]


def _link_field(link: RelatedLink) -> str:
    strength = "weak" if link.weak else "strong"
    return f"{paper_key(link.slug)}|{link.similarity:.2f}|{strength}|{','.join(link.shared_terms)}"


def parse_lock(text: str, source: str) -> RelatedLock:
    """Read a related.lock; a line that cannot be read names its place.

    >>> text = f"model\\tab\\npaper\\tp\\t{paper_key('q')}|0.40|weak|x,y\\npaper\\tq\\n"
    >>> parse_lock(text, "related.lock").lists['p']
    (RelatedLink(slug='q', similarity=0.4, shared_terms=('x', 'y'), weak=True),)
    """
    made_with, fields_of = "", {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] == "model" and len(fields) == 2:
            made_with = fields[1]
        elif fields[0] == "paper" and len(fields) >= 2 and all(map(_LINK.fullmatch, fields[2:])):
            fields_of[fields[1]] = fields[2:]
        else:
            raise RelatedLockError(f"{source}:{number}: error: not a related.lock line: {line[:60]!r} "
                                   "(delete the file to re-derive all related lists)")
    slugs = _slugs_by_key(fields_of)
    return RelatedLock(made_with, {slug: tuple(_parse_link(field, slugs) for field in fields)
                                   for slug, fields in fields_of.items()})


def _slugs_by_key(slugs) -> dict[str, str]:
    """Key -> slug, for the papers in the file; a key two slugs share (a
    hash collision) names neither, so the lists linking it are refreshed."""
    found: dict[str, str] = {}
    for slug in slugs:
        key = paper_key(slug)
        found[key] = "" if key in found else slug
    return found


def _parse_link(field: str, slugs: dict[str, str]) -> RelatedLink:
    key, score, strength, terms = field.split("|")
    return RelatedLink(slugs.get(key, ""), float(score), tuple(term for term in terms.split(",") if term),
                       strength == "weak")
