"""Creating, changing, withdrawing and erasing recordings."""
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from worker.services import job_create

from ..dates import parse_partial_date
from ..models import (
    Instrument,
    Language,
    Person,
    Place,
    PreservationEvent,
    ProtocolLevel,
    Recording,
    RecordingLabel,
    RecordingPerson,
)
from ..models.access import LEVEL_RANK
from ..policy import is_member, is_steward
from ..search.index import search_mark_dirty
from .errors import NotAllowed, ServiceError
from .events import event_log

# Fields only a steward may set directly; others may only propose them.
STEWARD_FIELDS = {"status", "record_protocol", "media_protocol", "labels", "training_consent", "community",
                  "content_warning"}
SCALAR_FIELDS = ["title", "alt_titles", "description", "tradition", "community", "collection", "rights", "genre",
                 "training_consent", "tonic_hz", "content_warning"]


def check_protocols(*, community, record, media) -> None:
    """Media at least as strict as the record; custom protocols of the owning community."""
    (r_level, r_custom), (m_level, m_custom) = record, media
    for custom, name in ((r_custom, "record_protocol"), (m_custom, "media_protocol")):
        if custom is not None and custom.community_id != community.pk:
            raise ServiceError(gettext("a custom protocol must belong to the recording's community"), field=name)
    if LEVEL_RANK[m_level] < LEVEL_RANK[r_level]:
        raise ServiceError(gettext("media_protocol must be at least as strict as record_protocol"), field="media_protocol")
    if r_level == m_level == ProtocolLevel.CUSTOM and r_custom != m_custom:
        raise ServiceError(gettext("media and record custom protocols differ; use stewards for media instead"),
                           field="media_protocol")


def recording_create(*, data: dict, user) -> Recording:
    community = data["community"]
    if not is_member(user=user, community_id=community.pk):
        raise NotAllowed(gettext("only members of the community may add its recordings"))
    if not is_steward(user=user, community_id=community.pk):
        chosen = sorted(f for f in STEWARD_FIELDS - {"community"} if f in data)
        if chosen:
            raise NotAllowed(gettext("only stewards may set %(fields)s") % {"fields": ", ".join(chosen)})
    with transaction.atomic():
        recording = Recording(created_by=user, community=community, tradition=data["tradition"])
        _apply(recording, data, user, creating=True)
    return recording


def recording_update(*, recording: Recording, data: dict, user):
    """A steward's change applies at once; anyone else's becomes a proposal.

    Returns ("applied", recording) or ("proposed", proposal).
    """
    if not is_steward(user=user, community_id=recording.community_id):
        from .proposals import proposal_create  # proposals.py applies through this module: a cycle

        return "proposed", proposal_create(recording=recording, data=data, user=user)
    if "community" in data and data["community"].pk != recording.community_id:
        if not is_steward(user=user, community_id=data["community"].pk):
            raise NotAllowed(gettext("you may move a recording only to a community you steward"), field="community")
    with transaction.atomic():
        locked = Recording.objects.select_for_update().get(pk=recording.pk)
        _apply(locked, data, user, creating=False)
    return "applied", locked


# what a recording's search documents are built from (archive/search/index.py)
SEARCH_TEXT_FIELDS = {"title", "alt_titles", "description", "tradition", "community", "genre", "date", "rights",
                      "place", "collection", "people", "instruments", "languages"}
_COLUMNS = {f.attname: f.name for f in Recording._meta.concrete_fields if not f.primary_key}


def _apply(recording: Recording, data: dict, user, *, creating: bool) -> None:
    """Write validated data to the recording and its relations, and log what the change means. Only
    the columns that changed are written, so a protocol change is not taken for a new title by what
    follows the writes (archive/versions.py), and the search documents are rebuilt only when their
    text may have changed."""
    old_status = None if creating else recording.status
    before = None if creating else {column: getattr(recording, column) for column in _COLUMNS}
    for field in SCALAR_FIELDS:
        if field in data:
            setattr(recording, field, data[field])
    if "tonic_hz" in data:
        recording.tonic_source = "hand" if data["tonic_hz"] is not None else ""
    if "date" in data:
        try:
            recording.year_from, recording.year_to = parse_partial_date(data["date"])
        except ValueError as exc:
            raise ServiceError(str(exc), field="date") from None
        recording.date = data["date"]
    if "place" in data:
        recording.place = _place(data["place"])
    for name in ("record_protocol", "media_protocol"):
        if name in data:
            level, custom = data[name]
            setattr(recording, name, level)
            setattr(recording, name.replace("_protocol", "_custom_protocol"), custom)
    check_protocols(
        community=recording.community,
        record=(recording.record_protocol, recording.record_custom_protocol),
        media=(recording.media_protocol, recording.media_custom_protocol),
    )
    if "status" in data:
        recording.status = data["status"]
        if recording.status == Recording.Status.WITHDRAWN and old_status != Recording.Status.WITHDRAWN:
            recording.withdrawn_at = timezone.now()
        elif recording.status != Recording.Status.WITHDRAWN:
            recording.withdrawn_at = None
    recording._history_user = user
    if before is None:
        recording.save()
    else:
        changed = [name for column, name in _COLUMNS.items() if getattr(recording, column) != before[column]]
        recording.save(update_fields=sorted({*changed, "modified"}))
    if "instruments" in data:
        recording.instruments.set([_instrument(name) for name in data["instruments"]])
    if "languages" in data:
        recording.languages.set([Language.objects.get_or_create(code=c)[0] for c in data["languages"]])
    if "people" in data:
        _set_people(recording, data["people"])
    if "labels" in data:
        _set_labels(recording, data["labels"], user)
    if old_status != recording.status:
        _log_status(recording, old_status, user)
    if creating or SEARCH_TEXT_FIELDS & set(data):
        search_mark_dirty(recording.pk)


def _place(value):
    if not value:
        return None
    place, _ = Place.objects.get_or_create(
        name=value["name"], country=(value.get("country") or "").upper(),
        lat=value.get("lat"), lon=value.get("lon"),
    )
    return place


def _instrument(name: str) -> Instrument:
    slug = slugify(name, allow_unicode=True) or name
    instrument, _ = Instrument.objects.get_or_create(slug=slug, defaults={"name": name})
    return instrument


def _set_people(recording, people) -> None:
    RecordingPerson.objects.filter(recording=recording).delete()
    for order, entry in enumerate(people):
        person = Person.objects.filter(name=entry["name"]).order_by("pk").first() or Person.objects.create(
            name=entry["name"], community=recording.community
        )
        RecordingPerson.objects.get_or_create(
            recording=recording, person=person, role=entry.get("role") or RecordingPerson.Role.PERFORMER,
            defaults={"order": order},
        )


def _set_labels(recording, codes, user) -> None:
    RecordingLabel.objects.filter(recording=recording).exclude(label_id__in=codes).delete()
    existing = set(RecordingLabel.objects.filter(recording=recording).values_list("label_id", flat=True))
    RecordingLabel.objects.bulk_create(
        [RecordingLabel(recording=recording, label_id=code, added_by=user) for code in codes if code not in existing]
    )


def _log_status(recording, old_status, user) -> None:
    if recording.status == Recording.Status.PUBLISHED:
        event_log(recording=recording, type=PreservationEvent.Type.PUBLICATION, user=user,
                  detail=f"status {old_status or 'new'} → published")
    elif recording.status == Recording.Status.WITHDRAWN:
        event_log(recording=recording, type=PreservationEvent.Type.WITHDRAWAL, user=user,
                  detail="withdrawn by a steward: hidden from all but stewards, out of search, feeds and training")


def recording_withdraw(*, recording: Recording, user, erase: bool = False, reason: str = ""):
    """Withdraw a recording; with ``erase`` its files are deleted by a job. Returns the job or None."""
    if not is_steward(user=user, community_id=recording.community_id):
        raise NotAllowed(gettext("only the community's stewards may withdraw a recording"))

    with transaction.atomic():
        locked = Recording.objects.select_for_update().get(pk=recording.pk)
        if locked.status != Recording.Status.WITHDRAWN:
            locked.status = Recording.Status.WITHDRAWN
            locked.withdrawn_at = timezone.now()
            locked._history_user = user
            locked._change_reason = reason[:100]
            locked.save()
            event_log(recording=locked, type=PreservationEvent.Type.WITHDRAWAL, user=user,
                      detail=reason or "withdrawn by a steward")
            search_mark_dirty(locked.pk)
        if erase:
            return job_create(kind="recording.erase", target=locked, user=user, params={"reason": reason})
    return None


def recording_erase_files(*, recording: Recording, reason: str = "", user=None) -> dict:
    """Delete every stored file of a withdrawn recording and log the erasure. Idempotent."""
    if recording.status != Recording.Status.WITHDRAWN:
        raise ServiceError(gettext("only a withdrawn recording can be erased"))

    prefix = f"recordings/{recording.pk}/"
    removed = _delete_tree(default_storage, prefix)
    event_log(recording=recording, type=PreservationEvent.Type.ERASURE, user=user,
              detail=f"{removed} file(s) deleted at the community's request. {reason}".strip())
    return {"files_deleted": removed}


def _delete_tree(storage, prefix: str) -> int:
    try:
        dirs, files = storage.listdir(prefix)
    except (FileNotFoundError, NotImplementedError):
        return 0
    count = 0
    for name in files:
        storage.delete(prefix + name)
        count += 1
    for sub in dirs:
        count += _delete_tree(storage, f"{prefix}{sub}/")
    return count
