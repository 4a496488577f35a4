"""The shared first step of a steward's decision on a pending item (an access request or a
proposal): lock its row, check the decider stewards its recording's community, and refuse an
item that was already decided (two stewards at once: the first decides, the second gets 409)."""
from django.utils.translation import gettext

from ..policy import is_steward
from .errors import Conflict, NotAllowed


def lock_pending(model, pk, *, user, what: str, noun: str):
    """Call inside transaction.atomic(); returns the locked row."""
    item = model.objects.select_for_update().select_related("recording").get(pk=pk)
    if not is_steward(user=user, community_id=item.recording.community_id):
        raise NotAllowed(gettext("only the community's stewards decide %(what)s") % {"what": what})
    if item.status != model.Status.PENDING:
        raise Conflict(gettext("this %(noun)s was already %(status)s") % {"noun": noun, "status": item.status})
    return item
