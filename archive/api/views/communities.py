"""/api/communities/, members and protocols; /api/traditions/; /api/collections/."""
from django.utils.text import slugify
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from ...models import Community, Membership
from ...policy import is_steward, may_add_tradition, may_change_tradition, viewer_for
from ...selectors import collections_with_counts, communities_with_counts, traditions_with_counts
from ...services import communities as svc
from ..serializers.community import (
    CollectionSerializer,
    CommunityInput,
    CommunityOutput,
    MemberSerializer,
    ProtocolInput,
    ProtocolOutput,
    TraditionSerializer,
)


class CommunityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CommunityOutput
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_fields = ["slug"]

    def get_queryset(self):
        return communities_with_counts(user=self.request.user).prefetch_related("protocols").order_by("name")

    @extend_schema(request=CommunityInput, responses=CommunityOutput)
    def create(self, request):
        data = CommunityInput(data=request.data)
        data.is_valid(raise_exception=True)
        community = svc.community_create(creator=request.user, **data.validated_data)
        return Response(CommunityOutput(community).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommunityInput, responses=CommunityOutput)
    def partial_update(self, request, pk=None):
        community = self.get_object()
        data = CommunityInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        svc.community_update(community=community, user=request.user, **data.validated_data)
        return Response(CommunityOutput(community).data)

    @extend_schema(request=MemberSerializer, responses=MemberSerializer(many=True))
    @action(detail=True, methods=["get", "post", "delete"])
    def members(self, request, pk=None):
        """Members and roles: stewards and staff only (a membership list is the community's business)."""
        community = self.get_object()
        if not is_steward(user=request.user, community_id=community.pk):
            raise PermissionDenied(gettext("only the community's stewards may see or change its members"))
        if request.method == "POST":
            body = MemberSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            svc.membership_set(community=community, username=body.validated_data["user"]["username"],
                               role=body.validated_data["role"], by=request.user)
        elif request.method == "DELETE":
            svc.membership_remove(community=community, username=str(request.data.get("username")
                                  or request.query_params.get("username", "")), by=request.user)
        memberships = Membership.objects.filter(community=community).select_related("user")
        return Response(MemberSerializer(memberships, many=True).data,
                        status=status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK)

    @extend_schema(request=ProtocolInput, responses=ProtocolOutput(many=True))
    @action(detail=True, methods=["get", "post"])
    def protocols(self, request, pk=None):
        """A community's own protocols; members are listed only to its stewards."""
        community = self.get_object()
        if request.method == "POST":
            body = ProtocolInput(data=request.data)
            body.is_valid(raise_exception=True)
            protocol = svc.protocol_create(community=community, by=request.user,
                                           name=body.validated_data["name"],
                                           description=body.validated_data.get("description", ""),
                                           translations=body.validated_data.get("translations", {}),
                                           usernames=body.validated_data.get("members", []))
            return Response(ProtocolOutput(protocol).data, status=status.HTTP_201_CREATED)
        data = ProtocolOutput(community.protocols.prefetch_related("members"), many=True).data
        if not is_steward(user=request.user, community_id=community.pk):
            for row in data:
                row["members"] = []
        return Response(data)


class TraditionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = TraditionSerializer
    filterset_fields = ["slug", "communities"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return traditions_with_counts(user=self.request.user).prefetch_related("communities").order_by("name")

    def perform_create(self, serializer):
        viewer = viewer_for(self.request.user)
        if not (viewer.is_staff or viewer.steward_of):
            raise PermissionDenied(gettext("only stewards and staff may add traditions"))
        if not may_add_tradition(user=self.request.user, custodians=serializer.validated_data.get("communities", [])):
            raise PermissionDenied(gettext("you may name as custodians only communities you steward"))

        slug = serializer.validated_data.get("slug") or slugify(serializer.validated_data["name"], allow_unicode=True)
        serializer.save(slug=slug)

    def perform_update(self, serializer):
        if not may_change_tradition(user=self.request.user, tradition=serializer.instance):
            raise PermissionDenied(gettext("only stewards of a custodial community may change a tradition"))
        serializer.save()


class CollectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = CollectionSerializer
    filterset_fields = ["community"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return collections_with_counts(user=self.request.user).order_by("title")

    def _require_steward(self, community: Community):
        if not is_steward(user=self.request.user, community_id=community.pk):
            raise PermissionDenied(gettext("only the community's stewards may curate its collections"))

    def perform_create(self, serializer):
        self._require_steward(serializer.validated_data["community"])
        serializer.save()

    def perform_update(self, serializer):
        self._require_steward(serializer.instance.community)
        if "community" in serializer.validated_data:
            self._require_steward(serializer.validated_data["community"])
        serializer.save()


