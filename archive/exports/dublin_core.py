"""Simple Dublin Core for a recording (the oai_dc element set), shared by BagIt export and OAI-PMH."""
from lxml import etree as ET

from ..models import Recording

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


MEDIA_TYPES = {"wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg", "ogg": "audio/ogg", "aiff": "audio/aiff",
               "m4a": "audio/mp4", "json": "application/json"}


def media_type(container: str) -> str:
    """A stored file's media type from its container (the ingest's identification)."""
    return MEDIA_TYPES.get(container, "audio" if container else "application/octet-stream")


def dublin_core_fields(recording: Recording, *, base_url: str = "") -> list[tuple[str, str]]:
    """(element, value) pairs, in a stable order."""
    fields = [("title", recording.title)]
    fields += [("title", alt) for alt in recording.alt_titles]
    for credit in recording.credits.select_related("person"):
        fields.append(("creator" if credit.role == "performer" else "contributor", f"{credit.person.name} ({credit.role})"))
    fields += [("subject", recording.tradition.name)]
    if recording.genre:
        fields.append(("subject", recording.genre))
    fields += [("subject", i.name) for i in recording.instruments.all()]
    if recording.description:
        fields.append(("description", recording.description))
    fields.append(("publisher", recording.community.name))
    if recording.date:
        fields.append(("date", recording.date))
    fields.append(("type", "Sound"))
    master = recording.files.filter(role="master").first()
    if master is not None:
        fields.append(("format", media_type(master.container)))
    fields.append(("identifier", f"{base_url}/recordings/{recording.pk}/" if base_url else f"urn:uuid:{recording.pk}"))
    fields += [("language", lang.code) for lang in recording.languages.all()]
    if recording.place is not None:
        fields.append(("coverage", str(recording.place)))
    if recording.rights:
        fields.append(("rights", recording.rights))
    return fields


def dublin_core_element(recording: Recording, *, base_url: str = "") -> ET.Element:
    root = ET.Element(f"{{{OAI_DC}}}dc", {
        f"{{{XSI}}}schemaLocation": f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"},
        nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    for name, value in dublin_core_fields(recording, base_url=base_url):
        ET.SubElement(root, f"{{{DC}}}{name}").text = value
    return root


def dublin_core_xml(recording: Recording, *, base_url: str = "") -> bytes:
    return ET.tostring(dublin_core_element(recording, base_url=base_url), encoding="utf-8", xml_declaration=True)
