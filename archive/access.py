"""The one rule for access. Every read of recordings, their media and what hangs
off them goes through these selectors; nothing else builds a recording queryset.

A recording is visible to:
* staff, and stewards of its community: always (drafts and withdrawn ones too);
* its uploader while it is a draft;
* others only when it is published, and
  - its record protocol admits them (public; registered: signed in; community:
    members; custom: the protocol's named members) or a steward granted them
    access until a date, and
  - a Secret/Sacred label keeps it inside the community (or its stewards, by the
    community's rule), grants notwithstanding; so do Men and Women Restricted labels (inside
    the community the record protocol, naming whom the community chose, decides), and
  - a Seasonal label the community bound to dates hides it from non-members
    outside those dates.
Media additionally needs the media protocol (or a grant).
Staff means one thing everywhere: an active account that is staff or superuser (is_staff_user).
The labels' part comes from archive/labels.py's policy table.
"""
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from .id_sets import id_set
from .labels import COMMUNITY_ONLY
from .models import (
    AccessRequest,
    Annotation,
    LabelRule,
    Membership,
    Protocol,
    ProtocolLevel,
    Recording,
    RecordingLabel,
    SearchDocument,
    SearchRow,
)

SECRET_SACRED = "tk_secret_sacred"
SEASONAL = "tk_seasonal"
MEMBERS_ONLY = tuple(sorted(COMMUNITY_ONLY - {SECRET_SACRED}))  # kept inside the community, no steward rule


def is_staff_user(user) -> bool:
    """The archive's one meaning of staff."""
    return bool(user is not None and user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


@dataclass(frozen=True)
class Viewer:
    user: object
    authenticated: bool
    is_staff: bool
    member_of: frozenset[UUID]
    steward_of: frozenset[UUID]
    protocols: frozenset[UUID]
    shared: frozenset[UUID] = frozenset()  # recordings a valid share link in this session opens

    @property
    def user_id(self):
        return self.user.pk if self.authenticated else None


def viewer_for(user) -> Viewer:
    """Load once what access depends on for this user."""
    shared = frozenset(getattr(user, "_songkeeper_shares", ()) or ())
    if user is None or not user.is_authenticated:
        return Viewer(user, False, False, frozenset(), frozenset(), frozenset(), shared)
    if isinstance(getattr(user, "_songkeeper_viewer", None), Viewer):
        return user._songkeeper_viewer
    rows = list(Membership.objects.filter(user=user).values_list("community_id", "role"))
    viewer = Viewer(
        user=user,
        authenticated=True,
        is_staff=is_staff_user(user),
        member_of=frozenset(c for c, _ in rows),
        steward_of=frozenset(c for c, r in rows if r == Membership.Role.STEWARD),
        protocols=frozenset(Protocol.objects.filter(members=user).values_list("id", flat=True)),
        shared=shared,
    )
    user._songkeeper_viewer = viewer  # cached for this request's user object
    return viewer


def forget_viewer(user) -> None:
    """Drop the cached access facts after memberships change."""
    for cached in ("_songkeeper_viewer", "_songkeeper_label_rules"):
        if user is not None and hasattr(user, cached):
            delattr(user, cached)


def _protocol_q(viewer: Viewer, level: str, custom: str, community: str = "community") -> Q:
    q = Q(**{level: ProtocolLevel.PUBLIC})
    if viewer.authenticated:
        q |= Q(**{level: ProtocolLevel.REGISTERED})
        q |= Q(**{level: ProtocolLevel.COMMUNITY, f"{community}__in": viewer.member_of})
        q |= Q(**{level: ProtocolLevel.CUSTOM, f"{custom}__in": viewer.protocols})
    return q


@dataclass(frozen=True)
class RecordColumns:
    """Where a table keeps what the record rule reads: the recording's own columns, or their copy on
    its search row, which database triggers keep in every writing transaction
    (archive/search/policy_columns.py), so a search applies this same rule to its rows."""
    id: str
    status: str
    protocol: str
    custom_protocol: str
    community: str
    created_by: str


ON_RECORDING = RecordColumns(id="pk", status="status", protocol="record_protocol",
                             custom_protocol="record_custom_protocol", community="community", created_by="created_by_id")
ON_SEARCH_ROW = RecordColumns(id="recording_id", status="status", protocol="record_protocol",
                              custom_protocol="record_custom_protocol_id", community="community_id",
                              created_by="created_by_id")


def _grant_q(viewer: Viewer, today: date, on: RecordColumns = ON_RECORDING) -> Q:
    """Access granted to this viewer: an access request a steward granted (until its date), or a
    share link opened in this session (checked for revocation and date by the middleware)."""
    shared = Q(**{f"{on.id}__in": list(viewer.shared)})
    if not viewer.authenticated:
        return shared
    granted = AccessRequest.objects.filter(
        requester_id=viewer.user_id, status=AccessRequest.Status.GRANTED
    ).filter(Q(until__isnull=True) | Q(until__gte=today)).values("recording_id")
    return Q(**{f"{on.id}__in": granted}) | shared


def _has_label(on: RecordColumns, *codes: str) -> Q:
    return Q(**{f"{on.id}__in": RecordingLabel.objects.filter(label_id__in=codes).values("recording_id")})


def _label_rules(viewer: Viewer) -> list[dict]:
    """The communities' Secret/Sacred and Seasonal rules, read once per request's user object (a
    page asks for access three to five times); forget_viewer drops them with the rest."""
    rules = getattr(viewer.user, "_songkeeper_label_rules", None)
    if rules is None:
        rules = list(LabelRule.objects.filter(label_id__in=[SECRET_SACRED, SEASONAL]).values(
            "community_id", "label_id", "protocol_level", "season_start", "season_end"
        ))
        if viewer.user is not None:
            viewer.user._songkeeper_label_rules = rules
    return rules


def _label_rules_q(viewer: Viewer, today: date, on: RecordColumns) -> Q:
    rules = _label_rules(viewer)
    community = f"{on.community}__in"
    stewards_only = {r["community_id"] for r in rules if r["label_id"] == SECRET_SACRED and r["protocol_level"] == ProtocolLevel.STEWARDS}
    secret_ok = set(viewer.steward_of) | (set(viewer.member_of) - stewards_only)
    secret_q = ~_has_label(on, SECRET_SACRED) | Q(**{community: secret_ok})
    secret_q &= ~_has_label(on, *MEMBERS_ONLY) | Q(**{community: viewer.member_of})
    out_of_season = {
        r["community_id"] for r in rules
        if r["label_id"] == SEASONAL and not LabelRule(season_start=r["season_start"], season_end=r["season_end"]).in_season(today)
    }
    season_q = Q()
    if out_of_season:
        season_q = ~_has_label(on, SEASONAL) | ~Q(**{community: out_of_season}) | Q(**{community: viewer.member_of})
    return secret_q & season_q


def record_rule(viewer: Viewer, today: date, on: RecordColumns = ON_RECORDING) -> Q:
    """Who may see a record, as a condition on the columns ``on`` names (see the module's text)."""
    if viewer.is_staff:
        return Q()
    published = Q(**{on.status: Recording.Status.PUBLISHED}) & (
        _protocol_q(viewer, on.protocol, on.custom_protocol, on.community) | _grant_q(viewer, today, on)
    ) & _label_rules_q(viewer, today, on)
    q = published | Q(**{f"{on.community}__in": viewer.steward_of})
    if viewer.authenticated:
        q |= Q(**{on.status: Recording.Status.DRAFT, on.created_by: viewer.user_id})
    return q


def recordings_visible(*, user, today: date | None = None) -> QuerySet[Recording]:
    """The recordings whose record this user may see."""
    return Recording.objects.filter(record_rule(viewer_for(user), today or timezone.localdate()))


def search_rows_visible(*, user, today: date | None = None) -> QuerySet[SearchRow]:
    """The search rows of the recordings whose record this user may see: the same rule, read from
    the rows' copy of the recording's columns (archive/search/policy_columns.py)."""
    return SearchRow.objects.filter(record_rule(viewer_for(user), today or timezone.localdate(), ON_SEARCH_ROW))


def annotation_documents_visible(*, user, today: date | None = None) -> QuerySet[SearchDocument]:
    """The annotations' search documents on recordings whose record this user may see: the same
    rule, read from each document's copy of its recording's columns (archive/search/
    document_columns.py, by the same names as on a search row). Whether the annotation itself is
    open to the user is its own protocol's question (annotation_open_q, annotations_visible)."""
    return SearchDocument.objects.filter(kind=SearchDocument.Kind.ANNOTATION).filter(
        record_rule(viewer_for(user), today or timezone.localdate(), ON_SEARCH_ROW))


def recordings_audible(*, user, today: date | None = None) -> QuerySet[Recording]:
    """The recordings whose audio (and derived files) this user may hear."""
    viewer = viewer_for(user)
    visible = recordings_visible(user=user, today=today)
    if viewer.is_staff:
        return visible
    today = today or timezone.localdate()
    media = (
        _protocol_q(viewer, "media_protocol", "media_custom_protocol")
        | _grant_q(viewer, today)
        | Q(community__in=viewer.steward_of)
    )
    if viewer.authenticated:
        media |= Q(status=Recording.Status.DRAFT, created_by_id=viewer.user_id)
    return visible.filter(media)


def may_download_master(*, user, recording: Recording) -> bool:
    """The preservation master goes to staff and the community's members who may hear the recording."""
    viewer = viewer_for(user)
    if viewer.is_staff:
        return True
    return recording.community_id in viewer.member_of and recordings_audible(user=user).filter(pk=recording.pk).exists()


def recording_visible_or_none(*, user, pk) -> Recording | None:
    try:
        return recordings_visible(user=user).filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):  # not an id at all: nothing to see
        return None


def annotation_open_with_its_recording(protocol: str) -> bool:
    """An annotation under this protocol is seen by everyone who sees its recording (the public
    level, which _protocol_q admits for every viewer in annotations_visible below). Search reads
    this to ask the database only about the others."""
    return protocol == ProtocolLevel.PUBLIC


def annotation_open_q(protocol: str = "protocol") -> Q:
    """annotation_open_with_its_recording as a condition on the column ``protocol`` names, so a
    search counts the open annotations in the database."""
    return Q(**{protocol: ProtocolLevel.PUBLIC})


def annotations_visible(*, user, recording: Recording | None = None, recording_ids=None) -> QuerySet[Annotation]:
    """Annotations of visible recordings that the annotation's own protocol admits; with
    ``recording_ids``, only among those recordings (still checked here), which spares the database
    deciding on every recording when a caller already knows the few it wants."""
    viewer = viewer_for(user)
    visible = recordings_visible(user=user)
    if recording_ids is not None:
        visible = visible.filter(pk__in=id_set(recording_ids))
    qs = Annotation.objects.filter(recording__in=visible)
    if recording is not None:
        qs = qs.filter(recording=recording)
    if viewer.is_staff:
        return qs
    q = _protocol_q(viewer, "protocol", "custom_protocol", community="recording__community")
    q |= Q(recording__community__in=viewer.steward_of)
    if viewer.authenticated:
        q |= Q(author_id=viewer.user_id)
    return qs.filter(q)


def is_steward(*, user, community_id) -> bool:
    viewer = viewer_for(user)
    return viewer.is_staff or community_id in viewer.steward_of


def is_member(*, user, community_id) -> bool:
    viewer = viewer_for(user)
    return viewer.is_staff or community_id in viewer.member_of


def communities_stewarded(*, user) -> frozenset[UUID]:
    return viewer_for(user).steward_of
