"""Narratives, annotations, proposals, access requests, events and history."""
from rest_framework import serializers

from ...models import AccessRequest, Annotation, Community, Narrative, PreservationEvent, Proposal
from .fields import ProtocolField


class NarrativeSerializer(serializers.ModelSerializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    community_name = serializers.CharField(source="community.name", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True, default=None)
    language = serializers.RegexField(r"^[a-z]{3}$", required=False, allow_blank=True)

    class Meta:
        model = Narrative
        fields = ["id", "community", "community_name", "title", "text", "language", "author", "created"]
        read_only_fields = ["id", "created"]


class AnnotationSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, default=None)
    protocol = ProtocolField(level_attr="protocol", custom_attr="custom_protocol", required=False)
    language = serializers.RegexField(r"^[a-z]{3}$", required=False, allow_blank=True)
    start = serializers.FloatField(min_value=0)
    end = serializers.FloatField(min_value=0)

    class Meta:
        model = Annotation
        fields = ["id", "recording", "start", "end", "body", "language", "protocol", "content_warning", "author",
                  "created", "modified"]
        read_only_fields = ["id", "recording", "author", "created", "modified"]

    def validate(self, attrs):
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError({"end": "end must not be before start"})
        return attrs


class ProposalSerializer(serializers.ModelSerializer):
    proposer = serializers.CharField(source="proposer.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)

    class Meta:
        model = Proposal
        fields = ["id", "recording", "proposer", "changes", "comment", "status", "decided_by", "decided_at",
                  "reason", "created"]
        read_only_fields = fields


class DecisionInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    until = serializers.DateField(required=False, allow_null=True, default=None)


class AccessRequestSerializer(serializers.ModelSerializer):
    requester = serializers.CharField(source="requester.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)

    class Meta:
        model = AccessRequest
        fields = ["id", "recording", "requester", "message", "status", "until", "decided_by", "decided_at",
                  "reason", "created"]
        read_only_fields = ["id", "requester", "status", "until", "decided_by", "decided_at", "reason", "created"]


class EventSerializer(serializers.ModelSerializer):
    agent = serializers.CharField(source="agent_name")

    class Meta:
        model = PreservationEvent
        fields = ["id", "type", "at", "agent", "outcome", "detail"]
        read_only_fields = fields


class HistoryChange(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntry(serializers.Serializer):
    at = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    type = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    changes = HistoryChange(many=True)
