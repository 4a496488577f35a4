"""Proposed changes to a recording, decided by the community's stewards."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..models import Proposal, Recording
from .decisions import lock_pending
from .errors import NotAllowed, ServiceError


def proposal_create(*, recording, data: dict, user, comment: str = "") -> Proposal:
    if not user.is_authenticated:
        raise NotAllowed(gettext("sign in to propose a change"))
    raw = data.get("_raw")
    if not raw:
        raise ServiceError(gettext("nothing to change"))
    return Proposal.objects.create(recording=recording, proposer=user, changes=raw, comment=comment)


def proposal_decide(*, proposal_id, user, approve: bool, reason: str = "", validate=None) -> Proposal:
    """Approve (apply the change) or reject. Two stewards at once: the first decides, the second gets a conflict.

    ``validate`` turns the stored raw change back into validated data (the API's serializer).
    """
    from .recordings import _apply  # recordings.py proposes through this module: a cycle

    with transaction.atomic():
        proposal = lock_pending(Proposal, proposal_id, user=user, what="proposals", noun="proposal")
        if approve:
            data = validate(proposal.recording, proposal.changes) if validate else proposal.changes
            recording = Recording.objects.select_for_update().get(pk=proposal.recording_id)
            recording._change_reason = f"proposal {proposal.pk}"
            _apply(recording, data, proposal.proposer, creating=False)
        proposal.status = Proposal.Status.APPROVED if approve else Proposal.Status.REJECTED
        proposal.decided_by = user
        proposal.decided_at = timezone.now()
        proposal.reason = reason
        proposal.save()
    return proposal
