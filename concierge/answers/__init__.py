"""Answers that book nothing: a question about the user's needs, a question about a place or its climate."""
