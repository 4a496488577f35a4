"""Every API error is JSON {"detail", "code"} with a 4xx status; validation errors name their fields."""
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as ModelValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from ..services.errors import ServiceError


def _flatten(detail, prefix=""):
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):
                yield from _flatten(value, f"{prefix}[{key}]")
            else:
                yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            yield from _flatten(value, prefix if not isinstance(value, (dict, list)) else f"{prefix}[{i}]")
    else:
        yield prefix, str(detail)


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        body = {"detail": f"{exc.field}: {exc.message}" if exc.field else exc.message, "code": exc.code}
        if exc.field:
            body["fields"] = {exc.field: [exc.message]}
        if getattr(exc, "fields", None):  # several fields at once (a search's filters)
            body["fields"] = exc.fields
        return Response(body, status=exc.status)
    if isinstance(exc, (Http404, ObjectDoesNotExist)):
        return Response({"detail": "Not found.", "code": "not_found"}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, ModelValidationError):  # a value a model field cannot hold (say, "x" for a UUID)
        messages = "; ".join(exc.messages) or "invalid input"
        return Response({"detail": messages, "code": "invalid"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ValidationError):
        pairs = list(_flatten(exc.detail))
        fields: dict[str, list[str]] = {}
        for field, message in pairs:
            fields.setdefault(field or "non_field_errors", []).append(message)
        summary = "; ".join(f"{f}: {m}" if f else m for f, m in pairs) or "invalid input"
        return Response({"detail": summary, "code": "invalid", "fields": fields}, status=exc.status_code)
    response = drf_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data = {"detail": str(detail), "code": getattr(detail, "code", None) or "error"}
    return response
