"""The spaCy parse of a text is made once per process and is the parse the pipeline gives that text alone."""

from __future__ import annotations

from spacy.tokens import Doc

from concierge.needs import nlp


def _reading(doc: Doc) -> list[tuple[str, str, str, int, str]]:
    return [(t.text, t.tag_, t.dep_, t.head.i, t.lemma_) for t in doc]


def test_a_text_is_parsed_once_and_read_as_the_pipeline_reads_it_alone() -> None:
    texts = ["My husband is coeliac and I'm vegan", "Dinner in Lyon tomorrow for two", "the second one"]
    nlp.forget_parsed()
    together = nlp.parse(texts)
    again = nlp.parse([texts[2], texts[0], texts[2]])
    assert again[0] is together[2] and again[1] is together[0] and again[2] is together[2]  # kept, not re-parsed
    for text, doc in zip(texts, together, strict=True):
        assert _reading(doc) == _reading(nlp.pipeline()(text))  # a batch reads each text as it reads it alone
    assert nlp.cached_parses() == len(texts)


def test_forget_empties_the_parses_and_the_cache_stays_bounded() -> None:
    nlp.parse(["I am allergic to sesame"])
    nlp.forget_parsed()
    assert nlp.cached_parses() == 0
    nlp.parse([f"table for {n}" for n in range(nlp._PARSED_KEPT + 5)])
    assert nlp.cached_parses() == nlp._PARSED_KEPT
