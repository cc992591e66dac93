"""Command line: dumps -> parse -> corpus -> analysis -> render -> write."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import TypeVar

import yaml

from generator.analysis import analyse
from generator.config import load_config
from generator.corpus import build_corpus
from generator.errors import GeneratorError
from generator.parse import Dump, read_dump
from generator.plan import (MANIFEST_NAME, Plan, Published, make_plan, manifest_text,
                            parse_manifest, refusal)
from generator.related.lock import RelatedLock, RelatedLockError
from generator.related.lock import format_lock as format_related_lock
from generator.related.lock import parse_lock as parse_related_lock
from generator.render import is_paper_page, render_site
from generator.tags import LockError, TagLock, Vocabulary, VocabularyError, format_lock, parse_lock, parse_vocabulary
from generator.write import WriteReport, locked, write_pages

T = TypeVar("T")

DESCRIPTION = """\
Generate one Markdown page per paper from the dumps of paper listings, for
MkDocs to build into a searchable site. Nothing is written unless every dump
reads cleanly, so a bad dump never damages pages that were fine before.

Before writing, the run is planned against published.tsv (beside mkdocs.yml),
the committed record of the published papers: a run that would remove more
than 10% of them, or show another paper's text at a published URL, is
refused unless --allow-removals is given. The run then updates published.tsv;
commit it with the dumps.

example:
  python -m generator                      # dumps/*.txt -> docs/, published.tsv
  python -m generator --dry-run            # print the plan, write nothing
  python -m generator --check-manifest     # CI: fail if published.tsv is not up to date
  python -m generator --strict && mkdocs build --strict
"""


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dumps", type=Path, default=Path("dumps"),
                        help="folder of dump files, *.txt (default: %(default)s)")
    parser.add_argument("--docs", type=Path, default=Path("docs"),
                        help="MkDocs docs folder to write pages into (default: %(default)s)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                        help="mkdocs.yml whose extra.generator holds the settings "
                             "(default: %(default)s)")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings (such as a title cut off without its "
                             "abstract) as errors: write nothing, exit 1")
    parser.add_argument("--manifest", type=Path,
                        help="record of the published papers (default: published.tsv "
                             "beside the --config file)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print what would change and write nothing")
    parser.add_argument("--check-manifest", action="store_true",
                        help="write nothing; exit 1 if the manifest does not match the dumps "
                             "(a dump changed without its published.tsv)")
    parser.add_argument("--allow-removals", action="store_true",
                        help="carry out a run that removes more than 10%% of the published "
                             "papers or replaces a published abstract with unrelated text")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print only warnings, errors and the summary line")
    return parser.parse_args(argv)


class Progress:
    """Stage-by-stage progress on stderr, each stage with its time."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.started = time.perf_counter()

    def step(self, message: str) -> None:
        if not self.quiet:
            elapsed = time.perf_counter() - self.started
            print(f"[{elapsed:6.2f}s] {message}", file=sys.stderr, flush=True)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def dump_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise GeneratorError(f"{folder}: error: no such folder of dumps")
    files = sorted(path for path in folder.glob("*.txt") if not path.name.startswith("."))
    if not files:
        raise GeneratorError(f"{folder}: error: no dumps (*.txt files) in it")
    return files


def read_dumps(files: list[Path], progress: Progress | None = None) -> list[Dump]:
    """Read every dump, reporting every bad one before giving up."""
    dumps, errors = [], []
    for file in files:
        try:
            dump = read_dump(file)
        except GeneratorError as error:
            errors.append(str(error))
            continue
        dumps.append(dump)
        if progress:
            progress.step(f"  {dump.path}: {len(dump.entries)} papers, {dump.layout}, "
                          f"{dump.chrome} lines skipped as page chrome")
    if errors:
        raise GeneratorError("\n".join(errors + [f"error: {len(errors)} bad dump(s); nothing written"]))
    return dumps


def read_manifest(path: Path) -> dict[str, Published]:
    """The published papers; no manifest at all means none is published yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise GeneratorError(f"{path}: error: cannot read the manifest: {error}") from None
    return parse_manifest(text, str(path))


def describe_writes(report: WriteReport) -> str:
    counts = f"{report.written} written, {report.unchanged} unchanged, {report.removed} removed"
    papers = sum(map(is_paper_page, report.removed_files))
    if papers:
        counts += f" ({papers} papers removed: in no dump any more)"
    return counts if report.changed else f"{counts} (nothing changed)"


def read_vocabulary(path: Path) -> Vocabulary:
    """The tag vocabulary file; none at all means no changes to the tags."""
    if not path.is_file():
        return Vocabulary()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as error:
        raise VocabularyError(f"{path}: error: not a valid YAML tag vocabulary: {error}") from None
    return parse_vocabulary(data, str(path))


def read_lock(path: Path, parse: Callable[[str, str], T], empty: T, error: type[GeneratorError]) -> T:
    """A committed record (tags.lock, related.lock); none at all means nothing published yet."""
    if not path.is_file():
        return empty
    try:
        return parse(path.read_text(encoding="utf-8"), str(path))
    except (UnicodeDecodeError, OSError) as problem:
        raise error(f"{path}: error: cannot read it: {problem} (delete it to start afresh)") from None


def run(arguments: argparse.Namespace) -> str:
    """Run the pipeline; return the summary line."""
    progress = Progress(arguments.quiet)
    config = load_config(arguments.config)
    vocabulary = read_vocabulary(arguments.config.parent / config.tags_vocabulary)
    lock_path = arguments.config.parent / config.tags_lock
    tag_lock = read_lock(lock_path, parse_lock, TagLock(), LockError)
    related_lock_path = arguments.config.parent / config.related_lock
    related_lock = read_lock(related_lock_path, parse_related_lock, RelatedLock(), RelatedLockError)
    manifest_path = arguments.manifest or arguments.config.parent / MANIFEST_NAME
    files = dump_files(arguments.dumps)
    progress.step(f"Reading {len(files)} dumps from {arguments.dumps}/")
    dumps = read_dumps(files, progress)
    published = read_manifest(manifest_path)
    corpus = build_corpus(dumps, {slug: entry.signature for slug, entry in published.items()})
    warnings = [warning for dump in dumps for warning in dump.warnings] + list(corpus.warnings)
    for warning in warnings:
        print(warning, file=sys.stderr)
    if warnings and arguments.strict:
        raise GeneratorError(f"error: {len(warnings)} warning(s) and --strict; nothing written")
    plan = make_plan(published, corpus)
    manifest = manifest_text(corpus)
    if arguments.check_manifest or arguments.dry_run:
        return check_only(arguments, plan, manifest_path, manifest == _read_or_empty(manifest_path))
    if plan.risky and not arguments.allow_removals:
        raise refusal(plan)
    progress.step(f"Merged into {len(corpus.papers)} papers; {plan.describe()}; "
                  "finding related papers and tags")
    analysis = analyse(corpus, config, vocabulary, tag_lock, related_lock)
    progress.step("Rendering pages")
    if not config.site_url:
        progress.step("No site_url in mkdocs.yml: no RSS feed (its links must be absolute)")
    pages = render_site(corpus, analysis, config.site_url, config)
    records = {manifest_path: manifest, lock_path: format_lock(analysis.tag_lock),
               related_lock_path: format_related_lock(analysis.related_lock)}
    progress.step(f"Writing {len(pages)} pages to {arguments.docs}/, and {', '.join(map(str, records))}")
    report = write_pages(arguments.docs, pages, records)
    return (
        f"{len(dumps)} dumps, {len(corpus.papers)} papers "
        f"({corpus.duplicates_merged} duplicates merged); pages: {describe_writes(report)}; "
        f"{len(warnings)} warnings; {progress.elapsed:.1f} s"
    )


def _read_or_empty(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def check_only(arguments: argparse.Namespace, plan: Plan, manifest_path: Path,
               up_to_date: bool) -> str:
    """--dry-run and --check-manifest: the plan, and nothing written."""
    print("\n".join([plan.describe() + ":", *plan.details()]), file=sys.stderr)
    if arguments.check_manifest and not up_to_date:
        raise GeneratorError(
            f"{manifest_path}: error: does not match the dumps ({plan.describe()}). "
            "Run python -m generator and commit the updated manifest with the dumps")
    verdict = "refused without --allow-removals" if plan.risky else "would be carried out"
    return f"{plan.describe()}; {verdict}; nothing written"


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    try:
        writes = not (arguments.dry_run or arguments.check_manifest)
        with locked(arguments.docs) if writes else nullcontext():
            print(run(arguments))
    except GeneratorError as error:
        print(error, file=sys.stderr)
        return 1
    return 0
