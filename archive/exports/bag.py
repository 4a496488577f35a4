"""A BagIt 1.0 bag of a collection: masters, Dublin Core and the full JSON record of each
recording, its preservation events (JSON and PREMIS 3), the transcription in use (notes.json, saying
whether people corrected it), sha256 and sha512 manifests (the bagit library)."""
import json
import shutil
from pathlib import Path

import bagit
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from ..api.serializers.recordings import RecordingOutput
from ..models import Collection, PreservationEvent, RecordingFile
from ..policy import bag_recordings, events_for
from ..selectors import recording_list_visible
from ..services.events import event_log
from ..services.transcriptions import transcription_in_use
from .dublin_core import dublin_core_xml
from .premis import premis_xml


def export_bag(*, collection: Collection, dest: Path, user=None) -> dict:
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} exists and is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    recordings, restricted_allowed = bag_recordings(collection=collection, user=user)
    rows = recording_list_visible(user=user).filter(pk__in=recordings.values("pk")).order_by("title")
    exported = []
    for recording in rows:
        folder = dest / "recordings" / str(recording.pk)
        folder.mkdir(parents=True)
        master = RecordingFile.objects.filter(recording=recording, role=RecordingFile.Role.MASTER).first()
        if master is not None:
            with default_storage.open(master.storage_name, "rb") as src, \
                    open(folder / f"master{Path(master.storage_name).suffix}", "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
        record = dict(RecordingOutput(recording, context={"audible": {recording.pk}}).data)
        record["record_protocol_detail"] = recording.record_protocol
        record["media_protocol_detail"] = recording.media_protocol
        (folder / "record.json").write_text(json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        (folder / "dc.xml").write_bytes(dublin_core_xml(recording))
        events = [{"type": e.type, "at": e.at, "agent_name": e.agent_name, "outcome": e.outcome, "detail": e.detail}
                  for e in events_for(user=user, recording=recording)]
        (folder / "events.json").write_text(json.dumps(events, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        (folder / "premis.xml").write_bytes(premis_xml(recording=recording, user=user))  # the same history, as PREMIS 3
        in_use = transcription_in_use(recording)  # the exporter may hear every recording in the bag
        if in_use is not None:
            notes, what = in_use
            (folder / "notes.json").write_text(json.dumps({"transcription": what, "notes": notes}, ensure_ascii=False,
                                                          indent=1))
        exported.append(recording)
    (dest / "collection.json").write_text(json.dumps({
        "id": str(collection.pk), "title": collection.title, "description": collection.description,
        "community": collection.community.name, "recordings": [str(r.pk) for r in exported],
        "restricted_included": restricted_allowed,
    }, ensure_ascii=False, indent=2))
    bag = bagit.make_bag(str(dest), {
        "Source-Organization": collection.community.name,
        "External-Description": f"Songkeeper collection “{collection.title}”",
        "External-Identifier": f"urn:uuid:{collection.pk}",
        "Bagging-Date": timezone.localdate().isoformat(),
    }, checksums=["sha256", "sha512"])
    for recording in exported:
        event_log(recording=recording, type=PreservationEvent.Type.EXPORT, user=user,
                  detail=f"exported in a BagIt bag of “{collection.title}” to {dest}")
    return {"recordings": len(exported), "restricted_included": restricted_allowed, "valid": bag.is_valid()}
