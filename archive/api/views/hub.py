"""/api/hub-projects/: a community's Local Contexts Hub projects (its stewards only): link one by
its id, read it again, and apply its labels to recordings (archive/services/hub.py)."""
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ...policy import hub_projects_visible
from ...selectors import hub_project_or_404
from ...services import hub as services
from ..pagination import paginated_response
from ..serializers.hub import ApplyInput, HubProjectSerializer


class HubProjects(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=HubProjectSerializer(many=True))
    def get(self, request):
        rows = hub_projects_visible(user=request.user).order_by("community", "title", "created")
        return paginated_response(request, self, rows, lambda page: HubProjectSerializer(page, many=True).data)

    @extend_schema(request=HubProjectSerializer, responses={201: HubProjectSerializer})
    def post(self, request):
        """{"community": id, "project_id": the Hub's unique_id}: linked, and a job reads it."""
        body = HubProjectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.hub_project_link(community=body.validated_data["community"],
                                            project_id=body.validated_data["project_id"], user=request.user)
        return Response(HubProjectSerializer(project).data, status=status.HTTP_201_CREATED)


class HubProjectDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=HubProjectSerializer)
    def get(self, request, pk):
        return Response(HubProjectSerializer(hub_project_or_404(user=request.user, pk=pk)).data)


class HubProjectRefresh(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={202: HubProjectSerializer})
    def post(self, request, pk):
        """Read the project from the Hub again now (beat does it daily)."""
        project = hub_project_or_404(user=request.user, pk=pk)
        services.hub_refresh_start(project=project, user=request.user)
        return Response(HubProjectSerializer(project).data, status=status.HTTP_202_ACCEPTED)


class HubProjectApply(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ApplyInput, responses={200: ApplyInput})
    def post(self, request, pk):
        """{"labels": [codes], "recordings": [ids]} or {"labels", "collection"}: the labels added."""
        project = hub_project_or_404(user=request.user, pk=pk)
        body = ApplyInput(data=request.data)
        body.is_valid(raise_exception=True)
        changed = services.hub_labels_apply(project=project, codes=body.validated_data["labels"], user=request.user,
                                            recordings=body.validated_data.get("recordings"),
                                            collection=body.validated_data.get("collection"))
        return Response({"changed": changed})
