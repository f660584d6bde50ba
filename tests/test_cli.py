"""The command line: demo, brief, analyze, ingest; errors and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rashomon.cli import app

from .conftest import ROOT

runner = CliRunner()


def test_demo_writes_html_markdown_and_json(tmp_path):
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo"), "--quiet"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "demo" / "index.html").read_text(encoding="utf-8")
    assert "Tarrow" in html and "Ravensholm" in html
    assert len(list((tmp_path / "demo").glob("*.json"))) >= 2
    assert "Open " in result.output


def test_demo_corpus_groups_into_the_event_and_the_unrelated_article(tmp_path):
    from rashomon import Store, build_briefs
    from rashomon.demo import demo_paths

    result = build_briefs(demo_paths(), Store(":memory:"))
    sizes = sorted(len(b.articles) for b in result.briefs)
    russian = [a for b in result.briefs for a in b.articles if a.source.endswith("06_kessel_vestnik.txt")]
    # the Russian report's language is identified, and it joins the event (cross-lingual grouping)
    assert russian[0].language == "ru" and russian[0].language_basis.startswith("detected")
    assert sizes == [1, 5], sizes


def test_seeds_with_the_demo_still_form_their_own_story(seeds_dir):
    from rashomon import Store, build_briefs
    from rashomon.demo import demo_paths

    result = build_briefs([str(seeds_dir), *demo_paths()], Store(":memory:"))
    seed_story = [b for b in result.briefs if any("seeds" in a.source for a in b.articles)]
    assert len(seed_story) == 1, [len(b.articles) for b in seed_story]
    assert all("seeds" in a.source for a in seed_story[0].articles) and len(seed_story[0].articles) == 5


def test_brief_json_on_stdout_and_rejected_inputs(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    good = tmp_path / "good.txt"
    good.write_text("Bridge reopens\nThe Tarrow Bridge reopened to traffic on Monday after repairs, officials said.\n")
    result = runner.invoke(app, ["brief", str(tmp_path), "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["format"] == "rashomon.briefs/1" and len(document["stories"]) == 1
    assert [r["source"].endswith("empty.txt") for r in document["rejected"]] == [True]


def test_nothing_readable_exits_non_zero(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(app, ["brief", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1
    assert "empty file" in result.stderr


def test_a_missing_path_is_named(tmp_path):
    result = runner.invoke(app, ["brief", str(tmp_path / "missing-folder")])
    assert result.exit_code == 2 and "missing-folder" in result.stderr and "no such file" in result.stderr


def test_analyze_prints_one_analysis_per_article(schema):
    from rashomon.demo import demo_paths

    jsonschema = pytest.importorskip("jsonschema")
    result = runner.invoke(app, ["analyze", *demo_paths()[:2], "--format", "jsonl", "--quiet"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    for doc in lines:
        jsonschema.validate(doc, schema)
        for span in [e["span"] for e in doc["entities"]] + [q["span"] for q in doc["quotes"]]:
            assert doc["article"]["text"][span["start"]:span["end"]] == span["text"]


def test_ingest_then_brief_from_the_store(tmp_path):
    from rashomon.demo import demo_paths

    db = str(tmp_path / "news.db")
    first = runner.invoke(app, ["ingest", *demo_paths(), "--db", db, "--quiet"])
    assert first.exit_code == 0, first.output
    assert "6 new" in first.stderr
    again = runner.invoke(app, ["ingest", *demo_paths(), "--db", db, "--quiet"])
    assert "0 new" in again.stderr and "holds 6 articles" in again.stderr
    result = runner.invoke(app, ["brief", "--db", db, "--format", "md", "--quiet"])
    assert result.exit_code == 0, result.output
    # the Russian report joins the event where its language is identified, else it is a story alone
    identified = " · ru · analysed for grouping and quotes only" in result.stdout
    assert result.stdout.count("\n# ") + result.stdout.startswith("# ") == (2 if identified else 3)


def test_every_command_and_option_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"rashomon {name}" in readme, f"README does not document `rashomon {name}`"
    for option in set(re.findall(r'"(--[a-z-]+)"', (ROOT / "src" / "rashomon" / "cli.py").read_text())):
        assert option in readme, f"README does not document {option}"


def test_every_help_has_an_example():
    for command in app.registered_commands:
        assert "Example: rashomon" in (command.callback.__doc__ or ""), command.callback.__name__
