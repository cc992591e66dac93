"""Shared helpers: small real projects in tmp_path, real generator runs, real builds."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.synthetic import write_synthetic_dumps
from generator import render
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED_DUMPS = ROOT / "dumps"


def dump_text(*papers: tuple[str, str], header: bool = True, date: str | None = None) -> str:
    """A dump in the compact layout, with the listing page's boilerplate."""
    lines = []
    if header:
        lines += ["Get trending papers in your email inbox once a day!",
                  "Get trending papers in your email inbox!"]
    if date:
        lines.append(date)
    for index, (title, abstract) in enumerate(papers):
        lines += [("Subscribe" if header and index == 0 else "") + title, abstract]
    return "\n".join(lines) + "\n"


def make_project(root: Path, dumps: dict[str, str | bytes] | None = None,
                 bundled: bool = False) -> Path:
    """A project folder like a fresh clone: mkdocs.yml, tags.yml, docs/assets, overrides/, dumps/."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "tags.yml"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "docs" / "assets", root / "docs" / "assets", dirs_exist_ok=True)
    shutil.copytree(ROOT / "overrides", root / "overrides", dirs_exist_ok=True)  # theme.custom_dir
    if bundled:
        shutil.copytree(BUNDLED_DUMPS, root / "dumps", dirs_exist_ok=True)
    (root / "dumps").mkdir(exist_ok=True)
    for name, content in (dumps or {}).items():
        path = root / "dumps" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def generate(project: Path, *extra: str) -> int:
    """Run the generator in-process on ``project``; return its exit status."""
    return main([
        "--dumps", str(project / "dumps"), "--docs", str(project / "docs"),
        "--config", str(project / "mkdocs.yml"), "--quiet", *extra,
    ])


def mkdocs_build(project: Path) -> Path:
    """A real ``mkdocs build --strict``; fail the test with MkDocs' output if it fails."""
    # PYTHONPATH: the plugins of this tree, not those of wherever the package is installed.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=project, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
    return project / "site"


def search_records(site: Path) -> dict[str, dict]:
    """What the search box searches in a built site: Pagefind's record of each
    page (url, content, meta), by URL (generator/search_index.py)."""
    records = {}
    for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        record = json.loads(data)
        records[record["url"]] = record
    return records


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    """The site built from the bundled dumps, once per test session."""
    project = make_project(tmp_path_factory.mktemp("bundled"), bundled=True)
    assert generate(project) == 0
    mkdocs_build(project)
    return project


@pytest.fixture(scope="session")
def large_site(tmp_path_factory) -> Path:
    """A site configured as a large one, once per test session: 300 synthetic
    papers and the hostile dump, with the paper-list limit lowered so that
    "All papers" is split by first character."""
    project = make_project(tmp_path_factory.mktemp("large"), dumps={
        "hostile.txt": (FIXTURES / "hostile.txt").read_bytes(),
    })
    write_synthetic_dumps(project / "dumps", 300)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "PAPER_LIST_LIMIT", 100)
        assert generate(project) == 0
    mkdocs_build(project)
    return project
