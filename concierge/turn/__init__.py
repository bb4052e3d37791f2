"""One chat turn as a crewAI Flow: read -> route on the typed request -> one handler per kind of turn -> store."""
