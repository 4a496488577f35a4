"""JSON shapes of style models and study examples, and the generate request."""
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from rest_framework import serializers

from ..ml.sampling import DEFAULT_DIFFICULTY
from ..models import PracticeSet, StudyExample, StyleModel
from ..services.examples import DIFFICULTY, MAX_BARS, MAX_EXAMPLES, MAX_NOTES


class StyleModelSerializer(serializers.ModelSerializer):
    tradition = serializers.SerializerMethodField()
    job = serializers.SerializerMethodField()
    examples = serializers.SerializerMethodField()
    metre = serializers.CharField(read_only=True, allow_null=True,
                                  help_text="the time signature its corpus shows; null: free rhythm (unmetered)")

    class Meta:
        model = StyleModel
        fields = ["id", "tradition", "status", "job", "created", "trained_at", "chosen", "metrics", "pitch_set",
                  "tonic_hz", "tempo_bpm", "pulse", "metre", "timbre", "labels", "credits", "manifest", "retired_at", "retired_reason",
                  "error", "examples", "versions"]

    def get_tradition(self, obj) -> dict:
        return {"id": str(obj.tradition_id), "name": obj.tradition.name, "slug": obj.tradition.slug}

    def get_job(self, obj) -> str | None:
        return str(obj.job_id) if obj.job_id else None

    def get_examples(self, obj) -> int:
        return obj.examples.filter(withdrawn_at__isnull=True).count()


class StyleModelCreate(serializers.Serializer):
    tradition = serializers.CharField(help_text="the tradition's id or slug")


class GenerateRequest(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=MAX_EXAMPLES, default=1)
    length_notes = serializers.IntegerField(min_value=2, max_value=MAX_NOTES, default=16)
    length_bars = serializers.IntegerField(min_value=1, max_value=MAX_BARS, required=False, allow_null=True, default=None,
                                           help_text="a metered tradition's length in bars of its metre (replaces "
                                                     "length_notes; the last note is held to the end of the bar)")
    tempo = serializers.FloatField(min_value=20, max_value=300, required=False, allow_null=True, default=None)
    range = serializers.ListField(child=serializers.FloatField(min_value=-4800, max_value=4800), min_length=2,
                                  max_length=2, required=False, allow_null=True, default=None,
                                  help_text="[low, high] in cents from the tonic")
    difficulty = serializers.ChoiceField(choices=sorted(DIFFICULTY), default=DEFAULT_DIFFICULTY)
    start_degree = serializers.IntegerField(
        min_value=0, required=False, allow_null=True,
        help_text="degree of the pitch set to start on; null: any; absent: as the tradition's pieces begin")
    end_degree = serializers.IntegerField(
        min_value=0, required=False, allow_null=True,
        help_text="degree to end on; null: any; absent: as the tradition's pieces end (the tonic where most do)")
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=0)
    temperature = serializers.FloatField(min_value=0.05, max_value=5.0, default=0.8)

    def validate_range(self, value):
        if value is not None and value[0] >= value[1]:
            raise serializers.ValidationError(gettext("low must be below high"))
        return value


class StudyExampleSerializer(serializers.ModelSerializer):
    model = serializers.SerializerMethodField()
    withdrawn = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    number = serializers.SerializerMethodField()

    class Meta:
        model = StudyExample
        fields = ["id", "model", "number", "index", "seed", "constraints", "notes", "provenance", "labels", "created",
                  "withdrawn", "withdrawn_reason", "files"]

    def get_number(self, obj) -> int:
        """Its place among all the model's examples, oldest first, across every batch (``index`` is
        its place in its own batch)."""
        earlier = StudyExample.objects.filter(model_id=obj.model_id).filter(
            models.Q(created__lt=obj.created) | models.Q(created=obj.created, index__lt=obj.index))
        return earlier.count() + 1

    def get_model(self, obj) -> str:
        return str(obj.model_id)

    def get_withdrawn(self, obj) -> bool:
        return obj.withdrawn_at is not None

    def get_files(self, obj) -> dict:
        if obj.withdrawn_at is not None:
            return {}
        kinds = ("musicxml", "svg", "midi", "audio", *(("ogg",) if obj.ogg_file else ()))
        return {kind: reverse(f"example-{kind}", args=[obj.pk]) for kind in kinds}


class PracticeSetRequest(GenerateRequest):
    """A set: how many examples (graded from easy to hard), the longest one's length, and the
    teacher's title and note; range, ends, tempo and seed as for single examples."""

    title = serializers.CharField(max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    count = serializers.IntegerField(min_value=2, max_value=20, default=8)
    length_notes = serializers.IntegerField(min_value=8, max_value=MAX_NOTES, default=24)


class PracticeSetSerializer(serializers.ModelSerializer):
    model = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    examples = serializers.SerializerMethodField()
    bundle = serializers.SerializerMethodField()

    class Meta:
        model = PracticeSet
        fields = ["id", "model", "title", "note", "request", "state", "examples", "bundle", "created"]

    def get_model(self, obj) -> str:
        return str(obj.model_id)

    def get_state(self, obj) -> str:
        if obj.model.status == StyleModel.Status.RETIRED:
            return "withdrawn"
        if obj.bundle_file:
            return "ready"
        return obj.job.state if obj.job_id else "queued"

    def get_examples(self, obj) -> list:
        return StudyExampleSerializer(obj.examples.order_by("index"), many=True).data

    def get_bundle(self, obj) -> str | None:
        return reverse("practice-set-bundle", args=[obj.pk]) if obj.bundle_file else None



class VariationRequest(serializers.Serializer):
    """A passage of a recording the model learned from, in seconds, and what to make of it."""

    recording = serializers.UUIDField()
    start = serializers.FloatField(min_value=0)
    end = serializers.FloatField(min_value=0)
    mode = serializers.ChoiceField(choices=["vary", "continue", "answer"], default="vary",
                                   help_text="answer: a call-and-response item (the real passage, then the answer)")
    end_degree = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None,
                                          help_text="the degree the answer (or continuation) ends on")
    silent = serializers.BooleanField(default=False, help_text="answer: leave the answer silent for the student")
    count = serializers.IntegerField(min_value=1, max_value=8, default=2)
    length_notes = serializers.IntegerField(min_value=2, max_value=MAX_NOTES, default=12,
                                            help_text="new notes after the passage (continue)")
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=0)
