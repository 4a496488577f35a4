"""An OAI-PMH record (OLAC 1.1 or oai_dc) mapped to the archive's fields. OLAC says more: ISO
639-3 codes and roles in attributes, places as ISO 3166 codes; plain Dublin Core says it in text
("Jane Doe (performer)", "Greek"), which is read as well as it can be."""
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from lxml import etree as ET
from sickle import Sickle, oaiexceptions
from sickle.iterator import OAIResponseIterator
from sickle.response import OAIResponse

from . import fields as F
from .polite import PoliteClient

OAI = "http://www.openarchives.org/OAI/2.0/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
OLAC = "http://www.language-archives.org/OLAC/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NAMED_ROLE = re.compile(r"^(?P<name>.+?)\s*\((?P<role>[^()]+)\)$")


@dataclass
class HarvestedRecord:
    identifier: str
    datestamp: str
    deleted: bool
    fields: dict
    raw: str


@dataclass
class Page:
    records: list[HarvestedRecord]
    next_token: str | None  # asks for the page after this one; None after the last
    total: int | None  # the source's completeListSize, where it says


class SourceError(Exception):
    """The source answered, but not with what a harvest can use (an OAI-PMH error, not XML)."""


class ExpiredToken(SourceError):
    """The saved resumption token is no longer good: the harvest starts again (it is idempotent)."""


class _ParsedOnce(OAIResponse):
    """Sickle's answer, its XML parsed on first use and kept (Sickle parses it again on every
    access of ``.xml``, and its iterator reads it several times a page)."""

    @cached_property
    def xml(self):
        return OAIResponse.xml.fget(self)


class _PoliteSickle(Sickle):
    """Sickle's requests go through the polite client (one at a time per host, retries)."""

    def __init__(self, endpoint: str, client: PoliteClient):
        super().__init__(endpoint, iterator=OAIResponseIterator)
        self.client = client

    def harvest(self, **kwargs):
        response = self.client.get(self.endpoint, params=kwargs)
        if response.status_code >= 400:
            raise SourceError(f"the source answered HTTP {response.status_code}")
        answer = _ParsedOnce(response, params=kwargs)
        if answer.xml is None:
            raise SourceError("the source's answer is not XML")
        return answer


def record_pages(base_url: str, *, client: PoliteClient, prefix: str, set_spec: str = "", since: str = "",
                 until: str = "", token: str = "") -> Iterator[Page]:
    """ListRecords page by page, from the start (``since`` and ``until`` as ``from`` and ``until``)
    or from a saved resumption token. No records matching is an empty harvest, not an error."""
    sickle = _PoliteSickle(base_url, client)
    params = {"resumptionToken": token} if token else {"metadataPrefix": prefix}
    if not token and set_spec:
        params["set"] = set_spec
    if not token and since:
        params["from"] = since
    if not token and until:
        params["until"] = until
    try:
        responses = sickle.ListRecords(**params)
        for response in responses:
            resumption = responses.resumption_token
            total = resumption.complete_list_size if resumption is not None else None
            records = [record_from_xml(r) for r in response.xml.iterfind(f".//{{{OAI}}}record")]
            yield Page(records=records, next_token=(resumption.token or None) if resumption is not None else None,
                       total=int(total) if total and str(total).isdigit() else None)
    except oaiexceptions.NoRecordsMatch:
        return
    except oaiexceptions.BadResumptionToken as exc:
        raise ExpiredToken(f"the source no longer knows the saved position: {exc}") from exc
    except (oaiexceptions.BadArgument, oaiexceptions.BadVerb, oaiexceptions.CannotDisseminateFormat,
            oaiexceptions.NoSetHierarchy, oaiexceptions.OAIError) as exc:
        raise SourceError(f"{type(exc).__name__}: {exc}") from exc


def record_from_xml(record: ET._Element) -> HarvestedRecord:
    """One <record> of a ListRecords or GetRecord answer."""
    header = record.find(f"{{{OAI}}}header")
    identifier = (header.findtext(f"{{{OAI}}}identifier") or "").strip()
    datestamp = (header.findtext(f"{{{OAI}}}datestamp") or "").strip()
    deleted = header.get("status") == "deleted"
    metadata = record.find(f"{{{OAI}}}metadata")
    mapped = map_metadata(metadata[0]) if metadata is not None and len(metadata) else F.finish(F.empty())
    return HarvestedRecord(identifier=identifier, datestamp=datestamp, deleted=deleted, fields=mapped,
                           raw=ET.tostring(record, encoding="unicode"))


def _xsi_type(element) -> str:
    return (element.get(f"{{{XSI}}}type") or "").split(":")[-1]


def map_metadata(root: ET._Element) -> dict:
    """The dc:* and dcterms:* children of an olac:olac or oai_dc:dc element."""
    out = F.empty()
    for element in root:
        if not isinstance(element.tag, str):
            continue
        namespace, _, name = element.tag[1:].partition("}")
        if namespace not in (DC, DCTERMS):
            continue
        text = " ".join((element.text or "").split())
        kind, code = _xsi_type(element), element.get(f"{{{OLAC}}}code") or ""
        _take(out, name, text, kind, code)
    return F.finish(out)


def _take(out: dict, name: str, text: str, kind: str, code: str) -> None:  # noqa: C901 (one branch per element)
    if name == "title" and text and not out["title"]:
        out["title"] = text
    elif name in ("title", "alternative") and text:
        out["alt_titles"].append(text)
    elif name in ("creator", "contributor") and text:
        matched = NAMED_ROLE.match(text)
        if kind == "role":
            out["people"].append({"name": text, "role": F.role(code)})
        elif matched:
            out["people"].append({"name": matched["name"], "role": F.role(matched["role"])})
        else:
            out["people"].append({"name": text, "role": "performer" if name == "creator" else "collector"})
    elif name == "language":
        found = F.language_code(code or text)
        if found:
            out["languages"].append(found)
        elif text or code:
            out["other"].append(f"language: {text or code}")
    elif name == "subject":
        if kind == "language":
            found = F.language_code(code or text)
            if found:
                out["languages"].append(found)
        elif text:
            out["subjects"].append(text)
    elif name in ("description", "abstract", "tableOfContents") and text:
        out["description"] = f"{out['description']}\n\n{text}".strip()
    elif name in ("date", "created") and text and not out["date"]:
        out["date"] = F.partial_date(text)
    elif name == "spatial" and kind == "ISO3166":
        found = F.country_code(text)
        if found:
            out["countries"].append(found)
    elif name in ("coverage", "spatial") and text:
        out["places"].append(text)
    elif name in ("rights", "accessRights") and text:
        out["rights"] = f"{out['rights']}\n{text}".strip()
    elif name == "license" and text:
        out["licence"] = text
    elif name == "publisher" and text:
        out["publisher"] = text
    elif name in ("identifier", "relation", "hasFormat", "source", "isFormatOf") and text:
        if F.is_audio_url(text):
            out["media_url"] = out["media_url"] or text
        elif text.startswith(("http://", "https://")) and name == "identifier" and not out["url"]:
            out["url"] = text
        else:
            out["other"].append(f"{name}: {text}")
    elif text:
        out["other"].append(f"{name}: {text}")
