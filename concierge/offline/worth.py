"""What is worth remembering, read from the parse, lives in ``concierge.worth`` (the safety readers use it too)."""

from concierge.worth import *  # noqa: F403
from concierge.worth import states_a_fact

__all__ = ["states_a_fact"]
