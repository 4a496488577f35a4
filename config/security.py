"""Security headers Django 5.2 does not set itself: a Content-Security-Policy and a
Permissions-Policy. Pages load scripts only from this site; the API docs page (Swagger UI)
needs its inline bootstrap script and gets a policy that allows it."""
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
          "media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
          "form-action 'self'; frame-ancestors 'none'")
DOCS_POLICY = POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            docs = request.path.startswith("/api/docs") or request.path.startswith(settings.STATIC_URL.rstrip("/") + "/drf")
            response["Content-Security-Policy"] = DOCS_POLICY if docs else POLICY
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    """django-axes' answer to a locked-out sign-in: JSON under /api/, a page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "too many failed sign-ins; try again in an hour", "code": "locked"}, status=429)
    return render(request, "registration/locked.html", status=429)
