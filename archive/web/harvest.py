"""/oai: the OAI-PMH endpoint (GET and POST, as the protocol allows)."""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..exports.dublin_core import dublin_core_xml
from ..exports.oai import respond
from ..models import Collection
from ..policy import recordings_visible
from ..selectors import recording_visible_or_404


@csrf_exempt  # harvesters POST form-encoded arguments; nothing is changed by a request
@require_http_methods(["GET", "POST"])
def oai_pmh(request):
    params = request.GET if request.method == "GET" else request.POST
    body = respond({key: params.getlist(key) for key in params}, request.build_absolute_uri(request.path))
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _iiif_response(resource) -> HttpResponse:
    response = HttpResponse(resource.json(indent=1), content_type='application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"')
    response["Access-Control-Allow-Origin"] = "*"
    return response


def iiif_recording(request, pk):
    from ..exports.iiif import recording_manifest  # iiif-prezi3 and pydantic: 36 MB a web process need not hold

    recording = recording_visible_or_404(user=request.user, pk=pk)
    return _iiif_response(recording_manifest(recording, user=request.user, site=_site(request)))


def iiif_viewer(request, pk):
    """The recording's manifest played in a IIIF AV viewer (Clover, vendored), as other archives'
    viewers would: a check that the manifest is playable, and a page to send to those who use one."""
    recording = recording_visible_or_404(user=request.user, pk=pk)
    manifest = request.build_absolute_uri(reverse("iiif-recording", args=[recording.pk]))
    return render(request, "archive/iiif_viewer.html", {"recording": recording, "manifest_url": manifest})


def iiif_collection(request, pk):
    from ..exports.iiif import collection_manifest  # as above: loaded by the first IIIF request

    collection = get_object_or_404(Collection, pk=pk)
    recordings = recordings_visible(user=request.user).filter(collection=collection).order_by("title")
    return _iiif_response(collection_manifest(collection, recordings, site=_site(request)))


def recording_dublin_core(request, pk):
    recording = recording_visible_or_404(user=request.user, pk=pk)
    return HttpResponse(dublin_core_xml(recording, base_url=_site(request)), content_type="application/xml; charset=utf-8")
