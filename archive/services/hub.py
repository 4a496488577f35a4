"""Labels from the Local Contexts Hub: a community links its Hub project; a worker job reads the
project's Labels and Notices and keeps them (the community's own names, wording, translations and
images become its label rules); the steward applies them to recordings, and the label policy then
acts on them as on labels chosen by hand. A Hub that is away changes nothing already kept."""
import hashlib
import mimetypes
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from worker.models import Job
from worker.services import job_create

from ..harvest.hub import NotAProject, read_project
from ..harvest.polite import PoliteClient
from ..models import Collection, HubProject, LabelRule, Recording
from ..policy import is_steward
from .errors import Conflict, NotAllowed, ServiceError
from .harvest import polite_client
from .recordings import recording_update

MAX_IMAGE_BYTES = 2 * 1024 * 1024


class HubAway(Exception):
    """The Hub did not answer with the project (what was kept stays; the job is retried)."""


def _steward_only(user, community) -> None:
    if not is_steward(user=user, community_id=community.pk):
        raise NotAllowed(gettext("only the community's stewards may link its Local Contexts Hub projects"))


def hub_project_link(*, community, project_id, user) -> HubProject:
    """Link a Hub project by its unique id and queue the first reading of its labels."""
    _steward_only(user, community)
    try:
        project_uuid = uuid.UUID(str(project_id).strip())
    except ValueError:
        raise ServiceError(gettext("a Hub project id looks like 3dbf5acc-e602-45a6-a45a-13c14efebe8d"),
                           field="project_id") from None
    with transaction.atomic():
        if HubProject.objects.filter(community=community, project_id=project_uuid).exists():
            raise Conflict(gettext("the community has linked this project already"), field="project_id")
        project = HubProject.objects.create(community=community, project_id=project_uuid, created_by=user)
        hub_refresh_start(project=project, user=user)
    return project


def hub_refresh_start(*, project: HubProject, user=None) -> Job:
    with transaction.atomic():
        locked = HubProject.objects.select_for_update().get(pk=project.pk)
        running = Job.objects.filter(pk=locked.job_id).exclude(state__in=["succeeded", "failed"]).first()
        if running is not None:
            return running
        job = job_create(kind="hub.refresh", target=locked, user=user)
        locked.job_id = job.pk
        locked.save(update_fields=["job_id"])
    project.job_id = job.pk
    return job


def hub_refresh_due() -> int:
    """Beat: queue a refresh of every project not read for LOCAL_CONTEXTS_REFRESH_SECONDS (daily)."""
    stale = timezone.now() - timedelta(seconds=settings.LOCAL_CONTEXTS_REFRESH_SECONDS)
    due = HubProject.objects.filter(fetched_at__lt=stale) | HubProject.objects.filter(fetched_at__isnull=True)
    for project in due:
        hub_refresh_start(project=project)
    return len(due)


def _project_url(project: HubProject) -> str:
    return f"{settings.LOCAL_CONTEXTS_HUB_URL.rstrip('/')}/projects/{project.project_id}/"


def hub_project_refresh(*, project: HubProject, client: PoliteClient | None = None) -> dict:
    """Read the project from the Hub and keep its labels as the community's label rules."""
    client = client or polite_client()
    headers = {"X-Api-Key": settings.LOCAL_CONTEXTS_API_KEY} if settings.LOCAL_CONTEXTS_API_KEY else {}
    response = client.get(_project_url(project), headers=headers)
    try:
        if response.status_code != 200:
            raise HubAway(f"the Hub answered HTTP {response.status_code} for project {project.project_id}")
        try:
            data = response.json()
            view = read_project(data)
        except ValueError as exc:  # not JSON, or NotAProject
            raise HubAway(str(exc) if isinstance(exc, NotAProject) else "the Hub's answer is not JSON") from None
    except HubAway as exc:
        HubProject.objects.filter(pk=project.pk).update(error=str(exc))
        raise
    images = {label.code: _kept_image(client, project, label) for label in view.labels if label.code}
    with transaction.atomic():
        HubProject.objects.filter(pk=project.pk).update(
            title=view.title[:300], data=data, api_version=view.version, fetched_at=timezone.now(), error="")
        kept = set()
        for label in view.labels:
            if label.code is None:
                continue
            translations = {tag: {"name": t["name"], "text": t["text"]} for tag, t in label.translations.items()}
            LabelRule.objects.update_or_create(
                community=project.community, label_id=label.code,
                defaults={"name": label.name[:200], "text": label.text, "translations": translations,
                          "image": images.get(label.code) or "", "hub_project": project})
            kept.add(label.code)
        # labels taken off the project on the Hub: the rule stays (its protocol, its season), the Hub's wording goes
        LabelRule.objects.filter(hub_project=project).exclude(label_id__in=kept).update(
            hub_project=None, name="", image="")
    return {"title": view.title, "version": view.version, "labels": sorted(kept),
            "unknown": sorted(label.label_type for label in view.labels if label.code is None),
            "notices": [notice.notice_type for notice in view.notices]}


def _kept_image(client: PoliteClient, project: HubProject, label) -> str:
    """The label's image in the archive's storage (pages never load the Hub's), or '' without one."""
    if not label.image_url.startswith(("http://", "https://")):
        return ""
    response = client.get(label.image_url)
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if response.status_code != 200 or not media_type.startswith("image/") or len(response.content) > MAX_IMAGE_BYTES:
        return ""
    digest = hashlib.sha256(response.content).hexdigest()
    name = f"labels/{project.community_id}/{label.code}-{digest[:16]}{mimetypes.guess_extension(media_type) or ''}"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(response.content))
    return name


def hub_labels_apply(*, project: HubProject, codes: list[str], user, recordings=None, collection=None) -> int:
    """Add the project's labels to the chosen recordings of the community (or a collection's), as a
    steward's edit of each: the label policy, the history and the search follow."""
    _steward_only(user, project.community)
    offered = set(LabelRule.objects.filter(hub_project=project).values_list("label_id", flat=True))
    unknown = sorted(set(codes) - offered)
    if not codes or unknown:
        raise ServiceError(gettext("choose labels of this project: %(codes)s") % {"codes": ", ".join(sorted(offered))},
                           field="labels")
    chosen = Recording.objects.filter(community=project.community)
    if collection is not None:
        if not isinstance(collection, Collection) or collection.community_id != project.community_id:
            raise ServiceError(gettext("choose a collection of the community"), field="collection")
        chosen = chosen.filter(collection=collection)
    elif recordings is not None:
        ids = [str(r) for r in recordings]
        chosen = chosen.filter(pk__in=ids)
        if chosen.count() != len(set(ids)):
            raise ServiceError(gettext("choose recordings of the community"), field="recordings")
    else:
        raise ServiceError(gettext("choose the recordings or a collection"), field="recordings")
    changed = 0
    with transaction.atomic():
        for recording in chosen.prefetch_related("label_links"):
            have = [link.label_id for link in recording.label_links.all()]
            wanted = [*have, *[code for code in codes if code not in have]]
            if wanted != have:
                recording_update(recording=recording, data={"labels": wanted}, user=user)
                changed += 1
    return changed
