"""Logging preservation events."""
from ..models import PreservationEvent


def event_log(*, recording, type: str, user=None, outcome: str = PreservationEvent.Outcome.SUCCESS,
              detail: str = "", agent_name: str = "songkeeper") -> PreservationEvent:
    agent = user if user is not None and getattr(user, "is_authenticated", False) else None
    return PreservationEvent.objects.create(
        recording=recording, type=type, agent=agent, agent_name=agent.get_username() if agent else agent_name,
        outcome=outcome, detail=detail,
    )
