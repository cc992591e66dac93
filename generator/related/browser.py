"""The related-papers model as plain data for the browser (find-similar and
the map), and a Python reference of what the browser computes with it.

``browser_model(model, papers) -> dict`` (JSON-ready; format "related-model/1")::

    {
      "format": "related-model/1",
      "title_weight": 2,          # title words count this many times
      "lsa_share": 0.2,           # score = (1 - lsa_share) * tfidf + lsa_share * lsa
      "candidates": 100,          # rerank only the best 100 by the TF-IDF part
      "words": {"rewards": 17, ...},        # every surface word seen -> its stem's column
      "pairs": {"17 503": 6001, ...},       # "column column" of two adjacent words -> column
                                            # (stem pairs: {} with the default settings)
      "idf": [float, ...],                  # per column
      "entropy": [float, ...],              # per column: log-entropy global weight
      "projection": {"rows": C, "dims": D, "scale": s, "int8": "<base64>"},   # C x D, row-major
      "papers": {
        "slugs": ["...", ...],              # rows, in slug order
        "tfidf": {"indptr": [...], "columns": [...], "scale": s, "uint8": "<base64>"},  # CSR
        "lsa": {"dims": D, "scale": s, "int8": "<base64>"}                       # N x D, row-major
      }
    }

How the browser scores a text (``similar_to_text`` does exactly this):

1. words: lower-case, URLs (``https?://`` or ``www.`` up to whitespace) removed,
   then the regex ``\\b[^\\W\\d_]\\w+\\b`` (``generator.textlayer.words``). The
   title's words and the text's are taken separately.
2. terms: each word found in ``words`` gives its column; two adjacent words
   both found give the column of ``pairs["a b"]`` if present (any word not
   found, stop words included, breaks a pair). Title terms count
   ``title_weight`` times. ``count[c]`` = number of times column c occurs.
3. TF-IDF: ``t[c] = (1 + ln count[c]) * idf[c]``, L2-normalised.
4. LSA: ``w[c] = ln(1 + count[c]) * entropy[c]``;
   ``l = normalise(w @ (projection.int8 * projection.scale))``.
5. Each paper j: ``tf_j = t . (tfidf.uint8_j * tfidf.scale)`` (sparse dot),
   ``lsa_j = l . (lsa.int8_j * lsa.scale)``. Candidates: the ``candidates``
   papers with the largest ``tf_j`` > 0 (ties: lower row); each scores
   ``(1 - lsa_share) * tf_j + lsa_share * lsa_j``; best first, scores rounded
   to 6 decimals and ties to the lower row.

For a paper's own title and abstract (``to_plain`` text, excluding itself),
this gives the generator's related ranking: the generator ranks by the same
quantised rows. The generator then cuts each list (see ``generator.related``),
so its list is a prefix of this ranking. It holds exactly while every term
is "rare" in the pruned search (corpora up to ~2,500 papers); past that the
generator's candidates are pruned, and the two may differ by a few links.

``lsa`` (N x D, one unit vector per paper) also serves a 2-D layout (t-SNE)
of the map: ``paper_lsa(model)`` gives it as float rows.
"""

from __future__ import annotations

import base64
import math

import numpy as np

from generator.corpus import Paper
from generator.related.model import Model
from generator.related.search import CANDIDATES, TIE_DECIMALS
from generator.textlayer import words as text_words

FORMAT = "related-model/1"


def _packed(values: np.ndarray, dtype) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype=dtype).tobytes()).decode("ascii")


def _unpacked(text: str, dtype, shape) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=dtype).reshape(shape).astype(np.float64)


def browser_model(model: Model, papers: tuple[Paper, ...]) -> dict:
    """The model as plain data (see the module docstring for its shape)."""
    terms = model.terms.tolist()
    column_of = {term: column for column, term in enumerate(terms)}
    pairs = {}
    for column, term in enumerate(terms):
        if " " in term:
            first, second = term.split()
            pairs[f"{column_of[first]} {column_of[second]}"] = column
    tfidf = model.stored_tfidf
    return {
        "format": FORMAT,
        "title_weight": model.settings.title_weight,
        "lsa_share": model.settings.lsa_share,
        "candidates": CANDIDATES,
        "words": model.words,
        "pairs": dict(sorted(pairs.items())),
        "idf": model.idf.tolist(),
        "entropy": model.entropy.tolist(),
        "projection": {"rows": model.projection.shape[0], "dims": model.projection.shape[1],
                       "scale": model.projection_scale, "int8": _packed(model.projection, np.int8)},
        "papers": {
            "slugs": [paper.slug for paper in papers],
            "tfidf": {"indptr": tfidf.indptr.tolist(), "columns": tfidf.indices.tolist(),
                      "scale": model.tfidf_scale,
                      "uint8": _packed(np.rint(tfidf.data / model.tfidf_scale), np.uint8)},
            "lsa": {"dims": model.stored_lsa.shape[1], "scale": model.lsa_scale,
                    "int8": _packed(model.stored_lsa, np.int8)},
        },
    }


def paper_lsa(model: Model) -> np.ndarray:
    """Each paper's unit LSA vector (N x D floats), e.g. for a 2-D map layout."""
    return model.lsa


def _term_counts(exported: dict, title: str, text: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    vocabulary, pairs = exported["words"], exported["pairs"]
    for part, repeat in ((title, exported["title_weight"]), (text, 1)):
        columns = [vocabulary.get(word) for word in text_words(part)]
        found = [column for column in columns if column is not None]
        found += [pairs[key] for a, b in zip(columns, columns[1:])
                  if a is not None and b is not None and (key := f"{a} {b}") in pairs]
        for column in found:
            counts[column] = counts.get(column, 0) + repeat
    return counts


def similar_to_text(
    exported: dict, text: str, title: str = "", count: int = 5, exclude: str | None = None
) -> list[tuple[str, float]]:
    """The papers most similar to ``title`` and ``text`` (plain text), best
    first, as the browser ranks them: [(slug, score)]."""
    counts = _term_counts(exported, title, text)
    if not counts:
        return []
    columns = np.array(sorted(counts))
    raw = np.array([counts[column] for column in columns], dtype=np.float64)
    tfidf = (1 + np.log(raw)) * np.asarray(exported["idf"])[columns]
    tfidf /= np.linalg.norm(tfidf)
    projection = exported["projection"]
    matrix = _unpacked(projection["int8"], np.int8, (projection["rows"], projection["dims"]))
    lsa = (np.log1p(raw) * np.asarray(exported["entropy"])[columns]) @ (matrix[columns] * projection["scale"])
    norm = math.sqrt(float(lsa @ lsa))
    lsa = lsa / norm if norm else lsa
    stored = exported["papers"]
    slugs = stored["slugs"]
    word_scores = _sparse_dots(stored["tfidf"], len(slugs), dict(zip(columns.tolist(), tfidf)))
    if exclude is not None:
        word_scores[slugs.index(exclude)] = 0.0
    chosen = [row for row in np.argsort(-word_scores, kind="stable")[: exported["candidates"]]
              if word_scores[row] > 0]
    vectors = _unpacked(stored["lsa"]["int8"], np.int8, (len(slugs), stored["lsa"]["dims"]))
    share = exported["lsa_share"]
    scored = [(row, (1 - share) * word_scores[row] + share * float(vectors[row] @ lsa) * stored["lsa"]["scale"])
              for row in chosen]
    scored.sort(key=lambda item: (-round(item[1], TIE_DECIMALS), item[0]))
    return [(slugs[row], score) for row, score in scored[:count]]


def _sparse_dots(tfidf: dict, rows: int, query: dict[int, float]) -> np.ndarray:
    """Each stored row's dot product with the sparse ``query`` (column -> weight)."""
    weights = _unpacked(tfidf["uint8"], np.uint8, (-1,)) * tfidf["scale"]
    columns = np.asarray(tfidf["columns"])
    picked = np.array([query.get(column, 0.0) for column in columns.tolist()])
    row_of = np.repeat(np.arange(rows), np.diff(tfidf["indptr"]))
    return np.bincount(row_of, weights=weights * picked, minlength=rows)
