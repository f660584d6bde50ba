"""Vectors inside a stored analysis's JSON: compact, and read back as floats.

The multilingual lede vector (``Analysis.embedding_ml``, 512 floats) is kept as base64 of
its float16 bytes (1.4 kB instead of ~5 kB of JSON digits; no schema change). float16 keeps
about three significant digits: cosines move by less than 1e-3, far below the grouping
thresholds' steps (0.01-0.02).
"""

from __future__ import annotations

import base64

import numpy as np

ML_KEY = "embedding_ml_f16"
"""The key the packed vector is stored under in the analysis JSON."""


def pack_vector(values) -> str | None:
    """base64 of the float16 bytes of ``values`` (None when empty)."""
    if values is None or len(values) == 0:
        return None
    return base64.b64encode(np.asarray(values, dtype="<f2").tobytes()).decode("ascii")


def unpack_vector(text: str | None) -> list[float]:
    """The floats :func:`pack_vector` packed ([] for None)."""
    if not text:
        return []
    return np.frombuffer(base64.b64decode(text), dtype="<f2").astype(np.float32).tolist()
