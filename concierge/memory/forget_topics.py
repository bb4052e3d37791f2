"""The topic of a user's life a forget request names, and the topic a memory states (``config/forget_topics.yaml``).

Why: "forget my travel dates" shares no word with "User is flying to Paris on the 12th", nor "wipe the info about
my job" with "User is a nurse"; a list of words per topic missed such paraphrases. Both sides are read by example
(``concierge.by_example``): the request against how requests name each topic, the memory against how memories
state it (places said as one stand-in); its words decide first ("User moved to Lyon" states the home,
``named_attributes``) and its parse last ("User is Jake" states the name, ``stated_attributes``). A memory that states a
need is of no topic here: a need goes only when the request names it. ``concierge.memory.forgetting`` counts the
request's words that only name the topic ("travel", "dates") as said by a memory of that topic; the request's
other words ("Tokyo" in "my Tokyo trip") must still be said by the memory.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from concierge import safe_yaml
from concierge.by_example import Examples, examples
from concierge.errors import ConfigError

TOPICS_FILE = "forget_topics.yaml"


class _Topic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    named: list[str] = Field(min_length=2)
    stated: list[str] = Field(min_length=2)


class _TopicsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_score: float = Field(ge=0, le=1)
    margin: float = Field(ge=0, le=1)
    topics: dict[str, _Topic] = Field(min_length=2)


@functools.cache
def _spec() -> tuple[_TopicsFile, Path]:
    from concierge.needs.vocabulary import default_config_dir

    path = default_config_dir() / TOPICS_FILE
    try:
        return _TopicsFile.model_validate(safe_yaml.load(path.read_text(encoding="utf-8"))), path
    except FileNotFoundError as exc:
        raise ConfigError("CONCIERGE_CONFIG_DIR", str(path.parent), f"a folder holding {TOPICS_FILE}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(TOPICS_FILE, "unparseable YAML", f"valid YAML ({exc})") from exc
    except ValidationError as exc:
        key = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "file"
        raise ConfigError(
            f"{TOPICS_FILE}: {key}", exc.errors()[0]["msg"], "topics with named and stated examples"
        ) from exc


def _examples(side: str, cache_dir: Path | None = None) -> Examples:
    spec, path = _spec()
    said = {name: getattr(topic, side) for name, topic in spec.topics.items()}
    if side == "stated":  # a memory is told by what it says, not by where ("User lives in Lisbon" is no trip)
        from concierge.request.place_mask import framed

        said = {name: [framed(text) for text in texts] for name, texts in said.items()}
    return examples(path, said, f"forget-topics-{side}.npz", cache_dir)


def embed_examples(cache_dir: Path) -> None:
    """Embed both sides' examples into ``cache_dir`` (the shipped seed of vectors)."""
    for side in ("named", "stated"):
        _examples(side, cache_dir)


@functools.lru_cache(maxsize=256)
def named_topic(target: str) -> str | None:
    """The topic a forget request's target names ("my travel dates" -> "travel"), or None when unsure."""
    spec, _ = _spec()
    return _examples("named").read(target, spec.min_score, spec.margin)


@functools.lru_cache(maxsize=512)
def stated_topic(memory: str) -> str | None:
    """The topic a memory states ("User is flying to Paris on the 12th" -> "travel"); None for a need or when
    unsure. The parse decides first: "User is Jake" states the name, "User is a nurse" the job."""
    from concierge.memory.forgetting import named_attributes, stated_attributes
    from concierge.needs.current import states_needs
    from concierge.request.place_mask import framed

    if states_needs(memory):
        return None
    spec, _ = _spec()
    named = named_attributes(memory) & spec.topics.keys()
    if len(named) == 1:
        return next(iter(named))
    read = _examples("stated").read(framed(memory), spec.min_score, spec.margin)
    if read is not None and (not named or read in named):
        return read
    parsed = stated_attributes(memory) & spec.topics.keys()  # "User is Jake", when the examples are unsure
    return next(iter(parsed)) if len(parsed) == 1 and not named else None


@functools.cache
def topic_words(topic: str) -> frozenset[str]:
    """The content words requests name ``topic`` with ("travel", "dates", "trip", "flight", ...)."""
    from concierge.memory.forgetting import content_words

    spec, _ = _spec()
    return frozenset(w for said in spec.topics[topic].named for w in content_words(said))
