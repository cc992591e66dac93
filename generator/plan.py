"""What a run would change on the published site, decided before any write.

The record of what is published is the *manifest*, ``published.tsv`` beside
``mkdocs.yml``: one line per published paper, sorted by slug, with the hash
of its abstract and the abstract's similarity signature (``signature.py``).
The generator rewrites it with the pages and the user commits it with the
dumps, like a lock file; a fresh clone (CI) has no pages but has it. No
manifest means nothing is published yet.

A run that would remove more than ``MAX_REMOVED_SHARE`` of the published
papers, or show unrelated text at a published URL, is refused unless the
user allows it: such runs come from a wrongly copied dump far more often
than from an intended change.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.corpus import Corpus, Paper
from generator.errors import GeneratorError
from generator.signature import SIGNATURE_SIZE, signature, similar, text_hash

MANIFEST_NAME = "published.tsv"
MANIFEST_HEADER = ("# Published papers: slug, abstract hash, abstract signature. Written by "
                   "python -m generator; commit it with the dumps.")
MAX_REMOVED_SHARE = 0.10
EXAMPLES = 5


@dataclass(frozen=True)
class Published:
    slug: str
    text_hash: str
    signature: bytes


def parse_manifest(text: str, path: str) -> dict[str, Published]:
    """The manifest's papers by slug; a malformed line is an error naming it."""
    published = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        try:
            slug, hashed, hex_signature = fields
            mark = bytes.fromhex(hex_signature)
            if len(mark) != SIGNATURE_SIZE:
                raise ValueError
        except ValueError:
            raise GeneratorError(f"{path}:{number}: error: not a manifest line (slug, hash, "
                                 "signature); restore the file from git") from None
        published[slug] = Published(slug, hashed, mark)
    return published


def manifest_entry(paper: Paper) -> Published:
    return Published(paper.slug, text_hash(paper.abstract), signature(paper.abstract))


def manifest_text(corpus: Corpus) -> str:
    lines = [MANIFEST_HEADER] + [
        f"{entry.slug}\t{entry.text_hash}\t{entry.signature.hex()}"
        for entry in map(manifest_entry, corpus.papers)
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Plan:
    new: tuple[str, ...]
    changed: tuple[str, ...]
    """Published papers whose abstract changes by a small edit."""
    replaced: tuple[str, ...]
    """Published URLs whose abstract would become unrelated text."""
    removed: tuple[str, ...]
    published: int

    @property
    def too_many_removed(self) -> bool:
        return len(self.removed) > MAX_REMOVED_SHARE * self.published

    @property
    def risky(self) -> bool:
        return self.too_many_removed or bool(self.replaced)

    def describe(self) -> str:
        return (f"plan against {self.published} published papers: {len(self.new)} new, "
                f"{len(self.changed)} edited, {len(self.replaced)} replaced by unrelated text, "
                f"{len(self.removed)} removed")

    def details(self) -> list[str]:
        lines = []
        for label, slugs in (("new", self.new), ("edited", self.changed),
                             ("replaced by unrelated text", self.replaced),
                             ("removed", self.removed)):
            lines += [f"  {label}: papers/{slug}/" for slug in slugs[:EXAMPLES]]
            if len(slugs) > EXAMPLES:
                lines.append(f"  {label}: ... and {len(slugs) - EXAMPLES} more")
        return lines


def make_plan(published: dict[str, Published], corpus: Corpus) -> Plan:
    now = {paper.slug: manifest_entry(paper) for paper in corpus.papers}
    edited = [slug for slug in sorted(now.keys() & published.keys())
              if now[slug].text_hash != published[slug].text_hash]
    return Plan(
        new=tuple(sorted(now.keys() - published.keys())),
        changed=tuple(s for s in edited if similar(now[s].signature, published[s].signature)),
        replaced=tuple(s for s in edited if not similar(now[s].signature, published[s].signature)),
        removed=tuple(sorted(published.keys() - now.keys())),
        published=len(published),
    )


def refusal(plan: Plan) -> GeneratorError:
    """Why a risky plan is not carried out, with examples and the way past it."""
    reasons = []
    if plan.too_many_removed:
        reasons.append(f"it would remove {len(plan.removed)} of {plan.published} published "
                       f"papers (more than {MAX_REMOVED_SHARE:.0%})")
    if plan.replaced:
        reasons.append(f"it would replace the abstract of {len(plan.replaced)} published "
                       "paper(s) with unrelated text")
    return GeneratorError("\n".join([
        plan.describe() + ":", *plan.details(),
        f"error: refused: {' and '.join(reasons)}. Was a dump deleted, renamed or copied "
        "wrongly? Nothing written; if this is intended, run again with --allow-removals"]))
