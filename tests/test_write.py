"""write.py on real folders: skip unchanged files, remove stale ones, all or nothing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator.errors import GeneratorError
from generator.write import TEMP_SUFFIX, WriteReport, write_pages

PAGES = {
    "index.md": "# Home\n",
    "new.md": "# What's new\n",
    "feed.xml": "<rss/>\n",
    "papers/index.md": "# All papers\n",
    "papers/a-paper.md": "# A\n",
    "papers/b-paper.md": "# B\n",
}


def snapshot(docs: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under ``docs``: its bytes, modification time and inode."""
    return {
        path.relative_to(docs).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns,
                                            path.stat().st_ino)
        for path in sorted(docs.rglob("*")) if path.is_file()
    }


def test_first_run_writes_every_page_second_run_none(tmp_path):
    docs = tmp_path / "docs"
    assert write_pages(docs, PAGES) == WriteReport(written=6, unchanged=0)
    before = snapshot(docs)
    assert {name: content for name, (content, _, _) in before.items()} == {
        name: text.encode() for name, text in PAGES.items()}
    report = write_pages(docs, PAGES)
    assert report == WriteReport(written=0, unchanged=6)
    assert not report.changed
    assert snapshot(docs) == before


def test_only_changed_pages_are_rewritten(tmp_path):
    docs = tmp_path / "docs"
    write_pages(docs, PAGES)
    before = snapshot(docs)
    report = write_pages(docs, {**PAGES, "papers/a-paper.md": "# A, changed\n",
                                "papers/c-paper.md": "# C\n"})
    assert report == WriteReport(written=2, unchanged=5)
    after = snapshot(docs)
    assert after["papers/a-paper.md"][0] == b"# A, changed\n"
    assert after["papers/c-paper.md"][0] == b"# C\n"
    for name in PAGES.keys() - {"papers/a-paper.md"}:
        assert after[name] == before[name], name


def test_pages_of_removed_papers_and_an_unset_feed_are_removed(tmp_path):
    docs = tmp_path / "docs"
    (docs / "assets").mkdir(parents=True)
    (docs / "assets/extra.css").write_text("a {}\n")
    write_pages(docs, {**PAGES, "tags/graphs.md": "# graphs\n"})
    kept = {name: text for name, text in PAGES.items()
            if name not in ("papers/b-paper.md", "feed.xml")}
    assert write_pages(docs, kept) == WriteReport(
        written=0, unchanged=4, removed_files=("feed.xml", "papers/b-paper.md", "tags/graphs.md"))
    assert sorted(snapshot(docs)) == sorted([*kept, "assets/extra.css"])


def test_data_files_of_the_generated_folders_go_with_their_pages(tmp_path):
    # A site that had papers had a find-similar model and an API; when no two
    # papers share a term any more, those files must not stay behind, stale.
    docs = tmp_path / "docs"
    data = {"similar/index.md": "# Similar\n", "similar/model.json": "{}\n", "api/papers.json": "[]\n"}
    write_pages(docs, {**PAGES, **data})
    (docs / "papers" / "notes.txt").write_text("the user's own file\n")
    report = write_pages(docs, PAGES)
    assert report.removed_files == ("api/papers.json", "similar/index.md", "similar/model.json")
    assert (docs / "papers" / "notes.txt").exists()


def test_pages_get_the_usual_mode_not_the_temporary_files_0600(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    docs = tmp_path / "docs"
    write_pages(docs, PAGES)
    assert stat.S_IMODE((docs / "papers/a-paper.md").stat().st_mode) == 0o666 & ~umask


def test_a_failure_while_writing_leaves_every_previous_page(tmp_path):
    docs = tmp_path / "docs"
    write_pages(docs, PAGES)
    before = snapshot(docs)
    # A plain file where the run needs a folder: staging fails after it has
    # already staged index.md and the papers (the pages sort before "zz").
    (docs / "zz").write_text("in the way\n")
    changed = {name: text + "changed\n" for name, text in PAGES.items()}
    with pytest.raises(GeneratorError, match=r"docs/zz: error: cannot write \(File exists\); "
                                             "nothing written, docs/ is as it was"):
        write_pages(docs, {**changed, "zz/page.md": "# Z\n"})
    after = snapshot(docs)
    del after["zz"]
    assert after == before
    assert not list(docs.rglob(f"*{TEMP_SUFFIX}"))


def test_leftovers_of_a_killed_run_are_removed(tmp_path):
    docs = tmp_path / "docs"
    (docs / "papers").mkdir(parents=True)
    leftover = docs / "papers" / f".a-paper.md.x1y2{TEMP_SUFFIX}"
    leftover.write_text("half a page")
    write_pages(docs, PAGES)
    assert not leftover.exists()
    assert sorted(snapshot(docs)) == sorted(PAGES)
