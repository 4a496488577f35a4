"""OAI-PMH 2.0 at /oai, harvested by a real client (Sickle) over a live server: every public
record once, nothing restricted, withdrawn ones as deleted; and every protocol error code."""
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from sickle import Sickle

from archive.access import recordings_visible
from archive.demo import demo_load
from archive.exports.oai import OAI, identifier_for
from archive.models import Recording

pytestmark = pytest.mark.django_db(transaction=True)
NS = {"oai": OAI, "dc": "http://purl.org/dc/elements/1.1/", "olac": "http://www.language-archives.org/OLAC/1.1/"}


@pytest.fixture
def demo(settings):
    settings.OAI_PAGE_SIZE = 2  # so that a harvest needs several resumption tokens
    demo_load()


def test_a_harvest_returns_every_public_record_once_and_nothing_restricted(live_server, demo):
    sickle = Sickle(f"{live_server.url}/oai")
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    live = [r for r in records if not r.header.deleted]
    deleted = [r for r in records if r.header.deleted]
    public = set(recordings_visible(user=None).values_list("pk", flat=True))
    assert sorted(r.header.identifier for r in live) == sorted(f"oai:songkeeper:{pk}" for pk in public)
    assert len({r.header.identifier for r in records}) == len(records)  # each once
    withdrawn = Recording.objects.get(status="withdrawn")
    assert [r.header.identifier for r in deleted] == [identifier_for(withdrawn)]
    titles = {t for r in live for t in r.metadata["title"]}
    assert "Emina" in titles and "Guild rehearsal (members)" not in titles
    assert "Ritual song for the guild's patron" not in titles  # secret/sacred
    identifiers = list(sickle.ListIdentifiers(metadataPrefix="olac", ignore_deleted=True))
    assert len(identifiers) == len(live)


def test_olac_records_carry_language_codes_and_roles(demo):
    rec = Recording.objects.get(title="Emina")
    body = Client().get("/oai", {"verb": "GetRecord", "identifier": identifier_for(rec), "metadataPrefix": "olac"})
    root = ET.fromstring(body.content)
    olac = root.find(".//olac:olac", NS)
    languages = [e.get(f"{{{NS['olac']}}}code") for e in olac.findall("dc:language", NS)]
    assert languages == ["bos"]
    roles = [(e.text, e.get(f"{{{NS['olac']}}}code")) for e in olac.findall("dc:contributor", NS)]
    assert roles == [("Amina Hadžić", "performer")]


def test_sets_and_dates_select(demo):
    c = Client()
    sets = ET.fromstring(c.get("/oai", {"verb": "ListSets"}).content)
    specs = [e.text for e in sets.findall(".//oai:setSpec", NS)]
    assert "community:sevdah-keepers" in specs and "tradition:carnatic" in specs
    one = ET.fromstring(c.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc",
                                       "set": "community:sevdah-keepers"}).content)
    assert len(one.findall(".//oai:header", NS)) == 1
    future = ET.fromstring(c.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc",
                                          "from": "2999-01-01"}).content)
    assert future.find("oai:error", NS).get("code") == "noRecordsMatch"
    identify = ET.fromstring(c.get("/oai", {"verb": "Identify"}).content)
    assert identify.findtext(".//oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext(".//oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"


PROTOCOL_ERRORS = [
    ({}, "badVerb"),
    ({"verb": "Dance"}, "badVerb"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01", "until": "2030-01-01T00:00:00Z"},
     "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "community:nobody"}, "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
    ({"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "GetRecord", "identifier": "oai:songkeeper:00000000-0000-0000-0000-000000000000",
      "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    ({"verb": "Identify", "extra": "1"}, "badArgument"),
]


def test_protocol_errors(demo, subtests):
    """Each error case as its own subtest, over one loaded demo (a load per case took a minute of the suite)."""
    for params, code in PROTOCOL_ERRORS:
        with subtests.test(params=params, code=code):
            root = ET.fromstring(Client().get("/oai", params).content)
            assert root.find("oai:error", NS).get("code") == code


def test_restricted_records_are_not_there_at_all(demo):
    hidden = Recording.objects.get(title="Guild rehearsal (members)")
    root = ET.fromstring(Client().get("/oai", {"verb": "GetRecord", "identifier": identifier_for(hidden),
                                               "metadataPrefix": "oai_dc"}).content)
    assert root.find("oai:error", NS).get("code") == "idDoesNotExist"


def test_every_verb_answers_valid_oai_pmh(demo):
    """Each verb, each metadata format, a resumption and the errors, validated against the
    official OAI-PMH 2.0 schema (tests/schemas/OAI-PMH.xsd)."""
    from pathlib import Path

    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "OAI-PMH.xsd")))
    some = recordings_visible(user=None).first()
    requests = [{"verb": "Identify"}, {"verb": "ListMetadataFormats"}, {"verb": "ListSets"},
                {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
                {"verb": "ListRecords", "metadataPrefix": "oai_dc"}, {"verb": "ListRecords", "metadataPrefix": "olac"},
                {"verb": "GetRecord", "metadataPrefix": "olac", "identifier": identifier_for(some)},
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
                {"verb": "Nonsense"}, {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:y"},
                {"verb": "ListRecords", "resumptionToken": "forged"}]
    first = ET.fromstring(Client().get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).content)
    token = first.find(".//oai:resumptionToken", NS).text
    requests.append({"verb": "ListRecords", "resumptionToken": token})
    for params in requests:
        document = etree.fromstring(Client().get("/oai", params).content)
        assert schema.validate(document), (params, [str(e) for e in schema.error_log][:3])
    withdrawn = Recording.objects.get(status="withdrawn")
    deleted = etree.fromstring(Client().get("/oai", {"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                                     "identifier": identifier_for(withdrawn)}).content)
    assert schema.validate(deleted) and deleted.find("oai:GetRecord/oai:record/oai:header", NS).get("status") == "deleted"
