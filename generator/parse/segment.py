"""Segment a dump's content lines into papers by the structure of the whole dump.

Every content line gets one role: a paper's **T**itle, a line of its a**U**thors,
the first line of its **A**bstract, a **C**ontinuation of that abstract (a hard
line break inside it), or **O**rphan (part of no paper). A paper is
``T U* A C*``. Each role has a cost per line from the line's own features
(a title rarely ends with a full stop, an abstract is long prose, a line
starting in lower case continues the one before...), and the roles of the
whole dump are chosen together by dynamic programming (Viterbi) at least
total cost. So one odd line cannot shift every pair after it: a short
abstract without a full stop is an abstract because the line after it
reads as the next title, not because of its length alone.

The same pass gives each line's cost under its best *other* role; where the
two are close the choice was a guess, and the caller warns with what was
assumed.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.parse.lines import Line

TITLE, AUTHORS, ABSTRACT, CONTINUED, ORPHAN = "TUACO"
ROLES = (TITLE, AUTHORS, ABSTRACT, CONTINUED, ORPHAN)
NEVER = float("inf")
# A title with no abstract after it: its paper is lost, so only when nothing
# else explains the lines.
CUT_OFF = 6.0
ORPHAN_COST = 9.0
# Two labellings closer than this in total cost are a guess worth a warning.
AMBIGUOUS = 1.0
START = "^"
# Which role may follow which, at what cost.
FOLLOWS = {
    START: {TITLE: 0.0, ORPHAN: 0.0},
    TITLE: {AUTHORS: 0.0, ABSTRACT: 0.0, TITLE: CUT_OFF},
    AUTHORS: {AUTHORS: 1.0, ABSTRACT: 0.0, TITLE: CUT_OFF},
    ABSTRACT: {CONTINUED: 0.0, TITLE: 0.0, ORPHAN: 0.0},
    CONTINUED: {CONTINUED: 0.0, TITLE: 0.0, ORPHAN: 0.0},
    ORPHAN: {TITLE: 0.0, ORPHAN: 0.0},
}
END = {TITLE: CUT_OFF, AUTHORS: CUT_OFF, ABSTRACT: 0.0, CONTINUED: 0.0, ORPHAN: 0.0}


@dataclass(frozen=True)
class Layout:
    """What the whole dump shows, which weighs the evidence of each line."""

    blank_separated: bool
    """Blank lines stand between most lines: a line right under another continues it."""
    triples: bool
    """Many lines are author lists: a lone name between title and abstract is its author."""


def detect_layout(lines: list[Line]) -> Layout:
    gaps = sum(line.gap_before for line in lines[1:])
    author_lists = sum(len(line.authors) >= 2 for line in lines)
    return Layout(blank_separated=gaps * 2 > len(lines) - 1,
                  triples=author_lists * 4 >= len(lines) // 3 > 0)


def _title(line: Line, layout: Layout) -> float:
    cost = 2.5 * line.text.endswith(".") + 2.0 * min(line.sentences, 3)
    cost += 1.5 * line.starts_mid_sentence + 1.5 * bool(line.authors) + 3.0 * line.reads_as_prose
    cost += (len(line.text) > 300) * 1.0 + (len(line.text) > 600) * 2.0
    words = len(line.text.split())
    # Long titles are title-cased or cut by a colon; a long plain line is prose.
    cost += 1.5 * (words > 35) + 1.5 * (words > 18 and not line.title_cased and ":" not in line.text)
    cost += 3.0 * (not line.has_words) + 3.0 * line.ends_mid_sentence
    cost -= 1.0 * (line.title_cased and not line.terminal)
    cost += 2.0 * (layout.blank_separated and not line.gap_before)
    return cost


def _authors(line: Line, layout: Layout) -> float:
    names = line.authors
    if not names:
        return NEVER
    # A lone name outside a dump of author lines is more likely a title.
    return 0.0 if len(names) >= 2 else (0.5 if layout.triples else CUT_OFF + 1)


def _abstract(line: Line, layout: Layout) -> float:
    length = len(line.text)
    cost = 1.0 * (not line.terminal) + 1.0 * (length < 150) - 1.0 * (length > 400)
    cost -= 0.5 * (line.sentences > 0)
    cost += 1.0 * line.starts_mid_sentence + 4.0 * bool(line.authors)
    cost += 1.0 * (line.title_cased and not line.sentences)
    cost += 1.0 * (layout.blank_separated and not line.gap_before)
    return cost


def _continued(line: Line, before: Line, layout: Layout) -> float:
    cost = 1.0
    if not before.terminal:  # a sentence broken off: lower case reads straight on
        cost -= 0.5 + 3.0 * (line.starts_mid_sentence or before.ends_mid_sentence)
    else:
        # After a finished sentence, prose goes on capitalised and finishes its
        # own; a line that does neither reads as a heading, the next title.
        # (One that ends on a comma or "and" is prose broken off, not a heading.)
        heading = not (line.terminal or line.reads_as_prose or line.ends_mid_sentence)
        cost += 1.0 + 3.0 * heading + 2.0 * line.starts_mid_sentence
    cost += 1.5 * (len(line.text) < 80 and not line.starts_mid_sentence and not line.reads_as_prose)
    # A broken sentence reads on in lower case; a title-cased line is a title.
    cost += 3.0 * (line.title_cased and not line.sentences) + 4.0 * bool(line.authors)
    cost += 1.5 * (before.title_cased and not before.sentences)
    if layout.blank_separated:
        cost += 4.0 if line.gap_before else -3.0
    return cost


def _costs(line: Line, before: Line | None, layout: Layout) -> dict[str, float]:
    return {
        TITLE: _title(line, layout),
        AUTHORS: _authors(line, layout),
        ABSTRACT: _abstract(line, layout),
        CONTINUED: NEVER if before is None else _continued(line, before, layout),
        ORPHAN: ORPHAN_COST,
    }


@dataclass(frozen=True)
class Segmentation:
    roles: tuple[str, ...]
    """One role per line."""
    doubts: tuple[tuple[int, str], ...]
    """(index, the role it nearly had) for each line whose role was a close call."""


def _forward(costs: list[dict[str, float]]) -> tuple[list[dict], list[dict]]:
    """Best cost of each prefix ending in each role, and the role before it."""
    best: list[dict[str, float]] = []
    back: list[dict[str, str]] = []
    previous = {START: 0.0}
    for cost in costs:
        here: dict[str, float] = {}
        came: dict[str, str | None] = {}
        for role in ROLES:
            total, came[role] = NEVER, None
            for before, before_total in previous.items():  # ties: the earlier role
                candidate = before_total + FOLLOWS[before].get(role, NEVER)
                if candidate < total:
                    total, came[role] = candidate, before
            here[role] = total + cost[role]
        best.append(here)
        back.append(came)
        previous = here
    return best, back


def _backward(costs: list[dict[str, float]]) -> list[dict[str, float]]:
    """Best cost of everything after each line, given that line's role."""
    after = [dict(END)]
    for cost in reversed(costs[1:]):
        following = after[-1]
        after.append({role: min(FOLLOWS[role].get(nxt, NEVER) + cost[nxt] + following[nxt]
                                for nxt in ROLES) for role in ROLES})
    return after[::-1]


def segment(lines: list[Line]) -> Segmentation:
    """The least-cost roles of ``lines``, and the close calls among them."""
    if not lines:
        return Segmentation((), ())
    layout = detect_layout(lines)
    costs = [_costs(line, lines[i - 1] if i else None, layout) for i, line in enumerate(lines)]
    best, back = _forward(costs)
    last = {role: best[-1][role] + END[role] for role in ROLES}
    role = min(ROLES, key=lambda r: last[r])
    roles = [role]
    for came in reversed(back[1:]):
        role = came[role]
        roles.append(role)
    roles.reverse()
    after = _backward(costs)
    total = last[roles[-1]]
    doubts = []
    for index, (chosen, prefix, suffix) in enumerate(zip(roles, best, after)):
        alternatives = [(prefix[r] + suffix[r], r) for r in ROLES if r != chosen]
        cost, nearly = min(alternatives)
        if cost - total < AMBIGUOUS:
            doubts.append((index, nearly))
    return Segmentation(tuple(roles), tuple(doubts))
