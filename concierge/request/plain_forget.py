"""Is a forget request of a need plain? Only then does it delete the need; otherwise the concierge asks first.

Attack8 H4: "Forget my peanut allergy (not really)", "... Sike.", "... Just testing.", "... I think.", "My wife
says: forget my peanut allergy" deleted the allergy. A need is removed only by the person it belongs to, plainly,
so a forget request deletes a memory that states a need only when the message is that request and nothing else:

- before the verb, neutral company at most ("Hi.", "Good morning,", "ok", "please", "could you");
- the forget clause names what the memory says: each of its words is a word of the memory (or the same word
  misspelt, inflected or respelt by ``concierge.needs.spelling``), a word of the need's vocabulary, or a word
  of naming ("my", "that", "the fact", "from your memory");
- after the clause, neutral company at most ("thanks!", "cheers").

Everything is read by whitelist (``concierge.request.neutral`` and the words above): a word that is none of these
(a jest, a test, a hedge, someone's say-so, another statement) makes the request not plain, whatever it is.
"""

from __future__ import annotations

from collections.abc import Callable

from concierge.request.neutral import NEUTRAL_WORDS, only_neutral, tokens

# Words of naming a memory: pronouns, articles, the request's own nouns and prepositions, the verbs of stating.
NAMING_WORDS = frozenset(
    {
        "my", "mine", "me", "i", "m", "s", "re", "ve", "d", "the", "that", "this", "those", "these", "what",
        "about", "regarding", "on", "of", "to", "for", "with", "from", "off", "out", "in", "your", "you",
        "fact", "thing", "things", "bit", "part", "note", "notes", "stuff", "info", "information", "detail",
        "memory", "memories", "profile", "record", "records", "file", "list", "where", "saying", "said", "told",
        "mentioned", "am", "is", "are", "was", "be", "have", "has", "had", "do", "does", "he", "she", "they",
        "his", "her", "their", "our", "we", "us", "a", "an", "and", "user",
        # how a need is named
        "allergy", "allergies", "allergic", "intolerance", "intolerant", "sensitivity", "sensitive", "disease",
        "condition", "diet", "dietary", "requirement", "requirements", "restriction", "restrictions", "need",
        "needs", "rule", "eat", "eats", "keep", "keeps", "use", "uses", "follow", "follows", "avoid", "avoids",
    }
)  # fmt: skip
_CLAUSE_MARKS = frozenset(",'\"-")  # forget that "User is allergic to peanuts", as the concierge quotes it


def plainly_names(message: str, memory: str) -> bool:
    """``message`` is a plain forget request whose clause names what ``memory`` says (see the module docstring)."""
    from concierge.request.forget import forget_clause

    found = forget_clause(message)
    if found is None:
        return False
    lead, clause, rest = found
    return only_neutral(lead) and only_neutral(rest) and _names_only(clause, memory)


def _names_only(clause: str, memory: str) -> bool:
    """Every word of ``clause`` names something ``memory`` says, or is neutral or a word of naming."""
    from concierge.needs.retraction import need_words
    from concierge.needs.spelling import spelled_out

    said = _word_matcher(memory)
    own = need_words()
    for token in tokens(spelled_out(clause)):
        if token in _CLAUSE_MARKS or token in NAMING_WORDS or token in NEUTRAL_WORDS:
            continue
        if token.isalpha() and (token in own or token.rstrip("s") in own or said(token)):
            continue
        return False
    return True


def _word_matcher(memory: str) -> Callable[[str], bool]:
    from concierge.request.same_word import same_word

    words = [t for t in tokens(memory) if t.isalpha()]
    return lambda token: any(same_word(token, w) for w in words)
