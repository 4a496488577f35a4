"""/api/proposals/ and /api/access-requests/: what stewards decide."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ...selectors import access_requests_visible, proposals_visible
from ...services.access_requests import access_request_create, access_request_decide
from ...services.proposals import proposal_create, proposal_decide
from ..serializers.contributions import AccessRequestSerializer, DecisionInput, ProposalSerializer
from ..serializers.recordings import validate_change
from .base import visible_recording_or_404


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProposalSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "recording"]

    def get_queryset(self):
        return proposals_visible(user=self.request.user).select_related("proposer", "decided_by")

    @extend_schema(request=ProposalSerializer, responses={201: ProposalSerializer})
    def create(self, request):
        """Propose a change: {"recording": id, "changes": {field: value}, "comment": "..."}."""
        recording = visible_recording_or_404(request, request.data.get("recording"))
        changes = request.data.get("changes") or {}
        validate_change(recording, changes)
        proposal = proposal_create(recording=recording, data={"_raw": changes}, user=request.user,
                                   comment=str(request.data.get("comment", "")))
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, approve: bool):
        proposal = self.get_object()
        body = DecisionInput(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = proposal_decide(proposal_id=proposal.pk, user=request.user, approve=approve,
                                   reason=body.validated_data["reason"], validate=validate_change)
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(request=DecisionInput, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, True)

    @extend_schema(request=DecisionInput, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, False)


class AccessRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AccessRequestSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "recording"]

    def get_queryset(self):
        return access_requests_visible(user=self.request.user).select_related("requester", "decided_by")

    @extend_schema(request=AccessRequestSerializer, responses={201: AccessRequestSerializer})
    def create(self, request):
        recording = visible_recording_or_404(request, request.data.get("recording"))
        req = access_request_create(recording=recording, user=request.user, message=str(request.data.get("message", "")))
        return Response(AccessRequestSerializer(req).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, grant: bool):
        req = self.get_object()
        body = DecisionInput(data=request.data)
        body.is_valid(raise_exception=True)
        req = access_request_decide(request_id=req.pk, user=request.user, grant=grant,
                                    until=body.validated_data["until"], reason=body.validated_data["reason"])
        return Response(AccessRequestSerializer(req).data)

    @extend_schema(request=DecisionInput, responses=AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def grant(self, request, pk=None):
        return self._decide(request, True)

    @extend_schema(request=DecisionInput, responses=AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def deny(self, request, pk=None):
        return self._decide(request, False)
