"""Harvesting other archives into a community's review queue: sources, the harvest itself (a worker
job that resumes where it stopped), and the stewards' decisions on what it proposes. Nothing a
harvest reads reaches the catalogue until a steward accepts it, and then privately by default."""
import contextlib
import hashlib
import json
import mimetypes
import re
import tempfile
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from worker.models import Job
from worker.services import job_create

from ..harvest import iiif
from ..harvest.fields import checksum, licence_is_open
from ..harvest.oai import ExpiredToken, SourceError, record_pages
from ..harvest.polite import PoliteClient
from ..models import HarvestCandidate, HarvestSource, PreservationEvent, Recording
from ..models.access import ProtocolLevel
from ..policy import is_steward
from .errors import Conflict, NotAllowed, ServiceError
from .events import event_log
from .ingest import recording_attach_master
from .recordings import recording_create, recording_update

PREFIXES = ("olac", "oai_dc")
MAX_MANIFESTS = 10_000  # a collection that names more is read up to here, and says so


def _steward_only(user, community) -> None:
    if not is_steward(user=user, community_id=community.pk):
        raise NotAllowed(gettext("only the community's stewards may harvest into it"))


def _http_url(value: str, field: str) -> str:
    value = (value or "").strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ServiceError(gettext("%(url)s is not an http(s) address") % {"url": value or "''"}, field=field)
    return value


def _day(value, field: str) -> date | None:
    if not value or isinstance(value, date):
        return value or None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ServiceError(gettext("%(value)s is not a day (YYYY-MM-DD)") % {"value": value}, field=field) from None


def harvest_source_create(*, community, data: dict, user) -> HarvestSource:
    """A steward names another archive to bring the community's recordings home from."""
    _steward_only(user, community)
    kind = data.get("kind")
    source = HarvestSource(community=community, name=(data.get("name") or "").strip(), kind=kind, created_by=user)
    if not source.name:
        raise ServiceError(gettext("give the source a name"), field="name")
    if kind == HarvestSource.Kind.OAI_PMH:
        source.base_url = _http_url(data.get("base_url", ""), "base_url")
        source.metadata_prefix = data.get("metadata_prefix") or "olac"
        if source.metadata_prefix not in PREFIXES:
            raise ServiceError(gettext("the metadata format must be olac or oai_dc"), field="metadata_prefix")
        source.set_spec = (data.get("set_spec") or "").strip()
        source.harvest_from = _day(data.get("harvest_from"), "harvest_from")
        source.harvest_until = _day(data.get("harvest_until"), "harvest_until")
        if source.harvest_from and source.harvest_until and source.harvest_until < source.harvest_from:
            raise ServiceError(gettext("the harvest cannot end before it starts"), field="harvest_until")
    elif kind == HarvestSource.Kind.IIIF:
        urls = data.get("manifest_urls") or []
        if isinstance(urls, str):
            urls = urls.split()
        source.manifest_urls = [_http_url(url, "manifest_urls") for url in urls]
        if not source.manifest_urls:
            raise ServiceError(gettext("name at least one IIIF manifest or collection"), field="manifest_urls")
    else:
        raise ServiceError(gettext("the kind must be oai or iiif"), field="kind")
    if HarvestSource.objects.filter(community=community, name=source.name).exists():
        raise Conflict(gettext("the community already has a source of that name"), field="name")
    source.save()
    return source


def harvest_running(source: HarvestSource) -> Job | None:
    job = Job.objects.filter(pk=source.job_id).first() if source.job_id else None
    return job if job is not None and not job.is_finished else None


def harvest_start(*, source: HarvestSource, user) -> Job:
    """Queue a harvest; one at a time per source. An interrupted one resumes from its position."""
    _steward_only(user, source.community)
    with transaction.atomic():
        locked = HarvestSource.objects.select_for_update().get(pk=source.pk)
        if harvest_running(locked) is not None:
            raise Conflict(gettext("this source is being harvested already"))
        job = job_create(kind="harvest.run", target=locked, user=user)
        locked.job_id = job.pk
        locked.save(update_fields=["job_id"])
    source.job_id = job.pk
    return job


# --- the harvest (the worker's job) -----------------------------------------------------------

@contextlib.contextmanager
def _host_lock(host: str):
    """One request at a time to a host, across every worker process (a Redis lock, which expires
    should its holder die)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    lock = client.lock(f"songkeeper:harvest-host:{host}", timeout=settings.HARVEST_TIMEOUT + 30,
                       blocking_timeout=settings.HARVEST_TIMEOUT * 4)
    if not lock.acquire():
        raise TimeoutError(f"another harvest holds {host} for too long")
    try:
        yield
    finally:
        with contextlib.suppress(redis.exceptions.LockError):
            lock.release()
        client.close()


def polite_client() -> PoliteClient:
    return PoliteClient(host_lock=_host_lock, retries=settings.HARVEST_RETRIES, backoff=settings.HARVEST_BACKOFF,
                        max_wait=settings.HARVEST_MAX_WAIT, timeout=settings.HARVEST_TIMEOUT)


def harvest_run(*, source: HarvestSource, report, client: PoliteClient | None = None) -> dict:
    """Harvest the source from its saved position; the position moves with each page in the same
    transaction as the candidates it brought, so a harvest stopped anywhere resumes without
    losing or repeating a page."""
    client = client or polite_client()
    position = source.position or {}
    if not position.get("started"):
        since = source.last_completed.date() if source.last_completed else source.harvest_from
        if source.harvest_until and since and since > source.harvest_until:  # a bounded window is read whole again
            since = source.harvest_from
        now = timezone.now()
        position = {"started": now.isoformat(), "since": since.isoformat() if since else "",
                    "new": 0, "updated": 0, "deleted": 0, "unchanged": 0, "seen": 0, "pages": 0, "skipped": []}
        _save_position(source, position)
        HarvestSource.objects.filter(pk=source.pk).update(last_started=now)
    if source.kind == HarvestSource.Kind.OAI_PMH:
        _harvest_oai(source, position, client, report)
    else:
        _harvest_iiif(source, position, client, report)
    with transaction.atomic():
        HarvestSource.objects.filter(pk=source.pk).update(
            position={}, last_completed=datetime.fromisoformat(position["started"]))
    return {**position, "requests": client.requests_sent}


def _save_position(source: HarvestSource, position: dict) -> None:
    source.position = dict(position)
    HarvestSource.objects.filter(pk=source.pk).update(position=source.position)


def _harvest_oai(source, position, client, report) -> None:
    try:
        _oai_pages(source, position, client, report)
    except ExpiredToken:  # the source forgot where we were: start the list again (upserts repeat nothing)
        position["token"] = ""
        _oai_pages(source, position, client, report)


def _oai_pages(source, position, client, report) -> None:
    pages = record_pages(source.base_url, client=client, prefix=source.metadata_prefix, set_spec=source.set_spec,
                         since=position.get("since", ""), token=position.get("token", ""),
                         until=source.harvest_until.isoformat() if source.harvest_until else "")
    for page in pages:
        with transaction.atomic():
            for record in page.records:
                outcome = _upsert(source, identifier=record.identifier, datestamp=record.datestamp,
                                  fields=record.fields, raw=record.raw, raw_format=source.metadata_prefix,
                                  deleted=record.deleted)
                position[outcome] += 1
            position["seen"] += len(page.records)
            position["pages"] += 1
            position["token"] = page.next_token or ""
            position["total"] = page.total or position.get("total")
            _save_position(source, position)
        total = position.get("total")
        report(min(0.99, position["seen"] / total) if total else 0.5,
               f"{position['seen']} of {total} records" if total else f"{position['seen']} records")


def _harvest_iiif(source, position, client, report) -> None:
    if "queue" not in position:
        position["queue"] = list(source.manifest_urls)
        position["read"] = []
    while position["queue"]:
        url = position["queue"][0]
        with transaction.atomic():
            _read_iiif(source, url, position, client)
            position["queue"].pop(0)
            _save_position(source, position)
        done = position["seen"] + len(position["skipped"])
        report(done / (done + len(position["queue"])), f"{done} manifests read, {len(position['queue'])} to go")


def _read_iiif(source, url: str, position: dict, client) -> None:
    response = client.get(url)
    if response.status_code in (404, 410):
        outcome = _upsert(source, identifier=url, datestamp="", fields={}, raw="", raw_format="iiif", deleted=True)
        position["deleted" if outcome == "deleted" else "unchanged"] += 1
        return
    try:
        if response.status_code >= 400:
            raise iiif.NotAManifest(f"HTTP {response.status_code}")
        document = response.json()
        kind = iiif.kind_of(document)
    except (ValueError, iiif.NotAManifest) as exc:  # ValueError: not JSON
        position["skipped"].append({"url": url, "why": str(exc)[:300]})
        return
    if kind == "Collection":
        members = [member for member, _type in iiif.collection_members(document)]
        room = MAX_MANIFESTS - len(position["read"]) - len(position["queue"])
        if len(members) > room:
            position["skipped"].append({"url": url, "why": f"only the first {room} members are read"})
        position["queue"][1:1] = members[:max(room, 0)]
        return
    record = iiif.map_manifest(document)
    outcome = _upsert(source, identifier=url, datestamp="", fields=record.fields, raw=record.raw, raw_format="iiif",
                      deleted=False)
    position[outcome] += 1
    position["seen"] += 1
    position["read"].append(url)


def _upsert(source, *, identifier: str, datestamp: str, fields: dict, raw: str, raw_format: str,
            deleted: bool) -> str:
    """A record read from the source becomes a new candidate or updates its candidate. An accepted
    or merged one is flagged, never applied: the community's recording keeps its own edits. A
    rejected one stays rejected."""
    candidate = HarvestCandidate.objects.select_for_update().filter(source=source, identifier=identifier).first()
    if deleted:
        if candidate is None or candidate.deleted_at_source:
            return "unchanged"
        candidate.deleted_at_source = True
        candidate.source_changed = candidate.state in (HarvestCandidate.State.ACCEPTED, HarvestCandidate.State.MERGED)
        candidate.save(update_fields=["deleted_at_source", "source_changed", "last_seen"])
        return "deleted"
    digest = checksum(fields)
    values = {"fields": fields, "raw": raw, "raw_format": raw_format, "checksum": digest, "datestamp": datestamp,
              "url": fields.get("url", "")[:1000], "licence": "\n".join(filter(None, [fields.get("licence"),
                                                                                    fields.get("rights")])),
              "media_url": fields.get("media_url", "")[:1000], "deleted_at_source": False}
    if candidate is None:
        HarvestCandidate.objects.create(source=source, identifier=identifier, **values)
        return "new"
    if candidate.checksum == digest and not candidate.deleted_at_source:
        return "unchanged"
    for name, value in values.items():
        setattr(candidate, name, value)
    if candidate.state in (HarvestCandidate.State.ACCEPTED, HarvestCandidate.State.MERGED):
        candidate.source_changed = True
    candidate.save()
    return "updated"


# --- the stewards' decisions --------------------------------------------------------------------

def _deciding(candidate: HarvestCandidate, user) -> HarvestCandidate:
    _steward_only(user, candidate.source.community)
    locked = HarvestCandidate.objects.select_for_update().select_related("source__community").get(pk=candidate.pk)
    if locked.state != HarvestCandidate.State.PROPOSED:
        raise Conflict(gettext("this candidate was decided already (%(state)s)") % {"state": locked.get_state_display()})
    return locked


def _decided(candidate: HarvestCandidate, state: str, user, recording=None) -> None:
    candidate.state, candidate.decided_by, candidate.decided_at = state, user, timezone.now()
    candidate.recording = recording
    candidate.source_changed = False
    candidate.save(update_fields=["state", "decided_by", "decided_at", "recording", "source_changed", "last_seen"])


def mapped_recording_data(fields: dict) -> dict:
    """The candidate's fields as recording_create takes them (what does not fit the archive's
    fields stays on the candidate)."""
    data = {"title": (fields.get("title") or "")[:300] or gettext("Untitled"),
            "alt_titles": [t[:300] for t in fields.get("alt_titles", [])],
            "description": fields.get("description", ""),
            "rights": "\n".join(filter(None, [fields.get("rights"), fields.get("licence")])),
            "people": [{"name": p["name"][:200], "role": p["role"]} for p in fields.get("people", [])],
            "languages": list(fields.get("languages", []))}
    if fields.get("date"):
        data["date"] = fields["date"]
    places, countries = fields.get("places", []), fields.get("countries", [])
    if places or countries:
        data["place"] = {"name": (places[0] if places else countries[0])[:200],
                         "country": countries[0] if countries else ""}
    return data


def candidate_accept(*, candidate: HarvestCandidate, user, tradition, record_protocol=(ProtocolLevel.COMMUNITY, None),
                     media_protocol=(ProtocolLevel.COMMUNITY, None), labels=(), training_consent=None,
                     collection=None) -> Recording:
    """A new recording of the community from the candidate, a draft under the protocols the steward
    chose (the community's members only unless they chose otherwise), with where it came from
    in its events."""
    with transaction.atomic():
        locked = _deciding(candidate, user)
        data = {**mapped_recording_data(locked.fields), "community": locked.source.community, "tradition": tradition,
                "record_protocol": record_protocol, "media_protocol": media_protocol, "labels": list(labels),
                "training_consent": training_consent or Recording.Consent.NOT_ALLOWED}
        if collection is not None:
            data["collection"] = collection
        recording = recording_create(data=data, user=user)
        event_log(recording=recording, type=PreservationEvent.Type.INGESTION, user=user,
                  detail=_provenance(locked, "record harvested from"))
        _decided(locked, HarvestCandidate.State.ACCEPTED, user, recording)
    return recording


def candidate_merge(*, candidate: HarvestCandidate, recording: Recording, user) -> Recording:
    """The candidate joins a recording the community holds: it fills only the fields the
    recording leaves empty; what the community wrote stays."""
    with transaction.atomic():
        locked = _deciding(candidate, user)
        if recording.community_id != locked.source.community_id:
            raise ServiceError(gettext("merge only with a recording of the same community"), field="recording")
        data = mapped_recording_data(locked.fields)
        blanks = {}
        for name in ("description", "rights", "date"):
            if data.get(name) and not getattr(recording, name):
                blanks[name] = data[name]
        if data.get("alt_titles") or data["title"] != recording.title:
            extra = [t for t in [data["title"], *data.get("alt_titles", [])]
                     if t != recording.title and t not in recording.alt_titles]
            if extra:
                blanks["alt_titles"] = [*recording.alt_titles, *extra]
        if data.get("languages") and not recording.languages.exists():
            blanks["languages"] = data["languages"]
        if data.get("people") and not recording.credits.exists():
            blanks["people"] = data["people"]
        if data.get("place") and recording.place_id is None:
            blanks["place"] = data["place"]
        if blanks:
            recording_update(recording=recording, data=blanks, user=user)
        event_log(recording=recording, type=PreservationEvent.Type.INGESTION, user=user,
                  detail=_provenance(locked, f"merged ({', '.join(sorted(blanks)) or 'nothing new'}) from"))
        _decided(locked, HarvestCandidate.State.MERGED, user, recording)
    return recording


def candidate_reject(*, candidate: HarvestCandidate, user) -> HarvestCandidate:
    """Rejected: kept, so that the next harvest does not propose it again."""
    with transaction.atomic():
        locked = _deciding(candidate, user)
        _decided(locked, HarvestCandidate.State.REJECTED, user)
    return locked


def candidate_acknowledge(*, candidate: HarvestCandidate, user) -> HarvestCandidate:
    """A steward has read what changed at the source (the flag clears; the recording is theirs)."""
    _steward_only(user, candidate.source.community)
    HarvestCandidate.objects.filter(pk=candidate.pk).update(source_changed=False)
    candidate.source_changed = False
    return candidate


def _provenance(candidate: HarvestCandidate, verb: str) -> str:
    source = candidate.source
    where = source.base_url or "IIIF"
    return json.dumps({"what": verb, "source": source.name, "at": where, "identifier": candidate.identifier,
                       "url": candidate.url, "licence": candidate.licence, "datestamp": candidate.datestamp,
                       "harvested": date.today().isoformat()}, ensure_ascii=False)


# --- the audio a source offers ------------------------------------------------------------------

def candidate_fetch_media(*, candidate: HarvestCandidate, user, rights_confirmed: bool = False) -> Job:
    """Queue the copy of the audio the source offers into the recording the candidate became. An
    open licence (Creative Commons, public domain) lets the archive copy it; otherwise the steward
    confirms that the community holds the right, and that is recorded."""
    _steward_only(user, candidate.source.community)
    if candidate.recording_id is None:
        raise Conflict(gettext("accept or merge the candidate first: the audio goes into its recording"))
    if not candidate.media_url:
        raise ServiceError(gettext("the source offers no audio for this record"))
    if not licence_is_open(candidate.licence) and not rights_confirmed:
        raise ServiceError(gettext("the source's licence does not let the archive copy the audio: confirm that the "
                                   "community holds the right to it"), field="rights_confirmed")
    if candidate.recording.files.filter(role="master").exists():
        raise Conflict(gettext("the recording has its preservation master already"))
    return job_create(kind="harvest.fetch_media", target=candidate, user=user,
                      params={"rights_confirmed": bool(rights_confirmed)})


def _file_name(response, url: str) -> str:
    """The file's name from Content-Disposition, else the URL's last part, with an extension
    from the media type where the name has none."""
    disposition = response.headers.get("Content-Disposition", "")
    found = re.search(r"filename\*=UTF-8''([^;]+)|filename=\"?([^\";]+)", disposition)
    name = unquote(found[1] or found[2]) if found else unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    name = re.sub(r"[^\w.\- ]+", "_", Path(name).name).strip() or "audio"
    if not Path(name).suffix:
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        name += mimetypes.guess_extension(media_type) or ""
    return name


def media_fetch(*, candidate: HarvestCandidate, user, rights_confirmed: bool, client: PoliteClient | None = None,
                report=lambda p, m="": None) -> dict:
    """Stream the audio to a temporary file (sha256 and size as it arrives, never more than the
    archive accepts), then store it as any upload is stored: decoded to identify, checksummed,
    with the source in the ingestion event."""
    client = client or polite_client()
    url, recording = candidate.media_url, candidate.recording
    limit = settings.MAX_UPLOAD_BYTES
    with tempfile.NamedTemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR, delete=False) as handle:
        path = Path(handle.name)

        def write(response):
            digest, size = hashlib.sha256(), 0
            for chunk in response.iter_content(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise ServiceError(gettext("the audio is larger than the archive accepts"))
                digest.update(chunk)
                handle.write(chunk)
                report(0.1, f"{size // (1 << 20)} MB")
            return digest.hexdigest(), size

        try:
            response = client.get(url, consume=write)
            if response.status_code >= 400:
                raise SourceError(f"the source answered HTTP {response.status_code} for the audio")
            handle.flush()
            sha256, size = response.consumed
            if licence_is_open(candidate.licence):
                rights = "open licence"
            elif rights_confirmed:
                rights = "the steward confirmed the community's right"
            else:
                raise ServiceError(gettext("the source's licence does not let the archive copy the audio"))
            origin = (f"fetched from {url} (harvest source “{candidate.source.name}”, record {candidate.identifier}; "
                      f"{rights}: {candidate.licence or 'no licence stated'})")
            row, _job = recording_attach_master(recording=recording, path=path, original_name=_file_name(response, url),
                                                user=user, sha256=sha256, size=size, origin=origin)
        finally:
            path.unlink(missing_ok=True)
    return {"recording": str(recording.pk), "sha256": row.sha256, "size": row.size, "file": row.original_name}
