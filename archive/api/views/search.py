"""/api/search/: full text plus the recording filters, hits with snippets and annotation
moments, and facet counts over what the caller may see."""
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ...models import Recording
from ...policy import recordings_visible
from ...search.query import facets, search, with_snippets
from ..filters import RecordingFilter


def run_search(request, params) -> dict:
    filtered = RecordingFilter({k: v for k, v in params.items() if k != "q"},
                               queryset=recordings_visible(user=request.user), request=request)
    if not filtered.is_valid():
        from rest_framework.exceptions import ValidationError

        raise ValidationError(filtered.errors)
    found = search(user=request.user, query=params.get("q", ""), recordings=filtered.qs)
    return found


def hit_json(hit: dict, recordings: dict) -> dict:
    r = recordings[hit["recording"]]
    out = {"type": hit["type"], "score": hit["score"], "snippet": hit.get("snippet", ""),
           "recording": {"id": str(r.pk), "title": r.title, "tradition": r.tradition.name, "community": r.community.name,
                         "date": r.date},
           "link": f"/recordings/{r.pk}/"}
    if hit["type"] == "annotation":
        out.update(annotation=str(hit["annotation"]), start=hit["start"], link=f"/recordings/{r.pk}/#t={hit['start']:g}")
    return out


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("limit", int),
                               OpenApiParameter("offset", int)], responses={200: dict})
    def get(self, request):
        found = run_search(request, request.query_params)
        try:
            limit = max(1, min(200, int(request.query_params.get("limit", 50))))
            offset = max(0, int(request.query_params.get("offset", 0)))
        except ValueError:
            from ...services.errors import ServiceError

            raise ServiceError(gettext("limit and offset must be whole numbers"), field="limit") from None
        page = with_snippets(found["hits"][offset:offset + limit], found["terms"])
        recordings = Recording.objects.select_related("tradition", "community").in_bulk([h["recording"] for h in page])
        return Response({
            "count": len(found["hits"]), "terms": found["terms"],
            "results": [hit_json(h, recordings) for h in page],
            "facets": facets(user=request.user, recording_ids=found["recording_ids"]),
        })
