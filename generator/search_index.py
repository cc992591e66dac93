"""What the search box searches: one record per paper, written as a Pagefind index.

Each paper page's front matter (title, tags, abstract: render.py writes them)
becomes one search record. Pagefind gives the title ten times the weight of
the abstract and the tags five times, stems English words and matches
prefixes; it splits the index into small compressed chunks that the browser
fetches only when a query needs them, so the first result costs a few hundred
KB at 689 papers and at 20k alike. List pages (All papers, What's new, tags)
are not indexed: they repeat the papers' titles and would outrank them.

Two things Pagefind does not do are added here as data:

* acronyms and their expansions: a record that says "MoE" also carries
  "mixture of experts", and the reverse, in the part of the record (title,
  tags, abstract) where the other form was found, so either form finds both;
* one typo: ``vocabulary`` lists the records' words of 5+ letters with the
  number of papers using each; the browser corrects an unknown query word to
  the closest of them with MiniSearch's fuzzy search
  (generator/search_theme/assets/javascripts/paper-search.js).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# Acronym -> the phrases that spell it out, the usual expansion first; either
# form found in a paper adds the other to what is searched. The single place
# to swap in the generator's shared acronym vocabulary once it ships.
ACRONYMS: dict[str, tuple[str, ...]] = {
    "BO": ("Bayesian optimization",),
    "CNN": ("convolutional neural network",),
    "CoT": ("chain of thought",),
    "DPO": ("direct preference optimization",),
    "GAN": ("generative adversarial network",),
    "GCN": ("graph convolutional network",),
    "GNN": ("graph neural network",),
    "GP": ("Gaussian process",),
    "ICL": ("in-context learning",),
    "KD": ("knowledge distillation",),
    "LLM": ("large language model",),
    "LoRA": ("low-rank adaptation",),
    "LSTM": ("long short-term memory",),
    "MCMC": ("Markov chain Monte Carlo",),
    "MLP": ("multilayer perceptron", "multi-layer perceptron"),
    "MoE": ("mixture of experts", "mixtures of experts"),
    "NAS": ("neural architecture search",),
    "NeRF": ("neural radiance field",),
    "NLP": ("natural language processing",),
    "ODE": ("ordinary differential equation",),
    "OOD": ("out-of-distribution",),
    "PCA": ("principal component analysis",),
    "PEFT": ("parameter-efficient fine-tuning",),
    "PINN": ("physics-informed neural network",),
    "RAG": ("retrieval-augmented generation",),
    "RL": ("reinforcement learning",),
    "RLHF": ("reinforcement learning from human feedback", "human feedback"),
    "RNN": ("recurrent neural network",),
    "SDE": ("stochastic differential equation",),
    "SGD": ("stochastic gradient descent",),
    "SSM": ("state space model", "state-space model"),
    "SVD": ("singular value decomposition",),
    "VAE": ("variational autoencoder", "variational auto-encoder"),
    "ViT": ("vision transformer",),
    "VLM": ("vision-language model",),
    "VQ": ("vector quantization",),
}

TITLE_WEIGHT = 10  # Pagefind's largest weight; the abstract has 1
TAGS_WEIGHT = 5
VOCABULARY_WORD = re.compile(r"[^\W\d_]{5,}")


@dataclass(frozen=True)
class SearchRecord:
    """One paper as the search box sees it."""

    url: str  # relative to the site's root, as MkDocs' page.url
    title: str  # plain text
    tags: tuple[str, ...]
    abstract: str  # plain text


def record_from_page(url: str, meta: dict) -> SearchRecord | None:
    """The record of a paper page from its front matter; None for other pages.

    >>> record_from_page("papers/x/", {"title": "A &amp; B", "tags": ["t"], "abstract": "Text."})
    SearchRecord(url='papers/x/', title='A & B', tags=('t',), abstract='Text.')
    """
    if "abstract" not in meta:
        return None
    # render.py escapes the title: MkDocs themes print page.meta.title raw.
    return SearchRecord(url, html.unescape(str(meta.get("title", ""))),
                        tuple(str(tag) for tag in meta.get("tags") or ()), str(meta["abstract"]))


def _phrase_pattern(phrase: str) -> re.Pattern:
    """A phrase in running text: any case, hyphens or spaces between words, a plural."""
    words = [re.escape(word) for word in re.split(r"[\s-]+", phrase)]
    return re.compile(r"\b" + r"[\s-]+".join(words) + r"s?\b", re.IGNORECASE)


# (acronym as a word, its plural too) and (any of its phrases), per acronym.
_FORMS = [
    (acronym, phrases[0], re.compile(rf"\b{re.escape(acronym)}s?\b"),
     [_phrase_pattern(phrase) for phrase in phrases])
    for acronym, phrases in ACRONYMS.items()
]


def aliases(text: str) -> list[str]:
    """The other forms of the acronyms and expansions ``text`` mentions.

    >>> aliases("A sparse MoE layer for graph neural networks")
    ['GNN', 'mixture of experts']
    >>> aliases("Fine-tuning LLMs with low-rank adaptation")
    ['LoRA', 'large language model']
    """
    found = set()
    for acronym, expansion, acronym_pattern, phrase_patterns in _FORMS:
        if acronym_pattern.search(text):
            found.add(expansion)
        if any(pattern.search(text) for pattern in phrase_patterns):
            found.add(acronym)
    return sorted(found)


def _with_aliases(text: str) -> str:
    return " ".join([text, *aliases(text)])


def record_html(record: SearchRecord) -> str:
    """The page Pagefind indexes for ``record``.

    The abstract comes first, so the browser finds its words at the start of
    the record's text (``abstract_words`` of them) for the result's snippet.
    """
    escape = html.escape
    tags = " · ".join(record.tags)
    meta = {"title": record.title, "tags": json.dumps(record.tags),
            "abstract_words": str(len(record.abstract.split()))}
    head = "".join(f'<meta data-pagefind-meta="{name}[content]" content="{escape(value)}">'
                   for name, value in meta.items())
    abstract_aliases = " ".join(aliases(record.abstract))
    return (
        f'<html lang="en"><head>{head}</head><body><main data-pagefind-body>'
        f"<p>{escape(record.abstract)}</p>"
        f'<h1 data-pagefind-weight="{TITLE_WEIGHT}">{escape(_with_aliases(record.title))}</h1>'
        f'<p data-pagefind-weight="{TAGS_WEIGHT}">{escape(_with_aliases(tags))}</p>'
        + (f"<p>{escape(abstract_aliases)}</p>" if abstract_aliases else "")
        + "</main></body></html>"
    )


def vocabulary(records: list[SearchRecord]) -> dict[str, int]:
    """Each word of 5+ letters in the records -> the number of records using it."""
    counts: Counter[str] = Counter()
    for record in records:
        text = " ".join([record.title, *record.tags, record.abstract]).lower()
        counts.update(set(VOCABULARY_WORD.findall(text)))
    return dict(sorted(counts.items()))


def _pagefind(site: Path, output: Path) -> None:
    """Pagefind's CLI over ``site``. (Its Python API takes ~0.1 s a page here:
    75 s for the 689 bundled papers, against 2 s for the CLI.)"""
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site),
                             "--output-path", str(output)], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{result.stdout}{result.stderr}")


def write_search_index(records: list[SearchRecord], pagefind_dir: Path, vocabulary_file: Path) -> None:
    """Write the Pagefind index of ``records`` and their vocabulary (JSON: word -> papers)."""
    with tempfile.TemporaryDirectory() as pages:
        for record in records:
            page = Path(pages, record.url, "index.html")
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(record_html(record), encoding="utf-8")
        _pagefind(Path(pages), pagefind_dir.resolve())
    vocabulary_file.parent.mkdir(parents=True, exist_ok=True)
    vocabulary_file.write_text(json.dumps(vocabulary(records), separators=(",", ":")), encoding="utf-8")


def records_from_docs(docs_dir: Path) -> list[SearchRecord]:
    """The records of the Markdown pages under ``docs_dir``, as the plugin sees them."""
    from mkdocs.utils.meta import get_data

    records = []
    for page in sorted(docs_dir.rglob("*.md")):
        _, meta = get_data(page.read_text(encoding="utf-8"))
        url = page.relative_to(docs_dir).with_suffix("").as_posix() + "/"
        record = record_from_page(url.removesuffix("index/"), meta)
        if record is not None:
            records.append(record)
    return records


def index_command(docs_dir: Path, site_dir: Path, pagefind_dir: str, vocabulary_file: str) -> list[str]:
    """The command that indexes a generated ``docs_dir`` into a built ``site_dir`` on its own."""
    return [sys.executable, "-m", "generator.search_index", str(docs_dir),
            str(site_dir / pagefind_dir), str(site_dir / vocabulary_file)]


if __name__ == "__main__":  # the plugin's indexing alone, to measure it (benchmarks/bench_pipeline.py)
    docs, pagefind, words = map(Path, sys.argv[1:4])
    write_search_index(records_from_docs(docs), pagefind, words)
