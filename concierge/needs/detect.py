"""Detect the needs a text states: which need, whose, and whether it holds now.

Works on chat messages ("No peanuts for me please, I'm allergic", "my husband is vegan", "coeliac
here lol") and on the memories the memory layer stores ("User's husband is vegan"). spaCy gives
sentences, the dependency parse (whose need it is: subject, "for my son", "my husband's allergy",
"a son with a peanut allergy", "my mother, who ...") and tense; the vocabulary gives the words.

Reading rules, in short:
- a diet / condition word ("vegan", "coeliac", "deaf") is a need unless negated ("I'm not vegan"),
  over ("I used to be", "I was vegetarian", "outgrew") or only describing a thing ("a vegan
  restaurant", unless "vegan options for my sister", "halal food only");
- a food is a need only with an avoidance cue: a state ("allergic to", "intolerant"), a reaction
  ("gives me hives"), "no / without / -free", or a negated eating verb ("can't have gluten");
  eating in the present lifts it ("I can eat gluten again"); likes are never needs;
- clauses are read separately ("I'm not allergic to nuts but I am to sesame"); a clause without
  its own cue borrows one from its sentence ("Peanuts and sesame - I'm allergic to both"), and an
  elliptical one copies the previous clause's needs ("I don't have a nut allergy, my son does",
  "no nuts please, my son's anaphylactic", "... my son can't have them");
- a negation has a scope: "can't eat eggs, allergy" negates the eating (a need), not the allergy after
  the comma; "no nuts and no sesame" avoids both; "no longer vegetarian and eats meat" ends at "eats";
- a need required of the venue is the asker's, even with no "I" ("it has to be halal", "the restaurant
  must be step-free"); a need described ("the hotel is step-free") or asked about is nobody's;
- "for them" / "one of them" with nobody named are the user (the memory layer's rewrite of "me" / "us");
  days, months and places are not people ("Friday in Paris", "3 people, Berlin on Friday");
- an avoidance explained as taste ("No fish tonight, I just don't fancy it") is not a need;
- "everything but X" / "anything except X and Y" avoids the foods listed after it, even with "I eat" or "is fine";
  a reaction beside an eating verb ("my throat closes up if I eat peanuts") is a need, not a lift;
- a word that is both a person and a need ("gf") is the person only when someone's ("my gf"), else the need;
- "it's just me" / "only me" sets the user apart: the previous clause's need is not copied to them;
- a cause ("wine" for sulphites) is a need only with an allergy or a reaction, never with a plain "no wine".
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from concierge.needs import mood, nlp
from concierge.needs.detect_asides import without_asides
from concierge.needs.detect_cleft import holder_said_plainly
from concierge.needs.detect_names import capitalised_names, full_name
from concierge.needs.detect_wish import wished_needs
from concierge.needs.foreign import english_only
from concierge.needs.holders import (
    befalls_a_thing,
    denied_by_the_user,
    owner_of_a_thing,
    predicate_owner,
    someone_unlisted,
    subject_through_aux,
)
from concierge.needs.lexicon import Lexicon, is_word, lexicon_for
from concierge.needs.named_exception import HowSaid, with_exceptions
from concierge.needs.other_sense import other_sense
from concierge.needs.person_or_thing import names_a_thing, owns_no_need
from concierge.needs.places import is_place
from concierge.needs.said_of_no_one import (
    a_property_of_a_thing,
    in_an_object,
    not_said_of_anyone_now,
    of_people_in_general,
    only_at_times,
)
from concierge.needs.spelling import respelt
from concierge.needs.vocabulary import NeedVocabulary, load_vocabulary

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

USER = "user"
UNNAMED_COMPANION = "one of us"  # someone in the party nobody named ("one of us is coeliac", "someone in our group")
PRONOUN_ONLY = "companion"  # "he" / "she" with nobody named before

_BOUNDARY_PUNCT = frozenset({",", ";", ":", "—", "(", ")", "!", "?", "…", "...", "/"})
_BOUNDARY_WORDS = frozenset(
    {"but", "though", "although", "whereas", "so", "because", "cause", "cos", "however", "plus"}
)
_JOINERS = frozenset({"and", "or", "&", "also", "then"})
_SUBJECT_STARTS = frozenset({"i", "we", "he", "she", "they", "my", "our", "his", "her", "their", "user", "the"})
_FIRST_PERSON = frozenset(
    {"i", "me", "we", "us", "you", "u", "ya", "myself", "ourselves", "my", "our", "mine", "ours", "user"}
)
_THIRD_PERSON = frozenset({"he", "him", "his", "she", "her", "hers"})
_PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
_SOMEONE = frozenset({"someone", "somebody"})
_ANYONE = frozenset({"person", "member", "diner", "guest", "adult", "traveller", "traveler"})  # "one person", "a guest"
_COUNTS = frozenset({"one", "two", "three", "four", "five", "six", "2", "3", "4", "5", "6"})
_PARTY_WORDS = frozenset({"us", "group", "party", "table", "team"})
_TRAVEL_VERBS = frozenset({"visit", "tour", "explore"})
_RELATIVES = frozenset({"who", "that", "whom", "which"})
_STATEMENTS = frozenset({"state", "reaction", "stop", "consume", "adjacent"})
_SUBORDINATORS = frozenset({"if", "whether", "that", "because", "since", "when"})
_FILLERS = frozenset({"lol", "btw", "haha", "tbh", "xx", "fyi", "imo", "lmao", "pls", "plz", "thanks", "thx", "here"})
_PLACE_PREPOSITIONS = frozenset(
    {
        "in",
        "at",
        "to",
        "from",
        "near",
        "around",
        "across",
        "through",
        "via",
        "into",
        "toward",
        "towards",
        "outside",
        "inside",
    }
)
_ATTACHED = frozenset({"with", "in", "on"})  # "a son with a nut allergy", "a guest in a wheelchair"
_ANAPHORA = frozenset({"it", "them", "both", "those", "these", "all", "either", "any", "each"})
_RUN_LINKS = frozenset({"and", "or", "nor", "&", "any", "no", "the", "some", "also", "even"})
_ELLIPTIC_VERBS = frozenset({"be", "do", "have", "can", "will", "would"})
_VERDICTS = frozenset({"wrong", "right", "mistaken", "lying", "confused", "correct", "joking", "kidding"})
_ADDITIVE = frozenset({"too", "also", "same", "well", "either"})  # "my husband too", "my wife as well"
_PERSON_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "appos", "conj"})
_DETERMINERS = frozenset({"my", "our", "his", "her", "their", "your", "ur", "the", "a", "an", "'s"})
_HAVE_GOT = frozenset({"'s", "has", "have", "'ve", "is"})  # "my brother's got a soy allergy" is the present
_CALENDAR = frozenset(  # "Friday in Paris" names a day, not a person
    name.lower()
    for names in (calendar.day_name, calendar.day_abbr, calendar.month_name, calendar.month_abbr)
    for name in names
    if name
)
_SLANG = (
    (re.compile(r"\b([Ii])m\b"), r"\1'm"),
    (re.compile(r"\bw/o\b", re.I), "without"),
    (re.compile(r"[‘’`´]"), "'"),  # noqa: RUF001 (curly quotes are what phones type)
    (re.compile(r"\s+-{1,2}\s+"), " – "),  # noqa: RUF001 ("I'm vegan - dinner in Rome": a dash, not a hyphen)
    (re.compile(r"\bsea\s+food\b", re.I), "seafood"),
    (re.compile(r"\bluv\b", re.I), "love"),
    # "no nuts pls im alergic": a courtesy word before a new subject closes the clause it ends
    (
        re.compile(r"\b(pls|plz|please|thx|thanks)\s+(?=(?:i|i'm|we|we're|he|she|he's|she's|they|my|our)\b)", re.I),
        r"\1, ",
    ),
    (re.compile(r"\b(can|don|won|didn|doesn|isn|aren)t\b", re.I), r"\1't"),  # "cant do spicy", "dont eat pork"
    (
        re.compile(r"[,;]\s+(?=same\s+(?:for|with|goes\s+for)\s)", re.I),
        ". ",
    ),  # "..., same for my son": a clause of its own
)


# Verb forms that open a clause with its subject left out after a need said alone: "flying", "moved", "visit".
_SUBJECTLESS_VERB_TAGS = frozenset({"VBG", "VBN", "VB", "VBD", "VBZ", "VBP"})


@dataclass(frozen=True)
class DetectedNeed:
    """One statement of a need: whose it is, whether it holds now, and the clause it came from."""

    need_id: str
    kind: str
    label: str
    holder: str  # "user", or the companion as said: "husband", "daughter", "Tom"
    active: bool  # False when negated, past or lifted
    evidence: str


@dataclass
class _Clause:
    sentence: Span
    tokens: list[Token]
    words: list[str] = field(default_factory=list)  # canonical words (the lexicon's view)
    word_tokens: list[Token] = field(default_factory=list)
    holder: list[str] | None = None  # set for elliptical clauses that start with a person ("my brother to nuts")
    elliptical: bool = False
    judged: list[tuple[tuple[str, ...], str, str, bool]] = field(default_factory=list)  # (ids, role, kind, negated)
    breaks: frozenset[int] = frozenset()  # word positions with punctuation right before them ("eggs, allergy")
    food_starts: frozenset[int] = frozenset()  # where the clause's food mentions start
    cue: tuple[str, int] | None = None  # the clause's avoidance cue: (kind, word position)
    foods: list[tuple[str, ...]] = field(default_factory=list)  # need ids of every food named, needs or not

    @property
    def text(self) -> str:
        return self.sentence.doc[self.tokens[0].i : self.tokens[-1].i + 1].text


@dataclass
class _Mention:
    ids: tuple[str, ...]
    role: str  # "says" or "foods"
    start: int
    end: int
    cause: bool = False  # only carries the need ("wine"): a need with an allergy or reaction, not with "no wine"


class _Reader:
    """Reads one text against one vocabulary; remembers the last person named (for "he" / "she")."""

    def __init__(self, vocabulary: NeedVocabulary, lexicon: Lexicon) -> None:
        self.vocab = vocabulary
        self.lex = lexicon
        self.cues = lexicon.cues
        self.last_person: str | None = None
        self.how = HowSaid()  # how this text's needs were said: its named exceptions (``named_exception``)

    # -- people ---------------------------------------------------------------------------------------
    def _companion(self, tok: Token) -> str | None:
        """The relation a noun names, as said ("husband", "in-laws", "mother-in-law"), if it is a companion."""
        if self._need_not_person(tok):
            return None  # "GF please": gluten-free, not a girlfriend
        doc = tok.doc
        whole = doc[tok.i - 2 : tok.i + 1] if _hyphen_tail(tok) else None
        if whole is not None and tuple(t.norm_ for t in whole if is_word(t)) in self.cues["companions"]:
            return whole.text.lower()  # the "wife" of "ex-wife", the "laws" of "in-laws": the relation is the whole
        if (said := self._relation_said(tok)) is not None:
            return said
        return tok.text.lower() if (tok.lemma_.lower(),) in self.cues["companions"] else None

    def _relation_said(self, tok: Token) -> str | None:
        """The relation with the words joined to it ("mother-in-law", "step mum"), longest first."""
        doc = tok.doc
        left = [c for c in tok.lefts if c.dep_ == "compound" or c.text in ("-", "–")]  # noqa: RUF001
        start, end = min([c.i for c in left] + [tok.i]), tok.i + 1
        while end + 1 < len(doc) and doc[end].text == "-" and not doc[end].whitespace_:
            end += 2  # "mother-in-law": the parser splits it
        for s, e in ((start, end), (start, tok.i + 1), (tok.i, tok.i + 1)):
            if doc[s].text in ("-", "–"):  # noqa: RUF001
                continue  # "great-uncle": the uncle, never "-uncle" (the word before says which uncle)
            said = tuple(t.norm_ for t in doc[s:e] if is_word(t))
            if said in self.cues["companions"]:
                return self._spaced_relation(doc[s:e], tok) if e == tok.i + 1 else doc[s:e].text.lower()
        return None

    def _spaced_relation(self, said: Span, tok: Token) -> str:
        """ "mother in law" written with spaces: the relation with the words after it, else as said."""
        doc = tok.doc
        words = tuple(t.norm_ for t in said if is_word(t))
        after = [t for t in doc[said.end : said.end + 3] if is_word(t)]
        for k in (2, 1):
            if len(after) >= k and (*words, *(t.norm_ for t in after[:k])) in self.cues["companions"]:
                return doc[said.start : after[k - 1].i + 1].text.lower()
        return said.text.lower()

    def _need_not_person(self, tok: Token) -> bool:
        """A word that names both a companion and a need ("gf": girlfriend or gluten-free) is the person only
        when someone's ("my gf", "the gf"), else the need ("GF please", "GF and DF options")."""
        word = (tok.norm_,)
        if word not in self.cues["companions"] or word not in self.lex.need_phrases:
            return False
        before = tok.doc[tok.i - 1].norm_ if tok.i > 0 else ""
        return before not in _DETERMINERS and not any(c.dep_ in ("poss", "det") for c in tok.children)

    def person(self, tok: Token) -> list[str] | None:
        """Who a noun or pronoun is, as holders (with "and": "my wife and I"); None for things."""
        people = self._one_person(tok)
        if people is None:
            return None
        for conj in (c for c in tok.children if c.dep_ == "conj"):
            people += self._one_person(conj) or []
        return list(dict.fromkeys(people))

    def _one_person(self, tok: Token) -> list[str] | None:
        if (speaker := self._speaker(tok)) is not None:
            return speaker
        if (aged := _an_age(tok)) is not None:
            return [aged]  # "my 5-year-old", "our 3 year old": a child of the user's, never the user
        if _is_count(tok):
            return self._counted(tok)
        if _party_counted(tok):
            return None  # "a halal lunch for six guests": how many, nobody's in particular (not "guests")
        return self._someone(tok)

    def _speaker(self, tok: Token) -> list[str] | None:
        """The user ("I", "me", "User"), a child the parser hung on "User", or the group "we" sums up."""
        norm = tok.norm_
        if norm in ("we", "us") and tok.dep_ in ("nsubj", "nsubjpass") and (group := self._group_before(tok)):
            return group  # "me and my girlfriend, we're both vegetarian"
        if norm in _FIRST_PERSON or norm == "i." or tok.lower_ == "user":  # "..., and so am I.": "I." one token
            aged = next((a for c in tok.children if c.dep_ == "amod" and (a := _an_age(c, owned=True))), None)
            return [aged] if aged else [USER]  # "User's 3 year old": the parser hangs the child on "User"
        return None

    def _someone(self, tok: Token) -> list[str] | None:
        """Someone unnamed of the party, whom a pronoun stands for, or a companion or name; None for people in
        general."""
        norm, subject = tok.norm_, tok.dep_ in ("nsubj", "nsubjpass")
        if subject and tok.lemma_.lower() in _ANYONE and any(c.norm_ in ("one", "a", "1") for c in tok.children):
            return [UNNAMED_COMPANION]  # "one person in our party is ...", "a guest is coeliac"
        if norm in _THIRD_PERSON | _PLURAL_PRONOUNS | _RELATIVES or (norm in _SOMEONE and subject):
            return self._pronoun(tok)
        if subject and _said_of_everyone(tok):
            return None  # "Kids often outgrow egg allergies": kids in general, nobody in the party
        return self._named(tok)

    def _counted(self, tok: Token) -> list[str] | None:
        """Some of the party: "two adults, one is lactose intolerant", "one of us", "one of my friends"."""
        pobj = next((g for c in tok.children if c.norm_ == "of" for g in c.children if g.dep_ == "pobj"), None)
        if pobj is None:
            return [UNNAMED_COMPANION] if tok.norm_ == "one" else None
        if pobj.norm_ in _PARTY_WORDS:
            return [UNNAMED_COMPANION]  # "one of our group", "two of us are vegan" ("the four of us": everyone)
        if pobj.norm_ == "us" or (pobj.norm_ == "them" and not self.last_person):
            return [UNNAMED_COMPANION]  # "one of them" with nobody named: the memory layer's rewrite of "one of us"
        if tok.norm_ == "one" and pobj.tag_ == "NNS" and self._companion(pobj):
            return [pobj.lemma_.lower()]  # "one of my friends": a friend
        # "one of whom", "two of my kids": the group
        return self._one_person(pobj) or ([self.last_person] if self.last_person else None)

    def _pronoun(self, tok: Token) -> list[str] | None:
        """Whom "he", "she", "they", "someone" or "who" stands for."""
        norm = tok.norm_
        if norm in _THIRD_PERSON and (bound := self._bound_pronoun(tok)):
            return bound  # "my son has outgrown his egg allergy": his = the son
        if norm in _THIRD_PERSON:
            # "User said she is ...": in a memory, "she" is the user unless someone else was named
            user_named = any(t.lower_ == "user" for t in tok.doc[: tok.i])
            return [self.last_person or self._antecedent(tok) or (USER if user_named else PRONOUN_ONLY)]
        if norm in _SOMEONE:
            return [UNNAMED_COMPANION]  # "someone in our group is halal", "one person in our party"
        if norm in _PLURAL_PRONOUNS:
            return [self.last_person] if self.last_person else None
        if tok.head.dep_ == "relcl":
            return self.person(tok.head.head)
        before = [t for t in tok.doc[max(0, tok.i - 2) : tok.i] if not t.is_punct]
        return self._one_person(before[-1]) if before else None  # the parser missed the relative clause

    def _named(self, tok: Token) -> list[str] | None:
        """A companion by relation ("my husband", "my husband Raj") or a name; a place is nobody ("in Porto")."""
        companion = self._companion(tok)
        if companion:
            if owned := self._owned(tok):
                return [owned]
            name = self._appos_name(tok)
            return [full_name(name) if name is not None else companion]
        if (name := self._appos_name(tok)) is not None and _titled(name):
            return [name.text]  # "my dentist Dr. Smith": a title says the name is a person's
        at_place = tok.dep_ == "pobj" and tok.head.norm_ in _PLACE_PREPOSITIONS  # "in Porto" is a place
        at_place |= tok.dep_ == "dobj" and tok.head.lemma_.lower() in _TRAVEL_VERBS  # "visiting Florence in June"
        # "3 people, Berlin on Friday": a name in apposition to a thing is a place
        at_place |= tok.dep_ == "appos" and tok.head.pos_ == "NOUN" and not self._companion(tok.head)
        # a place named where no person is said to be ("Planning Kyoto ..., nut allergy though") is nobody
        with_someone = tok.dep_ == "pobj" and tok.head.norm_ == "with"  # "dinner with Florence"
        said_of = tok.dep_ in ("nsubj", "nsubjpass", "appos", "conj") and not _place_before_comma(tok)
        at_place |= not said_of and not with_someone and is_place(tok.text)
        if tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.dep_ != "compound" and not at_place:
            return [full_name(tok)] if self._is_name(tok) else None
        return [tok.text] if self._misread_name(tok) else None

    def _appos_name(self, tok: Token) -> Token | None:
        """The name said beside a noun: "my son Tom", "my dentist Dr. Smith" (a title is the name's compound)."""
        return next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN" and self._is_name(c)), None)

    def _owned(self, tok: Token) -> str | None:
        """Someone else's relative: "Ana's mother", "my friend's mother" (holder "friend's mother", never the
        user's own mother), and "my friend Ana's mother" (the parser hangs the mother on the friend)."""
        for noun in (tok, *(c for c in tok.children if c.dep_ == "appos" and self._companion(c))):
            owners = (c for c in noun.children if c.dep_ == "poss" and any(g.norm_ == "'s" for g in c.children))
            owner = next(owners, None)
            if owner is None or owner.lower_ == "user":
                continue
            who = owner.text if owner.pos_ == "PROPN" else self._companion(owner)
            if who:
                return f"{who}'s {self._companion(noun)}"
        return None

    def _group_before(self, tok: Token) -> list[str] | None:
        """The user and the companions said together before "we" ("me and my girlfriend, we ...", "for my wife and
        me. We ..."): who "we" is; None when no such group was named."""
        for before in reversed(tok.doc[: tok.i]):
            if before.dep_ == "conj" or not any(c.dep_ == "conj" for c in before.children):
                continue
            people = self.person(before)
            if people and USER in people and len(people) > 1:
                return people
        return None

    def _bound_pronoun(self, tok: Token) -> list[str] | None:
        """A possessive "his" / "her" bound by its own clause's subject when that is a companion ("my son has
        outgrown his egg allergy"), or "he" / "she" saying something of themself ("my wife says she's not vegan"),
        read before any earlier person."""
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ccomp":
            verb = tok.head.head  # "User's wife says she is not vegan any more": she = the wife
        elif tok.dep_ == "poss":
            verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
        else:
            return None
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None) if verb else None
        if subject is None or subject.norm_ in _THIRD_PERSON or subject.norm_ in _FIRST_PERSON:
            return None
        return self._one_person(subject) if self._companion(subject) else None

    def _misread_name(self, tok: Token) -> bool:
        """A name opening a sentence that the small tagger reads as an adverb ("Raj is vegan now": Raj/ADV) or as an
        unknown noun: capitalised, not a stop word ("Here is", "Now is") nor a vocabulary word, and followed by a
        finite verb."""
        if not (tok.is_sent_start and tok.text[:1].isupper()) or tok.is_stop:
            return False
        unknown_noun = tok.pos_ == "NOUN" and tok.lower_ not in nlp.english_words()  # "Ines eats fish": Ines/NOUN
        if tok.pos_ not in ("ADV", "X", "INTJ") and not unknown_noun:
            return False
        after = next((t for t in tok.doc[tok.i + 1 :] if t.pos_ not in ("ADV", "PART") and t.dep_ != "neg"), None)
        finite = after is not None and after.pos_ in ("AUX", "VERB") and after.tag_ in ("VBZ", "VBD", "MD")
        return finite and tok.lower_ not in _CALENDAR and not self.lex.is_known(self.lex.canonical(tok))

    def _is_name(self, tok: Token) -> bool:
        """A capitalised word that is neither one of the vocabulary's words ("Octopus gives me a rash") nor a
        day or month ("Friday in Paris"), nor an English word that is capitalised only because it starts the
        sentence and is nobody's subject ("Brunch in Lisbon, ...") or names a meal or a dish ("Brunch is vegan")."""
        if not tok.text[:1].isupper() or tok.lower_.rstrip(".") in _CALENDAR or (tok.norm_,) in self.cues["times"]:
            return False  # "Friday in Paris", "Seville for Easter": a day or a time of year, not a person
        if tok.is_sent_start and tok.dep_ not in _PERSON_DEPS and tok.lower_ in nlp.english_words():
            return False
        if tok.is_sent_start and names_a_thing(tok.text):  # "Brunch is vegan for me", "Ramen for two": a meal
            return False
        return not self.lex.is_known(self.lex.canonical(tok))

    def _people_in(
        self,
        clause: _Clause,
        skip: Token | None = None,
        skip_ids: set[int] = frozenset(),  # type: ignore[assignment]
    ) -> list[str] | None:
        """The first person a clause names anywhere ("eggs give me a rash", "my throat")."""
        for tok in clause.tokens:
            if tok is skip or tok.i in skip_ids or tok.norm_ in _RELATIVES or tok.norm_ in _PLURAL_PRONOUNS:
                continue
            if tok.dep_ == "poss" and self._companion(tok.head):
                continue  # "my daughter's food": the daughter, not "my"
            if owner_of_a_thing(tok):
                continue  # "eggs give my son's hamster diarrhoea": nobody's need (concierge.needs.holders)
            if _in_count(tok):
                continue  # "one of us": read from the count, before it
            named = tok.pos_ in ("PRON", "NOUN", "PROPN") or (tok.pos_ == "NUM" and tok.norm_ in _COUNTS)
            if (named or self._misread_name(tok)) and (people := self.person(tok)):
                return people
        return None

    def _experiencer(self, clause: _Clause) -> list[str] | None:
        """Who a reaction happens to: "X gives me hives", "X makes my throat swell", "X upsets my son's stomach"."""
        for tok in clause.tokens:
            if tok.dep_ == "poss" and self._companion(tok.head):
                continue  # "my husband": the husband is read from the head noun
            if tok.dep_ in ("dobj", "dative", "poss") and (people := self.person(tok)):
                return people
        return None

    def _for_person(self, clause: _Clause, tok: Token | None = None) -> list[str] | None:
        """ "for me", "for my son": whom a request is for. With several ("gluten free for me and vegan for my
        sister"), the one attached to ``tok`` or its heads, else the nearest after it, else the nearest before."""
        fors = [t for t in clause.tokens if t.norm_ == "for"]
        if tok is not None:
            heads = {tok.i, *(a.i for a in tok.ancestors)}
            fors.sort(key=lambda f: (f.head.i not in heads, f.i < tok.i, abs(f.i - tok.i)))
        for prep in fors:
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            nxt = prep.doc[prep.i + 1] if prep.i + 1 < len(prep.doc) else None
            for candidate in (pobj, nxt):
                if candidate is None:
                    continue
                if people := self.person(candidate):
                    return people
                if candidate.norm_ in _PLURAL_PRONOUNS and not self.last_person:
                    return [USER]  # "for them" with nobody named: a stored fact's rewrite of "for me"
        return None

    def holders(
        self, tok: Token, clause: _Clause, is_food: bool, mention_tokens: set[int], reaction: bool = False
    ) -> list[str] | None:
        """Whose need a mention states; None when it describes a thing ("the hotel is not wheelchair accessible")."""
        if (owned := predicate_owner(tok, self.person)) is not None:
            return owned  # "the nut allergy isn't mine" (nobody here), "the allergy is my son's"
        if reaction and befalls_a_thing(clause.tokens):
            return None  # "eggs give my son's hamster diarrhoea": no need of anyone's (concierge.needs.holders)
        if people := self._direct_holder(tok, clause, mention_tokens, reaction):
            return people
        if mention_tokens and self._said_of_no_one(sorted(tok.doc[i] for i in mention_tokens), clause):
            return None  # "Nut-free granola is bland", "People with nut allergies should be careful"
        if _a_kind_of_people(tok, self._says_avoidance if is_food else None) and not self._spans(clause, "need"):
            return None  # "Vegans are annoying", "Egg allergies are common in toddlers": about a kind, not anyone
        decided, people = self._walk_to_holder(tok, clause, is_food, mention_tokens)
        if decided:
            return people
        if people := self._people_in(clause):
            return people
        if aged := _AGED.search(clause.text):  # "My 7-year-old is vegan": the parser may leave it no subject
            return [f"{aged['years']}-year-old"]
        asked = clause.sentence[-1].text == "?" or clause.tokens[-1].text == "?"
        return None if asked else [USER]  # "Is there step-free access?" asks about a venue

    def _said_of_no_one(self, tokens: list[Token], clause: _Clause) -> bool:
        """A thing's property or people in general (``concierge.needs.said_of_no_one``); a thing required or asked
        for ("gluten-free pasta is a must", "halal food only please") or that affects someone ("lupini beans make
        me sick") is a need."""
        is_person = lambda noun: bool(self.person(noun))  # noqa: E731
        asked = self._required(clause) or self._spans(clause, "need") or self._spans(clause, "reactions")
        thing = not asked and (
            a_property_of_a_thing(tokens, is_person, self._known) or in_an_object(tokens, is_person)
        )  # "Nut-free granola is bland", "My code is gluten-free, no wheat in it"
        return thing or of_people_in_general(tokens, is_person)

    def _known(self, tok: Token) -> bool:
        """A cue word of the vocabulary ("allergy", "intolerance", "diet"), not a food or a need itself."""
        word = (self.lex.canonical(tok),)
        return any(word in phrases for phrases in self.cues.values())

    def _direct_holder(self, tok: Token, clause: _Clause, mention_tokens: set[int], reaction: bool) -> list[str] | None:
        """The holder said outright: the person an elliptical clause starts with, who a reaction happens to, the
        mention's own subject when not the user, or whom the request is for."""
        if clause.holder:
            return clause.holder
        if reaction and (people := self._experiencer(clause)):
            return people
        if people := self._condition_owner(tok):
            return people
        return self._own_subject(tok, clause, mention_tokens) or self._for_person(clause, tok)

    def _condition_owner(self, tok: Token) -> list[str] | None:
        """Whose the named condition is, whoever speaks: "User's brother: forget User's peanut allergy" is the
        user's allergy ("peanut" qualifies "allergy", which "User's" owns)."""
        node = tok
        while node.dep_ in ("compound", "amod") and node.head.i != node.i:
            node = node.head
        from concierge.needs.retraction import CONDITIONS

        return self._possessor(node) if node.lemma_.lower() in CONDITIONS and node is not tok else None

    def _walk_to_holder(
        self, tok: Token, clause: _Clause, is_food: bool, mention_tokens: set[int]
    ) -> tuple[bool, list[str] | None]:
        """Up the parse from the mention to the person it belongs to: (decided, holders); not decided when the walk
        reached the root or left the clause without a person."""
        inside = {t.i for t in clause.tokens}
        local = self._starts_person(clause.tokens) or self._people_in(clause, skip_ids=mention_tokens)
        node, came_from = tok, None
        for _ in range(16):
            if node.i not in inside:  # the clause names its own person ("... and our daughter is allergic to eggs")
                return (True, local) if local else (False, None)
            if people := self._attached_person(node, came_from, mention_tokens) or self._possessor(node):
                return True, people
            subject = next(
                (
                    c
                    for c in (*node.children, *filter(None, [subject_through_aux(node)]))
                    if c.dep_ in ("nsubj", "nsubjpass")
                    and c.i not in mention_tokens
                    and tok not in c.subtree
                    and not _place_before_comma(c)
                ),
                None,
            )
            if subject is not None:
                if people := self.person(subject):
                    return True, people
                if subject.norm_ in _RELATIVES and subject.head.dep_ == "relcl":
                    came_from, node = subject.head, subject.head.head  # "a vegetarian who eats fish"
                    continue
                return True, self._subject_not_person(subject, clause, is_food, mention_tokens)
            if node.head.i == node.i:
                break
            came_from, node = node, node.head
        return False, None

    def _attached_person(self, node: Token, came_from: Token | None, mention_tokens: set[int]) -> list[str] | None:
        """The person a mention modifies or is attached to: "a vegan friend", "a son with a peanut allergy"."""
        attached = came_from is not None and came_from.dep_ == "prep" and came_from.norm_ in _ATTACHED
        if came_from is None or not (attached or came_from.dep_ in ("amod", "compound", "nmod", "relcl", "acl")):
            return None
        if node.i not in mention_tokens and (people := self._one_person(node)):
            return people
        if attached:  # "User has a son with a peanut allergy"
            objects = [c for c in node.children if c.dep_ == "dobj" and c.i not in mention_tokens]
            if objects and (people := self.person(objects[0])):
                return people
        return None

    def _possessor(self, node: Token) -> list[str] | None:
        """ "my husband's allergy": whose the noun is."""
        for poss in (c for c in node.children if c.dep_ == "poss"):
            if people := self.person(poss):
                return people
        return None

    def _subject_not_person(
        self, subject: Token, clause: _Clause, is_food: bool, mention_tokens: set[int]
    ) -> list[str] | None:
        """The holder when the predicate's subject is not a person: someone else the clause names, else the user
        when the subject is the need itself ("coeliac here"), the food, or a thing required ("it has to be halal")."""
        beside = next((c for c in subject.children if c.dep_ == "appos" and c.pos_ == "NOUN"), None)
        if beside is not None:  # "Peanut, my little boy, is ...", "Sesame, my cat, is vegan": who the name is
            return self.person(beside) or self._subject_not_person(beside, clause, is_food, mention_tokens)
        if self._owned_thing(subject):  # "my wife's cookbook is vegan", "my cat is vegan": said of no one, but said
            return [USER] if self._required(clause) else []  # (nobody holds it; "..., and so am I" copies it)
        if who := someone_unlisted(subject, self.person):  # "my teacher", "my mother's carer", "the bride"
            return [who]
        if people := self._people_in(clause, skip=subject):
            return people
        said_need = (self.lex.canonical(subject),) in self.lex.need_phrases  # "coeliac here, also ..."
        if said_need or (is_food and subject.i in mention_tokens) or self._required(clause):
            return [USER]
        return None

    def _says_avoidance(self, noun: Token) -> bool:
        """ "allergies", "intolerance": a noun that says a food is avoided."""
        word = (self.lex.canonical(noun),)
        return word in self.cues["avoid"] or word in self.cues["avoid_after"]

    def _owned_thing(self, subject: Token) -> bool:
        """A subject someone owns that is no person: an object or an animal ("my wife's cookbook", "my cat"), or a
        food word, which owned is a nickname ("our peanut"); not a body, a diet or a household ("my diet")."""
        owned = any(c.dep_ == "poss" for c in subject.children)
        if not owned or subject.pos_ != "NOUN":
            return False
        return (self.lex.canonical(subject),) in self.lex.need_phrases or owns_no_need(subject.lemma_)

    def _own_subject(self, tok: Token, clause: _Clause, mention_tokens: set[int]) -> list[str] | None:
        """The subject of the mention's own predicate when it is someone other than the user ("for me and my
        husband, he's vegan": the husband alone; "dinner for 4, one of us is coeliac": one of the party). It
        outranks whom the request is for; the user as subject leaves the usual reading in charge."""
        node, inside, path = tok, {t.i for t in clause.tokens}, []
        for _ in range(6):  # up to the predicate: "he's vegan", "he's allergic to peanuts", "one of us can't eat X"
            if node.i not in inside:
                return None
            path.append(node)
            # the small parser reads "can't eat gluten" as the verb "gluten" with "eat" as its auxiliary
            heads = [node, *(c for c in node.children if c.dep_ == "aux" and c.pos_ in ("VERB", "AUX"))]
            subjects = [
                c
                for h in heads
                for c in h.children
                if c.dep_ in ("nsubj", "nsubjpass") and c.i not in mention_tokens and c.i < tok.i
            ]
            if subjects:
                return self._subjects_holder(subjects, path)
            predicate = node is not tok and node.pos_ in ("VERB", "AUX") and node.dep_ != "conj"  # "is X and uses Y"
            if node.head.i == node.i or predicate:
                break
            node = node.head
        return None

    def _subjects_holder(self, subjects: list[Token], path: list[Token]) -> list[str] | None:
        """Who the subjects are: "he" -> the husband; "my mum and I", parsed as two subjects -> both; "I" -> the
        user ("for me and my son, I'm vegan"), unless the predicate says whom it is for ("I need it gluten free for
        my son") or the need hangs from someone else ("User has a son with a peanut allergy"): the usual reading."""
        people = list(dict.fromkeys(p for c in subjects for p in self.person(c) or []))
        if people != [USER]:
            return people or None
        predicate, subject = path[-1], subjects[0]
        said_for = any(t.norm_ == "for" and t.dep_ == "prep" and t.i > subject.i for t in predicate.subtree)
        someone_else = any(  # "a son with a peanut allergy": the need is attached to the son
            (t.pos_ in ("NOUN", "PROPN") and self._one_person(t)) or (t.dep_ == "prep" and t.norm_ in _ATTACHED)
            for t in path[1:-1]
        )
        return None if said_for or someone_else else people

    def _antecedent(self, tok: Token) -> str | None:
        """The last companion named before a "he" / "she" in the same text ("with my wife, she's allergic")."""
        for before in reversed(tok.doc[: tok.i]):
            if before.pos_ == "NOUN" and (companion := self._companion(before)):
                return companion
            if before.pos_ == "PROPN" and (named := self._named(before)):
                return named[0]  # "for me and my husband" or "for me and Sofia", not "in Milan"
        return None

    def _required(self, clause: _Clause) -> bool:
        """ "it has to be halal", "the restaurant must be step-free": a thing required, not described; the one
        asking needs it. A question ("does it have to be halal?") requires nothing."""
        asked = clause.sentence[-1].text == "?" or clause.tokens[-1].text == "?"
        return not asked and bool(self._spans(clause, "require"))

    # -- clause structure -----------------------------------------------------------------------------
    def _starts_person(self, tokens: list[Token]) -> list[str] | None:
        """The person a clause opens with ("my brother to nuts", "Tom too", "User's son ..."), if any."""
        words = [t for t in tokens if is_word(t) and t.norm_ not in _JOINERS | _BOUNDARY_WORDS]
        if not words:
            return None
        first = words[0]
        if first.norm_ in ("my", "our", "his", "her", "their", "user", "the") and len(words) > 1:
            return self._determined_person(first, words)
        modifier = first.dep_ in ("compound", "amod", "nmod") and first.head.i > first.i and first.head.pos_ == "NOUN"
        if modifier and not self._companion(first.head):
            return None  # "family lunch in Paris", "kids menu": a thing, not a person
        if self._companion(first) or (first.pos_ == "PROPN" and first.text[:1].isupper() and first.i != 0):
            return self.person(first)
        return None

    def _determined_person(self, first: Token, words: list[Token]) -> list[str] | None:
        """ "my brother", "User's son", "our Tom": the person after a possessive; "User" alone is the user."""
        head = words[1] if words[1].norm_ != "'s" else (words[2] if len(words) > 2 else None)
        if head is not None and (self._companion(head) or head.pos_ == "PROPN"):
            return self.person(head) or None
        return [USER] if first.lower_ == "user" else None

    def segments(self, sentence: Span) -> list[list[Token]]:
        """The sentence cut at punctuation, a spaced dash, "but" / "because" ..., and "and" / "or" starting a new
        clause after a verb ("I'm vegan and my son is coeliac")."""
        segments: list[list[Token]] = [[]]
        tokens = list(sentence)
        for i, tok in enumerate(tokens):
            spaced_dash = tok.text in ("-", "–") and bool(tok.whitespace_) and i > 0 and bool(tokens[i - 1].whitespace_)  # noqa: RUF001
            if tok.text in _BOUNDARY_PUNCT or spaced_dash:
                segments.append([])
            elif segments[-1] and self._opens_clause(tokens, i, segments[-1]):
                segments.append([tok])
            else:
                segments[-1].append(tok)
        return [s for s in segments if any(is_word(t) for t in s)]

    def _opens_clause(self, tokens: list[Token], i: int, segment: list[Token]) -> bool:
        """Whether ``tokens[i]`` starts a new segment: a boundary word, or a joiner before a subject once the
        segment has a verb; never inside "everything but"."""
        tok = tokens[i]
        if i > 0 and any(p[:2] == (tokens[i - 1].norm_, tok.norm_) for p in self.cues["all_but"]):
            return False
        if tok.norm_ in _BOUNDARY_WORDS:
            return True
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        starts_clause = nxt is not None and (
            nxt.norm_ in _SUBJECT_STARTS or (nxt.pos_ == "PROPN" and nxt.text[:1].isupper())
        )
        return tok.norm_ in _JOINERS and starts_clause and any(t.pos_ in ("VERB", "AUX") for t in segment)

    def _says_something(self, segment: list[Token]) -> bool:
        """Whether a verbless segment says something about needs ("and Sam to nuts", "Tom too")."""
        words = [self.lex.canonical(t) for t in segment if is_word(t)]
        if set(words) & _ADDITIVE or self.lex.find(words, self.lex.need_phrases):
            return True
        return any(self.lex.cue(words, cue) for cue in ("avoid", "reactions", "negators"))

    def _requests_need(self, segment: list[Token]) -> bool:
        """A verbless request for a need ("..., hotel in Barcelona with step-free access please"): its own clause,
        the asker's, rather than a tail of the clause before (which may be about someone else)."""
        words = [self.lex.canonical(t) for t in segment if is_word(t)]
        spans = self.lex.find(words, self.lex.need_phrases)
        says = any(role == "says" for span in spans for _, role in self.lex.need_phrases[span.phrase])
        return says and bool(self.lex.cue(words, "need"))

    def clauses(self, sentence: Span) -> list[_Clause]:
        """Segments with a verb are clauses; verbless ones join a neighbour unless they start with a person
        ("and my brother to nuts") or negate ("but not tree nuts"), which makes them elliptical clauses."""
        clauses: list[_Clause] = []
        pending: list[Token] = []
        for segment in self.segments(sentence):
            if pending and self._subjectless_after_need(pending, segment):
                # "peanut allergy - driving into Lyon with my sister": opening the message and naming nobody, the
                # speaker's own ("my son, vegan, moved to Porto" is the son's)
                split = _Clause(sentence, pending)
                split.holder = None if clauses or any(self.person(t) for t in pending) else [USER]
                clauses.append(split)
                pending = []
            opened = self._segment_clause(sentence, segment, pending, bool(clauses))
            if opened is not None:
                clauses.append(opened)
                pending = []
            elif clauses:
                clauses[-1].tokens.extend(segment)
            else:
                pending.extend(segment)
        if pending:
            clauses.append(_Clause(sentence, pending))
        for clause in clauses:
            clause.word_tokens = [t for t in clause.tokens if is_word(t)]
            clause.words = [self.lex.canonical(t) for t in clause.word_tokens]
            clause.breaks = _breaks(clause.word_tokens)
        return clauses

    def _subjectless_after_need(self, pending: list[Token], segment: list[Token]) -> bool:
        """A need said alone ("severe sesame allergy", "vegan") before a clause with no subject of its own ("flying
        into London", "visiting Rome with my sister", "just moved to Porto"): the need is the speaker's, not
        someone's in that clause (the parser may take the need word for the subject of "moved")."""
        first = next((t for t in segment if is_word(t) and t.pos_ not in ("ADV", "CCONJ", "PART")), None)
        if first is None or first.pos_ not in ("VERB", "AUX") or first.tag_ not in _SUBJECTLESS_VERB_TAGS:
            return False
        if any(t.dep_ in ("nsubj", "nsubjpass") for t in segment):
            return False
        words = [self.lex.canonical(t) for t in pending if is_word(t)]
        return bool(self.lex.find(words, self.lex.need_phrases))

    def _segment_clause(
        self, sentence: Span, segment: list[Token], pending: list[Token], after_clause: bool
    ) -> _Clause | None:
        """The clause a segment opens (with the verbless words pending before it), or None when it only continues
        its neighbour: a segment with a verb, one starting with a person who says something, a negated one, or a
        request for a need after a clause."""
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in segment)
        person = None if has_verb else self._starts_person(segment)
        if person and not self._companion(segment[0]) and not self._says_something(segment):
            person = None  # "kosher please, 3 people, Berlin on Friday": a name-like word that says nothing
        negators = {p[0] for p in self.cues["negators"] if len(p) == 1}
        negated = not has_verb and any(t.norm_ in negators for t in segment)
        if has_verb or person or negated or (after_clause and self._requests_need(segment)):
            return _Clause(sentence, pending + segment, holder=person, elliptical=bool(person or negated))
        return None

    # -- cues -------------------------------------------------------------------------------------------
    def _spans(self, clause: _Clause, name: str) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in self.lex.cue(clause.words, name, clause.breaks)]

    def _negated_before(self, clause: _Clause, position: int) -> bool:
        """A negator before ``position`` in the clause, not hedging ("not sure if") and not in an earlier
        subordinate scope ("I don't know whether ...")."""
        for start, end in self._spans(clause, "negators"):
            hedged = end < len(clause.words) and (clause.words[end],) in self.cues["hedges"]
            if start >= position or hedged:
                continue
            avoids = end - start == 1 and (clause.words[start],) in self.cues["avoid_before"]  # not "no longer"
            if end in clause.food_starts and end < position and avoids:
                continue  # "no nuts and no sesame": the first "no" avoids the nuts, it negates nothing after
            if any(
                w in _SUBORDINATORS and clause.word_tokens[j].tag_ != "WDT"  # "not a vegetarian that eats fish"
                for j, w in enumerate(clause.words[end:position], start=end)
            ):
                continue
            if any(
                w in _JOINERS and j + 1 < len(clause.words) and clause.word_tokens[j + 1].pos_ in ("VERB", "AUX")
                for j, w in enumerate(clause.words[end:position], start=end)
            ):
                continue  # "is no longer vegetarian and eats meat": a new verb phrase, out of the negation's scope
            return True
        return False

    def tense(self, clause: _Clause, tok: Token | None = None) -> str:
        """'lifted', 'past' or 'now' ("used to be", "I was" / "was diagnosed", "went vegan"). The tense is the
        verb's that governs ``tok`` ("User said her daughter is vegetarian" is now)."""
        if self._spans(clause, "lifted"):
            return "lifted"
        if self._spans(clause, "past"):
            return "past"
        if self._spans(clause, "current"):
            return "now"
        verbs = [t for t in clause.tokens if t.pos_ in ("VERB", "AUX")]
        if tok is not None:
            node, inside = tok, {t.i for t in clause.tokens}
            # a need said alone with its holder ends at its clause: "vegan here, just moved to Porto" is vegan now
            while (
                node.pos_ not in ("VERB", "AUX")
                and node.head.i != node.i
                and (node.head.i in inside or verbs or not clause.holder)
            ):
                node = node.head
            if node.pos_ in ("VERB", "AUX"):
                verbs = [node, *(c for c in node.children if c.dep_ in ("aux", "auxpass"))]
        return "past" if any(t.tag_ == "VBD" and not _have_got(t) for t in verbs) else "now"

    def _run(self, clause: _Clause, mentions: list[_Mention], index: int) -> list[_Mention]:
        """Food mentions listed together with ``mentions[index]`` ("no meat or fish", "gluten and dairy")."""
        foods = [m for m in mentions if m.role == "foods"]
        if mentions[index] not in foods:
            return [mentions[index]]
        position = foods.index(mentions[index])
        run = [foods[position]]
        for step in (-1, 1):
            j = position
            while 0 <= j + step < len(foods):
                a, b = (foods[j + step], foods[j]) if step < 0 else (foods[j], foods[j + step])
                if not all(w in _RUN_LINKS for w in clause.words[a.end : b.start]):
                    break
                j += step
                run.append(foods[j])
        return sorted(run, key=lambda m: m.start)

    def judge_food(
        self, clause: _Clause, mention: _Mention, run: list[_Mention], after_except: bool = False
    ) -> tuple[str, int]:
        """How a food mention is said: (kind, cue position). Kinds: state, reaction, adjacent, stop, consume,
        fine, like, borrow; "except-<kind>" when the food is the exception to such a statement."""
        run_start = -1 if after_except else run[0].start  # after "except ...": the words before are no avoidance
        for start, _ in self._spans(clause, "avoid_after"):
            if start in (mention.end, run[-1].end) and start not in clause.breaks:  # "egg allergy", not "eggs, allergy"
                return "state", start
        beside = self._words_before_run(clause, run_start)
        if beside is not None:
            return beside
        for _start, end in self._spans(clause, "allowed_before"):
            if end == run_start:  # "no meat except fish", "never allergic to anything except peanuts"
                kind, at = self.judge_food(clause, mention, run, after_except=True)
                return ("except-" + kind if kind in _STATEMENTS else "borrow"), at
        return self._judged_in_clause(clause, mention, run[-1].end)

    def _words_before_run(self, clause: _Clause, run_start: int) -> tuple[str, int] | None:
        """An avoidance right before the foods listed: "everything but X and Y", "no nuts", "without any dairy"."""
        listed = self._all_but(clause, run_start)
        if listed is not None:
            return "adjacent", listed
        if run_start in clause.breaks:
            return None
        for start, end in self._spans(clause, "avoid_before"):
            if end == run_start or (end == run_start - 1 and clause.words[end] in ("any", "the", "a")):
                return "adjacent", start
        return None

    def _judged_in_clause(self, clause: _Clause, mention: _Mention, run_end: int) -> tuple[str, int]:
        """How the rest of the clause says the food: stopped, eaten (or not), fine, a state, a reaction, a like."""
        states = self._spans(clause, "avoid")
        before = [s for s in self._spans(clause, "stop") if s[1] <= mention.start]
        if before:
            return "stop", before[-1][0]
        verbs = [s for s in self._spans(clause, "consume") if s[1] <= mention.start and mention.start - s[1] <= 4]
        verbs = verbs or self._fronted(clause, mention)
        reactions = self._spans(clause, "reactions")
        reacted = reactions and verbs and not self._negated_before(clause, verbs[-1][0])  # "sick after eating"
        if verbs and not reacted and not any(verbs[-1][1] <= s[0] < mention.start for s in states):
            return "consume", verbs[-1][0]
        fine = [s for s in self._spans(clause, "fine") if self._fine_of(clause, mention, run_end, s)]
        if fine:
            return "fine", fine[0][0]
        if states:
            return "state", states[0][0]
        if reactions:
            return "reaction", reactions[0][0]
        return ("like", -1) if self._spans(clause, "like") else ("borrow", -1)

    def _fine_of(self, clause: _Clause, mention: _Mention, run_end: int, fine: tuple[int, int]) -> bool:
        """Whether "fine" / "ok" speaks of the food: "peanuts are fine", "fine with mussels", "mussels I'm fine with";
        not of another food named between them ("allergic to tree nuts but peanuts are ok": the peanuts are)."""
        start, end = fine
        if clause.words[end : end + 1] == ["with"] and any(f > end for f in clause.food_starts):
            return mention.start > end  # "allergic to crustaceans but fine with mussels": the mussels are
        between = [f for f in clause.food_starts if mention.end <= f < start]
        subject = any(clause.word_tokens[f].dep_ in ("nsubj", "nsubjpass") for f in between)  # ", peanuts are ok"
        return start >= mention.end and not subject and not any(f >= run_end for f in between)

    def _all_but(self, clause: _Clause, run_start: int) -> int | None:
        """Where "everything but" / "anything except" starts when the food is in the list right after it ("I eat
        everything but pork and shellfish"); None when negated first ("not allergic to anything except peanuts"
        is read by the exception rule) or when a verb comes in between."""
        spans = [s for s in self._spans(clause, "all_but") if s[1] <= run_start]
        if not spans:
            return None
        start, end = spans[-1]
        if any(t.pos_ in ("VERB", "AUX") for t in clause.word_tokens[end:run_start]):
            return None
        return None if self._negated_before(clause, start) else start

    def _fronted(self, clause: _Clause, mention: _Mention) -> list[tuple[int, int]]:
        """An eating verb after the food whose object the food is ("it's celery I can't eat", "nuts my son
        can't have"): the verb has a person as subject and no object of its own."""
        for start, end in self._spans(clause, "consume"):
            verb = clause.word_tokens[start]
            if not 0 < start - mention.end <= 4 or any(c.dep_ == "dobj" for c in verb.children):
                continue
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.i > clause.word_tokens[mention.end - 1].i and self.person(subject):
                return [(start, end)]
        return []

    def food_active(self, clause: _Clause, kind: str, cue_at: int, tense: str) -> bool | None:
        """Whether a food need holds, given how it was said; None when it says nothing about a need."""
        if tense == "lifted":
            return False
        if kind in ("state", "adjacent", "stop"):  # "no longer avoids gluten" is negated; "no gluten" is not
            return not self._negated_before(clause, cue_at) and tense != "past"
        if kind == "reaction":
            return not self._negated_before(clause, cue_at)
        if kind.startswith("except-"):  # the exception says the opposite of its statement
            said = self.food_active(clause, kind.removeprefix("except-"), cue_at, tense)
            return None if said is None else not said
        if kind == "fine":
            return self._negated_before(clause, cue_at)
        if kind == "consume":
            if self._negated_before(clause, cue_at):
                return tense != "past"
            verb = clause.word_tokens[cue_at]
            modal = cue_at > 0 and clause.words[cue_at - 1] in ("can", "could")
            lifts = (clause.words[cue_at],) in self.cues["lift_verbs"] and _present(verb)
            return False if lifts or modal else None  # "I eat fish" lifts; "we have fish at home" says nothing
        return None

    def _attributive(self, tokens: list[Token]) -> bool:
        """A diet word describing a thing ("vegan restaurant", "kosher deli", "a halal-certified luncheon", "a
        vegan-friendly place"), not a person."""
        last = tokens[-1]
        if last.dep_ == "npadvmod" and last.head.dep_ == "amod" and last.head.i > last.i:
            last = last.head  # "halal-certified", "vegan-friendly": the compound adjective describes the thing
        head = last.head
        if last.dep_ not in ("amod", "compound", "nmod") or head.pos_ not in ("NOUN", "PROPN"):
            return False
        if head.i in {t.i for t in tokens} or head.norm_ in _FILLERS or self.person(head):
            return False
        between = last.doc[min(last.i, head.i) + 1 : max(last.i, head.i)]
        if any(t.is_punct and is_word(t) for t in between):
            return False  # "my daughter is vegetarian, pizza place in Naples?": the parse crossed a comma
        return (head.norm_,) not in self.cues["need"]

    def _courtesy_on_booking(self, clause: _Clause, span: tuple[int, int], tokens: list[Token]) -> bool:
        """ "A kosher dinner in Paris for 6 next Thursday please": "please" asks for the booking, whose kind of
        meal is the venue's to serve (``needs.asked``), not a need stated of the user ("GF options please" is)."""
        if clause.words[span[0] : span[1]] != ["please"]:
            return False
        booked = tokens[-1].head
        return any(c.dep_ in ("prep", "npadvmod") and c.norm_ != "for" for c in booked.children)

    def says_active(self, clause: _Clause, mention: _Mention, tense: str) -> bool | None:
        tokens = clause.word_tokens[mention.start : mention.end]
        predicative = tokens[-1].dep_ in ("attr", "acomp", "oprd") or not any(
            t.pos_ in ("VERB", "AUX") for t in clause.tokens
        )
        if self._spans(clause, "like") and not predicative:
            return None  # "I love vegan food", "User prefers vegetarian restaurants"
        if self._attributive(tokens):
            needed = [s for s in self._spans(clause, "need") if not self._courtesy_on_booking(clause, s, tokens)]
            wanted = needed or self._for_person(clause) or self._spans(clause, "consume")
            if not wanted:
                return None
        if tense in ("lifted", "past"):
            return False
        last = tokens[-1]
        negated_verb = any(c.dep_ == "neg" for c in last.head.children) and last.head in clause.tokens
        if last.dep_ in ("nsubj", "nsubjpass") and negated_verb:
            return False  # "halal isn't necessary", "vegan is not my thing"
        return not self._negated_before(clause, mention.start) or self._only_its_exception_denied(last)

    def _only_its_exception_denied(self, noun: Token) -> bool:
        """ "I'm not a vegetarian who eats fish": the negation denies the eating its relative clause adds (a vegetarian
        who does not), not the need the noun names."""
        nouns = [noun, noun.head.head] if noun.dep_ == "pobj" and noun.head.lower_ == "of" else [noun]  # "kind of"
        return any(
            c.dep_ == "relcl" and (c.lower_,) in self.cues["consume"] and not any(g.dep_ == "neg" for g in c.children)
            for n in nouns
            for c in n.children
        )

    # -- reading --------------------------------------------------------------------------------------
    def mentions(self, clause: _Clause) -> list[_Mention]:
        found = []
        for span in self.lex.find(clause.words, self.lex.need_phrases, clause.breaks):
            ids = tuple(dict.fromkeys(i for i, _ in self.lex.need_phrases[span.phrase]))
            roles = {r for _, r in self.lex.need_phrases[span.phrase]}
            role = "says" if "says" in roles else "foods"
            ids = tuple(i for i in ids if not self._excepted(clause, span.start, span.end, i))
            if span.end - span.start == 1 and self._companion(clause.word_tokens[span.start]):
                continue  # "my gf is vegan": the girlfriend, not gluten-free
            if self._other_sense(clause.word_tokens[span.start : span.end], ids, role):
                continue  # "vegan-friendly", "blind drunk", "deaf to my complaints", "'The Vegan Cookbook'"
            if ids:
                found.append(_Mention(ids, role, span.start, span.end, cause=roles == {"causes"}))
        return found

    def _other_sense(self, tokens: list[Token], ids: tuple[str, ...], role: str) -> bool:
        """The need words used in another sense (``concierge.needs.other_sense``)."""
        sense = any(self.vocab.get(i).kind == "accessibility" for i in ids)
        is_person = lambda subject: bool(self.person(subject))  # noqa: E731
        return other_sense(tokens, self.lex.is_known, is_person, sense=sense, food=role == "foods")

    def _excepted(self, clause: _Clause, start: int, end: int, need_id: str) -> bool:
        for phrase in self.lex.exceptions.get(need_id, ()):
            for i in range(max(0, start - len(phrase) + 1), end):
                if tuple(clause.words[i : i + len(phrase)]) == phrase:
                    return True
        return False

    def _absorbed(self, mention: _Mention, run: list[_Mention]) -> tuple[str, ...]:
        absorbed = {
            a for m in run if m is not mention for i in m.ids for a in self.vocab.get(i).absorbs if m.role == "foods"
        }
        return tuple(i for i in mention.ids if i not in absorbed)

    def read_clause(self, clause: _Clause, previous: list[_Clause], siblings: list[_Clause]) -> list[DetectedNeed]:
        mentions = self.mentions(clause)
        food_kinds = self._judge_foods(clause, mentions)
        found: list[DetectedNeed] = []
        for i, (mention, kind_at) in enumerate(zip(mentions, food_kinds, strict=True)):
            if kind_at is None:  # a diet word ("vegan", "coeliac")
                tokens = clause.word_tokens[mention.start : mention.end]
                judged = (mention, "says", self.says_active(clause, mention, self.tense(clause, tokens[-1])))
            else:
                judged = self._food_said(clause, mentions, i, kind_at, (siblings, previous))
            if judged is not None and (active := judged[2]) is not None:
                found += self._state(clause, judged[0], judged[1], active)
        if not mentions:
            found += self._ellipsis(clause, previous)
        return found

    def _judge_foods(self, clause: _Clause, mentions: list[_Mention]) -> list[tuple[str, int] | None]:
        """How each food mention is said (None for a diet word), and the clause's own cue and foods."""
        clause.food_starts = frozenset(m.start for m in mentions if m.role == "foods")
        food_kinds = [self.judge_food(clause, m, self._run(clause, mentions, i)) if m.role == "foods" else None
                      for i, m in enumerate(mentions)]  # fmt: skip
        clause.cue = next(((k, at) for k, at in filter(None, food_kinds) if k in ("state", "reaction")), None)
        if clause.cue is None and (states := self._spans(clause, "avoid") or self._spans(clause, "reactions")):
            clause.cue = ("state" if self._spans(clause, "avoid") else "reaction", states[0][0])
        clause.foods = [m.ids for m in mentions if m.role == "foods"]
        return food_kinds

    def _food_said(
        self,
        clause: _Clause,
        mentions: list[_Mention],
        index: int,
        judged: tuple[str, int],
        context: tuple[list[_Clause], list[_Clause]],
    ) -> tuple[_Mention, str, bool | None] | None:
        """(mention, kind, active) for a food mention that states a need, None when it states none (a like, a
        taste, a cause without an allergy, a food another one in the list absorbs)."""
        siblings, previous = context
        mention = mentions[index]
        ids = self._absorbed(mention, self._run(clause, mentions, index))
        if not ids:
            return None
        mention = _Mention(ids, mention.role, mention.start, mention.end, mention.cause)
        kind, cue_at = judged
        if kind == "borrow":
            borrowed = self._borrow(clause, siblings, previous)
            if borrowed is None:
                return None
            kind, cue_at = borrowed, len(clause.words)
        if mention.cause and kind not in ("state", "reaction"):
            return None  # "no wine for me, I'm driving" is not a sulphite need; "wine gives me headaches" is
        if kind == "like" or (kind in ("adjacent", "consume") and self._as_taste(clause, siblings)):
            return None
        last = clause.word_tokens[mention.end - 1]
        anchor = clause.word_tokens[cue_at] if 0 <= cue_at < len(clause.words) else last
        return mention, kind, self.food_active(clause, kind, cue_at, self.tense(clause, anchor))

    def _state(self, clause: _Clause, mention: _Mention, kind: str, active: bool) -> list[DetectedNeed]:
        """The needs a mention states, for whoever holds them (none when it describes a thing)."""
        tokens = clause.word_tokens[mention.start : mention.end]
        if not_said_of_anyone_now(tokens, self._known):
            return []  # "Imagine being allergic to eggs", "I'd hate to be coeliac", "Being kosher must be hard"
        if mention.role == "says" and only_at_times(tokens, self._known):
            return []  # "My teenager is deaf when I call him for chores"
        mention_ids = {t.i for t in tokens}
        people = self.holders(tokens[-1], clause, mention.role == "foods", mention_ids, kind == "reaction")
        if people is None:
            return []
        clause.judged.append((mention.ids, mention.role, kind, not active))
        unsaid = people == [USER] and not _in_first_person(clause.text) and not self._people_in(clause)
        self.how.note(mention.ids, people, kind, active, unsaid=unsaid)
        return self._emit(mention.ids, people, active, clause)

    def _as_taste(self, clause: _Clause, siblings: list[_Clause]) -> bool:
        """An avoidance the sentence explains as taste ("No fish for me tonight, I just don't fancy it", "no
        seafood, not a fan"): a sibling clause of taste that points back or negates, and no allergy or reaction."""
        if any(self._spans(c, "avoid") or self._spans(c, "reactions") for c in siblings):
            return False
        return any(
            self._spans(c, "taste") and (set(c.words) & _ANAPHORA or self._spans(c, "negators"))
            for c in siblings
            if c is not clause
        )

    def _borrow(self, clause: _Clause, siblings: list[_Clause], previous: list[_Clause]) -> str | None:
        """The cue of the nearest clause that has one: in the sentence ("Peanuts and sesame - I'm allergic"),
        or the clause just before when this one is elliptical ("I'm not allergic to nuts. But I am to sesame")."""
        if _corrects(clause) and any(t.dep_ == "neg" for t in clause.sentence if t.i < clause.tokens[0].i):
            return None  # "I'm no longer allergic to peanuts, I mean sesame": no sesame allergy was stated
        index = siblings.index(clause)
        candidates = sorted((c for c in siblings if c is not clause), key=lambda c: abs(siblings.index(c) - index))
        verbs = [t for t, w in zip(clause.word_tokens, clause.words, strict=True) if t.pos_ in ("VERB", "AUX")
                 and (w,) not in self.lex.need_phrases]  # fmt: skip
        if previous and all(v.lemma_.lower() in _ELLIPTIC_VERBS for v in verbs):
            candidates.append(previous[-1])
        for other in candidates:
            if other.cue is not None:
                return other.cue[0]
            if self._spans(other, "avoid"):
                return "state"
            if self._spans(other, "reactions"):
                return "reaction"
        return None

    def _ellipsis(self, clause: _Clause, previous: list[_Clause]) -> list[DetectedNeed]:
        """Repeat the previous clause's needs for an elliptical clause ("my son does", "so is my husband"),
        or its foods for a clause that points back at them ("... but my son is allergic to them")."""
        verbs = [t for t in clause.tokens if t.pos_ in ("VERB", "AUX")]
        anaphoric = clause.cue is not None and any(w in _ANAPHORA for w in clause.words)
        eaten = next((s for s, e in self._spans(clause, "consume") if set(clause.words[e : e + 2]) & _ANAPHORA), None)
        if anaphoric or eaten is not None:  # "... my son is allergic to them", "... my son can't have them"
            said = _foods_before(previous)
        elif self._short_ellipsis(clause, verbs):
            if _agrees_with_a_denial(clause, previous) or _asks_back(clause):
                return []  # "My son isn't allergic. Same for my husband.", "..., is my daughter?" (attack8 M1)
            said = _needs_before(previous)
        else:
            return []
        anchor = verbs[0] if verbs else clause.word_tokens[0]
        people = self.holders(anchor, clause, True, set())
        if not said or people is None:
            return []
        active = self._copied_active(clause, self.tense(clause, anchor), anaphoric, eaten)
        if active is None:
            return []
        found = []
        for ids, role in said:
            clause.judged.append((ids, role, "copy", not active))
            found += self._emit(ids, people, active, clause)
        return found

    def _short_ellipsis(self, clause: _Clause, verbs: list[Token]) -> bool:
        """ "my son does", "so is my husband", "my husband too": a short clause with only an auxiliary, or a person
        with "too" or a cue; not the user set apart ("so it's just me")."""
        elliptic = all(v.lemma_.lower() in _ELLIPTIC_VERBS for v in verbs)
        said_of = bool(clause.cue or set(clause.words) & _ADDITIVE)  # "my son's anaphylactic", "my husband too"
        someone = clause.holder or (said_of and self._for_person(clause))  # "same for my husband"
        short = len(clause.words) <= 6 and bool(verbs or (someone and said_of)) and elliptic
        own_object = any(t.dep_ == "dobj" for t in clause.tokens)  # "I can have cheese again" says its own thing
        own_object |= clause.cue is None and any(t.dep_ == "acomp" for t in clause.tokens)  # "I'm not sure"
        named = any(
            t.dep_ == "attr"
            and t.pos_ in ("PROPN", "NOUN")
            and t.lower_.rstrip(".") != "i"
            and not any(c.dep_ == "poss" for c in t.children)  # "... and so is my partner": the partner, too
            for t in clause.tokens
        )  # "So am I." ("I." one token) copies the need; "I'm Anna." names the speaker
        own_object |= clause.cue is None and named  # "I'm Anna.", "I'm a teacher." (attack9 M2)
        judged = bool(set(clause.words) & _VERDICTS)  # "my mum says I'm not allergic; she's wrong": of her words
        return short and not own_object and not judged and not self._user_set_apart(clause)

    def _copied_active(self, clause: _Clause, tense: str, anaphoric: bool, eaten: int | None) -> bool | None:
        """Whether the needs an elliptical clause copies hold for its person; None when it says nothing of them."""
        if eaten is not None and not anaphoric:
            return self.food_active(clause, "consume", eaten, tense)
        negated = self._negated_before(clause, clause.cue[1] if anaphoric and clause.cue else len(clause.words))
        reacted = tense == "past" and anaphoric and clause.cue is not None and clause.cue[0] == "reaction"
        return not negated and (tense == "now" or reacted)

    def _user_set_apart(self, clause: _Clause) -> bool:
        """ "so it's just me", "only me now": the user set apart (nothing copied to them); "only he is", "just my
        wife does" set a companion apart, who takes the need the clause before said."""
        if not self._spans(clause, "exclusive"):
            return False
        subjects = [t for t in clause.tokens if t.dep_ in ("nsubj", "nsubjpass") and t.norm_ not in ("it", "that")]
        people = [p for t in subjects for p in (self.person(t) or [])]
        return not people or USER in people

    def _emit(self, ids: Iterable[str], people: list[str], active: bool, clause: _Clause) -> list[DetectedNeed]:
        found = []
        for need_id in ids:
            spec = self.vocab.get(need_id)
            for holder in people:
                found.append(DetectedNeed(spec.id, spec.kind, spec.label, holder, active, clause.text))
        for holder in people:
            if holder not in (USER, PRONOUN_ONLY) and not holder.startswith("one of"):
                self.last_person = holder
        return found

    def patterns(self, sentence: Span, clauses: list[_Clause]) -> list[DetectedNeed]:
        found = []
        text = sentence.text.lower()
        for spec in self.vocab.specs:
            for pattern in spec.patterns:
                for match in re.finditer(pattern, text):
                    at = match.start("at") if "at" in match.re.groupindex else match.start()
                    char = sentence.start_char + at
                    tok = next((t for t in sentence if t.idx <= char < t.idx + max(len(t.text), 1)), sentence[0])
                    clause = next((c for c in clauses if tok in c.tokens), clauses[0])
                    people = self.holders(tok, clause, False, set())
                    if people is None or self._denied_exception(clause, tok):
                        continue
                    active = self.tense(clause, tok) not in ("lifted", "past")
                    found += self._emit((spec.id,), people, active, clause)
        return found

    def _denied_exception(self, clause: _Clause, tok: Token) -> bool:
        """A paraphrase said under a negation ("I'm not a vegetarian who eats fish") states no need of its own."""
        return tok in clause.word_tokens and self._negated_before(clause, clause.word_tokens.index(tok))

    def _track_people(self, clause: _Clause) -> None:
        for tok in clause.tokens:
            if tok.pos_ in ("NOUN", "PROPN") and (people := self._one_person(tok)) and people != [USER]:
                self.last_person = people[0]

    def read(self, doc: Doc) -> list[DetectedNeed]:
        found: list[DetectedNeed] = []
        previous: list[_Clause] = []
        denied: set[str] = set()  # needs the user says they do not hold, however the mood settles the words
        for sentence in doc.sents:
            clauses = self.clauses(sentence)
            if not clauses:
                continue
            in_sentence: list[DetectedNeed] = []
            for clause in clauses:
                said, anchors = self.read_clause(clause, previous, clauses), self._anchors(clause)
                denied |= {n.need_id for n in said if n.holder == USER and not n.active}
                wished = wished_needs(said, anchors, clause.tokens)  # "I wish I wasn't allergic": the allergy holds
                in_sentence += mood.settle(said, anchors) if wished is None else wished
                self._track_people(clause)
                previous.append(clause)
            in_sentence += mood.settle(self.patterns(sentence, clauses), [sentence.root])
            found += self._supersede(in_sentence)
        found = with_exceptions(found, self.how, self.vocab)  # "allergic to shellfish but fine with mussels"
        return _latest(_restated_for_others(denied_by_the_user(found, denied)))

    def _anchors(self, clause: _Clause) -> list[Token]:
        """The words whose mood decides whether the clause states its needs (see ``concierge.needs.mood``)."""
        return [clause.word_tokens[m.start] for m in self.mentions(clause)] or clause.tokens[:1]

    def _supersede(self, found: list[DetectedNeed]) -> list[DetectedNeed]:
        """ "a vegetarian who eats fish" is pescatarian: drop what an active need of the same person replaces."""
        replaced = {(old, d.holder) for d in found if d.active for old in self.vocab.get(d.need_id).supersedes}
        return [d for d in found if (d.need_id, d.holder) not in replaced]


def _breaks(words: list[Token]) -> frozenset[int]:
    """Positions of the words that punctuation separates from the word before ("eggs, allergy")."""
    if not words:
        return frozenset()
    doc = words[0].doc
    return frozenset(
        i for i in range(1, len(words)) if any(t.is_punct and is_word(t) for t in doc[words[i - 1].i + 1 : words[i].i])
    )


def _present(verb: Token) -> bool:
    """ "eat" in "I eat fish", "eats", and "do eat" ("but I do eat fish"): the simple present."""
    emphatic = verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ in ("do", "does") for c in verb.children)
    return verb.tag_ in ("VBP", "VBZ") or emphatic


def _foods_before(previous: list[_Clause]) -> list[tuple[tuple[str, ...], str]]:
    """The foods of the last clause that named any, as (need ids, role)."""
    source = next((c for c in reversed(previous) if c.foods), None)
    return [(ids, "foods") for ids in source.foods] if source else []


def _needs_before(previous: list[_Clause]) -> list[tuple[tuple[str, ...], str]]:
    """The needs the last clause that judged any said, as (need ids, role)."""
    source = next((c for c in reversed(previous) if c.judged), None)
    return [(ids, role) for ids, role, _kind, _ in source.judged] if source else []


def _hyphen_tail(tok: Token) -> bool:
    """ "wife" in "ex-wife": the word after a hyphen written without spaces."""
    doc = tok.doc
    return (
        tok.i >= 2
        and doc[tok.i - 1].text in ("-", "\u2013")
        and not doc[tok.i - 2].whitespace_
        and not (doc[tok.i - 1].whitespace_)
    )


_AGED = re.compile(r"\b(?:my|our|user's)\s+(?P<years>\d{1,2})[\s-]+years?[\s-]+old\b", re.IGNORECASE)


def _an_age(tok: Token, owned: bool = False) -> str | None:
    """ "my 5-year-old", "our 3 year old": a person said by their age, owned by the user ("5-year-old")."""
    if tok.lower_ != "old" or not (owned or any(c.norm_ in ("my", "our", "user") for c in tok.children)):
        return None
    year = next((c for c in tok.children if c.lemma_.lower() == "year"), None)
    count = next((c for c in year.children if c.like_num), None) if year is not None else None
    return None if count is None else f"{count.text}-year-old"


_POINTERS = frozenset({"that", "it", "this"})
_AGREEING = _ADDITIVE | frozenset({"ditto", "likewise"})


def _agrees_with_a_denial(clause: _Clause, previous: list[_Clause]) -> bool:
    """An elliptical clause that agrees with ("my daughter too", "same for my husband") or points at ("wait, that's
    my sister") a clause that denied every need it judged: it says no one holds them, so it gives no one a need
    (and takes none back: that is no plain retraction). A contrast ("..., my son does") still copies."""
    source = next((c for c in reversed(previous) if c.judged), None)
    if source is None or not all(negated for *_, negated in source.judged):
        return False
    pointer = any(t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in _POINTERS for t in clause.tokens)
    return pointer or bool(set(clause.words) & _AGREEING)


def _asks_back(clause: _Clause) -> bool:
    """ "..., is my daughter?": an elliptical question states nothing."""
    after = [t for t in clause.sentence if t.i >= clause.tokens[0].i]
    return any(t.text == "?" for t in after) and clause.tokens[0].lemma_.lower() in ("be", "do", "have")


def _corrects(clause: _Clause) -> bool:
    """A clause that corrects what was just said: "I mean sesame", "I meant tree nuts", "oops, I mean eggs"."""
    tokens = clause.tokens
    return any(t.lemma_.lower() == "mean" and i > 0 and tokens[i - 1].norm_ == "i" for i, t in enumerate(tokens))


_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "miss", "prof", "st", "sir", "dame", "rev", "fr"})


def _titled(name: Token) -> bool:
    """A name with a title before it ("Dr. Smith", "Mrs Brown")."""
    return any(c.dep_ == "compound" and c.lower_.rstrip(".") in _TITLES for c in name.children)


_GENERIC = frozenset(
    {"often", "usually", "generally", "typically", "normally", "always", "sometimes", "rarely", "seldom", "frequently",
     "commonly", "tend", "most", "many", "all", "some", "lot", "lots"}
)  # fmt: skip


def _plural(noun: Token) -> bool:
    """A plural noun as said ("vegans", "children", "Coeliacs" tagged a name), not a word the tagger took for one
    ("halal only please")."""
    if noun.tag_ in ("NNS", "NNPS") and noun.lemma_.lower() != noun.lower_:
        return True
    return noun.tag_ in ("NNS", "NNP", "NNPS") and noun.lower_.endswith("s") and noun.lower_[:-1] in nlp.english_words()


def _bare_plural_subject(noun: Token) -> bool:
    """A plural subject with no determiner, owner or number ("Vegans are ...", "Kids often ..."): a kind of people
    or things in general, not anyone's."""
    said = any(c.dep_ in ("det", "poss", "nummod") and c.lower_ not in _GENERIC for c in noun.children)
    return noun.dep_ in ("nsubj", "nsubjpass") and _plural(noun) and not said


def _said_of_everyone(subject: Token) -> bool:
    """A generic statement about people: a bare plural subject said "often", "usually", "tend to" ... ("Kids often
    outgrow egg allergies"), or counted loosely ("most kids", "many parents")."""
    loosely = any(c.lower_ in _GENERIC for c in subject.children)
    bare = not any(c.dep_ in ("det", "poss", "nummod") and c.lower_ not in _GENERIC for c in subject.children)
    verb = subject.head
    generic = any(c.lemma_.lower() in _GENERIC for c in (verb, *verb.children) if c.dep_ in ("advmod", "ROOT", "xcomp"))
    return _plural(subject) and bare and (loosely or generic)


def _a_kind_of_people(tok: Token, cue: Callable[[Token], bool] | None) -> bool:
    """The need word is, or heads, a bare plural subject ("Vegans are annoying", "Peanut allergies are scary"): a
    statement about a kind of people or of needs. ``cue``, for a food: whether the noun it heads says the need ("egg
    allergies"); a food alone or in a dish ("Eggs are a problem", "lupini beans make me sick") is the speaker's."""
    noun = tok
    while noun.dep_ in ("compound", "amod", "nmod") and noun.head.i != noun.i:
        noun = noun.head
    return (cue is None or (noun is not tok and cue(noun))) and _bare_plural_subject(noun)


def _is_count(tok: Token) -> bool:
    """A count that names some of the party: "one" alone as a subject ("two adults, one is coeliac"), or "one of
    us", "two of my kids" (not "the four of us", which is everyone)."""
    subject = tok.dep_ in ("nsubj", "nsubjpass")
    if tok.norm_ == "one" and subject and not any(c.dep_ in ("det", "prep") for c in tok.children):
        return True
    the_group = any(c.dep_ == "det" for c in tok.children)
    some_of = tok.norm_ == "one" or (subject and not the_group)
    return tok.norm_ in _COUNTS and some_of and any(c.dep_ == "prep" and c.norm_ == "of" for c in tok.children)


def _in_count(tok: Token) -> bool:
    """ "us" in "one of us", "friends" in "two of my friends": the group a count is taken from."""
    prep = tok.head if tok.dep_ == "pobj" else None
    return prep is not None and prep.norm_ == "of" and prep.head.norm_ in _COUNTS and prep.head.i < tok.i


def _place_before_comma(tok: Token) -> bool:
    """A place the parser made the subject of words after a comma ("Osaka next month, shellfish allergy though"):
    a topic, not who the need is said of."""
    return is_place(tok.text) and any(t.text == "," for t in tok.doc[tok.i + 1 : tok.head.i])


def _party_counted(tok: Token) -> bool:
    """ "for six guests", "for 8 people": a number of people, nobody's in particular (not "for my two kids")."""
    children = list(tok.children)
    counted = any(c.dep_ == "nummod" for c in children) and not any(c.dep_ == "poss" for c in children)
    return counted and tok.dep_ == "pobj" and tok.head.norm_ == "for"


def _have_got(tok: Token) -> bool:
    """ "my brother's got", "she has got": "got" after a form of "have" is possession now, not the past."""
    return tok.lower_ == "got" and tok.i > 0 and tok.doc[tok.i - 1].lower_ in _HAVE_GOT


def _in_first_person(text: str) -> bool:
    return any(w in _FIRST_PERSON for w in re.findall(r"[^\W\d_]+", text.casefold()))  # "I'm" -> "i", "m"


def _restated_for_others(found: list[DetectedNeed]) -> list[DetectedNeed]:
    """ "bf is coeliac so gluten free pls", "no nuts pls, my son's anaphylactic": a need said without anyone, in a
    message that gives it to a companion, is that companion's, not the user's too. Said with "me" ("gluten free
    for me too, my wife is coeliac") it stays the user's."""
    others = {d.need_id for d in found if d.holder != USER and d.active}
    return [
        d
        for d in found
        if not (d.holder == USER and d.need_id in others and d.active and not _in_first_person(d.evidence))
    ]


def _latest(found: list[DetectedNeed]) -> list[DetectedNeed]:
    """Drop repeats of the same statement, keeping the last (its position decides what overrides what)."""
    keep: dict[tuple[str, str, bool], DetectedNeed] = {}
    for need in found:
        key = (need.need_id, need.holder.casefold(), need.active)
        keep.pop(key, None)
        keep[key] = need
    return list(keep.values())


def normalise(text: str) -> str:
    """Chat spelling the parser reads better written out ("im" -> "i'm", "w/o" -> "without", curly quotes), and a
    request typed straight after a need with no comma set apart ("my wife is coeliac, dinner in Madrid ...")."""
    text = without_asides(text)  # "Coeliac, FYI." -> "Coeliac."; "were both vegan" -> "we're both vegan"
    text = holder_said_plainly(text, _says_a_need)  # "it's my wife who's coeliac" -> "my wife is coeliac"
    for pattern, replacement in _SLANG:
        text = pattern.sub(replacement, text)
    return _RUN_ON.sub(_set_apart, _NAMED_CLAUSE.sub(". ", text))


# "... for me and my colleague Priya, Priya is vegetarian": a name opening a clause after a comma starts a sentence
# of its own (the parser would hang it on the name before, in apposition, and read the request as the subject).
_NAMED_CLAUSE = re.compile(
    r",\s+(?=[A-Z][a-z][\w-]*\s+(?i:is|has|can't|cannot|can not|doesn't|does not|isn't|eats|uses|needs|keeps|avoids|"
    r"must|was|'s|gets|reacts|should)\b)"
)


# "my wife is coeliac dinner in Madrid on Friday": a need said with "be", then a meal or booking with no comma.
_RUN_ON = re.compile(
    r"\b(?P<said>(?:is|are|am|'s|'m|'re)\s+(?P<need>[\w-]+(?:\s+[\w-]+)?))"
    r"(?=\s+(?:dinner|lunch|breakfast|brunch|supper|a\s+table|table|a\s+hotel|hotel|a\s+trip)\b)",
    re.IGNORECASE,
)


def _set_apart(match: re.Match[str]) -> str:
    """The need and a comma when the words after "be" state a need on their own ("coeliac", "gluten-free": what the
    detector reads in "I am <words>"), else as said."""
    words = tuple(w for w in re.split(r"[\s-]+", match.group("need").lower()) if w)
    known = lexicon_for(load_vocabulary()).need_phrases.get(words, [])
    says = any(role == "says" for _, role in known) or _states_a_need(match.group("need"))
    return match.group("said") + ("," if says else "")


def _says_a_need(sentence: str) -> bool:
    return any(n.active for n in detect_needs(sentence))


def _states_a_need(words: str) -> bool:
    """Whether "I am <words>" states a need ("gluten-free", "nut free"), read by the detector itself."""
    return any(n.active for n in detect_needs(f"I am {words}."))


def _read_all(texts: Sequence[str], vocabulary: NeedVocabulary | None) -> list[list[DetectedNeed]]:
    vocabulary = vocabulary or load_vocabulary()
    lexicon = lexicon_for(vocabulary)
    docs = nlp.parse([normalise(english_only(t or "")) for t in texts])  # "Ya no soy alérgico": "soy" is "I am"
    fixed = {i: text for i, doc in enumerate(docs) if (text := respelt(doc, lexicon)) is not None}
    for i, doc in zip(fixed, nlp.parse(list(fixed.values())), strict=True):
        docs[i] = doc  # parsed again in the vocabulary's own words ("alergic to sesmae" -> "allergic to sesame")
    named = {i: text for i, doc in enumerate(docs) if (text := capitalised_names(doc, lexicon)) is not None}
    for i, doc in zip(named, nlp.parse(list(named.values())), strict=True):
        docs[i] = doc  # parsed again with its names capitalised ("my nephew tom" -> "my nephew Tom")
    return [_Reader(vocabulary, lexicon).read(doc) for doc in docs]


def detect_needs(text: str, vocabulary: NeedVocabulary | None = None) -> list[DetectedNeed]:
    """Every need stated in ``text``, in order, active or not (a later statement of the same need wins)."""
    return _read_all([text], vocabulary)[0]


def active_needs(texts: Iterable[str], vocabulary: NeedVocabulary | None = None) -> list[DetectedNeed]:
    """The needs that hold after ``texts`` (oldest first): a later plain statement by the same person takes one
    back; the rule is ``concierge.needs.current.replay``, the one supersession follows too."""
    from concierge.needs.current import replay

    return replay(list(texts), vocabulary)
