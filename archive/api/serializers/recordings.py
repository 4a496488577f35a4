"""Recording shapes: what the API returns, and what it accepts to create or change one."""
from django.utils.translation import gettext
from rest_framework import serializers

from ...dates import parse_partial_date
from ...models import Collection, Community, Label, Recording, Tradition
from ...selectors import attribution_texts
from ...warnings import recording_warnings
from .fields import PersonCreditSerializer, PlaceSerializer, ProtocolField


class RecordingOutput(serializers.ModelSerializer):
    tradition = serializers.UUIDField(source="tradition_id")
    community = serializers.UUIDField(source="community_id")
    collection = serializers.UUIDField(source="collection_id", allow_null=True)
    people = serializers.SerializerMethodField()
    instruments = serializers.SerializerMethodField()
    place = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    record_protocol = ProtocolField(level_attr="record_protocol", custom_attr="record_custom_protocol")
    media_protocol = ProtocolField(level_attr="media_protocol", custom_attr="media_custom_protocol")
    labels = serializers.SerializerMethodField()
    attribution = serializers.SerializerMethodField()
    analysis = serializers.SerializerMethodField()
    media = serializers.SerializerMethodField()
    content_warnings = serializers.SerializerMethodField()

    class Meta:
        model = Recording
        fields = [
            "id", "title", "alt_titles", "description", "tradition", "community", "collection", "people",
            "instruments", "place", "languages", "date", "rights", "genre", "status", "record_protocol",
            "media_protocol", "labels", "attribution", "training_consent", "tonic_hz", "tempo_bpm",
            "duration_seconds", "media", "analysis", "content_warnings", "created", "modified",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        """Tonic and tempo come from the audio: like the analysis, only for callers who may hear it."""
        data = super().to_representation(instance)
        if instance.pk not in self.context.get("audible", ()):
            data["tonic_hz"] = data["tempo_bpm"] = None
        return data

    def get_people(self, obj) -> list[dict]:
        return [{"name": c.person.name, "role": c.role} for c in obj.credits.all()]

    def get_instruments(self, obj) -> list[str]:
        return [i.name for i in obj.instruments.all()]

    def get_place(self, obj) -> dict | None:
        p = obj.place
        return None if p is None else {"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon}

    def get_languages(self, obj) -> list[str]:
        return [lang.code for lang in obj.languages.all()]

    def get_labels(self, obj) -> list[str]:
        return [link.label_id for link in obj.label_links.all()]

    def get_attribution(self, obj) -> list[str]:
        """The Attribution texts the community bound to this recording's labels."""
        return attribution_texts(recording=obj)

    def get_content_warnings(self, obj) -> list[str]:
        """Warnings to show before the recording: the community's own, and for people who have died."""
        return recording_warnings(obj)

    def get_media(self, obj) -> list[dict]:
        """The stored master and access copy: format, size and sha256 (the bytes need media access)."""
        return [
            {"role": f.role, "sha256": f.sha256, "size": f.size, "format": f.container, "codec": f.codec,
             "sample_rate": f.sample_rate, "channels": f.channels, "bit_depth": f.bit_depth, "duration": f.duration}
            for f in obj.files.all() if f.role in ("master", "access")
        ]

    def get_analysis(self, obj) -> dict | None:
        """A short summary of the current analysis, for callers who may hear the recording."""
        if obj.pk not in self.context.get("audible", ()):
            return None
        current = getattr(obj, "current_analyses", None)
        analysis = current[0] if current else None
        if analysis is None:
            return None
        return {"version": analysis.version, "tonic_hz": analysis.tonic_hz, "tonic_method": analysis.tonic_method,
                "tempo_bpm": analysis.tempo_bpm, "loudness_lufs": analysis.loudness_lufs,
                "pitch_set": analysis.summary.get("pitch_set", [])}


class RecordingInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    alt_titles = serializers.ListField(child=serializers.CharField(max_length=300), required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    tradition = serializers.PrimaryKeyRelatedField(queryset=Tradition.objects.all())
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    collection = serializers.PrimaryKeyRelatedField(queryset=Collection.objects.all(), required=False, allow_null=True)
    people = PersonCreditSerializer(many=True, required=False)
    instruments = serializers.ListField(child=serializers.CharField(max_length=120), required=False)
    place = PlaceSerializer(required=False, allow_null=True)
    languages = serializers.ListField(
        child=serializers.RegexField(r"^[a-z]{3}$", error_messages={"invalid": "use ISO 639-3 codes such as 'nob'"}),
        required=False,
    )
    date = serializers.CharField(required=False, allow_blank=True, max_length=10)
    rights = serializers.CharField(required=False, allow_blank=True)
    genre = serializers.CharField(required=False, allow_blank=True, max_length=200)
    status = serializers.ChoiceField(choices=Recording.Status.choices, required=False)
    record_protocol = ProtocolField(level_attr="record_protocol", custom_attr="record_custom_protocol", required=False)
    media_protocol = ProtocolField(level_attr="media_protocol", custom_attr="media_custom_protocol", required=False)
    labels = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    training_consent = serializers.ChoiceField(choices=Recording.Consent.choices, required=False)
    tonic_hz = serializers.FloatField(required=False, allow_null=True, min_value=1.0, max_value=5000.0)
    content_warning = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate_date(self, value):
        try:
            parse_partial_date(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        return value

    def validate_labels(self, value):
        known = set(Label.objects.filter(code__in=value).values_list("code", flat=True))
        unknown = [code for code in value if code not in known]
        if unknown:
            raise serializers.ValidationError(gettext("unknown label(s): %(codes)s") % {"codes": ", ".join(unknown)})
        return list(dict.fromkeys(value))

    def validate(self, attrs):
        community = attrs.get("community") or getattr(self.instance, "community", None)
        collection = attrs.get("collection")
        if collection is not None and community is not None and collection.community_id != community.pk:
            raise serializers.ValidationError({"collection": "the collection belongs to another community"})
        return attrs


def validate_change(recording, raw: dict) -> dict:
    """Turn a stored proposal back into validated data, checked against today's catalogue (the API
    and the steward's pages decide proposals alike)."""
    body = RecordingInput(instance=recording, data=raw, partial=True)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)
