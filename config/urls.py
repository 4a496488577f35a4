"""Top-level URL map: admin, API, harvesting endpoints, health, and pages."""
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from archive.web.harvest import iiif_collection, iiif_recording, iiif_viewer, oai_pmh, recording_dublin_core
from worker.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/js/", JavaScriptCatalog.as_view(packages=["archive", "generation"]), name="javascript-catalog"),
    path("healthz", healthz, name="healthz"),
    path("oai", oai_pmh, name="oai"),
    path("iiif/recordings/<uuid:pk>/manifest", iiif_recording, name="iiif-recording"),
    path("iiif/recordings/<uuid:pk>/viewer", iiif_viewer, name="iiif-viewer"),
    path("iiif/collections/<uuid:pk>", iiif_collection, name="iiif-collection"),
    path("recordings/<uuid:pk>/dc.xml", recording_dublin_core, name="recording-dc"),
    path("", include("generation.web.urls")),
    path("", include("archive.web.urls")),
]

handler500 = "config.outage.server_error"
