"""Nearest neighbours without an N x N matrix: a pruned TF-IDF search for
candidates, then the blended score on those candidates only.

Papers that share a *rare* term (a term whose document frequency is low
enough that all such pairs cost at most ``PAIRS_PER_PAPER`` per paper to
enumerate) are candidates; the ``CANDIDATES`` with the best rare-term
product are then scored with the full model. In a corpus small enough every
term is rare, so the candidates are the best by TF-IDF over all terms.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

PAIRS_PER_PAPER = 8000
CANDIDATES = 100
CHUNK_ROWS = 1000
TIE_DECIMALS = 6


def nearest_neighbours(
    matrix: sp.csr_matrix, stored: sp.csr_matrix, count: int,
    blend: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
    pairs_per_paper: int = PAIRS_PER_PAPER, candidates: int = CANDIDATES,
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``count`` best other rows by ``blend(rows, others, products)``,
    best first, among the candidates with the largest products of ``matrix``'s
    rows (the queries) with ``stored``'s (the others, as the browser holds
    them); ``products`` are those pairs' exact products over all columns.

    Returns (rows, scores), both of shape (n, count); a row with fewer
    neighbours is padded with row -1 and score -inf. Ties go to the lower row.
    """
    rare = _rare_columns(matrix, pairs_per_paper)
    rare_part = matrix[:, rare].tocsr()
    rare_part_t = stored[:, rare].T.tocsr()
    common_query, common_stored = matrix[:, ~rare].tocsr(), stored[:, ~rare].tocsr()
    neighbours, scores = [], []
    for start in range(0, matrix.shape[0], CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, matrix.shape[0])
        chosen, partial = _candidates(rare_part[start:stop] @ rare_part_t, start, candidates)
        products = partial + _sampled_products(common_query[start:stop], common_stored, chosen)
        rows = np.repeat(np.arange(start, stop), chosen.shape[1])
        found = chosen.ravel() >= 0
        exact = np.full(chosen.size, -np.inf)
        exact[found] = blend(rows[found], chosen.ravel()[found], products.ravel()[found])
        exact = exact.reshape(chosen.shape)
        # Rounding first lets floating-point noise fall into a tie, which the row breaks.
        order = np.lexsort((chosen, -np.round(exact, TIE_DECIMALS)), axis=1)[:, :count]
        neighbours.append(np.take_along_axis(chosen, order, axis=1))
        scores.append(np.take_along_axis(exact, order, axis=1))
    return _padded(np.vstack(neighbours), count, -1), _padded(np.vstack(scores), count, -np.inf)


def _sampled_products(queries: sp.csr_matrix, stored: sp.csr_matrix, candidates: np.ndarray) -> np.ndarray:
    """Products of each query row with its candidates' stored rows (0 for padding)."""
    width = candidates.shape[1]
    dense = queries.toarray()
    others = stored[np.maximum(candidates.ravel(), 0)]
    pair = np.repeat(np.arange(candidates.size), np.diff(others.indptr))
    products = others.data * dense[pair // width, others.indices]
    return np.bincount(pair, weights=products, minlength=candidates.size).reshape(candidates.shape)


def _rare_columns(matrix: sp.csr_matrix, pairs_per_paper: int) -> np.ndarray:
    """Columns whose papers can all be paired within the work budget.

    Enumerating the pairs of papers sharing a column costs df² for that
    column, so the columns are taken rarest first until the budget is spent.
    """
    df = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
    by_df = np.sort(df)
    affordable = np.searchsorted(np.cumsum(by_df**2), pairs_per_paper * matrix.shape[0], "right")
    if affordable == len(by_df):
        return np.ones(len(df), dtype=bool)
    return df < by_df[affordable]


def _candidates(products: sp.csr_matrix, start: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the ``width`` other rows with the largest rare-term product (-1
    pads), among equal products at the cut the lower rows; and those products."""
    products = products.tocsr()
    rows = np.repeat(np.arange(products.shape[0]) + start, np.diff(products.indptr))
    products.data[products.indices == rows] = 0.0  # never a paper's own neighbour
    products.eliminate_zeros()
    candidates = np.full((products.shape[0], width), -1, dtype=np.int64)
    partial = np.zeros(candidates.shape)
    indptr, indices, data = products.indptr.tolist(), products.indices, products.data
    for row, (begin, end) in enumerate(zip(indptr, indptr[1:])):
        keep = np.arange(begin, end)
        if end - begin > width:
            values, columns = data[begin:end], indices[begin:end]
            cut = np.partition(values, end - begin - width)[end - begin - width]
            above = np.flatnonzero(values > cut)
            at_cut = np.flatnonzero(values == cut)
            at_cut = at_cut[np.argsort(columns[at_cut], kind="stable")[: width - len(above)]]
            keep = begin + np.concatenate([above, at_cut])
        candidates[row, : len(keep)], partial[row, : len(keep)] = indices[keep], data[keep]
    return candidates, partial


def _padded(array: np.ndarray, width: int, fill) -> np.ndarray:
    if array.shape[1] >= width:
        return array
    padding = np.full((array.shape[0], width - array.shape[1]), fill, dtype=array.dtype)
    return np.hstack([array, padding])
