"""Server-rendered pages. Every recording read goes through archive.access."""
import mimetypes
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from music.pitch import own_fifth
from worker.models import Job
from worker.selectors import jobs_visible

from ..api.serializers.recordings import validate_change
from ..exports.citation import apa, bibtex
from ..exports.manifest import COLUMNS
from ..labels import ENFORCED, policy_rows
from ..languages import country_name, language_name
from ..localization import localized_text
from ..models import Collection, Community, Label, LabelRule, Recording, ShareLink, Tradition
from ..policy import (
    annotations_visible,
    is_member,
    is_steward,
    may_change_tradition,
    may_correct_notes,
    may_edit_narrative,
    member_somewhere,
    recordings_audible,
    stewards_somewhere,
    viewer_for,
)
from ..search.catalogue import Page
from ..search.catalogue import search as catalogue_search
from ..search.similar import similar_recordings
from ..selectors import (
    attribution_texts,
    browse_instruments,
    browse_places,
    collections_with_counts,
    communities_with_counts,
    narratives_for,
    recording_list_visible,
    steward_dashboard,
    traditions_with_counts,
)
from ..services.access_requests import access_request_create, access_request_decide
from ..services.analysis import analysis_current
from ..services.bulk_ingest import manifest_ingest_start
from ..services.communities import membership_remove, membership_set, note_corrector_set, protocol_create
from ..services.errors import ServiceError
from ..services.proposals import proposal_decide
from ..services.recordings import recording_update
from ..services.share_links import share_link_create, share_link_open, share_link_revoke
from ..services.traditions import notation_lines, tradition_notation_set
from ..warnings import recording_warnings

HOME_RECENT = 12  # the newest recordings the home page lists


def home(request):
    return render(request, "archive/home.html", {
        "traditions": traditions_with_counts(user=request.user).order_by("name"),
        "communities": communities_with_counts(user=request.user).order_by("name"),
        "recent": recording_list_visible(user=request.user).order_by("-created")[:HOME_RECENT],
    })


def tradition_detail(request, slug):
    tradition = get_object_or_404(Tradition.objects.prefetch_related("communities"), slug=slug)
    return render(request, "archive/tradition.html", {
        "tradition": tradition,
        "recordings": recording_list_visible(user=request.user).filter(tradition=tradition).order_by("title"),
        "may_change": may_change_tradition(user=request.user, tradition=tradition),
        "notation_systems": NOTATION_SYSTEMS,
        "notation_lines": "\n".join(f"{cents:g} {name}" for cents, name in tradition.notation.get("names") or []),
    })


NOTATION_SYSTEMS = (("", gettext_lazy("The staff alone")), ("sargam", gettext_lazy("Sargam (Sa Re Ga …)")),
                    ("jianpu", gettext_lazy("Jianpu (numbered notation)")),
                    ("aeu", gettext_lazy("Turkish makam accidentals (Arel-Ezgi-Uzdilek)")),
                    ("names", gettext_lazy("Our own names only")))


@login_required
@require_POST
def tradition_notation(request, slug):
    """The steward's choice of notation from the tradition page: a system and the community's names."""
    tradition = get_object_or_404(Tradition, slug=slug)
    system = request.POST.get("system", "")
    try:
        names = notation_lines(request.POST.get("names", ""))
        tradition_notation_set(user=request.user, tradition=tradition,
                               value={"system": system, "names": names} if system else {})
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The notation is saved: new examples and transcriptions are written in it."))
    return redirect("tradition", slug=tradition.slug)


def community_detail(request, slug):
    community = get_object_or_404(Community, slug=slug)
    return render(request, "archive/community.html", {
        "community": community,
        "collections": collections_with_counts(user=request.user).filter(community=community),
        "recordings": recording_list_visible(user=request.user).filter(community=community).order_by("title"),
    })


def collection_detail(request, pk):
    collection = get_object_or_404(Collection.objects.select_related("community"), pk=pk)
    return render(request, "archive/collection.html", {
        "collection": collection,
        "recordings": recording_list_visible(user=request.user).filter(collection=collection).order_by("title"),
    })


def _similar(user, recording, limit: int = 5) -> list[dict]:
    """The nearest recordings by what was measured on the audio, among those this user may hear."""
    pairs = similar_recordings(user=user, recording=recording, limit=limit)
    found = recording_list_visible(user=user).in_bulk([pk for pk, _ in pairs])
    return [{"recording": found[pk], "percent": round(100 * max(score, 0))} for pk, score in pairs if pk in found]


def _narratives(user, recording) -> list:
    """The communities' accounts, each marked editable for its author and its community's stewards."""
    narratives = list(narratives_for(recording=recording))
    for n in narratives:
        n.editable = may_edit_narrative(user=user, narrative=n)
    return narratives


def recording_detail(request, pk):
    recording = get_object_or_404(recording_list_visible(user=request.user), pk=pk)
    rules = {r.label_id: r for r in LabelRule.objects.filter(community=recording.community)}
    labels = [{"label": link.label, "rule": rules.get(link.label_id), "enforced": link.label_id in ENFORCED}
              for link in recording.label_links.select_related("label")]
    annotations = list(annotations_visible(user=request.user, recording=recording).select_related("author"))
    can_hear = recordings_audible(user=request.user).filter(pk=recording.pk).exists()
    new_link = request.session.pop("new_share_link", None) if "new_share_link" in request.session else None
    analysis = analysis_current(recording)
    return render(request, "archive/recording.html", {
        "practice": _practice(analysis),
        "new_share_url": new_link["url"] if new_link and new_link["recording"] == str(recording.pk) else "",
        "similar": _similar(request.user, recording) if can_hear else [],
        "recording": recording,
        "narratives": _narratives(request.user, recording),
        "narrative_communities": Community.objects.filter(pk__in=viewer_for(request.user).member_of).order_by("name"),
        "annotations": annotations,
        "transcript_layers": sorted({a.layer for a in annotations if a.layer}),
        "share_links": recording.share_links.select_related("person") if is_steward(
            user=request.user, community_id=recording.community_id) else [],
        "labels": labels,
        "attribution": attribution_texts(recording=recording),
        "is_steward": is_steward(user=request.user, community_id=recording.community_id),
        "can_hear": can_hear,
        "can_upload": is_member(user=request.user, community_id=recording.community_id),
        "can_annotate": is_member(user=request.user, community_id=recording.community_id),
        "can_correct_notes": can_hear and may_correct_notes(user=request.user, recording=recording),
        "master": recording.files.filter(role="master").first(),
        "analysis": analysis,
        "analysis_running": Job.objects.filter(kind="recording.analyse", target_id=str(recording.pk),
                                               state__in=["queued", "running"]).first(),
        "protocols": recording.community.protocols.all(),
        "warnings": recording_warnings(recording),
        "permalink": request.build_absolute_uri(f"/recordings/{recording.pk}/"),
        "citation_apa": apa(recording, url=request.build_absolute_uri(f"/recordings/{recording.pk}/")),
        "citation_bibtex": bibtex(recording, url=request.build_absolute_uri(f"/recordings/{recording.pk}/")),
    })


def browse(request):
    """Browse by tradition, community, place (country, then place) and instrument; counts of what you may see."""
    return render(request, "archive/browse.html", {
        "traditions": traditions_with_counts(user=request.user).filter(n_recordings__gt=0).order_by("name"),
        "communities": communities_with_counts(user=request.user).filter(n_recordings__gt=0).order_by("name"),
        "places": browse_places(user=request.user),
        "instruments": browse_instruments(user=request.user),
    })


def labels_page(request):
    """The label table (archive/labels.py) as people read it: what the archive does with each label."""
    labels = Label.objects.in_bulk()
    rows = [{**row, "label": labels[row["code"]]} for row in policy_rows() if row["code"] in labels]
    return render(request, "archive/labels.html", {"rows": rows})


def _practice(analysis) -> dict:
    """What the practice player needs from the analysis: the tonic for a drone, the recording's own
    fifth, and a tempo for counting in where it found a pulse."""
    if analysis is None:
        return {}
    degrees = [d["cents"] for d in (analysis.summary or {}).get("pitch_set", [])]
    return {"tonic": analysis.tonic_hz or "", "fifth": own_fifth(degrees), "tempo": analysis.tempo_bpm or "",
            "pulse": bool(analysis.tempo_bpm)}


def label_image(request, pk):
    """A label's image as the community set it on the Local Contexts Hub, from the archive's own
    storage (the label and its wording show wherever the recording does; the image is no more)."""
    rule = get_object_or_404(LabelRule.objects.exclude(image=""), pk=pk)
    if not default_storage.exists(rule.image):
        raise Http404
    kind = mimetypes.guess_type(rule.image)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(rule.image, "rb"), content_type=kind)
    response["Cache-Control"] = "public, max-age=86400"
    return response


FACET_TITLES = {"tradition": gettext_lazy("Tradition"), "community": gettext_lazy("Community"),
                "instrument": gettext_lazy("Instrument"), "language": gettext_lazy("Language"),
                "country": gettext_lazy("Country"), "decade": gettext_lazy("Decade"), "label": gettext_lazy("Label"),
                "has_audio": gettext_lazy("Has audio"), "analysed": gettext_lazy("Analysed")}


def search_page(request):
    """The search page: the same search as /api/search/ (archive/search/catalogue.py), with facets
    as links that refine it."""
    params = request.GET.copy()
    q = params.get("q", "")
    try:
        found = catalogue_search(request.user, q, params.dict(), Page(limit=100))
    except ServiceError as exc:
        return render(request, "archive/search.html", {"q": q, "error": _("Check the filters: %(detail)s") % {"detail": exc.message},
                                                       "hits": [], "facets": {}, "count": 0})
    names = {"tradition": "tradition", "community": "community", "instrument": "instrument", "language": "language",
             "country": "country", "decade": "decade", "label": "label", "has_audio": "has_audio",
             "analysed": "analysed"}
    facets = found.facets
    reader = (get_language() or "en").split("-")[0]
    label_names = {label.code: localized_text(label, "name") for label in Label.objects.all()}
    for name, values in facets.items():
        for v in values:  # what a reader sees: names in their language, never internal codes
            if name == "language":
                v["label"] = language_name(v["value"], language=reader)
            elif name == "country":
                v["label"] = country_name(v["value"], language=reader)
            elif name == "label":
                v["label"] = label_names.get(v["value"], v["label"])
            elif name in ("has_audio", "analysed"):
                v["label"] = _("yes") if v["value"] == "yes" else _("no")
            value = v["value"][:-1] if name == "decade" else ({"yes": "true", "no": "false"}.get(v["value"], v["value"])
                                                               if name in ("has_audio", "analysed") else v["value"])
            v["query"] = urlencode({**params.dict(), names[name]: value})
    def name_of(model):
        def name(value):
            try:
                return str(model.objects.filter(pk=value).values_list("name", flat=True).first() or value)
            except (ValueError, DjangoValidationError):  # not an id: shown as it was typed
                return value
        return name

    shown = {"label": lambda v: label_names.get(v, v), "language": lambda v: language_name(v, language=reader),
             "country": lambda v: country_name(v, language=reader), "tradition": name_of(Tradition),
             "community": name_of(Community)}
    active = [(FACET_TITLES.get(k, k), {"value": shown.get(k, str)(v),
                                         "without": urlencode({kk: vv for kk, vv in params.items() if kk != k})})
              for k, v in params.items() if k != "q" and v]
    return render(request, "archive/search.html", {
        "q": q, "hits": found.hits, "count": found.total,
        "facets": [(name, FACET_TITLES.get(name, name), values) for name, values in facets.items()],
        "kept": [(k, v) for k, v in params.items() if k != "q"], "active": active,
    })


@login_required
@require_POST
def recording_request_access(request, pk):
    recording = get_object_or_404(recording_list_visible(user=request.user), pk=pk)
    try:
        access_request_create(recording=recording, user=request.user, message=request.POST.get("message", ""))
        messages.success(request, _("Your request was sent to the community's stewards."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("recording", pk=recording.pk)


def _tus_settings(request) -> dict:
    """The resumable uploads' piece size and retries (a test asks for small pieces and no retries)."""
    return {"chunk_size": int(request.GET.get("chunk", 8 * 1024 * 1024)),
            "retries": "none" if request.GET.get("retries") == "none" else "default"}


@login_required
def recording_upload(request, pk):
    """The resumable upload page (tus-js-client), for members of the recording's community."""
    recording = get_object_or_404(recording_list_visible(user=request.user), pk=pk)
    if not is_member(user=request.user, community_id=recording.community_id):
        raise PermissionDenied(_("only members of the recording's community may add its audio"))
    return render(request, "archive/upload.html", {
        "recording": recording,
        "master": recording.files.filter(role="master").first(), **_tus_settings(request),
    })


@login_required
def dashboard_ingest(request):
    """A manifest and its files from the browser (archive/static/archive/ingest.js, for members), or a
    manifest over the files in the drop folder, which a worker ingests (for stewards)."""
    steward = stewards_somewhere(user=request.user)
    if not steward and not member_somewhere(user=request.user):
        raise PermissionDenied(_("only members of a community may add its recordings"))
    if request.method == "POST":
        if not steward:
            raise PermissionDenied(_("only stewards may ingest manifests"))
        manifest = request.FILES.get("manifest")
        if manifest is None or not manifest.name.lower().endswith(".csv") or manifest.size > 5 * 1024 * 1024:
            messages.error(request, _("Choose a CSV manifest (at most 5 MB)."))
        else:
            job = manifest_ingest_start(upload=manifest, user=request.user)
            return redirect("job", pk=job.pk)
    return render(request, "archive/ingest.html", {
        "columns": COLUMNS, "ingest_root": settings.INGEST_ROOT, "may_use_drop_folder": steward,
        **_tus_settings(request)})


# What each kind of job is, and its states, in words a reader knows (the worker names them by code)
JOB_KINDS = {
    "ingest.batch": gettext_lazy("Ingest of a manifest and its files"),
    "ingest.manifest": gettext_lazy("Ingest of a manifest over the drop folder"),
    "recording.derive": gettext_lazy("Making the access copy"),
    "recording.analyse": gettext_lazy("Analysing the audio"),
    "recording.erase": gettext_lazy("Erasing the files"),
    "preservation.fixity": gettext_lazy("Checking the stored files"),
    "preservation.replicate": gettext_lazy("Copying to the replica locations"),
    "generation.train": gettext_lazy("Training a style model"),
    "generation.generate": gettext_lazy("Generating study examples"),
    "harvest.run": gettext_lazy("Harvesting another archive"),
}
JOB_STATES = {"queued": gettext_lazy("waiting"), "running": gettext_lazy("running"),
              "succeeded": gettext_lazy("succeeded"), "failed": gettext_lazy("failed")}


def _job_words(job) -> None:
    job.kind_name = JOB_KINDS.get(job.kind, job.kind)
    job.state_name = JOB_STATES.get(job.state, job.state)


@login_required
def job_detail(request, pk):
    job = jobs_visible(user=request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    _job_words(job)
    return render(request, "archive/job.html", {"job": job, "states": {k: str(v) for k, v in JOB_STATES.items()}})


@login_required
def dashboard(request):
    data = steward_dashboard(user=request.user)
    data["jobs"] = list(jobs_visible(user=request.user).filter(state__in=["queued", "running"]).order_by("-created")[:20])
    for job in data["jobs"]:
        _job_words(job)
    if not stewards_somewhere(user=request.user):
        messages.info(request, _("You are not a steward of any community."))
    return render(request, "archive/dashboard.html", data)


@login_required
@require_POST
def dashboard_members(request, pk):
    """Add a member, change a role, or remove someone (the community's stewards)."""
    community = get_object_or_404(Community, pk=pk)
    username = request.POST.get("username", "").strip()
    try:
        if request.POST.get("action") == "remove":
            membership_remove(community=community, username=username, by=request.user)
            messages.success(request, _("%(name)s is no longer a member.") % {"name": username})
        else:
            membership_set(community=community, username=username, role=request.POST.get("role", "member"),
                           by=request.user)
            messages.success(request, _("%(name)s is now a %(role)s.") % {
                "name": username, "role": _("steward") if request.POST.get("role") == "steward" else _("member")})
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('dashboard')}#people-{community.slug}")


@login_required
@require_POST
def dashboard_note_correctors(request, pk):
    """Allow someone outside the community to correct its transcriptions, or take it back (stewards)."""
    community = get_object_or_404(Community, pk=pk)
    username = request.POST.get("username", "").strip()
    allowed = request.POST.get("action") != "remove"
    try:
        note_corrector_set(community=community, username=username, allowed=allowed, by=request.user)
        messages.success(request, (_("%(name)s may now correct the community's transcriptions.") if allowed else
                                   _("%(name)s no longer corrects the community's transcriptions.")) % {"name": username})
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('dashboard')}#people-{community.slug}")


@login_required
@require_POST
def dashboard_protocol(request, pk):
    """A community's own protocol, naming the people it admits (the community's stewards)."""
    community = get_object_or_404(Community, pk=pk)
    names = [n.strip() for n in request.POST.get("members", "").split(",") if n.strip()]
    try:
        protocol_create(community=community, name=request.POST.get("name", "").strip(), usernames=names, by=request.user)
        messages.success(request, _("The protocol was added."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('dashboard')}#people-{community.slug}")


@login_required
@require_POST
def dashboard_decide(request, kind, pk):
    approve = request.POST.get("decision") in ("approve", "grant")
    reason = request.POST.get("reason", "")
    try:
        if kind == "proposal":
            proposal_decide(proposal_id=pk, user=request.user, approve=approve, reason=reason, validate=validate_change)
        elif kind == "access":
            until = request.POST.get("until") or None
            access_request_decide(request_id=pk, user=request.user, grant=approve, until=until, reason=reason)
        else:
            raise Http404
        messages.success(request, _("Decision recorded."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:  # a stale proposal that no longer fits the record
        messages.error(request, _("The change no longer fits the record: %(detail)s") % {"detail": exc.detail})
    return redirect("dashboard")


@login_required
@require_POST
def dashboard_consent(request, pk):
    recording = get_object_or_404(Recording, pk=pk)
    if not is_steward(user=request.user, community_id=recording.community_id):
        raise Http404
    consent = request.POST.get("training_consent")
    if consent not in Recording.Consent.values:
        messages.error(request, _("Choose allowed or not allowed."))
    else:
        recording_update(recording=recording, data={"training_consent": consent}, user=request.user)
        messages.success(request, _("Training consent for “%(title)s” is now %(consent)s.") % {
            "title": recording.title, "consent": _("allowed") if consent == "allowed" else _("not allowed")})
    return redirect("dashboard")


def share_open(request, token):
    """A share link: opens one recording to its holder until its date, or says why not."""
    try:
        link = share_link_open(token=token, request=request)
    except ServiceError as exc:
        return render(request, "archive/share.html", {"error": exc.message}, status=exc.status)
    messages.info(request, _("A steward of %(community)s shared this recording with you until %(day)s.") % {
        "community": link.recording.community.name, "day": f"{link.until:%Y-%m-%d}"})
    return redirect("recording", pk=link.recording_id)


@login_required
@require_POST
def recording_share(request, pk):
    """A steward makes a share link; its address is shown once, in the message."""
    recording = get_object_or_404(recording_list_visible(user=request.user), pk=pk)
    try:
        until = date.fromisoformat(request.POST.get("until", ""))
    except ValueError:
        messages.error(request, _("Give the last day the link works."))
        return redirect("recording", pk=recording.pk)
    try:
        _link, token = share_link_create(recording=recording, user=request.user, until=until,
                                         person=request.POST.get("person", "").strip(), note=request.POST.get("note", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("A share link was made. Copy it now: it is shown only once."))
        request.session["new_share_link"] = {"recording": str(recording.pk),
                                             "url": request.build_absolute_uri(f"/share/{token}/")}
    return redirect("recording", pk=recording.pk)


@login_required
@require_POST
def share_revoke(request, pk):
    link = ShareLink.objects.select_related("recording").filter(pk=pk).first()
    if link is None or not is_steward(user=request.user, community_id=link.recording.community_id):
        raise Http404
    share_link_revoke(link=link, user=request.user)
    messages.success(request, _("The share link no longer works."))
    return redirect("recording", pk=link.recording_id)
