"""related.lock: published related lists stay while they still hold, and
change when the model, the scores, the words or a better paper say so."""

from __future__ import annotations

import dataclasses

import pytest

from generator.related import Cuts, RelatedLink, fit_model, related_lists
from generator.related.lock import (DRIFT, MARGIN, RelatedLock, RelatedLockError, fingerprint,
                                    format_lock, parse_lock, stable_lists)
from generator.corpus import build_corpus
from generator.parse import read_dump
from tests.conftest import BUNDLED_DUMPS, dump_text, generate, make_project

PAPERS = build_corpus([read_dump(BUNDLED_DUMPS / "000_f450d354f81f3563.txt")]).papers
CUTS = Cuts()
MODEL = fit_model(PAPERS)
FRESH = related_lists(PAPERS, MODEL, CUTS)
MADE_WITH = fingerprint(MODEL, CUTS)
# A paper whose best link is clearly ahead of its last.
SLUG = next(slug for slug, links in sorted(FRESH.items())
            if len(links) == CUTS.count and links[0].similarity > links[-1].similarity + 2 * MARGIN)


def published(**changes: tuple[RelatedLink, ...]) -> RelatedLock:
    """The lock of the fresh lists, with some papers' lists replaced."""
    return RelatedLock(MADE_WITH, {**FRESH, **changes})


def nudged(links: tuple[RelatedLink, ...], by: float) -> tuple[RelatedLink, ...]:
    return tuple(dataclasses.replace(link, similarity=round(link.similarity + by, 2)) for link in links)


def test_a_list_within_the_drift_is_kept_as_published():
    # Scores moved a little and two near-equal links swapped: the page keeps
    # what it showed, so it is not rewritten.
    shown = nudged(FRESH[SLUG], 0.01)[::-1]
    lists, lock = stable_lists(PAPERS, FRESH, MODEL, CUTS, published(**{SLUG: shown}))
    assert lists[SLUG] == shown
    assert lock.lists[SLUG] == shown and lock.fingerprint == MADE_WITH


def test_a_score_that_drifted_too_far_gives_the_fresh_list():
    shown = nudged(FRESH[SLUG], DRIFT + 0.01)
    lists, _ = stable_lists(PAPERS, FRESH, MODEL, CUTS, published(**{SLUG: shown}))
    assert lists[SLUG] == FRESH[SLUG]


def test_a_better_paper_gets_in_but_one_within_the_margin_does_not():
    best, *rest = FRESH[SLUG]
    # The published list lacked the fresh best link: it is clearly better
    # than the list's weakest, so the list is refreshed.
    assert best.similarity > min(link.similarity for link in rest) + MARGIN
    lists, _ = stable_lists(PAPERS, FRESH, MODEL, CUTS, published(**{SLUG: tuple(rest)}))
    assert lists[SLUG] == FRESH[SLUG]
    # Without the weakest fresh link the list holds: what is missing is no better.
    kept = FRESH[SLUG][:-1]
    lists, _ = stable_lists(PAPERS, FRESH, MODEL, CUTS, published(**{SLUG: kept}))
    assert lists[SLUG] == kept


def test_shown_words_no_longer_in_the_text_give_the_fresh_list():
    first = FRESH[SLUG][0]
    stale = (dataclasses.replace(first, shared_terms=("graph",)), *FRESH[SLUG][1:])
    lists, _ = stable_lists(PAPERS, FRESH, MODEL, CUTS, published(**{SLUG: stale}))
    assert lists[SLUG] == FRESH[SLUG]


def test_another_model_or_a_removed_paper_gives_the_fresh_lists():
    shown = nudged(FRESH[SLUG], 0.01)
    another_model = dataclasses.replace(published(**{SLUG: shown}), fingerprint="another model")
    lists, _ = stable_lists(PAPERS, FRESH, MODEL, CUTS, another_model)
    assert lists[SLUG] == FRESH[SLUG]
    gone = (RelatedLink("a-paper-in-no-dump", 0.5, ("monte",)), *shown[1:])
    lists, _ = stable_lists(PAPERS, FRESH, MODEL, CUTS, published(**{SLUG: gone}))
    assert lists[SLUG] == FRESH[SLUG]


def test_the_fingerprint_follows_the_cuts_and_settings():
    assert fingerprint(MODEL, dataclasses.replace(CUTS, count=4)) != MADE_WITH
    other = fit_model(PAPERS, dataclasses.replace(MODEL.settings, lsa_share=0.3))
    assert fingerprint(other, CUTS) != MADE_WITH


def test_the_lock_reads_back_and_a_bad_line_names_its_place():
    lock = published()
    text = format_lock(lock)
    assert parse_lock(text, "related.lock") == lock
    assert text.startswith("# related.lock")
    with pytest.raises(RelatedLockError) as error:
        parse_lock(text + "paper\tp\tq|0.5|maybe|x\n", "related.lock")
    assert str(error.value).startswith(f"related.lock:{len(text.splitlines()) + 1}: error: not a related.lock line")


def test_the_generator_shows_the_published_list_and_refuses_a_broken_lock(tmp_path):
    entries = [(p.title, p.abstract) for p in PAPERS[:60]]
    project = make_project(tmp_path, {"one.txt": dump_text(*entries)})
    assert generate(project) == 0
    lock_path = project / "related.lock"
    lock = parse_lock(lock_path.read_text(encoding="utf-8"), "related.lock")
    slug = next(slug for slug, links in sorted(lock.lists.items()) if links)
    shown = nudged(lock.lists[slug], -0.01)
    lock_path.write_text(format_lock(dataclasses.replace(lock, lists={**lock.lists, slug: shown})), "utf-8")
    # A new paper that shares nothing with the others changes no list.
    (project / "dumps" / "two.txt").write_text(dump_text((
        "Protein folding with lattice models",
        "Lattice models fold proteins on a cubic grid of amino acids.")), encoding="utf-8")
    assert generate(project) == 0
    page = (project / "docs" / "papers" / f"{slug}.md").read_text(encoding="utf-8")
    assert f"</meter> {shown[0].similarity:.2f}</span>" in page
    assert parse_lock(lock_path.read_text(encoding="utf-8"), "related.lock").lists[slug] == shown
    lock_path.write_text("model\tx\nnot a line\n", encoding="utf-8")
    assert generate(project) == 1
    assert (project / "docs" / "papers" / f"{slug}.md").read_text(encoding="utf-8") == page

