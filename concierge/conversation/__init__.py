"""Conversation: a chat session remembers its own turns (session state) and resolves follow-ups against them."""
