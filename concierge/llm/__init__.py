"""LLM providers: the offline model and the one factory that builds providers from settings."""
