"""The educator's pages: pick a tradition, train a model, set constraints, generate, listen."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from archive.localization import localized_text
from archive.models import Label, Tradition
from archive.selectors import recording_visible_or_404
from archive.services.errors import ServiceError
from music.notation import notation_from
from music.pitch import own_fifth

from ..ml.fidelity import FEATURES
from ..ml.metre import count_in
from ..ml.progress import STAGES
from ..ml.sampling import DEFAULT_DIFFICULTY
from ..ml.tokens import PitchSet
from ..ml.train import MIN_NOTES
from ..selectors import learned_notes, practice_set_or_none, style_model_or_none, style_models_visible
from ..services.consent import trainable_recordings
from ..services.examples import DIFFICULTY, MAX_BARS, Request, model_ends
from ..services.practice_sets import practice_set_start
from ..services.training import style_model_create
from ..services.variations import MODES, variation_start

DIFFICULTY_ORDER = ("easy", "medium", "tradition", "hard")  # as a teacher reads them, not alphabetically
DIFFICULTY_NAMES = {"easy": gettext_lazy("easy"), "medium": gettext_lazy("medium"),
                    "tradition": gettext_lazy("as the tradition plays"), "hard": gettext_lazy("hard")}
STATUS_NAMES = {"queued": gettext_lazy("waiting to train"), "training": gettext_lazy("training"),
                "ready": gettext_lazy("ready"), "failed": gettext_lazy("failed"), "retired": gettext_lazy("retired")}
METRIC_NAMES = {"unigram": gettext_lazy("Unigram baseline"), "markov_order1": gettext_lazy("Order-1 Markov"),
                "markov": gettext_lazy("PPM (variable order)"), "transformer": gettext_lazy("Transformer")}
# How close a model's examples come to the tradition (generation/ml/fidelity.py), for an educator
FIDELITY_ROWS = (("ceiling", gettext_lazy("Real pieces it did not learn from, against those it did (the most to hope for)")),
                 ("default", gettext_lazy("Its examples at the default settings")),
                 ("unconstrained", gettext_lazy("Its examples with no difficulty limits")),
                 ("floor", gettext_lazy("The real pieces played in 12-TET (what a rendering deaf to the tuning scores)")))
FIDELITY_VERDICTS = {
    "close": gettext_lazy("Its examples come as close to the tradition's pitches and intervals as its real pieces come to each other."),
    "near": gettext_lazy("Its examples are clearly nearer the tradition than a 12-TET rendering, "
                         "but short of its real pieces: listen critically."),
    "far": gettext_lazy("Its examples come no closer to the tradition's pitches and intervals than a 12-TET "
                        "rendering: it needs more, or cleaner, material."),
}
# What each stage of training (generation/ml/progress.py) is, in words a teacher reads
STAGE_TEXTS = {
    "reading": gettext_lazy("Reading the notes of the recordings it may learn from…"),
    "baselines": gettext_lazy("Measuring simple models: the yardstick a trained model must beat…"),
    "learning": gettext_lazy("Learning the tradition's melodies: %(percent)s of this stage done…"),
    "choosing": gettext_lazy("Choosing the model that best predicts melodies it has not seen…"),
    "timbre": gettext_lazy("Listening to the recordings' timbre, so that the examples sound like them…"),
}


def study(request):
    models = style_models_visible(user=request.user).order_by("-created")
    traditions = []
    for tradition in Tradition.objects.order_by("name"):
        count = trainable_recordings(user=request.user, tradition=tradition).count() if request.user.is_authenticated else 0
        mine = [m for m in models if m.tradition_id == tradition.pk]
        traditions.append({"tradition": tradition, "trainable": count, "models": mine,
                           "training": any(m.status in ("queued", "training") and m.created_by_id == request.user.pk
                                           for m in mine)})
    return render(request, "generation/study.html", {"traditions": traditions, "min_notes": MIN_NOTES})


@login_required
@require_POST
def study_train(request, slug):
    tradition = get_object_or_404(Tradition, slug=slug)
    try:
        model = style_model_create(user=request.user, tradition=tradition)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("study")
    messages.success(request, _("Training a style model of %(tradition)s on %(n)s recording(s).") % {
        "tradition": tradition.name, "n": len(model.manifest["recordings"])})
    return redirect("study-model", pk=model.pk)


def _fidelity_rows(fidelity: dict | None) -> list[dict]:
    if not fidelity:
        return []
    return [{"key": key, "name": name, **{feature: fidelity[key][feature]["overlap"] for feature in FEATURES}}
            for key, name in FIDELITY_ROWS if key in fidelity]


def study_model(request, pk):
    model = style_model_or_none(user=request.user, pk=pk)
    if model is None:
        raise Http404
    bits = model.metrics.get("bits_per_note", {})
    labels = Label.objects.in_bulk(model.labels)
    label_names = {c: localized_text(labels[c], "name") if c in labels else c for c in model.labels}
    return render(request, "generation/model.html", {
        "model": model, "label_names": label_names, "status_name": STATUS_NAMES.get(model.status, model.status),
        "stages": [{"from": start, "name": name, "text": str(STAGE_TEXTS[name])} for name, start in STAGES],
        "fidelity": _fidelity_rows(model.metrics.get("fidelity")),
        "fidelity_verdict": FIDELITY_VERDICTS.get((model.metrics.get("fidelity") or {}).get("verdict")),
        "difficulties": [(d, DIFFICULTY_NAMES.get(d, d)) for d in DIFFICULTY_ORDER if d in DIFFICULTY],
        "default_difficulty": DEFAULT_DIFFICULTY,
        "metrics": [{"key": k, "name": METRIC_NAMES.get(k, k), "bits": v} for k, v in bits.items()],
        "degrees": list(enumerate(model.pitch_set)),
        "ends": model_ends(model),
        "chosen_by_fidelity": model.metrics.get("chosen_by") == "examples' fidelity",
        "metre_source": (model.metrics.get("metre") or {}).get("source"),
        "fifth_cents": own_fifth(model.pitch_set), "count_in": count_in(model.metre),
    })


def _whole(value, default: int | None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
@require_POST
def practice_set_new(request, pk):
    """A graded set from the model page's form: title, note, how many, the longest's length."""
    model = style_model_or_none(user=request.user, pk=pk)
    if model is None:
        raise Http404
    asked = Request(count=_whole(request.POST.get("count"), 8), length_notes=_whole(request.POST.get("length_notes"), 24),
                    length_bars=_whole(request.POST.get("length_bars"), None), seed=_whole(request.POST.get("seed"), 1))
    try:
        if not 8 <= asked.length_notes <= 256:
            raise ServiceError(_("the longest example has 8 to 256 notes"), field="length_notes")
        if asked.length_bars is not None and not 1 <= asked.length_bars <= MAX_BARS:
            raise ServiceError(_("the longest example has 1 to 64 bars"), field="length_bars")
        practice_set = practice_set_start(model=model, user=request.user, title=request.POST.get("title", ""),
                                          note=request.POST.get("note", ""), request=asked)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("study-model", pk=model.pk)
    return redirect("study-set", pk=practice_set.pk)


def practice_set_page(request, pk):
    """The set in order, easiest first: each example's score, audio and files, one button that
    plays them one after another, and the bundle."""
    practice_set = practice_set_or_none(user=request.user, pk=pk)
    if practice_set is None:
        raise Http404
    examples = list(practice_set.examples.filter(withdrawn_at__isnull=True).order_by("index"))
    job = practice_set.job
    model = practice_set.model
    return render(request, "generation/practice_set.html", {
        "set": practice_set, "model": model, "examples": examples, "job": job,
        "ready": bool(practice_set.bundle_file), "failed": job is not None and job.state == "failed",
        "count": practice_set.request.get("count"), "fifth_cents": own_fifth(model.pitch_set),
        "tempo": practice_set.request.get("tempo") or model.tempo_bpm or 72, "count_in": count_in(model.metre)})



def _seconds(value) -> float:
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return 0.0


@login_required
def vary_page(request):
    """A passage chosen on a recording's player (its loop marks) varied or continued by a style model
    that learned from that recording: the models the educator may use, and what to make."""
    data = request.POST if request.method == "POST" else request.GET
    recording = recording_visible_or_404(user=request.user, pk=data.get("recording"))
    models = list(style_models_visible(user=request.user).filter(status="ready", sources__recording=recording)
                  .distinct().order_by("-created"))
    start, end = _seconds(data.get("start")), _seconds(data.get("end"))
    if request.method == "POST":
        model = next((m for m in models if str(m.pk) == data.get("model")), None)
        if model is None:
            raise Http404
        try:
            variation_start(model=model, user=request.user, recording=recording, start=start, end=end,
                            mode=data.get("mode", "vary"), count=_whole(data.get("count"), 2),
                            length_notes=_whole(data.get("length_notes"), 12), seed=_whole(data.get("seed"), 1),
                            end_degree=_whole(data.get("end_degree"), None) if data.get("end_degree") else None,
                            silent=data.get("silent") == "1")
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The variations are being made; they appear under the model's examples."))
            return redirect("study-model", pk=model.pk)
    return render(request, "generation/vary.html", {"recording": recording, "models": models, "start": start,
                                                    "end": end, "modes": MODES,
                                                    "learned": [_learned_chips(m, recording, start, end) for m in models]})


NOTES_AROUND = 30.0  # seconds of a source's notes shown on either side of the chosen passage
MAX_CHIPS = 400


def _learned_chips(model, recording, start: float, end: float) -> dict:
    """The notes the model learned from the recording near the chosen passage, each a button on the
    vary page (its time and its degree, named in the tradition's notation where it has one)."""
    notes = learned_notes(model, recording.pk) or []
    low, high = max(0.0, start - NOTES_AROUND), (end if end > start else start) + NOTES_AROUND
    shown = [n for n in notes if low <= n["onset"] <= high][:MAX_CHIPS]
    notation, pitch_set = notation_from(model.tradition.notation), PitchSet(tuple(model.pitch_set))
    chips = []
    for n in shown:
        name = notation.name(n["cents"]) if notation else None
        chips.append({"start": round(n["onset"], 3), "end": round(n["onset"] + n["duration"], 3),
                      "name": name or str(pitch_set.degree_of(pitch_set.locate(n["cents"])[0]))})
    return {"model": model, "notes": chips}
