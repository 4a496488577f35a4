"""The steward's pages for one recording: describe and protect a new one, edit it (a change by
anyone but a steward becomes a proposal), withdraw or erase it with a confirmation that says what
follows. The form's data goes through the API's serializer and the same services."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from ..api.serializers.recordings import RecordingInput
from ..models import Community, Recording
from ..policy import communities_adding_to, communities_steering, is_steward, stewards_somewhere
from ..selectors import recording_list_visible
from ..services.contributions import narrative_create, narrative_update
from ..services.errors import ServiceError
from ..services.recordings import recording_create, recording_update, recording_withdraw
from .forms import RecordingForm


def _errors_into(form: RecordingForm, detail) -> None:
    """The serializer's or a service's complaints, beside the fields they are about."""
    if not isinstance(detail, dict):
        form.add_error(None, " ".join(str(d) for d in (detail if isinstance(detail, list) else [detail])))
        return
    for field, problems in detail.items():
        if isinstance(problems, dict):  # a nested serializer (place)
            problems = [f"{key}: {' '.join(map(str, value))}" for key, value in problems.items()]
        elif isinstance(problems, list) and problems and isinstance(problems[0], dict):  # people, one per line
            problems = [f"{i + 1}: {' '.join(map(str, sum(p.values(), [])))}" for i, p in enumerate(problems) if p]
        target = field if field in form.fields else ("place" if field == "place" else None)
        for problem in problems if isinstance(problems, list) else [problems]:
            form.add_error(target, str(problem))


def _validated(form: RecordingForm, instance=None) -> dict | None:
    body = RecordingInput(instance=instance, data=form.api_data(), partial=instance is not None)
    if not body.is_valid():
        _errors_into(form, body.errors)
        return None
    return dict(body.validated_data)


@login_required
def recording_new(request):
    """Describe, protect, then publish or keep as a draft; the audio is added next."""
    communities = communities_adding_to(user=request.user)
    if not communities:
        messages.error(request, _("Only members of a community may add its recordings. Ask its stewards to add you."))
        return redirect("home")
    steward = stewards_somewhere(user=request.user)
    form = RecordingForm(request.POST or None, communities=communities, steward=steward)
    if request.method == "POST" and form.is_valid():
        data = _validated(form)
        if data is not None:
            if is_steward(user=request.user, community_id=data["community"].pk):
                data["status"] = (Recording.Status.PUBLISHED if request.POST.get("publish")
                                  else Recording.Status.DRAFT)
            else:  # a member describes; the community's stewards decide who may see and hear it
                for name in RecordingForm.STEWARD_ONLY:
                    data.pop(name, None)
            try:
                recording = recording_create(data=data, user=request.user)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Saved. Now add its audio.") if recording.status == Recording.Status.PUBLISHED
                                 else _("Saved as a draft: only you and the community's stewards see it. Now add its audio."))
                return redirect("recording-upload", pk=recording.pk)
    return render(request, "archive/recording_form.html", {"form": form, "recording": None, "steward": steward})


@login_required
def recording_edit(request, pk):
    """Stewards change the record at once; anyone else who may see it proposes the change."""
    recording = get_object_or_404(recording_list_visible(user=request.user), pk=pk)
    steward = is_steward(user=request.user, community_id=recording.community_id)
    communities = communities_steering(user=request.user) if steward else [recording.community_id]
    if recording.community_id not in communities:
        communities.append(recording.community_id)
    form = RecordingForm(request.POST or None, initial=RecordingForm.initial_from(recording),
                         communities=communities, steward=steward)
    if request.method == "POST" and form.is_valid():
        data = _validated(form, instance=recording)
        if data is not None:
            changed = {k for k in form.changed_data}
            if not steward:
                data = {k: v for k, v in data.items() if k not in RecordingForm.STEWARD_ONLY}
            data["_raw"] = {k: v for k, v in form.api_data().items() if k in data}
            try:
                outcome, _obj = recording_update(recording=recording, data=data, user=request.user)
            except (ServiceError, ValidationError) as exc:
                _errors_into(form, getattr(exc, "detail", None) or exc.message)
            else:
                if outcome == "proposed":
                    messages.success(request, _("Your change was sent to the community's stewards to decide."))
                elif changed:
                    messages.success(request, _("Saved."))
                return redirect("recording", pk=recording.pk)
    return render(request, "archive/recording_form.html", {"form": form, "recording": recording, "steward": steward})


@login_required
@require_POST
def recording_narrative(request, pk):
    """A community's own account of the recording, added or reworded in place on its page."""
    recording = get_object_or_404(recording_list_visible(user=request.user), pk=pk)
    title, text = request.POST.get("title", "").strip(), request.POST.get("text", "")
    language = request.POST.get("language", "").strip()[:3]
    try:
        if request.POST.get("narrative"):
            narrative = get_object_or_404(recording.narratives, pk=request.POST["narrative"])
            narrative_update(narrative=narrative, user=request.user, title=title, text=text, language=language)
        else:
            community = get_object_or_404(Community, pk=request.POST.get("community"))
            if not title or not text.strip():
                raise ServiceError(_("A narrative needs a title and a text."), field="text")
            narrative_create(recording=recording, community=community, title=title, text=text, language=language,
                             user=request.user)
        messages.success(request, _("The narrative is saved."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('recording', args=[recording.pk])}#narratives")


@login_required
def recording_withdraw_page(request, pk):
    """Withdraw (or withdraw and erase the files), after saying what happens."""
    recording = get_object_or_404(recording_list_visible(user=request.user), pk=pk)
    if not is_steward(user=request.user, community_id=recording.community_id):
        raise Http404
    if request.method == "POST":
        erase = bool(request.POST.get("erase"))
        try:
            job = recording_withdraw(recording=recording, user=request.user, erase=erase,
                                     reason=request.POST.get("reason", "")[:300])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Withdrawn: only the community's stewards see it now.") if job is None
                             else _("Withdrawn, and its files are being erased."))
            return redirect("recording", pk=recording.pk)
    return render(request, "archive/recording_withdraw.html", {"recording": recording})
