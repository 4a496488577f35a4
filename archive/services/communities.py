"""Communities and their members."""
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from ..models import Community, Membership, Protocol
from ..policy import forget_viewer, is_steward
from .errors import Conflict, NotAllowed, ServiceError


def community_create(*, name: str, description: str = "", slug: str = "", creator) -> Community:
    """A registered user founds a community and becomes its first steward."""
    slug = slug or slugify(name, allow_unicode=True)
    if not slug:
        raise ServiceError(gettext("a community needs a name that gives a slug"), field="slug")
    try:
        with transaction.atomic():
            community = Community.objects.create(name=name, description=description, slug=slug)
            Membership.objects.create(community=community, user=creator, role=Membership.Role.STEWARD)
    except IntegrityError:
        raise Conflict(gettext("a community with the slug '%(slug)s' exists") % {"slug": slug}, field="slug") from None
    forget_viewer(creator)
    return community


def community_update(*, community: Community, user, **fields) -> Community:
    if not is_steward(user=user, community_id=community.pk):
        raise NotAllowed(gettext("only the community's stewards may change it"))
    for key in ("name", "description"):
        if key in fields:
            setattr(community, key, fields[key])
    community.save()
    return community


def membership_set(*, community: Community, username: str, role: str, by) -> Membership:
    if not is_steward(user=by, community_id=community.pk):
        raise NotAllowed(gettext("only the community's stewards may change its members"))
    if role not in Membership.Role.values:
        raise ServiceError(gettext("role must be member or steward"), field="role")
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ServiceError(gettext("no user called '%(name)s'") % {"name": username}, field="username")
    with transaction.atomic():
        membership, _ = Membership.objects.select_for_update().get_or_create(
            community=community, user=user, defaults={"role": role}
        )
        if membership.role != role:
            _keep_a_steward(community, membership, role)
            membership.role = role
            membership.save(update_fields=["role"])
    forget_viewer(user)
    return membership


def membership_remove(*, community: Community, username: str, by) -> None:
    if not is_steward(user=by, community_id=community.pk):
        raise NotAllowed(gettext("only the community's stewards may change its members"))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(community=community, user__username=username).first()
        if membership is None:
            raise ServiceError(gettext("'%(name)s' is not a member") % {"name": username}, field="username")
        _keep_a_steward(community, membership, None)
        membership.delete()


def note_corrector_set(*, community: Community, username: str, allowed: bool, by) -> None:
    """Allow someone outside the community (a linguist, a teacher) to correct its transcriptions,
    or take it back (the community's stewards). What they may hear is still the protocols' to say."""
    if not is_steward(user=by, community_id=community.pk):
        raise NotAllowed(gettext("only the community's stewards may choose who corrects its transcriptions"))
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ServiceError(gettext("no user called '%(name)s'") % {"name": username}, field="username")
    if allowed:
        community.note_correctors.add(user)
    else:
        community.note_correctors.remove(user)


def _keep_a_steward(community, membership, new_role) -> None:
    if membership.role == Membership.Role.STEWARD and new_role != Membership.Role.STEWARD:
        others = Membership.objects.filter(community=community, role=Membership.Role.STEWARD).exclude(pk=membership.pk)
        if not others.exists():
            raise Conflict(gettext("a community keeps at least one steward"))


def protocol_create(*, community: Community, name: str, description: str = "", usernames=(), by,
                    translations: dict | None = None) -> Protocol:
    if not is_steward(user=by, community_id=community.pk):
        raise NotAllowed(gettext("only the community's stewards may define protocols"))
    users = list(get_user_model().objects.filter(username__in=list(usernames)))
    missing = set(usernames) - {u.username for u in users}
    if missing:
        raise ServiceError(gettext("unknown users: %(names)s") % {"names": ", ".join(sorted(missing))}, field="members")
    try:
        with transaction.atomic():
            protocol = Protocol.objects.create(community=community, name=name, description=description,
                                               translations=translations or {})
            protocol.members.set(users)
    except IntegrityError:
        raise Conflict(gettext("the community has a protocol called '%(name)s'") % {"name": name}, field="name") from None
    return protocol
