from django.urls import path

from .api import JobDetail

urlpatterns = [path("jobs/<uuid:pk>/", JobDetail.as_view(), name="job-detail")]
