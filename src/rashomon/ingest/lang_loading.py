"""The language identifier (``py3langid``) loaded fast: its model kept between runs by
:mod:`rashomon.derived`.

The package ships its model as an LZMA-compressed npz (4.5 MB, 68 MB unpacked); unpacking
it takes about 0.4 CPU s in every process. Here the first process reads it with the
package's own ``load_model``; the six things that returns (two arrays, the class list, the
transition table and row index as ``array.array``, the output list) are kept as ``.npy``
files, and later processes turn them back into the same values and build the
identifier exactly as ``LanguageIdentifier.from_model_file`` does (the transition table
and its row index as read-only views of the mapped file, indexed like the arrays).

An entry's key holds the sha256 of the model file and of the package modules that read it.
"""

from __future__ import annotations

from array import array

from ..derived import file_sha256, kept_arrays


def _dump(model: tuple) -> dict:
    import numpy as np

    ptc, pc, classes, nextmove, row, output = model
    if not (isinstance(nextmove, array) and isinstance(row, array) and isinstance(classes, list)
            and isinstance(output, list) and all(type(v) is int for v in output)
            and all(type(c) is str for c in classes)):
        raise TypeError("the language model is not in the shape this keeps")
    return {"ptc": np.asarray(ptc), "pc": np.asarray(pc), "classes": np.array(classes, dtype=str),
            "nextmove": np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
            "row": np.frombuffer(row, dtype=f"u{row.itemsize}"),
            "output": np.asarray(output, dtype=np.int64),
            "scalars": {"nextmove": nextmove.typecode, "row": row.typecode}}


def _to_view(values, typecode: str) -> memoryview:
    """The kept table as the package indexes it (``table[i]`` is a Python int, as from its
    ``array.array``), without copying it out of the mapped file: only the pages a text walks
    through are read (the transition table is 39 MB)."""
    view = memoryview(values).cast("B").cast(typecode)
    if view.itemsize != values.itemsize:
        raise ValueError("the kept table's item size changed")
    return view


def _restore(arrays: dict) -> tuple:
    scalars = arrays["scalars"]
    return (arrays["ptc"], arrays["pc"], arrays["classes"].tolist(),
            _to_view(arrays["nextmove"], scalars["nextmove"]), _to_view(arrays["row"], scalars["row"]),
            arrays["output"].tolist())


def load_identifier(norm_probs: bool = True):
    """``LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=...)``, its model read back
    from the derived cache when kept."""
    import numpy as np
    from py3langid import langid, modelio
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    path = MODEL_DIR / MODEL_FILE
    key = (file_sha256(path), file_sha256(langid.__file__), file_sha256(modelio.__file__))
    ptc, pc, classes, nextmove, row, output = kept_arrays(
        "langid-model", key, lambda: modelio.load_model(path), _dump, _restore)
    return LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove, output,
                              norm_probs=norm_probs, tk_row=row)
