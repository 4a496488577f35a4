"""The official schemas in ../shared/schemas (OLAC 1.1, oai_dc, MusicXML 4.0, PREMIS 3.0, IIIF
Presentation 3.0), compiled offline through their XML catalog: one assertion per format, so that
every test that makes one of these documents can hold it to the published schema."""
import json
import os
from functools import cache
from pathlib import Path

import pytest

SCHEMAS = Path(__file__).resolve().parent.parent.parent / "shared" / "schemas"
XSD = {"oai_dc": "oai-pmh-2.0/oai_dc.xsd", "olac": "olac-1.1/olac.xsd", "musicxml": "musicxml-4.0/musicxml.xsd",
       "premis": "premis-3.0/premis.xsd"}
# libxml2 reads the catalog once, at its first external load: set it before any schema is compiled
os.environ.setdefault("XML_CATALOG_FILES", str(SCHEMAS / "catalog.xml"))


def _require() -> None:
    if not (SCHEMAS / "catalog.xml").exists():
        pytest.fail(f"the official schemas are missing: {SCHEMAS} (../shared/schemas beside the repository)")


@cache
def xml_schema(kind: str):
    from lxml import etree

    _require()
    return etree.XMLSchema(etree.parse(str(SCHEMAS / XSD[kind])))


def assert_valid_xml(kind: str, document) -> None:
    """``document``: bytes or an lxml element; fails with the schema's first errors."""
    from lxml import etree

    root = etree.fromstring(document) if isinstance(document, bytes) else document
    schema = xml_schema(kind)
    assert schema.validate(root), f"not valid {kind}: " + "; ".join(str(e) for e in list(schema.error_log)[:3])


@cache
def _iiif_validator():
    import jsonschema

    _require()
    schema = json.loads((SCHEMAS / "iiif-presentation-3" / "iiif_3_0.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def assert_valid_iiif(document: dict) -> None:
    errors = sorted(_iiif_validator().iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "not valid IIIF Presentation 3: " + "; ".join(
        f"{'/'.join(map(str, e.path))}: {e.message[:200]}" for e in errors[:3])
