"""Communities, members, protocols, traditions and collections."""
from django.utils.translation import gettext
from rest_framework import serializers

from music.notation import check_notation

from ...models import Collection, Community, Membership, Protocol, Tradition


class CommunityOutput(serializers.ModelSerializer):
    n_recordings = serializers.IntegerField(read_only=True, default=None)
    protocols = serializers.SerializerMethodField()

    class Meta:
        model = Community
        fields = ["id", "slug", "name", "description", "n_recordings", "protocols", "created"]
        read_only_fields = fields

    def get_protocols(self, obj) -> list[dict]:
        return [{"id": str(p.id), "name": p.name, "description": p.description} for p in obj.protocols.all()]


class CommunityInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=80, allow_unicode=True, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    role = serializers.ChoiceField(choices=Membership.Role.choices)

    class Meta:
        model = Membership
        fields = ["username", "role", "created"]
        read_only_fields = ["created"]


class ProtocolInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True)
    translations = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)), required=False,
        help_text='the name and description in other languages: {"es": {"name": …, "description": …}}')
    members = serializers.ListField(child=serializers.CharField(max_length=150), required=False)

    def validate_translations(self, value):
        for language, fields in value.items():
            if not (2 <= len(language) <= 8) or set(fields) - {"name", "description"}:
                raise serializers.ValidationError(gettext("a language code maps to a name and/or a description"))
        return value


class ProtocolOutput(serializers.ModelSerializer):
    members = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = Protocol
        fields = ["id", "community", "name", "description", "translations", "members"]


class NameSerializer(serializers.Serializer):
    language = serializers.RegexField(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
    name = serializers.CharField(max_length=200)


class TraditionSerializer(serializers.ModelSerializer):
    names = NameSerializer(many=True, required=False)
    communities = serializers.PrimaryKeyRelatedField(many=True, queryset=Community.objects.all(), required=False)
    n_recordings = serializers.IntegerField(read_only=True, default=None)
    slug = serializers.SlugField(max_length=80, allow_unicode=True, required=False)

    class Meta:
        model = Tradition
        fields = ["id", "slug", "name", "names", "region", "description", "communities", "notation", "n_recordings",
                  "created"]
        read_only_fields = ["id", "created", "n_recordings"]

    def validate_notation(self, value):
        """The tradition's own notation (music/notation.py): sargam, jianpu, Turkish makam's AEU signs
        ("aeu"), or names its communities give, as {"system", "names": [[cents, name], …]}."""
        try:
            return check_notation(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class CollectionSerializer(serializers.ModelSerializer):
    n_recordings = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Collection
        fields = ["id", "community", "title", "description", "n_recordings", "created"]
        read_only_fields = ["id", "created", "n_recordings"]
