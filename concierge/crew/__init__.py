"""The concierge crew in crewAI's template shape: ``crew.py`` (@CrewBase), ``tools/``, the crew's memory.

Agents and tasks are declared in ``config/agents.yaml`` and ``config/tasks.yaml`` (top level, shipped
with the package); nothing here runs at import beyond defining classes.
"""
