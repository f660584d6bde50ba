"""Light and fast: briefs written one story at a time, same bytes; lazy start-up."""

from __future__ import annotations

import io

import pytest

from rashomon.model import Rejected
from rashomon.render.jsonout import briefs_document, dumps, write_briefs_document



@pytest.fixture(scope="module")
def demo_result():
    """The bundled demo corpus (invented; two stories)."""
    from rashomon import Store, build_briefs
    from rashomon.demo import demo_paths

    return build_briefs(demo_paths(), Store(":memory:"))


def _streamed(briefs, rejected) -> str:
    out = io.StringIO()
    write_briefs_document(out.write, iter(briefs), rejected)
    return out.getvalue()


def test_the_streamed_document_is_byte_identical_to_the_whole_one(demo_result):
    assert len(demo_result.briefs) > 1
    assert _streamed(demo_result.briefs, demo_result.rejected) == dumps(briefs_document(demo_result.briefs,
                                                                                      demo_result.rejected))


def test_the_streamed_document_with_one_story_and_a_rejection(demo_result):
    rejected = [Rejected("x.txt", "no text\nat all")]
    one = demo_result.briefs[:1]
    assert _streamed(one, rejected) == dumps(briefs_document(one, rejected))


def test_the_streamed_document_with_no_story():
    rejected = [Rejected("a.pdf", "not an article")]
    assert _streamed([], rejected) == dumps(briefs_document([], rejected))
    assert _streamed([], []) == dumps(briefs_document([], []))


def test_briefs_come_out_largest_story_first_as_before(demo_result):
    sizes = [(-len(b.articles), b.id) for b in demo_result.briefs]
    assert sizes == sorted(sizes)


def test_help_loads_no_model_and_no_numpy():
    from tests.conftest import imported_modules

    code = "from rashomon.cli import app; import rashomon"
    assert imported_modules(code, ("numpy", "spacy", "onnxruntime", "torch", "rashomon.pipeline")) == []


def test_the_public_api_still_answers_every_name():
    import rashomon

    for name in rashomon.__all__:
        assert getattr(rashomon, name) is not None
    assert callable(rashomon.ingest) and callable(rashomon.build_briefs)
