"""Other names of the world's cities: which of GeoNames' alternate names a message may use, and saints' names.

GeoNames names a city once ("Gent", "Köln", "Brugge") and lists hundreds of other names for it, in every language
and script, many of them also ordinary words, first names or other towns' names ("Gand", "Nico", "Kan", "Nis"). A
message says "Ghent", "Cologne", "Bruges", so well-known other names are read too, but only safe ones:

- of a city of 50,000+ people (a small town's foreign names are not what people say);
- written in the Latin alphabet, four letters or more, not a code ("CGN");
- never the name (as GeoNames writes it) of any city, country or US state: a city's own name always wins;
- the biggest city wins a name two cities share;
- and, checked when a message uses one: not an everyday English word and not a common first name.

A mention of another name counts only where a place is expected and written with a capital ("dinner in Cologne").

Saints and other abbreviations are one name however written: "St Ives", "St. Ives" and "Saint Ives" are one key
(``spelled_out``); when two cities share that key, the one GeoNames lists with the form written wins ("St Ives" is
the English town, "Saint Ives" the bigger Australian suburb).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from functools import cache
from typing import Any

MIN_POPULATION = 50_000  # people: a smaller city's other names are not indexed
_EVERYDAY = 5_000  # uses in pyspellchecker's English counts: a word that common is an everyday word ("Deal")
_LATIN = re.compile(r"[a-z][a-z' .-]*")  # a folded name in the Latin alphabet
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")  # the words of a folded Latin name, as the gazetteer's match key has them
# Where a first name is common enough to be read as a person: gender-guesser's countries of our users' languages
# (it lists Chinese syllables too, "Xian", "Cheng", which are no common first names here).
_NAME_COUNTRIES = ("great_britain", "ireland", "usa", "france", "germany", "italy", "spain", "portugal")
_LAST_LATIN = "\u024f"  # the last letter of Latin Extended-B
_ABBREVIATED = {"st": "saint", "sankt": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_SPELLED = re.compile(r"\b(?:st|ste|mt|ft|sankt)\b")
_SAINTLY = re.compile(r"\b(?:St|Ste|Mt|Ft|Sankt|Saint|Sainte|Mount|Fort)\b")


def spelled_out(key: str) -> str:
    """A match key with its abbreviations spelled out ("st ives" -> "saint ives", "mt fuji" -> "mount fuji")."""
    if not ("st" in key or "mt" in key or "ft" in key or "sankt" in key) or not _SPELLED.search(key):
        return key
    return " ".join(_ABBREVIATED.get(word, word) for word in key.split(" "))


def primary_names(name: str) -> list[str]:
    """A city's own names: GeoNames writes bilingual cities with a slash ("Donostia / San Sebastián")."""
    if "/" not in name:
        return [name]
    return [name, *(part.strip() for part in name.split("/") if part.strip())]


def other_names(
    cities: Iterable[Mapping[str, Any]], taken: Collection[str], fold: Callable[[str], str]
) -> dict[str, Mapping[str, Any]]:
    """Match key -> the biggest city of 50,000+ people with that other name, leaving out every key in ``taken``
    (the names of cities, countries and states) and names that are no Latin-script name."""
    found: dict[str, tuple[Mapping[str, Any], int]] = {}
    for city in cities:
        population = int(city["population"])
        if population < MIN_POPULATION:
            continue
        for name in city["alternatenames"]:
            if len(name) < 4 or not name[0].isupper() or name.isupper() or max(name) > _LAST_LATIN:
                continue
            folded = name.lower() if name.isascii() else fold(name)
            if not _LATIN.fullmatch(folded):
                continue
            spot = spelled_out(" ".join(_WORD.findall(folded)))
            if spot not in taken and (spot not in found or found[spot][1] < population):
                found[spot] = (city, population)
    return {spot: city for spot, (city, _) in found.items()}


def written_forms(
    cities: Iterable[Mapping[str, Any]], key: Callable[[str], str]
) -> dict[str, tuple[Mapping[str, Any], int]]:
    """Raw match key -> (city, population) for forms of a saint's city GeoNames lists ("St Ives" of Saint Ives,
    England), so the form written picks among cities sharing the spelled-out name."""
    forms: dict[str, tuple[Mapping[str, Any], int]] = {}
    for city in cities:
        if not _SAINTLY.search(city["name"]):
            continue
        own = spelled_out(key(city["name"]))
        population = int(city["population"])
        for name in (city["name"], *city["alternatenames"]):
            raw = key(name)
            if spelled_out(raw) == own and (raw not in forms or forms[raw][1] < population):
                forms[raw] = (city, population)
    return forms


@cache
def safe_to_read(name_key: str) -> bool:
    """Is another name safe to read as a place where a message uses it: no everyday English word ("Deal") and no
    common first name ("Nico")? Checked when used, so the first load stays quick."""
    from concierge.needs import english

    if " " in name_key:
        return True  # "den haag", "frankfurt am main": no word, no first name
    if english.count(name_key) >= _EVERYDAY:
        return False
    names = _first_names()
    return all(names.get_gender(name_key, country) in ("andy", "unknown") for country in _NAME_COUNTRIES)


@cache
def _first_names() -> Any:
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False)
