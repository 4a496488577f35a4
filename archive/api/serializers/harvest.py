"""Harvest sources and their candidates (stewards only: archive/policy.py decides who reads them)."""
from rest_framework import serializers

from ...labels import LABELS
from ...models import Collection, Community, HarvestCandidate, HarvestSource, Recording, Tradition
from .fields import ProtocolField


class HarvestSourceSerializer(serializers.ModelSerializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    job = serializers.SerializerMethodField()
    candidates = serializers.SerializerMethodField()

    class Meta:
        model = HarvestSource
        fields = ["id", "community", "name", "kind", "base_url", "metadata_prefix", "set_spec", "harvest_from",
                  "harvest_until", "manifest_urls", "position", "last_started", "last_completed", "job", "candidates", "created"]
        read_only_fields = ["position", "last_started", "last_completed", "job", "candidates", "created"]

    def get_job(self, source) -> dict | None:
        job = self.context.get("jobs", {}).get(source.job_id)
        if job is None:
            return None
        return {"id": str(job.pk), "state": job.state, "progress": job.progress, "message": job.message,
                "error": job.error}

    def get_candidates(self, source) -> dict:
        return self.context.get("counts", {}).get(source.pk, {})


class HarvestCandidateSerializer(serializers.ModelSerializer):
    source = serializers.PrimaryKeyRelatedField(read_only=True)
    title = serializers.CharField(read_only=True)

    class Meta:
        model = HarvestCandidate
        fields = ["id", "source", "identifier", "title", "url", "datestamp", "fields", "licence", "media_url",
                  "deleted_at_source", "state", "recording", "source_changed", "decided_at", "first_seen",
                  "last_seen"]
        read_only_fields = fields


class HarvestCandidateDetailSerializer(HarvestCandidateSerializer):
    class Meta(HarvestCandidateSerializer.Meta):
        fields = [*HarvestCandidateSerializer.Meta.fields, "raw", "raw_format"]
        read_only_fields = fields


class AcceptInput(serializers.Serializer):
    """What the steward decides when a candidate becomes a recording; nothing is public by default."""

    tradition = serializers.PrimaryKeyRelatedField(queryset=Tradition.objects.all())
    record_protocol = ProtocolField(level_attr="record_protocol", custom_attr="record_custom_protocol", required=False)
    media_protocol = ProtocolField(level_attr="media_protocol", custom_attr="media_custom_protocol", required=False)
    labels = serializers.ListField(child=serializers.ChoiceField(choices=[code for code, *_ in LABELS]),
                                   required=False, default=list)
    training_consent = serializers.ChoiceField(choices=Recording.Consent.choices, default=Recording.Consent.NOT_ALLOWED)
    collection = serializers.PrimaryKeyRelatedField(queryset=Collection.objects.all(), required=False, allow_null=True)


class MergeInput(serializers.Serializer):
    recording = serializers.UUIDField()


class FetchMediaInput(serializers.Serializer):
    rights_confirmed = serializers.BooleanField(default=False)
