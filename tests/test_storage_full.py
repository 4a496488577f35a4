"""The storage refusing a write in the middle of an upload (disk full, a quota, a file-size
limit; here a real RLIMIT_FSIZE on this process, so every write past the limit fails with
EFBIG as on a full disk): a clear 507, no stored file, no row, no job, and the archive takes
the same upload once there is room again."""
import resource
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import RecordingFile
from archive.services.errors import StorageError
from archive.services.ingest import recording_attach_master
from tests import factories as f
from tests.audio import synth
from tests.factories import api_client
from worker.models import Job

pytestmark = pytest.mark.django_db
LIMIT = 6 * 1024 * 1024


@contextmanager
def file_size_limit(limit: int):
    """Writes past ``limit`` bytes fail with EFBIG (SIGXFSZ ignored, as a server would)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@pytest.fixture
def place(tmp_path):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        db = Path(settings.DATABASES["default"]["NAME"])
        if db.exists() and db.stat().st_size > LIMIT // 2:
            pytest.skip("the SQLite test database is too large for the limit")
    member = f.make_user("member")
    community = f.make_community(members=[member], stewards=[f.make_user("steward")])
    recording = f.make_recording(community)
    big = synth.write(tmp_path / "long.wav", seconds=120.0, rate=44100)  # about 10 MB
    return member, recording, big


def stored_files(recording) -> list[str]:
    folder = f"recordings/{recording.pk}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_a_full_disk_during_a_multipart_upload_is_a_507_and_leaves_nothing(place):
    member, recording, big = place
    data = big.read_bytes()
    with file_size_limit(LIMIT):
        response = api_client(member).post(f"/api/recordings/{recording.pk}/upload/",
                                           {"file": SimpleUploadedFile("long.wav", data)}, format="multipart")
    assert response.status_code == 507, response.content
    assert response.json()["code"] == "storage_error" and "nothing was kept" in response.json()["detail"]
    assert not RecordingFile.objects.exists() and not Job.objects.exists() and stored_files(recording) == []
    again = api_client(member).post(f"/api/recordings/{recording.pk}/upload/",
                                    {"file": SimpleUploadedFile("long.wav", data)}, format="multipart")
    assert again.status_code == 201


def test_a_full_disk_while_storing_the_master_removes_the_half_written_copy(place):
    member, recording, big = place
    with file_size_limit(LIMIT), pytest.raises(StorageError) as refused:
        recording_attach_master(recording=recording, path=big, original_name="long.wav", user=member, move=False)
    assert refused.value.status == 507
    assert not RecordingFile.objects.exists() and not Job.objects.exists() and stored_files(recording) == []
    assert big.exists()  # the operator's file is untouched
