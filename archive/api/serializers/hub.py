"""A community's Local Contexts Hub projects and the labels they bring (stewards only)."""
from rest_framework import serializers

from ...models import Collection, Community, HubProject, LabelRule


class HubProjectSerializer(serializers.ModelSerializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    labels = serializers.SerializerMethodField()

    class Meta:
        model = HubProject
        fields = ["id", "community", "project_id", "title", "api_version", "fetched_at", "error", "job_id", "labels",
                  "data", "created"]
        read_only_fields = ["title", "api_version", "fetched_at", "error", "job_id", "labels", "data", "created"]

    def get_labels(self, project) -> list[dict]:
        return [{"code": rule.label_id, "name": rule.name, "text": rule.text, "translations": rule.translations,
                 "image": bool(rule.image)} for rule in LabelRule.objects.filter(hub_project=project).order_by("label_id")]


class ApplyInput(serializers.Serializer):
    labels = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    recordings = serializers.ListField(child=serializers.UUIDField(), required=False)
    collection = serializers.PrimaryKeyRelatedField(queryset=Collection.objects.all(), required=False)
