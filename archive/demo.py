"""Loads fixtures/demo.json through the same services the API uses. Idempotent: a second run adds nothing.

Besides recordings with audio, the demo holds score-only records (``score_sets``): public-domain
tunes from a collection music21 ships in its corpus, one record per tune with its ABC score, so
that one tradition has enough consented material to train a style model worth hearing."""
import json
import re
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
from .services.scores import score_attach

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
    for score_set in spec.get("score_sets", []):
        count += _score_set(score_set, communities, traditions, collections)
    return {"loaded": True, "recordings": count, "users": list(users), "password": spec["password"]}


def corpus_tunes(name: str, count: int) -> list[tuple[str, str, str]]:
    """The first ``count`` tunes of an ABC book in music21's corpus: (number, title, ABC text)."""
    import music21

    text = (Path(music21.__file__).parent / "corpus" / name).read_text(encoding="utf-8")
    tunes = [t for t in re.split(r"(?m)^(?=X:)", text) if t.startswith("X:")][:count]
    out = []
    for tune in tunes:
        number = re.search(r"(?m)^X:\s*(\S+)", tune).group(1)
        title = re.search(r"(?m)^T:\s*(.+?)\s*$", tune)
        out.append((number, title.group(1) if title else f"No. {number}", tune))
    return out


def _score_set(spec, communities, traditions, collections) -> int:
    """One published record per tune, its score attached, described alike (the tune's number in
    the description)."""
    community = communities[spec["community"]]
    steward = Membership.objects.filter(community=community, role="steward").first().user
    shared = {k: v for k, v in spec.items() if k not in ("corpus", "count", "description")}
    shared.update(community=str(community.pk), tradition=str(traditions[spec["tradition"]].pk),
                  collection=str(collections[spec["collection"]].pk))
    tunes = corpus_tunes(spec["corpus"], spec["count"])
    for number, title, abc in tunes:
        body = RecordingInput(data={**shared, "title": title, "description": spec["description"].format(number=number)})
        body.is_valid(raise_exception=True)
        recording = recording_create(data=body.validated_data, user=steward)
        score_attach(recording=recording, user=steward, data=abc.encode("utf-8"),
                     name=f"{Path(spec['corpus']).stem}-{number}.abc", title=title)
    return len(tunes)


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


