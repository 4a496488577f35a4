"""Helpers every API view uses to find things through the access selectors."""
from ...selectors import recording_visible_or_404


def visible_recording_or_404(request, pk):
    """The recording if the caller may see it; otherwise 404, the same as if it did not exist."""
    return recording_visible_or_404(user=request.user, pk=pk)
