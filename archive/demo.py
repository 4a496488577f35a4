"""Loads fixtures/demo.json through the same services the API uses. Idempotent: a second run adds nothing."""
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from .api.serializers.recordings import RecordingInput
from .labels import labels_sync
from .models import Collection, Community, Label, LabelRule, Membership, Recording, Tradition
from .policy import forget_viewer
from .services.communities import protocol_create
from .services.contributions import annotation_create, narrative_create
from .services.ingest import recording_attach_master
from .services.recordings import recording_create, recording_withdraw

DEMO_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "demo.json"


@transaction.atomic
def demo_load(path: Path = DEMO_FILE) -> dict:
    labels_sync(Label)
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    User = get_user_model()
    if Community.objects.filter(slug=spec["communities"][0]["slug"]).exists():
        return {"loaded": False, "users": [u["username"] for u in spec["users"]], "password": spec["password"]}
    users = {}
    for u in spec["users"]:
        user, created = User.objects.get_or_create(username=u["username"], defaults={"email": u.get("email", "")})
        if created:
            user.set_password(spec["password"])
            user.is_staff = user.is_superuser = bool(u.get("staff"))
            user.save()
        users[u["username"]] = user
    communities, protocols = {}, {}
    for c in spec["communities"]:
        community = Community.objects.create(slug=c["slug"], name=c["name"], description=c.get("description", ""))
        communities[c["slug"]] = community
        for name in c.get("stewards", []):
            Membership.objects.create(community=community, user=users[name], role=Membership.Role.STEWARD)
        for name in c.get("members", []):
            Membership.objects.create(community=community, user=users[name], role=Membership.Role.MEMBER)
        for user in users.values():
            forget_viewer(user)
        steward = users[c["stewards"][0]]
        for p in c.get("protocols", []):
            protocols[p["name"]] = protocol_create(community=community, name=p["name"], description=p.get("description", ""),
                                                   usernames=p.get("members", []), by=steward)
        for r in c.get("label_rules", []):
            LabelRule.objects.create(community=community, label_id=r["label"], text=r.get("text", ""),
                                     protocol_level=r.get("protocol_level", "community"),
                                     season_start=r.get("season_start", ""), season_end=r.get("season_end", ""))
    traditions = {}
    for t in spec["traditions"]:
        tradition = Tradition.objects.create(slug=t["slug"], name=t["name"], names=t.get("names", []),
                                             region=t.get("region", ""), description=t.get("description", ""))
        tradition.communities.set([communities[s] for s in t.get("communities", [])])
        traditions[t["slug"]] = tradition
    collections = {
        c["key"]: Collection.objects.create(community=communities[c["community"]], title=c["title"],
                                            description=c.get("description", ""))
        for c in spec["collections"]
    }
    count = 0
    for r in spec["recordings"]:
        _recording(r, users, communities, traditions, collections, protocols)
        count += 1
    return {"loaded": True, "recordings": count, "users": list(users), "password": spec["password"]}


def _recording(r, users, communities, traditions, collections, protocols):
    community = communities[r["community"]]
    steward = Membership.objects.filter(community=community, role="steward").first().user
    raw = {k: v for k, v in r.items() if k not in ("narratives", "annotations", "audio")}
    raw["community"] = str(community.pk)
    raw["tradition"] = str(traditions[r["tradition"]].pk)
    if "collection" in r:
        raw["collection"] = str(collections[r["collection"]].pk)
    for key in ("record_protocol", "media_protocol"):
        if str(raw.get(key, "")).startswith("custom:"):
            raw[key] = str(protocols[raw[key].split(":", 1)[1]].pk)
    withdrawn = raw.get("status") == Recording.Status.WITHDRAWN
    if withdrawn:  # published first, as it was, then withdrawn by its steward
        raw["status"] = Recording.Status.PUBLISHED
    body = RecordingInput(data=raw)
    body.is_valid(raise_exception=True)
    recording = recording_create(data=body.validated_data, user=steward)
    if withdrawn:
        recording_withdraw(recording=recording, user=steward, reason=r.get("reason", ""))
    for n in r.get("narratives", []):
        narrative_create(recording=recording, community=communities[n["community"]], title=n["title"], text=n["text"],
                         language=n.get("language", ""), user=users[n["by"]])
    if r.get("audio"):  # through the same pipeline as an upload: decoded, hashed, stored, derived by a worker
        path = DEMO_FILE.parent / r["audio"]
        recording_attach_master(recording=recording, path=path, original_name=path.name, user=steward, move=False)
        recording.refresh_from_db()
    for a in r.get("annotations", []):
        annotation_create(recording=recording, user=users[a["by"]],
                          data={"start": a["start"], "end": a["end"], "body": a["body"], "language": a.get("language", "")})
    return recording


