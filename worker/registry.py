"""Job kinds and the functions that do them.

A handler takes the Job and a ``report(progress, message)`` callable and returns
a JSON-able result. Handlers live in the apps' services; this maps kinds to them.
"""
from collections.abc import Callable
from typing import Any

Handler = Callable[..., Any]
_HANDLERS: dict[str, tuple[Handler, str]] = {}


class TransientJobError(Exception):
    """Raised by a handler for a failure worth retrying (a service briefly away)."""


class PermanentJobError(Exception):
    """Raised by a handler for a failure that no retry will fix; the message is shown to users."""


def job_handler(kind: str, *, queue: str = "default"):
    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = (func, queue)
        return func

    return register


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind][0]
    except KeyError:
        raise PermanentJobError(f"unknown job kind {kind!r}") from None


def queue_for(kind: str) -> str:
    return _HANDLERS.get(kind, (None, "default"))[1]


def known_kinds() -> list[str]:
    return sorted(_HANDLERS)
