"""Streamlit front end. Holds no business logic: every action is one ConciergeService call."""
