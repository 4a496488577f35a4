"""The one policy: every decision a person or a job can ask about a community's material.

Who may see a record or hear its audio is archive/access.py's (the rules are stated there, and
tests/oracle.py states them again independently); this module builds every other decision on
those two and on archive/labels.py's label table, so nothing else decides:

* derived data (analysis values, notes, pitch sets, a model's manifest and training set) follows
  the strictest rule of what it derives from: the media protocol (``recordings_derivable``), and
  for what a model learned a Community Use Only label keeps it inside the community
  (``recordings_learned_from_visible``);
* training: published recordings the trainer may *hear*, whose community consented, that carry no
  label forbidding training, and Community Use Only ones only for the community's members
  (``recordings_trainable``);
* events and history: the community's stewards (and staff) see every detail, others what
  happened and when, never who, why or where (``events_for``, ``history_for``);
* a BagIt bag: what the exporter may hear; restricted material only for stewards (``bag_recordings``);
* OAI-PMH: what an anonymous visitor may see, and as deleted records only what once was public
  (``harvestable_recordings``);
* correcting a transcription: the community's members and the people its stewards allow, who may
  hear the recording (``may_correct_notes``); who corrected is a detail, as in the history;
* harvest sources and the candidates they propose: the community's stewards (and staff) only,
  since what another archive holds may be what the community keeps closed
  (``harvest_sources_visible``, ``candidates_visible``); so are the Local Contexts Hub projects a
  community links (``hub_projects_visible``), whose labels, once applied, show as any label does;
* stewardship: deciding proposals and access requests, curating, naming custodians
  (``is_steward``, ``may_add_tradition``, ``may_change_tradition``).
"""
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from .access import (
    SECRET_SACRED,
    Viewer,
    annotation_documents_visible,
    annotation_open_q,
    annotation_open_with_its_recording,
    annotations_visible,
    communities_stewarded,
    forget_viewer,
    is_member,
    is_staff_user,
    is_steward,
    may_download_master,
    recording_visible_or_none,
    recordings_audible,
    recordings_visible,
    search_rows_visible,
    viewer_for,
)
from .labels import MEMBERS_TRAINING, NO_TRAINING
from .models import (
    AccessRequest,
    Collection,
    Community,
    HarvestCandidate,
    HarvestSource,
    HubProject,
    IngestBatch,
    PreservationEvent,
    Proposal,
    Recording,
    RecordingLabel,
)

__all__ = [
    "Viewer", "annotation_documents_visible", "annotation_open_q", "annotation_open_with_its_recording",
    "annotations_visible", "communities_stewarded", "forget_viewer",
    "is_member", "is_staff_user", "is_steward",
    "may_download_master", "recording_visible_or_none", "recordings_audible", "recordings_visible", "search_rows_visible",
    "viewer_for",
]


def _labelled(codes) -> Exists:
    return Exists(RecordingLabel.objects.filter(recording=OuterRef("pk"), label_id__in=list(codes)))


def _members_only_inside(viewer: Viewer) -> Q:
    """Community Use Only material only inside its community (MEMBERS_TRAINING in the label table)."""
    return ~_labelled(MEMBERS_TRAINING) | Q(community__in=viewer.member_of)


# --- derived data and training -----------------------------------------------------------------

def recordings_derivable(*, user) -> QuerySet[Recording]:
    """The recordings whose derived data (analysis values, tonic and tempo, notes, pitch set) this
    user may see: those whose audio they may hear, since the data reveals the music itself."""
    return recordings_audible(user=user)


def recordings_learned_from_visible(*, user) -> QuerySet[Recording]:
    """The recordings a model this user may see can have learned from: those whose derived data
    they may see, and Community Use Only ones only inside the community (what members train on
    it stays there)."""
    viewer = viewer_for(user)
    derivable = recordings_derivable(user=user)
    if viewer.is_staff:
        return derivable
    return derivable.filter(_members_only_inside(viewer))


def recordings_trainable(*, user, tradition=None) -> QuerySet[Recording]:
    """Published recordings this user may hear, whose community allowed training, that carry no
    label forbidding it (and Community Use Only ones only for the community's members)."""
    viewer = viewer_for(user)
    qs = (recordings_audible(user=user)
          .filter(status=Recording.Status.PUBLISHED, training_consent=Recording.Consent.ALLOWED)
          .exclude(_labelled(NO_TRAINING)))
    qs = qs.filter(_members_only_inside(viewer))  # staff too
    if tradition is not None:
        qs = qs.filter(tradition=tradition)
    return qs


def recording_still_trainable(recording: Recording) -> bool:
    """Consent and labels still allow learning from this recording (by someone: who may, the
    model's own visibility decides)."""
    return (recording.status == Recording.Status.PUBLISHED
            and recording.training_consent == Recording.Consent.ALLOWED
            and not recording.label_links.filter(label_id__in=list(NO_TRAINING)).exists())


def may_correct_notes(*, user, recording: Recording) -> bool:
    """Correcting a transcription: the owning community's members (and staff), and the people its
    stewards allow (Community.note_correctors), who may hear it."""
    allowed = is_member(user=user, community_id=recording.community_id) or (
        user is not None and user.is_authenticated
        and Community.note_correctors.through.objects.filter(community_id=recording.community_id,
                                                            user_id=user.pk).exists())
    return allowed and recordings_derivable(user=user).filter(pk=recording.pk).exists()


# --- events and history ------------------------------------------------------------------------

def sees_everything_of(*, user, recording: Recording) -> bool:
    """The community's stewards and staff see every event's and change's details."""
    return is_steward(user=user, community_id=recording.community_id)


def events_for(*, user, recording: Recording) -> list[PreservationEvent]:
    """The recording's preservation events as this reader may see them: stewards every detail;
    others the type, time and outcome, without the agent or the detail (which can name a person
    granted access, a reason, an uploader or a storage path)."""
    events = list(recording.events.all())
    if sees_everything_of(user=user, recording=recording):
        return events
    for event in events:
        event.agent_name = ""
        event.detail = ""
    return events


def history_for(*, user, recording: Recording, entries: list[dict]) -> list[dict]:
    """History entries as this reader may see them: stewards every value; others which fields
    changed and when, without the values (an old title a steward replaced stays replaced) or who."""
    if sees_everything_of(user=user, recording=recording):
        return entries
    return [{**entry, "user": None, "reason": "",
             "changes": [{"field": c["field"], "old": None, "new": None} for c in entry["changes"]]}
            for entry in entries]


# --- exports and harvest -----------------------------------------------------------------------

def bag_recordings(*, user, collection: Collection) -> tuple[QuerySet[Recording], bool]:
    """(the collection's recordings a bag for this user holds, whether restricted ones are in it):
    stewards of the collection's community and staff get every recording they may see but withdrawn
    ones; others what anyone may hear."""
    members = Recording.objects.filter(collection=collection).exclude(status=Recording.Status.WITHDRAWN)
    if is_steward(user=user, community_id=collection.community_id):
        return members.filter(pk__in=recordings_visible(user=user).values("pk")), True
    return members.filter(pk__in=recordings_audible(user=None).values("pk")), False


def harvestable_recordings() -> QuerySet[Recording]:
    """What OAI-PMH answers: the recordings an anonymous visitor may see, and as deleted records
    the withdrawn ones that were once public (a harvester may hold them), never Secret/Sacred ones.
    A draft withdrawn before anyone could see it was never announced and is not announced now."""
    visible = recordings_visible(user=None).values("pk")
    deleted = (Q(status=Recording.Status.WITHDRAWN, once_public=True)
               & ~Q(pk__in=RecordingLabel.objects.filter(label_id=SECRET_SACRED).values("recording_id")))
    return Recording.objects.filter(Q(pk__in=visible) | deleted)


# --- stewardship -------------------------------------------------------------------------------

def may_add_tradition(*, user, custodians) -> bool:
    """Stewards may add a tradition naming communities they steward as custodians; staff any."""
    viewer = viewer_for(user)
    if viewer.is_staff:
        return True
    return bool(viewer.steward_of) and all(c.pk in viewer.steward_of for c in custodians)


def may_change_tradition(*, user, tradition) -> bool:
    viewer = viewer_for(user)
    return viewer.is_staff or bool({c.pk for c in tradition.communities.all()} & viewer.steward_of)


def communities_adding_to(*, user) -> list:
    """The communities this user may add recordings to (and tell an account for): their own, all for staff."""
    viewer = viewer_for(user)
    return list(Community.objects.values_list("pk", flat=True)) if viewer.is_staff else list(viewer.member_of)


def communities_steering(*, user) -> list:
    """The communities this user may steward: those they steward, all for staff."""
    viewer = viewer_for(user)
    return list(Community.objects.values_list("pk", flat=True)) if viewer.is_staff else list(viewer.steward_of)


def stewards_somewhere(*, user) -> bool:
    viewer = viewer_for(user)
    return viewer.is_staff or bool(viewer.steward_of)


def member_somewhere(*, user) -> bool:
    viewer = viewer_for(user)
    return viewer.is_staff or bool(viewer.member_of)


def may_edit_narrative(*, user, narrative) -> bool:
    """A community's account: its author and the community's stewards reword it."""
    return (getattr(user, "is_authenticated", False) and narrative.author_id == user.pk) or is_steward(
        user=user, community_id=narrative.community_id)


def stewarded_recordings(*, user) -> QuerySet[Recording]:
    """Every recording (drafts and withdrawn ones too) of the communities this user stewards."""
    viewer = viewer_for(user)
    if viewer.is_staff:
        return Recording.objects.all()
    return Recording.objects.filter(community__in=viewer.steward_of)


def proposals_visible(*, user) -> QuerySet[Proposal]:
    """A proposal: its proposer (while they may see the recording) and the community's stewards."""
    viewer = viewer_for(user)
    if not viewer.authenticated:
        return Proposal.objects.none()
    if viewer.is_staff:
        return Proposal.objects.all()
    return Proposal.objects.filter(
        Q(proposer_id=viewer.user_id) | Q(recording__community__in=viewer.steward_of)
    ).filter(recording__in=recordings_visible(user=user))


def access_requests_visible(*, user) -> QuerySet[AccessRequest]:
    """An access request: its requester and the community's stewards."""
    viewer = viewer_for(user)
    if not viewer.authenticated:
        return AccessRequest.objects.none()
    if viewer.is_staff:
        return AccessRequest.objects.all()
    return AccessRequest.objects.filter(Q(requester_id=viewer.user_id) | Q(recording__community__in=viewer.steward_of))


def harvest_sources_visible(*, user) -> QuerySet[HarvestSource]:
    """A community's harvest sources: its stewards (and staff)."""
    viewer = viewer_for(user)
    if not viewer.authenticated:
        return HarvestSource.objects.none()
    if viewer.is_staff:
        return HarvestSource.objects.all()
    return HarvestSource.objects.filter(community__in=viewer.steward_of)


def candidates_visible(*, user) -> QuerySet[HarvestCandidate]:
    """What a harvest proposes, and what was decided of it: the community's stewards (and staff).
    A candidate is not the community's recording yet; members see what a steward accepted, as
    a recording, under the protocols the steward chose."""
    return HarvestCandidate.objects.filter(source__in=harvest_sources_visible(user=user))


def hub_projects_visible(*, user) -> QuerySet[HubProject]:
    """A community's linked Hub projects, with the Hub's answer as kept: its stewards (and staff)."""
    viewer = viewer_for(user)
    if not viewer.authenticated:
        return HubProject.objects.none()
    if viewer.is_staff:
        return HubProject.objects.all()
    return HubProject.objects.filter(community__in=viewer.steward_of)


def ingest_batches_visible(*, user) -> QuerySet[IngestBatch]:
    """A bulk ingest from the browser, with its manifest and files in flight: only the person who
    sent it (its rows become recordings, under the community's rules, only when its job runs)."""
    viewer = viewer_for(user)
    if not viewer.authenticated:
        return IngestBatch.objects.none()
    return IngestBatch.objects.filter(user_id=viewer.user_id)


def ingest_batch_or_none(*, user, pk) -> IngestBatch | None:
    """The batch if it is this user's; None for another's, a missing one, or what is not an id."""
    try:
        return ingest_batches_visible(user=user).filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):
        return None
