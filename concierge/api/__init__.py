"""The authenticated HTTP API (``concierge serve``): FastAPI routes over the same ``ConciergeService`` as the
CLI and UI. Keys, idempotency records and rate-limit counters live in the memory store's PostgreSQL, so any
number of processes on any number of machines can serve any request."""
