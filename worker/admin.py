from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "target_type", "target_id", "state", "progress", "attempts", "created"]
    list_filter = ["state", "kind"]
    search_fields = ["id", "target_id", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]
