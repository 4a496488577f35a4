"""What the archive serves, held to the published schemas (../shared/schemas, offline): every
oai_dc and OLAC record a harvest returns (all pages), each recording's Dublin Core, every IIIF
manifest and collection, the MusicXML of a transcription and of study examples' rendering."""
import json
import math
import re

import pytest
from django.test import Client
from lxml import etree

from archive.access import recordings_visible
from archive.demo import demo_load
from archive.exports.oai import OAI
from archive.models import Collection
from generation.ml import render
from generation.ml.tokens import Note, PitchSet
from tests.official_schemas import assert_valid_iiif, assert_valid_xml

pytestmark = pytest.mark.django_db
NS = {"oai": OAI}


@pytest.fixture
def demo(settings):
    settings.OAI_PAGE_SIZE = 3  # a harvest of several pages
    demo_load()


def harvest(client: Client, prefix: str) -> list:
    """Every record of a ListRecords harvest, following resumption tokens."""
    records, params = [], {"verb": "ListRecords", "metadataPrefix": prefix}
    while True:
        root = etree.fromstring(client.get("/oai", params).content)
        records += root.findall(".//oai:record", NS)
        token = root.find(".//oai:resumptionToken", NS)
        if token is None or not token.text:
            return records
        params = {"verb": "ListRecords", "resumptionToken": token.text}


def test_every_record_manifest_and_collection_the_demo_archive_serves_is_valid(demo):
    """One demo archive, every output: both metadata formats of a paged harvest, each OLAC record
    taken apart from its response, each recording's Dublin Core, every IIIF manifest and collection."""
    client = Client()
    public = list(recordings_visible(user=None).values_list("pk", flat=True))
    assert len(public) > 3
    for prefix in ("oai_dc", "olac"):
        live = [r for r in harvest(client, prefix) if r.find("oai:metadata", NS) is not None]
        assert len(live) == len(public)
        for record in live:
            assert_valid_xml(prefix, record.find("oai:metadata", NS)[0])
        if prefix == "olac":  # xsi:type is a QName: its prefix must be in scope in the record on its own
            alone = etree.fromstring(etree.tostring(live[0].find("oai:metadata", NS)[0]))
            types = [e.get("{http://www.w3.org/2001/XMLSchema-instance}type") for e in alone.iter()]
            assert all(value.split(":")[0] in alone.nsmap for value in filter(None, types)), alone.nsmap
            assert_valid_xml("olac", alone)
    for pk in public:
        dc = client.get(f"/recordings/{pk}/dc.xml")
        assert dc.status_code == 200
        assert_valid_xml("oai_dc", dc.content)
        manifest = client.get(f"/iiif/recordings/{pk}/manifest")
        assert manifest.status_code == 200
        assert_valid_iiif(json.loads(manifest.content))
    collections = list(Collection.objects.values_list("pk", flat=True))
    assert collections
    for pk in collections:
        response = client.get(f"/iiif/collections/{pk}")
        if response.status_code == 200:
            assert_valid_iiif(json.loads(response.content))


def test_a_broken_manifest_is_refused_by_the_validator():
    """The check can fail: a manifest without items or label is not Presentation 3."""
    with pytest.raises(AssertionError, match="not valid IIIF"):
        assert_valid_iiif({"@context": "http://iiif.io/api/presentation/3/context.json", "id": "https://x/m",
                           "type": "Manifest"})


@pytest.mark.parametrize("degrees, metre", [(12, "3/4"), (53, "9/8"), (53, None)])
def test_the_musicxml_of_study_examples_is_valid_musicxml_4(degrees, metre):
    """Rendered as a study example is: 12-TET and 53-comma pitches (alters in decimals), beats in
    the corpus's metre (an aksak usul's 9/8 too) or free rhythm in seconds, rests, long notes tied
    across bars."""
    pulse = metre is not None
    pitch_set = PitchSet.equal(degrees)
    steps = [0, 4, 9, None, 13, 22, 31, 5, 0] if degrees == 53 else [0, 2, 4, None, 5, 7, 11, 2, 0]
    notes = [Note(s, d, phrase_end=i == len(steps) - 1) for i, (s, d) in enumerate(zip(steps, [1, 0.5, 0.5, 1, 3, 0.25, 1.75, 1, 6],
                                                                                          strict=True))]
    events = render.place(notes, pitch_set, tonic_hz=196.0, tempo_bpm=84, pulse=pulse)
    xml = render.musicxml(events, title="Study 1", credit="after the Hicaz singers", tempo_bpm=84, metre=metre)
    assert_valid_xml("musicxml", xml)
    assert (b"<senza-misura" in xml) == (not pulse)  # free rhythm is written unmetered
    if pulse:
        beats, beat_type = metre.split("/")
        assert re.search(rf"<beats>{beats}</beats>\s*<beat-type>{beat_type}</beat-type>".encode(), xml)
    alters = [float(a.text) for a in etree.fromstring(xml).iter("alter")]
    assert degrees == 12 or any(not math.isclose(a, round(a)) for a in alters)  # microtones are written, not rounded
