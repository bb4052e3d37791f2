"""Chat shorthand and dropped apostrophes, written out: "u", "r", "pls", "ppl", "2nite", "tmrw", "im", "dont".

These are too far from the word by letters to be read as a typo of it ("tmrw" drops four letters of "tomorrow"),
or are counted as English words by subtitle counts ("cant", "whats"), so the respeller looks them up here first.
A single letter is written out only in lower case beside another word ("my husband and i r vegan", "me n my wife").
"""

from __future__ import annotations

# As typed (lower case) -> as meant.
SHORTHAND: dict[str, str] = {
    # texting
    "u": "you",
    "r": "are",
    "n": "and",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "pleez": "please",
    "ppl": "people",
    "thx": "thanks",
    "thnx": "thanks",
    "thanx": "thanks",
    "b4": "before",
    "abt": "about",
    "rly": "really",
    "cuz": "because",
    "coz": "because",
    "bc": "because",
    # days and nights
    "2nite": "tonight",
    "2night": "tonight",
    "2nyt": "tonight",
    "tonite": "tonight",
    "tonyt": "tonight",
    "2day": "today",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "2morow": "tomorrow",
    "tmrw": "tomorrow",
    "tmrow": "tomorrow",
    "tmrrw": "tomorrow",
    "tmr": "tomorrow",
    "tmw": "tomorrow",
    "tomoz": "tomorrow",
    "nite": "night",
    "nites": "nights",
    "nyt": "night",
    "wknd": "weekend",
    # request words
    "htl": "hotel",
    "htls": "hotels",
    "resto": "restaurant",
    "brekky": "breakfast",
    "brekkie": "breakfast",
    "bfast": "breakfast",
    "accom": "accommodation",
    # dropped apostrophes
    "im": "I'm",
    "iam": "I am",
    "ive": "I've",
    "dont": "don't",
    "doesnt": "doesn't",
    "dosnt": "doesn't",
    "didnt": "didn't",
    "cant": "can't",
    "wont": "won't",
    "isnt": "isn't",
    "arent": "aren't",
    "wasnt": "wasn't",
    "werent": "weren't",
    "hasnt": "hasn't",
    "havent": "haven't",
    "hadnt": "hadn't",
    "shouldnt": "shouldn't",
    "couldnt": "couldn't",
    "wouldnt": "wouldn't",
    "hes": "he's",
    "shes": "she's",
    "theyre": "they're",
    "youre": "you're",
    "thats": "that's",
    "whats": "what's",
    "theres": "there's",
}

# Said as a name or a word of its own when capitalised inside a sentence ("R&B", "Ur"); these are not.
_ANY_CASE = frozenset(k for k, v in SHORTHAND.items() if "'" in v or v.startswith("I "))


def written_out(word: str, *, beside_words: bool, capitalised_inside: bool) -> str | None:
    """The words ``word`` is shorthand for, or None. ``beside_words``: a word comes before or after it."""
    lower = word.lower()
    meant = SHORTHAND.get(lower)
    if meant is None:
        return None
    if len(lower) == 1 and (word != lower or not beside_words):
        return None
    if capitalised_inside and lower not in _ANY_CASE:
        return None
    if word[:1].isupper() and not meant.startswith("I"):
        return meant[:1].upper() + meant[1:]
    return meant


# A day said short ("on sat", "next thurs"): written out only after a word that introduces a day, since "sat",
# "sun" and "wed" are words too ("I sat down", "in the sun"). The parse reads "lunch on sat" as a verb otherwise.
DAY_SHORTHAND: dict[str, str] = {
    "mon": "Monday",
    "tue": "Tuesday",
    "tues": "Tuesday",
    "wed": "Wednesday",
    "weds": "Wednesday",
    "thu": "Thursday",
    "thur": "Thursday",
    "thurs": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
_BEFORE_A_DAY = frozenset({"on", "this", "next", "until", "till", "til", "by", "from", "every", "last", "coming"})


# A part of the day or what is booked, said after the day: "dinner in Bologna sat for 2", "sat night".
_AFTER_A_DAY = frozenset({"night", "evening", "morning", "afternoon", "lunch", "dinner", "brunch", "for", "at"})
# Words that make the word after them a verb or a noun ("we sat at the bar", "the sun at noon").
_NO_DAY_AFTER = frozenset(
    {"i", "we", "you", "he", "she", "they", "it", "who", "that", "the", "a", "an", "have", "has", "had", "just"}
)


def day_written_out(word: str, before: str, after: str = "") -> str | None:
    """The weekday ``word`` is short for when the word ``before`` it introduces a day ("on sat"), or the word
    ``after`` it says the time or the party with no subject before it ("in Bologna sat for 2"), else None."""
    day = DAY_SHORTHAND.get(word.lower())
    if day is None or before in _BEFORE_A_DAY:
        return day
    return day if after in _AFTER_A_DAY and before and before not in _NO_DAY_AFTER else None
