"""Reads of the catalogue, always starting from the one policy (archive/policy.py)."""
from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from worker.models import Job

from .analysis import ANALYSER, VERSION
from .localization import localized_text
from .models import (
    AccessRequest,
    Analysis,
    Collection,
    Community,
    HarvestCandidate,
    HarvestSource,
    LabelRule,
    Narrative,
    Proposal,
    Recording,
    RecordingFile,
    RecordingPerson,
    Tradition,
    Transcription,
)
from .policy import (
    access_requests_visible,
    annotations_visible,
    candidates_visible,
    communities_steering,
    events_for,
    harvest_sources_visible,
    hub_projects_visible,
    proposals_visible,
    recording_visible_or_none,
    recordings_audible,
    recordings_visible,
    stewarded_recordings,
)


def recording_list_visible(*, user) -> QuerySet[Recording]:
    """Visible recordings with what their JSON and cards need, fetched in a few queries."""
    current = Analysis.objects.filter(analyser=ANALYSER, version=VERSION, status=Analysis.Status.OK)
    return recordings_visible(user=user).select_related("place", "tradition", "community").prefetch_related(
        Prefetch("credits", queryset=RecordingPerson.objects.select_related("person")),
        "instruments", "languages", "label_links", "files",
        Prefetch("analyses", queryset=current, to_attr="current_analyses"),
    )


def same_master_elsewhere(*, user, file: RecordingFile) -> list:
    """Other recordings, among those this user may see, whose master has the same bytes (sha256)."""
    return list(RecordingFile.objects.filter(role=RecordingFile.Role.MASTER, sha256=file.sha256)
                .exclude(recording_id=file.recording_id)
                .filter(recording__in=recordings_visible(user=user)).values_list("recording_id", flat=True))


def audible_among(*, user, recordings) -> set:
    """Which of these recordings the user may hear (one query), for serializer context."""
    return set(recordings_audible(user=user).filter(pk__in=[r.pk for r in recordings]).values_list("pk", flat=True))


def attribution_texts(*, recording: Recording, language: str | None = None) -> list[str]:
    """Attribution wording the community bound to labels on this recording, in ``language``
    (the reader's, by default) where the community gave it."""
    codes = [link.label_id for link in recording.label_links.all()]
    if "tk_attribution" not in codes and "bc_provenance" not in codes:
        return []
    rules = LabelRule.objects.filter(community_id=recording.community_id, label_id__in=["tk_attribution", "bc_provenance"])
    texts = [localized_text(r, "text", language) for r in rules if r.text]
    return texts or [f"Attribution: {recording.community.name}"]


def narratives_for(*, recording: Recording) -> QuerySet[Narrative]:
    return recording.narratives.select_related("community")


def recording_history(*, recording: Recording) -> list[dict]:
    """Who changed which field when, newest first (old → new for each field)."""
    entries = []
    records = list(recording.history.select_related("history_user").order_by("-history_date", "-history_id"))
    for newer, older in zip(records, records[1:] + [None], strict=True):
        if older is None:
            changes = [{"field": "*", "old": None, "new": "created"}]
        else:
            delta = newer.diff_against(older)
            changes = [{"field": c.field, "old": _plain(c.field, c.old), "new": _plain(c.field, c.new)}
                       for c in delta.changes]
            if not changes:
                continue
        entries.append({
            "at": newer.history_date,
            "user": newer.history_user.get_username() if newer.history_user else None,
            "type": {"+": "created", "~": "changed", "-": "deleted"}[newer.history_type],
            "reason": newer.history_change_reason or "",
            "changes": changes,
        })
    return entries


def _plain(field: str, value):
    """History values as JSON; many-to-many values (through-row dicts) become the names they point at."""
    if isinstance(value, list):
        related = Recording._meta.get_field(field).related_model
        key = related._meta.model_name
        ids = [item[key] for item in value if isinstance(item, dict) and key in item]
        objects = related.objects.in_bulk(ids)
        return sorted(str(objects.get(pk, pk)) for pk in ids)
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def traditions_with_counts(*, user) -> QuerySet[Tradition]:
    """Traditions with the number of recordings this user may see (never counting hidden ones)."""
    visible = recordings_visible(user=user).values("pk")
    return Tradition.objects.annotate(n_recordings=Count("recordings", filter=Q(recordings__in=visible), distinct=True))


def communities_with_counts(*, user) -> QuerySet[Community]:
    visible = recordings_visible(user=user).values("pk")
    return Community.objects.annotate(n_recordings=Count("recordings", filter=Q(recordings__in=visible), distinct=True))


def collections_with_counts(*, user) -> QuerySet[Collection]:
    visible = recordings_visible(user=user).values("pk")
    return Collection.objects.select_related("community").annotate(
        n_recordings=Count("recordings", filter=Q(recordings__in=visible), distinct=True)
    )


def steward_dashboard(*, user) -> dict:
    """What a steward has to decide and look after."""
    recs = stewarded_recordings(user=user)
    return {
        "communities": Community.objects.filter(pk__in=communities_steering(user=user))
        .prefetch_related("memberships__user", "protocols__members", "note_correctors").order_by("name"),
        "proposals": Proposal.objects.filter(recording__in=recs, status=Proposal.Status.PENDING)
        .select_related("recording", "proposer"),
        "access_requests": AccessRequest.objects.filter(recording__in=recs, status=AccessRequest.Status.PENDING)
        .select_related("recording", "requester"),
        "recordings": recs.select_related("community").prefetch_related("label_links__label").order_by("title"),
        "fixity_failures": RecordingFile.objects.filter(recording__in=recs, fixity_ok=False).select_related("recording"),
        "under_replicated": files_under_replicated(RecordingFile.objects.filter(recording__in=recs)).order_by("created"),
        "copies_configured": copies_configured(),
    }


__all__ = ["access_requests_visible", "annotations_visible", "events_for", "proposals_visible", "recordings_visible"]


def harvest_source_or_404(*, user, pk) -> HarvestSource:
    """A source its community's stewards may see; 404 for anyone else, as if it did not exist."""
    source = harvest_sources_visible(user=user).select_related("community").filter(pk=pk).first()
    if source is None:
        raise Http404
    return source


def harvest_source_summaries(sources) -> tuple[dict, dict]:
    """Each source's newest job and its candidates counted by state (and changed at the source)."""
    sources = list(sources)
    jobs = {job.pk: job for job in Job.objects.filter(pk__in=[s.job_id for s in sources if s.job_id])}
    counts: dict = {s.pk: {} for s in sources}
    rows = (HarvestCandidate.objects.filter(source__in=sources).values("source", "state")
            .annotate(n=Count("pk"), changed=Count("pk", filter=Q(source_changed=True))))
    for row in rows:
        counts[row["source"]][row["state"]] = row["n"]
        counts[row["source"]]["changed"] = counts[row["source"]].get("changed", 0) + row["changed"]
    return jobs, counts


def candidates_for(*, user, source=None, state: str | None = None, changed: bool | None = None):
    found = candidates_visible(user=user).select_related("source__community", "recording")
    if source is not None:
        found = found.filter(source=source)
    if state:
        found = found.filter(state=state)
    if changed is not None:
        found = found.filter(source_changed=changed)
    return found


def candidate_or_404(*, user, pk) -> HarvestCandidate:
    candidate = candidates_visible(user=user).select_related("source__community").filter(pk=pk).first()
    if candidate is None:
        raise Http404
    return candidate


def hub_project_or_404(*, user, pk):
    project = hub_projects_visible(user=user).select_related("community").filter(pk=pk).first()
    if project is None:
        raise Http404
    return project


def browse_places(*, user) -> list[dict]:
    """Countries and places with the number of recordings the user may see there (none listed at zero)."""
    visible = recordings_visible(user=user)
    rows = (visible.exclude(place__isnull=True).values("place__country", "place__name")
            .annotate(n=Count("pk", distinct=True)).order_by("place__country", "place__name"))
    countries: dict = {}
    for r in rows:
        entry = countries.setdefault(r["place__country"] or "—", {"country": r["place__country"] or "—", "count": 0,
                                                                  "places": []})
        entry["places"].append({"name": r["place__name"], "count": r["n"]})
        entry["count"] += r["n"]
    return list(countries.values())


def browse_instruments(*, user) -> list[dict]:
    visible = recordings_visible(user=user)
    rows = (visible.exclude(instruments__isnull=True).values("instruments__slug", "instruments__name")
            .annotate(n=Count("pk", distinct=True)).order_by("instruments__name"))
    return [{"slug": r["instruments__slug"], "name": r["instruments__name"], "count": r["n"]} for r in rows]


# --- replicas (archive/services/replicas.py makes the copies) ---

def replica_locations() -> list[str]:
    return [replica["name"] for replica in settings.STORAGE_REPLICAS]


def copies_configured() -> int:
    """How many copies of each file the archive keeps: the primary storage and every replica."""
    return 1 + len(settings.STORAGE_REPLICAS)


def files_under_replicated(files: QuerySet[RecordingFile] | None = None) -> QuerySet[RecordingFile]:
    """The files with fewer good copies than configured (none when no replica is configured)."""
    files = RecordingFile.objects.all() if files is None else files
    locations = replica_locations()
    if not locations:
        return files.none()
    wanted = len(locations)  # copies at a location no longer configured do not count
    return (files.annotate(good_replicas=Count("copies", filter=Q(copies__ok=True, copies__location__in=locations)))
            .filter(good_replicas__lt=wanted).select_related("recording"))


def recording_visible_or_404(*, user, pk):
    """The recording if ``user`` may see it; otherwise 404, the same as if it did not exist (the
    API's views and the pages alike)."""
    recording = recording_visible_or_none(user=user, pk=pk)
    if recording is None:
        raise Http404
    return recording


def transcriptions_of(recording) -> list:
    """A recording's corrected transcriptions, newest first (version 0, the automatic one, is its
    current analysis')."""
    return list(Transcription.objects.filter(recording=recording).select_related("author").order_by("-number"))


def transcription_numbered(recording, number: int):
    """Version ``number`` (1 and up) of the recording's corrected transcriptions, or None."""
    return Transcription.objects.filter(recording=recording, number=number).select_related("author").first()


def transcription_newest(recording):
    """The newest person's version, or None: what exports and style models use over the automatic one."""
    return Transcription.objects.filter(recording=recording).order_by("-number").first()
