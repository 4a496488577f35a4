"""Labels from the Local Contexts Hub, against a small HTTP server that answers as the Hub's API does
(v2 with its X-Api-Key, and v1), with the shapes of the Hub's own serializers: a community links
its project, the labels arrive with the community's names, wording, translations and images, the
steward applies them, and the label policy acts on them; a Hub away changes nothing kept."""
import io
import json
import re
import threading
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from archive.access import recordings_visible
from archive.harvest.polite import Unreachable
from archive.models import HubProject, LabelRule
from archive.services import hub as services
from archive.services.errors import Conflict, ServiceError
from tests import factories as f
from tests.oracle import may_see, may_see_hub_project
from worker.models import Job

pytestmark = pytest.mark.django_db

PROJECT = "3dbf5acc-e602-45a6-a45a-13c14efebe8d"
KEY = "hub-test-key"


def _png(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, format="PNG")
    return out.getvalue()


def _label(kind_type: str, name: str, text: str, image: str, translations=()) -> dict:
    """A label as the Hub's TKLabelSerializer / BCLabelSerializer writes it."""
    return {"unique_id": str(uuid.uuid4()), "name": name, "label_type": kind_type, "language_tag": "en",
            "language": "English", "label_text": text, "img_url": image, "svg_url": "", "audiofile": None,
            "community": {"id": 7, "name": "Kāi singers", "profile_url": "https://hub.example/communities/7"},
            "translations": [{"translated_name": n, "language_tag": tag, "language": tag, "translated_text": t}
                             for tag, n, t in translations],
            "created": "2024-01-05T18:18:17Z", "updated": "2024-01-05T18:18:17Z"}


class Hub(BaseHTTPRequestHandler):
    projects: dict = {}
    images: dict = {}
    down = False
    seen_keys: list = []

    def _answer(self, status: int, body: bytes, kind: str = "application/json"):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's name)
        if Hub.down:
            return self._answer(503, b'{"detail": "maintenance"}')
        if self.path in Hub.images:
            return self._answer(200, Hub.images[self.path], "image/png")
        for version in ("v1", "v2"):
            prefix = f"/api/{version}/projects/"
            if self.path.startswith(prefix):
                Hub.seen_keys.append(self.headers.get("X-Api-Key"))
                if version == "v2" and self.headers.get("X-Api-Key") != KEY:
                    return self._answer(401, b'{"detail": "Invalid API key."}')
                project = Hub.projects.get(self.path[len(prefix):].strip("/"))
                if project is None:
                    return self._answer(404, b'{"detail": "Project does not exist."}')
                return self._answer(200, json.dumps(project[version]).encode())
        return self._answer(404, b'{"detail": "Not found."}')

    def log_message(self, *args):
        pass


@pytest.fixture
def hub(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    Hub.down, Hub.seen_keys = False, []
    Hub.images = {"/images/attribution.png": _png("red"), "/images/secret.png": _png("black")}
    labels = [
        _label("attribution", "Kāi Attribution", "Name the Kāi singers and the family who keeps the song.",
               f"{base}/images/attribution.png", [("es", "Atribución Kāi", "Nombre a los cantores Kāi.")]),
        _label("secret_sacred", "Kāi Sacred", "Sung only in the house of the ancestors.", f"{base}/images/secret.png"),
        _label("some_future_type", "A label the archive does not know", "…", ""),
    ]
    bc = [_label("provenance", "Kāi Provenance", "From the Kāi.", "")]
    notice = [{"notice_type": "attribution_incomplete", "name": "Attribution Incomplete", "img_url": "", "svg_url": "",
               "default_text": "Collections and items in our institution have incomplete attribution.",
               "translations": [], "created": "2024-01-05T18:18:17Z", "updated": "2024-01-05T18:18:17Z"}]
    v2 = {"unique_id": PROJECT, "external_ids": {"providers_id": None}, "title": "Songs of the Kāi",
          "project_privacy": "Public", "created_by": [], "contributors": {}, "notice": notice,
          "bc_labels": bc, "tk_labels": labels, "sub_projects": [], "related_projects": []}
    v1 = {"unique_id": PROJECT, "providers_id": None, "title": "Songs of the Kāi", "project_privacy": "Public",
          "notice": notice, "bc_labels": bc, "tk_labels": labels}
    Hub.projects = {PROJECT: {"v1": v1, "v2": v2}}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LOCAL_CONTEXTS_HUB_URL = f"{base}/api/v2/"
    settings.LOCAL_CONTEXTS_API_KEY = KEY
    settings.HARVEST_RETRIES = 1
    settings.HARVEST_BACKOFF = 0.01
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def kai():
    f.ensure_labels()
    steward, member = f.make_user("kai-steward"), f.make_user("kai-member")
    community = f.make_community(stewards=[steward], members=[member], name="Kāi singers")
    tradition = f.make_tradition(community)
    return community, tradition, steward, member


def test_a_linked_project_brings_its_labels_and_the_policy_acts_on_them(hub, kai, settings):
    community, tradition, steward, member = kai
    project = services.hub_project_link(community=community, project_id=PROJECT, user=steward)
    assert Job.objects.get(pk=project.job_id).kind == "hub.refresh"
    result = services.hub_project_refresh(project=project)
    assert result["version"] == "v2" and Hub.seen_keys == [KEY]
    assert result["labels"] == ["bc_provenance", "tk_attribution", "tk_secret_sacred"]
    assert result["unknown"] == ["some_future_type"] and result["notices"] == ["attribution_incomplete"]
    project.refresh_from_db()
    assert project.title == "Songs of the Kāi" and project.fetched_at and not project.error
    attribution = LabelRule.objects.get(community=community, label_id="tk_attribution")
    assert attribution.name == "Kāi Attribution" and attribution.hub_project == project
    assert attribution.translations["es"] == {"name": "Atribución Kāi", "text": "Nombre a los cantores Kāi."}
    image = Client().get(f"/labels/images/{attribution.pk}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == Hub.images["/images/attribution.png"]

    # applied to two public recordings: Secret/Sacred keeps them inside the community from now on
    songs = [f.make_recording(community, tradition, record_protocol="public", title=f"Kāi song {n}") for n in (1, 2)]
    other = f.make_recording(community, tradition, record_protocol="public", title="Not in the project")
    assert services.hub_labels_apply(project=project, codes=["tk_secret_sacred", "tk_attribution"], user=steward,
                                     recordings=[s.pk for s in songs]) == 2
    today = timezone.localdate()
    for user in (None, f.make_user("outsider"), member, steward):
        visible = set(recordings_visible(user=user).values_list("pk", flat=True))
        for recording in (*songs, other):
            assert (recording.pk in visible) == may_see(user, recording, today), (user, recording.title)
    assert songs[0].pk not in set(recordings_visible(user=None).values_list("pk", flat=True))
    assert other.pk in set(recordings_visible(user=None).values_list("pk", flat=True))
    page = Client()
    page.force_login(member)
    shown = page.get(f"/recordings/{songs[0].pk}/").content.decode()
    assert "Kāi Attribution" in shown and "Name the Kāi singers" in shown and f"/labels/images/{attribution.pk}/" in shown
    history = songs[0].history.first()
    assert history.history_user == steward  # a steward's edit like any other

    # the Hub changes the wording and drops a label: the wording follows, the rule and the labels stay
    tk = Hub.projects[PROJECT]["v2"]["tk_labels"]
    tk[0]["label_text"] = "Name the Kāi singers, always."
    del tk[1]
    services.hub_project_refresh(project=project)
    attribution.refresh_from_db()
    assert attribution.text == "Name the Kāi singers, always."
    sacred = LabelRule.objects.get(community=community, label_id="tk_secret_sacred")
    assert sacred.hub_project is None and sacred.name == ""
    assert songs[0].label_links.filter(label_id="tk_secret_sacred").exists()

    # a Hub away, or one refusing the key, changes nothing kept and says why
    Hub.down = True
    with pytest.raises(Unreachable):
        services.hub_project_refresh(project=project)
    Hub.down = False
    project.refresh_from_db()
    kept = project.fetched_at
    settings.LOCAL_CONTEXTS_API_KEY = "wrong"
    with pytest.raises(services.HubAway, match="HTTP 401"):
        services.hub_project_refresh(project=project)
    project.refresh_from_db()
    assert "HTTP 401" in project.error and project.fetched_at == kept
    attribution.refresh_from_db()
    assert attribution.text == "Name the Kāi singers, always."


def test_the_v1_api_shape_is_read_too(hub, kai, settings):
    community, _tradition, steward, _member = kai
    settings.LOCAL_CONTEXTS_HUB_URL = f"{hub}/api/v1"
    settings.LOCAL_CONTEXTS_API_KEY = ""
    project = services.hub_project_link(community=community, project_id=PROJECT, user=steward)
    result = services.hub_project_refresh(project=project)
    assert result["version"] == "v1" and Hub.seen_keys == [None]
    assert LabelRule.objects.filter(hub_project=project).count() == 3


def test_projects_not_read_for_a_day_are_refreshed_by_beat(hub, kai):
    community, _tradition, steward, _member = kai
    fresh = HubProject.objects.create(community=community, project_id=uuid.uuid4(), fetched_at=timezone.now())
    stale = HubProject.objects.create(community=community, project_id=uuid.uuid4(),
                                      fetched_at=timezone.now() - timedelta(days=2))
    never = HubProject.objects.create(community=community, project_id=uuid.uuid4())
    assert services.hub_refresh_due() == 2
    assert Job.objects.filter(kind="hub.refresh", target_id__in=[str(stale.pk), str(never.pk)]).count() == 2
    assert not Job.objects.filter(kind="hub.refresh", target_id=str(fresh.pk)).exists()
    assert services.hub_refresh_due() == 2  # a refresh still queued is not queued twice
    assert Job.objects.filter(kind="hub.refresh").count() == 2


def test_linking_and_applying_refuse_what_they_cannot_take(hub, kai):
    community, tradition, steward, member = kai
    with pytest.raises(ServiceError) as raised:
        services.hub_project_link(community=community, project_id="not-a-project", user=steward)
    assert raised.value.field == "project_id"
    project = services.hub_project_link(community=community, project_id=PROJECT, user=steward)
    with pytest.raises(Conflict):
        services.hub_project_link(community=community, project_id=PROJECT.upper(), user=steward)
    services.hub_project_refresh(project=project)
    elsewhere = f.make_recording(f.make_community(), title="Another community's song")
    for kwargs, field in [({"codes": ["tk_clan"], "recordings": []}, "labels"),
                          ({"codes": [], "recordings": []}, "labels"),
                          ({"codes": ["tk_attribution"], "recordings": [elsewhere.pk]}, "recordings"),
                          ({"codes": ["tk_attribution"]}, "recordings")]:
        with pytest.raises(ServiceError) as raised:
            services.hub_labels_apply(project=project, user=steward, **kwargs)
        assert raised.value.field == field
    assert not elsewhere.label_links.exists()


def test_only_the_communitys_stewards_reach_its_hub_projects(hub, kai):
    community, tradition, steward, member = kai
    project = services.hub_project_link(community=community, project_id=PROJECT, user=steward)
    services.hub_project_refresh(project=project)
    song = f.make_recording(community, tradition, title="Kāi song")
    other_steward, staff = f.make_user("other"), f.make_user("staff", staff=True)
    f.make_community(stewards=[other_steward])
    for user in (None, f.make_user("registered"), member, other_steward, steward, staff):
        api = f.api_client(user)
        allowed = may_see_hub_project(user, project)
        refused = 401 if user is None else 404
        assert api.get(f"/api/hub-projects/{project.pk}/").status_code == (200 if allowed else refused)
        if user is not None:
            assert (api.get("/api/hub-projects/").json()["count"] == 1) == allowed
        for url, body in ((f"/api/hub-projects/{project.pk}/refresh/", {}),
                          (f"/api/hub-projects/{project.pk}/apply/", {"labels": ["tk_attribution"],
                                                                      "recordings": [str(song.pk)]})):
            answer = api.post(url, body, format="json")
            assert answer.status_code == ({"refresh/": 202, "apply/": 200}[url.rsplit("/", 2)[-2] + "/"]
                                          if allowed else refused), (user, url, answer.status_code)
    api = f.api_client(steward)
    bad = api.post("/api/hub-projects/", {"community": str(community.pk), "project_id": "nope"}, format="json")
    assert bad.status_code == 400 and "project_id" in bad.json()["fields"]
    refused = f.api_client(member).post("/api/hub-projects/", {"community": str(community.pk),
                                                               "project_id": str(uuid.uuid4())}, format="json")
    assert refused.status_code == 403
    assert HubProject.objects.count() == 1
    page = Client()
    page.force_login(steward)
    shown = page.get(f"/dashboard/communities/{community.pk}/sources/").content.decode()
    assert "Kāi Attribution" in shown and "Attribution Incomplete" in shown
    title = re.search(r"<title>([^<]*)</title>", shown)[1]
    assert "Bring recordings home" in title and "Hub" not in title and shown.count('id="hub"') == 1
