"""One message -> one ``TurnRequest``: the offline model's rules (a real model's is checked in request/arguments.py).

Intent rules, in order:

0. a request to forget something ("please forget that I'm allergic to nuts", "that's no longer true"; see
   ``concierge.request.forget``) -> ``forget``, unless the rest of the message asks for a booking;
1. a question about what we remember of the user ("what do you know about me?") -> ``memory_question``;
2. a vague wish with no place ("somewhere warm in December") -> ``trip``;
3. a request (a wish, a question, an instruction, or a date/time/party/nights said) about eating,
   staying or travelling -> ``dine`` / ``stay`` / ``trip``, whichever the message names first;
   a request naming no kind but a time, meal or party -> ``dine``, else one naming a place -> ``trip``;
4. only greetings, thanks and small talk -> ``chit_chat``;
5. anything else -> ``statement`` ("I'm allergic to nuts and I love Lyon"). A statement together with a
   request is the request.

Fields that belong to other intents are left empty (a meal only for ``dine``, nights only for stays
and trips), and problems (an impossible date or party size) are reported only for requests.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from concierge.catalog.hours import meal_for_time
from concierge.needs.mood import asks_about_needs
from concierge.offline.aspect import tells_done_or_usual
from concierge.offline.kinds import KindReading
from concierge.offline.language import tied_to_a_moment
from concierge.offline.party import People, read_people
from concierge.request.budget import budget_problem, meal_budget, per_night_budget
from concierge.request.clauses import pieces
from concierge.request.food import asks_about_food
from concierge.request.forget import read_forget_request
from concierge.request.model import MEALS, Intent, Meal, PlaceRef, TurnRequest
from concierge.request.passed import time_passed_problem
from concierge.request.places import CatalogPlaces
from concierge.request.problems import uncounted_problem
from concierge.request.spelling import corrected
from concierge.request.weekend import read_weekend
from concierge.request.when import When, read_when

_I = re.IGNORECASE
_REQUEST_INTENTS = frozenset({"dine", "stay", "trip"})

_MEMORY_QUESTION = re.compile(
    r"\bwhat\s+(?:do|did|does|else\s+do)\s+(?:you|u|ya)\s+(?:remember|recall)\b"
    r"|\bwhat\s+(?:do|did|else\s+do)\s+(?:you|u|ya)\s+(?:know|have|keep|store|hold)\s+(?:about|abt|bout|of|on)\s+(?:me|us|my)\b"
    r"|\bwhat\s+(?:allergies|needs|preferences|diet|dietary\s+(?:needs|requirements))\s+(?:do|did)\s+(?:i|we)\s+have\b"
    r"|\bwhat\s+(?:have|did)\s+(?:i|we)\s+(?:told|tell|said|say|shared|share|mentioned|mention)\b"
    r"|\bwhat\s+(?:have\s+)?you\s+(?:got|learned|learnt|stored|saved|noted)\s+(?:about|on)\s+me\b"
    r"|\bdo\s+you\s+(?:remember|know|recall)\s+(?:me\b|who\s+i\s+am|anything\s+about\s+me|what\s+i|my\s+)"
    r"|\b(?:show|list|tell)\s+me\s+(?:all\s+)?(?:my\s+(?:memories|profile|preferences|data)|what\s+you\s+(?:know|remember))"
    r"|\bwhat\s+(?:are|were)\s+my\s+(?:preferences|allergies|needs|likes|dislikes|memories)\b"
    r"|\bwhat(?:'s|\s+is)\s+(?:my\s+name|in\s+my\s+profile|on\s+file)\b"
    r"|\bremind\s+me\s+what\s+(?:i|you)\b"
    r"|\bwhat\s+do\s+you\s+remember\b",
    _I,
)
_CHIT_WORDS = (
    r"(?:hi|hello|hey|hiya|howdy|yo|heya|morning|evening|good\s+(?:morning|afternoon|evening|night|day)|"
    r"thanks?(?:\s+(?:you|u))?|thank\s+(?:you|u)|thanx|thx|ty|tq|cheers|ta|many\s+thanks|much\s+appreciated|"
    r"bye|goodbye|bye\s+bye|see\s+you|see\s+ya|later|take\s+care|good\s+night|"
    r"have\s+a\s+(?:nice|good|great|lovely)\s+(?:day|evening|weekend|one|night)|"
    r"how\s+are\s+you|how\s+are\s+you\s+doing|how's\s+it\s+going|how\s+is\s+it\s+going|how\s+do\s+you\s+do|"
    r"what's\s+up|whats\s+up|sup|how\s+are\s+things|how's\s+your\s+day|"
    r"ok|okay|k|cool|great|nice|awesome|perfect|lovely|brilliant|excellent|wonderful|amazing|fantastic|"
    r"sounds\s+good|sounds\s+great|got\s+it|lol|haha|hahaha|wow|"
    r"who\s+are\s+you|what\s+are\s+you|what\s+can\s+you\s+do|are\s+you\s+there|you\s+there|are\s+you\s+a\s+bot|"
    r"(?:can|could)\s+you\s+help(?:\s+me)?|i\s+need\s+(?:some\s+)?help|help|"
    r"good\s+job|well\s+done|no\s+worries|no\s+problem|never\s*mind|sure|yes|no|yeah|yep|nope|please|"
    r"that's\s+(?:great|perfect|helpful|lovely|all)|that\s+is\s+(?:great|perfect|helpful|all)|"
    r"you're\s+(?:great|the\s+best|welcome)|you\s+are\s+(?:great|the\s+best)|"
    r"i'm\s+(?:good|fine|great|ok)|i\s+am\s+(?:good|fine|great|ok)|not\s+bad|fine)"
    r"(?:\s+(?:so|very|a\s+lot|again|there|everyone|all|today|friend|mate|buddy|much|too|then|for\s+now|"
    r"for\s+(?:that|the\s+help|your\s+help|everything)|concierge))*"
)
_CHIT_PIECE = re.compile(rf"(?:{_CHIT_WORDS})(?:\s+(?:{_CHIT_WORDS}))*", _I)
_WISH = re.compile(
    r"\b(?:want|wants|wanna|need|needs|looking\s+for|look\s+for|would\s+like|'d\s+like|like\s+to\s+(?:book|go|eat|have|stay|visit|try)|"
    r"book|booking|reserve|find|get\s+(?:me|us)|recommend|recommendations?|suggest|suggestions?|plan|planning|"
    r"organi[sz]e|arrange|search|show\s+me|any\s+ideas|ideas?\s+for|can\s+you|could\s+you|would\s+you|will\s+you|"
    r"please|help\s+me|where\s+(?:should|can|could|to|do)|what\s+(?:should|can|could)|thinking\s+of|thinking\s+about|"
    r"hoping\s+to|fancy|craving|'d\s+love|would\s+love|love\s+to|in\s+the\s+mood\s+for|up\s+for|let's|how\s+about|what\s+about|is\s+there|are\s+there|"
    r"any\s+good|where's\s+good|somewhere\s+to|a\s+place\s+to)\b",
    _I,
)
# A sentence that tells rather than asks: a subject first ("I love ...", "My husband ..."), or a verb of
# liking or being ("Italian food is my favourite").
_TELLS = re.compile(
    r"^\s*(?:i|i'm|im|i've|i'd|i'll|we|we're|we've|we'd|my|our|he|she|they|he's|she's|they're|it|it's|there|"
    r"this|that|these|those|you|your)\b"
    r"|\b(?:is|are|was|were|am|love|loves|loved|like|likes|liked|hate|hates|prefer|prefers|enjoy|enjoys|had|went|"
    r"used\s+to)\b",
    _I,
)
_STAY_MEALS = re.compile(
    r"\bbed\s*(?:and|&|n)\s*breakfast\b|\bb\s*&\s*b\b|\b(?:with|incl(?:uding|\.)?|includes?|included)\s+breakfast\b"
    r"|\bbreakfast\s+(?:included|incl)\b",
    _I,
)
_DINE = re.compile(
    r"\b(?:dinner|lunch|brunch|breakfast|brekkie|supper|restaurants?|table|eat|eating|food|meal|dine|dining|diner|"
    r"bite|bistro|brasserie|trattoria|osteria|taverna|izakaya|tapas|sushi|pizza|pizzeria|ramen|steakhouse|"
    r"cafe|café|bar\s+for|drinks|night\s+out|date\s+night|curry\s+night|reservation\s+for\s+(?:\d+|two|three|four|five|six))\b",
    _I,
)
_STAY = re.compile(
    r"\b(?:hotels?|apartments?|flat|airbnb|villa|cottage|chalet|guest\s*house|b&b|bed\s+and\s+breakfast|hostel|"
    r"inn|rooms?|accommodation|lodging|place\s+to\s+stay|somewhere\s+to\s+stay|stay|staying|check[\s-]?in|"
    r"rent|rental|house)\b",
    _I,
)
_NIGHTS = re.compile(
    r"\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|few|couple\s+of)[\s-]+nights?\b(?!\s+out)", _I
)
_TRIP = re.compile(
    r"\b(?:trip|travel|travelling|traveling|visit|visiting|holiday|holidays|vacation|getaway|itinerary|fly|flying|"
    r"flights?|city\s+break|weekend\s+(?:away|in|break)|journey|destination|honeymoon|tour|go\s+away|"
    r"where\s+(?:should|could|can)\s+(?:i|we)\s+go|where\s+to\s+go)\b",
    _I,
)
# "a curry night", "pizza night", "a night out": an evening meal named by what is eaten or by going out.
_MEALS = re.compile(
    r"\b(breakfast|brekkie|brunch|lunch|luncheon|lunchtime|dinner|supper|evening\s+meal|"
    r"(?:curry|pizza|burger|sushi|tapas|taco|steak|ramen|fondue|date)\s+night|night\s+out)\b",
    _I,
)
_MEAL_OF: Mapping[str, Meal] = {
    "breakfast": "breakfast",
    "brekkie": "breakfast",
    "brunch": "brunch",
    "lunch": "lunch",
    "luncheon": "lunch",
    "lunchtime": "lunch",
    "dinner": "dinner",
    "supper": "dinner",
    "evening meal": "dinner",
    **{f"{food} night": "dinner" for food in ("curry", "pizza", "burger", "sushi", "tapas", "taco", "steak", "ramen")},
    **{"fondue night": "dinner", "date night": "dinner", "night out": "dinner"},
}
_BUDGET_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = tuple(
    (level, re.compile(p, _I))
    for level, p in (
        (
            4,
            r"\b(?:fine[\s-]+dining|michelin|starred|luxury|luxurious|splurge|no\s+expense\s+spared|tasting\s+menu|"
            r"money\s+is\s+no\s+object|top[\s-]+end|gourmet)\b",
        ),
        (
            2,
            r"\b(?:mid[\s-]*range|moderate(?:ly\s+priced)?|reasonabl[ey](?:\s+priced)?|"
            r"not\s+too\s+(?:expensive|pricey|fancy)|mid[\s-]*priced|fair(?:ly)?\s+priced|not\s+(?:too\s+)?expensive|average\s+price)\b",
        ),
        (
            1,
            r"\b(?:cheap|cheapest|cheaply|inexpensive|budget|affordable|low[\s-]*cost|bargain|on\s+a\s+shoestring|"
            r"student|cheap\s+and\s+cheerful)\b",
        ),
        (
            3,
            r"\b(?:upscale|upmarket|(?:a|somewhere|something|really|quite|very)\s+fancy|fancy\s+(?:restaurant|dinner|lunch|place)|smart|classy|special\s+occasion|pricey|expensive|high[\s-]*end|posh|elegant|"
            r"treat\s+(?:ourselves|myself)|celebrat\w*|anniversary)\b",
        ),
    )
)
_SIGNS = re.compile(r"(?<![\w$€£])([$€£])\1{0,3}(?![\w$€£\d])")
_STAY_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(p, _I))
    for kind, p in (
        ("guesthouse", r"\b(?:guest\s*house|b\s*&\s*b|bed\s*(?:and|&|n)\s*breakfast|inn|pension|guesthouses)\b"),
        ("hotel", r"\bhotels?\b"),
        ("apartment", r"\b(?:apartments?|flat|airbnb|condo|studio\s+flat|studio\s+apartment)\b"),
        ("house", r"\b(?:house|houses|villa|villas|cottage|cottages|chalet|farmhouse|townhouse|home\s+to\s+rent)\b"),
    )
)
CUISINES: Mapping[str, str] = {
    "italian": "italian",
    "french": "french",
    "spanish": "spanish",
    "portuguese": "portuguese",
    "japanese": "japanese",
    "mexican": "mexican",
    "indian": "indian",
    "turkish": "turkish",
    "greek": "greek",
    "german": "german",
    "british": "british",
    "dutch": "dutch",
    "vietnamese": "vietnamese",
    "indonesian": "indonesian",
    "thai": "thai",
    "chinese": "chinese",
    "korean": "korean",
    "american": "american",
    "catalan": "catalan",
    "basque": "basque",
    "andalusian": "andalusian",
    "provençal": "provençal",
    "provencal": "provençal",
    "seafood": "seafood",
    "fish": "seafood",
    "sushi": "sushi",
    "ramen": "ramen",
    "tapas": "tapas",
    "pintxos": "pintxos",
    "pizza": "pizza",
    "pizzeria": "pizza",
    "pizzerias": "pizza",
    "gelateria": "gelato",
    "steakhouses": "steak",
    "sushi bar": "sushi",
    "pasta": "pasta",
    "steak": "steak",
    "steakhouse": "steak",
    "izakaya": "izakaya",
    "kaiseki": "kaiseki",
    "tempura": "tempura",
    "udon": "udon",
    "soba": "soba",
    "okonomiyaki": "okonomiyaki",
    "tacos": "tacos",
    "taqueria": "tacos",
    "taquería": "tacos",
    "paella": "paella",
    "bistro": "bistro",
    "brasserie": "brasserie",
    "trattoria": "trattoria",
    "osteria": "osteria",
    "taverna": "taverna",
    "meze": "meze",
    "mezze": "meze",
    "wine bar": "wine bar",
    "crêpes": "crêpes",
    "crepes": "crêpes",
    "crêperie": "crêpes",
    "creperie": "crêpes",
    "deli": "deli",
    "gelato": "gelato",
    "churros": "churros",
    "burger": "burgers",
    "burgers": "burgers",
    "barbecue": "barbecue",
    "bbq": "barbecue",
    "dim sum": "dim sum",
    "curry": "curry",
    "noodles": "noodles",
    "tex-mex": "tex-mex",
}
_CUISINE = re.compile(
    r"(?<![\w-])(" + "|".join(sorted((re.escape(k) for k in CUISINES), key=len, reverse=True)) + r")(?![\w-])", _I
)
_CLIMATE_WORDS: Mapping[str, str] = {
    "warm": "warm",
    "warmer": "warm",
    "warmest": "warm",
    "hot": "warm",
    "hotter": "warm",
    "tropical": "warm",
    "sunny": "sunny",
    "sunnier": "sunny",
    "sunshine": "sunny",
    "sun": "sunny",
    "mild": "sunny",
    "cool": "cool",
    "cooler": "cool",
    "cold": "cool",
    "fresh": "cool",
    "not too hot": "cool",
}
_CLIMATE_WORD = "(" + "|".join(k.replace(" ", r"\s+") for k in sorted(_CLIMATE_WORDS, key=len, reverse=True)) + ")"
_VAGUE = tuple(
    re.compile(p, _I)
    for p in (
        r"\b(?:somewhere|anywhere|someplace|some\s+place|a\s+place|places|destinations?|a\s+city|cities|spot|getaway|"
        r"escape|break|holiday|vacation|trip|where)\b[^.?!]{0,30}?\b" + _CLIMATE_WORD + r"\b",
        r"\b" + _CLIMATE_WORD + r"\s+(?:place|places|destination|destinations|city|cities|getaway|break|holiday|"
        r"vacation|trip|spot|somewhere|weather|country|countries)\b",
    )
)
_ESCAPE = re.compile(r"\bescape\s+(?:the\s+)?(cold|winter|heat|summer\s+heat)\b", _I)


def _first(pattern: re.Pattern[str], text: str) -> int | None:
    m = pattern.search(text)
    return m.start() if m else None


def _climate(text: str) -> str | None:
    escape = _ESCAPE.search(text)
    if escape:
        return "warm" if escape.group(1).lower() in {"cold", "winter"} else "cool"
    for pattern in _VAGUE:
        m = pattern.search(text)
        if m:
            return _CLIMATE_WORDS[re.sub(r"\s+", " ", m.group(1).lower())]
    return None


def _is_chit_chat(text: str) -> bool:
    pieces = [p.strip() for p in re.split(r"[,.!?;:\n]+|\s+-\s+|\band\b", text) if p.strip(" '\"()")]
    pieces = [re.sub(r"[^\w\s']", "", p).strip() for p in pieces]
    pieces = [p for p in pieces if p]
    return bool(pieces) and all(_CHIT_PIECE.fullmatch(p) for p in pieces)


def _kind_of_request(text: str) -> Intent | None:
    """dine / stay / trip, whichever the message names first."""
    without_stay_meals = _STAY_MEALS.sub(lambda m: "#" * len(m.group(0)), text)
    positions: dict[Intent, int] = {}
    for intent, pattern, source in (
        ("dine", _DINE, without_stay_meals),
        ("stay", _STAY, text),
        ("trip", _TRIP, text),
    ):
        start = _first(pattern, source)
        if start is not None:
            positions[intent] = start  # type: ignore[index]
    if _STAY_MEALS.search(text):
        positions.setdefault("stay", _first(_STAY_MEALS, text) or 0)
    if not positions and _NIGHTS.search(text):
        return "stay"  # "3 nights in Porto": nights alone mean a stay; "a 4-night trip" stays a trip
    if not positions:
        return None
    return min(positions, key=lambda k: positions[k])


def _forgets(text: str) -> bool:
    """A request to forget, unless what follows it asks for a booking ("forget Lyon, book dinner in Paris?")."""
    forgetting = read_forget_request(text)
    if forgetting is None:
        return False
    rest = forgetting.remainder
    return not (_kind_of_request(rest) and (_WISH.search(rest) or "?" in rest))


def _asked_kind(text: str) -> Intent | None:
    """dine / stay / trip as the clause that asks names it ("I'm travelling alone - find me a hotel": a stay),
    else whichever the message names first."""
    for piece in pieces(text):
        if not _EXPLICIT_ASK.search(piece):
            continue
        if (kind := _kind_of_request(piece)) is not None:
            return kind
        if _DAYS_AWAY.search(piece):
            return "trip"  # "Plan 4 days in Kyoto for me and my wife. She's vegan, I eat everything": a trip
    return _kind_of_request(text)


_DAYS_AWAY = re.compile(r"\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|few)\s+(?:days|weeks?)\b", _I)


def _intent(
    text: str,
    when: When,
    party: int | None,
    nights: int | None,
    attempted: bool,
    place: PlaceRef | None,
    climate: str | None,
) -> Intent:
    if _forgets(text):
        return "forget"
    if _MEMORY_QUESTION.search(text) or asks_about_needs(text):  # "Am I still allergic to peanuts?"
        return "memory_question"
    if climate and place is None:
        return "trip"
    said = (when.date, when.time, party, nights)
    slots = not when.past and (attempted or any(x is not None for x in said))
    kind = _asked_kind(text)
    if kind == "stay" and place is not None and place.city is None and not _STAY.search(text):
        kind = "trip"  # "3 nights somewhere in Greece": nights alone are a stay in a city, in a country a trip
    fragment = kind is not None and not when.past and not _TELLS.search(text)  # "A hotel in Lisbon for 3 nights"
    asks = bool(_WISH.search(text)) or "?" in text or slots or fragment
    if asks and kind is not None:
        return kind
    if asks and not when.past and (guessed := _guessed_kind(text, when, party, nights, place)):
        return guessed
    return "chit_chat" if _is_chit_chat(text) else "statement"


def _guessed_kind(
    text: str, when: When, party: int | None, nights: int | None, place: PlaceRef | None
) -> Intent | None:
    """A request naming no kind: days away or a month with a place are a trip ("Lisbon this spring, 4 days, two
    adults", "5 of us, any ideas for Lisbon in May?"), a time, a party or a meal a dinner, a place alone a trip."""
    by_month = when.month is not None and when.time is None and not (_MEALS.search(text) or _cuisine(text))
    if place is not None and (nights is not None or by_month):
        return "trip"  # "There are 5 of us, any ideas for Lisbon in May?": a month, not a day, is a trip's
    if when.time is not None or party is not None or _MEALS.search(text) or _cuisine(text) or _eats(text):
        return "dine"  # "could you recommend a vegan place in Lisbon?": a diet asks for somewhere to eat
    return "trip" if place is not None else None


def _eats(text: str) -> bool:
    """A need about food (a diet, an allergy, a religious rule) is said: what is asked for is somewhere to eat."""
    from concierge.needs import detect_needs, load_vocabulary

    vocabulary = load_vocabulary()
    return any(vocabulary.get(n.need_id).kind != "accessibility" for n in detect_needs(text))


def _names_a_need(text: str) -> bool:
    """A need is named, whoever has it ("halal places", "someone with a nut allergy")."""
    from concierge.needs.asked import needs_named

    return bool(needs_named(text))


# A verb in the past tense tells when the past day is: "I was in Lyon last week, book dinner for 2" is no problem.
_TOLD_PAST = re.compile(r"\b(?:was|were|had|went|loved|liked|enjoyed|visited|stayed|ate|did|used\s+to)\b", _I)
_PAST_DAY = 'That day is in the past; say a day from today on, like "tomorrow" or "this Sunday".'


def _forgets_by_example(whole: KindReading, text: str, ruled: Intent) -> bool:
    """A forget request by example (with a verb of forgetting), or a taking back of the previous turn said in
    other words ("I take it back", "wait, no": see ``concierge/conversation/undo.py``) where the rules read none."""
    from concierge.offline.follow_up import cancels

    if whole.is_("forget"):
        return bool(_FORGET_VERB.search(text))
    # A message naming a need says something of its own ("I use a wheelchair, so steps are a real problem for me"
    # reads close to "back up a step"): stored and applied, never taken for an undo by example.
    return whole.is_("undo") and ruled in ("statement", "chit_chat") and not cancels(text) and not _names_a_need(text)


def _by_example(text: str, ruled: Intent, place: PlaceRef | None, when: When, people: People) -> Intent:
    """The rules' intent, corrected where the examples of ``config/turn_kinds.yaml`` read the message surely
    otherwise: a question about the user, their needs or a place, a plan told rather than asked ("I'm planning
    a trip to France"), or a request the rules missed ("dinnr in Pariss tommorow")."""
    from concierge.offline.kinds import read_kind

    if ruled == "forget":
        return ruled
    whole = read_kind(text)
    if ruled == "memory_question":  # "what allergies do I have on record?" asks about the user's needs
        return "needs_question" if whole.is_("needs_question") else _about_anyone(text, whole, ruled)
    if ruled in _REQUEST_INTENTS and (told := _not_asked(text, ruled, place, when, people)) is not None:
        return told
    named = _kind_of_request(text) is not None  # else the rules guessed from a place or a time alone
    dated = ruled in _REQUEST_INTENTS and named and when.date is not None  # "... Dinner for 6 in Berlin on Saturday?"
    said = (when.date, when.time, people.party_size if people.explicit else None, read_meal(text))
    booking = any(x is not None for x in said)  # "any vegan places for lunch in Milan?" asks for a table
    asks = dated or _asks_for_a_trip(text, ruled, people)
    question = None if asks else _question_by_example(text, whole, place, when, booking)
    if question is not None:
        return question
    if ruled in _REQUEST_INTENTS and _asks_how_things_are(text, when, people):
        return "place_question"
    if _forgets_by_example(whole, text, ruled):
        return "forget"
    if ruled in _REQUEST_INTENTS:
        wished = _wished(text, whole, when, people.nights)
        return "statement" if wished else _request_or_told(text, ruled, whole, named or people.nights is not None)
    return _statement_by_example(text, ruled, whole, place, when, named)


def _not_asked(text: str, ruled: Intent, place: PlaceRef | None, when: When, people: People) -> Intent | None:
    """A request by its words that asks for nothing to book: a question about booking or a place ("Do I need to
    book ahead?"), or news of something done or usual ("Just booked our flights to Lisbon!"). A trip with no place
    asks for places to suggest ("Where can we go that's warm in November?")."""
    if ruled == "trip" and place is None:
        return None
    if _asks_not_books(text, when, people):
        return "place_question"
    return "statement" if _tells_done_or_usual(text) else None


def _statement_by_example(
    text: str, ruled: Intent, whole: KindReading, place: PlaceRef | None, when: When, named: bool
) -> Intent:
    """What a message the rules read as told is by example: a question about the user's own needs or memory, small
    talk the rules' word list does not know ("brb"), or a request in words the rules miss ("dinnr in Pariss")."""
    if ruled != "statement":
        return ruled
    if _asks_about_mine(text, place):
        return "needs_question" if whole.is_("needs_question") or _eats(text) else "memory_question"
    if whole.is_("chit_chat") and place is None and not _names_a_need(text):
        return "chit_chat"  # "brb", "hmm let me think about it"
    if whole.sure and whole.group == "request" and not (when.past or named or tells(text)):
        return whole.kind  # type: ignore[return-value]  # "dinnr in Pariss tommorow": no word the rules know
    return ruled


def _asks_not_books(text: str, when: When, people: People) -> bool:
    """A question about booking ("Do I need to book ahead for dinner in Amsterdam?") or one that judges a place, a day
    or an idea ("Is it a good idea to visit Lisbon in January?", "what's the best area to stay in Barcelona?"), read
    from its parse (``concierge/offline/telling.py``); a party, a time or an ask of the concierge asks for a booking."""
    from concierge.offline.telling import asks_about_a_place, asks_whether_to_book

    if asks_whether_to_book(text):
        return True
    asks = people.explicit or when.time is not None or _EXPLICIT_ASK.search(text) or _BOOKS.search(text)
    return not asks and asks_about_a_place(text)


def _tells_done_or_usual(text: str) -> bool:
    """News of something done or usual (``concierge/offline/aspect.py``) that asks nothing: no question, no ask of
    the concierge, and no clause that names a dinner, a stay or a trip without telling ("We landed in Lisbon,
    dinner for 2 tonight" asks for the dinner)."""
    if "?" in text or _EXPLICIT_ASK.search(text):
        return False
    said = pieces(text)
    done = [tells_done_or_usual(p) for p in said]
    return any(done) and not any(_names_a_booking(p) and not d for p, d in zip(said, done, strict=True))


_BOOKING_SLOT = re.compile(
    r"\d|\b(?:tonight|today|tomorrow|tmrw|weekend|(?:mon|tues|wednes|thurs|fri|satur|sun)day|one|two|three|four|five|"
    r"six|seven|eight|nine|ten)\b",
    _I,
)


def _names_a_booking(piece: str) -> bool:
    """A clause names something to book with a day, a time or a number ("dinner for 2 tonight"), not a remark
    ("brilliant trip") or a length alone ("3 nights") beside the news."""
    named = any(p.search(piece) for p in (_DINE, _STAY, _TRIP))
    return named and bool(_BOOKING_SLOT.search(piece))


def _asks_for_a_trip(text: str, ruled: Intent, people: People) -> bool:
    """A trip asked for with its length or party, a place only suggested ("I'd like somewhere warm in February for
    a week, me and my wife - maybe Spain?"): a request, not a question about the place."""
    said = people.nights is not None or people.party_size is not None
    asked = _SEEKING.search(text) or _EXPLICIT_ASK.search(text) or _WANTS_SOMEWHERE.search(text)
    return ruled == "trip" and said and bool(asked)


_WANTS_SOMEWHERE = re.compile(r"\b(?:need|want|like|love|fancy)\s+(?:somewhere|someplace|anywhere)\b", _I)


def _asks_how_things_are(text: str, when: When, people: People) -> bool:
    """A question about how things are done somewhere ("how late do people eat dinner in Madrid?", "what time do
    Spaniards eat lunch?"), its subject neither the speaker nor the concierge: answered, never booked. A party, a
    time or a booking verb asks for a table after all."""
    from concierge.offline.telling import asks_about_others

    if people.explicit or when.time is not None or _BOOKS.search(text) or _EXPLICIT_ASK.search(text):
        return False
    return asks_about_others(text)


_OF_THE_USER = re.compile(r"\b(?:i|i'm|im|me|my|mine|we|we're|our|us)\b", _I)


def _about_anyone(text: str, whole: KindReading, ruled: Intent) -> Intent:
    """A question about a need that is nobody's in particular ("is tempura safe for someone with a shellfish
    allergy?", "do halal restaurants in Berlin open on Sundays?"): what there is to eat, not what we remember."""
    if whole.sure and whole.kind in _ASKS_WHAT_THERE_IS and not _OF_THE_USER.search(text):
        return "place_question"
    return ruled


_WISH_MARGIN = 0.1  # how far a wish must read from every kind of request
_WANT = re.compile(r"\b(?:i|we)\s+(?:want|wanna)\b", _I)  # "some day I want to ...": a wish when nothing else asks


def _wished(text: str, whole: KindReading, when: When, nights: int | None) -> bool:
    """A wish about travel ("Some day I want to visit Iceland", "I'd love to see Lisbon one day"): the examples
    read it clearly as something told, and it gives no day, no length and asks nothing (a request names those)."""
    clear = whole.is_("statement") and whole.margin >= _WISH_MARGIN
    asks = _EXPLICIT_ASK.search(_WANT.sub("", text)) or _SEEKING.search(text)  # "I'd like to fly to ..." asks
    return clear and when.date is None and nights is None and "?" not in text and not asks


def _question_by_example(
    text: str, whole: KindReading, place: PlaceRef | None, when: When, booking: bool
) -> Intent | None:
    """A question about the user, their needs or a place (what there is to eat there, whether a kind of venue
    serves a need), or a request to forget, as the examples read it. ``booking``: a day, a time, a party or a meal
    is said, as a request says them."""
    if not _ASKED.search(text):
        return "forget" if whole.is_("forget") and _FORGET_VERB.search(text) else None
    kind = whole.kind if whole.sure else None
    if "?" in text and whole.kind == "statement" and whole.runner_up in _QUESTIONS:
        kind = whole.runner_up  # a question is never a statement: the closest kind of question
    if kind in ("memory_question", "needs_question"):
        return kind  # type: ignore[return-value]
    asks_for_places = place is None and _ASKS_WHERE.search(text) is not None  # "Where is it warm in January?"
    if kind == "place_question" and (place is not None or when.month is not None) and not asks_for_places:
        return "place_question"
    if _ASKS_WHAT_THERE_IS & {kind, whole.kind}:  # "are there halal options in Osaka?", "is sushi ok for a
        # pescatarian?": the venues that meet it, closest even when unsure, unless it asks to book or says when or
        # for how many ("any vegan restaurant in Berlin for 4 on Friday?" is a request)
        about_food = asks_about_food(text, _cuisine(text)) or _names_a_need(text)  # not "any tips for Lisbon?"
        return None if booking or _BOOKS.search(text) or not about_food else "place_question"
    pair = {whole.kind, whole.runner_up}  # "what are some good vegan places in Barcelona?": a request, unsure
    near_request = "place_need_question" in pair and bool(pair & _REQUEST_INTENTS)
    if not (whole.sure and whole.group == "request") and not near_request and _about_a_place(text, place, when):
        return "place_question"
    return "forget" if whole.is_("forget") and _FORGET_VERB.search(text) else None


_QUESTIONS = frozenset(
    {"memory_question", "needs_question", "place_question", "place_need_question", "options_question"}
)
_ASKS_WHAT_THERE_IS = frozenset({"place_need_question", "options_question"})
_BOOKS = re.compile(
    r"\b(?:book|booking|reserve|reservation|table\s+for|(?:find|get)\s+(?:me|us)|plan|organi[sz]e|arrange)\b", _I
)
_MY = re.compile(r"\bmy\b", _I)


def _asks_about_mine(text: str, place: PlaceRef | None) -> bool:
    """A question about something of the user's ("Is my nut allergy saved?"): never a statement to store."""
    return "?" in text and bool(_QUESTION_WORD.search(text) and _MY.search(text)) and place is None


_QUESTION_WORD = re.compile(
    r"^\W*(?:what|whats|what's|wats|wat|which|when|when's|how|how's|is|are|was|will|does|do|did|should|would|"
    r"tell\s+me\s+about)\b"
    r"(?!\s+there\b)",  # "are there gluten-free bakeries in Paris?" asks for options
    _I,
)
_ASKS_WHERE = re.compile(r"^\W*where\b|\bwhere\s+(?:should|could|can|to)\b", _I)


def _about_a_place(text: str, place: PlaceRef | None, when: When) -> bool:
    """A question about a place or a month that asks the concierge for nothing ("What should I pack for Kyoto in
    April?", "is Athens hot in August?"): no dinner, stay or trip named, no need to meet, no "where should we go"."""
    if (place is None and when.month is None) or not _QUESTION_WORD.search(text):
        return False
    if _EXPLICIT_ASK.search(text) or _ASKS_WHERE.search(text) or _kind_of_request(text) is not None:
        return False
    from concierge.needs import detect_needs

    return not detect_needs(text) and when.date is None and not _TELLING.search(text)


def _request_or_told(text: str, ruled: Intent, whole: KindReading, named: bool) -> Intent:
    """A request the rules read, unless every clause tells (a plan, a need) and none asks: then a statement."""
    from concierge.offline.kinds import read_piece_kinds

    readings = read_piece_kinds(text)
    if _only_told(text, readings) or (whole.kind == "statement" and _told_not_asked(text, readings)):
        return "statement"
    # "are there any good vegan places in Madrid?": a request, whose closest rival asks about a need, not a venue
    asks_venues = whole.runner_up == "place_need_question" and bool(_ASKED_FOR.search(text))
    keep = named or not ((whole.sure or asks_venues) and whole.group == "request")  # "a week in Seville"
    return ruled if keep else whole.kind  # type: ignore[return-value]


def _told_not_asked(text: str, readings: list[KindReading]) -> bool:
    """No question and no ask of the concierge, a clause that tells ("we might do London", "Next summer we're doing
    a road trip"), no clause that names a dinner, a stay or a trip without telling ("dinner in London on Friday, my
    husband is ..."), and no booking said as news ("we're 3 for lunch in Naples tomorrow")."""
    said = pieces(text)
    alone = len(said) == 1
    if "?" in text or any(_asks(p, alone) or _books(p, r) for p, r in zip(said, readings, strict=True)):
        return False
    clauses = [(_tells(piece), _kind_of_request(piece) is not None) for piece in said]
    return any(told for told, _ in clauses) and not any(named and not told for told, named in clauses)


def _tells(piece: str) -> bool:
    """The clause tells: a subject first or chat's subjectless participle (``_TELLING``), or, by its parse, a
    subject that says something of itself after a time or a place ("Next summer we're doing a road trip"), not
    after a request ("Lunch in Bordeaux on Tuesday for 2 I'm allergic to mustard")."""
    from concierge.offline.telling import declared_after

    if _TELLING.search(piece):
        return True
    opening = declared_after(piece)
    return opening is not None and _kind_of_request(opening) is None


def _asks(piece: str, alone: bool) -> bool:
    """The clause asks the concierge for something: a search, or an explicit ask, unless that is a wish to do
    something other than book that is news: wished "one day", or told beside other news with no day, month,
    party or length of its own ("Our anniversary is March 14 and we'd like to spend it in Paris"). A wish said
    alone asks for it to be planned ("We want to visit Athens in May")."""
    from concierge.offline.telling import WISH_WORDS, wishes

    if _SEEKING.search(piece):
        return True
    if _EXPLICIT_ASK.search(piece) is None:
        return False
    details = tied_to_a_moment(piece) or bool(
        _DAYS_AWAY.search(piece) or _NIGHTS.search(piece) or _IN_MONTH.search(piece)
    )
    told_wish = (_SOMEDAY.search(piece) or not (alone or details)) and wishes(piece)
    return not told_wish or bool(_EXPLICIT_ASK.search(WISH_WORDS.sub(" ", piece)))


_SOMEDAY = re.compile(r"\b(?:(?<!for\s)one\s+day|some\s*day|one\s+of\s+these\s+days|eventually)\b", _I)


# A month to plan for ("We want to visit Athens in May" asks for a trip; "next spring we want to see ..." tells).
_IN_MONTH = re.compile(
    r"\b(?:in|for|during|this|next|early|late|mid)[\s-]+(?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december)\b",
    _I,
)


def _books(piece: str, reading: KindReading) -> bool:
    """A clause the examples read surely as a dinner or a stay, tied to a day, a time or a party: a booking, even
    said as news ("we're 3 for lunch in Naples tomorrow")."""
    return reading.is_("dine", "stay") and tied_to_a_moment(piece)


def tells(text: str) -> bool:
    """A clause of ``text`` tells with a subject ("I'm heading to Kyoto"), rather than naming what to change."""
    return any(_TELLING.search(piece) for piece in pieces(text))


_SEEKING = re.compile(
    r"\b(?:looking\s+for|searching\s+for|in\s+need\s+of|need\s+(?:a|an|some|to\s+book)"
    r"|(?:'d|would)\s+(?:\w+\s+)?like\s+(?:a|an|some|the)|wants?\s+(?:a|an|some|the))\b",
    _I,
)


# A question: a question mark, or a question word first ("whats the weather like in Athens").
_ASKED = re.compile(
    r"\?|^\W*(?:what|whats|wats|which|when|where|how|is|are|do|does|can|could|would|should|remind|tell)\b(?!['\u2019]t\b)",
    _I,
)  # "can't do gluten, ..." tells
_FORGET_VERB = re.compile(
    r"\b(?:forget|delete|erase|remove|drop|unremember|wipe|scrub|don'?t\s+remember|stop\s+remembering)\b", _I
)
# An explicit ask of the concierge: an imperative at the start of a clause, or a polite request.
_EXPLICIT_ASK = re.compile(
    r"(?:^|[,.;:!?]\s*|\band\s+)(?:please\s+|so\s+)?(?:plan|book|find|reserve|get\s+(?:me|us)|organi[sz]e|arrange|show\s+me|"
    r"suggest|recommend|help\s+me|need\s+(?:a|an|some|somewhere))\b|\b(?:can|could|would|will)\s+(?:you|u)\b|\bplease\b|\b(?:i|we)(?:'d|\s+would)\s+like\b"
    r"|\b(?:i|we)\s+need\s+(?:a|an|some)\b|\b(?:i|we)\s+(?:want|wanna)\b|\blet'?s\b|\bhow\s+about\b|\bwhat\s+about\b",
    _I,
)


# A clause that tells: a subject first, or chat's subjectless participle ("planning Spain in March").
_TELLING = re.compile(
    r"^\W*(?:(?:just\s+so\s+you\s+know|fyi|btw|by\s+the\s+way|also|and|so)\W+)*"
    r"(?:i|i'm|im|i'll|i've|i'd|we|we're|we'll|we've|my|our|he|she|they|he's|she's|they're|"
    r"(?:currently\s+|probably\s+|still\s+)?(?:planning|heading|going|travelling|traveling|flying|visiting|off\s+to|"
    r"moving|considering|mulling|thinking\s+(?:of|about)|staying|spending|doing|hoping|contemplating|toying\s+with))\b",
    _I,
)


_ASKED_FOR = re.compile(
    r"\b(?:breakfast|brunch|lunch|dinner|diner|supper|meal|restaurants?|table|place|places|hotel|room|stay|trip)\b", _I
)


def _only_told(text: str, readings: list[KindReading]) -> bool:
    """Every clause tells (a plan, a need, a wish), every clause naming a trip, stay or meal does so with a subject
    ("I'm planning a trip to France", not "A trip to Lisbon next month"), and none asks the concierge for anything:
    a statement."""
    clauses = pieces(text)
    if "?" in text or any(_asks(piece, len(clauses) == 1) for piece in clauses):
        return False
    from concierge.needs import detect_needs

    # "can't eat shellfish" tells a need; "gluten-free dinner in Madrid", "gluten-free pizza" ask for a meal
    needs = [bool(detect_needs(piece)) and not (_ASKED_FOR.search(piece) or _cuisine(piece)) for piece in clauses]
    told = [_tells(piece) or need for piece, need in zip(clauses, needs, strict=True)]
    named = [_kind_of_request(piece) is not None for piece in clauses]
    if not any(told) or any(n and not t for n, t in zip(named, told, strict=True)):
        return False
    return all(_reads_told(p) or need for p, need in zip(readings, needs, strict=True))


def _reads_told(reading: KindReading) -> bool:
    """A clause the examples read as something said (a statement, a need added), or as nothing surely with a
    statement the runner-up ("visiting Florence in October")."""
    said = reading.group == "said" and reading.kind != "chit_chat"
    return said or reading.kind == "add_need" or (not reading.sure and reading.runner_up == "statement")


def _ask_party(people: People) -> list[str]:
    """ "with my kids": the party cannot be counted, so it is asked for, never assumed."""
    return [uncounted_problem()] if people.uncounted and people.party_size is None else []


def _meal(text: str, when: When) -> Meal | None:
    words = _MEALS.search(_STAY_MEALS.sub(" ", text))
    if words:
        return _MEAL_OF[re.sub(r"\s+", " ", words.group(1).lower())]
    if when.time is not None:
        return meal_for_time(when.time)
    if when.day_part in {"evening", "night"}:
        return "dinner"
    if when.day_part == "morning":
        return "breakfast"
    return None


_TRIP_MEAL = re.compile(
    r"\b(no\s+|without\s+|skip(?:ping)?\s+(?:the\s+)?)?(breakfasts?|brekkie|brunch(?:es)?|lunch(?:es)?|dinners?|suppers?)\b",
    _I,
)


def _trip_meals(text: str) -> tuple[Meal, ...]:
    """The meals a trip books each day: those named ("lunches only", "breakfast and dinner"), else lunch and
    dinner without those refused ("no lunches"); () when none is named (the itinerary's default)."""
    wanted: set[Meal] = set()
    refused: set[Meal] = set()
    for m in _TRIP_MEAL.finditer(_STAY_MEALS.sub(" ", text)):
        meal = _MEAL_OF[re.sub(r"(?<=ch)es$|s$", "", m.group(2).lower())]
        (refused if m.group(1) else wanted).add(meal)
    chosen = wanted - refused or ({"lunch", "dinner"} - refused if refused else set())
    return tuple(meal for meal in MEALS if meal in chosen)


def _budget_level(text: str) -> int | None:
    for level, pattern in _BUDGET_LEVELS:
        if pattern.search(text):
            return level
    signs = _SIGNS.search(text)
    return len(signs.group(0)) if signs else None


def _stay_kind(text: str) -> str | None:
    hits = [(m.start(), kind) for kind, pattern in _STAY_KINDS if (m := pattern.search(text))]
    return min(hits)[1] if hits else None


def _cuisine(text: str) -> str | None:
    """The first cuisine wished for: "fish" in "I'm allergic to fish" states a need, not a wish for seafood."""
    avoided: set[str] | None = None
    for m in _CUISINE.finditer(text):
        word = m.group(1).lower()
        if avoided is None:
            avoided = _need_foods(text)
        if word not in avoided:
            return CUISINES[word]
    return None


def _need_foods(text: str) -> set[str]:
    """The words of every need ``text`` states (a food to avoid, a diet), lower-cased."""
    from concierge.needs import detect_needs, load_vocabulary

    vocabulary = load_vocabulary()
    found: set[str] = set()
    for need in detect_needs(text):
        spec = vocabulary.get(need.need_id)
        found.update(w.lower() for w in (*spec.foods, *spec.says, *spec.causes))
    return found


def read_cuisine(text: str) -> str | None:
    """The first cuisine named in ``text`` ("something Japanese" -> "japanese"), as a request carries it."""
    return _cuisine(text)


def kind_named(text: str) -> Intent | None:
    """dine / stay / trip if ``text`` names one (a meal, a hotel, a trip), whichever comes first."""
    return _kind_of_request(text)


def read_budget_level(text: str) -> int | None:
    """The price level ``text`` asks for ("somewhere cheap" -> 1, "fine dining" -> 4), as a dinner request reads it."""
    return _budget_level(text)


def read_meal(text: str) -> Meal | None:
    """The first meal named in ``text`` ("lunch" -> "lunch", "supper" -> "dinner")."""
    words = _MEALS.search(text)
    return _MEAL_OF[re.sub(r"\s+", " ", words.group(1).lower())] if words else None


def _past_and_budget(text: str, intent: Intent, when: When, nights: int | None) -> tuple[Intent, list[str]]:
    """The intent, and the problems of a day gone or a budget at or below zero, which no plan is made for."""
    problems: list[str] = []
    if (
        intent == "statement"
        and when.past
        and not (_TELLS.search(text) or _tells_done_or_usual(text))
        and (kind := _kind_of_request(text))
    ):
        # "Dinner in Paris yesterday for 2" asks for something, on a day that is gone; "I had dinner ..." tells.
        intent = kind
        problems.append(_PAST_DAY)
    elif intent in _REQUEST_INTENTS and when.past and when.date is None and not _TOLD_PAST.search(text):
        problems.append(_PAST_DAY)  # "Book dinner in Lyon yesterday": never planned for another day
    if intent in _REQUEST_INTENTS and (odd := budget_problem(text, nights)):
        problems.append(odd)  # "under -50 euros"
    return intent, problems


def _cues(text: str) -> dict[str, bool]:
    """Which half of the day a bare hour means: "breakfast at 8" is 08:00, "lunch at 11" stays 11:00."""
    # "a.m." only with its dots: a bare "am" is the verb ("I am vegan"); "8am" is read by the clock patterns.
    evening_meal = re.search(r"\b(?:dinner|supper|tonight)\b", text, _I)
    morning = not evening_meal and bool(re.search(r"\b(?:breakfast|brekkie|brunch|morning)\b|\ba\.m\.", text, _I))
    return {"morning": morning, "lunch": bool(re.search(r"\b(?:lunch|lunchtime|brunch|midday)\b", text, _I))}


def _read_intent(
    text: str, when: When, people: People, place: PlaceRef | None, climate: str | None
) -> tuple[Intent, list[str]]:
    """The intent, and the problem of a request for a day that is gone."""
    attempted = bool(when.problems or people.problems)
    party_said = people.party_size if people.explicit else None
    ruled = _intent(text, when, party_said, people.nights, attempted, place, climate)
    return _past_and_budget(text, _by_example(text, ruled, place, when, people), when, people.nights)


def _request_fields(
    intent: Intent, text: str, now: datetime.datetime, when: When, people: People, climate: str | None
) -> dict[str, Any]:
    """The fields of a dine / stay / trip request; those of other kinds of request stay empty."""
    fields: dict[str, Any] = {
        "date": when.date,
        "time": when.time,
        "party_size": people.party_size,
        "month": when.month if when.date is None else (when.date.month if climate else None),
        "climate": climate if intent == "trip" else None,
    }
    if intent == "dine":
        said = meal_budget(text, people.party_size)  # "under €80 per person": €€€; "under 50 euros": asked
        level = said.level or (None if said.problem else _budget_level(text))
        return fields | {"meal": _meal(text, when), "budget_level": level, "cuisine": _cuisine(text)}
    fields |= {
        "nights": people.nights,
        "budget_per_night_eur": per_night_budget(text, people.nights),
        "stay_kind": _stay_kind(text),
    }
    fields |= _weekend_away(text, now, when, people.nights)
    return fields | ({"meals": _trip_meals(text)} if intent == "trip" else {})


def _weekend_away(text: str, now: datetime.datetime, when: When, nights: int | None) -> dict[str, Any]:
    """A stay or trip said as a weekend ("weekend break in Seville", "Lisbon for the weekend"): Friday to Sunday,
    unless the message says its own day or nights."""
    weekend = read_weekend(text, now.date(), month=when.month)
    if weekend is None:
        return {}
    said_day = when.date is not None and not when.covers(*weekend.span)  # "a weekend in Lyon from the 12th"
    return {"date": when.date if said_day else weekend.friday, "nights": nights or weekend.nights}


def parse_request(message: str, *, now: datetime.datetime, places: CatalogPlaces) -> TurnRequest:
    """The offline model's reading of one message. Never raises on user text: bad input becomes ``problems``."""
    names = [*places.cities, *places.cities.values()]  # their typos are the gazetteer's to read
    text = corrected(" ".join((message or "").split())[:2000], names)  # "dinnr tommorow": the words the rules read
    when = read_when(text, now, **_cues(text))
    people = read_people(text, when)
    place = places.find_in(text)
    place = place or places.misspelt_in(text)  # "Pariss" beyond doubt: Paris, marked as read
    climate = _climate(text)
    intent, past_problems = _read_intent(text, when, people, place, climate)
    fields: dict[str, Any] = {"intent": intent, "place": place}
    if intent == "place_question":  # "is sushi ok for a pescatarian?": the kind of food asked about
        fields |= {"month": when.month or (when.date.month if when.date else None), "cuisine": _cuisine(text)}
    if intent in _REQUEST_INTENTS:
        asked_people = [*people.problems, *_ask_party(people)]
        fields |= _request_fields(intent, text, now, when, people, climate)
        if passed := time_passed_problem(fields["date"], fields["time"], now):
            fields["time"], past_problems = None, [*past_problems, passed]  # "today at 1am" at 01:45
        meal_asked = [meal_budget(text, people.party_size).problem] if intent == "dine" and not asked_people else []
        fields["problems"] = tuple(
            dict.fromkeys([*past_problems, *when.problems, *asked_people, *filter(None, meal_asked)])
        )
    return TurnRequest(**fields)
