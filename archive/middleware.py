"""Share links held in the session become grants for this request (archive.access reads them)."""
from .services.share_links import SESSION_KEY, shared_recordings


class ShareLinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        ids = session.get(SESSION_KEY) if session is not None else None
        if ids:
            try:
                request.user._songkeeper_shares = shared_recordings(link_ids=ids, user=request.user)
            except (ValueError, TypeError):  # a tampered session value
                session.pop(SESSION_KEY, None)
        return self.get_response(request)
