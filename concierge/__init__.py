"""Concierge: a CrewAI crew with per-user, per-project Mem0 memory.

Importing the package has no side effects: the entry points apply the environment defaults
(``concierge.runtime_env.prepare_environment``) before crewai or mem0 is imported.
"""

__version__ = "0.1.0"
