"""The steward's recording form: what a person types, turned into the API's RecordingInput data, so
pages and API are checked by the same serializer and written by the same services."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ..labels import LABELS, policy_of
from ..models import Community, Label, Protocol, Recording, Tradition
from ..models.access import ProtocolLevel

ROLES = ["performer", "recordist", "collector", "composer", "translator", "transcriber", "interviewer", "speaker"]
BUILTIN_PROTOCOLS = [(level.value, level.label) for level in ProtocolLevel if level != ProtocolLevel.CUSTOM]


def people_from_text(text: str) -> list[dict]:
    """One person a line, "Name (role)"; a bare name is a performer."""
    people = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.endswith(")") and " (" in line:
            name, role = line[:-1].rsplit(" (", 1)
            people.append({"name": name.strip(), "role": role.strip().lower()})
        else:
            people.append({"name": line, "role": "performer"})
    return people


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _commas(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace("،", ",").split(",") if part.strip()]


class RecordingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    alt_titles = forms.CharField(label=_("Other titles, one a line (any script)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}))
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())
    tradition = forms.ModelChoiceField(label=_("Tradition"), queryset=Tradition.objects.order_by("name"))
    people = forms.CharField(label=_("People, one a line: Name (role)"), required=False,
                             help_text=_("Roles: performer, recordist, collector, composer, translator, transcriber, "
                                         "interviewer, speaker."),
                             widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    country = forms.CharField(label=_("Country (two letters, e.g. NO)"), max_length=2, required=False)
    languages = forms.CharField(label=_("Languages (ISO 639-3 codes)"), required=False,
                                help_text=_("Type a language's name to find its code."))
    date = forms.CharField(label=_("Date (1983, 1983-05, 1983-05-12 or 1970s)"), max_length=10, required=False)
    genre = forms.CharField(label=_("Genre or occasion"), max_length=200, required=False)
    instruments = forms.CharField(label=_("Instruments, separated by commas"), required=False)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}))
    rights = forms.CharField(label=_("Rights"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    record_protocol = forms.ChoiceField(label=_("Who may see the record"))
    media_protocol = forms.ChoiceField(label=_("Who may hear the audio"))
    labels = forms.MultipleChoiceField(label=_("Local Contexts labels"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    training_consent = forms.ChoiceField(label=_("May a style model learn from this recording?"),
                                         choices=[(Recording.Consent.NOT_ALLOWED, _("No")),
                                                  (Recording.Consent.ALLOWED, _("Yes"))],
                                         widget=forms.RadioSelect, initial=Recording.Consent.NOT_ALLOWED)
    content_warning = forms.CharField(label=_("Content warning (shown before the recording)"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}))

    STEWARD_ONLY = ("record_protocol", "media_protocol", "labels", "training_consent", "content_warning")

    def __init__(self, *args, communities, steward: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.filter(pk__in=communities).order_by("name")
        if len(communities) == 1:  # the one community this person belongs to
            self.fields["community"].empty_label = None
            self.fields["community"].initial = communities[0]
        protocols = [(str(p.pk), _("Named in “%(name)s”") % {"name": p.name})
                     for p in Protocol.objects.filter(community__in=communities).order_by("name")]
        for name in ("record_protocol", "media_protocol"):
            self.fields[name].choices = [*BUILTIN_PROTOCOLS, *protocols]
            self.fields[name].initial = ProtocolLevel.COMMUNITY
        names = {label.code: label for label in Label.objects.all()}
        self.fields["labels"].choices = [(code, names[code].name if code in names else name)
                                         for code, _kind, name, _description in LABELS]
        self.steward = steward
        if not steward:  # members describe; stewards decide who sees, hears and learns
            for name in self.STEWARD_ONLY:
                del self.fields[name]

    def label_choices(self) -> list:
        """Each label's checkbox with what the archive does with it (archive/labels.py)."""
        return [(choice, policy_of(choice.data["value"])) for choice in self["labels"]]

    def api_data(self) -> dict:
        """The cleaned form as RecordingInput data."""
        d = self.cleaned_data
        data = {
            "title": d["title"], "alt_titles": _lines(d["alt_titles"]), "description": d["description"],
            "community": str(d["community"].pk), "tradition": str(d["tradition"].pk),
            "people": people_from_text(d["people"]), "instruments": _commas(d["instruments"]),
            "languages": [code.lower() for code in _commas(d["languages"])],
            "date": d["date"], "genre": d["genre"], "rights": d["rights"],
            "place": {"name": d["place"], "country": d["country"].upper()} if d["place"] else None,
        }
        for name in self.STEWARD_ONLY:
            if name in self.fields:
                data[name] = d[name]
        return data

    @staticmethod
    def initial_from(recording: Recording) -> dict:
        """The form's values for an existing recording."""
        def protocol(level, custom):
            return str(custom) if level == ProtocolLevel.CUSTOM else level

        place = recording.place
        return {
            "title": recording.title, "alt_titles": "\n".join(recording.alt_titles),
            "community": recording.community_id, "tradition": recording.tradition_id,
            "people": "\n".join(f"{c.person.name} ({c.role})" for c in recording.credits.select_related("person")),
            "place": place.name if place else "", "country": place.country if place else "",
            "languages": ", ".join(lang.code for lang in recording.languages.all()),
            "date": recording.date, "genre": recording.genre,
            "instruments": ", ".join(i.name for i in recording.instruments.all()),
            "description": recording.description, "rights": recording.rights,
            "record_protocol": protocol(recording.record_protocol, recording.record_custom_protocol_id),
            "media_protocol": protocol(recording.media_protocol, recording.media_custom_protocol_id),
            "labels": list(recording.label_links.values_list("label_id", flat=True)),
            "training_consent": recording.training_consent, "content_warning": recording.content_warning,
        }
