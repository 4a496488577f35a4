"""/api/search/: full text plus the recording filters, hits with snippets and annotation
moments, and facet counts over what the caller may see (archive/search/catalogue.py decides)."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ...search.catalogue import Page, search


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("limit", int),
                               OpenApiParameter("offset", int)], responses={200: dict})
    def get(self, request):
        params = request.query_params
        found = search(request.user, params.get("q", ""), params.dict(), Page.from_params(params))
        return Response({"count": found.total, "terms": found.terms, "results": found.hits, "facets": found.facets})
