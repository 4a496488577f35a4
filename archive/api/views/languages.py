"""/api/languages/?q=: ISO 639-3 languages by code or name, in the reader's language where known
(the recording form's picker). Reference data only: nothing of the archive's records."""
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ...languages import languages_matching


class LanguagesView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("q", str, description="a code or part of a name")],
                   responses={200: dict})
    def get(self, request):
        query = str(request.query_params.get("q", ""))[:60]
        return Response({"results": languages_matching(query, language=(get_language() or "en").split("-")[0])})
