"""Kinds of turn read by example: nearest neighbours over MiniLM vectors of ``config/turn_kinds.yaml``.

Rules are precise where a phrase settles the kind ("forget that ...", "the second one"); they miss paraphrases
("Hmm, something cheaper?", "what must the kitchen avoid for me?") and misspellings ("dinnr in Pariss"). The
examples cover those: a message is compared with every example, each kind scores the mean of its two closest
examples, and the best kind counts only when it beats the runner-up by the file's margin. A team adds a kind
of turn by adding examples; the vectors are embedded once and cached on disk like the catalog index.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from concierge import safe_yaml
from concierge.errors import ConfigError
from concierge.request.clauses import pieces

if TYPE_CHECKING:
    pass

KINDS_FILE = "turn_kinds.yaml"
CACHE_FILE = "turn-kinds-index.npz"
_PASSING_FLOOR = 0.4  # small talk far ahead of every other kind counts a little below the file's floor
_TOP = 2  # a kind's score: the mean of its closest examples (one stray example does not decide)


class _Kind(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group: str = Field(pattern=r"^(request|follow_up|question|said)$")
    examples: list[str] = Field(min_length=2)


class _KindsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    margin: float = Field(ge=0, le=1)
    min_score: float = Field(ge=0, le=1)
    kinds: dict[str, _Kind] = Field(min_length=2)


@dataclass(frozen=True, slots=True)
class KindReading:
    """The kind a text reads as, how close its examples are, and by how much it beat the runner-up."""

    kind: str
    group: str
    score: float
    runner_up: str
    margin: float
    sure: bool  # score above the floor and margin above the file's margin
    scores: dict[str, float] = field(default_factory=dict)  # every kind's score ("confirm" against "cancel")

    def is_(self, *kinds: str) -> bool:
        """This reading is sure and one of ``kinds``."""
        return self.sure and self.kind in kinds


class TurnKinds:
    """The example vectors of every kind, and the reading of one text against them."""

    def __init__(self, spec: _KindsFile, vectors: np.ndarray, labels: list[str]) -> None:
        self.spec = spec
        self._vectors = vectors
        self._labels = np.array(labels)
        self._names = list(spec.kinds)

    def read(self, text: str) -> KindReading:
        from concierge.embeddings import query_vector

        similarities = self._vectors @ query_vector(framed(" ".join(text.split())[:500]))
        scores = {}
        for name in self._names:
            mine = np.sort(similarities[self._labels == name])[-_TOP:]
            scores[name] = float(mine.mean())
        best, second = sorted(scores, key=scores.__getitem__, reverse=True)[:2]
        margin = scores[best] - scores[second]
        sure = scores[best] >= self.spec.min_score and margin >= self.spec.margin
        return KindReading(best, self.spec.kinds[best].group, scores[best], second, margin, sure, scores)

    def read_pieces(self, text: str) -> list[KindReading]:
        """One reading per sentence or clause ("I'm vegan and I'm planning a trip to France": two statements)."""
        return [self.read(piece) for piece in pieces(text)]


from concierge.request.place_mask import STAND_IN, framed  # noqa: E402,F401  (the examples are read with it)

_lock = threading.Lock()
_loaded: dict[Path, TurnKinds] = {}


def _spec(path: Path) -> _KindsFile:
    try:
        return _KindsFile.model_validate(safe_yaml.load(path.read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        raise ConfigError("CONCIERGE_CONFIG_DIR", str(path.parent), f"a folder holding {KINDS_FILE}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(path.name, "unparseable YAML", f"valid YAML ({exc})") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "file"
        raise ConfigError(f"{path.name}: {key}", first["msg"], "a kind with a group and two examples or more") from exc


def turn_kinds(config_dir: Path | None = None, cache_dir: Path | None = None, file_name: str = KINDS_FILE) -> TurnKinds:
    """The kinds of ``<config_dir>/turn_kinds.yaml`` (or of another file of examples, ``file_name``, read in one
    context only), embedded once per file and process (cached on disk)."""
    from concierge.catalog.index_cache import entry_vectors
    from concierge.needs.vocabulary import default_config_dir

    path = ((config_dir or default_config_dir()) / file_name).resolve()
    with _lock:
        if path not in _loaded:
            spec = _spec(path)
            labels = [name for name, kind in spec.kinds.items() for _ in kind.examples]
            texts = [framed(example) for kind in spec.kinds.values() for example in kind.examples]
            cache_file = CACHE_FILE if file_name == KINDS_FILE else f"{Path(file_name).stem}-index.npz"
            vectors = entry_vectors(texts, cache_dir or _default_cache(), cache_file)
            _loaded[path] = TurnKinds(spec, vectors, labels)
        return _loaded[path]


def _default_cache() -> Path | None:
    from concierge import runtime_env

    try:
        return runtime_env.data_dir() / "cache"
    except Exception:
        return None


def read_kind(text: str) -> KindReading:
    """The kind ``text`` reads as, against the configured examples."""
    return turn_kinds().read(text)


def read_piece_kinds(text: str) -> list[KindReading]:
    """The kind of each sentence or clause of ``text``."""
    return turn_kinds().read_pieces(text)


def said_in_passing(text: str) -> bool:
    """Small talk by example ("that's fine I guess", "I'm flexible"): nothing in it is worth remembering."""
    reading = read_kind(text)
    return reading.kind == "chit_chat" and (
        reading.sure or (reading.score >= _PASSING_FLOOR and reading.margin >= 0.15)
    )
