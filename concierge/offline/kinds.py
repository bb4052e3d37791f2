"""The kinds of turn read by example live in ``concierge.kinds`` (the safety readers use them whatever the model)."""

from concierge.kinds import (
    STAND_IN,
    KindReading,
    TurnKinds,
    framed,
    read_kind,
    read_piece_kinds,
    said_in_passing,
    turn_kinds,
)

__all__ = [
    "STAND_IN",
    "KindReading",
    "TurnKinds",
    "framed",
    "read_kind",
    "read_piece_kinds",
    "said_in_passing",
    "turn_kinds",
]
