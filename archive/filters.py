"""Query filters for recordings (CONTRACT.md names them)."""
import django_filters as df
from django.core.validators import EMPTY_VALUES
from django.db.models import Q

from .analysis import ANALYSER, VERSION
from .models import Analysis, Recording
from .policy import recordings_derivable

DERIVED = ("tempo_min", "tempo_max", "tonic_min", "tonic_max")  # filters on values measured on the audio


class RecordingFilter(df.FilterSet):
    q = df.CharFilter(method="filter_q", label="words in title, other titles, description")
    tradition = df.UUIDFilter(field_name="tradition_id")
    community = df.UUIDFilter(field_name="community_id")
    collection = df.UUIDFilter(field_name="collection_id")
    instrument = df.CharFilter(method="filter_instrument")
    language = df.CharFilter(field_name="languages__code")
    country = df.CharFilter(field_name="place__country", lookup_expr="iexact")
    year_from = df.NumberFilter(field_name="year_to", lookup_expr="gte", label="covers this year or later")
    year_to = df.NumberFilter(field_name="year_from", lookup_expr="lte", label="covers this year or earlier")
    label = df.CharFilter(field_name="label_links__label_id")
    status = df.ChoiceFilter(choices=Recording.Status.choices)
    tempo_min = df.NumberFilter(field_name="tempo_bpm", lookup_expr="gte")
    tempo_max = df.NumberFilter(field_name="tempo_bpm", lookup_expr="lte")
    tonic_min = df.NumberFilter(field_name="tonic_hz", lookup_expr="gte")
    tonic_max = df.NumberFilter(field_name="tonic_hz", lookup_expr="lte")
    duration_min = df.NumberFilter(field_name="duration_seconds", lookup_expr="gte")
    duration_max = df.NumberFilter(field_name="duration_seconds", lookup_expr="lte")
    loudness_min = df.NumberFilter(method="filter_loudness_min")
    loudness_max = df.NumberFilter(method="filter_loudness_max")
    has_audio = df.BooleanFilter(method="filter_has_audio")
    analysed = df.BooleanFilter(method="filter_analysed")
    decade = df.NumberFilter(method="filter_decade", label="the decade's first year, e.g. 1970")

    class Meta:
        model = Recording
        fields = []

    def filter_q(self, queryset, name, value):
        q = Q()
        for word in value.split():
            q &= Q(title__icontains=word) | Q(description__icontains=word) | Q(alt_titles__icontains=word)
        return queryset.filter(q)

    def filter_instrument(self, queryset, name, value):
        return queryset.filter(Q(instruments__slug=value) | Q(instruments__name__iexact=value))

    def _derivable(self):
        """Values measured on the audio (tonic, tempo, loudness, being analysed) filter only among the
        recordings whose derived data the caller may see (archive/policy.py): a filter must not tell
        a caller who may only read the record what the audio holds."""
        return recordings_derivable(user=getattr(self.request, "user", None)).values("pk")

    def _current(self):
        return Analysis.objects.filter(analyser=ANALYSER, version=VERSION, status="ok",
                                       recording__in=self._derivable())

    def filter_loudness_min(self, queryset, name, value):
        return queryset.filter(pk__in=self._current().filter(loudness_lufs__gte=value).values("recording"))

    def filter_loudness_max(self, queryset, name, value):
        return queryset.filter(pk__in=self._current().filter(loudness_lufs__lte=value).values("recording"))

    def filter_has_audio(self, queryset, name, value):
        q = Q(files__role="master")
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_analysed(self, queryset, name, value):
        q = Q(pk__in=self._current().values("recording"))
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_decade(self, queryset, name, value):
        start = int(value) // 10 * 10
        return queryset.filter(year_from__lte=start + 9, year_to__gte=start)

    def filter_queryset(self, queryset):
        """The filtered recordings; where tonic or tempo filtered them, only those whose derived data
        the caller may see (one subquery however many of those filters are given: each its own made
        PostgreSQL decide the caller's audible catalogue again, a fifth of a second each at 500,000).
        Multi-valued joins (language, label, instrument) may repeat a row: distinct."""
        filtered = super().filter_queryset(queryset)
        if any(self.form.cleaned_data.get(name) not in EMPTY_VALUES for name in DERIVED):
            filtered = filtered.filter(pk__in=self._derivable())
        return filtered.distinct()
