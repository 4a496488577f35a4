"""/api/share-links/: stewards make, list and revoke time-limited share links; each link's uses."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ...models import ShareLink
from ...policy import communities_stewarded, viewer_for
from ...services.share_links import share_link_create, share_link_revoke
from .base import visible_recording_or_404


class ShareLinkUseSerializer(serializers.Serializer):
    kind = serializers.CharField()
    user = serializers.CharField(source="user.username", default=None)
    address = serializers.CharField(allow_null=True)
    detail = serializers.CharField()
    at = serializers.DateTimeField()


class ShareLinkSerializer(serializers.ModelSerializer):
    recording = serializers.UUIDField(source="recording_id", read_only=True)
    person = serializers.CharField(source="person.username", default=None, read_only=True)
    uses = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = ["id", "recording", "person", "until", "note", "created", "revoked_at", "uses"]

    def get_uses(self, obj) -> list[dict]:
        return ShareLinkUseSerializer(obj.uses.select_related("user")[:100], many=True).data


class ShareLinkInput(serializers.Serializer):
    recording = serializers.UUIDField()
    until = serializers.DateField()
    person = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="a username: only this person may use the link")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ShareLinkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ShareLinkSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        links = ShareLink.objects.select_related("recording", "person")
        if viewer_for(self.request.user).is_staff:
            return links
        return links.filter(recording__community__in=communities_stewarded(user=self.request.user))

    @extend_schema(request=ShareLinkInput, responses={201: ShareLinkSerializer})
    def create(self, request):
        """Make a link; the answer's `url` holds the token and is shown only now."""
        body = ShareLinkInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        recording = visible_recording_or_404(request, data["recording"])
        link, token = share_link_create(recording=recording, user=request.user, until=data["until"],
                                        person=data["person"], note=data["note"])
        out = ShareLinkSerializer(link).data
        out["url"] = request.build_absolute_uri(f"/share/{token}/")
        return Response(out, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ShareLinkSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return Response(ShareLinkSerializer(share_link_revoke(link=self.get_object(), user=request.user)).data)
