"""No leak through references (Mukurtu's inaccessible-reference problem): a hidden recording
shares a collection, a tradition, a community and the similar-recordings neighbourhood with a
visible one, and has its own person, place, instrument, narrative, annotation, score and
share link. An outsider crawls every page and API answer it can reach from the home page,
the API root and the harvesting endpoints; nothing of the hidden recording may appear: not
its title, not its id, not the names that only it carries, not a count that includes it."""
import json
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from archive.models import Analysis, Annotation, Collection, Instrument, Narrative, Person, Place, RecordingPerson
from archive.services.analysis import ANALYSER, VERSION
from tests import factories as f

pytestmark = pytest.mark.django_db

MARKERS = ["Quetzal-hidden-7731", "Person-hidden-42", "Hiddenplace-9", "secret-flute-88", "hidden-narrative-55",
           "hidden-annotation-66"]
SKIP = ("/admin", "/logout", "/static/", "/api/docs", "/api/schema", "/login")
LINK = re.compile(r"""(?:href|src|action)=["']([^"'#]+)""")
JSON_URL = re.compile(r'"(https?://testserver/[^"]+|/(?:api|iiif|recordings|oai)[^"]*)"')


@pytest.fixture
def world():
    steward, outsider = f.make_user("steward"), f.make_user("outsider")
    community = f.make_community(stewards=[steward], name="River singers")
    tradition = f.make_tradition(community, name="River songs")
    collection = Collection.objects.create(community=community, title="Reel-to-reel tapes")
    shown = f.make_recording(community, tradition, collection=collection, title="Open river song",
                             record_protocol="public", training_consent="allowed")
    hidden = f.make_recording(community, tradition, collection=collection, title=MARKERS[0], record_protocol="community",
                              place=Place.objects.create(name=MARKERS[2], country="IS"), training_consent="allowed")
    RecordingPerson.objects.create(recording=hidden, person=Person.objects.create(name=MARKERS[1], community=community))
    hidden.instruments.add(Instrument.objects.create(name=MARKERS[3], slug=MARKERS[3]))
    Narrative.objects.create(recording=hidden, community=community, title="Story", text=MARKERS[4])
    Annotation.objects.create(recording=hidden, start=0, end=1, body=MARKERS[5])
    Annotation.objects.create(recording=shown, start=0, end=1, body="an open note", layer="lyrics")
    for recording, vector in ((shown, [1.0, 0.0, 0.0]), (hidden, [0.99, 0.1, 0.0])):  # nearest neighbours
        Analysis.objects.create(recording=recording, analyser=ANALYSER, version=VERSION, status="ok", features=vector,
                                summary={"pitch_set": []}, tonic_hz=220.0)
    from archive.search.index import search_index_recording

    for recording in (shown, hidden):
        search_index_recording(recording)
    return {"outsider": outsider, "shown": shown, "hidden": hidden, "collection": collection, "tradition": tradition,
            "community": community}


def crawl(client, starts, limit=400):
    seen, pages = set(), {}
    queue = deque(starts)
    while queue and len(pages) < limit:
        url = queue.popleft()
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen or not parts.path.startswith("/") or path.startswith(SKIP):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or response.get("Content-Disposition", "").startswith("attachment"):
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if not response.get("Content-Type", "").startswith(("text/", "application/json", "application/xml",
                                                            "application/ld+json")):
            continue
        text = body.decode("utf-8", errors="replace")
        pages[path] = text
        found = LINK.findall(text) if "html" in response["Content-Type"] else JSON_URL.findall(text)
        for link in found:
            queue.append(urljoin(path, link.replace("&amp;", "&")))
    return pages


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_nothing_of_a_hidden_recording_reaches_an_outsider(world, who):
    client = Client()
    if who == "outsider":
        client.force_login(world["outsider"])
    shown, hidden = world["shown"], world["hidden"]
    starts = ["/", "/browse/", "/study/", "/search/?q=river", f"/search/?q={MARKERS[0]}", "/api/",
              f"/api/search/?q={MARKERS[4]}", "/api/search/?q=river", f"/api/recordings/{shown.pk}/similar/",
              "/oai?verb=ListRecords&metadataPrefix=oai_dc", "/oai?verb=ListSets", "/oai?verb=ListIdentifiers&metadataPrefix=olac",
              f"/iiif/collections/{world['collection'].pk}", f"/iiif/recordings/{shown.pk}/manifest",
              f"/recordings/{shown.pk}/dc.xml", f"/api/recordings/{shown.pk}/export/?as=json",
              "/api/recordings/export/?format=csv", f"/api/recordings/?collection={world['collection'].pk}"]
    pages = crawl(client, starts)
    assert len(pages) > 25, sorted(pages)  # the crawl really went through the site
    assert f"/recordings/{shown.pk}/" in pages and f"/collections/{world['collection'].pk}/" in pages
    leaks = [(path, marker) for path, text in pages.items() for marker in [*MARKERS, str(hidden.pk)]
             if marker in text and marker not in path]  # a search page repeats its own query
    assert not leaks, leaks

    # counts that would include the hidden recording say 1, not 2
    collections = json.loads(pages["/api/collections/"])["results"]
    assert [c.get("n_recordings") for c in collections if c["title"] == "Reel-to-reel tapes"] in ([1], [None])
    traditions = json.loads(pages["/api/traditions/"])["results"]
    assert [t["n_recordings"] for t in traditions if t["name"] == "River songs"] == [1]
    similar = json.loads(client.get(f"/api/recordings/{shown.pk}/similar/").content)
    assert str(hidden.pk) not in json.dumps(similar)
    facets = json.loads(client.get("/api/search/", {"q": "river"}).content)["facets"]
    assert "IS" not in json.dumps(facets.get("country", facets))


def test_the_community_sees_what_the_outsider_does_not(world):
    """The same crawl as a steward finds the hidden recording: the test above can see a leak."""
    steward = Client()
    steward.force_login(world["community"].memberships.get().user)
    pages = crawl(steward, ["/", f"/collections/{world['collection'].pk}/"], limit=60)
    assert any(MARKERS[0] in text for text in pages.values())
