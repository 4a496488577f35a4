"""Consent follows the recording: when a source recording is withdrawn, erased, loses its
training consent or gains a label that forbids training, what learned from it is retired."""
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from archive.models import Recording, RecordingLabel

from .services.consent import recheck_recording, retire_models_for


def _later(recording_id):
    transaction.on_commit(lambda: recheck_recording(recording_id))


@receiver(post_save, sender=Recording, dispatch_uid="generation-recording-saved")
def recording_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        _later(instance.pk)


@receiver(pre_delete, sender=Recording, dispatch_uid="generation-recording-deleted")
def recording_deleted(sender, instance, **kwargs):
    retire_models_for(recording_id=instance.pk, reason=f"source recording “{instance.title}” was erased")


@receiver(post_save, sender=RecordingLabel, dispatch_uid="generation-label-added")
@receiver(post_delete, sender=RecordingLabel, dispatch_uid="generation-label-removed")
def label_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(instance.recording_id)
