"""The map's layout: every paper a point in 2-D, near the papers like it.

The related-papers model gives each paper a unit LSA vector, and
scikit-learn's t-SNE lays out at most ``SAMPLE`` of them: t-SNE costs
~2 s of CPU per 1,000 points here and grows faster than linearly, so a 20k
corpus lays out an evenly spread sample, and every other paper is placed
among its most similar sampled papers. Everything runs on one thread with
fixed seeds, and the result is rounded to integers, so the same papers give
the same bytes.
"""

from __future__ import annotations

import numpy as np
from sklearn.manifold import TSNE
from threadpoolctl import threadpool_limits

SAMPLE = 1000
PERPLEXITY = 30
ITERATIONS = 500
PLACED_AMONG = 3
"""An unsampled paper goes to the weighted centre of this many sampled neighbours."""
JITTER = 0.004
"""How far (a share of the map's width) placed papers spread around that centre."""
GRID = 10_000
"""Coordinates are integers from 0 to ``GRID``."""
MIN_TSNE = 12
"""Fewer papers than this sit on a circle: t-SNE needs some to compare."""
SEED = 0
CHUNK_ROWS = 2000


def sample_rows(count: int, size: int = SAMPLE) -> np.ndarray:
    """Rows spread evenly over ``count`` rows in slug order, which has
    nothing to do with topic: a fair sample, and the same one every run.

    >>> sample_rows(10, 4).tolist()
    [0, 2, 5, 7]
    """
    if count <= size:
        return np.arange(count)
    return np.arange(size) * count // size


def _circle(count: int) -> np.ndarray:
    angles = 2 * np.pi * np.arange(count) / max(count, 1)
    return np.column_stack([np.cos(angles), np.sin(angles)])


def _placed(vectors: np.ndarray, sample: np.ndarray, sample_points: np.ndarray) -> np.ndarray:
    """Every row's point: sampled rows keep theirs, the others go among
    their ``PLACED_AMONG`` most similar sampled rows, closer to the closest."""
    points = np.empty((len(vectors), 2))
    points[sample] = sample_points
    others = np.setdiff1d(np.arange(len(vectors)), sample)
    width = np.ptp(sample_points, axis=0).max() or 1.0
    among = min(PLACED_AMONG, len(sample))
    for start in range(0, len(others), CHUNK_ROWS):
        rows = others[start:start + CHUNK_ROWS]
        similarity = vectors[rows] @ vectors[sample].T
        nearest = np.argpartition(-similarity, among - 1, axis=1)[:, :among]
        weight = np.maximum(np.take_along_axis(similarity, nearest, axis=1), 1e-6) ** 4
        centre = (weight[:, :, None] * sample_points[nearest]).sum(1) / weight.sum(1, keepdims=True)
        # A spiral of offsets keeps papers placed at one centre apart.
        angle = rows * 2.399963
        radius = JITTER * width * np.sqrt(1 + rows % 7)
        points[rows] = centre + radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return points


def on_grid(points: np.ndarray) -> np.ndarray:
    """Points scaled into 0..GRID (the aspect ratio kept), as integers."""
    if len(points) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    low = points.min(axis=0)
    extent = np.ptp(points, axis=0).max() or 1.0
    return np.rint((points - low) / extent * GRID).astype(np.int64)


def map_layout(vectors: np.ndarray | None, count: int) -> np.ndarray:
    """One (x, y) integer point per paper, from the papers' unit LSA vectors
    (one row each; None when the papers share no term)."""
    if vectors is None or count < MIN_TSNE:
        return on_grid(_circle(count))
    sample = sample_rows(count)
    # Papers with (nearly) the same vector give t-SNE zero distances, on which
    # scikit-learn's Barnes-Hut code crashes the process.
    if len(np.unique(np.round(vectors[sample], 4), axis=0)) < MIN_TSNE:
        return on_grid(_circle(count))
    # One thread: t-SNE's sums then run in one order, whatever the machine.
    with threadpool_limits(1):
        tsne = TSNE(
            2, perplexity=min(PERPLEXITY, (len(sample) - 1) / 3), init="pca",
            max_iter=ITERATIONS, random_state=SEED,
        )
        sample_points = tsne.fit_transform(vectors[sample])
        points = _placed(vectors, sample, sample_points)
    return on_grid(points)
