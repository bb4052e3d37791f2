"""Needs the concierge honours (diets, religious rules, allergies, access): declared in config/needs.yaml,
detected in what users say, enforced on the catalog in code."""

from concierge.needs.detect import DetectedNeed, active_needs, detect_needs
from concierge.needs.vocabulary import NeedSpec, NeedVocabulary, load_vocabulary

__all__ = ["DetectedNeed", "NeedSpec", "NeedVocabulary", "active_needs", "detect_needs", "load_vocabulary"]
