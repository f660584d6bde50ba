"""Shared fixtures. Data under ../shared is read at run time, never copied here."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EVAL = SHARED / "eval"
SCHEMA = SHARED / "brief.schema.json"


def need(path: Path) -> Path:
    """The shared path; where it is missing, skip the test with a message saying what is missing
    — or, under CI (``CI`` set), fail it: CI always has ../shared, so a skip there would hide a test."""
    if not path.exists():
        message = f"{path} is absent: these tests read the shared data beside the checkout (../shared)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must provide it", pytrace=False)
        pytest.skip(message)
    return path


def seed_file(prefix: str) -> Path:
    """The seed article whose file name starts with ``prefix`` ("000", "003", ...)."""
    matches = sorted(need(SEEDS).glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"no seed {prefix}_*.txt in {SEEDS}")
    return matches[0]


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return need(SEEDS)


@pytest.fixture(scope="session")
def schema() -> dict:
    return json.loads(need(SCHEMA).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_result(seeds_dir):
    """The seeds briefed once per test session (the slow part: spaCy + embeddings)."""
    from rashomon import Store, build_briefs
    from rashomon.pipeline import quiet_libraries

    quiet_libraries()
    return build_briefs([str(seeds_dir)], Store(":memory:"))


@pytest.fixture(scope="session")
def seed_document(seed_result) -> dict:
    from rashomon.render.jsonout import briefs_document

    return briefs_document(seed_result.briefs, seed_result.rejected)


@pytest.fixture(scope="session")
def seed_brief(seed_result):
    """The brief of the seeds' story (the one holding most seed articles)."""
    return max(seed_result.briefs, key=lambda b: len(b.articles))


def all_spans(node):
    """Every span object ({article, start, end, text}) anywhere in a JSON document."""
    if isinstance(node, dict):
        if {"article", "start", "end", "text"} <= node.keys():
            yield node
        for value in node.values():
            yield from all_spans(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_spans(value)


def article_by_prefix(brief, prefix: str):
    for article in brief.articles:
        if Path(article.source).name.startswith(prefix):
            return article
    raise AssertionError(f"no article from a file {prefix}_* in the brief")


def imported_modules(code: str, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` are in ``sys.modules`` after ``code`` runs in a fresh interpreter
    (start-up and dependency checks: what a command loads, not what the test process has)."""
    import subprocess
    import sys

    probe = f"import sys\n{code}\nprint(sorted(m for m in {names!r} if m in sys.modules))"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    return eval(out.stdout.strip())  # a printed list of module names
