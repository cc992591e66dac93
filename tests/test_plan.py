"""Issue 16: a plan against the committed manifest before any write; one run
at a time; write failures as clear messages with docs/ unchanged."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from generator.cli import main
from generator.corpus import build_corpus
from generator.parse import read_dump
from generator.plan import make_plan, manifest_text, parse_manifest
from tests.conftest import BUNDLED_DUMPS, ROOT, dump_text, generate, make_project
from tests.test_malformed import snapshot

PAPERS = [(f"Paper Number {n} on Sparse Attention",
           f"We study variant {n} of sparse attention for long documents and report results.")
          for n in range(20)]


def published(project):
    return parse_manifest((project / "published.tsv").read_text(encoding="utf-8"), "m")


def test_the_committed_manifest_matches_the_bundled_dumps():
    """What CI checks before deploying (python -m generator --check-manifest)."""
    corpus = build_corpus([read_dump(f) for f in sorted(BUNDLED_DUMPS.glob("*.txt"))])
    assert (ROOT / "published.tsv").read_text(encoding="utf-8") == manifest_text(corpus)


def test_a_run_writes_the_manifest_and_a_second_plans_nothing(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": dump_text(*PAPERS)})
    assert generate(project) == 0
    assert len(published(project)) == 20
    capsys.readouterr()
    assert generate(project, "--check-manifest") == 0
    assert "0 new, 0 edited, 0 replaced by unrelated text, 0 removed" in capsys.readouterr().out


def test_check_manifest_fails_when_a_dump_changed_without_it(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": dump_text(*PAPERS)})
    assert generate(project) == 0
    (project / "dumps/002.txt").write_text(dump_text(("A New Paper", PAPERS[0][1] + " New.")))
    before = snapshot(project)
    capsys.readouterr()
    assert generate(project, "--check-manifest") == 1
    err = capsys.readouterr().err
    assert ("published.tsv: error: does not match the dumps (plan against 20 published papers: "
            "1 new") in err and "commit the updated manifest" in err
    assert snapshot(project) == before


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": dump_text(*PAPERS)})
    before = snapshot(project)
    assert generate(project, "--dry-run") == 0
    out, err = capsys.readouterr()
    assert "plan against 0 published papers: 20 new" in out and "nothing written" in out
    assert "new: papers/paper-number-0-on-sparse-attention/" in err
    assert snapshot(project) == before


def test_removing_over_ten_percent_is_refused_unless_allowed(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": dump_text(*PAPERS[:17]),
                                      "002.txt": dump_text(*PAPERS[17:])})
    assert generate(project) == 0
    (project / "dumps/002.txt").unlink()  # 3 of 20: 15 %
    before = snapshot(project)
    capsys.readouterr()
    assert generate(project) == 1
    err = capsys.readouterr().err.splitlines()
    assert "removed: papers/paper-number-17-on-sparse-attention/" in "\n".join(err)
    assert err[-1] == ("error: refused: it would remove 3 of 20 published papers (more than "
                       "10%). Was a dump deleted, renamed or copied wrongly? Nothing written; "
                       "if this is intended, run again with --allow-removals")
    assert snapshot(project) == before
    assert generate(project, "--allow-removals") == 0
    assert len(published(project)) == 17


def test_an_unrelated_abstract_at_a_published_url_is_refused(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": dump_text(*PAPERS)})
    assert generate(project) == 0
    swapped = [PAPERS[0][0], "Sourdough bread rises overnight in a cold oven; we time it."]
    (project / "dumps/001.txt").write_text(dump_text(tuple(swapped), *PAPERS[1:]))
    before = snapshot(project)
    capsys.readouterr()
    assert generate(project) == 1
    err = capsys.readouterr().err
    assert "replaced by unrelated text: papers/paper-number-0-on-sparse-attention/" in err
    assert "replace the abstract of 1 published paper(s) with unrelated text" in err
    assert snapshot(project) == before


def test_a_small_edit_is_planned_as_an_edit(tmp_path):
    project = make_project(tmp_path, {"001.txt": dump_text(*PAPERS)})
    assert generate(project) == 0
    edited = (PAPERS[0][0], PAPERS[0][1].replace("report results", "report strong results"))
    (project / "dumps/001.txt").write_text(dump_text(edited, *PAPERS[1:]))
    corpus = build_corpus([read_dump(project / "dumps/001.txt")])
    plan = make_plan(published(project), corpus)
    assert plan.changed == ("paper-number-0-on-sparse-attention",) and not plan.risky
    assert generate(project) == 0


def test_a_second_run_at_once_names_the_holder_and_writes_nothing(tmp_path, capsys):
    project = make_project(tmp_path, {"001.txt": dump_text(*PAPERS)})
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from generator.write import locked\nwith locked(Path(sys.argv[1])):\n"
         "    print('locked', flush=True); time.sleep(30)", str(project / "docs")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        before = snapshot(project)
        assert generate(project) == 1
        err = capsys.readouterr().err
        assert f"another generator run (PID {holder.pid}) is updating it; nothing written" in err
        assert snapshot(project) == before
    finally:
        holder.kill()
        holder.wait()
    assert generate(project) == 0


@pytest.fixture
def small_filesystem(tmp_path):
    """A real 1 MB tmpfs (root only), so the disk is really full."""
    mount = tmp_path / "small"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                            capture_output=True)
    if result.returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_full_disk_is_a_clear_error_with_docs_unchanged(small_filesystem, capsys):
    project = make_project(small_filesystem / "project", {"001.txt": dump_text(*PAPERS[:2])})
    assert generate(project) == 0
    before = snapshot(project / "docs")
    big = [(f"Paper {n} about Attention", "We study attention. " * 300) for n in range(60)]
    (project / "dumps/002.txt").write_text(dump_text(*big))
    capsys.readouterr()
    assert generate(project) == 1
    err = capsys.readouterr().err
    assert "error: cannot write (the disk is full); nothing written, docs/ is as it was" in err
    assert "Traceback" not in err
    assert snapshot(project / "docs") == before
    assert not list((project / "docs").rglob("*.generator-tmp"))


def test_a_read_only_docs_with_changes_is_a_clear_error(small_filesystem, capsys):
    project = make_project(small_filesystem / "project", {"001.txt": dump_text(*PAPERS[:2])})
    assert generate(project) == 0
    (project / "dumps/002.txt").write_text(dump_text(*PAPERS[2:4]))
    before = snapshot(project / "docs")
    subprocess.run(["mount", "-o", "remount,ro", str(small_filesystem)], check=True)
    try:
        capsys.readouterr()
        assert generate(project) == 1
        err = capsys.readouterr().err
        assert "error: cannot write (the file system is read-only); nothing written" in err
        assert "Traceback" not in err
        assert snapshot(project / "docs") == before
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_filesystem)], check=True)
