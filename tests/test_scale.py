"""The Ray engine: the same briefs, byte for byte, as the local engine, on a local Ray cluster."""

from __future__ import annotations

import builtins
import json

import pytest

from rashomon import Store, build_briefs
from rashomon.errors import ModelMissing
from rashomon.render.jsonout import briefs_document, dumps
from tests.conftest import EVAL, need


@pytest.fixture(scope="module")
def engine():
    import os

    if not os.environ.get("CI"):
        pytest.importorskip("ray", reason="Ray is an extra: pip install 'rashomon[scale]'")
    from rashomon.scale.ray_engine import RayEngine

    eng = RayEngine(cpus=2)
    yield eng
    eng.ray.shutdown()


def test_a_missing_ray_says_how_to_install_it(monkeypatch):
    from rashomon.scale import ray_engine

    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray":
            raise ImportError("No module named 'ray'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    with pytest.raises(ModelMissing, match=r"rashomon\[scale\]"):
        ray_engine.require_ray()


def test_address_without_the_ray_engine_is_refused_before_any_work(tmp_path):
    from typer.testing import CliRunner

    from rashomon.cli import app

    result = CliRunner().invoke(app, ["brief", str(tmp_path), "--address", "ray://x:1"])
    assert result.exit_code == 2 and "--engine ray" in result.output


def test_the_seeds_briefed_on_ray_are_byte_identical(engine, seed_document, seeds_dir):
    result = build_briefs([str(seeds_dir)], Store(":memory:"), engine=engine)
    assert dumps(briefs_document(result.briefs, result.rejected)) == dumps(seed_document)


@pytest.mark.slow
def test_a_dev_set_in_many_partitions_is_byte_identical(engine, tmp_path, monkeypatch):
    """Brief gold's 50 articles in partitions of 16: results come back in order, stories match."""
    from rashomon.scale import ray_engine

    records = need(EVAL / "briefgold" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    inputs = tmp_path / "dev.jsonl"
    inputs.write_text("\n".join(json.dumps({k: v for k, v in json.loads(r).items() if k != "story"})
                                for r in records if r.strip()) + "\n", encoding="utf-8")
    local = build_briefs([str(inputs)], Store(":memory:"))
    monkeypatch.setattr(ray_engine, "PARTITION", 16)
    on_ray = build_briefs([str(inputs)], Store(tmp_path / "ray.db"), engine=engine)
    assert len(on_ray.briefs) > 5
    assert dumps(briefs_document(on_ray.briefs, on_ray.rejected)) == dumps(briefs_document(local.briefs, local.rejected))
