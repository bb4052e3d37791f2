"""Extraction faithfulness: what the offline model stores from realistic chat messages, against what it should.

    .venv/bin/python -m bench.extraction_faithfulness [--corpus data/extraction/corpus.yaml] [--details]

Each message of the corpus (data/extraction/corpus.yaml) names the facts worth storing as typed
expectations (whose fact, which attribute, value keywords), never exact wording. A stored fact counts
for an expectation when it is about the same person ("User" / "User's husband" / "User's daughter Emma")
and contains every keyword. Reported:

- precision: stored facts that meet some expectation / stored facts;
- recall: expectations met / expectations (also per attribute and per speaker style);
- drop accuracy: messages handled right on "store something or nothing" (questions, requests, greetings,
  moods and filler must store nothing; statements must store something);
- raw_boundary_drops: statements the storage boundary's excludes (small talk) would drop when the raw
  message is stored with ``infer=False``;
- words kept vs raw, and wording contract breaks (a fact not starting with "User" or with the name of the person
  it is about, first-person words).

Time is frozen to the corpus's ``said_on`` so relative time is anchored the same way every run. The
script uses only ``extract_facts(message, classifier)``, so it also runs against an older checkout.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.common import emit, isolated_data_dir

_FIRST_PERSON = re.compile(r"\b(?:I|me|my|we|our|us|I'm|I've)\b")


def holders(fact: str, companions: frozenset[str]) -> set[str]:
    """Who a stored fact is about, by every name it gives ("User's daughter Emma" -> daughter, emma; "User's best
    friend Lucia" -> friend, lucia); "User's budget", "User's dog Max" are the user's own (a companion is a
    person word of the needs vocabulary, after at most one describing word: "elderly father")."""
    words = fact.split()
    if fact.startswith("User's "):
        spelled = [w.lower().replace("-", " ").strip(",.") for w in words[1:5]]
        for start in (0, 1):
            for size in (2, 1):
                if " ".join(spelled[start : start + size]) in companions:
                    after = words[1 + start + size : 2 + start + size]
                    name = after[0].strip(",.").lower() if after and after[0][:1].isupper() else None
                    shared = re.match(r"^User's (?:[\w-]+ ){1,2}and User\b", fact) is not None  # "wife and User"
                    return {
                        words[1 + start].lower().strip(",."),
                        *([name] if name else []),
                        *(["user"] if shared else []),
                    }
        return {"user"}
    if fact.startswith("User"):
        return {"user"}
    return {words[0].lower()} if words else set()


def _named(fact: str) -> bool:
    """A named person's own fact ("Raj is vegan now"): it starts with the name the needs detector reads as theirs."""
    from concierge.needs import detect_needs

    first = fact.split(maxsplit=1)[0] if fact.strip() else ""
    return any(need.holder == first for need in detect_needs(fact)) and first[:1].isupper()


def companion_words() -> frozenset[str]:
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for

    return frozenset(" ".join(words) for words in lexicon_for(load_vocabulary()).cues["companions"])


def meets(fact: str, expected: list[Any], companions: frozenset[str] = frozenset()) -> bool:
    who, _about, keywords = expected
    text = fact.casefold()
    return str(who).lower() in holders(fact, companions) and all(str(k).casefold() in text for k in keywords)


def score(corpus: dict[str, Any], extract: Any) -> dict[str, Any]:
    messages = corpus["messages"]
    people = companion_words()
    stored_total = stored_met = expected_total = expected_met = 0
    drop_right = 0
    words_raw = words_kept = 0
    contract_breaks: list[str] = []
    by_about: dict[str, Counter[str]] = defaultdict(Counter)
    by_style: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[dict[str, Any]] = []
    for item in messages:
        said, expected = item["say"], item["facts"]
        facts = extract(said)
        words_raw += len(said.split())
        words_kept += sum(len(f.split()) for f in facts)
        drop_right += int(bool(facts) == bool(expected))
        stored_total += len(facts)
        unmatched_facts = [f for f in facts if not any(meets(f, e, people) for e in expected)]
        stored_met += len(facts) - len(unmatched_facts)
        missed = [e for e in expected if not any(meets(f, e, people) for f in facts)]
        expected_total += len(expected)
        expected_met += len(expected) - len(missed)
        for e in expected:
            by_about[e[1]]["expected"] += 1
            by_about[e[1]]["met"] += int(e not in missed)
            by_style[item.get("style", "?")]["expected"] += 1
            by_style[item.get("style", "?")]["met"] += int(e not in missed)
        contract_breaks += [f for f in facts if not (f.startswith("User") or _named(f)) or _FIRST_PERSON.search(f)]
        if missed or unmatched_facts:
            misses.append({"say": said, "stored": facts, "missed": missed, "unexpected": unmatched_facts})

    def ratio(a: int, b: int) -> float:
        return round(a / b, 3) if b else 0.0

    return {
        "messages": len(messages),
        "messages_with_facts": sum(1 for m in messages if m["facts"]),
        "expected_facts": expected_total,
        "stored_facts": stored_total,
        "precision": ratio(stored_met, stored_total),
        "recall": ratio(expected_met, expected_total),
        "drop_accuracy": ratio(drop_right, len(messages)),
        "words_raw": words_raw,
        "words_kept": words_kept,
        "words_kept_vs_raw": ratio(words_kept, words_raw),
        "contract_breaks": len(contract_breaks),
        "recall_by_attribute": {k: ratio(v["met"], v["expected"]) for k, v in sorted(by_about.items())},
        "recall_by_style": {k: ratio(v["met"], v["expected"]) for k, v in sorted(by_style.items())},
        "_misses": misses,
        "_contract_breaks": contract_breaks,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--details", action="store_true", help="also list every miss and unexpected fact")
    args = parser.parse_args()
    isolated_data_dir("extraction")

    import freezegun
    import pydantic.v1  # noqa: F401 - spaCy imports it lazily; its date subclasses cannot be defined under freeze_time
    import srsly  # noqa: F401 - spaCy's msgpack checks datetime's C size at import: wrong under freeze_time

    from concierge.llm.factory import states_a_fact
    from concierge.memory.categories import CategoryClassifier
    from concierge.offline.extraction import extract_facts
    from concierge.runtime_env import PROJECT_ROOT
    from concierge.safe_yaml import load as load_yaml
    from concierge.settings import load_settings

    freezegun.configure(extend_ignore_list=["transformers", "torch", "sklearn", "scipy", "pandas", "pyarrow"])
    corpus_path = args.corpus or PROJECT_ROOT / "data" / "extraction" / "corpus.yaml"
    corpus = load_yaml(corpus_path.read_text(encoding="utf-8"))
    for message in corpus["messages"]:  # YAML reads 2026-12-07 as a date and 2025 as a number: keywords are text
        message["facts"] = [[str(who), str(about), [str(k) for k in words]] for who, about, words in message["facts"]]
    classifier = CategoryClassifier(load_settings().policy, states_a_fact=states_a_fact)
    with freezegun.freeze_time(str(corpus["said_on"])):
        result = score(corpus, lambda text: extract_facts(text, classifier))
        statements = [m["say"] for m in corpus["messages"] if m["facts"]]
        raw_dropped = [s for s in statements if not classifier.classify(s).keep]
    result["raw_boundary_drops"] = round(len(raw_dropped) / len(statements), 3)
    result["corpus"] = str(corpus_path)
    if args.details:
        result["raw_boundary_dropped"] = raw_dropped
    else:
        result.pop("_misses")
        result.pop("_contract_breaks")
    emit(result)


if __name__ == "__main__":
    main()
