"""A recording's preservation history as PREMIS 3 XML (Library of Congress, premis.xsd 3.0): the
intellectual entity, each stored file with its SHA-256 and format (and, for stewards, where each
copy is kept), the events, the agents that acted and the rights that govern it, so that another
repository can take the history along. What a reader sees is what events_for and the record's
API allow them: no agent or event detail for those who do not see everything of the recording."""
from lxml import etree as ET

from ..analysis import VERSION as ANALYSER_VERSION
from ..models import FileCopy, Recording, RecordingFile
from ..policy import events_for, sees_everything_of
from .dublin_core import media_type

PREMIS = "http://www.loc.gov/premis/v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SOFTWARE = "Songkeeper"


def _el(parent, name: str, text: str | None = None, **attrs) -> ET._Element:
    element = ET.SubElement(parent, f"{{{PREMIS}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def _identifier(parent, name: str, kind: str, value: str) -> ET._Element:
    """objectIdentifier, eventIdentifier, significantProperties...: a Type and a Value child."""
    element = _el(parent, name)
    _el(element, f"{name}Type", kind)
    _el(element, f"{name}Value", value)
    return element


def premis_xml(*, recording: Recording, user) -> bytes:
    steward = sees_everything_of(user=user, recording=recording)
    root = ET.Element(f"{{{PREMIS}}}premis", {"version": "3.0", f"{{{XSI}}}schemaLocation":
                                                f"{PREMIS} http://www.loc.gov/standards/premis/v3/premis.xsd"},
                      nsmap={"premis": PREMIS, "xsi": XSI})
    events = events_for(user=user, recording=recording)
    files = list(RecordingFile.objects.filter(recording=recording).order_by("role"))
    copies = {}
    if steward:
        for copy in FileCopy.objects.filter(file__in=files).order_by("location"):
            copies.setdefault(copy.file_id, []).append(copy)
    entity = _el(root, "object", **{f"{{{XSI}}}type": "premis:intellectualEntity"})
    _identifier(entity, "objectIdentifier", "UUID", str(recording.pk))
    _identifier(entity, "significantProperties", "title", recording.title)
    _identifier(entity, "significantProperties", "community", recording.community.name)
    for event in events:
        _identifier(entity, "linkingEventIdentifier", "UUID", str(event.pk))
    _identifier(entity, "linkingRightsStatementIdentifier", "local", _rights_id(recording, "protocols"))
    master = next((f for f in files if f.role == RecordingFile.Role.MASTER), None)
    for stored in files:
        _file_object(root, recording, stored, master, copies.get(stored.pk, []), steward)
    agents = {SOFTWARE: "software"}
    for event in events:
        _event(root, recording, event, agents)
    for name, kind in agents.items():
        agent = _el(root, "agent")
        _identifier(agent, "agentIdentifier", "local", name)
        _el(agent, "agentName", name)
        _el(agent, "agentType", kind)
        if kind == "software":
            _el(agent, "agentVersion", f"analyser {ANALYSER_VERSION}")
    _rights(root, recording)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)


def _file_object(root, recording, stored: RecordingFile, master, copies: list[FileCopy], steward: bool) -> None:
    obj = _el(root, "object", **{f"{{{XSI}}}type": "premis:file"})
    _identifier(obj, "objectIdentifier", "UUID", str(stored.pk))
    _el(_el(obj, "preservationLevel"), "preservationLevelValue",
        "master: bit-level, kept unchanged" if stored.role == "master" else "derivative: can be remade from the master")
    characteristics = _el(obj, "objectCharacteristics")
    _el(characteristics, "compositionLevel", "0")
    fixity = _el(characteristics, "fixity")
    _el(fixity, "messageDigestAlgorithm", "SHA-256")
    _el(fixity, "messageDigest", stored.sha256)
    _el(fixity, "messageDigestOriginator", SOFTWARE)
    _el(characteristics, "size", str(stored.size))
    designation = _el(_el(characteristics, "format"), "formatDesignation")
    _el(designation, "formatName", media_type(stored.container))
    if stored.role == "master" and stored.original_name and steward:
        _el(obj, "originalName", stored.original_name)
    if steward:
        storage = _el(obj, "storage")
        location = _el(storage, "contentLocation")
        _el(location, "contentLocationType", "primary storage name")
        _el(location, "contentLocationValue", stored.storage_name)
        _el(storage, "storageMedium", "primary storage")
        for copy in copies:
            storage = _el(obj, "storage")
            location = _el(storage, "contentLocation")
            _el(location, "contentLocationType", "replica storage name")
            _el(location, "contentLocationValue", f"{copy.location}:{stored.storage_name}")
            _el(storage, "storageMedium", f"replica {copy.location} ({'good' if copy.ok else 'failed its last check'}, "
                                          f"checked {copy.checked_at.isoformat()})")
    relationship = _el(obj, "relationship")
    _el(relationship, "relationshipType", "structural")
    _el(relationship, "relationshipSubType", "is included in")
    _identifier(relationship, "relatedObjectIdentifier", "UUID", str(recording.pk))
    if master is not None and stored.pk != master.pk:
        relationship = _el(obj, "relationship")
        _el(relationship, "relationshipType", "derivation")
        _el(relationship, "relationshipSubType", "has source")
        _identifier(relationship, "relatedObjectIdentifier", "UUID", str(master.pk))


def _event(root, recording, event, agents: dict) -> None:
    element = _el(root, "event")
    _identifier(element, "eventIdentifier", "UUID", str(event.pk))
    _el(element, "eventType", event.type)
    _el(element, "eventDateTime", event.at.isoformat())
    if event.detail:
        _el(_el(element, "eventDetailInformation"), "eventDetail", event.detail)
    _el(_el(element, "eventOutcomeInformation"), "eventOutcome", event.outcome)
    agent = event.agent_name or (SOFTWARE if not event.agent_id else "")
    if agent:
        kind = "software" if agent in (SOFTWARE, "songkeeper") else "person"
        agent = SOFTWARE if kind == "software" else agent
        agents.setdefault(agent, kind)
        link = _identifier(element, "linkingAgentIdentifier", "local", agent)
        _el(link, "linkingAgentRole", "executing program" if kind == "software" else "implementer")
    link = _identifier(element, "linkingObjectIdentifier", "UUID", str(recording.pk))
    _el(link, "linkingObjectRole", "source")


def _rights_id(recording, kind: str) -> str:
    return f"{recording.pk}/{kind}"


def _rights(root, recording) -> None:
    """The community's protocols (who may see the record, who may hear it, whether a model may
    learn from it), its licence text and each Local Contexts label, as rights statements."""
    rights = _el(root, "rights")
    statements = [("protocols", "community protocol",
                   f"record: {recording.record_protocol}; audio: {recording.media_protocol}; "
                   f"training: {recording.training_consent}")]
    statements += [(f"label/{label.code}", "Local Contexts label", label.name)
                   for label in recording.labels.all().order_by("code")]
    for kind, basis, note in statements:
        statement = _el(rights, "rightsStatement")
        _identifier(statement, "rightsStatementIdentifier", "local", _rights_id(recording, kind))
        _el(statement, "rightsBasis", "Other")
        other = _el(statement, "otherRightsInformation")
        _el(other, "otherRightsBasis", basis)
        _el(other, "otherRightsNote", note)
        _identifier(statement, "linkingObjectIdentifier", "UUID", str(recording.pk))
    if recording.rights:
        statement = _el(rights, "rightsStatement")
        _identifier(statement, "rightsStatementIdentifier", "local", _rights_id(recording, "license"))
        _el(statement, "rightsBasis", "License")
        _el(_el(statement, "licenseInformation"), "licenseTerms", recording.rights)
        _identifier(statement, "linkingObjectIdentifier", "UUID", str(recording.pk))
