"""A user asks a community for access to a recording; a steward decides and the decision is logged."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..models import AccessRequest, PreservationEvent
from .decisions import lock_pending
from .errors import Conflict, NotAllowed
from .events import event_log


def access_request_create(*, recording, user, message: str = "") -> AccessRequest:
    if not user.is_authenticated:
        raise NotAllowed(gettext("sign in to ask for access"))
    pending = AccessRequest.objects.filter(recording=recording, requester=user, status=AccessRequest.Status.PENDING)
    if pending.exists():
        raise Conflict(gettext("you already have a pending request for this recording"))
    return AccessRequest.objects.create(recording=recording, requester=user, message=message)


def access_request_decide(*, request_id, user, grant: bool, until=None, reason: str = "") -> AccessRequest:
    with transaction.atomic():
        req = lock_pending(AccessRequest, request_id, user=user, what="access requests", noun="request")
        req.status = AccessRequest.Status.GRANTED if grant else AccessRequest.Status.DENIED
        req.until = until if grant else None
        req.decided_by = user
        req.decided_at = timezone.now()
        req.reason = reason
        req.save()
        verdict = f"granted until {until}" if grant and until else ("granted" if grant else "denied")
        event_log(recording=req.recording, type=PreservationEvent.Type.ACCESS_DECISION, user=user,
                  detail=f"access for {req.requester.get_username()} {verdict}. {reason}".strip())
    return req
