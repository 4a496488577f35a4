"""/api/harvest-sources/ and /api/candidates/: a community's stewards bring recordings home from
other archives and decide what each harvest proposes (archive/services/harvest.py). Anyone else
gets 404, as for what does not exist."""
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ...models import HarvestCandidate
from ...policy import harvest_sources_visible
from ...selectors import (
    candidate_or_404,
    candidates_for,
    harvest_source_or_404,
    harvest_source_summaries,
    recording_visible_or_404,
)
from ...services import harvest as services
from ...services.errors import ServiceError
from ..pagination import paginated_response
from ..serializers.harvest import (
    AcceptInput,
    FetchMediaInput,
    HarvestCandidateDetailSerializer,
    HarvestCandidateSerializer,
    HarvestSourceSerializer,
    MergeInput,
)


def _source_body(sources, *, many: bool):
    jobs, counts = harvest_source_summaries(sources if many else [sources])
    return HarvestSourceSerializer(sources, many=many, context={"jobs": jobs, "counts": counts}).data


class HarvestSources(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=HarvestSourceSerializer(many=True))
    def get(self, request):
        """The sources of the communities the caller stewards."""
        sources = harvest_sources_visible(user=request.user).select_related("community").order_by("community", "name")
        return paginated_response(request, self, sources, lambda page: _source_body(page, many=True))

    @extend_schema(request=HarvestSourceSerializer, responses={201: HarvestSourceSerializer})
    def post(self, request):
        """{"community", "name", "kind": "oai", "base_url", "metadata_prefix", "set_spec", "harvest_from"}
        or {"community", "name", "kind": "iiif", "manifest_urls": [...]}."""
        body = HarvestSourceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        source = services.harvest_source_create(community=data.pop("community"), data=data, user=request.user)
        return Response(_source_body(source, many=False), status=status.HTTP_201_CREATED)


class HarvestSourceDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=HarvestSourceSerializer)
    def get(self, request, pk):
        return Response(_source_body(harvest_source_or_404(user=request.user, pk=pk), many=False))


class HarvestSourceStart(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={202: HarvestSourceSerializer})
    def post(self, request, pk):
        """Harvest now (an interrupted harvest resumes where it stopped); 409 while one runs."""
        source = harvest_source_or_404(user=request.user, pk=pk)
        services.harvest_start(source=source, user=request.user)
        return Response(_source_body(source, many=False), status=status.HTTP_202_ACCEPTED)


class Candidates(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=HarvestCandidateSerializer(many=True))
    def get(self, request):
        """?source=, ?state= (proposed, accepted, merged, rejected), ?changed=1 (changed at the source)."""
        source = request.query_params.get("source")
        state = request.query_params.get("state") or None
        if state and state not in HarvestCandidate.State.values:
            raise ServiceError(gettext("state must be one of %(states)s") % {
                "states": ", ".join(HarvestCandidate.State.values)}, field="state")
        changed = request.query_params.get("changed")
        found = candidates_for(user=request.user, state=state,
                               source=harvest_source_or_404(user=request.user, pk=source) if source else None,
                               changed=None if changed is None else changed in ("1", "true", "yes"))
        return paginated_response(request, self, found.order_by("source", "identifier"),
                          lambda page: HarvestCandidateSerializer(page, many=True).data)


class CandidateDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=HarvestCandidateDetailSerializer)
    def get(self, request, pk):
        """One candidate with the record as the source sent it."""
        return Response(HarvestCandidateDetailSerializer(candidate_or_404(user=request.user, pk=pk)).data)


class CandidateAccept(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AcceptInput, responses={201: HarvestCandidateSerializer})
    def post(self, request, pk):
        """A new recording of the community (a draft; members only unless chosen otherwise)."""
        candidate = candidate_or_404(user=request.user, pk=pk)
        body = AcceptInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.candidate_accept(candidate=candidate, user=request.user, **body.validated_data)
        candidate.refresh_from_db()
        return Response(HarvestCandidateSerializer(candidate).data, status=status.HTTP_201_CREATED)


class CandidateMerge(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=MergeInput, responses=HarvestCandidateSerializer)
    def post(self, request, pk):
        """Fill the blanks of a recording the community holds; its own words stay."""
        candidate = candidate_or_404(user=request.user, pk=pk)
        body = MergeInput(data=request.data)
        body.is_valid(raise_exception=True)
        recording = recording_visible_or_404(user=request.user, pk=body.validated_data["recording"])
        services.candidate_merge(candidate=candidate, recording=recording, user=request.user)
        candidate.refresh_from_db()
        return Response(HarvestCandidateSerializer(candidate).data)


class CandidateReject(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=HarvestCandidateSerializer)
    def post(self, request, pk):
        """Not wanted: kept as rejected, never proposed again."""
        candidate = services.candidate_reject(candidate=candidate_or_404(user=request.user, pk=pk), user=request.user)
        return Response(HarvestCandidateSerializer(candidate).data)


class CandidateAcknowledge(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=HarvestCandidateSerializer)
    def post(self, request, pk):
        """The steward has seen what changed at the source."""
        candidate = services.candidate_acknowledge(candidate=candidate_or_404(user=request.user, pk=pk),
                                                   user=request.user)
        return Response(HarvestCandidateSerializer(candidate).data)


class CandidateFetchMedia(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=FetchMediaInput, responses={202: FetchMediaInput})
    def post(self, request, pk):
        """Copy the audio the source offers into the candidate's recording (a job). Under a licence
        that is not open, {"rights_confirmed": true} records the steward's word that the community
        holds the right."""
        candidate = candidate_or_404(user=request.user, pk=pk)
        body = FetchMediaInput(data=request.data)
        body.is_valid(raise_exception=True)
        job = services.candidate_fetch_media(candidate=candidate, user=request.user,
                                             rights_confirmed=body.validated_data["rights_confirmed"])
        return Response({"job": str(job.pk), "rights_confirmed": body.validated_data["rights_confirmed"]},
                        status=status.HTTP_202_ACCEPTED)
