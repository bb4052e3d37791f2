"""Is a sentence written in another language? Needs are read in English words only: "Ya no soy alérgico al maní"
("I'm not allergic to peanuts any more") has "soy", which in Spanish is "I am", not the bean.

Two signs must agree, so an English sentence in chat spelling ("im celiac and lactos intolerant", "dinner in
Amsterdam tmrw") is never taken for another language: lingua (its models ship in the wheel; nothing is
downloaded) names a language other than English with some confidence, and the sentence has more of that
language's function words (spaCy's stop-word lists, which ship with spaCy) than English ones. lingua loads only
for a sentence holding such a function word, so most messages never load it.
"""

from __future__ import annotations

import importlib
import re
import threading
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import Language, LanguageDetector

_LANGUAGES = {"SPANISH": "es", "FRENCH": "fr", "GERMAN": "de", "ITALIAN": "it", "PORTUGUESE": "pt", "DUTCH": "nl"}
_SURE = 0.5  # lingua's confidence with two foreign function words or more
_LIKELY = 0.3  # with one, and not a single English one ("Sono celiaco", "Soy vegano")
_WORD = re.compile(r"[^\W\d_]+")
# English chat words, some of them another language's function word ("im" is German): English, whatever lingua says
_CHAT = frozenset({"im", "pls", "plz", "u", "r", "ur", "lol", "thx", "btw", "tbh", "omg", "ok", "okay", "yeah"})
_lock = threading.Lock()


@cache
def _stop_words() -> dict[str, frozenset[str]]:
    """Each language's function words that are not English function words too ("no", "a", "me")."""
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH

    words = {"en": frozenset(ENGLISH)}
    for code in _LANGUAGES.values():
        module = importlib.import_module(f"spacy.lang.{code}.stop_words")
        words[code] = frozenset(module.STOP_WORDS) - ENGLISH
    return words


@cache
def _detector() -> LanguageDetector:
    with _lock:
        from lingua import Language, LanguageDetectorBuilder

        languages = [Language.ENGLISH, *(getattr(Language, name) for name in _LANGUAGES)]
        return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _code(language: Language) -> str:
    return _LANGUAGES.get(language.name, "en")


def not_english(sentence: str) -> bool:
    """True when ``sentence`` is written in Spanish, French, German, Italian, Portuguese or Dutch. Capitalised words
    inside it are names and not counted ("Dinner at Le Comptoir du Relais", "Casa Lola")."""
    found = _WORD.findall(sentence)
    words = [w.lower() for i, w in enumerate(found) if i == 0 or not w[:1].isupper()]
    stop = _stop_words()
    if len(words) < 2 or not any(w in stop[code] for w in words for code in _LANGUAGES.values()):
        return False
    best = _detector().compute_language_confidence_values(sentence)[0]
    code = _code(best.language)
    if code == "en":
        return False
    foreign = sum(w in stop[code] and w not in _CHAT for w in words)
    english = sum(w in stop["en"] or w in _CHAT for w in words)
    sure = best.value >= _SURE and foreign >= 2 and foreign > english
    return sure or (best.value >= _LIKELY and foreign >= 1 and english == 0)


_PIECES = re.compile(r"((?<=[.!?;\n])\s+|,\s+)")  # sentences and their comma-separated clauses, separators kept


def english_only(text: str) -> str:
    """``text`` without its sentences and clauses in another language ("Ya no soy alérgico al maní. Es broma." -> "";
    "Das ist gut, I am vegan" -> "I am vegan"); as said when every piece is English."""
    pieces = _PIECES.split(text)
    said, between = pieces[0::2], pieces[1::2]
    foreign = [not_english(piece) for piece in said]
    if not any(foreign):
        return text
    kept = [piece + after for piece, after, out in zip(said, [*between, ""], foreign, strict=True) if not out]
    return "".join(kept).strip().rstrip(",")
