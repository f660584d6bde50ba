"""Derived model files, kept between runs: slow-to-read installed files in a form read fast.

Three installed model files are slow to read as shipped (``docs/bench/pipeline.md``,
"Start-up"): the multilingual encoder's SentencePiece vocabulary (parsed in pure Python,
about 0.6 CPU s), its weights (a compressed npz, about 0.3 s) and the language identifier's
LZMA-compressed model (about 0.5 s). The first process that needs one builds it the
package's own way and keeps what the package built here; later processes read that back
(:mod:`marshal` bytes, or ``.npy`` files mapped into memory read-only). Nothing is
downloaded: an entry is derived from files already installed (and, for the encoder, verified
against their pinned sha256).

An entry's key is the sha256 of its ``key_parts`` (the source file's sha256, the sha256 of
the package code that builds the object, this module's :data:`FORMAT` and the Python
version), so a new package, model file or Python gets a new entry and the old one of that
name is removed. A bytes entry carries the sha256 of its payload and is checked on reading;
an array entry is written to a temporary folder and renamed into place only when complete.

Where: ``RASHOMON_CACHE_DIR``, else ``$XDG_CACHE_HOME/rashomon``, else
``~/.cache/rashomon`` (about 150 MB). ``RASHOMON_CACHE_DIR=off`` keeps nothing: every
process builds, as before. A folder that cannot be written, or an entry that cannot be
read, falls back to building: the same objects, only slower.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ENV_CACHE_DIR = "RASHOMON_CACHE_DIR"
OFF = ("off", "0", "none")
"""Values of ``RASHOMON_CACHE_DIR`` that turn the cache off."""
FORMAT = "1"
"""Bumped whenever what an entry holds changes shape."""
MANIFEST = "manifest.json"

T = TypeVar("T")


def cache_root() -> Path | None:
    """The folder entries are kept in, or None when the cache is off."""
    value = os.environ.get(ENV_CACHE_DIR, "").strip()
    if value.lower() in OFF:
        return None
    if value:
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if base:
        return Path(base) / "rashomon"
    try:
        return Path.home() / ".cache" / "rashomon"
    except RuntimeError:  # no home folder to be found: keep nothing
        return None


def file_sha256(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def entry_key(key_parts: tuple[str, ...]) -> str:
    """The first 24 hex digits of the sha256 over the parts, the format and the Python version."""
    joined = "\0".join((FORMAT, f"{sys.version_info[0]}.{sys.version_info[1]}", *key_parts))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24]


def _entry(name: str, key_parts: tuple[str, ...], suffix: str) -> Path | None:
    root = cache_root()
    return None if root is None else root / f"{name}-{entry_key(key_parts)}{suffix}"


def _drop_older(entry: Path, name: str) -> None:
    """Remove the other entries of ``name`` (an older package or format): one is kept per name."""
    for other in entry.parent.glob(f"{name}-*"):
        if other != entry and not other.name.startswith("."):
            if other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
            else:
                other.unlink(missing_ok=True)


# -- bytes entries ---------------------------------------------------------------------------

def _read_bytes(entry: Path) -> bytes | None:
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    digest, payload = data[:32], data[32:]
    return payload if len(digest) == 32 and hashlib.sha256(payload).digest() == digest else None


def _write_bytes(entry: Path, name: str, payload: bytes) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=entry.parent, prefix=f".{name}-", delete=False)
        try:
            with handle:
                handle.write(hashlib.sha256(payload).digest())
                handle.write(payload)
            os.replace(handle.name, entry)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
        _drop_older(entry, name)
    except OSError:
        pass  # a folder that cannot be written: the next process builds again


def _kept(entry: Path | None, read, write, build: Callable[[], T], dump, restore) -> T:
    """``restore(read(entry))`` of a kept entry; else ``build()``, kept as ``write(entry, dump(built))``.
    A ``dump`` that raises ``TypeError``/``ValueError`` (an object it cannot hold) keeps nothing."""
    if entry is not None:
        kept = read(entry)
        if kept is not None:
            try:
                return restore(kept)
            except (ValueError, TypeError, EOFError, KeyError):
                pass  # unreadable: built and written again below
    built = build()
    if entry is not None:
        try:
            payload = dump(built)
        except (TypeError, ValueError):
            return built
        write(entry, payload)
    return built


def kept_bytes(name: str, key_parts: tuple[str, ...], build: Callable[[], T],
               dump: Callable[[T], bytes], restore: Callable[[bytes], T]) -> T:
    """The object kept under ``name`` (a checked bytes entry), or built and kept: see :func:`_kept`."""
    return _kept(_entry(name, key_parts, ".bin"), _read_bytes,
                 lambda entry, payload: _write_bytes(entry, name, payload), build, dump, restore)


# -- array entries ---------------------------------------------------------------------------

def _read_arrays(entry: Path) -> dict | None:
    import numpy as np

    try:
        manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        out: dict = {"scalars": manifest["scalars"]}
        for key, (dtype, shape) in manifest["arrays"].items():
            array = np.load(entry / f"{key}.npy", mmap_mode="r", allow_pickle=False)
            if array.dtype.str != dtype or list(array.shape) != shape:
                return None
            out[key] = array.view(np.ndarray)  # a plain read-only array over the mapped file
        return out
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_arrays(entry: Path, name: str, arrays: dict) -> None:
    import numpy as np

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(dir=entry.parent, prefix=f".{name}-"))
        try:
            manifest = {"scalars": arrays.get("scalars", {}), "arrays": {}}
            for key, array in arrays.items():
                if key == "scalars":
                    continue
                array = np.ascontiguousarray(array)
                np.save(folder / f"{key}.npy", array, allow_pickle=False)
                manifest["arrays"][key] = [array.dtype.str, list(array.shape)]
            (folder / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
            try:
                os.rename(folder, entry)
            except OSError:
                if not (entry / MANIFEST).is_file():  # not another process's complete entry
                    raise
        finally:
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
        _drop_older(entry, name)
    except OSError:
        pass  # a folder that cannot be written: the next process builds again


def kept_arrays(name: str, key_parts: tuple[str, ...], build: Callable[[], T],
                dump: Callable[[T], dict], restore: Callable[[dict], T]) -> T:
    """Like :func:`kept_bytes`, the entry a folder of ``.npy`` files (mapped, read-only) and a
    manifest: ``dump`` returns names to arrays plus ``"scalars"`` (JSON values)."""
    return _kept(_entry(name, key_parts, ""), _read_arrays,
                 lambda entry, arrays: _write_arrays(entry, name, arrays), build, dump, restore)
