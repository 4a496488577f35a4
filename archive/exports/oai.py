"""OAI-PMH 2.0 (the six verbs, oai_dc and OLAC, sets per community, tradition and collection,
resumption tokens, every error code). Harvesters see only what an anonymous visitor may see;
withdrawn recordings that were once public are deleted records (deletedRecord: persistent)."""
import base64
import binascii
import json
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from lxml import etree as ET

from ..models import Collection, Community, Recording, Tradition
from ..policy import harvestable_recordings
from .dublin_core import DC, dublin_core_element

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OLAC = "http://www.language-archives.org/OLAC/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
OLAC_NAMESPACES = {"olac": OLAC, "dc": DC, "dcterms": DCTERMS, "xsi": XSI}  # in scope for every xsi:type QName
FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
    "olac": ("http://www.language-archives.org/OLAC/1.1/olac.xsd", OLAC),
}
OLAC_ROLES = {"performer": "performer", "recordist": "recorder", "collector": "compiler", "composer": "author",
              "translator": "translator", "transcriber": "transcriber", "interviewer": "interviewer",
              "speaker": "speaker"}
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def identifier_for(recording) -> str:
    return f"oai:{settings.OAI_REPOSITORY_ID}:{recording.pk}"


def _harvestable() -> QuerySet:
    """What archive/policy.py lets a harvester see: anonymous-visible recordings, and as deleted
    records withdrawn ones that were once public."""
    return harvestable_recordings().select_related("community", "tradition", "collection", "place")


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_date(value: str, *, end: bool) -> tuple[datetime, str]:
    for fmt, granularity in (("%Y-%m-%dT%H:%M:%SZ", "seconds"), ("%Y-%m-%d", "day")):
        try:
            parsed = datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
        if granularity == "day" and end:
            parsed = parsed.replace(hour=23, minute=59, second=59, microsecond=999999)
        return parsed, granularity
    raise OAIError("badArgument", f"{value!r} is not a UTC date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)")


def _set_filter(spec: str) -> Q:
    kind, _, key = spec.partition(":")
    if kind == "community" and Community.objects.filter(slug=key).exists():
        return Q(community__slug=key)
    if kind == "tradition" and Tradition.objects.filter(slug=key).exists():
        return Q(tradition__slug=key)
    if kind == "collection":
        try:
            if Collection.objects.filter(pk=uuid.UUID(key)).exists():
                return Q(collection_id=key)
        except ValueError:
            pass
    raise OAIError("badArgument", f"no set {spec!r}")


def _encode_token(state: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode()


def _decode_token(token: str) -> dict:
    try:
        state = json.loads(base64.urlsafe_b64decode(token.encode()))
        assert isinstance(state, dict) and isinstance(state.get("offset"), int) and state["offset"] >= 0
        return state
    except (binascii.Error, ValueError, AssertionError, UnicodeDecodeError):
        raise OAIError("badResumptionToken", "the resumption token is not one this repository issued") from None


def respond(params: dict[str, list[str]], base_url: str) -> bytes:
    """The whole OAI-PMH response document for a request's parameters."""
    root = ET.Element(f"{{{OAI}}}OAI-PMH", {f"{{{XSI}}}schemaLocation":
                                           f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"},
                      nsmap={None: OAI, "xsi": XSI})
    ET.SubElement(root, f"{{{OAI}}}responseDate").text = _stamp(timezone.now())
    request = ET.SubElement(root, f"{{{OAI}}}request")
    request.text = base_url
    verb = (params.get("verb") or [""])[0]
    try:
        args = _check_arguments(params, verb)
        for key, value in args.items():
            request.set(key, value)
        request.set("verb", verb)
        root.append(_HANDLERS[verb](args, base_url))
    except OAIError as exc:
        ET.SubElement(root, f"{{{OAI}}}error", code=exc.code).text = exc.message
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _check_arguments(params: dict[str, list[str]], verb: str) -> dict[str, str]:
    if verb not in VERBS:
        raise OAIError("badVerb", "the verb is missing or not an OAI-PMH verb")
    required, optional = VERBS[verb]
    args = {k: v for k, v in params.items() if k != "verb"}
    for key, values in args.items():
        if key not in required | optional:
            raise OAIError("badArgument", f"{key} is not an argument of {verb}")
        if len(values) > 1:
            raise OAIError("badArgument", f"{key} is repeated")
    flat = {k: v[0] for k, v in args.items()}
    if "resumptionToken" in flat:
        if len(flat) > 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument")
        return flat
    missing = required - set(flat)
    if missing:
        raise OAIError("badArgument", f"{verb} needs {', '.join(sorted(missing))}")
    return flat


def _identify(args, base_url):
    node = ET.Element(f"{{{OAI}}}Identify")
    earliest = _harvestable().aggregate(first=Min("modified"))["first"] or timezone.now()
    for name, value in (("repositoryName", settings.OAI_REPOSITORY_NAME), ("baseURL", base_url),
                        ("protocolVersion", "2.0"), ("adminEmail", settings.OAI_ADMIN_EMAIL),
                        ("earliestDatestamp", _stamp(earliest)), ("deletedRecord", "persistent"),
                        ("granularity", "YYYY-MM-DDThh:mm:ssZ")):
        ET.SubElement(node, f"{{{OAI}}}{name}").text = value
    return node


def _list_formats(args, base_url):
    if "identifier" in args:
        _record(args["identifier"])
    node = ET.Element(f"{{{OAI}}}ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        fmt = ET.SubElement(node, f"{{{OAI}}}metadataFormat")
        ET.SubElement(fmt, f"{{{OAI}}}metadataPrefix").text = prefix
        ET.SubElement(fmt, f"{{{OAI}}}schema").text = schema
        ET.SubElement(fmt, f"{{{OAI}}}metadataNamespace").text = namespace
    return node


def _list_sets(args, base_url):
    if "resumptionToken" in args:
        raise OAIError("badResumptionToken", "ListSets is never split")
    node = ET.Element(f"{{{OAI}}}ListSets")
    sets = [(f"community:{c.slug}", c.name) for c in Community.objects.order_by("slug")]
    sets += [(f"tradition:{t.slug}", t.name) for t in Tradition.objects.order_by("slug")]
    sets += [(f"collection:{c.pk}", c.title) for c in Collection.objects.order_by("pk")]
    for spec, name in sets:
        entry = ET.SubElement(node, f"{{{OAI}}}set")
        ET.SubElement(entry, f"{{{OAI}}}setSpec").text = spec
        ET.SubElement(entry, f"{{{OAI}}}setName").text = name
    return node


def _record(identifier: str) -> Recording:
    prefix = f"oai:{settings.OAI_REPOSITORY_ID}:"
    try:
        pk = uuid.UUID(identifier[len(prefix):]) if identifier.startswith(prefix) else None
    except ValueError:
        pk = None
    recording = _harvestable().filter(pk=pk).first() if pk else None
    if recording is None:
        raise OAIError("idDoesNotExist", f"{identifier} is not an identifier in this repository")
    return recording


def _check_prefix(prefix: str):
    if prefix not in FORMATS:
        raise OAIError("cannotDisseminateFormat", f"{prefix} is not a metadata format of this repository")


def _get_record(args, base_url):
    _check_prefix(args["metadataPrefix"])
    recording = _record(args["identifier"])
    node = ET.Element(f"{{{OAI}}}GetRecord")
    node.append(_record_element(recording, args["metadataPrefix"], base_url))
    return node


def _list(args, base_url, *, with_metadata: bool):
    state = _decode_token(args["resumptionToken"]) if "resumptionToken" in args else {
        "prefix": args["metadataPrefix"], "from": args.get("from"), "until": args.get("until"),
        "set": args.get("set"), "offset": 0}
    _check_prefix(state.get("prefix", ""))
    records = _harvestable()
    granularities = set()
    if state.get("from"):
        start, g = _parse_date(state["from"], end=False)
        granularities.add(g)
        records = records.filter(modified__gte=start)
    if state.get("until"):
        end, g = _parse_date(state["until"], end=True)
        granularities.add(g)
        records = records.filter(modified__lte=end)
    if len(granularities) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity")
    if state.get("set"):
        records = records.filter(_set_filter(state["set"]))
    records = records.order_by("modified", "pk")
    total = records.count()
    if total == 0:
        raise OAIError("noRecordsMatch", "no records match the request")
    size = settings.OAI_PAGE_SIZE
    if state["offset"] >= total and "resumptionToken" in args:
        raise OAIError("badResumptionToken", "the resumption token is past the end of the list")
    page = list(records[state["offset"]:state["offset"] + size])
    node = ET.Element(f"{{{OAI}}}{'ListRecords' if with_metadata else 'ListIdentifiers'}")
    for recording in page:
        node.append(_record_element(recording, state["prefix"], base_url) if with_metadata else _header(recording))
    if state["offset"] + size < total or "resumptionToken" in args:
        following = state["offset"] + size
        token = ET.SubElement(node, f"{{{OAI}}}resumptionToken", completeListSize=str(total), cursor=str(state["offset"]))
        token.text = _encode_token({**state, "offset": following}) if following < total else ""
    return node


def _header(recording) -> ET.Element:
    header = ET.Element(f"{{{OAI}}}header")
    if recording.status == Recording.Status.WITHDRAWN:
        header.set("status", "deleted")
    ET.SubElement(header, f"{{{OAI}}}identifier").text = identifier_for(recording)
    ET.SubElement(header, f"{{{OAI}}}datestamp").text = _stamp(recording.modified)
    for spec in (f"community:{recording.community.slug}", f"tradition:{recording.tradition.slug}"):
        ET.SubElement(header, f"{{{OAI}}}setSpec").text = spec
    if recording.collection_id:
        ET.SubElement(header, f"{{{OAI}}}setSpec").text = f"collection:{recording.collection_id}"
    return header


def _record_element(recording, prefix: str, base_url: str) -> ET.Element:
    record = ET.Element(f"{{{OAI}}}record")
    record.append(_header(recording))
    if recording.status != Recording.Status.WITHDRAWN:
        metadata = ET.SubElement(record, f"{{{OAI}}}metadata")
        site = base_url.rsplit("/oai", 1)[0]
        metadata.append(dublin_core_element(recording, base_url=site) if prefix == "oai_dc" else olac_element(recording, site))
    return record


def olac_element(recording, site: str) -> ET.Element:
    """OLAC 1.1: Dublin Core with OLAC's language codes (ISO 639-3), roles and types. Every prefix an
    xsi:type value names is declared on the root: xsi:type is a QName, read in the scope where it stands."""
    root = ET.Element(f"{{{OLAC}}}olac", {f"{{{XSI}}}schemaLocation": f"{OLAC} http://www.language-archives.org/OLAC/1.1/olac.xsd"},
                      nsmap=OLAC_NAMESPACES)
    dc = lambda name, text=None, **attrs: _sub(root, f"{{{DC}}}{name}", text, attrs)  # noqa: E731
    dc("title", recording.title)
    for credit in recording.credits.select_related("person"):
        dc("contributor", credit.person.name, **{f"{{{XSI}}}type": "olac:role",
                                                 f"{{{OLAC}}}code": OLAC_ROLES.get(credit.role, "performer")})
    for lang in recording.languages.all():
        dc("language", None, **{f"{{{XSI}}}type": "olac:language", f"{{{OLAC}}}code": lang.code})
        dc("subject", None, **{f"{{{XSI}}}type": "olac:language", f"{{{OLAC}}}code": lang.code})
    dc("type", "Sound", **{f"{{{XSI}}}type": "dcterms:DCMIType"})
    dc("type", None, **{f"{{{XSI}}}type": "olac:discourse-type", f"{{{OLAC}}}code": "singing"})
    dc("type", None, **{f"{{{XSI}}}type": "olac:linguistic-type", f"{{{OLAC}}}code": "primary_text"})
    dc("subject", recording.tradition.name)
    if recording.description:
        dc("description", recording.description)
    dc("publisher", recording.community.name)
    if recording.date:
        dc("date", recording.date)
    if recording.place is not None:
        dc("coverage", str(recording.place))
        if recording.place.country:
            _sub(root, f"{{{DCTERMS}}}spatial", recording.place.country, {f"{{{XSI}}}type": "dcterms:ISO3166"})
    if recording.rights:
        dc("rights", recording.rights)
    dc("identifier", f"{site}/recordings/{recording.pk}/", **{f"{{{XSI}}}type": "dcterms:URI"})
    return root


def _sub(parent, tag, text, attrs):
    element = ET.SubElement(parent, tag, {k: v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


_HANDLERS = {
    "Identify": _identify, "ListMetadataFormats": _list_formats, "ListSets": _list_sets, "GetRecord": _get_record,
    "ListIdentifiers": lambda a, b: _list(a, b, with_metadata=False),
    "ListRecords": lambda a, b: _list(a, b, with_metadata=True),
}
