"""Concierge: a CrewAI crew with per-user, per-project Mem0 memory."""

from concierge.runtime_env import prepare_environment

prepare_environment()

__version__ = "0.1.0"
