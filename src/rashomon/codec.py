"""Records ↔ JSON-ready dicts, driven by the dataclasses' type hints.

Used by the store (every stage's output is kept as JSON) and by the renderers. Tuples
become lists and come back as tuples; nested records are rebuilt from their hints.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import lru_cache
from typing import Any, get_args, get_origin


_SCALARS = (str, int, float, bool, type(None))


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...] | None:
    """The fields of a record class, or None for any other type."""
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls))
    return None


def to_data(obj: Any) -> Any:
    """A JSON-ready copy of a record (dataclass), tuple, list, dict or scalar."""
    cls = type(obj)
    if cls in _SCALARS:
        return obj
    names = _field_names(cls)
    if names is not None:
        return {name: to_data(getattr(obj, name)) for name in names}
    if isinstance(obj, (list, tuple)):
        return [to_data(x) for x in obj]
    if isinstance(obj, dict):
        return {(k if isinstance(k, str) else "\u241f".join(k)): to_data(v) for k, v in obj.items()}
    if hasattr(obj, "tolist"):  # numpy arrays and scalars
        return obj.tolist()
    return obj


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(cls: Any, data: Any) -> Any:
    """Rebuild a value of type ``cls`` from :func:`to_data`'s output."""
    if data is None:
        return None
    origin = get_origin(cls)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(cls) if a is not type(None)]
        for option in options:
            if dataclasses.is_dataclass(option) and isinstance(data, dict):
                return from_data(option, data)
        return from_data(options[0], data) if len(options) == 1 else data
    if origin is typing.Literal:
        return data
    if origin is tuple:
        args = get_args(cls)
        inner = args[0] if args else Any
        return tuple(from_data(inner, x) for x in data)
    if origin is list:
        (inner,) = get_args(cls) or (Any,)
        return [from_data(inner, x) for x in data]
    if origin is dict:
        key_type, value_type = get_args(cls) or (Any, Any)
        out = {}
        for k, v in data.items():
            key = tuple(k.split("\u241f")) if get_origin(key_type) is tuple else k
            out[key] = from_data(value_type, v)
        return out
    if dataclasses.is_dataclass(cls):
        hints = _hints(cls)
        kwargs = {f.name: from_data(hints[f.name], data[f.name]) for f in dataclasses.fields(cls) if f.name in data}
        return cls(**kwargs)
    return data
