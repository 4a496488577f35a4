"""Time-limited share links: a steward makes one for a recording (for a named person or for
whoever holds it), revokes it at will; opening it puts it in the holder's session, and every
use is logged. The access decision stays in archive.access (the session's links are grants)."""
import hashlib
import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..models import Recording, ShareLink, ShareLinkUse
from ..policy import is_steward
from .errors import NotAllowed, ServiceError

SESSION_KEY = "share_links"


class LinkGone(ServiceError):
    status = 410
    code = "gone"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def share_link_create(*, recording: Recording, user, until: date, person: str = "", note: str = "") -> tuple[ShareLink, str]:
    """Returns the link and its token (shown once; only its hash is kept)."""
    if not is_steward(user=user, community_id=recording.community_id):
        raise NotAllowed(gettext("only the community's stewards may share a recording"))
    if until < timezone.localdate():
        raise ServiceError(gettext("the link must last until today or later"), field="until")
    named = None
    if person:
        named = get_user_model().objects.filter(username=person).first()
        if named is None:
            raise ServiceError(gettext("no user called '%(name)s'") % {"name": person}, field="person")
    token = secrets.token_urlsafe(24)
    link = ShareLink.objects.create(recording=recording, token_hash=_hash(token), person=named, until=until,
                                    note=note[:300], created_by=user)
    return link, token


def share_link_revoke(*, link: ShareLink, user) -> ShareLink:
    if not is_steward(user=user, community_id=link.recording.community_id):
        raise NotAllowed(gettext("only the community's stewards may revoke a share link"))
    with transaction.atomic():
        locked = ShareLink.objects.select_for_update().get(pk=link.pk)
        if locked.revoked_at is None:
            locked.revoked_at, locked.revoked_by = timezone.now(), user
            locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def _address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def share_link_open(*, token: str, request) -> ShareLink:
    """Check the link for this user, log the use, and keep it in the session."""
    link = ShareLink.objects.select_related("recording", "person").filter(token_hash=_hash(token)).first()
    if link is None:
        raise LinkGone(gettext("this share link does not exist"))
    user = request.user if request.user.is_authenticated else None

    def refuse(error: ServiceError, why: str):
        ShareLinkUse.objects.create(link=link, kind=ShareLinkUse.Kind.REFUSED, user=user, address=_address(request),
                                    detail=why)
        raise error

    if link.revoked_at is not None:
        refuse(LinkGone("this share link was revoked by the community's stewards"), "revoked")
    if link.recording.status != link.recording.Status.PUBLISHED:
        refuse(LinkGone(gettext("this share link no longer works: the community has withdrawn the recording")),
               "recording withdrawn")
    if link.until < timezone.localdate():
        refuse(LinkGone(f"this share link ended on {link.until:%Y-%m-%d}"), "expired")
    if link.person_id is not None and (user is None or user.pk != link.person_id):
        refuse(NotAllowed("this link is for another person: sign in as the person it was made for to use it"),
               "another person")
    ShareLinkUse.objects.create(link=link, kind=ShareLinkUse.Kind.OPENED, user=user, address=_address(request))
    held = [i for i in request.session.get(SESSION_KEY, []) if i != str(link.pk)]
    request.session[SESSION_KEY] = [*held, str(link.pk)]
    return link


def shared_recordings(*, link_ids, user) -> frozenset:
    """The recordings that the session's links still open for this user (not revoked, not past
    their date, and naming this user or nobody)."""
    links = ShareLink.objects.filter(pk__in=link_ids, revoked_at__isnull=True, until__gte=timezone.localdate())
    if user is not None and user.is_authenticated:
        links = links.filter(person__isnull=True) | links.filter(person=user)
    else:
        links = links.filter(person__isnull=True)
    return frozenset(links.values_list("recording_id", flat=True))


def share_link_log_listen(*, request, recording) -> None:
    """A holder started the audio of a recording their link opened."""
    ids = request.session.get(SESSION_KEY, []) if hasattr(request, "session") else []
    link = ShareLink.objects.filter(pk__in=ids, recording=recording).order_by("-created").first()
    if link is not None:
        ShareLinkUse.objects.create(link=link, kind=ShareLinkUse.Kind.LISTENED,
                                    user=request.user if request.user.is_authenticated else None,
                                    address=_address(request))
