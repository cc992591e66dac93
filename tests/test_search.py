"""The search index: one Pagefind record per paper, acronyms both ways, the typo vocabulary.

The browser side (typing, stale results, typos, phone results, bytes) is in
tests/browser/test_search.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.render import PAPERS_DIR
from generator.search import PAGEFIND_DIR, VOCABULARY_FILE
from generator.search_index import (SearchRecord, aliases, record_from_page, record_html, vocabulary,
                                    write_search_index)
from tests.conftest import ROOT, make_project, search_records


@pytest.mark.parametrize(("text", "expected"), [
    ("A sparse MoE layer", ["mixture of experts"]),
    ("Sparse mixtures-of-experts", ["MoE"]),
    ("Message passing GNNs", ["graph neural network"]),
    ("Graph Neural Networks for molecules", ["GNN"]),
    ("RLHF for LLMs", ["large language model", "reinforcement learning from human feedback"]),
    ("Learning from human feedback", ["RLHF"]),
    ("LoRA adapters", ["low-rank adaptation"]),
    ("low rank adaptation of transformers", ["LoRA"]),
    ("A conditional VAE", ["variational autoencoder"]),
    ("variational auto-encoders", ["VAE"]),
])
def test_an_acronym_brings_its_expansion_and_an_expansion_its_acronym(text, expected) -> None:
    assert aliases(text) == sorted(expected)


@pytest.mark.parametrize("text", ["a URL and GPUs", "moe in lower case", "the SGDR schedule", "Morale"])
def test_acronyms_are_whole_words_in_their_own_case(text) -> None:
    assert aliases(text) == []


def test_only_pages_with_an_abstract_are_records_and_titles_are_plain_text() -> None:
    assert record_from_page("papers/", {"title": "All papers"}) is None
    record = record_from_page("papers/x/", {"title": "&lt;b&gt; &amp; c", "tags": ["t"], "abstract": "A."})
    assert record == SearchRecord("papers/x/", "<b> & c", ("t",), "A.")


class _Indexed(HTMLParser):
    """The text of each weighted element and the metadata of a record's page."""

    def __init__(self) -> None:
        super().__init__()
        self.weights: list[tuple[str, str]] = []
        self.meta: dict[str, str] = {}
        self._weight = "1"

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "meta":
            self.meta[attributes["data-pagefind-meta"].removesuffix("[content]")] = attributes["content"]
        elif tag in ("h1", "p"):
            self._weight = attributes.get("data-pagefind-weight", "1")

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.weights.append((self._weight, data))


def test_record_weighs_title_then_tags_then_abstract_with_aliases_where_found() -> None:
    record = SearchRecord("papers/x/", "Sparse MoE <script>", ("graph neural networks",),
                          "We fine-tune LLMs.")
    indexed = _Indexed()
    indexed.feed(record_html(record))
    assert indexed.weights == [
        ("1", "We fine-tune LLMs."),
        ("10", "Sparse MoE <script> mixture of experts"),
        ("5", "graph neural networks GNN"),
        ("1", "large language model"),
    ]
    assert indexed.meta == {"title": "Sparse MoE <script>", "tags": '["graph neural networks"]',
                            "abstract_words": "3"}


def test_vocabulary_counts_papers_per_word_of_five_letters_or_more() -> None:
    records = [SearchRecord("a/", "Diffusion models", (), "Diffusion of heat. Heat diffusion."),
               SearchRecord("b/", "Graphs", ("diffusion",), "Graph nets.")]
    assert vocabulary(records) == {"diffusion": 2, "graph": 1, "graphs": 1, "models": 1}


def test_same_records_give_byte_identical_index_files(tmp_path: Path) -> None:
    records = [SearchRecord(f"papers/p{number}/", f"Paper {number} on diffusion", ("diffusion",),
                            f"Abstract number {number} about score matching.") for number in range(30)]
    trees = []
    for run, order in (("a", records), ("b", records[::-1])):
        write_search_index(order, tmp_path / run / "pagefind", tmp_path / run / "vocabulary.json")
        trees.append({path.relative_to(tmp_path / run): path.read_bytes()
                      for path in (tmp_path / run).rglob("*") if path.is_file()})
    assert trees[0] == trees[1]


# --- The built bundled site -------------------------------------------------

class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[str] = []
        self.dialogs: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form" and attributes.get("name"):
            self.forms.append(attributes["name"])
        if attributes.get("role") == "dialog":
            self.dialogs.append(attributes)


def test_index_holds_every_paper_and_no_list_page(bundled_site: Path) -> None:
    site = bundled_site / "site"
    papers = {f"/{PAPERS_DIR}/{page.stem}/" for page in (bundled_site / "docs" / PAPERS_DIR).glob("*.md")
              if page.name != "index.md"}
    assert len(papers) == 689
    assert set(search_records(site)) == papers
    entry = json.loads((site / PAGEFIND_DIR / "pagefind-entry.json").read_text())
    assert sum(language["page_count"] for language in entry["languages"].values()) == 689


def test_index_records_have_title_tags_and_the_abstract_first(bundled_site: Path) -> None:
    record = search_records(bundled_site / "site")[f"/{PAPERS_DIR}/mine-mutual-information-neural-estimation/"]
    assert record["meta"]["title"] == "MINE: Mutual Information Neural Estimation"
    assert json.loads(record["meta"]["tags"]) == ["mutual information", "information theory"]
    words = record["content"].split()
    abstract = words[: int(record["meta"]["abstract_words"])]
    assert abstract[0] == "We" and abstract[-1].endswith(".")
    assert words[len(abstract)] == "MINE:"  # the title follows


def test_vocabulary_is_written_and_materials_index_is_not(bundled_site: Path) -> None:
    site = bundled_site / "site"
    words = json.loads((site / VOCABULARY_FILE).read_text())
    assert words["diffusion"] > 30 and "difusion" not in words
    assert list(words) == sorted(words)
    assert not (site / "search" / "search_index.json").exists()


def test_pages_carry_our_search_box_named_for_assistive_technology(bundled_site: Path) -> None:
    page = _Page()
    page.feed((bundled_site / "site" / "index.html").read_text(encoding="utf-8"))
    assert page.forms == ["paper-search"]  # not Material's "search", which would load its index
    assert [dialog.get("aria-label") for dialog in page.dialogs] == ["Search"]


def test_search_box_without_materials_search_plugin_is_a_clear_error(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "docs" / "index.md").write_text("# Home\n")
    (project / "mkdocs.yml").write_text("site_name: t\ntheme: material\nplugins:\n  - paper-search\n")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
    assert result.returncode != 0
    assert "add the 'search' plugin to mkdocs.yml too" in result.stderr
