"""Score need detection on a needs set: precision and recall of (need, person) pairs that are active.

A set file is YAML: ``statements: [{text: ..., needs: {holder: [need ids]}}]`` (see data/needs/).
A missed need counts against recall (the worst error: an allergy nobody is told about), a need
that was not said counts against precision.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from concierge import safe_yaml
from concierge.errors import ConciergeError
from concierge.needs.detect import active_needs
from concierge.needs.vocabulary import NeedVocabulary, load_vocabulary
from concierge.shipped import shipped_dir

RECALL_TARGET = 1.0
PRECISION_TARGET = 0.95


class NeedsSetError(ConciergeError):
    """A needs set file is missing or malformed."""


class _Statement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    needs: dict[str, tuple[str, ...]] = {}


class _NeedsSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    statements: tuple[_Statement, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Miss:
    text: str
    need_id: str
    holder: str


@dataclass
class NeedsReport:
    path: str
    statements: int
    precision: float
    recall: float
    true_positives: int
    false_positives: int
    false_negatives: int
    per_need: dict[str, dict[str, int]] = field(default_factory=dict)  # need id -> {tp, fp, fn}
    misses: list[Miss] = field(default_factory=list)
    false_alarms: list[Miss] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.recall >= RECALL_TARGET and self.precision >= PRECISION_TARGET

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "passed": self.passed}

    def format(self) -> str:
        lines = [
            f"{self.path}: {self.statements} statements, precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"(tp {self.true_positives}, fp {self.false_positives}, fn {self.false_negatives}) "
            f"-> {'PASS' if self.passed else 'FAIL'} (targets: recall {RECALL_TARGET:.2f}, "
            f"precision {PRECISION_TARGET:.2f})"
        ]
        lines += [f"  missed {m.need_id} ({m.holder}): {m.text}" for m in self.misses]
        lines += [f"  false {m.need_id} ({m.holder}): {m.text}" for m in self.false_alarms]
        return "\n".join(lines)


def is_needs_set(path: Path) -> bool:
    """Whether a YAML file is a needs set (a top-level ``statements`` list) rather than a scenario."""
    try:
        raw = safe_yaml.load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return False
    return isinstance(raw, dict) and "statements" in raw


def load_needs_set(path: Path, vocabulary: NeedVocabulary) -> list[_Statement]:
    """Read and check a set: unknown keys or need ids fail with the file and the statement."""
    try:
        raw = safe_yaml.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        example = shipped_dir("needs") / "needs_set.yaml"
        raise NeedsSetError(f"needs set {path} does not exist; pass a file such as {example}") from exc
    except yaml.YAMLError as exc:
        raise NeedsSetError(f"{path}: not valid YAML ({exc})") from exc
    try:
        statements = list(_NeedsSet.model_validate(raw).statements)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise NeedsSetError(f"{path}: {where}: {first['msg']}") from exc
    known = set(vocabulary.ids())
    for index, statement in enumerate(statements):
        unknown = sorted({n for ids in statement.needs.values() for n in ids} - known)
        if unknown:
            raise NeedsSetError(f"{path}: statement {index} ({statement.text!r}) names unknown needs {unknown}")
    return statements


def evaluate_needs(path: Path, vocabulary: NeedVocabulary | None = None) -> NeedsReport:
    """Detect the active needs of every statement and compare them with the expected ones."""
    import time

    vocabulary = vocabulary or load_vocabulary()
    statements = load_needs_set(Path(path), vocabulary)
    counts: dict[str, Counter[str]] = {i: Counter() for i in vocabulary.ids()}
    misses: list[Miss] = []
    alarms: list[Miss] = []
    started = time.perf_counter()
    for statement in statements:
        expected = {(n, h.casefold()) for h, ids in statement.needs.items() for n in ids}
        got = {(d.need_id, d.holder.casefold()) for d in active_needs([statement.text], vocabulary)}
        for need_id, _holder in expected & got:
            counts[need_id]["tp"] += 1
        for need_id, holder in sorted(expected - got):
            counts[need_id]["fn"] += 1
            misses.append(Miss(statement.text, need_id, holder))
        for need_id, holder in sorted(got - expected):
            counts[need_id]["fp"] += 1
            alarms.append(Miss(statement.text, need_id, holder))
    seconds = time.perf_counter() - started
    tp = sum(c["tp"] for c in counts.values())
    fp = sum(c["fp"] for c in counts.values())
    fn = sum(c["fn"] for c in counts.values())
    return NeedsReport(
        path=str(path),
        statements=len(statements),
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        per_need={i: {"tp": c["tp"], "fp": c["fp"], "fn": c["fn"]} for i, c in counts.items()},
        misses=misses,
        false_alarms=alarms,
        seconds=seconds,
    )
