"""``concierge eval``: replay scenario files against a fresh namespace and check isolation and recall."""
