"""Regenerating after the dumps change: new pages, stable URLs, no needless writes,
and the previous pages intact after any failure, a killed process included."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from benchmarks.synthetic import bundled_entries, synthetic_papers
from generator.corpus import slug_for, title_key
from generator.write import TEMP_SUFFIX
from tests.conftest import ROOT, dump_text, generate, make_project, mkdocs_build
from tests.test_write import snapshot

PAPERS = [(entry.title, entry.abstract) for entry in bundled_entries()[:8]]
FIRST, SECOND = dump_text(*PAPERS[:5]), dump_text(*PAPERS[3:])

# Runs the generator and SIGKILLs it at the Nth event of a kind: the Nth
# temporary page opened (while staging) or the Nth temporary page renamed
# into place (while committing). A real kill at a chosen point, not a mock.
KILL_AT = """
import os, signal, sys
from generator.cli import main
event, target, seen = sys.argv[1], int(sys.argv[2]), 0
def kill_at(name, args):
    global seen
    if name == event and str(args[0]).endswith(%r):
        seen += 1
        if seen == target:
            os.kill(os.getpid(), signal.SIGKILL)
sys.addaudithook(kill_at)
sys.exit(main(sys.argv[3:]))
""" % TEMP_SUFFIX


def slug(title: str) -> str:
    return slug_for(title_key(title))


def contents(docs: Path) -> dict[str, bytes]:
    return {name: content for name, (content, _, _) in snapshot(docs).items()}


def site_files(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def last_summary(capsys) -> str:
    return capsys.readouterr().out.strip().splitlines()[-1]


@pytest.mark.slow
def test_adding_an_overlapping_dump_keeps_every_url_and_rewrites_only_changes(
        bundled_site, tmp_path, capsys):
    project = tmp_path / "project"
    shutil.copytree(bundled_site, project)
    old_urls = site_files(project / "site")
    before = snapshot(project / "docs")
    relisted = [(entry.title, entry.abstract) for entry in bundled_entries()[:10]]
    new = synthetic_papers(len(bundled_entries()) + 40)[-40:]
    (project / "dumps/005_new.txt").write_text(dump_text(*relisted, *new), encoding="utf-8")
    capsys.readouterr()

    assert generate(project) == 0
    summary = last_summary(capsys)
    site = mkdocs_build(project)

    # Paper pages and the fixed pages keep their URLs. Tags are derived from
    # the whole corpus, so a new dump may retire a tag and its page; the search
    # index's pieces are named by their content's hash.
    lasting = {url for url in old_urls if not url.startswith(("tags/", "pagefind/"))
               or url == "tags/index.html"}
    assert lasting <= site_files(site)
    for title, _ in new:
        assert (site / "papers" / slug(title) / "index.html").exists()
    after = {name: file for name, file in snapshot(project / "docs").items()
             if not name.startswith("assets/")}
    rewritten = {name for name in after if after[name] != before.get(name)}
    identical = {name for name in after if after[name][0] == before.get(name, (None,))[0]}
    # Every rewritten file changed; every unchanged one kept its time and inode.
    assert not rewritten & identical
    assert {f"papers/{slug(title)}.md" for title, _ in relisted} <= rewritten
    removed = {name for name in before if name not in after and not name.startswith("assets/")}
    assert all(name.startswith("tags/") for name in removed)
    assert (f"pages: {len(rewritten)} written, {len(identical)} unchanged, "
            f"{len(removed)} removed;") in summary
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo
    assert [entry.title for entry in feed.entries[:40]] == [title for title, _ in new]
    assert ">Listing 5</h2>" in (site / "new/index.html").read_text(encoding="utf-8")


def test_a_second_run_with_no_change_writes_nothing_and_says_so(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": FIRST, "002.txt": SECOND})
    assert generate(project) == 0
    before = snapshot(project / "docs")
    capsys.readouterr()
    assert generate(project) == 0
    pages = len([name for name in before if not name.startswith("assets/")])
    assert f"pages: 0 written, {pages} unchanged, 0 removed (nothing changed);" in last_summary(capsys)
    assert snapshot(project / "docs") == before


def test_papers_in_no_dump_lose_their_page_and_the_summary_says_so(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": FIRST, "002.txt": SECOND})
    assert generate(project) == 0
    (project / "dumps/002.txt").unlink()
    capsys.readouterr()
    # Most papers go: refused, unless the user says it is meant.
    assert generate(project) == 1
    assert "run again with --allow-removals" in capsys.readouterr().err
    assert generate(project, "--allow-removals") == 0
    summary = last_summary(capsys)
    pages = {path.stem for path in (project / "docs/papers").glob("*.md")}
    assert pages == {"index"} | {slug(title) for title, _ in PAPERS[:5]}
    assert f"{len(PAPERS) - 5} papers removed" in summary


def test_a_bad_dump_under_strict_leaves_every_page_untouched(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": FIRST})
    assert generate(project) == 0
    before = snapshot(project / "docs")
    (project / "dumps/002.txt").write_text(SECOND + "A Title Cut Off Before Its Abstract\n")
    assert generate(project, "--strict") == 1
    assert "nothing written" in capsys.readouterr().err
    assert snapshot(project / "docs") == before


def test_without_site_url_there_is_no_feed(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": FIRST})
    assert generate(project) == 0
    assert (project / "docs/feed.xml").exists()
    config = project / "mkdocs.yml"
    config.write_text("".join(line for line in config.read_text().splitlines(keepends=True)
                              if not line.startswith("site_url:")))
    assert generate(project, "--config", str(config)) == 0
    assert not (project / "docs/feed.xml").exists()
    assert "1 removed;" in last_summary(capsys)


def run_killed(project: Path, event: str, count: int) -> None:
    arguments = ["--dumps", str(project / "dumps"), "--docs", str(project / "docs"),
                 "--config", str(project / "mkdocs.yml"), "--quiet"]
    result = subprocess.run([sys.executable, "-c", KILL_AT, event, str(count), *arguments],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == -signal.SIGKILL, result.stderr


@pytest.fixture
def update(tmp_path):
    """A project built from one dump with a second dump just added, and the
    pages an unkilled run gives after the same history (tags.lock keeps the
    tags the first run published)."""
    reference = make_project(tmp_path / "reference", {"001.txt": FIRST})
    assert generate(reference) == 0
    (reference / "dumps/002.txt").write_text(SECOND, encoding="utf-8")
    assert generate(reference) == 0
    project = make_project(tmp_path / "project", {"001.txt": FIRST})
    assert generate(project) == 0
    (project / "dumps/002.txt").write_text(SECOND, encoding="utf-8")
    return project, contents(project / "docs"), contents(reference / "docs")


def temporary_files(docs: Path) -> list[Path]:
    return list(docs.rglob(f"*{TEMP_SUFFIX}"))


def test_killed_while_writing_leaves_the_previous_pages(update):
    project, old, new = update
    run_killed(project, "open", 4)
    docs = project / "docs"
    assert len(temporary_files(docs)) == 3  # killed as it was opening the fourth
    assert {name: content for name, content in contents(docs).items()
            if not name.endswith(TEMP_SUFFIX)} == old
    assert generate(project) == 0
    assert contents(docs) == new


def test_killed_while_renaming_leaves_whole_pages_and_the_next_run_completes(update):
    project, old, new = update
    run_killed(project, "os.rename", 3)
    docs = project / "docs"
    now = {name: content for name, content in contents(docs).items()
           if not name.endswith(TEMP_SUFFIX)}
    assert all(content in (old.get(name), new.get(name)) for name, content in now.items())
    assert now != old and now != new
    assert generate(project) == 0
    assert contents(docs) == new
