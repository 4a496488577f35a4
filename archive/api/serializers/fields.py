"""Serializer fields shared by several resources."""
import uuid

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import Protocol, ProtocolLevel

BUILTIN = [ProtocolLevel.PUBLIC, ProtocolLevel.REGISTERED, ProtocolLevel.COMMUNITY, ProtocolLevel.STEWARDS]


@extend_schema_field(OpenApiTypes.STR)
class ProtocolField(serializers.Field):
    """A built-in protocol name, or the id of a community's own protocol.

    Reads as a string; writes as a (level, Protocol | None) pair."""

    default_error_messages = {
        "invalid": "use public, registered, community, stewards or a protocol id",
        "unknown": "no protocol with this id",
    }

    def __init__(self, *, level_attr: str, custom_attr: str, **kwargs):
        self.level_attr, self.custom_attr = level_attr, custom_attr
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        level = getattr(obj, self.level_attr)
        if level == ProtocolLevel.CUSTOM:
            return str(getattr(obj, f"{self.custom_attr}_id"))
        return level

    def to_internal_value(self, data):
        if isinstance(data, str) and data in BUILTIN:
            return {self.field_name: (ProtocolLevel(data), None)}
        try:
            pk = uuid.UUID(str(data))
        except ValueError:
            self.fail("invalid")
        protocol = Protocol.objects.filter(pk=pk).first()
        if protocol is None:
            self.fail("unknown")
        return {self.field_name: (ProtocolLevel.CUSTOM, protocol)}


class PlaceSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, allow_blank=True,
                                     error_messages={"invalid": "use an ISO 3166-1 alpha-2 code such as NO or IN"})
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)


class PersonCreditSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=[
        "performer", "recordist", "collector", "composer", "translator", "transcriber", "interviewer", "speaker"
    ], default="performer")
