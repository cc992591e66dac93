"""Helpers for the map, find-similar and neighbourhood browser tests."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page

PAPER = "diffusionpid-interpreting-diffusion-via-partial-information-decomposition"
PAPER_TITLE = "DiffusionPID: Interpreting Diffusion via Partial Information Decomposition"


def api_papers(project: Path) -> dict[str, dict]:
    """The built site's api/papers.json, by slug: what the generator decided."""
    document = json.loads((project / "site" / "api" / "papers.json").read_text("utf-8"))
    return {record["slug"]: record for record in document["papers"]}


def record_problems(page: Page) -> list[str]:
    """Script errors and failed requests on ``page`` from now on."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda message: problems.append(f"console: {message.text}")
            if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    return problems


def record_requests(page: Page) -> list[str]:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    return requested
