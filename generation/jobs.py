"""Generation's job kinds (training a style model, generating examples), registered with the
worker when the app is ready (apps.py)."""
from archive.services.errors import ServiceError
from worker.registry import PermanentJobError, job_handler

from .models import PracticeSet, StyleModel
from .services.examples import examples_generate
from .services.practice_sets import practice_set_generate
from .services.training import style_model_train
from .services.variations import variations_generate


def _style_model(job):
    model = StyleModel.objects.select_related("tradition").filter(pk=job.target_id).first()
    if model is None:
        raise PermanentJobError("the style model no longer exists")
    return model


@job_handler("generation.train", queue="training")
def train_style_model(job, report):
    model = _style_model(job)
    if model.status == StyleModel.Status.RETIRED:
        raise PermanentJobError(f"the model was retired before training finished: {model.retired_reason}")
    try:
        return style_model_train(model=model, report=report)
    except ServiceError as exc:
        StyleModel.objects.filter(pk=model.pk).exclude(status=StyleModel.Status.RETIRED).update(
            status=StyleModel.Status.FAILED, error=exc.message)
        raise PermanentJobError(exc.message) from None


@job_handler("generation.generate", queue="training")
def generate_examples(job, report):
    try:
        return examples_generate(model=_style_model(job), job=job, report=report)
    except ServiceError as exc:
        raise PermanentJobError(exc.message) from None


@job_handler("generation.practice_set", queue="training")
def make_practice_set(job, report):
    practice_set = PracticeSet.objects.select_related("model__tradition", "job").filter(pk=job.target_id).first()
    if practice_set is None:
        raise PermanentJobError("the practice set no longer exists")
    try:
        return practice_set_generate(practice_set=practice_set, report=report)
    except ServiceError as exc:
        raise PermanentJobError(exc.message) from None


@job_handler("generation.variation", queue="training")
def make_variations(job, report):
    try:
        return variations_generate(model=_style_model(job), job=job, report=report)
    except ServiceError as exc:
        raise PermanentJobError(exc.message) from None
