"""Questions are not bookings, round 8 (issue 21): a question about booking itself is answered, never booked.

"Do I need to book ahead for dinner in Amsterdam on a weekday?", "Is it hard to get a table in Rome?", "How early
should I reserve in Lisbon?" ask whether or when to book (``concierge.offline.telling.asks_whether_to_book``, read on
the parse): no booking draft, no plan chosen, nothing stored. "Can you book dinner in Lyon tomorrow?" still books.
End to end through ``ConciergeService.chat``.
"""

from __future__ import annotations

import pytest

from concierge.offline.telling import asks_whether_to_book
from concierge.service import ConciergeService

QUESTIONS = [
    "Do I need to book ahead for dinner in Amsterdam on a weekday?",
    "Is it hard to get a table in Rome?",
    "How early should I reserve in Lisbon?",
    "Are reservations necessary for lunch in Porto?",
    "Do we have to book in advance for dinner in Paris?",
    "How far ahead should we book a restaurant in Barcelona?",
    "Is booking required for restaurants in Madrid?",
    "Is it easy to get a table for dinner in Florence on a Saturday?",
    "Do you need a reservation for lunch in Seville?",
    "Is it worth reserving for dinner in Berlin on a Friday?",
    "When should I book dinner in Tokyo?",
    "Do restaurants in Vienna take reservations?",
    "How far in advance do I need to book a table in London?",
    "Are reservations needed in Naples in August?",
    "Is it necessary to book ahead for brunch in Amsterdam?",
    "Is it difficult to get a table in Milan on a Saturday night?",
    "Do I have to reserve a table for lunch in Nice?",
    "Should I book ahead for dinner in Lyon?",
    "How early do I need to reserve for dinner in Copenhagen?",
    "Is a reservation necessary for dinner in Bologna?",
    "Do people book ahead for dinner in Athens?",
]
REQUESTS = [
    "Can you book dinner in Lyon tomorrow?",
    "Could you get us a table in Rome on Friday?",
    "Can I get a table for 2 in Paris tonight?",
    "Can we reserve lunch in Porto on Sunday for 3?",
    "I need to book a table in Lisbon for Friday.",
    "Do you have a table for 4 in Berlin tomorrow?",
]
_QUESTIONS = ("memory_question", "needs_question", "place_question")


@pytest.mark.parametrize("said", QUESTIONS)
def test_a_question_about_booking_is_read_as_one(said: str) -> None:
    assert asks_whether_to_book(said)


@pytest.mark.parametrize("said", REQUESTS)
def test_a_request_to_book_is_no_question_about_booking(said: str) -> None:
    assert not asks_whether_to_book(said)


@pytest.mark.parametrize("said", QUESTIONS[::2])
def test_a_question_about_booking_books_and_stores_nothing(service: ConciergeService, project: str, said: str) -> None:
    scope = service.scope(f"bq8-{QUESTIONS.index(said)}", project_id=project, run_id="s1")
    reply = service.chat(scope, said)
    assert reply.request.intent in _QUESTIONS
    assert reply.draft is None and reply.itinerary is None
    assert not reply.memories_stored
    assert not service.memories(scope)


@pytest.mark.parametrize("said", REQUESTS[:4])
def test_a_request_to_book_still_plans(service: ConciergeService, project: str, said: str) -> None:
    scope = service.scope(f"bq8-r-{REQUESTS.index(said)}", project_id=project, run_id="s1")
    reply = service.chat(scope, said)
    assert reply.request.intent == "dine"
