"""Step 4: assignment. Each paper takes its strongest candidates as tags.

- A paper takes its best candidate, then others scoring at least
  KEEP_RATIO of the best, up to MAX_TAGS; a candidate nested in a tag it
  has, or inside a longer candidate that scores nearly as well, is left to
  that one ("language models" to "large language models").
- A weak second tag is left out rather than forced: a paper short of
  MIN_TAGS takes its broad topic as a tag (which always fits), and only
  then weaker candidates.
- A tag that only one paper took goes to a second paper only when it is
  strong there too; otherwise the first paper gives it up for its next
  best. No tag may be on more than MAX_SHARE of the papers: the papers
  where it scores lowest give it up.
- A paper left short of MIN_TAGS takes back what it gave up, vocabulary
  entries first, derived phrases last. A paper's best vocabulary entry,
  given up as alone on it, replaces its weakest tag when that scores
  under KEEP_RATIO of it (``_lead_back``); a tag that then is alone on a
  paper with more than MIN_TAGS goes (``_drop_orphans``).
- A paper still short of tags after its own candidates and its topic
  borrows the tags most of its nearest papers share
  (``borrow_from_neighbours``).
- Papers whose tags are locked (``tags.lock``: same text, same
  vocabulary) keep them; the tags already published are preferred.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

MIN_TAGS = 2
MAX_TAGS = 5
MAX_SHARE = 0.15
"""No tag may be on more than this share of all papers."""
KEEP_RATIO = 0.8
"""A paper's tags beyond the first score at least this share of its best."""
MIN_SCORE = 1.4
"""A tag is in the title, the proposal sentence, or said twice in the body."""
DERIVED_WEIGHT = 0.6
"""Phrases the vocabulary does not know weigh a little less."""
COVER_RATIO = 0.6
"""A candidate inside a longer one scoring this share of it is left to that one."""
PUBLISHED_BONUS = 1.25
"""Tags already published weigh more, so that new papers join them."""
ADOPT_SCORE = 1.0
"""A paper short of strong candidates adopts another's lone tag only if it
scores it this much: a plain mention in the body does; one in an aside or
a sentence on prior work alone does not."""
SETTLE_ROUNDS = 20
NEIGHBOURS_READ = 5
"""A paper short of tags reads this many of its related papers' tags..."""
NEIGHBOURS_AGREEING = 3
"""... and borrows a tag that at least this many of them have."""


def _nested(key: str, chosen: list[str]) -> bool:
    padded = f" {key} "
    return any(padded in f" {other} " or f" {other} " in padded for other in chosen)


@functools.lru_cache(maxsize=100_000)  # most keys are candidates of many papers
def _parts(key: str) -> tuple[str, ...]:
    """The shorter phrases inside a phrase's words."""
    words = key.split()
    return tuple(" ".join(words[start:stop]) for start in range(len(words))
                 for stop in range(start + 1, len(words) + 1) if stop - start < len(words))


@dataclass
class Ranked:
    """One paper's candidate tags, best first."""

    ranking: list[tuple[float, str]]
    scores: dict[str, float]
    spare: list[tuple[float, str]]
    """Weak candidates, only to reach MIN_TAGS."""
    forced: list[str]
    """Tags tags.yml adds wherever their phrases appear: taken first."""
    derived: frozenset[str]
    """The candidates that are derived phrases, not vocabulary entries."""

    @property
    def best(self) -> float:
        return self.ranking[0][0] if self.ranking else 0.0

    def strong(self, key: str) -> bool:
        return self.scores.get(key, 0.0) >= max(MIN_SCORE, KEEP_RATIO * self.best)


def _ordered(scores: dict[str, float]) -> list[tuple[float, str]]:
    return sorted(((score, key) for key, score in scores.items()),
                  key=lambda item: (-item[0], -len(item[1].split()), item[1]))


def rank(scores: dict[str, float], spare: dict[str, float], derived: frozenset[str],
         banned: frozenset[str], forced: frozenset[str], published: set[str]) -> Ranked:
    """A paper's candidates weighed and ordered; tags.yml's added tags first."""
    weighted = {}
    for key, score in scores.items():
        if key in banned:
            continue
        weight = DERIVED_WEIGHT if key in derived else 1.0
        weighted[key] = round(score * weight * (PUBLISHED_BONUS if key in published else 1.0), 6)
    for key, score in list(weighted.items()):
        for part in _parts(key):
            if part in weighted and score >= COVER_RATIO * weighted[part]:
                weighted[part] = -1.0
    weak = {key: score for key, score in weighted.items() if 0 < score < MIN_SCORE and key not in forced}
    ranking = _ordered({key: score for key, score in weighted.items()
                        if score >= MIN_SCORE and key not in forced})
    return Ranked(ranking, weighted, _ordered(weak) + _ordered(spare),
                  sorted(key for key in scores if key in forced and key not in banned),
                  frozenset(key for key in weighted if key in derived))


def _choose(ranked: Ranked, chosen: list[str], given_up: set[str], topic: str | None,
            spare: bool = True) -> list[str]:
    """Add a paper's best candidates to ``chosen``, down to KEEP_RATIO of
    its best, then its topic if it is still short of MIN_TAGS, then its
    other ranked candidates and (with ``spare``) its spare ones."""
    chosen = list(chosen) + [key for key in ranked.forced if key not in chosen and key not in given_up]
    for score, key in ranked.ranking:
        if len(chosen) >= MAX_TAGS or score < KEEP_RATIO * ranked.best:
            break
        if key not in given_up and not _nested(key, chosen):
            chosen.append(key)
    # The topic fills in even above a tag of its own ("inverse reinforcement
    # learning" and "reinforcement learning"): the paper's field, one level up.
    if len(chosen) < MIN_TAGS and topic and topic not in given_up and topic not in chosen:
        chosen.append(topic)
    for _, key in ranked.ranking + (ranked.spare if spare else []):
        if len(chosen) >= MIN_TAGS:
            break
        if key not in given_up and not _nested(key, chosen):
            chosen.append(key)
    return chosen


def assign_tags(ranked: list[Ranked], topics: list[str | None], locked: dict[int, list[str]]) -> list[list[str]]:
    """Each paper's tag keys. ``topics`` are the papers' topic keys (a
    tag that always fits), ``locked`` the papers whose tags stay."""
    given_up: list[set[str]] = [set() for _ in ranked]
    chosen = [list(locked[index]) if index in locked else _choose(paper, [], set(), topics[index])
              for index, paper in enumerate(ranked)]
    holders: dict[str, set[int]] = {}
    for index, keys in enumerate(chosen):
        for key in keys:
            holders.setdefault(key, set()).add(index)
    limit = _share_limit(len(ranked))
    strong_users = _strong_users(ranked)

    def drop(index: int, key: str) -> None:
        chosen[index].remove(key)
        holders[key].discard(index)
        given_up[index].add(key)
        # Only ranked candidates replace it, no spare ones: a paper left
        # short takes back its given-up vocabulary entries at the end first.
        for added in _choose(ranked[index], chosen[index], given_up[index], topics[index],
                             spare=False)[len(chosen[index]):]:
            chosen[index].append(added)
            holders.setdefault(added, set()).add(index)

    for _ in range(SETTLE_ROUNDS):
        changed = False
        for key in sorted(holders):
            papers = holders[key]
            if len(papers) > limit:
                by_score = sorted(papers, key=lambda i: (ranked[i].scores.get(key, 0.0), -i))
                for index in by_score[: len(papers) - limit]:
                    if index not in locked:
                        drop(index, key)
                        changed = True
            elif len(papers) == 1:
                (owner,) = papers
                adopter = next((index for index in strong_users.get(key, ())
                                if index != owner and index not in locked and len(chosen[index]) < MAX_TAGS
                                and not _nested(key, chosen[index])), None)
                if adopter is not None:
                    chosen[adopter].append(key)
                    papers.add(adopter)
                    changed = True
                elif owner not in locked:  # a locked paper keeps its tags
                    drop(owner, key)
                    changed = True
        if not changed:
            break
    # A paper still short of tags takes back its best given-up candidates,
    # even alone on it: better its own main topic than nothing. Its topic is
    # a level up and blocks none ("unsupervised anomaly detection" under
    # "anomaly detection"). A vocabulary entry alone on a paper names it
    # ("influence functions") and others may join it as dumps arrive; a
    # derived phrase is a tag to group papers, so alone it comes last.
    for index, paper in enumerate(ranked):
        if index in locked:
            continue
        known = [item for item in paper.ranking if item[1] not in paper.derived]
        derived = [item for item in paper.ranking if item[1] in paper.derived]
        for _, key in known + paper.spare + derived:
            if len(chosen[index]) >= MIN_TAGS:
                break
            specific = [chosen_key for chosen_key in chosen[index] if chosen_key != topics[index]]
            if key not in chosen[index] and not _nested(key, specific) and len(holders.get(key, ())) < limit:
                chosen[index].append(key)
                holders.setdefault(key, set()).add(index)
        _lead_back(index, paper, chosen[index], topics[index], holders, limit)
    for index, paper in enumerate(ranked):
        if index not in locked:
            _drop_orphans(index, paper, chosen[index], holders)
            # Best first, whatever the order they were settled in; tags.yml's first of all.
            chosen[index].sort(key=lambda key: (key not in paper.forced, -paper.scores.get(key, 0.0)))
    return chosen


def _share_limit(papers: int) -> int:
    """How many papers one tag may be on: MAX_SHARE of them, and never fewer than MIN_TAGS."""
    return max(MIN_TAGS, int(MAX_SHARE * papers))


def _lead_back(index: int, paper: Ranked, chosen: list[str], topic: str | None,
               holders: dict[str, set[int]], limit: int) -> None:
    """A paper's best candidate, given up as alone on it, replaces its
    weakest specific tag when that one is far weaker: the vocabulary entry
    that names what the paper is about ("neural graphics primitives" ->
    "neural rendering") beats a shared word it uses in passing ("probing")."""
    best = _lead(paper)
    replaceable = [key for key in chosen if key != topic and key not in paper.forced]
    if best is None or best in chosen or not replaceable or len(holders.get(best, ())) >= limit:
        return
    weakest = _weakest_first(paper, replaceable)[0]
    kept = [key for key in chosen if key not in (topic, weakest)]
    if paper.scores.get(weakest, 0.0) < KEEP_RATIO * paper.best and not _nested(best, kept):
        chosen[chosen.index(weakest)] = best
        holders.setdefault(weakest, set()).discard(index)
        holders.setdefault(best, set()).add(index)


def _lead(paper: Ranked) -> str | None:
    """A paper's best candidate, if the vocabulary knows it: alone on the
    paper it still names it, where a derived phrase would group nothing."""
    if paper.ranking and paper.ranking[0][1] not in paper.derived:
        return paper.ranking[0][1]
    return None


def _drop_orphans(index: int, paper: Ranked, chosen: list[str], holders: dict[str, set[int]]) -> None:
    """Tags alone on a paper with more than MIN_TAGS go, weakest first,
    down to MIN_TAGS (another paper's lead-back can leave a shared tag
    alone): alone, only a paper's lead names it."""
    lead = _lead(paper)
    for key in _weakest_first(paper, chosen):
        if len(chosen) > MIN_TAGS and key != lead and key not in paper.forced and holders.get(key) == {index}:
            chosen.remove(key)
            holders[key].discard(index)


def _weakest_first(paper: Ranked, keys: list[str]) -> list[str]:
    return sorted(keys, key=lambda key: (paper.scores.get(key, 0.0), key))


def _strong_users(ranked: list[Ranked]) -> dict[str, list[int]]:
    """Candidate key -> the papers for which it is strong, strongest first."""
    found: dict[str, list[tuple[float, int]]] = {}
    for index, paper in enumerate(ranked):
        for score, key in paper.ranking + paper.spare:
            if paper.strong(key) or (len(paper.ranking) < MIN_TAGS and score >= ADOPT_SCORE):
                found.setdefault(key, []).append((-score, index))
    return {key: [index for _, index in sorted(users)] for key, users in found.items()}


def borrow_from_neighbours(chosen: list[list[str]], neighbours: list[tuple[int, ...]],
                           locked: dict[int, list[str]]) -> None:
    """A paper still short of MIN_TAGS takes the tags that at least
    NEIGHBOURS_AGREEING of its first NEIGHBOURS_READ related papers (most
    similar first) have of their own: the most shared first, then the
    nearest. One related paper's tag alone is no evidence."""
    own = [tuple(keys) for keys in chosen]
    use = Counter(key for keys in own for key in keys)
    limit = _share_limit(len(chosen))
    for index, near in enumerate(neighbours):
        if index in locked or len(chosen[index]) >= MIN_TAGS:
            continue
        votes: dict[str, list[int]] = {}
        for rank, other in enumerate(near[:NEIGHBOURS_READ]):
            for key in own[other]:
                votes.setdefault(key, []).append(rank)
        for key, ranks in sorted(votes.items(), key=lambda item: (-len(item[1]), item[1][0], item[0])):
            if len(chosen[index]) >= MIN_TAGS or len(ranks) < NEIGHBOURS_AGREEING:
                break
            if key not in chosen[index] and not _nested(key, chosen[index]) and use[key] < limit:
                chosen[index].append(key)
                use[key] += 1
