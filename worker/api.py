"""GET /api/jobs/{id}/: a job's state and progress, for whoever started it."""
from rest_framework import serializers
from rest_framework.generics import RetrieveAPIView
from rest_framework.permissions import AllowAny

from .models import Job
from .selectors import jobs_visible


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = [
            "id", "kind", "target_type", "target_id", "state", "progress", "message", "error",
            "result", "attempts", "created", "started_at", "finished_at",
        ]
        read_only_fields = fields


class JobDetail(RetrieveAPIView):
    serializer_class = JobSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return jobs_visible(user=self.request.user)
