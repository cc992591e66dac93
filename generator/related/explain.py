"""Why two papers are related: the word terms they share that add most to
their TF-IDF similarity, each stem shown once in its most common surface form."""

from __future__ import annotations

import numpy as np

from generator.related.model import Model

EXPLAINED_TERMS = 3


def shared_terms(model: Model, rows: np.ndarray, others: np.ndarray) -> list[tuple[str, ...]]:
    """For each pair, the terms that add most to its similarity, best first.

    A term whose stems an earlier one already shows is skipped, and a phrase
    replaces the earlier words it holds: "control variates, sampling", never
    "control variates, control" nor "reward, rewards".
    """
    matrix = model.tfidf
    products = (matrix[rows].multiply(matrix[others])).tocsr()
    products.sort_indices()
    pair = np.repeat(np.arange(len(rows)), np.diff(products.indptr))
    # One stable sort: by pair, then largest product; equal ones stay in column order.
    order = np.argsort(pair + (1.0 - products.data.astype(np.float64)) / 2, kind="stable")
    # Merging phrases with their words needs a few more terms than are shown.
    rank = np.arange(len(order)) - products.indptr[pair[order]]
    phrases = model.settings.bigrams
    best = order[rank < (2 if phrases else 1) * EXPLAINED_TERMS]
    columns, column_of = np.unique(products.indices[best], return_inverse=True)
    offered = model.terms[columns].tolist()
    shown = [surface_form(model, term) for term in offered]
    explained: list[list[int]] = [[] for _ in rows]
    if not phrases:
        for row, column in zip(pair[best].tolist(), column_of.tolist()):
            explained[row].append(column)
        return [tuple(shown[column] for column in chosen) for chosen in explained]
    stems = [frozenset(term.split()) for term in offered]
    for row, column in zip(pair[best].tolist(), column_of.tolist()):
        if len(explained[row]) < EXPLAINED_TERMS:
            explained[row] = _with_term(explained[row], column, stems)
    return [tuple(shown[column] for column in chosen) for chosen in explained]


def surface_form(model: Model, term: str) -> str:
    """A stem term as read: each stem in its most common surface word."""
    return " ".join(model.surface.get(part, part) for part in term.split())


def _with_term(chosen: list[int], term: int, stems: list[frozenset]) -> list[int]:
    """``chosen`` with ``term`` added, unless its stems are shown already;
    ``stems`` holds the stems of each term.

    >>> stems = [frozenset({"bridg"}), frozenset({"solver"}), frozenset({"schrödinger", "bridg"})]
    >>> _with_term([0, 1], 2, stems)
    [2, 1]
    """
    held = stems[term]
    if any(held <= stems[shown] for shown in chosen):
        return chosen
    # A phrase takes the place of the shown words it holds.
    merged = [term if stems[shown] <= held else shown for shown in chosen]
    return list(dict.fromkeys(merged)) if term in merged else chosen + [term]
