"""DRF replaces an anonymous visitor with a fresh AnonymousUser; this keeps Django's, which
carries the share links of the session (archive.middleware), so that the API and the pages
answer the holder of a link alike. It never authenticates anyone."""
from rest_framework.authentication import BaseAuthentication


class ShareLinkHolder(BaseAuthentication):
    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        if user is not None and not user.is_authenticated and getattr(user, "_songkeeper_shares", None):
            return user, None
        return None
