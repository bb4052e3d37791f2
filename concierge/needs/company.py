"""What may stand beside a plain retraction in the same message: courtesy of a closed, small set, and nothing else.

Why: a retraction takes a need back only when the message is the holder's plain word plus company whose effect on
it is certainly nil (issue 24; attack8-10). Losing a need is the harm, asking once more is not, so the company is a
closed set of whole phrases, not of words: a greeting ("Hi!", "Hello there,"), thanks ("Thanks!", "Thank you so
much."), "please" and a request to note it ("Please update my profile."), "good news" or "just so you know". Words
that can be sarcasm ("Great. Just great.", "Thanks a lot, God.", "Well, well, well."), any other request, a booking
included ("Book dinner in Lyon tomorrow for 2, just for fun.", "Find me the nearest ER."), a sentence of marks only
("(?)", "...?", ";)") and anything unknown make the retraction not plain: nothing is taken back, a booking still
plans with the need, and the concierge asks "Do you mean ...?" (``concierge.needs.current.unplain_question``); a
plain yes takes it back.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from concierge import safe_yaml
from concierge.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path

    from spacy.tokens import Doc, Token

    from concierge.by_example import Examples

_HELLO = ("hi", "hello", "hey", "hiya", "howdy", "greetings", "good morning", "good afternoon", "good evening")
_THANKS = (
    "thanks", "thank you", "thanks so much", "thank you so much", "thank you very much", "many thanks", "thx", "ty",
    "cheers",
)  # fmt: skip
_TO = ("", " there", " concierge", " everyone")
_NOTE = ("update my profile", "update my records", "update my notes", "update my file", "update", "note that")
_ASK = ("please ", "can you ", "could you ", "")
# The closed set: every phrase a piece of courtesy may be, word for word.
COURTESY = frozenset(
    {f"{h}{t}" for h in (*_HELLO, *_THANKS) for t in _TO}
    | {f"{a}{n}" for a in _ASK for n in _NOTE}
    | {"please", "good news", "great news", "just so you know", "fyi", "heads up", "quick update"}
)
# A piece: a run of words and the marks that close it (a dash too: "... gluten free — turns out ..."); only ",",
# ".", "!", ":" and ";" may close a piece of courtesy.
_PIECE = re.compile(r"[^,;:.!?\u2013\u2014]+[,;:.!?\u2013\u2014]*")
_CLOSING = re.compile(r"[,;:!]*\.?!*")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


def courteous_piece(piece: str) -> bool:
    """One piece of a message is courtesy: one phrase of ``COURTESY`` and ",", ".", "!", ":" or ";" at most ("Hi!",
    "Thank you.", "Cheers!!"); "Great.", "Thanks a lot, God.", "Thanks..." , "Hi :)" are not."""
    words = _WORD.findall(piece.casefold())
    rest = _WORD.sub(" ", piece).strip()
    if words[:1] in (["can"], ["could"]) and rest.endswith("?"):
        rest = rest[:-1]  # "Can you update my profile?"
    return " ".join(words) in COURTESY and _CLOSING.fullmatch(rest.replace(" ", "")) is not None


def piece_matches(text: str) -> Iterator[re.Match[str]]:
    """The pieces of ``text`` with where they are (``pieces``)."""
    return _PIECE.finditer(text)


def pieces(text: str) -> list[str]:
    """The pieces of ``text``: runs of words and the marks that close them ("Hi,", " thanks!")."""
    return _PIECE.findall(text)


def courteous(text: str) -> bool:
    """Every piece of ``text`` is courtesy (``courteous_piece``); an empty text, or one opening with a mark, is not."""
    found = pieces(text.strip())
    return bool(found) and "".join(found) == text.strip() and all(courteous_piece(p) for p in found)


def in_plain_company(anchor: Token) -> bool:
    """Every sentence of the message but the retraction's own is courtesy, whoever holds the need: a booking, a
    request, a remark, a sentence of marks only ("(?)", "‽", "🤔") is not."""
    return all(courteous(s.text) for s in anchor.doc.sents if s != anchor.sent and s.text.strip())


# Who a sentence says is writing: "I'm Anna", "This is Anna", "My name is Anna"; a stored "User is Bob".
_WRITER = frozenset({"i", "user", "this"})


def names_given(text: str) -> frozenset[str]:
    """The names the writer of ``text`` gives themself ("Hi, I'm Anna.", "My name is Bob", "Anna here"; as stored,
    "User is Bob", "User's name is Bob", "User is called Bob"), folded: a name said beside a retraction may be
    someone else typing on the account (attack9 H3)."""
    from concierge.needs.current import fold_name
    from concierge.needs.detect_names import full_name
    from concierge.needs.nlp import parse

    found = {fold_name(full_name(t)) for t in parse([text])[0] if t.pos_ == "PROPN" and _given(t)}
    return frozenset(found)


def _given(name: Token) -> bool:
    if name.dep_ == "ROOT":
        return any(c.lower_ == "here" for c in name.children)  # "Anna here."
    if name.dep_ not in ("attr", "oprd"):
        return False
    subject = next((c for c in name.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return False
    owner = next((c.lower_ for c in subject.children if c.dep_ == "poss"), None)
    return subject.lower_ in _WRITER or (subject.lower_ == "name" and owner in ("my", "user"))


# A clause that says the same as a retraction in other words: its holder now eats what the need forbids ("I'm not
# gluten-free any more, I can eat bread again", "my son has outgrown his egg allergy, he eats omelettes now"). Beside
# the need's own foods (config/needs.yaml) and those of the needs it absorbs ("fish" for vegetarian), the dishes
# below; a need id among them stands for everything that need forbids ("vegan" forbids what "vegetarian" does).
_MEAT = ("meat", "meats", "steak", "chicken", "beef", "pork", "lamb", "bacon", "ham", "burger", "burgers", "sausage")
_DISHES: dict[str, tuple[str, ...]] = {
    "vegetarian": _MEAT,
    "pescatarian": _MEAT,
    "vegan": ("vegetarian", "milk", "eggs", "cheese", "butter", "honey", "yoghurt", "yogurt"),
    "gluten": ("bread", "pasta", "pizza", "beer", "cake", "toast", "noodles", "croissants"),
    "milk": ("cheese", "butter", "cream", "yoghurt", "yogurt", "ice cream"),
    "eggs": ("omelette", "omelettes", "omelet", "omelets", "mayonnaise", "meringue"),
    "peanuts": ("satay",),
    "fish": ("sushi",),
}
_ALL = frozenset({"everything", "anything"})  # "I eat everything now" ends any diet
_CONFIRMING_VERBS = frozenset({"eat", "have", "drink"})
_CONFIRMING_AUX = frozenset({"can", "ca", "do", "does"})
_CONFIRMING_TAGS = frozenset({"VBP", "VBZ", "VB"})
_AGAIN = frozenset({"again", "now", "nowadays"})


def forbidden_foods(need_id: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
    """What ``need_id`` forbids to eat, as phrases of lower-case words: its foods, those of the needs it absorbs,
    and its dishes (``_DISHES``)."""
    from concierge.needs import load_vocabulary

    vocabulary = load_vocabulary()
    if need_id in seen or need_id not in vocabulary.ids():
        return frozenset()
    spec, seen = vocabulary.get(need_id), seen | {need_id}
    found = set(spec.foods)
    for other in (*spec.absorbs, *(d for d in _DISHES.get(need_id, ()) if d in vocabulary.ids())):
        found |= forbidden_foods(other, seen)
    dishes = {d for d in _DISHES.get(need_id, ()) if d not in vocabulary.ids()}
    return frozenset(found | dishes | _ALL)


def confirms(piece: str, holder: str, needs: frozenset[str]) -> bool:
    """``piece`` (one piece of a message, ``pieces``) is a plain statement by ``holder`` that they eat, can eat or
    have a food one of ``needs`` forbids, of now, and nothing more: "I eat meat again now.", "I can eat bread
    again.", "he eats omelettes now." Beside a retraction of those needs it only confirms it. A hedge ("I think",
    "maybe"), a degree ("a little", "sometimes"), a question, a mark, another holder or another need's food is not."""
    from concierge.needs.mood import not_meant
    from concierge.needs.nlp import parse
    from concierge.needs.retraction import marked

    doc = parse([piece.strip()])[0]
    if not needs or len(list(doc.sents)) != 1 or marked(doc) or not_meant(doc.text):
        return False
    verb = doc[:].root
    if verb.lemma_.lower() not in _CONFIRMING_VERBS or verb.tag_ not in _CONFIRMING_TAGS:
        return False
    foods = frozenset().union(*(forbidden_foods(n) for n in needs))
    return all(_confirming_child(c, holder, foods) for c in verb.children)


REASONS_FILE = "retraction_reasons.yaml"


class _ReasonsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_score: float = Field(ge=0, le=1)
    margin: float = Field(ge=0, le=1)
    kinds: dict[Literal["supports", "doubts"], list[str]] = Field(min_length=2)


@functools.cache
def _reasons(cache_dir: Path | None = None) -> tuple[_ReasonsFile, Examples]:
    from concierge.by_example import examples
    from concierge.needs.vocabulary import default_config_dir

    path = default_config_dir() / REASONS_FILE
    try:
        spec = _ReasonsFile.model_validate(safe_yaml.load(path.read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        raise ConfigError("CONCIERGE_CONFIG_DIR", str(path.parent), f"a folder holding {REASONS_FILE}") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(REASONS_FILE, "unreadable", f"supports and doubts examples ({exc})") from exc
    return spec, examples(path, spec.kinds, "retraction-reasons.npz", cache_dir)


def embed_reason_examples(cache_dir: Path) -> None:
    """Embed the supporting and doubting examples into ``cache_dir`` (the shipped seed of vectors)."""
    _reasons(cache_dir)


_DOUBTING_MARKS = frozenset({"if", "unless", "whether", "though", "although"})
_FAILED = frozenset({"fail", "failed", "positive", "flunk", "flunked"})  # a test failed or positive: the need holds
_OTHERS = frozenset({"he", "she", "they", "we"})


def supports(piece: str, holder: str, needs: frozenset[str] = frozenset()) -> bool:
    """``piece`` (one piece beside a retraction, ``pieces``) gives a reason or evidence that the need is gone, in
    the holder's own voice: "I started eating meat again last month", "turns out it was a misdiagnosis", "the
    tests came back fine". Read by example (``config/retraction_reasons.yaml``: supporting against doubting
    clauses), and never when it asks or orders, hedges, is conditional, marked, in jest, said by someone else, or
    about another person ("says my mum", "I think", "if the test is right", "she eats meat now" of the user's need)."""
    from concierge.needs.mood import not_meant
    from concierge.needs.nlp import parse
    from concierge.needs.retraction import BELIEF, another_voice, marked

    text = piece.strip().rstrip(",;:.!\u2013\u2014 ")
    if not text or "?" in piece or not_meant(text):
        return False
    doc = parse([text])[0]
    if marked(doc) or another_voice(doc, holder) or not _holders_voice(doc, holder) or _ordered(doc):
        return False
    if any((t.tag_ == "MD" and t.lower_ not in _CONFIRMING_AUX) or t.lemma_.lower() in BELIEF for t in doc):
        return False
    if any(t.lower_ in _DOUBTING_MARKS or t.lemma_.lower() in _FAILED for t in doc):
        return False  # "..., he had the challenge test but failed": the reason says the need holds
    if not all(_eats_as_before(t, needs) for t in doc if _eats(t)):
        return False
    spec, said = _reasons()
    return said.read(_in_first_person(doc, holder), spec.min_score, spec.margin) == "supports"


_AS_ME = {"he": "I", "she": "I", "they": "I", "his": "my", "him": "me", "her": "my", "their": "my", "them": "me"}


def _in_first_person(doc: Doc, holder: str) -> str:
    """A companion's clause said as the examples are, in the holder's first person ("he grew out of it" -> "I grew
    out of it"): the pronouns are the holder's (``_holders_voice`` checked it), so the reading is the same."""
    if holder.casefold() == "user":
        return doc.text
    return "".join(_AS_ME.get(t.lower_, t.text) + t.whitespace_ for t in doc)


# Words that make eating a food a degree or a one-off, not a return to it ("a little", "sometimes", "once").
_NOW_AND_THEN = frozenset(
    {"little", "bit", "sometimes", "once", "occasionally", "rarely", "some", "few", "small", "tiny", "bite", "taste"}
)  # fmt: skip


def _eats_as_before(verb: Token, needs: frozenset[str]) -> bool:
    """An eating verb of a supporting clause says the holder eats again what ``needs`` forbid, as a habit: "I
    started eating meat again", "I've been eating chicken since the summer"; not one meal ("I ate meat yesterday",
    "I had a steak last night"), a degree ("a little bread", "sometimes") or another need's food."""
    foods = frozenset().union(*(forbidden_foods(n) for n in needs)) if needs else frozenset()
    eaten = [c for c in verb.children if c.dep_ == "dobj"]
    said = {t.lower_ for t in verb.subtree}
    named = all(
        " ".join(t.lower_ for t in food.subtree) in foods or food.lower_ in foods or food.lemma_.lower() in foods
        for food in eaten
    )
    return bool(eaten) and named and verb.tag_ != "VBD" and not said & _NOW_AND_THEN


def _ordered(doc: Doc) -> bool:
    """An order or a request ("Find me an allergist.", "Book me a retest."): a verb in the base form with no
    subject, or one aimed at the concierge ("can you ..."). It asks for something; it tells no reason."""
    root = doc[:].root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    return (root.tag_ == "VB" and subject is None) or (subject is not None and subject.lower_ in ("you", "u"))


def _holders_voice(doc: Doc, holder: str) -> bool:
    """No subject of the piece is another person than the holder: "I" only for the user, "he" / "she" or the
    companion for a companion's need."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for
    from concierge.needs.retraction import is_holder

    companions = lexicon_for(load_vocabulary()).cues["companions"]
    for token in doc:
        if token.dep_ not in ("nsubj", "nsubjpass"):
            continue
        person = token.pos_ == "PROPN" or token.lower_ in _OTHERS | {"i"} or (token.lemma_.lower(),) in companions
        if person and (not is_holder(token, holder) or _other_sex(token.lower_, holder)):
            return False
    return True


_EATING = frozenset({"eat", "drink"})


def eats_unconfirmed(anchor: Token, holder: str, needs: frozenset[str]) -> bool:
    """A piece of the retraction's sentence but its own says what someone eats and does not confirm the retraction
    (``confirms``): "..., I can eat a little bread", "..., maybe I can eat bread", "..., I eat meat sometimes",
    "..., I can eat bread now" (after peanuts), "..., I ate meat yesterday". It may narrow or doubt it: not plain.
    A negated one ("..., I no longer eat meat") states a need of its own and is read as such."""
    sentence = anchor.sent
    for piece in piece_matches(sentence.text):
        start, end = sentence.start_char + piece.start(), sentence.start_char + piece.end()
        if start <= anchor.idx < end:
            continue
        words = [t for t in sentence if start <= t.idx < end]
        eating = any(_eats(t) for t in words)
        if eating and not confirms(piece.group(), holder, needs):
            return True
    return False


# What one "has" that is no food: "he had the challenge test and passed" gives a reason, it eats nothing.
_CARE = frozenset(
    {"test", "challenge", "exam", "examination", "check", "checkup", "appointment", "result", "scan", "biopsy",
     "consultation", "screening", "trial", "treatment", "therapy", "immunotherapy", "diagnosis", "procedure", "shot",
     "jab", "operation", "surgery", "review", "assessment"}
)  # fmt: skip


def _eats(verb: Token) -> bool:
    """ "eat", "drink", "have" with an object (no test or care: ``_CARE``), not negated: "I no longer eat meat"
    states a need of its own."""
    lemma, children = verb.lemma_.lower(), list(verb.children)
    past = verb.tag_ in ("VBD", "VBN")  # "he had the test": done; "he's having the test tomorrow": not yet
    had = [c for c in children if c.dep_ == "dobj" and not (past and c.lemma_.lower() in _CARE)]
    if lemma not in _EATING and not (lemma == "have" and verb.pos_ == "VERB" and had):
        return False
    return not any(c.dep_ == "neg" or c.lower_ in ("never", "longer") for c in children)


_HE = frozenset(
    {"son", "husband", "brother", "father", "dad", "boyfriend", "grandfather", "grandpa", "nephew", "uncle"}
)
_SHE = frozenset(
    {"daughter", "wife", "sister", "mother", "mum", "mom", "girlfriend", "grandmother", "grandma", "niece"}
)


def _other_sex(pronoun: str, holder: str) -> bool:
    """ "she" for "my son", "he" for "my wife": someone else."""
    said = set(holder.casefold().split())
    return (pronoun == "she" and bool(said & _HE)) or (pronoun == "he" and bool(said & _SHE))


def _confirming_child(child: Token, holder: str, foods: frozenset[str]) -> bool:
    """One word hung on the eating verb of a confirming clause: its holder, "can", the food, "again" / "now", "."."""
    from concierge.needs.retraction import is_holder

    if child.dep_ in ("nsubj", "nsubjpass"):
        return is_holder(child, holder) and not _other_sex(child.lower_, holder)
    if child.dep_ == "aux":
        return child.lower_ in _CONFIRMING_AUX and child.tag_ != "VBD"
    if child.dep_ == "dobj":
        words = [t.lower_ for t in child.subtree]
        return " ".join(words) in foods or " ".join([*words[:-1], child.lemma_.lower()]) in foods
    if child.dep_ == "advmod":
        return child.lower_ in _AGAIN and not list(child.children)
    return child.is_punct and child.text in (".", "!", ",")


__all__ = [
    "COURTESY",
    "confirms",
    "courteous",
    "courteous_piece",
    "eats_unconfirmed",
    "forbidden_foods",
    "in_plain_company",
    "names_given",
    "piece_matches",
    "pieces",
    "supports",
]
