"""The steward's pages for bringing recordings home: a community's harvest sources, the review
queue of what each harvest proposes (accept, merge, reject), and the labels of its Local Contexts
Hub projects. Stewards only; anyone else gets 404."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..labels import LABELS
from ..models import Collection, Community, HarvestCandidate, LabelRule, Recording, Tradition
from ..models.access import ProtocolLevel
from ..policy import is_steward, recordings_visible
from ..selectors import (
    candidate_or_404,
    candidates_for,
    harvest_source_or_404,
    harvest_source_summaries,
    hub_project_or_404,
)
from ..services import harvest as services
from ..services import hub as hub_services
from ..services.errors import ServiceError
from .views import JOB_STATES

PROTOCOLS = [ProtocolLevel.COMMUNITY, ProtocolLevel.STEWARDS, ProtocolLevel.REGISTERED, ProtocolLevel.PUBLIC]
FILTERS = {"proposed": {"state": HarvestCandidate.State.PROPOSED}, "changed": {"changed": True},
           "accepted": {"state": HarvestCandidate.State.ACCEPTED}, "merged": {"state": HarvestCandidate.State.MERGED},
           "rejected": {"state": HarvestCandidate.State.REJECTED}}


def _stewarded_community(request, pk) -> Community:
    community = get_object_or_404(Community, pk=pk)
    if not is_steward(user=request.user, community_id=community.pk):
        raise Http404
    return community


@login_required
def sources_page(request, pk):
    """The community's sources, each with its harvest's progress, and a form to add one."""
    community = _stewarded_community(request, pk)
    if request.method == "POST":
        data = {key: request.POST.get(key, "") for key in ("name", "kind", "base_url", "metadata_prefix", "set_spec")}
        data["harvest_from"] = request.POST.get("harvest_from") or None
        data["harvest_until"] = request.POST.get("harvest_until") or None
        data["manifest_urls"] = request.POST.get("manifest_urls", "").split()
        try:
            source = services.harvest_source_create(community=community, data=data, user=request.user)
            messages.success(request, _("The source was added. Harvest it when you are ready."))
            return redirect(reverse("review-queue", args=[source.pk]))
        except ServiceError as exc:
            messages.error(request, exc.message)
    sources = list(community.harvest_sources.all())
    jobs, counts = harvest_source_summaries(sources)
    for source in sources:
        source.job = jobs.get(source.job_id)
        source.counts = counts.get(source.pk, {})
        if source.job is not None:
            source.job.state_name = JOB_STATES.get(source.job.state, source.job.state)
    projects = list(community.hub_projects.all())
    for project in projects:
        project.rules = LabelRule.objects.filter(hub_project=project).select_related("label").order_by("label_id")
        project.notices = project.data.get("notice") or []
    return render(request, "archive/harvest_sources.html", {
        "community": community, "sources": sources, "form": request.POST if request.method == "POST" else {},
        "projects": projects, "collections": Collection.objects.filter(community=community)})


@login_required
@require_POST
def hub_link(request, pk):
    community = _stewarded_community(request, pk)
    try:
        hub_services.hub_project_link(community=community, project_id=request.POST.get("project_id", ""),
                                      user=request.user)
        messages.success(request, _("The project is linked; its labels arrive from the Hub in a moment."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("harvest-sources-page", args=[community.pk]) + "#hub")


@login_required
@require_POST
def hub_action(request, pk, action):
    """Read a linked project again, or apply its labels to the community's recordings."""
    project = hub_project_or_404(user=request.user, pk=pk)
    try:
        if action == "refresh":
            hub_services.hub_refresh_start(project=project, user=request.user)
            messages.success(request, _("The project is being read from the Hub again."))
        elif action == "apply":
            collection = None
            if request.POST.get("collection"):
                collection = Collection.objects.filter(pk=request.POST["collection"], community=project.community).first()
                if collection is None:
                    raise ServiceError(_("choose a collection of the community"), field="collection")
            everything = None if collection else Recording.objects.filter(community=project.community).values_list(
                "pk", flat=True)
            changed = hub_services.hub_labels_apply(project=project, codes=request.POST.getlist("labels"),
                                                    user=request.user, collection=collection, recordings=everything)
            messages.success(request, _("The labels were added to %(n)s recordings.") % {"n": changed})
        else:
            raise Http404
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("harvest-sources-page", args=[project.community_id]) + "#hub")


@login_required
@require_POST
def source_harvest(request, pk):
    source = harvest_source_or_404(user=request.user, pk=pk)
    try:
        services.harvest_start(source=source, user=request.user)
        messages.success(request, _("The harvest has started; this page shows its progress."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("review-queue", args=[source.pk]))


@login_required
def review_queue(request, pk):
    """What a source's harvests propose, filtered by what is still to decide, what changed at the
    source, and what was decided."""
    source = harvest_source_or_404(user=request.user, pk=pk)
    shown = request.GET.get("show", "proposed")
    if shown not in FILTERS:
        shown = "proposed"
    found = candidates_for(user=request.user, source=source, **FILTERS[shown]).order_by("identifier")
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    jobs, counts = harvest_source_summaries([source])
    job = jobs.get(source.job_id)
    if job is not None:
        job.state_name = JOB_STATES.get(job.state, job.state)
    return render(request, "archive/review_queue.html", {
        "source": source, "community": source.community, "page": page, "shown": shown, "filters": list(FILTERS),
        "job": job, "counts": counts.get(source.pk, {}),
        "traditions": Tradition.objects.filter(communities=source.community) or Tradition.objects.all(),
        "protocols": [(level, level.label) for level in PROTOCOLS], "labels": LABELS,
        "consents": Recording.Consent.choices})


def _accept(request, candidate):
    tradition = Tradition.objects.filter(pk=request.POST.get("tradition") or None).first()
    if tradition is None:
        raise ServiceError(_("choose the recording's tradition"), field="tradition")
    levels = {}
    for name in ("record_protocol", "media_protocol"):
        value = request.POST.get(name) or ProtocolLevel.COMMUNITY
        if value not in PROTOCOLS:
            raise ServiceError(_("choose one of the protocols offered"), field=name)
        levels[name] = (ProtocolLevel(value), None)
    consent = request.POST.get("training_consent") or Recording.Consent.NOT_ALLOWED
    if consent not in Recording.Consent.values:
        raise ServiceError(_("choose whether a model may learn from it"), field="training_consent")
    codes = [code for code in request.POST.getlist("labels") if code in {c for c, *_ in LABELS}]
    recording = services.candidate_accept(candidate=candidate, user=request.user, tradition=tradition, labels=codes,
                                          training_consent=consent, **levels)
    return _("Accepted: “%(title)s” is now a draft recording of the community.") % {"title": recording.title}


def _merge(request, candidate):
    recording = recordings_visible(user=request.user).filter(pk=request.POST.get("recording") or None).first()
    if recording is None:
        raise ServiceError(_("choose a recording of the community to merge with"), field="recording")
    services.candidate_merge(candidate=candidate, recording=recording, user=request.user)
    return _("Merged with “%(title)s”: only its empty fields were filled.") % {"title": recording.title}


def _fetch_media(request, candidate):
    services.candidate_fetch_media(candidate=candidate, user=request.user,
                                   rights_confirmed=request.POST.get("rights_confirmed") == "yes")
    return _("The audio is being copied from the source; the recording shows it when it has arrived.")


def _reject(request, candidate):
    services.candidate_reject(candidate=candidate, user=request.user)
    return _("Rejected.")


def _acknowledge(request, candidate):
    services.candidate_acknowledge(candidate=candidate, user=request.user)
    return _("Marked as seen.")


ACTIONS = {"fetch-media": _fetch_media, "accept": _accept, "merge": _merge, "reject": _reject,
           "acknowledge": _acknowledge}


@login_required
@require_POST
def candidate_decide(request, pk, action):
    candidate = candidate_or_404(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    try:
        messages.success(request, ACTIONS[action](request, candidate))
    except ServiceError as exc:
        messages.error(request, exc.message)
    back = {key: request.POST[key] for key in ("show", "page") if request.POST.get(key, "").isalnum()}
    query = "?" + "&".join(f"{key}={value}" for key, value in back.items()) if back else ""
    return redirect(reverse("review-queue", args=[candidate.source_id]) + query)
