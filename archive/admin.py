"""The Django admin for staff: every catalogue model, with history on recordings."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models as m


class MembershipInline(admin.TabularInline):
    model = m.Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(m.Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(m.Tradition)
class TraditionAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    search_fields = ["name", "region"]
    filter_horizontal = ["communities"]


@admin.register(m.Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "community"]
    list_filter = ["community"]
    search_fields = ["title"]


@admin.register(m.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "deceased"]
    search_fields = ["name"]


@admin.register(m.Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(m.Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(m.Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "lat", "lon"]
    search_fields = ["name"]


@admin.register(m.Protocol)
class ProtocolAdmin(admin.ModelAdmin):
    list_display = ["name", "community"]
    filter_horizontal = ["members"]


@admin.register(m.Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "name"]
    list_filter = ["kind"]


@admin.register(m.LabelRule)
class LabelRuleAdmin(admin.ModelAdmin):
    list_display = ["community", "label", "protocol_level", "season_start", "season_end"]


class CreditInline(admin.TabularInline):
    model = m.RecordingPerson
    extra = 1
    autocomplete_fields = ["person"]


class LabelInline(admin.TabularInline):
    model = m.RecordingLabel
    extra = 1
    exclude = ["added_by"]


@admin.register(m.Recording)
class RecordingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "community", "tradition", "status", "record_protocol", "media_protocol", "training_consent"]
    list_filter = ["status", "record_protocol", "media_protocol", "training_consent", "community", "tradition"]
    search_fields = ["title", "description"]
    filter_horizontal = ["instruments", "languages"]
    inlines = [CreditInline, LabelInline]
    readonly_fields = ["year_from", "year_to", "created", "modified", "withdrawn_at"]


for model in (m.Narrative, m.Annotation, m.Proposal, m.AccessRequest, m.PreservationEvent, m.Membership):
    admin.site.register(model)
