"""The map layout, the neighbourhood graph, the find-similar model and the JSON API."""

from __future__ import annotations

import gzip
import json
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from generator import explore
from generator.analysis import Analysis, PaperAnalysis, analyse
from generator.cli import dump_files, read_dumps
from generator.config import Config
from generator.corpus import Corpus, Paper, Source, build_corpus
from generator.explore import layout
from generator.explore.api import PAPERS_FILE, TAGS_FILE
from generator.explore.graph import SHOWN_BACKLINKS, neighbourhood_html, neighbourhood_svg
from generator.explore.pages import MAP_DATA, map_data
from generator.explore.similar import MODEL_FILE, similar_model
from generator.related import RelatedLink
from generator.related.browser import paper_lsa, similar_to_text
from generator.text import to_plain
from generator.render import render_paper, tagged_papers
from tests.conftest import BUNDLED_DUMPS, ROOT

SCHEMAS = ROOT / "schemas"


@pytest.fixture(scope="module")
def bundled():
    corpus = build_corpus(read_dumps(dump_files(BUNDLED_DUMPS)))
    return corpus, analyse(corpus, Config())


@pytest.fixture(scope="module")
def files(bundled) -> dict[str, str]:
    corpus, analysis = bundled
    return explore.explore_pages(corpus, analysis, tagged_papers(corpus, analysis))


def paper(slug: str, title: str | None = None) -> Paper:
    return Paper(slug, slug, title or slug.replace("-", " ").title(), "An abstract.",
                 (Source("001.txt", None, 1),))


# ---------------------------------------------------------------- map layout

def distances(points: np.ndarray, rows: np.ndarray, others: np.ndarray) -> np.ndarray:
    return np.hypot(*(points[rows] - points[others]).T)


def related_pairs(corpus, analysis) -> tuple[np.ndarray, np.ndarray]:
    row_of = {paper.slug: row for row, paper in enumerate(corpus.papers)}
    pairs = [(row_of[paper.slug], row_of[link.slug]) for paper in corpus.papers
             for link in analysis.of(paper.slug).related]
    return tuple(np.array(side) for side in zip(*pairs))


@pytest.mark.parametrize("sample", [layout.SAMPLE, 150])
def test_related_papers_lie_close_on_the_map(bundled, monkeypatch, sample):
    """Papers linked as related are far closer than papers taken at random,
    whether t-SNE places them all or only a sample and the rest are placed
    among their sampled neighbours."""
    corpus, analysis = bundled
    monkeypatch.setattr(layout, "SAMPLE", sample)
    points = layout.map_layout(paper_lsa(analysis.related_model), len(corpus.papers)).astype(float)
    assert points.shape == (len(corpus.papers), 2)
    assert points.min() == 0 and points.max() == layout.GRID
    rows, others = related_pairs(corpus, analysis)
    shuffled = np.random.default_rng(0).permutation(others)
    assert np.median(distances(points, rows, others)) < 0.35 * np.median(distances(points, rows, shuffled))
    # Placed papers do not pile up on one spot.
    assert len({tuple(point) for point in points}) > 0.98 * len(points)


@pytest.mark.parametrize("count", [0, 1, 2, 5, layout.MIN_TSNE + 3])
def test_a_handful_of_papers_or_papers_sharing_no_term_sit_on_a_circle(count):
    vectors = None if count > layout.MIN_TSNE else np.eye(count)
    points = layout.map_layout(vectors, count)
    assert points.shape == (count, 2)
    assert len({tuple(point) for point in points}) == count


def test_map_data_has_one_entry_per_paper_and_labels_for_its_topics(bundled, files):
    corpus, _ = bundled
    data = json.loads(files[MAP_DATA])
    assert data["slug"] == [paper.slug for paper in corpus.papers]
    assert {len(data[column]) for column in ("x", "y", "topic", "title")} == {len(corpus.papers)}
    assert len(data["topics"]) == len({topic for topic in data["topic"] if topic >= 0}) > 5
    # The papers without a topic are coloured by their most used tag: "diffusion models".
    assert data["topics"][data["topic"][data["slug"].index(
        "diffusionpid-interpreting-diffusion-via-partial-information-decomposition")]] == "diffusion models"
    assert sorted(label[0] for label in data["labels"]) == list(range(len(data["topics"])))


def test_the_map_is_small_enough_to_load_quickly(files):
    assert len(gzip.compress(files[MAP_DATA].encode())) < 60_000


def test_map_topics_prefer_the_analysis_topic(bundled):
    corpus, analysis = bundled
    corpus = Corpus(corpus.papers[:150], corpus.dumps)
    papers = dict(analysis.papers)
    for paper_ in corpus.papers[:100]:
        papers[paper_.slug] = PaperAnalysis(tags=papers[paper_.slug].tags, topic="A broad topic")
    data = map_data(corpus, Analysis(papers))
    assert data["topics"][0] == "A broad topic"
    assert data["topic"][:100] == [0] * 100 and 0 not in data["topic"][100:]


# ------------------------------------------------------ neighbourhood graph

class Links(HTMLParser):
    """The links of an SVG fragment, with the text of each."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.links: list[list[str]] = []
        self.elements: set[str] = set()
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.elements.add(tag)
        if tag == "a":
            self.links.append([dict(attrs)["href"], ""])

    def handle_data(self, data):
        if self.links:
            self.links[-1][1] += data


def test_each_node_links_to_its_paper():
    papers = {slug: paper(slug) for slug in ("centre", "near", "also-near", "fan", "both")}
    papers["fan"] = paper("fan", "<script>alert(1)</script> & Friends")
    analysis = PaperAnalysis(
        related=(RelatedLink("near", 0.4, ()), RelatedLink("both", 0.3, ()), RelatedLink("also-near", 0.2, ())),
        backlinks=("both", "fan"),
    )
    svg = neighbourhood_svg(papers["centre"], analysis, papers)
    parsed = Links(svg)
    hrefs = [href for href, _ in parsed.links]
    # Each paper once: "both" is related and lists this one, shown on the related side.
    assert sorted(hrefs) == sorted(f"../{slug}/" for slug in papers)
    assert "script" not in parsed.elements
    fan = next(text for href, text in parsed.links if href == "../fan/")
    assert "<script>alert(1)</script> & Friends (lists this paper)" in fan
    assert 'class="nb-edge nb-mutual"' in svg


def test_a_hub_shows_some_of_the_papers_listing_it():
    papers = {f"fan-{index}": paper(f"fan-{index}") for index in range(20)} | {"hub": paper("hub")}
    analysis = PaperAnalysis(backlinks=tuple(f"fan-{index}" for index in range(20)))
    svg = neighbourhood_svg(papers["hub"], analysis, papers)
    assert len(Links(svg).links) == SHOWN_BACKLINKS + 1
    assert f"and {20 - SHOWN_BACKLINKS} more" in svg


def test_a_lone_paper_has_no_graph_but_a_map_link():
    section = neighbourhood_html(paper("alone"), PaperAnalysis(), {"alone": paper("alone")})
    assert "<svg" not in section
    assert '<a href="../../map/?paper=alone">Show on the map</a>' in section


def test_every_paper_page_has_its_neighbourhood(bundled):
    corpus, analysis = bundled
    by_slug = {paper_.slug: paper_ for paper_ in corpus.papers}
    for paper_ in corpus.papers[::50]:
        page = render_paper(paper_, analysis.of(paper_.slug), by_slug)
        assert f"map/?paper={paper_.slug}" in page
        related = analysis.of(paper_.slug).related
        svg = page[page.index("<svg"):page.index("</svg>")] if related else ""
        for link in related:
            assert f'href="../{link.slug}/"' in svg


# ---------------------------------------------------------------- find similar

def test_a_papers_own_text_finds_its_related_papers(bundled, files):
    """The model file as the page gets it: for a bundled paper's own title
    and abstract, the reference scoring ranks its related list first."""
    corpus, analysis = bundled
    model = json.loads(files[MODEL_FILE])
    assert model["titles"][:3] == [to_plain(paper_.title) for paper_ in corpus.papers[:3]]
    for paper_ in corpus.papers[::23]:
        related = [link.slug for link in analysis.of(paper_.slug).related]
        found = similar_to_text(model, to_plain(paper_.abstract), to_plain(paper_.title),
                                count=len(related), exclude=paper_.slug)
        assert [slug for slug, _ in found] == related


def test_without_a_model_the_page_says_so_and_has_no_model_file():
    corpus = Corpus((paper("a-paper"), paper("b-paper")), ())
    files = explore.explore_pages(corpus, Analysis(), {})
    assert MODEL_FILE not in files and similar_model(corpus, Analysis()) is None
    assert "data-model" not in files["similar/index.md"]


def test_the_model_is_at_most_one_megabyte_gzipped(files):
    assert len(gzip.compress(files[MODEL_FILE].encode())) <= 1_000_000


# ---------------------------------------------------------------- JSON API

@pytest.mark.parametrize(("path", "schema"), [
    (PAPERS_FILE, "papers.schema.json"), (TAGS_FILE, "tags.schema.json"),
])
def test_api_files_follow_their_schema(files, path, schema):
    schema = json.loads((SCHEMAS / schema).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(files[path]), schema, cls=jsonschema.Draft202012Validator)


def test_the_schema_rejects_a_wrong_document(files):
    schema = json.loads((SCHEMAS / "papers.schema.json").read_text())
    document = json.loads(files[PAPERS_FILE])
    document["papers"][0]["related"][0]["similarity"] = "high"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)


def test_api_papers_hold_text_tags_related_and_listings(bundled, files):
    corpus, analysis = bundled
    papers = {record["slug"]: record for record in json.loads(files[PAPERS_FILE])["papers"]}
    assert list(papers) == [paper_.slug for paper_ in corpus.papers]
    record = papers["diffusionpid-interpreting-diffusion-via-partial-information-decomposition"]
    assert record["title"] == "DiffusionPID: Interpreting Diffusion via Partial Information Decomposition"
    assert record["url"] == f"papers/{record['slug']}/"
    assert record["abstract"].startswith("Text-to-image diffusion models")
    assert record["listings"] == [{"dump": "001_b72bc537ce43f3e3.txt", "date": None}]
    expected = analysis.of(record["slug"])
    assert record["tags"] == list(expected.tags)
    assert [link["slug"] for link in record["related"]] == [link.slug for link in expected.related]
    assert record["listed_as_related_by"] == list(expected.backlinks)


def test_api_tags_list_the_papers_of_each_tag(bundled, files):
    corpus, analysis = bundled
    tags = json.loads(files[TAGS_FILE])["tags"]
    for tag in tags[::40]:
        assert tag["url"] == f"tags/{tag['slug']}/"
        assert tag["papers"] == [p.slug for p in corpus.papers if tag["name"] in analysis.of(p.slug).tags]


def test_explore_files_are_the_same_every_run(bundled, files):
    corpus, analysis = bundled
    assert explore.explore_pages(corpus, analysis, tagged_papers(corpus, analysis)) == files


def test_papers_with_one_and_the_same_vector_are_laid_out_without_t_sne():
    # Zero distances crash scikit-learn's Barnes-Hut t-SNE (a segfault, not an error).
    points = layout.map_layout(np.zeros((20, 6)), 20)
    assert points.shape == (20, 2) and len({tuple(point) for point in points.tolist()}) == 20
