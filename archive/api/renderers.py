"""Renderers for API answers that are documents of a standard rather than JSON (PREMIS 3 XML):
chosen with ?format=..., they pass the document's bytes through. An error on such a request
(an unseen recording, bad input) is still answered as JSON, as every API error is."""
import json

from rest_framework.renderers import BaseRenderer


class PremisRenderer(BaseRenderer):
    media_type = "application/xml"
    format = "premis"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data).encode()
