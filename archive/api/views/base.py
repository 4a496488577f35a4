"""Helpers every API view uses to find things through the access selectors."""
from django.http import Http404

from ...policy import recording_visible_or_none


def visible_recording_or_404(request, pk):
    """The recording if the caller may see it; otherwise 404, the same as if it did not exist."""
    recording = recording_visible_or_none(user=request.user, pk=pk)
    if recording is None:
        raise Http404
    return recording
